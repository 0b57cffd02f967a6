"""Pure route planning: geocoding, distance matrices, the OR-Tools model, plan checking.

Nothing in this package imports Flask or the app's models: plain data in, plain data out.
Entry points (imported from their modules so that loading the package stays cheap):

- `aid.routing.geocode`: `zip_centroid`, `locate`, `make_geocoder` (offline by default)
- `aid.routing.model`: `Stop`, `Vehicle`, `Depot`, `Problem` in; `Plan`, `Route`, `Dropped` out
- `aid.routing.planner.plan_day(problem) -> Plan`: never raises on bad stops or fleets
- `aid.routing.check.check_plan(problem, plan) -> list[str]`: independent re-check
- `aid.routing.demo.city_day(...)`: a synthetic day for demos and benchmarks
- `python -m aid.routing.bench FILE...`: the solver on VRPLIB / Solomon benchmark files
"""
