#!/usr/bin/python3
"""peer_link.py DIR — the peer for the associated-accounts benchmark: the same three files
(accounts.csv, keys.csv, equity.csv from `warden gen accounts`) through python-igraph (Debian's
python3-igraph), the way a risk team typically scripts it: one vertex per account, key and equity
entity, one edge per account-key row and per holding, keys held by more than 50 accounts dropped,
then the connected components. Values get the light normalisation such scripts do (trimmed, lower
case), not warden's (15/18-digit numbers, +86, address variants ...), so its partition is printed
beside the truth's for comparison, not expected to equal it.

Prints: peer (python-igraph): N accounts, M edges, C clusters in S s; same partition as the truth: yes/no"""
import csv
import sys
import time

import igraph

HUB_CAP = 50


def main():
    d = sys.argv[1]
    t0 = time.perf_counter()
    ids = {}
    with open(f"{d}/accounts.csv", newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            ids.setdefault(row[0], len(ids))
    naccounts = len(ids)
    # keys: (type class, value) -> vertex; the edges as two flat lists
    people = {"legal_rep", "contact", "executive"}
    keys = {}
    src, dst = [], []
    with open(f"{d}/keys.csv", newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            a = ids.get(row[0])
            if a is None:
                continue
            t = "person" if row[1] in people else row[1]
            k = keys.setdefault((t, row[2].strip().lower()), len(keys))
            src.append(a)
            dst.append(k)
    # hub keys link nothing
    count = [0] * len(keys)
    for k in dst:
        count[k] += 1
    edges = [(a, naccounts + k) for a, k in zip(src, dst) if count[k] <= HUB_CAP]
    del src, dst, count
    n = naccounts + len(keys)
    with open(f"{d}/equity.csv", newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            for x in row[:2]:
                if x not in ids:
                    ids[x] = n
                    n += 1
            edges.append((ids[row[0]], ids[row[1]]))
    g = igraph.Graph(n=n, edges=edges)
    membership = g.connected_components().membership
    clusters = len(set(membership[:naccounts]))
    secs = time.perf_counter() - t0
    # compare with the truth (not timed)
    same = True
    label_of, comp_of = {}, {}
    with open(f"{d}/truth.csv", newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for acct, label in r:
            c = membership[ids[acct]]
            if label_of.setdefault(c, label) != label or comp_of.setdefault(label, c) != c:
                same = False
                break
    print(f"peer (python-igraph): {naccounts} accounts, {len(edges)} edges, {clusters} clusters in {secs:.2f} s; "
          f"same partition as the truth: {'yes' if same else 'no'}")


if __name__ == "__main__":
    main()
