"""Recognise where a company is registered from the free-text location of the brief."""

from __future__ import annotations

import re
from dataclasses import dataclass

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip

US_CITIES: dict[str, str] = {
    "new york city": "NY", "nyc": "NY", "los angeles": "CA", "san francisco": "CA",
    "chicago": "IL", "houston": "TX", "austin": "TX", "dallas": "TX", "seattle": "WA",
    "boston": "MA", "miami": "FL", "denver": "CO", "atlanta": "GA", "phoenix": "AZ",
    "portland": "OR", "las vegas": "NV", "philadelphia": "PA", "san diego": "CA",
}  # fmt: skip

UK_WORDS = ("united kingdom", "uk", "england", "scotland", "wales", "northern ireland",
            "great britain", "london", "manchester", "edinburgh", "glasgow", "bristol", "leeds")
EU_COUNTRIES: dict[str, str] = {
    "germany": "DE", "deutschland": "DE", "berlin": "DE", "munich": "DE", "france": "FR",
    "paris": "FR", "ireland": "IE", "dublin": "IE", "netherlands": "NL", "amsterdam": "NL",
    "spain": "ES", "madrid": "ES", "barcelona": "ES", "italy": "IT", "milan": "IT", "rome": "IT",
    "belgium": "BE", "brussels": "BE", "austria": "AT", "vienna": "AT", "portugal": "PT",
    "lisbon": "PT", "sweden": "SE", "stockholm": "SE", "denmark": "DK", "copenhagen": "DK",
    "finland": "FI", "helsinki": "FI", "poland": "PL", "warsaw": "PL", "estonia": "EE",
    "tallinn": "EE", "czechia": "CZ", "czech republic": "CZ", "prague": "CZ", "greece": "GR",
    "luxembourg": "LU",
}  # fmt: skip
EU_NAMES: dict[str, str] = {
    "DE": "Germany", "FR": "France", "IE": "Ireland", "NL": "Netherlands", "ES": "Spain",
    "IT": "Italy", "BE": "Belgium", "AT": "Austria", "PT": "Portugal", "SE": "Sweden",
    "DK": "Denmark", "FI": "Finland", "PL": "Poland", "EE": "Estonia", "CZ": "Czechia",
    "GR": "Greece", "LU": "Luxembourg",
}  # fmt: skip
CA_WORDS = ("canada", "toronto", "vancouver", "montreal", "ottawa", "calgary", "ontario",
            "british columbia", "quebec", "alberta")
US_WORDS = ("united states", "usa", "u.s.", "us", "america")


@dataclass(frozen=True)
class Jurisdiction:
    country: str  # us | uk | eu | ca | other
    region: str | None  # US state code or EU member code
    label: str


def _words(text: str) -> list[str]:
    return [part for part in re.split(r"[^a-z.]+", text.lower()) if part]


def jurisdiction_of(location: str) -> Jurisdiction:
    """Best guess at the registration jurisdiction; unknown places fall back to `other`."""
    lowered = location.lower()
    tokens = [token.strip(".") for token in re.split(r"[,/;()]+", location) if token.strip()]
    for token in reversed(tokens):
        code = token.strip().upper()
        if code in US_STATES and len(code) == 2 and token.strip().isupper():
            return Jurisdiction("us", code, US_STATES[code])
    for code, name in US_STATES.items():
        if re.search(rf"\b{re.escape(name.lower())}\b", lowered):
            return Jurisdiction("us", code, name)
    for city, code in US_CITIES.items():
        if city in lowered:
            return Jurisdiction("us", code, US_STATES[code])
    words = _words(location)
    joined = " ".join(words)
    for word in UK_WORDS:
        if re.search(rf"\b{re.escape(word)}\b", joined):
            return Jurisdiction("uk", None, "United Kingdom")
    for word, code in EU_COUNTRIES.items():
        if re.search(rf"\b{re.escape(word)}\b", joined):
            return Jurisdiction("eu", code, EU_NAMES.get(code, code))
    for word in CA_WORDS:
        if word in joined:
            return Jurisdiction("ca", None, "Canada")
    for word in US_WORDS:
        if re.search(rf"(^|\s){re.escape(word)}($|\s)", joined):
            return Jurisdiction("us", None, "United States")
    return Jurisdiction("other", None, location.strip() or "unspecified")


def country_of(location: str) -> str:
    return jurisdiction_of(location).country
