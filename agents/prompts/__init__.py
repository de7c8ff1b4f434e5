"""Versioned prompt templates (`<name>.v<N>.md`); the loader returns (name, version, text).

Templates hold instructions only. The brief and everything else the user wrote travel in
`LLMRequest.data`, which the LLM client passes as delimited data, never spliced into these texts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

PROMPT_DIR = Path(__file__).resolve().parent
_FILE = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\.v(?P<version>\d+)\.md$")


class PromptTemplate(NamedTuple):
    name: str
    version: str
    text: str


class PromptNotFound(LookupError):
    """No template file with that name (and version)."""


@lru_cache(maxsize=64)
def load_prompt(name: str, version: str | None = None) -> PromptTemplate:
    """The given version of a template, or its highest version when none is given."""
    versions: dict[int, Path] = {}
    for path in PROMPT_DIR.glob(f"{name}.v*.md"):
        match = _FILE.match(path.name)
        if match and match["name"] == name:
            versions[int(match["version"])] = path
    if not versions:
        raise PromptNotFound(f"no prompt template named {name!r}")
    number = max(versions) if version is None else int(version.lstrip("v"))
    if number not in versions:
        raise PromptNotFound(f"prompt {name!r} has no version {version!r}")
    text = versions[number].read_text(encoding="utf-8").strip()
    return PromptTemplate(name=name, version=f"v{number}", text=text)
