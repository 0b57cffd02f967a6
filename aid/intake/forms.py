"""The household request form. It never asks immigration status, A-number, birth date or
legal name: a name or alias of their choosing is all we need to greet them at the door."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from aid.forms import (
    AidForm,
    IntRange,
    MaxLength,
    OneOf,
    OnlyFor,
    Optional,
    Required,
    ValidDate,
    ValidTime,
    digits,
    strip,
)
from aid.i18n import LANGUAGES
from aid.routing.geocode import zip_place
from aid.vocabulary import (
    CONTACT_METHODS,
    DAYS,
    DIETS,
    DROPOFFS,
    KINDS,
    SUPPLIES,
    TIMES,
    TRANSLATION_FORMATS,
    TRANSLATION_MODES,
    choices,
)


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def too_long(limit: int):
    return MaxLength(limit, _l("Use at most %(num)d characters.", num=limit))


def choice():
    return OneOf(_l("Choose one of the options shown."))


KIND_CHOICES = [(code, kind.label) for code, kind in KINDS.items()]
CONTACT_CHOICES = choices(CONTACT_METHODS)


class RequestForm(AidForm):
    kinds = MultiCheckbox(_l("What help do you need?"), choices=KIND_CHOICES,
                          validate_choice=False,
                          validators=[Required(_l("Choose at least one kind of help.")),
                                      choice()])

    name = StringField(_l("A name or nickname we can use"), filters=[strip],
                       validators=[Required(_l("Tell us a name or nickname we can use.")),
                                   too_long(80)])
    contact_method = RadioField(_l("How can we reach you?"), choices=CONTACT_CHOICES,
                                validate_choice=False,
                                validators=[Required(_l("Choose how we can reach you.")),
                                            choice()])
    contact_handle = StringField(_l("Number or username"), filters=[digits],
                                 validators=[Required(_l("Tell us the number or username to "
                                                         "reach you.")), too_long(100)])
    language = SelectField(_l("Language you prefer"), choices=list(LANGUAGES.items()),
                           validate_choice=False,
                           validators=[Required(_l("Choose a language.")), choice()])
    street = StringField(_l("Street address"), filters=[strip],
                         validators=[Required(_l("Enter the street address.")),
                                     too_long(120)])
    unit = StringField(_l("Apartment or unit (optional)"), filters=[strip],
                       validators=[Optional(), too_long(30)])
    city = StringField(_l("City"), filters=[strip],
                       validators=[Required(_l("Enter the city.")), too_long(60)])
    zip = StringField(_l("ZIP code"), filters=[digits],
                      validators=[Required(_l("Enter a 5-digit ZIP code."))])
    safety_notes = TextAreaField(_l("Safety notes for volunteers (optional)"), filters=[strip],
                                 validators=[Optional(), too_long(500)])
    code_word = StringField(_l("A code word volunteers will say at your door (optional)"),
                            filters=[strip], validators=[Optional(), too_long(40)])

    household_size = StringField(_l("How many people live in your home?"), filters=[digits],
                                 validators=[OnlyFor("groceries"), Required(
                                     _l("Enter how many people live in your home.")),
                                     IntRange(1, 30, _l("Enter a number from 1 to 30."))])
    dietary = MultiCheckbox(_l("Food needs (optional)"), choices=choices(DIETS),
                            validate_choice=False, validators=[OnlyFor("groceries"),
                                                               Optional(), choice()])
    dietary_notes = StringField(_l("Allergies or other food needs (optional)"),
                                filters=[strip], validators=[OnlyFor("groceries"), Optional(),
                                                             too_long(200)])
    supplies = MultiCheckbox(_l("Other supplies (optional)"), choices=choices(SUPPLIES),
                             validate_choice=False, validators=[OnlyFor("groceries"),
                                                                Optional(), choice()])
    delivery_days = MultiCheckbox(_l("Days a delivery can come"), choices=choices(DAYS),
                                  validate_choice=False, validators=[
                                      OnlyFor("groceries"),
                                      Required(_l("Choose at least one day.")), choice()])
    delivery_times = MultiCheckbox(_l("Times a delivery can come"), choices=choices(TIMES),
                                   validate_choice=False, validators=[
                                       OnlyFor("groceries"),
                                       Required(_l("Choose at least one time of day.")),
                                       choice()])
    dropoff = RadioField(_l("How should we drop it off?"), choices=choices(DROPOFFS),
                         validate_choice=False, validators=[
                             OnlyFor("groceries"),
                             Required(_l("Choose how we should drop it off.")), choice()])

    translation_languages = StringField(_l("Which languages?"), filters=[strip], validators=[
        OnlyFor("translation"), Required(_l("Tell us which languages.")), too_long(100)])
    translation_format = RadioField(_l("What needs translating?"),
                                    choices=choices(TRANSLATION_FORMATS),
                                    validate_choice=False, validators=[
                                        OnlyFor("translation"),
                                        Required(_l("Choose a document or live.")), choice()])
    translation_mode = RadioField(_l("In person or by phone?"), choices=choices(TRANSLATION_MODES),
                                  validate_choice=False, validators=[
                                      OnlyFor("translation"),
                                      Required(_l("Choose in person or by phone.")), choice()])
    translation_by = StringField(_l("Needed by (optional)"), filters=[digits], validators=[
        OnlyFor("translation"), Optional(),
        ValidDate(_l("Enter a real date, for example 2027-01-31."),
                  _l("The date must be today or later."))])

    court_date = StringField(_l("Date of the court hearing"), filters=[digits], validators=[
        OnlyFor("court"), Required(_l("Enter the date of the hearing.")),
        ValidDate(_l("Enter a real date, for example 2027-01-31."),
                  _l("The date must be today or later."))])
    court_time = StringField(_l("Time of the hearing (optional)"), filters=[digits],
                             validators=[OnlyFor("court"), Optional(),
                                         ValidTime(_l("Enter a time, for example 9:30 or "
                                                      "14:00."))])
    court_name = StringField(_l("Name of the court"), filters=[strip], validators=[
        OnlyFor("court"), Required(_l("Enter the name of the court.")), too_long(120)])
    court_address = StringField(_l("Address of the court (optional)"), filters=[strip],
                                validators=[OnlyFor("court"), Optional(), too_long(200)])
    court_language = StringField(_l("Language at court (optional)"), filters=[strip],
                                 validators=[OnlyFor("court"), Optional(), too_long(60)])
    court_support = TextAreaField(_l("What support would help you? (optional)"),
                                  filters=[strip], validators=[OnlyFor("court"), Optional(),
                                                               too_long(300)])

    # One nonce per filled-in form, carried to the confirmation: sending the same form twice
    # (a double tap, Back and send again) stores one household and shows the same code.
    submission = HiddenField()

    # Honeypot: hidden from people by CSS, filled in by simple bots.
    extra_info_leave_blank = StringField(_l("Leave this empty"))

    def validate_zip(self, field):
        if not re.fullmatch(r"\d{5}(-?\d{4})?", field.data or ""):
            raise ValidationError(_l("Enter a 5-digit ZIP code."))
        field.data = field.data[:5]
        if zip_place(field.data) is None:  # 00000, 99999: no such place in the US
            raise ValidationError(_l("We do not know that ZIP code. Check it and try again."))

    KIND_FIELDS = {
        "groceries": ("household_size", "dietary", "dietary_notes", "supplies",
                      "delivery_days", "delivery_times", "dropoff"),
        "translation": ("translation_languages", "translation_format", "translation_mode",
                        "translation_by"),
        "court": ("court_date", "court_time", "court_name", "court_address", "court_language",
                  "court_support"),
    }
    COMMON_FIELDS = ("name", "contact_method", "contact_handle", "language", "street", "unit",
                     "city", "zip", "safety_notes", "code_word")
