/* consent.c — marketing consent (PD-CONSENT): before marketing to a callee the account tells them the
 * provider, the kind, frequency and duration of the messages and gets explicit consent; refusal or no
 * reply is no consent. Rows in the consent table are never deleted: a revocation sets `revoked`,
 * so the answer "was there consent at that instant" stays possible for past calls. */
#include <sqlite3.h>
#include <stdarg.h>
#include <string.h>

#include "numbers.h"

#define DISCLOSURE_MAX 200

static warden_status db_fail(warden_registry *r, const char *what) {
  return warden_registry_fail(r, WARDEN_ERR_DB, "%s: %s", what, sqlite3_errmsg(warden_registry_db(r)));
}

/* The callee in national digits: a mobile or a fixed line (PD-CONSENT is about people reached). */
static warden_status callee_parse(warden_registry *r, const char *text, warden_number_id *id) {
  char err[200];
  if (warden_number_parse(text, id, err, sizeof err))
    return warden_registry_fail(r, WARDEN_ERR_PARSE, "callee: %s", err);
  if (id->kind != WARDEN_NUMBER_MOBILE && id->kind != WARDEN_NUMBER_FIXED)
    return warden_registry_fail(r, WARDEN_ERR_PARSE,
                                "callee %s is a %s number: consent is a mobile's or a fixed line's", id->digits,
                                warden_number_kind_name(id->kind));
  return WARDEN_OK;
}

static warden_status account_check(warden_registry *r, const char *account) {
  sqlite3_stmt *q = NULL;
  if (!account || !*account) return warden_registry_fail(r, WARDEN_ERR_USAGE, "no account given");
  if (sqlite3_prepare_v2(warden_registry_db(r), "SELECT 1 FROM account WHERE id = ?1", -1, &q, NULL))
    return db_fail(r, "account");
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc == SQLITE_ROW) return WARDEN_OK;
  if (rc == SQLITE_DONE) return warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "account %s not found", account);
  return db_fail(r, "account");
}

/* The callee is personal data: the table keeps its keyed hash for lookups, a sealed copy and a masked
 * form, never the number in clear. */
static void callee_key(warden_registry *r, const char *digits, char hex[65]) {
  char key[48];
  snprintf(key, sizeof key, "phone:%s", digits);
  warden_registry_match_hex(r, key, hex);
}

/* Revokes whatever is in force for (account, callee) at now; *id_out the revoked row or 0. */
static warden_status revoke_current(warden_registry *r, const char *account, const char *callee, int64_t now,
                                    int64_t *id_out) {
  sqlite3_stmt *q = NULL;
  warden_status st = WARDEN_OK;
  *id_out = 0;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "UPDATE consent SET revoked = ?3 WHERE account_id = ?1 AND callee = ?2 AND revoked IS NULL"
                         " RETURNING id",
                         -1, &q, NULL))
    return db_fail(r, "consent");
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, callee, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 3, now);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW)
    *id_out = sqlite3_column_int64(q, 0);
  if (rc != SQLITE_DONE) st = db_fail(r, "consent");
  sqlite3_finalize(q);
  return st;
}

warden_status warden_consent_grant(warden_registry *r, const warden_consent_terms *t) {
  warden_number_id id;
  warden_txn tx = {0};
  sqlite3_stmt *q = NULL;
  warden_status st;
  char masked[32], detail[1200];
  int64_t now = warden_now(), old = 0;
  const struct {
    const char *name, *value;
  } disc[] = {{"provider", t->provider}, {"kind", t->kind}, {"frequency", t->frequency}, {"duration", t->duration}};
  for (size_t i = 0; i < 4; i++) {
    size_t n = disc[i].value ? strlen(disc[i].value) : 0;
    if (!n)
      return warden_registry_fail(r, WARDEN_ERR_USAGE,
                                  "the %s was not disclosed: consent needs the provider, kind, frequency and duration "
                                  "told to the callee (PD-CONSENT)",
                                  disc[i].name);
    if (n > DISCLOSURE_MAX || !warden_utf8_valid(disc[i].value, n))
      return warden_registry_fail(r, WARDEN_ERR_USAGE, "the %s must be 1-%d bytes of UTF-8 text", disc[i].name,
                                  DISCLOSURE_MAX);
  }
  if ((st = callee_parse(r, t->callee, &id))) return st;
  if ((st = account_check(r, t->account))) return st;
  warden_mask(id.digits, masked, sizeof masked);
  if ((st = warden_registry_txn_open(r, &tx))) return st;
  char hex[65];
  unsigned char sealed[64];
  callee_key(r, id.digits, hex);
  size_t sealed_len = warden_registry_seal_text(r, id.digits, sealed, sizeof sealed);
  if (!sealed_len) {
    st = warden_registry_fail(r, WARDEN_ERR_CRYPTO, "cannot seal the callee");
    goto done;
  }
  if ((st = revoke_current(r, t->account, hex, now, &old))) goto done;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "INSERT INTO consent(account_id, callee, callee_sealed, callee_masked, provider, kind, frequency,"
                         " duration, granted) VALUES (?1, ?2, ?8, ?9, ?3, ?4, ?5, ?6, ?7)",
                         -1, &q, NULL)) {
    st = db_fail(r, "consent");
    goto done;
  }
  sqlite3_bind_text(q, 1, t->account, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, hex, -1, SQLITE_STATIC);
  sqlite3_bind_blob(q, 8, sealed, (int)sealed_len, SQLITE_STATIC);
  sqlite3_bind_text(q, 9, masked, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, t->provider, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 4, t->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 5, t->frequency, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 6, t->duration, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 7, now);
  if (sqlite3_step(q) != SQLITE_DONE) {
    st = db_fail(r, "consent");
    goto done;
  }
  int64_t cid = sqlite3_last_insert_rowid(warden_registry_db(r));
  char replaces[48] = "";
  if (old) snprintf(replaces, sizeof replaces, " replaces=%lld", (long long)old);
  snprintf(detail, sizeof detail, "consent=%lld callee=%s provider=%s kind=%s frequency=%s duration=%s%s (PD-CONSENT)",
           (long long)cid, masked, t->provider, t->kind, t->frequency, t->duration, replaces);
  st = warden_audit_append(r, "consent.grant", t->account, detail);
done:
  sqlite3_finalize(q);
  return warden_registry_txn_close(r, &tx, st);
}

warden_status warden_consent_revoke(warden_registry *r, const char *account, const char *callee) {
  warden_number_id id;
  warden_txn tx = {0};
  warden_status st;
  char masked[32], detail[200];
  int64_t old = 0;
  if ((st = callee_parse(r, callee, &id))) return st;
  if ((st = account_check(r, account))) return st;
  warden_mask(id.digits, masked, sizeof masked);
  if ((st = warden_registry_txn_open(r, &tx))) return st;
  char hex[65];
  callee_key(r, id.digits, hex);
  if ((st = revoke_current(r, account, hex, warden_now(), &old))) goto done;
  if (!old) {
    st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "no consent of %s for %s is in force (PD-CONSENT)", account,
                              masked);
    goto done;
  }
  snprintf(detail, sizeof detail, "consent=%lld callee=%s (PD-CONSENT)", (long long)old, masked);
  st = warden_audit_append(r, "consent.revoke", account, detail);
done:
  return warden_registry_txn_close(r, &tx, st);
}

#define CONSENT_COLS "id, account_id, callee_masked, provider, kind, frequency, duration, granted, COALESCE(revoked, 0)"

static void consent_fill(sqlite3_stmt *q, warden_consent_view *v) {
  v->id = sqlite3_column_int64(q, 0);
  v->account = (const char *)sqlite3_column_text(q, 1);
  v->callee = (const char *)sqlite3_column_text(q, 2);
  v->provider = (const char *)sqlite3_column_text(q, 3);
  v->kind = (const char *)sqlite3_column_text(q, 4);
  v->frequency = (const char *)sqlite3_column_text(q, 5);
  v->duration = (const char *)sqlite3_column_text(q, 6);
  v->granted = sqlite3_column_int64(q, 7);
  v->revoked = sqlite3_column_int64(q, 8);
}

warden_status warden_consent_get(warden_registry *r, const char *account, const char *callee, int64_t at,
                                 warden_arena *a, warden_consent_view *out) {
  warden_number_id id;
  sqlite3_stmt *q = NULL;
  warden_status st;
  memset(out, 0, sizeof *out);
  if ((st = callee_parse(r, callee, &id))) return st;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "SELECT " CONSENT_COLS " FROM consent WHERE account_id = ?1 AND callee = ?2"
                         " AND granted <= ?3 AND (revoked IS NULL OR revoked > ?3) ORDER BY granted DESC, id DESC"
                         " LIMIT 1",
                         -1, &q, NULL))
    return db_fail(r, "consent");
  char hex[65];
  callee_key(r, id.digits, hex);
  sqlite3_bind_text(q, 1, account ? account : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 3, at);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    warden_consent_view v;
    consent_fill(q, &v);
    *out = v;
    const char **fields[] = {&out->account, &out->callee, &out->provider, &out->kind, &out->frequency, &out->duration};
    st = WARDEN_OK;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
      const char *s = *fields[i] ? *fields[i] : "";
      if (!(*fields[i] = warden_arena_strndup(a, s, strlen(s))))
        st = warden_registry_fail(r, WARDEN_ERR_NOMEM, "out of memory");
    }
  } else if (rc == SQLITE_DONE) {
    char masked[32];
    warden_mask(id.digits, masked, sizeof masked);
    st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND,
                              "no consent of %s for %s is in force: refusal or no reply is no consent (PD-CONSENT)",
                              account ? account : "", masked);
  } else {
    st = db_fail(r, "consent");
  }
  sqlite3_finalize(q);
  return st;
}

warden_status warden_consent_in_force(warden_registry *r, const char *account, const char *callee, int64_t at,
                                      bool *yes) {
  warden_arena a;
  warden_consent_view v;
  *yes = false;
  warden_arena_init(&a, 1024);
  warden_status st = warden_consent_get(r, account, callee, at, &a, &v);
  warden_arena_release(&a);
  if (st == WARDEN_OK) *yes = true;
  return st == WARDEN_ERR_NOT_FOUND ? WARDEN_OK : st;
}

warden_status warden_consent_list(warden_registry *r, const char *account,
                                  void (*fn)(const warden_consent_view *v, void *ctx), void *ctx) {
  sqlite3_stmt *q = NULL;
  warden_status st;
  if ((st = account_check(r, account))) return st;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "SELECT " CONSENT_COLS " FROM consent WHERE account_id = ?1 ORDER BY granted, id", -1, &q,
                         NULL))
    return db_fail(r, "consent list");
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    warden_consent_view v;
    consent_fill(q, &v);
    fn(&v, ctx);
  }
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? WARDEN_OK : db_fail(r, "consent list");
}
