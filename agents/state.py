"""Domain types of a run (brief, plan, allocation, deliverables, findings, report) and graph state.

Checkpointed graph state holds only JSON values (`model_dump(mode="json")` dicts), so the strict
checkpoint serializer can load it back in any process; nodes turn them back into models at the edge.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator
from pydantic.json_schema import JsonDict
from typing_extensions import TypedDict

SPECIALISTS: tuple[str, ...] = ("branding", "legal", "webdev", "martech", "content", "campaigns")
CENTS = Decimal("0.01")

Severity = Literal["info", "warning", "critical"]
Category = Literal[
    "filing_fee",
    "professional_services",
    "design",
    "software",
    "hosting",
    "advertising",
    "content_production",
    "other",
]


def cents(value: Decimal | int | str) -> Decimal:
    """Business money is kept to the cent, rounded half up like an invoice."""
    return Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP)


class _Model(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


# Bidirectional-text controls make a name render differently from what it contains (Trojan Source).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f" + "".join(f"\\u{ord(ch):04x}" for ch in sorted(BIDI_CONTROLS))
# What str_strip_whitespace cuts (pydantic-core: Unicode White_Space), spelled out: `\s` means other
# sets in Python (adds \x1c-\x1f) and in the clients' ECMAScript (adds \ufeff, lacks \x85), and
# schemathesis found a "\x85" objective the schema allowed and the API refused as blank.
STRIP_SET = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_STRIPPED = rf"[{STRIP_SET}]*"
PLAIN_TEXT_PATTERN = rf"^{_STRIPPED}[^{_REFUSED}{STRIP_SET}](?:[^{_REFUSED}]*[^{_REFUSED}{STRIP_SET}])?{_STRIPPED}$"
"""JSON Schema of a brief's text: not blank once stripped; no text-direction controls (refused
below) and no control characters but tab and line breaks (the runs API refuses them: databases
refuse NUL)."""
_PLAIN_TEXT: JsonDict = {"pattern": PLAIN_TEXT_PATTERN}


def no_bidi_controls(value: str) -> str:
    if any(ch in BIDI_CONTROLS for ch in value):
        raise ValueError("remove the invisible text-direction characters")
    return value


class Company(_Model):
    name: str = Field(min_length=1, max_length=120, json_schema_extra=_PLAIN_TEXT)
    industry: str = Field(min_length=1, max_length=80, json_schema_extra=_PLAIN_TEXT)
    location: str = Field(min_length=1, max_length=120, json_schema_extra=_PLAIN_TEXT)

    @field_validator("name", "industry", "location")
    @classmethod
    def _plain_text(cls, value: str) -> str:
        return no_bidi_controls(value)


class Brief(_Model):
    """What the executive asked for; validated once at the edge of the engine."""

    company: Company
    objectives: list[Annotated[str, Field(min_length=1, max_length=300, json_schema_extra=_PLAIN_TEXT)]] = Field(
        min_length=1, max_length=10
    )
    budget_usd: Decimal = Field(ge=Decimal("100"), le=Decimal("1000000"))
    timeline_days: int = Field(ge=7, le=730)
    # The schema says what the validator below accepts (it also names the unknown ones).
    agents: Annotated[
        list[str] | None,
        WithJsonSchema({
            "anyOf": [
                {"type": "array", "items": {"enum": list(SPECIALISTS)}, "minItems": 1},
                {"type": "null"},
            ],
            "description": "The specialists to run (default: all of them).",
        }),
    ] = None
    # Six places: the AI ledger counts micro-dollars (the run service refused more places anyway).
    ai_cap_usd: Decimal | None = Field(default=None, ge=0, decimal_places=6)

    @field_validator("budget_usd")
    @classmethod
    def _to_cents(cls, value: Decimal) -> Decimal:
        return cents(value)

    @field_validator("objectives")
    @classmethod
    def _plain_objectives(cls, value: list[str]) -> list[str]:
        return [no_bidi_controls(text) for text in value]

    @field_validator("agents")
    @classmethod
    def _known_specialists(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        unknown = sorted(set(value) - set(SPECIALISTS))
        if unknown:
            raise ValueError(f"unknown agents {unknown}; choose from {list(SPECIALISTS)}")
        if not value:
            raise ValueError("choose at least one agent, or leave agents unset for all")
        return [name for name in SPECIALISTS if name in value]


class Task(_Model):
    id: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=200)
    owner: str
    priority: int = Field(ge=1, le=5, description="1 = highest")
    estimated_cost: Decimal = Field(ge=0)
    depends_on: list[str] = Field(default_factory=list)
    rationale: str = ""
    kind: str = Field("", description="task kind from the knowledge base (durations, costing)")
    objective_indexes: list[int] = Field(default_factory=list, description="1-based objectives served")

    @field_validator("estimated_cost")
    @classmethod
    def _to_cents(cls, value: Decimal) -> Decimal:
        return cents(value)


class Uncovered(_Model):
    """An objective the planner could not give a task, with a reason a person can act on."""

    index: int
    reason: str = Field(min_length=1, max_length=600)


class Plan(_Model):
    summary: str = ""
    tasks: list[Task] = Field(default_factory=list)
    not_covered: list[Uncovered] = Field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return cents(sum((task.estimated_cost for task in self.tasks), Decimal("0")))

    def tasks_of(self, agent: str) -> list[Task]:
        return [task for task in self.tasks if task.owner == agent]


class DroppedTask(_Model):
    task_id: str
    owner: str
    estimated_cost: Decimal
    reason: Literal["agent_cap", "over_budget", "rejected", "cut", "dependency"]


class Approval(_Model):
    decision: Literal["approve", "reject", "edit"]
    note: str = ""
    amount: Decimal = Decimal("0")
    forced_by: list[str] = Field(default_factory=list)
    cut: list[str] = Field(default_factory=list, description="task ids the executive cut (edit)")
    reason: Literal["approval_required", "quote"] = "approval_required"  # the pause it answered
    # Who decided: a person, or the organisation's approval deadline passing (its fallback).
    by: Literal["executive", "deadline"] = "executive"


class ObjectiveCheck(_Model):
    """One objective as screened and classified at intake, before anything is planned."""

    index: int
    text: str
    status: Literal["ok", "refused", "unclear"]
    kind: str | None = None
    kind_label: str = ""
    reason: str = ""
    rule: str = ""
    source_url: str = ""
    target: str = ""
    target_value: Decimal | None = None
    target_unit: str = ""
    outside_scope: str = ""

    @property
    def plannable(self) -> bool:
        return self.status == "ok"


class Allocation(_Model):
    """How much of the business budget each agent may commit, and the run's spending ceiling."""

    budget: Decimal
    ceiling: Decimal
    caps: dict[str, Decimal]
    by_agent: dict[str, Decimal]
    plan_total: Decimal
    overrun: Decimal = Decimal("0")
    dropped: list[DroppedTask] = Field(default_factory=list)
    approval: Approval | None = None
    executed: bool = True

    @property
    def total(self) -> Decimal:
        return cents(sum(self.by_agent.values(), Decimal("0")))


class LineItem(_Model):
    """A commitment: `amount` is always `quantity` x `unit_usd`, to the cent."""

    id: str
    agent: str
    description: str = Field(min_length=1, max_length=300)
    amount: Decimal = Field(ge=0)
    category: Category = "other"
    task_id: str = ""
    quantity: Decimal = Field(Decimal("1"), gt=0)
    unit: str = ""
    unit_usd: Decimal | None = Field(None, ge=0)
    fact_ids: list[str] = Field(default_factory=list)

    @field_validator("amount")
    @classmethod
    def _to_cents(cls, value: Decimal) -> Decimal:
        return cents(value)

    @model_validator(mode="after")
    def _quantity_times_unit(self) -> LineItem:
        if self.unit_usd is None:
            self.unit_usd = cents(self.amount / self.quantity)
        self.unit_usd = cents(self.unit_usd)
        product = cents(self.quantity * self.unit_usd)
        if product != self.amount:
            # A trimmed or free-form amount: state it as one unit so the arithmetic still holds.
            self.quantity, self.unit_usd, self.unit = Decimal("1"), self.amount, "lot"
        return self


class Deliverable(_Model):
    agent: str
    title: str
    summary_markdown: str
    items: list[str] = Field(default_factory=list)
    line_items: list[LineItem] = Field(default_factory=list)

    @property
    def committed(self) -> Decimal:
        return cents(sum((item.amount for item in self.line_items), Decimal("0")))


class Finding(_Model):
    id: str = Field(description="Stable id so a re-run node does not add it twice")
    severity: Severity
    agent: str | None = None
    message: str = Field(min_length=1, max_length=600)


class Review(_Model):
    summary: str
    findings: list[Finding] = Field(default_factory=list)


class SpendRow(_Model):
    agent: str
    allocated: Decimal
    committed: Decimal
    remaining: Decimal


class Report(_Model):
    markdown: str
    committed_total: Decimal
    budget: Decimal
    ceiling: Decimal
    spend: list[SpendRow]
    agents: list[str]
    offline: bool = False
    structured: dict[str, Any] = Field(default_factory=dict, description="StructuredReport JSON")

    @model_validator(mode="after")
    def _table_adds_up(self) -> Report:
        rows = cents(sum((row.committed for row in self.spend), Decimal("0")))
        if rows != self.committed_total:
            raise ValueError(f"spend rows add up to {rows}, not {self.committed_total}")
        return self


def merge_deliverables(
    current: dict[str, dict[str, Any]] | None, update: dict[str, dict[str, Any]] | None
) -> dict[str, dict[str, Any]]:
    """Parallel specialists each write their own agent's key; a re-run replaces its own entry."""
    return {**(current or {}), **(update or {})}


def append_findings(
    current: list[dict[str, Any]] | None, update: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Append new findings in order; a finding id seen before is not added twice."""
    merged = list(current or [])
    seen = {finding["id"] for finding in merged}
    for finding in update or []:
        if finding["id"] not in seen:
            merged.append(finding)
            seen.add(finding["id"])
    return merged


def append_journal(
    current: list[dict[str, Any]] | None, update: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Events emitted by finished nodes, in order, once per key."""
    merged = list(current or [])
    seen = {event["key"] for event in merged}
    for event in update or []:
        if event["key"] not in seen:
            merged.append(event)
            seen.add(event["key"])
    return merged


class WorkflowInput(TypedDict):
    run_id: str
    brief: dict[str, Any]


class WorkflowState(TypedDict, total=False):
    """Graph state; every value is plain JSON (see module docstring)."""

    run_id: str
    brief: dict[str, Any]
    policy: dict[str, Any]
    objectives: list[dict[str, Any]]
    reference: dict[str, Any]
    plan: dict[str, Any]
    allocation: dict[str, Any]
    forecast: dict[str, Any]  # the AI-spend forecast of what budgeting funded (agents/forecast.py)
    deliverables: Annotated[dict[str, dict[str, Any]], merge_deliverables]
    findings: Annotated[list[dict[str, Any]], append_findings]
    review: dict[str, Any]
    report: dict[str, Any]
    journal: Annotated[list[dict[str, Any]], append_journal]


def dump(model: BaseModel) -> dict[str, Any]:
    """The JSON form that goes into state, events and LLM request data."""
    return model.model_dump(mode="json")
