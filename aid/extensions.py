"""Flask extensions, created unbound; create_app binds them."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def _client_key() -> str:
    # The limiter needs a key per client; it stays in memory or Redis, never in a log.
    from flask import request

    return request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login = LoginManager()
limiter = Limiter(key_func=_client_key, default_limits=[])
