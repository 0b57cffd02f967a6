"""Pages that belong to no role: home, health check, quick exit; shared template context."""
from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import text

from aid import clock, vocabulary
from aid.extensions import db
from aid.i18n import LANGUAGES, RTL, current_language, html_lang, text_direction

bp = Blueprint("main", __name__)

STAFF_PLACES = (
    ("dispatcher", "dispatch.triage", _l("Requests")),
    ("admin", "dispatch.triage", _l("Requests")),
    ("volunteer", "volunteers.board", _l("Task board")),
    ("volunteer", "volunteers.mine", _l("My tasks")),
    ("volunteer", "volunteers.profile", _l("My profile")),
    ("treasurer", "ledger.home", _l("The books")),
    ("admin", "ledger.home", _l("The books")),
)


@bp.get("/")
def index():
    return render_template("main/index.html")


@bp.get("/home")
@login_required
def home():
    """A signed-in person's start when their role has no page of its own yet: who they are
    and what they can open."""
    places = [(endpoint, label) for role, endpoint, label in STAFF_PLACES
              if current_user.has_role(role) and endpoint in current_app.view_functions]
    return render_template("main/home.html", places=places)


@bp.get("/healthz")
def healthz():
    from aid import __version__

    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        database = "unavailable"
    body = {"status": "ok" if database == "ok" else "degraded", "database": database,
            "version": __version__}
    return jsonify(body), 200 if database == "ok" else 503


@bp.get("/exit")
def quick_exit():
    """Leave quickly: a blank, neutral page, and the browser is told to forget this site."""
    response = make_response(render_template("main/exit.html"))
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


def bdi(value) -> Markup:
    """Isolate a value a person typed, so its direction cannot reorder the page around it."""
    return Markup("<bdi>%s</bdi>") % value


def choice_label(code: str):
    """The label of a stored choice code, or the value itself when it is free text."""
    return vocabulary.CHOICE_LABELS.get(code, code)


def install_context(app: Flask) -> None:
    app.add_template_filter(bdi)
    app.add_template_filter(choice_label)
    app.add_template_filter(clock.hhmm)
    app.add_template_filter(vocabulary.match_reason)
    from aid.dayplan import read as plans  # the plans' times and distances, in every page

    app.add_template_filter(clock.at)
    app.add_template_filter(plans.km, "km")
    app.add_template_filter(plans.hours, "hours")
    from aid.dayplan.svgmap import swatch

    app.add_template_global(swatch)

    @app.context_processor
    def _context():
        lang = current_language()
        return {
            "languages": LANGUAGES,
            "ui_lang": lang,
            "html_lang": html_lang(lang),
            "text_dir": text_direction(lang),
            "rtl_languages": RTL,
            "current_path": request.path,
            "vocab": vocabulary,
        }
