"""A benchmark's last line is strict JSON: a figure that could not be measured is null, not NaN."""

from __future__ import annotations

import json

from bench.headline import headline_line
from bench.run_all import headline_of


def test_unmeasured_figures_are_written_as_null_however_deep() -> None:
    line = headline_line({"metric": "m", "value": 1.5, "baseline": float("nan"), "ratio": float("inf"), "unit": "ms",
                          "cases": [{"p50": float("-inf"), "n": 3}], "pair": (float("nan"), 2)})  # fmt: skip
    assert "NaN" not in line and "Infinity" not in line
    assert json.loads(line) == {"metric": "m", "value": 1.5, "baseline": None, "ratio": None, "unit": "ms",
                                "cases": [{"p50": None, "n": 3}], "pair": [None, 2]}  # fmt: skip
    found, problem = headline_of(line)
    assert problem is None and found is not None and found["value"] == 1.5


def test_the_runner_refuses_a_line_only_python_would_read() -> None:
    found, problem = headline_of('{"metric": "m", "value": NaN, "baseline": 1, "ratio": 1, "unit": "ms"}')
    assert found is None and problem is not None and "strict JSON" in problem
