/* auth.c — bearer tokens: created (printed once), listed, revoked, and verified against the registry
 * or the in-memory table; only a keyed hash of each secret is stored (table api_token). */
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"

static const char *const role_names[WARDEN_API_ROLE__COUNT] = {"platform", "distributor", "reseller", "auditor"};

const char *warden_api_role_name(warden_api_role role) {
  return (unsigned)role < WARDEN_API_ROLE__COUNT ? role_names[role] : "?";
}

warden_api_role warden_api_role_parse(const char *name) {
  for (int i = 0; i < WARDEN_API_ROLE__COUNT; i++)
    if (name && !strcmp(name, role_names[i])) return (warden_api_role)i;
  return WARDEN_API_ROLE__COUNT;
}

static bool is_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
  return true;
}

/* The keyed hash of a token's secret, bound to its id. */
static void token_hash(warden_registry *hasher, const char *id, const char *secret, unsigned char out[32]) {
  char key[128], hex[65];
  snprintf(key, sizeof key, "api-token:%s:%s", id, secret);
  warden_registry_match_hex(hasher, key, hex);
  sodium_memzero(key, sizeof key);
  for (int i = 0; i < 32; i++) {
    unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
    unsigned lo = (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10);
    out[i] = (unsigned char)(hi << 4 | lo);
  }
}

static void hex_random(char *out, size_t bytes) {
  unsigned char b[64];
  randombytes_buf(b, bytes);
  sodium_bin2hex(out, bytes * 2 + 1, b, bytes);
  sodium_memzero(b, sizeof b);
}

warden_status warden_api_token_create(warden_registry *r, warden_api_role role, const char *scope, int64_t expires,
                                      const char *note, char token[WARDEN_API_TOKEN_LEN + 1], char id[17]) {
  sqlite3 *db = warden_registry_db(r);
  sqlite3_stmt *s = NULL;
  warden_txn t;
  char secret[65];
  unsigned char h[32];
  if (sodium_init() < 0) return warden_registry_fail(r, WARDEN_ERR_CRYPTO, "libsodium does not initialise");
  if ((unsigned)role >= WARDEN_API_ROLE__COUNT)
    return warden_registry_fail(r, WARDEN_ERR_USAGE, "the role is platform, distributor, reseller or auditor");
  if (scope && !*scope) scope = NULL;
  if ((role == WARDEN_API_DISTRIBUTOR || role == WARDEN_API_RESELLER) && !scope)
    return warden_registry_fail(r, WARDEN_ERR_USAGE, "a %s token needs --scope ACCOUNT", role_names[role]);
  if (role == WARDEN_API_AUDITOR && scope)
    return warden_registry_fail(r, WARDEN_ERR_USAGE, "an auditor's token reads everything: it takes no scope");
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if (scope) {
    if (sqlite3_prepare_v2(db, "SELECT role FROM account WHERE id = ?1", -1, &s, NULL)) goto db;
    sqlite3_bind_text(s, 1, scope, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
      st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "no account %s", scope);
      goto done;
    }
    const char *want = role == WARDEN_API_DISTRIBUTOR ? "distributor" : role == WARDEN_API_RESELLER ? "agent" : "platform";
    const char *have = (const char *)sqlite3_column_text(s, 0);
    if (!have || strcmp(have, want)) {
      st = warden_registry_fail(r, WARDEN_ERR_USAGE, "a %s token's scope must be a %s account; %s is a %s",
                                role_names[role], want, scope, have ? have : "?");
      goto done;
    }
    sqlite3_finalize(s);
    s = NULL;
  }
  hex_random(id, 8);
  hex_random(secret, 32);
  token_hash(r, id, secret, h);
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO api_token(id, hash, role, scope, created, expires, revoked, note)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)",
                         -1, &s, NULL))
    goto db;
  sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_blob(s, 2, h, sizeof h, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, role_names[role], -1, SQLITE_STATIC);
  if (scope) sqlite3_bind_text(s, 4, scope, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 5, warden_now());
  if (expires) sqlite3_bind_int64(s, 6, expires);
  sqlite3_bind_text(s, 7, note ? note : "", -1, SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) goto db;
  st = warden_audit_appendf(r, "token.create", id, "role %s scope %s expires %lld note %s", role_names[role],
                            scope ? scope : "-", (long long)expires, note ? note : "");
  if (!st) snprintf(token, WARDEN_API_TOKEN_LEN + 1, "wdn_%s_%s", id, secret);
  goto done;
db:
  st = warden_registry_fail(r, WARDEN_ERR_DB, "api_token: %s", sqlite3_errmsg(db));
done:
  sodium_memzero(secret, sizeof secret);
  sqlite3_finalize(s);
  return warden_registry_txn_close(r, &t, st);
}

warden_status warden_api_token_list(warden_registry *r, void (*fn)(const warden_api_token_view *v, void *ctx),
                                    void *ctx) {
  sqlite3 *db = warden_registry_db(r);
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(db,
                         "SELECT id, role, scope, note, created, COALESCE(expires, 0), COALESCE(revoked, 0)"
                         " FROM api_token ORDER BY created, id",
                         -1, &s, NULL))
    return warden_registry_fail(r, WARDEN_ERR_DB, "api_token: %s", sqlite3_errmsg(db));
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    warden_api_token_view v = {
        (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
        (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
        sqlite3_column_int64(s, 4),              sqlite3_column_int64(s, 5),
        sqlite3_column_int64(s, 6)};
    if (!v.note) v.note = "";
    fn(&v, ctx);
  }
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? WARDEN_OK : warden_registry_fail(r, WARDEN_ERR_DB, "api_token: %s", sqlite3_errmsg(db));
}

warden_status warden_api_token_revoke(warden_registry *r, const char *id) {
  sqlite3 *db = warden_registry_db(r);
  sqlite3_stmt *s = NULL;
  warden_txn t;
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  if (sqlite3_prepare_v2(db, "SELECT revoked FROM api_token WHERE id = ?1", -1, &s, NULL)) goto db;
  sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_ROW) {
    st = warden_registry_fail(r, WARDEN_ERR_NOT_FOUND, "no token %s", id);
    goto done;
  }
  if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
    st = warden_registry_fail(r, WARDEN_ERR_STATE, "token %s is already revoked", id);
    goto done;
  }
  sqlite3_finalize(s);
  s = NULL;
  if (sqlite3_prepare_v2(db, "UPDATE api_token SET revoked = ?2 WHERE id = ?1", -1, &s, NULL)) goto db;
  sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, warden_now());
  if (sqlite3_step(s) != SQLITE_DONE) goto db;
  st = warden_audit_append(r, "token.revoke", id, "revoked");
  goto done;
db:
  st = warden_registry_fail(r, WARDEN_ERR_DB, "api_token: %s", sqlite3_errmsg(db));
done:
  sqlite3_finalize(s);
  return warden_registry_txn_close(r, &t, st);
}

/* ---- the in-memory table ---- */
static int entry_cmp(const void *x, const void *y) {
  return strcmp(((const api_token_entry *)x)->id, ((const api_token_entry *)y)->id);
}

static bool entry_from_row(sqlite3_stmt *s, api_token_entry *e) {
  const char *id = (const char *)sqlite3_column_text(s, 0);
  if (!id || strlen(id) != 16 || sqlite3_column_bytes(s, 1) != 32) return false;
  memset(e, 0, sizeof *e);
  memcpy(e->id, id, 17);
  memcpy(e->hash, sqlite3_column_blob(s, 1), 32);
  e->role = warden_api_role_parse((const char *)sqlite3_column_text(s, 2));
  snprintf(e->scope, sizeof e->scope, "%s", sqlite3_column_text(s, 3) ? (const char *)sqlite3_column_text(s, 3) : "");
  e->expires = sqlite3_column_int64(s, 4);
  e->revoked = sqlite3_column_int64(s, 5);
  return e->role < WARDEN_API_ROLE__COUNT;
}

#define TOKEN_COLS "id, hash, role, scope, COALESCE(expires, 0), COALESCE(revoked, 0)"

warden_status api_tokens_load(warden_registry *r, api_token_table **out) {
  sqlite3_stmt *s = NULL;
  api_token_table *t = calloc(1, sizeof *t);
  size_t cap = 0;
  *out = NULL;
  if (!t) return WARDEN_ERR_NOMEM;
  if (sqlite3_prepare_v2(warden_registry_db(r), "SELECT " TOKEN_COLS " FROM api_token", -1, &s, NULL)) {
    free(t);
    return warden_registry_fail(r, WARDEN_ERR_DB, "api_token: %s", sqlite3_errmsg(warden_registry_db(r)));
  }
  while (sqlite3_step(s) == SQLITE_ROW) {
    if (t->n == cap) {
      cap = cap ? cap * 2 : 16;
      api_token_entry *v = realloc(t->v, cap * sizeof *v);
      if (!v) {
        sqlite3_finalize(s);
        api_tokens_free(t);
        return WARDEN_ERR_NOMEM;
      }
      t->v = v;
    }
    if (entry_from_row(s, &t->v[t->n])) t->n++;
  }
  sqlite3_finalize(s);
  if (t->n) qsort(t->v, t->n, sizeof *t->v, entry_cmp);
  *out = t;
  return WARDEN_OK;
}

void api_tokens_free(api_token_table *t) {
  if (!t) return;
  if (t->v) sodium_memzero(t->v, t->n * sizeof *t->v);
  free(t->v);
  free(t);
}

bool api_token_verify(warden_registry *r, const api_token_table *t, warden_registry *hasher, const char *token,
                      int64_t now, api_auth *out, char *why, size_t whycap) {
  api_token_entry e;
  bool found = false;
  memset(out, 0, sizeof *out);
  /* wdn_ + 16 + _ + 64 */
  if (strlen(token) != WARDEN_API_TOKEN_LEN || memcmp(token, "wdn_", 4) || token[20] != '_' ||
      !is_hex(token + 4, 16) || !is_hex(token + 21, 64)) {
    snprintf(why, whycap, "the token is malformed");
    return false;
  }
  char id[17];
  memcpy(id, token + 4, 16);
  id[16] = '\0';
  if (r) {
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(warden_registry_db(r), "SELECT " TOKEN_COLS " FROM api_token WHERE id = ?1", -1, &s,
                           NULL) == SQLITE_OK) {
      sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
      if (sqlite3_step(s) == SQLITE_ROW) found = entry_from_row(s, &e);
    }
    sqlite3_finalize(s);
  } else if (t && t->n) {
    api_token_entry key;
    memcpy(key.id, id, 17);
    const api_token_entry *hit = bsearch(&key, t->v, t->n, sizeof *t->v, entry_cmp);
    if (hit) {
      e = *hit;
      found = true;
    }
  }
  unsigned char h[32];
  token_hash(hasher, id, token + 21, h);
  if (!found || sodium_memcmp(h, e.hash, 32) != 0) {
    snprintf(why, whycap, "the token is not known");
    return false;
  }
  if (e.revoked) {
    snprintf(why, whycap, "the token was revoked");
    return false;
  }
  if (e.expires && e.expires <= now) {
    snprintf(why, whycap, "the token has expired");
    return false;
  }
  out->role = e.role;
  memcpy(out->id, e.id, 17);
  snprintf(out->scope, sizeof out->scope, "%s", e.scope);
  out->depth = e.role == WARDEN_API_DISTRIBUTOR ? 2 : e.role == WARDEN_API_RESELLER ? 1 : 0;
  return true;
}
