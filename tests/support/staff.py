"""Staff accounts for tests: a TOTP that never reuses a time step, sign-in as the form does."""
from __future__ import annotations

import time

import pyotp

from tests.support.http import post

PASSWORD = "correct horse battery staple"
COOKIE = "aid"
HOST = "aid.test"


class Staff:
    """A staff account for tests, with a TOTP that never reuses a time step."""

    def __init__(self, app, handle: str, roles: list[str]):
        from aid.accounts import create_user

        with app.app_context():
            user, self.secret = create_user(handle, PASSWORD, roles)
            self.id = user.id
        self.handle = handle
        self.roles = list(roles)
        self._step = 0

    def code(self) -> str:
        if not self.secret:
            return ""
        totp = pyotp.TOTP(self.secret)
        now = totp.timecode(time.time())
        # Each sign-in needs a step not used before. Never the previous step: a 30-second
        # boundary passing during the (slow, scrypt) request would make it stale.
        step = max(self._step + 1, now)
        if step > now + 1:
            raise RuntimeError("too many logins in one test window")
        self._step = step
        return totp.generate_otp(step)


def sign_in(client, member: Staff):
    """Sign a staff member in, the way the login form does."""
    return post(client, "/login", {"handle": member.handle, "password": PASSWORD,
                                   "code": member.code()}, url_csrf="/login")


def login_client(app, member: Staff):
    """A fresh browser, signed in as this staff member; `client.member` is who."""
    client = app.test_client()
    r = sign_in(client, member)
    assert r.status_code == 302, r.status_code
    client.member = member
    return client


def session_payload(app, client) -> dict:
    """Decode the Flask session cookie the way anyone holding the browser could."""
    cookie = client.get_cookie(COOKIE, domain=HOST)
    if cookie is None:
        return {}
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)
