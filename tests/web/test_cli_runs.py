"""`flask runs start`: the CLI example runs offline to a report, bad input exits 2."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

EXAMPLE = ["--company", "Acme", "--industry", "Technology", "--location", "Austin, TX",
           "--objective", "Launch product", "--budget", "5000", "--timeline", "90"]


@pytest.fixture(params=["sqlite"])
def backend(request):  # the CLI run keeps its own checkpoint file; one database is enough here
    return request.param


def money(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", ""))


def test_cli_example_completes_with_consistent_report(app, tmp_path):
    out = tmp_path / "report.md"
    result = app.test_cli_runner().invoke(args=["runs", "start", *EXAMPLE, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "== execution ==" in result.output and "completed" in result.output
    report = out.read_text()
    assert report.count("Offline provider") == 1
    assert "quality checks: all passed" in result.output
    rows = re.findall(r"^\| (?!\*\*|Agent)([^|]+) \| (\$[\d,.]+) \| (\$[\d,.]+) \| (\$[\d,.]+) \|$", report, re.M)
    assert rows, "no spend table"
    total = re.search(r"^\| \*\*Total\*\* \| \*\*(\$[\d,.]+)\*\* \| \*\*(\$[\d,.]+)\*\*", report, re.M)
    committed = sum(money(r[2]) for r in rows)
    assert committed == money(total.group(2)) <= Decimal("5000")
    for name, allocated, spent, _remaining in rows:
        assert money(spent) <= money(allocated), name
        assert f"### {name.strip()}: " in report, f"no section for {name}"


def test_cli_rejects_bad_brief_with_exit_2(app):
    args = [a if a != "5000" else "50" for a in EXAMPLE]
    result = app.test_cli_runner().invoke(args=["runs", "start", *args])
    assert result.exit_code == 2
    assert "budget_usd" in result.output


def test_a_cli_run_as_a_user_is_stored_and_shown_like_a_web_run(app, make_user, auth, client, tmp_path):
    executive = make_user("executive")
    out = tmp_path / "stored.md"
    result = app.test_cli_runner().invoke(
        args=["runs", "start", *EXAMPLE, "--as", executive.email, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "== execution ==" in result.output and "stored as" in result.output
    run_id = re.search(r"^run (\w+) ", result.output, re.M).group(1)
    auth.login(executive.email)
    listed = client.get("/api/runs").get_json()
    assert run_id in [r["id"] for r in listed["items"]]
    run = client.get(f"/api/runs/{run_id}").get_json()
    assert run["status"] == "completed"
    events = client.get(f"/api/runs/{run_id}/events").get_json()
    types = [e["type"] for e in events["events"]]
    assert types[0] == "run.started" and types[-1] == "run.completed"
    assert out.read_text().startswith("#")


def test_a_cli_run_without_a_user_says_it_is_a_local_dry_run(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["runs", "start", *EXAMPLE, "--out", str(tmp_path / "r.md")])
    assert result.exit_code == 0, result.output
    assert "local dry run: not stored" in result.output


def test_a_cli_run_as_an_unknown_user_exits_2(app):
    result = app.test_cli_runner().invoke(args=["runs", "start", *EXAMPLE, "--as", "nobody@example.com"])
    assert result.exit_code == 2 and "no active user" in result.output


def test_a_stored_cli_run_answers_its_approval_pause_through_the_service(app, make_user, auth, client, tmp_path):
    executive = make_user("executive")
    args = [a if a != "5000" else "2500" for a in EXAMPLE]  # over budget: the plan needs an approval
    result = app.test_cli_runner().invoke(
        args=["runs", "start", *args, "--as", executive.email, "--approve-overrun", "--out", str(tmp_path / "r.md")]
    )
    assert result.exit_code == 0, result.output
    run_id = re.search(r"^run (\w+) ", result.output, re.M).group(1)
    auth.login(executive.email)
    assert client.get(f"/api/runs/{run_id}").get_json()["status"] == "completed"
    types = [e["type"] for e in client.get(f"/api/runs/{run_id}/events").get_json()["events"]]
    assert "run.paused" in types and types[-1] == "run.completed"
