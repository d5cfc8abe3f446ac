#!/usr/bin/env python3
"""t_dedupe.py — the call-id dedupe of `warden scan` against a model of its rule, on random streams.

The rule (cdr.md: a call id seen twice counts once; docs/detect.md, Duplicates): an id is
remembered in the stream's newest hour (the newest start's hour; a record starting earlier does not
move it back) and matches while the newest hour is at most one past that; a call matching nothing
is remembered anew. The model below is that sentence in Python: a dictionary of ids, no hashing.
The streams mix what the engine's log and table must survive: times that jump by one, two or many
hours, late records, duplicates a few records or hours apart, ids of 1 to 300 bytes and some of a
megabyte (the log's 4 MB blocks), ids that differ only at their ends, enough ids to grow and purge
the table and to wrap the log's places (they start 8 MB before the wrap), and a busy stream (tens of
thousands of ids an hour) whose table fills its buckets, so that lookups and purges go through
entries that overflowed into the next bucket; ids of KEY_CID bytes and of those and one more (the
keys copy an id of up to KEY_CID bytes, the record holds a longer one); and pairs of ids whose 32-bit
fingerprints agree (found by a birthday search with a copy of the hash), short ones and long ones
that share their first KEY_CID bytes, so that only their bytes tell them apart. Each stream is scanned
with 1, 2, 3 and 6 threads (one engine, or two or three dedupe shards).

    python3 tests/detect/t_dedupe.py BUILD_DIR      prints TAP lines (tests/run.py runs it)"""
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tap import done, tap  # noqa: E402

KEY_CID = 16  # WARDEN_KEY_CID of src/detect/detect.h: the longest call id the keys copy
HEADER = "call_id,start,caller,display,callee,direction,duration,billsec,status,account,origin_region,forwarded_from,hops,marketing"


def model(recs):
    """The duplicates of the rule, counted over (call_id, start) in stream order."""
    hour = None
    gen, adjacent = 0, False  # gen: how often the newest hour moved; adjacent: the last move was by one hour
    seen, dups = {}, 0
    for cid, start in recs:
        h = (start // 3600) & 0xFFFF
        if hour is None:
            hour = h
        else:
            ahead = (h - hour) & 0xFFFF
            if ahead and ahead < 0x8000:
                gen, adjacent, hour = gen + 1, ahead == 1, h
        g = seen.get(cid)
        if g is not None and (g == gen or (g == gen - 1 and adjacent)):
            dups += 1
        else:
            seen[cid] = gen
    return dups


def stream(seed, n, pace=0.4, jump=0.002):
    """n records; pace: the share of records whose time moves on (by 0 to 3 seconds); jump: the share
    after which it jumps by hours."""
    r = random.Random(seed)
    t = 1772409600 + r.randrange(3600)  # 2026-03-02 08:00 +08:00, somewhere in the hour
    recs, ids = [], []
    for i in range(n):
        x = r.random()
        if x < jump:
            t += 3600 * r.choice([1, 2, 3, 7, 30])  # the newest hour jumps
        elif x < jump + pace:
            t += r.randrange(4)
        start = t - r.randrange(3 * 3600) if r.random() < 0.02 else t  # a late record
        y = r.random()
        if ids and y < 0.08:  # a duplicate, a few records or a few hours back
            cid = ids[-1 - min(len(ids) - 1, int(r.expovariate(1 / 20)) if r.random() < 0.5 else r.randrange(len(ids)))]
        elif y < 0.0002:
            cid = "L" * (1 << 20) + str(i)  # a megabyte
        elif y < 0.05:
            cid = "".join(r.choice("0123456789abcdef") for _ in range(r.randrange(1, 300)))
        elif y < 0.055:  # KEY_CID bytes, or those and one more: the keys' copy of an id or the record's
            cid = f"k{r.randrange(3000)}".ljust(KEY_CID, "0") + r.choice(("", "", "x", "y"))
        elif y < 0.06 and ids:
            cid = ids[-1][:-1] + ("x" if ids[-1][-1:] != "x" else "y")  # differs from the last id at its end
        else:
            cid = f"c-{seed}-{i}"
        ids.append(cid)
        recs.append((cid, start))
    return recs


M64 = (1 << 64) - 1


def mix(h):
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & M64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & M64
    return h ^ (h >> 33)


def fingerprint(cid):
    """The dedupe's fingerprint of a call id: detect.c's hash_bytes (seed 0xCA11), 32 bits, low one set."""
    b = cid.encode()
    n = len(b)
    h = 0xCA11 ^ ((n * 0x9E3779B97F4A7C15) & M64)
    while len(b) >= 8:
        h = mix(h ^ int.from_bytes(b[:8], "little"))
        b = b[8:]
    m = len(b)
    if m >= 4:
        w = int.from_bytes(b[:4], "little") | int.from_bytes(b[m - 4:], "little") << (8 * (m - 4))
    elif m:
        w = b[0] | b[m // 2] << (8 * (m // 2)) | b[m - 1] << (8 * (m - 1))
    else:
        w = 0
    return (mix(h ^ w ^ (m << 56)) & 0xFFFFFFFF) | 1


def twins(prefix):
    """Two ids, prefix and a number, whose fingerprints agree (a search for a birthday): the
    dedupe must tell them apart by their bytes."""
    seen = {}
    for i in range(1 << 20):
        cid = f"{prefix}{i}"
        other = seen.setdefault(fingerprint(cid), cid)
        if other != cid:
            return other, cid
    raise SystemExit("no twins")


def with_twins(recs, pairs):
    """recs with each pair of twins put in, now and then: a, b (distinct), then a again (its duplicate)."""
    out = []
    for k, rec in enumerate(recs):
        out.append(rec)
        if k % 4999 == 100:
            a, b = pairs[(k // 4999) % len(pairs)]
            out += [(a, rec[1]), (b, rec[1]), (a, rec[1])]
    return out


def write(path, recs):
    with open(path, "w") as f:
        f.write(HEADER + "\n")
        for k, (cid, start) in enumerate(recs):
            f.write(f"{cid},{start},1390013{k % 10000:04d},,1380013{k % 9973:04d},out,30,20,answered,a1,,,0,0\n")


def main():
    build = sys.argv[1]
    warden = os.path.join(build, "warden")
    # fingerprints that agree: ids the keys hold (up to KEY_CID bytes), and longer ids that agree in
    # their first KEY_CID (the record holds them: a copy of the first KEY_CID would match)
    pairs = [twins("t-"), twins("u" * KEY_CID)]
    with tempfile.TemporaryDirectory() as d:
        for seed, n, pace, jump in ((1, 40000, 0.4, 0.002), (2, 120000, 0.4, 0.002), (3, 250000, 0.4, 0.002),
                                    (4, 300000, 0.03, 0.00002)):
            recs = with_twins(stream(seed, n, pace, jump), pairs)
            n = len(recs)
            want = model(recs)
            path = os.path.join(d, f"s{seed}.csv")
            write(path, recs)
            for threads in (1, 2, 3, 6):
                p = subprocess.run([warden, "scan", "--threads", str(threads), "--rejects", os.path.join(d, "r.csv"), path],
                                   capture_output=True, text=True)
                m = re.search(r"(\d+) records read \((\d+) duplicates counted once\), (\d+) rejected", p.stderr)
                got = (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
                tap(p.returncode in (0, 1) and got == (n, want, 0),
                    f"cdr.md (a call id seen twice counts once): stream {seed} of {n} records, {want} duplicates by the model, --threads {threads}",
                    f"got {got}, want {(n, want, 0)}; exit {p.returncode}\n{p.stderr[-2000:]}")


main()
done()
