/* inventory.c — the registry-backed number inventory: adding a number, the lifecycle with its
 * preconditions (NUM-CATALOG, KYC-LANDING, KYC-400-DOCS, NUM-NORESALE), the cool-off tick, outbound
 * display (NUM-OUTBOUND), usage declarations (NUM-USAGE) and the views. The state machine and the
 * preconditions are drawn in numbers.h. */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../channel/channel.h"
#include "numbers.h"

/* ---- transactions: our own, or a savepoint inside the caller's ---- */

static warden_status db_fail(warden_registry *r, const char *what) {
  return warden_registry_fail(r, WARDEN_ERR_DB, "%s: %s", what, sqlite3_errmsg(warden_registry_db(r)));
}

/* Commits (or releases) when st is OK, else rolls back; returns the final status. */
static void col_copy(sqlite3_stmt *q, int i, char *out, size_t cap) {
  const unsigned char *t = sqlite3_column_text(q, i);
  snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static void bind_opt(sqlite3_stmt *q, int i, const char *s) {
  if (s && *s)
    sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(q, i);
}

static void date_of(int64_t utc, char out[11]) {
  warden_date_format(warden_date_of_utc(utc), out);
}

/* ---- rows ---- */
typedef struct number_row {
  char number[16], kind[8], province[4], state[12], grade[12], account[72], landing[16];
  int64_t since, fee, cooloff;
  bool outbound;
  warden_number_state st;
  warden_number_kind k;
} number_row;

static warden_status resolve(warden_registry *r, const char *text, warden_number_id *id) {
  char err[200];
  if (warden_number_parse(text, id, err, sizeof err)) return warden_registry_fail(r, WARDEN_ERR_PARSE, "%s", err);
  return WARDEN_OK;
}

static warden_status row_load(warden_registry *r, const char *digits, number_row *row) {
  sqlite3_stmt *q = NULL;
  warden_status st = WARDEN_OK;
  memset(row, 0, sizeof *row);
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "SELECT number, kind, province, state, grade, COALESCE(account_id, ''), COALESCE(landing, ''),"
                         " state_since, annual_fee_fen, COALESCE(cooloff_until, 0), outbound_display"
                         " FROM number WHERE number = ?1",
                         -1, &q, NULL))
    return db_fail(r, "number");
  sqlite3_bind_text(q, 1, digits, -1, SQLITE_STATIC);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    col_copy(q, 0, row->number, sizeof row->number);
    col_copy(q, 1, row->kind, sizeof row->kind);
    col_copy(q, 2, row->province, sizeof row->province);
    col_copy(q, 3, row->state, sizeof row->state);
    col_copy(q, 4, row->grade, sizeof row->grade);
    col_copy(q, 5, row->account, sizeof row->account);
    col_copy(q, 6, row->landing, sizeof row->landing);
    row->since = sqlite3_column_int64(q, 7);
    row->fee = sqlite3_column_int64(q, 8);
    row->cooloff = sqlite3_column_int64(q, 9);
    row->outbound = sqlite3_column_int(q, 10) != 0;
    row->st = warden_number_state_parse(row->state);
    row->k = warden_number_kind_parse(row->kind);
  } else if (rc == SQLITE_DONE) {
    st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "%s is not in the inventory", digits);
  } else {
    st = db_fail(r, "number");
  }
  sqlite3_finalize(q);
  return st;
}

typedef struct account_info {
  bool found;
  char role[16], state[24], party[72], party_kind[16], parent[72], parent_role[16];
} account_info;

static warden_status account_load(warden_registry *r, const char *id, account_info *a) {
  sqlite3_stmt *q = NULL;
  memset(a, 0, sizeof *a);
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "SELECT a.role, a.state, a.party_id, p.kind, COALESCE(a.parent_id, ''), COALESCE(pa.role, '')"
                         " FROM account a JOIN party p ON p.id = a.party_id"
                         " LEFT JOIN account pa ON pa.id = a.parent_id WHERE a.id = ?1",
                         -1, &q, NULL))
    return db_fail(r, "account");
  sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    a->found = true;
    col_copy(q, 0, a->role, sizeof a->role);
    col_copy(q, 1, a->state, sizeof a->state);
    col_copy(q, 2, a->party, sizeof a->party);
    col_copy(q, 3, a->party_kind, sizeof a->party_kind);
    col_copy(q, 4, a->parent, sizeof a->parent);
    col_copy(q, 5, a->parent_role, sizeof a->parent_role);
  }
  sqlite3_finalize(q);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? WARDEN_OK : db_fail(r, "account");
}

/* "an agent", "a customer", "an individual". */
static const char *a_or_an(const char *word) {
  return word && word[0] && strchr("aeiou", word[0]) ? "an" : "a";
}

/* "a 400 number", "an 800 number", "a fixed line", "a mobile" */
static const char *kind_phrase(const char *kind) {
  return !strcmp(kind, "400")     ? "a 400 number"
         : !strcmp(kind, "800")   ? "an 800 number"
         : !strcmp(kind, "fixed") ? "a fixed line"
                                  : "a mobile";
}

/* ---- adding ---- */
warden_status warden_number_add(warden_registry *r, const warden_policy *p, const warden_number_new *in) {
  warden_number_id id;
  warden_txn t = {0};
  warden_status st;
  sqlite3_stmt *q = NULL;
  char fee_s[32];
  const char *province;
  if ((st = resolve(r, in->number, &id))) return st;
  if (in->kind && *in->kind) {
    warden_number_kind k = warden_number_kind_parse(in->kind);
    if (k == WARDEN_NUMBER_KIND__COUNT)
      return warden_registry_fail(r, WARDEN_ERR_PARSE, "kind '%s' is not 400, 800, mobile or fixed", in->kind);
    if (k != id.kind)
      return warden_registry_fail(r, WARDEN_ERR_PARSE, "kind says %s, but %s is %s", in->kind, id.digits,
                                  kind_phrase(warden_number_kind_name(id.kind)));
  }
  if (id.kind == WARDEN_NUMBER_FIXED) {
    if (in->province && *in->province && strcmp(in->province, id.province))
      return warden_registry_fail(r, WARDEN_ERR_PARSE, "province %s does not match area code %s, which is province %s",
                                  in->province, id.area, id.province);
    province = id.province;
  } else {
    if (!in->province || !*in->province)
      return warden_registry_fail(r, WARDEN_ERR_PARSE, "province is required for %s (2-digit GB/T 2260 code)",
                                  kind_phrase(warden_number_kind_name(id.kind)));
    if (!warden_number_province_valid(in->province))
      return warden_registry_fail(r, WARDEN_ERR_PARSE, "province '%s' is not a 2-digit GB/T 2260 province code",
                                  in->province);
    province = in->province;
  }
  if (in->state != WARDEN_NUMBER_AVAILABLE && in->state != WARDEN_NUMBER_RESERVED &&
      in->state != WARDEN_NUMBER_CANCELLED)
    return warden_registry_fail(r, WARDEN_ERR_USAGE,
                                "a number enters the inventory available, reserved or cancelled, not %s: "
                                "a holder comes only through reserve and activate",
                                warden_number_state_name(in->state));
  warden_number_vanity grade = warden_number_grade(id.digits);
  int64_t fee = in->annual_fee_fen >= 0 ? in->annual_fee_fen : warden_number_fee(p, grade);
  if (fee < 0)
    return warden_registry_fail(r, WARDEN_ERR_USAGE, "the policy has no fee for grade %s",
                                warden_number_vanity_name(grade));
  warden_money_format(fee, fee_s, sizeof fee_s);
  if ((st = warden_registry_txn_open(r, &t))) return st;
  number_row old;
  st = row_load(r, id.digits, &old);
  if (st == WARDEN_OK) {
    st = warden_registry_fail(r, WARDEN_ERR_EXISTS, "%s is already in the inventory (%s)", id.digits, old.state);
    goto done;
  }
  if (st != WARDEN_ERR_NOT_FOUND) goto done;
  st = WARDEN_OK;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "INSERT INTO number(number, kind, province, state, state_since, grade, annual_fee_fen)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         -1, &q, NULL)) {
    st = db_fail(r, "number insert");
    goto done;
  }
  sqlite3_bind_text(q, 1, id.digits, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, warden_number_kind_name(id.kind), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, province, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 4, warden_number_state_name(in->state), -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 5, warden_now());
  sqlite3_bind_text(q, 6, warden_number_vanity_name(grade), -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 7, fee);
  if (sqlite3_step(q) != SQLITE_DONE) {
    st = db_fail(r, "number insert");
    goto done;
  }
  st =
      warden_audit_appendf(r, "number.add", id.digits, "kind=%s province=%s grade=%s fee=%s yuan/year (%s) state=%s%s%s (NUM-CATALOG)",
            warden_number_kind_name(id.kind), province, warden_number_vanity_name(grade), fee_s,
            in->annual_fee_fen >= 0 ? "catalogue" : "grade", warden_number_state_name(in->state),
            in->source ? " source=" : "", in->source ? in->source : "");
done:
  sqlite3_finalize(q);
  return warden_registry_txn_close(r, &t, st);
}

/* ---- the state machine ---- */
typedef enum move { MV_RESERVE, MV_ACTIVATE, MV_FREEZE, MV_UNFREEZE, MV_RECOVER, MV_CANCEL } move;

#define BIT(s) (1u << (s))
static const struct {
  const char *verb;
  warden_number_state to;
  unsigned from;
} moves[] = {
    [MV_RESERVE] = {"reserve", WARDEN_NUMBER_RESERVED, BIT(WARDEN_NUMBER_AVAILABLE)},
    [MV_ACTIVATE] = {"activate", WARDEN_NUMBER_ACTIVE, BIT(WARDEN_NUMBER_RESERVED)},
    [MV_FREEZE] = {"freeze", WARDEN_NUMBER_FROZEN, BIT(WARDEN_NUMBER_ACTIVE)},
    [MV_UNFREEZE] = {"unfreeze", WARDEN_NUMBER_ACTIVE, BIT(WARDEN_NUMBER_FROZEN)},
    [MV_RECOVER] = {"recover", WARDEN_NUMBER_RECOVERED, BIT(WARDEN_NUMBER_ACTIVE) | BIT(WARDEN_NUMBER_FROZEN)},
    [MV_CANCEL] = {"cancel", WARDEN_NUMBER_CANCELLED,
                   BIT(WARDEN_NUMBER_AVAILABLE) | BIT(WARDEN_NUMBER_RESERVED) | BIT(WARDEN_NUMBER_RECOVERED)},
};

static const char *const allowed[WARDEN_NUMBER_STATE__COUNT] = {
    [WARDEN_NUMBER_AVAILABLE] = "an available number can only be reserved or cancelled",
    [WARDEN_NUMBER_RESERVED] = "a reserved number can only be activated or cancelled",
    [WARDEN_NUMBER_ACTIVE] = "an active number can only be frozen or recovered",
    [WARDEN_NUMBER_FROZEN] = "a frozen number can only be unfrozen or recovered",
    [WARDEN_NUMBER_RECOVERED] = ("a recovered number can only be cancelled, or become available again when its "
                                 "cool-off ends"),
    [WARDEN_NUMBER_CANCELLED] = "a cancelled number is final: nothing more can be done with it",
};

/* Parses the number, opens the transaction, loads the row and checks the move is allowed from its
 * state. On an error the caller still calls txn_close. */
static warden_status move_begin(warden_registry *r, const char *text, move m, warden_txn *t, number_row *row) {
  warden_number_id id;
  warden_status st;
  if ((st = resolve(r, text, &id))) return st;
  if ((st = warden_registry_txn_open(r, t))) return st;
  if ((st = row_load(r, id.digits, row))) return st;
  if (row->st < WARDEN_NUMBER_STATE__COUNT && (moves[m].from & BIT(row->st))) return WARDEN_OK;
  char until[40] = "";
  if (row->st == WARDEN_NUMBER_RECOVERED && row->cooloff) {
    char d[11];
    date_of(row->cooloff, d);
    snprintf(until, sizeof until, " (cool-off until %s)", d);
  }
  return warden_registry_fail(r, WARDEN_ERR_STATE, "cannot %s %s: it is %s; %s%s (NUM-CATALOG)", moves[m].verb,
                              row->number, row->state,
                              row->st < WARDEN_NUMBER_STATE__COUNT ? allowed[row->st] : "its state is unknown", until);
}

/* Writes the new state; account, landing: the values after the move (NULL or "" to clear). */
static warden_status set_state(warden_registry *r, const char *number, warden_number_state to, int64_t now,
                               const char *account, const char *landing, int64_t cooloff_until, bool clear_outbound) {
  sqlite3_stmt *q = NULL;
  warden_status st = WARDEN_OK;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "UPDATE number SET state = ?2, state_since = ?3, account_id = ?4, landing = ?5,"
                         " cooloff_until = ?6, outbound_display = CASE WHEN ?7 THEN 0 ELSE outbound_display END"
                         " WHERE number = ?1",
                         -1, &q, NULL))
    return db_fail(r, "number update");
  sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, warden_number_state_name(to), -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 3, now);
  bind_opt(q, 4, account);
  bind_opt(q, 5, landing);
  if (cooloff_until) sqlite3_bind_int64(q, 6, cooloff_until);
  sqlite3_bind_int(q, 7, clear_outbound);
  if (sqlite3_step(q) != SQLITE_DONE) st = db_fail(r, "number update");
  sqlite3_finalize(q);
  return st;
}

#define NOTE(n) ((n) && *(n) ? " note=" : ""), ((n) && *(n) ? (n) : "")

/* A reseller never holds a number (NUM-NORESALE). */
static warden_status check_customer(warden_registry *r, const char *verb, const char *number, const char *account) {
  account_info a;
  warden_status st = account_load(r, account, &a);
  if (st) return st;
  if (!a.found)
    return warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "cannot %s %s: account %s not found", verb, number, account);
  if (strcmp(a.role, "customer"))
    return warden_registry_fail(r, WARDEN_ERR_STATE,
                                "cannot %s %s: account %s is %s %s, not a customer: numbers are held by the customer "
                                "who uses them, never by a reseller (NUM-NORESALE)",
                                verb, number, account, a_or_an(a.role), a.role);
  return WARDEN_OK;
}

warden_status warden_number_reserve(warden_registry *r, const char *number, const char *account, const char *note) {
  warden_txn t = {0};
  number_row row;
  warden_status st;
  if ((st = move_begin(r, number, MV_RESERVE, &t, &row))) goto done;
  if (account && *account && (st = check_customer(r, "reserve", row.number, account))) goto done;
  if ((st = set_state(r, row.number, WARDEN_NUMBER_RESERVED, warden_now(), account, NULL, 0, false))) goto done;
  st = warden_audit_appendf(r, "number.reserve", row.number, "from=%s to=reserved for=%s%s%s (NUM-CATALOG%s)", row.state,
             account && *account ? account : "-", NOTE(note), account && *account ? ", NUM-NORESALE" : "");
done:
  return warden_registry_txn_close(r, &t, st);
}

static void refuse(warden_buf *why, int *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse(warden_buf *why, int *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  warden_buf_vaddf(why, fmt, ap);
  va_end(ap);
  warden_buf_addc(why, '\n');
  (*n)++;
}

/* The landing of a 400/800 number (KYC-LANDING): in the inventory, a fixed line or mobile, active, and
 * held by an account of the customer's party. On success *digits holds it normalized. */
static warden_status check_landing(warden_registry *r, const char *landing, const account_info *cust, const char *kind,
                                   char digits[16], warden_buf *why, int *n) {
  warden_number_id lid;
  number_row lr;
  char perr[200];
  digits[0] = '\0';
  if (!landing || !*landing) {
    refuse(why, n,
           "no landing number given: %s needs its real destination number, registered to the same entity "
           "(KYC-LANDING)",
           kind_phrase(kind));
    return WARDEN_OK;
  }
  if (warden_number_parse(landing, &lid, perr, sizeof perr)) {
    refuse(why, n, "landing: %s (KYC-LANDING)", perr);
    return WARDEN_OK;
  }
  warden_status st = row_load(r, lid.digits, &lr);
  if (st == WARDEN_ERR_NOT_FOUND) {
    refuse(why, n, "landing %s is not in the inventory (KYC-LANDING)", lid.digits);
    return WARDEN_OK;
  }
  if (st) return st;
  if (lr.k != WARDEN_NUMBER_FIXED && lr.k != WARDEN_NUMBER_MOBILE)
    refuse(why, n, "landing %s is %s: the landing must be a fixed line or a mobile (KYC-LANDING)", lr.number,
           kind_phrase(lr.kind));
  if (lr.st != WARDEN_NUMBER_ACTIVE) refuse(why, n, "landing %s is %s, not active (KYC-LANDING)", lr.number, lr.state);
  if (lr.account[0]) {
    account_info la;
    if ((st = account_load(r, lr.account, &la))) return st;
    if (strcmp(la.party, cust->party))
      refuse(why, n, "landing %s is held by account %s of party %s, not by party %s (KYC-LANDING)", lr.number,
             lr.account, la.party, cust->party);
  } else if (lr.st == WARDEN_NUMBER_ACTIVE) {
    refuse(why, n, "landing %s is held by no account (KYC-LANDING)", lr.number);
  }
  snprintf(digits, 16, "%s", lr.number);
  return WARDEN_OK;
}

warden_status warden_number_activate(warden_registry *r, const char *number, const char *account, const char *landing,
                                     warden_buf *refusals) {
  warden_txn t = {0};
  number_row row;
  account_info acc;
  warden_buf why;
  int nwhy = 0;
  char landing_digits[16] = "", today_s[11];
  int32_t today = warden_today();
  warden_status st;
  warden_buf_init(&why, 1 << 16);
  warden_date_format(today, today_s);
  if (!account || !*account) {
    st = warden_registry_fail(r, WARDEN_ERR_USAGE, "activation needs the customer's account");
    goto done;
  }
  if ((st = move_begin(r, number, MV_ACTIVATE, &t, &row))) goto done;
  bool service = row.k == WARDEN_NUMBER_400 || row.k == WARDEN_NUMBER_800;
  if (!service && landing && *landing) {
    st = warden_registry_fail(r, WARDEN_ERR_USAGE,
                              "%s is %s: fixed lines and mobiles are activated with a customer only, no landing",
                              row.number, kind_phrase(row.kind));
    goto done;
  }
  if ((st = account_load(r, account, &acc))) goto done;
  if (!acc.found) {
    refuse(&why, &nwhy, "account %s not found (NUM-NORESALE)", account);
    st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "cannot activate %s: account %s not found", row.number, account);
    goto done;
  }
  /* every precondition is checked, and every failing one named */
  if (strcmp(acc.role, "customer"))
    refuse(&why, &nwhy,
           "account %s is %s %s, not a customer: numbers are held by the customer who uses them, never by a "
           "reseller (NUM-NORESALE)",
           account, a_or_an(acc.role), acc.role);
  if (row.account[0] && strcmp(row.account, account))
    refuse(&why, &nwhy,
           "%s is reserved for %s, not %s: a number does not pass from one customer to another (NUM-NORESALE)",
           row.number, row.account, account);
  if (service && strcmp(acc.party_kind, "organisation"))
    refuse(&why, &nwhy, "party %s of account %s is %s %s: %s is applied for in an organisation's name (KYC-LANDING)",
           acc.party, account, a_or_an(acc.party_kind), acc.party_kind, kind_phrase(row.kind));
  /* the account may activate numbers now: not closed, not suspended for arrears, not frozen by an
   * inspection (CH-INSPECT, CT-ARREARS) */
  bool may = false;
  char pwhy[300] = "";
  if ((st = warden_channel_allowed(r, account, WARDEN_PERM_NUMBER_ACTIVATION, &may, pwhy, sizeof pwhy))) goto done;
  if (!may) refuse(&why, &nwhy, "account %s may not activate numbers: %s", account, pwhy);
  int grade = 0;
  char kwhy[400] = "";
  if ((st = warden_registry_customer_kyc(r, account, today, &grade, kwhy, sizeof kwhy))) goto done;
  if (grade == 1)
    refuse(&why, &nwhy, "documents of %s can only be checked by eye on %s%s%s: not in order yet (%s)", account, today_s,
           kwhy[0] ? ": " : "", kwhy, service ? "KYC-400-DOCS" : "KYC-FORGED");
  else if (grade < 1)
    refuse(&why, &nwhy, "documents of %s are not in order on %s: %s (%s)", account, today_s,
           kwhy[0] ? kwhy : "no acceptable document", service ? "KYC-400-DOCS" : "KYC-FORGED");
  if (service) {
    if (!acc.parent[0])
      refuse(&why, &nwhy, "account %s has no parent: it is not linked to an agent (CH-LINK-CUST)", account);
    else if (strcmp(acc.parent_role, "agent"))
      refuse(&why, &nwhy, "account %s is not linked to an agent: its parent %s is %s %s (CH-LINK-CUST)", account,
             acc.parent, a_or_an(acc.parent_role), acc.parent_role);
    if ((st = check_landing(r, landing, &acc, row.kind, landing_digits, &why, &nwhy))) goto done;
  }
  if (nwhy) {
    char msg[512];
    size_t used = (size_t)snprintf(msg, sizeof msg, "cannot activate %s for %s: ", row.number, account);
    const char *s = warden_buf_str(&why);
    for (int i = 0; i < nwhy && used + 1 < sizeof msg; i++) {
      const char *nl = strchr(s, '\n');
      size_t len = nl ? (size_t)(nl - s) : strlen(s);
      int w = snprintf(msg + used, sizeof msg - used, "%s%.*s", i ? "; " : "", (int)len, s);
      if (w < 0) break;
      used += (size_t)w;
      s = nl ? nl + 1 : s + len;
    }
    st = warden_registry_fail(r, WARDEN_ERR_STATE, "%s", msg);
    goto done;
  }
  if ((st = set_state(r, row.number, WARDEN_NUMBER_ACTIVE, warden_now(), account, service ? landing_digits : NULL, 0,
                      false)))
    goto done;
  if (service)
    st = warden_audit_appendf(r, "number.activate", row.number,
               "from=reserved to=active customer=%s party=%s agent=%s landing=%s documents=in order on %s "
               "(KYC-LANDING, KYC-400-DOCS, CH-LINK-CUST, NUM-NORESALE)",
               account, acc.party, acc.parent, landing_digits, today_s);
  else
    st = warden_audit_appendf(r, "number.activate", row.number,
               "from=reserved to=active customer=%s party=%s documents=in order on %s (KYC-FORGED, NUM-NORESALE)",
               account, acc.party, today_s);
done:
  if (refusals && why.len) warden_buf_add(refusals, why.data, why.len);
  warden_buf_release(&why);
  return warden_registry_txn_close(r, &t, st);
}

warden_status warden_number_freeze(warden_registry *r, const char *number, const char *note) {
  warden_txn t = {0};
  number_row row;
  warden_status st;
  if ((st = move_begin(r, number, MV_FREEZE, &t, &row))) goto done;
  if ((st = set_state(r, row.number, WARDEN_NUMBER_FROZEN, warden_now(), row.account, row.landing, 0, false)))
    goto done;
  st = warden_audit_appendf(r, "number.freeze", row.number, "from=active to=frozen holder=%s%s%s (NUM-CATALOG)",
             row.account[0] ? row.account : "-", NOTE(note));
done:
  return warden_registry_txn_close(r, &t, st);
}

warden_status warden_number_unfreeze(warden_registry *r, const char *number, const char *note) {
  warden_txn t = {0};
  number_row row;
  warden_status st;
  if ((st = move_begin(r, number, MV_UNFREEZE, &t, &row))) goto done;
  if ((st = set_state(r, row.number, WARDEN_NUMBER_ACTIVE, warden_now(), row.account, row.landing, 0, false)))
    goto done;
  st = warden_audit_appendf(r, "number.unfreeze", row.number, "from=frozen to=active holder=%s%s%s (NUM-CATALOG)",
             row.account[0] ? row.account : "-", NOTE(note));
done:
  return warden_registry_txn_close(r, &t, st);
}

warden_status warden_number_recover(warden_registry *r, const warden_policy *p, const char *number, const char *note) {
  warden_txn t = {0};
  number_row row;
  warden_status st;
  sqlite3_stmt *q = NULL;
  int64_t days = warden_policy_get(p, "numbers", "cooloff"), now = warden_now();
  if (days < 0) return warden_registry_fail(r, WARDEN_ERR_USAGE, "the policy has no [numbers] cooloff");
  int64_t until = now + days * 86400;
  char until_s[11];
  date_of(until, until_s);
  if ((st = move_begin(r, number, MV_RECOVER, &t, &row))) goto done;
  if ((st = set_state(r, row.number, WARDEN_NUMBER_RECOVERED, now, NULL, NULL, until, true))) goto done;
  if (sqlite3_prepare_v2(warden_registry_db(r), "DELETE FROM number_usage WHERE number = ?1", -1, &q, NULL)) {
    st = db_fail(r, "number usage");
    goto done;
  }
  sqlite3_bind_text(q, 1, row.number, -1, SQLITE_STATIC);
  if (sqlite3_step(q) != SQLITE_DONE) {
    st = db_fail(r, "number usage");
    goto done;
  }
  bool had_usage = sqlite3_changes(warden_registry_db(r)) > 0;
  st = warden_audit_appendf(r, "number.recover", row.number,
             "from=%s to=recovered holder=%s landing=%s cooloff=%lld days until=%s%s%s%s (NUM-CATALOG, NUM-NORESALE)",
             row.state, row.account[0] ? row.account : "-", row.landing[0] ? row.landing : "-", (long long)days,
             until_s, had_usage ? " usage=withdrawn" : "", NOTE(note));
done:
  sqlite3_finalize(q);
  return warden_registry_txn_close(r, &t, st);
}

warden_status warden_number_cancel(warden_registry *r, const char *number, const char *note) {
  warden_txn t = {0};
  number_row row;
  warden_status st;
  if ((st = move_begin(r, number, MV_CANCEL, &t, &row))) goto done;
  if ((st = set_state(r, row.number, WARDEN_NUMBER_CANCELLED, warden_now(), NULL, NULL, 0, true))) goto done;
  st = warden_audit_appendf(r, "number.cancel", row.number, "from=%s to=cancelled%s%s%s%s (NUM-CATALOG)", row.state,
             row.account[0] ? " reserved_for=" : "", row.account, NOTE(note));
done:
  return warden_registry_txn_close(r, &t, st);
}

warden_status warden_number_tick(warden_registry *r, int64_t now, long *moved) {
  warden_txn t = {0};
  sqlite3_stmt *q = NULL;
  warden_status st;
  char(*due)[16] = NULL;
  int64_t *ends = NULL;
  size_t n = 0, cap = 0;
  if (moved) *moved = 0;
  if ((st = warden_registry_txn_open(r, &t))) return st;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "SELECT number, cooloff_until FROM number WHERE state = 'recovered'"
                         " AND cooloff_until IS NOT NULL AND cooloff_until <= ?1 ORDER BY number",
                         -1, &q, NULL)) {
    st = db_fail(r, "number tick");
    goto done;
  }
  sqlite3_bind_int64(q, 1, now);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char(*nd)[16] = realloc(due, cap * sizeof *due);
      if (!nd) {
        st = WARDEN_ERR_NOMEM;
        goto done;
      }
      due = nd;
      int64_t *ne = realloc(ends, cap * sizeof *ends);
      if (!ne) {
        st = WARDEN_ERR_NOMEM;
        goto done;
      }
      ends = ne;
    }
    col_copy(q, 0, due[n], sizeof due[n]);
    ends[n++] = sqlite3_column_int64(q, 1);
  }
  if (rc != SQLITE_DONE) {
    st = db_fail(r, "number tick");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    char d[11];
    date_of(ends[i], d);
    if ((st = set_state(r, due[i], WARDEN_NUMBER_AVAILABLE, now, NULL, NULL, 0, true))) goto done;
    if ((st = warden_audit_appendf(r, "number.available", due[i], "from=recovered to=available cooloff ended %s (NUM-CATALOG)", d)))
      goto done;
  }
  if (moved) *moved = (long)n;
done:
  sqlite3_finalize(q);
  free(due);
  free(ends);
  st = warden_registry_txn_close(r, &t, st);
  if (st && moved) *moved = 0;
  return st;
}

/* ---- outbound display (NUM-OUTBOUND) ---- */
warden_status warden_number_outbound(warden_registry *r, const char *number, bool on) {
  warden_txn t = {0};
  number_row row;
  warden_number_id id;
  sqlite3_stmt *q = NULL;
  warden_status st;
  if ((st = resolve(r, number, &id))) return st;
  if ((st = warden_registry_txn_open(r, &t))) return st;
  if ((st = row_load(r, id.digits, &row))) goto done;
  if (on && (row.k == WARDEN_NUMBER_400 || row.k == WARDEN_NUMBER_800)) {
    st = warden_registry_fail(r, WARDEN_ERR_STATE,
                              "cannot display %s on outbound calls: %s is never shown as the calling number; "
                              "outbound display stays off (NUM-OUTBOUND)",
                              row.number, kind_phrase(row.kind));
    goto done;
  }
  if (row.st == WARDEN_NUMBER_CANCELLED) {
    st = warden_registry_fail(r, WARDEN_ERR_STATE, "%s is cancelled; %s", row.number, allowed[WARDEN_NUMBER_CANCELLED]);
    goto done;
  }
  if (row.outbound == on) goto done;
  if (sqlite3_prepare_v2(warden_registry_db(r), "UPDATE number SET outbound_display = ?2 WHERE number = ?1", -1, &q,
                         NULL)) {
    st = db_fail(r, "number outbound");
    goto done;
  }
  sqlite3_bind_text(q, 1, row.number, -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 2, on);
  if (sqlite3_step(q) != SQLITE_DONE) {
    st = db_fail(r, "number outbound");
    goto done;
  }
  st = warden_audit_appendf(r, "number.outbound", row.number, "outbound_display=%s kind=%s (NUM-OUTBOUND)", on ? "on" : "off",
             row.kind);
done:
  sqlite3_finalize(q);
  return warden_registry_txn_close(r, &t, st);
}

/* ---- usage (NUM-USAGE) ---- */
#define MAX_PER_DAY_CAP 1000000

warden_status warden_number_usage(warden_registry *r, const char *number, const char *slots, int64_t max_per_day) {
  warden_txn t = {0};
  number_row row;
  warden_number_id id;
  warden_number_slot sl[WARDEN_NUMBER_MAX_SLOTS];
  size_t n;
  char err[200], canon[WARDEN_NUMBER_MAX_SLOTS * 12 + 1];
  sqlite3_stmt *q = NULL;
  warden_status st;
  if ((st = resolve(r, number, &id))) return st;
  if (warden_number_slots_parse(slots, sl, &n, err, sizeof err))
    return warden_registry_fail(r, WARDEN_ERR_PARSE, "%s: %s (NUM-USAGE)", id.digits, err);
  if (max_per_day < 1 || max_per_day > MAX_PER_DAY_CAP)
    return warden_registry_fail(r, WARDEN_ERR_PARSE,
                                "%s: the daily maximum must be 1 to %d calls, not %lld (NUM-USAGE)", id.digits,
                                MAX_PER_DAY_CAP, (long long)max_per_day);
  warden_number_slots_format(sl, n, canon, sizeof canon);
  if ((st = warden_registry_txn_open(r, &t))) return st;
  if ((st = row_load(r, id.digits, &row))) goto done;
  if (row.st != WARDEN_NUMBER_RESERVED && row.st != WARDEN_NUMBER_ACTIVE && row.st != WARDEN_NUMBER_FROZEN) {
    st = warden_registry_fail(r, WARDEN_ERR_STATE,
                              "%s is %s: only a number someone holds (reserved, active or frozen) has a declared use "
                              "(NUM-USAGE)",
                              row.number, row.state);
    goto done;
  }
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "INSERT INTO number_usage(number, slots, max_per_day, declared) VALUES (?1, ?2, ?3, ?4)"
                         " ON CONFLICT(number) DO UPDATE SET slots = excluded.slots,"
                         " max_per_day = excluded.max_per_day, declared = excluded.declared",
                         -1, &q, NULL)) {
    st = db_fail(r, "number usage");
    goto done;
  }
  sqlite3_bind_text(q, 1, row.number, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, canon, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 3, max_per_day);
  sqlite3_bind_int64(q, 4, warden_now());
  if (sqlite3_step(q) != SQLITE_DONE) {
    st = db_fail(r, "number usage");
    goto done;
  }
  st = warden_audit_appendf(r, "number.usage", row.number, "slots=%s max_per_day=%lld holder=%s timezone=CST (NUM-USAGE)", canon,
             (long long)max_per_day, row.account[0] ? row.account : "-");
done:
  sqlite3_finalize(q);
  return warden_registry_txn_close(r, &t, st);
}

/* ---- views ---- */
#define VIEW_QUERY                                                                                                     \
  "SELECT n.number, n.kind, n.province, n.state, n.grade, n.account_id, a.party_id, n.landing,"                        \
  " u.slots, COALESCE(u.max_per_day, 0), n.state_since, n.annual_fee_fen,"                                             \
  " COALESCE(n.cooloff_until, 0), n.outbound_display"                                                                  \
  " FROM number n LEFT JOIN account a ON a.id = n.account_id"                                                          \
  " LEFT JOIN number_usage u ON u.number = n.number"

static const char *text_col(sqlite3_stmt *q, int i) {
  return (const char *)sqlite3_column_text(q, i);
}

static void view_fill(sqlite3_stmt *q, warden_number_view *v) {
  v->number = text_col(q, 0);
  v->kind = text_col(q, 1);
  v->province = text_col(q, 2);
  v->state = text_col(q, 3);
  v->grade = text_col(q, 4);
  v->account = text_col(q, 5);
  v->party = text_col(q, 6);
  v->landing = text_col(q, 7);
  v->slots = text_col(q, 8);
  v->max_per_day = sqlite3_column_int64(q, 9);
  v->state_since = sqlite3_column_int64(q, 10);
  v->annual_fee_fen = sqlite3_column_int64(q, 11);
  v->cooloff_until = sqlite3_column_int64(q, 12);
  v->outbound_display = sqlite3_column_int(q, 13) != 0;
}

static const char *arena_dup(warden_arena *a, const char *s, bool *oom) {
  if (!s) return NULL;
  const char *d = warden_arena_strndup(a, s, strlen(s));
  if (!d) *oom = true;
  return d;
}

warden_status warden_number_get(warden_registry *r, const char *number, warden_arena *a, warden_number_view *out) {
  warden_number_id id;
  sqlite3_stmt *q = NULL;
  warden_status st;
  memset(out, 0, sizeof *out);
  if ((st = resolve(r, number, &id))) return st;
  if (sqlite3_prepare_v2(warden_registry_db(r), VIEW_QUERY " WHERE n.number = ?1", -1, &q, NULL))
    return db_fail(r, "number");
  sqlite3_bind_text(q, 1, id.digits, -1, SQLITE_STATIC);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    warden_number_view v;
    bool oom = false;
    view_fill(q, &v);
    *out = v;
    out->number = arena_dup(a, v.number, &oom);
    out->kind = arena_dup(a, v.kind, &oom);
    out->province = arena_dup(a, v.province, &oom);
    out->state = arena_dup(a, v.state, &oom);
    out->grade = arena_dup(a, v.grade, &oom);
    out->account = arena_dup(a, v.account, &oom);
    out->party = arena_dup(a, v.party, &oom);
    out->landing = arena_dup(a, v.landing, &oom);
    out->slots = arena_dup(a, v.slots, &oom);
    st = oom ? warden_registry_fail(r, WARDEN_ERR_NOMEM, "out of memory") : WARDEN_OK;
  } else if (rc == SQLITE_DONE) {
    st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "%s is not in the inventory", id.digits);
  } else {
    st = db_fail(r, "number");
  }
  sqlite3_finalize(q);
  return st;
}

warden_status warden_number_list(warden_registry *r, const char *state,
                                 void (*fn)(const warden_number_view *v, void *ctx), void *ctx) {
  sqlite3_stmt *q = NULL;
  if (state && warden_number_state_parse(state) == WARDEN_NUMBER_STATE__COUNT)
    return warden_registry_fail(r, WARDEN_ERR_USAGE,
                                "state '%s' is not available, reserved, active, frozen, recovered or cancelled", state);
  if (sqlite3_prepare_v2(warden_registry_db(r), VIEW_QUERY " WHERE (?1 IS NULL OR n.state = ?1) ORDER BY n.number", -1,
                         &q, NULL))
    return db_fail(r, "number list");
  if (state) sqlite3_bind_text(q, 1, state, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    warden_number_view v;
    view_fill(q, &v);
    fn(&v, ctx);
  }
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? WARDEN_OK : db_fail(r, "number list");
}
