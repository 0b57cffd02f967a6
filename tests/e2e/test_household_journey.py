"""A household's whole journey in Arabic, in real Chromium with JavaScript off.

Every name, address and phone here is synthetic: a 555-01xx number and a made-up street.
Expected text comes from the Arabic catalog itself, falling back to the English msgid where
an entry is still empty or fuzzy (exactly what the app does), so the test stays right while
translators fill the catalog in.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po

from aid.forms import Required
from aid.i18n import po_path
from aid.intake.forms import RequestForm
from aid.vocabulary import CONTACT_METHODS, DAYS, DROPOFFS, KINDS, TIMES

pytestmark = pytest.mark.e2e

NAME = "ليلى التجريبية"  # "Layla the test one": synthetic
STREET = "742 Example Avenue"
CITY = "Minneapolis"
PHONE_TYPED, PHONE_ASCII = "٥٥٥٠١٢٣", "5550123"  # 555-0123 in Arabic-Indic digits
ZIP_TYPED, ZIP_ASCII = "٥٥٤٠٤", "55404"
SIZE_TYPED, SIZE_ASCII = "٣", "3"
CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")

# Fields an empty form must flag (the language select comes preset to the page's language);
# each summary line links to its field's id.
EMPTY_FORM_FIELDS = ("kinds", "name", "contact_method", "contact_handle", "street", "city", "zip")


def msgid(lazy) -> str:
    """The English msgid behind a lazy_gettext string, so wording changes do not break this."""
    return lazy._args[0]


def required_msgid(field: str) -> str:
    """The msgid of the 'required' message of one of the request form's fields."""
    validators = getattr(RequestForm, field).kwargs["validators"]
    return next(msgid(v.message) for v in validators if isinstance(v, Required))


def label(group: dict, value: str) -> str:
    item = group[value]
    return msgid(getattr(item, "label", item))


@lru_cache(maxsize=1)
def _arabic_catalog():
    with po_path("ar").open("rb") as fh:
        return read_po(fh, locale="ar")


def ar(msgid: str) -> str:
    """The Arabic the page must show: the msgstr if filled in and not fuzzy, else the msgid."""
    entry = _arabic_catalog().get(msgid)
    if entry is not None and not entry.fuzzy and isinstance(entry.string, str) and entry.string:
        return entry.string
    return msgid


def _text(page) -> str:
    return page.locator("body").inner_text()


def test_household_asks_for_groceries_in_arabic_without_javascript(visit, live_server,
                                                                    artifacts):
    page, requested = visit
    visited: list[str] = []  # the browser's history: every address its main frame showed
    page.on("framenavigated", lambda frame: frame.parent_frame is None and visited.append(
        frame.url))

    # 1. The form, in Arabic, right to left.
    response = page.goto(f"{live_server}/request?lang=ar")
    assert response.status == 200
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == ar("Ask for help")
    assert page.locator("select#language").input_value() == "ar"

    # 2. Sent empty: an error summary in Arabic, one linked line per missing answer.
    with page.expect_navigation():
        page.locator('button[name="action"][value="review"]').click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    summary = page.locator(".error-summary")
    assert summary.locator("h2").inner_text() == ar("There is a problem")
    links = summary.locator("li a")
    shown = {links.nth(i).get_attribute("href").lstrip("#"): links.nth(i).inner_text()
             for i in range(links.count())}
    assert shown == {field: ar(required_msgid(field)) for field in EMPTY_FORM_FIELDS}
    assert page.title().startswith(ar("Error:"))

    # 3. The answers, with digits typed the way an Arabic keyboard types them.
    page.locator('input[name="kinds"][value="groceries"]').check()
    page.locator("#name").fill(NAME)
    page.locator('input[name="contact_method"][value="sms"]').check()
    page.locator("#contact_handle").press_sequentially(PHONE_TYPED)
    page.locator("#street").fill(STREET)
    page.locator("#city").fill(CITY)
    page.locator("#zip").press_sequentially(ZIP_TYPED)
    page.locator("#household_size").press_sequentially(SIZE_TYPED)
    page.locator('input[name="delivery_days"][value="thu"]').check()
    page.locator('input[name="delivery_times"][value="morning"]').check()
    page.locator('input[name="dropoff"][value="door"]').check()
    with page.expect_navigation():
        page.locator('button[name="action"][value="review"]').click()

    # 4. Review: what will be stored, digits normalized, nothing stored yet.
    assert page.locator("h1").inner_text() == ar("Check your request")
    assert page.locator(".error-summary").count() == 0
    stored = page.locator("dl.summary dd").all_inner_texts()
    for value in (NAME, STREET, CITY, PHONE_ASCII, ZIP_ASCII, SIZE_ASCII,
                  ar(label(KINDS, "groceries")), ar(label(CONTACT_METHODS, "sms")),
                  ar(label(DAYS, "thu")), ar(label(TIMES, "morning")),
                  ar(label(DROPOFFS, "door"))):
        assert value in stored, f"{value!r} not on the review page: {stored}"
    page.screenshot(path=str(artifacts / "e2e-ar-1-review.png"), full_page=True)

    # 5. Confirm: a status code, its groups of four unbroken on a 360 px screen.
    with page.expect_navigation():
        page.locator('button[name="action"][value="confirm"]').click()
    assert page.locator("h1").inner_text() == ar("Request sent")
    code = page.locator("p.code strong").inner_text().strip()
    assert CODE_RE.match(code), code
    line = page.locator("p.code span.nb").first.bounding_box()["height"]
    for group in page.locator("p.code span.nb").all():
        box = group.bounding_box()
        assert box["height"] <= line * 1.2 and group.inner_text() in code  # one line each
    page.screenshot(path=str(artifacts / "e2e-ar-2-done.png"), full_page=True)

    # 6. The status page, opened by a button that posts the code: never in the address bar.
    with page.expect_navigation():
        page.get_by_role("button", name=ar("Open my status page")).click()
    assert urlsplit(page.url).path == "/status"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == ar("Your requests")
    items = page.locator("ul.requests li").all_inner_texts()
    assert len(items) == 1
    assert ar(label(KINDS, "groceries")) in items[0]
    assert ar("Received: waiting for review") in items[0]
    text, source = _text(page), page.content()
    for secret in (NAME, STREET, "Example", PHONE_ASCII, PHONE_TYPED):
        assert secret not in text and secret not in source, f"status page shows {secret!r}"
    page.screenshot(path=str(artifacts / "e2e-ar-3-status.png"), full_page=True)

    # 7. Another language from the picker at the top: still the status page, still by POST.
    with page.expect_navigation():
        page.locator('nav.langs button[value="so"]').click()
    assert page.locator("html").get_attribute("lang") == "so"
    assert page.locator("ul.requests li").count() == 1
    assert urlsplit(page.url).path == "/status"
    page.screenshot(path=str(artifacts / "e2e-so-4-status.png"), full_page=True)

    # The code in no address the browser kept or asked for, in any of its written forms.
    forms = {code, code.replace("-", ""), code.lower(), code.replace("-", "").lower()}
    for url in visited + requested:
        assert not any(f in url for f in forms), url
    assert len(visited) >= 6

    # Nothing left the test server: no CDN, font, analytics or other origin.
    origin = urlsplit(live_server)
    assert requested, "the page recorded no requests at all"
    foreign = [url for url in requested
               if (urlsplit(url).scheme, urlsplit(url).netloc) != (origin.scheme, origin.netloc)]
    assert foreign == []
