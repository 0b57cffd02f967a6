"""`flask aid ...` commands: accounts, the demo network, purges, the job worker."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from aid.extensions import db
from aid.ledger.commands import ledger as ledger_commands
from aid.models import User
from aid.models.people import ROLES


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
    @click.option("--tier", type=click.IntRange(0, 2), default=None,
                  help="A volunteer's vetting tier: approved at once (0 new, 1 vetted, "
                       "2 trusted).")
    @click.password_option()
    def create_user(handle: str, roles: tuple[str, ...], tier: int | None,
                    password: str) -> None:
        """Create an account with one or several roles (volunteers approved at --tier)."""
        _create(handle, password, list(roles), tier)

    @group.command("invite")
    @click.option("--tier", type=click.IntRange(0, 2), default=None,
                  help="Pre-vet the newcomer to this tier; without it they wait for approval.")
    @click.option("--days", type=click.IntRange(1, 30), default=7, show_default=True)
    def invite(tier: int | None, days: int) -> None:
        """Print a single-use, expiring invitation link for one new volunteer."""
        from aid import members
        from aid.links import public_url

        token = members.create_invite(None, tier, days)
        click.echo(public_url("volunteers.join", token=token))

    @group.command("demo")
    @click.option("--households", "households_count", default=24, show_default=True)
    @click.option("--seed", default=7, show_default=True)
    def demo(households_count: int, seed: int) -> None:
        """Fill a database without households with a fictional network; print demo logins."""
        from aid import demo as demo_network
        from aid.workflow import DomainError

        try:
            logins = demo_network.fill(households_count, seed)
        except DomainError as err:
            raise click.ClickException(str(err.message)) from err
        click.echo(f"Demo network: {households_count} fictional households in "
                   f"{demo_network.DEMO_CITY}, two depots, drivers and deliveries over the "
                   "coming week: plan a day with `flask aid plan --date YYYY-MM-DD`.")
        click.echo("Demo logins (for trying the app only):")
        for handle, _roles, password, secret in logins:
            extra = f"  TOTP secret {secret}" if secret else ""
            click.echo(f"  {handle:20} password {password}{extra}")

    @group.command("plan")
    @click.option("--date", "day", required=True, help="The day to plan, YYYY-MM-DD.")
    @click.option("--time-limit", type=click.IntRange(1, 3600), default=30, show_default=True,
                  help="Seconds of search.")
    @click.option("--publish", is_flag=True, help="Publish the plan to the drivers at once.")
    def plan(day: str, time_limit: int, publish: bool) -> None:
        """Plan a day's deliveries now (as the dispatcher's page does) and print the routes."""
        from datetime import date

        from aid.dayplan import publish as publishing
        from aid.dayplan import read, run, text
        from aid.dayplan.settings import PlanSettings
        from aid.workflow import DomainError

        try:
            when = date.fromisoformat(day)
        except ValueError as err:
            raise click.ClickException("Give the date as YYYY-MM-DD.") from err
        try:
            plan_id = run.run_now(None, when, PlanSettings(time_limit=time_limit))
            if publish:
                done = publishing.publish(None, plan_id)
                click.echo(f"Published: {done.given} stops given, {done.moved} moved, "
                           f"{done.kept} kept, {done.released} back on the board, "
                           f"{done.skipped} changed since planning; {done.told} drivers told.")
        except DomainError as err:
            raise click.ClickException(str(err.message)) from err
        except Exception:  # noqa: BLE001 - the plan is marked failed; say so below
            plan_id = read.latest_id(when)
        for line in text.lines(read.get(plan_id)):
            click.echo(line)

    @group.command("purge")
    def purge() -> None:
        """Delete households whose last request closed more than AID_RETENTION_DAYS ago."""
        from flask import current_app

        from aid.privacy import purge_expired

        n = purge_expired(current_app.config["AID_RETENTION_DAYS"])
        click.echo(f"Purged {n} household(s).")

    @group.command("statistics")
    def statistics() -> None:
        """Refresh SQLite's query planner statistics (daily; PostgreSQL keeps its own)."""
        from aid.maintenance import statistics_job

        click.echo("Statistics refreshed." if statistics_job()
                   else "Nothing to do: this database keeps its own statistics.")

    @group.command("emergency-purge")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def emergency(yes: bool) -> None:
        """Destroy every household key at once: all household data becomes unreadable."""
        from aid.privacy import emergency_purge

        if not yes:
            click.confirm("Destroy every household key now? This cannot be undone", abort=True)
        n = emergency_purge()
        click.echo(f"Destroyed {n} household key(s).")

    @group.command("worker")
    def worker() -> None:
        """Run background jobs from Redis (REDIS_URL): daily purges, route planning."""
        from flask import current_app
        from redis import Redis
        from rq import Worker

        url = current_app.config.get("REDIS_URL")
        if not url:
            raise click.ClickException("Set REDIS_URL: without it jobs run inside the app.")
        connection = Redis.from_url(url)
        Worker([current_app.config["AID_QUEUE"]], connection=connection).work()

    from aid.cli_users import users

    group.add_command(users)
    group.add_command(ledger_commands)
    app.cli.add_command(group)


def _create(handle: str, password: str, roles: list[str], tier: int | None = None) -> None:
    from aid.accounts import create_user, provisioning_uri

    if len(password) < 12:
        raise click.ClickException("Use a password of at least 12 characters.")
    if db.session.scalar(select(User).where(User.handle == handle)):
        raise click.ClickException("That handle is taken.")
    user, secret = create_user(handle, password, roles, tier=tier)
    click.echo(f"Created {handle} ({', '.join(roles)}"
               + (f", tier {tier}" if tier is not None else "") + ").")
    if secret:
        click.echo("Add this account to an authenticator app (TOTP):")
        click.echo(f"  secret: {secret}")
        click.echo(f"  URI:    {provisioning_uri(user, secret)}")


