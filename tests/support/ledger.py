"""The books as tests use them: the usual chart, a few postings, raw SQL behind the app's back.
Every payee and donor is a pseudonym or a handle (HH-4F2A, donor-17)."""
from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import date

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from sqlalchemy import create_engine, text

from aid.extensions import db
from aid.workflow import workflow


@contextmanager
def books(app):
    """An app and request context (Babel formats money) with the usual chart set up."""
    from aid.ledger import books as ledger_books

    with app.app_context(), app.test_request_context():
        ledger_books.set_up_chart()
        yield ledger_books
        db.session.remove()


def leg(code: str, fund: str, amount: int):
    from aid.ledger import books as ledger_books

    return ledger_books.Leg(ledger_books.account_by_code(code),
                            ledger_books.fund_by_code(fund), amount)


@workflow
def seal(kind: str, legs, on: date | None = None, actor: int | None = None, **links):
    from aid.ledger import books as ledger_books

    return ledger_books.seal(kind, legs, on or date.today(), actor, **links)


def give(amount: int, fund: str = "general", account: str = "bank", **links):
    """A donation of `amount` cents into `account` for `fund`."""
    return seal("donation", [leg(account, fund, amount), leg("donations", fund, -amount)],
                **links)


@contextmanager
def raw(app):
    """A connection of its own, outside the app: writing behind its back."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as conn:  # aid's connect hook turns SQLite's foreign keys on
            yield conn
    finally:
        engine.dispose()


@contextmanager
def without_guards(conn, table: str):
    """Someone with the database's admin rights switches a table's triggers off."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        try:
            yield
        finally:
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
            conn.commit()
    else:
        names = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type='trigger' "
                                  "AND tbl_name=:t"), {"t": table}).all()
        for name, _sql in names:
            conn.execute(text(f"DROP TRIGGER {name}"))
        try:
            yield
        finally:
            for _name, sql in names:
                conn.execute(text(sql))
            conn.commit()


def sample_books(app, requester_id: int) -> dict:
    """A little of everything, for the access matrix and the CSRF tests: a thanked-able
    donation (txn 1), two payments waiting for approval, a bail case, a public campaign and
    a receipt. Returns the ids and values a URL or a form needs."""
    from aid.ledger import bail, campaigns, money, receipts
    from aid.ledger import books as ledger_books

    with books(app):
        acct, fund = ledger_books.account_by_code, ledger_books.fund_by_code
        give(500_000, "general", counterparty_kind="donor", counterparty="donor-17")
        give(500_000, "general")
        give(500_000, "bail")
        waiting = [money.request_disbursement(requester_id, "vendor", "STORE-2",
                                              acct("groceries"), acct("bank"), fund("general"),
                                              90_000, date.today()).id for _ in range(2)]
        case = bail.pay(requester_id, "bail", 100_000, date.today(), acct("bank"),
                        fund("bail"), "vol-posted-1", "vol-3")
        campaign = campaigns.create(requester_id, "Winter groceries", 100_000, date.today(),
                                    date.today(), fund("general"), True)
        receipt = receipts.store(requester_id, pdf_receipt())
        return {"txn_id": 1, "disbursement_id": waiting[0], "reject_id": waiting[1],
                "case_id": case.id, "campaign_id": campaign.id, "slug": campaign.slug,
                "receipt_id": receipt.id, "fund_id": fund("rent").id,
                "account_id": acct("zelle").id, "bank": acct("bank").id,
                "general": fund("general").id, "groceries": acct("groceries").id,
                "cash": acct("cash").id}


def filled_form(endpoint: str, ids: dict) -> tuple[dict, dict]:
    """A form each ledger POST endpoint accepts and acts on: (url values, form data)."""
    today = date.today().isoformat()
    forms = {
        "ledger.setup": {},
        "ledger.reverse": {},
        "ledger.thank": {},
        "ledger.donation": {"amount": "25", "occurred_on": today, "account": ids["bank"],
                            "fund": ids["general"], "donor": "donor-18"},
        "ledger.disbursement": {"payee_kind": "household", "payee": "HH-4F2A",
                                "category": ids["groceries"], "from_account": ids["bank"],
                                "fund": ids["general"], "amount": "20", "occurred_on": today},
        "ledger.approve": {},
        "ledger.reject": {},
        "ledger.transfer": {"amount": "5", "occurred_on": today, "from_account": ids["bank"],
                            "from_fund": ids["general"], "to_account": ids["cash"],
                            "to_fund": ids["general"]},
        "ledger.pay_bail": {"kind": "bond", "amount": "50", "occurred_on": today,
                            "from_account": ids["bank"], "fund": ids["general"],
                            "posted_by": "obligor-1", "receipt_holder": "vol-2"},
        "ledger.refund": {"refund-amount": "10", "refund-occurred_on": today,
                          "refund-to_account": ids["bank"], "refund-refunded_to": "vol-9"},
        "ledger.forfeit": {"forfeit-amount": "10", "forfeit-occurred_on": today},
        "ledger.new_campaign": {"title": "Rent in March", "goal": "900", "starts_on": today,
                                "ends_on": today, "fund": ids["general"]},
        "ledger.publish": {"public": "1"},
        "ledger.import_statement": {"layout": "custom", "date_column": "Date",
                                    "amount_column": "Amount", "account": ids["account_id"],
                                    "fund": ids["general"], "closing": "12.00"},
        "ledger.threshold": {"amount": "300"},
        "ledger.add_fund": {"name": "Winter coats"},
        "ledger.change_fund": {"change": "allow_negative"},
        "ledger.add_account": {"name": "Credit union", "type": "asset"},
        "ledger.close_account": {},
    }
    values = {"txn_id": ids["txn_id"], "disbursement_id": ids["reject_id"]
              if endpoint == "ledger.reject" else ids["disbursement_id"],
              "case_id": ids["case_id"], "campaign_id": ids["campaign_id"],
              "fund_id": ids["fund_id"], "account_id": ids["account_id"]}
    return values, forms[endpoint]


def with_statement(data: dict) -> dict:
    """An import form carries its CSV file (a fresh one each time: the client reads it)."""
    import io

    out = dict(data)
    out["file"] = (io.BytesIO(b"Date,Amount\n2026-11-02,12.00\n"), "statement.csv")
    return out


def _stream(data: bytes, **entries: str) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[NameObject(f"/{key}")] = NameObject(value)
    return stream


def _photo_with_gps() -> bytes:
    photo = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x8825] = {1: "N", 2: (44.0, 58.0, 1.0)}  # GPS
    out = io.BytesIO()
    photo.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def pdf_receipt(password: str | None = None) -> bytes:
    """A one-page PDF whose page says TOTAL-12.50 beside a photo (the JPEG as the camera
    wrote it, EXIF and GPS inside), and which carries what a scanning app or a reviewer
    leaves: author and title, XMP, a comment with its author."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    photo = _stream(b"", Type="/XObject", Subtype="/Image", Filter="/DCTDecode",
                    ColorSpace="/DeviceRGB")
    photo._data = _photo_with_gps()  # already JPEG: written as it is
    for key, value in (("/Width", 40), ("/Height", 30), ("/BitsPerComponent", 8)):
        photo[NameObject(key)] = NumberObject(value)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
        {NameObject("/Im0"): writer._add_object(photo)})})
    page[NameObject("/Contents")] = writer._add_object(_stream(
        b"BT (TOTAL-12.50) Tj ET q 40 0 0 30 0 0 cm /Im0 Do Q"))
    note = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
        NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
        NameObject("/T"): TextStringObject("CanaryCommenter"),
        NameObject("/Contents"): TextStringObject("CanaryNote")})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    writer.add_metadata({"/Author": "CanaryAuthor", "/Title": "CanaryTitle",
                         "/Creator": "CanaryScanner"})
    xmp = _stream(b"<x:xmpmeta>CanaryXMP</x:xmpmeta>", Type="/Metadata", Subtype="/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
