"""Languages: complete catalogs, every household page in every locale, direction, choice."""
import re

import pytest
from babel.messages.pofile import read_po

from aid.i18n import LANGUAGES, RTL, po_path
from aid.i18n_check import problems
from tests.support.households import GOOD_ANSWERS, submit_request
from tests.support.http import post

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


def test_the_template_holds_every_string_the_code_and_pages_use(tmp_path):
    """A string added to the code or a page but never extracted would show in English to
    everyone; extracting again must find nothing the committed template lacks."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(po_path("es")).parents[3]
    fresh = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(root / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
                    "--no-location", "-o", str(fresh), str(root)], check=True,
                   capture_output=True)
    with fresh.open("rb") as fh:
        used = {m.id for m in read_po(fh) if m.id}
    with (root / "translations" / "messages.pot").open("rb") as fh:
        committed = {m.id for m in read_po(fh) if m.id}
    assert used - committed == set(), "run scripts/catalogs.py extract and update"


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
    status = post(client, "/status", {"code": status_code}).get_data(as_text=True)
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
    page = post(client, "/status", {"code": status_code}).get_data(as_text=True)
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


# --- Dates: which calendar the form wants, and dates typed on another one ------------------

from datetime import date, timedelta  # noqa: E402
from html import unescape  # noqa: E402

from aid.forms import ethiopian_to_gregorian, solar_hijri_to_gregorian  # noqa: E402

CALENDAR_HINT = ("Use the international (Gregorian) calendar, for example 2027-01-31 for "
                 "31 January 2027.")
SOLAR_HIJRI = ("That looks like %(typed)s on the Solar Hijri calendar. This form uses the "
               "international (Gregorian) calendar: that day is %(date)s. Please enter %(iso)s.")
ETHIOPIAN = ("That looks like %(typed)s on the Ethiopian calendar. This form uses the "
             "international (Gregorian) calendar: that day is %(date)s. Please enter %(iso)s.")
OTHER_CALENDAR = ("That year looks like it is on another calendar. This form uses the "
                  "international (Gregorian) calendar, for example 2027-01-31.")
TOO_FAR = "That date is too far ahead. Enter a date within the next two years."


@pytest.mark.parametrize("solar_hijri, gregorian", [
    ((1405, 9, 10), date(2026, 12, 1)),    # the example
    ((1405, 1, 1), date(2026, 3, 21)),     # Nowruz 1405
    ((1404, 1, 1), date(2025, 3, 21)),
    ((1403, 1, 1), date(2024, 3, 20)),
    ((1403, 12, 30), date(2025, 3, 20)),   # 1403 is a leap year
    ((1399, 12, 30), date(2021, 3, 20)),
    ((1357, 11, 22), date(1979, 2, 11)),   # 22 Bahman 1357
    ((1300, 1, 1), date(1921, 3, 21)),
])
def test_solar_hijri_dates_convert_to_known_gregorian_days(solar_hijri, gregorian):
    assert solar_hijri_to_gregorian(*solar_hijri) == gregorian


@pytest.mark.parametrize("ethiopian, gregorian", [
    ((2012, 1, 1), date(2019, 9, 12)),     # Enkutatash after the leap year 2011
    ((2016, 1, 1), date(2023, 9, 12)),
    ((2017, 1, 1), date(2024, 9, 11)),
    ((2020, 1, 1), date(2027, 9, 12)),
    ((2015, 13, 6), date(2023, 9, 11)),    # Pagume 6 exists in 2015
    ((2017, 5, 11), date(2025, 1, 19)),    # Timkat
    ((2017, 6, 23), date(2025, 3, 2)),     # Adwa
    ((2019, 3, 22), date(2026, 12, 1)),
])
def test_ethiopian_dates_convert_to_known_gregorian_days(ethiopian, gregorian):
    assert ethiopian_to_gregorian(*ethiopian) == gregorian


def test_solar_hijri_years_have_the_days_their_leap_rule_says():
    for year in range(1300, 1500):
        length = (solar_hijri_to_gregorian(year + 1, 1, 1)
                  - solar_hijri_to_gregorian(year, 1, 1)).days
        try:
            solar_hijri_to_gregorian(year, 12, 30)
            leap = True
        except ValueError:
            leap = False
        assert length == (366 if leap else 365), year
    assert [y for y in range(1395, 1413) if (solar_hijri_to_gregorian(y + 1, 1, 1)
            - solar_hijri_to_gregorian(y, 1, 1)).days == 366] == [1395, 1399, 1403, 1408, 1412]


@pytest.mark.parametrize("bad", [(1404, 12, 30), (1405, 7, 31), (1405, 13, 1)])
def test_impossible_solar_hijri_dates_are_refused(bad):
    with pytest.raises(ValueError):
        solar_hijri_to_gregorian(*bad)


@pytest.mark.parametrize("bad", [(2016, 13, 6), (2017, 1, 31), (2017, 14, 1)])
def test_impossible_ethiopian_dates_are_refused(bad):
    with pytest.raises(ValueError):
        ethiopian_to_gregorian(*bad)


def _on_calendar(convert, target, years, months):
    for year in years:
        for month in months:
            for day in range(1, 32):
                try:
                    if convert(year, month, day) == target:
                        return year, month, day
                except ValueError:
                    continue
    raise AssertionError(f"no date for {target}")


def _court(client, code, typed, language=None):
    client.get(f"/request?lang={code}")
    data = dict(GOOD_ANSWERS, kinds=["court"], court_date=typed, court_name="X",
                language=language or code)
    return unescape(post(client, "/request", data).get_data(as_text=True))


def _shows(page, template, **values):
    """Every fixed part of a translated message with placeholders appears on the page."""
    for part in re.split(r"%\(\w+\)s", template):
        assert part.strip() in page
    for value in values.values():
        assert value in page


@pytest.mark.parametrize("code", LOCALES)
def test_date_fields_say_which_calendar_they_want(client, code):
    page = unescape(client.get(f"/request?lang={code}").get_data(as_text=True))
    assert page.count(translated(code, CALENDAR_HINT)) == 2  # needed-by and court date


@pytest.mark.parametrize("code", LOCALES)
def test_a_solar_hijri_date_gets_its_gregorian_day(client, code):
    target = date.today() + timedelta(days=40)
    year, month, day = _on_calendar(solar_hijri_to_gregorian, target,
                                    (target.year - 622, target.year - 621), range(1, 13))
    typed = f"{year}/{month:02d}/{day:02d}"
    page = _court(client, code, typed)
    _shows(page, translated(code, SOLAR_HIJRI), typed=typed, iso=target.isoformat())
    assert translated(code, "The date must be today or later.") not in page


def test_a_solar_hijri_date_in_persian_digits_is_recognised(client):
    target = date.today() + timedelta(days=40)
    year, month, day = _on_calendar(solar_hijri_to_gregorian, target,
                                    (target.year - 622, target.year - 621), range(1, 13))
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    page = _court(client, "fa_AF", f"{day:02d}/{month:02d}/{year}".translate(persian))
    assert target.isoformat() in page
    assert translated("fa_AF", SOLAR_HIJRI).split("%(typed)s")[0].strip() in page


@pytest.mark.parametrize("code", ["am", "om"])
def test_an_ethiopian_date_gets_its_gregorian_day(client, code):
    target = date.today() + timedelta(days=40)
    year, month, day = _on_calendar(ethiopian_to_gregorian, target,
                                    (target.year - 8, target.year - 7), range(1, 14))
    typed = f"{year}-{month:02d}-{day:02d}"
    page = _court(client, code, typed)
    _shows(page, translated(code, ETHIOPIAN), typed=typed, iso=target.isoformat())


def test_an_ethiopian_date_is_recognised_when_the_household_chose_amharic(client):
    target = date.today() + timedelta(days=40)
    year, month, day = _on_calendar(ethiopian_to_gregorian, target,
                                    (target.year - 8, target.year - 7), range(1, 14))
    page = _court(client, "en", f"{day:02d}/{month:02d}/{year}", language="am")
    assert target.isoformat() in page and "on the Ethiopian calendar" in page


def test_the_same_date_in_spanish_is_only_in_the_past(client):
    target = date.today() + timedelta(days=40)
    year, month, day = _on_calendar(ethiopian_to_gregorian, target,
                                    (target.year - 8, target.year - 7), range(1, 12))
    page = _court(client, "es", f"{year}-{month:02d}-{day:02d}")
    assert target.isoformat() not in page and "Check your request" not in page
    assert translated("es", ETHIOPIAN).split("%(typed)s")[0].strip() not in page


@pytest.mark.parametrize("code", ["en", "ar", "hmn", "am"])
def test_a_lunar_hijri_year_is_said_to_be_another_calendar(client, code):
    page = _court(client, code, f"{date.today().year - 578}-03-10")  # about the current AH year
    assert translated(code, OTHER_CALENDAR) in page


@pytest.mark.parametrize("code", ["en", "so", "fa_AF", "ru"])
@pytest.mark.parametrize("typed", ["9999-12-31", "2099-03-04"])
def test_a_date_years_ahead_is_refused_clearly(client, code, typed):
    assert translated(code, TOO_FAR) in _court(client, code, typed)


def test_dates_today_and_two_years_ahead_are_accepted(client):
    for when in (date.today(), date.today() + timedelta(days=730)):
        page = _court(client, "en", when.isoformat())
        assert "Check your request" in page, when
