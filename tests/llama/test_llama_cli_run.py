"""A whole run on llama.cpp's real server, from the CLI, with a model the registry has never heard of.

`LLM_MODEL=smollm2` is only the alias the server serves. Structured output is left on `auto`, so
the run also shows that negotiation with a real server works. A recording proxy between Catalyst
and the server keeps the server's own usage figures, to be compared with what the AI ledger holds.
Grammar-constrained output keeps even this 135M model's answers schema-valid; what it writes is
poor (it may well leave both objectives uncovered, with a reason), which is not what this test
judges: that the run completes, its numbers add up, its AI usage is the server's and nothing
reaches the user as a traceback.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from decimal import Decimal

import pytest

from tests.support.recording_proxy import RecordingProxy
from tests.support.server import REPO_ROOT, base_env, create_user, prepare_database

EXECUTIVE = "exec@example.com"
BRIEF = [
    "--company", "Fjord Cycles", "--industry", "Retail", "--location", "Bergen, Norway",
    "--objective", "Launch a website with online repair booking", "--objective", "Register our trademark",
    "--budget", "20000", "--timeline", "120",
]


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


# Eight real calls to a 135M model on two cores: how long it talks depends on its sampled answers
# (a portable AVX2 build here; a rambling answer runs to its max_tokens), up to ten minutes.
@pytest.mark.timeout(900)
def test_a_cli_run_on_smollm2_completes_with_the_servers_own_usage(llama_base_url, tmp_path):
    database = prepare_database(tmp_path, "sqlite")
    create_user(database, EXECUTIVE, "executive")
    out = tmp_path / "report.md"
    with RecordingProxy(llama_base_url.removesuffix("/v1")) as proxy:
        env = base_env(
            database,
            LLM_PROVIDER="openai",
            LLM_MODEL="smollm2",
            OPENAI_BASE_URL=f"{proxy.url}/v1",
            LOG_LEVEL="INFO",
        )
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "runs", "start", *BRIEF,
             "--as", EXECUTIVE, "--approve-overrun", "--out", str(out)],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=3000,
        )
        completions = proxy.completions()
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert done.returncode == 0, output[-4000:]
    assert "model smollm2 at" in done.stdout and "price not set" in done.stdout
    assert "completed · report written to" in done.stdout

    report = json.loads(out.with_suffix(".json").read_text())
    budget = report["budget"]
    money = lambda value: Decimal(str(value))  # noqa: E731
    agents = budget["by_agent"]  # may be empty: this model may leave both objectives uncovered
    assert sum(money(a["committed_usd"]) for a in agents) == money(budget["committed_usd"])
    assert sum(money(item["amount_usd"]) for item in report["line_items"]) == money(budget["committed_usd"])
    assert money(budget["committed_usd"]) <= money(budget["ceiling_usd"])
    assert money(budget["remaining_usd"]) == money(budget["ceiling_usd"]) - money(budget["committed_usd"])
    for agent in agents:
        assert money(agent["committed_usd"]) <= money(agent["allocated_usd"]), agent["agent"]
    arithmetic = {check["name"]: check for check in report["checks"]}["arithmetic"]
    assert arithmetic["passed"], arithmetic["detail"]
    assert [o["status"] for o in report["objectives"]] and all(
        o["status"] == "covered" or o["reason"] for o in report["objectives"]
    ), "every objective is served or says why not"
    assert report["provider_label"] == "the AI model smollm2"
    assert "Prepared with the AI model smollm2" in out.read_text()

    with sqlite3.connect(_sqlite_path(database.url)) as conn:
        run_id, price_set, status = conn.execute("select id, ai_price_set, status from runs").fetchone()
        calls = conn.execute(
            "select input_tokens, output_tokens, usage_estimated, settled_micros from ai_calls "
            "where run_id = ? and status = 'settled' and cached = 0 order by id", (run_id,)
        ).fetchall()
    assert status == "completed" and price_set == 0
    served = [(c.response["usage"]["prompt_tokens"], c.response["usage"]["completion_tokens"]) for c in completions]
    assert calls and len(completions) >= len(calls)
    assert sum(c[0] for c in calls) == sum(s[0] for s in served)
    assert sum(c[1] for c in calls) == sum(s[1] for s in served)
    assert all(c[2] == 0 for c in calls), "the server reported usage: nothing is an estimate"
    assert all(c[3] == 0 for c in calls), "no price was set: nothing is charged"
    # `auto` asked json_schema first; whatever the server took was used for every later call.
    modes = {json.dumps((c.request.get("response_format") or {}).get("type")) for c in completions[1:]}
    assert len(modes) == 1
