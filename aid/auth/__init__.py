"""Staff sign-in: handle, password and (for dispatchers, treasurers, admins) a TOTP code."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from aid.auth import views  # noqa: E402,F401
