"""Industry patterns: brand positioning, the channel mix that usually works, regulatory notes."""

from __future__ import annotations

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
    "health": "healthcare", "medical": "healthcare", "pharma": "healthcare",
    "pharmaceuticals": "healthcare", "fintech": "finance", "banking": "finance",
    "insurance": "finance", "financial services": "finance", "ecommerce": "retail",
    "e-commerce": "retail", "fashion": "retail", "consumer goods": "retail",
    "restaurant": "food", "food & beverage": "food", "food and beverage": "food",
    "hospitality": "food", "edtech": "education", "consulting": "professional services",
    "legal services": "professional services", "agency": "professional services",
}  # fmt: skip


def profile_for(industry: str) -> IndustryProfile:
    """The closest known profile; a generic one for industries we have no pattern for."""
    key = industry.strip().lower()
    key = ALIASES.get(key, key)
    if key in PROFILES:
        return PROFILES[key]
    for alias, target in ALIASES.items():
        if alias in key:
            return PROFILES[target]
    for name, profile in PROFILES.items():
        if name in key:
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
