"""With REDIS_URL: sessions and limits live in Redis, readiness watches it, blips do not crash."""

from __future__ import annotations

import pytest

from tests.conftest import build_app, csrf_from
from tests.support.redis_server import PrivateRedis

pytestmark = pytest.mark.redis


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def redis_app(tmp_path, private_redis, backend, request):
    pg = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    return build_app(tmp_path, backend, pg, redis_url=private_redis.url)


def login(client, email):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": "correct horse battery staple", "csrf_token": token})


def make_admin(app) -> str:
    from services import accounts

    with app.app_context():
        return accounts.create_user(
            email="ops@example.com", role="admin", org_name="Acme", password="correct horse battery staple"
        ).user.email


def test_sessions_are_stored_in_redis(redis_app, private_redis):
    import redis

    email = make_admin(redis_app)
    client = redis_app.test_client()
    assert login(client, email).status_code == 302
    keys = redis.Redis.from_url(private_redis.url).keys("session:*")
    assert keys, "no session key in Redis"
    assert client.get("/dashboard").status_code == 200


def test_readiness_goes_503_when_redis_stops_and_recovers(redis_app, private_redis):
    client = redis_app.test_client()
    assert client.get("/health/ready").status_code == 200
    private_redis.stop()
    down = client.get("/health/ready")
    assert down.status_code == 503
    assert down.get_json()["checks"]["redis"]["status"] == "down"
    assert client.get("/health").status_code == 200
    restarted = PrivateRedis(private_redis.workdir)
    restarted.port = private_redis.port
    restarted.start()
    try:
        assert client.get("/health/ready").status_code == 200
    finally:
        restarted.stop()


def test_redis_blip_keeps_requests_working(redis_app, private_redis):
    email = make_admin(redis_app)
    client = redis_app.test_client()
    private_redis.stop()
    # Login page, failed logins (throttle counting) and API auth all answer without a 500.
    assert client.get("/login").status_code == 200
    token = csrf_from(client.get("/login").get_data(as_text=True))
    failed = client.post("/login", data={"email": email, "password": "wrong password!", "csrf_token": token})
    assert failed.status_code in (400, 401)
    assert client.get("/api/me").status_code == 401
