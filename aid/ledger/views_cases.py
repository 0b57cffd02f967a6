"""Bail cases, campaigns (for the treasurer) and a campaign's public page (for anyone)."""
from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from aid.forms import parse_date
from aid.ledger import bail, books, campaigns, reports
from aid.ledger.forms import BailForm, CampaignForm, ForfeitForm, RefundForm
from aid.ledger.views import BOOKS, bp, chosen, fill, form_page, get_or_404
from aid.models import Account, BailCase, Campaign, Fund
from aid.security import roles_required


def csv_response(body: str, name: str):
    response = make_response(body)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/ledger/bail")
@roles_required(*BOOKS)
def cases():
    return render_template("ledger/bail.html", rows=bail.cases())


@bp.route("/ledger/bail/new", methods=["GET", "POST"])
@roles_required(*BOOKS)
def pay_bail():
    form = BailForm(request.form if request.method == "POST" else None)
    fill(form, from_account=books.accounts("asset"), fund=books.funds())
    if request.method == "GET":
        bail_fund = [f for f in books.funds() if f.code == "bail"]
        form.fund.data = str(bail_fund[0].id) if bail_fund else None
    if request.method == "GET" or not form.validate():
        return form_page(form, gettext("Pay bail or a bond"), url_for("ledger.pay_bail"),
                         422 if form.errors else 200)
    case = bail.pay(current_user.id, form.kind.data, form.amount.cents,
                    parse_date(form.occurred_on.data), chosen(Account, form.from_account),
                    chosen(Fund, form.fund), form.posted_by.data, form.receipt_holder.data,
                    form.pseudonym.data or None)
    return redirect(url_for("ledger.case", case_id=case.id))


def _case_page(case, refund=None, forfeit=None, status=200):
    refund = refund or RefundForm(formdata=None, prefix="refund")
    forfeit = forfeit or ForfeitForm(formdata=None, prefix="forfeit")
    fill(refund, to_account=books.accounts("asset"))
    return render_template("ledger/case.html", standing=bail.standing(case), refund=refund,
                           forfeit=forfeit), status


@bp.get("/ledger/bail/<int:case_id>")
@roles_required(*BOOKS)
def case(case_id: int):
    return _case_page(get_or_404(BailCase, case_id))


@bp.post("/ledger/bail/<int:case_id>/refund")
@roles_required(*BOOKS)
def refund(case_id: int):
    found = get_or_404(BailCase, case_id)
    form = RefundForm(request.form, prefix="refund")
    fill(form, to_account=books.accounts("asset"))
    if not form.validate():
        return _case_page(found, refund=form, status=422)
    bail.refund(current_user.id, found, form.amount.cents, parse_date(form.occurred_on.data),
                chosen(Account, form.to_account), form.refunded_to.data)
    return redirect(url_for("ledger.case", case_id=case_id))


@bp.post("/ledger/bail/<int:case_id>/forfeit")
@roles_required(*BOOKS)
def forfeit(case_id: int):
    found = get_or_404(BailCase, case_id)
    form = ForfeitForm(request.form, prefix="forfeit")
    if not form.validate():
        return _case_page(found, forfeit=form, status=422)
    bail.forfeit(current_user.id, found, form.amount.cents, parse_date(form.occurred_on.data))
    return redirect(url_for("ledger.case", case_id=case_id))


@bp.get("/ledger/campaigns")
@roles_required(*BOOKS)
def campaign_list():
    return render_template("ledger/campaigns.html",
                           rows=[campaigns.progress(c) for c in campaigns.all_campaigns()])


@bp.route("/ledger/campaigns/new", methods=["GET", "POST"])
@roles_required(*BOOKS)
def new_campaign():
    form = CampaignForm(request.form if request.method == "POST" else None)
    fill(form, fund=books.funds())
    if request.method == "GET" or not form.validate():
        return form_page(form, gettext("New campaign"), url_for("ledger.new_campaign"),
                         422 if form.errors else 200)
    found = campaigns.create(current_user.id, form.title.data, form.goal.cents,
                             parse_date(form.starts_on.data), parse_date(form.ends_on.data),
                             chosen(Fund, form.fund), form.public.data)
    return redirect(url_for("ledger.campaign", campaign_id=found.id))


@bp.get("/ledger/campaigns/<int:campaign_id>")
@roles_required(*BOOKS)
def campaign(campaign_id: int):
    progress = campaigns.progress(get_or_404(Campaign, campaign_id))
    if request.args.get("format") == "csv":
        return csv_response(reports.campaign_csv(progress), f"campaign-{campaign_id}")
    return render_template("ledger/campaign.html", progress=progress,
                           public=campaigns.public_spending(progress))


@bp.post("/ledger/campaigns/<int:campaign_id>/publish")
@roles_required(*BOOKS)
def publish(campaign_id: int):
    campaigns.set_public(current_user.id, get_or_404(Campaign, campaign_id),
                         request.form.get("public") == "1")
    return redirect(url_for("ledger.campaign", campaign_id=campaign_id))


@bp.get("/campaigns/<slug>")
def public_campaign(slug: str):
    """Open to anyone: raised against the goal and spending by category, never a name."""
    found = campaigns.by_slug(slug[:40])
    if found is None or not found.public:
        abort(404)
    progress = campaigns.progress(found)
    return render_template("ledger/public_campaign.html", progress=progress,
                           spending=campaigns.public_spending(progress))
