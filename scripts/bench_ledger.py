#!/usr/bin/env python3
"""Times a large payment ledger: appending and verifying.

    python3 scripts/bench_ledger.py [--transfers N] [--runs R] [--pruv PATH]

Builds a ledger of N transfers (default 100 000) among 1 000 accounts,
seeded by one deposit each, by importing a CSV (one transaction), then
reports medians over R runs of:
  import N rows                 append, all in one write transaction
  ledger verify                 replay every entry: links, balances, conservation
  verify an export (no store)   the same, offline, from `pruv chain export`
  one transfer on the ledger    a single append (process start included)
The store lives in a scratch directory; nothing is written elsewhere.
"""

import argparse
import csv
import os
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(pruv, args, cwd):
    # A 100 000-entry export is larger than the default 64 MiB input cap.
    env = dict(os.environ, PRUV_MAX_INPUT="2G")
    start = time.perf_counter()
    done = subprocess.run([pruv, *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"pruv {' '.join(args)} failed ({done.returncode}): {done.stderr.decode()[:400]}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transfers", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pruv", default=str(REPO / "target" / "release" / "pruv"))
    args = parser.parse_args()
    pruv = os.path.abspath(args.pruv)
    rng = random.Random(7)
    timings = {"import": [], "verify": [], "export verify": [], "one transfer": []}
    for run_index in range(args.runs):
        with tempfile.TemporaryDirectory() as scratch:
            rows = Path(scratch) / "rows.csv"
            with rows.open("w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["date", "from", "to", "amount", "currency", "reference"])
                for a in range(args.accounts):
                    writer.writerow(["2026-01-01", "", f"acct{a}", "1000000.00", "USD", f"seed-{a}"])
                for t in range(args.transfers):
                    a, b = rng.sample(range(args.accounts), 2)
                    cents = rng.randint(1, 50_000)
                    writer.writerow(["2026-01-02", f"acct{a}", f"acct{b}", f"{cents // 100}.{cents % 100:02d}", "USD", f"t{t}"])
            run(pruv, ["init"], scratch)
            run(pruv, ["ledger", "new", "bench"], scratch)
            timings["import"].append(run(pruv, ["ledger", "import", "bench", str(rows)], scratch))
            timings["verify"].append(run(pruv, ["ledger", "verify", "bench"], scratch))
            run(pruv, ["chain", "export", "ledger/bench", "-o", "bench.json"], scratch)
            timings["export verify"].append(run(pruv, ["verify", "bench.json"], scratch))
            singles = [run(pruv, ["ledger", "transfer", "bench", "acct1", "acct2", "1.00"], scratch) for _ in range(9)]
            timings["one transfer"].append(statistics.median(singles))
            print(f"run {run_index + 1}/{args.runs} done", flush=True)
    entries = args.accounts + args.transfers + 1
    print(f"\nledger of {args.transfers} transfers + {args.accounts} deposits ({entries} entries), medians of {args.runs} runs:")
    for name, values in timings.items():
        median = statistics.median(values)
        extra = f"  ({entries / median:,.0f} entries/s)" if name != "one transfer" else ""
        print(f"  {name:<16} {median:8.3f} s{extra}")


if __name__ == "__main__":
    main()
