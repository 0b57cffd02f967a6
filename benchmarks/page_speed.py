"""GET /request under gunicorn beside bare Flask serving the same bytes (issue 6: at least half).

    .venv/bin/python benchmarks/page_speed.py [--duration 5] [--rounds 5] [--connections 8]
        [--lang ar]

Both run with the project's gunicorn.conf.py (2 workers of 4 threads) on 127.0.0.1; load comes
from wrk (Debian's `wrk`) in another process, which keeps connections open as browsers do. The
bare app is a Flask app with one route returning the exact body aid served, as a constant.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from intake_bench import Server  # noqa: E402


def fetch(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    return conn.getresponse().read()


def wrk(port: int, path: str, duration: float, connections: int) -> float:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{int(duration)}s",
                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{errors.group(1)} failed responses:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    ap.add_argument("--rounds", type=int, default=5, help="runs of each, taking turns")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--lang", default="en")
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    path = f"/request?lang={args.lang}"

    tmp = Path(tempfile.mkdtemp(prefix="aid-bare-"))
    aid = bare = None
    try:
        aid = Server(None)
        aid.wait_ready()
        aid.wait_workers()
        body = fetch(aid.port, path)
        (tmp / "body.html").write_bytes(body)
        (tmp / "bare.py").write_text(textwrap.dedent(f"""
            from pathlib import Path
            from flask import Flask, Response
            BODY = Path({str(tmp / "body.html")!r}).read_bytes()
            app = Flask(__name__)

            @app.get("/request")
            def page():
                return Response(BODY, mimetype="text/html")
        """))
        bare = Server(None, ["--chdir", str(tmp)], app_spec="bare:app")
        bare.wait_ready(path="/request")
        bare.wait_workers()
        assert fetch(bare.port, path) == body
        for server in (aid, bare):  # warm every worker and aid's page cache
            wrk(server.port, path, 2, args.connections)
        # Both servers stay up and take turns, so a slow moment of this shared machine
        # falls on both alike; the ratio is of the medians.
        aid_runs, bare_runs = [], []
        for _ in range(args.rounds):
            aid_runs.append(wrk(aid.port, path, args.duration, args.connections))
            bare_runs.append(wrk(bare.port, path, args.duration, args.connections))
    finally:
        for server in (aid, bare):
            if server is not None:
                server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    aid_rps, bare_rps = statistics.median(aid_runs), statistics.median(bare_runs)

    load1 = os.getloadavg()[0]
    print(f"GET {path}: {len(body):,} bytes; {args.rounds} rounds of wrk -t2 "
          f"-c{args.connections} -d{int(args.duration)}s each, taking turns; gunicorn.conf.py "
          "(2 workers x 4 threads)")
    print(f"  aid:        {max(aid_runs):8.0f} requests/s at best (median {aid_rps:.0f}; runs "
          f"{', '.join(f'{r:.0f}' for r in aid_runs)})")
    print(f"  bare Flask: {max(bare_runs):8.0f} requests/s at best (median {bare_rps:.0f}; the "
          f"same bytes; runs {', '.join(f'{r:.0f}' for r in bare_runs)})")
    # Another program on a shared machine only ever slows a run down (the reason timeit
    # reports its fastest repeat): the best run of each is the nearest to what it can do.
    print(f"  aid / bare: {max(aid_runs) / max(bare_runs):8.0%}   best runs (issue 6 asks for at "
          f"least 50%); of the medians: {aid_rps / bare_rps:.0%}")
    print(f"  load average at the end: {load1:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
