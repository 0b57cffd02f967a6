"""Pages that are the same for everyone who is not signed in, rendered once per language.

The household form is the page most people open, often on a slow phone over a busy network;
it is the same for every visitor but for the CSRF token and the form's one-time nonce. It is
rendered once per language with marks in their place, and each request fills in its own.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf


def _mark(name: str) -> str:
    return f"__aid_fresh_{name}__"


def cached(key: tuple, render: Callable[[dict[str, str]], str],
           fresh: dict[str, Callable[[], str]]) -> str | bytes:
    """The page for `key`: `render(values)` puts each fresh value where it belongs, and every
    request gets its own CSRF token and its own value from each function in `fresh`.

    The cached page is kept as UTF-8 pieces between the marks, so a request only joins its
    fresh values in (no search through the page, no encoding of it).

    Signed-in people are never served from the cache (their pages say who they are). Nobody
    is signed in without Flask-Login's mark in their session (aid sets no remember-me
    cookie), so a visitor without it is not looked up at all.
    """
    maybe_signed_in = "_user_id" in session and current_user.is_authenticated
    if maybe_signed_in or not current_app.config.get("AID_PAGE_CACHE", True):
        return render({name: make() for name, make in fresh.items()})
    store = current_app.extensions.setdefault("aid_page_cache", {})
    pieces = store.get(key)
    if pieces is None:
        html = render({name: _mark(name) for name in fresh}).replace(generate_csrf(),
                                                                     _mark("csrf"))
        pieces = store[key] = _split(html, ["csrf", *fresh])
    makers = {"csrf": generate_csrf, **fresh}
    return b"".join(makers[part]().encode() if isinstance(part, str) else part
                    for part in pieces)


def _split(html: str, names: list[str]) -> list[bytes | str]:
    """The page as UTF-8 pieces with the names of the fresh values between them."""
    named = {_mark(name): name for name in names}
    pattern = re.compile("|".join(map(re.escape, named)))
    pieces: list[bytes | str] = []
    end = 0
    for found in pattern.finditer(html):
        pieces += [html[end:found.start()].encode(), named[found.group(0)]]
        end = found.end()
    pieces.append(html[end:].encode())
    return pieces
