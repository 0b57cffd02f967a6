"""A plan as plain text, for the command line: routes in order with codes, areas and times,
what was left out and why. Codes and ZIPs only, like the dispatcher's printed sheets."""
from __future__ import annotations

from aid import clock
from aid.dayplan import read
from aid.dayplan.read import hhmm, hours, km
from aid.models import DayPlan
from aid.vocabulary import DROP_REASONS, PLAN_PROBLEMS, PLAN_STATES


def lines(plan: DayPlan) -> list[str]:
    pv = read.view(plan)
    p = pv.plan
    out = [f"Plan #{p.id} of {p.day.isoformat()}: {PLAN_STATES[pv.state]}."]
    if pv.state == "failed":
        out.append(str(PLAN_PROBLEMS.get(pv.error or "engine", PLAN_PROBLEMS["engine"])))
        return out
    out.append(f"{p.stops_planned} of {p.stops_total} stops on {p.drivers_used} routes, "
               f"{km(p.distance_m)} km, {hours(p.duration_s)} h on the road "
               f"(searched {p.solve_seconds:.1f} s).")
    for code, args in pv.problems():
        text = PLAN_PROBLEMS.get(code, PLAN_PROBLEMS["other"])
        out.append("! " + (str(text) % args if args else str(text)))
    for rv in pv.routes:
        r = rv.route
        start = pv.depots[r.start_depot_id].name if r.start_depot_id in pv.depots else (
            f"own area {r.start_zip or ''}".strip())
        brk = f", break {hhmm(r.break_start)}-{hhmm(r.break_end)}" if r.break_start else ""
        out.append(f"{rv.handle}: from {start} {hhmm(r.start_time)}-{hhmm(r.end_time)}, "
                   f"{len(rv.deliveries)} stops, {r.boxes} boxes (car holds {r.capacity}), "
                   f"{r.trips} trip(s)"
                   f"{brk}, {km(r.distance_m)} km")
        for n, s in enumerate(rv.stops, 1):
            if s.kind == "reload":
                name = pv.depots[s.depot_id].name if s.depot_id in pv.depots else "depot"
                out.append(f"  {n:>3}. load again at {name} {hhmm(s.arrival)}")
            else:
                window = f"{clock.hhmm(s.window_start)}-{clock.hhmm(s.window_end)}"
                done = " (done)" if s.kind == "done" else ""
                out.append(f"  {n:>3}. {s.code} {s.zip or '-':5} window {window} "
                           f"arrive {hhmm(s.arrival)} boxes {s.boxes}{done}")
    if pv.dropped:
        out.append("Left out:")
        for s in pv.dropped:
            why = "; ".join(str(DROP_REASONS.get(r, r)) for r in s.reason_codes())
            out.append(f"  {s.code} {s.zip or '-':5} boxes {s.boxes}: {why}")
    return out
