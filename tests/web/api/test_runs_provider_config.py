"""A run whose provider cannot work is refused with the error shape, or fails with a clear event.

And a run on a model without a price says so: `ai_price_set` is false in the API.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from services.db import db
from services.holdings import holdings
from services.models import Organisation, Run
from services.models.provider import ProviderSetting
from tests.conftest import build_app
from tests.fakes.fixtures import fake_openai  # noqa: F401 - the fixture
from tests.support.api import JsonClient, brief, execute_queued


@pytest.fixture(params=["sqlite"])
def backend(request):  # the provider wiring does not depend on the database
    return request.param


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def _org_provider(app, org_name: str, **values) -> None:
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == org_name))
        row = db.session.scalar(select(ProviderSetting).where(ProviderSetting.org_id == org.id))
        if row is None:
            row = ProviderSetting(org_id=org.id)
            db.session.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def test_a_run_on_a_model_without_a_price_says_so(app, client, make_user, fake_openai):  # noqa: F811
    executive = JsonClient(client).login(make_user("executive").email)
    _org_provider(app, "Acme", provider="openai", model="served-model", openai_base_url=fake_openai.base_url)
    created = executive.post("/api/runs", brief()).get_json()
    assert created["model"] == "served-model" and created["ai_price_set"] is False
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'id="unpriced-runs"' in page and "of 1 run this month" in page
    _org_provider(app, "Acme", input_usd_per_mtok=1, output_usd_per_mtok=2)
    priced = executive.post("/api/runs", brief(name="Beta")).get_json()
    assert priced["ai_price_set"] is True


def test_a_provider_that_cannot_work_is_refused_before_a_run_is_queued(tmp_path):
    broken = build_app(tmp_path / "broken", "sqlite", llm_provider="openai", llm_model="gpt-nonexistent",
                       openai_api_key="sk-test-key-123456")
    try:
        with broken.app_context():
            from services import accounts
            from tests.conftest import PASSWORD

            accounts.create_user(email="boss@example.com", role="executive", org_name="Acme", password=PASSWORD)
        api = JsonClient(broken.test_client()).login("boss@example.com")
        response = api.post("/api/runs", brief())
        assert response.status_code == 409
        error = response.get_json()["error"]
        assert error["code"] == "provider_not_configured"
        assert "gpt-nonexistent" in error["message"] and "OPENAI_BASE_URL" in error["message"]
        with broken.app_context():
            assert db.session.scalar(select(Run)) is None
    finally:
        holdings(broken).runs.stop()


def test_a_provider_broken_after_queueing_fails_the_run_with_a_clear_error(app, client, make_user, fake_openai,  # noqa: F811
                                                                          caplog):
    executive = JsonClient(client).login(make_user("executive").email)
    _org_provider(app, "Acme", provider="openai", model="served-model", openai_base_url=fake_openai.base_url)
    run_id = executive.post("/api/runs", brief()).get_json()["id"]
    _org_provider(app, "Acme", structured_output="output_format")  # an Anthropic mode: cannot work
    with caplog.at_level(logging.INFO):
        execute_queued(app)
    run = executive.get(f"/api/runs/{run_id}").get_json()
    assert run["status"] == "failed"
    assert run["error"]["code"] == "provider_not_configured"
    assert "output_format" in run["error"]["message"]
    assert not [r for r in caplog.records if r.exc_info], "no traceback for a configuration error"
    events = executive.get(f"/api/runs/{run_id}/events").get_json()["events"]
    assert events[-1]["type"] == "run.failed"
    assert events[-1]["data"]["error"]["code"] == "provider_not_configured"
