"""Error pages: short, translated, with no trace, SQL or version in them."""
from __future__ import annotations

import traceback

from flask import Flask, current_app, make_response, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from aid.extensions import db
from aid.workflow import DomainError

MESSAGES = {
    400: (_l("Something went wrong with what you sent"),
          _l("Please go back and try again.")),
    403: (_l("You cannot open this page"),
          _l("Your account does not have access to it.")),
    404: (_l("Page not found"),
          _l("Check the link, or go back to the start.")),
    405: (_l("That did not work"),
          _l("Please go back and try again.")),
    413: (_l("That was too much text"),
          _l("Please shorten your answers and try again.")),
    429: (_l("Too many tries"),
          _l("Please wait a few minutes and try again.")),
    500: (_l("Sorry, something went wrong on our side"),
          _l("Nothing you sent was lost or shown to anyone. Please try again in a moment.")),
}


def _retry_after() -> int:
    """Seconds until the limit that refused this request lets the client in again."""
    import time

    from aid.extensions import limiter

    limit = getattr(limiter, "current_limit", None)
    reset = getattr(limit, "reset_at", None)
    return max(1, int(reset - time.time()) + 1) if reset else 60


def _page(code: int):
    title, body = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", title=title, body=body, code=code), code


def domain_error_page(err: DomainError):
    """The one place a refused action becomes a page: 409 or 422, translated, a way back."""
    back = err.back
    if back is None:  # the blueprint's own way onward, if it names one
        endpoint_label = getattr(current_app.blueprints.get(request.blueprint), "back_to", None)
        back = (url_for(endpoint_label[0]), endpoint_label[1]) if endpoint_label else (
            None, None)
    return render_template("errors/error.html", title=_l("There is a problem"),
                           body=err.message, code=err.status, alert=True,
                           back_url=back[0], back_label=back[1]), err.status


def install(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_err):
        title = _l("This form has expired")
        body = _l("For your safety, forms expire. Nothing was saved. Please go back, reload "
                  "the page and send it again.")
        return render_template("errors/error.html", title=title, body=body, code=400), 400

    @app.errorhandler(DomainError)
    def _domain(err):
        db.session.rollback()  # the workflow already did; a view-level step may not have
        return domain_error_page(err)

    @app.errorhandler(SecurityError)
    def _untrusted_host(_err):
        # No URL can be built for a Host we do not serve: a page that links nowhere.
        return ("<!doctype html><title>400</title><h1>400</h1>", 400,
                {"Content-Type": "text/html; charset=utf-8"})

    @app.errorhandler(HTTPException)
    def _http(err):
        response = make_response(_page(err.code or 500))
        # Keep what the error itself must say, such as a 405's Allow; our page is the body.
        for name, value in err.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        if err.code == 429:
            response.headers["Retry-After"] = str(_retry_after())
        return response

    @app.errorhandler(Exception)
    def _unexpected(err):
        # Frames only: an exception's message can quote SQL parameters or user input.
        where = "".join(traceback.format_tb(err.__traceback__, limit=-3))
        app.logger.error("unexpected error %s at\n%s", type(err).__name__, where)
        return _page(500)
