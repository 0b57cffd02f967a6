"""The treasurer's forms. Every message is the app's own, translated; amounts are typed as
people type them (see aid.ledger.amounts); payees, donors and cases are pseudonyms."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FileField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import ValidationError

from aid.forms import AidForm, MaxLength, OneOf, Optional, Required, ValidDate, digits, strip
from aid.ledger.amounts import AmountError, amount_message, parse_cents
from aid.ledger.money import HANDLE
from aid.vocabulary import BAIL_KINDS, IMPORT_LAYOUTS, PAYEE_KINDS, choices

DATE_MESSAGE = _l("Enter a real date, for example 2027-01-31.")


class Amount:
    """A typed amount of money; the cents land on field.cents."""

    field_flags = {}

    def __call__(self, form, field):
        try:
            field.cents = parse_cents(field.data)
        except AmountError as exc:
            raise ValidationError(amount_message(str(exc))) from exc


class Handle:
    """A pseudonym or handle (HH-4F2A, donor-17): letters, digits and dashes, no spaces."""

    field_flags = {}

    def __call__(self, form, field):
        if not HANDLE.fullmatch(field.data or ""):
            raise ValidationError(_l("Use a pseudonym such as HH-4F2A, never a name."))


def choice():
    return OneOf(_l("Choose one of the options shown."))


def amount(label=None):
    return StringField(label or _l("Amount"), filters=[digits],
                       validators=[Required(_l("Enter an amount.")), Amount()])


def when(label=None):
    return StringField(label or _l("Date"), filters=[digits], default=lambda: date.today()
                       .isoformat(), validators=[Required(DATE_MESSAGE), ValidDate(DATE_MESSAGE)])


def pick(label, required=True):
    """A select whose choices the view fills from the books."""
    first = Required(_l("Choose one of the options shown.")) if required else Optional()
    return SelectField(label, choices=[], validate_choice=False, validators=[first, choice()])


def handle(label, required=True):
    first = Required(_l("Use a pseudonym such as HH-4F2A, never a name.")) if required \
        else Optional()
    return StringField(label, filters=[strip], validators=[first, Handle()])


class DonationForm(AidForm):
    amount = amount()
    occurred_on = when(_l("Date received"))
    account = pick(_l("Received in"))
    fund = pick(_l("Fund"))
    campaign = pick(_l("Campaign (optional)"), required=False)
    donor = handle(_l("Donor handle (optional: empty means anonymous)"), required=False)
    key = HiddenField()


class DisbursementForm(AidForm):
    payee_kind = RadioField(_l("Paid to"), choices=choices(PAYEE_KINDS), validate_choice=False,
                            validators=[Required(_l("Choose one of the options shown.")),
                                        choice()])
    payee = handle(_l("Payee pseudonym, for example HH-4F2A or STORE-2"))
    category = pick(_l("Category"))
    from_account = pick(_l("Paid from"))
    fund = pick(_l("Fund"))
    amount = amount()
    occurred_on = when(_l("Date paid"))
    receipt = FileField(_l("Receipt: a photo or PDF, at most 5 MB (needed for a volunteer)"))


class TransferForm(AidForm):
    amount = amount()
    occurred_on = when()
    from_account = pick(_l("From account"))
    from_fund = pick(_l("From fund"))
    to_account = pick(_l("To account"))
    to_fund = pick(_l("To fund"))


class BailForm(AidForm):
    kind = RadioField(_l("Kind"), choices=choices(BAIL_KINDS), validate_choice=False,
                      validators=[Required(_l("Choose one of the options shown.")), choice()])
    amount = amount()
    occurred_on = when(_l("Date paid"))
    from_account = pick(_l("Paid from"))
    fund = pick(_l("Fund"))
    posted_by = handle(_l("Posted by (handle of the person who signed for it)"))
    receipt_holder = handle(_l("Who holds the receipt (handle)"))
    pseudonym = handle(_l("Case pseudonym (optional: one is made up for you)"), required=False)


class RefundForm(AidForm):
    amount = amount()
    occurred_on = when(_l("Date received"))
    to_account = pick(_l("Received in"))
    refunded_to = handle(_l("Refunded to (handle)"))


class ForfeitForm(AidForm):
    amount = amount()
    occurred_on = when()


class CampaignForm(AidForm):
    title = StringField(_l("Title (shown on the public page: no names)"), filters=[strip],
                        validators=[Required(_l("Enter a title.")),
                                    MaxLength(80, _l("Use at most %(num)d characters.",
                                                     num=80))])
    goal = amount(_l("Goal"))
    starts_on = when(_l("First day"))
    ends_on = StringField(_l("Last day"), filters=[digits],
                          validators=[Required(DATE_MESSAGE), ValidDate(DATE_MESSAGE)])
    fund = pick(_l("Fund"))
    public = BooleanField(_l("Show a public page for donors"))


class ImportForm(AidForm):
    layout = RadioField(_l("Export from"), choices=choices(IMPORT_LAYOUTS),
                        validate_choice=False, default="venmo",
                        validators=[Required(_l("Choose one of the options shown.")), choice()])
    file = FileField(_l("CSV file"))
    account = pick(_l("Account the statement is for"))
    fund = pick(_l("Fund"))
    campaign = pick(_l("Campaign (optional)"), required=False)
    closing = StringField(_l("Closing balance on the statement"), filters=[digits],
                          validators=[Required(_l("Enter an amount.")), Amount()])
    date_column = StringField(_l("Date column (other banks only)"), filters=[strip],
                              validators=[Optional(), MaxLength(40, _l(
                                  "Use at most %(num)d characters.", num=40))])
    amount_column = StringField(_l("Amount column (other banks only)"), filters=[strip],
                                validators=[Optional(), MaxLength(40, _l(
                                    "Use at most %(num)d characters.", num=40))])
    id_column = StringField(_l("Transaction ID column (optional)"), filters=[strip],
                            validators=[Optional(), MaxLength(40, _l(
                                "Use at most %(num)d characters.", num=40))])

    def validate_date_column(self, field):
        if self.layout.data == "custom" and not (field.data and self.amount_column.data):
            raise ValidationError(_l("Name the date and amount columns of your bank's file."))


class FundForm(AidForm):
    name = StringField(_l("Name of the new fund"), filters=[strip],
                       validators=[Required(_l("Enter a name.")),
                                   MaxLength(60, _l("Use at most %(num)d characters.", num=60))])


class AccountForm(AidForm):
    name = StringField(_l("Name of the new account"), filters=[strip],
                       validators=[Required(_l("Enter a name.")),
                                   MaxLength(60, _l("Use at most %(num)d characters.", num=60))])
    type = RadioField(_l("Kind"), choices=[("asset", _l("Money we hold")),
                                           ("expense", _l("Spending"))],
                      validate_choice=False, validators=[Required(_l(
                          "Choose one of the options shown.")), choice()])


class ThresholdForm(AidForm):
    amount = amount(_l("Payments above this amount need a second treasurer"))
