"""Benchmark: what the AI-spend ledger costs per LLM call, against the cheapest honest baseline.

A metered call makes two ledger transactions (reserve with two row locks and the cap checks,
then settle). The baseline is two bare transactions that each update one locked counter row — the
least any row-locked accounting must do. Measured on SQLite (a temporary file) and, when
reachable, PostgreSQL, sequentially and with 50 greenlets racing; several repetitions, median.
The last line printed is one JSON object.

    .venv/bin/python bench/ledger.py [--calls N] [--postgres URL]
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import gevent  # noqa: E402
import psycopg  # noqa: E402
from sqlalchemy import Column, Engine, Integer, MetaData, Table, create_engine, insert, select, update  # noqa: E402

from bench.headline import headline_line  # noqa: E402
from services.budgets.ai_ledger import AILedger  # noqa: E402
from services.db import db, utcnow  # noqa: E402
from services.models import Organisation, Run  # noqa: E402

REPETITIONS = 3
GREENLETS = 50
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/catalyst_test_budgets"

_bare = MetaData()
COUNTER = Table("bench_counter", _bare, Column("id", Integer, primary_key=True), Column("value", Integer))


def setup(engine: Engine) -> list[str]:
    """Every table, one organisation and GREENLETS runs with caps no call reaches."""
    db.metadata.create_all(engine)
    _bare.create_all(engine)
    with engine.begin() as conn:
        org_id = conn.execute(
            insert(Organisation).values(name=f"bench-{uuid.uuid4().hex[:6]}", created_at=utcnow())
        ).inserted_primary_key[0]
        runs = []
        for _ in range(GREENLETS):
            run_id = uuid.uuid4().hex
            conn.execute(insert(Run).values(
                id=run_id, org_id=org_id, status="running", brief={}, company_name="bench", budget_usd=1000,
                ai_cap_usd=Decimal("100000"), policy="approve", provider="openai", model="gpt-4o-mini",
                cancel_requested=False, last_seq=0, created_at=utcnow(), updated_at=utcnow(),
            ))  # fmt: skip
            runs.append(run_id)
        conn.execute(insert(COUNTER).values(id=1, value=0))
    return runs


def baseline_call(engine: Engine) -> None:
    for _ in range(2):
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.execute(select(COUNTER.c.value).where(COUNTER.c.id == 1).with_for_update()).one()
            conn.execute(update(COUNTER).where(COUNTER.c.id == 1).values(value=COUNTER.c.value + 1))
            conn.commit()


def ledger_call(ledger: AILedger, run_id: str, key: str) -> None:
    ledger.reserve(run_id, key, Decimal("0.01"), agent="bench", model="gpt-4o-mini")
    ledger.settle(run_id, key, Decimal("0.004"), input_tokens=1000, output_tokens=100)


def timed(work, calls: int, concurrent: bool) -> float:  # noqa: ANN001
    """Seconds per call: sequential, or spread over GREENLETS greenlets."""
    started = time.perf_counter()
    if concurrent:
        per = calls // GREENLETS
        gevent.joinall(
            [gevent.spawn(lambda g=g: [work(g, n) for n in range(per)]) for g in range(GREENLETS)],
            raise_error=True,
        )
        calls = per * GREENLETS
    else:
        for n in range(calls):
            work(0, n)
    return (time.perf_counter() - started) / calls


def measure(name: str, engine: Engine, calls: int) -> dict[str, float]:
    runs = setup(engine)
    ledger = AILedger(engine, default_monthly_cap=Decimal("1000000"))
    results: dict[str, float] = {}
    for concurrent in (False, True):
        mode = "50 greenlets" if concurrent else "sequential"
        base, mine = [], []
        for _ in range(REPETITIONS):
            base.append(timed(lambda g, n: baseline_call(engine), calls, concurrent))
            tag = uuid.uuid4().hex[:8]
            mine.append(
                timed(lambda g, n, tag=tag: ledger_call(ledger, runs[g], f"{tag}-{g}-{n}"), calls, concurrent)
            )
        b, m = statistics.median(base), statistics.median(mine)
        key = f"{name} {mode}"
        results[key] = m / b
        print(f"{key:28s} ledger {m * 1e3:7.2f} ms/call  baseline {b * 1e3:7.2f} ms/call  ratio {m / b:5.2f}")
    engine.dispose()
    return results


def postgres_engine(url: str) -> Engine | None:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=2) as conn:
            conn.execute(f"create schema {schema}")
    except psycopg.Error:
        return None
    sa_url = url.replace("postgresql://", "postgresql+psycopg://", 1) + f"?options=-csearch_path%3D{schema}"
    return create_engine(sa_url, pool_size=GREENLETS, max_overflow=0), schema  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--postgres", default=PG_DEFAULT)
    args = parser.parse_args()
    ratios: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = create_engine(
            f"sqlite:///{tmp}/bench.db", connect_args={"timeout": 30, "check_same_thread": False}
        )
        ratios.update(measure("sqlite", sqlite, args.calls))
    made = postgres_engine(args.postgres)
    if made is not None:
        engine, schema = made
        try:
            ratios.update(measure("postgres", engine, args.calls))
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f"drop schema if exists {schema} cascade")
    worst = max(ratios, key=ratios.get)
    print(headline_line({
        "metric": "ledger_overhead_per_call_vs_two_bare_locked_updates",
        "value": round(ratios[worst], 3), "baseline": 1.0, "ratio": round(ratios[worst], 3), "unit": "x",
        "worst_case": worst, "ratios": {k: round(v, 3) for k, v in ratios.items()}, "calls": args.calls,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
