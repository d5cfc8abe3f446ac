## enforce.t — cases, their deadlines and actions (rule book section 6) at the command line (format: tests/run.py).
##
## The fixture: the `#|` lines form a shell script; a case runs it with
##     $ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
## platform pl > distributor d1 > agents ag1 (customers c1, c2, c9) and ag2 (customers c3, c4).
## c1 and c4 share a legal representative (associated accounts, ASSOC-KEYS); c9's documents are
## forged (bad check digits). c1 holds 02083721590 and 13800138000, c2 02083721591, c3 13800138001,
## c4 13800138002 and the 400 number 4008101357 (landing 13800138002), all active. c1 has contract K1 (2026-01-01.., 12000 yuan a year, paid). Servers:
## srv1 (c1, MR1, 203.0.113.10, shop.example.cn), srv2 (c2, MR1), srv3 (c3, MR1), srv4 (c4, MR2).
## The clock: Monday 2026-03-02 09:00 CST; 3 working days later is Thursday 2026-03-05.
##
#| set -e
#| cat > parties.csv <<'CSV'
#| party_id,kind,name
#| PL,organisation,平台公司
#| DI,organisation,总经销公司
#| AG1,organisation,一号代理有限公司
#| AG2,organisation,二号代理有限公司
#| O1,organisation,一号科技有限公司
#| O2,organisation,二号贸易有限公司
#| O3,organisation,三号商贸有限公司
#| O4,organisation,四号网络有限公司
#| O9,organisation,九号伪造有限公司
#| CSV
#| cat > accounts.csv <<'CSV'
#| account_id,party_id,role,parent_id
#| pl,PL,platform,
#| d1,DI,distributor,pl
#| ag1,AG1,agent,d1
#| ag2,AG2,agent,d1
#| c1,O1,customer,ag1
#| c2,O2,customer,ag1
#| c3,O3,customer,ag2
#| c4,O4,customer,ag2
#| c9,O9,customer,ag1
#| CSV
#| cat > documents.csv <<'CSV'
#| party_id,type,number,role
#| AG1,uscc,91350100M000001156,holder
#| AG2,uscc,91350100M0000022X7,holder
#| O1,uscc,91350100M00000334G,holder
#| O1,resident,110105198001010016,legal_rep
#| O2,uscc,91350100M00000449N,holder
#| O2,resident,110105198001010024,legal_rep
#| O3,uscc,91350100M00000553T,holder
#| O3,resident,110105198001010032,legal_rep
#| O4,uscc,91350100M000006681,holder
#| O4,resident,110105198001010016,legal_rep
#| O9,uscc,91350100M000006682,holder
#| O9,resident,110105198001010017,legal_rep
#| CSV
#| cat > numbers.csv <<'CSV'
#| number,kind,province
#| 02083721590,fixed,
#| 13800138000,mobile,44
#| 02083721591,fixed,
#| 13800138001,mobile,44
#| 13800138002,mobile,44
#| 4008101357,400,44
#| CSV
#| cat > resources.csv <<'CSV'
#| id,kind,account,facility,ip,domain
#| srv1,server,c1,MR1,203.0.113.10,shop.example.cn
#| srv2,server,c2,MR1,203.0.113.11,
#| srv3,server,c3,MR1,203.0.113.12,news.example.com
#| srv4,server,c4,MR2,203.0.113.40,
#| CSV
#| warden import parties parties.csv >/dev/null
#| warden import accounts accounts.csv >/dev/null
#| warden import documents documents.csv >/dev/null
#| warden number import numbers.csv >/dev/null
#| warden number reserve 02083721590 13800138000 02083721591 13800138001 13800138002 4008101357 >/dev/null
#| warden number activate --customer c1 02083721590 >/dev/null
#| warden number activate --customer c1 13800138000 >/dev/null
#| warden number activate --customer c2 02083721591 >/dev/null
#| warden number activate --customer c3 13800138001 >/dev/null
#| warden number activate --customer c4 13800138002 >/dev/null
#| warden number activate --customer c4 --landing 13800138002 4008101357 >/dev/null
#| warden contract create K1 --account c1 --start 2026-01-01 --fee "12000 yuan" >/dev/null
#| warden pay c1 12000 >/dev/null
#| warden import resources resources.csv >/dev/null

# EN-RESALE: notice, 3 working days to rectify; not rectified: a 1000-yuan fine on the agent; a repeat: 2000 yuan
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-RESALE --subject number:13800138000 --json
? 0
~ "kind":"EN-RESALE".*"state":"rectifying".*"agent":"ag1".*"deadline":"2026-03-06T00:00:00\+08:00"
$ warden tick --now 2026-03-05T23:59:00+08:00
~ cases: 0 deadlines acted on, 0 newly overdue$
$ warden tick --now 2026-03-06T09:00:00+08:00
~ cases: 1 deadlines acted on, 0 newly overdue$
$ warden ledger show ag1
~ fine +1000.00  due 2026-03-13  case:1
$ warden case open EN-RESALE --subject number:02083721590 --now 2026-03-09T09:00:00+08:00 > /dev/null
$ warden tick --now 2026-03-13T09:00:00+08:00
~ cases: 1 deadlines acted on, 0 newly overdue$
$ warden ledger show ag1
~ fine +2000.00  due 2026-03-20  case:2
$ warden case show 2 --now 2026-03-13T09:00:00+08:00
~ ^  state     fined$
~ repeat: the agent has 1 earlier EN-RESALE cases

# EN-RESALE: a rectification verified in time closes the case; the deadline then fires nothing and no fine is issued
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-RESALE --subject number:13800138000 > /dev/null
$ warden case act 1 verify --now 2026-03-04T10:00:00+08:00
~ ^  state     closed — rectified$
$ warden tick --now 2026-03-09T09:00:00+08:00
~ cases: 0 deadlines acted on, 0 newly overdue$
$ warden ledger show ag1
> balance 0.00 yuan (settled)

# EN-RESALE: a fine paid closes the case; a tick is idempotent (the same tick twice changes nothing)
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-RESALE --subject number:13800138000 > /dev/null
$ warden tick --now 2026-03-06T09:00:00+08:00 > /dev/null && warden audit verify --json > a1.json
$ warden tick --now 2026-03-06T09:00:00+08:00
~ cases: 0 deadlines acted on, 0 newly overdue$
$ warden audit verify --json > a2.json && cmp a1.json a2.json && echo same
> same
$ warden pay ag1 1000 --ref case:1 > /dev/null
$ warden tick --now 2026-03-06T10:00:00+08:00
~ cases: 1 deadlines acted on, 0 newly overdue$
$ warden case show 1
~ ^  state     closed — paid$

# EN-RESALE-ILLEGAL: rectify at once; then a penalty notice, the fine due in 5 working days; unpaid: the account shut and every number taken back
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-RESALE-ILLEGAL --subject number:13800138000
~ ^  next      rectified, or the penalty notice by 2026-03-03 24:00 CST$
$ warden tick --now 2026-03-04T09:00:00+08:00
~ cases: 1 deadlines acted on, 0 newly overdue$
$ warden case show 1 --now 2026-03-04T09:00:00+08:00
~ ^  state     penalty$
~ ^  next      fine paid by 2026-03-11 24:00 CST$
~ ^  fines     2000.00 yuan$
$ warden tick --now 2026-03-11T23:00:00+08:00
~ cases: 0 deadlines acted on, 0 newly overdue$
$ warden tick --now 2026-03-12T09:00:00+08:00
~ cases: 1 deadlines acted on, 0 newly overdue$
$ warden case show 1
~ ^  state     closed — shut$
$ warden channel permissions ag1
~ ^new-orders +denied: account closed
$ warden number list --state recovered
~ ^02083721590 .* recovered
~ ^02083721591 .* recovered
~ ^13800138000 .* recovered
! ^13800138001
$ warden ledger show ag1
~ fine +2000.00  due 2026-03-11  case:1

# EN-RESALE-ILLEGAL: the fine paid within the 5 working days closes the case and keeps the account
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-RESALE-ILLEGAL --subject number:13800138000 > /dev/null
$ warden case act 1 notice > /dev/null
$ warden case act 1 pay --now 2026-03-05T09:00:00+08:00
~ ^  state     closed — paid$
~ payment of 2000.00 yuan recorded from ag1
$ warden tick --now 2026-03-12T09:00:00+08:00
~ cases: 0 deadlines acted on, 0 newly overdue$
$ warden channel permissions ag1
~ ^new-orders +allowed

# EN-FRAUD: the number frozen, the agent's account closed, 30000 yuan a number; unpaid past its due date the case is overdue, paid it closes
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-FRAUD --subject number:13800138000
~ ^  state     fined$
~ ^  fines     30000.00 yuan$
$ warden number show 13800138000
~ ^  state     frozen since 2026-03-02
$ warden number show 02083721590
~ ^  state     active
$ warden channel permissions ag1
~ ^new-orders +denied: account closed
$ warden ledger show ag1
~ fine +30000.00  due 2026-03-09  case:1
$ warden tick --now 2026-03-10T09:00:00+08:00
~ cases: 0 deadlines acted on, 1 newly overdue$
$ warden cases --overdue --now 2026-03-10T09:00:00+08:00
~ ^ +1  EN-FRAUD .* OVERDUE$
$ warden pay ag1 30000 --ref case:1 > /dev/null
$ warden tick --now 2026-03-10T10:00:00+08:00
~ cases: 1 deadlines acted on, 0 newly overdue$
$ warden cases --state open
> 0 cases

# EN-FRAUD: a customer suspected of fraud: every number it holds frozen, 30000 yuan for each
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-FRAUD --subject customer:c1
~ ^  fines     60000.00 yuan$
$ warden number list --state frozen
~ ^02083721590 .* frozen
~ ^13800138000 .* frozen
> 2 numbers

# EN-FRAUD-SERIOUS: the agent disqualified, every number under it recovered, a regulator record and an announcement written; referral closes it
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ WARDEN_EXPORTS=exports warden case open EN-FRAUD-SERIOUS --subject agent:ag2
~ ^  state     referral$
~ export +exports/case-1-regulator.json
$ warden number list --state recovered
~ ^13800138001 .* recovered
~ ^13800138002 .* recovered
~ ^4008101357 .* recovered
> 3 numbers
$ warden channel permissions ag2
~ disqualified \(EN-FRAUD-SERIOUS\)
$ grep -c 13800138001 exports/case-1-regulator.json
> 1
$ grep -c "二号代理有限公司" exports/case-1-announcement.txt
> 2
$ warden case act 1 refer "PSB file 2026-017"
~ ^  state     closed — referred$

# EN-HARASS, TR-COMPLAINT: a 12321 harassment complaint shuts the number at once; restore after review brings it back
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
@file c.csv
source,time,target,category,text
12321,2026-03-01T20:15:00+08:00,138-0013-8001,harassment,repeated sales calls at night
@end
$ warden import complaints c.csv
~ 1 matched to a number or resource, 0 unmatched
$ warden enforce
~ 1 cases opened
$ warden number show 13800138001
~ ^  state     frozen
$ warden case show 1
~ ^  state     shut$
~ complaint +1 +12321 harassment complaint on 138-0013-8001
$ warden enforce
~ 0 cases opened, 0 added to open cases
$ warden case act 1 restore "complaint withdrawn"
~ ^  state     closed — restored$
$ warden number show 13800138001
~ ^  state     active

# TR-SIGNALS: complaints naming nothing in the registry are kept and counted as unmatched, never dropped; a bad row is rejected with its line
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
@file c.csv
source,time,target,category,text
dialtest,2026-03-01T11:00:00+08:00,19900001111,fraud,unknown number
signalling,2026-03-01T12:00:00+08:00,203.0.113.99,fraud,not ours
regulator,2026-03-01T10:00:00+08:00,http://shop.example.cn/pay?x=1,content,gambling pages
hotline,2026-03-01T10:00:00+08:00,13800138000,fraud,no such source
12321,2026-03-01T10:00:00+08:00,13800138000,spam,no such category
@end
$ warden import complaints c.csv
? 1
~ 5 rows, 3 imported, 2 rejected
~ 1 matched to a number or resource, 2 unmatched
$ cat c.rejects.csv
~ ^5,"source: 'hotline' is not one of
~ ^6,"category: 'spam' is not one of
$ warden report --json
~ "complaints":3,"complaints_unmatched":2

# EN-NOSERVICE, CH-NOSERVICE: a service complaint takes the customer's numbers from its agent; the platform serves it
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
@file c.csv
source,time,target,category,text
10086,2026-03-01T21:00:00+08:00,+86 13800138002,service,agent never answers
@end
$ warden import complaints c.csv > /dev/null
$ warden enforce
~ 1 cases opened
$ warden case show 1
~ ^  state     closed — taken-back$
~ 1 numbers taken back from ag2; the platform serves c4
$ warden channel permissions c4
~ ^contracts +allowed

# EN-DOCS, KYC-FORGED: at the campaign deadline a customer without valid documents is shut down
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden enforce --kyc-deadline 2026-03-08
~ 1 KYC verdicts considered; 1 cases opened
$ warden cases
~ ^ +1  EN-DOCS +awaiting-docs +customer:c9 +ag1 .* 2026-03-08 24:00$
> 1 case
$ warden case act 1 docs-fixed
? 1
2> still has no valid documents
$ warden tick --now 2026-03-08T23:00:00+08:00
~ cases: 0 deadlines acted on
$ warden tick --now 2026-03-09T09:00:00+08:00
~ cases: 1 deadlines acted on
$ warden case show 1
~ ^  state     closed — shut$
$ warden channel permissions c9
~ ^new-orders +denied: account shut down: no valid real-name documents \(KYC-FORGED, EN-DOCS\)

# EN-AGENT-TERM, KYC-AGENT: terminating an agent ends the cooperation (CH-BREACH): permissions revoked, its customers offered re-linking
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-AGENT-TERM --subject agent:ag2
~ ^  state     closed — terminated$
~ cooperation terminated \(CH-BREACH\); 2 customers offered re-linking
$ warden channel permissions ag2
~ ^new-orders +denied: account closed

# EN-ILLEGAL-HOST: content complaints warn twice, then the server is shut; an undertaking and a 5000-yuan margin reinstate it; a clean term refunds the margin
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
@file c1.csv
source,time,target,category,text
regulator,2026-03-01T10:00:00+08:00,http://shop.example.cn/pay?x=1,content,gambling pages
@end
@file c2.csv
source,time,target,category,text
12321,2026-03-02T08:00:00+08:00,shop.example.cn,content,gambling again
@end
$ warden import complaints c1.csv > /dev/null && warden enforce > /dev/null
$ warden case show 1
~ ^  state     warned$
$ warden import complaints c2.csv > /dev/null && warden enforce
~ 1 added to open cases
$ warden case show 1
~ ^  state     shut$
~ resource.shut srv1: server shut after 2 warnings
$ warden case act 1 undertake "signed 2026-03-02"
~ ^  state     probation$
~ ^  next      contract end: margin refunded if clean by 2026-12-31 24:00 CST$
$ warden ledger show c1
~ deposit +5000.00
$ warden tick --now 2027-01-01T09:00:00+08:00
~ cases: 1 deadlines acted on
$ warden case show 1
~ ^  state     closed — refunded$
$ warden ledger show c1
~ refund +-5000.00

# EN-ILLEGAL-HOST: illegal information again during the term forfeits the margin and shuts the server; the customer may remove it
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-ILLEGAL-HOST --subject resource:srv1 > /dev/null
$ warden case act 1 warn
~ ^  state     shut$
$ warden case act 1 undertake > /dev/null
@file c.csv
source,time,target,category,text
regulator,2026-04-01T10:00:00+08:00,203.0.113.10,content,illegal again
@end
$ warden import complaints c.csv > /dev/null && warden enforce > /dev/null
$ warden case show 1
~ ^  state     shut$
~ margin deposit 1 forfeited
$ warden case act 1 remove
~ ^  state     closed — removed$

# EN-COLLATERAL: a machine room shut; the innocent co-located customers listed, moved and restored first, their outage recorded and compensated
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-HARASS --subject number:02083721591 > /dev/null
$ warden case open EN-COLLATERAL --subject facility:MR1
~ ^  state     moving$
~ ^  next      innocent customers moved and restored by 2026-03-03 09:00 CST$
~ innocent +srv1 +innocent co-located customer c1
~ innocent +srv3 +innocent co-located customer c3
! innocent +srv2
$ warden tick --now 2026-03-03T10:00:00+08:00
~ cases: 0 deadlines acted on, 1 newly overdue$
$ warden case act 2 move MR2 --now 2026-03-03T10:00:00+08:00
~ ^  state     closed — restored$
~ resource.move srv1: moved to MR2 and restored; outage 2 days; compensation 65.75 yuan to c1
$ warden ledger show c1
~ refund +-65.75 .* case:2 compensation

# EN-SECURITY, ASSOC-LIABLE: graded measures up to termination; the terminated customer's associated account is put under inspection with a linked case
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-SECURITY --subject customer:c1
~ ^  state     criticism$
$ warden case act 1 escalate
~ ^  state     warning$
$ warden case act 1 escalate
~ ^  state     interruption$
$ warden number list --state frozen
> 2 numbers
$ warden case act 1 escalate
~ ^  state     closed — terminated$
~ ASSOC-LIABLE: associated account c4 under inspection, case 2
$ warden case show 2
~ ^  state     inspection$
~ ^  linked    from case 1$
~ link +c1 +c1 -\[doc 1101\*\*\*\*\*\*\*\*\*\*0016\]- c4
$ warden channel permissions c4
~ ^new-orders +denied: frozen: inspection
$ warden tick --now 2026-03-10T09:00:00+08:00
~ cases: 0 deadlines acted on, 1 newly overdue$
$ warden case act 2 release
~ ^  state     closed — released$
$ warden channel permissions c4
~ ^new-orders +allowed

# EN-INCIDENT: a security incident must be reported within 24 hours; past that the case is overdue
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-INCIDENT --subject customer:c2 --note "customer data leak"
~ ^  next      reported to the authorities by 2026-03-03 09:00 CST$
$ warden tick --now 2026-03-03T10:00:00+08:00
~ cases: 0 deadlines acted on, 1 newly overdue$
$ warden case act 1 report "MIIT notified"
~ ^  state     closed — reported$

# EN-*: an action the state does not allow is refused with the ones it does
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-RESALE --subject number:13800138000 > /dev/null
$ warden case act 1 pay
? 1
2> refused: case 1 (EN-RESALE) is rectifying: pay is not allowed; allowed: verify
$ warden case open EN-NOTHING --subject number:13800138000
? 2
2> unknown case kind 'EN-NOTHING'

# EN-*: the timeline is append-only: the database refuses to edit it
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-INCIDENT --subject customer:c2 > /dev/null
$ python3 -c "import sqlite3; c = sqlite3.connect('w.db'); c.execute('UPDATE case_event SET detail = 1')" 2>&1 | tail -1
~ the timeline is append-only

# report: findings, cases, deadlines, fines, agents ranked and case ages, as text, JSON and CSV
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
$ warden case open EN-FRAUD --subject number:13800138000 > /dev/null
$ warden case open EN-RESALE --subject number:02083721591 > /dev/null
$ warden case open EN-INCIDENT --subject customer:c3 --now 2026-03-03T09:00:00+08:00 > /dev/null
$ warden case act 3 report --now 2026-03-03T21:00:00+08:00 > /dev/null
$ warden report --now 2026-03-04T09:00:00+08:00 --since 2026-03-01
~ ^cases: 3 opened, 1 closed, 0 overdue now$
~ ^fines: 30000.00 yuan issued, 0.00 yuan paid; 30000.00 yuan outstanding in all$
~ ^agents ranked by violations: ag1 \(2\), ag2 \(1\)$
~ ^case age \(all cases, open ones to now\): median 2d 0h, 90th percentile 2d 0h$
$ warden report --now 2026-03-04T09:00:00+08:00 --since 2026-03-01 --json
~ "fines_outstanding_fen":3000000.*"age_median_seconds":172800,"age_p90_seconds":172800
$ warden report --now 2026-03-04T09:00:00+08:00 --since 2026-03-01 --csv
~ ^cases,opened,3$
~ ^case_age,p90_seconds,172800$

# policy: a bad [triggers] or [enforce] entry is refused with its line
$ warden policy show > p.policy && sed -i 's/^TR-SPOOF = .*/TR-SPOOF = review EN-NOTHING/; s/^fraud_fine = .*/fraud_fine = 30000/' p.policy && warden policy check p.policy
? 1
2> enforce.fraud_fine = '30000': money needs a unit
2> triggers.TR-SPOOF = 'review EN-NOTHING': expected a case kind

# TR-400-OUT, TR-SPOOF, EN-SECURITY, EN-FRAUD: stored findings open cases by the policy's triggers: a 400 display draws a criticism at once; a spoofed display waits in review, then a person confirms it (freeze and fine) or dismisses it; cases are listed by agent or by the customer account
$ sed -n 's/^#| \{0,1\}//p' "$ROOT/tests/cli/enforce.t" | bash
@file calls.csv
call_id,start,caller,display,callee,direction,duration,billsec,status,account,origin_region,forwarded_from,hops,marketing
k1,2026-03-02T10:00:00+08:00,13800138002,4008101357,13911112222,out,60,50,answered,c4,,,0,0
k2,2026-03-02T10:05:00+08:00,13800138001,13800138000,13911113333,out,60,50,answered,c3,,,0,0
@end
$ warden scan --db w.db calls.csv > /dev/null
? 1
$ warden enforce
~ 2 findings, 0 complaints, 0 KYC verdicts considered; 2 cases opened
$ warden cases
~ ^ +1  EN-SECURITY +criticism +number:4008101357 +ag2
~ ^ +2  EN-FRAUD +review +number:13800138000 +ag1 .* 2026-03-03 24:00$
$ warden cases --agent c4
~ ^ +1  EN-SECURITY
! EN-FRAUD
$ warden cases --agent ag1
~ ^ +2  EN-FRAUD
! EN-SECURITY
$ warden enforce
~ 0 cases opened, 0 added to open cases
$ warden tick --now 2026-03-04T09:00:00+08:00
~ cases: 0 deadlines acted on, 1 newly overdue$
$ warden case act 2 confirm "spoofing confirmed by the switch logs" --now 2026-03-04T10:00:00+08:00
~ ^  state     fined$
~ finding +2 +TR-SPOOF on 13800138000
$ warden number show 13800138000
~ ^  state     frozen
