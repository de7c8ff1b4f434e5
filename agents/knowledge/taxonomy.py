"""What kind of outcome each objective asks for, so the planner can account for every one of them.

Matching keywords straight to specialists dropped objectives it had no word for ("Raise a seed
round", "Get the 501(c)(3)") and gave unrelated objectives the same plan. Here every objective is
classified into one kind with its own specialists, prerequisites and out-of-scope work; the synonym
that matched is kept so the report can say why. Synonyms live in `taxonomy_words`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from agents.knowledge.phrases import Hit, Phrase, language_of, words_of
from agents.knowledge.targets import Target, target_of
from agents.knowledge.taxonomy_words import GROUPS, ORDER, phrases

__all__ = ["KINDS", "Classification", "ObjectiveKind", "Target", "classify", "kinds_of"]


@dataclass(frozen=True)
class ObjectiveKind:
    key: str
    label: str
    agents: tuple[str, ...]  # specialists that serve it, most important first
    needs: tuple[str, ...]  # kinds that must be in place first (acyclic)
    outside_scope: str  # work the team cannot do for this kind, with its typical cost; "" when none


@dataclass(frozen=True)
class Classification:
    kind: str | None  # None when nothing matched
    label: str
    matched: str  # the words of the objective that matched, as written
    language: str  # "en" | "es" | "de" | "fr"
    target: Target | None  # a quantity the objective asks for, if any


def _kind(key: str, label: str, agents: str, needs: str = "", outside: str = "") -> ObjectiveKind:
    return ObjectiveKind(key, label, tuple(agents.split()), tuple(needs.split()), outside)


KINDS: dict[str, ObjectiveKind] = {kind.key: kind for kind in (
    _kind("launch", "Launch", "branding webdev campaigns content martech legal", "brand website"),
    _kind("formation", "Company formation", "legal",
          outside="Accountant for tax registrations and first-year bookkeeping (typically $500–$2,000)"),
    _kind("trademark", "Trademark", "legal branding", "brand",
          "Trademark attorney for clearance opinions, office actions or oppositions "
          "(typically $500–$2,000 per mark)"),
    _kind("security_audit", "Security certification", "legal martech", "formation",
          "The auditor's fee (a CPA firm for SOC 2, typically $10,000–$30,000 for a Type I report and more "
          "for Type II; an accredited body for ISO 27001) and a penetration test ($5,000–$20,000)"),
    _kind("product_safety", "Product safety and certification", "legal",
          outside="An accredited test lab's testing and certification fees (typically $5,000–$50,000 a "
          "product model, by standard and product) and any design changes the tests call for"),
    _kind("licensing", "Licence or authorisation", "legal content", "formation",
          "Regulatory counsel and the regulator's own fees: a food or liquor licence typically "
          "$100–$5,000; a financial-services authorisation $20,000–$100,000 in advisory fees"),
    _kind("nonprofit", "Nonprofit or charity status", "legal content", "formation",
          "Nonprofit counsel or accountant for the exemption application (typically $1,000–$5,000; "
          "the IRS Form 1023 fee alone is $600)"),
    _kind("fundraising", "Fundraising", "content branding martech legal", "formation",
          "Securities counsel for the investment documents (typically $10,000–$30,000 for a priced "
          "seed round, less for SAFEs); crowdfunding platforms keep 5–10% of the amount raised"),
    _kind("grants", "Grant application", "content branding legal", "formation",
          "The funder's assessment, the matched funding most grants require (often 30–50% of the project "
          "from the company's own money) and the reporting after an award"),
    _kind("donations", "Donations", "campaigns webdev martech content",
          outside="Payment processing on each gift (typically 2–3% plus a small fixed fee) and a grant "
          "writer for foundation applications (typically $50–$150 an hour)"),
    _kind("volunteers", "Volunteers", "campaigns webdev legal content",
          outside="Background checks for volunteers who work with children or vulnerable adults "
          "(typically $20–$60 each) and volunteer insurance"),
    _kind("hiring", "Hiring", "content webdev campaigns", "formation",
          "Recruiter or agency fees (typically 15–25% of first-year salary) and payroll set-up"),
    _kind("new_location", "New location", "campaigns martech content legal", "licensing",
          "Lease, fit-out, equipment and staff for the new premises (often $50,000–$500,000)"),
    _kind("local_listings", "Local listings", "martech content"),
    _kind("loyalty", "Loyalty and retention", "martech webdev content"),
    _kind("ecommerce", "Online shop", "webdev martech legal content", "formation",
          "Stock, fulfilment and card processing (typically 2–3% of each sale)"),
    _kind("b2b_sales", "Business customers (outbound sales)", "campaigns martech content branding", "website",
          "Sales salaries or commission (often 10–20% of a first-year contract), travel to the buyers, and the "
          "security questionnaires, legal review and procurement paperwork large customers ask for"),
    _kind("customer_acquisition", "Customer acquisition", "campaigns martech content", "website"),
    _kind("website", "Website", "webdev content martech", "brand"),
    _kind("mobile_app", "Mobile app", "webdev martech content", "brand",
          "App store accounts (Apple $99 a year, Google Play $25 once) and native features beyond a "
          "cross-platform build (typically $30,000–$150,000)"),
    _kind("content_seo", "Content and SEO", "content martech webdev", "website"),
    _kind("social", "Social media", "content campaigns branding", "brand"),
    _kind("advertising", "Advertising", "campaigns content martech", "website"),
    _kind("brand", "Brand", "branding content"),
    _kind("reviews", "Reviews and ratings", "martech content"),
    _kind("awareness", "Awareness and reputation", "campaigns content branding", "brand",
          "PR agency for press coverage (typically $3,000–$10,000 a month)"),
    _kind("partnerships", "Partnerships and distribution", "campaigns content legal", "brand",
          "Sales representation with buyers (typically 10–20% commission) and distributor margins"),
    _kind("trade_show", "Trade show", "campaigns branding content", "brand",
          "Stand space and the organiser's fees (typically $2,000–$20,000 a stand), furniture hire, "
          "travel and freight of the goods shown"),
    _kind("events", "Events", "campaigns content branding", "brand",
          "Venue hire and catering for an event away from your own premises, and stand fees at a trade "
          "show (typically $2,000–$20,000 a stand)"),
    _kind("international", "International expansion", "legal webdev campaigns content", "trademark",
          "Local counsel, tax adviser and any local entity in the new market "
          "(typically $2,000–$10,000 to set up)"),
    _kind("print", "Print and flyers", "campaigns"),
    _kind("pricing", "Pricing", "campaigns martech"),
    _kind("insurance", "Business insurance", "legal",
          outside="An insurance broker for liability, property and any cover the sector requires (small "
          "businesses typically pay $500–$3,000 a year for general liability)"),
    _kind("accounting", "Accounting and tax", "legal",
          outside="An accountant or bookkeeper for the books, payroll and tax filings (typically $200–$800 a "
          "month for a small business)"),
    _kind("contracts", "Contracts and terms", "legal",
          outside="A lawyer's review of terms specific to your sector or a large deal (typically $500–$3,000)"),
    _kind("age_checks", "Age checks", "legal",
          outside="Staff refresher training from a licensing trainer (typically $100–$300 a session)"),
    _kind("compliance_privacy", "Privacy, terms and compliance", "legal webdev martech",
          outside="Privacy counsel or a data protection officer for an audit (typically $2,000–$10,000)"),
    _kind("sales", "Sales growth", "campaigns martech content"),
)}

_UNCLASSIFIED = "Unclassified"


@dataclass(frozen=True)
class _Entry:
    kind: str
    language: str
    phrase: Phrase
    weak: bool


@lru_cache(maxsize=1)
def _entries() -> tuple[_Entry, ...]:
    return tuple(_Entry(kind, language, Phrase(phrase, GROUPS), weak)
                 for kind in ORDER for language, phrase, weak in phrases(kind))


def _best(text: str) -> tuple[_Entry, Hit] | None:
    """Strong phrases beat weak ones, then the more specific kind, then the longer, earlier match."""
    words = words_of(text)
    best: tuple[tuple[int, int, int, int], _Entry, Hit] | None = None
    rank = {kind: index for index, kind in enumerate(ORDER)}
    for entry in _entries():
        hit = entry.phrase.search(words)
        if hit is None:
            continue
        key = (int(entry.weak), rank[entry.kind], -hit.size, hit.first)
        if best is None or key < best[0]:
            best = (key, entry, hit)
    return (best[1], best[2]) if best else None


@lru_cache(maxsize=2048)
def classify(text: str) -> Classification:
    """The kind of outcome `text` asks for, with the words that decided it and any target."""
    target = target_of(text)
    found = _best(text)
    if found is None:
        return Classification(None, _UNCLASSIFIED, "", language_of(text), target)
    entry, hit = found
    return Classification(entry.kind, KINDS[entry.kind].label, hit.wording,
                          language_of(text, entry.language), target)


def kinds_of(texts: list[str]) -> set[str]:
    """The kinds a list of objectives asks for (one per objective; unclassified ones add nothing)."""
    return {kind for kind in (classify(text).kind for text in texts) if kind is not None}
