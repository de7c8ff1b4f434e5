"""Facts an executive checks first: the right office, classes, entity, regulators, months and units."""

from __future__ import annotations

from decimal import Decimal

from agents.dry_run import run_brief
from agents.report_model import StructuredReport


def report(location: str, industry: str, objectives: list[str], budget: str = "20000",
           days: int = 180, policy: str = "approve") -> StructuredReport:
    brief = {"company": {"name": "Northwind", "industry": industry, "location": location},
             "objectives": objectives, "budget_usd": budget, "timeline_days": days}
    return StructuredReport.model_validate(run_brief(brief, policy=policy).outcome.report)


def test_a_seed_raise_in_texas_forms_a_delaware_corporation_qualified_in_texas() -> None:
    r = report("Austin, TX", "Software", ["Raise a seed round", "Launch the beta"])
    formation = next(t for t in r.tasks if t.kind == "formation")
    assert "Delaware" in formation.title and "C-corp" in formation.title.replace("corporation", "corp")
    fees = [i.description for i in r.line_items if i.task_id == formation.id]
    assert any("Delaware" in f for f in fees) and any("Texas" in f for f in fees)
    assert r.objectives[0].status == "covered"
    assert "securities" in r.objectives[0].outside_scope.lower()


def test_a_bakery_files_classes_30_and_43_with_the_national_office() -> None:
    r = report("Munich, Germany", "Bakery", ["Markenanmeldung beim DPMA", "Eine Website starten"])
    assert r.trademark_classes == [30, 43]
    fee = next(f for f in r.facts if f.classes)
    assert "DPMA" in fee.what or "Deutsches Patent" in fee.what
    assert (fee.amount, fee.currency) == (Decimal("290.00"), "EUR")
    assert [rate.currency for rate in r.exchange_rates] == ["EUR"]
    assert r.jurisdiction.country_code == "DE"


def test_the_eu_office_only_when_the_brief_asks_for_it() -> None:
    national = report("Lyon, France", "Cosmetics", ["Déposer la marque"])
    european = report("Lyon, France", "Cosmetics", ["Register an EU trade mark"])
    assert "EUIPO" not in " ".join(f.what for f in national.facts)
    assert any("EUIPO" in f.what or "European Union Intellectual" in f.what for f in european.facts)


def test_an_indian_clinic_cites_indian_regulators_only() -> None:
    r = report("Bangalore, IN", "Dental clinic", ["Attract 200 new patients", "Open the clinic"])
    assert r.jurisdiction.country_code == "IN"
    text = " ".join([*(t.title for t in r.tasks), *(risk.risk for risk in r.risks)])
    for foreign in ("HIPAA", "CQC", "FDA", "FTC", "Care Quality"):
        assert foreign not in text
    acquisition = next(i for i in r.line_items if i.unit == "patient")
    assert acquisition.quantity == 200


def test_ambiguous_places_are_flagged_not_guessed() -> None:
    r = report("Georgia", "Consulting", ["Launch the website"])
    assert r.jurisdiction.ambiguous and any(f.code == "location_ambiguous" for f in r.flags)
    tbilisi = report("Tbilisi, Georgia", "Consulting", ["Launch the website"])
    assert tbilisi.jurisdiction.country_code == "GE" and not tbilisi.jurisdiction.ambiguous


def test_months_are_counted_and_quantities_times_prices_are_amounts() -> None:
    r = report("Leeds, UK", "Software", ["Launch product"], budget="60000", days=365)
    months = {i.quantity for i in r.line_items if i.unit == "month"}
    assert months == {Decimal("12")}
    for item in r.line_items:
        assert (item.quantity * item.unit_usd).quantize(Decimal("0.01")) == item.amount_usd


def test_next_steps_are_funded_tasks_in_schedule_order() -> None:
    r = report("Austin, TX", "Bakery", ["Register the company", "Launch a website", "Run Instagram ads",
                                        "Open a second shop in Round Rock", "Hire a head baker"],
               budget="2500", policy="trim")
    funded = {t.id: t for t in r.tasks if t.status == "funded"}
    ids = [step.split(": ", 1)[1].split(" ", 1)[0] for step in r.next_steps]
    assert ids and set(ids) <= set(funded)
    starts = [funded[i].start_day for i in ids]
    assert starts == sorted(starts)
    assert r.decision and r.decision.decision == "trim" and r.decision.cut
    unspent = r.budget.unspent_usd
    assert r.budget.committed_usd + unspent == r.budget.total_usd


def test_unlawful_and_nonsense_objectives_are_answered_not_planned() -> None:
    r = report("Austin, TX", "Coffee roaster", ["Buy fake reviews and hide them from the FTC",
                                                "Make coffee taste blue", "Launch the online shop"])
    refused, unclear, shop = r.objectives
    assert refused.status == "refused" and "465" in refused.rule and refused.source_url.startswith("https://")
    assert unclear.status == "unclear" and unclear.reason
    assert shop.status == "covered"
    assert any(risk.severity == "critical" and "unlawful" in risk.risk for risk in r.risks)


def test_a_new_york_llc_budgets_its_publication_and_the_markdown_says_it_is_an_estimate() -> None:
    brief = {"company": {"name": "Lotus Flow Yoga", "industry": "yoga studio", "location": "Brooklyn, New York"},
             "objectives": ["Form a New York LLC", "Get 150 members in the first six months"],
             "budget_usd": "20000", "timeline_days": 180}
    outcome = run_brief(brief, policy="approve").outcome
    r = StructuredReport.model_validate(outcome.report)
    formation = next(t for t in r.tasks if t.kind == "formation")
    fees = {i.description: i.amount_usd for i in r.line_items if i.task_id == formation.id}
    publication = next(amount for what, amount in fees.items() if "publication" in what)
    assert publication == Decimal("1050.00") and formation.cost_usd == sum(fees.values())
    sources = outcome.report_markdown.split("## Sources", 1)[1]
    row = next(line for line in sources.splitlines() if line.startswith("| New York LLC publication"))
    assert "Estimate: USD 1,000 of newspaper notices" in row and "120 days" in row


def test_an_objective_naming_its_licence_is_covered_by_that_licence_alone() -> None:
    """The brewery asked for the TTB Brewer's Notice; with the FDA registration dropped by the trim, the
    objective used to read 'not covered: its main task, the FDA registration, was dropped'."""
    r = report("Portland, OR", "brewery", ["Open a taproom next to the brewhouse",
               "Secure the TTB brewer's notice for the new fermenters"], budget="3000", days=120, policy="trim")
    asked = r.objectives[1]
    titles = {t.id: t.title for t in r.tasks}
    assert asked.status == "covered"
    assert [titles[t].split(",")[0] for t in asked.task_ids] == ["TTB Brewer's Notice"]


def test_a_grant_is_a_proposal_and_a_trade_fair_a_stand_not_an_investor_process_or_a_launch_party() -> None:
    r = report("Auckland, New Zealand", "furniture maker",
               ["Exhibit at the Auckland design fair in March", "Apply for a Callaghan Innovation grant"],
               budget="25000", days=150)
    fair, grant = r.objectives
    titles = {t.id: t.title for t in r.tasks}
    assert fair.kind == "trade_show" and [titles[t] for t in fair.task_ids] == [
        "Trade show stand: graphics, invitations and lead follow-up"]
    assert "stand" in fair.outside_scope.lower()
    assert grant.kind == "grants" and titles[grant.task_ids[0]].startswith("Grant application")
    assert not any("Investor" in title for title in titles.values())
    proposal = [i for i in r.line_items if i.task_id == grant.task_ids[0]]
    assert any(i.unit == "hour" and "Proposal writing" in i.description for i in proposal)
    assert "matched funding" in grant.outside_scope


def test_a_restaurant_asking_for_a_liquor_licence_gets_the_liquor_licence() -> None:
    """Alcohol was a sector only by the industry's name: a restaurant's 'Get a liquor license' was
    served by its health permit and business licence, and no liquor licence was planned at all."""
    r = report("Chicago, IL", "restaurant", ["Get a liquor license for the restaurant"], budget="20000")
    asked = r.objectives[0]
    titles = {t.id: t.title for t in r.tasks}
    assert asked.status == "covered"
    assert [titles[t].split(",")[0] for t in asked.task_ids] == ["State liquor (alcohol) licence"]


def test_opening_by_a_season_is_a_launch_not_an_unclear_objective() -> None:
    r = report("Chicago, IL", "restaurant", ["Open by spring with 60 covers a night"], budget="40000")
    assert (r.objectives[0].kind, r.objectives[0].status) == ("launch", "covered")


def test_every_role_a_hiring_objective_lists_is_advertised() -> None:
    r = report("Chicago, IL", "restaurant", ["Hire a head chef and 4 line cooks"], budget="20000")
    ads = next(t for t in r.tasks if t.kind == "recruiting_ads")
    assert ads.title == "Job advertising for a head chef and 4 line cooks"
    posts = next(i for i in r.line_items if i.task_id == ads.id)
    assert (posts.quantity, posts.unit) == (Decimal("5"), "post")


def test_a_trademark_asked_for_in_two_countries_is_filed_in_both() -> None:
    r = report("Toronto, Canada", "B2B SaaS", ["Register the trademark in Canada and the US"], budget="60000")
    filing = next(t for t in r.tasks if t.kind == "trademark")
    assert "CIPO" in filing.title and "United States Patent and Trademark Office" in filing.title
    fees = [i for i in r.line_items if i.task_id == filing.id]
    assert len(fees) == 2 and filing.cost_usd == sum(i.amount_usd for i in fees)
    assert {f.jurisdiction for f in r.facts if f.classes} == {"Canada", "United States"}
    alone = report("Toronto, Canada", "B2B SaaS", ["Register the trademark"], budget="60000")
    single = next(t.id for t in alone.tasks if t.kind == "trademark")
    assert len([i for i in alone.line_items if i.task_id == single]) == 1


def test_soc_2_is_a_security_audit_not_a_cookie_banner() -> None:
    r = report("Toronto, Canada", "B2B SaaS", ["Get SOC 2 Type I before the enterprise pilots"], budget="60000")
    asked = r.objectives[0]
    titles = {t.id: t.title for t in r.tasks}
    assert asked.kind == "security_audit" and asked.status == "covered"
    assert [titles[t] for t in asked.task_ids] == ["Security policies and the auditor's engagement for SOC 2 Type I",
                                                   "Compliance platform: controls, evidence and monitoring"]
    assert not any("cookie" in title.lower() for title in titles.values())
    assert "auditor's fee" in asked.outside_scope


def test_enterprise_pilots_are_won_by_outbound_not_bought_on_social() -> None:
    """'Sign 5 enterprise pilot customers' was a $225 paid search and social campaign at $45 a customer."""
    r = report("Toronto, Canada", "B2B SaaS", ["Sign 5 enterprise pilot customers"], budget="60000")
    asked = r.objectives[0]
    kinds = {t.id: t.kind for t in r.tasks}
    assert asked.kind == "b2b_sales" and asked.status == "covered"
    assert [kinds[t] for t in asked.task_ids][:2] == ["outbound_sales", "sales_crm"]
    assert "acquisition_media" not in kinds.values()
    assert next(k for k in r.kpis if k.objective_index == 1).target == "5 enterprise pilot customers"


def test_forty_patients_a_month_is_bought_for_every_month_the_campaign_runs() -> None:
    """'Get 40 new patients a month' over 120 days bought 40 patients in all."""
    for objective in ("Get 40 new patients a month", "Conseguir 40 pacientes nuevos al mes"):
        r = report("Austin, TX", "dental clinic", [objective], budget="15000", days=120)
        bought = next(i for i in r.line_items if i.description.startswith("Paid search and social"))
        assert (bought.quantity, bought.unit, bought.unit_usd) == (Decimal("115"), "patient", Decimal("150.00"))
        assert "115 over the campaign's 86 days" in bought.description
        assert next(k for k in r.kpis if k.objective_index == 1).target.endswith(("a month", "al mes"))
