#!/usr/bin/env python3
"""run.py — runs every test of warden and ends with the line `N passed, N failed`.

    python3 tests/run.py BUILD_DIR [FILTER]

1. unit tests: each tests/*/test_* program of the build, its cmocka results read as TAP;
2. command-level tests: each tests/cli/*.t file (format below), run against BUILD_DIR/warden;
3. fuzz corpora: each fuzz target of the build (BUILD_DIR/tests/fuzz_NAME) replays its seed corpus,
   tests/fuzz/corpus/NAME;
4. script tests: each tests/*/t_*.py (python3) and tests/*/t_*.mjs (node), run from the root with the
   build folder's absolute path as argument, printing TAP lines (`ok N - name`, `not ok N - name`,
   with `# ...` diagnostics); a script that prints none, or exits non-zero without a `not ok`, fails.

A .t file holds cases, each opened by a `# NAME` line (the rule id first when it proves a rule):

    # KYC-FORGED: an altered check digit is refused
    @file parties.csv          files to create in the case's fresh folder, up to `@end`
    party_id,kind,name
    @end
    $ warden id check 110105194912310021     the command (bash; `warden` is the built one)
    ? 1                        its exit status
    > exact line               a line of stdout, exactly (in this order with other > and ~ lines)
    ~ regex                    a line of stdout matching the regex
    ! regex                    no line of stdout matches
    2> text                    stderr contains the text

Several `$` commands may follow each other in one case: each one's checks follow it. Every case
runs in a new temporary folder with WARDEN_DB=w.db and WARDEN_NOW=2026-03-02T09:00:00+08:00."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = []  # (ok, name, detail)


def record(ok, name, detail=""):
    results.append((ok, name, detail))
    print(("ok     " if ok else "FAILED ") + name + ("" if ok or not detail else "\n        " + detail.replace("\n", "\n        ")))
    sys.stdout.flush()


def run_unit(build, filt):
    progs = []
    for sub in sorted(os.listdir(os.path.join(build, "tests"))):
        p = os.path.join(build, "tests", sub)
        if sub.startswith("test_") and os.access(p, os.X_OK) and os.path.isfile(p):
            progs.append(p)
    for p in progs:
        name = os.path.basename(p)
        args = [p]
        if name == "test_kyc":
            args.append(os.path.join(ROOT, "tests/kyc/cases.tsv"))
        if name == "test_cal":
            args.append(os.path.join(ROOT, "tests/cal/notices.tsv"))
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
        try:
            out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)
        except subprocess.TimeoutExpired:
            record(False, f"{name}: timed out")
            continue
        seen = 0
        for line in out.stdout.splitlines():
            m = re.match(r"(not ok|ok) \d+ - (.*)", line)
            if not m:
                continue
            seen += 1
            if filt and filt not in m.group(2):
                continue
            detail = ""
            if m.group(1) != "ok":
                detail = "\n".join(l for l in out.stdout.splitlines() + out.stderr.splitlines() if m.group(2) in l or "ERROR" in l or "error" in l)[:2000]
            record(m.group(1) == "ok", f"{name}: {m.group(2)}", detail)
        if out.returncode != 0 and seen == 0:
            record(False, f"{name}: crashed (exit {out.returncode})", (out.stderr or out.stdout)[-3000:])
        elif out.returncode < 0 or out.returncode > 100 or "Sanitizer" in out.stderr or "runtime error" in out.stderr:
            record(False, f"{name}: sanitizer or crash (exit {out.returncode})", out.stderr[-3000:])


def parse_t(path):
    cases, cur = [], None
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("# "):
            cur = {"name": line[2:].strip(), "files": {}, "steps": [], "line": i + 1}
            cases.append(cur)
        elif line.startswith("@file "):
            fname, body = line[6:].strip(), []
            i += 1
            while i < len(lines) and lines[i] != "@end":
                body.append(lines[i])
                i += 1
            cur["files"][fname] = "\n".join(body) + ("\n" if body else "")
        elif line.startswith("$ "):
            cur["steps"].append({"cmd": line[2:], "checks": [], "line": i + 1})
        elif line[:2] in ("? ", "> ", "~ ", "! ") or line.startswith("2> ") or line == ">":
            kind = "2>" if line.startswith("2> ") else line[:1]
            val = line[3:] if kind == "2>" else line[2:]
            cur["steps"][-1]["checks"].append((kind, val, i + 1))
        elif line.strip() and not line.startswith("#"):
            raise SystemExit(f"{path}:{i + 1}: cannot read this line: {line!r}")
        i += 1
    return cases


def run_cli(build, filt):
    warden = os.path.abspath(os.path.join(build, "warden"))
    bindir = tempfile.mkdtemp(prefix="warden-bin-")
    os.symlink(warden, os.path.join(bindir, "warden"))
    for t in sorted(os.listdir(os.path.join(ROOT, "tests/cli"))):
        if not t.endswith(".t"):
            continue
        path = os.path.join(ROOT, "tests/cli", t)
        for case in parse_t(path):
            name = f"{t}: {case['name']}"
            if filt and filt not in name:
                continue
            work = tempfile.mkdtemp(prefix="warden-t-")
            for fname, body in case["files"].items():
                os.makedirs(os.path.dirname(os.path.join(work, fname)), exist_ok=True)
                with open(os.path.join(work, fname), "w", encoding="utf-8") as f:
                    f.write(body)
            env = dict(os.environ, PATH=bindir + ":" + os.environ.get("PATH", ""), WARDEN_DB="w.db",
                       WARDEN_NOW="2026-03-02T09:00:00+08:00", WARDEN_ACTOR="tester", ROOT=ROOT, LC_ALL="C.UTF-8")
            env.pop("WARDEN_KEY_FILE", None)
            problems = []
            for step in case["steps"]:
                try:
                    out = subprocess.run(["bash", "-c", step["cmd"]], capture_output=True, cwd=work, env=env, timeout=300)
                except subprocess.TimeoutExpired:
                    problems.append(f"line {step['line']}: timed out: {step['cmd']}")
                    break
                so = out.stdout.decode("utf-8", "replace")
                se = out.stderr.decode("utf-8", "replace")
                olines = so.split("\n")
                pos = 0
                if "Sanitizer" in se or "runtime error:" in se:
                    problems.append(f"line {step['line']}: sanitizer report:\n{se[-2000:]}")
                for kind, val, ln in step["checks"]:
                    if kind == "?":
                        if str(out.returncode) != val.strip():
                            problems.append(f"line {ln}: exit {out.returncode}, want {val.strip()} (stderr: {se.strip()[:300]})")
                    elif kind in (">", "~"):
                        k = pos
                        while k < len(olines) and not (olines[k] == val if kind == ">" else re.search(val, olines[k])):
                            k += 1
                        if k == len(olines):
                            problems.append(f"line {ln}: no stdout line {'is' if kind == '>' else 'matches'} {val!r} after line {pos + 1}\nstdout was:\n{so[:1500]}")
                        else:
                            pos = k + 1
                    elif kind == "!":
                        bad = [l for l in olines if re.search(val, l)]
                        if bad:
                            problems.append(f"line {ln}: stdout line matches {val!r}: {bad[0]!r}")
                    elif kind == "2>":
                        if val not in se:
                            problems.append(f"line {ln}: stderr lacks {val!r}; stderr was:\n{se[:1500]}")
            record(not problems, name, "\n".join(problems))
            shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(bindir, ignore_errors=True)


def run_fuzz(build, filt):
    names = sorted(f"fuzz_{c}" for c in os.listdir(os.path.join(ROOT, "tests/fuzz/corpus")))
    for name in names:
        prog = os.path.join(build, "tests", name)
        corpus = os.path.join(ROOT, "tests/fuzz/corpus", name[5:])
        title = f"{name}: replays its corpus"
        if filt and filt not in title:
            continue
        if not os.path.exists(prog):
            record(False, title, "not built: configure the test build with -Dfuzz=true (make test does)")
            continue
        files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus))
        out = subprocess.run([prog, "-runs=0"] + files, capture_output=True, text=True, timeout=600)
        record(out.returncode == 0, f"{title} ({len(files)} inputs)", out.stderr[-3000:])


def run_scripts(build, filt):
    import glob
    scripts = sorted(glob.glob(os.path.join(ROOT, "tests/*/t_*.py")) + glob.glob(os.path.join(ROOT, "tests/*/t_*.mjs")))
    for path in scripts:
        rel = os.path.relpath(path, ROOT)
        interp = "python3" if path.endswith(".py") else "node"
        try:
            out = subprocess.run([interp, path, os.path.abspath(build)], capture_output=True, text=True,
                                 timeout=900, cwd=ROOT)
        except subprocess.TimeoutExpired:
            record(False, f"{rel}: timed out")
            continue
        seen, failed = 0, 0
        lines = out.stdout.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"(not ok|ok) \d+ - (.*)", line)
            if not m:
                continue
            seen += 1
            ok = m.group(1) == "ok"
            failed += not ok
            if filt and filt not in m.group(2):
                continue
            detail = ""
            if not ok:
                diag = []
                for nxt in lines[i + 1:]:
                    if not nxt.startswith("#"):
                        break
                    diag.append(nxt)
                detail = ("\n".join(diag) or out.stderr[-2000:])[:3000]
            record(ok, f"{rel}: {m.group(2)}", detail)
        if seen == 0 or (out.returncode != 0 and failed == 0):
            record(False, f"{rel}: exit {out.returncode}, {seen} results", (out.stderr or out.stdout)[-3000:])


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build-test"
    filt = sys.argv[2] if len(sys.argv) > 2 else ""
    run_unit(build, filt)
    run_cli(build, filt)
    run_fuzz(build, filt)
    run_scripts(build, filt)
    passed = sum(1 for r in results if r[0])
    failed = len(results) - passed
    if failed:
        print("\nfailed:")
        for ok, name, _ in results:
            if not ok:
                print("  " + name)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
