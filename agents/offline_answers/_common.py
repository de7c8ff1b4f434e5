"""Small helpers shared by the offline answer builders."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from agents.knowledge.licences import is_exemption
from agents.state import Brief, cents

LEADING_VERB = re.compile(r"^(?:hire|recruit|find|attract|get|win|gain|reach|sign|contratar|captar|conseguir|"
                          r"einstellen|gewinnen|finden|recruter|embaucher|attirer|trouver)\s+", re.IGNORECASE)
# A German objective ends with its verb: "Drei Softwareentwickler einstellen".
TRAILING_VERB = re.compile(r"\s+(?:einstellen|gewinnen|finden|anwerben|rekrutieren|suchen|erreichen)$", re.IGNORECASE)


def object_of(text: str) -> str:
    """'Hire a head roaster' -> 'a head roaster'; 'Drei Entwickler einstellen' -> 'Drei Entwickler'."""
    return TRAILING_VERB.sub("", LEADING_VERB.sub("", text.strip().rstrip("."))) or text


def brief_of(data: dict[str, Any]) -> Brief:
    return Brief.model_validate(data["brief"])


def clamp(value: Decimal, low: int, high: int) -> Decimal:
    return cents(min(max(value, Decimal(low)), Decimal(high)))


def money(value: Decimal) -> str:
    return f"${cents(value):,.2f}"


def number(value: Decimal) -> float:
    """Amounts go out as JSON numbers, the way a model writes them."""
    return float(cents(value))


def plural(count: int, word: str) -> str:
    """`word` or its plural for `count` (regular English plurals only)."""
    if count == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"


def quoted_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def exemption_name(reference: dict[str, Any]) -> str:
    """The tax exemption a nonprofit applies for, as the place's tables name it."""
    licences = reference.get("licences", [])
    return next((lic["name"] for lic in licences if is_exemption(lic)),
                next((lic["name"] for lic in licences), "recognition of tax-exempt status"))
