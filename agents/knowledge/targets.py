"""Read the quantity an objective asks for ("200 new patients", "€50,000", "20%") out of its text.

The planner sizes work by the target (a campaign for 200 patients is not one for 20,000), and the
report quotes it back, so the parser keeps the wording as written next to the parsed value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from agents.knowledge.phrases import fold


@dataclass(frozen=True)
class Target:
    value: Decimal  # 200
    unit: str  # "new patients", "customers", "%", "USD", "locations"
    text: str  # "200 new patients"


_CURRENCY_SIGNS = {"a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "nz$": "NZD", "r$": "BRL",
                   "mx$": "MXN", "s$": "SGD", "us$": "USD", "$": "USD", "€": "EUR", "£": "GBP",
                   "¥": "JPY", "₹": "INR", "₾": "GEL"}
_CURRENCY_WORDS = {"usd": "USD", "dollars": "USD", "dollar": "USD", "eur": "EUR", "euros": "EUR",
                   "euro": "EUR", "gbp": "GBP", "pounds": "GBP", "cad": "CAD", "aud": "AUD", "nzd": "NZD",
                   "inr": "INR", "rupees": "INR", "jpy": "JPY", "yen": "JPY", "sgd": "SGD", "mxn": "MXN",
                   "pesos": "MXN", "brl": "BRL", "reais": "BRL", "gel": "GEL", "lari": "GEL", "chf": "CHF"}
_MULTIPLIERS = {"k": 1_000, "tsd": 1_000, "thousand": 1_000, "mil": 1_000, "m": 1_000_000,
                "mm": 1_000_000, "mn": 1_000_000, "mio": 1_000_000, "million": 1_000_000,
                "millions": 1_000_000, "millones": 1_000_000, "millionen": 1_000_000,
                "bn": 1_000_000_000, "billion": 1_000_000_000}
# Words after a number that make it a time, an ordinal or a date, not a target.
_NOT_UNITS = frozenset("""day days week weeks month months year years hour hours minute minutes am pm
    th st nd rd tage tag wochen woche monate monat jahre jahr stunden jours jour semaines semaine mois ans
    an annee annees heures dias dia semanas semana meses mes anos ano horas""".split())
# Words before a number that make it part of a name ("ISO 27001", "Series 2", "top 3").
_NOT_BEFORE = frozenset("iso soc series web pci level tier phase version v top no nr number chapter "
                        "section article art class grade q form ul iec astm part din".split())
# Words that end the unit phrase (prepositions, articles, and verbs that close a German objective).
_STOPS = frozenset("""by in within before until at from per a an the on for to and or with via through over
    across around near into of than this next each every bis im innerhalb vor pro und oder mit fur von zum zur auf an
    pour avant en dans d ici et ou avec par de du des la le les para antes durante y o con por del el al
    que sur chez vers uber durch sobre gewinnen erreichen verkaufen steigern aufbauen einstellen finden
    generieren sammeln erhohen eroffnen anwerben""".split())

_NUMBER = re.compile(
    r"(?<![\w.,/(-])"
    r"(?P<sign>(?:a|au|c|ca|nz|r|mx|s|us)?\$|[€£¥₹₾])?\s?"
    r"(?P<num>\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:\s?(?P<mult>k|tsd|thousand|mil|mm|mn|m|mio|millions?|millones|millionen|bn|billion)\.?"
    r"(?![^\W\d_]))?"
    r"(?![\w(/])"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b|prozent\b|pour cent\b|por ciento\b))?"
    r"(?:\s?(?P<after>[€£¥₹₾]))?",
    re.IGNORECASE,
)
_UNIT_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TIME_WORDS = frozenset("by in until before bis avant antes para en".split())
_TOWARDS = frozenset("to reach hit auf a hasta atteindre erreichen".split())


def _decimal(raw: str) -> Decimal | None:
    """"1,500", "1.500" and "1 500" are thousands; "1.5" and "1,5" are decimals."""
    compact = raw.replace("\u00a0", " ").replace("\u202f", " ")
    grouped = re.fullmatch(r"(\d{1,3}(?:[,. ]\d{3})+)(?:[.,](\d+))?", compact)
    if grouped:
        decimals = "." + grouped.group(2) if grouped.group(2) else ""
        compact = re.sub(r"[,. ]", "", grouped.group(1)) + decimals
    else:
        compact = compact.replace(",", ".")
    try:
        return Decimal(compact)
    except InvalidOperation:
        return None


def _unit_words(text: str, end: int) -> list[tuple[str, int]]:
    """Up to three words right after the number, each with where it ends; stops at a preposition."""
    words: list[tuple[str, int]] = []
    position = end
    for _ in range(3):
        gap = re.match(r"[ \t\u00a0]*", text[position:])
        spaces = gap.end() if gap else 0
        if words and not spaces:
            break
        match = _UNIT_WORD.match(text, position + spaces)
        if match is None:
            break
        word = match.group().strip("'’-")
        if fold(word) in _STOPS:
            break
        words.append((word, match.end()))
        position = match.end()
    return words


def _previous_word(text: str, start: int) -> str:
    match = re.search(r"([^\W\d_]+)\W*$", text[:start])
    return fold(match.group(1)) if match else ""


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


# A rate right after the target: "40 new patients a month", "100 pedidos al mes", "20 Kunden pro Woche".
_PERIODS = {"month": "month", "months": "month", "mes": "month", "monat": "month", "mois": "month",
            "monthly": "month", "mensuales": "month", "mensuels": "month", "monatlich": "month",
            "week": "week", "semana": "week", "woche": "week", "semaine": "week", "weekly": "week",
            "wochentlich": "week", "semanales": "week", "hebdomadaires": "week"}
_RATE = re.compile(r"\s*(?:(?:a|an|per|each|every|/|al|por|cada|pro|im|je|par|chaque)\s*)?"
                   r"(month|months|mes|monat|mois|week|semana|woche|semaine)\b|"
                   r"\s*(monthly|mensuales|mensuels|monatlich|weekly|wochentlich|w[oö]chentlich|semanales|hebdomadaires)\b",
                   re.IGNORECASE)


def rate_of(target_text: str) -> str | None:
    """The period a target is asked for each of ("month", "week"), or None for a total."""
    for match in _RATE.finditer(target_text):
        word = fold(match.group(1) or match.group(2))
        if match.end() == len(target_text.rstrip()) and word in _PERIODS:
            return _PERIODS[word]
    return None


def target_of(text: str) -> Target | None:
    """The quantity the objective asks for, or None; prefers "to N" over "from M" when both appear."""
    found: list[tuple[bool, Target]] = []
    for match in _NUMBER.finditer(text):
        value = _decimal(match.group("num"))
        before = _previous_word(text, match.start())
        if value is None or before in _NOT_BEFORE:
            continue
        if match.group("mult"):
            value *= _MULTIPLIERS[match.group("mult").lower()]
        sign = (match.group("sign") or match.group("after") or "").lower()
        end = match.end()
        if match.group("pct"):
            unit = "%"
        elif sign:
            unit = _CURRENCY_SIGNS[sign]
        else:
            words = _unit_words(text, match.end())
            first = fold(words[0][0]) if words else ""
            if first in _CURRENCY_WORDS:
                unit, end = _CURRENCY_WORDS[first], words[0][1]
            elif not words or first in _NOT_UNITS:  # noqa: SIM114 - no unit; the next arm: a year, no amount
                continue
            elif before in _TIME_WORDS and 1900 <= value <= 2100 and not match.group("mult"):
                continue
            else:
                unit, end = " ".join(word for word, _ in words), words[-1][1]
        if (rate := _RATE.match(text, end)) is not None:
            end = rate.end()  # "40 new patients a month": the rate is part of what was asked
        found.append((before in _TOWARDS, Target(_whole(value), unit, text[match.start():end].strip())))
    if not found:
        return None
    towards = [target for is_towards, target in found if is_towards]
    return towards[-1] if towards else found[0][1]


_LIST_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\bplus\b)\s*", re.IGNORECASE)
_ONE = re.compile(r"^(?:a|an|one|1)\s+\S", re.IGNORECASE)
_COUNTED = re.compile(r"^(\d{1,3})\s+\S")
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def listed_count(text: str) -> int | None:
    """How many things a list of them counts: "a head chef and 4 line cooks" is 5. None unless the
    text lists two or more, each counted ("a", "an", "one" or a number before it)."""
    parts = [part for part in _LIST_SPLIT.split(text.strip().rstrip(".")) if part]
    if len(parts) < 2:
        return None
    counts = []
    for part in parts:
        if _ONE.match(part):
            counts.append(1)
        elif found := _COUNTED.match(part):
            counts.append(int(found.group(1)))
        elif (word := part.split()[0].lower()) in _NUMBER_WORDS and len(part.split()) > 1:
            counts.append(_NUMBER_WORDS[word])
        else:
            return None
    return sum(counts)
