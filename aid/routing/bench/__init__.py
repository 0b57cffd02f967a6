"""Benchmarks apart from the engine: literature file readers, their checker, a synthetic city day.

- `aid.routing.bench.instances`: VRPLIB (CVRP) and Solomon / Homberger (VRPTW) readers
- `aid.routing.bench.verify.check_bench`: re-check a benchmark solution without the solver
- `aid.routing.bench.demo.city_day`: a reproducible synthetic day for demos and benchmarks
- `python -m aid.routing.bench FILE... --time-limit S [--json]`: solve files, gap to BKS

Nothing in the engine (planner, solver, check) imports this package.
"""
