"""Forms as a browser sends them: with the page's CSRF token."""
from __future__ import annotations

import re

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/request") -> str:
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def post(client, url: str, data: dict, url_csrf: str = "/request", **kw):
    """POST a form the way a browser would: with the page's CSRF token."""
    data = dict(data)
    data.setdefault("csrf_token", csrf_token(client, url_csrf))
    return client.post(url, data=data, **kw)
