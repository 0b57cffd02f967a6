"""Error pages: short, translated, with no trace, SQL or version in them."""
from __future__ import annotations

import traceback

from flask import Flask, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def _page(code: int):
    title, body = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", title=title, body=body, code=code), code


def install(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_err):
        title = _l("This form has expired")
        body = _l("For your safety, forms expire. Nothing was saved. Please go back, reload "
                  "the page and send it again.")
        return render_template("errors/error.html", title=title, body=body, code=400), 400

    @app.errorhandler(HTTPException)
    def _http(err):
        response = make_response(_page(err.code or 500))
        # Keep what the error itself must say, such as a 405's Allow; our page is the body.
        for name, value in err.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(err):
        # Frames only: an exception's message can quote SQL parameters or user input.
        where = "".join(traceback.format_tb(err.__traceback__, limit=-3))
        app.logger.error("unexpected error %s at\n%s", type(err).__name__, where)
        return _page(500)
