"""/metrics counts every organisation's runs: only operators (the METRICS_TOKEN bearer) read it,
never an org admin's session (issue 12, finding 8)."""

from __future__ import annotations

from services.holdings import holdings
from tests.support.api import JsonClient

METRICS_TOKEN = "m" * 40


def test_an_org_admin_session_is_refused(app, make_user):
    holdings(app).settings.metrics_token = METRICS_TOKEN
    admin = JsonClient(app.test_client()).login(make_user("admin").email)
    response = admin.get("/metrics")
    assert response.status_code == 403
    assert b"catalyst_runs" not in response.data


def test_an_org_admin_session_is_refused_without_a_configured_token(app, make_user):
    admin = JsonClient(app.test_client()).login(make_user("admin").email)
    assert admin.get("/metrics").status_code == 403


def test_the_operator_token_reads_metrics(app, client):
    holdings(app).settings.metrics_token = METRICS_TOKEN
    response = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200 and b"catalyst_runs" in response.data
