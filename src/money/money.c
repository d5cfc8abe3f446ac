/* money.c — contracts, deposits, the ledger, arrears and the tick (see money.h). */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

static const char *const kind_names[WARDEN_LEDGER__COUNT] = {"fee",     "fine",   "late_fee", "deposit",
                                                              "payment", "refund", "waiver"};

const char *warden_ledger_kind_name(warden_ledger_kind k) {
  return (unsigned)k < WARDEN_LEDGER__COUNT ? kind_names[k] : "?";
}

bool warden_ledger_kind_parse(const char *name, warden_ledger_kind *out) {
  for (int k = 0; k < WARDEN_LEDGER__COUNT; k++)
    if (!strcmp(name, kind_names[k])) {
      *out = (warden_ledger_kind)k;
      return true;
    }
  return false;
}

static bool is_debit(warden_ledger_kind k) { return k <= WARDEN_LEDGER_DEPOSIT; }

static sqlite3 *DB(warden_registry *r) { return warden_registry_db(r); }

static warden_status db_fail(warden_registry *r, const char *what) {
  return warden_registry_fail(r, WARDEN_ERR_DB, "%s: %s", what, sqlite3_errmsg(DB(r)));
}

static int64_t query_i64(warden_registry *r, const char *sql, const char *a, int64_t b) {
  sqlite3_stmt *q;
  int64_t v = 0;
  if (sqlite3_prepare_v2(DB(r), sql, -1, &q, NULL)) return 0;
  if (a) sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, b);
  if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return v;
}

static bool account_exists(warden_registry *r, const char *account, char *state, size_t cap) {
  sqlite3_stmt *q;
  bool found = false;
  if (sqlite3_prepare_v2(DB(r), "SELECT state FROM account WHERE id = ?1", -1, &q, NULL)) return false;
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW) {
    found = true;
    if (state) snprintf(state, cap, "%s", sqlite3_column_text(q, 0));
  }
  sqlite3_finalize(q);
  return found;
}

/* ---- ledger ---- */
static warden_status post(warden_registry *r, const char *account, warden_ledger_kind kind, int64_t amount,
                          int32_t due, const char *ref, int64_t *balance_after) {
  if (amount <= 0) return warden_registry_fail(r, WARDEN_ERR_USAGE, "an amount is positive; the kind gives the sign");
  if (!account_exists(r, account, NULL, 0)) return warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "account %s not found", account);
  int64_t signed_amount = is_debit(kind) ? amount : -amount;
  int64_t bal = query_i64(r, "SELECT COALESCE((SELECT balance_fen FROM account_balance WHERE account_id = ?1), 0 * ?2)", account, 0);
  if ((signed_amount > 0 && bal > INT64_MAX / 2 - signed_amount) || (signed_amount < 0 && bal < INT64_MIN / 2 - signed_amount))
    return warden_registry_fail(r, WARDEN_ERR_RANGE, "balance out of range");
  int64_t next = bal + signed_amount;
  if (due == WARDEN_NO_DATE) due = warden_today();
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(DB(r), "INSERT INTO ledger(account_id, at, kind, amount_fen, due, ref, balance_after)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &q, NULL))
    return db_fail(r, "ledger");
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, warden_now());
  sqlite3_bind_text(q, 3, kind_names[kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 4, signed_amount);
  sqlite3_bind_int(q, 5, due);
  sqlite3_bind_text(q, 6, ref ? ref : "-", -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 7, next);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return db_fail(r, "ledger");
  if (sqlite3_prepare_v2(DB(r), "INSERT INTO account_balance(account_id, balance_fen) VALUES (?1, ?2)"
                                " ON CONFLICT(account_id) DO UPDATE SET balance_fen = ?2", -1, &q, NULL))
    return db_fail(r, "balance");
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, next);
  rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return db_fail(r, "balance");
  if (balance_after) *balance_after = next;
  char a[32], b[32], d[11];
  warden_money_format(signed_amount, a, sizeof a);
  warden_money_format(next, b, sizeof b);
  warden_date_format(due, d);
  return warden_audit_appendf(r, "ledger.post", account, "kind=%s amount=%s due=%s ref=%s balance=%s", kind_names[kind], a, d,
               ref ? ref : "-", b);
}

warden_status warden_ledger_post(warden_registry *r, const char *account, warden_ledger_kind kind, int64_t amount,
                                 int32_t due, const char *ref, int64_t *balance_after) {
  warden_txn own = {0};
  warden_status st = warden_registry_txn_open(r, &own);
  if (st) return st;
  if ((unsigned)kind >= WARDEN_LEDGER__COUNT) st = warden_registry_fail(r, WARDEN_ERR_USAGE, "unknown ledger kind");
  else st = post(r, account, kind, amount, due, ref, balance_after);
  return warden_registry_txn_close(r, &own, st);
}

warden_status warden_ledger_balance(warden_registry *r, const char *account, int64_t *balance) {
  if (!account_exists(r, account, NULL, 0)) return warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "account %s not found", account);
  *balance = query_i64(r, "SELECT COALESCE((SELECT balance_fen FROM account_balance WHERE account_id = ?1), 0 * ?2)", account, 0);
  return WARDEN_OK;
}

warden_status warden_ledger_check(warden_registry *r, const char *account, long *accounts, long *bad,
                                  char *first_bad, size_t cap) {
  sqlite3_stmt *q;
  *accounts = *bad = 0;
  if (cap) first_bad[0] = '\0';
  const char *sql =
      "SELECT b.account_id, b.balance_fen,"
      " (SELECT COALESCE(SUM(amount_fen), 0) FROM ledger l WHERE l.account_id = b.account_id),"
      " (SELECT balance_after FROM ledger l WHERE l.account_id = b.account_id ORDER BY id DESC LIMIT 1)"
      " FROM account_balance b WHERE ?1 IS NULL OR b.account_id = ?1"
      " UNION ALL SELECT l.account_id, 0, SUM(l.amount_fen), 0 FROM ledger l"
      " WHERE (?1 IS NULL OR l.account_id = ?1) AND l.account_id NOT IN (SELECT account_id FROM account_balance)"
      " GROUP BY l.account_id";
  if (sqlite3_prepare_v2(DB(r), sql, -1, &q, NULL)) return db_fail(r, "ledger check");
  if (account) sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  while (sqlite3_step(q) == SQLITE_ROW) {
    (*accounts)++;
    int64_t stored = sqlite3_column_int64(q, 1), sum = sqlite3_column_int64(q, 2), last = sqlite3_column_int64(q, 3);
    if (stored != sum || last != stored) {
      if (!*bad && cap)
        snprintf(first_bad, cap, "%s: stored %lld, entries sum to %lld, last entry says %lld",
                 sqlite3_column_text(q, 0), (long long)stored, (long long)sum, (long long)last);
      (*bad)++;
    }
  }
  sqlite3_finalize(q);
  return WARDEN_OK;
}

/* ---- contracts ---- */
int32_t warden_term_end(int32_t start, int months) {
  int y, m, d;
  warden_date_to_ymd(start, &y, &m, &d);
  int total = y * 12 + (m - 1) + months;
  int ny = total / 12, nm = total % 12 + 1;
  if (!warden_date_valid(ny, nm, d)) { /* no corresponding day: the month's end is the last day */
    int32_t first_next = warden_date_from_ymd(nm == 12 ? ny + 1 : ny, nm == 12 ? 1 : nm + 1, 1);
    return first_next - 1;
  }
  return warden_date_from_ymd(ny, nm, d) - 1;
}

/* The last day notice may be given for a term ending on end: notice months before the next start. */
static int32_t notice_deadline(int32_t end, int months) {
  return warden_date_add_months(end + 1, -months);
}

warden_status warden_contract_create(warden_registry *r, const warden_policy *p, const char *id, const char *account,
                                     int32_t start, int64_t annual_fee, bool auto_renew) {
  warden_txn own = {0};
  warden_status st = warden_registry_txn_open(r, &own);
  if (st) return st;
  int64_t term = warden_policy_get(p, "contracts", "term");
  int32_t end = warden_term_end(start, (int)term);
  sqlite3_stmt *q = NULL;
  if (!account_exists(r, account, NULL, 0)) { st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "account %s not found", account); goto done; }
  if (annual_fee < 0) { st = warden_registry_fail(r, WARDEN_ERR_USAGE, "a fee is not negative"); goto done; }
  if (sqlite3_prepare_v2(DB(r), "INSERT INTO contract(id, account_id, start_date, term_start, end_date, annual_fee_fen, auto_renew, state)"
                                " VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, 'active')", -1, &q, NULL)) { st = db_fail(r, "contract"); goto done; }
  sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, account, -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 3, start);
  sqlite3_bind_int(q, 4, end);
  sqlite3_bind_int64(q, 5, annual_fee);
  sqlite3_bind_int(q, 6, auto_renew);
  if (sqlite3_step(q) != SQLITE_DONE) {
    st = sqlite3_extended_errcode(DB(r)) == SQLITE_CONSTRAINT_PRIMARYKEY
             ? warden_registry_fail(r, WARDEN_ERR_EXISTS, "contract %s exists already", id)
             : db_fail(r, "contract");
    goto done;
  }
  char s[11], e[11], f[32];
  warden_date_format(start, s);
  warden_date_format(end, e);
  warden_money_format(annual_fee, f, sizeof f);
  if ((st = warden_audit_appendf(r, "contract.create", id, "rule=CT-TERM account=%s term=%s..%s fee=%s auto_renew=%s", account, s, e,
                  f, auto_renew ? "yes" : "no")))
    goto done;
  if (annual_fee > 0) st = post(r, account, WARDEN_LEDGER_FEE, annual_fee, start, id, NULL);
done:
  sqlite3_finalize(q);
  return warden_registry_txn_close(r, &own, st);
}

warden_status warden_contract_notice(warden_registry *r, const warden_policy *p, const char *id, int32_t on) {
  warden_txn own = {0};
  warden_status st = warden_registry_txn_open(r, &own);
  if (st) return st;
  sqlite3_stmt *q;
  int32_t end = 0;
  char state[16] = "";
  if (sqlite3_prepare_v2(DB(r), "SELECT end_date, state FROM contract WHERE id = ?1", -1, &q, NULL)) return warden_registry_txn_close(r, &own, db_fail(r, "contract"));
  sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW) {
    end = sqlite3_column_int(q, 0);
    snprintf(state, sizeof state, "%s", sqlite3_column_text(q, 1));
  }
  sqlite3_finalize(q);
  char e[11], dl[11], o[11];
  int32_t deadline = notice_deadline(end, (int)warden_policy_get(p, "contracts", "notice"));
  warden_date_format(end, e);
  warden_date_format(deadline, dl);
  warden_date_format(on, o);
  if (!state[0]) st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "contract %s not found", id);
  else if (strcmp(state, "active")) st = warden_registry_fail(r, WARDEN_ERR_STATE, "refused: contract %s is %s", id, state);
  else if (on > deadline)
    st = warden_registry_fail(r, WARDEN_ERR_STATE,
                              "refused: notice on %s is too late: the term ends %s, and notice must come by %s (CT-TERM); "
                              "the contract renews, notice can be given for the next term", o, e, dl);
  if (!st) {
    char son[24];
    snprintf(son, sizeof son, "%d", on);
    if (sqlite3_prepare_v2(DB(r), "UPDATE contract SET notice_date = CAST(?2 AS INTEGER) WHERE id = ?1", -1, &q, NULL)) st = db_fail(r, "contract");
    else {
      sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text(q, 2, son, -1, SQLITE_STATIC);
      if (sqlite3_step(q) != SQLITE_DONE) st = db_fail(r, "contract");
      sqlite3_finalize(q);
    }
  }
  if (!st) st = warden_audit_appendf(r, "contract.notice", id, "rule=CT-TERM notice given %s; the contract ends %s and will not renew", o, e);
  return warden_registry_txn_close(r, &own, st);
}

/* ---- deposits ---- */
warden_status warden_deposit_take(warden_registry *r, const char *account, const char *contract, const char *kind,
                                  int64_t amount, const char *note, long long *id) {
  warden_txn own = {0};
  warden_status st = warden_registry_txn_open(r, &own);
  if (st) return st;
  sqlite3_stmt *q;
  if (strcmp(kind, "equipment") && strcmp(kind, "margin"))
    return warden_registry_txn_close(r, &own, warden_registry_fail(r, WARDEN_ERR_USAGE, "a deposit is equipment (CT-DEPOSIT) or margin (EN-ILLEGAL-HOST)"));
  if (!account_exists(r, account, NULL, 0)) return warden_registry_txn_close(r, &own, warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "account %s not found", account));
  if (amount <= 0) return warden_registry_txn_close(r, &own, warden_registry_fail(r, WARDEN_ERR_USAGE, "a deposit is a positive amount"));
  if (sqlite3_prepare_v2(DB(r), "INSERT INTO deposit(account_id, contract_id, kind, amount_fen, state, held_at, note)"
                                " VALUES (?1, ?2, ?3, ?4, 'held', ?5, ?6)", -1, &q, NULL))
    return warden_registry_txn_close(r, &own, db_fail(r, "deposit"));
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  if (contract && *contract) sqlite3_bind_text(q, 2, contract, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 4, amount);
  sqlite3_bind_int64(q, 5, warden_now());
  sqlite3_bind_text(q, 6, note && *note ? note : "-", -1, SQLITE_STATIC);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return warden_registry_txn_close(r, &own, db_fail(r, "deposit (is the contract known?)"));
  *id = sqlite3_last_insert_rowid(DB(r));
  char ref[32], a[32];
  snprintf(ref, sizeof ref, "deposit:%lld", *id);
  warden_money_format(amount, a, sizeof a);
  st = warden_audit_appendf(r, "deposit.take", account, "rule=%s deposit=%lld kind=%s amount=%s note=%s",
             strcmp(kind, "margin") ? "CT-DEPOSIT" : "EN-ILLEGAL-HOST", *id, kind, a, note && *note ? note : "-");
  if (!st) st = post(r, account, WARDEN_LEDGER_DEPOSIT, amount, WARDEN_NO_DATE, ref, NULL);
  return warden_registry_txn_close(r, &own, st);
}

static warden_status deposit_settle(warden_registry *r, long long id, bool refund, const char *note) {
  warden_txn own = {0};
  warden_status st = warden_registry_txn_open(r, &own);
  if (st) return st;
  sqlite3_stmt *q;
  char account[72] = "", state[16] = "", kind[16] = "";
  int64_t amount = 0;
  if (sqlite3_prepare_v2(DB(r), "SELECT account_id, state, amount_fen, kind FROM deposit WHERE id = ?1", -1, &q, NULL))
    return warden_registry_txn_close(r, &own, db_fail(r, "deposit"));
  sqlite3_bind_int64(q, 1, id);
  if (sqlite3_step(q) == SQLITE_ROW) {
    snprintf(account, sizeof account, "%s", sqlite3_column_text(q, 0));
    snprintf(state, sizeof state, "%s", sqlite3_column_text(q, 1));
    amount = sqlite3_column_int64(q, 2);
    snprintf(kind, sizeof kind, "%s", sqlite3_column_text(q, 3));
  }
  sqlite3_finalize(q);
  if (!account[0]) return warden_registry_txn_close(r, &own, warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "deposit %lld not found", id));
  if (strcmp(state, "held")) return warden_registry_txn_close(r, &own, warden_registry_fail(r, WARDEN_ERR_STATE, "refused: deposit %lld is %s already", id, state));
  if (sqlite3_prepare_v2(DB(r), "UPDATE deposit SET state = ?2, settled_at = ?3 WHERE id = ?1", -1, &q, NULL))
    return warden_registry_txn_close(r, &own, db_fail(r, "deposit"));
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_text(q, 2, refund ? "refunded" : "forfeited", -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 3, warden_now());
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return warden_registry_txn_close(r, &own, db_fail(r, "deposit"));
  char ref[32], a[32];
  snprintf(ref, sizeof ref, "deposit:%lld", id);
  warden_money_format(amount, a, sizeof a);
  const char *rule = strcmp(kind, "margin") ? "CT-DEPOSIT" : "EN-ILLEGAL-HOST";
  st = warden_audit_appendf(r, refund ? "deposit.refund" : "deposit.forfeit", account, "rule=%s deposit=%lld amount=%s note=%s", rule, id, a,
             note && *note ? note : "-");
  if (!st && refund) st = post(r, account, WARDEN_LEDGER_REFUND, amount, WARDEN_NO_DATE, ref, NULL);
  return warden_registry_txn_close(r, &own, st);
}

warden_status warden_deposit_refund(warden_registry *r, long long id, const char *note) { return deposit_settle(r, id, true, note); }

warden_status warden_deposit_forfeit(warden_registry *r, long long id, const char *note) { return deposit_settle(r, id, false, note); }

/* ---- arrears ---- */
typedef struct arrears_view {
  int64_t paid;              /* credits, as a positive amount */
  int64_t principal_overdue; /* non-late-fee debits due before today, less credits */
  int64_t owed_now;          /* every debit due today or before, less credits */
  int32_t overdue_since;     /* due date of the oldest debit not covered; WARDEN_NO_DATE if none */
} arrears_view;

static warden_status arrears_compute(warden_registry *r, const char *account, int32_t today, arrears_view *v) {
  sqlite3_stmt *q;
  memset(v, 0, sizeof *v);
  v->overdue_since = WARDEN_NO_DATE;
  v->paid = -query_i64(r, "SELECT COALESCE(SUM(amount_fen), 0) FROM ledger WHERE account_id = ?1 AND amount_fen < 0 * ?2", account, 0);
  int64_t principal = 0, due_now = 0, cum = 0;
  if (sqlite3_prepare_v2(DB(r), "SELECT amount_fen, due, kind FROM ledger WHERE account_id = ?1 AND amount_fen > 0 ORDER BY due, id",
                         -1, &q, NULL))
    return db_fail(r, "arrears");
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  while (sqlite3_step(q) == SQLITE_ROW) {
    int64_t amt = sqlite3_column_int64(q, 0);
    int32_t due = sqlite3_column_int(q, 1);
    bool late = !strcmp((const char *)sqlite3_column_text(q, 2), "late_fee");
    if (due <= today) due_now += amt;
    if (due < today && !late) {
      principal += amt;
      cum += amt;
      if (cum > v->paid && v->overdue_since == WARDEN_NO_DATE) v->overdue_since = due;
    }
  }
  sqlite3_finalize(q);
  v->principal_overdue = principal > v->paid ? principal - v->paid : 0;
  v->owed_now = due_now - v->paid;
  return WARDEN_OK;
}

static warden_status exec_text(warden_registry *r, const char *sql, const char *a, int64_t b) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(DB(r), sql, -1, &q, NULL)) return db_fail(r, "arrears");
  sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, b);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? WARDEN_OK : db_fail(r, "arrears");
}

/* Restores a suspended account once everything due is paid; clears the arrears record. */
static warden_status arrears_settle(warden_registry *r, const char *account, int32_t today, bool *restored) {
  arrears_view v;
  char state[16] = "";
  *restored = false;
  warden_status st = arrears_compute(r, account, today, &v);
  if (st || v.owed_now > 0) return st;
  account_exists(r, account, state, sizeof state);
  if (!strcmp(state, "suspended")) {
    if ((st = exec_text(r, "UPDATE account SET state = 'active' WHERE id = ?1 AND ?2 = ?2", account, 0))) return st;
    if ((st = warden_audit_appendf(r, "account.restore", account, "rule=CT-ARREARS all arrears and late fees paid: service restored"))) return st;
    *restored = true;
  }
  return exec_text(r, "DELETE FROM arrears WHERE account_id = ?1 AND ?2 = ?2", account, 0);
}

warden_status warden_payment_record(warden_registry *r, const char *account, int64_t amount, const char *ref,
                                    bool *restored) {
  warden_txn own = {0};
  warden_status st = warden_registry_txn_open(r, &own);
  if (st) return st;
  st = post(r, account, WARDEN_LEDGER_PAYMENT, amount, WARDEN_NO_DATE, ref, NULL);
  if (!st) st = arrears_settle(r, account, warden_today(), restored);
  return warden_registry_txn_close(r, &own, st);
}

static warden_status tick_contracts(warden_registry *r, const warden_policy *p, int32_t today, warden_tick_report *out) {
  sqlite3_stmt *q;
  warden_status st = WARDEN_OK;
  int renewal = (int)warden_policy_get(p, "contracts", "renewal");
  if (sqlite3_prepare_v2(DB(r), "SELECT id, account_id, end_date, annual_fee_fen, auto_renew, notice_date FROM contract"
                                " WHERE state = 'active' AND end_date < ?1 ORDER BY id", -1, &q, NULL))
    return db_fail(r, "tick");
  sqlite3_bind_int(q, 1, today);
  typedef struct { char id[72], account[72]; int32_t end; int64_t fee; bool renew; } due_contract;
  due_contract *list = NULL;
  size_t n = 0, cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      due_contract *nl = realloc(list, cap * sizeof *nl);
      if (!nl) { free(list); sqlite3_finalize(q); return WARDEN_ERR_NOMEM; }
      list = nl;
    }
    due_contract *c = &list[n++];
    snprintf(c->id, sizeof c->id, "%s", sqlite3_column_text(q, 0));
    snprintf(c->account, sizeof c->account, "%s", sqlite3_column_text(q, 1));
    c->end = sqlite3_column_int(q, 2);
    c->fee = sqlite3_column_int64(q, 3);
    c->renew = sqlite3_column_int(q, 4) && sqlite3_column_type(q, 5) == SQLITE_NULL;
  }
  sqlite3_finalize(q);
  for (size_t i = 0; i < n && !st; i++) {
    due_contract *c = &list[i];
    char e[11], s[11];
    if (!c->renew) {
      warden_date_format(c->end, e);
      st = exec_text(r, "UPDATE contract SET state = 'ended' WHERE id = ?1 AND ?2 = ?2", c->id, 0);
      if (!st) st = warden_audit_appendf(r, "contract.end", c->id, "rule=CT-TERM notice was given: the contract ended %s", e);
      out->ended++;
      continue;
    }
    int renewals = 0;
    while (!st && c->end < today) { /* every term missed, one by one */
      int32_t start = c->end + 1;
      c->end = warden_term_end(start, renewal);
      warden_date_format(start, s);
      warden_date_format(c->end, e);
      sqlite3_stmt *u;
      if (sqlite3_prepare_v2(DB(r), "UPDATE contract SET term_start = ?3, end_date = ?2, renewals = renewals + 1 WHERE id = ?1", -1, &u, NULL)) {
        st = db_fail(r, "tick");
        break;
      }
      sqlite3_bind_text(u, 1, c->id, -1, SQLITE_STATIC);
      sqlite3_bind_int(u, 2, c->end);
      sqlite3_bind_int(u, 3, start);
      if (sqlite3_step(u) != SQLITE_DONE) st = db_fail(r, "tick");
      sqlite3_finalize(u);
      if (!st) st = warden_audit_appendf(r, "contract.renew", c->id, "rule=CT-TERM renewed automatically for %s..%s (no notice)", s, e);
      if (!st && c->fee > 0) st = post(r, c->account, WARDEN_LEDGER_FEE, c->fee, start, c->id, NULL);
      renewals++;
    }
    out->renewed += renewals;
  }
  free(list);
  return st;
}

static warden_status tick_arrears(warden_registry *r, const warden_policy *p, int32_t today, warden_tick_report *out) {
  sqlite3_stmt *q;
  warden_status st = WARDEN_OK;
  int64_t rate = warden_policy_get(p, "arrears", "late_fee"), dun = warden_policy_get(p, "arrears", "dunning_after");
  int64_t sus = warden_policy_get(p, "arrears", "suspend_after"), term = warden_policy_get(p, "arrears", "terminate_after");
  if (sqlite3_prepare_v2(DB(r), "SELECT DISTINCT l.account_id FROM ledger l JOIN account a ON a.id = l.account_id"
                                " WHERE a.state != 'closed' ORDER BY l.account_id", -1, &q, NULL))
    return db_fail(r, "tick");
  char (*ids)[72] = NULL;
  size_t n = 0, cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char (*ni)[72] = realloc(ids, cap * sizeof *ni);
      if (!ni) { free(ids); sqlite3_finalize(q); return WARDEN_ERR_NOMEM; }
      ids = ni;
    }
    snprintf(ids[n++], 72, "%s", sqlite3_column_text(q, 0));
  }
  sqlite3_finalize(q);
  for (size_t i = 0; i < n && !st; i++) {
    const char *acc = ids[i];
    arrears_view v;
    if ((st = arrears_compute(r, acc, today, &v))) break;
    if (v.principal_overdue <= 0) {
      bool restored;
      st = arrears_settle(r, acc, today, &restored);
      out->restored += restored;
      continue;
    }
    /* the arrears record: when it became overdue, what was charged and done */
    int32_t through = WARDEN_NO_DATE;
    bool dunned = false, suspended = false, terminated = false, known = false;
    sqlite3_stmt *a;
    if (sqlite3_prepare_v2(DB(r), "SELECT late_fee_through, dunned, suspended, terminated FROM arrears WHERE account_id = ?1", -1, &a, NULL)) {
      st = db_fail(r, "tick");
      break;
    }
    sqlite3_bind_text(a, 1, acc, -1, SQLITE_STATIC);
    if (sqlite3_step(a) == SQLITE_ROW) {
      known = true;
      if (sqlite3_column_type(a, 0) != SQLITE_NULL) through = sqlite3_column_int(a, 0);
      dunned = sqlite3_column_int(a, 1);
      suspended = sqlite3_column_type(a, 2) != SQLITE_NULL;
      terminated = sqlite3_column_type(a, 3) != SQLITE_NULL;
    }
    sqlite3_finalize(a);
    if (!known && (st = exec_text(r, "INSERT INTO arrears(account_id, overdue_since) VALUES (?1, ?2)", acc, v.overdue_since))) break;
    if (known && (st = exec_text(r, "UPDATE arrears SET overdue_since = ?2 WHERE account_id = ?1", acc, v.overdue_since))) break;
    int64_t days = today - v.overdue_since;
    char amount[32], since[11];
    warden_money_format(v.principal_overdue, amount, sizeof amount);
    warden_date_format(v.overdue_since, since);
    /* late fees for each day overdue not yet charged, up to the day the contract is terminated for
     * arrears (a late catch-up tick must not charge past it) */
    int32_t from = through == WARDEN_NO_DATE || through < v.overdue_since ? v.overdue_since + 1 : through + 1;
    int32_t until = today < v.overdue_since + term ? today : (int32_t)(v.overdue_since + term);
    if (from <= until) {
      int64_t per_day = (v.principal_overdue * rate + 500) / 1000; /* round half up, in fen */
      int64_t fee = per_day * (until - from + 1);
      if (fee > 0) {
        char ref[64], f0[11], f1[11];
        warden_date_format(from, f0);
        warden_date_format(until, f1);
        snprintf(ref, sizeof ref, "late-fee:%s..%s", f0, f1);
        if ((st = post(r, acc, WARDEN_LEDGER_LATE_FEE, fee, today, ref, NULL))) break;
        out->late_fees++;
        out->late_fee_fen += fee;
      }
      if ((st = exec_text(r, "UPDATE arrears SET late_fee_through = ?2 WHERE account_id = ?1", acc, today))) break;
    }
    if (!dunned && days >= dun) {
      if ((st = exec_text(r, "UPDATE arrears SET dunned = 1 WHERE account_id = ?1 AND ?2 = ?2", acc, 0))) break;
      if ((st = warden_audit_appendf(r, "arrears.dunning", acc, "rule=CT-ARREARS %s overdue since %s: dunning notice", amount, since))) break;
      out->dunned++;
    }
    if (!suspended && days >= sus) {
      if ((st = exec_text(r, "UPDATE arrears SET suspended = ?2 WHERE account_id = ?1", acc, warden_now()))) break;
      if ((st = exec_text(r, "UPDATE account SET state = 'suspended' WHERE id = ?1 AND state IN ('active', 'inspection') AND ?2 = ?2", acc, 0))) break;
      if ((st = warden_audit_appendf(r, "arrears.suspend", acc, "rule=CT-ARREARS %s overdue since %s (%lld days): service suspended until "
                      "all arrears and late fees are paid", amount, since, (long long)days))) break;
      out->suspended++;
    }
    if (!terminated && days >= term) {
      if ((st = exec_text(r, "UPDATE arrears SET terminated = ?2 WHERE account_id = ?1", acc, warden_now()))) break;
      if ((st = exec_text(r, "UPDATE contract SET state = 'terminated' WHERE account_id = ?1 AND state = 'active' AND ?2 = ?2", acc, 0))) break;
      if ((st = exec_text(r, "UPDATE account SET state = 'closed' WHERE id = ?1 AND ?2 = ?2", acc, 0))) break;
      if ((st = warden_audit_appendf(r, "arrears.terminate", acc, "rule=CT-ARREARS %s unpaid since %s (%lld days): contracts terminated "
                      "unilaterally, account closed", amount, since, (long long)days))) break;
      out->terminated++;
    }
  }
  free(ids);
  return st;
}

warden_status warden_money_tick(warden_registry *r, const warden_policy *p, int64_t now, warden_tick_report *out) {
  memset(out, 0, sizeof *out);
  int32_t today = warden_date_of_utc(now);
  warden_status st = warden_registry_begin(r);
  if (st) return st;
  if (!(st = tick_contracts(r, p, today, out))) st = tick_arrears(r, p, today, out);
  if (!st) st = warden_registry_commit(r);
  if (st) warden_registry_rollback(r);
  return st;
}
