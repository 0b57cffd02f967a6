"""Ledger benchmark, run on demand (never a test): with N transactions in the books, time the
fund balances, the monthly report, `ledger verify` and a 10,000-row CSV import, on SQLite and
on PostgreSQL.

    .venv/bin/python benchmarks/ledger_bench.py                      # both databases
    .venv/bin/python benchmarks/ledger_bench.py --db sqlite --transactions 20000
    .venv/bin/python benchmarks/ledger_bench.py --db postgres --pg-url postgresql://postgres@127.0.0.1:5432/ledger_bench

The books are filled through the same code the app uses (aid.ledger.books.seal_many: the
database's triggers check every transaction), with donations, payments and transfers spread
over two years and four funds. PostgreSQL runs against its own database (default
ledger_bench, created if missing, its schema reset on every run); never the test suite's.
Each timing is the median of 5 runs after one warm-up, except the import (run once: it writes).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgresql://postgres@127.0.0.1:5432/ledger_bench"
FUNDS = ("general", "groceries", "rent", "bail")
ASSETS = ("bank", "cash", "venmo", "zelle")
SPENDING = ("groceries", "rent", "utilities", "transport", "fees")


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from aid.config import normalize_database_url

    base, name = url.rsplit("/", 1)
    admin = create_engine(normalize_database_url(base + "/postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                            {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(normalize_database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def fill(count: int, seed: int = 7) -> None:
    """`count` transactions through seal_many, in batches of 5000 (one commit each)."""
    from aid.ledger import books
    from aid.ledger.books import Leg
    from aid.workflow import workflow

    rng = random.Random(seed)
    books.set_up_chart()
    acct = {a.code: a for a in books.accounts()}
    fund = {f.code: f for f in books.funds()}
    start = date.today() - timedelta(days=730)

    @workflow
    def batch(entries):
        books.seal_many(entries, None)

    done = 0
    while done < count:
        entries = []
        for n in range(done, min(count, done + 5000)):
            when = start + timedelta(days=n * 730 // count)
            f = fund[rng.choice(FUNDS)]
            cents = rng.randint(500, 50_000)
            kind = rng.random()
            if kind < 0.55:
                legs = [Leg(acct[rng.choice(ASSETS)], f, cents), Leg(acct["donations"], f,
                                                                       -cents)]
                entries.append(("donation", legs, when, {}))
            elif kind < 0.9:
                paid = cents // 3
                legs = [Leg(acct[rng.choice(ASSETS)], f, -paid),
                        Leg(acct[rng.choice(SPENDING)], f, paid)]
                entries.append(("disbursement", legs, when, {"counterparty_kind": "household",
                                                              "counterparty": f"HH-{n:04X}"}))
            else:
                moved = cents // 5
                legs = [Leg(acct["bank"], f, -moved), Leg(acct["cash"], fund["general"], moved)]
                entries.append(("transfer", legs, when, {}))
        batch(entries)
        done += len(entries)


def venmo_csv(rows: int, seed: int = 11) -> tuple[bytes, int]:
    rng = random.Random(seed)
    lines = ["Account Statement - (@bench-group),,,,,,,,",
             ",ID,Datetime,Type,Status,Note,From,To,Amount (total)"]
    total = 0
    for n in range(rows):
        cents = rng.randint(100, 20_000)
        total += cents
        when = (date.today() - timedelta(days=rng.randint(0, 60))).isoformat()
        lines.append(f",{9_000_000 + n},{when}T10:00:00,Payment,Complete,,Donor Example,"
                     f"Bench Group,+ ${cents // 100}.{cents % 100:02d}")
    return ("\n".join(lines) + "\n").encode(), total


def median_ms(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def run(db: str, count: int, import_rows: int, pg_url: str) -> dict:
    from aid import create_app
    from aid.extensions import db as sqla

    inst = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    if db == "postgres":
        reset_postgres(pg_url)
        url = pg_url
    else:
        url = f"sqlite:///{inst / 'aid.db'}"
    app = create_app({"AID_INSTANCE_PATH": inst, "SQLALCHEMY_DATABASE_URI": url,
                      "SERVER_NAME": "bench.local"})
    out = {"db": db, "transactions": count}
    with app.app_context(), app.test_request_context():
        from aid.ledger import books, chain, imports, reports

        t = time.perf_counter()
        fill(count)
        out["fill_s"] = time.perf_counter() - t
        # The books as they are right after the fill, then after the daily statistics job
        # (aid.maintenance; SQLite only) has run once, as it has on any day in use.
        out["monthly_before_stats_ms"] = median_ms(lambda: reports.monthly(date.today().year))
        from aid.maintenance import statistics_job

        sqla.session.remove()
        statistics_job()
        out["fund_balances_ms"] = median_ms(lambda: reports.fund_rows())
        out["fund_balances_on_date_ms"] = median_ms(
            lambda: reports.fund_rows(date.today() - timedelta(days=365)))
        out["monthly_report_ms"] = median_ms(lambda: reports.monthly(date.today().year))
        t = time.perf_counter()
        verdict = chain.verify()
        out["verify_s"] = time.perf_counter() - t
        assert verdict.ok and verdict.count == count, verdict
        data, total = venmo_csv(import_rows)
        venmo = books.account_by_code("venmo")
        closing = books.account_balance(venmo.id) + total
        sqla.session.remove()
        t = time.perf_counter()
        result = imports.run(None, data, "venmo", imports.LAYOUTS["venmo"],
                             books.account_by_code("venmo"), books.fund_by_code("general"),
                             closing)
        out["import_s"] = time.perf_counter() - t
        assert result.imported == import_rows and not result.errors, result
        t = time.perf_counter()
        again = imports.run(None, data, "venmo", imports.LAYOUTS["venmo"],
                            books.account_by_code("venmo"), books.fund_by_code("general"),
                            closing)
        out["reimport_s"] = time.perf_counter() - t
        assert again.imported == 0 and again.duplicates == import_rows
        t = time.perf_counter()
        assert chain.verify().ok
        out["verify_after_import_s"] = time.perf_counter() - t
        sqla.session.remove()
        sqla.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    rows = [run(db, args.transactions, args.import_rows, args.pg_url) for db in dbs]
    print(f"{'figure':32}" + "".join(f"{r['db']:>12}" for r in rows))
    for key, label in (("fill_s", "fill the books (s)"),
                       ("fund_balances_ms", "fund balances now (ms)"),
                       ("fund_balances_on_date_ms", "fund balances a year ago (ms)"),
                       ("monthly_report_ms", "monthly report (ms)"),
                       ("monthly_before_stats_ms", "  before the daily statistics (ms)"),
                       ("verify_s", "ledger verify (s)"),
                       ("import_s", f"import {args.import_rows} rows (s)"),
                       ("reimport_s", "same file again: all skipped (s)"),
                       ("verify_after_import_s", "verify after import (s)")):
        print(f"{label:32}" + "".join(f"{r[key]:>12.3f}" if key.endswith("_s") else
                                      f"{r[key]:>12.1f}" for r in rows))


if __name__ == "__main__":
    main()
