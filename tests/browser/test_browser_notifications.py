"""Admin → Notifications in Chromium under the real CSP: create a hook (the secret shown once), send a
test that the serving process's own consumer delivers, signed, and read it in the delivery log."""

from __future__ import annotations

import json

from services.notifications.signing import SIGNATURE_HEADER, verify
from tests.browser.conftest import email_of
from tests.services.notifications.receivers import WebhookReceiver
from tests.support.polling import wait_for


def test_admin_adds_a_webhook_and_sends_a_test(session) -> None:
    admin = session("admin-notifications")
    page = admin.login(email_of("admin"))
    with WebhookReceiver(status=200) as receiver:
        admin.goto("/admin/notifications")
        assert page.locator("#email-off").is_visible()
        page.fill("#url", receiver.url)
        page.fill("#description", "browser test <b>receiver</b>")
        with page.expect_navigation():
            page.click("#create-hook")
        secret = page.locator("#secret-value").inner_text().strip()
        assert secret.startswith("whsec_")
        assert page.locator("#hooks-table").get_by_text("browser test <b>receiver</b>").is_visible()
        with page.expect_navigation():
            page.click("[id^=test-hook-]")
        wait_for(lambda: receiver.requests, what="the test webhook from the serving process")
    request = receiver.requests[0]
    assert verify(request.headers[SIGNATURE_HEADER], request.body, secret)
    assert json.loads(request.body)["type"] == "webhook.test"

    def delivered() -> bool:
        admin.goto("/admin/notifications")
        return page.locator("#delivery-log .delivery-delivered").count() >= 1

    wait_for(delivered, what="the delivery log to show it delivered")
    assert secret not in page.content()  # shown once
    admin.assert_clean()
