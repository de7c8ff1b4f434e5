"""`url_for` in templates, remembered: a page builds the same links on every view.

Building a URL walks Werkzeug's rules for the endpoint, about 5 µs here; the dashboard builds 25 a
view (two links per run row, the navigation), about 0.1 ms of its 2.5 (bench/in_process.py,
issue 15). What a path depends on is the app's URL map, which is fixed once it serves, the
request's script root and the values given, so the path is remembered under those. Not
remembered: static files (their URL carries the file's current content hash, which changes
while a developer edits it), endpoints relative to the current blueprint (".name"), any of
url_for's own options (`_external`, `_scheme`, `_anchor`, `_method`), and calls outside a
request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_request_context, request, url_for

_KEY = "catalyst.template_urls"
KEPT = 4096  # paths remembered per app; past this the memory starts again


def template_url_for(endpoint: str, **values: Any) -> str:
    """The path `url_for` gives, from memory when this request's script root built it before."""
    if endpoint == "static" or endpoint.startswith(".") or not has_request_context():
        return url_for(endpoint, **values)
    if any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    try:
        key = (request.script_root, endpoint, tuple(sorted(values.items())))
        hash(key)
    except TypeError:  # a value that cannot be a key (a list of query values): built every time
        return url_for(endpoint, **values)
    remembered: dict[tuple[Any, ...], str] = current_app.extensions[_KEY]
    path = remembered.get(key)
    if path is None:
        if len(remembered) >= KEPT:
            remembered.clear()
        path = remembered[key] = url_for(endpoint, **values)
    return path


def init_template_urls(app: Flask) -> None:
    app.extensions[_KEY] = {}
    app.jinja_env.globals["url_for"] = template_url_for
