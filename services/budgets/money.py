"""Money units of the budget ledgers: AI spend in micro-dollars, business money in cents.

Both ledgers store integers so sums are exact in SQL; these helpers are the only place that turns
them back into `Decimal` USD. AI amounts are rounded *up* to the micro-dollar: a reservation or a
settlement never records less than the call can cost, so a cap is never passed by rounding.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

MICRO = Decimal("0.000001")
CENT = Decimal("0.01")
_MICROS_PER_USD = 1_000_000
_CENTS_PER_USD = 100


def usd_to_micros(amount: Decimal) -> int:
    """USD → whole micro-dollars, rounded up (never under-count AI spend)."""
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {amount}")
    return int((amount / MICRO).to_integral_value(rounding=ROUND_CEILING))


def micros_to_usd(micros: int) -> Decimal:
    """Micro-dollars → USD with exactly six decimals."""
    return (Decimal(micros) / _MICROS_PER_USD).quantize(MICRO)


def usd_to_cents(amount: Decimal) -> int:
    """USD → cents, rounded half up like an invoice (the engine already keeps cents)."""
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {amount}")
    return int((amount / CENT).to_integral_value(rounding=ROUND_HALF_UP))


def cents_to_usd(cents: int) -> Decimal:
    return (Decimal(cents) / _CENTS_PER_USD).quantize(CENT)


def month_of(moment: datetime) -> str:
    """The UTC month ("YYYY-MM") a moment falls in; monthly caps reset on the UTC calendar."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def plain(value: Decimal, min_places: int = 2) -> str:
    """A Decimal as text without trailing zeros beyond `min_places` ("250.50", "0.00001", "30").

    Stored values come back with the column's scale ("250.500000"); printing them the same way
    whatever their scale keeps API answers readable and audit before/after comparable.
    """
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -min_places:
        normal = value.quantize(Decimal(1).scaleb(-min_places))
    return f"{normal:f}"
