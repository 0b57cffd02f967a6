"""Is a catalog complete? No untranslated, fuzzy or placeholder-dropping entry.

Read with babel's read_po, because `pybabel compile --statistics` counts an empty plural
form as translated and drops fuzzy entries silently (see DESIGN.md pitfalls).
"""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _strs(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [
        message.string]


def problems(path: Path, code: str) -> list[str]:
    """Every reason this catalog is not complete, one line each."""
    if not path.exists():
        return [f"{path} is missing"]
    with path.open("rb") as fh:
        catalog = read_po(fh)
    found = ["header is marked fuzzy"] if catalog.fuzzy else []
    if "machine-drafted" not in (catalog.header_comment or "") and "reviewed by" not in (
            catalog.header_comment or ""):
        found.append("header does not say machine-drafted or reviewed by")
    for message in catalog:
        if not message.id:
            continue
        key = _ids(message)[0][:50]
        if message.fuzzy:
            found.append(f"fuzzy: {key}")
        strings = _strs(message)
        if any(not s for s in strings):
            found.append(f"untranslated: {key}")
            continue
        wanted = sorted(PLACEHOLDER.findall(_ids(message)[-1]))
        for s in strings:
            if sorted(PLACEHOLDER.findall(s)) != wanted:
                found.append(f"placeholders differ: {key}")
                break
    return found
