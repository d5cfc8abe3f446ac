# ASSOC-KEYS: a small build from files: clusters, hot keys and the summary
@file a.csv
account_id
A1
A2
A3
A4
A5
@end
@file k.csv
account_id,key_type,value
A1,phone,+86 138 1234 5678
A2,phone,0086-13812345678
A2,address,广东省广州市白云区螺涌北路三街12—14号
A3,address,广州白云区螺涌北路3街12-14号
A4,phone,00000000000
A5,phone,00000000000
A4,legal_rep,张伟
A5,legal_rep,张伟
@end
$ warden link build --accounts a.csv --keys k.csv
? 0
~ ^accounts 5 \(and 0 equity-only entities\); key rows 8: 4 account-key pairs, 2 distinct keys; 0 bad rows, 2 placeholders, 2 names alone
~ ^clusters 3: 2 accounts alone; of 2 accounts 0, 3-5 1,
~ ^hot keys \(they link nothing\): 1$
~ ^  phone +00\*+00 +2 rows, placeholder$
~ ^built in

# ASSOC-KEYS: --json gives one line per account, singletons included
@file a.csv
account_id
A1
A2
A3
@end
@file k.csv
account_id,key_type,value
A1,email,Li.Wei@Example.COM
A3,email,li.wei@example.com
@end
$ warden link build --accounts a.csv --keys k.csv --json 2>/dev/null
? 0
> {"account":"A1","cluster":1}
> {"account":"A2","cluster":2}
> {"account":"A3","cluster":1}

# ASSOC-KEYS: bad rows are reported on stderr with their file and line; the rest is built
@file a.csv
account_id
A1
A2
@end
@file k.csv
account_id,key_type,value
A1,phone,13812345678
A9,phone,13812345678
A2,fax,13812345678
A2,ip,999.1.1.1
A2,phone,138 1234 5678
@end
$ warden link build --accounts a.csv --keys k.csv
? 1
~ 2 account-key pairs, 1 distinct keys; 3 bad rows
2> k.csv:3: unknown account 'A9'
2> k.csv:4: unknown key_type 'fax'
2> k.csv:5: ip value '999.1.1.1': not an IP address

# ASSOC-KEYS: a file without its header column is refused, naming the column
@file a.csv
account_id
A1
@end
@file k.csv
account,type,value
A1,phone,13812345678
@end
$ warden link build --accounts a.csv --keys k.csv
? 2
2> k.csv:1: the header has no column 'account_id'

# ASSOC-KEYS: explain prints the shortest chain with key types and masked values
@file a.csv
account_id
A1
A2
A3
A4
@end
@file k.csv
account_id,key_type,value
A1,phone,+86 138 1234 5678
A2,phone,13812345678
A2,doc,11010519491231002X
A3,legal_rep,王伟;110105491231002
A4,phone,13900000000
@end
$ warden link explain A1 A3 --accounts a.csv --keys k.csv
? 0
> A1 and A3 are associated (cluster 1): 2 steps
>   A1 and A2 share phone 13*******78  (k.csv:2, k.csv:3)
>   A2's doc is A3's legal_rep: 1101**********002X  (k.csv:4, k.csv:5)
! 13812345678
! 11010519491231002X
$ warden link explain A1 A4 --accounts a.csv --keys k.csv
? 1
> A1 (cluster 1) and A4 (cluster 2) are not associated
$ warden link explain A1 A3 --accounts a.csv --keys k.csv --json
? 0
~ ^\{"a":"A1","b":"A3","associated":true,"cluster":1,"steps":\[\{"from":"A1","to":"A2","from_type":"phone","to_type":"phone","class":"phone","value":"13\*+78"

# ASSOC-KEYS: cluster lists members and every key, how each links, and equity through entities
@file a.csv
account_id
C1
C2
C3
@end
@file k.csv
account_id,key_type,value
C1,device,5C:A1:00:2B:3C:4D
C2,device,5ca1002b3c4d
C2,email,c2@own.cn
@end
@file e.csv
holder_id,company_id,share
C2,HOLDCO,0.6
HOLDCO,C3,0.35
@end
$ warden link cluster C3 --accounts a.csv --keys k.csv --equity e.csv
? 0
> cluster 1: 3 accounts (and equity-only entities)
>   C1
~ ^    device +5CA1\*+3C4D +links: 2 accounts +k.csv:2$
>   C2
~ ^    email +c\*\*\*@own.cn +its own +k.csv:4$
~ ^    equity +holds 60.0% of HOLDCO +links +e.csv:2$
>   C3
~ ^    equity +is 35.0% held by HOLDCO +links +e.csv:3$
>   HOLDCO (entity, not an account)

# ASSOC-KEYS: --placeholder makes the platform's own phone link nothing
@file a.csv
account_id
A1
A2
@end
@file k.csv
account_id,key_type,value
A1,phone,400-600-0000
A2,phone,4006000000
@end
$ warden link build --accounts a.csv --keys k.csv --json 2>/dev/null | sort -u -t: -k3 | wc -l
> 1
$ warden link build --accounts a.csv --keys k.csv --placeholder phone:4006000000 --json 2>/dev/null
> {"account":"A1","cluster":1}
> {"account":"A2","cluster":2}
$ warden link build --accounts a.csv --keys k.csv --placeholder fax:1
? 2
2> --placeholder 'fax:1': expected TYPE:VALUE

# ASSOC-KEYS: the policy's hub cap: a key held by more accounts than it links nothing
@file a.csv
account_id
A1
A2
A3
@end
@file k.csv
account_id,key_type,value
A1,ip,203.0.113.7
A2,ip,203.0.113.7
A3,ip,203.0.113.7
@end
$ warden policy show | sed 's/^hub_cap = .*/hub_cap = 2/' > p.policy; warden link build --policy p.policy --accounts a.csv --keys k.csv
~ ^clusters 3: 3 accounts alone
~ ^  ip +20\*+\.7 +3 accounts, hub$
$ warden link build --accounts a.csv --keys k.csv
~ ^clusters 1: 0 accounts alone

# ASSOC-KEYS: the policy can match IPs on their /24
@file a.csv
account_id
A1
A2
@end
@file k.csv
account_id,key_type,value
A1,ip,203.0.113.7
A2,ip,203.0.113.200
@end
$ warden policy show | sed 's/^ipv4_prefix = .*/ipv4_prefix = 24/' > p.policy; warden link build --policy p.policy --accounts a.csv --keys k.csv --json 2>/dev/null
> {"account":"A1","cluster":1}
> {"account":"A2","cluster":1}

# ASSOC-KEYS: from the registry, accounts of parties sharing a document are associated
@file parties.csv
party_id,kind,name
P1,organisation,平台
P2,individual,王伟
P3,individual,王伟
P4,individual,李娜
@end
@file accounts.csv
account_id,party_id,role,parent_id
PL,P1,platform,
C2,P2,customer,PL
C3,P3,customer,PL
C4,P4,customer,PL
@end
@file documents.csv
party_id,type,number
P1,uscc,91350100M000100Y43
P2,resident,11010519491231002X
P3,resident,110105491231002
P4,resident,110105198001010023
@end
$ warden import parties parties.csv >/dev/null; warden import accounts accounts.csv >/dev/null; warden import documents documents.csv >/dev/null; warden link build
? 0
~ ^accounts 4 .* 3 distinct keys
~ ^clusters 3: 2 accounts alone; of 2 accounts 1,
$ warden link explain C2 C3
? 0
> C2 and C3 are associated (cluster 2): 1 step
~ ^  C2 and C3 share doc 1101\*+002X  \(registry document \d+, registry document \d+\)$

# ASSOC-KEYS: warden gen accounts plants every key type; the build recovers the truth exactly
$ warden gen accounts --accounts 3000 --seed 9 --out g && warden link build --accounts g/accounts.csv --keys g/keys.csv --equity g/equity.csv --truth g/truth.csv
? 0
~ ^g: 3000 accounts, \d+ key rows, \d+ equity rows; \d+ planted groups
~ 0 bad rows, \d+ placeholders, \d+ names alone
~ ^truth: same partition \(\d+ clusters\)$

# ASSOC-KEYS: usage errors
$ warden link explain A1 --accounts a.csv --keys k.csv
? 2
2> explain takes two accounts
$ warden link build --keys k.csv
? 2
2> --accounts and --keys go together
