# EN-RESALE: a deadline of 3 working days skips the National Day holiday and lands on a make-up Saturday
$ warden cal add 2026-09-30 3
? 0
> 2026-10-10

# calendar: a holiday day is named and is not a working day
$ warden cal workday 2026-02-16
? 1
> holiday	春节 Spring Festival

# calendar: a make-up Saturday (调休) is a working day
$ warden cal workday 2026-02-14
? 0
> workday	春节调休 Spring Festival make-up working day

# calendar: an ordinary weekend and an ordinary weekday
$ warden cal workday 2026-03-07
? 1
> weekend
$ warden cal workday 2026-03-09
? 0
> workday

# calendar: the New Year holiday of 2018 began in December 2017, as its notice says
$ warden cal workday 2017-12-30
? 1
> holiday	元旦 New Year's Day

# calendar: the 2020 Spring Festival extension (国办发明电〔2020〕1号) made 1 February a day off
$ warden cal workday 2020-02-01
? 1
~ ^holiday	春节

# calendar: working days between two dates, after the first up to and including the second
$ warden cal between 2026-09-30 2026-10-12
? 0
> 4
$ warden cal between 2026-10-12 2026-09-30
> -4

# calendar: a year without its notice is an explicit error naming the notice, never a guess
$ warden cal workday 2027-01-04
? 2
2> no holiday notice loaded for 2027
2> 国务院办公厅关于2027年部分节假日安排的通知
$ warden cal add 2026-12-20 10
? 2
2> no holiday notice loaded for 2027

# calendar: an operator loads next year's notice into the registry, without a rebuild, audited
@file 2027.tsv
# notice: 国务院办公厅关于2027年部分节假日安排的通知 (test copy)
2027-01-01	holiday	元旦 New Year's Day
2027-02-06	holiday	春节 Spring Festival
2027-02-07	workday	春节调休 Spring Festival make-up working day
@end
$ warden cal load 2027.tsv
? 0
> loaded 2027 from 2027.tsv
$ warden cal workday 2027-02-07
? 0
> workday	春节调休 Spring Festival make-up working day
$ warden cal years
~ ^2027	国务院办公厅关于2027年部分节假日安排的通知 \(test copy\)	\(2027.tsv\)$
$ warden audit log
~ calendar.load +cal:2027 +source=2027.tsv

# calendar: a folder of year files replaces the built-in ones (--holidays)
@file h/2026.tsv
# notice: a corrected 2026 notice (test)
2026-03-09	holiday	test day
@end
$ warden cal workday --holidays h 2026-03-09
? 1
> holiday	test day

# calendar: a bad notice file is refused with every error and its line; nothing is stored
@file bad.tsv
# notice: bad
2028-01-03	workday	周一
2028-02-30	holiday	x
@end
$ warden cal load bad.tsv
? 1
2> bad.tsv:2: 2028-01-03 is a weekday
2> bad.tsv:3: '2028-02-30' is not a date
$ warden cal years
! ^2028

# calendar: the covered years each cite their notice
$ warden cal years
~ ^2015	国务院办公厅关于2015年部分节假日安排的通知 \(国办发明电〔2014〕28号\)
~ ^2026	国务院办公厅关于2026年部分节假日安排的通知

# usage: a date that does not exist, a bad count
$ warden cal workday 2026-02-30
? 2
2> '2026-02-30' is not a date
$ warden cal add 2026-01-05 -1
? 2

# CT-PROVISION: a dedicated line accepted on 2026-09-29 opens within 5 working days, across National Day
$ warden cal add 2026-09-29 5
> 2026-10-12

# EN-RESALE-ILLEGAL: a fine notified on 2026-02-12 is due 5 working days later, across the Spring Festival
$ warden cal add 2026-02-12 5
> 2026-02-26

# NUM-FILING: filing completed within 10 working days of going online on 2026-04-30, across Labour Day
$ warden cal add 2026-04-30 10
> 2026-05-18
