"""Email to a real SMTP server (aiosmtpd on loopback): the organisation's executives and admins only,
a link to the live page, text and HTML parts, the brief's markup escaped; embedded and via RQ."""

from __future__ import annotations

from tests.services.notifications.receivers import SmtpReceiver
from tests.services.notifications.support import add_user, deliveries, notifier, paused_run
from tests.support.polling import wait_for

MARKUP = '<img src=x onerror="alert(1)"> & <b>Bold</b>'


def test_a_paused_run_emails_the_executives_and_admins_of_its_organisation(make_app, through):
    with SmtpReceiver() as smtp:
        app = make_app(smtp_url=smtp.url, smtp_from="Catalyst <catalyst@example.com>", **through)
        admin = add_user(app, "admin")
        executive = add_user(app, "executive")
        add_user(app, "member")
        add_user(app, "executive", active=False)
        add_user(app, "executive", org="Globex")
        add_user(app, "admin", org="Globex")
        notifier(app).start()
        run_id = paused_run(app, executive.email, name=MARKUP)
        wait_for(lambda: len(smtp.messages) >= 2, what="two emails")
        wait_for(lambda: all(d.status == "delivered" for d in deliveries(app)), what="deliveries recorded")
    recipients = sorted(address for rcpts, _ in smtp.messages for address in rcpts)
    assert recipients == sorted([admin.email, executive.email])
    assert len(smtp.messages) == 2
    _, message = smtp.messages[0]
    assert message["From"] == "Catalyst <catalyst@example.com>"
    assert " ".join(message["Subject"].split()) == f"[Catalyst] Run waiting for you: {MARKUP}"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"https://catalyst.example.com/runs/{run_id}"
    assert link in text and f'href="{link}"' in html
    assert MARKUP in text  # plain text is never interpreted
    assert "<img" not in html and "<b>Bold" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &lt;b&gt;Bold&lt;/b&gt;" in html
    assert "approve" in text


def test_no_email_when_smtp_is_not_configured(make_app):
    app = make_app()
    add_user(app, "admin")
    executive = add_user(app, "executive")
    paused_run(app, executive.email)
    assert deliveries(app) == []


def test_an_smtp_server_that_is_down_is_retried_then_given_up(make_app):
    app = make_app(smtp_url="smtp://127.0.0.1:9")  # discard port: nothing listens
    executive = add_user(app, "executive")
    notifier(app).start()
    paused_run(app, executive.email)
    wait_for(lambda: deliveries(app) and deliveries(app)[0].status == "failed", what="given up")
    (delivery,) = deliveries(app)
    assert delivery.channel == "email" and delivery.attempts == 3
    assert "Could not send" in delivery.last_error
