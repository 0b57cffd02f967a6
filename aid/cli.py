"""`flask aid ...` commands: first admin, staff accounts, the demo network."""
from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from aid import households
from aid.extensions import db
from aid.households import NewHousehold
from aid.ledger.commands import ledger as ledger_commands
from aid.ledger.demo import add_demo_books
from aid.models import Depot, Household, User
from aid.models.people import ROLES
from aid.vocabulary import KINDS
from aid.workflow import workflow

DEMO_CITY = "Minneapolis"
DEMO_ZIPS = ("55404", "55406", "55407", "55408", "55411", "55412", "55413", "55414",
             "55417", "55418")
DEMO_STREETS = ("Example Street", "Sample Avenue", "Placeholder Road", "Fictional Lane",
                "Demo Boulevard")


def register(app: Flask) -> None:
    group = AppGroup("aid", help="aid administration.")

    @group.command("create-admin")
    @click.option("--handle", prompt=True, help="The admin's handle (not a legal name).")
    @click.password_option(help="At least 12 characters.")
    def create_admin(handle: str, password: str) -> None:
        """Create the first admin and show the TOTP enrolment."""
        _create(handle, password, ["admin", "dispatcher"])

    @group.command("create-user")
    @click.option("--handle", required=True)
    @click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), required=True)
    @click.password_option()
    def create_user(handle: str, roles: tuple[str, ...], password: str) -> None:
        """Create a staff account with one or several roles."""
        _create(handle, password, list(roles))

    @group.command("demo")
    @click.option("--households", "households_count", default=24, show_default=True)
    @click.option("--seed", default=7, show_default=True)
    def demo(households_count: int, seed: int) -> None:
        """Fill an empty database with a fictional network and print demo logins."""
        if db.session.scalar(select(func.count(Household.id))) or db.session.scalar(
                select(func.count(User.id))):
            raise click.ClickException("The database is not empty; demo data goes only into "
                                       "an empty one.")
        logins = _demo(households_count, seed)
        click.echo(f"Demo network: {households_count} fictional households in {DEMO_CITY}, "
                   "one depot.")
        click.echo("Demo logins (for trying the app only):")
        for handle, _roles, password, secret in logins:
            extra = f"  TOTP secret {secret}" if secret else ""
            click.echo(f"  {handle:20} password {password}{extra}")

    @group.command("purge")
    def purge() -> None:
        """Delete households whose last request closed more than AID_RETENTION_DAYS ago."""
        from flask import current_app

        from aid.privacy import purge_expired

        n = purge_expired(current_app.config["AID_RETENTION_DAYS"])
        click.echo(f"Purged {n} household(s).")

    @group.command("emergency-purge")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def emergency(yes: bool) -> None:
        """Destroy every household key at once: all household data becomes unreadable."""
        from aid.privacy import emergency_purge

        if not yes:
            click.confirm("Destroy every household key now? This cannot be undone", abort=True)
        n = emergency_purge()
        click.echo(f"Destroyed {n} household key(s).")

    group.add_command(ledger_commands)
    app.cli.add_command(group)


def _create(handle: str, password: str, roles: list[str]) -> None:
    from aid.auth.service import create_user, provisioning_uri

    if len(password) < 12:
        raise click.ClickException("Use a password of at least 12 characters.")
    if db.session.scalar(select(User).where(User.handle == handle)):
        raise click.ClickException("That handle is taken.")
    user, secret = create_user(handle, password, roles)
    click.echo(f"Created {handle} ({', '.join(roles)}).")
    if secret:
        click.echo("Add this account to an authenticator app (TOTP):")
        click.echo(f"  secret: {secret}")
        click.echo(f"  URI:    {provisioning_uri(user, secret)}")


@workflow
def _demo(count: int, seed: int) -> list[tuple[str, list[str], str, str | None]]:
    """A fictional network: households asking for each kind of help, a depot, staff."""
    from aid.auth.service import create_user
    from aid.i18n import LANGUAGES

    rng = random.Random(seed)
    langs = list(LANGUAGES)
    for i in range(count):
        kinds = rng.sample(sorted(KINDS), k=rng.choice([1, 1, 2]))
        households.create(NewHousehold(
            name=f"Demo household {i + 1}", contact_method="sms",
            contact_handle=f"555-01{i % 100:02d}", language=rng.choice(langs),
            street=f"{100 + i * 7} {rng.choice(DEMO_STREETS)}", city=DEMO_CITY,
            zip=rng.choice(DEMO_ZIPS), code_word=f"demo word {i + 1}",
            requests={kind: _demo_details(kind, rng) for kind in kinds}))
    _, lat, lon = households.zip_area("55404")
    db.session.add(Depot(name="Demo food pantry", zip="55404", lat=lat, lon=lon))
    accounts = [("demo-admin", ["admin", "dispatcher"]), ("demo-dispatcher", ["dispatcher"]),
                ("demo-treasurer", ["treasurer"])]
    accounts += [(f"demo-volunteer-{n}", ["volunteer"]) for n in range(1, 6)]
    logins = []
    for handle, roles in accounts:
        password = secrets.token_urlsafe(12)
        _user, secret = create_user(handle, password, roles)
        logins.append((handle, roles, password, secret))
    add_demo_books(rng)
    return logins


def _demo_details(kind: str, rng: random.Random) -> dict:
    """What the real form would store for each kind of help, with fictional values."""
    if kind == "groceries":
        return {"household_size": str(rng.randint(1, 7)), "delivery_days": ["mon", "wed"],
                "delivery_times": ["morning"], "dropoff": "door", "dietary": [],
                "dietary_notes": "", "supplies": []}
    soon = date.today() + timedelta(days=rng.randint(3, 20))
    if kind == "translation":
        return {"translation_languages": rng.choice(["Spanish", "Somali", "Arabic", "Dari"]),
                "translation_format": rng.choice(["document", "live"]),
                "translation_mode": rng.choice(["in_person", "phone"]),
                "translation_by": soon.isoformat()}
    return {"court_date": soon.isoformat(), "court_time": rng.choice(["08:30", "09:00", "13:30"]),
            "court_name": "Demo County Courthouse", "court_address": "1 Example Plaza",
            "court_language": "Spanish", "court_support": ""}
