"""The dispatcher's day plans: plan a day, follow the job, publish, print, re-plan, hold an
area. Dispatchers and admins only; the domain (aid.dayplan, aid.tasks.safety) does the work."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("plans", __name__, url_prefix="/dispatch/plans")
bp.back_to = ("plans.index", _l("Back to day plans"))  # where a refused action leads

ROLES = ("dispatcher", "admin")

from aid.plans import day_views, hold_views, publish_views  # noqa: E402,F401
