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
    """A keyed hash of the client address: Redis and any log line see no IP."""
    import hashlib
    import hmac

    from flask import current_app, request

    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    addr = (request.remote_addr or "unknown").encode()
    return hmac.new(secret, addr, hashlib.sha256).hexdigest()[:20]


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login = LoginManager()
limiter = Limiter(key_func=_client_key, default_limits=[])
