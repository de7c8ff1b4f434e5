"""Sector licences a business needs before trading, with the regulator of its own country.

The industry text picks the sectors (a craft brewery is both food and alcohol); the place picks
the regulator, so an Indian clinic is told about clinical-establishment registration, not the
CQC. Only regulators of the place's country are cited; where no table entry exists the answer
says to confirm with the national regulator instead of borrowing another country's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from agents.knowledge.facts import AS_OF, Fact, fact
from agents.knowledge.licence_data import FINANCE, HEALTH, Spec
from agents.knowledge.licence_trade import ALCOHOL, CANNABIS, CHILDCARE, FOOD, GENERAL, NONPROFIT
from agents.knowledge.places import Place, country_place, norm

WORLD_BANK = "https://www.worldbank.org/en/programs/business-enabling-environment"


@dataclass(frozen=True)
class Licence:
    name: str
    regulator: str
    why: str
    fact: Fact | None
    months: tuple[int, int] | None
    source_url: str
    as_of: str
    sector: str = "general"  # "nonprofit": a tax or charity status, not a permission to operate


_SECTORS: dict[str, tuple[dict[str, tuple[Spec, ...]], tuple[str, ...]]] = {
    "finance": (FINANCE, ("fintech", "finance", "financial", "bank", "banking", "neobank", "payments",
                          "payment", "lending", "loans", "crypto", "cryptocurrency", "investment", "wealth",
                          "insurance", "insurtech", "remittance", "brokerage", "trading", "wallet",
                          "money transfer", "asset management")),
    "health": (HEALTH, ("clinic", "dental", "dentist", "medical clinic", "medical practice", "healthcare",
                        "health care", "physiotherapy", "physio", "hospital", "doctor", "telehealth",
                        "chiropractic", "optometrist", "therapy clinic", "zahnarzt", "praxis")),
    "food": (FOOD, ("bakery", "baker", "cafe", "coffee", "restaurant", "catering", "caterer", "food",
                    "chocolate", "tea", "brewery", "microbrewery", "brewpub", "bar", "pub", "food truck",
                    "ice cream", "kitchen", "juice", "snacks", "deli", "butcher", "winery", "distillery",
                    "patisserie", "brauerei", "backerei", "confectionery", "meal", "meals", "cidery",
                    "meadery", "vineyard")),
    "alcohol": (ALCOHOL, ("brewery", "microbrewery", "brewpub", "beer", "winery", "wine", "distillery",
                          "spirits", "gin", "whisky", "whiskey", "bar", "pub", "liquor", "cider", "brauerei",
                          "cocktail", "cidery", "meadery", "mead", "vineyard", "alcohol", "beer and wine")),
    "cannabis": (CANNABIS, ("cannabis", "marijuana", "cbd", "hemp", "dispensary")),
    "childcare": (CHILDCARE, ("childcare", "child care", "daycare", "day care", "nursery", "preschool",
                              "kindergarten", "creche", "kita")),
    "nonprofit": (NONPROFIT, ("nonprofit", "non profit", "charity", "charitable", "ngo", "foundation")),
}  # fmt: skip


def _has(words: list[str], phrase: str) -> bool:
    target = phrase.split()
    return any(words[i : i + len(target)] == target for i in range(len(words) - len(target) + 1))


def sectors_for(industry: str, objective_kinds: set[str] | None = None, licensing: str = "") -> tuple[str, ...]:
    """The regulated sectors an industry description falls in, in table order, and those a licence
    objective names (`licensing`: "Get a liquor licence" for a restaurant)."""
    words = norm(f"{industry or ''} {licensing}".replace("-", " ")).split()
    kinds = {kind.strip().lower() for kind in objective_kinds or set()}
    found = [name for name, (_, keys) in _SECTORS.items() if any(_has(words, key) for key in keys)]
    if "nonprofit" in kinds and "nonprofit" not in found:
        found.append("nonprofit")
    return tuple(found)


def _licence(spec: Spec, place: Place, sector: str) -> Licence:
    found = None
    if spec.fee:
        slug = "-".join(norm(spec.name).split()[:6])
        found = fact(
            f"licence:{place.country_code}:{sector}:{slug}",
            spec.fee.what,
            place.country_name,
            spec.fee.amount,
            spec.fee.currency,
            spec.source_url,
            spec.fee.note,
        )
    return Licence(spec.name, spec.regulator, spec.why, found, spec.months, spec.source_url, AS_OF, sector)


def _fallback(place: Place, sector: str) -> Licence:
    country = place.country_name if place.country_code else "the company's country"
    why = (
        f"{sector.capitalize()} is usually regulated; no table entry for {country}, so confirm the "
        "licence with the national regulator before trading."
    )
    if sector == "cannabis":
        why = (
            f"Cannabis is not lawful in many countries; confirm with {country}'s authorities whether any "
            "licence exists before spending on the brand."
        )
    return Licence(
        f"{sector.capitalize()} licence (confirm locally)",
        f"National {sector} regulator of {country}",
        why,
        None,
        None,
        WORLD_BANK,
        AS_OF,
    )


def _specs(table: dict[str, tuple[Spec, ...]], place: Place) -> tuple[Spec, ...] | None:
    """Nation-only entries first (England by default for a UK place), then country-wide ones."""
    country = table.get(place.country_code or "")
    region = place.region_code or ("GB-ENG" if place.country_code == "GB" else "")
    regional = table.get(region)
    if country is None and regional is None:
        return None
    return (*(regional or ()), *(country or ()))


def licences_for(place: Place, industry: str, objective_kinds: set[str], objectives: str = "",
                 licensing: str = "") -> tuple[Licence, ...]:  # fmt: skip
    """Licences for the regulated sectors of the industry and of the licence objectives
    (`licensing`) in the place's country, plus a general one; a licence for some businesses of a
    sector only (`Spec.only_when`) when the industry or the objectives say the business is one."""
    result: list[Licence] = []
    said = f"{industry} {objectives}"
    for sector in sectors_for(industry, objective_kinds, licensing):
        specs = _specs(_SECTORS[sector][0], place)
        if specs is None:
            result.append(_fallback(place, sector))
            continue
        result.extend(_licence(spec, place, sector) for spec in specs
                      if spec.only_when is None or spec.only_when.search(said))  # fmt: skip
    general = GENERAL.get(place.country_code or "", ())
    result.extend(
        _licence(spec, place, "general")
        for spec in general
        if spec.name not in {licence.name for licence in result}
    )
    return tuple(result)


# Words every kind of licence shares: naming them names no licence in particular.
_GENERIC_WORDS = frozenset(norm(
    "licence license licences licenses permit permits registration register application state county city "
    "local national federal us or and of the for a an basic food"
).split())
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)")


def _own_words(licence: dict[str, Any]) -> set[str]:
    """The words of a licence's name, and its regulator's acronym, that tell it from the others."""
    words = set(norm(licence.get("name", "")).split())
    words |= {acronym.lower() for acronym in _ACRONYM.findall(licence.get("regulator", ""))}
    return words - _GENERIC_WORDS


def licences_named(text: str, licences: list[dict[str, Any]]) -> list[int]:
    """Which of `licences` an objective names ("Secure the TTB brewer's notice" names the TTB's and
    not the FDA's), as indexes into the list: those sharing the most of their own words with it,
    or none when it shares none with any."""
    said = set(norm(text).split())
    shared = [len(_own_words(licence) & said) for licence in licences]
    best = max(shared, default=0)
    return [n for n, count in enumerate(shared) if best and count == best]


def is_exemption(licence: dict[str, Any]) -> bool:
    """A tax or charity status (sector "nonprofit"), not a permission to operate. References made
    before licences named their sector tell it by the US form number."""
    return licence.get("sector") == "nonprofit" or "1023" in licence.get("name", "")


def regulator_names(place: Place, industry: str) -> tuple[str, ...]:
    """Short list of the regulators to mention for this industry in this place."""
    return tuple(dict.fromkeys(licence.regulator for licence in licences_for(place, industry, set())))


def all_facts() -> tuple[Fact, ...]:
    """Every licence fee in the tables, so tests can audit sources, dates and currencies."""
    facts: list[Fact] = []
    tables = {sector: table for sector, (table, _) in _SECTORS.items()} | {"general": GENERAL}
    for sector, table in tables.items():
        for code, specs in table.items():
            place = replace(country_place(code.split("-")[0]), region_code=code if "-" in code else None)
            facts.extend(licence.fact for spec in specs if (licence := _licence(spec, place, sector)).fact)
    return tuple(facts)
