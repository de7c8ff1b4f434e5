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

Modules: the namespace and its handlers in web/socket_namespace.py, the per-emit access check in
web/socket_access.py, room names in web/socket_rooms.py, watcher counts in web/presence.py, closing
a user's sockets across processes in web/disconnects.py. This one publishes runs to their rooms and
registers the namespace (web/live.py `init_live`).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import has_app_context
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from services.db import db
from services.holdings import holdings
from services.models import Run, User
from web.disconnects import UserDisconnects
from web.extensions import socketio
from web.outbox import RUN_EVENT, install_outbox
from web.presence import Watchers
from web.socket_access import SocketAccess
from web.socket_namespace import LiveNamespace
from web.socket_rooms import NAMESPACE, org_room, run_room, user_room

log = logging.getLogger(__name__)
RUN_SUMMARY = "run.summary"  # the Socket.IO event name of dashboard rows
# Protocol events that change a run's status, and the status each means.
STATUS_OF = {
    "run.started": "running",
    "run.resumed": "running",
    "run.paused": "paused",
    "run.completed": "completed",
    "run.failed": "failed",
    "run.cancelled": "cancelled",
}


def publish_event(run_id: str, event: dict[str, Any]) -> None:
    """Send one stored event to the run's watchers (through the message queue when configured).

    With a Redis message queue, events it does not take are kept and resent in order when it
    can (web.outbox): its manager would only log and drop them. A status change also goes to
    the organisation's dashboards.
    """
    install_outbox(socketio.server)
    socketio.emit(RUN_EVENT, event, to=run_room(run_id), namespace=NAMESPACE)
    # The emit only queues the packet for each watcher's socket writer; let them send it before
    # the caller goes on to store the next event, which on SQLite blocks the whole process.
    socketio.sleep(0)
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


def _disconnect_local(user_id: int) -> None:
    """Close this process's sockets of a user."""
    server = socketio.server
    if server is None:
        return
    for sid, _eio_sid in list(server.manager.get_participants(NAMESPACE, user_room(user_id))):
        server.disconnect(sid, namespace=NAMESPACE)


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
