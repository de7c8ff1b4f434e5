"""An admin cannot learn, or squat, which emails another organisation has (issue 12, finding 9).

Emails are unique per organisation: creating an account whose address exists in another one goes
exactly as for a new address, and the two accounts stay apart (the password says which one logs
in). Only a duplicate within the admin's own organisation is refused, where the admin sees it.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from services.db import db
from services.models import AuditEntry, User
from tests.conftest import PASSWORD, Auth, csrf_from

REFUSAL = "an account with this email cannot be created in this organisation"
ONE_TIME = re.compile(r"password: \S+")


def flashes(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<p class="flash flash-(\w+)">([^<]*)</p>', html)


def create(client, email: str):
    csrf = csrf_from(client.get("/admin/users").get_data(as_text=True))
    return client.post("/admin/users", data={"email": email, "role": "member", "csrf_token": csrf})


def answer(client, email: str) -> tuple[int, str, list[str]]:
    """What the admin sees, with the email and the one-time password masked."""
    response = create(client, email)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    masked = [(kind, ONE_TIME.sub("password: *", text.replace(email, "<email>"))) for kind, text in flashes(page)]
    seen = [f"{kind}:{text}" for kind, text in masked]
    return response.status_code, response.headers["Location"], seen


def test_an_email_of_another_org_is_created_exactly_like_a_new_one(app, client, make_user):
    outsider = make_user("member", org="Acme", email="ceo@acme.example")
    admin = make_user("admin", org="Globex")
    Auth(client).login(admin.email)
    assert answer(client, outsider.email) == answer(client, "new-hire@globex.example")
    with app.app_context():
        accounts = User.all_by_email(outsider.email)
        assert sorted(u.organisation.name for u in accounts) == ["Acme", "Globex"]


def test_a_duplicate_in_ones_own_org_is_refused_by_the_field(app, client, make_user):
    insider = make_user("member", org="Globex", email="staff@globex.example")
    admin = make_user("admin", org="Globex")
    Auth(client).login(admin.email)
    for email in (insider.email, insider.email.upper()):
        status, _, seen = answer(client, email)
        assert status == 302 and seen == [f"error:{REFUSAL}"]


def test_creating_it_leaves_nothing_about_the_other_org_in_the_audit_log(app, client, make_user):
    outsider = make_user("member", org="Acme", email="cfo@acme.example")
    admin = make_user("admin", org="Globex")
    Auth(client).login(admin.email)
    create(client, outsider.email)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.org_id == admin.org_id)).all()
        text = " ".join(f"{e.action} {e.target_id} {e.before} {e.after}" for e in entries)
    assert "Acme" not in text and str(outsider.id) not in [e.target_id for e in entries]


def test_each_account_logs_in_with_its_own_password_only(app, make_user):
    make_user("executive", org="Acme", email="pat@shared.example")  # the tests' shared password
    with app.app_context():
        from services import accounts

        accounts.create_user(email="pat@shared.example", role="member", org_name="Globex",
                             password="another long password 2")  # fmt: skip
    for password, org in ((PASSWORD, "Acme"), ("another long password 2", "Globex")):
        client = app.test_client()
        assert Auth(client).login("pat@shared.example", password).status_code == 302
        assert client.get("/api/me").get_json()["organisation"]["name"] == org
    assert Auth(app.test_client()).login("pat@shared.example", "neither of them 123").status_code == 401


def test_a_creation_race_within_the_org_answers_the_refusal_not_500(app, client, make_user, monkeypatch):
    """Two creations of one email at once: the loser hits the unique index, and gets the refusal."""
    insider = make_user("member", org="Globex", email="cto@globex.example")
    admin = make_user("admin", org="Globex")
    Auth(client).login(admin.email)
    monkeypatch.setattr(User, "by_email", classmethod(lambda cls, email, org_id=None: None))
    response = create(client, insider.email)
    assert response.status_code == 302
    monkeypatch.undo()
    assert flashes(client.get("/admin/users").get_data(as_text=True)) == [("error", REFUSAL)]
