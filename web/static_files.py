"""Content-versioned static URLs (`/static/app.css?v=<hash>`), so long cache lifetimes are safe."""

from __future__ import annotations

import hashlib
import stat
from functools import lru_cache
from pathlib import Path

from flask import Flask


@lru_cache(maxsize=512)
def _digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


@lru_cache(maxsize=512)
def _inside(root: Path, filename: str) -> Path | None:
    """The file's real path if it lies under the static root. Remembered: resolving costs an
    lstat per path component, and a page asks for a dozen static URLs on every view."""
    path = (root / filename).resolve()
    return path if root in path.parents else None


def init_static(app: Flask) -> None:
    root = Path(app.static_folder or "static").resolve()
    # Long-lived browser caching: every URL changes when the file's content changes.
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600

    @app.url_defaults
    def _version_static(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        path = _inside(root, values["filename"])
        if path is None:
            return
        try:
            found = path.stat()  # one call: whether it is a file, and the version it is at
        except OSError:
            return
        if stat.S_ISREG(found.st_mode):
            values["v"] = _digest(str(path), found.st_mtime_ns)
