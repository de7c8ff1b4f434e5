"""The Socket.IO namespace and rooms every part of the live layer names (web/sockets.py has the protocol).

A socket joins `user:<id>` (so a forced logout can close it), `org:<id>` (its organisation's
dashboards) and `run:<id>` for each run it watches. Events to the guarded rooms, `run:` and `org:`,
reach only sockets whose credential still holds (web/socket_access.py).
"""

from __future__ import annotations

NAMESPACE = "/"
GUARDED_ROOMS = ("run:", "org:")


def run_room(run_id: str) -> str:
    return f"run:{run_id}"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def org_room(org_id: int) -> str:
    return f"org:{org_id}"
