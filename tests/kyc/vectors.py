#!/usr/bin/env python3
"""vectors.py — writes tests/kyc/cases.tsv: identity-document test vectors.

Check characters here are computed by this independent Python implementation of GB 11643
(ISO 7064 MOD 11-2), GB 32100 (mod 31), GB 11714 (mod 11) and ICAO 9303 (7-3-1), so the C code is
checked against a second implementation, besides the public examples quoted from the standards.
Run it again after adding a case: python3 tests/kyc/vectors.py > tests/kyc/cases.tsv"""

W18 = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def mod11_2(d17): return "10X98765432"[sum(int(c) * w for c, w in zip(d17, W18)) % 11]
def cid(d17): return d17 + mod11_2(d17)

A31 = "0123456789ABCDEFGHJKLMNPQRTUWXY"
def uscc_check(s17):
    c = 31 - sum(A31.index(ch) * pow(3, i, 31) for i, ch in enumerate(s17)) % 31
    return A31[0 if c == 31 else c]
def orgcheck(s8):
    v = lambda ch: int(ch) if ch.isdigit() else ord(ch) - 55
    c = 11 - sum(v(ch) * w for ch, w in zip(s8, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)
def uscc(prefix2, region, org8):
    s = prefix2 + region + org8 + orgcheck(org8)
    return s + uscc_check(s)
def mrzc(s):
    v = lambda ch: 0 if ch == "<" else int(ch) if ch.isdigit() else ord(ch) - 55
    return str(sum(v(ch) * [7, 3, 1][i % 3] for i, ch in enumerate(s)) % 10)
def mrz(num, nat, birth, sex, exp, personal="<" * 14):
    n = (num + "<" * 9)[:9]
    p = (personal + "<" * 14)[:14]
    pc = "<" if p == "<" * 14 else mrzc(p)
    body = n + mrzc(n) + nat + birth + mrzc(birth) + sex + exp + mrzc(exp) + p + pc
    comp = body[0:10] + body[13:20] + body[21:43]
    return body + mrzc(comp)

NOW = "2026-01-01"
rows = []
def case(rule, typ, number, verdict, reason, note, extra="-", now=NOW):
    rows.append((rule, typ, number, now, extra, verdict, reason, note))

P, O, F = "KYC-DOC-PERSON", "KYC-DOC-ORG", "KYC-FORGED"
# resident: public examples from GB 11643-1999, then constructed cases
case(P, "auto:resident", "11010519491231002X", "valid", "ok", "GB 11643 example")
case(P, "auto:resident", "440524188001010014", "valid", "ok", "GB 11643 example: born 1880, region abolished since")
case(P, "resident", "11010519491231002x", "valid", "ok", "lower-case x folded")
case(P, "resident", "１１０１０５１９４９１２３１００２Ｘ", "valid", "ok", "full-width digits folded")
case(P, "resident", "110105 19491231 002X", "valid", "ok", "spaces between groups")
case(P, "auto:resident", "110105491231002", "valid", "ok", "15-digit legacy number, upgraded to 11010519491231002X")
case(P, "resident", "110105491231002X", "invalid", "bad-length", "16 characters")
case(P, "resident", "11010519491231002", "invalid", "bad-length", "17 characters")
case(F, "resident", "110105194912310021", "invalid", "bad-check-digit", "last digit altered")
case(F, "resident", "11010519491231A02X", "invalid", "bad-format", "a letter inside")
case(F, "resident", cid("11010519490230002"), "invalid", "bad-date", "30 February")
case(F, "resident", cid("11010519491331002"), "invalid", "bad-date", "month 13")
case(F, "resident", cid("11010520300101002"), "invalid", "future-birth", "born 2030")
case(F, "resident", cid("99010119800101002"), "invalid", "bad-region", "region 990101 never assigned")
case(F, "resident", cid("44010019800101002"), "valid", "ok", "prefecture-level code 440100 exists")
case(F, "resident", cid("11010319850101002"), "valid", "ok", "Chongwen district 110103: in force at birth (1985)")
case(F, "resident", cid("11010320150101002"), "invalid", "bad-region", "110103 abolished in 2010, born 2015")
case(F, "resident", cid("11010320120601002"), "invalid", "bad-region", "110103 abolished in 2010, born 2012")
case(P, "resident", cid("11010320090601002"), "valid", "ok", "110103 still in force in 2009")
case(F, "resident", cid("11010519800101002"), "invalid", "expired", "expiry in the past", "expiry=2020-01-01")
case(F, "resident", cid("11010519800101002"), "valid", "ok", "expires today: still valid", "expiry=2026-01-01")
case(P, "resident", cid("11010520150505002"), "invalid", "under-16-needs-household", "aged 10 on a resident card")
case(P, "household", cid("11010520150505002"), "valid", "ok", "under 16 on the household register")
case(F, "household", "110105201505050020", "invalid", "bad-check-digit", "household register number with an altered check")
case(P, "resident", cid("11010520100101002"), "valid", "ok", "16 on the day")
case(P, "resident", cid("11010520100102002"), "invalid", "under-16-needs-household", "16 tomorrow")
case(P, "resident", cid("11010520150505002"), "valid", "ok", "a legal representative is not the account holder", "holder=0")
case(P, "temp-resident", cid("11010519800101002"), "invalid", "expired", "temporary card issued 7 months ago", "issued=2025-06-01")
case(P, "temp-resident", cid("11010519800101002"), "valid", "ok", "temporary card issued 6 weeks ago", "issued=2025-11-15")
case(P, "temp-resident", cid("11010519800101002"), "invalid", "expired", "3 months to the day after 2025-09-30 is 2025-12-30", "issued=2025-09-30")
# residence permits of HK / Macao / Taiwan residents
case(P, "auto:residence-permit", cid("81000019900101001"), "valid", "ok", "Hong Kong resident")
case(P, "residence-permit", cid("82000019900101002"), "valid", "ok", "Macao resident")
case(P, "residence-permit", cid("83000019900101003"), "valid", "ok", "Taiwan resident: 83, not GB/T 2260's 71")
case(F, "residence-permit", cid("71000019900101003"), "invalid", "bad-region", "71 is not a permit prefix")
case(F, "residence-permit", cid("81000019900101001")[:-1] + ("0" if cid("81000019900101001")[-1] != "0" else "1"), "invalid", "bad-check-digit", "altered check")
case(F, "resident", cid("81000019900101001"), "invalid", "wrong-type", "a permit is not a resident card")
# travel permits
case(P, "auto:hkmo-permit", "H12345678", "format-only", "no-public-check", "Hong Kong, 8 digits")
case(P, "hkmo-permit", "M1234567801", "format-only", "no-public-check", "Macao, with issue count")
case(F, "hkmo-permit", "X12345678", "invalid", "bad-format", "neither H nor M")
case(F, "hkmo-permit", "H1234", "invalid", "bad-length", "too short")
case(F, "hkmo-permit", "H12345678", "invalid", "expired", "expired permit", "expiry=2025-12-31")
case(P, "auto:tw-permit", "12345678", "format-only", "no-public-check", "8 digits")
case(P, "tw-permit", "1234567890", "format-only", "no-public-check", "older 10 digits")
case(F, "tw-permit", "123456789", "invalid", "bad-length", "9 digits")
# foreign permanent residents
fpr = cid("94484019800101001")
case(P, "auto:foreign-pr", fpr, "valid", "ok", "2023 format: Guangdong, USA (840)")
case(F, "foreign-pr", cid("94499919800101001"), "invalid", "bad-nationality", "999 is no country")
case(F, "foreign-pr", cid("99984019800101001"), "invalid", "bad-region", "province 99")
case(F, "foreign-pr", fpr[:-1] + ("0" if fpr[-1] != "0" else "1"), "invalid", "bad-check-digit", "altered check")
case(P, "auto:foreign-pr", "USA440801010015", "format-only", "no-public-check", "older format: no public check-digit rule")
case(F, "foreign-pr", "XYZ440801010015", "invalid", "bad-nationality", "XYZ is no country")
case(F, "foreign-pr", "USA441302300015", "invalid", "bad-date", "older format, month 13")
# passports (ICAO 9303 TD3)
spec = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
case(P, "passport", "L898902C3", "invalid", "bad-nationality", "ICAO 9303 specimen: every check digit right, Utopia is no state", "mrz=" + spec)
case(P, "auto:passport", "E12345678", "format-only", "no-public-check", "no MRZ given: format only")
good = mrz("E12345678", "CHN", "800101", "M", "300101")
case(P, "passport", "E12345678", "valid", "ok", "Chinese passport, every MRZ check digit right", "mrz=" + good)
case(F, "passport", "E12345678", "invalid", "bad-check-digit", "MRZ birth date altered", "mrz=" + good[:13] + "800102" + good[19:])
case(F, "passport", "E12345679", "invalid", "mrz-mismatch", "number differs from the MRZ's", "mrz=" + good)
case(F, "passport", "E12345678", "invalid", "expired", "expired in 2020", "mrz=" + mrz("E12345678", "CHN", "800101", "M", "200101"))
case(F, "passport", "E12345678", "invalid", "bad-length", "MRZ too short", "mrz=" + good[:40])
case(P, "passport", "123456789", "valid", "ok", "German passport, D<< nationality, personal number", "mrz=" + mrz("123456789", "D<<", "900521", "F", "310101", "ZE184226B"))
case(F, "passport", "E1234", "format-only", "no-public-check", "5 characters, no MRZ")
case(F, "passport", "E1!345678", "invalid", "bad-format", "punctuation")
# credit codes (GB 32100) and organisation codes (GB 11714)
case(O, "auto:uscc", "91350100M000100Y43", "valid", "ok", "public example of GB 32100")
case(F, "uscc", "91350100M000100Y44", "invalid", "bad-check-digit", "altered check character")
case(F, "uscc", "91350100M0001I0Y43", "invalid", "bad-format", "I is not used")
case(F, "uscc", "9135010", "invalid", "bad-length", "7 characters")
b = "B1350100" + "M0001000"; b = "B1350100M000100Y4"; case(F, "uscc", b + uscc_check(b), "invalid", "bad-authority", "authority B not assigned")
e = "94350100M000100Y4"; case(F, "uscc", e + uscc_check(e), "invalid", "bad-entity-type", "market regulation has no type 4")
z = "91000000M000100Y4"; case(F, "uscc", z + uscc_check(z), "invalid", "bad-region", "region 000000")
g = "91350100M000100Y5"; case(F, "uscc", g + uscc_check(g), "invalid", "bad-org-code", "embedded organisation code's check is wrong")
case(O, "business-licence", "91350100M000100Y43", "valid", "ok", "a company's licence")
case(O, "business-licence", uscc("51", "110000", "MJ000123"), "invalid", "wrong-type", "a social organisation's code on a business licence")
case(O, "uscc", uscc("12", "440100", "45560123"), "valid", "ok", "public institution (1, 2)")
case(O, "uscc", uscc("92", "440111", "MA5C1234"), "valid", "ok", "individual business (9, 2)")
case(O, "uscc", uscc("N1", "440111", "MA5C1235"), "valid", "ok", "collective economic organisation (N, 1)")
oc = "D2143569"; case(O, "auto:org-code", oc + "-" + orgcheck(oc), "valid", "ok", "organisation code with hyphen")
oc2 = "12345678"; case(O, "org-code", oc2 + orgcheck(oc2), "valid", "ok", "organisation code without hyphen")
case(F, "org-code", oc2 + ("0" if orgcheck(oc2) != "0" else "1"), "invalid", "bad-check-digit", "altered check")
case(F, "org-code", "1234567", "invalid", "bad-length", "7 characters")
case(O, "institution", uscc("12", "440100", "45560123"), "valid", "ok", "institution certificate with a credit code")
case(O, "institution", "91350100M000100Y43", "invalid", "wrong-type", "a company is no public institution")
case(O, "institution", "事证第110000001234号", "format-only", "no-public-check", "old certificate number")
case(O, "social-org", uscc("51", "110000", "MJ000123"), "valid", "ok", "social organisation with a credit code")
case(O, "social-org", "京民社登字第123号", "format-only", "no-public-check", "old registration number")
case(O, "social-org", "91350100M000100Y43", "invalid", "wrong-type", "a company is no social organisation")
case(P, "military", "南字第1234567号", "format-only", "no-public-check", "PLA officer card: no public check")
case(F, "military", "南字第1234567号", "invalid", "expired", "expired card", "expiry=2024-01-01")
case(P, "armed-police", "武字第0012345号", "format-only", "no-public-check", "armed police card")
case(F, "armed-police", "武字第\x010012345号", "invalid", "bad-format", "a control character inside")
case(O, "embassy-note", "(2026) 照会第15号", "format-only", "no-public-check", "embassy note")
case(O, "intro-letter", "介绍信 2026-003", "format-only", "no-public-check", "letter of introduction")
case(F, "intro-letter", "介绍信 2025-118", "invalid", "expired", "a letter past its validity", "expiry=2025-12-01")
case(F, "embassy-note", "   ", "invalid", "bad-format", "blank")
case(F, "auto:unknown", "ABC", "invalid", "unknown-type", "no document has this shape")
case(F, "auto:unknown", "   ", "invalid", "bad-format", "blank")
case(F, "resident", "1101051949<>1231", "invalid", "bad-length", "punctuation makes it 16")

print("# Identity-document test vectors, generated by tests/kyc/vectors.py; read by tests/kyc/test_kyc.c.")
print("# rule\ttype (auto:EXPECTED = detect)\tnumber\tnow\textra (k=v;...)\tverdict\treason\tnote")
for r in rows:
    print("\t".join(r))
