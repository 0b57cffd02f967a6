"""A treasurer's month in real Chromium with JavaScript off: sign in with TOTP, start the books,
record a donation, pay a household with a photo receipt, pay and get back a bond, import a
Venmo statement, read the balances; then a donor reads the campaign's public page on a phone,
in English and in Arabic. Screenshots are kept in test-artifacts/.

Every handle and pseudonym here is synthetic (donor-17, HH-4F2A, CASE-7Q3M).
"""
from __future__ import annotations

import io
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from PIL import Image

from aid.extensions import db
from tests.support.app import make_app
from tests.support.staff import PASSWORD, Staff

pytestmark = pytest.mark.e2e
TODAY = date.today().isoformat()
PHONE = {"width": 360, "height": 780}


def _photo(tmp_path) -> str:
    image = Image.new("RGB", (64, 48), (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"
    path = tmp_path / "receipt.jpg"
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    path.write_bytes(buf.getvalue())
    return str(path)


def _submit(page, label=None):
    with page.expect_navigation():
        if label:
            page.get_by_role("button", name=label).click()
        else:
            page.locator("main form button[type=submit]").last.click()


def _pay_household(page, live_server, payee, amount, receipt=None):
    """Fill the payment form for a household's groceries, paid from Venmo, and send it."""
    page.goto(f"{live_server}/ledger/disbursements/new")
    page.locator('input[name="payee_kind"][value="household"]').check()
    page.fill("#payee", payee)
    page.select_option("#category", label="Groceries")
    page.select_option("#from_account", label="Venmo")
    page.select_option("#fund", label="Groceries")
    page.fill("#amount", amount)
    if receipt:
        page.set_input_files("#receipt", receipt)
    _submit(page)


def _shot(page, artifacts, name):
    page.screenshot(path=str(artifacts / f"ledger-{name}.png"), full_page=True)


def test_a_treasurers_month_and_the_public_page(visit, live_server, artifacts, tmp_path,
                                                template_db):
    page, requested = visit
    app = make_app(tmp_path, template_db, SERVER_NAME=None)  # the live server's database
    member = Staff(app, "treasurer-e2e", ["treasurer"])
    with app.app_context():
        db.engine.dispose()

    # 1. Sign in with password and a TOTP code; the books start empty.
    page.goto(f"{live_server}/login")
    page.fill("#handle", member.handle)
    page.fill("#password", PASSWORD)
    page.fill("#code", member.code())
    _submit(page)
    page.goto(f"{live_server}/ledger/")
    assert page.locator("h1").inner_text() == "The books"
    _submit(page, "Start the books")
    assert page.locator("table").first.is_visible()

    # 2. A campaign with a public page, and a donation to it, typed with a comma.
    page.goto(f"{live_server}/ledger/campaigns/new")
    page.fill("#title", "Winter groceries for our block")
    page.fill("#goal", "1000")
    page.fill("#starts_on", (date.today() - timedelta(days=5)).isoformat())
    page.fill("#ends_on", (date.today() + timedelta(days=25)).isoformat())
    page.select_option("#fund", label="Groceries")
    page.check("#public")
    _submit(page)
    public_url = page.locator('a[href^="/campaigns/"]').first.get_attribute("href")
    page.goto(f"{live_server}/ledger/donations/new")
    page.fill("#amount", "2500,00")
    page.select_option("#account", label="Venmo")
    page.select_option("#fund", label="Groceries")
    page.select_option("#campaign", label="Winter groceries for our block")
    page.fill("#donor", "donor-17")
    _submit(page)
    assert "$2,500.00" in page.locator("main").inner_text()
    _shot(page, artifacts, "1-donation")

    # 3. A bad amount is refused with the app's own message, nothing written.
    _pay_household(page, live_server, "HH-4F2A", "45.505")
    assert "Use at most two decimals" in page.locator(".error-summary").inner_text()
    _shot(page, artifacts, "2-refused")

    # 4. Six grocery payments to households, the first with a photo receipt.
    for n in range(6):
        _pay_household(page, live_server, f"HH-4F2{n}", "45.50",
                       _photo(tmp_path) if n == 0 else None)
        assert "Payment out" in page.locator("h1").inner_text()
        if n == 0:  # the receipt opens, as a clean JPEG without the camera's metadata
            href = page.locator('a[href^="/ledger/receipts/"]').get_attribute("href")
            photo = page.request.get(f"{live_server}{href}")
            assert photo.headers["content-type"] == "image/jpeg"
            assert b"CanaryCam" not in photo.body()

    # 5. A bond paid from the Bail fund (after a donation to it), then refunded in part.
    page.goto(f"{live_server}/ledger/donations/new")
    page.fill("#amount", "3000")
    page.select_option("#account", label="Bank account")
    page.select_option("#fund", label="Bail")
    _submit(page)
    page.goto(f"{live_server}/ledger/bail/new")
    page.locator('input[name="kind"][value="bond"]').check()
    page.fill("#amount", "1500")
    page.select_option("#from_account", label="Bank account")
    page.fill("#posted_by", "obligor-1")
    page.fill("#receipt_holder", "vol-court-2")
    page.fill("#pseudonym", "CASE-7Q3M")
    _submit(page)
    assert "CASE-7Q3M" in page.locator("h1").inner_text()
    page.fill("#refund-amount", "1000")
    page.fill("#refund-refunded_to", "obligor-1")
    _submit(page, "Record the refund")
    assert "$500.00" in page.locator("dl.summary").inner_text()
    _shot(page, artifacts, "3-bond")

    # 6. A Venmo statement: one donation in, one payment out skipped; the balance matches.
    statement = tmp_path / "venmo.csv"
    statement.write_text(",ID,Datetime,Type,Status,Note,From,To,Amount (total)\n"
                         f",4001,{TODAY}T10:00:00,Payment,Complete,,x,y,+ $40.00\n"
                         f",4002,{TODAY}T11:00:00,Payment,Complete,,y,x,- $12.00\n")
    page.goto(f"{live_server}/ledger/imports/new")
    page.set_input_files("#file", str(statement))
    page.select_option("#account", label="Venmo")
    page.select_option("#fund", label="General")
    page.fill("#closing", "2267.00")  # 2500 - 6 x 45.50 + 40
    _submit(page)
    assert "Imported 1 donation, $40.00 in all." in page.locator(".panel").inner_text()
    _shot(page, artifacts, "4-import")

    # 7. Balances on a phone.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/ledger/reports/balances")
    text = page.locator("main").inner_text()
    assert "$500.00" in text  # still out on the bond
    _shot(page, artifacts, "5-balances-360")

    # 8. The public page, signed out, on a phone: progress, no names, in English and Arabic.
    donor = page.context.browser.new_context(java_script_enabled=False, locale="en-US",
                                             viewport=PHONE)
    public = donor.new_page()
    public.goto(f"{live_server}{public_url}")
    body = public.locator("main").inner_text()
    assert "$2,500.00 raised of $1,000.00" in body and "Groceries" in body
    for name in ("donor-17", "HH-4F2", "obligor-1", "CASE-7Q3M"):
        assert name not in public.content()
    assert public.locator("progress").get_attribute("value") == "100"
    public.screenshot(path=str(artifacts / "ledger-6-public-en-360.png"), full_page=True)
    public.goto(f"{live_server}{public_url}?lang=ar")
    assert public.locator("html").get_attribute("dir") == "rtl"
    assert "US$" in public.locator("main").inner_text()
    public.screenshot(path=str(artifacts / "ledger-7-public-ar-360.png"), full_page=True)
    donor.close()

    origin = urlsplit(live_server)
    foreign = [u for u in requested if (urlsplit(u).scheme, urlsplit(u).netloc)
               != (origin.scheme, origin.netloc)]
    assert foreign == []
