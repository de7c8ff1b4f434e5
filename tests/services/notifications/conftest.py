"""The notification tests' app factory (tests/services/notifications/support.py)."""

from tests.services.notifications.support import make_app  # noqa: F401 - the fixture
