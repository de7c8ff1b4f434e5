"""`GET /api/runs` costs the same number of queries however many runs it lists (no N+1), and lists
never load the stored structured reports."""

from __future__ import annotations

from services.holdings import holdings
from tests.support.api import JsonClient, brief
from tests.support.statements import counted


def _list(app, api: JsonClient) -> list[str]:
    with counted(app) as statements:
        response = api.get("/api/runs?per_page=50")
    assert response.status_code == 200
    return statements


def test_the_query_count_does_not_grow_with_the_runs_listed(app, make_user) -> None:
    api = JsonClient(app.test_client()).login(make_user("executive").email)
    for n in range(2):
        api.post("/api/runs", brief(f"Few {n}"))
    few = _list(app, api)
    for n in range(10):
        api.post("/api/runs", brief(f"Many {n}"))
    many = _list(app, api)
    assert len(api.get("/api/runs?per_page=50").get_json()["items"]) == 12
    assert len(many) == len(few), (few, many)
    loading_reports = [s for s in many if "runs.report," in s or "runs.report " in s.replace("\n", " ")]
    assert not loading_reports, loading_reports
    holdings(app).runs.stop()
