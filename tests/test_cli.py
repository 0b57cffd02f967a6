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
        assert db.session.scalar(select(func.count(Depot.id))) == 2
        assert db.session.scalar(select(func.count(User.id))) >= 4
        assert all(h.zip.startswith("554") for h in db.session.scalars(select(Household)))
    again = runner.invoke(args=["aid", "demo"])
    assert again.exit_code != 0 and "already holds households" in again.output


def test_demo_works_after_create_admin(app, runner):
    made = runner.invoke(args=["aid", "create-admin", "--handle", "organizer"],
                         input="long enough password\nlong enough password\n")
    assert made.exit_code == 0, made.output
    result = runner.invoke(args=["aid", "demo", "--households", "3"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Household.id))) == 3


def test_demo_requests_carry_details_as_the_real_form_does(app, runner):
    from aid import households
    from aid.intake.forms import RequestForm
    from aid.models import HelpRequest

    assert runner.invoke(args=["aid", "demo", "--households", "24"]).exit_code == 0
    with app.app_context():
        seen = set()
        for req in db.session.scalars(select(HelpRequest)):
            details = households.open_for(None, req.household, req).details
            assert set(details) == set(RequestForm.KIND_FIELDS[req.kind]), req.kind
            seen.add(req.kind)
        assert seen == {"groceries", "translation", "court"}


def _users(runner, *args):
    result = runner.invoke(args=["aid", "users", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_users_lists_pauses_resumes_and_unlocks(app, runner, staff):
    from aid.models import StaffSession
    from tests.support.staff import login_client

    member = staff("volunteer-1", ["volunteer"])
    login_client(app, member)
    listing = _users(runner, "list")
    assert "volunteer-1" in listing and "active" in listing
    _users(runner, "pause", "volunteer-1")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.handle == "volunteer-1"))
        assert user.active is False
        assert db.session.scalar(select(func.count(StaffSession.id))) == 0
    assert "paused" in _users(runner, "list")
    _users(runner, "resume", "volunteer-1")
    with app.app_context():
        db.session.execute(db.update(User).values(failed_logins=9,
                                                 backoff_until=db.func.now()))
        db.session.commit()
    _users(runner, "unlock", "volunteer-1")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.handle == "volunteer-1"))
        assert (user.active, user.failed_logins, user.backoff_until) == (True, 0, None)


def test_users_resets_a_password_and_totp(app, runner, staff):
    from aid.accounts import authenticate, totp_secret

    member = staff("dispatcher-1", ["dispatcher"])
    _users(runner, "reset-password", "dispatcher-1", "--password", "a brand new password")
    output = _users(runner, "reset-totp", "dispatcher-1")
    assert "otpauth://" in output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.handle == "dispatcher-1"))
        assert totp_secret(user) != member.secret and totp_secret(user) in output
        import pyotp

        code = pyotp.TOTP(totp_secret(user)).now()
        assert authenticate("dispatcher-1", "a brand new password", code) is not None


def test_users_says_plainly_when_a_handle_is_unknown(runner):
    result = runner.invoke(args=["aid", "users", "pause", "nobody"])
    assert result.exit_code != 0 and "No account" in result.output


def test_demo_adds_a_month_of_books_that_verify(app, runner):
    assert runner.invoke(args=["aid", "demo", "--households", "2"]).exit_code == 0
    verdict = runner.invoke(args=["aid", "ledger", "verify"])
    assert verdict.exit_code == 0 and "ok:" in verdict.output
    from aid.models import BailCase, Campaign, Transaction

    with app.app_context():
        assert db.session.scalar(select(func.count(Transaction.id))) > 40
        assert db.session.scalar(select(func.count(BailCase.id))) == 1
        assert db.session.scalar(select(Campaign.public))


def test_statistics_can_be_refreshed_from_cron(app, runner):
    from sqlalchemy import text

    from aid.extensions import db
    from tests.support.app import ON_PG

    result = runner.invoke(args=["aid", "statistics"])
    assert result.exit_code == 0, result.output
    if ON_PG:
        assert "keeps its own statistics" in result.output
        return
    assert "Statistics refreshed." in result.output
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar() > 0
