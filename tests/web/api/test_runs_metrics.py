"""GET /metrics: the metrics token only (operators), and the numbers follow the runs."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from services.holdings import holdings
from tests.support.api import JsonClient, brief, execute_queued

METRICS_TOKEN = "m" * 40


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def samples(text: str) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_metrics_need_the_token(app, client, make_user):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).status_code == 401
    holdings(app).settings.metrics_token = METRICS_TOKEN
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).status_code == 200
    member = JsonClient(app.test_client()).login(make_user("member").email)
    assert member.get("/metrics").status_code == 403
    executive = JsonClient(app.test_client()).login(make_user("executive").email)
    assert executive.get("/metrics").status_code == 403
    admin = JsonClient(app.test_client()).login(make_user("admin").email)
    assert admin.get("/metrics").status_code == 403  # platform-wide figures: not for an org admin
    response = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200 and response.mimetype == "text/plain"


def scrape(app) -> str:
    holdings(app).settings.metrics_token = METRICS_TOKEN
    response = app.test_client().get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_metrics_count_runs_queue_and_events(app, client, make_user):
    admin = JsonClient(client).login(make_user("admin").email)
    for name in ("One", "Two", "Three"):
        admin.post("/api/runs", brief(name=name))
    before = samples(scrape(app))
    assert before[("catalyst_runs", (("status", "queued"),))] == 3
    assert before[("catalyst_run_queue_length", ())] == 3
    executed = execute_queued(app)
    after = samples(scrape(app))
    assert after[("catalyst_runs", (("status", "completed"),))] == len(executed) == 3
    assert after[("catalyst_run_queue_length", ())] == 0
    started = ("catalyst_run_events_emitted_total", (("type", "run.started"),))
    assert after[started] - before.get(started, 0) == 3
    count = ("catalyst_run_duration_seconds_count", (("status", "completed"),))
    assert after[count] - before.get(count, 0) == 3
    assert ("catalyst_run_watchers", ()) in after
