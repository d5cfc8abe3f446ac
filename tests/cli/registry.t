# KYC-RETAIN: import parties, accounts and documents; party show masks; reveal needs a reason
@file parties.csv
party_id,kind,name
PL,organisation,平台公司
DI,organisation,总经销公司
AG,organisation,代理公司
P1,individual,张三
@end
@file accounts.csv
account_id,party_id,role,parent_id,state
c1,P1,customer,ag1,active
ag1,AG,reseller,d1,
d1,DI,distributor,pl,
pl,PL,platform,,
@end
@file documents.csv
party_id,type,number,expiry
P1,resident,11010519491231002X,2030-01-01
P1,passport,E12345678,2020-01-01
@end
$ warden import parties parties.csv
? 0
> parties.csv: 4 rows, 4 imported, 0 rejected
$ warden import accounts accounts.csv
? 0
> accounts.csv: 4 rows, 4 imported, 0 rejected
$ warden import documents documents.csv
? 0
> documents.csv: 2 rows, 2 imported, 0 rejected
$ warden party show P1
? 0
> party P1 (individual): 张*
~ document 1  resident +holder +1101\*\*\*\*\*\*\*\*\*\*002X +valid +ok +expiry 2030-01-01
~ document 2  passport +holder +E1\*\*\*\*\*78 +invalid +expired
~ account  c1  customer under ag1, active
! 11010519491231002X
$ warden party show --reveal P1
? 2
2> --reveal needs --reason
$ warden party show --reveal --reason "12321 report 2026-0042" P1
? 0
> party P1 (individual): 张三
~ 11010519491231002X
$ warden audit log --subject P1
~ tester +party.reveal +P1 +documents=2 name=yes reason=12321 report 2026-0042
$ warden party show --json P1
~ "number":"1101\*\*\*\*\*\*\*\*\*\*002X"
$ warden party show NOPE
? 1
2> party NOPE not found

# KYC-RETAIN: the database holds neither the number nor the name in clear
@file parties.csv
party_id,kind,name
P1,individual,王五六
@end
@file documents.csv
party_id,type,number
P1,resident,11010519491231002X
@end
$ warden import parties parties.csv && warden import documents documents.csv
? 0
$ cat w.db* | grep -a -c -e 11010519491231002X -e 王五六
> 0
$ stat -c %a warden.key
> 600

# bad input: rejected rows go to the rejects file with line and reason; good rows go in
@file parties.csv
party_id,kind,name
P1,individual,甲
P2,robot,乙
P1,individual,again
bad id!,individual,丁
P5,organisation
@end
$ warden import parties parties.csv
? 1
> parties.csv: 5 rows, 1 imported, 4 rejected (see parties.rejects.csv)
$ cat parties.rejects.csv
> line,reason,party_id,kind,name
> 3,kind must be individual or organisation (KYC-TYPES),P2,robot,乙
> 4,party P1 already exists,P1,individual,again
> 5,party_id must be 1-64 letters or digits or ._:-,bad id!,individual,丁
> 6,"2 fields, the header has 3",P5,organisation

# bad input: --all-or-nothing rolls the whole file back
@file parties.csv
party_id,kind,name
P1,individual,甲
P2,robot,乙
@end
$ warden import --all-or-nothing parties parties.csv
? 1
> parties.csv: --all-or-nothing: rolled back, nothing imported
$ warden party show P1
? 1

# bad input: CRLF line ends and a BOM are read; an unterminated quote writes nothing
$ printf '\xef\xbb\xbfparty_id,kind,name\r\nP1,individual,甲\r\nP2,organisation,"乙公司"\r\n' > crlf.csv; warden import parties crlf.csv
? 0
> crlf.csv: 2 rows, 2 imported, 0 rejected
$ printf 'party_id,kind,name\nP3,individual,甲\nP4,individual,"乙\n' > quote.csv; warden import parties quote.csv
? 1
2> quote.csv:3: quote opened here is never closed
2> nothing was imported from quote.csv
$ warden party show P3
? 1

# bad input: a 1 MB field is rejected with its line, the other rows go in
$ python3 -c "print('party_id,kind,name'); print('P1,individual,甲'); print('P2,individual,' + 'x'*1048600); print('P3,organisation,丙公司')" > big.csv; warden import parties big.csv
? 1
> big.csv: 3 rows, 2 imported, 1 rejected (see big.rejects.csv)
$ cut -c1-60 big.rejects.csv
> 3,big.csv:3: a field is longer than 1048576 bytes

# bad input: an empty file, a missing header column, an unreadable file
$ : > empty.csv; warden import parties empty.csv
? 1
2> empty.csv: empty file: a header row is required
$ printf 'id,kind\nP1,individual\n' > h.csv; warden import parties h.csv
? 1
2> h.csv:1: missing column 'party_id'
$ warden import parties /nonexistent.csv
? 2
2> /nonexistent.csv
$ warden import robots x.csv
? 2

# KYC-TYPES: an individual registers with a personal document, an organisation with an organisation document
@file parties.csv
party_id,kind,name
P1,individual,甲
O1,organisation,乙公司
@end
@file documents.csv
party_id,type,number,role
P1,uscc,91350100M000100Y43,holder
O1,resident,11010519491231002X,holder
O1,resident,11010519491231002X,legal_rep
O1,uscc,91350100M000100Y43,
@end
$ warden import parties parties.csv; warden import documents documents.csv
? 1
~ documents.csv: 4 rows, 2 imported, 2 rejected
$ cat documents.rejects.csv
~ ^2,"uscc is an organisation document, but an individual needs a personal one \(KYC-TYPES\)",P1,uscc,
~ ^3,"resident is a personal document, but an organisation needs an organisation one \(KYC-TYPES\)",O1,resident,

# audit: verify names the entry edited directly in the database
@file parties.csv
party_id,kind,name
P1,individual,甲
P2,individual,乙
P3,individual,丙
@end
$ warden import parties parties.csv
? 0
$ warden audit verify
? 0
~ ^audit chain holds: 4 entries, head [0-9a-f]{64}$
$ python3 -c "import sqlite3; d=sqlite3.connect('w.db'); d.execute(\"UPDATE audit SET detail='kind=organisation' WHERE seq=2\"); d.commit()"
$ warden audit verify
? 1
> audit chain BROKEN at entry 2: entry 2 does not match its hash: it, or an entry before it, was altered
$ warden audit verify --json
? 1
~ "ok":false,"entries":2,"first_bad":2

# audit: a deleted entry is named too
@file parties.csv
party_id,kind,name
P1,individual,甲
P2,individual,乙
@end
$ warden import parties parties.csv
$ python3 -c "import sqlite3; d=sqlite3.connect('w.db'); d.execute('DELETE FROM audit WHERE seq=1'); d.commit()"
$ warden audit verify
? 1
> audit chain BROKEN at entry 1: entry 1 is missing (next present is 2)

# KYC-RETAIN: a key file others can read is refused
$ warden audit verify && chmod 644 warden.key && warden audit verify
? 2
2> readable by others

# the main job: the demo runs the whole pipeline on a small channel, its audit chain and ledger hold
$ warden demo --customers 300 --dir d
? 0
~ ^== imported d/documents.csv: \d+ rows, \d+ imported, 0 rejected$
~ ^KYC report, deadline 2026-03-08
~ ^== number applications: \d+, activated \d+; refused: KYC-FORGED \d+
~ ^== ticked every morning 2026-03-02..2026-03-16: \d+ renewed
~ ^  400 numbers by grade:
~ ^  ledger check: +\d+ accounts, every balance equals the sum of its entries$
~ ^audit chain: \d+ entries, holds$
$ WARDEN_DB=d/warden.db warden audit verify
? 0
$ warden demo --customers 200 --dir d2 | grep -E "against the truth"
~ ^  against the truth: +21 of 21 planted violations found, 21 findings in all$
