"""Links to this app to hand to people (invitations, announcements), from a page or the CLI.

In a request the link uses the host the request came to (AID_HOSTS lets only ours through);
from the command line it uses AID_PUBLIC_URL, the address people reach the app at.
"""
from __future__ import annotations

from flask import current_app, has_request_context, url_for


def public_url(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["AID_PUBLIC_URL"].rstrip("/")
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path
