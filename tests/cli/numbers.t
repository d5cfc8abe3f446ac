## numbers.t — the number inventory and marketing consent at the command line (format: tests/run.py).
##
## The fixture: the lines below that start with `#|` form a shell script (run.py skips them as
## comments). A case that needs it runs
##     $ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
## which imports a channel (platform pl > distributor d1 > agent ag1 > customers) with these customers:
##     c1  O1  organisation, documents in order          holds fixed line 02083721590 (active)
##     c2  O2  organisation, documents in order          holds mobile 13800138000 (active)
##     c3  O3  organisation, no legal representative's id
##     c4  O4  organisation, documents in order, directly under the platform (no agent)
##     c5  O5  organisation, legal representative's id only format-only (to check by eye)
##     i1  P1  individual, documents in order
## and numbers 4006328888 (reserved), 4008101357, 8008101234, 02083721591 (available).
##
#| set -e
#| cat > parties.csv <<'EOF'
#| party_id,kind,name
#| PL,organisation,平台公司
#| DI,organisation,总经销公司
#| AG,organisation,代理公司
#| O1,organisation,一号科技有限公司
#| O2,organisation,二号贸易有限公司
#| O3,organisation,三号文件不全有限公司
#| O4,organisation,四号直营有限公司
#| O5,organisation,五号待核有限公司
#| P1,individual,张三
#| EOF
#| cat > accounts.csv <<'EOF'
#| account_id,party_id,role,parent_id
#| pl,PL,platform,
#| d1,DI,distributor,pl
#| ag1,AG,agent,d1
#| c1,O1,customer,ag1
#| c2,O2,customer,ag1
#| c3,O3,customer,ag1
#| c4,O4,customer,pl
#| c5,O5,customer,ag1
#| i1,P1,customer,ag1
#| EOF
#| cat > documents.csv <<'EOF'
#| party_id,type,number,role
#| O1,uscc,91350100M000100Y43,holder
#| O1,resident,11010519491231002X,legal_rep
#| O2,uscc,91350100M000100Y43,holder
#| O2,resident,11010519491231002X,legal_rep
#| O3,uscc,91350100M000100Y43,holder
#| O4,uscc,91350100M000100Y43,holder
#| O4,resident,11010519491231002X,legal_rep
#| O5,uscc,91350100M000100Y43,holder
#| O5,military,军字第2001988号,legal_rep
#| P1,resident,11010519491231002X,holder
#| EOF
#| cat > numbers.csv <<'EOF'
#| number,kind,province
#| 4006328888,400,44
#| 4008101357,400,44
#| 8008101234,800,11
#| 02083721590,fixed,
#| 02083721591,fixed,
#| 13800138000,mobile,44
#| EOF
#| warden import parties parties.csv >/dev/null
#| warden import accounts accounts.csv >/dev/null
#| warden import documents documents.csv >/dev/null
#| warden number import numbers.csv >/dev/null
#| warden number reserve 02083721590 13800138000 4006328888 >/dev/null
#| warden number activate --customer c1 02083721590 >/dev/null
#| warden number activate --customer c2 13800138000 >/dev/null

# NUM-CATALOG: grade prints the vanity grade and the policy's annual fee, from integer fen
$ warden number grade 4006328888
? 0
~ ^4006328888\tAAAA\t25000\.00 yuan/year\t\(NUM-CATALOG\)$
$ warden number grade 4006388888 400-631-2345 4006320888 4006321234 4006324321 4006326688 4006326868 4006326889 4006320137
? 0
~ ^4006388888\tAAAAA\t50000\.00 yuan/year\t\(NUM-CATALOG\)$
~ ^4006312345\tABCDE\t20000\.00 yuan/year
~ ^4006320888\tAAA\t8000\.00 yuan/year
~ ^4006321234\tABCD\t8000\.00 yuan/year
~ ^4006324321\tDCBA\t5000\.00 yuan/year
~ ^4006326688\tAABB\t6000\.00 yuan/year
~ ^4006326868\tABAB\t5000\.00 yuan/year
~ ^4006326889\tLUCKY\t3000\.00 yuan/year
~ ^4006320137\tORDINARY\t1200\.00 yuan/year
$ warden number grade +86-755-8888-6666 0086-138-0013-8000
? 0
~ ^075588886666\tAAAA\t
~ ^13800138000\tAAA\t
$ warden number grade 01112345678 4006328888
? 1
2> 01112345678: unknown area code 011
~ ^4006328888\tAAAA\t

# NUM-CATALOG: an operator's policy sets the fee, not the code
$ warden policy show | sed -e 's/^AAAA = .*/AAAA = 30000 yuan/' -e 's/^ORDINARY = .*/ORDINARY = 99 fen/' > p.policy; warden number grade --policy p.policy 4006328888 4006320137
? 0
~ ^4006328888\tAAAA\t30000\.00 yuan/year
~ ^4006320137\tORDINARY\t0\.99 yuan/year
$ WARDEN_POLICY=p.policy warden number grade 4006328888
~ 30000\.00 yuan/year

# NUM-CATALOG: catalogue import: bad rows go to the rejects file with line and reason, the rest goes in, every row audited
@file numbers.csv
number,kind,province,annual_fee,state
4006660000,400,44,25000 yuan,
4006660001,400,,,
4006660002,800,44,,
4006660003,400,99,,
01012345678,fixed,12,,
0999999999,fixed,,,
4006660000,400,44,,
4006660004,400,44,lots,
4006660005,400,44,,active
13912345678,mobile,44,150 fen,reserved
020 8372 1590,fixed,,,
4006660006,400,44
@end
$ warden number import numbers.csv
? 1
> numbers.csv: 12 rows, 3 imported, 9 rejected (see numbers.rejects.csv)
$ cat numbers.rejects.csv
> line,reason,number,kind,province,annual_fee,state
> 3,province is required for a 400 number (2-digit GB/T 2260 code),4006660001,400,,,
> 4,"kind says 800, but 4006660002 is a 400 number",4006660002,800,44,,
> 5,province '99' is not a 2-digit GB/T 2260 province code,4006660003,400,99,,
> 6,"province 12 does not match area code 010, which is province 11",01012345678,fixed,12,,
> 7,"0999999999: after area code 0999 the subscriber number is 7 or 8 digits, not 6",0999999999,fixed,,,
> 8,4006660000 is already in the inventory (available),4006660000,400,44,,
> 9,annual_fee 'lots' is not an amount (e.g. 25000 yuan or 150 fen),4006660004,400,44,lots,
> 10,"a number enters the inventory available, reserved or cancelled, not active: a holder comes only through reserve and activate",4006660005,400,44,,active
> 13,"3 fields, the header has 5",4006660006,400,44
$ warden number list
~ ^02083721590 +fixed +44 +available +ORDINARY +1200\.00 +-$
~ ^13912345678 +mobile +44 +reserved +ABCDE +1\.50 +-$
~ ^4006660000 +400 +44 +available +AAAA +25000\.00 +-$
$ warden audit log --subject 4006660000
~ tester +number\.add +4006660000 +kind=400 province=44 grade=AAAA fee=25000\.00 yuan/year \(catalogue\) state=available source=numbers\.csv:2 \(NUM-CATALOG\)
$ warden audit log --subject numbers.csv
~ import\.numbers +numbers\.csv +file=numbers\.csv rows=12 accepted=3 rejected=9 \(NUM-CATALOG\)
$ warden audit verify
? 0

# NUM-CATALOG: import --all-or-nothing rolls the whole file back; a missing column or an unterminated quote writes nothing
@file numbers.csv
number,kind,province
4006660000,400,44
4006660001,400,
@end
$ warden number import --all-or-nothing numbers.csv
? 1
> numbers.csv: --all-or-nothing: rolled back, nothing imported
$ warden number show 4006660000
? 1
2> 4006660000 is not in the inventory
$ printf 'number,kind\n4006660000,400\n' > h.csv; warden number import h.csv
? 1
2> h.csv:1: missing column 'province'
$ printf 'number,kind,province\n4006660000,400,44\n4006660001,400,"44\n' > q.csv; warden number import q.csv
? 1
2> quote opened here is never closed
2> nothing was imported from q.csv
$ warden number list
> 0 numbers

# NUM-CATALOG: the lifecycle: every allowed move, and every refused move names the state and the allowed ones
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number activate --customer c1 --landing 02083721590 4008101357
? 1
2> cannot activate 4008101357: it is available; an available number can only be reserved or cancelled (NUM-CATALOG)
$ warden number freeze 4008101357
? 1
2> cannot freeze 4008101357: it is available; an available number can only be reserved or cancelled (NUM-CATALOG)
$ warden number unfreeze 4008101357
? 1
2> cannot unfreeze 4008101357: it is available
$ warden number recover 4008101357
? 1
2> cannot recover 4008101357: it is available
$ warden number reserve 4008101357
? 0
> 4008101357 reserved
$ warden number reserve 4008101357
? 1
2> cannot reserve 4008101357: it is reserved; a reserved number can only be activated or cancelled (NUM-CATALOG)
$ warden number freeze 4008101357
? 1
2> cannot freeze 4008101357: it is reserved
$ warden number unfreeze 4008101357
? 1
2> cannot unfreeze 4008101357: it is reserved
$ warden number recover 4008101357
? 1
2> cannot recover 4008101357: it is reserved
$ warden number activate --customer c1 --landing 02083721590 4008101357
? 0
> 4008101357 active for c1, landing 02083721590
$ warden number reserve 4008101357
? 1
2> cannot reserve 4008101357: it is active; an active number can only be frozen or recovered (NUM-CATALOG)
$ warden number activate --customer c1 --landing 02083721590 4008101357
? 1
2> cannot activate 4008101357: it is active
$ warden number unfreeze 4008101357
? 1
2> cannot unfreeze 4008101357: it is active
$ warden number cancel 4008101357
? 1
2> cannot cancel 4008101357: it is active
$ warden number freeze --reason "12321 report 2026-0042" 4008101357
? 0
> 4008101357 frozen
$ warden number reserve 4008101357
? 1
2> cannot reserve 4008101357: it is frozen; a frozen number can only be unfrozen or recovered (NUM-CATALOG)
$ warden number activate --customer c1 --landing 02083721590 4008101357
? 1
2> cannot activate 4008101357: it is frozen
$ warden number freeze 4008101357
? 1
2> cannot freeze 4008101357: it is frozen
$ warden number cancel 4008101357
? 1
2> cannot cancel 4008101357: it is frozen
$ warden number unfreeze 4008101357
? 0
> 4008101357 active again
$ warden number freeze 4008101357 && warden number recover 4008101357
? 0
> 4008101357 recovered: cool-off until 2026-05-31 09:00+08, then available again (NUM-CATALOG)
$ warden number reserve 4008101357
? 1
2> cannot reserve 4008101357: it is recovered; a recovered number can only be cancelled, or become available again when its cool-off ends (cool-off until 2026-05-31) (NUM-CATALOG)
$ warden number activate --customer c1 --landing 02083721590 4008101357
? 1
2> cannot activate 4008101357: it is recovered
$ warden number freeze 4008101357
? 1
2> cannot freeze 4008101357: it is recovered
$ warden number unfreeze 4008101357
? 1
2> cannot unfreeze 4008101357: it is recovered
$ warden number recover 4008101357
? 1
2> cannot recover 4008101357: it is recovered
$ warden number cancel 4008101357
? 0
> 4008101357 cancelled
$ for m in reserve freeze unfreeze recover cancel; do warden number $m 4008101357; done; warden number activate --customer c1 4008101357
? 1
2> cannot reserve 4008101357: it is cancelled; a cancelled number is final: nothing more can be done with it (NUM-CATALOG)
2> cannot freeze 4008101357: it is cancelled
2> cannot unfreeze 4008101357: it is cancelled
2> cannot recover 4008101357: it is cancelled
2> cannot cancel 4008101357: it is cancelled
2> cannot activate 4008101357: it is cancelled
$ warden number cancel 8008101234 && warden number cancel 4006328888
? 0
> 8008101234 cancelled
> 4006328888 cancelled
$ warden audit log --subject 4008101357
~ number\.reserve +4008101357 +from=available to=reserved for=- \(NUM-CATALOG\)
~ number\.activate +4008101357 +from=reserved to=active customer=c1 party=O1 agent=ag1 landing=02083721590
~ number\.freeze +4008101357 +from=active to=frozen holder=c1 note=12321 report 2026-0042 \(NUM-CATALOG\)
~ number\.unfreeze +4008101357 +from=frozen to=active holder=c1 \(NUM-CATALOG\)
~ number\.freeze +4008101357
~ number\.recover +4008101357 +from=frozen to=recovered holder=c1 landing=02083721590 cooloff=90 days until=2026-05-31 \(NUM-CATALOG, NUM-NORESALE\)
~ number\.cancel +4008101357 +from=recovered to=cancelled \(NUM-CATALOG\)
$ warden audit verify
? 0

# NUM-CATALOG: recovery withdraws the holder and starts the policy's cool-off; the number is not sold again before the tick
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number usage --slots 09:00-18:00 --max-per-day 100 02083721590 && warden number outbound 02083721590 on
? 0
$ warden number recover 02083721590
? 0
> 02083721590 recovered: cool-off until 2026-05-31 09:00+08, then available again (NUM-CATALOG)
$ warden number show 02083721590
? 0
> number 02083721590: fixed, province 44 (广东省)
>   state     recovered since 2026-03-02 09:00+08, cool-off until 2026-05-31 09:00+08
>   holder    -
>   usage     not declared (NUM-USAGE)
>   outbound  off (NUM-OUTBOUND)
~ number\.recover .* usage=withdrawn \(NUM-CATALOG, NUM-NORESALE\)
$ warden number reserve --now 2026-06-01 02083721590
? 1
2> it is recovered; a recovered number can only be cancelled, or become available again when its cool-off ends (cool-off until 2026-05-31)
$ warden policy show | sed 's/^cooloff = .*/cooloff = 30 days/' > p.policy; warden number recover --policy p.policy --now 2026-03-10T12:00:00+08:00 13800138000
? 0
> 13800138000 recovered: cool-off until 2026-04-09 12:00+08, then available again (NUM-CATALOG)

# KYC-LANDING: a 400 number is not activated for an individual party (a 400 user applies in the organisation's name)
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ printf 'number,kind,province\n13900139000,mobile,44\n' > m.csv; warden number import m.csv && warden number reserve 13900139000 && warden number activate --customer i1 13900139000
? 0
> 13900139000 active for i1
$ warden number activate --customer i1 --landing 13900139000 4006328888
? 1
2> cannot activate 4006328888 for i1:
2>   - party P1 of account i1 is an individual: a 400 number is applied for in an organisation's name (KYC-LANDING)
$ warden number show 4006328888
>   state     reserved since 2026-03-02 09:00+08

# KYC-400-DOCS: documents not in order today refuse activation, quoting what is missing
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number activate --customer c3 --landing 02083721590 4006328888
? 1
2>   - documents of c3 are not in order on 2026-03-02: no valid legal representative's id (KYC-400-DOCS)
2>   - landing 02083721590 is held by account c1 of party O1, not by party O3 (KYC-LANDING)

# KYC-400-DOCS: documents that can only be checked by eye (format-only) refuse activation too
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number activate --customer c5 --landing 02083721590 4006328888
? 1
2>   - documents of c5 can only be checked by eye on 2026-03-02: not in order yet (KYC-400-DOCS)

# KYC-400-DOCS: documents are judged on the day of activation: a legal representative's id expired by then refuses it
@file more.csv
party_id,type,number,expiry,role
O3,resident,11010519491231002X,2026-03-05,legal_rep
@end
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash && warden import documents more.csv
? 0
$ warden number reserve 02083721591 && warden number activate --now 2026-03-04 --customer c3 02083721591
? 0
> 02083721591 active for c3
$ warden number activate --now 2026-03-06 --customer c3 --landing 02083721591 4006328888
? 1
2>   - documents of c3 are not in order on 2026-03-06: no valid legal representative's id; last failure: resident expired by the deadline (KYC-400-DOCS)
$ warden number activate --now 2026-03-05 --customer c3 --landing 02083721591 4006328888
? 0
> 4006328888 active for c3, landing 02083721591

# CH-LINK-CUST: a 400 number is not activated for a customer without a linked agent
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number activate --customer c4 --landing 02083721590 4006328888
? 1
2>   - account c4 is not linked to an agent: its parent pl is a platform (CH-LINK-CUST)

# KYC-LANDING: the landing must be held by an account of the same party
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number activate --customer c1 --landing 13800138000 4006328888
? 1
2> cannot activate 4006328888 for c1:
2>   - landing 13800138000 is held by account c2 of party O2, not by party O1 (KYC-LANDING)

# KYC-LANDING: the landing must be in the inventory, active, and a fixed line or mobile; a 400 number needs one
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number activate --customer c1 --landing 020-9999-9999 4006328888
? 1
2>   - landing 02099999999 is not in the inventory (KYC-LANDING)
$ warden number activate --customer c1 --landing 02083721591 4006328888
? 1
2>   - landing 02083721591 is available, not active (KYC-LANDING)
$ warden number reserve 8008101234 && warden number activate --customer c1 --landing 8008101234 4006328888
? 1
2>   - landing 8008101234 is an 800 number: the landing must be a fixed line or a mobile (KYC-LANDING)
2>   - landing 8008101234 is reserved, not active (KYC-LANDING)
$ warden number activate --customer c1 4006328888
? 1
2>   - no landing number given: a 400 number needs its real destination number, registered to the same entity (KYC-LANDING)

# CH-INSPECT: a customer under inspection with number activation frozen cannot activate; after release it can
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden channel inspect c1 --freeze number-activation --reason "complaint 12321-0042"
$ warden number activate --customer c1 --landing 02083721590 4006328888
? 1
2> account c1 may not activate numbers: frozen: inspection (CH-INSPECT): complaint 12321-0042
$ warden channel release c1 && warden number activate --customer c1 --landing 02083721590 4006328888
? 0

# KYC-LANDING: activation is accepted when every precondition holds, and audited with its rule ids
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number activate --customer c1 --landing "+86 20 8372 1590" 4006328888
? 0
> 4006328888 active for c1, landing 02083721590
$ warden number show 4006328888
? 0
> number 4006328888: 400, province 44 (广东省)
>   state     active since 2026-03-02 09:00+08
>   holder    c1 (party O1)
>   grade     AAAA, 25000.00 yuan/year (NUM-CATALOG)
>   landing   02083721590 (KYC-LANDING)
>   usage     not declared (NUM-USAGE)
>   outbound  off (NUM-OUTBOUND)
> history:
~ number\.add +kind=400 province=44 grade=AAAA fee=25000\.00 yuan/year \(grade\) state=available source=numbers\.csv:2 \(NUM-CATALOG\)
~ number\.reserve
~ number\.activate +from=reserved to=active customer=c1 party=O1 agent=ag1 landing=02083721590 documents=in order on 2026-03-02 \(KYC-LANDING, KYC-400-DOCS, CH-LINK-CUST, NUM-NORESALE\)
$ warden number show --json 4006328888
~ "state":"active".*"holder":"c1","party":"O1","grade":"AAAA","annual_fee_fen":2500000,"annual_fee_yuan":"25000.00","landing":"02083721590","outbound_display":false
$ warden number reserve 02083721591 && warden number activate --customer c1 --landing 02083721590 02083721591
? 2
2> 02083721591 is a fixed line: fixed lines and mobiles are activated with a customer only, no landing

# NUM-NORESALE: a reseller's account never holds a number, and a number reserved for one customer is not activated for another
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number activate --customer ag1 --landing 02083721590 4006328888
? 1
2>   - account ag1 is an agent, not a customer: numbers are held by the customer who uses them, never by a reseller (NUM-NORESALE)
$ warden number reserve --customer d1 4008101357
? 1
2> cannot reserve 4008101357: account d1 is a distributor, not a customer: numbers are held by the customer who uses them, never by a reseller (NUM-NORESALE)
$ warden number reserve --customer c2 4008101357
? 0
> 4008101357 reserved for c2
$ warden number activate --customer c1 --landing 02083721590 4008101357
? 1
2>   - 4008101357 is reserved for c2, not c1: a number does not pass from one customer to another (NUM-NORESALE)
$ warden number activate --customer nobody --landing 02083721590 4008101357
? 1
2> account nobody not found

# NUM-OUTBOUND: outbound display is off by default and never turned on for a 400 or 800 number
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number show 4006328888
>   outbound  off (NUM-OUTBOUND)
$ warden number outbound 4006328888 on
? 1
2> cannot display 4006328888 on outbound calls: a 400 number is never shown as the calling number; outbound display stays off (NUM-OUTBOUND)
$ warden number outbound 8008101234 on
? 1
2> an 800 number is never shown as the calling number
$ warden number outbound 4006328888 off
? 0
> 4006328888 outbound display off (NUM-OUTBOUND)
$ warden number outbound 02083721590 on
? 0
> 02083721590 outbound display on (NUM-OUTBOUND)
$ warden number show 02083721590
>   outbound  shown (NUM-OUTBOUND)
$ warden audit log --subject 02083721590
~ number\.outbound +02083721590 +outbound_display=on kind=fixed \(NUM-OUTBOUND\)
$ warden number outbound 4006328888 maybe
? 2

# NUM-USAGE: time slots in China Standard Time and a daily maximum are validated, stored and shown
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number usage --slots 22:00-06:00 --max-per-day 500 02083721590
? 1
2> slot '22:00-06:00': the start must be before the end; a slot may not cross midnight, write two (e.g. 22:00-24:00,00:00-06:00) (NUM-USAGE)
$ warden number usage --slots 09:00-12:00,11:30-13:00 --max-per-day 500 02083721590
? 1
2> slots 09:00-12:00 and 11:30-13:00 overlap (NUM-USAGE)
$ warden number usage --slots 9:00-12:00 --max-per-day 500 02083721590
? 1
2> slot '9:00-12:00' is not HH:MM-HH:MM (China Standard Time) (NUM-USAGE)
$ warden number usage --slots 09:00-12:00 --max-per-day 0 02083721590
? 1
2> the daily maximum must be 1 to 1000000 calls, not 0 (NUM-USAGE)
$ warden number usage --slots 09:00-12:00 02083721590
? 2
2> usage needs --slots and --max-per-day (NUM-USAGE)
$ warden number usage --slots 09:00-12:00 --max-per-day 10 02083721591
? 1
2> 02083721591 is available: only a number someone holds (reserved, active or frozen) has a declared use (NUM-USAGE)
$ warden number usage --slots "14:00-18:00, 09:00-12:00" --max-per-day 500 02083721590
? 0
> 02083721590 usage 09:00-12:00,14:00-18:00 China Standard Time, at most 500 calls a day (NUM-USAGE)
$ warden number usage --slots 22:00-24:00,00:00-06:00 --max-per-day 50 4006328888
? 0
> 4006328888 usage 00:00-06:00,22:00-24:00 China Standard Time, at most 50 calls a day (NUM-USAGE)
$ warden number show 02083721590
>   usage     09:00-12:00,14:00-18:00 China Standard Time, at most 500 calls a day (NUM-USAGE)
~ number\.usage +slots=09:00-12:00,14:00-18:00 max_per_day=500 holder=c1 timezone=CST \(NUM-USAGE\)

# PD-CONSENT: a grant needs all four disclosures; check follows grant and revoke; callees are shown masked
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden consent grant --account c1 --callee 13912345678 --provider 一号科技 --kind "promotions by SMS" --frequency "twice a month"
? 2
2> --duration is missing: the callee must be told the provider, kind, frequency and duration (PD-CONSENT)
$ warden consent grant --account c1 --callee 13912345678 --provider "" --kind "promotions by SMS" --frequency "twice a month" --duration "until 2026-12-31"
? 2
2> the provider was not disclosed
$ warden consent grant --account c1 --callee +86-139-1234-5678 --provider 一号科技 --kind "promotions by SMS" --frequency "twice a month" --duration "until 2026-12-31"
? 0
> consent granted: c1 may market to 13*******78 (provider 一号科技; kind promotions by SMS; frequency twice a month; duration until 2026-12-31) (PD-CONSENT)
$ warden consent check c1 13912345678
? 0
> consent in force: c1 -> 13*******78 since 2026-03-02 09:00+08: provider 一号科技; kind promotions by SMS; frequency twice a month; duration until 2026-12-31 (PD-CONSENT)
$ warden consent check c2 13912345678
? 1
> no consent of c2 for 13*******78 is in force: refusal or no reply is no consent (PD-CONSENT)
$ warden consent revoke --now 2026-03-05 --account c1 --callee 13912345678
? 0
> consent revoked: c1 may no longer market to 13*******78 (PD-CONSENT)
$ warden consent revoke --now 2026-03-05 --account c1 --callee 13912345678
? 1
2> no consent of c1 for 13*******78 is in force (PD-CONSENT)
$ warden consent check --now 2026-03-06 c1 13912345678
? 1
$ warden consent check --now 2026-03-04 c1 13912345678
? 0
$ warden consent list c1
? 0
> consents of c1 (PD-CONSENT):
~ ^  1 +13\*\*\*\*\*\*\*78 +revoked +provider 一号科技; kind promotions by SMS; frequency twice a month; duration until 2026-12-31$
~ granted 2026-03-02 09:00\+08, revoked 2026-03-05 00:00\+08
$ warden consent list --json c1
~ "callee":"13\*\*\*\*\*\*\*78".*"revoked":"2026-03-05 00:00\+08"
$ warden audit log --subject c1
~ consent\.grant +c1 +consent=1 callee=13\*\*\*\*\*\*\*78 provider=一号科技 kind=promotions by SMS frequency=twice a month duration=until 2026-12-31 \(PD-CONSENT\)
~ consent\.revoke +c1 +consent=1 callee=13\*\*\*\*\*\*\*78 \(PD-CONSENT\)
! 13912345678
$ warden consent grant --account c1 --callee 4006328888 --provider a --kind b --frequency c --duration d
? 1
2> callee 4006328888 is a 400 number
$ warden consent list nobody
? 1
2> account nobody not found
! consents of

# PD-CONSENT: a callee's number is personal data: the database keeps it sealed, never in clear
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
$ warden consent grant --account c1 --callee 13912345678 --provider 一号科技 --kind "promotions by SMS" --frequency "twice a month" --duration "until 2026-12-31"
? 0
$ warden consent check c1 13912345678
? 0
$ cat w.db* | grep -a -c 13912345678
> 0

# PD-CONSENT: refusal or no reply is no consent; a new grant replaces the one in force
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden consent check c1 13912345678
? 1
> no consent of c1 for 13*******78 is in force: refusal or no reply is no consent (PD-CONSENT)
$ warden consent list c1
> consents of c1 (PD-CONSENT): none
$ warden consent grant --account c1 --callee 13912345678 --provider A --kind calls --frequency weekly --duration "3 months" && warden consent grant --now 2026-03-03 --account c1 --callee 13912345678 --provider A --kind calls --frequency monthly --duration "3 months"
? 0
$ warden consent check --now 2026-03-04 c1 13912345678
? 0
~ frequency monthly
$ warden audit log --subject c1
~ consent\.grant +c1 +consent=2 .* replaces=1 \(PD-CONSENT\)

# NUM-CATALOG: list shows the inventory with counts by state and by grade; --state filters; --json for machines
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/numbers.t" | bash
? 0
$ warden number list
? 0
> number        kind    pr  state      grade      yuan/year  holder
> 02083721590   fixed   44  active     ORDINARY     1200.00  c1
> 02083721591   fixed   44  available  ORDINARY     1200.00  -
> 13800138000   mobile  44  active     AAA          8000.00  c2
> 4006328888    400     44  reserved   AAAA        25000.00  -
> 4008101357    400     44  available  ORDINARY     1200.00  -
> 8008101234    800     11  available  ABCDE       20000.00  -
> 6 numbers
> by state: available 3, reserved 1, active 2
> by grade: AAAA 1, ABCDE 1, AAA 1, ORDINARY 3
$ warden number list --state active
> 2 numbers
$ warden number list --json --state available
~ "count":3,"by_state":\{"available":3\},"by_grade":\{"ABCDE":1,"ORDINARY":2\}
$ warden number list --state sold
? 2
2> state 'sold' is not available, reserved, active, frozen, recovered or cancelled

# bad input: a subcommand that does not exist, an option that does not apply, a number that is not one
$ warden number sell 4006328888
? 2
2> the subcommand is grade|import|reserve|activate|freeze|unfreeze|recover|cancel|outbound|usage|show|list
$ warden number freeze --landing 02083721590 4006328888
? 2
2> --landing does not apply to `number freeze`
$ warden number activate 4006328888
? 2
2> activate needs --customer ACCOUNT
$ warden number show 4006328888
? 1
2> 4006328888 is not in the inventory
$ warden number show 12345
? 1
2> 12345: a mobile number is 1, then 3-9, then 9 digits
$ warden number --help
? 0
~ ^usage: warden number grade
$ warden help consent
? 0
~ PD-CONSENT
