"""GET /api/agents: the agent catalogue (who takes part in a run, and the default share caps)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from flask_login import login_required
from pydantic import BaseModel

from agents.catalogue import default_catalogue
from web.api import bp
from web.api.spec import documented


class AgentOut(BaseModel):
    name: str
    title: str
    description: str
    kind: Literal["planner", "specialist", "reviewer", "reporter"]
    default_share_cap_percent: Decimal | None


class AgentList(BaseModel):
    items: list[AgentOut]


@documented("The agent catalogue with default share caps", tag="agents", responses={200: AgentList})
@bp.get("/agents")
@login_required
def list_agents():  # noqa: ANN201
    catalogue = default_catalogue()
    return AgentList(
        items=[
            AgentOut(
                name=name,
                title=spec.title,
                description=spec.description,
                kind=spec.kind,
                default_share_cap_percent=spec.default_share_cap_percent,
            )
            for name, spec in catalogue.agents.items()
        ]
    ).model_dump(mode="json")
