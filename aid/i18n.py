"""Supported languages, choice of language per request, text direction, catalogs.

The interface language (any of LANGUAGES) picks the catalog; the formatting locale that
Flask-Babel hands to CLDR is the same language, except where Babel has no data (Hmong),
which formats as English. Catalogs are compiled from the .po files in memory at start.
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import g, has_request_context, request, session
from flask_babel import Domain, refresh
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

# code -> native name, in the order the picker shows them.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "ht": "Kreyòl ayisyen",
    "so": "Soomaali",
    "ar": "العربية",
    "fa_AF": "دری",
    "vi": "Tiếng Việt",
    "zh_Hans": "简体中文",
    "fil": "Filipino",
    "fr": "Français",
    "pt_BR": "Português (Brasil)",
    "ru": "Русский",
    "ko": "한국어",
    "am": "አማርኛ",
    "om": "Afaan Oromoo",
    "hmn": "Hmoob",
}
RTL = frozenset({"ar", "fa_AF"})
NO_CLDR = frozenset({"hmn"})  # Babel has no locale data: format as English
DEFAULT = "en"

# Tags that negotiation does not map by itself (see DESIGN.md pitfalls).
ALIASES = {
    "zh": "zh_Hans", "zh_cn": "zh_Hans", "zh_sg": "zh_Hans", "zh_hans_cn": "zh_Hans",
    "tl": "fil", "fil_ph": "fil", "fa": "fa_AF", "prs": "fa_AF", "fa_ir": "fa_AF",
    "pt": "pt_BR", "mww": "hmn", "hnj": "hmn",
}
_BY_LOWER = {code.lower(): code for code in LANGUAGES}


def match_language(tag: str | None) -> str | None:
    """Map a tag such as 'es-MX', 'zh-CN' or 'fa_AF' to a supported code, or None."""
    if not tag:
        return None
    key = tag.strip().replace("-", "_").lower()
    if key in _BY_LOWER:
        return _BY_LOWER[key]
    if key in ALIASES:
        return ALIASES[key]
    primary = key.split("_")[0]
    return _BY_LOWER.get(primary) or ALIASES.get(primary)


def asked_language() -> str | None:
    """The language the person picked just now: ?lang= on a link, or a `lang` button in a
    POST form (the status pages switch language by POST, so the code never enters a URL)."""
    chosen = match_language(request.args.get("lang"))
    if chosen is None and request.method == "POST":
        try:
            chosen = match_language(request.form.get("lang"))
        except HTTPException:  # a body too large to read: its error page is still shown
            chosen = None
    return chosen


def negotiate() -> str:
    """The language picked now, then the session, then Accept-Language, then English."""
    chosen = asked_language()
    if chosen:
        session["lang"] = chosen
        return chosen
    remembered = match_language(session.get("lang"))
    if remembered:
        return remembered
    for tag, _quality in request.accept_languages:
        found = match_language(tag)
        if found:
            return found
    return DEFAULT


def current_language() -> str:
    if not has_request_context():
        return DEFAULT
    if "ui_lang" not in g:
        g.ui_lang = negotiate()
    return g.ui_lang


def use_language(code: str) -> None:
    """Show this request in a given language (e.g. the household's), unless the person
    just picked one."""
    if has_request_context() and not asked_language():
        g.ui_lang = match_language(code) or DEFAULT
        refresh()


def formatting_locale() -> str:
    lang = current_language()
    return "en" if lang in NO_CLDR else lang


def join_list(items) -> Markup:
    """Join values the interface language's way ('A, B y C', 'A وB'); Hmong as English.

    Each item is escaped (or kept, if it is already markup such as a <bdi>), and so is the
    pattern's own text.
    """
    items = [escape(item) for item in items]
    if not items:
        return Markup("")
    marks = [f"\x00{i}\x00" for i in range(len(items))]
    joined = str(escape(format_list(marks, locale=formatting_locale())))
    for mark, item in zip(marks, items):
        joined = joined.replace(mark, str(item))
    return Markup(joined)


def html_lang(code: str | None = None) -> str:
    return (code or current_language()).replace("_", "-")


def text_direction(code: str | None = None) -> str:
    return "rtl" if (code or current_language()) in RTL else "ltr"


def po_path(code: str) -> Path:
    return TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"


def compile_catalogs() -> dict[str, Translations]:
    """Compile every shipped .po file in memory (no .mo files to keep in step); once per
    process for as long as the files stay the same (each app the process makes shares them)."""
    stamps = tuple((code, po_path(code).stat().st_mtime_ns) for code in LANGUAGES
                   if po_path(code).exists())
    return _compiled(stamps)


@functools.lru_cache(maxsize=2)
def _compiled(stamps: tuple[tuple[str, int], ...]) -> dict[str, Translations]:
    out: dict[str, Translations] = {}
    for code, _stamp in stamps:
        path = po_path(code)
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=None if code in NO_CLDR else code)
        buf = io.BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        buf.seek(0)
        out[code] = Translations(fp=buf)
    return out


class InterfaceDomain(Domain):
    """Picks the catalog by interface language, so Hmong works without CLDR data."""

    def __init__(self, catalogs: dict[str, Translations]):
        super().__init__()
        self.catalogs = catalogs

    def get_translations(self):
        return self.catalogs.get(current_language()) or NullTranslations()
