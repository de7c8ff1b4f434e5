"""The role rules of services/permissions.py, without Flask or a database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.models import Role
from services.permissions import (
    ADMINISTER,
    CANCEL_RUNS,
    DECIDE_RUNS,
    PERMISSIONS,
    RESUME_RUNS,
    START_RUNS,
    VIEW_RUNS,
    can_act_on_run,
    has_permission,
    permissions_of,
)


@dataclass
class Person:
    id: int
    role: Role | str | None


@dataclass
class Started:
    created_by_id: int | None


MEMBER, EXECUTIVE, ADMIN = Person(1, Role.member), Person(2, Role.executive), Person(3, Role.admin)


def test_every_role_sees_runs():
    assert all(has_permission(user, VIEW_RUNS) for user in (MEMBER, EXECUTIVE, ADMIN))


@pytest.mark.parametrize("permission", [START_RUNS, DECIDE_RUNS, CANCEL_RUNS, RESUME_RUNS, ADMINISTER])
def test_a_member_only_watches(permission):
    assert not has_permission(MEMBER, permission)


def test_an_executive_runs_but_does_not_administer():
    assert {START_RUNS, DECIDE_RUNS, CANCEL_RUNS} <= permissions_of(Role.executive)
    assert not has_permission(EXECUTIVE, RESUME_RUNS)
    assert not has_permission(EXECUTIVE, ADMINISTER)


def test_an_admin_holds_every_permission():
    assert permissions_of(Role.admin) == PERMISSIONS


def test_role_names_and_enum_members_read_the_same():
    assert permissions_of("executive") == permissions_of(Role.executive)


@pytest.mark.parametrize("role", [None, "owner", "", 3])
def test_no_role_or_an_unknown_one_grants_nothing(role):
    assert not has_permission(Person(9, role), VIEW_RUNS)
    assert permissions_of(role) == frozenset()


def test_an_anonymous_user_has_no_permission():
    assert not has_permission(object(), VIEW_RUNS)


def test_a_misspelt_permission_is_an_error_not_a_refusal():
    with pytest.raises(ValueError, match="unknown permission"):
        has_permission(ADMIN, "start_run")


def test_an_admin_acts_on_any_run():
    assert can_act_on_run(ADMIN, Started(created_by_id=EXECUTIVE.id))
    assert can_act_on_run(ADMIN, Started(created_by_id=None))


def test_an_executive_acts_on_the_runs_they_started():
    assert can_act_on_run(EXECUTIVE, Started(created_by_id=EXECUTIVE.id))


def test_an_executive_does_not_act_on_another_ones_run():
    assert not can_act_on_run(EXECUTIVE, Started(created_by_id=99))
    assert not can_act_on_run(EXECUTIVE, Started(created_by_id=None))


def test_a_member_does_not_act_even_on_a_run_credited_to_them():
    assert not can_act_on_run(MEMBER, Started(created_by_id=MEMBER.id))


def test_the_user_model_reads_the_same_rules():
    from services.models import User

    assert User(role=Role.admin).is_admin and User(role=Role.admin).can_run
    assert User(role=Role.executive).can_run and not User(role=Role.executive).is_admin
    assert not User(role=Role.member).can_run and not User(role=Role.member).is_admin
