# CH-LINK: a reseller is linked to one distributor; a second link is refused
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel link a3 d1
? 0
> a3 linked to distributor d1
$ warden channel link a1 d2
? 1
2> refused: reseller a1 is linked to distributor d1 already: a reseller has one distributor
$ warden channel link c1 d2
? 1
2> c1 is a customer, not a reseller (CH-LINK)

# CH-UNLINK-DIST: ground 1 needs both confirmations, no open dispute and settled balances
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel unlink a1 --ground cooperation-ended
? 1
2> the reseller has not confirmed that no dispute is unresolved (CH-UNLINK-DIST)
$ warden channel unlink a1 --ground cooperation-ended --reseller-confirms
? 1
2> the distributor has not confirmed that no dispute is unresolved (CH-UNLINK-DIST)
$ warden channel dispute-open a1 d1 --note "commission for March"
> dispute 1 opened
$ warden channel unlink a1 --ground cooperation-ended --reseller-confirms --distributor-confirms
? 1
2> 1 dispute between a1 and d1 still open (CH-UNLINK-DIST)
$ warden channel dispute-close 1
$ warden channel unlink a1 --ground cooperation-ended --reseller-confirms --distributor-confirms
? 0
> a1 unlinked from its distributor (ground cooperation-ended)
$ warden channel link a1 d2
? 0
$ warden audit log --subject a1
~ channel.unlink +a1 +rule=CH-UNLINK-DIST ground=cooperation-ended distributor=d1
~ channel.link +a1 +rule=CH-LINK distributor=d2

# CH-UNLINK-DIST: ground 2 needs the distributor's cooperation with the platform to have ended
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel unlink a2 --ground distributor-left
? 1
2> distributor d2 still cooperates with the platform (state active)
$ python3 -c "import sqlite3; d=sqlite3.connect('w.db'); d.execute(\"UPDATE account SET state='closed' WHERE id='d2'\"); d.commit()"
$ warden channel unlink a2 --ground distributor-left
? 0
$ warden audit log --subject a2
~ reseller notified; the platform may link another distributor

# CH-LINK-CUST: a linked customer cannot request contracts, bills or invoices, nor top up
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel permissions c1
? 0
> new-orders         allowed
> top-up             denied: linked to reseller a1, which manages its orders (CH-LINK-CUST)
> contracts          denied: linked to reseller a1, which manages its orders (CH-LINK-CUST)
> billing            denied: linked to reseller a1, which manages its orders (CH-LINK-CUST)
> invoices           denied: linked to reseller a1, which manages its orders (CH-LINK-CUST)
$ warden channel link-customer c1 a2
? 1
2> customer c1 is linked to reseller a1 already

# CH-UNLINK-CUST: the grounds, and the reseller stays liable
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel unlink-customer c1 --ground agreed
? 1
2> ground (1) needs both the customer and reseller a1 to agree (CH-UNLINK-CUST)
$ warden channel unlink-customer c1 --ground reseller-abnormal
? 1
2> reseller a1 and distributor d1 are in good standing: ground (3) needs it or its distributor abnormal or in breach
$ warden channel unlink-customer c1 --ground customer-request
? 0
> c1 unlinked from its reseller (ground customer-request); the reseller stays liable
$ warden channel permissions c1
> contracts          allowed
$ warden audit log --subject c1
~ services the platform now provides are charged jointly to a1 and d1
$ warden channel inspect a1 --reason "associated account under investigation"
$ warden channel unlink-customer c2 --ground reseller-abnormal
? 0

# CH-INSPECT: part of the permissions frozen during an inspection, back after it
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel inspect a1 --freeze new-orders,marketing --reason "complaint 12321-0042"
? 0
> a1 under inspection: new-orders,marketing frozen
$ warden channel permissions a1
> new-orders         denied: frozen: inspection (CH-INSPECT): complaint 12321-0042
> number-activation  allowed
> marketing          denied: frozen: inspection (CH-INSPECT): complaint 12321-0042
$ warden channel release a1
? 0
$ warden channel permissions a1
> new-orders         allowed
> marketing          allowed
$ warden channel release a1
? 1
2> account a1 is not under inspection

# CH-INSPECT: all permissions frozen
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel inspect a2 --reason "associated account c9 terminated (ASSOC-LIABLE)"
> a2 under inspection: all permissions frozen
$ warden channel permissions a2
! allowed
$ warden channel inspect a2 --freeze nonsense --reason x
? 2
2> unknown permission 'nonsense'

# CH-EXIT: activity stops, customers offered re-linking, liable for earlier orders, account closed
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel exit a1 --ground voluntary --note "retiring"
? 0
> a1 exited (voluntary): permissions revoked, 2 customers offered re-linking, liable for earlier orders, account closed
$ warden channel permissions a1
! allowed
~ denied: account closed
$ warden party show A1
~ account  a1  agent under pl, closed
$ warden party show C1
~ account  c1  customer under pl, active
$ warden channel relink c1 a2 --consent
? 0
> c1 re-linked to a2 with its consent
$ warden channel relink c2 a2 --decline
> c2 declined; the platform serves it
$ warden channel relink c2 a2 --consent
? 1
2> customer c2 has no open re-linking offer (CH-EXIT)
$ warden channel exit a1 --ground voluntary
? 1
2> reseller a1 has exited already
$ warden audit log --subject a1
~ channel.exit +a1 +rule=CH-EXIT ground=voluntary customers_offered=2; it may no longer act as a reseller, stays liable

# CH-BREACH: breach terminates cooperation, revokes every permission and notes damages
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel breach a2 --reason "sold numbers on to a call centre (NUM-NORESALE)"
? 0
~ a2 exited \(breach\): permissions revoked, 1 customer offered re-linking
$ warden audit log --subject a2
~ channel.breach +a2 +rule=CH-BREACH,CH-EXIT ground=breach .*damages claimed
$ warden channel breach a1
? 1
2> a breach needs the breach named

# CH-NOSERVICE: the platform takes over a customer its agent does not serve
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel noservice a1 c1
? 0
> c1 taken over by the platform from a1: 0 service numbers taken back
$ warden channel noservice a1 c3
? 1
2> c3 is not a customer of agent a1 (CH-NOSERVICE)

# usage: unknown grounds and missing arguments
$ sh $ROOT/tests/cli/fixtures/channel.sh
$ warden channel unlink a1 --ground whatever
? 2
$ warden channel link a1
? 2
$ warden channel link nobody d1
? 1
2> account nobody not found
