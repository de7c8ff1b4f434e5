"""The access helpers against a real database and real routes: `OrgScoped.get_by_id_and_org`,
`web.lookups.get_or_404`, `web.permissions` and `services.pagination.paginate`.

The refusals must read exactly as the views answered before the helpers existed: the API's JSON
error shape (with the views' own messages where they had one), the HTML error page elsewhere.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_login import login_user
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound

from services import users
from services.db import db
from services.models import ApiToken, Organisation, Run, User
from services.pagination import paginate
from services.permissions import START_RUNS
from tests.conftest import Auth
from tests.support.api import JsonClient, brief
from web.errors import ApiError
from web.lookups import get_or_404
from web.permissions import require_admin, require_permission


def add_run(app, user) -> str:
    with app.app_context():
        run = Run(
            org_id=user.org_id,
            created_by_id=user.id,
            brief={"company": {"name": "Acme"}},
            company_name="Acme",
            budget_usd=Decimal("1000"),
            ai_cap_usd=Decimal("1"),
        )
        db.session.add(run)
        db.session.commit()
        return run.id


def api_client(app, make_user, role: str, org: str = "Acme") -> JsonClient:
    return JsonClient(app.test_client()).login(make_user(role, org=org).email)


# --- OrgScoped ---------------------------------------------------------------------------------------


def test_get_by_id_and_org_finds_only_the_organisations_rows(app, make_user):
    alice = make_user("admin", org="Acme")
    outsider = make_user("admin", org="Globex")
    run_id = add_run(app, alice)
    with app.app_context():
        assert User.get_by_id_and_org(alice.id, alice.org_id).email == alice.email
        assert User.get_by_id_and_org(alice.id, outsider.org_id) is None
        assert Run.get_by_id_and_org(run_id, alice.org_id).id == run_id
        assert Run.get_by_id_and_org(run_id, outsider.org_id) is None


@pytest.mark.parametrize("bad_id", [0, -1, 2**63, True, "1", None, 1.0])
def test_a_user_id_that_cannot_exist_is_none_without_a_query_error(app, make_user, bad_id):
    alice = make_user("admin")
    with app.app_context():
        assert User.get_by_id_and_org(bad_id, alice.org_id) is None


@pytest.mark.parametrize("bad_id", ["", "x" * 33, "../etc", "a b", "a\x00b", 7, None])
def test_a_malformed_run_id_is_none(app, make_user, bad_id):
    alice = make_user("executive")
    add_run(app, alice)
    with app.app_context():
        assert Run.get_by_id_and_org(bad_id, alice.org_id) is None


def test_a_token_belongs_to_the_organisation_of_its_user(app, make_user):
    alice = make_user("executive", org="Acme")
    colleague = make_user("executive", org="Acme")
    outsider = make_user("admin", org="Globex")
    with app.app_context():
        token, _plain = users.create_token(db.session.get(User, alice.id), "ci", actor=None)
        token_id = token.id
        db.session.commit()
        assert ApiToken.get_by_id_and_org(token_id, alice.org_id).id == token_id
        assert ApiToken.get_by_id_and_org(token_id, outsider.org_id) is None
        # `match` narrows within the organisation: a colleague's token is not one's own.
        assert ApiToken.get_by_id_and_org(token_id, alice.org_id, user_id=colleague.id) is None
        assert ApiToken.get_by_id_and_org(token_id, alice.org_id, user_id=alice.id).id == token_id


# --- get_or_404 -------------------------------------------------------------------------------------


def test_get_or_404_in_a_request(app, make_user):
    alice = make_user("executive", org="Acme")
    outsider = make_user("executive", org="Globex")
    run_id = add_run(app, alice)
    with app.test_request_context("/api/runs"):
        login_user(db.session.get(User, outsider.id))
        with pytest.raises(ApiError) as refused:
            get_or_404(Run, run_id, message="No such run.")
        assert (refused.value.status, refused.value.code, refused.value.message) == (404, "not_found", "No such run.")
        with pytest.raises(NotFound):
            get_or_404(Run, run_id)
    with app.test_request_context("/runs"):
        login_user(db.session.get(User, alice.id))
        assert get_or_404(Run, run_id).id == run_id


def test_another_organisations_run_is_a_404_on_the_api_and_the_pages(app, make_user):
    alice = make_user("executive", org="Acme")
    run_id = add_run(app, alice)
    outsider = api_client(app, make_user, "admin", org="Globex")
    response = outsider.get(f"/api/runs/{run_id}")
    assert response.status_code == 404
    assert response.get_json()["error"] == {"code": "not_found", "message": "No such run.", "details": None}
    patched = outsider.client.patch(
        f"/api/runs/{run_id}", json={"ai_cap_usd": "2"}, headers={"X-CSRFToken": outsider.csrf}
    )
    assert patched.status_code == 404 and patched.get_json()["error"]["message"] == "No such run."
    page = outsider.get(f"/runs/{run_id}")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_an_admin_cannot_reach_another_organisations_user(app, make_user):
    victim = make_user("member", org="Acme")
    admin = make_user("admin", org="Globex")
    auth = Auth(app.test_client())
    auth.login(admin.email)
    token = auth.csrf("/admin/users")
    response = auth.client.post(f"/admin/users/{victim.id}/role", data={"role": "admin", "csrf_token": token})
    assert response.status_code == 404 and response.mimetype == "text/html"
    with app.app_context():
        assert db.session.get(User, victim.id).role.value == "member"


def test_a_colleagues_token_cannot_be_revoked_through_the_api(app, make_user):
    owner = make_user("executive", org="Acme")
    with app.app_context():
        token, _plain = users.create_token(db.session.get(User, owner.id), "ci", actor=None)
        token_id = token.id
        db.session.commit()
    colleague = api_client(app, make_user, "admin", org="Acme")
    response = colleague.client.delete(f"/api/tokens/{token_id}", headers={"X-CSRFToken": colleague.csrf})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    with app.app_context():
        assert not db.session.get(ApiToken, token_id).revoked


# --- permissions ------------------------------------------------------------------------------------


def test_a_member_lacking_start_runs_is_refused_in_the_apis_words(app, make_user):
    member = api_client(app, make_user, "member")
    response = member.post("/api/runs", brief())
    assert response.status_code == 403
    assert response.get_json()["error"] == {
        "code": "forbidden",
        "message": "Only executives and admins can change runs.",
        "details": None,
    }


def test_an_executive_cannot_resume(app, make_user):
    executive_user = make_user("executive")
    run_id = add_run(app, executive_user)
    executive = JsonClient(app.test_client()).login(executive_user.email)
    response = executive.post(f"/api/runs/{run_id}/resume")
    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == "Only admins can resume runs."


def test_the_admin_pages_and_api_refuse_a_non_admin(app, make_user):
    executive = api_client(app, make_user, "executive")
    page = executive.get("/admin/users")
    assert page.status_code == 403 and page.mimetype == "text/html"
    api = executive.get("/api/admin/budget")
    assert api.status_code == 403 and api.get_json()["error"]["code"] == "forbidden"


def test_the_new_run_page_refuses_a_member(app, make_user):
    member = api_client(app, make_user, "member")
    assert member.get("/runs/new").status_code == 403


def test_require_permission_logs_in_first(app):
    anonymous = app.test_client()
    assert anonymous.get("/api/runs").status_code == 401
    assert anonymous.get("/admin/users").status_code == 302  # to the login page


def test_decorators_in_a_request(app, make_user):
    member = make_user("member")

    @require_permission(START_RUNS, message="Executives only.")
    def start() -> str:
        return "started"

    @require_admin
    def administer() -> str:
        return "done"

    with app.test_request_context("/api/anything"):
        login_user(db.session.get(User, member.id))
        with pytest.raises(ApiError) as refused:
            start()
        assert (refused.value.status, refused.value.message) == (403, "Executives only.")
        with pytest.raises(Forbidden):
            administer()


def test_a_misspelt_permission_fails_when_the_view_is_declared():
    with pytest.raises(ValueError, match="unknown permission"):
        require_permission("start_run")


# --- paginate ---------------------------------------------------------------------------------------


def organisations(app, count: int) -> None:
    with app.app_context():
        db.session.add_all(Organisation(name=f"Paged {index:03}") for index in range(count))
        db.session.commit()


def names(app, page: int, per_page: int):
    with app.app_context():
        query = select(Organisation).where(Organisation.name.startswith("Paged ")).order_by(Organisation.name)
        found = paginate(query, page=page, per_page=per_page)
        return [org.name for org in found.items], found.total, found.page, found.pages


def test_paginate_pages_with_a_total(app):
    organisations(app, 7)
    assert names(app, 1, 3) == (["Paged 000", "Paged 001", "Paged 002"], 7, 1, 3)
    assert names(app, 2, 3)[0] == ["Paged 003", "Paged 004", "Paged 005"]


def test_paginate_last_page_holds_the_rest(app):
    organisations(app, 7)
    assert names(app, 3, 3) == (["Paged 006"], 7, 3, 3)


def test_paginate_beyond_the_end_is_empty_and_still_counted(app):
    organisations(app, 7)
    assert names(app, 9, 3) == ([], 7, 9, 3)


def test_paginate_an_empty_list(app):
    assert names(app, 1, 20) == ([], 0, 1, 1)


def test_paginate_never_caps_per_page(app):
    organisations(app, 150)  # Flask-SQLAlchemy caps at 100 unless told otherwise; the audit API allows 200
    found, total, _page, pages = names(app, 1, 200)
    assert len(found) == 150 and total == 150 and pages == 1


def test_paginate_refuses_page_zero(app):
    with pytest.raises(ValueError):
        names(app, 0, 10)
