"""The data and the logins bench/http_api.py measures with, made through the app's own code.

The pages of one run are only worth measuring on a run as a user would open it: finished, with
its structured report and its whole event log. So one run here is executed for real — created by
the run service and driven to its end by the scheduler's `drain()`, offline, in this process —
exactly as tests/support/api.py's `execute_queued` does; nothing about it is hand-made. The other
runs only fill the dashboard and the API's list, so they are plain completed rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import requests

from tests.support.server import PASSWORD, SECRET_KEY

EMAIL = "bench@acme.example.com"
BRIEF = {
    "company": {"name": "Bench Report Co", "industry": "Technology", "location": "Austin, TX"},
    "objectives": ["Launch product"],
    "budget_usd": "5000",
    "timeline_days": 90,
}


@dataclass(frozen=True)
class Seeded:
    """What the scenarios need: an API token and the executed run with its report and events."""

    token: str
    run_id: str
    events: int


def seed(database_url: str, instance: Path, runs: int) -> Seeded:
    """Migrate; create an executive with an API token, `runs` finished runs and one executed run."""
    from flask_migrate import upgrade

    from agents.state import Brief
    from app import create_app
    from config.settings import load_settings
    from services import accounts, users
    from services.db import db, utcnow
    from services.events import events_after
    from services.holdings import holdings
    from services.models import Run, RunStatus

    app = create_app(load_settings(app_env="test", database_url=database_url, instance_path=instance,
                                   secret_key=SECRET_KEY, log_level="WARNING"))  # fmt: skip
    with app.app_context():
        upgrade(revision="heads")
        user = accounts.create_user(email=EMAIL, role="executive", org_name="Acme", password=PASSWORD).user
        _token, plain = users.create_token(user, "bench")
        now = utcnow()
        for n in range(runs):
            brief = {"company": {"name": f"Bench {n}", "industry": "Technology", "location": "Austin, TX"},
                     "objectives": ["Launch product"], "budget_usd": "5000", "timeline_days": 90}  # fmt: skip
            db.session.add(Run(
                org_id=user.org_id, created_by_id=user.id, status=RunStatus.completed, brief=brief,
                company_name=f"Bench {n}", budget_usd=Decimal("5000"), ai_cap_usd=Decimal("5"),
                queued_at=now, created_at=now, started_at=now, finished_at=now,
            ))  # fmt: skip
        db.session.commit()
        service = holdings(app).run_service()
        run_id = service.create(user, Brief.model_validate(BRIEF)).id
        try:
            executed = service.scheduler.drain()
        finally:
            service.stop()
        db.session.expire_all()
        run = db.session.get(Run, run_id)
        if executed != [run_id] or run is None or run.status != RunStatus.completed or not run.report:
            state = None if run is None else (run.status.value, bool(run.report), bool(run.report_markdown))
            raise RuntimeError(f"the seeded run did not complete with a report: {executed} {state}")
        events = len(events_after(db.engine, run_id, 0, 1000))
        db.session.remove()
        db.engine.dispose()
    return Seeded(token=plain, run_id=run_id, events=events)


def session_cookie(port: int, certificate: Path) -> str:
    """Log in through the proxy as a browser does; returns the Cookie header."""
    session = requests.Session()
    verify = str(certificate)  # per request: REQUESTS_CA_BUNDLE would override a session setting
    base = f"https://127.0.0.1:{port}"
    page = session.get(f"{base}/login", verify=verify, timeout=10).text
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = session.post(f"{base}/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
                            headers={"Referer": f"{base}/login", "Origin": base},  # checked over https
                            allow_redirects=False, verify=verify, timeout=10)  # fmt: skip
    if response.status_code != 302:
        raise RuntimeError(f"login through the proxy failed: {response.status_code}")
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def check(port: int, path: str, headers: dict[str, str], certificate: Path, expect: str) -> None:
    """One request before the load: a 200 whose body shows the page really is what is measured."""
    url = f"https://127.0.0.1:{port}{path}"
    response = requests.get(url, headers=headers, verify=str(certificate), timeout=30)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    if expect not in response.text:
        raise RuntimeError(f"GET {path} answered 200 without {expect!r}: {response.text[:300]}")
