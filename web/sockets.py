"""Socket.IO: who may connect, watching runs (replay then live), approve/cancel, rate limits.

Protocol (namespace "/"):
- connect with the session cookie or `auth={"token": "<api token>"}`; anything else is refused.
  Every socket joins `user:<id>` (so a forced logout can close it) and `org:<id>`, where the
  organisation's dashboards hear `run.summary {run_id, company, status, reason, created_by,
  created_at, budget_usd}` when a run is queued or changes status.
- Every event sent to a `run:` or `org:` room goes only to sockets whose credential still holds
  (session not logged out, token not revoked, user active, same organisation), re-checked at most
  every ACCESS_TTL_SECONDS per credential; a socket that fails is disconnected.
- `watch {run_id, after_seq}` → joins `run:<id>`, then acks `{ok, run_id, status, events, last_seq,
  more, watchers}` with every stored event after `after_seq` (at most 1000; `more` says ask
  again). Live events arrive as `event` (the protocol event). Joining happens before the replay
  is read, so an event produced meanwhile is in the replay, live, or both — never in neither;
  clients drop seq ≤ last seen and hold back an event that skips a seq until the gap is filled.
- `unwatch {run_id}`; `approve {run_id, decision, note, cut}` (decision approve|reject|edit;
  edit funds every task except the ids in `cut`); `cancel {run_id}`.
- The server emits `watchers {run_id, count}` to a run's room when someone joins or leaves.
- Rate limits: every client event counts against its connection (`SOCKET_EVENT_LIMIT`) and its
  user (`SOCKET_EVENT_LIMIT_PER_USER`, much higher); beyond either the ack is `rate_limited` with
  `retry_after` (seconds) and `limit` ("connection" or "user"), and the socket stays connected.
Every client event is acked `{ok: true, ...}` or `{ok: false, error: {code, message}}` (plus
`details: [{field, message}]` when a field was refused).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

import redis
from flask import Flask, current_app, has_app_context, has_request_context, request
from flask_login import current_user, user_logged_out
from flask_socketio import Namespace, join_room, leave_room
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_cookie

from services import metrics
from services import users as accounts
from services.db import db
from services.events import MAX_REPLAY, events_after
from services.holdings import holdings, holdings_of
from services.models import Run, User
from services.runs import RunActionError, RunInvalid, run_for_org
from web.extensions import socketio
from web.live import UserDisconnects, Watchers, credential_digest, request_credential
from web.outbox import RUN_EVENT, install_outbox

log = logging.getLogger(__name__)
NAMESPACE = "/"
RUN_SUMMARY = "run.summary"  # the Socket.IO event name of dashboard rows
ACCESS_TTL_SECONDS = 2.0
ENDED_SESSIONS_TTL_SECONDS = 3600.0
GUARDED_ROOMS = ("run:", "org:")
ORG_RUN_ROLES = frozenset({"admin", "executive", "member"})  # ARCHITECTURE.md: all see their org's runs
# Protocol events that change a run's status, and the status each means.
STATUS_OF = {
    "run.started": "running",
    "run.resumed": "running",
    "run.paused": "paused",
    "run.completed": "completed",
    "run.failed": "failed",
    "run.cancelled": "cancelled",
}


def run_room(run_id: str) -> str:
    return f"run:{run_id}"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def org_room(org_id: int) -> str:
    return f"org:{org_id}"


def publish_event(run_id: str, event: dict[str, Any]) -> None:
    """Send one stored event to the run's watchers (through the message queue when configured).

    With a Redis message queue, events it does not take are kept and resent in order when it
    can (web.outbox): its manager would only log and drop them. A status change also goes to
    the organisation's dashboards.
    """
    install_outbox(socketio.server)
    socketio.emit(RUN_EVENT, event, to=run_room(run_id), namespace=NAMESPACE)
    status = STATUS_OF.get(str(event.get("type")))
    if status is not None:
        publish_run_summary(run_id, status, (event.get("data") or {}).get("reason"))


def publish_run_summary(run_id: str, status: str | None = None, reason: str | None = None) -> None:
    """Send a run's dashboard row to its organisation's room: what every member may see of it.

    Read on its own connection, so a caller's transaction is left as it was; without an app
    context (nothing to read with) or on a storage error the dashboards simply miss this row.
    """
    if not has_app_context():
        return
    query = (
        select(Run.id, Run.org_id, Run.company_name, Run.status, Run.pause_reason, Run.created_at,
               Run.budget_usd, User.name, User.email)
        .outerjoin(User, User.id == Run.created_by_id)
        .where(Run.id == run_id)
    )
    try:
        with db.engine.connect() as conn:
            row = conn.execute(query).first()
    except SQLAlchemyError as exc:
        log.warning("run summary not sent", extra={"run_id": run_id, "error": type(exc).__name__})
        return
    if row is None:
        return
    current = status or row.status.value
    summary = {
        "run_id": row.id,
        "company": row.company_name,
        "status": current,
        "reason": (reason or row.pause_reason) if current == "paused" else None,
        "created_by": row.name or (row.email or "").split("@")[0],
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "budget_usd": str(row.budget_usd) if row.budget_usd is not None else None,
    }
    socketio.emit(RUN_SUMMARY, summary, to=org_room(row.org_id), namespace=NAMESPACE)


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
    """`approve {run_id, decision, note, cut}`; `edit` funds every task except those in `cut`."""

    decision: Literal["approve", "reject", "edit"]
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
            user = accounts.authenticate_token(ident.get("token", ""))
        else:
            user = current_user._get_current_object() if current_user.is_authenticated else None
        if user is None or user.id != ident.get("user_id") or not user.active:
            raise SocketError("unauthorized", "Your session ended; log in again.")
        return user

    def on_connect(self, auth: Any = None) -> None:
        from web.live import start_when_serving

        start_when_serving(current_app._get_current_object(), request.environ)
        user: User | None = None
        via = "cookie"
        if current_user.is_authenticated:
            user = current_user._get_current_object()
        elif isinstance(auth, dict) and isinstance(auth.get("token"), str):
            user = accounts.authenticate_token(auth["token"])
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
        if user.role.value in ORG_RUN_ROLES:
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
        events = events_after(db.engine, run_id, data.after_seq, MAX_REPLAY + 1)
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
        data = {"run_id": run_id, "count": count}
        socketio.emit("watchers", data, to=run_room(run_id), namespace=self.namespace)

    def _update_gauge(self) -> None:
        metrics.WATCHERS.set(sum(len(runs) for runs in self._watching.values()))


def _disconnect_soon(sid: str, delay: float = 0.2) -> None:
    socketio.sleep(delay)
    socketio.server.disconnect(sid, namespace=NAMESPACE)


def _disconnect_local(user_id: int) -> None:
    """Close this process's sockets of a user."""
    server = socketio.server
    if server is None:
        return
    for sid, _eio_sid in list(server.manager.get_participants(NAMESPACE, user_room(user_id))):
        server.disconnect(sid, namespace=NAMESPACE)


class SocketAccess:
    """Whether a socket may still receive its rooms' events, asked as each event goes out.

    Why: access was checked on connect and on client events only, so a socket that only listens
    kept receiving a run's events after its user logged out, was deactivated, had the token it
    connected with revoked, or moved organisation. Every emit to a `run:` or `org:` room (local,
    or arriving through the message queue) goes through the manager's `get_participants`, which
    this wraps. A check reloads the credential as a request would (the session from its store,
    the token from the database); its verdict is kept ACCESS_TTL_SECONDS per credential, so a
    fan-out costs dictionary lookups and at most one check per credential every couple of seconds.
    A session that logs out is known at once (`end_session`). When the check itself cannot reach
    storage, the last verdict stands (the run's events are stored; clients catch up on reconnect).
    """

    def __init__(self, app: Flask, server: Any, identities: dict[str, dict[str, Any]],
                 ttl: float = ACCESS_TTL_SECONDS) -> None:
        self.app = app
        self.server = server
        self.identities = identities
        self.ttl = ttl
        self._verdicts: dict[str, tuple[float, bool]] = {}  # credential key -> (checked at, allowed)
        self._ended: dict[str, float] = {}  # logged-out session digests -> when
        self._refused: set[str] = set()

    def install(self) -> SocketAccess:
        manager = self.server.manager
        participants = manager.get_participants

        def get_participants(namespace: str, room: Any) -> Iterator[tuple[str, str]]:
            if not (isinstance(room, str) and room.startswith(GUARDED_ROOMS)):
                yield from participants(namespace, room)
                return
            for sid, eio_sid in participants(namespace, room):
                if self.allowed(sid):
                    yield sid, eio_sid

        manager.get_participants = get_participants
        return self

    def allowed(self, sid: str) -> bool:
        ident = self.identities.get(sid)
        if ident is None:
            return False
        if ident.get("session") in self._ended:
            ok = False
        else:
            key = ident["key"]
            now = time.monotonic()
            verdict = self._verdicts.get(key)
            if verdict is not None and now - verdict[0] < self.ttl:
                ok = verdict[1]
            else:
                ok = self._check(sid, ident, verdict[1] if verdict is not None else True)
                self._verdicts[key] = (now, ok)
        if not ok:
            self._refuse(sid)
        return ok

    def _check(self, sid: str, ident: dict[str, Any], previous: bool) -> bool:
        try:
            if ident["via"] == "token":
                with self.app.app_context():
                    return _still_entitled(accounts.authenticate_token(ident.get("token", "")), ident)
            environ = self.server.get_environ(sid, NAMESPACE)
            if environ is None:
                return False
            environ = self._session_only(environ)
            # A fresh app context first: a request context reuses the current one, and with it `g`
            # and the user Flask-Login cached there (an emit from inside another user's request).
            with self.app.app_context(), self.app.request_context(environ):
                user = current_user._get_current_object() if current_user.is_authenticated else None
                return _still_entitled(user, ident)
        except (SQLAlchemyError, redis.RedisError) as exc:
            log.warning(
                "socket access check failed; keeping the last verdict", extra={"error": type(exc).__name__}
            )
            return previous

    def _session_only(self, environ: dict[str, Any]) -> dict[str, Any]:
        """The socket's environ with its session cookie as its only cookie: a check must not log
        anyone in again from a "remember me" cookie (nor rotate it behind the browser's back)."""
        name = self.app.config.get("SESSION_COOKIE_NAME", "session")
        value = parse_cookie(environ).get(name)
        return {**environ, "HTTP_COOKIE": f"{name}={value}" if value else ""}

    def _refuse(self, sid: str) -> None:
        if sid in self._refused:
            return
        self._refused.add(sid)
        socketio.start_background_task(self._disconnect, sid)

    def _disconnect(self, sid: str) -> None:
        with contextlib.suppress(KeyError, ValueError):  # already gone
            self.server.disconnect(sid, namespace=NAMESPACE)

    def forget(self, sid: str) -> None:
        self._refused.discard(sid)

    def end_session(self, user_id: int, session_digest: str) -> None:
        """A login session ended: its sockets here get no more events and are closed."""
        now = time.monotonic()
        for digest, at in list(self._ended.items()):
            if now - at > ENDED_SESSIONS_TTL_SECONDS:
                del self._ended[digest]
        self._ended[session_digest] = now
        for sid, ident in list(self.identities.items()):
            if ident.get("session") == session_digest and ident.get("user_id") == user_id:
                self._verdicts.pop(ident["key"], None)
                self._refuse(sid)


def _still_entitled(user: User | None, ident: dict[str, Any]) -> bool:
    if user is None or not user.active:
        return False
    return user.id == ident.get("user_id") and user.org_id == ident.get("org_id")


def _on_logout(sender: Flask, user: Any = None, **_extra: Any) -> None:
    """Flask-Login's `user_logged_out`: the sockets opened with this session close, in every process."""
    held = holdings_of(sender)
    end_session = held.end_socket_session if held else None
    if end_session is None or user is None or not has_request_context():
        return
    cookie = request.cookies.get(sender.config.get("SESSION_COOKIE_NAME", "session"))
    user_id = getattr(user, "id", None)
    if cookie and isinstance(user_id, int):
        end_session(user_id, credential_digest("session", cookie))


user_logged_out.connect(_on_logout)


def init_sockets(app: Any) -> None:
    """Register the namespace and the live-runs services (kept under this name for app.py)."""
    from web.live import init_live

    init_live(app)


def register_namespace(app: Any) -> UserDisconnects:
    """The Socket.IO side of `init_live`: the namespace, watcher counts, forced disconnects."""
    redis_client = holdings(app).redis
    namespace = LiveNamespace(NAMESPACE, Watchers(redis_client))
    socketio.on_namespace(namespace)
    namespace.access = SocketAccess(app, socketio.server, namespace._identity).install()
    disconnects = UserDisconnects(
        holdings(app).settings.redis_url, _disconnect_local, namespace.access.end_session
    )
    holdings(app).disconnect_user = disconnects.disconnect_user
    holdings(app).end_socket_session = disconnects.end_session
    holdings(app).socket_access = namespace.access
    return disconnects
