#!/usr/bin/env python3
"""Times `pruv scan` against what a user would otherwise run, on real trees.

    python3 scripts/bench_scan.py [--runs N] CORPUS...

Each CORPUS is a directory or a bare git repository (whose HEAD is
exported; blobs missing from a partial mirror are skipped). It is copied
to a scratch directory first (without `site-packages`), so that files can
be touched and the original is never written to.

For each corpus, side by side, whole-run medians and peak memory of:
  rg --files                      the walk alone
  rg --files | openssl dgst       the walk + SHA-256 floor (OpenSSL uses the CPU's SHA instructions)
  ast-grep, one pattern           a tree-sitter parse of the corpus's main language
  pruv scan, cold                 no cache
  pruv scan, warm                 cache present, tree unchanged
  pruv scan, 1% touched           cache present, 1% of files with a new mtime
  pruv (Python, PyPI)             the original implementation
plus the SHA-256 floor computed from `openssl speed`: bytes / (per-core
throughput x cores). Missing peers are installed under target/bench/
(ripgrep with cargo; ast-grep-cli and pruv with pip in a venv) unless
--no-install is given. Ratios are against the measured floor and rg.
"""

import argparse
import collections
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "target" / "bench"
PATTERNS = {  # one ast-grep pattern per language: an env read, as pruv looks for
    "python": ("py", "os.getenv($A)"),
    "go": ("go", "os.Getenv($A)"),
    "typescript": ("ts", "process.env.$A"),
    "javascript": ("js", "process.env.$A"),
    "java": ("java", "System.getenv($A)"),
    "rust": ("rs", "std::env::var($A)"),
}
EXTENSIONS = {".py": "python", ".go": "go", ".ts": "typescript", ".tsx": "typescript", ".js": "javascript",
              ".java": "java", ".rs": "rust"}


def run_once(command, shell=False, env=None, ok=(0,)):
    """Wall time and peak RSS (MiB) of one run; output discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(command, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in ok:
        sys.exit(f"failed: {command}")
    return elapsed, usage.ru_maxrss / 1024


def measure(label, command, runs, before=None, shell=False, env=None, ok=(0,)):
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        elapsed, peak = run_once(command, shell=shell, env=env, ok=ok)
        times.append(elapsed)
        peaks.append(peak)
    return {"label": label, "median": statistics.median(times), "min": min(times), "max": max(times),
            "rss": max(peaks)}


def tool(name, install):
    found = shutil.which(name) or next((str(p) for p in [TOOLS / "bin" / name, TOOLS / "venv" / "bin" / name]
                                        if p.exists()), None)
    if found or not install:
        return found
    if name == "rg":
        subprocess.run(["cargo", "install", "--quiet", "--locked", "ripgrep", "--root", str(TOOLS)], check=True)
    else:
        venv = TOOLS / "venv"
        if not venv.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "ast-grep-cli", "pruv"], check=True)
    return tool(name, install=False)


def export(corpus, into):
    """A writable copy: a directory copied, a bare repository's HEAD exported."""
    if (corpus / "objects").is_dir() and (corpus / "HEAD").is_file():
        listing = subprocess.run(["git", "--git-dir", str(corpus), "ls-tree", "-r", "-z", "HEAD"],
                                 capture_output=True, check=True).stdout.split(b"\0")
        batch = subprocess.Popen(["git", "--git-dir", str(corpus), "cat-file", "--batch"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE)
        for line in filter(None, listing):
            meta, path = line.split(b"\t", 1)
            mode, kind, oid = meta.split()
            if kind != b"blob":
                continue
            batch.stdin.write(oid + b"\n")
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if header[-1] == b"missing":
                continue
            data = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)
            target = into / os.fsdecode(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            if mode == b"120000":
                os.symlink(os.fsdecode(data), target)
            else:
                target.write_bytes(data)
        batch.stdin.close()
        batch.wait()
    else:
        shutil.copytree(corpus, into, symlinks=True, ignore=shutil.ignore_patterns("site-packages"))


def sha_floor(total_bytes, cores):
    """Seconds to hash `total_bytes` at OpenSSL's per-core SHA-256 speed on every core."""
    out = subprocess.run(["openssl", "speed", "-seconds", "1", "-bytes", "16384", "-evp", "sha256"],
                         capture_output=True, text=True, check=True).stdout
    line = next(l for l in out.splitlines() if l.lower().startswith("sha256"))
    per_second = float(line.split()[-1].rstrip("k")) * 1000
    return total_bytes / (per_second * cores), per_second


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python-runs", type=int, default=3, help="runs of the (slow) Python original")
    parser.add_argument("--pruv", type=Path, default=REPO / "target" / "release" / "pruv")
    parser.add_argument("--no-install", action="store_true", help="skip peers that are not installed")
    args = parser.parse_args()
    if not args.pruv.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    cores = os.cpu_count() or 1
    rg, sg, py_pruv = (tool(name, not args.no_install) for name in ("rg", "ast-grep", "pruv"))
    if py_pruv and Path(py_pruv).resolve() == args.pruv.resolve():
        py_pruv = None
    if not rg:
        sys.exit("rg (ripgrep) is needed: cargo install ripgrep")

    for corpus in args.corpora:
        scratch = Path(tempfile.mkdtemp(prefix="pruv-bench-"))
        tree, store = scratch / corpus.name.replace("+", "-"), scratch / "store"
        export(corpus.resolve(), tree)
        files = subprocess.run([rg, "--files", "-0", str(tree)], capture_output=True, check=True).stdout.split(b"\0")
        files = [f for f in files if f]
        total = sum(os.lstat(f).st_size for f in files)
        language = collections.Counter(EXTENSIONS.get(Path(os.fsdecode(f)).suffix) for f in files
                                       if Path(os.fsdecode(f)).suffix in EXTENSIONS).most_common(1)
        language = language[0][0] if language else None
        floor, per_core = sha_floor(total, cores)
        print(f"\n## {corpus}  ({len(files)} files, {total / 2**20:.0f} MiB, mostly {language}, {cores} cores)")
        print(f"SHA-256 floor: {total / 2**20:.0f} MiB / ({per_core / 2**20:.0f} MiB/s x {cores}) = {floor:.3f} s")

        results = [measure("rg --files", [rg, "--files", str(tree)], args.runs)]
        results.append(measure(
            f"rg --files | xargs -P{cores} openssl dgst -sha256",
            f"'{rg}' --files -0 '{tree}' | xargs -0 -P{cores} -n128 openssl dgst -sha256 > /dev/null",
            args.runs, shell=True))
        if sg and language in PATTERNS:
            lang, pattern = PATTERNS[language]
            # ast-grep exits 1 when nothing matches, like grep.
            results.append(measure(f"ast-grep -l {lang} '{pattern}'", [sg, "run", "-l", lang, "-p", pattern, str(tree)],
                                   args.runs, ok=(0, 1)))
        pruv = str(args.pruv)
        results.append(measure("pruv scan (cold, --no-cache)", [pruv, "scan", str(tree), "--no-record", "--no-cache"],
                               args.runs))
        subprocess.run([pruv, "--store", str(store), "init"], check=True, capture_output=True)
        env = dict(os.environ, PRUV_STORE=str(store))
        time.sleep(2.1)  # past the window in which fresh mtimes are not trusted
        run_once([pruv, "scan", str(tree), "--no-record"], env=env)
        results.append(measure("pruv scan (warm, unchanged)", [pruv, "scan", str(tree), "--no-record"], args.runs,
                               env=env))
        chooser = random.Random(7)

        def touch_one_percent():
            for path in chooser.sample(files, max(1, len(files) // 100)):
                os.utime(path, follow_symlinks=False)

        results.append(measure("pruv scan (warm, 1% touched)", [pruv, "scan", str(tree), "--no-record"], args.runs,
                               before=touch_one_percent, env=env))
        if py_pruv:
            output = scratch / "python-pruv.json"
            results.append(measure("pruv (Python, PyPI) scan", [py_pruv, "scan", str(tree), "-o", str(output),
                                                                 "--json-output"], args.python_runs))
        walk, hashed = results[0]["median"], results[1]["median"]
        print(f"\n| command | median s | min–max s | peak RSS MiB | × hash floor | × rg --files |")
        print("|---|---|---|---|---|---|")
        for r in results:
            print(f"| {r['label']} | {r['median']:.3f} | {r['min']:.3f}–{r['max']:.3f} | {r['rss']:.0f} | "
                  f"{r['median'] / hashed:.2f} | {r['median'] / walk:.1f} |")
        by = {r["label"]: r["median"] for r in results}
        cold, warm = by["pruv scan (cold, --no-cache)"], by["pruv scan (warm, unchanged)"]
        python = by.get("pruv (Python, PyPI) scan")
        print(f"\ncold / hash floor {cold / hashed:.2f} · cold / computed SHA floor {cold / floor:.1f} · "
              f"warm / rg --files {warm / walk:.1f}"
              + (f" · Python / cold {python / cold:.1f} · Python / warm {python / warm:.0f}" if python else ""))
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
