"""The last line every benchmark prints: its headline as strict JSON.

Python's `json.dumps` writes NaN and Infinity, which are not JSON: jq, browsers and most other
readers refuse the whole line. A figure that could not be measured (no samples, a zero baseline)
is written as null instead, so the line stays readable by anything.
"""

from __future__ import annotations

import json
import math
from typing import Any


def finite(value: Any) -> Any:
    """`value` with every NaN or infinite float, however deep, replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def headline_line(result: dict[str, Any]) -> str:
    """One line of strict JSON (no trailing newline)."""
    return json.dumps(finite(result), allow_nan=False)
