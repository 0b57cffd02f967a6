"""`flask aid demo`: a fictional network to try every screen with. No real-looking data:
555-01xx numbers, made-up streets, demo handles."""
from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from sqlalchemy import func, select

from aid import households
from aid.extensions import db
from aid.households import NewHousehold
from aid.ledger.demo import add_demo_books
from aid.models import Depot, Household, User
from aid.vocabulary import KINDS
from aid.workflow import Conflict, workflow

DEMO_CITY = "Minneapolis"
DEMO_ZIPS = ("55404", "55406", "55407", "55408", "55411", "55412", "55413", "55414",
             "55417", "55418")
DEMO_STREETS = ("Example Street", "Sample Avenue", "Placeholder Road", "Fictional Lane",
                "Demo Boulevard")
DEMO_PREFIX = "demo-"


def refuse_unless_empty() -> None:
    """Demo data goes only where there is no real data: no household and no demo account yet.

    An organizer's own admin account (made with `create-admin`) may already be there.
    """
    if db.session.scalar(select(func.count(Household.id))):
        raise Conflict("households", "The database already holds households; demo data goes "
                       "only into a database without any. To start over, see the README.")
    if db.session.scalar(select(func.count(User.id)).where(
            User.handle.startswith(DEMO_PREFIX))):
        raise Conflict("demo", "The demo accounts are already there; to start over, see the "
                       "README.")


# Demo volunteers: (handle suffix, tier, what they do). Tier 0 does nothing with an address.
MORNINGS = [f"{d}:morning" for d in ("mon", "tue", "wed", "thu", "fri", "sat")]
LATE = [f"{d}:{s}" for d in ("mon", "tue", "wed", "thu", "fri", "sat")
        for s in ("afternoon", "evening")]
VOLUNTEERS = (
    ("driver-1", 1, {"deliver": True, "vehicle": "car", "boxes": 8}),
    ("driver-2", 1, {"deliver": True, "vehicle": "car", "boxes": 6, "translate_in_person": True}),
    ("driver-3", 1, {"deliver": True, "vehicle": "car", "boxes": 10, "availability": MORNINGS}),
    ("driver-4", 1, {"deliver": True, "vehicle": "car", "boxes": 12, "availability": LATE}),
    ("biker", 1, {"deliver": True, "vehicle": "bike", "boxes": 2}),
    ("court-buddy", 2, {"court": True, "enter_courts": True, "translate_in_person": True}),
    ("phone-translator", 0, {"translate_remote": True, "pack": True}),
    ("packer", 0, {"pack": True}),
)


@workflow
def fill(count: int, seed: int) -> list[tuple[str, list[str], str, str | None]]:
    """A fictional network: households asking for each kind of help (about two thirds
    approved into tasks over the coming week, most groceries weekly), two depots, staff, and
    volunteers of every tier (drivers with boxes and shifts), some already holding tasks."""
    from aid.accounts import create_user
    from aid.i18n import LANGUAGES

    refuse_unless_empty()
    rng = random.Random(seed)
    langs = list(LANGUAGES)
    made = []
    for i in range(count):
        # Mostly groceries, so that every day of the coming week has deliveries to plan.
        first = "groceries" if rng.random() < 0.7 else rng.choice(["translation", "court"])
        kinds = [first] + ([rng.choice([k for k in sorted(KINDS) if k != first])]
                           if rng.random() < 0.3 else [])
        household, _code = households.create(NewHousehold(
            name=f"Demo household {i + 1}", contact_method="sms",
            contact_handle=f"555-01{i % 100:02d}", language=rng.choice(langs),
            street=f"{100 + i * 7} {rng.choice(DEMO_STREETS)}", city=DEMO_CITY,
            zip=rng.choice(DEMO_ZIPS), code_word=f"demo word {i + 1}",
            requests={kind: _details(kind, rng) for kind in kinds}))
        made.append(household)
    for name, zip5, opens, closes in (("Demo food pantry", "55404", "08:00", "18:00"),
                                      ("Demo community kitchen", "55407", "10:00", "16:00")):
        _, lat, lon = households.zip_area(zip5)
        db.session.add(Depot(name=name, zip=zip5, lat=lat, lon=lon, opens=opens,
                             closes=closes))
    accounts = [("demo-admin", ["admin", "dispatcher"], None),
                ("demo-dispatcher", ["dispatcher"], None),
                ("demo-treasurer", ["treasurer"], None)]
    accounts += [(f"demo-{name}", ["volunteer"], tier) for name, tier, _ in VOLUNTEERS]
    logins, users = [], {}
    for handle, roles, tier in accounts:
        password = secrets.token_urlsafe(12)
        user, secret = create_user(handle, password, roles, tier=tier)
        users[handle] = user
        logins.append((handle, roles, password, secret))
    _volunteer_profiles(users, rng)
    _tasks(users["demo-dispatcher"].id, made, users, rng)
    add_demo_books(rng)
    return logins


def _volunteer_profiles(users: dict, rng: random.Random) -> None:
    from aid import members

    every_day = [f"{d}:{s}" for d in ("mon", "tue", "wed", "thu", "fri", "sat")
                 for s in ("morning", "afternoon")]
    for name, _tier, able in VOLUNTEERS:
        answers = members.ProfileAnswers(**{
            "contact": f"signal: demo-{name}",
            "languages": rng.sample(["en", "es", "so", "ar", "fa_AF", "hmn"], k=2) + ["en"],
            "availability": every_day, "home_zip": rng.choice(DEMO_ZIPS), "max_km": 12,
            "weekly_limit": 6, **able})
        members.update_profile(users[f"demo-{name}"], answers)


def _tasks(dispatcher_id: int, made: list, users: dict, rng: random.Random) -> None:
    """Approve about two thirds of the requests (groceries weekly for some), add packing at
    the pantry each day, and let the first driver take two deliveries."""
    from aid.models import Task
    from aid.tasks import claims, making
    from aid.tasks.making import weekslot, window

    for household in made:
        for req in household.requests:
            if rng.random() < 0.66:
                req.status = "approved"
                making.make_for_request(dispatcher_id, req,
                                        weekly=req.kind == "groceries" and rng.random() < 0.7)
    for offset in range(1, 7):
        day = date.today() + timedelta(days=offset)
        start, end = window("morning")
        db.session.add(Task(kind="packing", status="open", day=day, slot="morning",
                            weekslot=weekslot(day, "morning"), window_start=start,
                            window_end=end, zip="55404", area=f"{DEMO_CITY} 55404",
                            min_tier=0, boxes=0))
    db.session.flush()
    driver = users["demo-driver-1"]
    for task in db.session.query(Task).filter_by(kind="delivery", status="open").limit(2):
        claims.claim(driver, task)


def _details(kind: str, rng: random.Random) -> dict:
    """What the real form would store for each kind of help, with fictional values."""
    if kind == "groceries":
        days = sorted(rng.sample(range(6), k=rng.choice([2, 3])))
        return {"household_size": str(rng.randint(1, 7)),
                "delivery_days": [("mon", "tue", "wed", "thu", "fri", "sat")[d] for d in days],
                "delivery_times": rng.choice([["morning"], ["afternoon"]]),
                "dropoff": "door", "dietary": [],
                "dietary_notes": "", "supplies": []}
    soon = date.today() + timedelta(days=rng.randint(3, 20))
    if kind == "translation":
        return {"translation_languages": rng.choice(["Spanish", "Somali", "Arabic", "Dari"]),
                "translation_format": rng.choice(["document", "live"]),
                "translation_mode": rng.choice(["in_person", "phone"]),
                "translation_by": soon.isoformat()}
    return {"court_date": soon.isoformat(), "court_time": rng.choice(["08:30", "09:00", "13:30"]),
            "court_name": "Demo County Courthouse", "court_address": "1 Example Plaza",
            "court_language": "Spanish", "court_support": ""}
