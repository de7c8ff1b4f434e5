"""One dated, sourced figure: every fee the offline knowledge base quotes is a Fact.

Reports show the source and the compile date next to each amount, so readers know what to
confirm before they pay anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# The date this table was compiled; shown in reports so readers know to confirm current figures.
AS_OF = "2026-11-15"


@dataclass(frozen=True)
class Fact:
    id: str  # stable, e.g. "formation:US-DE:corp", "trademark:DE:DPMA:3"
    what: str  # human sentence naming the fee
    jurisdiction: str  # human label: "Delaware, United States", "Germany", "European Union"
    amount: Decimal  # in local currency
    currency: str  # ISO 4217
    source_url: str
    as_of: str  # ISO date
    classes: tuple[int, ...] | None = None  # Nice classes when a trademark fee
    note: str = ""


def fact(
    id: str,
    what: str,
    jurisdiction: str,
    amount: str | int | Decimal,
    currency: str,
    source_url: str,
    note: str = "",
    classes: tuple[int, ...] | None = None,
) -> Fact:
    """Builds a Fact stamped with the table's compile date, so no module invents its own date."""
    return Fact(
        id=id,
        what=what,
        jurisdiction=jurisdiction,
        amount=Decimal(str(amount)),
        currency=currency,
        source_url=source_url,
        as_of=AS_OF,
        classes=classes,
        note=note,
    )
