"""The treasurer's books: funds, donations, disbursements, bail, campaigns, imports, reports;
and each campaign's public page. Only treasurers and admins open the books."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("ledger", __name__)
bp.back_to = ("ledger.home", _l("Back to the books"))  # where a refused action leads

from aid.ledger import views  # noqa: E402,F401  (views_cases, views_reports come with it)
