#!/usr/bin/env python3
"""t_embed.py — scripts/embed.py, which compiles the policy, the tables, the OpenAPI document and the
dashboard into the binary: text files get their last line end, binary files stay byte for byte
(it once appended a newline to every file).

    python3 tests/core/t_embed.py BUILD_DIR      prints TAP lines (tests/run.py runs it)"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tap import done, tap  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def embedded(files):
    """{name: bytes} as embed.py writes them (the arrays' values, without the closing NUL)."""
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for name, data in files.items():
            p = os.path.join(d, name)
            with open(p, "wb") as f:
                f.write(data)
            paths.append(p)
        out = os.path.join(d, "out.c")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/embed.py"), "sym", out] + paths, check=True)
        text = open(out, encoding="utf-8").read()
    arrays = dict(re.findall(r"static const char (sym_\d+)\[\] = \{([^}]*)\};", text))
    got = {}
    for name, var, length in re.findall(r'\{"([^"]*)", (sym_\d+), (\d+)\}', text):
        values = [int(v) & 0xFF for v in arrays[var].replace("\n", "").split(",") if v.strip()]
        if values[-1] != 0 or len(values) != int(length) + 1:
            raise AssertionError(f"{name}: length {length} but {len(values)} values, or no closing NUL")
        got[name] = bytes(values[:-1])
    return got


png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))
got = embedded({"a.policy": b"[detect]\nsegment_run = 20", "b.txt": b"ends well\n", "c.png": png, "d.bin": b"\xff\xfe\xfd"})
tap(got.get("a.policy") == b"[detect]\nsegment_run = 20\n", "a text file without its last line end gets one", got.get("a.policy"))
tap(got.get("b.txt") == b"ends well\n", "a text file with its last line end is unchanged", got.get("b.txt"))
tap(got.get("c.png") == png, "a binary file (a PNG, with NUL bytes) is kept byte for byte", len(got.get("c.png", b"")))
tap(got.get("d.bin") == b"\xff\xfe\xfd", "bytes that are not UTF-8 are kept byte for byte", got.get("d.bin"))
done()
