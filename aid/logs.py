"""Logs that never hold a client address: the dev server's and gunicorn's included.

Request lines (an access log) are dropped; any other line has IPv4 and IPv6 addresses
replaced. The start-up lines (" * Running on http://127.0.0.1:5000") stay, since they name
the server's own address, which the person starting it needs to see.
"""
from __future__ import annotations

import logging
import re

from gunicorn import glogging

IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
REQUEST_LINE = re.compile(r"^\S+ - - \[[^\]]*\] ")  # werkzeug: 'ADDR - - [date] "GET / ..."'
OWN_ADDRESS = re.compile(r"Running on |Serving Flask app")


def _looks_like_ipv6(text: str) -> bool:
    # Times such as 15:10:42 have two colons and digits only.
    return "::" in text or text.count(":") >= 3 or any(c in "abcdefABCDEF" for c in text)


def redact(text: str) -> str:
    text = IPV4.sub("[address]", text)
    return IPV6.sub(lambda m: "[address]" if _looks_like_ipv6(m.group(0)) else m.group(0),
                    text)


class DropClientAddresses(logging.Filter):
    """Drop access-log lines; strip client addresses from every other line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if OWN_ADDRESS.search(message):
            return True
        if REQUEST_LINE.match(message) and record.levelno < logging.WARNING:
            return False
        cleaned = redact(REQUEST_LINE.sub("", message))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class GunicornLogger(glogging.Logger):
    """gunicorn's error log with addresses removed ("Invalid request from ip=...")."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(DropClientAddresses())


def install(app_logger: logging.Logger, level: str) -> None:
    """Our logs and the dev server's: no client address, start-up lines kept."""
    quiet = DropClientAddresses()
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.setLevel(logging.INFO)
    if quiet not in werkzeug.filters:
        werkzeug.filters[:] = [f for f in werkzeug.filters
                               if not isinstance(f, DropClientAddresses)] + [quiet]
    app_logger.filters[:] = [f for f in app_logger.filters
                             if not isinstance(f, DropClientAddresses)] + [quiet]
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    app_logger.setLevel(level)
