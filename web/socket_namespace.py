"""The Socket.IO namespace: who may connect, watching runs (replay then live), approve, cancel.

Its events and their acks are the protocol in web/sockets.py. Every client event goes through
`client_event`: rate limits (connection, then user), payload validation, the user re-checked, an ack.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal

from flask import current_app, request
from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services import metrics, users
from services.db import db
from services.events import MAX_REPLAY, events_after
from services.holdings import holdings
from services.models import User
from services.permissions import VIEW_RUNS, has_permission
from services.runs import RunActionError, RunInvalid, run_for_org
from web.extensions import socketio
from web.presence import Watchers
from web.socket_access import SocketAccess
from web.socket_binding import credential_digest, request_credential
from web.socket_rooms import NAMESPACE, org_room, run_room, user_room

log = logging.getLogger(__name__)
# A crowd joining one run (500 sockets) sent 500 counts to up to 500 sockets each: a quarter of a
# million messages queued ahead of the run's events (bench/fanout.py). Counts now go out at most
# once per interval per run from each process; the latest one when the interval ends.
WATCHERS_INTERVAL_SECONDS = 0.25


class SocketError(Exception):
    def __init__(self, code: str, message: str, **extra: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


class _RunRef(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    run_id: str = Field(min_length=1, max_length=32)


class WatchIn(_RunRef):
    after_seq: int = Field(0, ge=0, le=2**31 - 1)


class DecisionIn(_RunRef):
    """`approve {run_id, decision, note, cut}`; `edit` funds every task except those in `cut`; `accept`
    (a quote) is `approve`."""

    decision: Literal["approve", "accept", "reject", "edit"]
    note: str = Field("", max_length=1000)
    cut: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default_factory=list, max_length=40)


def _error(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message, **extra}}


def _rate_limited(sid: str, user_id: int) -> SocketError | None:
    """Count one client event against its connection's rate, then its user's ceiling.

    The connection rate (SOCKET_EVENT_LIMIT) stops one noisy socket; the much higher per-user
    ceiling (SOCKET_EVENT_LIMIT_PER_USER) stops one account multiplying that rate by opening many
    sockets, while leaving room for a team on one account watching from hundreds of tabs. An
    event refused by its connection's limit does not count against the user's.
    """
    settings = holdings().settings
    throttle = holdings().throttle
    scope = "connection"
    verdict = throttle.hit(settings.socket_event_limit, "socket-connection", sid)
    if verdict.allowed:
        scope = "user"
        verdict = throttle.hit(settings.socket_event_limit_per_user, "socket-user", str(user_id))
    if verdict.allowed:
        return None
    return SocketError(
        "rate_limited", "Too many events; slow down.", retry_after=verdict.retry_after, limit=scope
    )


def client_event(model: type[BaseModel] | None = None) -> Callable:
    """Wrap a handler: rate limit (connection, user), validate the payload, load the user, ack."""

    def decorator(handler: Callable) -> Callable:
        name = handler.__name__.removeprefix("on_")

        @functools.wraps(handler)
        def wrapper(self: LiveNamespace, data: Any = None, *_extra: Any) -> dict[str, Any]:
            outcome = "ok"
            try:
                user_id = self.identity().get("user_id")
                if user_id is None:
                    raise SocketError("unauthorized", "Connect again after logging in.")
                refused = _rate_limited(request.sid, user_id)
                if refused is not None:
                    raise refused
                payload = None
                if model is not None:
                    try:
                        payload = model.model_validate(data if data is not None else {})
                    except ValidationError as exc:
                        first = exc.errors(include_url=False, include_input=False)[0]
                        field = ".".join(str(p) for p in first["loc"]) or "payload"
                        raise SocketError("validation_failed", f"{field}: {first['msg']}") from None
                user = self.current()
                result = handler(self, user, payload) if model is not None else handler(self, user)
                return {"ok": True, **(result or {})}
            except SocketError as exc:
                outcome = exc.code
                if exc.code == "unauthorized":
                    # After the ack has gone out, so the client learns why it was dropped.
                    socketio.start_background_task(_disconnect_soon, request.sid)
                return _error(exc.code, exc.message, **exc.extra)
            except RunActionError as exc:
                outcome = exc.code
                db.session.rollback()
                return _error(exc.code, exc.message)
            except Exception:  # a socket handler answers, never raises
                outcome = "internal_error"
                db.session.rollback()
                log.exception("socket event failed", extra={"event": name})
                return _error("internal_error", "Something went wrong on our side.")
            finally:
                metrics.SOCKET_EVENTS.labels(event=name, outcome=outcome).inc()

        return wrapper

    return decorator


class LiveNamespace(Namespace):
    """Handlers named after the client events."""

    def __init__(self, namespace: str, watchers: Watchers) -> None:
        super().__init__(namespace)
        self.watchers = watchers
        # Per socket of this process (a sid never moves between processes): who it is, what it watches.
        self._identity: dict[str, dict[str, Any]] = {}
        self._watching: dict[str, set[str]] = {}
        # Runs whose count went out less than an interval ago -> the count to send at its end (or None).
        self._counts_due: dict[str, int | None] = {}
        self.access: SocketAccess | None = None

    def trigger_event(self, event: str, *args: Any) -> Any:
        if event not in ("connect", "disconnect") and not hasattr(self, f"on_{event}"):
            return _error("unknown_event", f"There is no {str(event)[:40]!r} event.")
        return super().trigger_event(event, *args)

    # --- identity ------------------------------------------------------------------------------

    def identity(self) -> dict[str, Any]:
        return self._identity.get(request.sid, {})

    def current(self) -> User:
        """The socket's user, re-checked on every event (logout, deactivation, revoked token)."""
        ident = self.identity()
        user: User | None
        if ident.get("via") == "token":
            user = users.authenticate_token(ident.get("token", ""))
        else:
            user = current_user._get_current_object() if current_user.is_authenticated else None
        if user is None or user.id != ident.get("user_id") or not user.active:
            raise SocketError("unauthorized", "Your session ended; log in again.")
        return user

    def on_connect(self, auth: Any = None) -> None:
        _start_when_serving(request.environ)
        user: User | None = None
        via = "cookie"
        if current_user.is_authenticated:
            user = current_user._get_current_object()
        elif isinstance(auth, dict) and isinstance(auth.get("token"), str):
            user = users.authenticate_token(auth["token"])
            via = "token"
        if user is None:
            db.session.rollback()
            raise ConnectionRefusedError({"code": "unauthorized", "message": "Log in or send an API token."})
        ident: dict[str, Any] = {"user_id": user.id, "org_id": user.org_id, "via": via}
        cookie_name = current_app.config.get("SESSION_COOKIE_NAME", "session")
        cookie = request.cookies.get(cookie_name)
        if via == "token":
            ident["token"] = auth["token"]
            credential = credential_digest("token", auth["token"])
        else:
            credential = request_credential(request.environ, cookie_name)
            # Which login session it rides on, so that session's logout closes it.
            ident["session"] = credential_digest("session", cookie) if cookie else None
        # Sockets presenting the same credential as the same user share one access check.
        ident["key"] = f"{via}:{credential}:{user.id}:{user.org_id}"
        self._identity[request.sid] = ident
        join_room(user_room(user.id))
        if has_permission(user, VIEW_RUNS):
            join_room(org_room(user.org_id))

    def on_disconnect(self, reason: Any = None) -> None:
        self._identity.pop(request.sid, None)
        if self.access is not None:
            self.access.forget(request.sid)
        for run_id in self._watching.pop(request.sid, set()):
            self._left(run_id, request.sid)
        self._update_gauge()

    # --- client events -------------------------------------------------------------------------

    @client_event(WatchIn)
    def on_watch(self, user: User, data: WatchIn) -> dict[str, Any]:
        run = run_for_org(data.run_id, user.org_id)
        if run is None:
            raise SocketError("not_found", "No such run.")
        run_id, status = run.id, run.status.value
        db.session.rollback()  # release the connection; the replay reads on its own
        sid = request.sid
        first_time = run_id not in self._watching.get(sid, set())
        # Join first, read second: whatever is stored after this read is published to us live.
        join_room(run_room(run_id))
        self._watching.setdefault(sid, set()).add(run_id)
        events = events_after(db.session.connection(), run_id, data.after_seq, MAX_REPLAY + 1)
        more = len(events) > MAX_REPLAY
        events = events[:MAX_REPLAY]
        if first_time:
            count = self.watchers.join(run_id, sid)
            self._announce(run_id, count)
            self._update_gauge()
        else:
            count = self.watchers.count(run_id)
        last = events[-1]["seq"] if events else data.after_seq
        return {
            "run_id": run_id,
            "status": status,
            "events": events,
            "last_seq": last,
            "more": more,
            "watchers": count,
        }

    @client_event(_RunRef)
    def on_unwatch(self, user: User, data: _RunRef) -> dict[str, Any]:
        watched = self._watching.get(request.sid, set())
        if data.run_id in watched:
            watched.discard(data.run_id)
            leave_room(run_room(data.run_id))
            self._left(data.run_id, request.sid)
            self._update_gauge()
        return {"run_id": data.run_id}

    @client_event(DecisionIn)
    def on_approve(self, user: User, data: DecisionIn) -> dict[str, Any]:
        run = run_for_org(data.run_id, user.org_id)
        if run is None:
            raise SocketError("not_found", "No such run.")
        try:
            service = holdings().runs
            run = service.decide(run, user, data.decision, data.note, data.cut)
        except RunInvalid as exc:
            # Same details as the HTTP API, so a client can point at the field (usually `cut`).
            db.session.rollback()
            details = [{"field": exc.field, "message": exc.message}] if exc.field else None
            raise SocketError(exc.code, exc.message, details=details) from None
        return {"run_id": run.id, "status": run.status.value}

    @client_event(_RunRef)
    def on_cancel(self, user: User, data: _RunRef) -> dict[str, Any]:
        run = run_for_org(data.run_id, user.org_id)
        if run is None:
            raise SocketError("not_found", "No such run.")
        run = holdings().runs.cancel(run, user)
        return {"run_id": run.id, "status": run.status.value, "cancel_requested": run.cancel_requested}

    # --- watchers ------------------------------------------------------------------------------

    def _left(self, run_id: str, sid: str) -> None:
        self._announce(run_id, self.watchers.leave(run_id, sid))

    def _announce(self, run_id: str, count: int) -> None:
        """Tell the run's room its watcher count: at once, or at the end of the current interval."""
        if run_id in self._counts_due:
            self._counts_due[run_id] = count
            return
        self._counts_due[run_id] = None
        self._send_count(run_id, count)
        socketio.start_background_task(self._send_due_counts, run_id)

    def _send_due_counts(self, run_id: str) -> None:
        """At each interval's end, the latest count that came meanwhile; done after a quiet one."""
        while True:
            socketio.sleep(WATCHERS_INTERVAL_SECONDS)
            count = self._counts_due.get(run_id)
            if count is None:
                self._counts_due.pop(run_id, None)
                return
            self._counts_due[run_id] = None
            self._send_count(run_id, count)

    def _send_count(self, run_id: str, count: int) -> None:
        data = {"run_id": run_id, "count": count}
        socketio.emit("watchers", data, to=run_room(run_id), namespace=self.namespace)

    def _update_gauge(self) -> None:
        metrics.WATCHERS.set(sum(len(runs) for runs in self._watching.values()))


def _start_when_serving(environ: dict[str, Any]) -> None:
    """A handshake never reaches Flask's `before_request`, where web/live.py starts this process's
    background work on the first request a real server hands it: a socket connecting first starts
    it here, through the same `start_when_serving` (it does nothing the second time)."""
    start = holdings().start_when_serving
    if start is not None:
        start(environ)


def _disconnect_soon(sid: str, delay: float = 0.2) -> None:
    socketio.sleep(delay)
    socketio.server.disconnect(sid, namespace=NAMESPACE)
