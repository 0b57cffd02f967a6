"""Keep the gettext catalogs in step: extract, update, add a language, report completeness.

    python scripts/catalogs.py extract          # templates and code -> translations/messages.pot
    python scripts/catalogs.py update           # every .po gains new strings (empty, not fuzzy)
    python scripts/catalogs.py init LANG        # a new catalog and glossary, machine-drafted
    python scripts/catalogs.py check            # untranslated / fuzzy / placeholder problems,
                                                # and safety terms that stray from the glossary
"""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from aid.i18n import LANGUAGES, NO_CLDR, po_path  # noqa: E402
from aid.i18n_check import glossary_path, glossary_problems, problems  # noqa: E402

POT = ROOT / "translations" / "messages.pot"
HEADER = ("aid interface strings: {lang}.\n"
          "Status: machine-drafted. A community reviewer who checks every entry replaces this\n"
          "line with 'Status: reviewed by <handle>, <date>'.")


def extract() -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "--no-location",
                    "--sort-output", "--project", "aid", "-o", str(POT), str(ROOT)], check=True)


def _read(path: Path, code: str | None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=None if code in NO_CLDR else code)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, width=100)


def update() -> None:
    template = _read(POT, None)
    for code in LANGUAGES:
        path = po_path(code)
        if path.exists():
            catalog = _read(path, code)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            _write(path, catalog)


def init(code: str) -> None:
    template = _read(POT, None)
    catalog = Catalog(locale=None if code in NO_CLDR else code, project="aid", version="0.1",
                      fuzzy=False, revision_date=datetime.now(UTC),
                      header_comment="# " + HEADER.format(lang=code).replace("\n", "\n# "))
    catalog.language_team = code
    catalog.last_translator = "machine draft"
    catalog.update(template, no_fuzzy_matching=True)
    _write(po_path(code), catalog)
    # The English glossary with the terms left empty: `check` fails until they are chosen.
    english = json.loads(glossary_path("en").read_text("utf-8"))
    terms = {key: {"term": "", "forms": [], "note": ""} for key in english["terms"]}
    glossary_path(code).write_text(json.dumps({"locale": code, "terms": terms}, indent=2,
                                              ensure_ascii=False) + "\n", encoding="utf-8")


def check() -> int:
    bad = 0
    for code in LANGUAGES:
        if code == "en":
            continue
        found = problems(po_path(code), code) + glossary_problems(code, po_path(code))
        bad += len(found)
        print(f"{code:8} {'ok' if not found else f'{len(found)} problems'}")
        for line in found[:5]:
            print("   ", line)
    return 1 if bad else 0


if __name__ == "__main__":
    cmd = sys.argv[1:] or ["check"]
    if cmd[0] == "extract":
        extract()
    elif cmd[0] == "update":
        update()
    elif cmd[0] == "init":
        init(cmd[1])
    else:
        sys.exit(check())
