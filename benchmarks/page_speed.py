"""GET /request under gunicorn beside bare Flask serving the same bytes (issue 6: at least half).

    .venv/bin/python benchmarks/page_speed.py [--duration 10] [--connections 8] [--lang ar]

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
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--lang", default="en")
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    path = f"/request?lang={args.lang}"

    aid = Server(None)
    try:
        aid.wait_ready()
        aid.wait_workers()
        body = fetch(aid.port, path)
        wrk(aid.port, path, 2, args.connections)  # warm every worker and its cache
        aid_rps = wrk(aid.port, path, args.duration, args.connections)
    finally:
        aid.stop()

    tmp = Path(tempfile.mkdtemp(prefix="aid-bare-"))
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
    try:
        bare.wait_ready(path="/request")
        bare.wait_workers()
        assert fetch(bare.port, path) == body
        wrk(bare.port, path, 2, args.connections)
        bare_rps = wrk(bare.port, path, args.duration, args.connections)
    finally:
        bare.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    load1 = os.getloadavg()[0]
    print(f"GET {path}: {len(body):,} bytes; wrk -t2 -c{args.connections} "
          f"-d{int(args.duration)}s; gunicorn.conf.py (2 workers x 4 threads)")
    print(f"  aid:        {aid_rps:8.0f} requests/s")
    print(f"  bare Flask: {bare_rps:8.0f} requests/s (the same bytes)")
    print(f"  aid / bare: {aid_rps / bare_rps:8.0%}   (issue 6 asks for at least 50%)")
    print(f"  load average at the end: {load1:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
