/* import.c — `warden import parties|accounts|documents`: CSV files into the registry.
 *
 * Contracts (header row required; columns in any order; unknown columns ignored):
 *
 *   parties    party_id*, kind* (individual|organisation), name*
 *   accounts   account_id*, party_id*, role* (platform|distributor|agent|reseller|customer),
 *              parent_id (empty only for a platform), state (default active)
 *   documents  party_id*, type*, number*, expiry, issued, holder_birth_date, mrz,
 *              role (holder|legal_rep, default holder)
 *
 * Row by row: a bad row goes to the rejects file (line, reason, then the row as read) and the rest
 * goes on. The whole file is one transaction: a fatal error, or any reject with all_or_nothing,
 * writes nothing. The rejects file is written beside and renamed into place at the end.
 * A document that fails its KYC check is not a bad row: it is stored with its verdict, because a
 * forged document handed in is itself a fact the platform must keep (KYC-FORGED, KYC-RETAIN).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry_int.h"

typedef struct warden_import_ctx {
  warden_registry *r;
  const warden_import_opts *opts;
  warden_import_result *res;
  const char *path;
  warden_csv csv;
  warden_csv_header hdr;
  FILE *rej;
  char rej_tmp[600];
  char reason[256];
  int32_t today;
} import_ctx;

static void csv_write_field(FILE *f, const char *s, size_t n) {
  bool quote = false;
  for (size_t i = 0; i < n; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = true;
  if (!quote) {
    fwrite(s, 1, n, f);
    return;
  }
  fputc('"', f);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') fputc('"', f);
    fputc(s[i], f);
  }
  fputc('"', f);
}

static warden_status rejects_open(import_ctx *c) {
  if (c->rej) return WARDEN_OK;
  const char *p = c->opts && c->opts->rejects_path ? c->opts->rejects_path : NULL;
  if (p) snprintf(c->res->rejects_path, sizeof c->res->rejects_path, "%s", p);
  else if (strcmp(c->path, "-") == 0) snprintf(c->res->rejects_path, sizeof c->res->rejects_path, "rejects.csv");
  else {
    size_t n = strlen(c->path);
    if (n > 4 && strcmp(c->path + n - 4, ".csv") == 0) n -= 4;
    snprintf(c->res->rejects_path, sizeof c->res->rejects_path, "%.*s.rejects.csv", (int)n, c->path);
  }
  snprintf(c->rej_tmp, sizeof c->rej_tmp, "%s.tmp%ld", c->res->rejects_path, (long)getpid());
  c->rej = fopen(c->rej_tmp, "w");
  if (!c->rej)
    return registry_fail(c->r, WARDEN_ERR_IO, "%s: cannot write rejects: %s", c->rej_tmp, strerror(errno));
  fputs("line,reason", c->rej);
  for (size_t i = 0; i < c->hdr.n; i++) {
    fputc(',', c->rej);
    csv_write_field(c->rej, c->hdr.names[i], strlen(c->hdr.names[i]));
  }
  fputc('\n', c->rej);
  return WARDEN_OK;
}

static warden_status reject(import_ctx *c, unsigned long line, const char *reason, bool with_fields) {
  warden_status st = rejects_open(c);
  if (st) return st;
  fprintf(c->rej, "%lu,", line);
  csv_write_field(c->rej, reason, strlen(reason));
  if (with_fields)
    for (size_t i = 0; i < c->csv.nfields; i++) {
      fputc(',', c->rej);
      csv_write_field(c->rej, warden_csv_field(&c->csv, i), c->csv.flen[i]);
    }
  fputc('\n', c->rej);
  c->res->rejected++;
  return WARDEN_OK;
}

/* The next record whose shape fits the header. Bad records (malformed CSV, wrong field count) are
 * written to the rejects file and skipped. *got = false at the end; an error is fatal for the file. */
static warden_status import_next(import_ctx *c, bool *got) {
  for (;;) {
    warden_status rs = warden_csv_next(&c->csv, got);
    if (rs == WARDEN_ERR_PARSE && strstr(c->csv.err, "never closed"))
      return registry_fail(c->r, WARDEN_ERR_PARSE, "%s", c->csv.err);
    if (rs == WARDEN_ERR_PARSE) {
      c->res->rows++;
      if ((rs = reject(c, c->csv.line, c->csv.err, false))) return rs;
      continue;
    }
    if (rs) return registry_fail(c->r, rs, "%s", c->csv.err);
    if (!*got) return WARDEN_OK;
    c->res->rows++;
    if (c->csv.nfields == c->hdr.n) return WARDEN_OK;
    char why[96];
    snprintf(why, sizeof why, "%zu fields, the header has %zu", c->csv.nfields, c->hdr.n);
    if ((rs = reject(c, c->csv.line, why, true))) return rs;
  }
}

/* A field by column index, trimmed of blanks, into the caller's buffer; "" when absent. */
static const char *field(import_ctx *c, int idx, char *buf, size_t cap) {
  buf[0] = '\0';
  if (idx < 0 || (size_t)idx >= c->csv.nfields) return buf;
  const char *s = warden_csv_field(&c->csv, (size_t)idx);
  size_t n = c->csv.flen[idx];
  while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  if (n >= cap) n = cap - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return buf;
}

static bool id_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 64) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          strchr("._:-", *p)))
      return false;
  return true;
}

static bool exists(warden_registry *r, const char *sql, const char *id, char *out, size_t cap) {
  sqlite3_stmt *q;
  bool found = false;
  if (sqlite3_prepare_v2(r->db, sql, -1, &q, NULL) != SQLITE_OK) return false;
  sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW) {
    found = true;
    if (out) snprintf(out, cap, "%s", sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "");
  }
  sqlite3_finalize(q);
  return found;
}

/* ---- parties ---- */
static warden_status party_row(import_ctx *c, int ci[], bool *ok) {
  char id[128], kind[32], name[512], detail[160];
  field(c, ci[0], id, sizeof id);
  field(c, ci[1], kind, sizeof kind);
  field(c, ci[2], name, sizeof name);
  *ok = false;
  if (!id_ok(id)) { snprintf(c->reason, sizeof c->reason, "party_id must be 1-64 letters or digits or ._:-"); return WARDEN_OK; }
  if (!strcmp(kind, "person") || !strcmp(kind, "public")) snprintf(kind, sizeof kind, "individual");
  if (!strcmp(kind, "organization") || !strcmp(kind, "org") || !strcmp(kind, "group"))
    snprintf(kind, sizeof kind, "organisation");
  if (strcmp(kind, "individual") && strcmp(kind, "organisation")) {
    snprintf(c->reason, sizeof c->reason, "kind must be individual or organisation (KYC-TYPES)");
    return WARDEN_OK;
  }
  if (!*name || strlen(name) > 200) { snprintf(c->reason, sizeof c->reason, "name must be 1-200 bytes"); return WARDEN_OK; }
  if (exists(c->r, "SELECT id FROM party WHERE id = ?1", id, NULL, 0)) {
    snprintf(c->reason, sizeof c->reason, "party %s already exists", id);
    return WARDEN_OK;
  }
  bool individual = kind[0] == 'i';
  unsigned char sealed[512 + WARDEN_SEAL_OVERHEAD];
  sqlite3_stmt *q;
  warden_status st;
  if (individual && (st = warden_seal(&c->r->keys, name, strlen(name), sealed))) return st;
  if (sqlite3_prepare_v2(c->r->db, "INSERT INTO party(id, kind, name_clear, name_sealed, created) VALUES (?1, ?2, ?3, ?4, ?5)",
                         -1, &q, NULL))
    return registry_db_fail(c->r, "party insert");
  sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
  if (individual) sqlite3_bind_blob(q, 4, sealed, (int)(strlen(name) + WARDEN_SEAL_OVERHEAD), SQLITE_STATIC);
  else sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 5, warden_now());
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return registry_db_fail(c->r, "party insert");
  snprintf(detail, sizeof detail, "kind=%s source=%s:%lu", kind, c->path, c->csv.line);
  if ((st = warden_audit_append(c->r, "party.create", id, detail))) return st;
  *ok = true;
  return WARDEN_OK;
}

/* ---- documents ---- */
static warden_status document_row(import_ctx *c, int ci[], bool *ok) {
  char pid[128], type[64], number[512], expiry[64], issued[64], birth[64], mrz[128], role[32], kind[32];
  char detail[256], key[96], masked[80];
  field(c, ci[0], pid, sizeof pid);
  field(c, ci[1], type, sizeof type);
  field(c, ci[2], number, sizeof number);
  field(c, ci[3], expiry, sizeof expiry);
  field(c, ci[4], issued, sizeof issued);
  field(c, ci[5], birth, sizeof birth);
  field(c, ci[6], mrz, sizeof mrz);
  field(c, ci[7], role, sizeof role);
  *ok = false;
  if (!*role) snprintf(role, sizeof role, "holder");
  if (!strcmp(role, "legal-rep")) snprintf(role, sizeof role, "legal_rep");
  if (strcmp(role, "holder") && strcmp(role, "legal_rep")) {
    snprintf(c->reason, sizeof c->reason, "role must be holder or legal_rep");
    return WARDEN_OK;
  }
  if (!exists(c->r, "SELECT kind FROM party WHERE id = ?1", pid, kind, sizeof kind)) {
    snprintf(c->reason, sizeof c->reason, "party %s not found", *pid ? pid : "(empty)");
    return WARDEN_OK;
  }
  warden_doc_type t = warden_doc_type_parse(type);
  if (t == WARDEN_DOC_UNKNOWN) { snprintf(c->reason, sizeof c->reason, "unknown document type '%s'", type); return WARDEN_OK; }
  bool want_org = kind[0] == 'o' && role[0] == 'h';
  if (warden_doc_type_is_org(t) != want_org) {
    snprintf(c->reason, sizeof c->reason, "%s is %s document, but %s needs %s one (KYC-TYPES)", type,
             warden_doc_type_is_org(t) ? "an organisation" : "a personal",
             role[0] == 'l' ? "a legal representative" : want_org ? "an organisation" : "an individual",
             want_org ? "an organisation" : "a personal");
    return WARDEN_OK;
  }
  if (!*number) { snprintf(c->reason, sizeof c->reason, "number is empty"); return WARDEN_OK; }
  if (strlen(number) > 200) { snprintf(c->reason, sizeof c->reason, "number longer than 200 bytes"); return WARDEN_OK; }
  warden_kyc_input in;
  warden_kyc_input_init(&in, number, strlen(number));
  in.type = t;
  in.today = c->today;
  in.account_holder = role[0] == 'h';
  in.mrz = *mrz ? mrz : NULL;
  struct { const char *name, *val; int32_t *dst; } dates[] = {
      {"expiry", expiry, &in.expiry}, {"issued", issued, &in.issued}, {"holder_birth_date", birth, &in.holder_birth}};
  for (size_t i = 0; i < 3; i++)
    if (*dates[i].val && !warden_date_parse(dates[i].val, dates[i].dst)) {
      snprintf(c->reason, sizeof c->reason, "%s '%s' is not a date (YYYY-MM-DD)", dates[i].name, dates[i].val);
      return WARDEN_OK;
    }
  warden_kyc_result res;
  warden_kyc_check(&in, &res);
  const char *stored = res.normalized[0] ? res.normalized : number;
  warden_mask(stored, masked, sizeof masked);
  unsigned char hash[WARDEN_HASH_BYTES];
  bool has_key = warden_kyc_match_key(&res, key, sizeof key);
  if (has_key) {
    warden_seal_match_hash(&c->r->keys, key, hash);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(c->r->db, "SELECT id FROM document WHERE party_id = ?1 AND match_hash = ?2 AND role = ?3", -1, &q, NULL))
      return registry_db_fail(c->r, "document lookup");
    sqlite3_bind_text(q, 1, pid, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q, 2, hash, sizeof hash, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, role, -1, SQLITE_STATIC);
    bool dup = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (dup) {
      snprintf(c->reason, sizeof c->reason, "party %s already has this document", pid);
      return WARDEN_OK;
    }
  }
  size_t sl = strlen(stored);
  unsigned char sealed[512 + WARDEN_SEAL_OVERHEAD];
  warden_status st = warden_seal(&c->r->keys, stored, sl, sealed);
  if (st) return st;
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(c->r->db,
                         "INSERT INTO document(party_id, type, role, number_sealed, number_masked, match_hash,"
                         " expiry, issued, verdict, reason, message, checked_on)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                         -1, &q, NULL))
    return registry_db_fail(c->r, "document insert");
  sqlite3_bind_text(q, 1, pid, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, warden_doc_type_name(t), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, role, -1, SQLITE_STATIC);
  sqlite3_bind_blob(q, 4, sealed, (int)(sl + WARDEN_SEAL_OVERHEAD), SQLITE_STATIC);
  sqlite3_bind_text(q, 5, masked, -1, SQLITE_STATIC);
  if (has_key) sqlite3_bind_blob(q, 6, hash, sizeof hash, SQLITE_STATIC);
  if (res.expiry != WARDEN_NO_DATE) sqlite3_bind_int(q, 7, res.expiry);
  else if (in.expiry != WARDEN_NO_DATE) sqlite3_bind_int(q, 7, in.expiry);
  if (in.issued != WARDEN_NO_DATE) sqlite3_bind_int(q, 8, in.issued);
  sqlite3_bind_text(q, 9, warden_verdict_name(res.verdict), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 10, warden_reason_name(res.reason), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 11, res.message, -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 12, c->today);
  int rc = sqlite3_step(q);
  int64_t docid = sqlite3_last_insert_rowid(c->r->db);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return registry_db_fail(c->r, "document insert");
  snprintf(detail, sizeof detail, "document=%lld type=%s role=%s number=%s verdict=%s reason=%s source=%s:%lu",
           (long long)docid, warden_doc_type_name(t), role, masked, warden_verdict_name(res.verdict),
           warden_reason_name(res.reason), c->path, c->csv.line);
  if ((st = warden_audit_append(c->r, "document.add", pid, detail))) return st;
  *ok = true;
  return WARDEN_OK;
}

/* ---- accounts: read all, then link parents first (a parent may come later in the file) ---- */
typedef struct pending_account {
  char id[72], party[72], role[16], parent[72], state[24];
  unsigned long line;
  int status; /* 0 pending, 1 accepted, 2 rejected */
  char reason[160];
  char *raw;  /* the row as read, CSV-encoded, for the rejects file */
} pending_account;

static const char *parent_role_ok(const char *role, const char *parent_role) {
  if (!strcmp(role, "platform")) return "a platform has no parent";
  if (!strcmp(role, "distributor") && strcmp(parent_role, "platform")) return "a distributor's parent is a platform";
  if (!strcmp(role, "agent") && strcmp(parent_role, "distributor") && strcmp(parent_role, "platform"))
    return "an agent's parent is a distributor or the platform (CH-LINK)";
  if (!strcmp(role, "customer") && strcmp(parent_role, "agent") && strcmp(parent_role, "platform"))
    return "a customer's parent is an agent or the platform (CH-LINK-CUST)";
  return NULL;
}

static warden_status accounts_import(import_ctx *c, int ci[]) {
  warden_arena arena;
  warden_arena_init(&arena, 1 << 20);
  pending_account *rows = NULL;
  size_t n = 0, cap = 0;
  warden_status st = WARDEN_OK;
  bool got;
  for (;;) {
    if ((st = import_next(c, &got))) goto done;
    if (!got) break;
    if (n == cap) {
      cap = cap ? cap * 2 : 256;
      pending_account *nr = realloc(rows, cap * sizeof *rows);
      if (!nr) { st = WARDEN_ERR_NOMEM; goto done; }
      rows = nr;
    }
    pending_account *p = &rows[n++];
    memset(p, 0, sizeof *p);
    p->line = c->csv.line;
    field(c, ci[0], p->id, sizeof p->id);
    field(c, ci[1], p->party, sizeof p->party);
    field(c, ci[2], p->role, sizeof p->role);
    field(c, ci[3], p->parent, sizeof p->parent);
    field(c, ci[4], p->state, sizeof p->state);
    warden_buf raw;
    warden_buf_init(&raw, 0);
    for (size_t i = 0; i < c->csv.nfields; i++) {
      const char *f = warden_csv_field(&c->csv, i);
      bool q = strpbrk(f, ",\"\n\r") != NULL;
      if (i) warden_buf_addc(&raw, ',');
      if (q) {
        warden_buf_addc(&raw, '"');
        for (const char *s = f; *s; s++) {
          if (*s == '"') warden_buf_addc(&raw, '"');
          warden_buf_addc(&raw, *s);
        }
        warden_buf_addc(&raw, '"');
      } else {
        warden_buf_adds(&raw, f);
      }
    }
    p->raw = warden_arena_strndup(&arena, warden_buf_str(&raw), raw.len);
    warden_buf_release(&raw);
    if (!p->raw) { st = WARDEN_ERR_NOMEM; goto done; }
    if (!strcmp(p->role, "reseller")) snprintf(p->role, sizeof p->role, "agent");
    if (!*p->state) snprintf(p->state, sizeof p->state, "active");
    char kind[32];
    if (!id_ok(p->id)) snprintf(p->reason, sizeof p->reason, "account_id must be 1-64 letters or digits or ._:-");
    else if (strcmp(p->role, "platform") && strcmp(p->role, "distributor") && strcmp(p->role, "agent") &&
             strcmp(p->role, "customer"))
      snprintf(p->reason, sizeof p->reason, "role must be platform, distributor, agent (reseller) or customer");
    else if (strcmp(p->state, "active") && strcmp(p->state, "inspection") && strcmp(p->state, "frozen") &&
             strcmp(p->state, "closed"))
      snprintf(p->reason, sizeof p->reason, "state must be active, inspection, frozen or closed");
    else if (!exists(c->r, "SELECT kind FROM party WHERE id = ?1", p->party, kind, sizeof kind))
      snprintf(p->reason, sizeof p->reason, "party %s not found", *p->party ? p->party : "(empty)");
    else if (exists(c->r, "SELECT id FROM account WHERE id = ?1", p->id, NULL, 0))
      snprintf(p->reason, sizeof p->reason, "account %s already exists", p->id);
    else if (!strcmp(p->role, "platform") && *p->parent)
      snprintf(p->reason, sizeof p->reason, "a platform has no parent");
    else if (strcmp(p->role, "platform") && !*p->parent)
      snprintf(p->reason, sizeof p->reason, "parent_id is required for a %s", p->role);
    else if (strcmp(p->role, "platform") && strcmp(p->role, "customer") && kind[0] != 'o')
      snprintf(p->reason, sizeof p->reason, "a %s must be an organisation (KYC-RESELLER)", p->role);
    if (!p->reason[0])
      for (size_t k = 0; k + 1 < n; k++)
        if (rows[k].status != 2 && !strcmp(rows[k].id, p->id)) {
          snprintf(p->reason, sizeof p->reason, "account %s appears twice in the file (line %lu)", p->id, rows[k].line);
          break;
        }
    if (p->reason[0]) p->status = 2;
  }
  /* Resolve parents to a fixed point: accept a row once its parent is in the registry or accepted. */
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < n; i++) {
      pending_account *p = &rows[i];
      if (p->status) continue;
      char prole[32] = "";
      const char *why = NULL;
      if (!strcmp(p->role, "platform")) {
        prole[0] = '\0';
      } else if (exists(c->r, "SELECT role FROM account WHERE id = ?1", p->parent, prole, sizeof prole)) {
        why = parent_role_ok(p->role, prole);
      } else {
        size_t k;
        for (k = 0; k < n; k++)
          if (!strcmp(rows[k].id, p->parent)) break;
        if (k == n) why = "parent not found";
        else if (rows[k].status == 0) continue; /* wait for it */
        else if (rows[k].status == 2) why = "parent row was rejected";
        else why = parent_role_ok(p->role, rows[k].role);
      }
      if (why) {
        snprintf(p->reason, sizeof p->reason, "parent %s: %s", p->parent, why);
        p->status = 2;
        changed = true;
        continue;
      }
      sqlite3_stmt *q;
      if (sqlite3_prepare_v2(c->r->db, "INSERT INTO account(id, party_id, role, parent_id, state, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             -1, &q, NULL)) { st = registry_db_fail(c->r, "account insert"); goto done; }
      sqlite3_bind_text(q, 1, p->id, -1, SQLITE_STATIC);
      sqlite3_bind_text(q, 2, p->party, -1, SQLITE_STATIC);
      sqlite3_bind_text(q, 3, p->role, -1, SQLITE_STATIC);
      if (*p->parent) sqlite3_bind_text(q, 4, p->parent, -1, SQLITE_STATIC);
      sqlite3_bind_text(q, 5, p->state, -1, SQLITE_STATIC);
      sqlite3_bind_int64(q, 6, warden_now());
      int rc = sqlite3_step(q);
      sqlite3_finalize(q);
      if (rc != SQLITE_DONE) { st = registry_db_fail(c->r, "account insert"); goto done; }
      char detail[300];
      snprintf(detail, sizeof detail, "party=%s role=%s parent=%s state=%s source=%s:%lu", p->party, p->role,
               *p->parent ? p->parent : "-", p->state, c->path, p->line);
      if ((st = warden_audit_append(c->r, "account.create", p->id, detail))) goto done;
      p->status = 1;
      c->res->accepted++;
      changed = true;
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (rows[i].status == 1) continue;
    if (rows[i].status == 0) snprintf(rows[i].reason, sizeof rows[i].reason, "parent %s: the chain of parents loops", rows[i].parent);
    if ((st = rejects_open(c))) goto done;
    fprintf(c->rej, "%lu,", rows[i].line);
    csv_write_field(c->rej, rows[i].reason, strlen(rows[i].reason));
    fprintf(c->rej, ",%s\n", rows[i].raw);
    c->res->rejected++;
  }
done:
  free(rows);
  warden_arena_release(&arena);
  return st;
}

const char *warden_import_field(const warden_import_row *row, int i, char *buf, size_t cap) {
  return field(row->c, row->col[i], buf, cap);
}

/* One file: of a built-in kind, or a caller's (ext, when kind is ignored). */
static warden_status import_file(warden_registry *r, warden_import_kind kind, const warden_import_spec *ext, const char *path,
                                 const warden_import_opts *opts, warden_import_result *res) {
  static const char *const kcols[3][8] = {
      {"party_id", "kind", "name"},
      {"account_id", "party_id", "role", "parent_id", "state"},
      {"party_id", "type", "number", "expiry", "issued", "holder_birth_date", "mrz", "role"},
  };
  static const int krequired[3] = {3, 3, 3};
  static const int kncols[3] = {3, 5, 8};
  static const char *const knames[3] = {"parties", "accounts", "documents"};
  const char *const *cols = ext ? ext->cols : kcols[kind];
  int ncols = ext ? ext->ncols : kncols[kind], nrequired = ext ? ext->nrequired : krequired[kind];
  const char *name = ext ? ext->name : knames[kind];
  import_ctx c;
  warden_status st = WARDEN_OK;
  bool in_tx = false, got;
  int ci[WARDEN_IMPORT_MAX_COLS];
  if (ncols > WARDEN_IMPORT_MAX_COLS || nrequired < 1 || nrequired > ncols)
    return registry_fail(r, WARDEN_ERR_USAGE, "import: bad column specification");
  memset(&c, 0, sizeof c);
  memset(res, 0, sizeof *res);
  c.r = r;
  c.opts = opts;
  c.res = res;
  c.path = path;
  c.today = opts && opts->today ? opts->today : warden_today();
  if ((st = warden_csv_open(&c.csv, path, 1 << 20))) {
    registry_fail(r, st, "%s", c.csv.err);
    return st;
  }
  st = warden_csv_next(&c.csv, &got);
  if (st || !got) {
    if (st) registry_fail(r, WARDEN_ERR_PARSE, "%s (in the header row)", c.csv.err);
    else registry_fail(r, WARDEN_ERR_PARSE, "%s: empty file: a header row is required", path);
    st = WARDEN_ERR_PARSE;
    goto done;
  }
  if ((st = warden_csv_header_take(&c.hdr, &c.csv))) goto done;
  for (int i = 0; i < ncols; i++) {
    ci[i] = warden_csv_header_find(&c.hdr, cols[i]);
    if (i < nrequired && ci[i] < 0) {
      char need[256] = "";
      for (int k = 0; k < nrequired; k++) {
        size_t l = strlen(need);
        snprintf(need + l, sizeof need - l, "%s%s", k ? ", " : "", cols[k]);
      }
      st = registry_fail(r, WARDEN_ERR_PARSE, "%s:1: missing column '%s' (the %s header needs %s)", path, cols[i],
                         name, need);
      goto done;
    }
  }
  if ((st = registry_exec(r, "BEGIN IMMEDIATE"))) goto done;
  in_tx = true;
  if (!ext && kind == WARDEN_IMPORT_ACCOUNTS) {
    if ((st = accounts_import(&c, ci))) goto done;
  } else {
    warden_import_row row = {path, 0, ci, &c};
    for (;;) {
      if ((st = import_next(&c, &got))) goto done;
      if (!got) break;
      bool ok = false;
      c.reason[0] = '\0';
      if (ext) {
        row.line = c.csv.line;
        st = ext->row(ext->ctx, &row, c.reason, sizeof c.reason);
        ok = !c.reason[0];
      } else {
        st = kind == WARDEN_IMPORT_PARTIES ? party_row(&c, ci, &ok) : document_row(&c, ci, &ok);
      }
      if (st) goto done;
      if (ok) res->accepted++;
      else if ((st = reject(&c, c.csv.line, c.reason, true))) goto done;
    }
  }
  if (opts && opts->all_or_nothing && res->rejected) {
    res->rolled_back = true;
    res->accepted = 0;
    goto done;
  }
  {
    char detail[700];
    snprintf(detail, sizeof detail, "file=%s rows=%ld accepted=%ld rejected=%ld%s%s%s", path, res->rows, res->accepted,
             res->rejected, ext && ext->rule ? " (" : "", ext && ext->rule ? ext->rule : "", ext && ext->rule ? ")" : "");
    char action[48];
    snprintf(action, sizeof action, "import.%s", name);
    if ((st = warden_audit_append(r, action, path, detail))) goto done;
  }
  if ((st = registry_exec(r, "COMMIT"))) goto done;
  in_tx = false;
done:
  if (in_tx) sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
  if (st && res) { res->accepted = 0; res->rolled_back = true; }
  if (c.rej) {
    bool write_ok = fclose(c.rej) == 0;
    c.rej = NULL;
    if (!write_ok || rename(c.rej_tmp, res->rejects_path) != 0) {
      unlink(c.rej_tmp);
      if (!st) st = registry_fail(r, WARDEN_ERR_IO, "%s: cannot write rejects file", res->rejects_path);
    }
  }
  warden_csv_header_release(&c.hdr);
  warden_csv_close(&c.csv);
  return st;
}

warden_status warden_registry_import(warden_registry *r, warden_import_kind kind, const char *path,
                                     const warden_import_opts *opts, warden_import_result *res) {
  return import_file(r, kind, NULL, path, opts, res);
}

warden_status warden_registry_import_rows(warden_registry *r, const warden_import_spec *spec, const char *path,
                                          const warden_import_opts *opts, warden_import_result *res) {
  return import_file(r, WARDEN_IMPORT_PARTIES, spec, path, opts, res); /* kind unused with a spec */
}
