"""Money in and out: donations counted once, two-person approval, reversals, funds that may
not go below zero, bail and bonds from payment to refund or forfeiture, typed amounts."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from aid.extensions import db
from aid.ledger import bail, books, chain, money
from aid.ledger.amounts import AmountError, parse_cents
from aid.models import Decision, Transaction
from aid.workflow import Conflict, Invalid
from tests.support.ledger import books as open_books
from tests.support.ledger import give

TODAY = date.today()


def _txns() -> int:
    return db.session.scalar(select(func.count(Transaction.id)))


@pytest.mark.parametrize("typed, cents", [
    ("12.50", 1250), ("12,50", 1250), ("12", 1200), ("$1,250.00", 125000), ("1.250,75", 125075),
    ("١٢٫٥٠", 1250), ("۱۲۰", 12000), (" 7.5 ", 750), ("0.05", 5),
])
def test_typed_amounts_become_cents(typed, cents):
    assert parse_cents(typed) == cents


@pytest.mark.parametrize("typed, reason", [
    ("12.505", "decimals"), ("1.250", "decimals"), ("-5", "negative"), ("abc", "format"),
    ("", "empty"), ("0", "zero"), ("12.5.0", "format"), ("1e5", "format"),
    ("99999999999999", "large"),
])
def test_doubtful_amounts_are_refused(typed, reason):
    with pytest.raises(AmountError, match=reason):
        parse_cents(typed)


def test_a_donation_with_the_same_key_counts_once(app, treasurer):
    with open_books(app):
        bank, general = books.account_by_code("bank"), books.fund_by_code("general")
        first = money.record_donation(treasurer.id, 2500, TODAY, bank, general,
                                      donor="donor-17", key="form:abc")
        again = money.record_donation(treasurer.id, 2500, TODAY, bank, general,
                                      donor="donor-17", key="form:abc")
        assert first.id == again.id and _txns() == 1
        assert books.fund_holding(general.id) == 2500


def test_a_donor_is_a_handle_never_a_name(app, treasurer):
    with open_books(app):
        with pytest.raises(Invalid, match="handle"):
            money.record_donation(treasurer.id, 2500, TODAY, books.account_by_code("bank"),
                                  books.fund_by_code("general"), donor="Maria Example")
        assert _txns() == 0


def test_a_fund_cannot_go_below_zero_unless_allowed(app, treasurer):
    with open_books(app):
        give(1000, "groceries")
        groceries = books.fund_by_code("groceries")
        pay = lambda: money.request_disbursement(  # noqa: E731
            treasurer.id, "vendor", "STORE-1", books.account_by_code("groceries"),
            books.account_by_code("bank"), groceries, 1500, TODAY)
        with pytest.raises(Invalid, match="fund_short"):
            pay()
        assert _txns() == 1
        groceries.allow_negative = True
        db.session.commit()
        pay()
        assert books.fund_holding(groceries.id) == -500


def test_above_the_threshold_a_second_treasurer_approves(app, treasurer, second_treasurer):
    with open_books(app):
        give(100_000, "rent")
        d = money.request_disbursement(treasurer.id, "vendor", "LANDLORD-3",
                                       books.account_by_code("rent"),
                                       books.account_by_code("bank"), books.fund_by_code("rent"),
                                       60_000, TODAY)
        assert money.status(d) == "pending" and _txns() == 1
        with pytest.raises(Invalid, match="own"):
            money.approve(treasurer.id, d)
        assert _txns() == 1 and db.session.get(Decision, d.id) is None
        money.approve(second_treasurer.id, d)
        assert money.status(d) == "paid" and _txns() == 2
        with pytest.raises(Conflict):
            money.approve(second_treasurer.id, d)
        assert _txns() == 2


def test_below_the_threshold_a_payment_is_made_at_once(app, treasurer):
    with open_books(app):
        give(10_000, "groceries")
        d = money.request_disbursement(treasurer.id, "household", "HH-4F2A",
                                       books.account_by_code("groceries"),
                                       books.account_by_code("bank"),
                                       books.fund_by_code("groceries"), 4000, TODAY)
        assert money.status(d) == "paid" and _txns() == 2
        assert money.pending() == []


def test_paying_a_volunteer_back_needs_a_receipt(app, treasurer):
    with open_books(app):
        give(10_000)
        with pytest.raises(Invalid, match="receipt"):
            money.request_disbursement(treasurer.id, "volunteer", "vol-12",
                                       books.account_by_code("transport"),
                                       books.account_by_code("cash"),
                                       books.fund_by_code("general"), 1200, TODAY)


def test_a_correction_reverses_and_both_stay_visible(app, treasurer):
    with open_books(app):
        original = give(5000)
        fix = money.reverse(treasurer.id, original, TODAY)
        assert fix.reverses_id == original.id and _txns() == 2
        assert books.fund_holding(books.fund_by_code("general").id) == 0
        with pytest.raises(Invalid, match="reversal"):
            money.reverse(treasurer.id, fix, TODAY)
        with pytest.raises(Conflict, match="reversed"):
            money.reverse(treasurer.id, original, TODAY)
        assert _txns() == 2 and chain.verify().ok


def test_bail_is_paid_out_of_the_fund_and_comes_back_on_refund(app, treasurer):
    with open_books(app):
        give(300_000, "bail")
        bail_fund = books.fund_by_code("bail")
        case = bail.pay(treasurer.id, "bail", 150_000, TODAY - timedelta(days=40),
                        books.account_by_code("bank"), bail_fund, "vol-posted-1", "vol-3")
        assert case.pseudonym.startswith("CASE-")
        assert books.fund_holding(bail_fund.id) == 150_000
        assert [s.case.id for s in bail.receivables()] == [case.id]
        assert bail.receivables()[0].days_out() == 40
        with pytest.raises(Invalid, match="too_much"):
            bail.refund(treasurer.id, case, 150_001, TODAY, books.account_by_code("bank"),
                        "vol-posted-1")
        bail.refund(treasurer.id, case, 150_000, TODAY, books.account_by_code("bank"),
                    "vol-posted-1")
        assert books.fund_holding(bail_fund.id) == 300_000 and bail.receivables() == []


def test_a_bond_is_refunded_only_to_who_posted_it_and_a_forfeit_is_a_cost(app, treasurer):
    with open_books(app):
        give(900_000, "bail")
        fund = books.fund_by_code("bail")
        case = bail.pay(treasurer.id, "bond", 500_000, TODAY, books.account_by_code("bank"),
                        fund, "obligor-2", "vol-5", pseudonym="CASE-7Q3M")
        with pytest.raises(Invalid, match="obligor"):
            bail.refund(treasurer.id, case, 500_000, TODAY, books.account_by_code("bank"),
                        "someone-else")
        bail.forfeit(treasurer.id, case, 200_000, TODAY)
        standing = bail.standing(case)
        assert (standing.paid, standing.forfeited, standing.outstanding) == (
            500_000, 200_000, 300_000)
        spent = books.balances_by_account()[books.account_by_code("bail_forfeited").id]
        assert spent == 200_000
