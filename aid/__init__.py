"""aid: requests for help, volunteers, routes and a ledger for a mutual-aid network."""
from __future__ import annotations

import fcntl
import logging
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from aid import config as settings
from aid.extensions import babel, csrf, db, limit_only_decorated_views, limiter, login, migrate

__version__ = "0.1.0"
ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL, foreign keys and secure_delete on every SQLite connection (they are per connection)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA secure_delete=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, languages, blueprints, schema and keys."""
    config = dict(config or {})
    inst = Path(config.pop("AID_INSTANCE_PATH", None) or settings.instance_path())
    inst.mkdir(parents=True, exist_ok=True, mode=0o700)
    app = Flask(__name__, instance_path=str(inst), template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    app.config.update(settings.BASE)
    app.config.update(settings.from_environment(inst))
    app.config.update(config)
    app.config["SQLALCHEMY_DATABASE_URI"] = settings.normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.read_or_create_secret(inst / "secret_key", 32)
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config.get("AID_HTTPS"))
    _configure_logging(app)
    proxies = int(app.config.get("AID_TRUSTED_PROXIES") or 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind a TLS proxy every client would look like 127.0.0.1 to the rate limits.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    limit_only_decorated_views(app)
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = None
    login.session_protection = None  # sessions are checked on the server instead

    from aid import i18n

    catalogs = i18n.compile_catalogs()
    babel.init_app(app, locale_selector=i18n.formatting_locale)
    babel.domain_instance = i18n.InterfaceDomain(catalogs)
    app.add_template_filter(i18n.join_list)
    app.extensions["aid_catalogs"] = catalogs

    from aid import errors, jobs, security, views
    from aid.auth import bp as auth_bp
    from aid.cli import register as register_cli
    from aid.dispatch import bp as dispatch_bp
    from aid.intake import bp as intake_bp
    from aid.ledger import bp as ledger_bp
    from aid.plans import bp as plans_bp
    from aid.volunteers import bp as volunteers_bp

    security.install_headers(app)
    app.session_interface = security.SessionInterface()
    errors.install(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(intake_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(dispatch_bp)
    app.register_blueprint(volunteers_bp)
    app.register_blueprint(ledger_bp)
    app.register_blueprint(plans_bp)
    register_cli(app)
    views.install_context(app)
    jobs.install(app)

    with app.app_context():
        from aid.keystore import load_master_key, schema_present

        if app.config["AID_AUTO_MIGRATE"]:
            _upgrade_schema(inst)
        if schema_present():
            app.extensions["aid_master_key"] = load_master_key(app)
    return app


def _upgrade_schema(inst: Path) -> None:
    """Bring the schema up to date on start; a file lock keeps gunicorn workers in line."""
    from flask_migrate import upgrade

    with open(inst / ".migrate.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            logging.getLogger("alembic").setLevel(logging.WARNING)
            upgrade(directory=str(MIGRATIONS))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    db.session.remove()


def _configure_logging(app: Flask) -> None:
    """Our own logs carry no client address; the dev server's request lines are dropped."""
    from aid import logs

    logs.install(app.logger, app.config.get("AID_LOG_LEVEL", "INFO"))
