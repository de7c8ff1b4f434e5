"""Which company to form and what the filings cost, from the place and the objectives.

In the US a seed or venture raise points to a Delaware C-corporation, registered as a foreign
corporation in the home state where the team works; without a raise an LLC in the home state is
cheaper to form and run. A US nonprofit adds the IRS exemption application. Elsewhere the
standard private company of the country applies, with its minimum capital where the law has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.knowledge import us_states as us
from agents.knowledge.facts import Fact, fact
from agents.knowledge.formation_data import FORMATIONS, GENERIC, NOTARY_KK, VARIANTS, CountryFormation
from agents.knowledge.places import Place, country_place, parse_location

_CORP = {"corp", "corporation", "c-corp", "c corp", "c-corporation", "delaware", "delaware c-corporation"}
_QUALIFICATION = {"foreign-corp", "foreign corporation", "foreign qualification", "qualification"}
# An objective that names the form itself ("Incorporate as a Delaware C-Corp") is not second-guessed.
_ASKS_CORPORATION = re.compile(r"\b(?:c[- ]?corp(?:oration)?|corporation|inc)(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class EntityAdvice:
    entity: str  # "Delaware C-corporation", "Texas LLC", "GmbH", ...
    jurisdiction: str  # where it is formed
    why: str  # one or two sentences, specific to the objective kinds
    facts: tuple[Fact, ...]  # fees to pay, plus minimum capital where the law requires it
    minimum_capital: Fact | None


def _state(place: Place) -> tuple[str, us.StateFees] | None:
    code = (place.region_code or "").removeprefix("US-")
    return (code, us.STATES[code]) if place.country_code == "US" and code in us.STATES else None


def _us_label(name: str) -> str:
    return f"{name}, United States"


def llc_fact(code: str) -> Fact:
    """The state's LLC formation fee, for a two-letter state code."""
    state = us.STATES[code]
    return fact(
        f"formation:US-{code}:llc",
        f"{state.name} LLC formation (articles of organization), filing fee",
        _us_label(state.name),
        state.llc,
        "USD",
        state.source_url,
        state.llc_note,
    )


def ny_publication_fact(place: Place) -> Fact:
    """New York's publication of a new LLC: the newspapers (an estimate by county) and the certificate."""
    where = "New York City" if place.city == "New York" else "elsewhere"
    newspapers = us.NY_PUBLICATION_NEWSPAPERS[where]
    county = "a New York City county" if where == "New York City" else "a county outside New York City"
    return fact(
        "formation:US-NY:llc-publication",
        "New York LLC publication: formation notice in two newspapers for six weeks, and the "
        f"certificate of publication (USD {us.NY_PUBLICATION_CERTIFICATE})",
        _us_label("New York"),
        newspapers + us.NY_PUBLICATION_CERTIFICATE,
        "USD",
        us.STATES["NY"].source_url,
        f"Estimate: USD {newspapers:,} of newspaper notices in {county}, whose clerk designates the two "
        "papers, plus the USD 50 certificate. Due within 120 days of formation: until it is filed the LLC "
        "may not sue in New York's courts.",
    )


def qualification_fact(code: str) -> Fact:
    """The state's fee to register an out-of-state corporation, for a two-letter state code."""
    state = us.STATES[code]
    return fact(
        f"qualification:US-{code}:corp",
        f"{state.name} registration of an out-of-state corporation (certificate of authority), filing fee",
        _us_label(state.name),
        state.foreign_corp,
        "USD",
        state.source_url,
        state.corp_note,
    )


def delaware_fact() -> Fact:
    """Delaware's certificate of incorporation fee, with its yearly franchise tax in the note."""
    return fact(
        "formation:US-DE:corp",
        "Delaware certificate of incorporation (stock corporation), filing fee",
        _us_label("Delaware"),
        us.DELAWARE_INCORPORATION,
        "USD",
        us.STATES["DE"].source_url,
        "Minimum: USD 50 filing, USD 24 county fee and USD 15 minimum tax; the tax grows with "
        "authorised shares and par value. Every year Delaware charges franchise tax (from USD 175 "
        "under the authorised-shares method, or from USD 400 under the assumed-par-value method) "
        "plus a USD 50 annual report fee, due 1 March, and a Delaware registered agent is required.",
    )


def nonprofit_fact(code: str | None) -> Fact:
    """The state's nonprofit articles fee; an estimate, flagged in the note, where not tabled."""
    state = us.STATES.get(code or "")
    label = state.name if state else "US state (not known)"
    tabled = us.NONPROFIT.get(code or "")
    known = tabled is not None
    amount = us.NONPROFIT_ESTIMATE if tabled is None else tabled
    note = "" if known else "Estimate: confirm the nonprofit articles fee with the Secretary of State."
    url = state.source_url if state else us.STATES["DE"].source_url
    return fact(
        f"formation:US-{code or 'XX'}:nonprofit",
        f"{label} nonprofit corporation articles, filing fee",
        _us_label(label),
        amount,
        "USD",
        url,
        note,
    )


def irs_facts() -> tuple[Fact, Fact]:
    """The IRS user fees for Form 1023 and the streamlined Form 1023-EZ."""
    full = fact(
        "irs:US:1023",
        "IRS Form 1023 user fee (application for 501(c)(3) recognition)",
        "United States",
        us.IRS_1023,
        "USD",
        us.IRS_USER_FEE_URL,
        "Filed electronically on Pay.gov.",
    )
    short = fact(
        "irs:US:1023-ez",
        "IRS Form 1023-EZ user fee (streamlined 501(c)(3) application)",
        "United States",
        us.IRS_1023_EZ,
        "USD",
        us.IRS_USER_FEE_URL,
        "Only for small organisations: projected gross receipts up to USD 50,000 a year and total "
        "assets up to USD 250,000.",
    )
    return full, short


_SBA = "https://www.sba.gov/business-guide/launch-your-business/register-your-business"


def _us_estimate(kind: str) -> Fact:
    what = "LLC formation" if kind == "llc" else "out-of-state corporation registration"
    return fact(
        f"formation:US-XX:{kind}",
        f"US state {what} filing fee (state not known)",
        "United States",
        150 if kind == "llc" else 250,
        "USD",
        _SBA,
        "Estimate: the home state is not known; state filing fees run from about USD 35 to USD 750.",
    )


def _country_facts(place: Place, spec: CountryFormation) -> tuple[Fact, Fact | None]:
    country = place.country_code or "XX"
    jurisdiction = place.country_name if place.country_code else "Unknown country"
    main = fact(
        f"formation:{country}:{spec.key}",
        spec.what,
        jurisdiction,
        spec.amount,
        spec.currency,
        spec.source_url,
        spec.note.replace("this country", jurisdiction),
    )
    capital = None
    if spec.capital:
        capital = fact(
            f"capital:{country}:{spec.key}",
            f"{spec.entity} minimum share capital",
            jurisdiction,
            spec.capital[0],
            spec.currency,
            spec.source_url,
            spec.capital[1],
        )
    return main, capital


def _spec(place: Place, entity: str = "") -> CountryFormation:
    key = entity.strip().lower()
    return VARIANTS.get((place.country_code or "", key)) or FORMATIONS.get(place.country_code or "", GENERIC)


def formation_fact(place: Place, entity: str) -> Fact:
    """The fee to form `entity`: "llc", "corp", "foreign-corp" or "nonprofit" in the US, else the
    country's standard company or a variant key such as "ug" or "kk"."""
    key = entity.strip().lower()
    if place.country_code == "US":
        found = _state(place)
        if key in _CORP:
            return delaware_fact()
        if key == "nonprofit":
            return nonprofit_fact(found[0] if found else None)
        if key in _QUALIFICATION:
            return qualification_fact(found[0]) if found else _us_estimate("corp")
        if key == "llc":
            return llc_fact(found[0]) if found else _us_estimate("llc")
        raise ValueError(f"unknown US entity {entity!r}: use llc, corp, foreign-corp or nonprofit")
    return _country_facts(place, _spec(place, key))[0]


def _us_advice(place: Place, kinds: set[str], asked: str = "") -> EntityAdvice:
    found = _state(place)
    name = found[1].name if found else "your home state"
    if "nonprofit" in kinds:
        facts = (nonprofit_fact(found[0] if found else None), *irs_facts())
        why = (
            f"A nonprofit corporation in {name} gives the mission a legal body; 501(c)(3) recognition "
            "from the IRS then makes donations tax-deductible, which grant makers usually require."
        )
        return EntityAdvice(
            f"{found[1].name if found else 'State'} nonprofit corporation",
            _us_label(name) if found else "United States",
            why,
            facts,
            None,
        )
    raising = "fundraising" in kinds
    if raising or _ASKS_CORPORATION.search(asked):
        fees = [delaware_fact()]
        if found and found[0] != "DE":
            fees.append(qualification_fact(found[0]))
        why = (
            "Seed and venture investors expect a Delaware C-corporation: preferred stock, option pools "
            "and SAFEs follow standard Delaware documents, and Delaware's courts are familiar to them."
        ) if raising else (
            "The brief asks for a corporation: a Delaware C-corporation is the form investors and buyers "
            "know, with standard documents for stock and options, and it pays corporate tax on its profits."
        )
        if found and found[0] != "DE":
            why += f" Because the team works in {name}, it also registers there as a foreign corporation."
        elif not found:
            why += " Add the foreign qualification fee of the state where the team works."
        return EntityAdvice("Delaware C-corporation", _us_label("Delaware"), why, tuple(fees), None)
    llc = llc_fact(found[0]) if found else _us_estimate("llc")
    why = (
        f"No outside equity raise is planned, so an LLC in {name} gives liability protection with "
        "pass-through taxation at the lowest filing and upkeep cost; it can convert to a corporation "
        "before a priced round."
    )
    costs = (llc, ny_publication_fact(place)) if found and found[0] == "NY" else (llc,)
    return EntityAdvice(f"{found[1].name} LLC" if found else "LLC", llc.jurisdiction, why, costs, None)


def _charity_advice(place: Place) -> EntityAdvice | None:
    if place.country_code == "GB":
        cio = fact(
            "formation:GB:cio",
            "Charity Commission registration of a charitable incorporated organisation (CIO)",
            "United Kingdom",
            0,
            "GBP",
            "https://www.gov.uk/setting-up-charity",
            "Free; covers England and Wales (Scotland: OSCR; Northern Ireland: CCNI).",
        )
        return EntityAdvice(
            "Charitable incorporated organisation (CIO)",
            "England and Wales",
            "A CIO is a charity with limited liability that registers once, free, with the "
            "Charity Commission instead of also filing at Companies House.",
            (cio,),
            None,
        )
    if place.country_code == "CA":
        nfp = fact(
            "formation:CA:cnca",
            "Corporations Canada online incorporation of a federal "
            "not-for-profit corporation (CNCA), filing fee",
            "Canada",
            200,
            "CAD",
            "https://ised-isde.canada.ca/site/corporations-canada/en",
            "Charitable status is a separate, free application to the CRA.",
        )
        return EntityAdvice(
            "Federal not-for-profit corporation (CNCA)",
            "Canada (federal)",
            "A CNCA corporation limits members' liability; registering it as a charity with "
            "the CRA lets it issue tax receipts to donors.",
            (nfp,),
            None,
        )
    return None


def entity_advice(place: Place, objective_kinds: set[str], asked: str = "") -> EntityAdvice:
    """The entity to form, why, and the facts to budget, for these objective kinds; `asked` is the
    objectives' text, which may name the form itself."""
    kinds = {kind.strip().lower() for kind in objective_kinds}
    if place.country_code == "US":
        return _us_advice(place, kinds, asked)
    if "nonprofit" in kinds and (charity := _charity_advice(place)):
        return charity
    raising = "fundraising" in kinds
    spec = _spec(place, "kk" if raising and place.country_code == "JP" else "")
    main, capital = _country_facts(place, spec)
    facts = [main]
    if spec.key == "kk":
        facts.append(
            fact(
                "formation:JP:kk-notary",
                "Notarisation of Kabushiki Kaisha articles",
                "Japan",
                NOTARY_KK[0],
                "JPY",
                "https://www.koshonin.gr.jp/",
                NOTARY_KK[1],
            )
        )
    if capital:
        facts.append(capital)
    why = spec.why_fundraising if raising else spec.why
    if "nonprofit" in kinds:
        why += " For a nonprofit, ask local counsel which charitable form and registration applies."
    jurisdiction = spec.jurisdiction or place.country_name
    return EntityAdvice(spec.entity, jurisdiction, why, tuple(facts), capital)


def all_facts() -> tuple[Fact, ...]:
    """Every formation figure in the tables, so tests can audit sources, dates and currencies."""
    facts: list[Fact] = [delaware_fact(), *irs_facts()]
    for code in us.STATES:
        facts += [llc_fact(code), qualification_fact(code), nonprofit_fact(code)]
    for code in FORMATIONS:
        place = country_place(code)
        facts += [f for f in _country_facts(place, FORMATIONS[code]) if f]
        facts += list(entity_advice(place, {"fundraising"}).facts)
        facts += list(entity_advice(place, {"nonprofit"}).facts)
    for (country, _), spec in VARIANTS.items():
        facts += [f for f in _country_facts(country_place(country), spec) if f]
    facts.append(_us_estimate("llc"))
    facts.append(formation_fact(parse_location("Lagos"), "company"))
    return tuple(facts)
