/* channel.c — the channel's transitions (see the table in channel.h). */
#include <sqlite3.h>
#include <stdarg.h>
#include <string.h>

#include "channel.h"

static const char *const perm_names[WARDEN_PERM__COUNT] = {
    "new-orders", "number-activation", "marketing", "top-up", "contracts", "billing", "invoices", "withdraw"};

const char *warden_perm_name(warden_perm p) { return (unsigned)p < WARDEN_PERM__COUNT ? perm_names[p] : "?"; }

bool warden_perm_parse(const char *name, warden_perm *out) {
  for (int i = 0; i < WARDEN_PERM__COUNT; i++)
    if (!strcmp(name, perm_names[i])) {
      *out = (warden_perm)i;
      return true;
    }
  return false;
}

static const char *const exit_names[] = {"", "expiry", "voluntary", "platform-agreement", "distributor-agreement",
                                         "breach"};

const char *warden_exit_ground_name(warden_exit_ground g) {
  return g >= WARDEN_EXIT_EXPIRY && g <= WARDEN_EXIT_BREACH ? exit_names[g] : "?";
}

bool warden_exit_ground_parse(const char *name, warden_exit_ground *out) {
  for (int g = WARDEN_EXIT_EXPIRY; g <= WARDEN_EXIT_BREACH; g++)
    if (!strcmp(name, exit_names[g])) {
      *out = (warden_exit_ground)g;
      return true;
    }
  return false;
}

typedef struct acct {
  char id[72], role[16], parent[72], state[16], party[72];
} acct;

static warden_status db_fail(warden_registry *r, const char *what) {
  return warden_registry_fail(r, WARDEN_ERR_DB, "%s: %s", what, sqlite3_errmsg(warden_registry_db(r)));
}

/* Runs one statement with text parameters (NULL binds NULL). */
static warden_status exec(warden_registry *r, const char *sql, int n, ...) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(warden_registry_db(r), sql, -1, &q, NULL)) return db_fail(r, "channel");
  va_list ap;
  va_start(ap, n);
  for (int i = 1; i <= n; i++) {
    const char *v = va_arg(ap, const char *);
    if (v) sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
  }
  va_end(ap);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? WARDEN_OK : db_fail(r, "channel");
}

static warden_status acct_get(warden_registry *r, const char *id, acct *a) {
  sqlite3_stmt *q;
  warden_status st = WARDEN_OK;
  memset(a, 0, sizeof *a);
  if (sqlite3_prepare_v2(warden_registry_db(r), "SELECT id, role, COALESCE(parent_id, ''), state, party_id FROM account WHERE id = ?1",
                         -1, &q, NULL))
    return db_fail(r, "account");
  sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW) {
    char *f[5] = {a->id, a->role, a->parent, a->state, a->party};
    size_t sz[5] = {sizeof a->id, sizeof a->role, sizeof a->parent, sizeof a->state, sizeof a->party};
    for (int i = 0; i < 5; i++) snprintf(f[i], sz[i], "%s", sqlite3_column_text(q, i));
  } else {
    st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "account %s not found", id);
  }
  sqlite3_finalize(q);
  return st;
}

static warden_status platform_of(warden_registry *r, char out[72]) {
  sqlite3_stmt *q;
  warden_status st = WARDEN_OK;
  if (sqlite3_prepare_v2(warden_registry_db(r), "SELECT id FROM account WHERE role = 'platform' ORDER BY created, id LIMIT 1",
                         -1, &q, NULL))
    return db_fail(r, "platform");
  if (sqlite3_step(q) == SQLITE_ROW) snprintf(out, 72, "%s", sqlite3_column_text(q, 0));
  else st = warden_registry_fail(r, WARDEN_ERR_STATE, "there is no platform account in the registry");
  sqlite3_finalize(q);
  return st;
}

static long long scalar(warden_registry *r, const char *sql, const char *a, const char *b) {
  sqlite3_stmt *q;
  long long v = 0;
  if (sqlite3_prepare_v2(warden_registry_db(r), sql, -1, &q, NULL)) return 0;
  if (a) sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
  if (b) sqlite3_bind_text(q, 2, b, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return v;
}

static warden_status refuse(warden_registry *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static warden_status refuse(warden_registry *r, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return warden_registry_fail(r, WARDEN_ERR_STATE, "refused: %s", msg);
}

static warden_status set_parent(warden_registry *r, const char *id, const char *parent) {
  return exec(r, "UPDATE account SET parent_id = ?2 WHERE id = ?1", 2, id, parent);
}

static warden_status set_state(warden_registry *r, const char *id, const char *state) {
  return exec(r, "UPDATE account SET state = ?2 WHERE id = ?1", 2, id, state);
}

static warden_status freeze(warden_registry *r, const char *id, const char *perm, const char *reason) {
  char since[24];
  snprintf(since, sizeof since, "%lld", (long long)warden_now());
  return exec(r, "INSERT INTO permission_freeze(account_id, permission, reason, since) VALUES (?1, ?2, ?3, CAST(?4 AS INTEGER))",
              4, id, perm, reason, since);
}

/* Ends a transition: commit when st is OK, roll back otherwise. */
/* Ends a transition's transaction: its own, or a savepoint in the caller's (enforcement runs
 * transitions as steps of a case). */
static warden_status finish(warden_registry *r, warden_txn *t, warden_status st) {
  return warden_registry_txn_close(r, t, st);
}

static bool is_open_state(const acct *a) { return strcmp(a->state, "closed") && strcmp(a->state, "disqualified"); }

/* ---- permissions ---- */
warden_status warden_channel_allowed(warden_registry *r, const char *account, warden_perm p, bool *allowed,
                                     char *why, size_t whycap) {
  acct a, parent;
  warden_status st = acct_get(r, account, &a);
  *allowed = false;
  if (st) return st;
  if (!strcmp(a.state, "closed") || !strcmp(a.state, "disqualified")) {
    snprintf(why, whycap, !strcmp(a.state, "closed") ? "account closed" : "account closed for good: disqualified (EN-FRAUD-SERIOUS)");
    return WARDEN_OK;
  }
  if (!strcmp(a.state, "shut")) { /* EN-DOCS: shut down until valid documents come */
    snprintf(why, whycap, "account shut down: no valid real-name documents (KYC-FORGED, EN-DOCS)");
    return WARDEN_OK;
  }
  if (!strcmp(a.state, "suspended") && p != WARDEN_PERM_TOPUP && p != WARDEN_PERM_BILLING && p != WARDEN_PERM_INVOICES) {
    snprintf(why, whycap, "service suspended for arrears until paid in full (CT-ARREARS)");
    return WARDEN_OK;
  }
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "SELECT reason FROM permission_freeze WHERE account_id = ?1 AND until IS NULL"
                         " AND (permission = ?2 OR permission = 'all') ORDER BY id LIMIT 1",
                         -1, &q, NULL))
    return db_fail(r, "permissions");
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, warden_perm_name(p), -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW) {
    snprintf(why, whycap, "frozen: %s", sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return WARDEN_OK;
  }
  sqlite3_finalize(q);
  if (!strcmp(a.role, "customer") && a.parent[0] && !acct_get(r, a.parent, &parent) && !strcmp(parent.role, "agent") &&
      (p == WARDEN_PERM_CONTRACTS || p == WARDEN_PERM_BILLING || p == WARDEN_PERM_INVOICES || p == WARDEN_PERM_TOPUP)) {
    snprintf(why, whycap, "linked to reseller %s, which manages its orders (CH-LINK-CUST)", a.parent);
    return WARDEN_OK;
  }
  *allowed = true;
  why[0] = '\0';
  return WARDEN_OK;
}

/* ---- reseller and distributor ---- */
warden_status warden_channel_link(warden_registry *r, const char *reseller, const char *distributor) {
  acct a, d;
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if ((st = acct_get(r, reseller, &a)) || (st = acct_get(r, distributor, &d))) return finish(r, &t, st);
  if (strcmp(a.role, "agent")) st = refuse(r, "%s is a %s, not a reseller (CH-LINK)", reseller, a.role);
  else if (!is_open_state(&a)) st = refuse(r, "reseller %s is closed (CH-EXIT)", reseller);
  else if (strcmp(d.role, "distributor")) st = refuse(r, "%s is a %s, not a distributor (CH-LINK)", distributor, d.role);
  else if (strcmp(d.state, "active")) st = refuse(r, "distributor %s is %s (CH-LINK)", distributor, d.state);
  else if (a.parent[0] && !acct_get(r, a.parent, &d) && !strcmp(d.role, "distributor"))
    st = refuse(r, "reseller %s is linked to distributor %s already: a reseller has one distributor; unlink it "
                   "first, with balances and settlements agreed (CH-LINK, CH-UNLINK-DIST)",
                reseller, a.parent);
  if (!st) st = set_parent(r, reseller, distributor);
  if (!st) st = warden_audit_appendf(r, "channel.link", reseller, "rule=CH-LINK distributor=%s (linking confers no ownership)", distributor);
  return finish(r, &t, st);
}

warden_status warden_channel_unlink(warden_registry *r, const char *reseller, warden_unlink_ground ground,
                                    const warden_unlink_confirm *confirm) {
  acct a, d;
  char platform[72];
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if ((st = acct_get(r, reseller, &a)) || (st = platform_of(r, platform))) return finish(r, &t, st);
  if (strcmp(a.role, "agent")) return finish(r, &t, refuse(r, "%s is a %s, not a reseller", reseller, a.role));
  if (!a.parent[0] || acct_get(r, a.parent, &d) || strcmp(d.role, "distributor"))
    return finish(r, &t, refuse(r, "reseller %s is not linked to a distributor", reseller));
  if (ground == WARDEN_UNLINK_DISTRIBUTOR_LEFT) {
    if (strcmp(d.state, "closed"))
      st = refuse(r, "distributor %s still cooperates with the platform (state %s): ground (2) needs its account closed "
                     "(CH-UNLINK-DIST)", d.id, d.state);
  } else if (ground == WARDEN_UNLINK_COOPERATION_ENDED || ground == WARDEN_UNLINK_RESELLER_EXIT) {
    long long disputes = scalar(r,
                                "SELECT count(*) FROM dispute WHERE closed IS NULL AND ((account_a = ?1 AND account_b = ?2)"
                                " OR (account_a = ?2 AND account_b = ?1))", reseller, d.id);
    long long balance = scalar(r, "SELECT COALESCE((SELECT balance_fen FROM account_balance WHERE account_id = ?1), 0)",
                               reseller, NULL);
    if (!confirm || !confirm->reseller_no_dispute)
      st = refuse(r, "the reseller has not confirmed that no dispute is unresolved (CH-UNLINK-DIST)");
    else if (!confirm->distributor_no_dispute)
      st = refuse(r, "the distributor has not confirmed that no dispute is unresolved (CH-UNLINK-DIST)");
    else if (disputes)
      st = refuse(r, "%lld dispute%s between %s and %s still open (CH-UNLINK-DIST)", disputes, disputes > 1 ? "s" : "",
                  reseller, d.id);
    else if (balance) {
      char b[32];
      warden_money_format(balance, b, sizeof b);
      st = refuse(r, "balances not settled: reseller %s's balance is %s yuan (CH-UNLINK-DIST)", reseller, b);
    }
  } else {
    st = warden_registry_fail(r, WARDEN_ERR_USAGE, "unknown ground");
  }
  if (!st) st = set_parent(r, reseller, platform);
  if (!st) {
    static const char *const g[] = {"", "cooperation-ended", "distributor-left", "reseller-exit"};
    st = warden_audit_appendf(r, "channel.unlink", reseller, "rule=CH-UNLINK-DIST ground=%s distributor=%s%s", g[ground], d.id,
               ground == WARDEN_UNLINK_DISTRIBUTOR_LEFT ? " (reseller notified; the platform may link another distributor)" : "");
  }
  return finish(r, &t, st);
}

/* ---- customers ---- */
warden_status warden_channel_link_customer(warden_registry *r, const char *customer, const char *reseller) {
  acct c, a, p;
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if ((st = acct_get(r, customer, &c)) || (st = acct_get(r, reseller, &a))) return finish(r, &t, st);
  if (strcmp(c.role, "customer")) st = refuse(r, "%s is a %s, not a customer (CH-LINK-CUST)", customer, c.role);
  else if (!is_open_state(&c)) st = refuse(r, "customer %s is closed", customer);
  else if (strcmp(a.role, "agent")) st = refuse(r, "%s is a %s, not a reseller (CH-LINK-CUST)", reseller, a.role);
  else if (strcmp(a.state, "active")) st = refuse(r, "reseller %s is %s (CH-LINK-CUST)", reseller, a.state);
  else if (c.parent[0] && !acct_get(r, c.parent, &p) && !strcmp(p.role, "agent"))
    st = refuse(r, "customer %s is linked to reseller %s already: unlink it first (CH-UNLINK-CUST)", customer, c.parent);
  if (!st) st = set_parent(r, customer, reseller);
  if (!st)
    st = warden_audit_appendf(r, "channel.link-customer", customer,
               "rule=CH-LINK-CUST reseller=%s (the customer owns its resources; it can no longer request contracts, "
               "bills or invoices, nor top up)", reseller);
  return finish(r, &t, st);
}

warden_status warden_channel_unlink_customer(warden_registry *r, const char *customer,
                                             warden_unlink_customer_ground ground, bool both_agree) {
  acct c, a, d;
  char platform[72];
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if ((st = acct_get(r, customer, &c)) || (st = platform_of(r, platform))) return finish(r, &t, st);
  if (!c.parent[0] || acct_get(r, c.parent, &a) || strcmp(a.role, "agent"))
    return finish(r, &t, refuse(r, "customer %s is not linked to a reseller", customer));
  bool dist = a.parent[0] && !acct_get(r, a.parent, &d) && !strcmp(d.role, "distributor");
  if (ground == WARDEN_UNLINK_CUST_AGREED && !both_agree)
    st = refuse(r, "ground (1) needs both the customer and reseller %s to agree (CH-UNLINK-CUST)", a.id);
  else if (ground == WARDEN_UNLINK_CUST_RESELLER_ABNORMAL && !strcmp(a.state, "active") &&
           !scalar(r, "SELECT count(*) FROM permission_freeze WHERE account_id = ?1 AND until IS NULL", a.id, NULL) &&
           !(dist && strcmp(d.state, "active")))
    st = refuse(r, "reseller %s%s%s%s in good standing: ground (3) needs it or its distributor abnormal or in breach "
                   "(CH-UNLINK-CUST)", a.id, dist ? " and distributor " : "", dist ? d.id : "", dist ? " are" : " is");
  else if (ground < WARDEN_UNLINK_CUST_AGREED || ground > WARDEN_UNLINK_CUST_RESELLER_ABNORMAL)
    st = warden_registry_fail(r, WARDEN_ERR_USAGE, "unknown ground");
  if (!st) st = set_parent(r, customer, platform);
  char until[24], note[300];
  snprintf(until, sizeof until, "%lld", (long long)warden_now());
  snprintf(note, sizeof note, "reseller stays liable; services the platform now provides are charged jointly to %s%s%s",
           a.id, dist ? " and " : "", dist ? d.id : "");
  if (!st)
    st = exec(r, "INSERT INTO liability(account_id, for_account, rule, until, note) VALUES (?1, ?2, 'CH-UNLINK-CUST', CAST(?3 AS INTEGER), ?4)",
              4, a.id, customer, until, note);
  if (!st) {
    static const char *const g[] = {"", "agreed", "customer-request", "reseller-abnormal"};
    st = warden_audit_appendf(r, "channel.unlink-customer", customer, "rule=CH-UNLINK-CUST ground=%s reseller=%s; %s", g[ground], a.id, note);
  }
  return finish(r, &t, st);
}

/* ---- inspection ---- */
warden_status warden_channel_inspect(warden_registry *r, const char *account, unsigned perms, const char *reason) {
  acct a;
  char text[400], list[300] = "";
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if ((st = acct_get(r, account, &a))) return finish(r, &t, st);
  if (!is_open_state(&a)) return finish(r, &t, refuse(r, "account %s is closed", account));
  if (!reason || !*reason) return finish(r, &t, refuse(r, "an inspection needs a reason"));
  snprintf(text, sizeof text, "inspection (CH-INSPECT): %s", reason);
  if (!perms) {
    st = freeze(r, account, "all", text);
    snprintf(list, sizeof list, "all");
  } else {
    for (int p = 0; p < WARDEN_PERM__COUNT && !st; p++)
      if (perms & (1u << p)) {
        st = freeze(r, account, warden_perm_name((warden_perm)p), text);
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", l ? "," : "", warden_perm_name((warden_perm)p));
      }
  }
  if (!st && !strcmp(a.state, "active")) st = set_state(r, account, "inspection");
  if (!st) st = warden_audit_appendf(r, "channel.inspect", account, "rule=CH-INSPECT frozen=%s reason=%s", list, reason);
  return finish(r, &t, st);
}

warden_status warden_channel_release(warden_registry *r, const char *account) {
  acct a;
  char now[24];
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if ((st = acct_get(r, account, &a))) return finish(r, &t, st);
  long long n = scalar(r, "SELECT count(*) FROM permission_freeze WHERE account_id = ?1 AND until IS NULL"
                          " AND reason LIKE 'inspection%'", account, NULL);
  if (strcmp(a.state, "inspection") && !n) return finish(r, &t, refuse(r, "account %s is not under inspection", account));
  snprintf(now, sizeof now, "%lld", (long long)warden_now());
  st = exec(r, "UPDATE permission_freeze SET until = CAST(?2 AS INTEGER) WHERE account_id = ?1 AND until IS NULL"
               " AND reason LIKE 'inspection%'", 2, account, now);
  if (!st && !strcmp(a.state, "inspection")) st = set_state(r, account, "active");
  if (!st) st = warden_audit_appendf(r, "channel.release", account, "rule=CH-INSPECT freezes_lifted=%lld", n);
  return finish(r, &t, st);
}

/* ---- exit, breach, relink, no service ---- */
warden_status warden_channel_exit(warden_registry *r, const char *reseller, warden_exit_ground ground,
                                  const char *note, int *offers) {
  acct a;
  char platform[72], now[24], reason[300];
  sqlite3_stmt *q = NULL;
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  *offers = 0;
  if (st) return st;
  if ((st = acct_get(r, reseller, &a)) || (st = platform_of(r, platform))) return finish(r, &t, st);
  if (strcmp(a.role, "agent")) return finish(r, &t, refuse(r, "%s is a %s, not a reseller (CH-EXIT)", reseller, a.role));
  if (!is_open_state(&a)) return finish(r, &t, refuse(r, "reseller %s has exited already", reseller));
  if (ground < WARDEN_EXIT_EXPIRY || ground > WARDEN_EXIT_BREACH)
    return finish(r, &t, warden_registry_fail(r, WARDEN_ERR_USAGE, "unknown exit ground"));
  snprintf(now, sizeof now, "%lld", (long long)warden_now());
  snprintf(reason, sizeof reason, "exit (%s, %s): %s", ground == WARDEN_EXIT_BREACH ? "CH-BREACH" : "CH-EXIT",
           warden_exit_ground_name(ground), note && *note ? note : "-");
  /* 1. its activity stops: every permission revoked, for good */
  st = exec(r, "UPDATE permission_freeze SET until = CAST(?2 AS INTEGER) WHERE account_id = ?1 AND until IS NULL", 2, reseller, now);
  if (!st) st = freeze(r, reseller, "all", reason);
  /* 2. its customers are offered re-linking to a new reseller, with their consent; meanwhile the
   *    platform serves them */
  if (!st && sqlite3_prepare_v2(warden_registry_db(r), "SELECT id FROM account WHERE parent_id = ?1 AND role = 'customer' ORDER BY id",
                                -1, &q, NULL))
    st = db_fail(r, "exit");
  if (!st) {
    sqlite3_bind_text(q, 1, reseller, -1, SQLITE_STATIC);
    char ids[4096] = "";
    while (!st && sqlite3_step(q) == SQLITE_ROW) {
      char cust[72];
      snprintf(cust, sizeof cust, "%s", sqlite3_column_text(q, 0));
      st = exec(r, "INSERT INTO relink_offer(customer_id, from_reseller, offered) VALUES (?1, ?2, CAST(?3 AS INTEGER))"
                   " ON CONFLICT(customer_id) DO UPDATE SET from_reseller = ?2, offered = CAST(?3 AS INTEGER), answered = NULL,"
                   " accepted = NULL, to_reseller = NULL", 3, cust, reseller, now);
      if (!st) st = exec(r, "INSERT INTO liability(account_id, for_account, rule, until, note) VALUES (?1, ?2, 'CH-EXIT', CAST(?3 AS INTEGER),"
                            " 'liable for orders placed before its exit')", 3, reseller, cust, now);
      if (!st) st = warden_audit_appendf(r, "channel.relink-offer", cust, "rule=CH-EXIT from=%s (the platform serves it until it consents to a new reseller)", reseller);
      (*offers)++;
      size_t l = strlen(ids);
      if (l < sizeof ids - 80) snprintf(ids + l, sizeof ids - l, "%s%s", l ? "," : "", cust);
    }
    sqlite3_finalize(q);
    q = NULL;
    if (!st) st = exec(r, "UPDATE account SET parent_id = ?2 WHERE parent_id = ?1 AND role = 'customer'", 2, reseller, platform);
  }
  /* 3. unlinked from its distributor; 4. the account closes */
  if (!st) st = set_parent(r, reseller, platform);
  if (!st) st = set_state(r, reseller, "closed");
  if (!st)
    st = warden_audit_appendf(r, ground == WARDEN_EXIT_BREACH ? "channel.breach" : "channel.exit", reseller,
               "rule=%s ground=%s customers_offered=%d; it may no longer act as a reseller, stays liable for orders "
               "placed before its exit, permissions revoked, account closed%s; note=%s",
               ground == WARDEN_EXIT_BREACH ? "CH-BREACH,CH-EXIT" : "CH-EXIT", warden_exit_ground_name(ground), *offers,
               ground == WARDEN_EXIT_BREACH ? ", damages claimed" : "", note && *note ? note : "-");
  return finish(r, &t, st);
}

warden_status warden_channel_breach(warden_registry *r, const char *reseller, const char *reason, int *offers) {
  if (!reason || !*reason) return warden_registry_fail(r, WARDEN_ERR_STATE, "refused: a breach needs the breach named");
  return warden_channel_exit(r, reseller, WARDEN_EXIT_BREACH, reason, offers);
}

warden_status warden_channel_relink(warden_registry *r, const char *customer, const char *new_reseller, bool consent) {
  acct c, a;
  char now[24];
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if ((st = acct_get(r, customer, &c))) return finish(r, &t, st);
  if (!scalar(r, "SELECT count(*) FROM relink_offer WHERE customer_id = ?1 AND answered IS NULL", customer, NULL))
    return finish(r, &t, refuse(r, "customer %s has no open re-linking offer (CH-EXIT)", customer));
  snprintf(now, sizeof now, "%lld", (long long)warden_now());
  if (consent) {
    if ((st = acct_get(r, new_reseller, &a))) return finish(r, &t, st);
    if (strcmp(a.role, "agent") || strcmp(a.state, "active"))
      return finish(r, &t, refuse(r, "%s is not an active reseller", new_reseller));
    st = set_parent(r, customer, new_reseller);
    if (!st) st = exec(r, "UPDATE relink_offer SET answered = CAST(?2 AS INTEGER), accepted = 1, to_reseller = ?3 WHERE customer_id = ?1",
                       3, customer, now, new_reseller);
    if (!st) st = warden_audit_appendf(r, "channel.relink", customer, "rule=CH-EXIT to=%s with the customer's consent", new_reseller);
  } else {
    st = exec(r, "UPDATE relink_offer SET answered = CAST(?2 AS INTEGER), accepted = 0 WHERE customer_id = ?1", 2, customer, now);
    if (!st) st = warden_audit_appendf(r, "channel.relink-declined", customer, "rule=CH-EXIT the customer declined; the platform serves it");
  }
  return finish(r, &t, st);
}

warden_status warden_channel_noservice(warden_registry *r, const char *agent, const char *customer, int *numbers) {
  acct a, c;
  char platform[72];
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  *numbers = 0;
  if (st) return st;
  if ((st = acct_get(r, agent, &a)) || (st = acct_get(r, customer, &c)) || (st = platform_of(r, platform))) return finish(r, &t, st);
  if (strcmp(a.role, "agent")) return finish(r, &t, refuse(r, "%s is a %s, not an agent (CH-NOSERVICE)", agent, a.role));
  if (strcmp(c.parent, agent)) return finish(r, &t, refuse(r, "%s is not a customer of agent %s (CH-NOSERVICE)", customer, agent));
  *numbers = (int)scalar(r, "SELECT count(*) FROM number WHERE account_id = ?1 AND kind IN ('400','800')", customer, NULL);
  st = set_parent(r, customer, platform);
  if (!st)
    st = warden_audit_appendf(r, "channel.noservice", customer,
               "rule=CH-NOSERVICE,EN-NOSERVICE agent=%s numbers_taken_back=%d; the platform serves the customer "
               "directly and handles its renewals", agent, *numbers);
  return finish(r, &t, st);
}

/* ---- disputes ---- */
warden_status warden_channel_dispute_open(warden_registry *r, const char *a, const char *b, const char *note,
                                          long long *id) {
  acct x, y;
  char now[24];
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if ((st = acct_get(r, a, &x)) || (st = acct_get(r, b, &y))) return finish(r, &t, st);
  snprintf(now, sizeof now, "%lld", (long long)warden_now());
  st = exec(r, "INSERT INTO dispute(account_a, account_b, note, opened) VALUES (?1, ?2, ?3, CAST(?4 AS INTEGER))", 4, a, b,
            note && *note ? note : "-", now);
  *id = sqlite3_last_insert_rowid(warden_registry_db(r));
  if (!st) st = warden_audit_appendf(r, "channel.dispute-open", a, "dispute=%lld with=%s note=%s", *id, b, note && *note ? note : "-");
  return finish(r, &t, st);
}

warden_status warden_channel_dispute_close(warden_registry *r, long long id) {
  char sid[24], now[24], a[72] = "";
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  snprintf(sid, sizeof sid, "%lld", id);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(warden_registry_db(r), "SELECT account_a FROM dispute WHERE id = ?1 AND closed IS NULL", -1, &q, NULL))
    return finish(r, &t, db_fail(r, "dispute"));
  sqlite3_bind_int64(q, 1, id);
  if (sqlite3_step(q) == SQLITE_ROW) snprintf(a, sizeof a, "%s", sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  if (!a[0]) return finish(r, &t, warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "no open dispute %lld", id));
  snprintf(now, sizeof now, "%lld", (long long)warden_now());
  st = exec(r, "UPDATE dispute SET closed = CAST(?2 AS INTEGER) WHERE id = CAST(?1 AS INTEGER)", 2, sid, now);
  if (!st) st = warden_audit_appendf(r, "channel.dispute-close", a, "dispute=%lld resolved", id);
  return finish(r, &t, st);
}
