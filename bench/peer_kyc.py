#!/usr/bin/env python3
"""peer_kyc.py — the peer for bench_kyc: the same resident-number checks (length and shape, MOD
11-2, a real birth date not in the future, a region code known to GB/T 2260) written the way a
platform's back office typically scripts them, in Python, over the same file and region table."""
import datetime
import sys
import time

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
regions = set()
for line in open(sys.argv[2], encoding="utf-8"):
    if not line.startswith("#"):
        regions.add(line.split("\t", 1)[0])
today = datetime.date(2026, 3, 2)


def check(s):
    if len(s) != 18 or not s[:17].isdigit() or s[17] not in "0123456789X":
        return False
    if "10X98765432"[sum(int(c) * w for c, w in zip(s, W)) % 11] != s[17]:
        return False
    try:
        born = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return born <= today and s[:6] in regions


nums = [l.strip() for l in open(sys.argv[1])]
t0 = time.perf_counter()
valid = sum(1 for s in nums if check(s))
rate = len(nums) / (time.perf_counter() - t0)
print(f"peer (Python): {len(nums)} numbers, {rate / 1e6:.2f} million checks/s; valid {valid} invalid {len(nums) - valid}")
