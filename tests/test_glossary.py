"""The glossary of safety terms: one per locale, the status code never sounds like the code
word, and every catalog message that names a safety term uses the locale's own term."""
import pytest

from aid.i18n import LANGUAGES, TRANSLATIONS_DIR, po_path
from aid.i18n_check import (
    GLOSSARY_TERMS,
    accepted,
    catalog_term_problems,
    fold,
    glossary_problems,
    glossary_shape_problems,
    read_glossary,
    term_clash_problems,
)

LOCALES = list(LANGUAGES)
TRANSLATED = [code for code in LOCALES if code != "en"]


def test_every_shipped_locale_has_a_glossary_and_no_other_does():
    shipped = {path.parent.name for path in TRANSLATIONS_DIR.glob("*/glossary.json")}
    assert shipped == set(LOCALES)


@pytest.mark.parametrize("code", LOCALES)
def test_glossary_covers_every_safety_term_with_a_note(code):
    glossary = read_glossary(code)
    assert glossary_shape_problems(glossary, code) == []
    assert set(glossary["terms"]) == set(GLOSSARY_TERMS)


@pytest.mark.parametrize("code", LOCALES)
def test_status_code_and_code_word_terms_differ_and_neither_contains_the_other(code):
    terms = read_glossary(code)["terms"]
    status, word = fold(terms["status_code"]["term"]), fold(terms["code_word"]["term"])
    assert status != word
    assert status not in word and word not in status
    assert term_clash_problems(read_glossary(code)) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_neither_term_is_the_catalogs_word_for_password(code):
    from babel.messages.pofile import read_po

    with po_path(code).open("rb") as fh:
        password = read_po(fh).get("Password").string
    assert term_clash_problems(read_glossary(code), password) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_uses_the_glossary_term_wherever_the_english_does(code):
    assert catalog_term_problems(read_glossary(code), read_glossary("en"), po_path(code)) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogs_check_reports_no_glossary_problem(code):
    assert glossary_problems(code, po_path(code)) == []


def test_fold_matches_spelling_variants_people_type():
    assert fold("Xoá") == fold("xóa")
    assert fold("حُذِفت") == fold("حذفت")
    assert fold("کلمهٔ") == fold("کلمه") == fold("كلمه")
    assert fold("волонтёр") == fold("Волонтер")
    assert fold("می‌شود") == fold("میشود")


def test_a_code_word_in_a_status_code_message_is_caught(tmp_path):
    """The planted mistake this file exists for: the Hmong status-code label reusing the
    door word (as the old 'Koj tus lej zais' / 'Lo lus zais' nearly did)."""
    text = po_path("hmn").read_text("utf-8")
    planted = text.replace('msgstr "Koj tus lej ntiag tug"', 'msgstr "Koj lo lus sib paub"')
    assert planted != text
    (tmp_path / "messages.po").write_text(planted, "utf-8")
    found = catalog_term_problems(read_glossary("hmn"), read_glossary("en"),
                                  tmp_path / "messages.po")
    assert any("status_code term" in line and "missing" in line for line in found)
    assert any("code_word term in a status_code message" in line for line in found)


def test_accepted_forms_include_the_term_itself():
    for code in LOCALES:
        for entry in read_glossary(code)["terms"].values():
            assert accepted(entry)[0] == entry["term"]


def test_the_old_hmong_terms_would_be_refused():
    """'Koj tus lej zais' (the status code) sounded like 'Lo lus zais' (the door word)."""
    glossary = read_glossary("hmn")
    glossary["terms"]["status_code"].update(term="tus lej zais", forms=[])
    glossary["terms"]["code_word"].update(term="lo lus zais", forms=[])
    assert term_clash_problems(glossary) == ["status code and code word share ['zais']"]
