"""`flask aid ...` commands: first admin, staff accounts, the demo network."""
from __future__ import annotations

import random
import secrets

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from aid.extensions import db
from aid.models import Depot, Household, User
from aid.models.people import ROLES

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
    @click.option("--households", default=24, show_default=True)
    @click.option("--seed", default=7, show_default=True)
    def demo(households: int, seed: int) -> None:
        """Fill an empty database with a fictional network and print demo logins."""
        if db.session.scalar(select(func.count(Household.id))) or db.session.scalar(
                select(func.count(User.id))):
            raise click.ClickException("The database is not empty; demo data goes only into "
                                       "an empty one.")
        _demo(households, seed)

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


def _demo(count: int, seed: int) -> None:
    from aid.auth.service import create_user
    from aid.i18n import LANGUAGES
    from aid.intake.service import submit, zip_area

    rng = random.Random(seed)
    langs = [code for code in LANGUAGES]
    for i in range(count):
        zip5 = rng.choice(DEMO_ZIPS)
        kinds = rng.sample(["groceries", "translation", "court"], k=rng.choice([1, 1, 2]))
        submit({
            "name": f"Demo household {i + 1}",
            "contact_method": "sms",
            "contact_handle": f"555-01{i % 100:02d}",
            "language": rng.choice(langs),
            "street": f"{100 + i * 7} {rng.choice(DEMO_STREETS)}",
            "unit": "", "city": DEMO_CITY, "zip": zip5,
            "safety_notes": "", "code_word": f"demo word {i + 1}",
            "kinds": kinds,
            "details": {"groceries": {"household_size": str(rng.randint(1, 7)),
                                      "delivery_days": ["mon", "wed"],
                                      "delivery_times": ["morning"], "dropoff": "door"}},
        })
    _, lat, lon = zip_area("55404")
    db.session.add(Depot(name="Demo food pantry", zip="55404", lat=lat, lon=lon))
    db.session.commit()
    click.echo(f"Demo network: {count} fictional households in {DEMO_CITY}, one depot.")
    click.echo("Demo logins (for trying the app only):")
    accounts = [("demo-admin", ["admin", "dispatcher"]), ("demo-dispatcher", ["dispatcher"]),
                ("demo-treasurer", ["treasurer"])]
    accounts += [(f"demo-volunteer-{n}", ["volunteer"]) for n in range(1, 6)]
    for handle, roles in accounts:
        password = secrets.token_urlsafe(12)
        _user, secret = create_user(handle, password, roles)
        extra = f"  TOTP secret {secret}" if secret else ""
        click.echo(f"  {handle:20} password {password}{extra}")
