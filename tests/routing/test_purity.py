"""The routing package stays pure: no Flask, no app models, no network by default."""

import ast
from pathlib import Path

import aid.routing

PACKAGE = Path(aid.routing.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_routing_never_imports_flask_or_the_models():
    for path in PACKAGE.rglob("*.py"):
        for name in imported_modules(path):
            assert not name.startswith(("flask", "aid.models", "sqlalchemy")), (
                f"{path.name}: {name}"
            )


def test_routing_modules_stay_small():
    for path in PACKAGE.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, path.name


def test_ortools_is_imported_from_constraint_solver_only():
    for path in PACKAGE.rglob("*.py"):
        assert "ortools.routing" not in imported_modules(path), path.name


def test_the_engine_never_imports_the_benchmark_readers():
    for path in PACKAGE.glob("*.py"):
        for name in imported_modules(path):
            assert not name.startswith("aid.routing.bench"), f"{path.name}: {name}"


def test_the_package_exports_its_front_door_and_loads_the_search_lazily():
    import subprocess
    import sys

    code = (
        "import sys, aid.routing as r; assert 'ortools' not in sys.modules;"
        "from aid.routing import plan_day, Problem, Plan, Stop, Vehicle, Depot, Route, Dropped;"
        "from aid.routing import check_plan, SearchSettings; assert 'ortools' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
