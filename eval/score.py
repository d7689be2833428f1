#!/usr/bin/env python3
"""Score `pruv scan` against the hand-written ground truth in eval/truth/.

Usage:
  python3 eval/score.py --pruv target/release/pruv [--mirror-root /work/.mirror] [truth.json ...]
  python3 eval/score.py --scan-json scan.json eval/truth/owner__name.json
  python3 eval/score.py --check                      # validate the truth files only

Python 3 standard library only. See eval/README.md for the truth schema and
the matching rules.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TRUTH_GLOB = os.path.join(HERE, "truth", "*.json")

CATEGORIES = ("services", "externals", "connections", "env_vars")
FIRST_PARTY_KINDS = {"service", "frontend", "worker", "function"}
EXTERNAL_KINDS = {"external", "datastore"}
# Env-var flags some truth files use for "read only implicitly by a framework /
# documented only / only by a rake task". Treated like optional unless --strict.
LENIENT_ENV_FLAGS = ("implicit", "documented_only", "rake_only")
ID_RE = re.compile(r"^[a-z0-9._-]+$")
HEX40 = re.compile(r"^[0-9a-f]{40}$")


# --------------------------------------------------------------------------
# small helpers


def norm_id(value):
    if value is None:
        return None
    return str(value).strip().lower()


def norm_root(value, strip_prefix=None):
    """Normalise a service root: '/' separators, no './', no leading/trailing
    '/', '.' -> ''. None stays None (unknown)."""
    if value is None:
        return None
    r = str(value).strip().replace("\\", "/")
    if strip_prefix:
        p = strip_prefix.replace("\\", "/").rstrip("/")
        if r == p:
            r = ""
        elif r.startswith(p + "/"):
            r = r[len(p) + 1:]
    while r.startswith("./"):
        r = r[2:]
    r = r.strip("/")
    if r == ".":
        r = ""
    return r


def prf(tp, fp, fn):
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if precision is None and recall is None:
        f1 = None
    elif precision is None or recall is None:
        f1 = 0.0
    elif precision + recall == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def fmt(x):
    return "    -" if x is None else "%.3f" % x


def eprint(*a):
    print(*a, file=sys.stderr)


# --------------------------------------------------------------------------
# truth loading and validation


def load_truth(path):
    with open(path, encoding="utf-8") as f:
        truth = json.load(f)
    problems = validate_truth(truth)
    return truth, problems


def validate_truth(t):
    problems = []
    for key in ("repo", "commit", "services", "externals", "connections", "env_vars"):
        if key not in t:
            problems.append("missing key %r" % key)
    if "commit" in t and not HEX40.match(str(t["commit"])):
        problems.append("commit is not 40 lower-case hex: %r" % t.get("commit"))
    names = {}
    for cat in ("services", "externals"):
        for item in t.get(cat, []):
            i = item.get("id")
            if not isinstance(i, str) or not ID_RE.match(i):
                problems.append("%s: bad id %r" % (cat, i))
            if i in names:
                problems.append("%s: id %r already used in %s" % (cat, i, names[i]))
            names[i] = cat
            for a in item.get("aliases", []) or []:
                if not isinstance(a, str):
                    problems.append("%s %s: bad alias %r" % (cat, i, a))
    for s in t.get("services", []):
        if s.get("kind") not in FIRST_PARTY_KINDS:
            problems.append("service %s: kind %r not in %s" % (s.get("id"), s.get("kind"), sorted(FIRST_PARTY_KINDS)))
        if "root" not in s:
            problems.append("service %s: no 'root' (use null when unknown)" % s.get("id"))
    for e in t.get("externals", []):
        if e.get("kind") not in EXTERNAL_KINDS:
            problems.append("external %s: kind %r not in %s" % (e.get("id"), e.get("kind"), sorted(EXTERNAL_KINDS)))
    for c in t.get("connections", []):
        for end in ("from", "to"):
            if c.get(end) not in names:
                problems.append("connection %s->%s: %r is no service/external id" % (c.get("from"), c.get("to"), c.get(end)))
    seen = set()
    service_ids = {s.get("id") for s in t.get("services", [])}
    for e in t.get("env_vars", []):
        n = e.get("name")
        if not isinstance(n, str) or not n:
            problems.append("env var with bad name %r" % n)
        if n in seen:
            problems.append("env var %s listed twice" % n)
        seen.add(n)
        if e.get("status") not in ("defined", "missing"):
            problems.append("env var %s: status %r not defined|missing" % (n, e.get("status")))
        for s in e.get("services", []) or []:
            if s not in service_ids:
                problems.append("env var %s: unknown service %r" % (n, s))
    return problems


# --------------------------------------------------------------------------
# locating the mirror and exporting a commit


def git(git_dir, *args, **kw):
    return subprocess.run(["git", "--git-dir=" + git_dir] + list(args), **kw)


def is_git_dir(path):
    return os.path.isfile(os.path.join(path, "HEAD")) and os.path.isdir(os.path.join(path, "objects"))


def has_commit(git_dir, commit):
    r = git(git_dir, "cat-file", "-e", commit + "^{commit}", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def find_git_dir(mirror_root, repo, commit):
    """Find the bare git dir for owner/name under mirror_root. Directory names
    look like 'owner+name' (maybe with a suffix), holding the git dir itself or
    a child such as 'repo'."""
    want = repo.replace("/", "+").lower()
    if not os.path.isdir(mirror_root):
        raise RuntimeError("mirror root %s does not exist" % mirror_root)
    candidates = []
    for entry in sorted(os.listdir(mirror_root)):
        low = entry.lower()
        if low == want or low.startswith(want + ".") or low.startswith(want + "-") or low.startswith(want + "@"):
            candidates.append(os.path.join(mirror_root, entry))
    # exact name first
    candidates.sort(key=lambda p: (os.path.basename(p).lower() != want, p))
    git_dirs = []
    for c in candidates:
        if is_git_dir(c):
            git_dirs.append(c)
        for root, dirs, _files in os.walk(c):
            depth = root[len(c):].count(os.sep)
            if depth >= 2:
                dirs[:] = []
                continue
            for d in sorted(dirs):
                p = os.path.join(root, d)
                if is_git_dir(p):
                    git_dirs.append(p)
    if not git_dirs:
        raise RuntimeError("no git directory for %s under %s (expected %s/…)" % (repo, mirror_root, want))
    for g in git_dirs:
        if has_commit(g, commit):
            return g
    raise RuntimeError("commit %s not found in %s" % (commit, ", ".join(git_dirs)))


def export_commit(git_dir, commit, dest):
    """Materialise COMMIT into dest. Try `git archive | tar -x`; if that fails
    (mirrors can lack some large blobs), export blob by blob, skipping missing
    ones. Returns a list of warnings."""
    os.makedirs(dest, exist_ok=True)
    warnings = []
    fd, tar_path = tempfile.mkstemp(suffix=".tar")
    os.close(fd)
    try:
        r = git(git_dir, "archive", "--format=tar", "-o", tar_path, commit,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode == 0:
            t = subprocess.run(["tar", "-x", "-f", tar_path, "-C", dest], stderr=subprocess.PIPE)
            if t.returncode == 0:
                return warnings
            warnings.append("tar failed: %s" % t.stderr.decode(errors="replace").strip()[:200])
        else:
            msg = r.stderr.decode(errors="replace").strip().splitlines()
            warnings.append("git archive failed (%s); exporting blob by blob" % (msg[0] if msg else "rc=%d" % r.returncode))
    finally:
        os.unlink(tar_path)
    shutil.rmtree(dest)
    os.makedirs(dest)
    missing = export_blobwise(git_dir, commit, dest)
    if missing:
        warnings.append("%d blob(s) missing from the mirror, skipped (e.g. %s)" % (len(missing), missing[0]))
    return warnings


def export_blobwise(git_dir, commit, dest):
    ls = git(git_dir, "ls-tree", "-r", "-z", "--full-tree", commit, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if ls.returncode != 0:
        raise RuntimeError("git ls-tree failed: %s" % ls.stderr.decode(errors="replace").strip())
    entries = []
    for rec in ls.stdout.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, typ, sha = meta.split(b" ")
        entries.append((mode.decode(), typ.decode(), sha.decode(), path.decode("utf-8", errors="surrogateescape")))
    missing = []
    dest_real = os.path.realpath(dest)
    proc = subprocess.Popen(["git", "--git-dir=" + git_dir, "cat-file", "--batch"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        for mode, typ, sha, path in entries:
            target = os.path.join(dest, path)
            if not os.path.realpath(target).startswith(dest_real + os.sep):
                continue  # never write outside dest
            if typ != "blob":  # submodule (commit) entries
                os.makedirs(target, exist_ok=True)
                continue
            proc.stdin.write(sha.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().decode(errors="replace").split()
            if len(header) < 3 or header[1] == "missing":
                missing.append(path)
                continue
            size = int(header[2])
            data = b""
            while len(data) < size:
                chunk = proc.stdout.read(size - len(data))
                if not chunk:
                    raise RuntimeError("git cat-file ended early")
                data += chunk
            proc.stdout.read(1)  # trailing newline
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if mode == "120000":
                link = data.decode(errors="replace")
                if not os.path.isabs(link) and ".." not in link.split("/"):
                    try:
                        os.symlink(link, target)
                    except OSError:
                        pass
                continue
            with open(target, "wb") as f:
                f.write(data)
            if mode == "100755":
                os.chmod(target, 0o755)
    finally:
        proc.stdin.close()
        proc.wait()
    return missing


def run_pruv(pruv, tree, timeout):
    cmd = [pruv, "--color", "never", "scan", tree, "--no-record", "--format", "json"]
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except FileNotFoundError:
        raise RuntimeError("pruv binary not found: %s" % pruv)
    except PermissionError:
        raise RuntimeError("pruv binary not executable: %s" % pruv)
    except subprocess.TimeoutExpired:
        raise RuntimeError("pruv scan timed out after %ss" % timeout)
    out = r.stdout.decode("utf-8", errors="replace")
    err = r.stderr.decode("utf-8", errors="replace").strip()
    if r.returncode != 0:
        tail = " | ".join(err.splitlines()[-3:]) if err else "(no stderr)"
        raise RuntimeError("pruv scan exited %d: %s" % (r.returncode, tail[:400]))
    return parse_scan_text(out)


def parse_scan_text(text):
    try:
        return json.loads(text)
    except ValueError:
        a, b = text.find("{"), text.rfind("}")
        if a >= 0 and b > a:
            try:
                return json.loads(text[a:b + 1])
            except ValueError:
                pass
    raise RuntimeError("pruv output is not JSON (first 200 chars: %r)" % text[:200])


# --------------------------------------------------------------------------
# matching


def greedy_match(preds, truths, pair_score):
    """preds, truths: lists of dicts. pair_score(p, t) -> int (0 = no match).
    One-to-one greedy assignment by descending score, required truth items
    before optional ones. Returns (assign: pred index -> truth index,
    candidates: pred index -> [truth indices with score > 0])."""
    pairs = []
    candidates = {}
    for i, p in enumerate(preds):
        for j, t in enumerate(truths):
            s = pair_score(p, t)
            if s > 0:
                pairs.append((-s, bool(t.get("optional")), i, j))
                candidates.setdefault(i, []).append(j)
    pairs.sort()
    assign, taken = {}, set()
    for _s, _opt, i, j in pairs:
        if i in assign or j in taken:
            continue
        assign[i] = j
        taken.add(j)
    return assign, candidates


def truth_names(t):
    names = {norm_id(t.get("id"))}
    for a in t.get("aliases", []) or []:
        names.add(norm_id(a))
    names.discard(None)
    return names


def classify(preds, truths, assign, candidates, label):
    """Turn an assignment into tp/fp/fn lists (of strings) plus ignored."""
    res = {"tp": [], "fp": [], "fn": [], "ignored": []}
    for i, p in enumerate(preds):
        pid = label(p)
        if i in assign:
            t = truths[assign[i]]
            tag = pid if norm_id(p.get("id")) == norm_id(t["id"]) else "%s=%s" % (pid, t["id"])
            (res["ignored"] if t.get("optional") else res["tp"]).append(tag)
        else:
            cands = candidates.get(i, [])
            if cands and all(truths[j].get("optional") for j in cands):
                res["ignored"].append("%s (again matches optional %s)" % (pid, truths[cands[0]]["id"]))
            elif cands:
                res["fp"].append("%s (duplicate of %s)" % (pid, truths[cands[0]]["id"]))
            else:
                res["fp"].append(pid)
    matched = set(assign.values())
    for j, t in enumerate(truths):
        if j not in matched and not t.get("optional"):
            res["fn"].append(t["id"])
    return res


def score_repo(truth, scan, strict=False, scan_root=None):
    out = {}
    scan_services = [s for s in (scan.get("services") or []) if isinstance(s, dict)]

    # ---- services
    preds = [s for s in scan_services if str(s.get("kind", "")).lower() in FIRST_PARTY_KINDS]
    truths = list(truth.get("services", []))

    def service_score(p, t):
        score = 0
        if norm_id(p.get("id")) in truth_names(t):
            score += 2
        pr, tr = norm_root(p.get("root"), scan_root), norm_root(t.get("root"))
        if pr is not None and tr is not None and pr == tr:
            score += 1
        return score

    s_assign, s_cands = greedy_match(preds, truths, service_score)
    out["services"] = classify(preds, truths, s_assign, s_cands,
                               lambda p: "%s[root=%s]" % (p.get("id"), p.get("root")))
    idmap = {}  # predicted id -> (truth id, optional)
    for i, j in s_assign.items():
        idmap[norm_id(preds[i].get("id"))] = (truths[j]["id"], bool(truths[j].get("optional")))

    # ---- externals
    epreds = [s for s in scan_services if str(s.get("kind", "")).lower() in EXTERNAL_KINDS]
    etruths = list(truth.get("externals", []))
    e_assign, e_cands = greedy_match(
        epreds, etruths, lambda p, t: 1 if norm_id(p.get("id")) in truth_names(t) else 0)
    out["externals"] = classify(epreds, etruths, e_assign, e_cands, lambda p: str(p.get("id")))
    for i, j in e_assign.items():
        idmap.setdefault(norm_id(epreds[i].get("id")), (etruths[j]["id"], bool(etruths[j].get("optional"))))

    # ---- connections
    optional_entities = {x["id"] for x in truths + etruths if x.get("optional")}
    name_index = {}
    for x in truths + etruths:
        for n in truth_names(x):
            name_index.setdefault(n, (x["id"], bool(x.get("optional"))))
    req_pairs, opt_pairs = set(), set()
    for c in truth.get("connections", []):
        pair = (c["from"], c["to"])
        if c.get("optional") or c["from"] in optional_entities or c["to"] in optional_entities:
            opt_pairs.add(pair)
        else:
            req_pairs.add(pair)
    opt_pairs -= req_pairs
    res = {"tp": [], "fp": [], "fn": [], "ignored": []}
    seen = set()
    for c in scan.get("connections") or []:
        if not isinstance(c, dict):
            continue
        ends, touches_optional = [], False
        for end in ("from", "to"):
            raw = norm_id(c.get(end))
            if raw in idmap:
                tid, opt = idmap[raw]
            elif raw in name_index:  # endpoint not declared in services[]: match by truth id/alias
                tid, opt = name_index[raw]
            else:
                tid, opt = "?" + str(raw), False
            ends.append(tid)
            touches_optional |= opt
        pair = tuple(ends)
        if pair in seen:
            continue
        seen.add(pair)
        label = "%s->%s" % pair
        if pair in req_pairs:
            res["tp"].append(label)
        elif pair in opt_pairs or touches_optional:
            res["ignored"].append(label)
        else:
            raw_label = "%s->%s" % (c.get("from"), c.get("to"))
            res["fp"].append(label if raw_label == label else "%s (as %s)" % (raw_label, label))
    for pair in sorted(req_pairs - seen):
        res["fn"].append("%s->%s" % pair)
    out["connections"] = res

    # ---- env vars
    def env_optional(e):
        if e.get("optional"):
            return True
        return not strict and any(e.get(flag) for flag in LENIENT_ENV_FLAGS)

    truth_env = {e["name"]: e for e in truth.get("env_vars", [])}
    pred_env = {}
    for e in scan.get("env_vars") or []:
        # Platform and tooling names are listed but never the system's configuration
        # (scan-format: `env_vars[].platform`); reads outside production code are
        # in `used_elsewhere`, not `used`.
        if isinstance(e, dict) and e.get("used") and e.get("name") and not e.get("platform"):
            pred_env.setdefault(str(e["name"]), e)
    res = {"tp": [], "fp": [], "fn": [], "ignored": []}
    status_agree, status_total, status_diff = 0, 0, []
    use_tp = use_fp = use_fn = 0
    use_diff = []
    for name in sorted(pred_env):
        if name not in truth_env:
            res["fp"].append(name)
            continue
        t = truth_env[name]
        if env_optional(t):
            res["ignored"].append(name)
            continue
        res["tp"].append(name)
        p = pred_env[name]
        status_total += 1
        # `optional` (read only with a default, defined nowhere) refines `missing`.
        if p.get("status") == t.get("status") or (p.get("status"), t.get("status")) == ("optional", "missing"):
            status_agree += 1
        else:
            status_diff.append("%s: predicted %s, truth %s" % (name, p.get("status"), t.get("status")))
        # which services read it (predicted ids mapped onto truth ids)
        pserv = set()
        for u in p.get("used") or []:
            sid = norm_id(u.get("service")) if isinstance(u, dict) else None
            if sid is not None:
                pserv.add(idmap.get(sid, ("?" + sid, False))[0])
        tserv = set(t.get("services") or [])
        use_tp += len(pserv & tserv)
        use_fp += len(pserv - tserv)
        use_fn += len(tserv - pserv)
        if pserv != tserv:
            use_diff.append("%s: predicted %s, truth %s" % (name, sorted(pserv), sorted(tserv)))
    for name, t in sorted(truth_env.items()):
        if name not in pred_env and not env_optional(t):
            res["fn"].append(name)
    out["env_vars"] = res

    extras = {
        "env_status": {"agree": status_agree, "total": status_total, "differences": status_diff},
        "env_usage": {"tp": use_tp, "fp": use_fp, "fn": use_fn, "differences": use_diff},
    }
    return out, extras


def failed_repo_counts(truth, strict=False):
    """When pruv fails on a repo every required truth item is a false negative."""
    out = {}
    for cat in ("services", "externals"):
        out[cat] = {"tp": [], "fp": [], "ignored": [],
                    "fn": [x["id"] for x in truth.get(cat, []) if not x.get("optional")]}
    optional_entities = {x["id"] for x in truth.get("services", []) + truth.get("externals", []) if x.get("optional")}
    pairs = sorted({(c["from"], c["to"]) for c in truth.get("connections", [])
                    if not c.get("optional") and c["from"] not in optional_entities and c["to"] not in optional_entities})
    out["connections"] = {"tp": [], "fp": [], "ignored": [], "fn": ["%s->%s" % p for p in pairs]}
    out["env_vars"] = {"tp": [], "fp": [], "ignored": [], "fn": [
        e["name"] for e in truth.get("env_vars", [])
        if not e.get("optional") and (strict or not any(e.get(f) for f in LENIENT_ENV_FLAGS))]}
    return out


# --------------------------------------------------------------------------
# reporting


def counts(res):
    return len(res["tp"]), len(res["fp"]), len(res["fn"])


def print_table(results, total, show_extras=True):
    w = max([len("TOTAL (micro)")] + [len(r["repo"]) for r in results])
    head = "%-*s  %-12s %5s %5s %5s  %6s %6s %6s" % (w, "repo", "category", "TP", "FP", "FN", "prec", "recall", "F1")
    print(head)
    print("-" * len(head))
    rows = results + [total]
    for r in rows:
        name = r["repo"]
        if r.get("error"):
            print("%-*s  ERROR: %s" % (w, name, r["error"]))
            if not r.get("counted"):
                continue
        for cat in CATEGORIES:
            c = r["counts"][cat]
            print("%-*s  %-12s %5d %5d %5d  %6s %6s %6s" % (
                w, name, cat, c["tp"], c["fp"], c["fn"], fmt(c["precision"]), fmt(c["recall"]), fmt(c["f1"])))
            name = ""
        if show_extras and r.get("extras"):
            st = r["extras"]["env_status"]
            us = r["extras"]["env_usage"]
            up, ur, uf = prf(us["tp"], us["fp"], us["fn"])
            print("%-*s  %-12s status agrees on %d/%d matched env vars; reader attribution P/R/F1 %s/%s/%s" % (
                w, "", "", st["agree"], st["total"], fmt(up).strip(), fmt(ur).strip(), fmt(uf).strip()))
        print()


def print_verbose(r):
    print("== %s" % r["repo"])
    for w in r.get("warnings", []):
        print("   warning: %s" % w)
    if r.get("error"):
        print("   error: %s" % r["error"])
    detail = r.get("detail")
    if not detail:
        print()
        return
    for cat in CATEGORIES:
        d = detail[cat]
        print("   %s:" % cat)
        for key, title in (("fp", "false positives"), ("fn", "false negatives"), ("ignored", "ignored (optional)")):
            if d[key]:
                print("     %-20s %s" % (title + ":", ", ".join(d[key])))
        if not (d["fp"] or d["fn"] or d["ignored"]):
            print("     (exact)")
    ex = r.get("extras")
    if ex:
        if ex["env_status"]["differences"]:
            print("   env status differences:")
            for x in ex["env_status"]["differences"]:
                print("     " + x)
        if ex["env_usage"]["differences"]:
            print("   env reader differences:")
            for x in ex["env_usage"]["differences"]:
                print("     " + x)
    print()


def summarise(detail):
    c = {}
    for cat in CATEGORIES:
        tp, fp, fn = counts(detail[cat])
        p, rcl, f1 = prf(tp, fp, fn)
        c[cat] = {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": rcl, "f1": f1}
    return c


# --------------------------------------------------------------------------
# self-test: a tiny truth and a tiny scan with known expected counts


def self_test():
    truth = {
        "repo": "example/shop", "commit": "0" * 40,
        "services": [
            {"id": "api", "root": "api", "kind": "service", "aliases": ["backend"]},
            {"id": "web", "root": "web", "kind": "frontend", "aliases": []},
            {"id": "e2e", "root": None, "kind": "worker", "aliases": [], "optional": True},
        ],
        "externals": [
            {"id": "postgres", "kind": "datastore"},
            {"id": "stripe", "kind": "external"},
            {"id": "traefik", "kind": "external", "aliases": ["proxy"], "optional": True},
        ],
        "connections": [
            {"from": "web", "to": "api", "via": "API_URL"},
            {"from": "api", "to": "postgres", "via": "DATABASE_URL"},
            {"from": "api", "to": "stripe", "via": None},
            {"from": "api", "to": "web", "via": "WEB_URL", "optional": True},
        ],
        "env_vars": [
            {"name": "API_URL", "services": ["web"], "status": "defined"},
            {"name": "DATABASE_URL", "services": ["api"], "status": "defined"},
            {"name": "STRIPE_KEY", "services": ["api"], "status": "missing"},
            {"name": "RUST_LOG", "services": ["api"], "status": "missing", "implicit": True},
            {"name": "DOMAIN", "services": [], "status": "defined", "optional": True},
        ],
    }
    assert not validate_truth(truth), validate_truth(truth)
    use = lambda svc: [{"path": "f", "line": 1, "service": svc}]
    scan = {
        "format": "pruv.scan/1", "root": "/tmp/shop",
        "services": [
            {"id": "server", "kind": "service", "root": "./api/"},      # root match -> api
            {"id": "web", "kind": "frontend", "root": "web"},           # id + root
            {"id": "e2e", "kind": "service", "root": "web"},            # id matches optional e2e -> ignored
            {"id": "web2", "kind": "frontend", "root": "web"},          # duplicate of web -> FP
            {"id": "shop", "kind": "service", "root": ""},              # FP
            {"id": "postgres", "kind": "datastore", "root": None},      # TP
            {"id": "db", "kind": "datastore", "root": None},            # FP (not the canonical id)
            {"id": "proxy", "kind": "external", "root": None},          # optional traefik -> ignored
        ],
        "connections": [
            {"from": "web", "to": "server", "via": "API_URL"},          # TP web->api
            {"from": "web", "to": "server", "via": None},               # same pair, counted once
            {"from": "server", "to": "postgres"},                       # TP
            {"from": "server", "to": "stripe"},                         # TP (stripe undeclared, matched by id)
            {"from": "server", "to": "db"},                             # FP
            {"from": "proxy", "to": "server"},                          # touches optional -> ignored
            {"from": "server", "to": "web", "via": "WEB_URL"},          # optional -> ignored
        ],
        "env_vars": [
            {"name": "API_URL", "used": use("web"), "status": "defined"},          # TP, status ok
            {"name": "DATABASE_URL", "used": use("server"), "status": "missing"},  # TP, status wrong
            {"name": "RUST_LOG", "used": use("server"), "status": "missing"},      # implicit -> ignored
            {"name": "DOMAIN", "used": use(None), "status": "defined"},            # optional -> ignored
            {"name": "PLAYWRIGHT_URL", "used": use("web"), "status": "missing"},   # FP
            {"name": "PYTHONUNBUFFERED", "used": [], "status": "unused"},          # not a prediction
        ],
    }
    detail, extras = score_repo(truth, scan, scan_root="/tmp/shop")
    got = {cat: counts(detail[cat]) for cat in CATEGORIES}
    want = {"services": (2, 2, 0), "externals": (1, 1, 1), "connections": (3, 1, 0), "env_vars": (2, 1, 1)}
    assert got == want, "got %s, want %s" % (got, want)
    assert extras["env_status"]["agree"] == 1 and extras["env_status"]["total"] == 2, extras
    assert (extras["env_usage"]["tp"], extras["env_usage"]["fp"], extras["env_usage"]["fn"]) == (2, 0, 0), extras
    assert sorted(detail["services"]["ignored"]) == ["e2e[root=web]"], detail["services"]
    strict, _ = score_repo(truth, scan, strict=True, scan_root="/tmp/shop")
    assert counts(strict["env_vars"]) == (3, 1, 1), counts(strict["env_vars"])
    failed = failed_repo_counts(truth)
    assert {c: counts(failed[c]) for c in CATEGORIES} == {
        "services": (0, 0, 2), "externals": (0, 0, 2), "connections": (0, 0, 3), "env_vars": (0, 0, 3)}
    assert prf(0, 0, 0) == (None, None, None) and prf(0, 0, 3)[2] == 0.0
    print("self-test OK")
    return 0


# --------------------------------------------------------------------------
# main


APART_ROLES = ("observability", "infrastructure")


def set_roles_apart(truth, scan):
    """Leave observability and infrastructure systems (and their connections)
    out of the score, as the scan format says evaluations do by default: truth
    ones become optional, predicted ones are dropped."""
    truth = dict(truth)
    truth["externals"] = [dict(x, optional=True) if x.get("role") in APART_ROLES else x
                          for x in truth.get("externals", [])]
    apart = {s.get("id") for s in scan.get("services", []) if s.get("role") in APART_ROLES}
    if apart:
        scan = dict(scan)
        scan["services"] = [s for s in scan.get("services", []) if s.get("id") not in apart]
        scan["connections"] = [c for c in scan.get("connections", [])
                               if c.get("from") not in apart and c.get("to") not in apart]
    return truth, scan


def main(argv=None):
    ap = argparse.ArgumentParser(description="Score `pruv scan` output against eval/truth/*.json.")
    ap.add_argument("truth", nargs="*", help="truth files (default: eval/truth/*.json)")
    ap.add_argument("--pruv", help="path to the pruv binary")
    ap.add_argument("--mirror-root", default="/work/.mirror", help="where the bare git mirrors live (default /work/.mirror)")
    ap.add_argument("--scan-json", metavar="FILE", help="score this pruv.scan/1 JSON against ONE truth file instead of running pruv")
    ap.add_argument("--verbose", "-v", action="store_true", help="list false positives / negatives per category")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a table")
    ap.add_argument("--strict", action="store_true",
                    help="count env vars flagged implicit/documented_only/rake_only as required (default: ignored like optional)")
    ap.add_argument("--skip-failed", action="store_true",
                    help="leave repos where pruv failed out of the totals (default: their truth counts as false negatives)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per pruv scan (default 600)")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the exported trees (printed to stderr)")
    ap.add_argument("--all-roles", action="store_true",
                    help="also score observability and infrastructure systems (default: left out, as the scan format says)")
    ap.add_argument("--check", action="store_true", help="only validate the truth files")
    ap.add_argument("--self-test", action="store_true", help="run the built-in matching self-test and exit")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test()

    files = args.truth or sorted(glob.glob(DEFAULT_TRUTH_GLOB))
    if not files:
        eprint("no truth files found")
        return 2

    truths, bad = [], False
    for f in files:
        try:
            t, problems = load_truth(f)
        except (OSError, ValueError) as e:
            eprint("%s: cannot load: %s" % (f, e))
            bad = True
            continue
        for p in problems:
            eprint("%s: %s" % (os.path.basename(f), p))
        bad |= bool(problems)
        truths.append((f, t))
    if args.check:
        if not bad:
            print("%d truth file(s) OK" % len(truths))
        return 1 if bad else 0
    if not truths:
        return 2

    if args.scan_json:
        if len(truths) != 1:
            eprint("--scan-json needs exactly one truth file")
            return 2
    elif not args.pruv:
        eprint("--pruv PATH is required (or use --scan-json FILE TRUTH)")
        return 2
    pruv = os.path.abspath(args.pruv) if args.pruv and os.sep in args.pruv else args.pruv

    results = []
    for path, truth in truths:
        repo = truth.get("repo", os.path.basename(path))
        r = {"repo": repo, "truth_file": path, "commit": truth.get("commit"), "warnings": []}
        tmpbase = None
        try:
            if args.scan_json:
                with open(args.scan_json, encoding="utf-8") as f:
                    scan = parse_scan_text(f.read())
                scan_root = scan.get("root")
            else:
                git_dir = find_git_dir(args.mirror_root, repo, truth["commit"])
                tmpbase = tempfile.mkdtemp(prefix="pruv-eval-")
                tree = os.path.join(tmpbase, repo.split("/")[-1])
                r["warnings"] += export_commit(git_dir, truth["commit"], tree)
                scan = run_pruv(pruv, tree, args.timeout)
                scan_root = tree
            if not isinstance(scan, dict):
                raise RuntimeError("scan output is not a JSON object")
            if scan.get("format") != "pruv.scan/1":
                r["warnings"].append("format is %r, expected 'pruv.scan/1'" % scan.get("format"))
            if not args.all_roles:
                truth, scan = set_roles_apart(truth, scan)
            detail, extras = score_repo(truth, scan, strict=args.strict, scan_root=scan_root)
            r["detail"], r["extras"], r["counted"] = detail, extras, True
        except Exception as e:  # report and continue with the next repo
            r["error"] = str(e) or e.__class__.__name__
            if not args.skip_failed:
                r["detail"], r["counted"] = failed_repo_counts(truth, args.strict), True
        finally:
            if tmpbase:
                if args.keep_tmp:
                    eprint("kept %s" % tmpbase)
                else:
                    shutil.rmtree(tmpbase, ignore_errors=True)
        if r.get("detail"):
            r["counts"] = summarise(r["detail"])
        results.append(r)

    # micro-averaged totals
    total = {"repo": "TOTAL (micro)", "counts": {}}
    for cat in CATEGORIES:
        tp = sum(r["counts"][cat]["tp"] for r in results if r.get("counts"))
        fp = sum(r["counts"][cat]["fp"] for r in results if r.get("counts"))
        fn = sum(r["counts"][cat]["fn"] for r in results if r.get("counts"))
        p, rc, f1 = prf(tp, fp, fn)
        total["counts"][cat] = {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": rc, "f1": f1}
    st = [r["extras"]["env_status"] for r in results if r.get("extras")]
    us = [r["extras"]["env_usage"] for r in results if r.get("extras")]
    total["extras"] = {
        "env_status": {"agree": sum(x["agree"] for x in st), "total": sum(x["total"] for x in st), "differences": []},
        "env_usage": {k: sum(x[k] for x in us) for k in ("tp", "fp", "fn")},
    }
    total["extras"]["env_usage"]["differences"] = []
    failed = [r["repo"] for r in results if r.get("error")]

    if args.json:
        doc = {"repos": [], "total": total["counts"], "failed": failed}
        for r in results:
            item = {"repo": r["repo"], "commit": r["commit"], "warnings": r["warnings"]}
            if r.get("error"):
                item["error"] = r["error"]
            if r.get("counts"):
                item["counts"] = r["counts"]
                item["counted_in_total"] = True
            if r.get("extras"):
                item["env_status"] = {k: r["extras"]["env_status"][k] for k in ("agree", "total")}
                item["env_usage"] = {k: r["extras"]["env_usage"][k] for k in ("tp", "fp", "fn")}
            if args.verbose and r.get("detail"):
                item["detail"] = r["detail"]
            doc["repos"].append(item)
        doc["total_env_status"] = {k: total["extras"]["env_status"][k] for k in ("agree", "total")}
        doc["total_env_usage"] = {k: total["extras"]["env_usage"][k] for k in ("tp", "fp", "fn")}
        print(json.dumps(doc, indent=2, sort_keys=True))
    else:
        if args.verbose:
            for r in results:
                print_verbose(r)
        print_table(results, total)
        if failed:
            how = "left out of" if args.skip_failed else "counted as all false negatives in"
            print("%d repo(s) failed (%s the totals): %s" % (len(failed), how, ", ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
