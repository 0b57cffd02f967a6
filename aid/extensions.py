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


def limit_only_decorated_views(app) -> None:
    """Every limit in aid is a decorator on its view (no default, application or blueprint
    limits), and each decorator checks its own limits when its view runs. Flask-Limiter's
    before-request check then only repeats that work, and for every other view, the
    household form above all, it cost about a tenth of the page's time: drop it."""
    hooks = app.before_request_funcs.setdefault(None, [])
    if limiter._check_request_limit in hooks:  # (absent while limits are switched off)
        hooks.remove(limiter._check_request_limit)
