"""One racing process for the two-process ledger test: `python -m tests.integration.budgets.race_worker`.

Races greenlets against the caps through its own engine (no Flask), starting at an agreed
moment so both processes overlap, and prints its tally as JSON on the last line.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from decimal import Decimal  # noqa: E402

from sqlalchemy import create_engine  # noqa: E402

from services.budgets import AILedger  # noqa: E402
from tests.integration.budgets.race import race  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", required=True)
    parser.add_argument("--org", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--greenlets", type=int, default=25)
    parser.add_argument("--calls", type=int, default=12)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--start-at", type=float, required=True)
    args = parser.parse_args()

    url = args.url.replace("postgresql://", "postgresql+psycopg://", 1)
    options = (
        {"connect_args": {"timeout": 30}}
        if url.startswith("sqlite")
        else {"pool_size": 10, "max_overflow": 20}
    )
    engine = create_engine(url, **options)
    ledger = AILedger(engine, default_monthly_cap=Decimal("0"))
    time.sleep(max(0.0, args.start_at - time.time()))
    tally, sampled = race(
        ledger,
        args.runs.split(","),
        args.org,
        seed=args.seed,
        greenlets=args.greenlets,
        calls=args.calls,
        tag=args.tag,
    )
    engine.dispose()
    sys.stdout.write(json.dumps({"tally": tally.to_json(), "sampled": sampled}) + "\n")


if __name__ == "__main__":
    main()
