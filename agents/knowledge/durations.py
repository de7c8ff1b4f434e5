"""How long each kind of planned task takes, so a plan fits the brief's timeline (7 to 730 days).

Figures are typical elapsed working days for a small team, including waiting on third parties
where the task itself involves waiting (a registry processing a formation). Work that continues for
as long as the plan runs (hosting, paid media, the content calendar) is recurring and has no length
of its own: it lasts from its start to the end of the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass

# What `duration_for` returns for a recurring task: "from its start until the timeline ends".
UNTIL_END = 0


@dataclass(frozen=True)
class Duration:
    min_days: int  # shortest credible length (for recurring tasks: shortest useful run)
    typical_days: int
    recurring: bool
    note: str


def _once(min_days: int, typical_days: int, note: str) -> Duration:
    return Duration(min_days, typical_days, False, note)


def _ongoing(min_days: int, note: str) -> Duration:
    return Duration(min_days, min_days, True, note)


DURATIONS: dict[str, Duration] = {
    "positioning": _once(2, 5, "Audience, competitors and a positioning statement."),
    "identity": _once(5, 14, "Name check, logo and visual identity, with one round of revisions."),
    "formation": _once(1, 5, "Registry processing: same day online in many places, up to 10 days by post."),
    "trademark": _once(1, 2, "Search and filing only; registration takes months (about 12 at the USPTO, "
                             "4 to 6 at the EUIPO without opposition)."),
    "contracts": _once(3, 7, "Templates for customers and suppliers, reviewed once."),
    "licence": _once(5, 30, "Preparing and submitting the application; the regulator's decision can take "
                            "weeks (food, alcohol) to a year (financial authorisation)."),
    "site": _once(20, 30, "Design, build and content for a small site; 20 to 45 days."),
    "shop": _once(20, 35, "Catalogue, payments, shipping and tax settings on a hosted platform."),
    "app": _once(30, 60, "Cross-platform build and store review (about a week for the first release)."),
    "hosting": _ongoing(1, "Hosting, domain and monitoring for the life of the plan."),
    "stack": _ongoing(3, "CRM, email and automation tools: set up, then run and maintained."),
    "tracking": _once(2, 4, "Analytics, conversion events and a consent-aware tag set-up."),
    "calendar": _ongoing(7, "Content calendar: planned, written and published every week."),
    "media": _ongoing(7, "Paid media: needs at least a week of spend before results mean anything."),
    "acquisition_media": _ongoing(14, "Paid acquisition paced to the end of the timeline, so the target is "
                                      "reached at a steady cost per customer rather than in a two-week burst."),
    "pricing": _once(3, 7, "Workshop, competitor price check and a price list to test."),
    "employment": _once(2, 5, "Contract and onboarding paperwork for the hire, reviewed once."),
    "creative": _once(3, 7, "Ad creative and copy in the sizes the channels need."),
    "print_run": _once(7, 14, "Design and proof, about a week at the printer, then delivery door to door."),
    "local_listing": _once(1, 3, "Google Business Profile and directories; verification can take days."),
    "careers": _once(3, 5, "Role description and careers page."),
    "donation_page": _once(3, 7, "Donation page, payment processor and monthly-gift option, tested end to end."),
    "donor_campaign": _once(21, 45, "Appeal emails, posts and follow-ups over several weeks of asking."),
    "donor_crm": _once(2, 5, "Donor records, automatic receipts and thank-you emails."),
    "volunteer_page": _once(2, 5, "Roles, times and a sign-up form."),
    "volunteer_outreach": _once(14, 30, "Listings and local outreach, long enough to gather and brief sign-ups."),
    "volunteer_agreement": _once(2, 5, "Agreement, waiver and safeguarding policy, lawyer-reviewed."),
    "recruiting_ads": _once(14, 30, "Job ads running long enough to gather and screen applicants."),
    "loyalty_design": _once(5, 10, "Rewards, rules and economics of the programme."),
    "loyalty_platform": _once(7, 14, "Set-up of a hosted loyalty or app platform and staff training."),
    "investor_materials": _once(7, 14, "Pitch deck, financial model and data room."),
    "outbound_sales": _ongoing(21, "A target list and sequences first, then weeks of outreach and meetings to "
                               "the end of the timeline."),
    "sales_crm": _once(1, 3, "Pipeline stages, deal fields and the outreach tool connected."),
    "investor_crm": _once(1, 3, "Investor pipeline in a CRM, with outreach sequences."),
    "nonprofit_filing": _once(5, 10, "Preparing and filing the exemption or charity application; the "
                                     "decision takes weeks (Form 1023-EZ) to months."),
    "launch_event": _once(7, 21, "Venue, invitations, press and run of show."),
    "partnerships_outreach": _once(14, 30, "Prospect list, pitch, samples and follow-ups."),
    "product_safety": _once(10, 30, "Which standards apply, a gap review and the test lab's queue; the lab's "
                            "testing itself often takes longer."),
    "trade_show_stand": _once(14, 45, "Stand design, the printer's lead time and invitations to visit the stand."),
    "grant_application": _once(10, 30, "Eligibility check with the funder, proposal, budget and letters of support."),
    "security_policies": _once(10, 30, "Scope, policies and the auditor's engagement letter."),
    "compliance_platform": _once(30, 90, "Connecting the company's tools, fixing failing controls and a "
                                 "period of evidence before the auditor's review."),
    "review_requests": _once(2, 5, "Connect the review tool to sales or bookings and write the request messages."),
    "age_checks": _once(2, 5, "A written policy, a staff briefing and a refusals log from the first day."),
    "privacy_compliance": _once(3, 7, "Privacy notice, cookie consent and records of processing."),
    "opening_campaign": _once(7, 21, "Teaser, opening week and follow-up around the opening date."),
    "seo": _once(3, 10, "Technical fixes, keyword plan and on-page work; ongoing writing is in the "
                        "calendar."),
}


def duration_for(kind: str, timeline_days: int) -> int:
    """Days a task of `kind` takes in a plan of `timeline_days`.

    Contract:
    - recurring kinds return `UNTIL_END` (0): the task runs from its start to the end of the timeline,
      so the caller computes its length as `timeline_days - start_day`;
    - one-off kinds return their typical length, capped at half the timeline so the tasks that depend
      on them still fit, and never less than 1 day. A result below `min_days` means the task is being
      squeezed; `fits` tells the planner when to say so.
    Raises KeyError for an unknown kind.
    """
    duration = DURATIONS[kind]
    if duration.recurring:
        return UNTIL_END
    return max(1, min(duration.typical_days, timeline_days // 2))


def fits(kind: str, timeline_days: int) -> bool:
    """Whether a task of `kind` can be done properly within this timeline."""
    duration = DURATIONS[kind]
    if duration.recurring:
        return timeline_days >= duration.min_days
    return duration_for(kind, timeline_days) >= duration.min_days
