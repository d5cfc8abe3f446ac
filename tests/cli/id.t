# KYC-DOC-PERSON: a valid resident number, masked, type detected
$ warden id check --now 2026-01-01 11010519491231002X
? 0
~ ^1101\*\*\*\*\*\*\*\*\*\*002X\tresident \(assumed\)\tvalid\tok\t
! 11010519491231002X

# KYC-DOC-PERSON: --reveal shows the number and the full birth date
$ warden id check --reveal --now 2026-01-01 11010519491231002X
? 0
~ ^11010519491231002X\tresident \(assumed\)\tvalid\tok\tok; .*born 1949-12-31; female$

# KYC-DOC-PERSON: masked output masks the birth date too
$ warden id check --now 2026-01-01 11010519491231002X
~ born 1949-\*\*-\*\*

# KYC-FORGED: an altered check digit is invalid and the exit status says so
$ warden id check 110105194912310021
? 1
~ \tinvalid\tbad-check-digit\t

# KYC-DOC-PERSON: JSON carries number, type, valid, reason, message and the parsed facts
$ warden id check --json --reveal --now 2026-01-01 11010519491231002X
? 0
~ ^\{"number":"11010519491231002X","type":"resident","assumed":true,"valid":true,"verdict":"valid","reason":"ok","message":"ok","region":"[^"]+","region_code":110105,"birth_date":"1949-12-31","sex":"female"\}$

# KYC-DOC-PERSON: a legacy 15-digit number shows its 18-digit upgrade
$ warden id check --reveal 110105491231002
? 0
~ legacy 15-digit number; its 18-digit form is 11010519491231002X

# KYC-DOC-ORG: a credit code names its authority and entity type
$ warden id check --json 91350100M000100Y43
? 0
~ "type":"uscc".*"valid":true.*"authority":"market regulation \(工商\)","entity_type":"enterprise","org_code":"M000100Y4"

# KYC-FORGED: an expired document is invalid
$ warden id check --type passport --expiry 2020-01-01 E12345678
? 1
~ \tinvalid\texpired\tdocument expired on 2020-01-01

# KYC-DOC-PERSON: no public check: format-only, never valid, exit 1
$ warden id check --type military 南字第1234567号
? 1
~ \tmilitary\tformat-only\tno-public-check\t

# KYC-DOC-PERSON: a passport verified through its machine-readable zone
$ warden id check --type passport --now 2026-01-01 --mrz 'E123456782CHN8001014M3001019<<<<<<<<<<<<<<<8' E12345678
? 0
~ \tpassport\tvalid\tok\tok: every MRZ check digit verified; born 1980-\*\*-\*\*; male; CHN$

# KYC-DOC-PERSON: an under-16 account holder needs the household register
$ warden id check --now 2026-01-01 110105201505050024
? 1
~ \tresident \(assumed\)\tinvalid\tunder-16-needs-household\tholder is 10: under 16 registers with the household register
$ warden id check --now 2026-01-01 --type household 110105201505050024
? 0
~ \thousehold\tvalid\tok\t

# KYC-DOC-PERSON: several numbers, one line each, exit 1 when any is not valid
$ warden id check --now 2026-01-01 11010519491231002X 91350100M000100Y43 ABC
? 1
~ \tvalid\t
~ \tuscc \(assumed\)\tvalid\t
~ \tunknown \(assumed\)\tinvalid\tunknown-type\t

# KYC-DOC-PERSON: a CSV file of numbers, with facts per row and a summary on stderr
@file ids.csv
type,number,expiry,issued
resident,11010519491231002X,,
,91350100M000100Y43,,
temp-resident,110105198001010024,,2025-06-01
passport,E12345678,2020-01-01,
resident,１１０１０５１９４９１２３１００２Ｘ,,
@end
$ warden id check --now 2026-01-01 --file ids.csv
? 1
~ \tresident\tvalid\tok\t.*\(ids.csv:2\)$
~ \tuscc \(assumed\)\tvalid\tok\t.*\(ids.csv:3\)$
~ \ttemp-resident\tinvalid\texpired\t.*\(ids.csv:4\)$
~ \tpassport\tinvalid\texpired\t.*\(ids.csv:5\)$
~ \tresident\tvalid\tok\t.*\(ids.csv:6\)$
2> 5 checked: 3 valid, 2 invalid, 0 format-only

# bad input: a file with NUL bytes, bad UTF-8 and a short row: messages name file and line, no crash
$ printf 'type,number\nresident,1101\x000519491231002X\nresident,\xc3\x28\nresident\nresident,11010519491231002X\n' > bad.csv; warden id check --now 2026-01-01 --file bad.csv
? 1
~ \(bad.csv:5\)$
2> bad.csv:2: NUL byte in the record
2> bad.csv:3: field 2 is not valid UTF-8
2> bad.csv:4: 1 fields, the header has 2
2> 4 checked: 1 valid, 3 invalid

# bad input: a file without the number column
$ printf 'kind,value\nx,y\n' > nohdr.csv; warden id check --file nohdr.csv
? 1
2> nohdr.csv:1: missing column 'number'

# bad input: an empty file
$ : > empty.csv; warden id check --file empty.csv
? 1
2> empty file

# bad input: a 1 MB field is refused with its line
$ python3 -c "print('type,number'); print('resident,' + 'x'*1048600)" > big.csv; warden id check --file big.csv
? 1
2> big.csv:2: a field is longer than 1048576 bytes

# usage: an unknown type and a missing argument exit 2
$ warden id check --type nonsense 123
? 2
2> unknown type 'nonsense'
$ warden id check
? 2
$ warden id
? 2
