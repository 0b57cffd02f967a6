"""Places deliveries start from: food pantries and other depots (plans come in a later issue)."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import db


class Depot(db.Model):
    __tablename__ = "depot"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))  # an organisation's public place, not a person
    zip: Mapped[str] = mapped_column(String(5))
    lat: Mapped[float] = mapped_column()
    lon: Mapped[float] = mapped_column()
    opens: Mapped[str] = mapped_column(String(5), default="08:00")
    closes: Mapped[str] = mapped_column(String(5), default="18:00")
