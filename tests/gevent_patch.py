"""Loaded first (pytest -p): the app runs on gevent, so tests patch the stdlib as app.py does."""

from gevent import monkey

monkey.patch_all()
