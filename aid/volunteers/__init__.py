"""The volunteer side: joining by invitation, the profile, the task board, claims, my tasks."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("volunteers", __name__)
bp.back_to = ("volunteers.board", _l("Back to the task board"))  # where a refusal leads

from aid.volunteers import join_views, route_views, views  # noqa: E402,F401
