"""Live runs: commands (service), background execution (scheduler, executor) and queries.

Public API: `RunService` (create/cancel/decide/resume, start/stop; built on a `RunWiring`),
`run_for_org`, `list_runs`, `RunFilter`, `queue_positions`, and the errors in `errors`.
"""

from services.runs.errors import RunActionError, RunConflict, RunForbidden, RunInvalid
from services.runs.queries import RunFilter, list_runs, queue_positions, run_for_org
from services.runs.service import RunService, checkpoint_url

__all__ = [
    "RunActionError",
    "RunConflict",
    "RunFilter",
    "RunForbidden",
    "RunInvalid",
    "RunService",
    "checkpoint_url",
    "list_runs",
    "queue_positions",
    "run_for_org",
]
