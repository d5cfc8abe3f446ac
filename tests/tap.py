"""tap.py — the TAP lines the script tests (tests/*/t_*.py) print, which tests/run.py reads.

    sys.path.insert(0, <the tests folder>); from tap import tap, done
    tap(ok, name, diag)     one result: `ok N - name` or `not ok N - name` with diag as `# ` lines
    done()                  the plan line `1..N`; exits 1 when a result failed"""
import sys

_count = 0
_failed = 0


def tap(ok, name, diag="", lines=30):
    global _count, _failed
    _count += 1
    _failed += not ok
    print(("ok" if ok else "not ok") + f" {_count} - {name}")
    if not ok and diag:
        for line in str(diag).splitlines()[:lines]:
            print("# " + line)
    sys.stdout.flush()


def done():
    print(f"1..{_count}")
    sys.stdout.flush()
    sys.exit(1 if _failed else 0)
