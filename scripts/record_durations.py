"""Record how long each test took, for the suite's split into parts (tests/support/sharding.py).

Reads the JUnit reports `make test` leaves in `.test-logs/` (one per part; each test's time there
is its set-up, call and tear-down together, so a module fixture weighs on its first test) and
writes `tests/support/test_durations.json`: per test file, the seconds its tests took and how many
there were (a test the file gained since weighs the file's average). Run it after a full `make test` on a quiet machine
and commit the file when the parts have drifted apart.

    .venv/bin/python scripts/record_durations.py [REPORT.xml ...]
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / ".test-logs").glob("part-*.xml"))
OUTPUT = ROOT / "tests" / "support" / "test_durations.json"


def nodeid(case: ET.Element) -> str:
    """pytest's node id from a test case's `classname` (dotted module[.Class]) and `name`."""
    parts = case.get("classname", "").split(".")
    for cut in range(len(parts), 0, -1):  # the longest prefix that is a file is the module
        module = Path(*parts[:cut]).with_suffix(".py")
        if (ROOT / module).is_file():
            return "::".join([module.as_posix(), *parts[cut:], case.get("name", "")])
    raise ValueError(f"no test file for {case.get('classname')!r}")


def durations(reports: list[Path]) -> dict[str, dict[str, float]]:
    """{test file: {"seconds": all its tests took, "tests": how many}}; a later report's time for
    a test replaces an earlier one's (a part re-run alone)."""
    each: dict[str, float] = {}
    for report in reports:
        for case in ET.parse(report).iter("testcase"):  # noqa: S314 - our own pytest's reports
            each[nodeid(case)] = float(case.get("time", "0"))
    files: dict[str, dict[str, float]] = {}
    for test, seconds in each.items():
        entry = files.setdefault(test.split("::", 1)[0], {"seconds": 0.0, "tests": 0})
        entry["seconds"] += seconds
        entry["tests"] += 1
    return {name: {"seconds": round(entry["seconds"], 1), "tests": int(entry["tests"])}
            for name, entry in sorted(files.items())}


def main(arguments: list[str]) -> int:
    reports = [Path(name) for name in arguments] or REPORTS
    if not reports:
        sys.stderr.write("no JUnit reports: run `make test` first (it writes .test-logs/part-*.xml)\n")
        return 1
    found = durations(reports)
    OUTPUT.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    tests = sum(int(entry["tests"]) for entry in found.values())
    seconds = sum(entry["seconds"] for entry in found.values())
    sys.stdout.write(f"{len(found)} files, {tests} tests, {seconds:.0f} s in all -> {OUTPUT.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
