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
from agents.ports import BudgetLedger, LLMClient, RunCancelled

OverrunPolicy = Literal["approve", "trim"]


@dataclass(frozen=True)
class RunContext:
    run_id: str
    llm: LLMClient
    ledger: BudgetLedger
    policy: OverrunPolicy = "approve"
    share_caps: Mapping[str, Decimal] = field(default_factory=dict)  # percent per specialist
    is_cancelled: Callable[[], bool] = lambda: False
    catalogue: Catalogue = field(default_factory=default_catalogue)
    policies: Policies = field(default_factory=default_policies)

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
