"""The books' screens for money in and out: only treasurers and admins. One endpoint per
action; refusals come back as the form with its messages, or as aid.errors' 409/422 page."""
from __future__ import annotations

import secrets
from datetime import date

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from aid.extensions import csrf, db
from aid.forms import parse_date
from aid.ledger import books, bp, money, receipts, reports, settings
from aid.ledger.amounts import money as format_money
from aid.ledger.forms import DisbursementForm, DonationForm, TransferForm
from aid.models import Account, Campaign, Disbursement, Fund, Receipt
from aid.models import Transaction as Txn
from aid.security import roles_required

BOOKS = ("treasurer", "admin")
MAX_ID = 2**31 - 1
PAGE = 50
UPLOAD_LIMIT = receipts.MAX_BYTES + 64 * 1024


def shown_money(cents: int, code: str | None = None) -> Markup:
    """Money on a page, kept left to right: in Arabic, '2,500.00 US$' and not '$US 2,500.00'."""
    return Markup('<span class="money" dir="ltr">%s</span>') % format_money(cents, code)


@bp.context_processor
def _helpers():
    return {"money": shown_money, "fund_label": books.fund_label,
            "account_label": books.account_label}


def get_or_404(model, ident):
    if isinstance(ident, int) and ident > MAX_ID:
        abort(404)
    found = db.session.get(model, ident)
    if found is None:
        abort(404)
    return found


def chosen(model, field):
    """The row a select chose (by id), or None: the service says why that is refused."""
    try:
        return db.session.get(model, int(field.data)) if field.data else None
    except (TypeError, ValueError):
        return None


def fill(form, **groups) -> None:
    """Fill select fields from the books: field name -> rows (accounts, funds, campaigns)."""
    for name, rows in groups.items():
        field = form[name]
        optional = [("", "-")] if name == "campaign" else []
        field.choices = optional + [(str(r.id), label(r)) for r in rows]


def label(row) -> str:
    if isinstance(row, Fund):
        return books.fund_label(row)
    if isinstance(row, Account):
        return books.account_label(row)
    return row.title


def form_page(form, title, action, status=200, **extra):
    return render_template("ledger/form.html", form=form, title=title, action=action,
                           **extra), status


def upload(name: str) -> bytes | None:
    """A file field's bytes (the request may be up to the receipt limit), or None."""
    file = request.files.get(name)
    return file.read(UPLOAD_LIMIT) if file and file.filename else None


def allow_upload() -> None:
    """Uploads get a larger body than other forms; CSRF is checked once the limit is set."""
    request.max_content_length = UPLOAD_LIMIT
    csrf.protect()


@bp.get("/ledger/")
@roles_required(*BOOKS)
def home():
    if not books.has_chart():
        return render_template("ledger/setup.html")
    recent = list(db.session.scalars(select(Txn).order_by(Txn.id.desc()).limit(10)))
    return render_template("ledger/home.html", funds=reports.fund_rows(), recent=recent,
                           pending=len(money.pending()))


@bp.post("/ledger/setup")
@roles_required(*BOOKS)
def setup():
    books.set_up_chart(current_user.id)
    return redirect(url_for("ledger.home"))


@bp.get("/ledger/transactions")
@roles_required(*BOOKS)
def transactions():
    before = request.args.get("before", type=int)
    stmt = select(Txn).order_by(Txn.id.desc()).limit(PAGE)
    if before:
        stmt = stmt.where(Txn.id < before)
    rows = list(db.session.scalars(stmt))
    return render_template("ledger/transactions.html", rows=rows,
                           more=rows[-1].id if len(rows) == PAGE else None)


@bp.get("/ledger/transactions/<int:txn_id>")
@roles_required(*BOOKS)
def transaction(txn_id: int):
    txn = get_or_404(Txn, txn_id)
    payment = db.session.get(Disbursement, txn.disbursement_id) if txn.disbursement_id else None
    return render_template("ledger/transaction.html", txn=txn, payment=payment,
                           reversal=money.reversal_of(txn), thanked=money.thanked(txn),
                           accounts={a.id: a for a in books.accounts(open_only=False)},
                           funds={f.id: f for f in books.funds(open_only=False)})


@bp.post("/ledger/transactions/<int:txn_id>/reverse")
@roles_required(*BOOKS)
def reverse(txn_id: int):
    txn = get_or_404(Txn, txn_id)
    fix = money.reverse(current_user.id, txn, parse_date(request.form.get("occurred_on", ""))
                        or date.today())
    return redirect(url_for("ledger.transaction", txn_id=fix.id))


@bp.post("/ledger/transactions/<int:txn_id>/thank")
@roles_required(*BOOKS)
def thank(txn_id: int):
    money.thank(current_user.id, get_or_404(Txn, txn_id))
    return redirect(url_for("ledger.transaction", txn_id=txn_id))


def _donation_form(form):
    fill(form, account=books.accounts("asset"), fund=books.funds(), campaign=settings.campaigns())
    return form


@bp.route("/ledger/donations/new", methods=["GET", "POST"])
@roles_required(*BOOKS)
def donation():
    if request.method == "GET":
        form = _donation_form(DonationForm(formdata=None, key=secrets.token_hex(12)))
        return form_page(form, gettext("Record a donation"), url_for("ledger.donation"))
    form = _donation_form(DonationForm(request.form))
    if not form.validate():
        return form_page(form, gettext("Record a donation"), url_for("ledger.donation"), 422)
    txn = money.record_donation(
        current_user.id, form.amount.cents, parse_date(form.occurred_on.data),
        chosen(Account, form.account), chosen(Fund, form.fund), chosen(Campaign, form.campaign),
        form.donor.data or None, f"form:{form.key.data}"[:80] if form.key.data else None)
    return redirect(url_for("ledger.transaction", txn_id=txn.id))


def _disbursement_form(form):
    fill(form, category=books.accounts("expense"), from_account=books.accounts("asset"),
         fund=books.funds())
    return form


@bp.route("/ledger/disbursements/new", methods=["GET", "POST"])
@csrf.exempt  # checked in the view, after the upload limit is raised
@roles_required(*BOOKS)
def disbursement():
    action = url_for("ledger.disbursement")
    if request.method == "GET":
        form = _disbursement_form(DisbursementForm(formdata=None))
        return form_page(form, gettext("Pay out money"), action, upload=True,
                         threshold=format_money(money.approval_threshold()))
    allow_upload()
    form = _disbursement_form(DisbursementForm(request.form))
    if not form.validate():
        return form_page(form, gettext("Pay out money"), action, 422, upload=True,
                         threshold=format_money(money.approval_threshold()))
    data = upload("receipt")
    receipt_id = receipts.store(current_user.id, data).id if data else None
    d = money.request_disbursement(
        current_user.id, form.payee_kind.data, form.payee.data, chosen(Account, form.category),
        chosen(Account, form.from_account), chosen(Fund, form.fund), form.amount.cents,
        parse_date(form.occurred_on.data), receipt_id)
    if money.status(d) == "pending":
        return redirect(url_for("ledger.approvals"))
    paid = db.session.scalar(select(Txn.id).where(Txn.disbursement_id == d.id))
    return redirect(url_for("ledger.transaction", txn_id=paid))


@bp.get("/ledger/approvals")
@roles_required(*BOOKS)
def approvals():
    return render_template("ledger/approvals.html", rows=money.pending())


@bp.post("/ledger/disbursements/<int:disbursement_id>/approve")
@roles_required(*BOOKS)
def approve(disbursement_id: int):
    txn = money.approve(current_user.id, get_or_404(Disbursement, disbursement_id))
    return redirect(url_for("ledger.transaction", txn_id=txn.id))


@bp.post("/ledger/disbursements/<int:disbursement_id>/reject")
@roles_required(*BOOKS)
def reject(disbursement_id: int):
    money.reject(current_user.id, get_or_404(Disbursement, disbursement_id))
    return redirect(url_for("ledger.approvals"))


@bp.route("/ledger/transfers/new", methods=["GET", "POST"])
@roles_required(*BOOKS)
def transfer():
    form = TransferForm(request.form if request.method == "POST" else None)
    fill(form, from_account=books.accounts("asset"), to_account=books.accounts("asset"),
         from_fund=books.funds(), to_fund=books.funds())
    if request.method == "GET" or not form.validate():
        return form_page(form, gettext("Move money between accounts or funds"),
                         url_for("ledger.transfer"), 422 if form.errors else 200)
    txn = money.transfer(current_user.id, form.amount.cents, parse_date(form.occurred_on.data),
                         chosen(Account, form.from_account), chosen(Fund, form.from_fund),
                         chosen(Account, form.to_account), chosen(Fund, form.to_fund))
    return redirect(url_for("ledger.transaction", txn_id=txn.id))


@bp.get("/ledger/receipts/<receipt_id>")
@roles_required(*BOOKS)
def receipt(receipt_id: str):
    found = get_or_404(Receipt, receipt_id[:32])
    response = make_response(receipts.open_receipt(current_user.id, found))
    response.headers["Content-Type"] = found.content_type
    response.headers["Cache-Control"] = "no-store"
    inline = "inline" if found.content_type.startswith("image/") else "attachment"
    response.headers["Content-Disposition"] = f'{inline}; filename="receipt-{found.id[:8]}"'
    return response


from aid.ledger import views_cases, views_reports  # noqa: E402,F401
