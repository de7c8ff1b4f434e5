"""Reference data for one run, looked up once at intake from the dated, sourced knowledge base.

Where the company is (ISO 3166), which entity fits its objectives, which trademark office and
classes, which licences its sector needs there, and every fee with its source, date and currency.
It is stored in the graph state as JSON, offered to whichever model plans or works, and is what
the report's facts, sources and checks are built from, so every fee a reader sees has a source.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.knowledge import formation, licences, nice, rates, trademarks
from agents.knowledge.facts import Fact
from agents.knowledge.places import Place, parse_location
from agents.knowledge.tiers import tier_of
from agents.state import Brief, ObjectiveCheck

# How many Nice classes a first filing covers, by budget tier: more classes cost more per filing.
CLASSES_BY_TIER = {"starter": 1, "growth": 2, "scale": 3}


def fact_json(fact: Fact) -> dict[str, Any]:
    """A fact as stored in state and shown in the report, with its USD value at the dated rate."""
    return {
        "id": fact.id,
        "what": fact.what,
        "jurisdiction": fact.jurisdiction,
        "amount": str(fact.amount),
        "currency": fact.currency,
        "amount_usd": str(rates.to_usd(fact.amount, fact.currency)),
        "classes": list(fact.classes) if fact.classes else None,
        "source_url": fact.source_url,
        "as_of": fact.as_of,
        "note": fact.note,
    }


def place_json(place: Place) -> dict[str, Any]:
    return {
        "label": place.label,
        "country_code": place.country_code,
        "region_code": place.region_code,
        "city": place.city,
        "ambiguous": place.ambiguous,
        "note": place.note,
    }


def place_of(brief: Brief) -> Place:
    """Where the company is, read with its industry and objectives (which can tell two Portlands apart)."""
    return parse_location(brief.company.location, " ".join([brief.company.industry, *brief.objectives]))


def build_reference(brief: Brief, objectives: list[ObjectiveCheck]) -> dict[str, Any]:
    """Everything the planner, the specialists and the report need to know about the place."""
    place = place_of(brief)
    kinds = {check.kind for check in objectives if check.plannable and check.kind}
    text = " ".join(check.text for check in objectives if check.plannable)
    facts: dict[str, dict[str, Any]] = {}
    flags: list[dict[str, str]] = []

    def keep(fact: Fact | None) -> str | None:
        if fact is None:
            return None
        facts[fact.id] = fact_json(fact)
        return fact.id

    if place.ambiguous or place.country_code is None:
        flags.append({"code": "location_ambiguous", "message": place.note
                      or f"Could not tell which country “{brief.company.location}” is in."})
    advice = formation.entity_advice(place, kinds, text)
    capital = keep(advice.minimum_capital)
    fees = [keep(fact) for fact in advice.facts if fact.id != capital and not fact.id.startswith("irs:")]
    exemption = [keep(fact) for fact in advice.facts if fact.id.startswith("irs:")]
    entity = {
        "entity": advice.entity,
        "jurisdiction": advice.jurisdiction,
        "why": advice.why,
        "fact_ids": fees,  # what forming costs; paid-in capital stays the company's money
        "minimum_capital": capital,
        "exemption_fact_ids": exemption,
    }
    count = CLASSES_BY_TIER[tier_of(brief.budget_usd)]
    all_classes = nice.classes_for(brief.company.industry)
    classes = tuple(all_classes[: max(1, count)])
    if not nice.known_industry(brief.company.industry):
        flags.append({"code": "industry_classes_generic", "message": (
            f"“{brief.company.industry}” is not in the Nice class table; class 35 is a placeholder "
            "until a trademark attorney confirms the classes.")})
    filings = []
    for office in trademarks.offices_for(place, text):
        low, high = trademarks.registration_months(office)
        filings.append({"office": office.code, "office_name": office.name,
                        "fact_id": keep(trademarks.filing_fact(office, classes)), "registration_months": [low, high]})
    # The first office's filing at the top level (what a single filing always was); any other
    # country a trademark objective names in `also`.
    trademark = {**filings[0], "classes": list(classes), "also": filings[1:]}
    found = []
    licensing = " ".join(check.text for check in objectives if check.plannable and check.kind == "licensing")
    for licence in licences.licences_for(place, brief.company.industry, kinds, text, licensing):
        found.append({
            "name": licence.name,
            "regulator": licence.regulator,
            "why": licence.why,
            "fact_id": keep(licence.fact),
            "months": list(licence.months) if licence.months else None,
            "source_url": licence.source_url,
            "as_of": licence.as_of,
            "sector": licence.sector,
        })
    used = sorted({fact["currency"] for fact in facts.values()} - {"USD"})
    exchange = {}
    for currency in used:
        rate = rates.rate(currency)
        exchange[currency] = {"usd_per_unit": str(rate.usd_per_unit), "source_url": rate.source_url,
                              "as_of": rate.as_of}
    return {
        "jurisdiction": place_json(place),
        "entity": entity,
        "trademark": trademark,
        "licences": found,
        "facts": facts,
        "rates": exchange,
        "flags": flags,
        "regulators": list(licences.regulator_names(place, brief.company.industry)),
    }


def fact_usd(reference: dict[str, Any], fact_id: str | None) -> Decimal:
    """The USD value of a stored fact (0 when there is none)."""
    if not fact_id:
        return Decimal("0")
    return Decimal(reference["facts"][fact_id]["amount_usd"])

