"""Webhooks to a real HTTP receiver on loopback: signed, retried with backoff, disabled after failures,
through the embedded consumer and through the RQ job queue on Redis."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import gevent
from flask import Flask
from rq import Queue

from services.notifications.queue import QUEUE_NAME
from services.notifications.signing import SIGNATURE_HEADER, verify
from tests.services.notifications.receivers import WebhookReceiver
from tests.services.notifications.support import (
    add_user,
    attempts,
    audit_actions,
    deliveries,
    hook_row,
    make_hook,
    notifier,
    paused_run,
)
from tests.support.polling import wait_for


class Hooked(NamedTuple):
    receiver: WebhookReceiver
    hook_id: int
    secret: str
    run_id: str


@contextmanager
def a_paused_run_hooked(app: Flask, status: int) -> Iterator[Hooked]:
    """An admin's hook to a receiver answering `status`, the notifier started, then an executive's run
    paused: what the tests of one run.paused delivery begin with (the receiver stops on leaving)."""
    admin = add_user(app, "admin")
    executive = add_user(app, "executive")
    with WebhookReceiver(status=status) as receiver:
        hook_id, secret = make_hook(app, admin.id, receiver.url)
        notifier(app).start()
        yield Hooked(receiver, hook_id, secret, paused_run(app, executive.email))


def test_a_paused_run_is_delivered_signed_to_the_receiver(make_app, through):
    app = make_app(**through)
    with a_paused_run_hooked(app, status=204) as (receiver, hook_id, secret, run_id):
        wait_for(lambda: receiver.requests, what="the webhook")
        wait_for(lambda: deliveries(app)[0].status == "delivered", what="the delivery recorded")
    request = receiver.requests[0]
    assert verify(request.headers[SIGNATURE_HEADER], request.body, secret)
    assert not verify(request.headers[SIGNATURE_HEADER], request.body + b" ", secret)
    assert not verify(request.headers[SIGNATURE_HEADER], request.body, "whsec_another")
    body = json.loads(request.body)
    assert body["type"] == "run.paused"
    assert body["data"]["run"] == {
        "id": run_id, "status": "paused", "company_name": "Acme",
        "url": f"https://catalyst.example.com/runs/{run_id}",
    }
    assert body["data"]["reason"] == "approval_required"
    assert request.headers["Catalyst-Event"] == "run.paused"
    (delivery,) = deliveries(app)
    assert (delivery.webhook_id, delivery.attempts, delivery.last_status_code) == (hook_id, 1, 204)
    (attempt,) = attempts(app, delivery.id)
    assert attempt.ok and attempt.status_code == 204 and attempt.response_ms >= 0
    if through:
        finished = Queue(QUEUE_NAME, connection=notifier(app).consumer.queue.connection).finished_job_registry
        assert finished.get_job_ids(), "the delivery went through the RQ queue"


def test_a_failing_receiver_gets_retries_with_backoff_then_the_hook_is_disabled(make_app, through):
    app = make_app(**through)
    with a_paused_run_hooked(app, status=500) as (receiver, hook_id, _secret, _run_id):
        wait_for(lambda: not hook_row(app, hook_id).enabled, what="the hook disabled")
        seen = len(receiver.requests)
    assert seen == 3  # webhook_max_attempts = disable_after = 3 in these tests
    (delivery,) = deliveries(app)
    assert delivery.status in ("failed", "skipped") and delivery.attempts == 3
    tries = attempts(app, delivery.id)
    assert [t.status_code for t in tries] == [500, 500, 500]
    gaps = [(b.started_at - a.finished_at).total_seconds() for a, b in zip(tries, tries[1:], strict=False)]
    assert all(gap >= 0.05 for gap in gaps), gaps  # never sooner than the backoff
    hook = hook_row(app, hook_id)
    assert hook.consecutive_failures == 3 and "3 failed attempts" in hook.disabled_reason
    assert "webhook.disabled" in audit_actions(app)


def test_retries_survive_a_restart(make_app, tmp_path):
    """A delivery written by one process and never sent is sent by the next process's sweep."""
    app = make_app()
    admin = add_user(app, "admin")
    executive = add_user(app, "executive")
    with WebhookReceiver(status=200) as receiver:
        make_hook(app, admin.id, receiver.url)
        paused_run(app, executive.email)  # its consumer never started: the process "died"
        assert deliveries(app)[0].status == "pending" and not receiver.requests
        notifier(app).stop()
        later = holdings_of_fresh_app(app)
        later.start()
        try:
            wait_for(lambda: receiver.requests, what="the webhook after the restart")
            wait_for(lambda: deliveries(app)[0].status == "delivered", what="delivered")
        finally:
            later.stop()


def test_a_stop_lets_the_attempt_in_flight_finish_and_be_recorded(make_app, through):
    app = make_app(**through)
    admin = add_user(app, "admin")
    executive = add_user(app, "executive")
    with WebhookReceiver(status=204, answer_after=1.0) as receiver:
        make_hook(app, admin.id, receiver.url)
        notifier(app).start()
        paused_run(app, executive.email)
        wait_for(lambda: receiver.requests, what="the webhook on its way")
        assert notifier(app).stop()
    (delivery,) = deliveries(app)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)


def test_a_stop_at_any_moment_of_the_start_leaves_no_worker_registered(make_app):
    """RQ signs a worker off in its loop's `finally`; a stop while it still starts up skipped that,
    and the record outlived the process for its TTL (a worker healthcheck counted it as alive)."""
    import redis

    from tests.services.notifications.conftest import REDIS_URL

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    app = make_app(redis_url=REDIS_URL)
    consumer = notifier(app)
    try:
        for pause in [0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2] * 2:
            assert consumer.start()
            gevent.sleep(pause)
            assert consumer.stop()
            assert not connection.smembers("rq:workers"), f"registered after a stop {pause} s into the start"
    finally:
        connection.flushdb()


def holdings_of_fresh_app(app):
    """A new notifier on the same database and settings: what the next process would build."""
    from services.holdings import holdings
    from services.notifications.notifier import Notifier

    return Notifier(holdings(app).run_service().wiring.engine, holdings(app).settings)


def test_a_failed_run_and_a_completed_run_reach_the_hooks_that_chose_them(make_app, tmp_path):
    from services.holdings import holdings
    from services.runs import lease
    from tests.support.api import JsonClient, brief, execute_queued

    app = make_app()
    admin = add_user(app, "admin")
    executive = add_user(app, "executive")
    with WebhookReceiver(status=200) as failures, WebhookReceiver(status=200) as completions:
        make_hook(app, admin.id, failures.url, events=["run.failed"])
        make_hook(app, admin.id, completions.url, events=["run.completed"])
        notifier(app).start()
        api = JsonClient(app.test_client()).login(executive.email)
        completed = api.post("/api/runs", brief()).get_json()["id"]
        execute_queued(app)
        wait_for(lambda: completions.requests, what="run.completed")
        failed = api.post("/api/runs", brief()).get_json()["id"]
        service = holdings(app).run_service()
        with app.app_context():
            assert lease.claim(service.engine, failed, service.owner)
            service.executor.fail(failed, "crash_loop", "the run stopped its process repeatedly")
        wait_for(lambda: failures.requests, what="run.failed")
    (done,) = [json.loads(r.body) for r in completions.requests]
    (broke,) = [json.loads(r.body) for r in failures.requests]
    assert done["type"] == "run.completed" and done["data"]["run"]["id"] == completed
    assert broke["type"] == "run.failed" and broke["data"]["run"]["id"] == failed
    assert broke["data"]["error"] == {"code": "crash_loop", "message": "the run stopped its process repeatedly"}
