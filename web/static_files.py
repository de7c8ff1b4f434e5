"""Content-versioned static URLs (`/static/app.css?v=<hash>`), so long cache lifetimes are safe."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask


@lru_cache(maxsize=512)
def _digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def init_static(app: Flask) -> None:
    root = Path(app.static_folder or "static")
    # Long-lived browser caching: every URL changes when the file's content changes.
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600

    @app.url_defaults
    def _version_static(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        path = (root / values["filename"]).resolve()
        if path.is_file() and root.resolve() in path.parents:
            values["v"] = _digest(str(path), path.stat().st_mtime_ns)
