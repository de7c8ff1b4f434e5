"""Concurrent wrong-password attempts are each counted before the password is checked (issue 12 item 6)."""

from __future__ import annotations

import gevent

from services.holdings import holdings
from tests.conftest import csrf_from

ATTEMPTS = 14


def test_concurrent_attempts_never_exceed_the_account_limit(app, make_user) -> None:
    user = make_user("executive")
    clients = []
    for _ in range(ATTEMPTS):
        client = app.test_client()
        token = csrf_from(client.get("/login").get_data(as_text=True))
        clients.append((client, token))

    def attempt(pair):
        client, token = pair
        return client.post("/login", data={"email": user.email, "password": "wrong password here",
                                           "csrf_token": token}).status_code

    jobs = [gevent.spawn(attempt, pair) for pair in clients]
    gevent.joinall(jobs, raise_error=True)
    statuses = sorted(job.value for job in jobs)
    limit = int(holdings(app).settings.login_limit_per_account.split("/")[0])
    assert statuses.count(401) == limit, statuses  # evaluated: exactly the limit, never more
    assert statuses.count(429) == ATTEMPTS - limit
