"""Day plans' and safety holds' words (aid.dayplan, aid.tasks.safety, aid.plans): plan
states, why a delivery is left out, what a plan had to say, hold kinds, starts and ends."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

PLAN_STATES: dict[str, object] = {
    "queued": _l("Waiting to start"),
    "running": _l("Planning"),
    "ready": _l("Ready to publish"),
    "failed": _l("Failed"),
    "published": _l("Published"),
    "replaced": _l("Replaced by a newer plan"),
}
# Why a delivery is not on any route, as the dispatcher reads it. The engine's codes
# (aid.routing.problem.REASONS) and the app's own (holds, claims) in one list.
DROP_REASONS: dict[str, object] = {
    "capacity": _l("No room left: every car that could take it is full"),
    "window": _l("No driver can get there within its time window"),
    "no_driver": _l("No driver is available"),
    "safety_hold": _l("Safety hold on the area"),
    "no_location": _l("No location: the ZIP code is unknown"),
    "time": _l("It did not fit into any driver's time"),
    "too_many_boxes": _l("More boxes than any car can carry"),
    "driver_away": _l("Held by a volunteer who is not driving that day"),
    "bad_input": _l("The task's data cannot be planned"),
    "not_today": _l("The household said not today"),
    "held": _l("On hold"),
}
# An engine code -> the dispatcher's code above.
ENGINE_REASONS = {"no_vehicles": "no_driver", "skill": "driver_away"}
# Why a plan as a whole failed, or what it had to leave out (with a driver or depot named).
PLAN_PROBLEMS: dict[str, object] = {
    "engine": _l("The planner stopped with an error. The published plan is unchanged."),
    "timeout": _l("The planning stopped before it finished (the worker may have been "
                  "stopped). The published plan is unchanged."),
    "no_worker": _l("No background worker took the plan. Is the worker running? The "
                    "published plan is unchanged."),
    "outdated": _l("A newer plan of this day was published meanwhile: plan again."),
    "nothing": _l("There is nothing to deliver on this day."),
    "no_drivers": _l("No driver is available on this day: nobody was given a route."),
    "no_depots": _l("There is no depot: drivers start and load in their own area."),
    "depot_closed": _l("The depot %(depot)s is closed all day."),
    "driver_depot_closed": _l("%(driver)s: the depot is closed during the whole shift."),
    "driver_no_start": _l("%(driver)s: no place to start from (no depot and no home area)."),
    "driver_shift": _l("%(driver)s: no time left in the shift on this day."),
    "driver_break": _l("%(driver)s: the break does not fit into the shift."),
    "driver_reload": _l("%(driver)s: cannot load again at the depot; one trip only."),
    "driver_bad": _l("%(driver)s: the car's settings cannot be planned."),
    "solver_none": _l("The planner found no routes in the time given: try a longer time."),
    "other": _l("The planner reported a problem it could not explain."),
}
HOLD_KINDS: dict[str, object] = {
    "zips": _l("ZIP codes"),
    "circle": _l("A circle around a point"),
}
PLAN_STARTS: dict[str, object] = {
    "depot": _l("At the depot nearest to their area"),
    "area": _l("In their own area"),
}
PLAN_ENDS: dict[str, object] = {
    "area": _l("Back in their own area"),
    "depot": _l("Back at the depot"),
}
PLAN_STOP_KINDS: dict[str, object] = {
    "stop": _l("Delivery"),
    "reload": _l("Load again at the depot"),
    "done": _l("Done"),
}
