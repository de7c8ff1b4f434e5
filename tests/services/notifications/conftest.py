"""The notification tests' fixtures: the app factory (tests/services/notifications/support.py) and
which consumer delivers."""

import pytest

from tests.services.notifications.support import make_app  # noqa: F401 - the fixture
from tests.support.isolation import redis_url

REDIS_URL = redis_url(14)


@pytest.fixture(params=["embedded", "redis"])
def through(request):
    """Which consumer delivers: the in-process one (no REDIS_URL) or an RQ worker on Redis, emptied
    before and after; the value is what `make_app` takes to choose it."""
    if request.param == "redis":
        import redis

        connection = redis.Redis.from_url(REDIS_URL)
        connection.flushdb()
        yield {"redis_url": REDIS_URL}
        connection.flushdb()
    else:
        yield {}
