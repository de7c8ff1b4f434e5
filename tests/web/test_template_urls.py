"""Template links remembered per app (web/template_urls.py): the same paths url_for gives, built once
per script root, while static files, blueprint-relative endpoints and url_for's options are always
built afresh."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string, url_for

from web import template_urls
from web.template_urls import template_url_for


@pytest.fixture()
def app(monkeypatch):
    app = Flask(__name__)
    app.add_url_rule("/runs/<run_id>", "run_view", lambda run_id: run_id)
    app.add_url_rule("/history", "history", lambda: "")
    template_urls.init_template_urls(app)
    built: list[str] = []
    plain = app.url_for

    def counting(endpoint, **values):
        built.append(endpoint)
        return plain(endpoint, **values)

    monkeypatch.setattr(app, "url_for", counting)
    app.built = built  # type: ignore[attr-defined]
    return app


def test_a_link_is_built_once_and_then_remembered(app):
    with app.test_request_context("/"):
        first = render_template_string("{{ url_for('run_view', run_id=run) }}", run="abc")
        again = render_template_string("{{ url_for('run_view', run_id=run) }}", run="abc")
        other = render_template_string("{{ url_for('run_view', run_id=run) }}", run="def")
    assert (first, again, other) == ("/runs/abc", "/runs/abc", "/runs/def")
    assert app.built == ["run_view", "run_view"]  # abc once, def once


def test_each_script_root_has_its_own_paths(app):
    with app.test_request_context("/"):
        assert template_url_for("history") == "/history"
    with app.test_request_context("/", base_url="http://localhost/catalyst/"):
        assert template_url_for("history") == "/catalyst/history" == url_for("history")


def test_static_files_and_url_for_options_are_built_every_time(app):
    with app.test_request_context("/"):
        for _ in range(2):
            template_url_for("static", filename="app.css")
            assert template_url_for("history", _external=True) == "http://localhost/history"
    assert app.built == ["static", "history", "static", "history"]


def test_values_that_cannot_be_remembered_still_give_their_link(app):
    with app.test_request_context("/"):
        assert template_url_for("history", tag=["a", "b"]) == "/history?tag=a&tag=b"


def test_the_memory_is_bounded(app, monkeypatch):
    monkeypatch.setattr(template_urls, "KEPT", 3)
    with app.test_request_context("/"):
        for n in range(10):
            assert template_url_for("run_view", run_id=str(n)) == f"/runs/{n}"
        assert len(app.extensions["catalyst.template_urls"]) <= 3
