"""Reports (each also as CSV), the statement import, and the books' settings."""
from __future__ import annotations

from datetime import date

from flask import redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from aid.extensions import csrf
from aid.forms import parse_date
from aid.ledger import bail, books, imports, money, reports, settings
from aid.ledger.amounts import money as format_money
from aid.ledger.forms import AccountForm, FundForm, ImportForm, ThresholdForm
from aid.ledger.views import (
    BOOKS,
    allow_upload,
    bp,
    chosen,
    fill,
    form_page,
    get_or_404,
    upload,
)
from aid.ledger.views_cases import csv_response
from aid.models import Account, Campaign, Fund
from aid.security import roles_required


def _on() -> date | None:
    return parse_date(request.args.get("on", ""))


@bp.get("/ledger/reports/balances")
@roles_required(*BOOKS)
def balances():
    on = _on()
    if request.args.get("format") == "csv":
        return csv_response(reports.balances_csv(on), f"balances-{on or date.today()}")
    return render_template("ledger/balances.html", on=on, funds=reports.fund_rows(on),
                           accounts=reports.account_rows(on))


@bp.get("/ledger/reports/monthly")
@roles_required(*BOOKS)
def monthly():
    year = request.args.get("year", type=int) or date.today().year
    year = min(max(year, 2000), 2100)
    report = reports.monthly(year)
    if request.args.get("format") == "csv":
        return csv_response(reports.monthly_csv(report), f"monthly-{year}")
    return render_template("ledger/monthly.html", report=report)


@bp.get("/ledger/reports/receivables")
@roles_required(*BOOKS)
def receivables():
    on = _on()
    if request.args.get("format") == "csv":
        return csv_response(reports.receivables_csv(on), f"receivables-{on or date.today()}")
    return render_template("ledger/receivables.html", on=on, rows=bail.receivables(on),
                           today=on or date.today())


def _import_form(form):
    fill(form, account=books.accounts("asset"), fund=books.funds(),
         campaign=settings.campaigns())
    return form


@bp.route("/ledger/imports/new", methods=["GET", "POST"])
@csrf.exempt  # checked in the view, after the upload limit is raised
@roles_required(*BOOKS)
def import_statement():
    title, action = gettext("Import a statement"), url_for("ledger.import_statement")
    if request.method == "GET":
        return form_page(_import_form(ImportForm(formdata=None)), title, action, upload=True)
    allow_upload()
    form = _import_form(ImportForm(request.form))
    data = upload("file")
    if not form.validate() or data is None:
        if data is None:
            form.file.errors = [gettext("Choose the CSV file to import.")]
        return form_page(form, title, action, 422, upload=True)
    layout = imports.LAYOUTS.get(form.layout.data) or imports.Layout(
        form.date_column.data, form.amount_column.data, form.id_column.data or None)
    outcome = imports.run(current_user.id, data, form.layout.data, layout,
                          chosen(Account, form.account), chosen(Fund, form.fund),
                          form.closing.cents, chosen(Campaign, form.campaign))
    status = 422 if outcome.errors else 200
    return form_page(form, title, action, status, upload=True, outcome=outcome)


@bp.get("/ledger/settings")
@roles_required(*BOOKS)
def settings_page():
    threshold = ThresholdForm(formdata=None, amount=format_money(money.approval_threshold()))
    return render_template("ledger/settings.html", threshold=threshold, fund_form=FundForm(
        formdata=None), account_form=AccountForm(formdata=None),
        funds=books.funds(open_only=False), accounts=books.accounts(open_only=False))


def _settings_error(**forms):
    page = render_template("ledger/settings.html",
                           threshold=forms.get("threshold") or ThresholdForm(formdata=None),
                           fund_form=forms.get("fund_form") or FundForm(formdata=None),
                           account_form=forms.get("account_form") or AccountForm(formdata=None),
                           funds=books.funds(open_only=False),
                           accounts=books.accounts(open_only=False))
    return page, 422


@bp.post("/ledger/settings/threshold")
@roles_required(*BOOKS)
def threshold():
    form = ThresholdForm(request.form)
    if not form.validate():
        return _settings_error(threshold=form)
    money.set_approval_threshold(current_user.id, form.amount.cents)
    return redirect(url_for("ledger.settings_page"))


@bp.post("/ledger/funds")
@roles_required(*BOOKS)
def add_fund():
    form = FundForm(request.form)
    if not form.validate():
        return _settings_error(fund_form=form)
    settings.add_fund(current_user.id, form.name.data)
    return redirect(url_for("ledger.settings_page"))


@bp.post("/ledger/funds/<int:fund_id>")
@roles_required(*BOOKS)
def change_fund(fund_id: int):
    settings.change_fund(current_user.id, get_or_404(Fund, fund_id),
                         request.form.get("change", ""))
    return redirect(url_for("ledger.settings_page"))


@bp.post("/ledger/accounts")
@roles_required(*BOOKS)
def add_account():
    form = AccountForm(request.form)
    if not form.validate():
        return _settings_error(account_form=form)
    settings.add_account(current_user.id, form.name.data, form.type.data)
    return redirect(url_for("ledger.settings_page"))


@bp.post("/ledger/accounts/<int:account_id>/close")
@roles_required(*BOOKS)
def close_account(account_id: int):
    settings.close_account(current_user.id, get_or_404(Account, account_id))
    return redirect(url_for("ledger.settings_page"))
