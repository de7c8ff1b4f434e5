"""A schedule a project manager would accept: durations by kind, dependencies, recurring work.

Each funded task starts the day after the last task it depends on ends and lasts its kind's typical
duration; recurring work (content, ads, tools, hosting) runs from its start to the end of the
timeline. If the longest chain does not fit the timeline, one-off durations are compressed in
proportion and the report says so. Filings whose outcome lands later (trademark registration, a
licence decision) become milestones, marked when they fall after the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agents.knowledge.durations import DURATIONS
from agents.knowledge.licences import is_exemption
from agents.knowledge.playbooks import base_kind, kind_instance
from agents.state import Task

DEFAULT_DAYS = 14
MONTH_DAYS = 30


@dataclass(frozen=True)
class Slot:
    task: Task
    start_day: int
    end_day: int
    recurring: bool
    critical: bool


@dataclass(frozen=True)
class Milestone:
    day: int
    title: str
    task_id: str | None
    after_timeline: bool


@dataclass(frozen=True)
class Schedule:
    slots: list[Slot]
    milestones: list[Milestone]
    critical_path: list[str]
    needed_days: int  # the longest chain before any compression
    compressed: bool
    typical_ends: dict[str, int] = field(default_factory=dict)  # task id -> end day before compression


def _base(task: Task) -> str:
    return base_kind(task.kind)


def _typical(task: Task) -> tuple[int, bool]:
    duration = DURATIONS.get(_base(task))
    if duration is None:
        return DEFAULT_DAYS, False
    return max(1, duration.typical_days), duration.recurring


def _place(tasks: list[Task], days: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Earliest start and end of each task (1-based, inclusive); cycles and unknown deps are cut."""
    known = {task.id: task for task in tasks}
    placed: dict[str, tuple[int, int]] = {}

    def visit(task_id: str, trail: frozenset[str]) -> tuple[int, int]:
        if task_id in placed:
            return placed[task_id]
        deps = [d for d in known[task_id].depends_on if d in known and d not in trail]
        start = 1 + max((visit(d, trail | {task_id})[1] for d in deps), default=0)
        placed[task_id] = (start, start + days[task_id] - 1)
        return placed[task_id]

    for task in tasks:
        visit(task.id, frozenset())
    return placed


def _critical(tasks: list[Task], placed: dict[str, tuple[int, int]]) -> list[str]:
    if not tasks:
        return []
    known = {task.id: task for task in tasks}
    current = max(tasks, key=lambda t: (placed[t.id][1], -t.priority)).id
    path = [current]
    while True:
        deps = [d for d in known[current].depends_on if d in known and d not in path]
        if not deps:
            return list(reversed(path))
        current = max(deps, key=lambda d: placed[d][1])
        path.append(current)


def build_schedule(tasks: list[Task], timeline_days: int, reference: dict[str, Any] | None = None) -> Schedule:
    """Place the funded tasks on the timeline (see module docstring)."""
    typical = {task.id: _typical(task) for task in tasks}
    days = {task_id: d for task_id, (d, _) in typical.items()}
    placed = _place(tasks, days)
    typical_ends = {task_id: end for task_id, (_, end) in placed.items() if not typical[task_id][1]}
    needed = max((end for _, end in placed.values()), default=0)
    compressed = needed > timeline_days
    if compressed:
        factor = timeline_days / needed
        days = {task_id: max(1, int(d * factor)) for task_id, d in days.items()}
        placed = _place(tasks, days)
        while max(end for _, end in placed.values()) > timeline_days:
            longest = max(days, key=lambda k: days[k])
            if days[longest] == 1:
                break
            days[longest] -= 1
            placed = _place(tasks, days)
    critical = _critical(tasks, placed)
    slots = []
    for task in tasks:
        start, end = placed[task.id]
        start = min(start, timeline_days)
        recurring = typical[task.id][1]
        end = timeline_days if recurring else min(end, timeline_days)
        slots.append(Slot(task, start, end, recurring, task.id in critical))
    slots.sort(key=lambda s: (s.start_day, s.task.priority, _number(s.task.id)))
    return Schedule(slots, _milestones(slots, timeline_days, reference or {}), critical, needed, compressed,
                    typical_ends)


def _number(task_id: str) -> tuple[int, str]:
    """T2 before T11."""
    digits = "".join(ch for ch in task_id if ch.isdigit())
    return (int(digits) if digits else 0, task_id)


def _milestones(slots: list[Slot], timeline_days: int, reference: dict[str, Any]) -> list[Milestone]:
    found: list[Milestone] = []

    def add(day: int, title: str, task_id: str | None) -> None:
        found.append(Milestone(day, title, task_id, day > timeline_days))

    for slot in slots:
        kind, task = _base(slot.task), slot.task
        if kind == "formation":
            add(slot.end_day, "Company formed", task.id)
        elif kind in ("site", "shop", "app"):
            add(slot.end_day, {"site": "Website live", "shop": "Shop open for orders",
                               "app": "App released"}[kind], task.id)
        elif kind == "trademark":
            add(slot.end_day, "Trademark application filed", task.id)
            low, high = (reference.get("trademark") or {}).get("registration_months") or (6, 12)
            add(slot.end_day + low * MONTH_DAYS,
                f"Trademark registration expected ({low}–{high} months after filing)", task.id)
        elif kind in ("licence", "nonprofit_filing"):
            add(slot.end_day, f"{task.id} application submitted", task.id)
            months = _licence_months(task, reference)
            if months and months[1] > 0:
                low, high = months
                wait = f"{low}–{high} months" if low else f"up to {high} month{'s' if high > 1 else ''}"
                add(slot.end_day + max(low, 1) * MONTH_DAYS, f"{task.id} decision expected ({wait} after applying)",
                    task.id)
        elif kind in ("media", "acquisition_media", "opening_campaign"):
            add(slot.start_day, "Paid campaign starts", task.id)
        elif kind == "launch_event":
            add(slot.end_day, "Launch event", task.id)
    found.append(Milestone(timeline_days, "End of the timeline", None, False))
    return sorted(found, key=lambda m: (m.day, m.title))


def _licence_months(task: Task, reference: dict[str, Any]) -> tuple[int, int] | None:
    licences = reference.get("licences") or []
    index = kind_instance(task.kind)
    if index is not None and index < len(licences) and licences[index].get("months"):
        low, high = licences[index]["months"]
        return int(low), int(high)
    for licence in licences:
        if licence.get("months") and is_exemption(licence):
            low, high = licence["months"]
            return int(low), int(high)
    return None
