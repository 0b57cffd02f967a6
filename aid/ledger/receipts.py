"""Receipts: a JPEG or PNG photo re-encoded from its pixels alone (no EXIF, GPS, XMP, ICC
profile or thumbnail survives), or a PDF rewritten from its pages alone (no author, title,
software, XMP, comments or attachments survive); either sealed with AES-GCM under a key
derived from the master key, and read back only by its random id."""
from __future__ import annotations

import io
import secrets
import warnings

from flask_babel import gettext
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from aid import audit
from aid.extensions import db
from aid.keystore import master_key
from aid.models import Receipt
from aid.workflow import Invalid, workflow

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
PDF = "application/pdf"
# What a page may carry about people: comments and their authors, links, attachments
# (annotations), the page's own XMP, an editing program's private data.
PAGE_EXTRAS = ("/Annots", "/Metadata", "/PieceInfo")


def _refuse() -> Invalid:
    return Invalid("receipt", gettext("A receipt must be a photo (JPEG or PNG) or a PDF of at "
                                      "most 5 MB."))


def clean_image(data: bytes) -> tuple[bytes, str]:
    """The picture only: turned upright, then rebuilt from its pixels and saved afresh."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in IMAGE_TYPES or image.width * image.height > MAX_PIXELS:
                raise _refuse()
            kind = image.format
            image = ImageOps.exif_transpose(image)
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise _refuse() from exc
    mode = "RGB" if kind == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
    if image.mode not in ("L", mode):
        image = image.convert(mode)
    bare = Image.frombytes(image.mode, image.size, image.tobytes())  # no info dict at all
    out = io.BytesIO()
    if kind == "JPEG":
        bare.save(out, "JPEG", quality=85, optimize=True)
    else:
        bare.save(out, "PNG", optimize=True)
    return out.getvalue(), IMAGE_TYPES[kind]


def clean(data: bytes) -> tuple[bytes, str]:
    if not data or len(data) > MAX_BYTES:
        raise _refuse()
    if data.startswith(b"%PDF-"):
        return clean_pdf(data), PDF
    return clean_image(data)


def _pixels_only(image: Image.Image) -> Image.Image:
    if image.width * image.height > MAX_PIXELS:
        raise _refuse()
    return Image.frombytes(image.mode, image.size, image.tobytes())


def clean_pdf(data: bytes) -> bytes:
    """The pages only, in a new document: its catalog is new, so the old one's XMP, outline,
    scripts and attached files stay behind, and it has no document info (author, title, the
    scanning app); each image on a page is rebuilt from its pixels. An encrypted or
    unreadable PDF, or one whose images cannot be rebuilt, is refused."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if not reader.pages:  # (a PDF locked by a password fails to read its pages)
            raise _refuse()
        out = PdfWriter()
        for page in reader.pages:
            for key in PAGE_EXTRAS:  # before the copy, which takes every object they name
                page.pop(key, None)
            out.add_page(page)
        for page in out.pages:  # a scan's photos keep their EXIF and GPS inside the PDF
            for image in page.images:
                image.replace(_pixels_only(image.image), quality=85)
        out.metadata = None
        buffer = io.BytesIO()
        out.write(buffer)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, NotImplementedError, Image.DecompressionBombError) as exc:
        raise _refuse() from exc
    return buffer.getvalue()


@workflow
def store(actor_id: int, data: bytes) -> Receipt:
    content, content_type = clean(data)
    rid = secrets.token_hex(16)
    receipt = Receipt(id=rid, content_type=content_type, size=len(content),
                      sealed=master_key().receipt_cipher().seal_bytes(rid, content),
                      uploaded_by=actor_id)
    db.session.add(receipt)
    db.session.flush()
    return receipt


@workflow
def open_receipt(actor_id: int, receipt: Receipt) -> bytes:
    """The receipt's bytes; who looked is written to the audit log."""
    audit.record(actor_id, "ledger_receipt", detail=f"receipt:{receipt.id[:8]}")
    return master_key().receipt_cipher().open_bytes(receipt.id, receipt.sealed)
