"""Socket.IO handlers (filled in by the live-runs work): connection auth and user disconnects."""

from __future__ import annotations

from flask import Flask

from web.extensions import socketio


def disconnect_user(user_id: int) -> None:
    """Close every socket of a user (forced logout, deactivation)."""
    socketio.server.manager  # noqa: B018 - placeholder until rooms per user exist
    socketio.close_room(f"user:{user_id}", namespace="/")


def init_sockets(app: Flask) -> None:
    app.extensions["catalyst.disconnect_user"] = disconnect_user
