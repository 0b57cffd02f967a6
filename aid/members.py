"""The volunteer domain every blueprint shares: invitations, joining, profiles, vetting.

A volunteer is a staff account with the role volunteer. Joining needs a single-use,
expiring invitation; the volunteer waits as pending until a dispatcher approves them. Their
contact and an exact start point are sealed under a key of their own, wrapped by the master
key, so removing a volunteer shreds them; reading the contact is audited.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update

from aid import audit
from aid.crypto import HouseholdCipher
from aid.extensions import db
from aid.households import zip_area
from aid.keystore import master_key
from aid.models import Invite, User, VolunteerKey, VolunteerProfile
from aid.models._types import utcnow
from aid.vocabulary import SLOTS, TIERS, VEHICLES, WEEKDAYS
from aid.workflow import Conflict, Invalid, workflow

INVITE_DAYS = 7
SKILLS = ("deliver", "translate_in_person", "translate_remote", "court", "pack")


@dataclass
class ProfileAnswers:
    """What a volunteer says they will do, where and when (never immigration status)."""

    contact: str = ""
    languages: list[str] = field(default_factory=list)
    deliver: bool = False
    vehicle: str | None = None
    boxes: int = 0
    pack: bool = False
    translate_in_person: bool = False
    translate_remote: bool = False
    court: bool = False
    enter_courts: bool = False
    availability: list[str] = field(default_factory=list)  # "mon:morning"
    home_zip: str | None = None
    max_km: int = 5
    weekly_limit: int = 3


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@workflow
def create_invite(created_by: int | None, tier: int | None = None,
                  days: int = INVITE_DAYS) -> str:
    """A new invitation; its token is returned once and only its hash is kept."""
    if tier is not None and tier not in TIERS:
        raise Invalid("tier")
    token = secrets.token_urlsafe(24)
    db.session.add(Invite(token_hash=_token_hash(token), tier=tier, created_by=created_by,
                          expires_at=utcnow() + timedelta(days=days)))
    audit.record(created_by, "invite", detail=f"tier {tier}" if tier is not None else None)
    return token


def find_invite(token: str) -> Invite | None:
    """The invitation for a token, if it can still be used (unused and not expired)."""
    if not token or len(token) > 64:
        return None
    invite = db.session.scalar(select(Invite).where(Invite.token_hash == _token_hash(token)))
    if invite is None or invite.used_at is not None or invite.expires_at < utcnow():
        return None
    return invite


def _cipher_for_new(user: User) -> HouseholdCipher:
    key = master_key()
    data_key = key.new_household_key()
    db.session.add(VolunteerKey(user_id=user.id, wrapped=key.wrap(data_key, _uid(user.id))))
    return HouseholdCipher(data_key, _uid(user.id))


def _uid(user_id: int) -> str:
    return f"volunteer:{user_id}"


def _cipher(user_id: int) -> HouseholdCipher | None:
    row = db.session.get(VolunteerKey, user_id)
    if row is None:
        return None
    return HouseholdCipher(master_key().unwrap(row.wrapped, _uid(user_id)), _uid(user_id))


@workflow
def join(token: str, handle: str, password: str, answers: ProfileAnswers) -> User:
    """Sign up through an invitation: a pending volunteer (or approved, if pre-vetted).

    The invitation is taken in one conditional UPDATE, so two sign-ups with one link cannot
    both succeed.
    """
    from aid.accounts import create_user

    invite = find_invite(token)
    if invite is None:
        raise Conflict("invite")
    if db.session.scalar(select(User.id).where(User.handle == handle)) is not None:
        raise Invalid("handle")
    user, _secret = create_user(handle, password, ["volunteer"])
    taken = db.session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=utcnow(), used_by=user.id).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise Conflict("invite")
    user.vetting = "approved" if invite.tier is not None else "pending"
    user.tier = invite.tier or 0
    db.session.add(VolunteerProfile(user_id=user.id))
    db.session.flush()
    _apply(user, answers, _cipher_for_new(user))
    audit.record(user.id, "join", subject_id=user.id)
    return user


def profile_of(user: User, create: bool = False) -> VolunteerProfile:
    """The volunteer's profile; an empty one (not stored) if they have none yet."""
    profile = db.session.get(VolunteerProfile, user.id)
    if profile is None:
        profile = VolunteerProfile(user_id=user.id, languages="", availability="",
                                   deliver=False, pack=False, boxes=0, max_km=5,
                                   weekly_limit=3, translate_in_person=False,
                                   translate_remote=False, court=False, enter_courts=False)
        if create:
            db.session.add(profile)
    return profile


def _apply(user: User, answers: ProfileAnswers, cipher: HouseholdCipher) -> None:
    if answers.vehicle is not None and answers.vehicle not in VEHICLES:
        raise Invalid("vehicle")
    bad_slot = [s for s in answers.availability
                if s.partition(":")[0] not in WEEKDAYS or s.partition(":")[2] not in SLOTS]
    if bad_slot:
        raise Invalid("availability")
    profile = profile_of(user, create=True)
    profile.contact_enc = cipher.seal("contact", answers.contact)
    profile.languages = ",".join(sorted(set(answers.languages)))
    for name in ("deliver", "vehicle", "boxes", "pack", "translate_in_person",
                 "translate_remote", "court", "enter_courts", "max_km", "weekly_limit"):
        setattr(profile, name, getattr(answers, name))
    profile.availability = ",".join(sorted(set(answers.availability)))
    profile.home_zip = answers.home_zip
    _area, profile.home_lat, profile.home_lon = zip_area(answers.home_zip) if (
        answers.home_zip) else (None, None, None)
    profile.updated_at = utcnow()


@workflow
def update_profile(user: User, answers: ProfileAnswers) -> None:
    cipher = _cipher(user.id) or _cipher_for_new(user)
    _apply(user, answers, cipher)


def contact_of(user_id: int) -> str | None:
    """The volunteer's own contact, for their own profile page (nothing else calls it)."""
    profile = db.session.get(VolunteerProfile, user_id)
    cipher = _cipher(user_id)
    if profile is None or cipher is None:
        return None
    return cipher.open("contact", profile.contact_enc)


@workflow
def open_contact_for(actor_id: int, volunteer_id: int) -> str | None:
    """A dispatcher reads a volunteer's contact: audited like a household's."""
    audit.record(actor_id, "reveal_volunteer", subject_id=volunteer_id)
    return contact_of(volunteer_id)


def skills_of(profile: VolunteerProfile) -> frozenset[str]:
    flags = {"deliver": profile.deliver and profile.boxes > 0, "pack": profile.pack,
             "translate_in_person": profile.translate_in_person,
             "translate_remote": profile.translate_remote, "court": profile.court}
    return frozenset(name for name, on in flags.items() if on)


# ---------------------------------------------------------------- vetting


def _volunteer(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.has_role("volunteer") or user.removed_at is not None:
        raise Conflict("volunteer")
    return user


@workflow
def approve(actor_id: int, user_id: int, tier: int) -> None:
    if tier not in TIERS:
        raise Invalid("tier")
    user = _volunteer(user_id)
    user.vetting, user.tier = "approved", tier
    audit.record(actor_id, "approve_volunteer", subject_id=user.id, detail=f"tier {tier}")


@workflow
def set_tier(actor_id: int, user_id: int, tier: int) -> None:
    """A new tier; tasks it no longer allows go back to the board at once."""
    from aid.tasks import claims

    if tier not in TIERS:
        raise Invalid("tier")
    user = _volunteer(user_id)
    user.tier = tier
    claims.release_all_of(user.id, "tier", above_tier=tier)
    audit.record(actor_id, "tier", subject_id=user.id, detail=f"tier {tier}")


@workflow
def pause(actor_id: int, user_id: int) -> None:
    """Pause: no sign-in, sessions end now, held tasks go back to the board."""
    from aid import accounts
    from aid.tasks import claims

    user = _volunteer(user_id)
    accounts.pause(user)
    claims.release_all_of(user.id, "paused")
    audit.record(actor_id, "pause_volunteer", subject_id=user.id)


@workflow
def resume(actor_id: int, user_id: int) -> None:
    user = _volunteer(user_id)
    user.active = True
    audit.record(actor_id, "resume_volunteer", subject_id=user.id)


@workflow
def remove(actor_id: int, user_id: int) -> None:
    """Remove: like a pause, and their contact and start point are shredded (key first)."""
    from aid import accounts
    from aid.tasks import claims

    user = _volunteer(user_id)
    accounts.pause(user)
    claims.release_all_of(user.id, "removed")
    db.session.execute(VolunteerKey.__table__.delete().where(VolunteerKey.user_id == user.id))
    profile = profile_of(user, create=True)
    profile.contact_enc = profile.start_enc = None
    user.removed_at = utcnow()
    audit.record(actor_id, "remove_volunteer", subject_id=user.id)
