"""The house's layers hold: blueprints never import each other, models import no services
or views, the pure engines (routing, matching) import neither, and only a workflow commits."""
from __future__ import annotations

import ast
from pathlib import Path

import aid

AID = Path(aid.__file__).parent
BLUEPRINTS = sorted(p.name for p in AID.iterdir()
                    if p.is_dir() and (p / "__init__.py").exists()
                    and "Blueprint(" in (p / "__init__.py").read_text(encoding="utf-8"))
# Pure modules and the prefix of what they may import from aid: their own family only.
PURE = {"aid.routing": "aid.routing",
        **{f"aid.{name}": "aid.matching"
           for name in ("matching", "matching_rules", "matching_roster", "matching_flow")}}


def modules(path: Path) -> set[str]:
    """Every module a file imports, absolute names only."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def files(package: str) -> list[Path]:
    base = AID.parent / package.replace(".", "/")
    return sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]


def test_the_blueprints_are_found():
    assert {"auth", "dispatch", "intake"} <= set(BLUEPRINTS), BLUEPRINTS


def test_no_blueprint_imports_another():
    wrong = []
    for bp in BLUEPRINTS:
        others = tuple(f"aid.{o}" for o in BLUEPRINTS if o != bp)
        for path in files(f"aid.{bp}"):
            wrong += [(path.name, m) for m in modules(path)
                      if m.startswith(others) and (m in others or m.startswith(
                          tuple(o + "." for o in others)))]
    assert wrong == []


def test_models_import_no_services_views_or_blueprints():
    allowed = ("aid.models", "aid.extensions", "aid.vocabulary")
    wrong = [(path.name, m) for path in files("aid.models") for m in modules(path)
             if m.startswith("aid.") and not m.startswith(allowed)]
    assert wrong == []


def test_pure_engines_import_neither_flask_nor_the_app():
    wrong = []
    for package, own in PURE.items():
        for path in files(package):
            if not path.exists():
                continue
            for m in modules(path):
                if m.startswith(("flask", "sqlalchemy", "werkzeug", "jinja2")) or (
                        m.startswith("aid.") and not m.startswith(own)):
                    wrong.append((str(path.relative_to(AID)), m))
    assert wrong == []


def test_only_a_workflow_commits():
    """Steps add and flush; `aid.workflow.workflow` commits once per workflow."""
    # Rolling back is also allowed where a failed health check or an error page ends a request.
    may_roll_back = {"views.py", "errors.py"}
    wrong = []
    for path in AID.rglob("*.py"):
        name = str(path.relative_to(AID))
        if name == "workflow.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("commit", "rollback") \
                    and not (node.attr == "rollback" and name in may_roll_back):
                wrong.append((name, node.attr, node.lineno))
    assert wrong == []
