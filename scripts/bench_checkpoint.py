#!/usr/bin/env python3
"""Times checkpoints on a tree of N files (default 10 000) and measures the store.

    python3 scripts/bench_checkpoint.py [--files N] [--runs R] [--pruv PATH] [--tree DIR]

Without --tree, a synthetic tree is written: N files of 200 B to 16 KiB of
text in 100 directories. For each of R runs (fresh store each time),
medians of:
  checkpoint create            every file read and stored
  second checkpoint, 1 edit    only the edited file is stored again
  preview, 100 files edited    what a restore would change, with diffs
  restore, 100 files edited    temp file + rename per changed file, verified
and the store's growth: after the first checkpoint, and from the second.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(pruv, args, cwd):
    start = time.perf_counter()
    done = subprocess.run([pruv, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise SystemExit(f"pruv {' '.join(args)} failed ({done.returncode}): {done.stderr.decode()[:400]}")
    return time.perf_counter() - start


def store_bytes(scratch):
    return sum(p.stat().st_size for p in (Path(scratch) / ".pruv").iterdir() if p.is_file())


def synthetic(root, files, rng):
    for i in range(files):
        d = root / f"dir{i % 100:03d}"
        d.mkdir(parents=True, exist_ok=True)
        size = rng.randint(200, 16 * 1024)
        line = f"line of file {i} with some text to fill it up {rng.random()}\n"
        (d / f"file{i:05d}.txt").write_text((line * (size // len(line) + 1))[:size])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tree", help="copy this directory instead of writing a synthetic tree")
    parser.add_argument("--pruv", default=str(REPO / "target" / "release" / "pruv"))
    args = parser.parse_args()
    pruv = os.path.abspath(args.pruv)
    times = {"create": [], "second create (1 edit)": [], "preview (100 edits)": [], "restore (100 edits)": []}
    growth_first, growth_second, tree_bytes = [], [], 0
    for r in range(args.runs):
        rng = random.Random(r)
        with tempfile.TemporaryDirectory() as scratch:
            tree = Path(scratch) / "tree"
            if args.tree:
                shutil.copytree(args.tree, tree, symlinks=True)
            else:
                synthetic(tree, args.files, rng)
            files = sorted(p for p in tree.rglob("*") if p.is_file() and not p.is_symlink())
            tree_bytes = sum(p.stat().st_size for p in files)
            run(pruv, ["init"], scratch)
            empty = store_bytes(scratch)
            times["create"].append(run(pruv, ["checkpoint", "create", "base", "tree"], scratch))
            first = store_bytes(scratch)
            growth_first.append(first - empty)
            with files[len(files) // 2].open("a") as handle:
                handle.write("one more line\n")
            times["second create (1 edit)"].append(run(pruv, ["checkpoint", "create", "edited", "tree"], scratch))
            growth_second.append(store_bytes(scratch) - first)
            for p in rng.sample(files, 100):
                p.write_text("rewritten\n" + p.read_text()[:100])
            times["preview (100 edits)"].append(run(pruv, ["checkpoint", "preview", "base", "tree"], scratch))
            times["restore (100 edits)"].append(run(pruv, ["checkpoint", "restore", "base", "tree", "--force"], scratch))
        print(f"run {r + 1}/{args.runs} done", flush=True)
    print(f"\n{len(files)} files, {tree_bytes / 1e6:.1f} MB; medians of {args.runs} runs:")
    for name, values in times.items():
        print(f"  {name:<24} {statistics.median(values):7.3f} s")
    print(f"  store growth, first checkpoint   {statistics.median(growth_first) / 1e6:7.1f} MB")
    print(f"  store growth, second (1 edit)    {statistics.median(growth_second) / 1e3:7.1f} kB")


if __name__ == "__main__":
    main()
