"""Form helpers shared by every blueprint: validators whose messages the app translates.

WTForms' own messages would come out in English (or WTForms' catalog); every validator here
carries a message from our catalogs instead, and number-like input accepts digits in any script.
Dates are Gregorian; one typed on the Solar Hijri or Ethiopian calendar is recognised and the
message gives its Gregorian equivalent.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from flask_babel import format_date, gettext
from flask_wtf import FlaskForm
from wtforms.validators import StopValidation, ValidationError

from aid.crypto import normalize_digits
from aid.i18n import current_language

# Characters that reorder text or hide in it: bidi embeddings, overrides, isolates and marks
# (U+202E makes "123 Main St" read backwards), the null byte and other C0/C1 controls.
_SPOOFING = {cp: None for cp in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                                 *range(0x2066, 0x206A))}
_SPOOFING.update({cp: None for cp in (*range(0x00, 0x20), *range(0x7F, 0xA0))
                  if chr(cp) not in "\t\n\r"})
# Characters that show nothing by themselves: spaces, joiners, the byte order mark.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf", "Cc", "Mn", "Me"})


def clean(value):
    """Drop what could spoof a page or a log from anything a person types."""
    return value.translate(_SPOOFING) if isinstance(value, str) else value


def visible(value: str) -> bool:
    """Whether a text shows anything at all (a name of zero-width spaces does not)."""
    return any(unicodedata.category(ch) not in _INVISIBLE_CATEGORIES for ch in value)


class AidForm(FlaskForm):
    """Base form: every field's input is cleaned of spoofing characters before any other
    filter or check; CSRF is checked globally by CSRFProtect, so the form does not repeat it."""

    class Meta:
        csrf = False

        def bind_field(self, form, unbound_field, options):
            options["filters"] = [clean, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, **options)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def digits(value):
    return normalize_digits(value).strip() if isinstance(value, str) else value


class Required:
    """A value must be given (or, for lists, at least one chosen)."""

    def __init__(self, message):
        self.message = message
        self.field_flags = {}

    def __call__(self, form, field):
        data = field.data
        if data is None or data == "" or data == [] or data is False or (
                isinstance(data, str) and not visible(data)):
            field.errors[:] = []
            raise StopValidation(self.message)


class Optional:
    """Empty means skip the remaining checks."""

    field_flags = {}

    def __call__(self, form, field):
        if field.data in (None, "", []):
            field.errors[:] = []
            raise StopValidation()


class OnlyFor:
    """Checks apply only when the household asked for this kind of help."""

    field_flags = {}

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, form, field):
        if self.kind not in (form.kinds.data or []):
            field.errors[:] = []
            raise StopValidation()


class MaxLength:
    def __init__(self, limit: int, message):
        self.limit, self.message = limit, message
        self.field_flags = {}

    def __call__(self, form, field):
        if field.data and len(field.data) > self.limit:
            raise ValidationError(self.message)


class OneOf:
    """The value (or every value of a list) is one of the field's choices."""

    field_flags = {}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        allowed = {str(c[0]) for c in field.choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(str(v) not in allowed for v in values):
            raise ValidationError(self.message)


class IntRange:
    def __init__(self, low: int, high: int, message):
        self.low, self.high, self.message = low, high, message
        self.field_flags = {}

    def __call__(self, form, field):
        if not re.fullmatch(r"\d{1,4}", field.data or "") or not (
                self.low <= int(field.data) <= self.high):
            raise ValidationError(self.message)


def parse_date(text: str) -> date | None:
    """Accept 2026-12-01 (what date inputs send) and 12/01/2026 (what people type in the US)."""
    text = normalize_digits(text or "").strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_time(text: str) -> str | None:
    """Accept 9:30, 09:30, 14:05, 2:30 pm; return HH:MM."""
    text = normalize_digits(text or "").strip().lower().replace(".", "")
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", text)
    if not m:
        return None
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


# Solar Hijri (Afghanistan, Iran): Borkowski's arithmetic, as in the jalaali libraries; the
# years at which the 33-year leap cycle breaks. Exact for years -61 to 3177.
_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192,
           2262, 2324, 2394, 2456, 3178)


def _solar_hijri_year(year: int) -> tuple[date, bool]:
    """Farvardin (Hamal) 1 of a Solar Hijri year as a Gregorian date, and whether it is leap."""
    if not _BREAKS[0] <= year < _BREAKS[-1]:
        raise ValueError("year out of range")
    leap_j, before, jump = -14, _BREAKS[0], 0
    for brk in _BREAKS[1:]:
        jump = brk - before
        if year < brk:
            break
        leap_j += jump // 33 * 8 + jump % 33 // 4
        before = brk
    n = year - before
    leap_j += n // 33 * 8 + (n % 33 + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_j += 1
    gyear = year + 621
    leap_g = gyear // 4 - (gyear // 100 + 1) * 3 // 4 - 150
    if jump - n < 6:
        n = n - jump + (jump + 4) // 33 * 33
    since_leap = (n + 1) % 33 - 1
    return date(gyear, 3, 20 + leap_j - leap_g), since_leap >= 0 and since_leap % 4 == 0


def solar_hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """1405/09/10 -> 2026-12-01. Months 1-6 have 31 days, 7-11 have 30, 12 has 29 or 30."""
    nowruz, leap = _solar_hijri_year(year)
    length = 31 if month <= 6 else 30 if month <= 11 or leap else 29
    if not (1 <= month <= 12 and 1 <= day <= length):
        raise ValueError("no such Solar Hijri date")
    return nowruz + timedelta(days=(month - 1) * 31 - month // 7 * (month - 7) + day - 1)


# Ethiopian: twelve months of 30 days and Pagume of 5 (6 before a year divisible by 4).
_ETHIOPIAN_EPOCH = date(8, 8, 27).toordinal()  # Meskerem 1, year 1 (29 August 8, Julian)


def ethiopian_to_gregorian(year: int, month: int, day: int) -> date:
    """Hidar 22, 2019 (2019-03-22) -> 2026-12-01."""
    length = 30 if month <= 12 else 6 if year % 4 == 3 else 5
    if not (1 <= year and 1 <= month <= 13 and 1 <= day <= length):
        raise ValueError("no such Ethiopian date")
    days = 365 * (year - 1) + year // 4 + 30 * (month - 1) + day - 1
    return date.fromordinal(_ETHIOPIAN_EPOCH + days)


MAX_DAYS_AHEAD = 731  # about two years: further than that is a typo or another calendar
SOLAR_HIJRI_YEARS = range(1300, 1500)
ETHIOPIAN_CALENDAR_LANGUAGES = frozenset({"am", "om", "ti"})


def _readings(text: str) -> list[tuple[int, int, int]]:
    """(year, month, day) readings of a typed date: 1405/09/10, or 10/09/1405 day first (as
    Afghans and Ethiopians write it) and then month first."""
    found = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if found:
        return [(int(found[1]), int(found[2]), int(found[3]))]
    found = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if found:
        year, first, second = int(found[3]), int(found[1]), int(found[2])
        return [(year, second, first), (year, first, second)]
    return []


def _convert(convert, readings) -> date | None:
    for reading in readings:
        try:
            return convert(*reading)
        except ValueError:
            continue
    return None


def other_calendar_message(text: str, languages=(), today: date | None = None) -> str | None:
    """Why a typed date is probably not Gregorian, with its Gregorian day where we can tell."""
    readings = _readings(text)
    if not readings:
        return None
    today = today or date.today()
    plausible = (today - timedelta(days=366), today + timedelta(days=MAX_DAYS_AHEAD))
    year = readings[0][0]
    if year in SOLAR_HIJRI_YEARS:
        when = _convert(solar_hijri_to_gregorian, readings)
        if when and plausible[0] <= when <= plausible[1]:
            return gettext("That looks like %(typed)s on the Solar Hijri calendar. This form "
                           "uses the international (Gregorian) calendar: that day is "
                           "%(date)s. Please enter %(iso)s.", typed=text,
                           date=format_date(when, "long"), iso=when.isoformat())
        return gettext("That year looks like it is on another calendar. This form uses the "
                       "international (Gregorian) calendar, for example 2027-01-31.")
    if ETHIOPIAN_CALENDAR_LANGUAGES & set(languages) and 7 <= today.year - year <= 9:
        when = _convert(ethiopian_to_gregorian, readings)
        if when and plausible[0] <= when <= plausible[1]:
            return gettext("That looks like %(typed)s on the Ethiopian calendar. This form "
                           "uses the international (Gregorian) calendar: that day is "
                           "%(date)s. Please enter %(iso)s.", typed=text,
                           date=format_date(when, "long"), iso=when.isoformat())
    return None


class ValidDate:
    """A real Gregorian date; with not_past_message, an upcoming one: today to about two
    years ahead, and a date typed on the Solar Hijri or Ethiopian calendar is explained."""

    def __init__(self, message, not_past_message=None):
        self.message, self.not_past_message = message, not_past_message
        self.field_flags = {}

    def __call__(self, form, field):
        text = normalize_digits(field.data or "").strip()
        if self.not_past_message:
            chosen = getattr(getattr(form, "language", None), "data", None)
            other = other_calendar_message(text, {current_language(), chosen})
            if other:
                raise ValidationError(other)
        when = parse_date(text)
        if when is None:
            raise ValidationError(self.message)
        if self.not_past_message and when < date.today():
            raise ValidationError(self.not_past_message)
        if self.not_past_message and when > date.today() + timedelta(days=MAX_DAYS_AHEAD):
            raise ValidationError(gettext("That date is too far ahead. Enter a date within "
                                          "the next two years."))


class ValidTime:
    def __init__(self, message):
        self.message = message
        self.field_flags = {}

    def __call__(self, form, field):
        if parse_time(field.data) is None:
            raise ValidationError(self.message)
