"""The dashboard's statements: as many for 12 runs as for 2 (no N+1), and the month's spend and the
organisation's name read together with what they belong to, not one round trip each."""

from __future__ import annotations

from services.holdings import holdings
from tests.support.api import JsonClient, brief
from tests.support.statements import counted


def _dashboard(app, api: JsonClient) -> tuple[list[str], str]:
    with counted(app) as statements:
        response = api.client.get("/dashboard")
    assert response.status_code == 200
    return statements, response.get_data(as_text=True)


def test_the_dashboard_sends_the_same_few_statements_however_many_runs(app, make_user) -> None:
    api = JsonClient(app.test_client()).login(make_user("executive", org="Initech").email)
    for n in range(2):
        api.post("/api/runs", brief(f"Few {n}"))
    few, _ = _dashboard(app, api)
    for n in range(10):
        api.post("/api/runs", brief(f"Many {n}"))
    many, html = _dashboard(app, api)
    holdings(app).runs.stop()
    assert "Initech" in html, html[html.find("<main"):][:1500]
    assert "Many 9" in html and "Many 0" in html  # the ten newest active runs
    assert len(many) == len(few), (few, many)
    # The session, the user with its organisation, two run lists, the month's spend by day, its
    # counters with the cap, the provider settings and the unpriced runs.
    assert len(many) <= 8, many
    assert not any(s.lstrip().upper().startswith("SELECT ORGANISATIONS") for s in many), many
