"""Paid media is sized to what the fundable work leaves: work the budget can never pay for leaves
no room behind it (agents/offline_answers/planner.py `_sized`)."""

from __future__ import annotations

from decimal import Decimal

from agents.knowledge import market
from tests.unit.report.test_report_corpus import report_of


def test_a_campaign_too_dear_to_fund_does_not_starve_the_ads_beside_it() -> None:
    """The gym's $18,000 acquisition campaign (300 members) cannot be funded from $9,000. Counted
    as fixed, it shrank the Facebook ads the executive asked for to $100 and left $6,302 unspent."""
    report, _ = report_of("gym_perth_opening.json")
    ads = next(task for task in report.tasks if 4 in task.objective_indexes and task.kind.startswith("media"))
    assert ads.status == "funded"
    assert ads.cost_usd == Decimal("9000") * market.MEDIA_SHARE["starter"]
    campaign = next(task for task in report.tasks if task.kind == "acquisition_media")
    assert campaign.status == "dropped" and campaign.cost_usd > Decimal("9000")

