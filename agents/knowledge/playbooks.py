"""Which pieces of work serve each kind of objective, and how those pieces depend on each other.

An objective kind (from `agents.knowledge.taxonomy`) maps to task kinds; a task kind has one owner,
a priority and the task kinds it must follow. The offline planner builds its plan from these; the
scheduler uses the dependencies whoever planned. Task kinds are shared between objectives, so two
objectives needing a website get one website task that serves both.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskKind:
    key: str
    owner: str
    title: str  # may use {office}, {entity}, {classes}, {licence}, {target}, {city}
    priority: int
    after: tuple[str, ...] = ()
    why: str = ""
    # The title when the objective names no target: "for {target}" would repeat the whole objective.
    untargeted: str = ""


TASK_KINDS: dict[str, TaskKind] = {kind.key: kind for kind in (
    TaskKind("positioning", "branding", "Positioning, audience and name check", 1,
             why="every later message speaks to the same audience and promise"),
    TaskKind("identity", "branding", "Visual identity: logo, palette, typography", 2, ("positioning",),
             why="the site, the ads and the shop front need one recognisable look"),
    TaskKind("pricing", "branding", "Pricing and packaging workshop", 2, ("positioning",),
             why="prices are set against the audience and the competitors named in positioning"),
    TaskKind("investor_materials", "branding", "Investor deck, one-pager and financial model", 1,
             why="investors decide on the story and the numbers before anything else"),
    TaskKind("loyalty_design", "branding", "Loyalty programme design: rewards, tiers, rules", 1,
             ("positioning",), why="the rewards must be worth more to customers than they cost"),
    TaskKind("formation", "legal", "Form the company: {entity}", 1,
             why="contracts, bank accounts, filings and investment all need the legal entity"),
    TaskKind("trademark", "legal", "File the trademark: {office}, {classes}", 2,
             ("positioning",), why="the name is protected where the company trades, once it is chosen"),
    TaskKind("contracts", "legal", "Terms, privacy policy and customer contract templates", 3,
             ("formation",), why="needed before collecting customer data or taking payments"),
    TaskKind("licence", "legal", "{licence}", 1, ("formation",),
             why="the business may not operate the regulated activity before it holds this"),
    TaskKind("nonprofit_filing", "legal", "Apply for tax-exempt status: {licence}", 1, ("formation",),
             why="donors can deduct gifts and grants open up only after recognition"),
    TaskKind("employment", "legal", "Employment contract and onboarding paperwork", 3, ("formation",),
             why="a new hire needs a compliant contract before the first day"),
    TaskKind("product_safety", "legal", "Product safety plan and test-lab submission: {target}", 1,
             why="a product may not be sold until it passes the standards that apply to it, tested by an "
             "accredited lab", untargeted="Product safety plan and test-lab submission"),
    TaskKind("age_checks", "legal", "Age-check policy, staff briefing and refusals log", 2,
             why="an age-restricted sale without an ID check risks the licence and a fine; a written policy "
             "and a refusals log are what an inspector asks to see"),
    TaskKind("security_policies", "legal", "Security policies and the auditor's engagement for {target}", 1,
             untargeted="Security policies and the auditor's engagement",
             why="an auditor tests the controls the policies promise, so the policies and the audit scope come "
             "first"),
    TaskKind("compliance_platform", "martech", "Compliance platform: controls, evidence and monitoring", 1,
             ("security_policies",), why="the auditor asks for evidence that each control works; a platform "
             "collects it from the company's tools instead of screenshots"),
    TaskKind("privacy_compliance", "legal", "Privacy compliance: records, consent and cookie banner", 2,
             why="personal data may only be processed on a lawful basis that is documented"),
    TaskKind("site", "webdev", "Build the website", 2, ("identity",),
             why="campaigns, listings and investors all need a destination"),
    TaskKind("shop", "webdev", "Build the online shop and checkout", 2, ("identity",),
             why="customers can buy only once products, payments and delivery work end to end"),
    TaskKind("app", "webdev", "Build the mobile app", 2, ("identity",),
             why="the app is the product the objective asks for"),
    TaskKind("donation_page", "webdev", "Donation page with card and monthly giving", 2,
             why="donors give where it takes a minute, and monthly gifts need a recurring option"),
    TaskKind("donor_campaign", "campaigns", "Donor appeal for {target}", 1, ("donation_page",), untargeted="Donor appeal",
             why="gifts come from asking: an appeal by email, social posts and events reaches the donors"),
    TaskKind("donor_crm", "martech", "Donor CRM, receipts and thank-you emails", 2,
             why="a donor who is thanked and receipted at once gives again, and every gift counts toward the target"),
    TaskKind("volunteer_page", "webdev", "Volunteer page and sign-up form", 2,
             why="people sign up when the roles, the times and the next step are clear"),
    TaskKind("volunteer_outreach", "campaigns", "Volunteer recruitment for {target}", 1, ("volunteer_page",),
             untargeted="Volunteer recruitment",
             why="listings on volunteer platforms and local outreach bring the sign-ups"),
    TaskKind("volunteer_agreement", "legal", "Volunteer agreement, waiver and safeguarding policy", 3,
             why="volunteers are not employees: their role, liability and safeguarding are set out in writing"),
    TaskKind("careers", "webdev", "Careers page and job description", 2,
             why="candidates check the company before they apply"),
    TaskKind("hosting", "webdev", "Hosting, domain and SSL for the timeline", 2,
             why="keeps the site online for the whole timeline"),
    TaskKind("stack", "martech", "Marketing tool subscriptions", 3,
             why="email, CRM and analytics run for the whole timeline"),
    TaskKind("tracking", "martech", "Tracking plan, conversion events and dashboards", 2, ("site",),
             why="without tracking nobody can tell which spend works, so it comes before ads"),
    TaskKind("local_listing", "martech", "Local listings and location page for {city}", 2,
             why="nearby customers look on maps and in local search before they visit"),
    TaskKind("review_requests", "martech", "Review requests after every sale or visit", 2,
             why="most happy customers leave a review when asked at the right moment; bought or "
             "filtered reviews break platform rules and consumer law"),
    TaskKind("investor_crm", "martech", "Investor pipeline CRM", 2,
             why="a raise is a sales process: every investor contact is tracked to a decision"),
    TaskKind("loyalty_platform", "martech", "Loyalty platform subscription and set-up", 2,
             ("loyalty_design",), why="points, rewards and member data need a system of record"),
    TaskKind("calendar", "content", "Content calendar production", 3, ("positioning",),
             why="steady content feeds search, social and email over the whole timeline"),
    TaskKind("seo", "content", "Search optimisation of the site's key pages", 3, ("site",),
             why="organic search brings visitors after paid media stops"),
    TaskKind("media", "campaigns", "Paid media", 2, ("site", "tracking"),
             why="paid media buys attention while organic channels grow"),
    TaskKind("outbound_sales", "campaigns", "Outbound to target accounts for {target}: list, sequences, deck", 1,
             ("positioning",), untargeted="Outbound to target accounts: list, sequences and a buyer deck",
             why="business buyers are won account by account: a named list, a sequence of messages and a deck "
             "for the first meeting"),
    TaskKind("sales_crm", "martech", "Sales CRM: pipeline stages and deal tracking", 2,
             why="every account touched is tracked to a decision, so the pipeline shows what will close"),
    TaskKind("acquisition_media", "campaigns", "Acquisition campaign for {target}", 1,
             ("site", "tracking"),
             why="search and social bring new customers at a cost per customer that can be tracked",
             untargeted="Paid acquisition campaign"),
    TaskKind("print_run", "campaigns", "Print run for {target}: design, printing, delivery", 2, ("identity",),
             untargeted="Flyer design, print run and delivery",
             why="a flyer works once it is designed, printed and in people's hands"),
    TaskKind("creative", "campaigns", "Ad creative in channel sizes", 3, ("identity",),
             why="each channel needs its own sizes and formats"),
    TaskKind("recruiting_ads", "campaigns", "Job advertising for {target}", 2, ("careers",),
             why="a good candidate pool needs the post in front of the right people"),
    TaskKind("opening_campaign", "campaigns", "Opening campaign for {city}", 2, ("local_listing",),
             why="a new location needs neighbours to know the opening date"),
    TaskKind("trade_show_stand", "campaigns", "Trade show stand: graphics, invitations and lead follow-up", 2,
             ("identity",), why="a stand earns its fee in the leads it brings back and follows up within days"),
    TaskKind("grant_application", "content", "Grant application: eligibility, proposal and budget", 1,
             why="the funder scores the proposal against its criteria, so eligibility, a costed plan and "
             "evidence decide it"),
    TaskKind("launch_event", "campaigns", "Launch event", 3, ("identity",),
             why="an event gives press, partners and first customers a date to come to"),
    TaskKind("partnerships_outreach", "content", "Partner and stockist outreach pack", 3,
             ("positioning",), why="partners need a pitch, terms and samples before they sign"),
)}  # fmt: skip


# Objective kind -> the task kinds that serve it (the first ones matter most).
PLAYBOOKS: dict[str, tuple[str, ...]] = {
    "launch": ("positioning", "identity", "formation", "site", "hosting", "tracking", "stack",
               "calendar", "media", "creative", "contracts"),
    "formation": ("formation", "contracts"),
    "trademark": ("trademark",),
    "product_safety": ("product_safety",),
    "security_audit": ("security_policies", "compliance_platform"),
    "licensing": ("licence",),
    "nonprofit": ("formation", "nonprofit_filing"),
    "fundraising": ("investor_materials", "investor_crm", "formation"),
    "hiring": ("careers", "recruiting_ads", "employment"),
    "donations": ("donor_campaign", "donation_page", "donor_crm"),
    "volunteers": ("volunteer_outreach", "volunteer_page", "volunteer_agreement"),
    "new_location": ("local_listing", "opening_campaign", "launch_event"),
    "local_listings": ("local_listing",),
    "loyalty": ("loyalty_design", "loyalty_platform"),
    "ecommerce": ("shop", "hosting", "contracts", "tracking"),
    "customer_acquisition": ("acquisition_media", "tracking", "site", "creative"),
    "b2b_sales": ("outbound_sales", "sales_crm", "site"),
    "website": ("site", "hosting"),
    "mobile_app": ("app",),
    "content_seo": ("calendar", "seo"),
    "social": ("calendar", "creative"),
    "print": ("print_run",),
    "advertising": ("media", "creative", "tracking"),
    "brand": ("positioning", "identity"),
    "reviews": ("review_requests",),
    "awareness": ("positioning", "calendar", "media"),
    "partnerships": ("partnerships_outreach",),
    "events": ("launch_event",),
    "trade_show": ("trade_show_stand",),
    "grants": ("grant_application", "formation"),
    "international": ("trademark", "partnerships_outreach", "site"),
    "pricing": ("pricing",),
    "contracts": ("contracts",),
    "age_checks": ("age_checks",),
    "compliance_privacy": ("privacy_compliance",),
    "sales": ("media", "tracking", "calendar"),
}


def task_kinds_for(objective_kind: str) -> tuple[str, ...]:
    """The task kinds that serve an objective kind; empty for a kind with no playbook."""
    return PLAYBOOKS.get(objective_kind, ())


def after(task_kind: str) -> tuple[str, ...]:
    """The task kinds a task of this kind must follow (those that are in the plan)."""
    kind = TASK_KINDS.get(task_kind)
    return kind.after if kind else ()


def base_kind(kind: str) -> str:
    """'licence:1' -> 'licence', 'media@0.5' -> 'media' (instance and size suffixes dropped)."""
    return kind.split("@", 1)[0].split(":", 1)[0]


def kind_instance(kind: str) -> int | None:
    """'licence:1' -> 1: which of several licences a licence task is for."""
    head = kind.split("@", 1)[0]
    return int(head.split(":", 1)[1]) if ":" in head else None
