"""Trademark offices, their official filing fees by number of classes, and time to registration.

The national office of the company's country is the default. The EU office is chosen only when
the objectives ask for an EU-wide mark, and WIPO's Madrid System only when they ask for an
international one: both cost more and suit a different plan. Fee structures follow each office's
own schedule (per class, bundles of classes, tiers), stated for online filing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from agents.knowledge.facts import Fact, fact
from agents.knowledge.places import EU_MEMBERS, Place, countries_named, norm

WIPO_DIRECTORY = "https://www.wipo.int/directory/en/urls.jsp"


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    country_code: str | None  # None for the EU office and WIPO
    currency: str
    source_url: str


@dataclass(frozen=True)
class _Schedule:
    """Fee = base (covers `included` classes) + `second` for the next class + `further` each after."""

    base: Decimal
    included: int
    further: Decimal
    second: Decimal | None = None
    months: tuple[int, int] = (6, 12)
    note: str = ""

    def amount(self, classes: int) -> Decimal:
        extra = max(0, classes - self.included)
        if extra and self.second is not None:
            return self.base + self.second + self.further * (extra - 1)
        return self.base + self.further * extra


def _s(
    base: str,
    included: int,
    further: str,
    second: str | None = None,
    months: tuple[int, int] = (6, 12),
    note: str = "",
) -> _Schedule:
    return _Schedule(
        Decimal(base), included, Decimal(further), Decimal(second) if second else None, months, note
    )


_OFFICES: dict[str, tuple[Office, str, _Schedule]] = {
    "USPTO": (Office("USPTO", "United States Patent and Trademark Office", "US", "USD",
                     "https://www.uspto.gov/learning-and-resources/fees-and-payment/uspto-fee-schedule"),
              "United States", _s("0", 0, "350", months=(12, 18), note=(
                  "Base application fee per class since 18 January 2025, using ID Manual wording; "
                  "free-text descriptions add USD 200 per class. An intent-to-use filing later needs a "
                  "statement of use (USD 150 per class); maintenance filings fall due between years 5 and 6 "
                  "and every 10 years."))),
    "DPMA": (Office("DPMA", "German Patent and Trade Mark Office (DPMA)", "DE", "EUR",
                    "https://www.dpma.de/english/services/fees/trademarks/index.html"),
             "Germany", _s("290", 3, "100", months=(3, 6), note=(
                 "Electronic filing: EUR 290 covers up to three classes, EUR 100 for each further class "
                 "(paper EUR 300). Renewal after 10 years costs EUR 750 for up to three classes."))),
    "EUIPO": (Office("EUIPO", "European Union Intellectual Property Office (EUIPO)", None, "EUR",
                     "https://www.euipo.europa.eu/ohimportal/en/web/guest/fees-and-their-payment"),
              "European Union", _s("850", 1, "150", second="50", months=(4, 6), note=(
                  "Online filing: EUR 850 for one class, EUR 50 for the second, EUR 150 for each class "
                  "after that; one mark covers all 27 member states. Renewal every 10 years costs the "
                  "same."))),
    "UKIPO": (Office("UKIPO", "UK Intellectual Property Office (UKIPO)", "GB", "GBP",
                     "https://www.gov.uk/how-to-register-a-trade-mark"),
              "United Kingdom", _s("170", 1, "50", months=(4, 5), note=(
                  "Standard online application: GBP 170 for one class, GBP 50 for each additional class "
                  "(Right Start costs GBP 200 plus GBP 50 per class, paid in two halves)."))),
    "CIPO": (Office("CIPO", "Canadian Intellectual Property Office (CIPO)", "CA", "CAD",
                    "https://ised-isde.canada.ca/site/canadian-intellectual-property-office/en"),
             "Canada", _s("478.15", 1, "145.12", months=(18, 36), note=(
                 "Online filing fee as adjusted on 1 January 2025 (CIPO indexes fees every January); there "
                 "is no separate registration fee. Examination backlogs are long; pre-approved goods and "
                 "services terms move faster."))),
    "INPI-FR": (Office("INPI-FR", "Institut national de la propriété industrielle (INPI France)", "FR",
                       "EUR", "https://www.inpi.fr/"),
                "France", _s("190", 1, "40", months=(4, 6), note=(
                    "Online filing: EUR 190 for one class, EUR 40 for each additional class; renewal after "
                    "10 years EUR 290 plus EUR 40 per additional class."))),
    "OEPM": (Office("OEPM", "Spanish Patent and Trademark Office (OEPM)", "ES", "EUR",
                    "https://www.oepm.es/"),
             "Spain", _s("144", 1, "93", months=(4, 6), note=(
                 "Approximate amounts OEPM publishes (about EUR 144 for the first class, about EUR 93 for "
                 "each further class); electronic filing is 15% cheaper and fees are updated yearly."))),
    "BOIP": (Office("BOIP", "Benelux Office for Intellectual Property (BOIP)", None, "EUR",
                    "https://www.boip.int/en/entrepreneurs/trademarks/fees"),
             "Belgium, Netherlands and Luxembourg", _s("244", 1, "81", second="27", months=(3, 5), note=(
                 "One Benelux mark covers Belgium, the Netherlands and Luxembourg: EUR 244 including one "
                 "class, EUR 27 for the second class and EUR 81 for each further class."))),
    "IPAU": (Office("IPAU", "IP Australia", "AU", "AUD", "https://www.ipaustralia.gov.au/"),
             "Australia", _s("0", 0, "250", months=(7, 12), note=(
                 "AUD 250 per class when goods and services are chosen from IP Australia's pick list "
                 "(AUD 400 per class with your own wording); there is no separate registration fee."))),
    "IPONZ": (Office("IPONZ", "Intellectual Property Office of New Zealand (IPONZ)", "NZ", "NZD",
                     "https://www.iponz.govt.nz/about-ip/trade-marks/fees/"),
              "New Zealand", _s("0", 0, "100", months=(4, 6), note=(
                  "NZD 100 per class, excluding GST (NZD 70 per class with only pre-approved terms); "
                  "renewal every 10 years NZD 200 per class."))),
    "CGPDTM": (Office("CGPDTM", "Controller General of Patents, Designs and Trade Marks (India)", "IN",
                      "INR", "https://ipindia.gov.in/"),
               "India", _s("0", 0, "4500", months=(12, 24), note=(
                   "Startup rate: INR 4,500 per class for e-filing by individuals, recognised startups and "
                   "small enterprises (INR 9,000 per class for other applicants); renewal every 10 years."))),
    "IPOS": (Office("IPOS", "Intellectual Property Office of Singapore (IPOS)", "SG", "SGD",
                    "https://www.ipos.gov.sg/protect-ip/apply-for-a-trade-mark/forms-fees"),
             "Singapore", _s("0", 0, "280", months=(8, 12), note=(
                 "SGD 280 per class with pre-approved goods and services terms, SGD 410 per class with "
                 "your own wording (fees revised from 1 September 2025)."))),
    "JPO": (Office("JPO", "Japan Patent Office (JPO)", "JP", "JPY",
                   "https://www.jpo.go.jp/system/process/tesuryo/hyou.html"),
            "Japan", _s("3400", 0, "8600", months=(8, 14), note=(
                "Application fee JPY 3,400 plus JPY 8,600 per class; after allowance a registration fee of "
                "JPY 32,900 per class (10 years) is due."))),
    "IMPI": (Office("IMPI", "Mexican Institute of Industrial Property (IMPI)", "MX", "MXN",
                    "https://www.gob.mx/impi"),
             "Mexico", _s("0", 0, "3126.41", months=(4, 8), note=(
                 "MXN 2,695.18 per class plus 16% VAT (MXN 3,126.41); covers examination through to the "
                 "title."))),
    "INPI-BR": (Office("INPI-BR", "Instituto Nacional da Propriedade Industrial (INPI Brazil)", "BR",
                       "BRL", "https://www.gov.br/inpi/pt-br"),
                "Brazil", _s("0", 0, "880", months=(12, 24), note=(
                    "Single fee per class from the August 2025 table, with a pre-approved specification; it "
                    "now includes the first 10-year term. Small companies and individuals get a 50% "
                    "discount; free-text specifications cost more."))),
    "IPI": (Office("IPI", "Swiss Federal Institute of Intellectual Property (IPI)", "CH", "CHF",
                   "https://www.ige.ch/en/"),
            "Switzerland", _s("550", 3, "100", months=(3, 6), note=(
                "CHF 550 covers up to three classes, CHF 100 for each further class; accelerated examination "
                "costs CHF 400 more."))),
    "PRV": (Office("PRV", "Swedish Intellectual Property Office (PRV)", "SE", "SEK",
                   "https://www.prv.se/en/"),
            "Sweden", _s("2400", 1, "900", months=(3, 5), note=(
                "E-filing fee SEK 2,400 including one class (since 18 March 2023); the per-class fee for "
                "each further class is shown as SEK 900 and should be confirmed on PRV's fee list."))),
    "IPOI": (Office("IPOI", "Intellectual Property Office of Ireland (IPOI)", "IE", "EUR",
                    "https://ipoi.gov.ie/en/types-of-ip/trade-marks/statutory-trade-mark-fees/"),
             "Ireland", _s("70", 1, "70", months=(6, 9), note=(
                 "EUR 70 per class on application; a registration fee of EUR 177 (any number of classes) is "
                 "due once the mark is accepted; renewal EUR 250 plus EUR 125 per additional class."))),
    "IPD-HK": (Office("IPD-HK", "Intellectual Property Department, Hong Kong (IPD)", "HK", "HKD",
                      "https://www.ipd.gov.hk/"),
               "Hong Kong", _s("2000", 1, "1000", months=(6, 9), note=(
                   "HKD 2,000 for the first class, HKD 1,000 for each additional class."))),
    "CNIPA": (Office("CNIPA", "China National Intellectual Property Administration (CNIPA)", "CN", "CNY",
                     "https://sbj.cnipa.gov.cn/"),
              "China", _s("0", 0, "270", months=(9, 12), note=(
                  "CNY 270 per class for online filing covering up to 10 goods or services; CNY 27 for each "
                  "item beyond 10."))),
    "CIPC": (Office("CIPC", "Companies and Intellectual Property Commission (CIPC)", "ZA", "ZAR",
                    "https://www.cipc.co.za/"),
             "South Africa", _s("0", 0, "590", months=(18, 36), note="ZAR 590 per class for e-filing."),
             ),
    "WIPO": (Office("WIPO", "World Intellectual Property Organization (Madrid System)", None, "CHF",
                    "https://www.wipo.int/madrid/en/fees/"),
             "International (WIPO Madrid System)", _s("653", 45, "0", months=(12, 18), note=(
                 "Basic fee CHF 653 (CHF 903 with a colour mark) plus the individual or complementary fee of "
                 "every designated country (see WIPO's fee calculator) and the home office's handling fee; "
                 "needs a home application or registration to base it on."))),
}  # fmt: skip

_BY_COUNTRY = {office.country_code: key for key, (office, _, _) in _OFFICES.items() if office.country_code}
_BY_COUNTRY.update({"BE": "BOIP", "NL": "BOIP", "LU": "BOIP"})

_GENERIC = _s(
    "0",
    0,
    "300",
    months=(6, 18),
    note=(
        "Estimate: this office is not in the table; official fees differ widely. Find the national office "
        "in WIPO's directory and confirm its fee schedule."
    ),
)

_MARK_WORDS = r"(trade ?marks?|marks?|marke|markenanmeldung|marque|marca|marchio|tm)"
_EU_WORDS = r"(eu|eutm|euipo|european union|european|eu ?wide|pan ?european|union europeenne|union europea)"
_EU_ALONE = r"(unionsmarke|eutm|euipo|marque de l union europeenne|marca de la union europea)"
_INTL_WORDS = r"(international|madrid|wipo|worldwide|global|multi ?country)"


def _asks(text: str, scope: str, alone: str | None = None) -> bool:
    """Whether one sentence of the objectives asks for a mark of that scope."""
    for sentence in re.split(r"[.;!?\n]", text):
        words = norm(re.sub(r"[-'’]", " ", sentence))
        if alone and re.search(rf"\b{alone}\b", words):
            return True
        if re.search(rf"\b{scope}\b", words) and re.search(rf"\b{_MARK_WORDS}\b", words):
            return True
    return False


def office_for(place: Place, objectives_text: str = "") -> Office:
    """The office to file with: national by default, EU or Madrid only when the objectives ask."""
    if _asks(objectives_text, _EU_WORDS, _EU_ALONE):
        return _OFFICES["EUIPO"][0]
    if _asks(objectives_text, _INTL_WORDS, r"(madrid protocol|madrid system)"):
        return _OFFICES["WIPO"][0]
    code = _BY_COUNTRY.get(place.country_code or "")
    if code:
        return _OFFICES[code][0]
    label = place.country_name if place.country_code else "the company's country"
    return Office(
        "NATIONAL", f"National trademark office of {label}", place.country_code, "USD", WIPO_DIRECTORY
    )


def offices_for(place: Place, objectives_text: str = "") -> tuple[Office, ...]:
    """Where to file: `office_for`'s office, then the national office of each other country a
    trademark objective names ("Register the trademark in Canada and the US": CIPO, then USPTO)."""
    first = office_for(place, objectives_text)
    offices = [first]
    for sentence in re.split(r"[.;!?\n]", objectives_text):
        if not re.search(rf"\b{_MARK_WORDS}\b", norm(re.sub(r"[-'’]", " ", sentence))):
            continue
        for code in countries_named(sentence):
            if first.code == "EUIPO" and code in EU_MEMBERS:
                continue  # the EU mark covers it
            key = _BY_COUNTRY.get(code)
            office = _OFFICES[key][0] if key else None
            if office is not None and office not in offices:
                offices.append(office)
    return tuple(offices)


def _entry(office: Office) -> tuple[str, _Schedule]:
    if office.code in _OFFICES:
        _, jurisdiction, schedule = _OFFICES[office.code]
        return jurisdiction, schedule
    label = office.name.removeprefix("National trademark office of ")
    return label, _GENERIC


def filing_fact(office: Office, classes: tuple[int, ...]) -> Fact:
    """The government filing fee for these classes under the office's own fee structure."""
    if not classes:
        raise ValueError("a trademark filing needs at least one Nice class")
    jurisdiction, schedule = _entry(office)
    count = len(classes)
    plural = "class" if count == 1 else "classes"
    return fact(
        id=f"trademark:{office.country_code or office.code}:{office.code}:{count}",
        what=f"{office.name} trademark application, {count} {plural} ({', '.join(map(str, classes))})",
        jurisdiction=jurisdiction,
        amount=schedule.amount(count),
        currency=office.currency,
        source_url=office.source_url,
        note=schedule.note,
        classes=tuple(classes),
    )


def registration_months(office: Office) -> tuple[int, int]:
    """Typical months from filing to registration when nothing is opposed."""
    return _entry(office)[1].months


def offices() -> tuple[Office, ...]:
    """Every office in the table, for listings and tests."""
    return tuple(office for office, _, _ in _OFFICES.values())


def all_filing_facts() -> tuple[Fact, ...]:
    """Filing facts for one to four classes at every office, so tests can audit each figure."""
    sample = (35, 9, 42, 41)
    return tuple(filing_fact(office, sample[:count]) for office in offices() for count in range(1, 5))
