"""The structured report: the one source of every figure a reader sees.

The Markdown, the web page, the print/PDF document, the CLI summary and
`GET /api/runs/{id}/report?format=json` are all renderings of this model; none of them computes a
number of its own. Money is a `Decimal` to the cent and serialises as a decimal string.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

Money = Annotated[Decimal, PlainSerializer(lambda value: f"{value:.2f}", return_type=str)]
Rate = Annotated[Decimal, PlainSerializer(lambda value: str(value), return_type=str)]
# AI spend is kept in micro-dollars by the ledger, so it serialises with six places.
AIMoney = Annotated[Decimal, PlainSerializer(lambda value: f"{value:.6f}", return_type=str)]
Verdict = Literal["inside", "below", "above", "unpriced"]

ObjectiveStatus = Literal["covered", "not_covered", "refused", "unclear"]
TaskStatus = Literal["funded", "dropped"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ObjectiveRow(_Part):
    index: int = Field(description="1-based position in the brief")
    text: str
    kind: str = Field(description="taxonomy key, e.g. fundraising; 'unknown' when unclassified")
    kind_label: str = ""
    status: ObjectiveStatus
    task_ids: list[str] = Field(default_factory=list, description="funded tasks serving it")
    reason: str = Field("", description="why it is not covered, refused or unclear")
    rule: str = Field("", description="the law or rule behind a refusal")
    source_url: str = ""
    outside_scope: str = Field("", description="work the team cannot do, and its typical cost")


class TaskRow(_Part):
    id: str
    title: str
    agent: str
    agent_title: str = ""
    kind: str = ""
    objective_indexes: list[int] = Field(default_factory=list)
    priority: int
    status: TaskStatus
    drop_reason: str = Field("", description="agent_cap | over_budget | rejected | cut | dependency")
    cost_usd: Money
    start_day: int | None = None
    end_day: int | None = None
    recurring: bool = False
    critical: bool = False
    depends_on: list[str] = Field(default_factory=list)
    rationale: str = ""
    typical_end_day: int | None = Field(
        None, description="the day a one-off task would end at typical durations (past the timeline when the "
        "schedule was compressed to fit)")


class AgentBudget(_Part):
    agent: str
    agent_title: str = ""
    allocated_usd: Money
    committed_usd: Money
    remaining_usd: Money


class BudgetSummary(_Part):
    total_usd: Money = Field(description="the brief's business budget")
    ceiling_usd: Money = Field(description="budget plus any overrun the executive approved")
    plan_total_usd: Money = Field(description="every planned task, funded or not")
    funded_usd: Money = Field(description="estimated cost of the funded tasks")
    committed_usd: Money = Field(description="sum of the line items")
    remaining_usd: Money = Field(description="ceiling minus committed")
    unspent_usd: Money = Field(description="budget not committed (never called contingency)")
    by_agent: list[AgentBudget] = Field(default_factory=list)


class LineItemRow(_Part):
    id: str
    agent: str
    task_id: str
    description: str
    category: str = "other"
    quantity: Rate
    unit: str = ""
    unit_usd: Money
    amount_usd: Money
    fact_ids: list[str] = Field(default_factory=list)


class DeliverableRow(_Part):
    """What a specialist produced: its own words (Markdown, sanitised when rendered) and outputs."""

    agent: str
    agent_title: str = ""
    title: str
    summary_markdown: str
    outputs: list[str] = Field(default_factory=list)
    committed_usd: Money


class FactRow(_Part):
    id: str
    what: str
    jurisdiction: str
    amount: Money
    currency: str
    amount_usd: Money
    classes: list[int] | None = None
    source_url: str
    as_of: str = Field(description="ISO date the figure was last checked")
    note: str = ""


class RateRow(_Part):
    currency: str
    usd_per_unit: Rate
    source_url: str
    as_of: str


class JurisdictionRow(_Part):
    label: str
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2")
    region_code: str | None = Field(None, description="ISO 3166-2 subdivision, e.g. US-TX")
    ambiguous: bool = False
    note: str = ""


class Milestone(_Part):
    day: int
    title: str
    task_id: str | None = None
    after_timeline: bool = False


class RiskRow(_Part):
    id: str
    risk: str
    likelihood: Literal["low", "medium", "high"]
    impact: Literal["low", "medium", "high"]
    mitigation: str
    owner: str
    severity: Literal["info", "warning", "critical"] = "warning"


class KPIRow(_Part):
    objective_index: int
    metric: str
    target: str
    by_day: int


class Flag(_Part):
    code: str
    message: str


class Check(_Part):
    name: Literal["coverage", "arithmetic", "schedule", "sources", "screening", "currency"]
    passed: bool
    detail: str


# How the note of a decision the approval deadline's fallback took begins (services/runs/deadlines.py);
# the decision's `by` says who decided, never the note.
DEADLINE_NOTE = "No decision by the deadline"


class Decision(_Part):
    decision: Literal["approve", "reject", "edit", "trim"]
    by: Literal["executive", "policy", "deadline"]
    note: str = ""
    cut: list[str] = Field(default_factory=list, description="task ids the decision cut")
    overrun_usd: Money = Decimal("0")
    quote: bool = Field(False, description="it answered a quote: the plan fitted, the policy asked first")
    executed: bool = Field(True, description="work was commissioned after it")


class AIForecastRow(_Part):
    """One agent's calls after the quote: the forecast range and what the ledger recorded."""

    agent: str
    agent_title: str = ""
    calls_forecast: int = 0
    calls_actual: int = 0
    low_usd: AIMoney = Decimal("0")
    high_usd: AIMoney = Decimal("0")
    actual_usd: AIMoney = Decimal("0")
    tokens_low: int = 0
    tokens_high: int = 0
    tokens_actual: int = 0
    verdict: Verdict = "inside"


class AISpendComparison(_Part):
    """The quote's AI-spend forecast for the rest of the run against the actual (agents/report_ai.py)."""

    model: str
    provider: str
    priced: bool
    offline: bool
    low_usd: AIMoney
    high_usd: AIMoney
    actual_usd: AIMoney
    tokens_low: int
    tokens_high: int
    tokens_actual: int
    calls_forecast: int
    calls_actual: int
    cached_calls: int = 0
    usage_estimated: bool = False
    verdict: Verdict = Field(description="where the actual landed: inside, below or above the range")
    token_verdict: Verdict
    run_cap_usd: AIMoney | None = None
    org_cap_usd: AIMoney | None = None
    rows: list[AIForecastRow] = Field(default_factory=list)
    summary: str = Field("", description="the comparison in one sentence (agents/report_ai.py)")


class StructuredReport(_Part):
    version: Literal[1] = 1
    company: dict[str, str]
    timeline_days: int
    offline: bool
    provider_label: str = ""
    executive_summary: str
    outcome_statements: list[str] = Field(default_factory=list, description="true at the end")
    objectives: list[ObjectiveRow]
    tasks: list[TaskRow]
    budget: BudgetSummary
    line_items: list[LineItemRow]
    deliverables: list[DeliverableRow] = Field(default_factory=list)
    facts: list[FactRow]
    exchange_rates: list[RateRow] = Field(default_factory=list)
    jurisdiction: JurisdictionRow
    trademark_classes: list[int] = Field(default_factory=list)
    entity_advice: str = ""
    milestones: list[Milestone] = Field(default_factory=list)
    critical_path: list[str] = Field(default_factory=list)
    risks: list[RiskRow] = Field(default_factory=list)
    kpis: list[KPIRow] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    decision: Decision | None = None
    ai_spend: AISpendComparison | None = None
    flags: list[Flag] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
