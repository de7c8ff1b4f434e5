"""The schemas' "not blank once stripped" patterns name exactly what pydantic strips.

They used `\\s`, which means different characters in Python (it adds \\x1c-\\x1f) and in the
clients' ECMAScript (it adds \\ufeff and lacks \\x85). Schemathesis sent an objective of "\\x85 \\r",
valid by the schema as ECMAScript reads it, which the API refused as blank.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from agents.state import PLAIN_TEXT_PATTERN, STRIP_SET


class Stripped(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    text: str


def test_the_strip_set_is_what_pydantic_strips() -> None:
    kept_by_pattern = re.compile(rf"[^{STRIP_SET}]")
    for code in [*range(0x3001), 0xFEFF]:
        char = chr(code)
        stripped_away = Stripped(text=char).text == ""
        assert (kept_by_pattern.search(char) is None) == stripped_away, hex(code)


def test_text_of_only_stripped_characters_is_invalid_by_the_schema() -> None:
    assert re.search(PLAIN_TEXT_PATTERN, "\x85 \r") is None
    assert re.search(PLAIN_TEXT_PATTERN, "\u3000\t") is None
    assert re.search(PLAIN_TEXT_PATTERN, " \x85Grow sales\u2028") is not None
    assert re.search(PLAIN_TEXT_PATTERN, "\ufeff") is not None  # kept by pydantic, so not blank
