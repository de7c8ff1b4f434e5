"""Server-side fallbacks for money and times (the browser re-formats them for the viewer)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def usd(value: object, decimals: int = 2) -> str:
    """`$1,234.56`: what the page shows before JavaScript localises it."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "—"
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.{decimals}f}"
