"""The dispatcher side: triage of new requests (later: vetting, matching, routes, holds)."""
from flask import Blueprint

bp = Blueprint("dispatch", __name__, url_prefix="/dispatch")

from aid.dispatch import views  # noqa: E402,F401
