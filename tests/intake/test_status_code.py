"""The status code: only in POST bodies, never in a URL, link or Location header; one record
per filled-in form however often it is confirmed; shown so that no group of four breaks."""
from __future__ import annotations

import re
import threading

from sqlalchemy import func, select

from aid.extensions import db
from aid.models import Household
from tests.support.households import GOOD_ANSWERS, code_forms, code_on, submit_request
from tests.support.http import csrf_token, post


def households(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count(Household.id)))
        db.session.remove()
        return n


def filled_form(client) -> dict:
    """The answers as the review page sends them on: with the form's own submission nonce."""
    page = client.get("/request").get_data(as_text=True)
    nonce = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    return dict(GOOD_ANSWERS, submission=nonce, action="confirm")


def test_confirming_the_same_form_twice_stores_one_household_and_shows_one_code(app, client):
    answers = filled_form(client)
    first = code_on(post(client, "/request", answers).get_data(as_text=True))
    again = code_on(post(client, "/request", answers).get_data(as_text=True))
    assert first == again
    assert households(app) == 1
    other = code_on(post(client, "/request", filled_form(client)).get_data(as_text=True))
    assert other != first and households(app) == 2  # a new form is a new request


def test_the_nonce_travels_from_the_form_through_the_review(client):
    answers = filled_form(client)
    review = post(client, "/request", dict(answers, action="")).get_data(as_text=True)
    assert f'name="submission" value="{answers["submission"]}"' in review


def test_two_taps_at_the_same_moment_store_one_household(app):
    client = app.test_client()
    answers = filled_form(client)
    token = csrf_token(client)
    barrier = threading.Barrier(4)
    pages: list[str] = []

    def tap():
        barrier.wait()
        r = client.post("/request", data=dict(answers, csrf_token=token))
        pages.append(r.get_data(as_text=True) if r.status_code == 200 else str(r.status_code))

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({code_on(p) for p in pages}) == 1
    assert households(app) == 1


def test_a_malformed_nonce_still_stores_a_request_with_a_fresh_code(app, client):
    for nonce in ("", "x", "A" * 500, "../../etc", "ab\x00cd"):
        post(client, "/request", dict(GOOD_ANSWERS, submission=nonce, action="confirm"))
    assert households(app) == 5


def test_no_get_route_takes_a_status_code(app, client):
    assert not [r.rule for r in app.url_map.iter_rules() if "code" in r.arguments]
    code = submit_request(client)
    assert client.get(f"/status/{code}").status_code == 404


def test_the_code_never_appears_in_a_url_link_or_location(app, client):
    code = submit_request(client)
    pages = [post(client, "/request", dict(GOOD_ANSWERS, action="confirm")),
             post(client, "/status", {"code": code}, url_csrf="/status"),
             post(client, "/status", {"code": code, "lang": "ar"}, url_csrf="/status"),
             post(client, "/request/sent", {"code": code, "lang": "so"}, url_csrf="/status"),
             post(client, "/status/delete", {"code": code}, url_csrf="/status")]
    for r in pages:
        assert r.status_code == 200
        assert not any(f in r.headers.get("Location", "") for f in code_forms(code))
        html = r.get_data(as_text=True)
        for url in re.findall(r'(?:href|action|formaction|src)="([^"]*)"', html):
            assert not any(f in url for f in code_forms(code)), url


def test_the_status_page_switches_language_by_post_and_keeps_the_household(app, client):
    code = submit_request(client)
    page = post(client, "/status", {"code": code}, url_csrf="/status").get_data(as_text=True)
    # The picker is a form that carries the code in its body, one button per language.
    picker = re.search(r'<nav class="langs".*?</nav>', page, re.DOTALL).group(0)
    assert 'method="post" action="/status"' in picker
    assert f'name="code" value="{code}"' in picker
    assert picker.count('name="lang"') == 16 and "href=" not in picker
    arabic = post(client, "/status", {"code": code, "lang": "ar"}, url_csrf="/status")
    assert '<html lang="ar" dir="rtl"' in arabic.get_data(as_text=True)


def test_the_sent_page_again_in_another_language_shows_the_same_code(app, client):
    code = submit_request(client)
    again = post(client, "/request/sent", {"code": code, "lang": "es"}, url_csrf="/status")
    assert code_on(again.get_data(as_text=True)) == code
    assert '<html lang="es"' in again.get_data(as_text=True)
    assert households(app) == 1


def test_the_code_is_shown_in_groups_that_never_break_inside(client):
    page = post(client, "/request", dict(GOOD_ANSWERS, action="confirm")).get_data(as_text=True)
    shown = re.search(r'class="code" dir="ltr"><strong>(.*?)</strong>', page).group(1)
    assert re.fullmatch(r'(<span class="nb">[0-9A-Z]{4}</span>-<wbr>){3}'
                        r'<span class="nb">[0-9A-Z]{4}</span>', shown)
    css = client.get("/static/aid.css").get_data(as_text=True)
    assert ".nb{white-space:nowrap}" in css and "break-all" not in css


def test_the_sent_page_says_what_the_code_allows_and_that_nobody_will_ask_for_it(client):
    page = post(client, "/request", dict(GOOD_ANSWERS, action="confirm")).get_data(as_text=True)
    assert "see your request, cancel it, and delete everything" in page
    assert "Nobody from our network will ever ask you for this code" in page
    assert "not a volunteer at your door" in page
