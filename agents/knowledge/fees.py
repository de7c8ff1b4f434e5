"""Typical public fees for forming a company and filing a trademark, by jurisdiction.

Indicative government fees (USD, converted at fixed planning rates where charged in another
currency); they change, so every plan built from them tells the user to confirm before filing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from agents.knowledge.geography import Jurisdiction

# Fixed planning rates, not live quotes.
USD_PER = {"GBP": Decimal("1.27"), "EUR": Decimal("1.08"), "CAD": Decimal("0.73")}

# State filing fee for an LLC's articles of organization / certificate of formation.
US_LLC_FILING: dict[str, int] = {
    "AL": 200, "AK": 250, "AZ": 50, "AR": 45, "CA": 70, "CO": 50, "CT": 120, "DE": 110,
    "DC": 99, "FL": 125, "GA": 100, "HI": 50, "ID": 100, "IL": 150, "IN": 95, "IA": 50,
    "KS": 160, "KY": 40, "LA": 100, "ME": 175, "MD": 100, "MA": 500, "MI": 50, "MN": 155,
    "MS": 50, "MO": 50, "MT": 35, "NE": 100, "NV": 425, "NH": 100, "NJ": 125, "NM": 50,
    "NY": 200, "NC": 125, "ND": 135, "OH": 99, "OK": 100, "OR": 100, "PA": 125, "RI": 150,
    "SC": 110, "SD": 150, "TN": 300, "TX": 300, "UT": 59, "VT": 155, "VA": 100, "WA": 200,
    "WV": 100, "WI": 130, "WY": 100,
}  # fmt: skip
US_STATE_NOTES: dict[str, str] = {
    "CA": "California also charges an 800 USD minimum franchise tax every year.",
    "DE": "Delaware charges a 300 USD annual LLC tax.",
    "NY": "New York requires publishing the formation notice within 120 days (cost varies by county).",
    "NV": "Nevada's figure includes the initial list of managers and the state business licence.",
    "TN": "Tennessee charges 50 USD per member, 300 USD minimum.",
    "MA": "Massachusetts also charges a 500 USD annual report fee.",
}
US_GENERIC_LLC = 150
USPTO_PER_CLASS = 350  # base application, per class of goods/services

UK_INCORPORATION_GBP = Decimal("50")  # Companies House, online
UKIPO_FIRST_CLASS_GBP = Decimal("170")
UKIPO_EXTRA_CLASS_GBP = Decimal("50")

EU_FORMATION_EUR: dict[str, Decimal] = {
    "DE": Decimal("800"), "FR": Decimal("250"), "IE": Decimal("50"), "NL": Decimal("650"),
    "ES": Decimal("600"), "IT": Decimal("2000"), "EE": Decimal("265"), "BE": Decimal("900"),
    "AT": Decimal("900"), "PT": Decimal("360"),
}  # fmt: skip
EU_GENERIC_FORMATION_EUR = Decimal("600")
EUIPO_FIRST_CLASS_EUR = Decimal("850")
EUIPO_SECOND_CLASS_EUR = Decimal("50")
EUIPO_FURTHER_CLASS_EUR = Decimal("150")

CA_FEDERAL_INCORPORATION_CAD = Decimal("200")
CIPO_FIRST_CLASS_CAD = Decimal("458.69")
CIPO_EXTRA_CLASS_CAD = Decimal("139.31")

GENERIC_FORMATION_USD = 300
GENERIC_TRADEMARK_PER_CLASS_USD = 300

# How many classes a first filing covers, by budget tier.
CLASSES_BY_TIER = {"starter": 1, "growth": 2, "scale": 3}

# Nice classes most businesses of an industry file first.
INDUSTRY_CLASSES: dict[str, tuple[int, ...]] = {
    "technology": (9, 42, 35), "software": (9, 42, 35), "saas": (42, 9, 35),
    "healthcare": (44, 10, 5), "health": (44, 10, 5), "medical": (10, 44, 5),
    "finance": (36, 9, 42), "fintech": (36, 9, 42), "insurance": (36, 35, 9),
    "retail": (35, 25, 18), "ecommerce": (35, 9, 25), "fashion": (25, 18, 35),
    "food": (43, 30, 29), "restaurant": (43, 30, 35), "beverage": (32, 33, 43),
    "education": (41, 9, 16), "real estate": (36, 37, 35), "hospitality": (43, 39, 41),
    "travel": (39, 43, 41), "consulting": (35, 41, 42), "manufacturing": (7, 40, 35),
}  # fmt: skip


@dataclass(frozen=True)
class Fee:
    description: str
    amount_usd: Decimal
    note: str = ""


def _usd(amount: Decimal, currency: str) -> Decimal:
    return (amount * USD_PER[currency]).quantize(Decimal("0.01"))


def trademark_classes(industry: str, count: int) -> tuple[int, ...]:
    """The first `count` Nice classes for an industry (class 35 when unknown)."""
    key = industry.strip().lower()
    classes = INDUSTRY_CLASSES.get(key)
    if classes is None:
        classes = next(
            (value for name, value in INDUSTRY_CLASSES.items() if name in key), (35, 42, 41)
        )
    return classes[: max(1, min(count, len(classes)))]


def formation_fee(place: Jurisdiction) -> Fee:
    """Government fee to form the company where it is located."""
    if place.country == "us":
        if place.region in US_LLC_FILING:
            return Fee(
                f"{place.label} LLC filing fee (articles of organization)",
                Decimal(US_LLC_FILING[place.region]),
                US_STATE_NOTES.get(place.region, ""),
            )
        return Fee("US state LLC filing fee (state not given; typical)", Decimal(US_GENERIC_LLC))
    if place.country == "uk":
        return Fee(
            "Companies House online incorporation (private limited company)",
            _usd(UK_INCORPORATION_GBP, "GBP"),
            "Charged as 50 GBP.",
        )
    if place.country == "eu":
        eur = EU_FORMATION_EUR.get(place.region or "", EU_GENERIC_FORMATION_EUR)
        return Fee(
            f"{place.label} company registration (registry and notary, typical)",
            _usd(eur, "EUR"),
            f"About {eur} EUR; notary fees vary.",
        )
    if place.country == "ca":
        return Fee(
            "Corporations Canada federal incorporation (online)",
            _usd(CA_FEDERAL_INCORPORATION_CAD, "CAD"),
            "Charged as 200 CAD; provincial registration may add a fee.",
        )
    return Fee(
        f"Company registration in {place.label} (generic estimate)",
        Decimal(GENERIC_FORMATION_USD),
        "No fee table for this location; confirm with the local registry.",
    )


def trademark_fee(place: Jurisdiction, classes: int) -> Fee:
    """Government fee to file a word mark in `classes` classes with the local office."""
    classes = max(1, classes)
    if place.country == "us":
        return Fee(
            f"USPTO trademark application, {classes} class(es) at {USPTO_PER_CLASS} USD",
            Decimal(USPTO_PER_CLASS * classes),
            "Base application fee per class; free-text descriptions cost more.",
        )
    if place.country == "uk":
        gbp = UKIPO_FIRST_CLASS_GBP + UKIPO_EXTRA_CLASS_GBP * (classes - 1)
        return Fee(f"UKIPO online trademark application, {classes} class(es)", _usd(gbp, "GBP"),
                   f"Charged as {gbp} GBP.")
    if place.country == "eu":
        eur = EUIPO_FIRST_CLASS_EUR
        if classes >= 2:
            eur += EUIPO_SECOND_CLASS_EUR
        if classes >= 3:
            eur += EUIPO_FURTHER_CLASS_EUR * (classes - 2)
        return Fee(f"EUIPO EU trade mark, {classes} class(es)", _usd(eur, "EUR"),
                   f"Charged as {eur} EUR; covers all EU member states.")
    if place.country == "ca":
        cad = CIPO_FIRST_CLASS_CAD + CIPO_EXTRA_CLASS_CAD * (classes - 1)
        return Fee(f"CIPO trademark application, {classes} class(es)", _usd(cad, "CAD"),
                   f"Charged as {cad} CAD.")
    return Fee(
        f"National trademark filing in {place.label}, {classes} class(es) (generic estimate)",
        Decimal(GENERIC_TRADEMARK_PER_CLASS_USD * classes),
        "No fee table for this location; WIPO's Madrid system is an option for several countries.",
    )
