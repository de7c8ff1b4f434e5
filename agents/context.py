"""What every node gets at run time besides the state: the ports and the run's settings.

Passed as LangGraph's run context (`context=` on stream), so it is never checkpointed: a resumed
run gets fresh ports from whoever resumes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from agents.catalogue import Catalogue, default_catalogue
from agents.policies import Policies, default_policies
from agents.ports import AIPricing, BudgetLedger, LLMClient, RunCancelled

QuotePolicy = Literal["always", "over_budget", "never"]
"""When a run stops at its quote: always, only when the plan would be cut, or never (cuts are made
and said). The older overrun policy names are aliases: approve = over_budget, trim = never."""
OverrunPolicy = QuotePolicy  # the older name of the same setting
QUOTE_POLICIES: tuple[str, ...] = ("always", "over_budget", "never")
POLICY_ALIASES = {"approve": "over_budget", "trim": "never"}


def quote_policy(value: str) -> QuotePolicy:
    """The quote policy `value` names (an older overrun-policy name too); ValueError otherwise."""
    name = POLICY_ALIASES.get(value, value)
    if name == "always":
        return "always"
    if name == "over_budget":
        return "over_budget"
    if name == "never":
        return "never"
    raise ValueError(f"policy must be one of always, over_budget, never (or approve, trim), not {value!r}")


@dataclass(frozen=True)
class RunContext:
    run_id: str
    llm: LLMClient
    ledger: BudgetLedger
    policy: QuotePolicy = "over_budget"
    share_caps: Mapping[str, Decimal] = field(default_factory=dict)  # percent per specialist
    is_cancelled: Callable[[], bool] = lambda: False
    catalogue: Catalogue = field(default_factory=default_catalogue)
    policies: Policies = field(default_factory=default_policies)
    # Prices the quote's AI-spend forecast; None: the forecast counts tokens but has no price.
    pricing: AIPricing | None = None

    def check_cancelled(self) -> None:
        """Stop at the next boundary once a cancel was requested."""
        if self.is_cancelled():
            raise RunCancelled(f"run {self.run_id} was cancelled")

    def caps_percent(self) -> dict[str, Decimal]:
        """Catalogue defaults with this run's overrides on top, in percent of the budget."""
        caps = {
            name: (spec.default_share_cap_percent or Decimal("0"))
            for name, spec in self.catalogue.agents.items()
            if spec.kind == "specialist"
        }
        for name, percent in self.share_caps.items():
            if name not in caps:
                raise ValueError(f"share cap for unknown specialist {name!r}")
            value = Decimal(str(percent))
            if not Decimal("0") <= value <= Decimal("100"):
                raise ValueError(f"share cap for {name} must be 0..100 percent, got {value}")
            caps[name] = value
        return caps
