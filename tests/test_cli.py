"""`flask aid` commands: the first admin with TOTP enrolment, staff accounts, the demo."""
import re

from sqlalchemy import func, select

from aid.extensions import db
from aid.models import Depot, Household, User


def test_create_admin_prints_totp_enrolment_and_hashes_the_password(app, runner):
    result = runner.invoke(args=["aid", "create-admin", "--handle", "organizer"],
                           input="a long enough password\na long enough password\n")
    assert result.exit_code == 0, result.output
    assert re.search(r"secret: [A-Z2-7]{32}", result.output)
    assert "otpauth://totp/aid:organizer" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.handle == "organizer"))
        assert user.has_role("admin") and user.needs_totp
        assert user.password_hash.startswith("scrypt:")
        assert b"a long enough password" not in (user.password_hash.encode())
        assert user.totp_secret and re.search(r"secret: (\w+)", result.output).group(1).encode() \
            not in user.totp_secret


def test_short_password_is_refused(app, runner):
    result = runner.invoke(args=["aid", "create-admin", "--handle", "x"],
                           input="short\nshort\n")
    assert result.exit_code != 0
    assert "12 characters" in result.output


def test_create_user_with_several_roles(app, runner):
    result = runner.invoke(args=["aid", "create-user", "--handle", "v1", "--role", "volunteer",
                                 "--role", "treasurer"],
                           input="another long password\nanother long password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.handle == "v1"))
        assert user.role_set == {"volunteer", "treasurer"}


def test_demo_fills_an_empty_database_once(app, runner):
    result = runner.invoke(args=["aid", "demo", "--households", "6"])
    assert result.exit_code == 0, result.output
    assert "demo-admin" in result.output and "TOTP secret" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Household.id))) == 6
        assert db.session.scalar(select(func.count(Depot.id))) == 1
        assert db.session.scalar(select(func.count(User.id))) >= 4
        assert all(h.zip.startswith("554") for h in db.session.scalars(select(Household)))
    again = runner.invoke(args=["aid", "demo"])
    assert again.exit_code != 0 and "not empty" in again.output


def test_demo_adds_a_month_of_books_that_verify(app, runner):
    assert runner.invoke(args=["aid", "demo", "--households", "2"]).exit_code == 0
    verdict = runner.invoke(args=["aid", "ledger", "verify"])
    assert verdict.exit_code == 0 and "ok:" in verdict.output
    from aid.models import BailCase, Campaign, Transaction

    with app.app_context():
        assert db.session.scalar(select(func.count(Transaction.id))) > 40
        assert db.session.scalar(select(func.count(BailCase.id))) == 1
        assert db.session.scalar(select(Campaign.public))
