#!/usr/bin/env python3
"""t_api.py — `warden serve` end to end: a registry built with the CLI, the server on a free port,
every route, the roles and scopes (a reseller tries another reseller's customers, numbers and
cases), every class of bad input, the audit of writes, screening from memory, metrics and logs.

    python3 tests/api/t_api.py BUILD_DIR      prints TAP lines (tests/run.py runs it)"""
import csv
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tap import done, tap  # noqa: E402

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build-test")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WARDEN = os.path.join(BUILD, "warden")
NOW = "2026-03-02T09:00:00+08:00"
work = tempfile.mkdtemp(prefix="warden-api-")
ENV = dict(os.environ, WARDEN_DB=os.path.join(work, "w.db"), WARDEN_NOW=NOW, WARDEN_ACTOR="tester", LC_ALL="C.UTF-8")
ENV.pop("WARDEN_KEY_FILE", None)
statuses = []  # every status the server answered, to prove there was never a 500


def cli(*args, check=True):
    out = subprocess.run([WARDEN] + list(args), capture_output=True, text=True, env=ENV, cwd=work, timeout=300)
    if check and out.returncode not in (0, 1):
        raise SystemExit(f"warden {' '.join(args)}: exit {out.returncode}: {out.stderr}")
    return out


class Server:
    def __init__(self, *extra):
        self.err = open(os.path.join(work, f"serve{len(extra)}.log"), "w+")
        self.p = subprocess.Popen([WARDEN, "serve", "--listen", "127.0.0.1:0", "--threads", "2"] + list(extra),
                                  stdout=subprocess.PIPE, stderr=self.err, text=True, env=ENV, cwd=work)
        line = self.p.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not m:
            raise SystemExit(f"warden serve did not start: {line!r}")
        self.port = int(m.group(1))

    def req(self, method, path, token=None, body=None, headers=None, raw=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        text = r.read()
        c.close()
        statuses.append((r.status, method, path))
        js = None
        if (r.getheader("Content-Type") or "").startswith("application/json"):
            try:
                js = json.loads(text)
            except ValueError:
                js = "NOT JSON"
        return r.status, r, js, text

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = -9
        self.err.seek(0)
        return rc, self.err.read()


def is_error_body(js, status):
    return isinstance(js, dict) and set(js) == {"code", "reason", "message", "status"} and js["status"] == str(status)


# ---- the registry, through the command line ----
cli("gen", "registry", "--out", "g", "--customers", "80", "--seed", "5")
for kind in ("parties", "accounts", "documents"):
    cli("import", kind, f"g/{kind}.csv")
cli("number", "import", "g/numbers.csv")
accounts = list(csv.DictReader(open(os.path.join(work, "g/accounts.csv"), encoding="utf-8")))
parties = {r["party_id"]: r for r in csv.DictReader(open(os.path.join(work, "g/parties.csv"), encoding="utf-8"))}
parent = {a["account_id"]: a["parent_id"] for a in accounts}
role = {a["account_id"]: a["role"] for a in accounts}
held = {}  # number -> customer, as activated
for row in list(csv.DictReader(open(os.path.join(work, "g/plan.csv"), encoding="utf-8")))[:24]:
    c, landing, service = row["customer"], row["landing"], row["service"]
    if cli("number", "reserve", "--customer", c, landing).returncode or cli("number", "activate", "--customer", c, landing).returncode:
        continue
    held[landing] = c
    if not cli("number", "reserve", "--customer", c, service).returncode and \
            not cli("number", "activate", "--customer", c, "--landing", landing, service).returncode:
        held[service] = c
by_agent = {}
for num, c in held.items():
    by_agent.setdefault(parent[c], []).append(num)
agents = sorted(by_agent, key=lambda a: -len(by_agent[a]))
A, B = agents[0], agents[1]  # two resellers holding numbers
distA = parent[A]
other_dist = next(a["account_id"] for a in accounts if a["role"] == "distributor" and a["account_id"] != distA)
numA = sorted(n for n in by_agent[A] if not n.startswith(("400", "800")))[0]
numB = sorted(n for n in by_agent[B] if not n.startswith(("400", "800")))[0]
custA, custB = held[numA], held[numB]
svcA = next((n for n in by_agent[A] if n.startswith(("400", "800"))), None)
# a second line of A's customer, so that it may present one line on a call from the other
spare = next(row["landing"] for row in list(csv.DictReader(open(os.path.join(work, "g/plan.csv"), encoding="utf-8")))[24:]
             if len(row["landing"]) == 11 and row["landing"].startswith("1"))
if not cli("number", "reserve", "--customer", custA, spare).returncode and not cli("number", "activate", "--customer", custA, spare).returncode:
    held[spare] = custA
    by_agent[A].append(spare)


def token(*args):
    out = cli("token", "create", *args)
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout.strip()


T = {"platform": token("--role", "platform", "--note", "tests"), "auditor": token("--role", "auditor"),
     "distA": token("--role", "distributor", "--scope", distA), "A": token("--role", "reseller", "--scope", A),
     "B": token("--role", "reseller", "--scope", B),
     "expired": token("--role", "platform", "--expires", "2026-03-01"), "revoked": token("--role", "platform")}
cli("token", "revoke", T["revoked"][4:20])

# findings: a call from A's customer presenting B's number (TR-SPOOF), stored by scan --db
with open(os.path.join(work, "calls.csv"), "w") as f:
    f.write("call_id,start,caller,display,callee,direction,duration,billsec,status,account\n")
    f.write(f"k1,2026-03-02T08:00:00+08:00,{numA},{numB},13800138000,out,30,20,answered,{custA}\n")
    f.write(f"k2,2026-03-02T08:01:00+08:00,{numB},0000,13800138001,out,30,20,answered,{custB}\n")
cli("scan", "--db", ENV["WARDEN_DB"], "calls.csv")
# cases (src/enforce): a resale case on A's customer, opened by the command line
cli("case", "open", "EN-RESALE", "--subject", f"customer:{custA}", "--note", "resold line")

srv = Server()
P = T["platform"]
try:
    # ---- the basics ----
    st, r, js, _ = srv.req("GET", "/healthz")
    tap(st == 200 and js == {"status": "ok"}, "GET /healthz answers without a token")
    st, r, _, text = srv.req("GET", "/openapi.json")
    doc = json.load(open(os.path.join(ROOT, "docs/openapi.json"), encoding="utf-8"))
    tap(st == 200 and json.loads(text) == doc, "GET /openapi.json serves docs/openapi.json, compiled in")
    routes = {tuple(l.split(" ", 1)) for l in cli("serve", "--routes").stdout.splitlines()}
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    tap(routes == documented and len(routes) > 30, "every route of the server is in the OpenAPI document, and every documented route is served",
        f"served only: {sorted(routes - documented)}\ndocumented only: {sorted(documented - routes)}")
    st, r, _, text = srv.req("GET", "/")
    tap(st == 200 and r.getheader("Content-Type").startswith("text/html") and b"<html" in text and r.getheader("Cache-Control"),
        "GET / serves the dashboard's index.html with a Content-Type and Cache-Control")
    st, r, _, text = srv.req("GET", "/assets/placeholder.css")
    tap(st == 200 and r.getheader("Content-Type").startswith("text/css") and "max-age" in r.getheader("Cache-Control"),
        "GET /assets/NAME serves a compiled-in file by its extension's type (web/static)")
    page = srv.req("GET", "/")[3].decode("utf-8", "replace")
    assets = sorted(set(re.findall(r'(?:href|src)="(/assets/[^"]+)"', page)))
    types = {".js": ("text/javascript", "application/javascript"), ".css": ("text/css",), ".svg": ("image/svg+xml",)}
    got = []
    for a in assets:
        st, r, _, body = srv.req("GET", a)
        ctype = (r.getheader("Content-Type") or "") if r else ""
        got.append((a, st, ctype, len(body or b"")))
    tap(len(assets) >= 3 and any(re.search(r"/app-[0-9A-Za-z]+\.js$", a) for a in assets) and
        all(st == 200 and n > 0 and ctype.startswith(types.get(os.path.splitext(a)[1], ("?",))) for a, st, ctype, n in got),
        "every asset index.html loads (the bundle under its content-hashed name, the stylesheet, the icon) is served with its type", got)
    bad = [srv.req("GET", p)[:3:2] for p in ("/assets/../../../etc/passwd", "/assets/%2e%2e%2fetc%2fpasswd", "/assets/..%2F..%2Fetc%2Fpasswd",
                                           "/assets/nope.js", "/assets/", "/assets/index.html/..", "/../etc/passwd", "/assets/.placeholder.css")]
    tap(all(s == 404 and is_error_body(j, 404) for s, j in bad), "static files: path traversal and unknown names answer 404 (no file system access)", bad)

    # ---- auth ----
    st, r, js, _ = srv.req("GET", "/warden/v1/me")
    tap(st == 401 and is_error_body(js, 401) and r.getheader("WWW-Authenticate"), "no token: 401 with the error body and WWW-Authenticate")
    for name, tok in (("malformed", "abc"), ("unknown", "wdn_0123456789abcdef_" + "0" * 64), ("expired", T["expired"]),
                      ("revoked", T["revoked"]), ("tampered", P[:-1] + ("0" if P[-1] != "0" else "1"))):
        st, r, js, _ = srv.req("GET", "/warden/v1/me", tok)
        tap(st == 401 and is_error_body(js, 401), f"a {name} token answers 401", (st, js))
    st, _, js, _ = srv.req("GET", "/warden/v1/me", headers={"Authorization": "Basic " + P})
    tap(st == 401, "a token in another scheme than Bearer answers 401")
    st, _, js, _ = srv.req("GET", "/warden/v1/me", T["A"])
    tap(st == 200 and js["role"] == "reseller" and js["scope"] == A and js["tokenId"] == T["A"][4:20], "GET /warden/v1/me names the role, scope and token")

    # ---- TMF lists ----
    st, r, js, _ = srv.req("GET", "/tmf-api/customerManagement/v4/customer?limit=5", P)
    ncust = sum(1 for a in accounts if a["role"] == "customer")
    tap(st == 200 and len(js) == 5 and r.getheader("X-Total-Count") == str(ncust) and all({"id", "href", "@type"} <= set(c) for c in js),
        "customers: a page of entities with id, href, @type and X-Total-Count", (st, r.getheader("X-Total-Count"), ncust))
    st, r, js2, _ = srv.req("GET", "/tmf-api/customerManagement/v4/customer?limit=5&offset=5", P)
    tap(st == 200 and js2[0]["id"] not in {c["id"] for c in js}, "offset moves the page")
    st, r, js, _ = srv.req("GET", "/tmf-api/customerManagement/v4/customer?limit=3&fields=status", P)
    tap(st == 200 and all(set(c) == {"id", "href", "@type", "status"} for c in js), "fields keeps only the fields asked (and id, href, @type)", js)
    for path in ("/tmf-api/party/v4/individual", "/tmf-api/party/v4/organization", "/tmf-api/partyRoleManagement/v4/partyRole",
                 "/tmf-api/agreementManagement/v4/agreement", "/tmf-api/resourceInventoryManagement/v4/resource"):
        st, r, js, _ = srv.req("GET", path + "?limit=2", P)
        ok = st == 200 and isinstance(js, list) and r.getheader("X-Total-Count") is not None
        if ok and js:
            st1, _, one, _ = srv.req("GET", js[0]["href"], P)
            ok = st1 == 200 and one["id"] == js[0]["id"] and one["href"] == js[0]["href"]
        tap(ok, f"GET {path} lists, and each item's href answers it", (st, js))
    st, r, js, _ = srv.req("GET", f"/tmf-api/resourceInventoryManagement/v4/resource/{numA}", P)
    tap(st == 200 and js["resourceStatus"] == "active" and js["accountId"] == custA and "annualFeeFen" in js and js["grade"],
        "a number as a TMF639 resource: resourceStatus, grade, kind, province, annualFeeFen, accountId", js)
    st, r, js, _ = srv.req("GET", "/tmf-api/resourceInventoryManagement/v4/resource?resourceStatus=active&limit=1000", P)
    tap(st == 200 and len(js) == len(held) and all(x["resourceStatus"] == "active" for x in js), "resources filter by resourceStatus",
        (len(js), len(held)))

    # ---- personal data ----
    names = [p["name"] for p in parties.values() if p["kind"] == "individual" and len(p["name"]) > 1]
    st, r, js, text = srv.req("GET", "/tmf-api/party/v4/individual?limit=1000", P)
    body = text.decode()
    leaked = [n for n in names if n in body]
    docs = [d["number"] for d in csv.DictReader(open(os.path.join(work, "g/documents.csv"), encoding="utf-8")) if len(d["number"]) >= 12]
    st2, r, js2, text2 = srv.req("GET", "/tmf-api/party/v4/organization?limit=1000", P)
    dleak = [d for d in docs if d in body or d in text2.decode()]
    tap(st == 200 and len(js) > 10 and not leaked and not dleak and all("*" in p["name"] for p in js),
        "personal data is masked: no individual's name nor document number in clear", (leaked[:3], dleak[:3]))

    # ---- scope: a reseller never sees another reseller's data ----
    st, r, js, _ = srv.req("GET", "/tmf-api/customerManagement/v4/customer?limit=1000", T["A"])
    mine = {a["account_id"] for a in accounts if a["parent_id"] == A and a["role"] == "customer"}
    tap(st == 200 and {c["id"] for c in js} == mine and r.getheader("X-Total-Count") == str(len(mine)),
        "a reseller lists exactly its own customers, and X-Total-Count counts only them")
    checks = [("customer", f"/tmf-api/customerManagement/v4/customer/{custB}"),
              ("number", f"/tmf-api/resourceInventoryManagement/v4/resource/{numB}"),
              ("number history", f"/warden/v1/numbers/{numB}/history"),
              ("party role", f"/tmf-api/partyRoleManagement/v4/partyRole/{B}"),
              ("agent's customers", f"/warden/v1/agents/{B}/customers"),
              ("agent's figures", f"/warden/v1/agents/{B}"),
              ("cluster", f"/warden/v1/clusters/{custB}"),
              ("party", f"/tmf-api/party/v4/{'individual' if parties[[a for a in accounts if a['account_id'] == custB][0]['party_id']]['kind'] == 'individual' else 'organization'}/{[a for a in accounts if a['account_id'] == custB][0]['party_id']}")]
    for what, path in checks:
        st, r, js, _ = srv.req("GET", path, T["A"])
        st_own, _, _, _ = srv.req("GET", path, T["B"])
        tap(st == 404 and is_error_body(js, 404) and st_own == 200, f"a reseller asking for another reseller's {what} gets 404 (the owner gets 200)", (path, st, st_own))
    st, r, js, _ = srv.req("GET", "/tmf-api/resourceInventoryManagement/v4/resource?limit=1000", T["A"])
    tap(st == 200 and {x["id"] for x in js} == set(by_agent[A]), "a reseller lists only its customers' numbers", (sorted(x["id"] for x in js), by_agent[A]))
    st, r, js, _ = srv.req("GET", f"/tmf-api/resourceInventoryManagement/v4/resource?accountId={custB}", T["A"])
    tap(st == 200 and js == [] and r.getheader("X-Total-Count") == "0", "filtering on another reseller's customer finds nothing")
    st, r, js, _ = srv.req("GET", "/warden/v1/findings", T["A"])
    stB, _, jsB, _ = srv.req("GET", "/warden/v1/findings", T["B"])
    stP, _, jsP, _ = srv.req("GET", "/warden/v1/findings", P)
    tap(st == 200 and stP == 200 and len(jsP) >= 2 and all(f["account"] == custA for f in js) and all(f["account"] == custB for f in jsB)
        and any(f["rule"] == "TR-SPOOF" for f in js), "TR-SPOOF: findings stored by scan --db are listed, each reseller seeing only its own customers'", (js, jsB))
    st, r, js, _ = srv.req("GET", "/tmf-api/customerManagement/v4/customer?limit=1000", T["distA"])
    under = {a["account_id"] for a in accounts if a["role"] == "customer" and parent.get(a["parent_id"]) == distA}
    tap(st == 200 and {c["id"] for c in js} == under and A in {parent[c["id"]] for c in js}, "a distributor sees its agents' customers, and no one else's")
    st, _, _, _ = srv.req("GET", f"/tmf-api/partyRoleManagement/v4/partyRole/{other_dist}", T["distA"])
    tap(st == 404, "a distributor asking for another distributor gets 404")
    st, _, js, _ = srv.req("GET", "/warden/v1/agents?sort=violations", T["A"])
    tap(st == 200 and [a["id"] for a in js] == [A], "GET /warden/v1/agents: a reseller sees only itself", js)
    st, _, one, _ = srv.req("GET", f"/warden/v1/agents/{A}", T["A"])
    tap(st == 200 and js and one == js[0] and one["customers"] == len(mine) and "openCases" in one and "finesOutstandingFen" in one,
        "GET /warden/v1/agents/{id}: one agent's figures, the same as in the list", (one, js))
    st, _, js, _ = srv.req("GET", "/warden/v1/numbers/summary", T["A"])
    tap(st == 200 and sum(js["byState"].values()) == len(by_agent[A]), "the numbers summary counts only the token's numbers", js)

    # ---- roles ----
    st, _, js, _ = srv.req("POST", f"/warden/v1/numbers/{numA}/freeze", T["auditor"], {"reason": "x"})
    tap(st == 403 and is_error_body(js, 403), "an auditor's write answers 403")
    st, _, js, _ = srv.req("GET", "/warden/v1/audit?limit=3", T["auditor"])
    tap(st == 200 and len(js) == 3, "an auditor reads the audit log")
    for tok in ("A", "distA"):
        st, _, js, _ = srv.req("GET", "/warden/v1/audit", T[tok])
        tap(st == 403 and is_error_body(js, 403), f"a {'reseller' if tok == 'A' else 'distributor'} may not read the whole audit log (403)")
    st, _, js, _ = srv.req("POST", f"/warden/v1/numbers/{numB}/freeze", T["A"], {"reason": "not mine"})
    tap(st == 404, "a reseller freezing another reseller's number gets 404, and nothing changes")
    st, _, js, _ = srv.req("GET", f"/tmf-api/resourceInventoryManagement/v4/resource/{numB}", P)
    tap(js["resourceStatus"] == "active", "... the number is still active")

    # ---- screening from memory ----
    def screen(caller, display, tok=P):
        st, _, js, _ = srv.req("GET", f"/warden/v1/screen?caller={caller}&display={display}&callee=13800138000", tok)
        return st, js
    st, js = screen(numA, numA)
    tap(st == 200 and js == {"decision": "allow", "rule": None, "reason": js["reason"]}, "screen allows a held number presenting itself", js)
    if svcA:
        st, js = screen(numA, svcA)
        tap(js["decision"] == "deny" and js["rule"] == "TR-400-OUT", "TR-400-OUT: screen denies a 400 display (NUM-OUTBOUND)", js)
    st, js = screen(numA, "4001234567")
    tap(js["decision"] == "deny" and js["rule"] == "TR-400-OUT", "TR-400-OUT: screen denies any 400/800 display, in the inventory or not", js)
    st, js = screen(numA, numB)
    tap(js["decision"] == "deny" and js["rule"] == "TR-SPOOF", "TR-SPOOF: screen denies a display allocated to another account", js)
    st, js = screen(numA, "%2B14155550100")
    tap(js["decision"] == "deny" and js["rule"] == "TR-SPOOF", "TR-SPOOF: screen denies a display that is not a valid Chinese number", js)
    st, js = screen(numA, "13912345678")
    tap(js["decision"] == "deny" and js["rule"] == "TR-SPOOF", "TR-SPOOF: screen denies a display not allocated to the caller", js)
    other = next((n for n in by_agent[A] if held[n] == custA and n != numA and not n.startswith(("400", "800"))), None)
    if other:
        st, js = screen(other, numA)
        tap(js["decision"] == "allow", "screen allows a display held by the caller's own account", js)
    st, _, js, _ = srv.req("GET", "/warden/v1/screen?caller=abc&display=1", P)
    tap(st == 400 and is_error_body(js, 400), "screen: a caller that is not a number answers 400")
    st, _, js, _ = srv.req("GET", "/warden/v1/screen?caller=13800138000", P)
    tap(st == 400, "screen: caller and display are required")
    st, _, js, _ = srv.req("GET", f"/warden/v1/screen?caller={numA}&display={numA}")
    tap(st == 401, "screen needs a token too")

    # ---- writes: freeze, audited, screened at once ----
    st, _, js, _ = srv.req("POST", f"/warden/v1/numbers/{numA}/freeze", T["A"], {"reason": "customer reported abuse"})
    tap(st == 200 and js["resourceStatus"] == "frozen" and js["id"] == numA, "a reseller freezes its customer's number: the resource comes back frozen", js)
    st, js = screen(numA, numA)
    tap(js["decision"] == "deny" and js["rule"] == "NUM-CATALOG", "NUM-CATALOG: screen denies a frozen number at once (snapshot reloaded by the write)", js)
    st, _, js, _ = srv.req("POST", f"/warden/v1/numbers/{numA}/freeze", P, {"reason": "again"})
    tap(st == 409 and is_error_body(js, 409) and "frozen" in js["message"], "NUM-CATALOG: freezing a frozen number answers 409 with the library's sentence", js)
    st, _, js, _ = srv.req("POST", f"/warden/v1/numbers/{numA}/unfreeze", T["A"], {"reason": "mine"})
    tap(st == 403, "a reseller may not lift a freeze (403): only the platform unfreezes")
    st, _, js, _ = srv.req("GET", f"/warden/v1/numbers/{numA}/history", T["A"])
    tap(st == 200 and js[0]["action"] == "number.freeze" and js[0]["actor"] == "api:" + T["A"][4:20] and "customer reported abuse" in js[0]["detail"],
        "the freeze is in the number's audit history, with the token as actor and the reason", js[:2])
    st, _, js, _ = srv.req("POST", f"/warden/v1/numbers/{numA}/unfreeze", P, {"reason": "checked"})
    tap(st == 200 and js["resourceStatus"] == "active", "the platform unfreezes")
    st, js = screen(numA, numA)
    tap(js["decision"] == "allow", "screen allows the number again after the unfreeze", js)
    out = cli("audit", "verify")
    tap(out.returncode == 0, "warden audit verify holds after writes through the API", out.stdout + out.stderr)
    st, _, js, _ = srv.req("GET", "/warden/v1/audit/verify", T["auditor"])
    tap(st == 200 and js["ok"] is True and js["firstBad"] is None and js["entries"] > 10, "GET /warden/v1/audit/verify agrees", js)
    st, _, js, _ = srv.req("GET", f"/warden/v1/audit?subject={numA}&limit=5", P)
    tap(st == 200 and [e["action"] for e in js[:2]] == ["number.unfreeze", "number.freeze"], "GET /warden/v1/audit?subject= lists the writes, newest first", js)

    # ---- TR-SLOT: declared usage, picked up on SIGHUP ----
    cli("number", "usage", "--slots", "20:00-21:00", "--max-per-day", "100", numA)
    st, js = screen(numA, numA)
    before = js["decision"]
    srv.p.send_signal(signal.SIGHUP)
    time.sleep(1.0)
    st, js = screen(numA, numA)
    tap(before == "allow" and js["decision"] == "deny" and js["rule"] == "TR-SLOT",
        "TR-SLOT: a usage declared by the CLI is screened after SIGHUP: 09:00 is outside 20:00-21:00 (NUM-USAGE)", (before, js))
    cli("number", "usage", "--slots", "08:00-12:00", "--max-per-day", "2", numA)
    srv.p.send_signal(signal.SIGHUP)
    time.sleep(1.0)
    got = [screen(numA, numA)[1] for _ in range(3)]
    tap([g["decision"] for g in got] == ["allow", "allow", "deny"] and got[2]["rule"] == "TR-SLOT",
        "TR-SLOT: the declared daily maximum is counted in memory: the third call of a two-a-day number is denied", got)

    # ---- revocation reaches the in-memory table ----
    extra = token("--role", "platform")
    time.sleep(1.6)  # the screen route's token table follows the database within a second
    st, js = screen(numB, numB, extra)
    ok1 = st == 200
    cli("token", "revoke", extra[4:20])
    st2, _, _, _ = srv.req("GET", "/warden/v1/me", extra)
    time.sleep(1.6)
    st3, js = screen(numB, numB, extra)
    tap(ok1 and st2 == 401 and st3 == 401, "a token created or revoked by the CLI reaches the screen route within a second, the database routes at once", (ok1, st2, st3))

    # ---- cases (enforce.h) ----
    out = cli("case", "open", "EN-HARASS", "--subject", f"number:{numB}")
    harass = re.search(r"case (\d+)", out.stdout).group(1)
    srv.p.send_signal(signal.SIGHUP)
    time.sleep(1.0)
    st, js = screen(numB, numB)
    tap(js["rule"] == "NUM-CATALOG", "EN-HARASS: a case opened by the CLI shuts the number; screen denies it after SIGHUP", js)
    st, r, js, _ = srv.req("GET", "/warden/v1/cases?limit=1000", P)
    tap(st == 200 and int(r.getheader("X-Total-Count")) >= 2 and all({"id", "href", "@type", "kind", "state", "rules", "overdue", "ageSeconds", "fineFen"} <= set(c) for c in js),
        "GET /warden/v1/cases lists cases with their state, rules, age and fine", js[:2])
    st, r, jsA, _ = srv.req("GET", "/warden/v1/cases", T["A"])
    tap(st == 200 and jsA and all(c["account"] in mine | {A} or c["agent"] == A for c in jsA) and r.getheader("X-Total-Count") == str(len(jsA))
        and harass not in {c["id"] for c in jsA}, "a reseller lists only its customers' cases, and the count is its own", jsA)
    st, _, js, _ = srv.req("GET", f"/warden/v1/cases/{harass}", T["A"])
    stB, _, jsB, _ = srv.req("GET", f"/warden/v1/cases/{harass}", T["B"])
    tap(st == 404 and stB == 200 and "restore" in jsB["allowedActions"] and jsB["timeline"] and jsB["evidence"],
        "a reseller asking for another reseller's case gets 404; the owner sees its timeline, evidence and allowed actions", (st, jsB))
    st, _, js, _ = srv.req("POST", f"/warden/v1/cases/{harass}/actions", T["B"], {"action": "restore"})
    tap(st == 403, "a reseller may not act on a case (403): actions are the platform's")
    st, _, js, _ = srv.req("POST", f"/warden/v1/cases/{harass}/actions", P, {"action": "pay"})
    tap(st == 409 and is_error_body(js, 409), "an action the case's state does not allow answers 409 with the error body", js)
    st, _, js, _ = srv.req("POST", f"/warden/v1/cases/{harass}/actions", P, {"action": "restore", "arg": None})
    tap(st == 200 and js["state"] == "closed" and js["allowedActions"] == [] or (st == 200 and js["state"] == "closed"),
        "EN-HARASS: the platform restores the number through the API: the case closes", js)
    st, js = screen(numB, numB)
    tap(js["decision"] == "allow", "EN-HARASS: screen allows the restored number at once (the action reloads the snapshot)", js)
    st, _, js, _ = srv.req("GET", f"/warden/v1/audit?subject={numB}&limit=3", P)
    tap(st == 200 and any(e["actor"] == "api:" + P[4:20] for e in js), "the case's action is audited with the platform token as actor", js)
    for name, body in (("an unknown action", {"action": "explode"}), ("a numeric action", {"action": 3}), ("an extra field", {"action": "note", "x": 1})):
        st, _, js, _ = srv.req("POST", f"/warden/v1/cases/{harass}/actions", P, body)
        tap(st in (400, 409) and is_error_body(js, st), f"case actions: {name} answers 4xx with the error body", (st, js))
    st, _, js, _ = srv.req("GET", "/warden/v1/cases/99999", P)
    tap(st == 404, "a case that does not exist answers 404")
    st, _, js, _ = srv.req("GET", "/warden/v1/cases?overdue=maybe", P)
    tap(st == 400, "overdue takes true or false")
    st, _, js, _ = srv.req("GET", "/warden/v1/reports/daily?since=2026-03-01", P)
    tap(st == 200 and js["casesByKind"].get("EN-HARASS", 0) >= 1 and "finesOutstandingFen" in js and js["findingsByRule"].get("TR-SPOOF", 0) >= 1,
        "GET /warden/v1/reports/daily: the morning report with cases, findings and fines", js)
    st, _, js, _ = srv.req("GET", "/warden/v1/reports/daily?since=2026-02-27&until=2026-03-01", P)
    tap(st == 200 and js["opened"] == 0 and not js["findingsByRule"] and js["until"].startswith("2026-03-01"),
        "GET /warden/v1/reports/daily?until=: the report of a past period (nothing opened or found before the world began)", js)
    st, _, js, _ = srv.req("GET", "/warden/v1/reports/daily?since=2026-03-02&until=2026-03-01", P)
    tap(st == 200 and js["opened"] == 0, "the morning report: since after until is an empty period, not an error (a browser's clock may run ahead)", (st, js))
    st, _, js, _ = srv.req("GET", "/warden/v1/reports/daily", T["A"])
    tap(st == 403, "the morning report is the platform's and the auditor's (403 for a reseller)")

    # ---- bad input: the right 4xx with the error body, never a 500 ----
    fz = f"/warden/v1/numbers/{numB}/freeze"
    cases = [
        ("bad JSON", "POST", fz, {"raw": b'{"reason": ', "ct": "application/json"}, 400),
        ("a wrong type", "POST", fz, {"body": {"reason": 42}}, 400),
        ("an unknown field", "POST", fz, {"body": {"reason": "x", "force": True}}, 400),
        ("a duplicate key", "POST", fz, {"raw": b'{"reason":"a","reason":"b"}', "ct": "application/json"}, 400),
        ("an array body", "POST", fz, {"body": ["reason"]}, 400),
        ("an empty body", "POST", fz, {"raw": b"", "ct": "application/json"}, 400),
        ("an empty reason", "POST", fz, {"body": {"reason": ""}}, 400),
        ("another content type", "POST", fz, {"raw": b'{"reason":"x"}', "ct": "text/plain"}, 415),
        ("an oversized body (70 KiB)", "POST", fz, {"raw": b'{"reason":"' + b"x" * 70000 + b'"}', "ct": "application/json"}, 413),
        ("an unknown query parameter", "GET", "/warden/v1/findings?admin=1", {}, 400),
        ("a query parameter twice", "GET", "/warden/v1/findings?rule=A&rule=B", {}, 400),
        ("limit 0", "GET", "/tmf-api/customerManagement/v4/customer?limit=0", {}, 400),
        ("limit 5000", "GET", "/tmf-api/customerManagement/v4/customer?limit=5000", {}, 400),
        ("a negative offset", "GET", "/tmf-api/customerManagement/v4/customer?offset=-1", {}, 400),
        ("a non-numeric limit", "GET", "/tmf-api/customerManagement/v4/customer?limit=1e3", {}, 400),
        ("a bad since", "GET", "/warden/v1/findings?since=yesterday", {}, 400),
        ("an unknown resourceStatus", "GET", "/tmf-api/resourceInventoryManagement/v4/resource?resourceStatus=x", {}, 400),
        ("an unknown sort", "GET", "/warden/v1/agents?sort=name;DROP", {}, 400),
        ("fields with SQL", "GET", "/tmf-api/customerManagement/v4/customer?fields=name)--", {}, 400),
        ("an unknown route", "GET", "/warden/v1/nothing", {}, 404),
        ("a trailing slash", "GET", "/warden/v1/me/", {}, 404),
        ("a wrong method", "DELETE", "/warden/v1/me", {}, 405),
        ("GET on a POST route", "GET", fz, {}, 405),
        ("SQL in a path id", "GET", "/tmf-api/customerManagement/v4/customer/x'%20OR%20'1'='1", {}, 404),
        ("SQL in a number", "POST", "/warden/v1/numbers/1'%3BDROP%20TABLE%20number%3B--/freeze", {"body": {"reason": "x"}}, 404),
        ("a missing finding", "GET", "/warden/v1/findings/99999999", {}, 404),
        ("a finding id that is not a number", "GET", "/warden/v1/findings/abc", {}, 404),
        ("invalid UTF-8 in a query", "GET", "/warden/v1/findings?rule=%FF%FE", {}, 400),
    ]
    for name, method, path, opts, want in cases:
        hdr = {"Content-Type": opts["ct"]} if "ct" in opts else {}
        st, r, js, _ = srv.req(method, path, P, body=opts.get("body"), raw=opts.get("raw"), headers=hdr)
        tap(st == want and is_error_body(js, want), f"bad input: {name} answers {want} with the error body", (st, js))
    st, r, js, _ = srv.req("GET", "/tmf-api/resourceInventoryManagement/v4/resource?grade=x'%3B%20DROP%20TABLE%20number%3B--", P)
    st2, r2, js2, _ = srv.req("GET", "/tmf-api/resourceInventoryManagement/v4/resource?limit=1", P)
    tap(st == 200 and js == [] and st2 == 200 and int(r2.getheader("X-Total-Count")) > 0,
        "SQL metacharacters in a filter are bound as a value: nothing found, the table intact")
    st, r, js, _ = srv.req("DELETE", "/warden/v1/me", P)
    tap(r.getheader("Allow") is not None, "405 names the allowed methods in Allow")
    # many parameters, a long path, a huge header: refused or answered, never a crash
    many = "&".join(f"p{i}=1" for i in range(60))
    st, _, js, _ = srv.req("GET", "/warden/v1/findings?" + many, P)
    tap(st == 400, "more than 32 query parameters answer 400")
    st, _, js, _ = srv.req("GET", "/warden/v1/" + "a/" * 3000, P)
    tap(st in (404, 414, 431), "a very long path is refused, not crashed on", st)

    # ---- policy, clusters, metrics, logs ----
    st, _, js, _ = srv.req("GET", "/warden/v1/policy", T["A"])
    tap(st == 200 and "[numbers]" in js["text"] and js["source"], "GET /warden/v1/policy: the effective policy file")
    st, _, js, _ = srv.req("GET", f"/warden/v1/clusters/{custA}", T["A"])
    tap(st == 200 and js["account"] == custA and js["members"] and all("*" in k["value"] for m in js["members"] for k in m["keys"] if k["class"] == "doc"),
        "ASSOC-KEYS: a cluster with its members' keys, document numbers masked", js)
    st, r, _, text = srv.req("GET", "/metrics")
    m = text.decode()
    tap(st == 200 and r.getheader("Content-Type").startswith("text/plain")
        and re.search(r'warden_http_requests_total\{method="GET",route="/healthz",status="200"\} \d+', m)
        and 'warden_http_request_duration_seconds_bucket{method="GET",route="/warden/v1/screen",status="200",le="+Inf"}' in m
        and re.search(r'warden_findings_stored\{rule="TR-SPOOF"\} [1-9]', m) and "# TYPE warden_cases gauge" in m
        and re.search(r'warden_screen_decisions_total\{decision="deny",rule="TR-SPOOF"\} [1-9]', m),
        "GET /metrics: requests and latency histograms by route and status, findings, cases, screening, in Prometheus text", m[:1500])
finally:
    rc, log = srv.stop()

tap(rc == 0, "warden serve stops cleanly on SIGTERM", log[-2000:])
lines = [l for l in log.splitlines() if l.strip()]
parsed = []
for l in lines:
    try:
        parsed.append(json.loads(l))
    except ValueError:
        pass
reqs = [p for p in parsed if "method" in p]
tap(len(reqs) >= len(statuses) - 5 and all({"time", "method", "path", "status", "micros", "token"} <= set(p) for p in reqs)
    and any(p["token"] == T["A"][4:20] for p in reqs),
    "one JSON line a request on stderr: time, method, path, status, micros, token id", (len(reqs), len(statuses), lines[:3]))
tap(not any("?" in p["path"] or numA in p["path"] and "screen" in p["path"] for p in reqs) and "caller=" not in log,
    "the log leaves out query strings (callers' numbers are personal data)")
tap(all(s < 500 for s, _, _ in statuses), "no request answered a 5xx", [x for x in statuses if x[0] >= 500][:5])
tap("Sanitizer" not in log and "runtime error" not in log, "no sanitizer report from the server", log[-2000:])

quiet = Server("--quiet")
try:
    quiet.req("GET", "/healthz")
    quiet.req("GET", "/warden/v1/me", P)
finally:
    rc, log = quiet.stop()
tap(rc == 0 and '"method"' not in log, "--quiet turns the request log off", log[-500:])

shutil.rmtree(work, ignore_errors=True)
done()
