"""Market rates the offline provider prices work with: hourly rates, packages, subscriptions.

These are planning assumptions, not quotes; unlike government fees they have no single official
source, so the report lists them under assumptions with the date they were last reviewed.
"""

from __future__ import annotations

from decimal import Decimal

from agents.knowledge.phrases import fold
from agents.knowledge.tiers import Tier

AS_OF = "2026-11-15"
BASIS = (f"Market rates are typical freelance and small-studio prices in USD, reviewed {AS_OF}; "
         "quotes from local suppliers replace them before money is committed.")

D = Decimal

# USD per hour, by budget tier (starter buys freelancers, scale buys agencies).
HOURLY: dict[str, dict[Tier, Decimal]] = {
    "strategy": {"starter": D("90"), "growth": D("140"), "scale": D("220")},
    "design": {"starter": D("65"), "growth": D("110"), "scale": D("180")},
    "development": {"starter": D("75"), "growth": D("120"), "scale": D("190")},
    "marketing_ops": {"starter": D("70"), "growth": D("100"), "scale": D("160")},
    "legal": {"starter": D("200"), "growth": D("300"), "scale": D("450")},
    "writing": {"starter": D("55"), "growth": D("85"), "scale": D("140")},
}

# Hours a piece of work takes, by tier.
HOURS: dict[str, dict[Tier, int]] = {
    "positioning": {"starter": 6, "growth": 24, "scale": 80},
    "pricing": {"starter": 4, "growth": 16, "scale": 48},
    "loyalty_design": {"starter": 4, "growth": 16, "scale": 60},
    "investor_model": {"starter": 6, "growth": 20, "scale": 60},
    "contracts": {"starter": 2, "growth": 6, "scale": 16},
    "licence_preparation": {"starter": 4, "growth": 12, "scale": 30},
    "nonprofit_preparation": {"starter": 4, "growth": 10, "scale": 24},
    "employment": {"starter": 1, "growth": 3, "scale": 8},
    "privacy": {"starter": 3, "growth": 10, "scale": 30},
    "product_safety": {"starter": 4, "growth": 12, "scale": 30},
    "review_requests": {"starter": 2, "growth": 4, "scale": 10},
    "account_list": {"starter": 6, "growth": 16, "scale": 40},
    "security_policies": {"starter": 6, "growth": 12, "scale": 30},
    "control_setup": {"starter": 10, "growth": 24, "scale": 60},
    "grant_eligibility": {"starter": 2, "growth": 4, "scale": 8},
    "grant_writing": {"starter": 10, "growth": 20, "scale": 40},
    "stand_design": {"starter": 4, "growth": 12, "scale": 40},
    "show_follow_up": {"starter": 3, "growth": 8, "scale": 20},
    "age_checks": {"starter": 2, "growth": 4, "scale": 10},
    "tracking": {"starter": 6, "growth": 20, "scale": 60},
    "local_listing": {"starter": 3, "growth": 8, "scale": 20},
    "crm_setup": {"starter": 2, "growth": 8, "scale": 24},
    "loyalty_setup": {"starter": 3, "growth": 12, "scale": 40},
    "seo": {"starter": 6, "growth": 24, "scale": 80},
    "job_description": {"starter": 2, "growth": 4, "scale": 8},
    "app_build": {"starter": 30, "growth": 240, "scale": 900},
    "shop_setup": {"starter": 12, "growth": 60, "scale": 240},
    "outreach": {"starter": 4, "growth": 16, "scale": 48},
    "donation_setup": {"starter": 2, "growth": 6, "scale": 16},
    "donor_appeal": {"starter": 6, "growth": 20, "scale": 60},
    "volunteer_roles": {"starter": 2, "growth": 4, "scale": 8},
    "volunteer_outreach": {"starter": 4, "growth": 12, "scale": 32},
    "volunteer_agreement": {"starter": 1, "growth": 3, "scale": 6},
}

# Fixed-price packages in USD.
PACKAGES: dict[str, dict[Tier, Decimal]] = {
    "identity": {"starter": D("600"), "growth": D("4000"), "scale": D("25000")},
    "investor_deck": {"starter": D("500"), "growth": D("2500"), "scale": D("9000")},
    "launch_event": {"starter": D("400"), "growth": D("3000"), "scale": D("20000")},
    "sales_deck": {"starter": D("400"), "growth": D("1500"), "scale": D("5000")},
    # Printed backdrop and roll-up banners for a shell-scheme stand, with their stands.
    "stand_graphics": {"starter": D("350"), "growth": D("1200"), "scale": D("5000")},
    "creative_set": {"starter": D("120"), "growth": D("450"), "scale": D("1800")},
    "outreach_samples": {"starter": D("25"), "growth": D("40"), "scale": D("60")},
    "appeal_promotion": {"starter": D("100"), "growth": D("600"), "scale": D("3000")},
    "volunteer_promotion": {"starter": D("50"), "growth": D("300"), "scale": D("1500")},
}

# Website pages: price per page built, by tier.
PAGE_PRICE: dict[Tier, Decimal] = {"starter": D("110"), "growth": D("550"), "scale": D("2400")}

# Monthly subscriptions in USD: (what, price per month) by tier.
SUBSCRIPTIONS: dict[str, dict[Tier, tuple[str, Decimal]]] = {
    "hosting": {"starter": ("Site-builder plan (Squarespace/Wix business tier)", D("23")),
                "growth": ("Managed hosting and headless CMS", D("60")),
                "scale": ("Managed cloud hosting, CDN and CMS", D("350"))},
    "shop_platform": {"starter": ("Shopify Basic", D("39")), "growth": ("Shopify", D("105")),
                      "scale": ("Shopify Advanced", D("399"))},
    "loyalty_platform": {"starter": ("Loyalty app (e.g. Smile.io Starter)", D("49")),
                         "growth": ("Loyalty platform (e.g. Smile.io Growth)", D("199")),
                         "scale": ("Loyalty platform with API (e.g. Smile.io Plus)", D("999"))},
    # What taking bookings online costs a month, by what is booked (knowledge/web.py `booking_tool`).
    "booking_engine": {"starter": ("Booking engine (e.g. Little Hotelier)", D("110")),
                       "growth": ("Booking engine and channel manager (e.g. Cloudbeds)", D("300")),
                       "scale": ("Booking engine, channel manager and PMS (e.g. Mews)", D("900"))},
    "table_reservations": {"starter": ("Table reservations (e.g. ResDiary)", D("60")),
                           "growth": ("Table reservations (e.g. SevenRooms)", D("250")),
                           "scale": ("Reservations and guest CRM (e.g. SevenRooms)", D("600"))},
    "appointments": {"starter": ("Appointment booking (e.g. SimplyBook.me Basic)", D("10")),
                     "growth": ("Appointment booking with payments (e.g. SimplyBook.me Premium)", D("60")),
                     "scale": ("Scheduling with payments and staff calendars (e.g. Acuity Powerhouse)", D("61"))},
    "compliance_platform": {"starter": ("Compliance automation (e.g. Secureframe)", D("600")),
                            "growth": ("Compliance automation (e.g. Vanta)", D("900")),
                            "scale": ("Compliance automation with audit support (e.g. Drata)", D("1700"))},
    "review_requests": {"starter": ("Review requests (e.g. NiceJob)", D("75")),
                        "growth": ("Review requests and replies (e.g. Birdeye)", D("300")),
                        "scale": ("Reviews across locations (e.g. Birdeye)", D("600"))},
    "sales_engagement": {"starter": ("Sales engagement and contact data (e.g. Apollo Basic)", D("59")),
                         "growth": ("Sales engagement and contact data (e.g. Apollo Professional)", D("99")),
                         "scale": ("Sales engagement (e.g. Outreach), one seat", D("130"))},
    "sales_crm": {"starter": ("Sales CRM (HubSpot Sales Hub Starter)", D("20")),
                  "growth": ("Sales CRM (Pipedrive Professional)", D("49")),
                  "scale": ("Sales CRM (HubSpot Sales Hub Professional)", D("100"))},
    "investor_crm": {"starter": ("Investor CRM (Airtable Team)", D("20")),
                     "growth": ("Investor CRM (HubSpot Sales Starter)", D("20")),
                     "scale": ("Investor CRM (Affinity)", D("150"))},
    "donor_crm": {"starter": ("Donor CRM (Little Green Light)", D("45")),
                  "growth": ("Donor CRM (Bloomerang)", D("125")),
                  "scale": ("Donor CRM (Salesforce Nonprofit Cloud)", D("360"))},
    "cookie_consent": {"starter": ("Cookie consent tool (Cookiebot Lite)", D("15")),
                       "growth": ("Consent management (Cookiebot Premium)", D("40")),
                       "scale": ("Consent management (OneTrust)", D("400"))},
    "app_store": {"starter": ("No-code app builder plan (Glide/Adalo)", D("60")),
                  "growth": ("App hosting, push notifications and store fees", D("120")),
                  "scale": ("App infrastructure and monitoring", D("600"))},
}
DOMAIN_PER_YEAR = D("20")
# Below this yearly budget a US charity is likely eligible for the streamlined Form 1023-EZ
# (projected gross receipts up to USD 50,000 a year).
SMALL_NONPROFIT_USD = D("50000")

# Paid media: share of the budget by tier, when the objective names no target.
MEDIA_SHARE: dict[Tier, Decimal] = {"starter": D("0.20"), "growth": D("0.25"), "scale": D("0.30")}
# The least a paid channel needs per month to learn anything (one ad set at small-market prices).
MEDIA_MINIMUM_PER_CHANNEL_MONTH = D("150")
# How many paid channels a budget tier can feed at once.
CHANNELS_BY_TIER: dict[Tier, int] = {"starter": 2, "growth": 4, "scale": 6}
# Below this a channel is not worth running at all, however small the budget.
MEDIA_FLOOR_PER_CHANNEL_MONTH = D("50")
# Channels an objective can name, by the words that name them.
CHANNEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Instagram ads", ("instagram",)), ("Facebook ads", ("facebook", "meta ads")),
    ("TikTok ads", ("tiktok",)), ("LinkedIn ads", ("linkedin",)), ("Google search ads", ("google", "search ads")),
    ("YouTube ads", ("youtube",)), ("Pinterest ads", ("pinterest",)),
)
# Flyers: a print-ready design (front and back) by tier, then per 1,000 pieces: full-colour A5 /
# half-letter printing on 150 gsm at an online printer, and hand distribution.
FLYER_DESIGN: dict[Tier, Decimal] = {"starter": D("90"), "growth": D("250"), "scale": D("800")}
PRINT_PER_THOUSAND = D("60")
DELIVERY_PER_THOUSAND = D("90")
FLYER_RUN_DEFAULT = 1000  # pieces, when the objective names no number
# A 30-day sponsored job post on a mainstream board.
JOB_POST_30_DAYS = D("300")
# Local opening campaign: weekly spend by tier, over four weeks.
OPENING_WEEKLY: dict[Tier, Decimal] = {"starter": D("120"), "growth": D("600"), "scale": D("2500")}

# Typical paid cost per acquisition in USD by what the target counts (search + social, small market).
COST_PER_ACQUISITION: dict[str, Decimal] = {
    "patient": D("150"), "client": D("120"), "customer": D("45"), "user": D("12"),
    "signup": D("8"), "subscriber": D("4"), "lead": D("40"), "member": D("60"), "student": D("90"),
    "donor": D("80"), "download": D("3"), "booking": D("35"), "follower": D("1.5"),
    "order": D("30"), "guest": D("40"), "visitor": D("1.2"),
}
DEFAULT_CPA = D("40")
# The same units in Spanish, German and French (stems, folded): "40 pacientes nuevos" are patients.
FOREIGN_UNITS: tuple[tuple[str, str], ...] = (
    ("pacient", "patient"), ("kund", "customer"), ("mitglied", "member"), ("miembro", "member"),
    ("socio", "member"), ("adherent", "member"), ("membre", "member"), ("usuario", "user"), ("nutzer", "user"),
    ("utilisateur", "user"), ("alumno", "student"), ("estudiante", "student"), ("schuler", "student"),
    ("eleve", "student"), ("etudiant", "student"), ("suscriptor", "subscriber"), ("abonnent", "subscriber"),
    ("abonne", "subscriber"), ("seguidor", "follower"), ("reserva", "booking"), ("buchung", "booking"),
    ("reservation", "booking"), ("pedido", "order"), ("bestellung", "order"), ("commande", "order"),
    ("huesped", "guest"), ("gast", "guest"), ("gaste", "guest"), ("donante", "donor"), ("spender", "donor"),
    ("donateur", "donor"), ("descarga", "download"), ("telechargement", "download"), ("visitante", "visitor"),
    ("besucher", "visitor"), ("visiteur", "visitor"), ("registro", "signup"), ("anmeldung", "signup"),
    ("inscription", "signup"),
)


def cost_per_acquisition(unit: str) -> tuple[str, Decimal]:
    """The acquisition unit a target counts ('new patients' -> patient, 'pacientes' too) and its typical price."""
    lowered = fold(unit)
    for word, price in COST_PER_ACQUISITION.items():
        if word in lowered:
            return word, price
    for stem, word in FOREIGN_UNITS:
        if stem in lowered:
            return word, COST_PER_ACQUISITION[word]
    return "customer", DEFAULT_CPA


def named_channels(text: str) -> list[str]:
    """The paid channels an objective names ('Run Instagram ads' -> Instagram ads)."""
    lowered = text.lower()
    return [channel for channel, words in CHANNEL_WORDS if any(word in lowered for word in words)]
