"""The dispatcher side: triage of new requests (later: vetting, matching, routes, holds)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("dispatch", __name__, url_prefix="/dispatch")
bp.back_to = ("dispatch.triage", _l("Back to requests"))  # where a refused action leads

from aid.dispatch import people_views, task_views, views  # noqa: E402,F401
