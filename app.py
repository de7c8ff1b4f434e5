"""Catalyst: the application factory and the Socket.IO server.

`python app.py` serves with gevent; `flask --app app ...` runs the CLI.
"""

from gevent import monkey

monkey.patch_all()

import logging  # noqa: E402
import signal  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import redis  # noqa: E402
from flask import Flask  # noqa: E402

from config.logging import configure_logging  # noqa: E402
from config.settings import ConfigError, Settings, load_settings  # noqa: E402
from services import holdings, passwords  # noqa: E402
from services.db import db  # noqa: E402
from services.throttle import Throttle  # noqa: E402
from web.extensions import migrate, socketio  # noqa: E402
from web.json_provider import OrjsonProvider  # noqa: E402

ROOT = Path(__file__).resolve().parent
log = logging.getLogger("catalyst")


def create_app(settings: Settings | None = None, **overrides: object) -> Flask:
    """Build an app from the environment (or the given settings)."""
    settings = settings or load_settings(**overrides)
    configure_logging(settings.log_level, settings.log_format)
    passwords.configure(settings.app_env)
    app = Flask(__name__, instance_path=str(settings.instance_path), static_folder="static", template_folder="templates")
    app.json = OrjsonProvider(app)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=settings.sqlalchemy_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings),
        PERMANENT_SESSION_LIFETIME=settings.session_lifetime_hours * 3600,
        TESTING=settings.app_env == "test",
    )
    holdings.install(app, holdings.Holdings(
        settings=settings,
        redis=(
            redis.Redis.from_url(settings.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
            if settings.redis_url
            else None
        ),
        throttle=Throttle(settings.redis_url),
    ))  # fmt: skip

    import services.models  # noqa: F401 - registers every model with the metadata

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))

    from web import admin, health
    from web.api import init_api
    from web.auth import init_auth
    from web.cli import init_cli
    from web.errors import init_errors
    from web.live import init_live
    from web.observability import init_observability
    from web.pages import init_pages
    from web.security import init_security, origin_allowed
    from web.sessions import init_sessions
    from web.static_files import init_static
    from web.template_urls import init_template_urls

    init_observability(app)
    init_static(app)
    init_template_urls(app)
    init_sessions(app, settings.redis_url)
    init_auth(app)
    init_errors(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(admin.bp)
    init_api(app)
    init_pages(app)
    init_cli(app)
    # Flask-SocketIO keeps its options across init_app calls: a Redis manager of an earlier app in this
    # process (tests build many) must not carry over to an app without Redis.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode="gevent",
        message_queue=settings.redis_url,
        cors_allowed_origins=origin_allowed(settings),
        manage_session=False,
        logger=False,
        engineio_logger=False,
    )
    init_live(app)
    # Last, so ProxyFix wraps the Socket.IO middleware too and its Origin check sees the truth.
    init_security(app, settings)
    return app


def _engine_options(settings: Settings) -> dict:
    """Pools sized for a gevent worker's concurrency: a request holds its connection until its
    response is written, across the rate-limit store's round trip, so 16 requests at once hold
    16. Connections past `pool_size` are closed when they come back, and opening one again cost a
    tenth of every API request at 16 connections (bench/http_api.py, py-spy); 20 stay open."""
    if settings.is_postgres:
        # Up to 30 server connections a process, as before; 20 of them kept instead of 10.
        return {"pool_pre_ping": True, "pool_size": 20, "max_overflow": 10}
    # SQLite: one file shared by greenlets; wait on locks instead of failing at once. That wait is a C
    # sleep which blocks every greenlet, so it only ever ends for a lock held by another process: a
    # greenlet must not keep a write transaction open across a yield. Waiting for a connection
    # yields, and no request needs two at once (web/sessions.py), which is what starved the pool
    # (issue 12 item 5), not its size. A new connection also sets its journal mode (services/db.py).
    return {"connect_args": {"timeout": 30, "check_same_thread": False}, "pool_size": 20, "max_overflow": 20}


def main() -> None:
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise SystemExit(str(exc)) from None
    app = create_app(settings)
    from web.live import start_live

    start_live(app)  # execute runs (and recover orphaned ones) from start-up
    gevent.signal_handler(signal.SIGTERM, gevent.spawn, _stop_serving, app)
    log.info("serving", extra={"url": f"http://{settings.host}:{settings.port}", "provider": settings.provider})
    socketio.run(app, host=settings.host, port=settings.port, log_output=False)
    log.info("stopped")


def _stop_serving(app: Flask) -> None:
    """SIGTERM: runs stop at their next step and are released to resume, notifications in flight are
    recorded, then the server stops."""
    from web.shutdown import release_runs, stop_notifications

    release_runs(app)
    stop_notifications(app)
    socketio.stop()


if __name__ == "__main__":
    main()
