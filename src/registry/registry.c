/* registry.c — opening, migrating and auditing the SQLite registry. Imports live in import.c,
 * views and reports in views.c; registry_int.h is what they share. */
#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "registry_int.h"

/* Forward migrations: migrations[i] takes the schema from version i to i + 1. Append, never edit. */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE party("
    "  id TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('individual','organisation')),"
    "  name_clear TEXT,"
    "  name_sealed BLOB,"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE account("
    "  id TEXT PRIMARY KEY,"
    "  party_id TEXT NOT NULL REFERENCES party(id),"
    "  role TEXT NOT NULL CHECK (role IN ('platform','distributor','agent','customer')),"
    "  parent_id TEXT REFERENCES account(id),"
    "  state TEXT NOT NULL,"
    "  created INTEGER NOT NULL);"
    "CREATE INDEX account_parent ON account(parent_id);"
    "CREATE INDEX account_party ON account(party_id);"
    "CREATE TABLE document("
    "  id INTEGER PRIMARY KEY,"
    "  party_id TEXT NOT NULL REFERENCES party(id),"
    "  type TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('holder','legal_rep')),"
    "  number_sealed BLOB NOT NULL,"
    "  number_masked TEXT NOT NULL,"
    "  match_hash BLOB,"
    "  expiry INTEGER,"
    "  issued INTEGER,"
    "  verdict TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  message TEXT NOT NULL,"
    "  checked_on INTEGER NOT NULL);"
    "CREATE INDEX document_party ON document(party_id);"
    "CREATE INDEX document_match ON document(match_hash);"
    "CREATE TABLE audit("
    "  seq INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  hash BLOB NOT NULL);",
    /* 1 -> 2: the calendar, the channel's permissions, the number inventory, consent, contracts and
     * money (issue 3). Amounts are integer fen; times UTC seconds; dates warden day counts. */
    "CREATE TABLE calendar_year("
    "  year INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL,"       /* the file it was loaded from */
    "  body TEXT NOT NULL,"         /* the notice as a holidays file (data/holidays/README.md) */
    "  loaded_at INTEGER NOT NULL);"
    "CREATE TABLE permission_freeze("
    "  id INTEGER PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES account(id),"
    "  permission TEXT NOT NULL,"   /* one of channel.h's permissions, or 'all' */
    "  reason TEXT NOT NULL,"       /* rule id and why */
    "  since INTEGER NOT NULL,"
    "  until INTEGER);"             /* NULL while in force */
    "CREATE INDEX permission_freeze_account ON permission_freeze(account_id);"
    "CREATE TABLE dispute("
    "  id INTEGER PRIMARY KEY,"
    "  account_a TEXT NOT NULL REFERENCES account(id),"
    "  account_b TEXT NOT NULL REFERENCES account(id),"
    "  note TEXT NOT NULL,"
    "  opened INTEGER NOT NULL,"
    "  closed INTEGER);"
    "CREATE TABLE relink_offer("      /* CH-EXIT: a customer of a reseller that left */
    "  customer_id TEXT PRIMARY KEY REFERENCES account(id),"
    "  from_reseller TEXT NOT NULL REFERENCES account(id),"
    "  offered INTEGER NOT NULL,"
    "  answered INTEGER,"
    "  accepted INTEGER,"
    "  to_reseller TEXT REFERENCES account(id));"
    "CREATE TABLE liability("         /* CH-EXIT, CH-UNLINK-CUST: who stays liable for what */
    "  id INTEGER PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES account(id),"
    "  for_account TEXT NOT NULL REFERENCES account(id),"
    "  rule TEXT NOT NULL,"
    "  until INTEGER NOT NULL,"       /* liable for orders placed before this instant */
    "  note TEXT NOT NULL);"
    "CREATE TABLE number("
    "  number TEXT PRIMARY KEY,"      /* national digits: 400/800 numbers, fixed lines, mobiles */
    "  kind TEXT NOT NULL CHECK (kind IN ('400','800','fixed','mobile')),"
    "  province TEXT NOT NULL,"       /* 2-digit GB/T 2260 province code */
    "  state TEXT NOT NULL CHECK (state IN ('available','reserved','active','frozen','recovered','cancelled')),"
    "  state_since INTEGER NOT NULL,"
    "  account_id TEXT REFERENCES account(id),"  /* the customer holding it */
    "  grade TEXT NOT NULL,"
    "  annual_fee_fen INTEGER NOT NULL,"
    "  outbound_display INTEGER NOT NULL DEFAULT 0,"  /* NUM-OUTBOUND: off by default */
    "  landing TEXT,"                 /* KYC-LANDING: the destination number of a 400/800 number */
    "  cooloff_until INTEGER);"
    "CREATE INDEX number_account ON number(account_id);"
    "CREATE INDEX number_state ON number(state);"
    "CREATE TABLE number_usage("     /* NUM-USAGE: declared time slots and daily maximum */
    "  number TEXT PRIMARY KEY REFERENCES number(number),"
    "  slots TEXT NOT NULL,"          /* 'HH:MM-HH:MM,...' China Standard Time */
    "  max_per_day INTEGER NOT NULL,"
    "  declared INTEGER NOT NULL);"
    "CREATE TABLE consent("          /* PD-CONSENT */
    "  id INTEGER PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES account(id),"
    "  callee TEXT NOT NULL,"          /* keyed hash (hex) of the callee's number, for lookups */
    "  callee_sealed BLOB NOT NULL,"   /* the number itself, sealed (personal data) */
    "  callee_masked TEXT NOT NULL,"   /* for display: 1380****000 */
    "  provider TEXT NOT NULL, kind TEXT NOT NULL, frequency TEXT NOT NULL, duration TEXT NOT NULL,"
    "  granted INTEGER NOT NULL,"
    "  revoked INTEGER);"
    "CREATE INDEX consent_lookup ON consent(account_id, callee);"
    "CREATE TABLE contract("
    "  id TEXT PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES account(id),"
    "  start_date INTEGER NOT NULL,"  /* day counts, CST: the first term's first day */
    "  term_start INTEGER NOT NULL,"  /* the current term's first day */
    "  end_date INTEGER NOT NULL,"    /* the current term's last day */
    "  annual_fee_fen INTEGER NOT NULL,"
    "  auto_renew INTEGER NOT NULL DEFAULT 1,"
    "  notice_date INTEGER,"          /* when written notice not to renew was given */
    "  state TEXT NOT NULL CHECK (state IN ('active','ended','terminated')),"
    "  renewals INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE deposit("
    "  id INTEGER PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES account(id),"
    "  contract_id TEXT REFERENCES contract(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('equipment','margin')),"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  state TEXT NOT NULL CHECK (state IN ('held','refunded','forfeited')),"
    "  held_at INTEGER NOT NULL,"
    "  settled_at INTEGER,"
    "  note TEXT NOT NULL);"
    "CREATE TABLE ledger("           /* append-only: amount > 0 the account owes, < 0 it paid or is owed */
    "  id INTEGER PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES account(id),"
    "  at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('fee','fine','late_fee','deposit','payment','refund','waiver')),"
    "  amount_fen INTEGER NOT NULL,"
    "  due INTEGER,"                  /* day count the debit falls due */
    "  ref TEXT NOT NULL,"            /* contract, number, case, deposit it belongs to */
    "  balance_after INTEGER NOT NULL);"
    "CREATE INDEX ledger_account ON ledger(account_id, id);"
    "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
    "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
    "CREATE TABLE account_balance("
    "  account_id TEXT PRIMARY KEY REFERENCES account(id),"
    "  balance_fen INTEGER NOT NULL);"
    "CREATE TABLE arrears("           /* CT-ARREARS: dunning state per account */
    "  account_id TEXT PRIMARY KEY REFERENCES account(id),"
    "  overdue_since INTEGER NOT NULL,"   /* day count */
    "  late_fee_through INTEGER,"         /* last day a late fee was charged for */
    "  dunned INTEGER NOT NULL DEFAULT 0,"
    "  suspended INTEGER,"
    "  terminated INTEGER);",
    /* 2 -> 3: findings of the call-record rules, kept for enforcement (issue 4) */
    "CREATE TABLE finding("
    "  id INTEGER PRIMARY KEY,"
    "  rule TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  account TEXT,"
    "  first INTEGER NOT NULL,"
    "  last INTEGER NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  samples TEXT NOT NULL,"
    "  evidence TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  found INTEGER NOT NULL);"
    "CREATE INDEX finding_subject ON finding(subject);"
    "CREATE INDEX finding_rule ON finding(rule, first);",
    /* 3 -> 4: enforcement (issue 6): hosted resources and facilities, complaints and reports, cases
     * with their timeline and evidence, outages; and the HTTP API's tokens (issue 7). */
    "CREATE TABLE facility("          /* a machine room, or an IP range shut as one (EN-COLLATERAL) */
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('open','shut')),"
    "  state_since INTEGER NOT NULL);"
    "CREATE TABLE resource("          /* a hosted server, IP or domain (NUM-FILING, EN-ILLEGAL-HOST) */
    "  id TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('server','ip','domain')),"
    "  account_id TEXT NOT NULL REFERENCES account(id),"
    "  facility_id TEXT REFERENCES facility(id),"
    "  ip TEXT,"
    "  domain TEXT,"
    "  state TEXT NOT NULL CHECK (state IN ('active','shut','removed')),"
    "  state_since INTEGER NOT NULL);"
    "CREATE INDEX resource_account ON resource(account_id);"
    "CREATE INDEX resource_facility ON resource(facility_id);"
    "CREATE INDEX resource_ip ON resource(ip);"
    "CREATE INDEX resource_domain ON resource(domain);"
    "CREATE TABLE complaint("         /* TR-SIGNALS, TR-COMPLAINT: one imported report */
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL,"         /* 12321 | 10000 | 10086 | regulator | dialtest | signalling */
    "  at INTEGER NOT NULL,"
    "  target TEXT NOT NULL,"         /* as written: a number, domain, URL or IP */
    "  target_kind TEXT NOT NULL CHECK (target_kind IN ('number','domain','url','ip')),"
    "  category TEXT NOT NULL CHECK (category IN ('fraud','harassment','service','content')),"
    "  text TEXT NOT NULL,"
    "  number TEXT,"                  /* what it was matched to; all NULL: unmatched */
    "  resource_id TEXT,"
    "  account_id TEXT,"
    "  agent_id TEXT,"
    "  file TEXT NOT NULL, line INTEGER NOT NULL, imported INTEGER NOT NULL);"
    "CREATE INDEX complaint_number ON complaint(number);"
    "CREATE INDEX complaint_account ON complaint(account_id);"
    "CREATE TABLE enf_case("          /* a case: src/enforce/enforce.h draws its state machines */
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"           /* EN-* or ASSOC-LIABLE */
    "  rules TEXT NOT NULL,"          /* the rule ids that opened it, comma-separated */
    "  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('number','customer','agent','resource','facility','account')),"
    "  subject TEXT NOT NULL,"
    "  account_id TEXT,"              /* the account answering for it */
    "  agent_id TEXT,"                /* the agent over that account (fines fall on it) */
    "  owner TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  grade INTEGER NOT NULL DEFAULT 0," /* EN-SECURITY's measure; EN-ILLEGAL-HOST's warnings */
    "  opened INTEGER NOT NULL,"
    "  closed INTEGER,"
    "  outcome TEXT,"
    "  deadline INTEGER,"             /* the next deadline, UTC seconds; NULL: none */
    "  deadline_what TEXT,"
    "  overdue_noted INTEGER NOT NULL DEFAULT 0,"
    "  fine_fen INTEGER NOT NULL DEFAULT 0,"
    "  parent_case INTEGER REFERENCES enf_case(id),"
    "  note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX enf_case_open ON enf_case(kind, subject, closed);"
    "CREATE INDEX enf_case_state ON enf_case(state);"
    "CREATE INDEX enf_case_agent ON enf_case(agent_id);"
    "CREATE INDEX enf_case_deadline ON enf_case(deadline);"
    "CREATE TABLE case_event("        /* the timeline; never updated */
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES enf_case(id),"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"           /* opened | state | action | evidence | deadline | overdue | note */
    "  state TEXT NOT NULL,"          /* the case's state after it */
    "  detail TEXT NOT NULL);"
    "CREATE INDEX case_event_case ON case_event(case_id, id);"
    "CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;"
    "CREATE TRIGGER case_event_no_delete BEFORE DELETE ON case_event BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;"
    "CREATE TABLE case_evidence("
    "  case_id INTEGER NOT NULL REFERENCES enf_case(id),"
    "  kind TEXT NOT NULL,"           /* finding | complaint | kyc | link | channel | manual */
    "  ref TEXT NOT NULL,"            /* finding id, complaint id, document, the associated account ... */
    "  detail TEXT NOT NULL,"
    "  added INTEGER NOT NULL,"
    "  PRIMARY KEY (kind, ref, case_id));"
    "CREATE INDEX case_evidence_case ON case_evidence(case_id);"
    "CREATE TABLE outage("            /* EN-COLLATERAL: an innocent customer's outage and compensation */
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES enf_case(id),"
    "  account_id TEXT NOT NULL REFERENCES account(id),"
    "  resource_id TEXT NOT NULL REFERENCES resource(id),"
    "  start INTEGER NOT NULL,"
    "  ended INTEGER,"
    "  compensation_fen INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT NOT NULL);"
    "CREATE TABLE api_token("         /* warden serve's bearer tokens, kept hashed */
    "  id TEXT PRIMARY KEY,"          /* the public half of the token */
    "  hash BLOB NOT NULL,"           /* keyed BLAKE2b of the secret half */
    "  role TEXT NOT NULL CHECK (role IN ('platform','distributor','reseller','auditor')),"
    "  scope TEXT REFERENCES account(id),"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER,"
    "  revoked INTEGER,"
    "  note TEXT NOT NULL DEFAULT '');",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

warden_status registry_fail(warden_registry *r, warden_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err, sizeof r->err, fmt, ap);
  va_end(ap);
  return st;
}

warden_status registry_db_fail(warden_registry *r, const char *what) {
  return registry_fail(r, WARDEN_ERR_DB, "%s: %s", what, sqlite3_errmsg(r->db));
}

warden_status registry_exec(warden_registry *r, const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(r->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    registry_fail(r, WARDEN_ERR_DB, "%s", msg ? msg : sqlite3_errmsg(r->db));
    sqlite3_free(msg);
    return WARDEN_ERR_DB;
  }
  return WARDEN_OK;
}

struct sqlite3 *warden_registry_db(warden_registry *r) { return r->db; }

warden_status warden_registry_begin(warden_registry *r) { return registry_exec(r, "BEGIN IMMEDIATE"); }

warden_status warden_registry_commit(warden_registry *r) { return registry_exec(r, "COMMIT"); }

void warden_registry_rollback(warden_registry *r) {
  if (!sqlite3_get_autocommit(r->db)) sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
}

warden_status warden_registry_txn_open(warden_registry *r, warden_txn *t) {
  warden_status st;
  t->own = sqlite3_get_autocommit(r->db) != 0;
  if (t->own) st = warden_registry_begin(r);
  else st = registry_exec(r, "SAVEPOINT warden_txn");
  t->open = st == WARDEN_OK;
  return st;
}

warden_status warden_registry_txn_close(warden_registry *r, warden_txn *t, warden_status st) {
  if (!t->open) return st;
  t->open = false;
  if (t->own) {
    if (!st) st = warden_registry_commit(r);
    if (st) warden_registry_rollback(r);
    return st;
  }
  if (st) sqlite3_exec(r->db, "ROLLBACK TO warden_txn", NULL, NULL, NULL);
  warden_status rs = registry_exec(r, "RELEASE warden_txn");
  return st ? st : rs;
}

warden_status warden_registry_fail(warden_registry *r, warden_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err, sizeof r->err, fmt, ap);
  va_end(ap);
  return st;
}

void warden_registry_match_hex(warden_registry *r, const char *key, char out[65]) {
  unsigned char h[WARDEN_HASH_BYTES];
  warden_seal_match_hash(&r->keys, key, h);
  warden_hex(h, sizeof h, out);
}

size_t warden_registry_seal_text(warden_registry *r, const char *text, unsigned char *blob, size_t cap) {
  size_t n = strlen(text);
  if (n + WARDEN_SEAL_OVERHEAD > cap || warden_seal(&r->keys, text, n, blob)) return 0;
  return n + WARDEN_SEAL_OVERHEAD;
}

const char *warden_registry_errmsg(const warden_registry *r) { return r ? r->err : "no registry"; }

int warden_registry_schema_version(warden_registry *r) {
  sqlite3_stmt *st;
  int v = -1;
  if (sqlite3_prepare_v2(r->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

static warden_status migrate(warden_registry *r) {
  int v = warden_registry_schema_version(r);
  if (v < 0) return registry_db_fail(r, "reading the schema version");
  if (v > NMIGRATIONS)
    return registry_fail(r, WARDEN_ERR_STATE, "database schema %d is newer than this warden (%d)", v,
                         NMIGRATIONS);
  for (; v < NMIGRATIONS; v++) {
    char sql[64];
    warden_status st = registry_exec(r, "BEGIN IMMEDIATE");
    if (st) return st;
    if ((st = registry_exec(r, migrations[v]))) goto fail;
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
    if ((st = registry_exec(r, sql))) goto fail;
    if ((st = registry_exec(r, "COMMIT"))) goto fail;
    continue;
  fail:
    sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
  }
  return WARDEN_OK;
}

static void make_parent_dir(const char *path) {
  char dir[512];
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path || (size_t)(slash - path) >= sizeof dir) return;
  memcpy(dir, path, (size_t)(slash - path));
  dir[slash - path] = '\0';
  for (char *p = dir + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    mkdir(dir, 0700);
    *p = '/';
  }
  mkdir(dir, 0700);
}

warden_status warden_registry_open(const char *path, warden_registry **out, char *err, size_t errcap) {
  warden_status st = WARDEN_OK;
  char keypath[512];
  *out = NULL;
  warden_registry *r = calloc(1, sizeof *r);
  if (!r) {
    snprintf(err, errcap, "out of memory");
    return WARDEN_ERR_NOMEM;
  }
  make_parent_dir(path);
  if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    st = registry_fail(r, WARDEN_ERR_DB, "%s: cannot open database: %s", path,
                       r->db ? sqlite3_errmsg(r->db) : "out of memory");
    goto fail;
  }
  sqlite3_busy_timeout(r->db, 5000);
  if ((st = registry_exec(r, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                             "PRAGMA synchronous = NORMAL;")))
    goto fail;
  if ((st = migrate(r))) goto fail;
  warden_seal_key_path(path, keypath, sizeof keypath);
  if ((st = warden_seal_keys_load(&r->keys, keypath, r->err, sizeof r->err))) goto fail;
  const char *actor = getenv("WARDEN_ACTOR");
  if (!actor || !*actor) actor = getenv("USER");
  warden_registry_set_actor(r, actor && *actor ? actor : "unknown");
  *out = r;
  return WARDEN_OK;
fail:
  snprintf(err, errcap, "%s", r->err);
  warden_registry_close(r);
  return st;
}

void warden_registry_close(warden_registry *r) {
  if (!r) return;
  sqlite3_close_v2(r->db);
  warden_seal_keys_wipe(&r->keys);
  free(r->actor);
  free(r);
}

const char *warden_registry_actor(const warden_registry *r) { return r->actor ? r->actor : "unknown"; }

void warden_registry_set_actor(warden_registry *r, const char *actor) {
  char *a = strdup(actor);
  if (!a) return;
  free(r->actor);
  r->actor = a;
}

/* ---- audit ---- */
static void audit_hash(warden_registry *r, const unsigned char prev[WARDEN_HASH_BYTES], int64_t seq,
                       int64_t at, const char *actor, const char *action, const char *subject,
                       const char *detail, unsigned char out[WARDEN_HASH_BYTES]) {
  char sseq[24], sat[24];
  snprintf(sseq, sizeof sseq, "%lld", (long long)seq);
  snprintf(sat, sizeof sat, "%lld", (long long)at);
  const char *parts[] = {sseq, sat, actor, action, subject, detail};
  warden_seal_chain(&r->keys, prev, parts, 6, out);
}

warden_status warden_audit_append(warden_registry *r, const char *action, const char *subject,
                                  const char *detail) {
  sqlite3_stmt *q = NULL;
  unsigned char prev[WARDEN_HASH_BYTES] = {0}, h[WARDEN_HASH_BYTES];
  int64_t seq = 1, at = warden_now();
  warden_status st = WARDEN_OK;
  if (sqlite3_prepare_v2(r->db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1, &q, NULL))
    return registry_db_fail(r, "audit");
  if (sqlite3_step(q) == SQLITE_ROW) {
    seq = sqlite3_column_int64(q, 0) + 1;
    if (sqlite3_column_bytes(q, 1) == WARDEN_HASH_BYTES)
      memcpy(prev, sqlite3_column_blob(q, 1), WARDEN_HASH_BYTES);
  }
  sqlite3_finalize(q);
  audit_hash(r, prev, seq, at, r->actor, action, subject, detail, h);
  if (sqlite3_prepare_v2(r->db,
                         "INSERT INTO audit(seq, at, actor, action, subject, detail, hash) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         -1, &q, NULL))
    return registry_db_fail(r, "audit");
  sqlite3_bind_int64(q, 1, seq);
  sqlite3_bind_int64(q, 2, at);
  sqlite3_bind_text(q, 3, r->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 5, subject, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 6, detail, -1, SQLITE_STATIC);
  sqlite3_bind_blob(q, 7, h, sizeof h, SQLITE_STATIC);
  if (sqlite3_step(q) != SQLITE_DONE) st = registry_db_fail(r, "audit append");
  sqlite3_finalize(q);
  return st;
}

warden_status warden_audit_appendf(warden_registry *r, const char *action, const char *subject, const char *fmt, ...) {
  warden_buf detail;
  va_list ap;
  warden_buf_init(&detail, 64 * 1024);
  va_start(ap, fmt);
  warden_status st = warden_buf_vaddf(&detail, fmt, ap);
  va_end(ap);
  if (!st) st = warden_audit_append(r, action, subject, warden_buf_str(&detail));
  warden_buf_release(&detail);
  return st;
}

static const char *col_text(sqlite3_stmt *q, int i) {
  const unsigned char *t = sqlite3_column_text(q, i);
  return t ? (const char *)t : "";
}

warden_status warden_audit_verify(warden_registry *r, warden_audit_check *out) {
  sqlite3_stmt *q = NULL;
  unsigned char prev[WARDEN_HASH_BYTES] = {0}, h[WARDEN_HASH_BYTES];
  int64_t expect = 1;
  memset(out, 0, sizeof out[0]);
  warden_hex(prev, sizeof prev, out->head);
  if (sqlite3_prepare_v2(r->db, "SELECT seq, at, actor, action, subject, detail, hash FROM audit ORDER BY seq",
                         -1, &q, NULL))
    return registry_db_fail(r, "audit verify");
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    int64_t seq = sqlite3_column_int64(q, 0);
    out->entries++;
    if (seq != expect) {
      out->first_bad = expect;
      snprintf(out->reason, sizeof out->reason, "entry %lld is missing (next present is %lld)",
               (long long)expect, (long long)seq);
      break;
    }
    audit_hash(r, prev, seq, sqlite3_column_int64(q, 1), col_text(q, 2), col_text(q, 3), col_text(q, 4),
               col_text(q, 5), h);
    if (sqlite3_column_bytes(q, 6) != WARDEN_HASH_BYTES ||
        memcmp(h, sqlite3_column_blob(q, 6), WARDEN_HASH_BYTES) != 0) {
      out->first_bad = seq;
      snprintf(out->reason, sizeof out->reason,
               "entry %lld does not match its hash: it, or an entry before it, was altered", (long long)seq);
      break;
    }
    memcpy(prev, h, sizeof h);
    warden_hex(prev, sizeof prev, out->head);
    expect++;
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return registry_db_fail(r, "audit verify");
  return WARDEN_OK;
}

warden_status warden_audit_list(warden_registry *r, int64_t limit, const char *subject,
                                void (*fn)(const warden_audit_entry *e, void *ctx), void *ctx) {
  sqlite3_stmt *q = NULL;
  const char *sql =
      "SELECT seq, at, actor, action, subject, detail FROM ("
      " SELECT * FROM audit WHERE (?1 IS NULL OR subject = ?1) ORDER BY seq DESC LIMIT ?2"
      ") ORDER BY seq";
  if (sqlite3_prepare_v2(r->db, sql, -1, &q, NULL)) return registry_db_fail(r, "audit list");
  if (subject) sqlite3_bind_text(q, 1, subject, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, limit > 0 ? limit : -1);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    warden_audit_entry e = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), col_text(q, 2),
                            col_text(q, 3), col_text(q, 4), col_text(q, 5)};
    fn(&e, ctx);
  }
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? WARDEN_OK : registry_db_fail(r, "audit list");
}
