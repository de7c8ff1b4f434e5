"""Each URL of the app is one view's, declared in the module (or blueprint package) defining it.

Two blueprints share /admin (`admin`: users and tokens; `admin_pages`: budgets, provider, spend,
audit) and endpoint names are what templates and tests ask url_for for, so a rule claimed twice,
or a view swapped into `app.view_functions` from another module after registration, would
silently change which code answers a URL.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture(params=["sqlite"])
def backend(request):  # routing does not depend on the database
    return request.param


def test_every_rule_and_method_has_one_endpoint(app):
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rule in app.url_map.iter_rules():
        for method in rule.methods - IGNORED_METHODS:
            owners[(rule.rule, method)].add(rule.endpoint)
    shared = {key: sorted(endpoints) for key, endpoints in owners.items() if len(endpoints) > 1}
    assert not shared, f"URLs with more than one view: {shared}"
    assert ("/admin/users", "GET") in owners and ("/admin/budgets", "GET") in owners


def test_every_view_lives_where_its_blueprint_is(app):
    misplaced = {}
    for endpoint, view in app.view_functions.items():
        if "." not in endpoint:  # the app's own (static files)
            continue
        blueprint = app.blueprints[endpoint.rpartition(".")[0]]
        home = blueprint.import_name
        module = getattr(view, "__module__", "")
        if module != home and not module.startswith(home + "."):
            misplaced[endpoint] = f"{module} (blueprint {blueprint.name!r} is {home})"
    assert not misplaced, f"views registered from another module: {misplaced}"


def test_the_dashboard_endpoints_keep_their_names(app, client):
    with app.test_request_context():
        from flask import url_for

        assert url_for("dashboard.root") == "/"
        assert url_for("dashboard.index") == "/dashboard"
    assert client.get("/").headers["Location"].endswith("/login")
    assert client.get("/dashboard").status_code == 302  # login first
