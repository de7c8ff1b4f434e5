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
