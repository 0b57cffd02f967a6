"""Loading the master data key at start, and refusing to run with a wrong or missing one."""
from __future__ import annotations

import base64
import binascii
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import inspect, select

from aid.config import read_or_create_secret
from aid.crypto import KEY_BYTES, MasterKey
from aid.extensions import db
from aid.models import AppSetting, HouseholdKey
from aid.workflow import workflow

CHECK = "master_key_check"


class MasterKeyError(RuntimeError):
    """The app must not start: it would be unable to read data, or write it unprotected."""


def _raw_key(app: Flask, may_create: bool) -> bytes | None:
    given = app.config.get("AID_MASTER_KEY")
    if given:
        try:
            raw = base64.urlsafe_b64decode(given.encode() + b"==")
        except (binascii.Error, ValueError) as exc:
            raise MasterKeyError("AID_MASTER_KEY is not valid base64.") from exc
    else:
        path = Path(app.instance_path) / "master.key"
        try:
            raw = read_or_create_secret(path, KEY_BYTES, create=may_create)
        except OSError as exc:
            raise MasterKeyError(f"The master key file {path} cannot be read.") from exc
    if raw is not None and len(raw) != KEY_BYTES:
        raise MasterKeyError("The master key must be exactly 32 bytes.")
    return raw


def schema_present() -> bool:
    return inspect(db.engine).has_table(AppSetting.__tablename__)


def master_key() -> MasterKey:
    """The loaded master key (loaded now if the schema appeared after start)."""
    key = current_app.extensions.get("aid_master_key")
    if key is None:
        if not schema_present():
            raise MasterKeyError("The database has no schema; run `flask db upgrade`.")
        key = current_app.extensions["aid_master_key"] = load_master_key(current_app)
    return key


def load_master_key(app: Flask) -> MasterKey:
    """Return the master key; create it only for an empty database."""
    stored = db.session.get(AppSetting, CHECK)
    has_data = stored is not None or db.session.scalar(
        select(HouseholdKey.household_id).limit(1)) is not None
    raw = _raw_key(app, may_create=not has_data)
    if raw is None:
        raise MasterKeyError(
            "The master data key is missing but the database holds encrypted data. "
            "Restore the key file (instance/master.key) or AID_MASTER_KEY; aid will not "
            "start without it and will never store plaintext instead.")
    key = MasterKey(raw)
    if stored is None:
        _store_check(key.check_value())
    elif stored.value != key.check_value():
        raise MasterKeyError(
            "The master data key does not match the one this database was written with. "
            "Restore the right key; aid will not start with another one.")
    db.session.remove()
    return key


@workflow
def _store_check(value: str) -> None:
    db.session.add(AppSetting(key=CHECK, value=value))
