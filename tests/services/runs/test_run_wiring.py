"""The composition root: one wrapping order, and the organisation's provider everywhere a run executes.

An admin points their organisation at a model server (the fake OpenAI server, real HTTP). Then a
run of that organisation must reach that server whether the web process's scheduler, a queue
worker or the CLI executes it; and the client wraps in one order: drain → metering → provider.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import Result

from agents.memory import MemoryEventSink
from agents.state import Brief
from services.budgets.metered import MeteredLLMClient
from services.db import db
from services.holdings import holdings
from services.llm.client import ResilientLLMClient
from services.models import Run, RunStatus, User
from services.provider_settings import ProviderChange, update_provider_settings
from services.runs.drain import DrainingLLM, ShutdownRequested
from services.worker import build_worker
from tests.conftest import REDIS_URL, build_app
from tests.fakes.openai_server import FakeOpenAIServer
from tests.support.api import brief

MODEL = "gpt-4o-mini"
ONE_AGENT = {"agents": ["legal"]}


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def app(backend, tmp_path, request):
    """The app with Redis (a worker needs it) and the offline provider in its environment."""
    pg = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    application = build_app(tmp_path, backend, pg, redis_url=REDIS_URL)
    yield application
    holdings(application).run_service().executor.close()  # its checkpointer, if a run opened it
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def admin(app, make_user, server):
    """An admin whose organisation uses the fake server; the environment stays offline."""
    user = make_user("admin")
    with app.app_context():
        wiring = holdings().run_service().wiring
        update_provider_settings(
            user.org_id,
            ProviderChange(
                provider="openai", model=MODEL, openai_api_key="sk-org-key", openai_base_url=server.base_url
            ),
            actor=db.session.get(User, user.id),
            secret_key=holdings().settings.secret_key,
            base=wiring.environment,
        )
    return user


def create_run(app, user) -> Run:
    with app.app_context():
        run = holdings().run_service().create(db.session.get(User, user.id), Brief.model_validate(brief(**ONE_AGENT)))
        db.session.expunge(run)
        return run


def assert_reached_the_organisations_server(server: FakeOpenAIServer) -> None:
    assert server.requests, "the run's calls went to the organisation's server"
    for seen in server.requests:
        headers = {name.lower(): value for name, value in seen.headers.items()}
        assert headers["authorization"] == "Bearer sk-org-key" and seen.body["model"] == MODEL


def status_of(app, run_id: str) -> RunStatus:
    with app.app_context():
        return db.session.get(Run, run_id).status


def test_the_llm_client_wraps_drain_then_metering_then_the_organisations_provider(app, admin, server):
    run = create_run(app, admin)
    assert (run.provider, run.model) == ("openai", MODEL), "the run records the organisation's choice"
    with app.app_context():
        wiring = holdings().run_service().wiring
        assert wiring.environment.provider == "offline"
        ports = wiring.ports(run, MemoryEventSink(run.id))
    assert isinstance(ports.llm, DrainingLLM)
    assert isinstance(ports.llm.inner, MeteredLLMClient)
    provider = ports.llm.inner.inner
    assert isinstance(provider, ResilientLLMClient) and provider.model.name == MODEL
    assert ports.share_caps and set(ports.share_caps) >= {"legal"}

    wiring.drain.start()
    with pytest.raises(ShutdownRequested):
        ports.llm.generate(None)  # refused before metering or the provider sees it
    assert server.requests == []


def test_the_web_process_executes_on_the_organisations_provider(app, admin, server):
    run = create_run(app, admin)
    with app.app_context():
        assert holdings().run_service().scheduler.drain() == [run.id]
    assert status_of(app, run.id) == RunStatus.completed
    assert_reached_the_organisations_server(server)


def test_a_queue_worker_executes_on_the_organisations_provider(app, admin, server):
    worker = build_worker(app)
    assert worker.host.service.wiring is holdings(app).runs.wiring, "one wiring per process"
    run = create_run(app, admin)
    try:
        assert worker.host.perform(run.id) == "executed"
    finally:
        worker.host.service.executor.close()
    assert status_of(app, run.id) == RunStatus.completed
    assert_reached_the_organisations_server(server)


def test_the_cli_executes_on_the_organisations_provider_and_says_so(app, admin, server, tmp_path):
    out = tmp_path / "report.md"
    result: Result = app.test_cli_runner().invoke(
        args=[
            "runs", "start", "--company", "Acme Bikes", "--industry", "bicycle repair",
            "--location", "Lyon, France", "--objective", "Register the company", "--budget", "20000",
            "--timeline", "60", "--agent", "legal", "--as", admin.email, "--out", str(out),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"provider openai · model {MODEL} at {server.base_url}" in result.output
    assert_reached_the_organisations_server(server)
    assert out.exists()
