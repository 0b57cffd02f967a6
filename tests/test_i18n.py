"""Languages: complete catalogs, every household page in every locale, direction, choice."""
import re

import pytest
from babel.messages.pofile import read_po

from aid.i18n import LANGUAGES, RTL, po_path
from aid.i18n_check import problems
from tests.conftest import GOOD_ANSWERS, post, submit_request

LOCALES = list(LANGUAGES)
TRANSLATED = [code for code in LOCALES if code != "en"]


def catalog(code):
    with po_path(code).open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def translated(code, msgid):
    """What the page must show: the catalog's text (English only where it is still empty,
    which test_catalog_is_complete_and_marked fails on)."""
    if code == "en":
        return msgid
    return catalog(code)[msgid] or msgid


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_is_complete_and_marked(code):
    assert problems(po_path(code), code) == []


def test_catalogs_hold_every_string_of_the_template():
    from pathlib import Path

    with (Path(po_path("es")).parents[2] / "messages.pot").open("rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    for code in TRANSLATED:
        assert wanted <= set(catalog(code)), code


HOUSEHOLD_PAGES = ["/", "/request", "/status", "/exit"]


@pytest.mark.parametrize("code", LOCALES)
def test_household_pages_render_in_every_locale(client, code):
    for url in HOUSEHOLD_PAGES[:3]:
        r = client.get(f"{url}?lang={code}")
        assert r.status_code == 200
        page = r.get_data(as_text=True)
        direction = "rtl" if code in RTL else "ltr"
        assert f'<html lang="{code.replace("_", "-")}" dir="{direction}"' in page
        assert translated(code, "Leave this site quickly") in page
    assert translated(code, "Ask for help") in client.get(f"/request?lang={code}").get_data(
        as_text=True)


@pytest.mark.parametrize("code", LOCALES)
def test_whole_journey_in_every_locale(client, code):
    client.get(f"/request?lang={code}")
    bad = post(client, "/request", {"kinds": ["groceries"]}).get_data(as_text=True)
    assert translated(code, "Tell us a name or nickname we can use.") in bad
    assert translated(code, "There is a problem") in bad
    review = post(client, "/request", dict(GOOD_ANSWERS, language=code)).get_data(as_text=True)
    assert translated(code, "What will be stored") in review
    status_code = submit_request(client, dict(GOOD_ANSWERS, language=code))
    status = client.get(f"/status/{status_code}").get_data(as_text=True)
    assert translated(code, "Received: waiting for review") in status
    assert f'lang="{code.replace("_", "-")}"' in status
    ask = post(client, "/status/delete", {"code": status_code}).get_data(as_text=True)
    assert translated(code, "Yes, delete everything") in ask
    gone = post(client, "/status/delete", {"code": status_code, "confirm": "yes"})
    assert translated(code, "Your information was deleted") in gone.get_data(as_text=True)


def test_validator_messages_come_from_our_catalog_not_wtforms(client):
    client.get("/request?lang=es")
    page = post(client, "/request", dict(GOOD_ANSWERS, household_size="cien", zip="1")
                ).get_data(as_text=True)
    assert translated("es", "Enter a number from 1 to 30.") in page
    assert translated("es", "Enter a 5-digit ZIP code.") in page
    assert "Not a valid" not in page and "This field is required" not in page


@pytest.mark.parametrize("header, expected", [
    ("es-MX,es;q=0.9", "es"), ("zh-CN,zh;q=0.9", "zh-Hans"), ("tl", "fil"),
    ("fa-AF", "fa-AF"), ("fa", "fa-AF"), ("pt", "pt-BR"), ("so-SO", "so"),
    ("de-DE,xx;q=0.5", "en"), ("", "en"), ("hmn", "hmn"),
])
def test_accept_language_is_negotiated(client, header, expected):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}"' in page


def test_lang_parameter_beats_session_beats_header(client):
    client.get("/?lang=vi")
    page = client.get("/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert '<html lang="vi"' in page
    page = client.get("/?lang=ru", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert '<html lang="ru"' in page


def test_unknown_lang_parameter_falls_back_to_english(client):
    page = client.get("/?lang=xx-YY").get_data(as_text=True)
    assert '<html lang="en" dir="ltr"' in page


def test_picker_shows_every_language_by_its_native_name(client):
    page = client.get("/").get_data(as_text=True)
    for code, native in LANGUAGES.items():
        assert f'?lang={code}"' in page and native in page


def test_hmong_without_cldr_formats_dates_as_english(client):
    status_code = submit_request(client, dict(GOOD_ANSWERS, language="hmn"))
    page = client.get(f"/status/{status_code}").get_data(as_text=True)
    assert '<html lang="hmn"' in page
    assert re.search(r"\b20\d\d\b", page)


def test_rtl_pages_mark_phone_and_code_fields_left_to_right(client):
    page = client.get("/request?lang=ar").get_data(as_text=True)
    assert re.search(r'id="contact_handle"[^>]*dir="ltr"', page)
    assert re.search(r'id="zip"[^>]*dir="ltr"', page)
    assert re.search(r'id="name"[^>]*dir="auto"', page)


@pytest.mark.parametrize("code, joined", [
    ("en", "Monday and Thursday"), ("es", "Lunes y Jueves"), ("ar", "الاثنين والخميس"),
    ("zh_Hans", "星期一和星期四"), ("am", "ሰኞ እና ሐሙስ"), ("hmn", "Hnub Ib and Hnub Plaub"),
])
def test_review_joins_chosen_labels_the_locales_way(client, code, joined):
    client.get(f"/request?lang={code}")
    page = post(client, "/request", GOOD_ANSWERS).get_data(as_text=True)
    assert joined in page
