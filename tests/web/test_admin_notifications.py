"""The webhooks admin API and page: admin only, CSRF, the error shape, SSRF refusals, the test button,
the delivery log and a disabled hook shown (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest

from config.settings import load_settings
from services.holdings import holdings
from services.notifications.hooks import WebhookInvalid, check_url
from services.notifications.signing import SIGNATURE_HEADER, verify
from tests.conftest import csrf_from
from tests.services.notifications.receivers import WebhookReceiver
from tests.services.notifications.support import (
    add_user,
    deliveries,
    hook_row,
    make_app,  # noqa: F401 - the fixture
)
from tests.support.api import JsonClient
from tests.support.polling import wait_for

QUICK = {"webhook_retry_base_seconds": 0.05, "notification_poll_seconds": 0.05, "webhook_max_attempts": 2,
         "webhook_disable_after_failures": 2}


@pytest.fixture
def web_app(make_app):  # noqa: F811 - the fixture imported above
    return make_app(**QUICK)


def test_only_admins_manage_webhooks(web_app):
    app = web_app
    executive = add_user(app, "executive")
    api = JsonClient(app.test_client()).login(executive.email)
    for response in (api.get("/api/admin/webhooks"),
                     api.post("/api/admin/webhooks", {"url": "https://example.com/h", "events": ["run.paused"]}),
                     api.get("/admin/notifications")):
        assert response.status_code == 403
    body = api.get("/api/admin/webhooks").get_json()
    assert body["error"]["code"] == "forbidden" and set(body["error"]) == {"code", "message", "details"}


def test_create_list_patch_delete_with_the_secret_shown_once(web_app):
    app = web_app
    admin = add_user(app, "admin")
    api = JsonClient(app.test_client()).login(admin.email)
    created = api.post("/api/admin/webhooks", {"url": "https://hooks.example.com/c", "events": ["run.failed"]})
    assert created.status_code == 201, created.get_json()
    hook = created.get_json()
    assert hook["secret"].startswith("whsec_") and hook["events"] == ["run.failed"] and hook["enabled"]
    listed = api.get("/api/admin/webhooks").get_json()
    assert [h["id"] for h in listed["items"]] == [hook["id"]]
    assert "secret" not in listed["items"][0] and hook["secret"] not in json.dumps(listed)
    assert listed["email"] == {"enabled": False, "server": None, "sender": None, "recipients": 1}
    patched = api.client.patch(f"/api/admin/webhooks/{hook['id']}", json={"events": ["run.paused", "run.failed"]},
                               headers={"X-CSRFToken": api.csrf})
    assert patched.status_code == 200 and patched.get_json()["events"] == ["run.paused", "run.failed"]
    deleted = api.client.delete(f"/api/admin/webhooks/{hook['id']}", headers={"X-CSRFToken": api.csrf})
    assert deleted.status_code == 204
    assert api.get(f"/api/admin/webhooks/{hook['id']}").get_json()["error"]["code"] == "not_found"
    from tests.services.notifications.support import audit_actions

    assert {"webhook.created", "webhook.updated", "webhook.deleted"} <= set(audit_actions(app))


def test_bad_urls_and_events_are_refused_with_the_error_shape(web_app):
    app = web_app
    admin = add_user(app, "admin")
    api = JsonClient(app.test_client()).login(admin.email)
    for url in ("https://10.0.0.5/hook", "https://169.254.169.254/latest", "http://example.com/h",
                "ftp://example.com/h", "https://user:pw@example.com/h", "not a url", "https://[::ffff:10.0.0.1]/h",
                "https://exa\x00mple.com/h", "https://[/h", "https://example.com:99999/h", "https://ex ample.com/"):
        response = api.post("/api/admin/webhooks", {"url": url, "events": ["run.paused"]})
        assert response.status_code == 422, url
        error = response.get_json()["error"]
        assert error["code"] == "validation_failed" and error["details"][0]["field"] == "url", (url, error)
    odd = api.post("/api/admin/webhooks", {"url": "https://hooks.example.com/h", "events": ["run.paused"],
                                           "description": "tab\there\x00 nul"})
    assert odd.status_code == 201 and odd.get_json()["description"] == "tab here nul"
    unknown = api.post("/api/admin/webhooks", {"url": "https://example.com/h", "events": ["run.exploded"]})
    assert unknown.status_code == 422
    assert api.post("/api/admin/webhooks", {"url": "https://example.com/h", "events": []}).status_code == 422


def test_api_changes_need_the_csrf_token(web_app):
    app = web_app
    admin = add_user(app, "admin")
    api = JsonClient(app.test_client()).login(admin.email)
    response = api.client.post("/api/admin/webhooks", json={"url": "https://example.com/h", "events": ["run.paused"]})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"
    page = api.client.post("/admin/notifications", data={"url": "https://example.com/h", "events": "run.paused"})
    assert page.status_code == 400


def test_loopback_is_refused_in_production_and_allowed_in_the_embedded_default(tmp_path):
    embedded = load_settings(app_env="test", instance_path=tmp_path / "i")
    assert check_url("http://127.0.0.1:8080/h", embedded) == "http://127.0.0.1:8080/h"
    production = load_settings(
        app_env="production", secret_key="s" * 48, database_url="postgresql://x@127.0.0.1/db",
        redis_url="redis://127.0.0.1:6379/0", llm_provider="offline", instance_path=tmp_path / "p",
    )
    for url in ("https://127.0.0.1/h", "http://127.0.0.1:8080/h", "https://localhost/h", "https://10.1.2.3/h"):
        try:
            check_url(url, production)
        except WebhookInvalid as exc:
            assert "url" in exc.errors
        else:
            raise AssertionError(f"{url} accepted in production")
    allowed = production.model_copy(update={"llm_allowed_hosts": ["10.1.2.3"]})
    assert check_url("https://10.1.2.3/h", allowed) == "https://10.1.2.3/h"


def test_the_page_creates_a_hook_sends_a_test_and_shows_the_log(web_app):
    app = web_app
    admin = add_user(app, "admin")
    client = app.test_client()
    JsonClient(client).login(admin.email)
    page = client.get("/admin/notifications")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Email is off: SMTP is not configured" in html
    assert 'href="/admin/notifications"' in html  # in the admin nav
    token = csrf_from(html)
    refused = client.post("/admin/notifications", data={"csrf_token": token, "url": "https://10.0.0.9/h",
                                                        "events": ["run.paused"]})
    assert refused.status_code == 422 and "not allowed" in refused.get_data(as_text=True)
    with WebhookReceiver(status=200) as receiver:
        made = client.post("/admin/notifications", data={"csrf_token": token, "url": receiver.url,
                                                         "events": ["run.paused", "run.failed"]})
        assert made.status_code == 201
        made_html = made.get_data(as_text=True)
        secret = made_html.split('id="secret-value">', 1)[1].split("<", 1)[0]
        assert secret.startswith("whsec_")
        assert secret not in client.get("/admin/notifications").get_data(as_text=True)  # shown once
        hook_id = deliveries_hook_id(app)
        holdings(app).run_service().wiring.notifier.start()
        sent = client.post(f"/admin/notifications/{hook_id}/test", data={"csrf_token": token})
        assert sent.status_code == 303
        wait_for(lambda: receiver.requests, what="the test webhook")
        wait_for(lambda: deliveries(app)[0].status == "delivered", what="delivered")
    request = receiver.requests[0]
    assert verify(request.headers[SIGNATURE_HEADER], request.body, secret)
    assert json.loads(request.body)["type"] == "webhook.test"
    log = client.get("/admin/notifications").get_data(as_text=True)
    assert "webhook.test" in log and "delivery-delivered" in log and " ms" in log


def test_a_disabled_hook_is_shown_and_can_be_re_enabled(web_app):
    app = web_app
    admin = add_user(app, "admin")
    client = app.test_client()
    api = JsonClient(client).login(admin.email)
    with WebhookReceiver(status=500) as receiver:
        hook = api.post("/api/admin/webhooks", {"url": receiver.url, "events": ["run.paused"]}).get_json()
        holdings(app).run_service().wiring.notifier.start()
        assert api.post(f"/api/admin/webhooks/{hook['id']}/test").status_code == 202
        wait_for(lambda: not hook_row(app, hook["id"]).enabled, what="disabled after 2 failures")
    html = client.get("/admin/notifications").get_data(as_text=True)
    assert "hook-disabled" in html and "Disabled after 2 failed attempts in a row." in html and "Re-enable" in html
    log = api.get(f"/api/admin/webhooks/{hook['id']}/deliveries").get_json()["items"]
    assert log[0]["tries"][0]["status_code"] == 500 and log[0]["last_error"] == "The receiver answered HTTP 500."
    again = client.post(f"/admin/notifications/{hook['id']}/enabled", data={"csrf_token": api.csrf, "enabled": "1"})
    assert again.status_code == 303
    row = hook_row(app, hook["id"])
    assert row.enabled and row.consecutive_failures == 0


def deliveries_hook_id(app) -> int:
    from sqlalchemy import select

    from services.db import db
    from services.models.notifications import Webhook

    with app.app_context():
        return db.session.scalars(select(Webhook.id)).one()
