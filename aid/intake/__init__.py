"""The household side: request form, review, status page. No accounts."""
from flask import Blueprint

bp = Blueprint("intake", __name__)

from aid.intake import views  # noqa: E402,F401
