"""Who may do what: the capabilities each role holds, and the rule for acting on one run.

The rules used to be spelled out wherever a decision was made (`role == Role.admin` in a page,
`can_run` in the API, a creator check in the run service, a role list in the sockets), so one
change of policy meant finding them all. They live here once; the web layer and the services ask
`has_permission` and `can_act_on_run`. Only the rules: no Flask and no database, so any layer can
import it (the user model included, whose `is_admin` and `can_run` read these tables).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

VIEW_RUNS = "view_runs"  # see the organisation's runs, their events and reports
START_RUNS = "start_runs"  # create runs (and so own the runs one created)
DECIDE_RUNS = "decide_runs"  # approve, edit or reject a run's over-budget plan
CANCEL_RUNS = "cancel_runs"  # cancel runs, within `can_act_on_run`
RESUME_RUNS = "resume_runs"  # resume a run paused at its AI-spend cap
ADMINISTER = "administer"  # users, tokens, budgets, provider settings, spend and audit; any run of the org

_MEMBER = frozenset({VIEW_RUNS})
_EXECUTIVE = _MEMBER | {START_RUNS, DECIDE_RUNS, CANCEL_RUNS}
_ADMIN = _EXECUTIVE | {RESUME_RUNS, ADMINISTER}

# Keyed by role name: `Role` is a str enum, so `Role.admin` finds "admin" (and this module needs
# no import of the models, which import it).
ROLE_PERMISSIONS: Mapping[str, frozenset[str]] = {
    "member": _MEMBER,
    "executive": _EXECUTIVE,
    "admin": _ADMIN,
}
PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


class Actor(Protocol):
    """What the rules read of a user."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...


class OwnedRun(Protocol):
    """What the rules read of a run."""

    @property
    def created_by_id(self) -> int | None: ...


def permissions_of(role: object) -> frozenset[str]:
    """The capabilities of a role (a `Role` or its name); none for an unknown role or no role."""
    name = getattr(role, "value", role)
    return ROLE_PERMISSIONS.get(name, frozenset()) if isinstance(name, str) else frozenset()


def has_permission(user: object, permission: str) -> bool:
    """True when the user's role grants `permission`; an anonymous user (no role) has none.

    An unknown permission name is a programming error, not a refusal: it raises ValueError.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return permission in permissions_of(getattr(user, "role", None))


def can_act_on_run(user: Actor, run: OwnedRun) -> bool:
    """Admins act on any run of their organisation, executives on the runs they started.

    Scoping to the organisation is the lookup's job (`get_by_id_and_org`); this is the rule within it.
    """
    if has_permission(user, ADMINISTER):
        return True
    return has_permission(user, START_RUNS) and run.created_by_id == user.id
