"""Household intake benchmark, run on demand (never a test): page weight, full-submission
throughput under gunicorn on SQLite and PostgreSQL, and the cost of sealing one submission.

    .venv/bin/python benchmarks/intake_bench.py              # readable table
    .venv/bin/python benchmarks/intake_bench.py --json       # machine output
    .venv/bin/python benchmarks/intake_bench.py --only rps --duration 20 --connections 8
    .venv/bin/python benchmarks/intake_bench.py --profile    # where a submission's time goes
    .venv/bin/python benchmarks/intake_bench.py --only rps --gunicorn-arg=-k \
        --gunicorn-arg=gthread --gunicorn-arg=--threads --gunicorn-arg=4   # try a setting

Load goes to 127.0.0.1 only, from Python threads in this process, for a fixed duration. The
load generator shares the machine's cores with the server (and with anything else running):
the table shows each one's CPU share and the rps the server's CPU per request would allow on
all cores, so a run on a busy machine can still be read. Say so next to any figure.
PostgreSQL runs against its own database (default aid_bench, created if missing, its schema
reset on every run because each run has a fresh master key); never the test suite's `test`.
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/aid_bench"
PAGE_TARGET = 40 * 1024
RPS_TARGET = 200

# Synthetic answers (555-01xx phone, made-up street), as the form posts them.
FORM = {
    "kinds": ["groceries"], "name": "Bench Household", "contact_method": "sms",
    "contact_handle": "555-0142", "language": "en", "street": "12 Example Street",
    "unit": "", "city": "Minneapolis", "zip": "55404", "household_size": "3",
    "delivery_days": ["mon", "thu"], "delivery_times": ["morning"], "dropoff": "door",
}
TOKEN_RE = re.compile(rb'name="csrf_token" value="([^"]+)"')
CODE_RE = re.compile(rb'class="code" dir="ltr"><strong>[0-9A-Z-]{19}</strong>')


# --- (a) page weight ------------------------------------------------------------------------

def page_weight() -> dict:
    """Bytes of GET /request plus its stylesheets and scripts, per locale (uncompressed)."""
    from aid import create_app
    from aid.i18n import LANGUAGES

    with tempfile.TemporaryDirectory(prefix="aid-bench-") as tmp:
        app = create_app({"AID_INSTANCE_PATH": tmp, "RATELIMIT_ENABLED": False,
                          "AID_LOG_LEVEL": "WARNING",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/aid.db"})
        client = app.test_client()
        rows, fonts = {}, set()
        for code in LANGUAGES:
            html = client.get(f"/request?lang={code}").get_data()
            assets = re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
            assets += re.findall(rb'<script[^>]+src="([^"]+)"', html)
            asset_bytes = 0
            for href in assets:
                body = client.get(href.decode()).get_data()
                asset_bytes += len(body)
                if b"@font-face" in body or re.search(rb"\.(woff2?|ttf|otf|eot)\b", body):
                    fonts.add(href.decode())
            rows[code] = {"html": len(html), "assets": asset_bytes,
                          "total": len(html) + asset_bytes,
                          "html_gzip": len(gzip.compress(html, 6)),
                          "scripts": len(re.findall(rb"<script", html))}
        worst = max(rows, key=lambda c: rows[c]["total"])
        return {"per_locale": rows, "max_locale": worst, "max_bytes": rows[worst]["total"],
                "target_bytes": PAGE_TARGET, "web_fonts": sorted(fonts),
                "ok": rows[worst]["total"] <= PAGE_TARGET and not fonts}


# --- (b) throughput under gunicorn -----------------------------------------------------------

def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick


def prepare_postgres(url: str) -> None:
    """Create the bench database if missing and empty its schema (it is the bench's alone)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("aid_bench"):
        sys.exit(f"refusing to reset {name!r}: the PostgreSQL bench database must be aid_bench*")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


class Server:
    """gunicorn with the project's config, a temp instance and limits off, bound to a socket
    this process opened on a free port of 127.0.0.1 (handed over as fd://, so no other
    process can take the port between choosing and binding it)."""

    def __init__(self, database_url: str | None, extra_args: list[str] | None = None,
                 app_spec: str = "app:app"):
        self.tmp = Path(tempfile.mkdtemp(prefix="aid-bench-"))
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.sock.set_inheritable(True)
        self.port = self.sock.getsockname()[1]
        env = dict(os.environ, AID_RATELIMIT="0", AID_INSTANCE_PATH=str(self.tmp / "instance"))
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        self.log = open(self.tmp / "gunicorn.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py",
             "-b", f"fd://{self.sock.fileno()}", *(extra_args or []), app_spec],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            pass_fds=[self.sock.fileno()])

    def wait_ready(self, timeout: float = 60, path: str = "/healthz") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start:\n" + self.log_text())

    def log_text(self) -> str:
        self.log.flush()
        return (self.tmp / "gunicorn.log").read_text(errors="replace")[-3000:]

    def workers(self) -> list[int]:
        try:
            return [int(p) for p in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
                    .read_text().split()]
        except OSError:
            return []

    def wait_workers(self, count: int = 2, timeout: float = 60) -> None:
        """Every worker up (each runs create_app) before the clock starts."""
        deadline = time.monotonic() + timeout
        while len(self.workers()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)

    def cpu_seconds(self) -> float:
        """User+system CPU of the master and its workers (from /proc)."""
        total, tick = 0.0, os.sysconf("SC_CLK_TCK")
        for pid in [self.proc.pid, *self.workers()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        self.sock.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Client:
    """One load-generating connection: fetches the form once for its session cookie and CSRF
    token, then posts full confirmed submissions; reconnects when the server closes."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.conn.request("GET", "/request")
        resp = self.conn.getresponse()
        page = resp.read()
        self._keep_cookie(resp)
        data = dict(FORM, csrf_token=TOKEN_RE.search(page).group(1).decode(), action="confirm")
        self.body = urlencode(data, doseq=True).encode()

    def _keep_cookie(self, resp) -> None:
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                self.cookie = value.split(";", 1)[0]

    def submit(self) -> bool:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        try:
            self.conn.request("POST", "/request", body=self.body, headers=headers)
            resp = self.conn.getresponse()
            page = resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return False
        self._keep_cookie(resp)
        if resp.will_close:
            self.conn.close()  # http.client reopens on the next request
        return resp.status == 200 and CODE_RE.search(page) is not None


def _load(port: int, connections: int, warmup: float, duration: float) -> dict:
    start_at = time.monotonic() + warmup
    stop_at = start_at + duration
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    clients = [Client(port) for _ in range(connections)]

    def run(i: int) -> None:
        client, lat = clients[i], latencies[i]
        while True:
            t0 = time.monotonic()
            if t0 >= stop_at:
                return
            ok = client.submit()
            t1 = time.monotonic()
            if t0 >= start_at:
                if ok:
                    lat.append(t1 - t0)
                else:
                    errors[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done = sorted(x for lat in latencies for x in lat)
    q = statistics.quantiles(done, n=100) if len(done) >= 2 else [float("nan")] * 99
    return {"requests": len(done), "errors": sum(errors), "rps": len(done) / duration,
            "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "max_ms": (done[-1] * 1000) if done else float("nan")}


def throughput(database_url: str | None, connections: int, duration: float,
               warmup: float, extra_args: list[str] | None = None) -> dict:
    server = Server(database_url, extra_args)
    try:
        server.wait_ready()
        server.wait_workers()
        pids0 = server.workers()
        cpu0, own0, wall0 = server.cpu_seconds(), time.process_time(), time.monotonic()
        busy0, all0 = machine_busy()
        result = _load(server.port, connections, warmup, duration)
        wall = time.monotonic() - wall0
        cpu, own = server.cpu_seconds() - cpu0, time.process_time() - own0
        busy1, all1 = machine_busy()
        cores = all1 - all0  # CPU-seconds the machine had over the run (wall x cores)
        per_request = cpu / max(1, (result["requests"] + result["errors"]) * wall / duration)
        result.update({
            "connections": connections, "duration_s": duration, "target_rps": RPS_TARGET,
            "gunicorn_extra_args": extra_args or [],
            "ok": result["rps"] >= RPS_TARGET and result["errors"] == 0,
            "server_cpu_share": cpu / cores,
            "loadgen_cpu_share": own / cores,
            # everything else on the machine (other people's tests and benchmarks)
            "other_cpu_share": max(0.0, (busy1 - busy0 - cpu - own) / cores),
            # server CPU per request over warm-up and run (both post full submissions)
            "server_cpu_ms_per_request": 1000 * per_request,
            # what the server's CPU alone would allow on every core of this machine
            "cpu_bound_ceiling_rps": (os.cpu_count() or 1) / per_request if per_request else 0,
        })
        log = server.log_text()
        restarted = server.workers() != pids0
        if restarted:
            result["workers_restarted"] = True
            result["ok"] = False
        if restarted or not result["requests"] or "Traceback" in log:
            result["server_log_tail"] = "\n".join(
                line for line in log.splitlines() if "request submitted" not in line)[-2000:]
        return result
    finally:
        server.stop()


# --- (c) the cost of sealing one submission ---------------------------------------------------

def _answers(app):
    """The exact NewHousehold the view hands to service.submit for FORM."""
    from werkzeug.datastructures import MultiDict

    from aid.intake.forms import RequestForm
    from aid.intake.views import new_household as view_answers

    with app.test_request_context("/request", method="POST"):
        form = RequestForm(MultiDict([(k, v) for k, vs in FORM.items()
                                      for v in (vs if isinstance(vs, list) else [vs])]))
        assert form.validate(), form.errors
        return view_answers(form)


def encryption_cost(rounds: int = 2000) -> dict:
    """Run service.submit for real and time every MasterKey/HouseholdCipher call inside it."""
    from aid import create_app, crypto
    from aid.extensions import db
    from aid.intake import service

    timed = {"MasterKey": ("new_household_key", "wrap", "blind_index", "code_hash"),
             "HouseholdCipher": ("__init__", "seal", "seal_json")}
    spent: dict[str, float] = {}
    depth = [0]

    def instrument(cls, name):
        original = getattr(cls, name)

        def wrapper(*args, **kwargs):
            depth[0] += 1
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:  # seal_json calls seal: count the outer call only
                    key = f"{cls.__name__}.{name}"
                    spent[key] = spent.get(key, 0.0) + time.perf_counter() - t0

        setattr(cls, name, wrapper)
        return original

    with tempfile.TemporaryDirectory(prefix="aid-bench-") as tmp:
        app = create_app({"AID_INSTANCE_PATH": tmp, "RATELIMIT_ENABLED": False,
                          "AID_LOG_LEVEL": "WARNING",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/aid.db"})
        answers = _answers(app)
        originals = {(c, n): instrument(getattr(crypto, c), n)
                     for c, names in timed.items() for n in names}
        try:
            with app.app_context():
                for _ in range(50):  # warm caches (ZIP data, key objects, statements)
                    service.submit(answers)
                spent.clear()
                t0 = time.perf_counter()
                for _ in range(rounds):
                    service.submit(answers)
                submit_total = time.perf_counter() - t0
                db.engine.dispose()
        finally:
            for (c, n), fn in originals.items():
                setattr(getattr(crypto, c), n, fn)
    per_op = {k: 1e6 * v / rounds for k, v in sorted(spent.items(), key=lambda kv: -kv[1])}
    crypto_us = sum(per_op.values())
    return {"rounds": rounds, "crypto_us_per_submission": crypto_us, "per_op_us": per_op,
            "submit_us_per_submission": 1e6 * submit_total / rounds,
            "crypto_share_of_submit": crypto_us / (1e6 * submit_total / rounds)}


# --- profile ----------------------------------------------------------------------------------

def profile(rounds: int = 300, top: int = 25) -> str:
    """cProfile of full confirmed submissions through the WSGI app in-process (SQLite)."""
    import cProfile
    import io
    import pstats

    from aid import create_app

    with tempfile.TemporaryDirectory(prefix="aid-bench-") as tmp:
        app = create_app({"AID_INSTANCE_PATH": tmp, "RATELIMIT_ENABLED": False,
                          "AID_LOG_LEVEL": "WARNING",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/aid.db"})
        client = app.test_client()
        token = TOKEN_RE.search(client.get("/request").get_data()).group(1).decode()
        data = dict(FORM, csrf_token=token, action="confirm")
        for _ in range(20):
            client.post("/request", data=data)
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        for _ in range(rounds):
            assert client.post("/request", data=data).status_code == 200
        prof.disable()
        wall = time.perf_counter() - t0
    out = io.StringIO()
    out.write(f"{rounds} in-process submissions: {1000 * wall / rounds:.2f} ms each "
              f"(profiler overhead included)\n")
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# --- output -----------------------------------------------------------------------------------

def print_table(res: dict) -> None:
    kb = 1024
    if "page_weight" in res:
        pw = res["page_weight"]
        print("(a) GET /request + CSS + JS, uncompressed bytes per locale")
        print(f"  {'locale':8} {'html':>8} {'assets':>8} {'total':>8} {'html gz':>8} scripts")
        for code, row in pw["per_locale"].items():
            print(f"  {code:8} {row['html']:8} {row['assets']:8} {row['total']:8} "
                  f"{row['html_gzip']:8} {row['scripts']:7}")
        print(f"  max: {pw['max_bytes']} B = {pw['max_bytes'] / kb:.1f} KB ({pw['max_locale']}); "
              f"target <= {pw['target_bytes'] / kb:.0f} KB; web fonts: "
              f"{', '.join(pw['web_fonts']) or 'none'} -> {'OK' if pw['ok'] else 'MISSED'}\n")
    if "throughput" in res:
        extra = " ".join(next(iter(res["throughput"].values())).get("gunicorn_extra_args", []))
        print("(b) full submissions (confirm POST storing a household), gunicorn -c "
              f"gunicorn.conf.py {extra}".rstrip())
        print(f"  {'database':11} {'conns':>5} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'max ms':>8} {'errors':>6} {'srv cpu':>7} {'gen cpu':>7} {'others':>7} "
              f"{'srv ms/req':>10} {'ceiling':>8}")
        for name, r in res["throughput"].items():
            if "skipped" in r:
                print(f"  {name:11} skipped: {r['skipped']}")
                continue
            print(f"  {name:11} {r['connections']:5} {r['rps']:8.1f} {r['p50_ms']:8.1f} "
                  f"{r['p95_ms']:8.1f} {r['max_ms']:8.1f} {r['errors']:6} "
                  f"{r['server_cpu_share']:7.0%} {r['loadgen_cpu_share']:7.0%} "
                  f"{r['other_cpu_share']:7.0%} {r['server_cpu_ms_per_request']:10.2f} "
                  f"{r['cpu_bound_ceiling_rps']:8.0f}  "
                  f"{'OK' if r['ok'] else 'MISSED'} (target >= {r['target_rps']}/s)")
            if r.get("workers_restarted"):
                print("    a gunicorn worker was restarted during the run")
            if r.get("server_log_tail"):
                print("    server log:\n      " + r["server_log_tail"].replace("\n", "\n      "))
        m = res["machine"]
        print(f"  {m['cpus']} CPUs shared by server, load generator and any other process "
              f"(cpu columns = share of all cores over the run; ceiling = rps the server's "
              f"CPU per request would allow on all {m['cpus']} cores); {m['duration_s']:.0f} s "
              f"per database after {m['warmup_s']:.0f} s warm-up\n")
    if "encryption" in res:
        enc = res["encryption"]
        print(f"(c) encryption per submission (service.submit run {enc['rounds']} times, "
              f"SQLite, one process)")
        for op, us in enc["per_op_us"].items():
            print(f"  {op:34} {us:8.1f} us")
        print(f"  {'crypto total':34} {enc['crypto_us_per_submission']:8.1f} us  "
              f"({enc['crypto_share_of_submit']:.1%} of service.submit's "
              f"{enc['submit_us_per_submission']:.0f} us incl. the database commit)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["weight", "rps", "crypto"], action="append")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds measured per database")
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--pg-url", default=os.environ.get("AID_BENCH_PG_URL", PG_URL))
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--gunicorn-arg", action="append", default=[], metavar="ARG",
                    help="extra gunicorn argument for experiments, e.g. --gunicorn-arg=-k "
                         "--gunicorn-arg=gthread")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--profile", action="store_true", help="cProfile submissions and exit")
    args = ap.parse_args(argv)
    if args.profile:
        print(profile())
        return 0
    parts = set(args.only or ["weight", "rps", "crypto"])
    res: dict = {"machine": {"cpus": os.cpu_count(), "duration_s": args.duration,
                             "warmup_s": args.warmup, "python": sys.version.split()[0]}}
    if "weight" in parts:
        res["page_weight"] = page_weight()
    if "rps" in parts:
        res["throughput"] = {"sqlite": throughput(None, args.connections, args.duration,
                                                  args.warmup, args.gunicorn_arg)}
        if args.skip_pg:
            res["throughput"]["postgresql"] = {"skipped": "--skip-pg"}
        else:
            try:
                prepare_postgres(args.pg_url)
            except Exception as exc:  # noqa: BLE001 - report and go on with the rest
                res["throughput"]["postgresql"] = {"skipped": f"PostgreSQL unavailable: {exc}"}
            else:
                res["throughput"]["postgresql"] = throughput(
                    args.pg_url, args.connections, args.duration, args.warmup,
                    args.gunicorn_arg)
    if "crypto" in parts:
        res["encryption"] = encryption_cost()
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        print_table(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
