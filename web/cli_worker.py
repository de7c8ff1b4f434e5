"""`flask --app app worker`: execute queued runs in this process (RUN_EXECUTOR=queue)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from services.holdings import holdings
from services.worker import build_worker, run_worker


@click.command("worker")
@click.option("--burst", is_flag=True, help="Exit once the queue is empty instead of waiting for runs.")
@click.option("--poll-seconds", type=click.FloatRange(0.1, 60), default=2.0, show_default=True,
              help="How often the worker looks for orphaned runs and runs without a job.")
@click.option("--stale-after-seconds", type=click.FloatRange(1, 3600), default=30.0, show_default=True,
              help="A run whose lease is older than this is taken from its worker.")
@with_appcontext
def worker_command(burst: bool, poll_seconds: float, stale_after_seconds: float) -> None:
    """Execute runs from the Redis job queue, one at a time; SIGTERM drains and exits 0."""
    app = current_app._get_current_object()
    settings = holdings(app).settings
    try:
        worker = build_worker(app, poll_seconds=poll_seconds, stale_after_seconds=stale_after_seconds)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    if settings.run_executor != "queue":
        click.echo("note: RUN_EXECUTOR is not 'queue': app processes execute runs too", err=True)
    click.echo(f"run worker {worker.name} on queue {worker.host.queue.name}")
    run_worker(worker, burst=burst, log_level=settings.log_level)
    click.echo(f"run worker {worker.name} stopped")
