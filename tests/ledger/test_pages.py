"""The treasurer's screens and the public campaign page: each works through the browser's
forms, refuses bad input with the app's own message and writes nothing, and the public page
shows no name and holds back small categories, in the visitor's language."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from aid.extensions import db
from aid.ledger import books, campaigns, money
from aid.models import Campaign, Transaction
from tests.support.app import row_counts
from tests.support.http import post
from tests.support.ledger import books as open_books
from tests.support.ledger import give

TODAY = date.today().isoformat()


def _ids(app):
    with open_books(app):
        return ({a.code: str(a.id) for a in books.accounts(open_only=False)},
                {f.code: str(f.id) for f in books.funds(open_only=False)})


def send(client, url, data, **kw):
    return post(client, url, data, url_csrf="/ledger/", **kw)


def test_every_screen_opens_for_a_treasurer(app, signed_in):
    client = signed_in("treasurer")
    assert "Start the books" in client.get("/ledger/").get_data(as_text=True)
    assert send(client, "/ledger/setup", {}).status_code == 302
    for url in ("/ledger/", "/ledger/transactions", "/ledger/donations/new",
                "/ledger/disbursements/new", "/ledger/approvals", "/ledger/transfers/new",
                "/ledger/bail", "/ledger/bail/new", "/ledger/campaigns",
                "/ledger/campaigns/new", "/ledger/reports/balances",
                "/ledger/reports/monthly", "/ledger/reports/receivables",
                "/ledger/imports/new", "/ledger/settings"):
        assert client.get(url).status_code == 200, url


def test_a_donation_through_the_form_is_recorded_once(app, signed_in):
    client = signed_in("treasurer")
    accounts, funds = _ids(app)
    page = client.get("/ledger/donations/new").get_data(as_text=True)
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)
    form = {"amount": "١٢٫٥٠", "occurred_on": TODAY, "account": accounts["venmo"],
            "fund": funds["groceries"], "campaign": "", "donor": "donor-17", "key": key}
    first = send(client, "/ledger/donations/new", form)
    again = send(client, "/ledger/donations/new", form)  # the browser sent it twice
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    detail = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "$12.50" in detail and "donor-17" in detail
    with app.app_context():
        assert db.session.scalar(select(func.count(Transaction.id))) == 1


@pytest.mark.parametrize("amount, message", [
    ("-5", "Enter the amount without a minus sign."),
    ("abc", "Enter an amount in numbers, for example 12.50."),
    ("12.345", "Use at most two decimals, for example 12.50."),
    ("", "Enter an amount."),
])
def test_bad_amounts_are_refused_with_a_message_and_nothing_written(app, signed_in, amount,
                                                                   message):
    client = signed_in("treasurer")
    accounts, funds = _ids(app)
    before = row_counts(app)
    r = send(client, "/ledger/donations/new", {"amount": amount, "occurred_on": TODAY,
                                               "account": accounts["bank"],
                                               "fund": funds["general"]})
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert row_counts(app) == before


def test_unknown_account_and_closed_fund_are_refused_in_the_treasurers_language(app,
                                                                            signed_in):
    client = signed_in("treasurer")
    accounts, funds = _ids(app)
    client.get("/ledger/?lang=es")
    r = send(client, "/ledger/donations/new", {"amount": "5", "occurred_on": TODAY,
                                               "account": "9999", "fund": funds["general"]})
    assert r.status_code == 422
    assert send(client, f"/ledger/funds/{funds['rent']}", {"change": "close"}).status_code == 302
    before = row_counts(app)
    r = send(client, "/ledger/donations/new", {"amount": "5", "occurred_on": TODAY,
                                               "account": accounts["bank"],
                                               "fund": funds["rent"]})
    assert r.status_code == 422 and '<html lang="es"' in r.get_data(as_text=True)
    assert row_counts(app) == before


def test_a_second_treasurer_approves_through_the_screens(app, signed_in):
    first, second = signed_in("treasurer"), signed_in("treasurer")
    accounts, funds = _ids(app)
    with open_books(app):
        give(100_000, "rent")
    r = send(first, "/ledger/disbursements/new", {
        "payee_kind": "vendor", "payee": "LANDLORD-3", "category": accounts["rent"],
        "from_account": accounts["bank"], "fund": funds["rent"], "amount": "600",
        "occurred_on": TODAY})
    assert r.status_code == 302 and r.headers["Location"].endswith("/ledger/approvals")
    with app.app_context():
        from aid.models import Disbursement

        did = db.session.scalar(select(Disbursement.id))
    own = send(first, f"/ledger/disbursements/{did}/approve", {})
    assert own.status_code == 422
    assert "another treasurer must approve it" in own.get_data(as_text=True)
    assert send(second, f"/ledger/disbursements/{did}/approve", {}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Transaction.id))) == 2


def test_a_reversal_of_a_reversal_is_refused_on_screen(app, signed_in):
    client = signed_in("treasurer")
    with open_books(app):
        give(500)
    assert send(client, "/ledger/transactions/1/reverse", {}).status_code == 302
    r = send(client, "/ledger/transactions/2/reverse", {})
    assert r.status_code == 422 and "cannot itself be reversed" in r.get_data(as_text=True)


def _campaign_with_spending(app, treasurer_id):
    """A public campaign: 6 grocery payments (shown) and 4 rent payments (held back)."""
    with open_books(app):
        fund = books.fund_by_code("groceries")
        start = date.today() - timedelta(days=10)
        found = campaigns.create(treasurer_id, "Winter groceries", 500_000, start,
                                 date.today() + timedelta(days=20), fund, True)
        money.record_donation(treasurer_id, 800_000, start, books.account_by_code("bank"),
                              fund, found, donor="donor-17")
        for n in range(6):
            money.request_disbursement(treasurer_id, "household", f"HH-4F2{n}",
                                       books.account_by_code("groceries"),
                                       books.account_by_code("bank"), fund, 100_00,
                                       date.today())
        for _n in range(4):
            money.request_disbursement(treasurer_id, "vendor", "LANDLORD-9",
                                       books.account_by_code("rent"),
                                       books.account_by_code("bank"), fund, 80_00,
                                       date.today())
        return found.slug


def test_the_public_page_shows_progress_and_holds_back_small_categories(app, staff):
    member = staff("treasurer-1", ["treasurer"])
    slug = _campaign_with_spending(app, member.id)
    page = app.test_client().get(f"/campaigns/{slug}").get_data(as_text=True)
    shown = re.sub(r"<[^>]+>", "", page)
    assert "Winter groceries" in page and '<progress max="100" value="100"' in page
    assert "$8,000.00 raised of $5,000.00" in shown
    assert "Groceries" in page and "$600.00" in shown
    for hidden in ("Rent", "$320.00", "$80.00", "$920.00"):
        assert hidden not in shown, hidden
    assert ">4<" not in page
    for name in ("donor-17", "HH-4F2", "LANDLORD-9"):
        assert name not in page, name
    assert "fewer than 5 payments" in page and "<td>Other</td><td></td>" in page


@pytest.mark.parametrize("lang, raised", [
    ("en", "$8,000.00"), ("es", "8.000,00\xa0US$"), ("ar", "\u200f8,000.00\xa0US$"),
    ("so", "US$8,000.00"),
])
def test_the_public_page_speaks_the_visitors_language(app, staff, lang, raised):
    member = staff("treasurer-1", ["treasurer"])
    slug = _campaign_with_spending(app, member.id)
    page = app.test_client().get(f"/campaigns/{slug}?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    assert f'<span class="money" dir="ltr">{raised}</span>' in page
    if lang == "ar":
        assert 'dir="rtl"' in page


def test_a_campaign_that_is_not_public_is_not_found(app, staff):
    member = staff("treasurer-1", ["treasurer"])
    slug = _campaign_with_spending(app, member.id)
    with app.app_context():
        db.session.scalar(select(Campaign)).public = False
        db.session.commit()
    assert app.test_client().get(f"/campaigns/{slug}").status_code == 404
    assert app.test_client().get("/campaigns/nope").status_code == 404


def test_reports_download_as_csv_without_formulas(app, signed_in):
    client = signed_in("treasurer")
    with open_books(app):
        give(1250, counterparty_kind="donor", counterparty="donor-17")
    for url in ("/ledger/reports/balances?format=csv", "/ledger/reports/monthly?format=csv",
                "/ledger/reports/receivables?format=csv"):
        r = client.get(url)
        assert r.status_code == 200 and r.mimetype == "text/csv", url
        assert "attachment" in r.headers["Content-Disposition"]
    assert "12.50" in client.get("/ledger/reports/balances?format=csv").get_data(as_text=True)


def test_a_treasurer_lands_on_the_books_after_signing_in(app, staff):
    from tests.support.staff import sign_in

    r = sign_in(app.test_client(), staff("treasurer-1", ["treasurer"]))
    assert r.status_code == 302 and r.headers["Location"].endswith("/ledger/")


def test_the_balances_page_shows_the_books_as_of_the_date_asked(app, signed_in):
    """A receipt entered late, dated before the other: the balance on a day between counts
    only what had happened by then, on the page and in its download."""
    import csv
    import io

    from tests.support.ledger import leg, seal

    client = signed_in("treasurer")
    today = date.today()
    with open_books(app):
        seal("donation", [leg("bank", "general", 3000), leg("donations", "general", -3000)],
             today)
        seal("donation", [leg("bank", "general", 1250), leg("donations", "general", -1250)],
             today - timedelta(days=10))
        bank = books.account_label(books.account_by_code("bank"))

    def bank_balance(query: str) -> str:
        text = client.get(f"/ledger/reports/balances?format=csv{query}").get_data(as_text=True)
        return next(r["balance"] for r in csv.DictReader(io.StringIO(text))
                    if r["kind"] == "account" and r["name"] == bank)

    assert bank_balance("") == "42.50"
    assert bank_balance(f"&on={today - timedelta(days=5)}") == "12.50"
    assert bank_balance(f"&on={today - timedelta(days=11)}") == "0.00"
    page = client.get(f"/ledger/reports/balances?on={today - timedelta(days=5)}")
    assert page.status_code == 200 and "12.50" in page.get_data(as_text=True)
    assert "42.50" not in page.get_data(as_text=True)
