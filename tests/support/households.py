"""Households as tests send them: complete answers, canaries, a request through to its code.

Every name, address and phone is synthetic: 555-01xx numbers and made-up streets. A canary is
a made-up value that appears nowhere else: finding one where it should not be means a leak.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import quote, quote_plus

from sqlalchemy import select

from aid.extensions import db
from aid.models import HelpRequest
from tests.support.http import post

GOOD_ANSWERS = {
    "kinds": ["groceries"],
    "name": "Test Household",
    "contact_method": "sms",
    "contact_handle": "555-0100",
    "language": "en",
    "street": "12 Example Street",
    "unit": "",
    "city": "Minneapolis",
    "zip": "55404",
    "household_size": "3",
    "delivery_days": ["mon", "thu"],
    "delivery_times": ["morning"],
    "dropoff": "door",
}

CANARIES = {
    "name": "Zephyrine Qwoltbauer",
    "street": "4417 Vexhollow Lane",
    "contact_handle": "612-555-0173",
    "safety_notes": "Knock twice then say Kestrelmoor",
    "code_word": "Plumquartzite",
    "court_name": "Brindlewick Hall Annex",
}
CANARY_FORMS = sorted({v for c in CANARIES.values()
                       for v in (c, c.lower(), c.upper(), quote(c), quote_plus(c))}
                      | {re.sub(r"\D", "", CANARIES["contact_handle"])})  # the phone's digits

CODE_ON_PAGE = re.compile(r'class="code" dir="ltr"><strong>(.*?)</strong>')
CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")


def code_on(page: str) -> str:
    """The status code a page shows, as the household reads it (the markup around its groups
    removed)."""
    shown = re.sub(r"<[^>]+>", "", CODE_ON_PAGE.search(page).group(1))
    assert CODE.fullmatch(shown), shown
    return shown


def canary_answers() -> dict:
    """A complete groceries + court request carrying every canary."""
    answers = dict(GOOD_ANSWERS)
    answers.update({k: v for k, v in CANARIES.items() if k != "court_name"})
    answers.update({
        "zip": "55455",  # a ZIP no other test uses, so the log test can look for it
        "kinds": ["groceries", "court"],
        "court_date": (date.today() + timedelta(days=30)).isoformat(),
        "court_name": CANARIES["court_name"],
    })
    return answers


def code_forms(code: str) -> list[str]:
    """The ways a status code could be written down: with and without dashes, any case."""
    return [code, code.replace("-", ""), code.lower(), code.replace("-", "").lower()]


def submit_request(client, answers: dict | None = None, **extra) -> str:
    """Send a complete request through review and confirmation; return the status code."""
    data = dict(GOOD_ANSWERS if answers is None else answers)
    data.update(extra)
    data["action"] = "confirm"
    return code_on(post(client, "/request", data).get_data(as_text=True))


def request_ids(app) -> list[int]:
    with app.app_context():
        ids = list(db.session.scalars(select(HelpRequest.id).order_by(HelpRequest.id)))
        db.session.remove()
        return ids
