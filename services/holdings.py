"""What the app holds for requests, sockets and background work, typed, under one extension key.

Flask's `app.extensions` is a dict of strings; every part of Catalyst used to reach into it with
its own key (42 look-ups, no types). `holdings(app)` returns this one object instead: a reader sees
every shared piece in one place and the type checker sees what each one is. Parts that start later
(the run service, the live layer) fill their fields when they are initialised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from services.budgets.ai_usage import LedgerReads
from services.db import db

if TYPE_CHECKING:  # annotations only: the services never import the web layer
    import redis

    from config.settings import Settings
    from services.budgets.ai_ledger import AILedger
    from services.runs import RunService
    from services.throttle import Throttle

_KEY = "catalyst"


@dataclass
class Holdings:
    settings: Settings
    redis: redis.Redis | None
    throttle: Throttle
    runs: RunService | None = None
    # The live layer (web/live.py, web/sockets.py): whether it has started, its socket hooks.
    live: dict[str, Any] = field(default_factory=dict)
    websockets: Any = None
    start_when_serving: Callable[[dict[str, Any]], None] | None = None
    disconnect_user: Callable[..., Any] | None = None
    end_socket_session: Callable[..., Any] | None = None
    socket_access: Any = None

    def run_service(self) -> RunService:
        """The run service, which web/live.py's init_live sets up."""
        if self.runs is None:
            raise RuntimeError("the run service is not set up (web/live.py init_live)")
        return self.runs

    def ai_ledger(self) -> AILedger:
        """The AI-spend ledger every run of this app meters against (the run wiring's)."""
        return self.run_service().wiring.ai_ledger

    def ai_usage(self) -> LedgerReads:
        """The ledger's usage reads on the request's own connection (never a second one at once)."""
        ledger = self.ai_ledger()
        return LedgerReads(
            ledger.engine, default_monthly_cap=ledger.default_monthly_cap, reads_on=db.session.connection()
        )


def install(app: Flask, held: Holdings) -> Holdings:
    app.extensions[_KEY] = held
    return held


def holdings(app: Flask | None = None) -> Holdings:
    """The app's holdings (the current app's when none is given)."""
    held: Holdings = (app if app is not None else current_app).extensions[_KEY]
    return held


def holdings_of(app: object) -> Holdings | None:
    """The holdings of an object that may not be a Catalyst app at all (gunicorn hooks, signals)."""
    found = getattr(app, "extensions", {}).get(_KEY)
    return found if isinstance(found, Holdings) else None
