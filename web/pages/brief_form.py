"""The new-run form: reading it into a brief and putting validation messages next to its fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from agents.state import SPECIALISTS, Brief

MAX_OBJECTIVES = 10

# Brief locations (pydantic `loc`) → form field names.
_FIELD_OF = {
    ("company", "name"): "company_name",
    ("company", "industry"): "industry",
    ("company", "location"): "location",
    ("company",): "company_name",
    ("budget_usd",): "budget_usd",
    ("timeline_days",): "timeline_days",
    ("agents",): "agents",
    ("ai_cap_usd",): "ai_cap_usd",
    ("objectives",): "objectives",
}

_MESSAGES = {
    "company_name": "Enter the company name (up to 120 characters).",
    "industry": "Enter the industry (up to 80 characters).",
    "location": "Enter where the company operates (up to 120 characters).",
    "budget_usd": "Enter a budget between $100 and $1,000,000.",
    "timeline_days": "Enter a timeline between 7 and 730 days.",
    "ai_cap_usd": "Enter an AI-spend cap of zero or more, or leave it empty for the default.",
    "objectives": "Add at least one objective (up to 10).",
    "agents": "Choose at least one specialist.",
}


@dataclass
class BriefForm:
    """What the executive typed (echoed back on errors) and the messages per field."""

    company_name: str = ""
    industry: str = ""
    location: str = ""
    objectives: list[str] = field(default_factory=lambda: [""])
    budget_usd: str = ""
    timeline_days: str = ""
    agents: list[str] = field(default_factory=lambda: list(SPECIALISTS))
    ai_cap_usd: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_form(cls, form: MultiDict) -> BriefForm:
        objectives = [text.strip() for text in form.getlist("objectives") if text.strip()]
        return cls(
            company_name=form.get("company_name", "").strip(),
            industry=form.get("industry", "").strip(),
            location=form.get("location", "").strip(),
            objectives=objectives or [""],
            budget_usd=form.get("budget_usd", "").strip(),
            timeline_days=form.get("timeline_days", "").strip(),
            agents=[name for name in form.getlist("agents") if name],
            ai_cap_usd=form.get("ai_cap_usd", "").strip(),
        )

    def payload(self) -> dict[str, Any]:
        """The API's brief shape (what POST /api/runs accepts)."""
        body: dict[str, Any] = {
            "company": {"name": self.company_name, "industry": self.industry, "location": self.location},
            "objectives": [text for text in self.objectives if text],
            "budget_usd": _number(self.budget_usd),
            "timeline_days": _integer(self.timeline_days),
            "agents": self.agents,
        }
        if self.ai_cap_usd:
            body["ai_cap_usd"] = _number(self.ai_cap_usd)
        return body

    def validate(self) -> Brief | None:
        """The brief, or None with `errors` filled in."""
        if not self.agents:
            self.errors["agents"] = "Choose at least one specialist."
        if len([text for text in self.objectives if text]) > MAX_OBJECTIVES:
            self.errors["objectives"] = f"List at most {MAX_OBJECTIVES} objectives."
        try:
            brief = Brief.model_validate(self.payload())
        except ValidationError as exc:
            self.add_errors(
                {"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"]} for err in exc.errors()
            )
            return None
        return None if self.errors else brief

    def add_errors(self, details: Any, *, generic: bool = True) -> None:
        """Field errors (pydantic's, or the service's `details`) mapped onto form fields.

        `generic` swaps pydantic's wording for a plain sentence per field; the service's own
        messages (e.g. a cap above the organisation's maximum) are shown as they are.
        """
        for detail in details:
            loc = tuple(part for part in str(detail.get("field", "")).split(".") if part)
            loc = loc[1:] if loc[:1] == ("brief",) else loc
            name = self.field_for(loc)
            if name in self.errors:
                continue
            message = str(detail.get("message", "This value is not valid."))
            self.errors[name] = (_MESSAGES.get(name) if generic else None) or _sentence(message)

    @staticmethod
    def field_for(loc: tuple[str, ...]) -> str:
        if len(loc) >= 2 and loc[0] == "objectives" and loc[1].isdigit():
            return f"objectives-{loc[1]}"
        return _FIELD_OF.get(loc[:2], _FIELD_OF.get(loc[:1], "form"))


def _number(text: str) -> str | None:
    try:
        return str(Decimal(text.replace(",", "").replace("$", "")))
    except (InvalidOperation, ValueError):
        return text or None


def _integer(text: str) -> int | str | None:
    try:
        return int(text)
    except ValueError:
        return text or None


def _sentence(message: str) -> str:
    message = message.removeprefix("Value error, ")
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
