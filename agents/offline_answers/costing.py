"""Line items for one task: quantity x unit price, from the knowledge base and the run's reference.

The offline planner estimates a task as the sum of these items and the offline specialist commits
exactly these items, so a plan's estimate and its commitments can never disagree. Government fees
carry the id of the sourced fact they come from.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from agents.knowledge import market, martech
from agents.knowledge.content import cadence, weeks_of
from agents.knowledge.durations import DURATIONS
from agents.knowledge.industries import profile_for
from agents.knowledge.licences import is_exemption
from agents.knowledge.playbooks import kind_instance
from agents.knowledge.targets import listed_count, rate_of
from agents.knowledge.web import booking_tool, page_plan
from agents.offline_answers._common import object_of
from agents.offline_answers.cost_items import ZERO, Item, Job, months_of, years_of
from agents.offline_answers.cost_items import fact_items as _fact_item
from agents.offline_answers.cost_items import first_target as _target
from agents.offline_answers.cost_items import hours as _hours
from agents.offline_answers.cost_items import subscription as _subscription
from agents.state import cents


def _formation(job: Job) -> list[Item]:
    entity = job.reference["entity"]
    items: list[Item] = []
    for fact_id in entity["fact_ids"]:
        items += _fact_item(job, fact_id)
    return items


def _trademark(job: Job) -> list[Item]:
    mark = job.reference["trademark"]
    return [item for filing in (mark, *mark.get("also", ())) for item in _fact_item(job, filing["fact_id"])]


def _licence(job: Job) -> list[Item]:
    index = kind_instance(job.kind) or 0
    licence = job.reference["licences"][index]
    items = _fact_item(job, licence.get("fact_id"))
    prep = _hours(job, "licence_preparation", "legal",
                  f"Application preparation with a regulatory adviser, {licence['regulator']}",
                  "professional_services")
    months = licence.get("months") or [0, 0]
    if not items or items[0].unit_usd == ZERO or months[1] < 3:  # a simple registration is a form
        prep = Item(prep.description, Decimal("1"), "hour", prep.unit_usd, prep.category)
    items.append(prep)
    return items


def _nonprofit(job: Job) -> list[Item]:
    """The exemption application: Form 1023-EZ for a small organisation in the US, else the full fee."""
    exemption = job.reference["entity"].get("exemption_fact_ids") or []
    small = [f for f in exemption if f.endswith("-ez")]
    chosen = small if small and job.brief.budget_usd < market.SMALL_NONPROFIT_USD else \
        [f for f in exemption if not f.endswith("-ez")]
    items: list[Item] = []
    for fact_id in chosen[:1]:
        items += _fact_item(job, fact_id)
    if not items:
        for licence in job.reference["licences"]:
            if is_exemption(licence):
                items += _fact_item(job, licence.get("fact_id"))
    items.append(_hours(job, "nonprofit_preparation", "legal", "Exemption application preparation",
                        "professional_services"))
    return items


def _site(job: Job) -> list[Item]:
    industry = profile_for(job.brief.company.industry).key
    pages = page_plan(industry)
    items = [Item(f"Website pages designed and built ({', '.join(pages[:4])} …)", Decimal(len(pages)),
                  "page", market.PAGE_PRICE[job.tier], "professional_services")]
    booking = booking_tool(industry, job.texts)
    if booking is not None:  # "a booking engine" is a subscription, not a page
        items.append(_subscription(job, booking, "Online booking"))
    return items


def _hosting(job: Job) -> list[Item]:
    years = years_of(job.brief.timeline_days)
    return [_subscription(job, "hosting", "Hosting"),
            Item("Domain registration with SSL", Decimal(years), "year", market.DOMAIN_PER_YEAR, "hosting")]


def _stack(job: Job) -> list[Item]:
    months = Decimal(months_of(job.brief.timeline_days))
    return [Item(f"{purpose}: {tool}", months, "month", price, "software")
            for purpose, tool, price in martech.STACKS[job.tier] if price > ZERO]


def _calendar(job: Job) -> list[Item]:
    weeks = weeks_of(job.brief.timeline_days)
    items = []
    for fmt, every, cost in cadence(job.tier, profile_for(job.brief.company.industry).story):
        count = max(1, int(Decimal(-(-weeks // every)) * job.scale))
        items.append(Item(f"{fmt} over the {weeks}-week timeline", Decimal(count), "piece", cost,
                          "content_production"))
    return items


def channel_mix(job: Job) -> list[tuple[str, int]]:
    """The channels paid work runs on, with percent shares adding up to 100.

    Channels the objectives name come first and alone; otherwise the industry's usual mix, cut to
    as many channels as the budget tier can feed.
    """
    named = market.named_channels(" ".join(job.texts))
    if not named:
        usual = profile_for(job.brief.company.industry).channels[: market.CHANNELS_BY_TIER[job.tier]]
        named = [channel for channel, _ in usual]
        weights = [Decimal(percent) for _, percent in usual]
    else:
        weights = [Decimal("1")] * len(named)
    total = sum(weights, Decimal("0"))
    shares = [int(w * 100 / total) for w in weights]
    shares[0] += 100 - sum(shares)
    return list(zip(named, shares, strict=True))


def _media(job: Job) -> list[Item]:
    mix = channel_mix(job)
    months = months_of(job.brief.timeline_days)
    share = cents(job.brief.budget_usd * market.MEDIA_SHARE[job.tier])
    total = max(share, market.MEDIA_MINIMUM_PER_CHANNEL_MONTH * len(mix) * months) * job.scale
    floor = market.MEDIA_FLOOR_PER_CHANNEL_MONTH
    # Sized by the timeline's months, stated as one budget for the campaign: the campaign starts
    # once tracking and the site are ready, so "N months" would disagree with its own schedule.
    return [Item(f"Budget: {channel}", Decimal(1), "campaign",
                 max(floor, cents(total * percent / 100 / months)) * months, "advertising")
            for channel, percent in mix]


# Days of a period a target can be asked for each of ("40 new patients a month").
PERIOD_DAYS = {"month": 30, "week": 7}


def _acquisition(job: Job) -> list[Item]:
    """What the target costs at the unit's typical price; a target for each month or week is bought
    for every one the campaign runs, from when the site and tracking are live to the end."""
    target = _target(job)
    if target is None:
        return _media(job)
    word, price = market.cost_per_acquisition(target.get("unit", ""))
    wanted = Decimal(str(target["value"]))
    period = rate_of(target.get("text", ""))
    if period is None:
        return [Item(f"Paid search and social to reach {target['text']} (typical cost per {word})",
                     wanted, word, price, "advertising")]
    lead_in = DURATIONS["site"].typical_days + DURATIONS["tracking"].typical_days
    days = max(PERIOD_DAYS[period], job.brief.timeline_days - lead_in)
    total = Decimal(math.ceil(wanted * days / PERIOD_DAYS[period]))
    return [Item(f"Paid search and social to reach {target['text']}: {total:,} over the campaign's {days} days "
                 f"(typical cost per {word})", total, word, price, "advertising")]


def _creative(job: Job) -> list[Item]:
    channels = len(channel_mix(job))
    return [Item("Ad creative set sized for one channel", Decimal(channels), "channel",
                 market.PACKAGES["creative_set"][job.tier], "design")]


def _print_run(job: Job) -> list[Item]:
    """Design once, then printing and delivery per thousand pieces: as many as the objective asks."""
    target = _target(job)
    pieces = Decimal(str(target["value"])) if target else Decimal(market.FLYER_RUN_DEFAULT)
    thousands = (min(pieces, Decimal("1000000")) / 1000).quantize(Decimal("0.001"))
    return [Item("Flyer design, print-ready, front and back", Decimal(1), "design", market.FLYER_DESIGN[job.tier],
                 "design"),
            Item("Full-colour printing, A5 / half-letter, 150 gsm", thousands, "thousand pieces",
                 market.PRINT_PER_THOUSAND, "advertising"),
            Item("Hand distribution, door to door or in the street", thousands, "thousand pieces",
                 market.DELIVERY_PER_THOUSAND, "advertising")]


def _recruiting(job: Job) -> list[Item]:
    """A post per role: every role a list names ("a head chef and 4 line cooks" is 5), else the target."""
    target = _target(job)
    listed = [n for text in job.texts if (n := listed_count(object_of(text)))]
    roles = Decimal(str(target["value"])) if target and target.get("value") else Decimal("1")
    if listed:
        roles = Decimal(sum(listed))
    roles = min(roles, Decimal("20"))
    return [Item("30-day sponsored job post", roles, "post", market.JOB_POST_30_DAYS, "advertising")]


def _opening(job: Job) -> list[Item]:
    return [Item("Local search and social ads around the opening", Decimal("4"), "week",
                 market.OPENING_WEEKLY[job.tier], "advertising")]


def _package(name: str, description: str, category: str) -> Callable[[Job], list[Item]]:
    def cost(job: Job) -> list[Item]:
        return [Item(description, Decimal("1"), "package", market.PACKAGES[name][job.tier], category)]
    return cost


def _investor(job: Job) -> list[Item]:
    return [*_package("investor_deck", "Investor deck and one-pager design", "design")(job),
            _hours(job, "investor_model", "strategy", "Financial model and use-of-funds plan",
                   "professional_services")]


def _outreach(job: Job) -> list[Item]:
    return [_hours(job, "outreach", "writing", "Partner pitch, terms sheet and outreach emails",
                   "content_production"),
            Item("Sample kits for prospective partners", Decimal("10"), "kit",
                 market.PACKAGES["outreach_samples"][job.tier], "other")]


def _careers(job: Job) -> list[Item]:
    return [Item("Careers page", Decimal("1"), "page", market.PAGE_PRICE[job.tier], "professional_services"),
            _hours(job, "job_description", "writing", "Job description and interview plan",
                   "content_production")]


COSTERS: dict[str, Callable[[Job], list[Item]]] = {
    "positioning": lambda j: [_hours(j, "positioning", "strategy",
                                     "Positioning workshop, audience research and name check",
                                     "professional_services")],
    "identity": _package("identity", "Logo, palette, typography and brand guidelines", "design"),
    "pricing": lambda j: [_hours(j, "pricing", "strategy", "Pricing research and packaging workshop",
                                 "professional_services")],
    "investor_materials": _investor,
    "loyalty_design": lambda j: [_hours(j, "loyalty_design", "strategy",
                                        "Loyalty programme design and economics", "professional_services")],
    "formation": _formation,
    "trademark": _trademark,
    "contracts": lambda j: [_hours(j, "contracts", "legal",
                                   "Terms of service, privacy policy and customer contract, lawyer-reviewed",
                                   "professional_services")],
    "licence": _licence,
    "nonprofit_filing": _nonprofit,
    "employment": lambda j: [_hours(j, "employment", "legal", "Employment contract review",
                                    "professional_services")],
    "age_checks": lambda j: [_hours(j, "age_checks", "legal", "Age-check policy, staff briefing and refusals log",
                                    "professional_services")],
    "trade_show_stand": lambda j: [
        _hours(j, "stand_design", "design", "Stand graphics design: backdrop, banners and product cards", "design"),
        Item("Stand graphics printed: backdrop and roll-up banners", Decimal(1), "set",
             market.PACKAGES["stand_graphics"][j.tier], "advertising"),
        _hours(j, "show_follow_up", "marketing_ops", "Invitations before the show and lead follow-up after it",
               "professional_services")],
    "grant_application": lambda j: [
        _hours(j, "grant_eligibility", "strategy", "Eligibility check against the funder's criteria and call",
               "professional_services"),
        _hours(j, "grant_writing", "writing", "Proposal writing: project plan, budget, impact and attachments",
               "professional_services")],
    "security_policies": lambda j: [_hours(j, "security_policies", "legal",
                                           "Security policies, vendor terms and the audit's scope with the auditor",
                                           "professional_services")],
    "compliance_platform": lambda j: [_subscription(j, "compliance_platform", "Compliance platform"),
                                      _hours(j, "control_setup", "marketing_ops",
                                             "Connecting the company's tools and fixing failing controls",
                                             "professional_services")],
    "review_requests": lambda j: [_subscription(j, "review_requests", "Reviews"),
                                  _hours(j, "review_requests", "marketing_ops",
                                         "Review request messages and the link to sales or bookings",
                                         "professional_services")],
    "product_safety": lambda j: [_hours(j, "product_safety", "legal",
                                        "Applicable standards, gap review and the test lab's submission",
                                        "professional_services")],
    "privacy_compliance": lambda j: [_hours(j, "privacy", "legal", "Records of processing and privacy notices",
                                            "professional_services"),
                                     _subscription(j, "cookie_consent", "Consent management")],
    "site": _site,
    "shop": lambda j: [_hours(j, "shop_setup", "development", "Shop theme, product catalogue and checkout",
                              "professional_services"),
                       _subscription(j, "shop_platform", "Shop platform")],
    "app": lambda j: [_hours(j, "app_build", "development", "App design and build", "professional_services"),
                      _subscription(j, "app_store", "App platform")],
    "careers": _careers,
    "donation_page": lambda j: [Item("Donation page", Decimal("1"), "page", market.PAGE_PRICE[j.tier],
                                     "professional_services"),
                                _hours(j, "donation_setup", "development", "Payment processor and monthly-gift set-up",
                                       "professional_services")],
    "donor_campaign": lambda j: [_hours(j, "donor_appeal", "writing", "Appeal emails, posts and follow-ups",
                                        "content_production"),
                                 *_package("appeal_promotion", "Boosted posts and email sends for the appeal",
                                           "advertising")(j)],
    "donor_crm": lambda j: [_subscription(j, "donor_crm", "Donor records"),
                            _hours(j, "crm_setup", "marketing_ops", "Receipts, thank-you emails and gift import",
                                   "professional_services")],
    "volunteer_page": lambda j: [Item("Volunteer page with sign-up form", Decimal("1"), "page",
                                      market.PAGE_PRICE[j.tier], "professional_services"),
                                 _hours(j, "volunteer_roles", "writing", "Volunteer role descriptions",
                                        "content_production")],
    "volunteer_outreach": lambda j: [_hours(j, "volunteer_outreach", "writing",
                                            "Volunteer platform listings and local outreach", "content_production"),
                                     *_package("volunteer_promotion", "Flyers and boosted posts for volunteers",
                                               "advertising")(j)],
    "volunteer_agreement": lambda j: [_hours(j, "volunteer_agreement", "legal",
                                             "Volunteer agreement, waiver and safeguarding policy review",
                                             "professional_services")],
    "hosting": _hosting,
    "stack": _stack,
    "tracking": lambda j: [_hours(j, "tracking", "marketing_ops",
                                  "Tracking plan, conversion events and dashboards", "professional_services")],
    "local_listing": lambda j: [_hours(j, "local_listing", "marketing_ops",
                                       "Google Business Profile, Apple Maps and directory listings",
                                       "professional_services"),
                                Item("Location page", Decimal("1"), "page", market.PAGE_PRICE[j.tier],
                                     "professional_services")],
    "outbound_sales": lambda j: [
        _hours(j, "account_list", "writing", "Target account list, contacts and outreach sequences",
               "content_production"),
        _subscription(j, "sales_engagement", "Outreach"),
        Item("Buyer deck and one-pager design", Decimal(1), "package", market.PACKAGES["sales_deck"][j.tier], "design")],
    "sales_crm": lambda j: [_subscription(j, "sales_crm", "Sales pipeline"),
                            _hours(j, "crm_setup", "marketing_ops", "Pipeline stages, deal fields and reports",
                                   "professional_services")],
    "investor_crm": lambda j: [_subscription(j, "investor_crm", "Investor pipeline"),
                               _hours(j, "crm_setup", "marketing_ops", "Pipeline stages and import",
                                      "professional_services")],
    "loyalty_platform": lambda j: [_subscription(j, "loyalty_platform", "Loyalty"),
                                   _hours(j, "loyalty_setup", "marketing_ops", "Loyalty set-up and POS link",
                                          "professional_services")],
    "calendar": _calendar,
    "seo": lambda j: [_hours(j, "seo", "writing", "Keyword research and on-page optimisation",
                             "content_production")],
    "media": _media,
    "acquisition_media": _acquisition,
    "creative": _creative,
    "print_run": _print_run,
    "recruiting_ads": _recruiting,
    "opening_campaign": _opening,
    "launch_event": _package("launch_event", "Venue, catering and invitations", "other"),
    "partnerships_outreach": _outreach,
}  # fmt: skip


SCALABLE = ("media", "calendar")


def items_for(job: Job) -> list[Item]:
    """The priced line items of one task; an unknown kind has none (the caller says so)."""
    coster = COSTERS.get(job.base)
    return [item for item in (coster(job) if coster else []) if item.amount > ZERO]


def estimate(items: list[Item]) -> Decimal:
    return cents(sum((item.amount for item in items), ZERO))
