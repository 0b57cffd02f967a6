"""Readers for standard benchmark files (VRPLIB CVRP, Solomon VRPTW) with errors naming file:line.

Both become a `BenchInstance`, which turns into the same `CoreProblem` a city day uses.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aid.routing.core import CoreProblem

__all__ = ["BenchInstance", "InstanceError", "read_instance", "read_solomon", "read_vrplib"]

# Solomon costs are doubles; OR-Tools wants integers, so arcs are scaled and times ceiled
# (a schedule feasible in scaled integers is then feasible in double precision too).
SOLOMON_SCALE = 1000
# Soft-drop penalty for Solomon customers: far above any route cost, so a drop only happens
# when the capped fleet truly cannot serve everyone, and a solution always exists.
_DROP_PENALTY = 10**10


class InstanceError(ValueError):
    """A malformed or unsupported instance file; the message names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")


@dataclass
class BenchInstance:
    """One benchmark instance: node 0 is the depot, customers 1..n in file order."""

    name: str
    kind: str  # "cvrp" or "vrptw"
    coords: np.ndarray
    demand: list[int]
    capacity: int
    max_vehicles: int | None = None  # None: unlimited fleet (CVRPLIB convention)
    ready: list[float] | None = None
    due: list[float] | None = None
    service: list[float] | None = None

    @property
    def n_customers(self) -> int:
        """Number of customers (nodes other than the depot)."""
        return len(self.demand) - 1

    def distances(self) -> np.ndarray:
        """Euclidean distances in double precision."""
        diff = self.coords[:, None, :] - self.coords[None, :, :]
        return np.sqrt((diff * diff).sum(axis=2))

    def arc_costs(self) -> np.ndarray:
        """Arc costs in the instance's convention: TSPLIB nint for CVRP, doubles for VRPTW."""
        dist = self.distances()
        return np.floor(dist + 0.5) if self.kind == "cvrp" else dist

    def route_cost(self, routes: list[list[int]]) -> float:
        """Total cost of routes (customer numbers, depot left out) in the instance's convention."""
        arcs = self.arc_costs()
        total = 0.0
        for route in routes:
            path = [0, *route, 0]
            total += float(sum(arcs[a, b] for a, b in itertools.pairwise(path)))
        return round(total) if self.kind == "cvrp" else total

    def fleet_size(self) -> int:
        """Vehicles offered to the solver: the cap if any, else the bin-packing bound plus slack."""
        if self.max_vehicles is not None:
            return self.max_vehicles
        lower = math.ceil(sum(self.demand) / self.capacity)
        return math.ceil(lower * 1.2) + 2

    def to_core(self, vehicle_cost: int = 0) -> CoreProblem:
        """Build the integer problem the solver sees, in the instance's cost convention.

        `vehicle_cost` per route used (in the model's units) ranks vehicles before distance.
        """
        dist = self.distances()
        n_vehicles = self.fleet_size()
        common = {
            "demand": list(self.demand),
            "starts": [0] * n_vehicles,
            "ends": [0] * n_vehicles,
            "capacity": [self.capacity] * n_vehicles,
            "vehicle_fixed_cost": vehicle_cost,
        }
        if self.kind == "cvrp":
            return CoreProblem(cost=np.floor(dist + 0.5).astype(np.int64), **common)
        scale = SOLOMON_SCALE
        assert self.ready is not None and self.due is not None and self.service is not None
        windows = [
            (math.ceil(a * scale), math.floor(b * scale)) for a, b in zip(self.ready, self.due)
        ]
        return CoreProblem(
            cost=np.rint(dist * scale).astype(np.int64),
            travel=np.ceil(dist * scale - 1e-6).astype(np.int64),
            service=[round(s * scale) for s in self.service],
            windows=windows,
            shifts=[windows[0]] * n_vehicles,
            penalty=[None] + [_DROP_PENALTY] * self.n_customers,
            **common,
        )


def _numbers(path: Path, lineno: int, text: str, count: int | None = None) -> list[float]:
    """Parse whitespace-separated numbers on one line, or raise InstanceError naming it."""
    try:
        values = [float(tok) for tok in text.split()]
    except ValueError:
        raise InstanceError(path, lineno, f"expected numbers, got {text.strip()!r}") from None
    if count is not None and len(values) != count:
        raise InstanceError(path, lineno, f"expected {count} numbers, got {len(values)}")
    return values


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InstanceError(path, None, f"cannot read: {exc.strerror or exc}") from None


def read_vrplib(path: str | Path) -> BenchInstance:
    """Read a VRPLIB/TSPLIB CVRP file with EUC_2D weights (the CVRPLIB X set)."""
    path = Path(path)
    lines = _read_lines(path)
    header: dict[str, str] = {}
    coords: dict[int, tuple[float, float]] = {}
    demand: dict[int, int] = {}
    section, depot_seen = "", False
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        key = line.split(":")[0].strip().upper() if ":" in line else line.split()[0].upper()
        if key == "EOF":
            break
        if key.endswith("_SECTION"):
            section = key
            continue
        if section == "" and ":" in line:
            header[key] = line.split(":", 1)[1].strip().strip('"').strip()
        elif section == "NODE_COORD_SECTION":
            node, x, y = _numbers(path, lineno, line, 3)
            coords[int(node)] = (x, y)
        elif section == "DEMAND_SECTION":
            node, qty = _numbers(path, lineno, line, 2)
            demand[int(node)] = int(qty)
        elif section == "DEPOT_SECTION":
            value = int(_numbers(path, lineno, line, 1)[0])
            if value == -1:
                section = "DONE"
            elif value != 1:
                raise InstanceError(path, lineno, "only node 1 as the single depot is supported")
            depot_seen = True
        elif section != "DONE":
            raise InstanceError(path, lineno, f"unexpected line {line[:40]!r}")
    if header.get("EDGE_WEIGHT_TYPE", "EUC_2D").upper() != "EUC_2D":
        raise InstanceError(path, None, "only EDGE_WEIGHT_TYPE EUC_2D is supported")
    try:
        dimension, capacity = int(header["DIMENSION"]), int(header["CAPACITY"])
    except (KeyError, ValueError):
        raise InstanceError(path, None, "missing or bad DIMENSION/CAPACITY header") from None
    expected = set(range(1, dimension + 1))
    if set(coords) != expected or set(demand) != expected or not depot_seen:
        line = len(lines)
        raise InstanceError(
            path,
            line,
            f"truncated: {len(coords)}/{dimension} coordinates, {len(demand)}/{dimension} "
            f"demands{'' if depot_seen else ', no DEPOT_SECTION'}",
        )
    order = sorted(coords)
    return BenchInstance(
        name=path.stem,
        kind="cvrp",
        coords=np.array([coords[i] for i in order], dtype=np.float64),
        demand=[demand[i] for i in order],
        capacity=capacity,
    )


def read_solomon(path: str | Path) -> BenchInstance:
    """Read a Solomon (or Gehring-Homberger) VRPTW text file; customer 0 is the depot."""
    path = Path(path)
    lines = _read_lines(path)
    fleet_line = next(
        (i for i, s in enumerate(lines) if s.strip().upper().startswith("NUMBER")), None
    )
    cust_lines = [i for i, s in enumerate(lines) if s.strip().upper().startswith("CUST")]
    cust_line = cust_lines[-1] if cust_lines else None
    if fleet_line is None or cust_line is None:
        raise InstanceError(path, None, "not a Solomon file: no VEHICLE NUMBER or CUSTOMER header")
    rest = [
        (i + 1, s) for i, s in enumerate(lines[fleet_line + 1 :], start=fleet_line + 1) if s.strip()
    ]
    if not rest:
        raise InstanceError(path, fleet_line + 1, "missing vehicle number and capacity")
    number, capacity = _numbers(path, rest[0][0], rest[0][1], 2)
    rows = []
    for lineno, text in ((i + 1, s) for i, s in enumerate(lines) if i > cust_line):
        if not text.strip():
            continue
        values = _numbers(path, lineno, text, 7)
        if int(values[0]) != len(rows):
            raise InstanceError(
                path, lineno, f"expected customer {len(rows)}, got {int(values[0])}"
            )
        rows.append(values)
    if len(rows) < 2:
        raise InstanceError(path, len(lines), "truncated: fewer than one customer after the depot")
    data = np.array(rows)
    return BenchInstance(
        name=path.stem,
        kind="vrptw",
        coords=data[:, 1:3].copy(),
        demand=[int(q) for q in data[:, 3]],
        capacity=int(capacity),
        max_vehicles=int(number),
        ready=data[:, 4].tolist(),
        due=data[:, 5].tolist(),
        service=data[:, 6].tolist(),
    )


def read_instance(path: str | Path) -> BenchInstance:
    """Read a benchmark file, choosing the reader by extension (.vrp VRPLIB, else Solomon)."""
    path = Path(path)
    if path.suffix.lower() == ".vrp":
        return read_vrplib(path)
    return read_solomon(path)
