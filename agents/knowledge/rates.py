"""Dated planning exchange rates (US dollars per unit), so every local fee can be shown in USD.

These are fixed planning rates taken from the central-bank reference pages on one date, not live
quotes: a plan converts with them and says so. Cross rates against the dollar are derived from
the ECB euro reference rates; the dirham and the lari come from their own central banks because
the ECB does not publish them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from agents.knowledge.facts import AS_OF

ECB = (
    "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
    "euro_reference_exchange_rates/html/index.en.html"
)
FED_H10 = "https://www.federalreserve.gov/releases/h10/current/"
CBUAE = "https://www.centralbank.ae/en/forex-eibor/exchange-rates/"
NBG = "https://nbg.gov.ge/en/monetary-policy/currency"
CENT = Decimal("0.01")


class UnknownCurrency(ValueError):
    """Raised for a currency the table has no rate for, instead of a bare KeyError."""


@dataclass(frozen=True)
class RateFact:
    currency: str  # ISO 4217
    usd_per_unit: Decimal
    source_url: str
    as_of: str


_USD_PER_UNIT: dict[str, tuple[str, str]] = {
    "USD": ("1", FED_H10),
    "EUR": ("1.16", ECB),
    "GBP": ("1.32", ECB),
    "CAD": ("0.71", ECB),
    "AUD": ("0.65", ECB),
    "NZD": ("0.57", ECB),
    "INR": ("0.0113", ECB),
    "SGD": ("0.77", ECB),
    "JPY": ("0.0066", ECB),
    "CHF": ("1.25", ECB),
    "SEK": ("0.106", ECB),
    "DKK": ("0.155", ECB),
    "NOK": ("0.099", ECB),
    "PLN": ("0.274", ECB),
    "BRL": ("0.187", ECB),
    "MXN": ("0.054", ECB),
    "ZAR": ("0.057", ECB),
    "AED": ("0.2723", CBUAE),  # pegged at 3.6725 AED per USD
    "KRW": ("0.00069", ECB),
    "CNY": ("0.140", ECB),
    "HKD": ("0.1286", ECB),
    "GEL": ("0.369", NBG),
}

RATES: dict[str, RateFact] = {
    code: RateFact(code, Decimal(value), url, AS_OF) for code, (value, url) in _USD_PER_UNIT.items()
}


def rate(currency: str) -> RateFact:
    """The planning rate for an ISO 4217 code (case-insensitive)."""
    code = (currency or "").strip().upper()
    try:
        return RATES[code]
    except KeyError:
        raise UnknownCurrency(f"no planning rate for currency {currency!r}") from None


def to_usd(amount: Decimal | int | str, currency: str) -> Decimal:
    """Converts at the planning rate, rounded to the cent half-up as reports show money."""
    usd = Decimal(str(amount)) * rate(currency).usd_per_unit
    return usd.quantize(CENT, rounding=ROUND_HALF_UP)
