"""Processes setting up the PostgreSQL checkpoint tables at the same moment all succeed.

Two workers starting on a fresh database raced in `PostgresSaver.setup()` (concurrent CREATE TABLE
IF NOT EXISTS: a duplicate type name), and the loser failed the run it was about to execute.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.support.isolation import PG_ADMIN_URL, pg_database, pg_url

ROOT = Path(__file__).resolve().parents[3]
PROCESSES = 4
# Each process waits for the start file, then opens (and so sets up) the checkpointer.
OPEN = """
import os, sys, time
from agents.checkpoint import open_checkpointer
while not os.path.exists(sys.argv[2]):
    time.sleep(0.005)
with open_checkpointer(sys.argv[1]):
    pass
"""


@pytest.mark.postgres
def test_processes_set_up_the_checkpoint_tables_at_once_without_failing(tmp_path):
    name = pg_database("catalyst_test_checkpoint_race")
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    start = tmp_path / "go"
    processes = [
        subprocess.Popen([sys.executable, "-c", OPEN, pg_url("catalyst_test_checkpoint_race"), str(start)],
                         cwd=ROOT, stderr=subprocess.PIPE, text=True)  # fmt: skip
        for _ in range(PROCESSES)
    ]
    time.sleep(2.0)  # every interpreter has imported LangGraph and waits for the start file
    start.write_text("go")
    failures = []
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        if process.returncode != 0:
            failures.append(stderr.strip().splitlines()[-1:])
    assert not failures, failures
