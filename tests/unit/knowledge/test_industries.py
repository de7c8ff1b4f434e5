"""Industries find their profile by whole words, so a bakery's site has a menu, not "Features".

Before, "bakery", "dental clinic", "gym" and "hotel" fell to the generic profile (a software-like
page plan and "a simple guarantee" as a proof point), and "ai" matched inside "chain", "retail"
and "detailing", making a tea cafe chain and a car detailer technology companies.
"""

from __future__ import annotations

import pytest

from agents.dry_run import run_brief
from agents.knowledge.industries import GENERIC, PROFILES, profile_for
from agents.knowledge.web import page_plan
from agents.report_model import StructuredReport
from tests.unit.report.test_report_corpus import report_of


@pytest.mark.parametrize(("industry", "profile"), [
    ("bakery", "food"), ("Bakery & Café", "food"), ("tea cafe chain", "food"), ("winery", "food"),
    ("dental clinic", "healthcare"), ("gym", "fitness"), ("fitness app", "technology"),
    ("hotel", "hospitality"), ("B&B", "hospitality"), ("charity", "nonprofit"), ("Nonprofit", "nonprofit"),
    ("concrete supplier", "manufacturing"), ("florist", "retail"), ("law firm", "professional services"),
    ("language school", "education"), ("AI", "technology"), ("SaaS", "technology"),
])  # fmt: skip
def test_an_industry_finds_its_profile(industry: str, profile: str) -> None:
    assert profile_for(industry).key == profile


@pytest.mark.parametrize("industry", ["car detailing", "hair salon", "pet grooming", "solar installer"])
def test_a_short_alias_never_matches_inside_another_word(industry: str) -> None:
    assert profile_for(industry) is GENERIC


def test_every_profile_has_its_own_pages_and_a_full_channel_mix() -> None:
    for key, profile in PROFILES.items():
        pages = page_plan(key)
        assert pages[:2] == ["Home", "About"] and pages[-3:] == ["Contact", "Privacy policy", "Terms"]
        assert len(pages) == len(set(pages)) > 5, key
        assert sum(percent for _, percent in profile.channels) == 100, key
    assert "Menu" in page_plan(profile_for("bakery").key)
    assert "Book direct" in page_plan(profile_for("hotel").key)


def test_selling_more_is_about_what_the_industry_sells() -> None:
    """A hotel's content calendar once featured "best sellers"; only shops keep that theme."""
    keeps = {key for key, profile in PROFILES.items() if profile.offer == GENERIC.offer}
    assert keeps == {"retail"}
    report, _ = report_of("hotel_lisbon_direct_bookings.json")
    content = next(row for row in report.deliverables if row.agent == "content")
    assert not [line for line in content.outputs if "best sellers" in line]
    assert any("the rooms and the reasons to book direct" in line for line in content.outputs)



DENTAL_BLOG = {
    "company": {"name": "Forest City Dental", "industry": "dental clinic", "location": "London, Ontario"},
    "objectives": ["Publish a monthly blog on dental health"], "budget_usd": "20000", "timeline_days": 180,
}


def _report(brief: str | dict) -> tuple:
    if isinstance(brief, str):
        return report_of(brief)
    outcome = run_brief(brief).outcome
    return StructuredReport.model_validate(outcome.report), outcome.report_markdown


@pytest.mark.parametrize(("brief", "story"), [
    ("hotel_lisbon_direct_bookings.json", "Guest story"),
    (DENTAL_BLOG, "Consented patient story"),
    ("bakery_berlin_filiale.json", "Behind-the-scenes feature"),
], ids=["hotel", "dental", "bakery"])  # fmt: skip
def test_the_proof_piece_is_named_as_the_trade_reads_it(brief: str | dict, story: str) -> None:
    """Every growth-tier calendar had a "Case study", a hotel's and a bakery's too. It is the
    industry's own kind of story now, in the content calendar and in the costs alike."""
    report, markdown = _report(brief)
    content = next(row for row in report.deliverables if row.agent == "content")
    assert any(f": {story} on " in line for line in content.outputs), content.outputs
    assert f"| {story} over the " in markdown
    assert "Case study" not in markdown


def test_software_keeps_its_case_studies() -> None:
    report, _ = report_of("saas_amsterdam_benelux.json")
    content = next(row for row in report.deliverables if row.agent == "content")
    assert any(": Case study on " in line for line in content.outputs), content.outputs
