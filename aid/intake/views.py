"""Household pages: HTTP in, service calls, pages out. Personal data only ever in POST bodies."""
from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request

from aid import clock, households, pagecache
from aid.extensions import limiter
from aid.forms import parse_date, parse_time
from aid.households import NewHousehold
from aid.i18n import current_language, use_language
from aid.intake import bp, service
from aid.intake.forms import RequestForm
from aid.tasks import holds

SUBMIT_LIMIT = "60 per hour;15 per minute"
# Every page that takes a status code draws on one budget per client: looking up, cancelling,
# deleting and re-showing the code together, so spreading guesses over them gains nothing.
status_budget = limiter.shared_limit("30 per hour;10 per minute", scope="status")


def new_household(form: RequestForm) -> NewHousehold:
    """The validated answers as the household domain takes them, each kind's details apart."""
    common = {name: form[name].data or "" for name in RequestForm.COMMON_FIELDS}
    requests = {}
    for kind in dict.fromkeys(form.kinds.data):
        d = {name: form[name].data for name in RequestForm.KIND_FIELDS[kind]}
        if kind == "translation" and d.get("translation_by"):
            d["translation_by"] = parse_date(d["translation_by"]).isoformat()
        if kind == "court":
            d["court_date"] = parse_date(d["court_date"]).isoformat()
            if d.get("court_time"):
                d["court_time"] = parse_time(d["court_time"])
        requests[kind] = d
    return NewHousehold(requests=requests, **common)


def _form_page(form: RequestForm, status: int = 200):
    return render_template("intake/form.html", form=form), status


@bp.get("/request")
def request_form():
    """The empty form: the same for every visitor in a language, so it is rendered once per
    language; each visitor gets their own CSRF token and submission nonce."""
    lang = current_language()

    def render(fresh: dict[str, str]) -> str:
        form = RequestForm(formdata=None, language=lang, submission=fresh["submission"])
        return render_template("intake/form.html", form=form)

    return pagecache.cached(("intake.request_form", lang), render,
                            {"submission": households.new_submission})


@bp.post("/request")
@limiter.limit(SUBMIT_LIMIT)
def request_submit():
    form = RequestForm(request.form)
    if form.extra_info_leave_blank.data:
        # A bot: it sees the usual page with a code that was never stored.
        return render_template("intake/done.html", code=households.new_status_code())
    if "lang" in request.form and "action" not in request.form \
            and request.form.get("step") != "review":
        return _form_page(form)  # only another language: the answers so far, no errors yet
    if not form.validate():
        return _form_page(form, 422)
    if request.form.get("action") == "edit":
        return _form_page(form)
    if request.form.get("action") != "confirm":
        return render_template("intake/review.html", form=form,
                               kinds=list(new_household(form).requests),
                               retention_days=current_app.config["AID_RETENTION_DAYS"])
    code = service.submit(new_household(form), request.form.get("submission"))
    current_app.logger.info("request submitted")
    return render_template("intake/done.html", code=code)


def _status_page(household):
    use_language(household.language)
    return render_template("intake/status.html", household=household, code=_typed_code(),
                           tasks=service.tasks_of(household), today=clock.today())


def _typed_code() -> str:
    return households.normalize_code(request.form.get("code", ""))


def _household():
    """The household for the status code in the form, or the not-found page.

    The code only ever travels in a POST body: never in a URL, a link or a Location header.
    A wrong and an unknown code get the same answer.
    """
    household = households.find_by_code(request.form.get("code", ""))
    if household is None:
        abort(make_response(render_template("intake/status_lookup.html", form_error=True), 404))
    return household


@bp.get("/status")
def status_lookup():
    return render_template("intake/status_lookup.html", form_error=False)


@bp.post("/status")
@status_budget
def status_post():
    return _status_page(_household())


@bp.post("/request/sent")
@status_budget
def request_sent():
    """The 'request sent' page again, in another language: its picker posts the code here."""
    _household()
    return render_template("intake/done.html", code=_typed_code())


@bp.post("/status/cancel")
@status_budget
def status_cancel():
    household = _household()
    try:
        request_id = int(request.form.get("request_id", ""))
    except ValueError:
        request_id = -1
    service.cancel(household, request_id)
    return _status_page(household)


@bp.post("/status/not-today")
@status_budget
def status_not_today():
    """The household cannot receive anyone today: today's tasks wait, their holders are told."""
    household = _household()
    holds.not_today(household)
    return _status_page(household)


@bp.post("/status/not-received")
@status_budget
def status_not_received():
    """The household says the delivery did not arrive: a dispatcher sees it."""
    household = _household()
    holds.not_received(household)
    return _status_page(household)


@bp.post("/status/delete")
@status_budget
def status_delete():
    household = _household()
    use_language(household.language)
    if request.form.get("confirm") != "yes":
        return render_template("intake/confirm_delete.html", code=_typed_code())
    service.delete(household)
    current_app.logger.info("household deleted its data")
    return render_template("intake/deleted.html")
