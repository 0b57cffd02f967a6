"""Key-value settings the app itself needs (such as the master key check)."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import db


class AppSetting(db.Model):
    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))
