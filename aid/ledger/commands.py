"""`flask aid ledger ...`: check the books from the command line."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

ledger = AppGroup("ledger", help="The fundraiser books.")


@ledger.command("verify")
def verify_command() -> None:
    """Recompute the hash chain; exit 1 naming the first broken transaction."""
    from aid.ledger.chain import verify

    verdict = verify()
    if verdict.ok:
        click.echo(f"ok: {verdict.count} transactions, chain head {verdict.head}")
        click.echo("Write the head down somewhere else: a later verify must reach it again.")
        return
    click.echo(f"BROKEN at transaction {verdict.broken_at}: {verdict.reason} "
               f"({verdict.count} transactions before it are intact)", err=True)
    sys.exit(1)
