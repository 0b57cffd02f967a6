"""The household journey over HTTP: form, errors, review, confirmation, status, cancel, delete."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from aid.extensions import db
from aid.models import HelpRequest, Household, HouseholdKey
from tests.support.households import GOOD_ANSWERS, submit_request
from tests.support.http import csrf_token, post


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def errors_of(page: str) -> list[str]:
    return re.findall(r'class="field-error"[^>]*><span[^>]*>[^<]*</span> ([^<]+)</p>', page)


def test_home_links_to_the_form(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/request"' in page


def test_form_is_server_rendered_with_novalidate_and_no_script(client):
    page = client.get("/request").get_data(as_text=True)
    assert "novalidate" in page
    assert "<script" not in page
    assert " required" not in page and "maxlength" not in page
    assert "Leave this site quickly" in page


def test_form_never_asks_status_birth_date_or_legal_name(client):
    page = client.get("/request").get_data(as_text=True).lower()
    asked = " ".join(re.findall(r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>", page)
                     + re.findall(r'name="([^"]+)"', page))
    assert "name" in asked and "zip" in asked
    for word in ("immigration status", "a-number", "alien", "date of birth", "birth",
                 "legal name", "social security", "passport", "ssn", "dob"):
        assert word not in asked


def test_empty_form_lists_every_problem_and_stores_nothing(app, client):
    r = post(client, "/request", {"kinds": ["groceries"]})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#name"' in page and 'href="#zip"' in page
    assert "Tell us a name or nickname we can use." in errors_of(page)
    assert "Enter how many people live in your home." in errors_of(page)
    assert count(app, Household) == 0


def test_no_kind_chosen_is_an_error(client):
    data = dict(GOOD_ANSWERS, kinds=[])
    page = post(client, "/request", data).get_data(as_text=True)
    assert "Choose at least one kind of help." in page


def test_details_of_kinds_not_asked_for_are_not_checked(client):
    r = post(client, "/request", dict(GOOD_ANSWERS, court_date="not a date"))
    assert r.status_code == 200
    assert "Check your request" in r.get_data(as_text=True)


def test_errors_keep_the_valid_answers(client):
    data = dict(GOOD_ANSWERS, zip="12")
    page = post(client, "/request", data).get_data(as_text=True)
    assert "Enter a 5-digit ZIP code." in page
    assert 'value="12 Example Street"' in page
    assert 'value="mon" checked' in page


def test_review_page_shows_what_is_stored_who_sees_it_and_when_it_is_deleted(app, client):
    page = post(client, "/request", GOOD_ANSWERS).get_data(as_text=True)
    assert "What will be stored" in page and "Who will see it" in page
    assert "When it is deleted" in page
    assert "30 days" in page
    assert "12 Example Street" in page
    assert count(app, Household) == 0  # nothing is stored before the household confirms


def test_change_my_answers_returns_to_the_filled_form(client):
    r = post(client, "/request", dict(GOOD_ANSWERS, action="edit"))
    page = r.get_data(as_text=True)
    assert 'value="Test Household"' in page and "Ask for help" in page


def test_confirm_stores_household_and_one_request_per_kind(app, client):
    code = submit_request(client, dict(GOOD_ANSWERS, kinds=["groceries", "court"],
                                       court_date=str(date.today() + timedelta(days=60)),
                                       court_name="Example court"))
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    with app.app_context():
        household = db.session.scalar(select(Household))
        assert household.zip == "55404" and household.language == "en"
        assert "Minneapolis" in household.area
        assert household.approx_lat and household.approx_lon
        assert sorted(r.kind for r in household.requests) == ["court", "groceries"]
        assert {r.status for r in household.requests} == {"new"}
        assert db.session.get(HouseholdKey, household.id) is not None


@pytest.mark.parametrize("typed, stored", [("٥٥٤٠٤", "55404"), ("۵۵۴۰۴", "55404"),
                                           ("５５４０４", "55404"), ("55404-1234", "55404")])
def test_digits_in_any_script_are_accepted(app, client, typed, stored):
    submit_request(client, dict(GOOD_ANSWERS, zip=typed, household_size="٣"))
    with app.app_context():
        assert db.session.scalar(select(Household.zip)) == stored


def test_household_size_out_of_range_is_refused(client):
    page = post(client, "/request", dict(GOOD_ANSWERS, household_size="0")).get_data(
        as_text=True)
    assert "Enter a number from 1 to 30." in page


def test_court_date_in_the_past_is_refused(client):
    data = dict(GOOD_ANSWERS, kinds=["court"], court_date="2001-01-01", court_name="X")
    page = post(client, "/request", data).get_data(as_text=True)
    assert "The date must be today or later." in page


def test_unknown_choice_is_refused(client):
    page = post(client, "/request", dict(GOOD_ANSWERS, dropoff="drone")).get_data(
        as_text=True)
    assert "Choose one of the options shown." in page


def test_overlong_answer_is_refused(client):
    page = post(client, "/request", dict(GOOD_ANSWERS, name="x" * 81)).get_data(as_text=True)
    assert "Use at most 80 characters." in page


def test_honeypot_stores_nothing_but_looks_the_same(app, client):
    data = dict(GOOD_ANSWERS, action="confirm", extra_info_leave_blank="http://spam.example")
    page = post(client, "/request", data).get_data(as_text=True)
    assert "Your private status code" in page
    assert count(app, Household) == 0


def test_status_link_and_form_show_progress_in_household_language(app, client):
    code = submit_request(client, dict(GOOD_ANSWERS, language="es"))
    with app.app_context():
        from aid.models import HelpRequest as R
        db.session.scalar(select(R)).status = "approved"
        db.session.commit()
    by_form = post(client, "/status", {"code": code.lower().replace("-", " ")})
    assert by_form.status_code == 200
    assert '<html lang="es"' in by_form.get_data(as_text=True)


def test_status_page_never_shows_address_contact_or_notes(client):
    code = submit_request(client, dict(GOOD_ANSWERS, safety_notes="Back door please",
                                       code_word="bluebird"))
    page = post(client, "/status", {"code": code}).get_data(as_text=True)
    for secret in ("Test Household", "12 Example Street", "555-0100", "Back door please",
                   "bluebird", "Minneapolis"):
        assert secret not in page


def test_unknown_and_wrong_codes_get_the_same_answer(client):
    code = submit_request(client)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    a = post(client, "/status", {"code": wrong})
    b = post(client, "/status", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})

    def strip(r):  # the CSRF token
        return re.sub(r'name="csrf_token" value="[^"]+"', "", r.get_data(as_text=True))
    assert a.status_code == b.status_code == 404
    assert strip(a) == strip(b)


def test_household_cancels_one_request(app, client):
    code = submit_request(client, dict(GOOD_ANSWERS, kinds=["groceries", "translation"],
                                       translation_languages="Somali",
                                       translation_format="document",
                                       translation_mode="phone"))
    with app.app_context():
        first = db.session.scalar(select(HelpRequest).order_by(HelpRequest.id))
        first_id = first.id
    page = post(client, "/status/cancel", {"code": code, "request_id": first_id}).get_data(
        as_text=True)
    assert "Cancelled" in page
    with app.app_context():
        statuses = [r.status for r in db.session.scalars(select(HelpRequest).order_by(
            HelpRequest.id))]
        assert statuses == ["cancelled", "new"]
        assert db.session.scalar(select(Household.last_closed_at)) is None


def test_cancel_with_another_households_request_id_changes_nothing(app, client):
    code_a = submit_request(client)
    submit_request(client)
    with app.app_context():
        other_id = db.session.scalar(select(func.max(HelpRequest.id)))
    post(client, "/status/cancel", {"code": code_a, "request_id": other_id})
    with app.app_context():
        assert db.session.get(HelpRequest, other_id).status == "new"


def test_delete_my_data_asks_first_then_removes_everything(app, client):
    code = submit_request(client)
    ask = post(client, "/status/delete", {"code": code})
    assert "Yes, delete everything" in ask.get_data(as_text=True)
    assert count(app, Household) == 1
    done = post(client, "/status/delete", {"code": code, "confirm": "yes"})
    assert "Your information was deleted" in done.get_data(as_text=True)
    assert count(app, Household) == count(app, HouseholdKey) == count(app, HelpRequest) == 0
    assert post(client, "/status", {"code": code}).status_code == 404


def test_submissions_and_lookups_are_rate_limited(tmp_path, template_db):
    from tests.support.app import make_app

    app = make_app(tmp_path, template_db, RATELIMIT_ENABLED=True)
    client = app.test_client()
    token = csrf_token(client)
    codes = [client.post("/status", data={"code": "AAAA", "csrf_token": token}).status_code
             for _ in range(12)]
    assert codes[0] == 404 and codes[-1] == 429


def test_quick_exit_clears_the_site(client):
    r = client.get("/exit")
    assert r.status_code == 200
    assert "cookies" in r.headers["Clear-Site-Data"]


def _lookups_until_limited(client, token, forwarded_for):
    return [client.post("/status", data={"code": "AAAA", "csrf_token": token},
                        headers={"X-Forwarded-For": forwarded_for}).status_code
            for _ in range(11)]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(tmp_path, template_db):
    from tests.support.app import make_app

    app = make_app(tmp_path, template_db, RATELIMIT_ENABLED=True, AID_TRUSTED_PROXIES=1)
    client = app.test_client()
    token = csrf_token(client)
    assert _lookups_until_limited(client, token, "198.51.100.1")[-1] == 429
    assert _lookups_until_limited(client, token, "198.51.100.2")[0] == 404


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(tmp_path, template_db):
    from tests.support.app import make_app

    app = make_app(tmp_path, template_db, RATELIMIT_ENABLED=True)
    client = app.test_client()
    token = csrf_token(client)
    assert _lookups_until_limited(client, token, "198.51.100.1")[-1] == 429
    assert _lookups_until_limited(client, token, "198.51.100.2")[0] == 429


def test_the_cached_form_gives_each_visitor_their_own_token_and_nonce(app):
    pages = [app.test_client().get("/request?lang=so").get_data(as_text=True) for _ in range(3)]
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"', p).group(1) for p in pages]
    nonces = [re.search(r'name="submission" value="([^"]+)"', p).group(1) for p in pages]
    assert len(set(tokens)) == 3 and len(set(nonces)) == 3
    assert all(len(n) == 22 for n in nonces) and "__aid_fresh" not in "".join(pages)
    same = {re.sub(r'value="[^"]{20,}"', "", p) for p in pages}
    assert len(same) == 1  # otherwise byte for byte the same page
    assert '<html lang="so"' in pages[0]
    english = app.test_client().get("/request?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in english  # one cached page per language


def test_the_cached_form_works_with_its_own_token(app):
    client = app.test_client()
    page = client.get("/request").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post("/request", data=dict(GOOD_ANSWERS, csrf_token=token, action="confirm"))
    assert r.status_code == 200 and count(app, Household) == 1


def test_signed_in_people_never_get_the_cached_form(app, signed_in):
    anonymous = app.test_client().get("/request").get_data(as_text=True)
    dispatcher = signed_in("dispatcher")
    page = dispatcher.get("/request").get_data(as_text=True)
    assert "Signed in as" in page and "Signed in as" not in anonymous
