"""The structured report on SQLite and PostgreSQL: JSON API, web page, print view and PDF show its figures.

Every money figure of the stored StructuredReport must appear, formatted by the one `usd` helper, in
each rendering; runs from before structured reports still render from their Markdown.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import typing
from decimal import Decimal

import pytest
from pydantic import BaseModel

from agents.report_model import (
    AgentBudget,
    BudgetSummary,
    Check,
    Decision,
    FactRow,
    Flag,
    JurisdictionRow,
    KPIRow,
    LineItemRow,
    Milestone,
    Money,
    ObjectiveRow,
    RateRow,
    RiskRow,
    StructuredReport,
    TaskRow,
)
from services.db import db, utcnow
from services.holdings import holdings
from services.models import Run, RunStatus
from tests.support.api import JsonClient, brief
from web.pages.formatting import usd

XSS = "<script>window.__xss=1</script>"
OFFLINE_LABEL = "Produced by Catalyst's offline provider"
MONEY_METADATA = list(typing.get_args(Money)[1:])


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def login(app, make_user, org: str = "Acme") -> JsonClient:
    return JsonClient(app.test_client()).login(make_user("executive", org=org).email)


def structured(offline: bool = True, sources_pass: bool = False) -> StructuredReport:
    """A realistic report: 4 objectives (one refused), 5 tasks (one dropped), a failed sources check."""
    d = Decimal
    return StructuredReport(
        company={"name": "Acme Rockets", "industry": "Aerospace", "location": "Austin, TX"},
        timeline_days=90,
        offline=offline,
        provider_label="" if offline else "OpenAI gpt-5",
        executive_summary="Acme can **launch its brand** and incorporate within budget; paid ads wait.",
        outcome_statements=["Acme Rockets LLC exists in Texas", "The brand is filed in classes 12 and 39"],
        objectives=[
            ObjectiveRow(
                index=1,
                text="Launch the brand",
                kind="branding",
                kind_label="Branding",
                status="covered",
                task_ids=["T1", "T2", "T4"],
            ),
            ObjectiveRow(
                index=2,
                text="Incorporate in Texas",
                kind="entity",
                kind_label="Entity formation",
                status="covered",
                task_ids=["T2", "T3"],
            ),
            ObjectiveRow(
                index=3,
                text="Run paid ads",
                kind="campaigns",
                status="not_covered",
                reason="Its task was dropped: over budget.",
            ),
            ObjectiveRow(
                index=4,
                text="Buy a competitor's customer list",
                kind="unknown",
                status="refused",
                reason="Buying personal data without consent is unlawful.",
                rule="Texas Business & Commerce Code ch. 509",
                source_url="https://statutes.capitol.texas.gov/Docs/BC/htm/BC.509.htm",
            ),
        ],
        tasks=[
            TaskRow(
                id="T1",
                title="Brand identity",
                agent="branding",
                agent_title="Brand designer",
                objective_indexes=[1],
                priority=1,
                status="funded",
                cost_usd=d("1500.00"),
                start_day=0,
                end_day=21,
                critical=True,
                rationale="Everything else uses the logo.",
            ),
            TaskRow(
                id="T2",
                title=f"Trademark filing {XSS}",
                agent="legal",
                agent_title="Legal counsel",
                objective_indexes=[1, 2],
                priority=2,
                status="funded",
                cost_usd=d("800.00"),
                start_day=21,
                end_day=45,
                critical=True,
                depends_on=["T1"],
            ),
            TaskRow(
                id="T3",
                title="Entity formation",
                agent="legal",
                agent_title="Legal counsel",
                objective_indexes=[2],
                priority=1,
                status="funded",
                cost_usd=d("1200.00"),
                start_day=0,
                end_day=14,
            ),
            TaskRow(
                id="T4",
                title="Website",
                agent="webdev",
                agent_title="Web developer",
                objective_indexes=[1],
                priority=3,
                status="funded",
                cost_usd=d("1100.00"),
                start_day=45,
                end_day=90,
                critical=True,
                depends_on=["T1"],
            ),
            TaskRow(
                id="T5",
                title="Paid campaign",
                agent="campaigns",
                agent_title="Campaign manager",
                objective_indexes=[3],
                priority=4,
                status="dropped",
                drop_reason="over_budget",
                cost_usd=d("1000.00"),
            ),
        ],
        budget=BudgetSummary(
            total_usd=d("5000.00"),
            ceiling_usd=d("5000.00"),
            plan_total_usd=d("5600.00"),
            funded_usd=d("4600.00"),
            committed_usd=d("4321.50"),
            remaining_usd=d("678.50"),
            unspent_usd=d("678.49"),
            by_agent=[
                AgentBudget(
                    agent="branding",
                    agent_title="Brand designer",
                    allocated_usd=d("1500.00"),
                    committed_usd=d("1234.50"),
                    remaining_usd=d("265.50"),
                ),
                AgentBudget(
                    agent="legal",
                    agent_title="Legal counsel",
                    allocated_usd=d("2000.00"),
                    committed_usd=d("1987.00"),
                    remaining_usd=d("13.00"),
                ),
                AgentBudget(
                    agent="webdev",
                    agent_title="Web developer",
                    allocated_usd=d("1100.00"),
                    committed_usd=d("1100.00"),
                    remaining_usd=d("0.00"),
                ),
            ],
        ),
        line_items=[
            LineItemRow(
                id="L1",
                agent="branding",
                task_id="T1",
                description="Logo concepts",
                category="design",
                quantity=d("3"),
                unit="concept",
                unit_usd=d("250.00"),
                amount_usd=d("750.00"),
            ),
            LineItemRow(
                id="L2",
                agent="branding",
                task_id="T1",
                description="Brand guide",
                category="design",
                quantity=d("1"),
                unit_usd=d("484.50"),
                amount_usd=d("484.50"),
            ),
            LineItemRow(
                id="L3",
                agent="legal",
                task_id="T2",
                description="USPTO filing",
                category="filing_fee",
                quantity=d("2"),
                unit="class",
                unit_usd=d("350.00"),
                amount_usd=d("700.00"),
                fact_ids=["F1"],
            ),
            LineItemRow(
                id="L4",
                agent="legal",
                task_id="T3",
                description="LLC formation",
                category="filing_fee",
                quantity=d("1"),
                unit_usd=d("1287.00"),
                amount_usd=d("1287.00"),
                fact_ids=["F3"],
            ),
            LineItemRow(
                id="L5",
                agent="webdev",
                task_id="T4",
                description="Site build",
                category="labour",
                quantity=d("40"),
                unit="hour",
                unit_usd=d("27.50"),
                amount_usd=d("1100.00"),
            ),
        ],
        facts=[
            FactRow(
                id="F1",
                what="USPTO fee per class",
                jurisdiction="US",
                amount=d("350.00"),
                currency="USD",
                amount_usd=d("350.00"),
                classes=[12, 39],
                source_url="https://www.uspto.gov/fees",
                as_of="2026-10-01",
            ),
            FactRow(
                id="F2",
                what="EUIPO fee, one class",
                jurisdiction="EU",
                amount=d("850.00"),
                currency="EUR",
                amount_usd=d("918.00"),
                source_url="javascript:alert(1)",
                as_of="2024-01-15",
                note="older than a year",
            ),
            FactRow(
                id="F3",
                what="Texas LLC certificate of formation",
                jurisdiction="US-TX",
                amount=d("300.00"),
                currency="USD",
                amount_usd=d("300.00"),
                source_url="https://www.sos.state.tx.us/corp/",
                as_of="2026-09-12",
            ),
        ],
        exchange_rates=[
            RateRow(
                currency="EUR",
                usd_per_unit=d("1.08"),
                source_url="https://www.ecb.europa.eu/",
                as_of="2026-11-01",
            )
        ],
        jurisdiction=JurisdictionRow(
            label="Austin, Texas, United States", country_code="US", region_code="US-TX"
        ),
        trademark_classes=[12, 39],
        entity_advice="Form a **Texas LLC**; convert to a Delaware C-corp before raising.",
        milestones=[
            Milestone(day=21, title="Brand approved", task_id="T1"),
            Milestone(day=90, title="Website live", task_id="T4"),
            Milestone(day=120, title="Trademark registered", after_timeline=True),
        ],
        critical_path=["T1", "T2", "T4"],
        risks=[
            RiskRow(
                id="R1",
                risk="Trademark opposition",
                likelihood="medium",
                impact="high",
                mitigation="Clearance search first",
                owner="Legal counsel",
                severity="critical",
            )
        ],
        kpis=[
            KPIRow(objective_index=1, metric="Brand assets delivered", target="100%", by_day=21),
            KPIRow(objective_index=2, metric="Certificate of formation", target="issued", by_day=14),
        ],
        assumptions=["Founders sign within a week"],
        next_steps=["Approve the logo concepts", "Sign the LLC certificate"],
        decision=Decision(
            decision="trim", by="executive", note="Ads next quarter", cut=["T5"], overrun_usd=d("250.00")
        ),
        flags=[Flag(code="stale_fact", message="F2 was last checked in 2024")],
        checks=[
            Check(name="coverage", passed=True, detail="Every objective is covered, refused or explained."),
            Check(name="arithmetic", passed=True, detail="Line items add up to the committed total."),
            Check(name="sources", passed=sources_pass, detail="F2 is older than 12 months."),
        ],
    )


def money_values(model: BaseModel) -> list[Decimal]:
    """Every Money field of the report, nested models and lists included."""
    found: list[Decimal] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if info.metadata == MONEY_METADATA and isinstance(value, Decimal):
            found.append(value)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, BaseModel):
                found.extend(money_values(item))
    return found


def store(
    app, run_id: str, report: StructuredReport | None, markdown: str = "# Executive report: Acme\n"
) -> None:
    with app.app_context():
        run = db.session.get(Run, run_id)
        run.status = RunStatus.completed
        run.finished_at = utcnow()
        run.report_markdown = markdown
        run.report = report.model_dump(mode="json") if report else None
        db.session.commit()


@pytest.fixture
def stored(app, make_user):
    api = login(app, make_user)
    run = api.post("/api/runs", brief("Acme Rockets")).get_json()
    report = structured()
    store(app, run["id"], report)
    return api, run["id"], report


def test_the_json_api_returns_the_stored_report_exactly(stored) -> None:
    api, run_id, report = stored
    response = api.get(f"/api/runs/{run_id}/report?format=json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body == report.model_dump(mode="json")
    assert body["budget"]["committed_usd"] == "4321.50" and body["tasks"][0]["cost_usd"] == "1500.00"
    assert body["exchange_rates"][0]["usd_per_unit"] == "1.08"
    assert StructuredReport.model_validate(body) == report
    assert api.get(f"/api/runs/{run_id}/report").mimetype == "text/markdown"  # markdown stays the default


def test_json_is_not_ready_before_completion_or_for_old_runs(app, make_user) -> None:
    api = login(app, make_user)
    queued = api.post("/api/runs", brief()).get_json()
    response = api.get(f"/api/runs/{queued['id']}/report?format=json")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "report_not_ready"
    old = api.post("/api/runs", brief()).get_json()
    store(app, old["id"], None)
    response = api.get(f"/api/runs/{old['id']}/report?format=json")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "report_not_ready"
    assert "markdown" in response.get_json()["error"]["message"]
    assert api.get(f"/api/runs/{old['id']}/report?format=pdf").status_code == 422


def test_every_money_figure_appears_verbatim_on_the_page_and_in_print(stored) -> None:
    api, run_id, report = stored
    page = api.get(f"/runs/{run_id}/report").get_data(as_text=True)
    printed = api.get(f"/runs/{run_id}/report/print").get_data(as_text=True)
    values = money_values(report)
    assert len(values) >= 30
    for value in values:
        if value == report.facts[1].amount:  # in EUR: shown as "EUR 850.00", checked below
            continue
        for name, html in (("page", page), ("print", printed)):
            assert f">{usd(value)}<" in html, f"{usd(value)} missing from the {name}"
        assert f'data-money="{value}"' in page  # the raw decimal string too, for the viewer's locale
    for html in (page, printed):
        assert "EUR 850.00" in html and ">1.08<" in html  # local amounts and rates, shown once
        assert html.count(">1.08<") == 1
        assert "3 concept × " in html and "40 hour × " in html  # quantity × unit = amount


def test_the_page_lays_out_every_section(stored) -> None:
    api, run_id, _ = stored
    page = api.get(f"/runs/{run_id}/report").get_data(as_text=True)
    order = [
        "<h2>Executive report: Acme Rockets</h2>",
        OFFLINE_LABEL,
        "Executive summary",
        "What will be true",
        "Quality checks",
        "Objectives coverage",
        "Plan by objective",
        'id="r-budget-title">Budget<',
        "<h3>Line items</h3>",
        'id="gantt-chart"',
        "Milestones",
        'id="r-risks-title"',
        "KPIs by objective",
        "Assumptions",
        "<h3>Jurisdiction</h3>",
        "Entity advice",
        "Facts and sources",
        "Exchange rates",
        'id="r-flags-title"',
        "Next steps",
        "The executive's decision",
    ]
    positions = [page.find(marker) for marker in order]
    assert -1 not in positions, [m for m, p in zip(order, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    assert 'class="cover cover-refused"' in page and "Texas Business &amp; Commerce Code ch. 509" in page
    assert 'class="cover cover-dropped">dropped: over budget<' in page
    assert 'id="task-T2"' in page and page.count('id="task-T2"') == 1  # listed under two objectives
    assert "also objective 2" in page
    assert 'id="download-md"' in page and 'id="print-report"' in page and 'id="download-pdf"' in page
    assert 'src="/static/js/report.js' in page and 'class="table report-table spend-table"' in page
    data = json.loads(
        re.search(r'<script type="application/json" id="report-data"[^>]*>(.*?)</script>', page, re.S)[1]
    )
    assert [t["id"] for t in data["tasks"]] == ["T3", "T1", "T2", "T4"]  # funded, by start then end day
    assert [t["critical"] for t in data["tasks"]] == [False, True, True, True]
    assert data["spend"][0]["committed_usd"] == "1234.50" and data["timeline_days"] == 90
    # What agents wrote is text, and only http(s) sources become links.
    assert XSS not in page and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and "<strong>launch its brand</strong>" in page
    assert "Cut" in page or "cut" in page
    assert re.search(r'<span class="task-id">T5</span> Paid campaign</li>', page)


def test_the_offline_label_appears_once(app, make_user, stored) -> None:
    api, run_id, _ = stored
    for path in (f"/runs/{run_id}/report", f"/runs/{run_id}/report/print"):
        html = api.get(path).get_data(as_text=True)
        assert html.count(OFFLINE_LABEL) == 1, path
        assert html.lower().count("offline provider") == 1, path
    online = api.post("/api/runs", brief()).get_json()
    store(app, online["id"], structured(offline=False))
    html = api.get(f"/runs/{online['id']}/report").get_data(as_text=True)
    assert "offline provider" not in html.lower() and "Prepared with OpenAI gpt-5" in html


def test_a_failed_check_is_shown_as_a_finding(app, make_user, stored) -> None:
    api, run_id, _ = stored
    for path in (f"/runs/{run_id}/report", f"/runs/{run_id}/report/print"):
        html = api.get(path).get_data(as_text=True)
        assert 'id="checks-finding"' in html and "1 of 3 checks failed (sources)" in html
        fail = re.search(r'<li class="check check-fail">(.*?)</li>', html, re.S)
        assert (
            fail and "Sources" in fail[1] and "failed" in fail[1] and "F2 is older than 12 months." in fail[1]
        )
        assert html.count('class="check check-pass"') == 2
    passing = api.post("/api/runs", brief()).get_json()
    store(app, passing["id"], structured(sources_pass=True))
    assert 'id="checks-finding"' not in api.get(f"/runs/{passing['id']}/report").get_data(as_text=True)


def test_the_print_view_draws_a_static_gantt(stored) -> None:
    api, run_id, _ = stored
    printed = api.get(f"/runs/{run_id}/report/print").get_data(as_text=True)
    assert "<h1>Executive report: Acme Rockets</h1>" in printed and "<script" not in printed.replace(
        "&lt;script", ""
    )
    # Offsets and widths are percent of the 90-day timeline: T1 0–21, T2 21–45, T4 45–90.
    assert 'class="gantt-bar gl-0 gw-24 gantt-critical"' in printed
    assert 'class="gantt-bar gl-23 gw-27 gantt-critical"' in printed
    assert 'class="gantt-bar gl-50 gw-50 gantt-critical"' in printed
    assert 'class="gantt-bar gl-0 gw-16"' in printed  # T3, not critical


def test_the_pdf_has_the_report_and_its_totals(stored) -> None:
    api, run_id, report = stored
    response = api.get(f"/runs/{run_id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="catalyst-report-acme-rockets-{run_id[:8]}.pdf"'
    )
    pdf = response.get_data()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    b = report.budget
    for value in (b.total_usd, b.ceiling_usd, b.committed_usd, b.remaining_usd, b.unspent_usd, b.funded_usd):
        assert usd(value) in text, usd(value)
    flat = " ".join(text.split())
    assert "Quality checks" in flat and "Timeline" in flat and "Day 0 – 90" in flat
    assert flat.count("offline provider") == 1
    for task_id in ("T1", "T2", "T3", "T4"):
        assert task_id in flat


def test_an_old_run_without_a_structured_report_renders_its_markdown(app, make_user) -> None:
    api = login(app, make_user)
    run = api.post("/api/runs", brief("Old Co")).get_json()
    store(
        app,
        run["id"],
        None,
        markdown="# Executive report: Old Co\n\n| Agent | Committed |\n|---|---:|\n| Legal | $12.00 |\n",
    )
    page = api.get(f"/runs/{run['id']}/report").get_data(as_text=True)
    assert "<h2>Executive report: Old Co</h2>" in page and 'id="report-data"' not in page
    assert "Quality checks" not in page and "$12.00" in page
    printed = api.get(f"/runs/{run['id']}/report/print").get_data(as_text=True)
    assert "<h1>Executive report: Old Co</h1>" in printed
    pdf = api.get(f"/runs/{run['id']}/report.pdf")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
    text = pdf_text(pdf.get_data(), required=False)
    assert not text or "$12.00" in text


def test_a_report_that_does_not_validate_falls_back_to_markdown(app, make_user) -> None:
    api = login(app, make_user)
    run = api.post("/api/runs", brief()).get_json()
    store(app, run["id"], None, markdown="# Executive report: Acme\n")
    with app.app_context():
        stored_run = db.session.get(Run, run["id"])
        stored_run.report = {"version": 99}
        db.session.commit()
    page = api.get(f"/runs/{run['id']}/report")
    assert page.status_code == 200 and "<h2>Executive report: Acme</h2>" in page.get_data(as_text=True)


def test_no_pdf_before_the_report_exists(app, make_user) -> None:
    api = login(app, make_user)
    run = api.post("/api/runs", brief()).get_json()
    assert api.get(f"/runs/{run['id']}/report.pdf").status_code == 404


def test_other_organisations_get_404_everywhere(app, make_user, stored) -> None:
    _, run_id, _ = stored
    outsider = login(app, make_user, org="Globex")
    for path in (
        f"/runs/{run_id}/report",
        f"/runs/{run_id}/report.pdf",
        f"/runs/{run_id}/report/print",
        f"/runs/{run_id}/report.md",
        f"/api/runs/{run_id}/report?format=json",
    ):
        assert outsider.get(path).status_code == 404, path
    body = outsider.get(f"/api/runs/{run_id}/report?format=json").get_json()
    assert body["error"]["code"] == "not_found" and "4321" not in json.dumps(body)


def test_the_pdf_renderer_fetches_nothing_from_outside(app, tmp_path) -> None:
    from web.pages.reports import local_fetcher

    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "a.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("no")
    fetch = local_fetcher(static)
    assert fetch.fetch((static / "css" / "a.css").as_uri()).read() == b"p { color: red }"
    assert fetch.fetch("data:text/plain,hi").read() == b"hi"
    for url in (
        "https://example.com/x.png",
        "http://127.0.0.1:5000/static/css/app.css",
        (tmp_path / "secret.txt").as_uri(),
        "ftp://example.com/x",
    ):
        with pytest.raises(ValueError):
            fetch.fetch(url)


def pdf_text(pdf: bytes, *, required: bool = True) -> str:
    """The PDF's text via poppler's pdftotext; skips (or returns "" when not required) without it."""
    tool = shutil.which("pdftotext")
    if tool is None:
        if required:
            pytest.skip("pdftotext (Debian poppler-utils) is not installed: the PDF's text cannot be checked")
        return ""
    done = subprocess.run([tool, "-layout", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")
