"""Input that cannot spoof: no bidi controls or null bytes reach a stored value or a page,
names of nothing but invisible characters are refused, ZIPs are real, dates are bounded."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from aid import households
from aid.extensions import db
from aid.models import Household
from tests.support.households import GOOD_ANSWERS, request_ids, submit_request
from tests.support.http import post

RLO, PDF, LRI, PDI, RLM, NUL = "\u202e", "\u202c", "\u2066", "\u2069", "\u200f", "\x00"
SPOOFERS = (RLO, PDF, LRI, PDI, RLM, NUL, "\u061c", "\u202a", "\x07")


def stored(app) -> households.Revealed:
    with app.app_context():
        household = db.session.scalars(db.select(Household)).first()
        return households.open_for(None, household, household.requests[0])


def test_bidi_controls_and_null_bytes_never_reach_a_stored_value(app, client):
    submit_request(client, dict(GOOD_ANSWERS, street=f"{RLO}123 Main St{PDF}",
                                name=f"Ali{NUL}ce{RLM}", code_word=f"{LRI}blue{PDI} bird",
                                safety_notes="back\u202bdoor\x07", city=f"Minne{NUL}apolis"))
    shown = stored(app)
    assert shown.address["street"] == "123 Main St"
    assert shown.name == "Alice" and shown.code_word == "blue bird"
    assert shown.safety_notes == "backdoor" and shown.address["city"] == "Minneapolis"


def test_the_review_page_shows_no_spoofing_character(client):
    page = post(client, "/request", dict(GOOD_ANSWERS, street=f"{RLO}123 Main St",
                                         name=f"Bob{NUL}")).get_data(as_text=True)
    assert "123 Main St" in page
    for ch in SPOOFERS:
        assert ch not in page, repr(ch)


def test_persian_zero_width_non_joiner_is_kept(app, client):
    """ZWNJ is part of how Dari and Persian are written: it is not a spoofing character."""
    name = "نام\u200cخانوادگی"
    submit_request(client, dict(GOOD_ANSWERS, name=name))
    assert stored(app).name == name


@pytest.mark.parametrize("invisible", ["\u200b\u200b", " \u200d ", "\ufeff", RLO + PDF,
                                       "\u3000", "\u0301"])
def test_a_name_of_nothing_visible_is_refused(app, client, invisible):
    r = post(client, "/request", dict(GOOD_ANSWERS, name=invisible))
    assert r.status_code == 422
    assert "Tell us a name or nickname we can use." in r.get_data(as_text=True)


@pytest.mark.parametrize("zip_code", ["00000", "99999", "12", "ABCDE", "5540"])
def test_zips_that_are_no_place_in_the_us_are_refused(client, zip_code):
    r = post(client, "/request", dict(GOOD_ANSWERS, zip=zip_code))
    assert r.status_code == 422


def test_a_real_zip_with_plus_four_is_kept_as_five_digits(app, client):
    submit_request(client, dict(GOOD_ANSWERS, zip="55404-1234"))
    with app.app_context():
        assert db.session.scalar(db.select(Household.zip)) == "55404"


@pytest.mark.parametrize("when", ["9999-12-31", (date.today() + timedelta(days=800)).isoformat(),
                                  (date.today() - timedelta(days=1)).isoformat()])
def test_court_dates_in_the_past_or_years_ahead_are_refused(client, when):
    r = post(client, "/request", dict(GOOD_ANSWERS, kinds=["court"], court_date=when,
                                      court_name="Demo Court"))
    assert r.status_code == 422


def test_every_value_a_household_typed_is_isolated_on_the_dispatcher_page(app, client,
                                                                         signed_in):
    submit_request(client, dict(GOOD_ANSWERS, street="١٢ شارع المثال", name="ليلى",
                                code_word="نجمة", safety_notes="الباب الخلفي"))
    page = signed_in("dispatcher").get(f"/dispatch/requests/{request_ids(app)[0]}").get_data(
        as_text=True)
    for value in ("١٢ شارع المثال", "ليلى", "نجمة", "الباب الخلفي", "555-0100"):
        assert re.search(r"<bdi[^>]*>" + re.escape(value) + "</bdi>", page), value
