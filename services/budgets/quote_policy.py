"""The quote policy of an organisation, and the older overrun policy as its alias.

One setting decides when a run stops after budgeting: `always` (at its quote, even within budget),
`over_budget` (only when something would be cut, or an approval rule demands it) or `never` (cuts
are made by priority and said; an approval rule still demands its sign-off). The older
`overrun_policy` is read from it (approve for always and over_budget, trim for never) and a write
of it sets it (approve = over_budget, kept as always when it already is; trim = never), so the two
can never disagree. A request that names both must name the same thing.
"""

from __future__ import annotations

from typing import Any, Literal

QuotePolicy = Literal["always", "over_budget", "never"]
OverrunPolicy = Literal["approve", "trim"]

OVERRUN_OF: dict[str, OverrunPolicy] = {"always": "approve", "over_budget": "approve", "never": "trim"}


def overrun_alias(policy: str) -> OverrunPolicy:
    """The older name of `policy`, as the API and forms still read it."""
    return OVERRUN_OF[policy]


def from_overrun(overrun: str, current: str) -> QuotePolicy:
    """The quote policy a write of the older `overrun_policy` means, given the current one."""
    if overrun == "trim":
        return "never"
    return "always" if current == "always" else "over_budget"


def apply_alias(changes: dict[str, Any], current: str) -> list[dict[str, str]]:
    """Turn an `overrun_policy` change into the `quote_policy` it means (in place); the problems
    when a request names both and they disagree."""
    if "overrun_policy" not in changes:
        return []
    overrun = changes.pop("overrun_policy")
    wanted = changes.get("quote_policy")
    if wanted is None:
        changes["quote_policy"] = from_overrun(overrun, current)
        return []
    if OVERRUN_OF[wanted] != overrun:
        return [{
            "field": "overrun_policy",
            "message": f"is the older name of quote_policy: {overrun!r} contradicts quote_policy {wanted!r} "
            f"(send only quote_policy, or overrun_policy {OVERRUN_OF[wanted]!r})",
        }]  # fmt: skip
    return []
