/* views.c — reading the registry: one party with its documents and accounts, and the KYC report. */
#include <stdlib.h>
#include <string.h>

#include "registry_int.h"

/* Appends one zeroed element of size bytes to an arena-backed array, growing it by doubling (the old
 * block stays in the arena until it is released). NULL when out of memory. */
static void *arena_push(warden_arena *a, void *arrp, size_t *n, size_t *cap, size_t size) {
  void **arr = arrp;
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    void *grown = warden_arena_alloc(a, nc * size);
    if (!grown) return NULL;
    if (*cap) memcpy(grown, *arr, *cap * size);
    *arr = grown;
    *cap = nc;
  }
  void *e = (char *)*arr + (*n)++ * size;
  memset(e, 0, size);
  return e;
}

static const char *dup_col(warden_arena *a, sqlite3_stmt *q, int i) {
  const unsigned char *t = sqlite3_column_text(q, i);
  if (!t) return NULL;
  return warden_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, i));
}

warden_status warden_registry_party_get(warden_registry *r, const char *id, bool reveal,
                                        const char *reason, warden_arena *a, warden_party_view *out) {
  sqlite3_stmt *q = NULL;
  warden_status st = WARDEN_OK;
  bool in_tx = false;
  memset(out, 0, sizeof *out);
  if (reveal && (!reason || !*reason))
    return registry_fail(r, WARDEN_ERR_USAGE, "revealing personal data needs a reason, which is audited");
  if (reveal) {
    if ((st = registry_exec(r, "BEGIN IMMEDIATE"))) return st;
    in_tx = true;
  }
  if (sqlite3_prepare_v2(r->db, "SELECT id, kind, name_clear, name_sealed FROM party WHERE id = ?1", -1, &q, NULL)) {
    st = registry_db_fail(r, "party");
    goto done;
  }
  sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step(q) != SQLITE_ROW) {
    st = registry_fail(r, WARDEN_ERR_NOT_FOUND, "party %s not found", id);
    goto done;
  }
  out->id = dup_col(a, q, 0);
  out->kind = dup_col(a, q, 1);
  if (sqlite3_column_type(q, 3) == SQLITE_BLOB) {
    int n = sqlite3_column_bytes(q, 3);
    char *clear = warden_arena_alloc(a, (size_t)n + 1);
    if (!clear) { st = WARDEN_ERR_NOMEM; goto done; }
    if ((st = warden_unseal(&r->keys, sqlite3_column_blob(q, 3), (size_t)n, clear))) {
      registry_fail(r, st, "party %s: sealed name fails its integrity check", id);
      goto done;
    }
    if (reveal) out->name = clear;
    else {
      char *m = warden_arena_alloc(a, (size_t)n + 1);
      if (!m) { st = WARDEN_ERR_NOMEM; goto done; }
      warden_mask_name(clear, m, (size_t)n + 1);
      memset(clear, 0, (size_t)n);
      out->name = m;
    }
  } else {
    out->name = dup_col(a, q, 2);
  }
  sqlite3_finalize(q);
  q = NULL;

  if (sqlite3_prepare_v2(r->db,
                         "SELECT id, type, role, number_masked, number_sealed, verdict, reason, message, expiry"
                         " FROM document WHERE party_id = ?1 ORDER BY id", -1, &q, NULL)) {
    st = registry_db_fail(r, "documents");
    goto done;
  }
  sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
  size_t cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    warden_document_view *d = arena_push(a, &out->docs, &out->ndocs, &cap, sizeof *d);
    if (!d) { st = WARDEN_ERR_NOMEM; goto done; }
    d->id = sqlite3_column_int64(q, 0);
    d->type = dup_col(a, q, 1);
    d->role = dup_col(a, q, 2);
    d->masked = dup_col(a, q, 3);
    d->revealed = NULL;
    d->verdict = dup_col(a, q, 5);
    d->reason = dup_col(a, q, 6);
    d->message = dup_col(a, q, 7);
    d->expiry = sqlite3_column_type(q, 8) == SQLITE_NULL ? WARDEN_NO_DATE : sqlite3_column_int(q, 8);
    if (reveal) {
      int n = sqlite3_column_bytes(q, 4);
      char *clear = warden_arena_alloc(a, (size_t)n + 1);
      if (!clear) { st = WARDEN_ERR_NOMEM; goto done; }
      if ((st = warden_unseal(&r->keys, sqlite3_column_blob(q, 4), (size_t)n, clear))) {
        registry_fail(r, st, "document %lld: sealed number fails its integrity check", (long long)d->id);
        goto done;
      }
      d->revealed = clear;
    }
  }
  sqlite3_finalize(q);
  q = NULL;

  if (sqlite3_prepare_v2(r->db, "SELECT id, role, parent_id, state, party_id FROM account WHERE party_id = ?1 ORDER BY id",
                         -1, &q, NULL)) {
    st = registry_db_fail(r, "accounts");
    goto done;
  }
  sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
  cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    warden_account_view *v = arena_push(a, &out->accounts, &out->naccounts, &cap, sizeof *v);
    if (!v) { st = WARDEN_ERR_NOMEM; goto done; }
    v->id = dup_col(a, q, 0);
    v->role = dup_col(a, q, 1);
    v->parent_id = dup_col(a, q, 2);
    v->state = dup_col(a, q, 3);
    v->party_id = dup_col(a, q, 4);
  }
  sqlite3_finalize(q);
  q = NULL;
  if (reveal) {
    char detail[600];
    snprintf(detail, sizeof detail, "documents=%zu name=%s reason=%s", out->ndocs,
             out->kind && out->kind[0] == 'i' ? "yes" : "public", reason);
    if ((st = warden_audit_append(r, "party.reveal", id, detail))) goto done;
    if ((st = registry_exec(r, "COMMIT"))) goto done;
    in_tx = false;
  }
done:
  sqlite3_finalize(q);
  if (in_tx) sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
  return st;
}

/* ---- KYC report ----
 * A customer passes at the deadline when (KYC-FORGED, KYC-400-DOCS):
 *   individual:    one holder document that is valid (or format-only: then "review") and not
 *                  expired by the deadline;
 *   organisation:  a valid licence (uscc, business-licence, institution or social-org; a credit code
 *                  carries the organisation code, so it satisfies the organisation-code certificate
 *                  too since the 2015 "three certificates in one" reform, else an org-code document
 *                  is needed as well) and a legal representative's personal document.
 * format-only documents never fail a customer, but put it on the review list. */
enum { DOC_NONE = 0, DOC_REVIEW = 1, DOC_OK = 2 };

typedef struct cust_state {
  char id[72], party[72], agent[72], kind[16];
  int personal, licence, orgcode, legalrep; /* best DOC_* per slot */
  char last_bad[96];
} cust_state;

static int doc_grade(const char *verdict, sqlite3_stmt *q, int expiry_col, int32_t deadline, bool *expired_late) {
  *expired_late = false;
  if (!strcmp(verdict, "invalid")) return DOC_NONE;
  if (sqlite3_column_type(q, expiry_col) != SQLITE_NULL && sqlite3_column_int(q, expiry_col) < deadline) {
    *expired_late = true;
    return DOC_NONE;
  }
  return !strcmp(verdict, "valid") ? DOC_OK : DOC_REVIEW;
}

/* Columns 4..8 of the customer query: d.type, d.role, d.verdict, d.reason, d.expiry. */
static void cust_add_doc(cust_state *c, sqlite3_stmt *q, int32_t deadline) {
  if (sqlite3_column_type(q, 4) == SQLITE_NULL) return;
  const char *type = (const char *)sqlite3_column_text(q, 4), *role = (const char *)sqlite3_column_text(q, 5);
  bool late;
  int g = doc_grade((const char *)sqlite3_column_text(q, 6), q, 8, deadline, &late);
  if (g == DOC_NONE)
    snprintf(c->last_bad, sizeof c->last_bad, "%s %s", type, late ? "expired by the deadline" : (const char *)sqlite3_column_text(q, 7));
  warden_doc_type t = warden_doc_type_parse(type);
  if (!strcmp(role, "legal_rep")) { if (g > c->legalrep) c->legalrep = g; return; }
  if (!warden_doc_type_is_org(t)) { if (g > c->personal) c->personal = g; return; }
  if (t == WARDEN_DOC_ORG_CODE) { if (g > c->orgcode) c->orgcode = g; return; }
  if (t == WARDEN_DOC_USCC || t == WARDEN_DOC_BUSINESS_LICENCE || t == WARDEN_DOC_INSTITUTION || t == WARDEN_DOC_SOCIAL_ORG) {
    if (g > c->licence) c->licence = g;
    if (g == DOC_OK && g > c->orgcode) c->orgcode = g; /* a credit code carries the org code */
    return;
  }
  if (g > c->licence) c->licence = g == DOC_OK ? DOC_REVIEW : g; /* embassy note, intro letter */
}

/* The customer's grade (DOC_*), and why when it is not DOC_OK. */
static int cust_grade(const cust_state *c, char *why, size_t cap) {
  int grade;
  if (c->kind[0] == 'i') {
    grade = c->personal;
    snprintf(why, cap, "no acceptable personal document%s%s", c->last_bad[0] ? ": " : "", c->last_bad);
  } else {
    grade = c->licence < c->orgcode ? c->licence : c->orgcode;
    if (c->legalrep < grade) grade = c->legalrep;
    snprintf(why, cap, "%s%s%s%s%s", c->licence ? "" : "no valid business licence; ",
             c->orgcode ? "" : "no valid organisation code; ",
             c->legalrep ? "" : "no valid legal representative's id; ", c->last_bad[0] ? "last failure: " : "",
             c->last_bad);
    size_t wl = strlen(why);
    while (wl >= 2 && why[wl - 2] == ';' && why[wl - 1] == ' ') why[wl -= 2] = '\0';
  }
  if (grade == DOC_OK) why[0] = '\0';
  return grade;
}

#define CUSTOMER_QUERY                                                                             \
  "SELECT a.id, a.party_id, COALESCE(a.parent_id, ''), p.kind, d.type, d.role, d.verdict,"         \
  " d.reason, d.expiry FROM account a JOIN party p ON p.id = a.party_id"                           \
  " LEFT JOIN document d ON d.party_id = a.party_id"

warden_status warden_registry_customer_kyc(warden_registry *r, const char *account, int32_t deadline,
                                           int *grade, char *why, size_t whycap) {
  sqlite3_stmt *q = NULL;
  cust_state c;
  bool found = false;
  memset(&c, 0, sizeof c);
  if (sqlite3_prepare_v2(r->db, CUSTOMER_QUERY " WHERE a.id = ?1", -1, &q, NULL)) return registry_db_fail(r, "kyc");
  sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (!found) snprintf(c.kind, sizeof c.kind, "%s", sqlite3_column_text(q, 3));
    found = true;
    cust_add_doc(&c, q, deadline);
  }
  sqlite3_finalize(q);
  if (!found) return registry_fail(r, WARDEN_ERR_NOT_FOUND, "account %s not found", account);
  *grade = cust_grade(&c, why, whycap);
  return WARDEN_OK;
}

static int cmp_agents(const void *a, const void *b) {
  const warden_kyc_agent_row *x = a, *y = b;
  if (x->failing != y->failing) return x->failing > y->failing ? -1 : 1;
  /* then by share of failing customers, then by id */
  double sx = x->customers ? (double)x->failing / (double)x->customers : 0;
  double sy = y->customers ? (double)y->failing / (double)y->customers : 0;
  if (sx != sy) return sx > sy ? -1 : 1;
  return strcmp(x->agent, y->agent);
}

warden_status warden_registry_kyc_report(warden_registry *r, int32_t deadline, warden_arena *a,
                                         warden_kyc_report *out) {
  sqlite3_stmt *q = NULL;
  warden_status st = WARDEN_OK;
  cust_state *cs = NULL;
  size_t ncs = 0, capcs = 0;
  memset(out, 0, sizeof *out);
  out->deadline = deadline;

  /* documents by verdict and reason */
  if (sqlite3_prepare_v2(r->db, "SELECT verdict, reason, expiry FROM document", -1, &q, NULL)) {
    st = registry_db_fail(r, "report");
    goto done;
  }
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *v = (const char *)sqlite3_column_text(q, 0), *why = (const char *)sqlite3_column_text(q, 1);
    out->documents++;
    int vi = !strcmp(v, "valid") ? 0 : !strcmp(v, "invalid") ? 1 : 2;
    out->by_verdict[vi]++;
    for (int k = 0; k < WARDEN_REASON__COUNT; k++)
      if (!strcmp(why, warden_reason_name((warden_reason)k))) { out->by_reason[k]++; break; }
    bool late;
    if (vi != 1 && doc_grade(v, q, 2, deadline, &late) == DOC_NONE && late) out->expired_by_deadline++;
  }
  sqlite3_finalize(q);
  q = NULL;

  /* customers with their documents, in one pass ordered by account */
  if (sqlite3_prepare_v2(r->db,
                         CUSTOMER_QUERY " WHERE a.role = 'customer' AND a.state != 'closed' ORDER BY a.parent_id, a.id",
                         -1, &q, NULL)) {
    st = registry_db_fail(r, "report");
    goto done;
  }
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *acc = (const char *)sqlite3_column_text(q, 0);
    if (!ncs || strcmp(cs[ncs - 1].id, acc)) {
      if (ncs == capcs) {
        capcs = capcs ? capcs * 2 : 1024;
        cust_state *n = realloc(cs, capcs * sizeof *cs);
        if (!n) { st = WARDEN_ERR_NOMEM; goto done; }
        cs = n;
      }
      cust_state *c = &cs[ncs++];
      memset(c, 0, sizeof *c);
      snprintf(c->id, sizeof c->id, "%s", acc);
      snprintf(c->party, sizeof c->party, "%s", sqlite3_column_text(q, 1));
      snprintf(c->agent, sizeof c->agent, "%s", sqlite3_column_text(q, 2));
      snprintf(c->kind, sizeof c->kind, "%s", sqlite3_column_text(q, 3));
    }
    cust_add_doc(&cs[ncs - 1], q, deadline);
  }
  sqlite3_finalize(q);
  q = NULL;

  size_t capsd = 0, capag = 0;
  for (size_t i = 0; i < ncs; i++) {
    cust_state *c = &cs[i];
    char why[200];
    int grade = cust_grade(c, why, sizeof why);
    out->customers++;
    if (grade == DOC_OK) out->customers_ok++;
    else if (grade == DOC_REVIEW) out->customers_review++;
    else out->customers_fail++;
    if (grade == DOC_NONE) {
      warden_kyc_shutdown *s = arena_push(a, &out->shutdown, &out->nshutdown, &capsd, sizeof *s);
      if (!s) { st = WARDEN_ERR_NOMEM; goto done; }
      s->account = warden_arena_strndup(a, c->id, strlen(c->id));
      s->party = warden_arena_strndup(a, c->party, strlen(c->party));
      s->agent = warden_arena_strndup(a, c->agent, strlen(c->agent));
      s->why = warden_arena_strndup(a, why, strlen(why));
    }
    size_t k = out->nagents ? out->nagents - 1 : 0; /* rows come grouped by agent */
    if (!out->nagents || strcmp(out->agents[k].agent, c->agent)) {
      k = out->nagents;
      warden_kyc_agent_row *row = arena_push(a, &out->agents, &out->nagents, &capag, sizeof *row);
      if (!row) { st = WARDEN_ERR_NOMEM; goto done; }
      row->agent = warden_arena_strndup(a, c->agent, strlen(c->agent));
    }
    out->agents[k].customers++;
    if (grade == DOC_NONE) out->agents[k].failing++;
    if (grade == DOC_REVIEW) out->agents[k].review++;
  }
  if (out->nagents) qsort(out->agents, out->nagents, sizeof *out->agents, cmp_agents);
done:
  sqlite3_finalize(q);
  free(cs);
  return st;
}
