"""The hash chain catches an edited row; an import is all or nothing, skips duplicates and
must match the statement's closing balance; receipts keep no metadata and are sealed."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select, text

from aid.extensions import db
from aid.ledger import books, imports, receipts
from aid.models import Receipt, Transaction
from aid.workflow import Invalid
from tests.support.ledger import books as open_books
from tests.support.ledger import give, pdf_receipt, raw, without_guards

CANARIES_PDF = (b"CanaryAuthor", b"CanaryTitle", b"CanaryScanner", b"CanaryXMP",
                b"CanaryCommenter", b"CanaryNote", b"CanaryCam")

VENMO = """Account Statement - (@demo-group) ,,,,,,,
Account Activity,,,,,,,
,ID,Datetime,Type,Status,Note,From,To,Amount (total)
,,,,,,,,
,4001,2026-11-02T10:15:00,Payment,Complete,groceries,Donor Example,Demo Group,+ $25.00
,4002,2026-11-03T11:00:00,Payment,Complete,rent,Donor Example,Demo Group,+ $40.50
,4003,2026-11-03T12:00:00,Payment,Complete,,Demo Group,Store Example,- $10.00
,4004,2026-11-04T09:00:00,Payment,Pending,,Donor Example,Demo Group,+ $5.00
"""


def test_verify_finds_the_first_edited_row(app, runner):
    with open_books(app):
        for cents in (1000, 2000, 3000, 4000):
            give(cents)
    ok = runner.invoke(args=["aid", "ledger", "verify"])
    assert ok.exit_code == 0 and "ok: 4 transactions" in ok.output
    with raw(app) as conn:
        with without_guards(conn, "ledger_posting"):
            conn.execute(text("UPDATE ledger_posting SET amount = amount + 100 "
                              "WHERE txn_id = 2 AND amount > 0"))
            conn.execute(text("UPDATE ledger_posting SET amount = amount - 100 "
                              "WHERE txn_id = 2 AND amount < 0"))
            conn.commit()
    broken = runner.invoke(args=["aid", "ledger", "verify"])
    assert broken.exit_code == 1
    assert "transaction 2: hash does not match" in broken.output


def test_verify_finds_a_rewritten_date_and_a_removed_row(app, runner):
    with open_books(app):
        for cents in (1000, 2000, 3000):
            give(cents)
    with raw(app) as conn:
        with without_guards(conn, "ledger_txn"):
            conn.execute(text("UPDATE ledger_txn SET occurred_on = '2020-01-01' WHERE id = 3"))
            conn.commit()
    assert "transaction 3: hash" in runner.invoke(args=["aid", "ledger", "verify"]).output
    with raw(app) as conn:
        with without_guards(conn, "ledger_posting"), without_guards(conn, "ledger_txn"):
            conn.execute(text("DELETE FROM ledger_posting WHERE txn_id = 2"))
            conn.execute(text("DELETE FROM ledger_txn WHERE id = 2"))
            conn.commit()
    result = runner.invoke(args=["aid", "ledger", "verify"])
    assert result.exit_code == 1 and "transaction 3: out of sequence" in result.output


def _import(app, data, closing, layout="venmo", actor=None):
    with open_books(app):
        return imports.run(actor, data.encode(), layout, imports.LAYOUTS[layout],
                           books.account_by_code("venmo"), books.fund_by_code("general"),
                           closing)


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Transaction.id)))


def test_an_import_takes_money_received_skips_the_rest_and_never_counts_twice(app):
    out = _import(app, VENMO, 6550)
    assert (out.imported, out.amount, out.paid_out, out.not_done) == (2, 6550, 1, 1)
    again = _import(app, VENMO, 6550)
    assert (again.imported, again.duplicates) == (0, 2)
    assert _count(app) == 2


def test_an_import_with_one_bad_row_writes_nothing_and_names_row_and_column(app):
    bad = VENMO.replace("+ $40.50", "+ $40.505").replace("2026-11-02T10:15:00", "yesterday")
    out = _import(app, bad, 6550)
    assert {(e.row, e.column) for e in out.errors} == {(5, "Datetime"),
                                                        (6, "Amount (total)")}
    assert out.imported == 0 and _count(app) == 0


def test_an_import_that_would_not_match_the_closing_balance_is_refused(app):
    with pytest.raises(Invalid, match="closing"):
        _import(app, VENMO, 6000)
    assert _count(app) == 0


def test_a_bank_export_without_ids_uses_the_named_columns(app):
    data = "When,Value,Memo\n11/02/2026,\"1,200.00\",x\n11/02/2026,\"1,200.00\",x\n"
    with open_books(app):
        out = imports.run(None, data.encode(), "bank", imports.Layout("When", "Value"),
                          books.account_by_code("bank"), books.fund_by_code("rent"), 240000)
    assert out.imported == 2  # the same amount twice on a day is two donations


def _photo_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x8825] = {1: "N", 2: (44.0, 58.0, 12.0), 3: "W", 4: (93.0, 15.0, 40.0)}  # GPS
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif, icc_profile=b"CanaryICC" * 20)
    return buf.getvalue()


def test_a_photo_receipt_loses_its_metadata_and_is_sealed_at_rest(app, treasurer):
    data = _photo_with_gps()
    assert b"CanaryCam" in data and b"CanaryICC" in data
    with open_books(app):
        receipt = receipts.store(treasurer.id, data)
        stored = db.session.get(Receipt, receipt.id)
        assert b"CanaryCam" not in stored.sealed and b"\xff\xd8" not in stored.sealed[:20]
        opened = receipts.open_receipt(treasurer.id, stored)
    assert b"CanaryCam" not in opened and b"CanaryICC" not in opened and b"Exif" not in opened
    image = Image.open(io.BytesIO(opened))
    assert image.format == "JPEG" and image.size == (40, 30)
    assert not image.getexif() and "icc_profile" not in image.info


@pytest.mark.parametrize("data", [b"GIF89a" + b"\0" * 50, b"<html>hi</html>",
                                  b"%PDF-1.7\n" + b"x" * (receipts.MAX_BYTES)],
                         ids=["gif", "html", "pdf too large"])
def test_a_receipt_that_is_not_a_photo_or_pdf_or_too_large_is_refused(app, treasurer, data):
    with open_books(app):
        with pytest.raises(Invalid, match="receipt"):
            receipts.store(treasurer.id, data)
        assert db.session.scalar(select(func.count(Receipt.id))) == 0


def test_a_pdf_receipt_keeps_its_page_and_loses_who_made_it_and_is_sealed(app, treasurer):
    data = pdf_receipt()
    assert all(canary in data for canary in CANARIES_PDF)  # the test file carries them
    with open_books(app):
        receipt = receipts.store(treasurer.id, data)
        assert receipt.content_type == "application/pdf"
        assert b"TOTAL-12.50" not in receipt.sealed and b"Canary" not in receipt.sealed
        opened = receipts.open_receipt(treasurer.id, receipt)
    assert b"TOTAL-12.50" in opened  # the receipt itself
    for canary in CANARIES_PDF:
        assert canary not in opened, canary
    pdf = PdfReader(io.BytesIO(opened))
    assert len(pdf.pages) == 1 and not pdf.metadata and "/Annots" not in pdf.pages[0]
    [photo] = pdf.pages[0].images
    assert photo.image.size == (40, 30) and not photo.image.getexif()


@pytest.mark.parametrize("data", [b"%PDF-1.4\n% not really a pdf\n%%EOF\n",
                                  pdf_receipt(password="locked")],
                         ids=["no pages", "encrypted"])
def test_a_pdf_that_cannot_be_cleaned_is_refused(app, treasurer, data):
    with open_books(app):
        with pytest.raises(Invalid, match="receipt"):
            receipts.store(treasurer.id, data)
        assert db.session.scalar(select(func.count(Receipt.id))) == 0
