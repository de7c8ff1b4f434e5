"""Industry patterns: brand positioning, the channel mix that usually works, regulatory notes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class IndustryProfile:
    key: str
    audience: str
    positioning: str
    tone: str
    proof_points: tuple[str, ...]
    channels: tuple[tuple[str, int], ...]  # (channel, percent of paid media) adding up to 100
    regulatory: tuple[str, ...] = ()
    # What content about selling more features: a hotel sells rooms, not "best sellers".
    offer: str = "best sellers"
    # The content calendar's proof piece, as this trade's readers know it: a bakery's customers
    # read about the people behind the bread, not a "case study".
    story: str = "Customer story"
    # What its customers book when the site takes bookings (a subscription in knowledge/market.py).
    booking: str = "appointments"


PROFILES: dict[str, IndustryProfile] = {
    "technology": IndustryProfile(
        "technology",
        "technical buyers and the managers who sign off on tools",
        "the fastest way to a measurable result, without the integration pain",
        "clear, confident, evidence-led",
        ("time-to-value in days", "security and uptime commitments", "customer case studies"),
        (("Search ads", 30), ("LinkedIn ads", 25), ("Content syndication", 15),
         ("Webinars and events", 20), ("Email nurture", 10)),
        ("Privacy policy and data processing terms (GDPR/CCPA) before collecting user data",),
        offer="what customers get done with it",
        story="Case study",
    ),
    "healthcare": IndustryProfile(
        "healthcare",
        "patients, clinicians and practice managers",
        "safe, compliant care that is easier to reach",
        "reassuring, precise, plain-spoken",
        ("clinical credentials", "privacy safeguards", "outcomes and patient reviews"),
        (("Local search ads", 35), ("Referral partnerships", 20), ("Social ads", 20),
         ("Community events", 15), ("Email", 10)),
        ("HIPAA (US) or GDPR special-category rules for health data",
         "Advertising rules for health claims (FTC / ASA / national regulators)",
         "Professional licensing for every clinical service offered"),
        offer="the treatments patients ask about",
        story="Consented patient story",
    ),
    "finance": IndustryProfile(
        "finance",
        "customers who compare trust, fees and convenience",
        "transparent money management people can trust",
        "trustworthy, transparent, calm",
        ("licences and regulator registrations", "fee transparency", "security certifications"),
        (("Search ads", 35), ("Comparison sites and affiliates", 25), ("Social ads", 15),
         ("Content and SEO", 15), ("Email", 10)),
        ("Financial promotions rules (SEC/FINRA, FCA, or national regulator)",
         "KYC/AML obligations and money-transmitter or e-money licensing",
         "Consumer credit and disclosure requirements"),
        offer="the products clients choose most",
        story="Client story",
    ),
    "retail": IndustryProfile(
        "retail",
        "shoppers who discover products on social and search",
        "products worth talking about, delivered without friction",
        "warm, vivid, energetic",
        ("reviews and user photos", "returns policy", "delivery speed"),
        (("Paid social", 35), ("Shopping and search ads", 25), ("Influencer partnerships", 15),
         ("Marketplace ads", 15), ("Email and SMS", 10)),
        ("Consumer protection: returns, pricing and product-safety labelling",),
    ),
    "food": IndustryProfile(
        "food",
        "local diners and repeat customers",
        "a place people come back to and recommend",
        "friendly, sensory, local",
        ("reviews and ratings", "signature dishes", "local sourcing"),
        (("Local search and maps", 30), ("Paid social", 30), ("Delivery-app promotion", 20),
         ("Local events", 10), ("Email and SMS", 10)),
        ("Food business registration, hygiene inspection and allergen labelling",),
        offer="the dishes people come back for",
        story="Behind-the-scenes feature",
        booking="table_reservations",
    ),
    "education": IndustryProfile(
        "education",
        "learners and the people who pay for their learning",
        "learning that leads to a visible outcome",
        "encouraging, credible, clear",
        ("learner outcomes", "accreditation", "instructor credentials"),
        (("Search ads", 30), ("Social ads", 25), ("Partnerships", 20), ("Webinars", 15),
         ("Email", 10)),
        ("Student data privacy (FERPA/COPPA in the US, GDPR elsewhere)",),
        offer="the courses learners choose most",
        story="Student success story",
    ),
    "professional services": IndustryProfile(
        "professional services",
        "decision makers choosing an expert partner",
        "senior expertise that solves the problem the first time",
        "authoritative, concise, human",
        ("case studies", "named experts", "client testimonials"),
        (("LinkedIn ads", 30), ("Search ads", 25), ("Events and speaking", 20),
         ("Referral programme", 15), ("Email", 10)),
        ("Professional indemnity insurance and engagement-letter terms",),
        offer="the problems clients bring",
        story="Case study",
    ),
    "hospitality": IndustryProfile(
        "hospitality",
        "travellers comparing places to stay, and the guests who come back",
        "a stay worth booking direct and recommending",
        "welcoming, vivid, attentive",
        ("guest reviews", "the rooms and the view", "the best rate when booking direct"),
        # No online-travel-agency promotion: it buys bookings that pay commission instead of direct ones.
        (("Search and metasearch ads", 40), ("Paid social", 30), ("Email to past guests", 15),
         ("Local partnerships", 15)),
        ("Tourist accommodation registration and local short-stay rules",
         "Fire safety and food hygiene rules where meals are served"),
        offer="the rooms and the reasons to book direct",
        story="Guest story",
        booking="booking_engine",
    ),
    "fitness": IndustryProfile(
        "fitness",
        "local people who want a routine they will keep",
        "the place that makes training a habit",
        "energetic, encouraging, direct",
        ("member results", "class variety and timetable", "qualified coaches"),
        (("Local search and maps", 30), ("Paid social", 35), ("Referral offers", 15),
         ("Local events", 10), ("Email and SMS", 10)),
        ("Membership contract and cancellation rules (consumer law)",
         "Health screening and waiver before training"),
        offer="the classes members love",
        story="Member story",
    ),
    "nonprofit": IndustryProfile(
        "nonprofit",
        "donors, volunteers and the community the mission serves",
        "a cause where every gift visibly changes something",
        "warm, honest, hopeful",
        ("impact stories", "how each gift is spent", "volunteer voices"),
        (("Paid social", 35), ("Search ads (nonprofit ad grants)", 25), ("Email appeals", 20),
         ("Community events", 10), ("Partnerships", 10)),
        ("Charitable solicitation registration and gift receipting rules",),
        offer="the work each gift pays for",
        story="Impact story",
    ),
    "manufacturing": IndustryProfile(
        "manufacturing",
        "buyers and specifiers who order on quality, price and delivery",
        "the supplier that delivers to spec and on time",
        "precise, dependable, plain",
        ("specifications and certifications", "delivery record", "reference customers"),
        (("Search ads", 35), ("LinkedIn ads", 20), ("Trade shows", 20), ("Trade directories", 15),
         ("Email", 10)),
        ("Product safety, standards and labelling for the goods sold",),
        offer="the products customers order most",
        story="Case study",
    ),
}
GENERIC = IndustryProfile(
    "general",
    "the customers who feel the problem most sharply",
    "the most dependable choice in its category",
    "clear, friendly, confident",
    ("customer stories", "a simple guarantee", "transparent pricing"),
    (("Search ads", 30), ("Paid social", 30), ("Partnerships", 15), ("Content promotion", 15),
     ("Email", 10)),
)
ALIASES: dict[str, str] = {
    "software": "technology", "saas": "technology", "tech": "technology", "ai": "technology",
    "app": "technology", "fitness app": "technology", "game studio": "technology", "games": "technology",
    "robotics": "technology", "analytics": "technology", "platform": "technology",
    "health": "healthcare", "medical": "healthcare", "pharma": "healthcare", "pharmaceuticals": "healthcare",
    "dental": "healthcare", "dentist": "healthcare", "clinic": "healthcare", "physiotherapy": "healthcare",
    "veterinary": "healthcare", "optician": "healthcare", "therapy": "healthcare",
    "fintech": "finance", "banking": "finance", "insurance": "finance", "financial services": "finance",
    "ecommerce": "retail", "e-commerce": "retail", "fashion": "retail", "consumer goods": "retail",
    "cosmetics": "retail", "beauty": "retail", "skincare": "retail", "florist": "retail", "flowers": "retail",
    "candle maker": "retail", "candles": "retail", "stationery": "retail", "boutique": "retail",
    "resale": "retail", "shop": "retail", "store": "retail", "jewellery": "retail", "jewelry": "retail",
    "furniture": "retail", "ceramics": "retail", "pottery": "retail", "scooter": "retail",
    "restaurant": "food", "food & beverage": "food", "food and beverage": "food", "bakery": "food",
    "boulangerie": "food", "patisserie": "food", "cafe": "food", "café": "food", "coffee": "food",
    "tea": "food", "brewery": "food", "taproom": "food", "distillery": "food", "winery": "food",
    "bar": "food", "pub": "food", "catering": "food", "food truck": "food", "olive oil": "food",
    "hotel": "hospitality", "hostel": "hospitality", "guesthouse": "hospitality", "b&b": "hospitality",
    "resort": "hospitality", "hospitality": "hospitality",
    "gym": "fitness", "fitness": "fitness", "yoga": "fitness", "pilates": "fitness", "crossfit": "fitness",
    "edtech": "education", "school": "education", "academy": "education", "tutoring": "education",
    "consulting": "professional services", "legal services": "professional services",
    "agency": "professional services", "law firm": "professional services", "accounting": "professional services",
    "accountants": "professional services", "recruitment": "professional services",
    "architecture": "professional services",
    "charity": "nonprofit", "nonprofit": "nonprofit", "non-profit": "nonprofit", "ngo": "nonprofit",
    "foundation": "nonprofit", "animal shelter": "nonprofit",
    "manufacturer": "manufacturing", "manufacturing": "manufacturing", "supplier": "manufacturing",
    "wholesale": "manufacturing", "factory": "manufacturing",
}  # fmt: skip
# Longest first, so "fitness app" is technology before "fitness" claims it; whole words only, so
# "ai" no longer matches "retail" or "hair salon".
_ALIAS_PATTERNS = tuple((re.compile(rf"(?<![\w&-]){re.escape(alias)}(?![\w&-])"), target)
                        for alias, target in sorted(ALIASES.items(), key=lambda item: -len(item[0])))


def profile_for(industry: str) -> IndustryProfile:
    """The closest known profile; a generic one for industries we have no pattern for."""
    key = " ".join(industry.strip().lower().split())
    key = ALIASES.get(key, key)
    if key in PROFILES:
        return PROFILES[key]
    for pattern, target in _ALIAS_PATTERNS:
        if pattern.search(key):
            return PROFILES[target]
    for name, profile in PROFILES.items():
        if re.search(rf"\b{re.escape(name)}\b", key):
            return profile
    return GENERIC


def channel_split(industry: str, media_budget: Decimal) -> list[tuple[str, Decimal]]:
    """Split a paid-media budget over the industry's channel mix; the parts add up exactly."""
    mix = profile_for(industry).channels
    parts: list[tuple[str, Decimal]] = []
    remaining = media_budget
    for index, (channel, percent) in enumerate(mix):
        if index == len(mix) - 1:
            amount = remaining
        else:
            amount = (media_budget * percent / 100).quantize(Decimal("0.01"))
            remaining -= amount
        parts.append((channel, amount))
    return parts
