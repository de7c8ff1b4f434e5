"""The brief corpus in tests/data/briefs/: loading and running each brief offline."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from agents.dry_run import DryRun, run_brief

BRIEFS = Path(__file__).resolve().parents[2] / "data" / "briefs"


def brief_files() -> list[Path]:
    return sorted(BRIEFS.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def run(name: str) -> DryRun:
    case = load(BRIEFS / name)
    return run_brief(case["brief"], policy=case.get("policy", "approve"), run_id=Path(name).stem)
