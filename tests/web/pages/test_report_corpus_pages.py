"""Every corpus report, stored on a run, shows the same figures in Markdown, JSON and on the web page."""

from __future__ import annotations

import pytest

from agents.report_markdown import usd as markdown_usd
from agents.report_model import StructuredReport
from services.holdings import holdings
from tests.support.api import brief
from tests.unit.report.corpus import brief_files, run
from tests.web.pages.test_report_structured import login, money_values, store
from web.pages.formatting import usd

NAMES = [path.name for path in brief_files()]


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def test_corpus_reports_agree_across_renderings(app, make_user) -> None:
    api = login(app, make_user)
    for name in NAMES:
        outcome = run(name).outcome
        report = StructuredReport.model_validate(outcome.report)
        created = api.post("/api/runs", brief(report.company["name"][:60])).get_json()
        store(app, created["id"], report, outcome.report_markdown or "")
        page = api.get(f"/runs/{created['id']}/report").get_data(as_text=True)
        body = api.get(f"/api/runs/{created['id']}/report?format=json").get_json()
        assert body == report.model_dump(mode="json"), name
        local = {f.amount for f in report.facts if f.currency != "USD"}  # shown as "EUR 290.00"
        for value in money_values(report):
            if value in local and value not in {f.amount_usd for f in report.facts}:
                continue
            assert f">{usd(value)}<" in page, f"{name}: {usd(value)} missing from the page"
        for fact in (f for f in report.facts if f.currency != "USD"):
            assert f"{fact.currency} {fact.amount:,.2f}" in page, f"{name}: {fact.id} local amount"
        for value in (report.budget.committed_usd, report.budget.total_usd, report.budget.unspent_usd):
            assert markdown_usd(value) in outcome.report_markdown
        assert page.count("Produced by Catalyst&#39;s offline provider") + page.count(
            "Produced by Catalyst's offline provider") == 1, name
