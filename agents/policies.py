"""Routing and approval policies (config/policies.yaml), evaluated with the safe rule language.

Intake evaluates routing rules (which agents must take part, what the reviewer must look at);
budgeting evaluates approval rules (plans that need an executive's sign-off even within budget).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from agents.catalogue import CONFIG_DIR
from agents.knowledge.places import EU_MEMBERS, parse_location
from agents.rules import Rule
from agents.state import SPECIALISTS, Brief

POLICIES_PATH = CONFIG_DIR / "policies.yaml"


class _PolicyRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    name: str
    when: str
    note: str = ""

    @field_validator("when")
    @classmethod
    def _parses(cls, value: str) -> str:
        Rule(value)  # raises RuleError (a ValueError) on anything outside the language
        return value

    def holds(self, names: dict[str, Any]) -> bool:
        return Rule(self.when).evaluate(names)


class RoutingRule(_PolicyRule):
    require_agents: list[str] = Field(default_factory=list)
    review_focus: list[str] = Field(default_factory=list)

    @field_validator("require_agents")
    @classmethod
    def _specialists(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(SPECIALISTS))
        if unknown:
            raise ValueError(f"unknown agents {unknown}")
        return value


class ApprovalRule(_PolicyRule):
    pass


class Policies(BaseModel):
    model_config = ConfigDict(frozen=True)

    routing: list[RoutingRule] = Field(default_factory=list)
    approval: list[ApprovalRule] = Field(default_factory=list)


class PolicyDecision(BaseModel):
    """What the policies decided for one brief; stored in state as JSON."""

    matched: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    require_agents: list[str] = Field(default_factory=list)
    review_focus: list[str] = Field(default_factory=list)
    approval_rules: list[str] = Field(default_factory=list)


def rule_names(brief: Brief) -> dict[str, Any]:
    """The names a policy condition may use, computed from the brief."""
    return {
        "budget": brief.budget_usd,
        "timeline_days": brief.timeline_days,
        "industry": brief.company.industry.lower(),
        "location": brief.company.location.lower(),
        "objectives": len(brief.objectives),
        "country": policy_country(brief.company.location),
    }


def policy_country(location: str) -> str:
    """The `country` a rule sees: us, uk, eu, ca, another ISO 3166 code in lower case, or other."""
    code = parse_location(location).country_code
    if code is None:
        return "other"
    if code == "GB":
        return "uk"
    return "eu" if code in EU_MEMBERS else code.lower()


def decide(policies: Policies, brief: Brief) -> PolicyDecision:
    """Apply every rule to the brief; order of the file is kept for matched rules."""
    names = rule_names(brief)
    decision = PolicyDecision()
    for rule in policies.routing:
        if rule.holds(names):
            decision.matched.append(rule.name)
            if rule.note:
                decision.notes.append(rule.note)
            for agent in rule.require_agents:
                if agent not in decision.require_agents:
                    decision.require_agents.append(agent)
            for focus in rule.review_focus:
                if focus not in decision.review_focus:
                    decision.review_focus.append(focus)
    for approval in policies.approval:
        if approval.holds(names):
            decision.matched.append(approval.name)
            decision.approval_rules.append(approval.name)
            if approval.note:
                decision.notes.append(approval.note)
    return decision


def load_policies(path: Path = POLICIES_PATH) -> Policies:
    """Read and check a policy file; a bad rule fails here, not in the middle of a run."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Policies.model_validate(raw)


@lru_cache(maxsize=1)
def default_policies() -> Policies:
    return load_policies()


__all__ = ["Policies", "PolicyDecision", "decide", "default_policies", "load_policies"]
