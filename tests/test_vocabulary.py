"""One vocabulary: every kind, state, reason and choice has its label, in every shipped
language, and every screen shows each one (a code missing from a page fails here, not at 2 a.m.)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from aid import vocabulary
from aid.extensions import db
from aid.i18n import LANGUAGES, po_path
from aid.models import HelpRequest
from tests.support.households import GOOD_ANSWERS, request_ids, submit_request
from tests.support.http import post


def msgid(lazy) -> str:
    return lazy._args[0]


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_every_label_is_translated_in_every_locale(code):
    with po_path(code).open("rb") as fh:
        catalog = read_po(fh)
    missing = [msgid(label) for label in vocabulary.every_label()
               if not (catalog.get(msgid(label)) and catalog.get(msgid(label)).string)]
    assert missing == []


def test_every_kind_says_what_it_reveals_and_needs():
    for kind in vocabulary.KINDS.values():
        assert kind.skill and isinstance(kind.reveals_address, bool) and kind.min_tier >= 0
        assert msgid(kind.label) and msgid(kind.short)


def test_open_statuses_come_from_the_vocabulary():
    assert vocabulary.OPEN_STATUSES == ("new", "approved")


@pytest.mark.parametrize("status", sorted(vocabulary.STATUSES))
def test_every_status_shows_on_the_household_page_and_the_triage_list(app, signed_in, status):
    household = app.test_client()
    code = submit_request(household, dict(GOOD_ANSWERS, kinds=list(vocabulary.KINDS),
                                          translation_languages="Somali",
                                          translation_format="live", translation_mode="phone",
                                          court_date=str(date.today() + timedelta(days=30)),
                                          court_name="Demo Court"))
    with app.app_context():
        for req in db.session.scalars(select(HelpRequest)):
            req.status = status
        db.session.commit()
    page = post(household, "/status", {"code": code}, url_csrf="/status")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert msgid(vocabulary.STATUSES[status].household) in text
    for kind in vocabulary.KINDS.values():
        assert msgid(kind.label) in text
    dispatcher = signed_in("dispatcher")
    listing = dispatcher.get(f"/dispatch/?status={status}").get_data(as_text=True)
    for kind in vocabulary.KINDS.values():
        assert msgid(kind.short) in listing
    for rid in request_ids(app):
        assert dispatcher.get(f"/dispatch/requests/{rid}").status_code == 200
