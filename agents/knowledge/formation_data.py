"""Company formation costs outside the US: the standard private company of each country.

Where the cost is mostly notary or publication charges rather than one government fee (Germany,
France, Spain, the Netherlands, India), the amount is a typical total and the note says so.
Minimum capital is listed only where company law requires paid-in capital.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryFormation:
    key: str  # short entity key used in Fact ids, e.g. "gmbh"
    entity: str
    jurisdiction: str
    what: str
    amount: str
    currency: str
    source_url: str
    note: str
    why: str
    why_fundraising: str
    capital: tuple[str, str] | None = None  # (amount, note) when the law requires paid-in capital


FORMATIONS: dict[str, CountryFormation] = {
    "CA": CountryFormation(
        "cbca",
        "Federal corporation (CBCA)",
        "Canada (federal)",
        "Corporations Canada online federal incorporation (Canada Business Corporations Act), filing fee",
        "200",
        "CAD",
        "https://ised-isde.canada.ca/site/corporations-canada/en",
        "A federal corporation must also register extra-provincially in each province where it carries "
        "on business (fees vary by province), and a named company needs a NUANS name search report.",
        "A federal corporation can use its name across Canada, which suits a company selling nationally.",
        "Canadian investors routinely back CBCA corporations; share classes and option plans are standard, "
        "and a Canadian-controlled private corporation can claim SR&ED tax credits.",
    ),
    "GB": CountryFormation(
        "ltd",
        "Private limited company (Ltd)",
        "United Kingdom (Companies House)",
        "Companies House online incorporation of a private company limited by shares, filing fee",
        "100",
        "GBP",
        "https://www.gov.uk/limited-company-formation",
        "Online fee as raised on 1 February 2026 (GBP 50 from May 2024 until then); confirm on the "
        "Companies House fees page. The yearly confirmation statement carries its own fee.",
        "A Ltd is set up online in a day or two, limits liability and is the standard UK trading vehicle.",
        "UK angels expect a Ltd: SEIS and EIS tax reliefs, which drive most seed rounds, apply only to "
        "shares in a UK company.",
    ),
    "IE": CountryFormation(
        "ltd",
        "Private company limited by shares (LTD)",
        "Ireland (Companies Registration Office)",
        "CRO online incorporation (Form A1 through CORE), filing fee",
        "50",
        "EUR",
        "https://cro.ie/",
        "EUR 100 on paper; an annual return (Form B1) is due every year.",
        "An LTD is the standard Irish company: one director can run it and liability is limited.",
        "Irish seed investors and Enterprise Ireland back Irish LTDs, and EIIS relief applies to their "
        "shares.",
    ),
    "DE": CountryFormation(
        "gmbh",
        "GmbH (Gesellschaft mit beschränkter Haftung)",
        "Germany (Handelsregister)",
        "Typical cost to found a GmbH: notarised articles plus commercial register entry",
        "900",
        "EUR",
        "https://www.existenzgruender.de/",
        "Estimate: notary and register fees (set by GNotKG and HRegGebV) usually total EUR 800–1,000. "
        "A UG (haftungsbeschränkt) can start with EUR 1 of capital but must retain a quarter of its "
        "profits until it reaches EUR 25,000.",
        "A GmbH limits liability and is the form German banks, landlords and customers expect.",
        "German VCs invest in GmbHs; share transfers need a notary, so keep the cap table simple and use "
        "a virtual share (VSOP) plan for staff.",
        (
            "25000",
            (
                "paid-in capital, not a fee: EUR 25,000 share capital, of which at least EUR 12,500 "
                "must be paid in before registration"
            ),
        ),
    ),
    "FR": CountryFormation(
        "sas",
        "SAS (société par actions simplifiée)",
        "France (guichet unique, INPI)",
        "Typical government cost to register an SAS: greffe registration, legal notice and "
        "beneficial-owner filing",
        "250",
        "EUR",
        "https://formalites.entreprises.gouv.fr/",
        "Estimate: greffe registration about EUR 37, beneficial-owner declaration about EUR 21 and the "
        "legal notice (annonce légale, a flat rate set each year, roughly EUR 150–200).",
        "An SAS lets the founders set governance in the statutes and limits liability.",
        "French investors and Bpifrance back SAS companies: preference shares and BSPCE employee "
        "warrants are available to share companies such as the SAS.",
        ("1", "paid-in capital, not a fee: an SAS has no legal minimum, EUR 1 is enough"),
    ),
    "ES": CountryFormation(
        "sl",
        "SL (sociedad de responsabilidad limitada)",
        "Spain (Registro Mercantil)",
        "Typical cost to form an SL: notary deed, Registro Mercantil entry and name certificate",
        "600",
        "EUR",
        "https://paeelectronico.es/",
        "Estimate: notary and registry fees plus the name certificate from the Registro Mercantil Central "
        "usually total EUR 500–700; forming online through CIRCE with standard statutes costs less.",
        "An SL is the standard Spanish company for small and medium businesses, with limited liability.",
        "Spanish investors back SLs, and the 2022 Startups Law (Ley 28/2022) gives certified startups tax "
        "and stock-option advantages.",
        (
            "1",
            (
                "paid-in capital, not a fee: EUR 1 minimum since Law 18/2022; below EUR 3,000 the company "
                "must put 20% of profits into reserves"
            ),
        ),
    ),
    "NL": CountryFormation(
        "bv",
        "BV (besloten vennootschap)",
        "Netherlands (Kamer van Koophandel)",
        "KvK registration fee plus a typical notary fee to incorporate a BV",
        "582.25",
        "EUR",
        "https://www.kvk.nl/en/",
        "KvK one-off registration fee EUR 82.25 plus the notarial deed of incorporation, typically from "
        "about EUR 500.",
        "A BV limits liability and is the usual Dutch vehicle once profits justify corporate tax.",
        "Dutch investors invest in BVs; a holding BV above the operating BV is common for founders.",
        ("0.01", "paid-in capital, not a fee: a BV needs at least one share, so EUR 0.01 is the minimum"),
    ),
    "AU": CountryFormation(
        "pty",
        "Proprietary limited company (Pty Ltd)",
        "Australia (ASIC)",
        "ASIC registration of an Australian company having share capital (Pty Ltd)",
        "611",
        "AUD",
        "https://asic.gov.au/for-business/payments-fees-and-invoices/asic-fees/"
        "fees-for-commonly-lodged-documents/",
        "2025–26 figure (AUD 597 in 2024–25); ASIC indexes this fee every 1 July, and an annual review fee "
        "applies from the first anniversary.",
        "A Pty Ltd limits liability and is the standard Australian small-business company.",
        "Australian investors back Pty Ltd companies; the ESIC early-stage investor tax offset and ESS "
        "startup concessions apply to them.",
    ),
    "NZ": CountryFormation(
        "ltd",
        "Limited company (Ltd)",
        "New Zealand (Companies Office)",
        "Companies Office name reservation and company incorporation (fee and levies, excluding GST)",
        "128.74",
        "NZD",
        "https://www.companiesoffice.govt.nz/",
        "NZD 10 name reservation plus NZD 118.74 incorporation under the schedule in force since July "
        "2022; MBIE's 2025 fees review proposed a lower incorporation charge, so confirm the current figure.",
        "A limited company is quick to register online and limits the owners' liability.",
        "New Zealand angels and funds invest in limited companies; share classes and option plans are "
        "simple to set up under the Companies Act 1993.",
    ),
    "IN": CountryFormation(
        "pvt",
        "Private Limited Company (Pvt Ltd)",
        "India (Ministry of Corporate Affairs, SPICe+)",
        "Typical government cost to incorporate a private limited company through SPICe+",
        "3000",
        "INR",
        "https://www.mca.gov.in/",
        "Estimate: name reservation INR 1,000; MCA filing fees are nil for authorised capital up to "
        "INR 15 lakh; state stamp duty on the MoA and AoA varies by state, from a few hundred to a few "
        "thousand rupees. Digital signature certificates and professional fees are extra.",
        "A Pvt Ltd limits liability and is what Indian banks and enterprise customers expect.",
        "Indian VCs invest in Pvt Ltd companies, and DPIIT startup recognition adds tax and compliance "
        "relief; startups raising mainly from US funds often add a Delaware parent.",
    ),
    "SG": CountryFormation(
        "pte",
        "Private limited company (Pte. Ltd.)",
        "Singapore (ACRA)",
        "ACRA name application (SGD 15) and company registration (SGD 300) through BizFile",
        "315",
        "SGD",
        "https://www.acra.gov.sg/",
        "Paid together online; the annual return then costs SGD 60 a year.",
        "A Pte. Ltd. is registered within a day and limits liability; it needs a locally resident director.",
        "Regional investors routinely back Singapore holding companies, which also suit expansion across "
        "South-East Asia.",
    ),
    "JP": CountryFormation(
        "gk",
        "Godo Kaisha (GK)",
        "Japan (Legal Affairs Bureau)",
        "Registration licence tax to register a Godo Kaisha (0.7% of capital, JPY 60,000 minimum)",
        "60000",
        "JPY",
        "https://www.nta.go.jp/taxes/shiraberu/taxanswer/inshi/7191.htm",
        "A GK's articles need no notary; JPY 40,000 stamp duty applies only to paper articles.",
        "A GK is the cheapest Japanese company to form and run, and its members have limited liability.",
        "Japanese VCs expect a Kabushiki Kaisha (KK), which issues share classes and stock options in the "
        "usual way.",
    ),
}

# Variants a caller can ask for by entity key.
VARIANTS: dict[tuple[str, str], CountryFormation] = {
    ("DE", "ug"): CountryFormation(
        "ug",
        "UG (haftungsbeschränkt)",
        "Germany (Handelsregister)",
        "Typical cost to found a UG using the statutory sample protocol: notary plus register entry",
        "400",
        "EUR",
        "https://www.existenzgruender.de/",
        "Estimate: with the sample protocol, notary and register fees usually total EUR 300–500.",
        "A UG is a GmbH with as little as EUR 1 of capital, for founders who cannot yet put in EUR 12,500.",
        "Investors usually ask a UG to convert into a GmbH before a priced round.",
        (
            "1",
            (
                "paid-in capital, not a fee: EUR 1 minimum; a quarter of each year's profit must be "
                "retained until capital reaches EUR 25,000"
            ),
        ),
    ),
    ("JP", "kk"): CountryFormation(
        "kk",
        "Kabushiki Kaisha (KK)",
        "Japan (Legal Affairs Bureau)",
        "Registration licence tax to register a Kabushiki Kaisha (0.7% of capital, JPY 150,000 minimum)",
        "150000",
        "JPY",
        "https://www.nta.go.jp/taxes/shiraberu/taxanswer/inshi/7191.htm",
        "Plus notarisation of the articles (JPY 30,000–50,000 depending on capital) and JPY 40,000 stamp "
        "duty if the articles are on paper.",
        "A KK is the Japanese joint-stock company that customers and banks recognise most readily.",
        "Japanese VCs expect a KK: it can issue classes of shares and stock options in the usual way.",
    ),
}

NOTARY_KK = ("50000", "Estimate: notary's fee for certifying a KK's articles, JPY 30,000–50,000 by capital")

GENERIC = CountryFormation(
    "company",
    "Private limited company (local form)",
    "",
    "Estimated government cost to register a private limited company",
    "500",
    "USD",
    "https://www.worldbank.org/en/programs/business-enabling-environment",
    "Estimate: no formation table for this country yet; registration costs vary widely, so confirm "
    "with the national business registry before budgeting.",
    "A private limited company is the usual way to limit the founders' liability.",
    "Investors generally expect a share company they can take equity in.",
)
