"""Form helpers shared by every blueprint: validators whose messages the app translates.

WTForms' own messages would come out in English (or WTForms' catalog); every validator here
carries a message from our catalogs instead, and number-like input accepts digits in any script.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms.validators import StopValidation, ValidationError

from aid.crypto import normalize_digits


class AidForm(FlaskForm):
    """Base form: CSRF is checked globally by CSRFProtect, so the form does not repeat it."""

    class Meta:
        csrf = False


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
        if data is None or data == "" or data == [] or data is False:
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


class ValidDate:
    def __init__(self, message, not_past_message=None):
        self.message, self.not_past_message = message, not_past_message
        self.field_flags = {}

    def __call__(self, form, field):
        when = parse_date(field.data)
        if when is None:
            raise ValidationError(self.message)
        if self.not_past_message and when < date.today():
            raise ValidationError(self.not_past_message)


class ValidTime:
    def __init__(self, message):
        self.message = message
        self.field_flags = {}

    def __call__(self, form, field):
        if parse_time(field.data) is None:
            raise ValidationError(self.message)
