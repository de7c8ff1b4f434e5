"""Spending guard rails: line items an agent commits are checked before they reach the ledger.

An agent never commits beyond its allocation, and the run never commits beyond its ceiling. A
breach never crashes the run: the item is trimmed to what is left (or rejected when nothing is)
and the breach becomes a finding and a `guardrail.violation` event.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from agents.catalogue import default_catalogue
from agents.events import emit
from agents.state import Finding, LineItem, cents

GuardrailRule = Literal["agent_allocation", "run_ceiling"]
ZERO = Decimal("0")


class Violation(BaseModel):
    rule: GuardrailRule
    agent: str
    item_id: str
    amount: Decimal
    limit: Decimal
    detail: str

    def finding(self) -> Finding:
        return Finding(
            id=f"guardrail:{self.agent}:{self.item_id}",
            severity="warning",
            agent=self.agent,
            message=f"Spending guard rail: {self.detail}",
        )

    def event_data(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "agent": self.agent,
            "amount": str(self.amount),
            "limit": str(self.limit),
            "detail": self.detail,
            "item_id": self.item_id,
        }


def enforce_commit(
    agent: str, items: list[LineItem], allocation: Decimal, ceiling_headroom: Decimal
) -> tuple[list[LineItem], list[Violation]]:
    """Accept, trim or reject each item so the agent stays within both limits.

    `ceiling_headroom` is the run's ceiling minus what other agents may commit (their
    allocations), which keeps the ceiling safe while specialists commit in parallel.
    """
    accepted: list[LineItem] = []
    violations: list[Violation] = []
    committed = ZERO
    who = default_catalogue().title(agent)  # details are read in the report and the live view
    for item in items:
        by_allocation = cents(allocation - committed)
        by_ceiling = cents(ceiling_headroom - committed)
        limit = max(ZERO, min(by_allocation, by_ceiling))
        if item.amount <= limit:
            accepted.append(item)
            committed += item.amount
            continue
        rule: GuardrailRule = "agent_allocation" if by_allocation <= by_ceiling else "run_ceiling"
        bound = "allocation" if rule == "agent_allocation" else "run ceiling"
        if limit > ZERO:
            detail = (f"{who} proposed ${item.amount:,.2f} for '{item.description}' with "
                      f"${limit:,.2f} left in its {bound}; trimmed to ${limit:,.2f}.")
            trimmed = item.model_copy(update={"amount": limit, "quantity": Decimal("1"),
                                              "unit_usd": limit, "unit": "lot"})
            accepted.append(trimmed)
            committed += limit
        else:
            detail = (f"{who} proposed ${item.amount:,.2f} for '{item.description}' with "
                      f"nothing left in its {bound}; rejected.")
        violations.append(
            Violation(rule=rule, agent=agent, item_id=item.id, amount=item.amount, limit=limit,
                      detail=detail)
        )
    return accepted, violations


def report_violations(violations: list[Violation], phase: str = "execution") -> list[Finding]:
    """Emit one event per violation and return the findings to add to the run."""
    for violation in violations:
        emit(
            "guardrail.violation",
            violation.event_data(),
            key=f"guardrail.violation:{violation.agent}:{violation.item_id}",
            phase=phase,
            agent=violation.agent,
        )
    return [violation.finding() for violation in violations]
