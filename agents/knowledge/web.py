"""Website page plans and build costs by budget tier."""

from __future__ import annotations

import re
from decimal import Decimal

from agents.knowledge.industries import GENERIC, PROFILES
from agents.knowledge.tiers import Tier

BASE_PAGES = ("Home", "About", "Contact", "Privacy policy", "Terms")
# The pages between About and Contact: what visitors of that kind of business come to do.
INDUSTRY_PAGES: dict[str, tuple[str, ...]] = {
    "technology": ("Product tour", "Pricing", "Integrations", "Docs / Help centre", "Security", "Blog"),
    "healthcare": ("Services and conditions", "Clinicians", "Fees and insurance", "Book an appointment",
                   "Patient FAQ"),
    "finance": ("How it works", "Fees", "Security and compliance", "Support"),
    "retail": ("Shop catalogue", "Product pages", "Cart and checkout", "Shipping and returns"),
    "food": ("Menu", "Locations and hours", "Reservations / order online", "Events"),
    "education": ("Courses", "Fees and dates", "Outcomes", "Instructors", "Enrol"),
    "professional services": ("Services", "Case studies", "Team", "Insights"),
    "hospitality": ("Rooms", "Rates and offers", "Book direct", "Location and getting here", "Reviews"),
    "fitness": ("Classes and timetable", "Memberships and prices", "Trainers", "Free trial"),
    "nonprofit": ("Our mission", "Programmes", "Impact", "Donate", "Volunteer"),
    "manufacturing": ("Products", "Specifications and data sheets", "Request a quote", "Where to buy"),
    "general": ("Pricing or Services", "Features", "Customers", "FAQ", "Blog"),
}
# An objective that asks for bookings taken on the site, in the four languages the taxonomy reads.
_ONLINE_BOOKING = re.compile(
    r"\b(?:booking engine|online booking|book(?: \w+){0,2} online|booking system|reservations? system|online reservations?"
    r"|reservations? (?:page|form)|booking (?:page|form)|table (?:booking|reservation)s?"
    r"|(?:reservations|bookings|appointments) online"
    r"|appointment booking|reservas? (?:online|en l[ií]nea)|sistema de reservas|online-?buchung\w*|buchungssystem"
    r"|r[ée]servations? en ligne|moteur de r[ée]servation"
    # Appointments: a clinic's or a salon's bookings.
    r"|online (?:appointments?|scheduling)|citas? (?:online|en l[ií]nea)|online-?termin\w*|terminbuchung\w*"
    r"|termine online|(?:prise de )?rendez-vous en ligne|rdv en ligne)\b",
    re.IGNORECASE,
)


def booking_tool(industry_key: str, texts: list[str]) -> str | None:
    """The subscription (knowledge/market.py SUBSCRIPTIONS) that takes the bookings an objective asks
    the site to take, by what this trade books (IndustryProfile.booking); None when none asks."""
    if not any(_ONLINE_BOOKING.search(text) for text in texts):
        return None
    return PROFILES.get(industry_key, GENERIC).booking


BUILD: dict[Tier, tuple[str, Decimal, Decimal]] = {
    # (approach, build cost as share of budget, yearly hosting / builder plan in USD)
    "starter": ("site builder (Webflow, Squarespace or Framer) with a freelance designer",
                Decimal("0.16"), Decimal("276")),
    "growth": ("custom theme on a headless CMS by a small studio", Decimal("0.14"),
               Decimal("600")),
    "scale": ("agency-built site with design system, CMS and analytics instrumentation",
              Decimal("0.10"), Decimal("3600")),
}  # fmt: skip
DOMAIN_PER_YEAR = Decimal("20")


def page_plan(profile_key: str) -> list[str]:
    """The pages a first version of the site needs."""
    extra = INDUSTRY_PAGES.get(profile_key, INDUSTRY_PAGES["general"])
    return [*BASE_PAGES[:2], *extra, *BASE_PAGES[2:]]
