"""An admin cannot learn which emails exist in other organisations by creating users with them
(issue 12, finding 9): the refusal is the same as for an email of their own organisation."""

from __future__ import annotations

import re

from sqlalchemy import select

from services.db import db
from services.models import AuditEntry
from tests.conftest import Auth, csrf_from

REFUSAL = "an account with this email cannot be created in this organisation"


def flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash flash-(\w+)">([^<]*)</p>', html)


def create(client, email: str):  # noqa: ANN001, ANN201
    csrf = csrf_from(client.get("/admin/users").get_data(as_text=True))
    return client.post("/admin/users", data={"email": email, "role": "member", "csrf_token": csrf})


def test_refusal_is_the_same_for_an_email_in_another_org_and_in_ones_own(app, client, make_user):
    outsider = make_user("member", org="Acme", email="ceo@acme.example")
    insider = make_user("member", org="Globex", email="staff@globex.example")
    admin = make_user("admin", org="Globex")
    Auth(client).login(admin.email)
    answers = []
    for email in (outsider.email, insider.email, outsider.email.upper()):
        response = create(client, email)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"], flashes(page)))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][2] == [("error", REFUSAL)]
    assert "already exists" not in str(answers)


def test_refusal_leaves_nothing_about_the_other_org_in_the_audit_log(app, client, make_user):
    outsider = make_user("member", org="Acme", email="cfo@acme.example")
    admin = make_user("admin", org="Globex")
    Auth(client).login(admin.email)
    create(client, outsider.email)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.org_id == admin.org_id)).all()
        text = " ".join(f"{e.action} {e.target_id} {e.before} {e.after}" for e in entries)
    assert "Acme" not in text and str(outsider.id) not in [e.target_id for e in entries]


def test_a_creation_race_lost_to_another_org_answers_the_same_not_500(app, client, make_user, monkeypatch):
    """Two creations of one email at once: the loser hits the unique index, and gets the same refusal."""
    from services.models import User

    outsider = make_user("member", org="Acme", email="cto@acme.example")
    admin = make_user("admin", org="Globex")
    Auth(client).login(admin.email)
    monkeypatch.setattr(User, "by_email", classmethod(lambda cls, email: None))
    response = create(client, outsider.email)
    assert response.status_code == 302
    monkeypatch.undo()
    assert flashes(client.get("/admin/users").get_data(as_text=True)) == [("error", REFUSAL)]


def test_probing_many_taken_emails_is_slowed_down(app, client, make_user):
    """Refusals are counted per organisation: an admin cannot sweep a list of addresses."""
    for n in range(20):
        make_user("member", org="Acme", email=f"person{n}@acme.example")
    admin = make_user("admin", org="Globex")
    Auth(client).login(admin.email)
    for n in range(20):
        create(client, f"person{n}@acme.example")
    create(client, "someone-new@globex.example")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Too many refused emails" in flashes(page)[-1][1]
    assert "someone-new@globex.example" not in page  # not created while the pause lasts
