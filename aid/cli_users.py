"""`flask aid users ...`: list staff accounts, pause and resume them, clear a wait after wrong
sign-ins, reset a password, enrol TOTP again. Output names handles and roles, nothing else."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from aid.extensions import db
from aid.models import User

MIN_PASSWORD = 12

users = AppGroup("users", help="Staff accounts: list, pause, resume, unlock, reset.")


def _user(handle: str) -> User:
    from aid.accounts import find

    user = find(handle)
    if user is None:
        raise click.ClickException(f"No account with the handle {handle!r}.")
    return user


@users.command("list")
def list_users() -> None:
    """Every account: handle, roles, whether it is active or waiting after wrong sign-ins."""
    from aid.models._types import utcnow

    now = utcnow()
    for user in db.session.scalars(select(User).order_by(User.handle)):
        state = "active" if user.active else "paused"
        if user.backoff_until and user.backoff_until > now:
            state += ", waiting after wrong sign-ins"
        totp = "TOTP" if user.totp_secret else "no TOTP"
        click.echo(f"{user.handle:24} {user.roles:32} {state} ({totp})")


@users.command("pause")
@click.argument("handle")
def pause(handle: str) -> None:
    """Pause an account: it cannot sign in, and its sessions end now."""
    from aid import accounts

    accounts.pause(_user(handle))
    click.echo(f"Paused {handle}; its sessions have ended.")


@users.command("resume")
@click.argument("handle")
def resume(handle: str) -> None:
    from aid import accounts

    accounts.resume(_user(handle))
    click.echo(f"{handle} can sign in again.")


@users.command("unlock")
@click.argument("handle")
def unlock(handle: str) -> None:
    """Clear the wait that wrong sign-ins put on an account."""
    from aid import accounts

    accounts.unlock(_user(handle))
    click.echo(f"Cleared the wait on {handle}.")


@users.command("reset-password")
@click.argument("handle")
@click.password_option(help=f"At least {MIN_PASSWORD} characters.")
def reset_password(handle: str, password: str) -> None:
    from aid import accounts

    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"Use a password of at least {MIN_PASSWORD} characters.")
    accounts.reset_password(_user(handle), password)
    click.echo(f"New password set for {handle}; its sessions have ended.")


@users.command("reset-totp")
@click.argument("handle")
def reset_totp(handle: str) -> None:
    """Enrol TOTP again (a lost phone): prints the new secret once."""
    from aid import accounts

    user = _user(handle)
    secret = accounts.reset_totp(user)
    click.echo(f"New TOTP for {handle}; the old codes no longer work. Add it to an app:")
    click.echo(f"  secret: {secret}")
    click.echo(f"  URI:    {accounts.provisioning_uri(user, secret)}")
