"""Parse a free-text location into ISO 3166 codes, saying so when it cannot be decided.

"Georgia" alone may be the country or the US state and "WA" may be Washington or Western
Australia: the parser never guesses silently. A known city decides its qualifier ("Bangalore, IN"
is India, "Indianapolis, IN" is Indiana); otherwise the surrounding context may decide, and if
nothing does the Place is marked ambiguous with a note explaining the readings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from agents.knowledge.cities import CITIES, CONTEXT_STOPWORDS
from agents.knowledge.places_data import COUNTRIES, LABEL_REGION_COUNTRIES, REGIONS

Scope = tuple[str, "str | None"]  # (ISO 3166-1 country, ISO 3166-2 region or None)


@dataclass(frozen=True)
class Place:
    label: str  # "Austin, Texas, United States", "Bangalore, India", "Tbilisi, Georgia"
    country_code: str | None  # ISO 3166-1 alpha-2; None if unknown
    region_code: str | None  # ISO 3166-2, e.g. "US-TX"; None if not known
    city: str | None
    ambiguous: bool  # True when it could not be decided
    note: str  # what was ambiguous / how it was decided, "" otherwise

    @property
    def country_name(self) -> str:
        return COUNTRIES[self.country_code][0] if self.country_code in COUNTRIES else "Unknown"

    @property
    def region_name(self) -> str | None:
        return REGIONS[self.region_code][0] if self.region_code in REGIONS else None


@dataclass(frozen=True)
class _Candidate:
    scope: Scope
    city: str | None
    rank: int  # 0 = primary reading, 1 = a lesser-known city of that name, 2 = qualifier only


EU_MEMBERS = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())


def norm(text: str) -> str:
    """Folds case, accents and punctuation so "Zürich", "ZURICH" and "zurich" compare equal."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("ß", "ss")
    text = re.sub(r"[.'’`ʻ]", "", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _index() -> tuple[dict[str, str], dict[str, list[Scope]], dict[str, list[Scope]], dict]:
    countries: dict[str, str] = {}
    region_names: dict[str, list[Scope]] = {}
    short_codes: dict[str, list[Scope]] = {}
    for code, (name, aliases) in COUNTRIES.items():
        for alias in (name, *aliases):
            countries[norm(alias)] = code
        short_codes.setdefault(code.lower(), []).append((code, None))
    for iso, (name, aliases, abbreviations) in REGIONS.items():
        scope = (iso.split("-")[0], iso)
        for alias in (name, *aliases):
            region_names.setdefault(norm(alias), []).append(scope)
        for abbreviation in abbreviations:
            short_codes.setdefault(norm(abbreviation), []).append(scope)
    cities: dict[str, list[tuple[str, Scope]]] = {}
    for name, aliases, country, region in CITIES:
        for alias in (name, *aliases):
            entries = cities.setdefault(norm(alias), [])
            if (name, (country, region)) not in entries:
                entries.append((name, (country, region)))
    return countries, region_names, short_codes, cities


_COUNTRY, _REGION_NAME, _SHORT_CODE, _CITY = _index()
_ISO_REGION = re.compile(r"^([A-Z]{2})-([A-Z0-9]{1,3})$")


def _interpret(term: str) -> list[Scope]:
    """Every country or region a qualifier such as "IN", "Georgia" or "US-TX" may mean."""
    raw = term.strip()
    if _ISO_REGION.match(raw.upper()) and raw.upper() in REGIONS:
        return [(raw[:2].upper(), raw.upper())]
    key = norm(raw)
    scopes: list[Scope] = []
    if key in _COUNTRY:
        scopes.append((_COUNTRY[key], None))
    scopes.extend(_REGION_NAME.get(key, []))
    if len(key) <= 3:
        scopes.extend(scope for scope in _SHORT_CODE.get(key, []) if scope not in scopes)
    return scopes


def _compatible(a: Scope, b: Scope) -> bool:
    return a[0] == b[0] and (a[1] is None or b[1] is None or a[1] == b[1])


def _narrower(a: Scope, b: Scope) -> Scope:
    return a if a[1] is not None else b


def _describe(scope: Scope) -> str:
    country = COUNTRIES[scope[0]][0]
    if scope[1] is None:
        return f"the country {country}"
    if scope[1] == "US-DC":
        return "Washington, D.C."
    region = REGIONS[scope[1]][0]
    return f"the US state of {region}" if scope[0] == "US" else f"{region}, {country}"


def _reading(candidate: _Candidate) -> str:
    """How a note names one reading: the place itself for a known city, else the region."""
    return (
        _label(candidate.city, candidate.scope)
        if candidate.rank < 2 and candidate.city
        else _describe(candidate.scope)
    )


def _label(city: str | None, scope: Scope) -> str:
    country = COUNTRIES[scope[0]][0]
    parts = [city] if city else []
    shows_region = scope[0] in LABEL_REGION_COUNTRIES or (scope[0] == "GB" and scope[1] != "GB-ENG")
    if scope[1] and (shows_region or not city):
        parts.append(REGIONS[scope[1]][0])
    if city != country:
        parts.append(country)
    return ", ".join(parts)


def _split(text: str) -> list[str]:
    parts = [re.sub(r"\S*\d\S*", " ", part).strip() for part in re.split(r"[,;/|]|\s+-\s+", text)]
    parts = [part for part in parts if part]
    if len(parts) == 1 and norm(parts[0]) not in _CITY and not _interpret(parts[0]):
        words = parts[0].split()
        for size in (3, 2, 1):
            head, tail = " ".join(words[:-size]), " ".join(words[-size:])
            if len(words) > size and _interpret(tail) and (norm(head) in _CITY or _interpret(head)):
                return [head, tail]
    return parts


def _context_scopes(context: str) -> list[Scope]:
    """Countries, regions and cities named in free text; short codes are ignored as too noisy."""
    if not context.strip():
        return []
    text = f" {norm(context)} "
    scopes: list[Scope] = []
    if re.search(r"\bU\.?S\.?A?\b", context):
        scopes.append(("US", None))
    for key, code in _COUNTRY.items():
        if (len(key) >= 4 or key in {"uk", "usa", "uae"}) and f" {key} " in text:
            scopes.append((code, None))
    for key, found in _REGION_NAME.items():
        if len(key) >= 4 and f" {key} " in text:
            scopes.extend(found)
    for key, entries in _CITY.items():
        if len(key) >= 4 and key not in CONTEXT_STOPWORDS and f" {key} " in text:
            scopes.append(entries[0][1])
    return scopes


def countries_named(text: str) -> list[str]:
    """ISO codes of the countries free text names ("in Canada and the US"), in the order it names them."""
    found: dict[str, int] = {}
    folded = f" {norm(text)} "
    for match in re.finditer(r"\bU\.?S\.?A?\b", text):
        found.setdefault("US", match.start())
    for key, code in _COUNTRY.items():
        if (len(key) >= 4 or key in {"uk", "usa", "uae"}) and (at := folded.find(f" {key} ")) >= 0:
            found[code] = min(found.get(code, at), at)
    return sorted(found, key=lambda code: found[code])


def _coherent(candidates: list[_Candidate]) -> bool:
    return all(_compatible(a.scope, b.scope) for a in candidates for b in candidates)


def _best(candidates: list[_Candidate]) -> _Candidate:
    """The most specific of mutually compatible readings: a city beats a bare region."""
    return min(candidates, key=lambda c: (c.rank, c.city is None, c.scope[1] is None))


def _candidates(head: str, texts: list[str], quals: list[list[Scope]]) -> list[_Candidate]:
    def fits(scope: Scope, city: bool = False) -> bool:
        # A known city also accepts its own ISO suffix ("Chennai, TN" is Tamil Nadu, not Tennessee).
        suffix = norm(scope[1].split("-")[1]) if city and scope[1] else None
        return all(
            any(_compatible(scope, q) for q in qual) or norm(text) == suffix
            for text, qual in zip(texts, quals, strict=True)
        )

    found: list[_Candidate] = []
    for position, (name, scope) in enumerate(_CITY.get(norm(head), [])):
        if fits(scope, city=True):
            found.append(_Candidate(scope, name, 0 if position == 0 else 1))
    head_scopes = _interpret(head)
    for scope in head_scopes:
        if fits(scope):
            merged = scope
            for qual in quals:
                merged = _narrower(merged, next(q for q in qual if _compatible(scope, q)))
            found.append(_Candidate(merged, None, 0))
    if quals and not head_scopes:
        city = head if head != head.lower() else head.title()
        combos: list[Scope] = list(quals[0])
        for qual in quals[1:]:
            combos = [_narrower(a, b) for a in combos for b in qual if _compatible(a, b)]
        for scope in dict.fromkeys(combos):
            if not any(_compatible(scope, c.scope) for c in found):
                found.append(_Candidate(scope, city, 2))
    return found


def country_place(code: str) -> Place:
    """A Place for a whole country given its ISO code, for callers that already know it."""
    if code not in COUNTRIES:
        return _unknown(code)
    return Place(COUNTRIES[code][0], code, None, None, False, "")


def _unknown(raw: str, why: str = "") -> Place:
    return Place(raw or "Unknown", None, None, None, True, why or f"could not place '{raw}'")


def parse_location(text: str, context: str = "") -> Place:
    """Parses "City, Region, Country" style text; `context` (other brief text) breaks ties."""
    raw = (text or "").strip()
    parts = _split(raw)
    if not parts:
        return _unknown(raw, "no location given" if not raw else "")
    head, interpreted = parts[0], [(q, _interpret(q)) for q in parts[1:]]
    ignored = [q for q, scopes in interpreted if not scopes]
    texts = [q for q, scopes in interpreted if scopes]
    quals = [scopes for _, scopes in interpreted if scopes]
    candidates = _candidates(head, texts, quals)
    if not candidates:
        if quals and (norm(head) in _CITY or _interpret(head)):
            return _unknown(raw, f"the parts of '{raw}' contradict each other")
        return _unknown(raw)
    note = f"ignored '{', '.join(ignored)}'" if ignored else ""
    chosen, reason = None, ""
    if not _coherent(candidates):
        context_scopes = _context_scopes(context)
        supported = [c for c in candidates if any(_compatible(c.scope, s) for s in context_scopes)]
        if supported and _coherent(supported):
            chosen, reason = _best(supported), "the context points there"
    if chosen is None:
        top = [c for c in candidates if c.rank == min(c.rank for c in candidates)]
        if not _coherent(top):
            readings = " or ".join(dict.fromkeys(_describe(c.scope) for c in top))
            countries = {c.scope[0] for c in top}
            country = countries.pop() if len(countries) == 1 else None
            label = _label(top[0].city, (country, None)) if country else raw
            text_note = f"'{raw}' could be {readings}; not decided"
            return Place(label, country, None, None, True, "; ".join(filter(None, [text_note, note])))
        chosen = _best(top)
    others = [c for c in candidates if not _compatible(c.scope, chosen.scope)]
    if not reason and others:
        known_elsewhere = any(c.rank < 2 for c in others)
        reason = (
            "it is the best-known place of that name"
            if known_elsewhere
            else f"{chosen.city} is there"
            if chosen.city
            else "it fits every part"
        )
    if others:
        alternatives = " or ".join(dict.fromkeys(_reading(c) for c in others))
        note = "; ".join(filter(None, [f"read as {_reading(chosen)}, not {alternatives}: {reason}", note]))
    return Place(
        _label(chosen.city, chosen.scope), chosen.scope[0], chosen.scope[1], chosen.city, False, note
    )
