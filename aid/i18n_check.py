"""Is a catalog complete? No untranslated, fuzzy or placeholder-dropping entry. Does it use
the locale's glossary of safety terms (status code, code word, ...) everywhere?

Read with babel's read_po, because `pybabel compile --statistics` counts an empty plural
form as translated and drops fuzzy entries silently (see DESIGN.md pitfalls).
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _strs(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [
        message.string]


def problems(path: Path, code: str) -> list[str]:
    """Every reason this catalog is not complete, one line each."""
    if not path.exists():
        return [f"{path} is missing"]
    with path.open("rb") as fh:
        catalog = read_po(fh)
    found = ["header is marked fuzzy"] if catalog.fuzzy else []
    if "machine-drafted" not in (catalog.header_comment or "") and "reviewed by" not in (
            catalog.header_comment or ""):
        found.append("header does not say machine-drafted or reviewed by")
    for message in catalog:
        if not message.id:
            continue
        key = _ids(message)[0][:50]
        if message.fuzzy:
            found.append(f"fuzzy: {key}")
        strings = _strs(message)
        if any(not s for s in strings):
            found.append(f"untranslated: {key}")
            continue
        wanted = sorted(PLACEHOLDER.findall(_ids(message)[-1]))
        for s in strings:
            if sorted(PLACEHOLDER.findall(s)) != wanted:
                found.append(f"placeholders differ: {key}")
                break
    return found


# --- Glossary of safety terms: translations/<locale>/glossary.json --------------------------

GLOSSARY_TERMS = ("status_code", "code_word", "name_or_nickname", "delete", "volunteer",
                  "leave_quickly")
# Letter variants people type interchangeably in Arabic script, and invisible joiners.
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ە": "ه", "\u0640": None, "\u200c": None,
                       "\u200d": None})


def fold(text: str) -> str:
    """Fold case, accents and Arabic-script vowel marks, so a term matches 'Xóa' and 'xoá',
    'حُذفت' and 'حذفت', 'کلمهٔ' and 'کلمه' alike."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.translate(_FOLD))


def glossary_path(code: str) -> Path:
    from aid.i18n import TRANSLATIONS_DIR

    return TRANSLATIONS_DIR / code / "glossary.json"


def read_glossary(code: str) -> dict:
    return json.loads(glossary_path(code).read_text("utf-8"))


def accepted(entry: dict) -> list[str]:
    """The term and its accepted inflected forms."""
    return [entry["term"], *entry.get("forms", [])]


def glossary_shape_problems(glossary: dict, code: str) -> list[str]:
    """Every term present, each with a term, a list of forms and a note for reviewers."""
    found = [] if glossary.get("locale") == code else [f"glossary locale is not {code}"]
    terms = glossary.get("terms", {})
    if set(terms) != set(GLOSSARY_TERMS):
        found.append(f"glossary terms are {sorted(terms)}, not {sorted(GLOSSARY_TERMS)}")
    for key, entry in terms.items():
        if not (isinstance(entry.get("term"), str) and entry["term"].strip()):
            found.append(f"glossary {key}: no term")
        if not (isinstance(entry.get("note"), str) and entry["note"].strip()):
            found.append(f"glossary {key}: no note for reviewers")
        forms = entry.get("forms")
        if not (isinstance(forms, list) and all(isinstance(f, str) and f for f in forms)):
            found.append(f"glossary {key}: forms must be a list of words")
    return found


def _words(term: str) -> set[str]:
    """The words of a term (of three letters or more), or its characters in Chinese script."""
    han = {c for c in term if unicodedata.name(c, "").startswith("CJK UNIFIED")}
    return han or {w for w in re.split(r"[\s\-]+", term) if len(w) >= 3}


def term_clash_problems(glossary: dict, password: str | None = None) -> list[str]:
    """The status code and the code word must not sound alike: no form of one contains a
    form of the other, they share no word ('tus lej zais' / 'lo lus zais' did), and neither
    is (or contains) the catalog's word for 'Password'."""
    terms = glossary["terms"]
    status = [fold(f) for f in accepted(terms["status_code"])]
    word = [fold(f) for f in accepted(terms["code_word"])]
    found = [f"status code '{s}' and code word '{w}' overlap"
             for s in status for w in word if s in w or w in s]
    shared = _words(status[0]) & _words(word[0])
    # The reviewed English source says 'status code' and 'code word': it is not checked here.
    if shared and glossary.get("locale") != "en":
        found.append(f"status code and code word share {sorted(shared)}")
    if password:
        found += [f"'{f}' contains the word for password '{password}'"
                  for f in status + word if fold(password) in f or f in fold(password)]
    return found


def _english_pattern(entry: dict) -> re.Pattern:
    forms = sorted(accepted(entry), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b", re.I)


def catalog_term_problems(glossary: dict, english: dict, path: Path) -> list[str]:
    """Each message whose English uses a glossary term uses this locale's term (or an accepted
    form) in every translation; a status-code message never carries the code-word term and a
    code-word message never the status-code term, unless its English names both (the door
    reminder: "say the code word ... never ask for a status code")."""
    with path.open("rb") as fh:
        catalog = read_po(fh)
    terms = glossary["terms"]
    wanted = {key: [fold(f) for f in accepted(terms[key])] for key in GLOSSARY_TERMS}
    patterns = {key: _english_pattern(english["terms"][key]) for key in GLOSSARY_TERMS}
    other = {"status_code": "code_word", "code_word": "status_code"}
    found = []
    for message in catalog:
        if not message.id:
            continue
        english_text = " ".join(_ids(message))
        strings = [fold(s) for s in _strs(message) if s]
        for key in GLOSSARY_TERMS:
            if not patterns[key].search(english_text):
                continue
            if any(not any(w in s for w in wanted[key]) for s in strings):
                found.append(f"{key} term '{terms[key]['term']}' missing: {_ids(message)[0][:50]}")
            names_both = key in other and patterns[other[key]].search(english_text)
            if key in other and not names_both and any(
                    w in s for s in strings for w in wanted[other[key]]):
                found.append(f"{other[key]} term in a {key} message: {_ids(message)[0][:50]}")
    return found


def glossary_problems(code: str, catalog_path: Path | None = None) -> list[str]:
    """Everything wrong with a locale's glossary and its use in the catalog, one line each."""
    if not glossary_path(code).exists():
        return [f"{glossary_path(code)} is missing"]
    glossary = read_glossary(code)
    found = glossary_shape_problems(glossary, code)
    if found:
        return found
    password = None
    if catalog_path is not None and catalog_path.exists():
        with catalog_path.open("rb") as fh:
            entry = read_po(fh).get("Password")
        password = entry.string if entry is not None else None
    found += term_clash_problems(glossary, password)
    if catalog_path is not None and catalog_path.exists() and code != "en":
        found += catalog_term_problems(glossary, read_glossary("en"), catalog_path)
    return found
