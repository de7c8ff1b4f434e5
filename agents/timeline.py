"""A schedule for the report: tasks placed in waves by their dependencies over the timeline."""

from __future__ import annotations

from dataclasses import dataclass

from agents.state import Task


@dataclass(frozen=True)
class Slot:
    task: Task
    wave: int
    start_day: int
    end_day: int


def waves(tasks: list[Task]) -> dict[str, int]:
    """Wave 0 has no dependencies; a task sits one wave after its latest dependency.

    Dependencies on tasks outside the list are ignored and cycles are cut, so any plan works.
    """
    known = {task.id: task for task in tasks}
    level: dict[str, int] = {}

    def visit(task_id: str, trail: frozenset[str]) -> int:
        if task_id in level:
            return level[task_id]
        deps = [d for d in known[task_id].depends_on if d in known and d not in trail]
        value = 1 + max((visit(d, trail | {task_id}) for d in deps), default=-1)
        level[task_id] = value
        return value

    for task in tasks:
        visit(task.id, frozenset())
    return level


def schedule(tasks: list[Task], timeline_days: int) -> list[Slot]:
    """Split the timeline evenly between waves; tasks of a wave run side by side."""
    if not tasks:
        return []
    level = waves(tasks)
    count = max(level.values()) + 1
    span = timeline_days / count
    slots = [
        Slot(task, level[task.id], int(level[task.id] * span) + 1, int((level[task.id] + 1) * span))
        for task in tasks
    ]
    return sorted(slots, key=lambda s: (s.wave, s.task.priority, s.task.id))
