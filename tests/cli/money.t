# CT-TERM: a contract renews automatically for a year; notice given a month ahead lets it lapse
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden contract create K1 --account c1 --start 2025-03-01 --fee "25000 yuan"
? 0
> contract K1: 2025-03-01..2026-02-28, renews automatically
$ warden contract create K2 --account c3 --start 2025-03-01 --fee 600
$ warden pay c1 25000 && warden pay c3 1200
$ warden contract notice K2 --on 2026-02-02
? 1
2> notice on 2026-02-02 is too late: the term ends 2026-02-28, and notice must come by 2026-02-01 (CT-TERM)
$ warden contract notice K2 --on 2026-01-31
? 0
$ warden contract list
~ ^K1 +c1 +2025-03-01..2026-02-28 +25000.00 yuan/year  renewing
~ ^K2 +c3 +2025-03-01..2026-02-28 +600.00 yuan/year  lapsing
$ warden tick --now 2026-03-01T08:00:00+08:00
? 0
> tick 2026-03-01: 1 renewed, 1 ended, 0 dunned, 0 late fees (0.00 yuan), 0 suspended, 0 terminated, 0 restored, 0 numbers back from cool-off; cases: 0 deadlines acted on, 0 newly overdue
$ warden contract list
~ ^K1 +c1 +2026-03-01..2027-02-28 +25000.00 yuan/year  renewing +renewed 1
~ ^K2 +c3 +2025-03-01..2026-02-28 +600.00 yuan/year  ended
$ warden ledger show c1
~ fee +25000.00  due 2026-03-01  K1

# CT-TERM: a tick is idempotent: the same tick twice changes nothing
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden contract create K1 --account c1 --start 2025-03-01 --fee 100 && warden pay c1 200
$ warden tick --now 2026-03-01T08:00:00+08:00 > /dev/null && warden audit verify --json > a1.json
$ warden tick --now 2026-03-01T08:00:00+08:00
> tick 2026-03-01: 0 renewed, 0 ended, 0 dunned, 0 late fees (0.00 yuan), 0 suspended, 0 terminated, 0 restored, 0 numbers back from cool-off; cases: 0 deadlines acted on, 0 newly overdue
$ warden audit verify --json > a2.json && cmp a1.json a2.json && echo same
> same

# CT-ARREARS: dunning, a late fee per day, suspension until paid in full, then restoration
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden ledger post c1 --kind fee --amount 1000 --due 2026-01-10 --ref K7
> c1 balance 1000.00 yuan
$ warden tick --now 2026-01-12T09:00:00+08:00
> tick 2026-01-12: 0 renewed, 0 ended, 1 dunned, 1 late fees (6.00 yuan), 0 suspended, 0 terminated, 0 restored, 0 numbers back from cool-off; cases: 0 deadlines acted on, 0 newly overdue
$ warden arrears
? 1
~ ^c1 +overdue since 2026-01-10  balance +1006.00 yuan  dunned, state active
$ warden tick --now 2026-02-09T09:00:00+08:00
~ 1 suspended
$ warden channel permissions c1
> new-orders         denied: service suspended for arrears until paid in full (CT-ARREARS)
$ warden pay c1 1000
> c1 paid; balance 90.00 yuan
$ warden pay c1 90
> c1 paid; balance 0.00 yuan; service restored (CT-ARREARS)
$ warden arrears
? 0
> 0 accounts in arrears
$ warden ledger check
? 0
> ledger holds: 1 accounts, every balance equals the sum of its entries

# CT-DEPOSIT: an equipment deposit forfeited, the EN-ILLEGAL-HOST margin refunded at the contract's end
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden deposit take c1 --kind equipment --amount 2000 --note "optical terminal"
> deposit 1 held
$ warden deposit take c1 --kind margin --note "signed undertaking"
> deposit 2 held
$ warden ledger show c1
~ deposit +5000.00 .*deposit:2
$ warden deposit forfeit 1 --note "returned broken"
> deposit 1 forfeited
$ warden deposit refund 1
? 1
2> deposit 1 is forfeited already
$ warden deposit refund 2 --note "term ended without illegal content"
> deposit 2 refunded
$ warden ledger show c1
~ ^ +1  deposit +2000.00
~ ^ +3  refund +-5000.00
> balance 2000.00 yuan (owed by the account)
$ warden audit log --subject c1
~ deposit.forfeit +c1 +rule=CT-DEPOSIT deposit=1
~ deposit.refund +c1 +rule=EN-ILLEGAL-HOST deposit=2

# ledger: the database refuses to edit or delete an entry
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden ledger post c1 --kind fine --amount "1000 yuan" --ref case-1
$ python3 -c "import sqlite3; d=sqlite3.connect('w.db'); d.execute('UPDATE ledger SET amount_fen=1'); d.commit()"
? 1
2> the ledger is append-only

# usage: amounts are checked, unknown accounts refused
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden pay c1 "12.345 yuan"
? 2
$ warden pay nobody 5
? 1
2> account nobody not found
$ warden contract create K1 --account c1 --start 2026-02-30 --fee 5
? 2
