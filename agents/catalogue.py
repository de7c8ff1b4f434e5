"""The agent catalogue (config/agents.yaml): titles, descriptions, roles and default share caps."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from agents.state import SPECIALISTS

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
CATALOGUE_PATH = CONFIG_DIR / "agents.yaml"


class AgentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    description: str
    kind: Literal["planner", "specialist", "reviewer", "reporter"]
    default_share_cap_percent: Decimal | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _cap_only_for_specialists(self) -> AgentSpec:
        if (self.kind == "specialist") != (self.default_share_cap_percent is not None):
            raise ValueError(f"{self.name}: specialists (and only they) need a share cap")
        return self


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True)

    agents: dict[str, AgentSpec]

    @model_validator(mode="after")
    def _has_every_role(self) -> Catalogue:
        specialists = {name for name, spec in self.agents.items() if spec.kind == "specialist"}
        if specialists != set(SPECIALISTS):
            raise ValueError(f"catalogue specialists {sorted(specialists)} != {sorted(SPECIALISTS)}")
        for kind in ("planner", "reviewer", "reporter"):
            if not any(spec.kind == kind for spec in self.agents.values()):
                raise ValueError(f"catalogue has no {kind}")
        return self

    def default_caps(self) -> dict[str, Decimal]:
        """Per-specialist share cap as a fraction of the business budget (0.25 = 25 %)."""
        return {
            name: (spec.default_share_cap_percent or Decimal("0")) / Decimal("100")
            for name, spec in self.agents.items()
            if spec.kind == "specialist"
        }

    def title(self, name: str) -> str:
        spec = self.agents.get(name)
        return spec.title if spec else name


def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and validate a catalogue file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = raw.get("agents") or {}
    return Catalogue(agents={name: AgentSpec(name=name, **spec) for name, spec in entries.items()})


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The shipped catalogue, read once per process."""
    return load_catalogue()
