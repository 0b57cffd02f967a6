"""The volunteer's forms: joining and the profile. Never a legal name or immigration status:
a handle of their choosing, how to reach them, what they will do, where and when."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from aid.forms import AidForm, IntRange, MaxLength, OneOf, Optional, Required, digits, strip
from aid.i18n import LANGUAGES
from aid.members import ProfileAnswers
from aid.routing.geocode import zip_place
from aid.vocabulary import DAYS, SLOTS, TIMES, VEHICLES, choices


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


SLOT_CHOICES = [(f"{day}:{slot}", f"{DAYS[day]} {TIMES[slot]}") for day in DAYS
                for slot in SLOTS]
HANDLE = re.compile(r"[A-Za-z0-9._-]{3,32}")


class ProfileForm(AidForm):
    contact = StringField(_l("How can organizers reach you? (Signal, phone)"), filters=[strip],
                          validators=[Required(_l("Tell us how organizers can reach you.")),
                                      MaxLength(100, _l("Use at most %(num)d characters.",
                                                        num=100))])
    languages = MultiCheckbox(_l("Languages you speak"), choices=list(LANGUAGES.items()),
                              validate_choice=False,
                              validators=[Required(_l("Choose at least one language.")),
                                          OneOf(_l("Choose one of the options shown."))])
    deliver = BooleanField(_l("I can deliver groceries"))
    vehicle = RadioField(_l("How do you get around?"), choices=choices(VEHICLES),
                         validate_choice=False,
                         validators=[Optional(), OneOf(_l("Choose one of the options shown."))])
    boxes = StringField(_l("How many boxes can you carry at once?"), filters=[digits],
                        default="0", validators=[IntRange(0, 40, _l(
                            "Enter a number from 0 to 40."))])
    pack = BooleanField(_l("I can pack groceries"))
    translate_in_person = BooleanField(_l("I can translate in person"))
    translate_remote = BooleanField(_l("I can translate by phone or translate documents"))
    court = BooleanField(_l("I can go with someone to court"))
    enter_courts = BooleanField(_l("I am willing to go inside courts and immigration offices"))
    availability = MultiCheckbox(_l("When are you usually free?"), choices=SLOT_CHOICES,
                                 validate_choice=False,
                                 validators=[Optional(), OneOf(
                                     _l("Choose one of the options shown."))])
    home_zip = StringField(_l("Your ZIP code"), filters=[digits],
                           validators=[Required(_l("Enter a 5-digit ZIP code."))])
    max_km = StringField(_l("How far will you go (km)?"), filters=[digits], default="5",
                         validators=[IntRange(1, 100, _l("Enter a number from 1 to 100."))])
    weekly_limit = StringField(_l("How many tasks a week at most?"), filters=[digits],
                               default="3", validators=[IntRange(1, 30, _l(
                                   "Enter a number from 1 to 30."))])

    def validate_home_zip(self, field):
        if not re.fullmatch(r"\d{5}", field.data or "") or zip_place(field.data) is None:
            raise ValidationError(_l("We do not know that ZIP code. Check it and try again."))

    def answers(self) -> ProfileAnswers:
        return ProfileAnswers(
            contact=self.contact.data, languages=list(self.languages.data or []),
            deliver=self.deliver.data, vehicle=self.vehicle.data or None,
            boxes=int(self.boxes.data or 0), pack=self.pack.data,
            translate_in_person=self.translate_in_person.data,
            translate_remote=self.translate_remote.data, court=self.court.data,
            enter_courts=self.enter_courts.data,
            availability=list(self.availability.data or []), home_zip=self.home_zip.data,
            max_km=int(self.max_km.data), weekly_limit=int(self.weekly_limit.data))


class JoinForm(ProfileForm):
    handle = StringField(_l("A username (not your real name)"), filters=[strip],
                         validators=[Required(_l("Choose a username."))])
    password = PasswordField(_l("Password"), validators=[
        Required(_l("Enter your password.")),
        MaxLength(200, _l("Use at most %(num)d characters.", num=200))])
    password_again = PasswordField(_l("Password again"), validators=[
        Required(_l("Enter your password again."))])

    def validate_handle(self, field):
        if not HANDLE.fullmatch(field.data or ""):
            raise ValidationError(_l("Use 3 to 32 letters, digits, dots, dashes or "
                                     "underscores."))

    def validate_password(self, field):
        if len(field.data or "") < 12:
            raise ValidationError(_l("Use a password of at least 12 characters."))

    def validate_password_again(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords are not the same."))
