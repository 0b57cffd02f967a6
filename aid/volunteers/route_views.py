"""A driver's own route sheet: their published route of a day, in order, with each stop's
address and code word revealed by the volunteer rules (the holder, in the reveal window,
every opening audited) and a geo: link for the phone's own map app. Printable."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, render_template
from flask_login import current_user

from aid.dayplan import read
from aid.extensions import db
from aid.models import Depot, Task
from aid.security import roles_required
from aid.tasks import claims
from aid.volunteers import bp
from aid.volunteers.views import _date_arg
from aid.workflow import workflow


def geo_link(address: dict) -> str:
    """geo:0,0?q=... (RFC 5870 with the query Android and iOS map apps read)."""
    parts = [address.get("street", ""), address.get("unit", ""), address.get("city", ""),
             address.get("zip", "")]
    return "geo:0,0?q=" + quote(", ".join(p for p in parts if p), safe="")


@workflow
def _reveal_route(route_stops: list) -> list[tuple]:
    """Each stop with what its holder may see of it (claims.reveal: the holder, in the
    window, audited), its audit rows committed once for the whole sheet."""
    out = []
    for stop in route_stops:
        task = db.session.get(Task, stop.task_id) if stop.task_id else None
        shown = claims.reveal(current_user, task) if task is not None else None
        geo = geo_link(shown.address) if shown is not None and shown.address else None
        out.append((stop, shown, geo))
    return out


@bp.get("/tasks/route/<day>")
@roles_required("volunteer")
def route_sheet(day: str):
    when = _date_arg(day)
    if when is None or not current_user.approved:
        abort(404)
    found = read.driver_route(when, current_user.id)
    if found is None:
        abort(404)
    plan, rv = found
    stops = _reveal_route(rv.stops)
    depots = {d.id: d for d in db.session.scalars(db.select(Depot))}
    return render_template("volunteers/route_sheet.html", plan=plan, rv=rv, stops=stops,
                           depots=depots)
