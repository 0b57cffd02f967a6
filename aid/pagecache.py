"""Pages that are the same for everyone who is not signed in, rendered once per language.

The household form is the page most people open, often on a slow phone over a busy network;
it is the same for every visitor but for the CSRF token and the form's one-time nonce. It is
rendered once per language with marks in their place, and each request fills in its own.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf


def _mark(name: str) -> str:
    return f"__aid_fresh_{name}__"


def cached(key: tuple, render: Callable[[dict[str, str]], str],
           fresh: dict[str, Callable[[], str]]) -> str:
    """The page for `key`: `render(values)` puts each fresh value where it belongs, and every
    request gets its own CSRF token and its own value from each function in `fresh`.

    Signed-in people are never served from the cache (their pages say who they are). Nobody
    is signed in without Flask-Login's mark in their session (aid sets no remember-me
    cookie), so a visitor without it is not looked up at all.
    """
    maybe_signed_in = "_user_id" in session and current_user.is_authenticated
    if maybe_signed_in or not current_app.config.get("AID_PAGE_CACHE", True):
        return render({name: make() for name, make in fresh.items()})
    store = current_app.extensions.setdefault("aid_page_cache", {})
    template = store.get(key)
    if template is None:
        html = render({name: _mark(name) for name in fresh})
        template = store[key] = html.replace(generate_csrf(), _mark("csrf"))
    page = template.replace(_mark("csrf"), generate_csrf())
    for name, make in fresh.items():
        page = page.replace(_mark(name), make())
    return page
