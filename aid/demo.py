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


@workflow
def fill(count: int, seed: int) -> list[tuple[str, list[str], str, str | None]]:
    """A fictional network: households asking for each kind of help, a depot, staff."""
    from aid.auth.service import create_user

    refuse_unless_empty()
    from aid.i18n import LANGUAGES

    rng = random.Random(seed)
    langs = list(LANGUAGES)
    for i in range(count):
        kinds = rng.sample(sorted(KINDS), k=rng.choice([1, 1, 2]))
        households.create(NewHousehold(
            name=f"Demo household {i + 1}", contact_method="sms",
            contact_handle=f"555-01{i % 100:02d}", language=rng.choice(langs),
            street=f"{100 + i * 7} {rng.choice(DEMO_STREETS)}", city=DEMO_CITY,
            zip=rng.choice(DEMO_ZIPS), code_word=f"demo word {i + 1}",
            requests={kind: _details(kind, rng) for kind in kinds}))
    _, lat, lon = households.zip_area("55404")
    db.session.add(Depot(name="Demo food pantry", zip="55404", lat=lat, lon=lon))
    accounts = [("demo-admin", ["admin", "dispatcher"]), ("demo-dispatcher", ["dispatcher"]),
                ("demo-treasurer", ["treasurer"])]
    accounts += [(f"demo-volunteer-{n}", ["volunteer"]) for n in range(1, 6)]
    logins = []
    for handle, roles in accounts:
        password = secrets.token_urlsafe(12)
        _user, secret = create_user(handle, password, roles)
        logins.append((handle, roles, password, secret))
    return logins


def _details(kind: str, rng: random.Random) -> dict:
    """What the real form would store for each kind of help, with fictional values."""
    if kind == "groceries":
        return {"household_size": str(rng.randint(1, 7)), "delivery_days": ["mon", "wed"],
                "delivery_times": ["morning"], "dropoff": "door", "dietary": [],
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
