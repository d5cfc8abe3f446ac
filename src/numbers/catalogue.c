/* catalogue.c — `warden number import FILE.csv`: the number catalogue into the inventory
 * (NUM-CATALOG). The approach is registry/import.c's:
 *
 *   number*, kind* (400|800|mobile|fixed), province* (2-digit GB/T 2260; may be empty for a fixed
 *   line, whose area code decides), annual_fee ("25000 yuan", "150 fen"; empty: the grade's fee
 *   from the policy), state (available|reserved|cancelled; default available)
 *
 * Header row required, columns in any order, unknown columns ignored. Row by row: a bad row goes to
 * the rejects file (line, reason, then the row as read) and the rest goes on. The whole file is one
 * transaction: a fatal error, or any reject with all_or_nothing, writes nothing. Every number added
 * is audited (number.add), and the file once (import.numbers). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "numbers.h"

typedef struct cat_ctx {
  warden_registry *r;
  const warden_policy *p;
  const warden_import_opts *opts;
  warden_import_result *res;
  const char *path;
  warden_csv csv;
  warden_csv_header hdr;
  FILE *rej;
  char rej_tmp[600];
} cat_ctx;

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

static warden_status rejects_open(cat_ctx *c) {
  if (c->rej) return WARDEN_OK;
  const char *p = c->opts && c->opts->rejects_path ? c->opts->rejects_path : NULL;
  char *out = c->res->rejects_path;
  size_t cap = sizeof c->res->rejects_path;
  if (p)
    snprintf(out, cap, "%s", p);
  else if (!strcmp(c->path, "-"))
    snprintf(out, cap, "rejects.csv");
  else {
    size_t n = strlen(c->path);
    if (n > 4 && !strcmp(c->path + n - 4, ".csv")) n -= 4;
    snprintf(out, cap, "%.*s.rejects.csv", (int)n, c->path);
  }
  snprintf(c->rej_tmp, sizeof c->rej_tmp, "%s.tmp%ld", out, (long)getpid());
  c->rej = fopen(c->rej_tmp, "w");
  if (!c->rej)
    return warden_registry_fail(c->r, WARDEN_ERR_IO, "%s: cannot write rejects: %s", c->rej_tmp, strerror(errno));
  fputs("line,reason", c->rej);
  for (size_t i = 0; i < c->hdr.n; i++) {
    fputc(',', c->rej);
    csv_write_field(c->rej, c->hdr.names[i], strlen(c->hdr.names[i]));
  }
  fputc('\n', c->rej);
  return WARDEN_OK;
}

static warden_status reject(cat_ctx *c, unsigned long line, const char *reason, bool with_fields) {
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

/* The next record whose shape fits the header; malformed ones go to the rejects file. */
static warden_status next_row(cat_ctx *c, bool *got) {
  for (;;) {
    warden_status rs = warden_csv_next(&c->csv, got);
    if (rs == WARDEN_ERR_PARSE && strstr(c->csv.err, "never closed"))
      return warden_registry_fail(c->r, WARDEN_ERR_PARSE, "%s", c->csv.err);
    if (rs == WARDEN_ERR_PARSE) {
      c->res->rows++;
      if ((rs = reject(c, c->csv.line, c->csv.err, false))) return rs;
      continue;
    }
    if (rs) return warden_registry_fail(c->r, rs, "%s", c->csv.err);
    if (!*got) return WARDEN_OK;
    c->res->rows++;
    if (c->csv.nfields == c->hdr.n) return WARDEN_OK;
    char why[96];
    snprintf(why, sizeof why, "%zu fields, the header has %zu", c->csv.nfields, c->hdr.n);
    if ((rs = reject(c, c->csv.line, why, true))) return rs;
  }
}

/* A field by column index, trimmed of blanks; "" when the column is absent. */
static const char *field(cat_ctx *c, int idx, char *buf, size_t cap) {
  buf[0] = '\0';
  if (idx < 0 || (size_t)idx >= c->csv.nfields) return buf;
  const char *s = warden_csv_field(&c->csv, (size_t)idx);
  size_t n = c->csv.flen[idx];
  while (n && (*s == ' ' || *s == '\t')) {
    s++;
    n--;
  }
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n >= cap) n = cap - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return buf;
}

/* One row: *reason is empty when it went in. A non-OK return is fatal for the file. */
static warden_status catalogue_row(cat_ctx *c, const int ci[5], char *reason, size_t cap) {
  char number[80], kind[32], province[32], fee_s[64], state_s[32], source[600];
  field(c, ci[0], number, sizeof number);
  field(c, ci[1], kind, sizeof kind);
  field(c, ci[2], province, sizeof province);
  field(c, ci[3], fee_s, sizeof fee_s);
  field(c, ci[4], state_s, sizeof state_s);
  reason[0] = '\0';
  warden_number_new in = {.number = number,
                          .kind = kind,
                          .province = province,
                          .annual_fee_fen = -1,
                          .state = WARDEN_NUMBER_AVAILABLE,
                          .source = source};
  if (!*kind) {
    snprintf(reason, cap, "kind is empty (400, 800, mobile or fixed)");
    return WARDEN_OK;
  }
  if (*fee_s && !warden_money_parse(fee_s, &in.annual_fee_fen)) {
    snprintf(reason, cap, "annual_fee '%s' is not an amount (e.g. 25000 yuan or 150 fen)", fee_s);
    return WARDEN_OK;
  }
  if (*state_s && (in.state = warden_number_state_parse(state_s)) == WARDEN_NUMBER_STATE__COUNT) {
    snprintf(reason, cap, "state '%s' is not available, reserved or cancelled", state_s);
    return WARDEN_OK;
  }
  snprintf(source, sizeof source, "%s:%lu", c->path, c->csv.line);
  warden_status st = warden_number_add(c->r, c->p, &in);
  switch (st) {
  case WARDEN_OK: return WARDEN_OK;
  case WARDEN_ERR_NOMEM:
  case WARDEN_ERR_IO:
  case WARDEN_ERR_DB:
  case WARDEN_ERR_CRYPTO:
  case WARDEN_ERR_INTEGRITY: return st;
  default: snprintf(reason, cap, "%s", warden_registry_errmsg(c->r)); return WARDEN_OK;
  }
}

warden_status warden_number_import(warden_registry *r, const warden_policy *p, const char *path,
                                   const warden_import_opts *opts, warden_import_result *res) {
  static const char *const cols[5] = {"number", "kind", "province", "annual_fee", "state"};
  cat_ctx c;
  warden_status st = WARDEN_OK;
  bool in_tx = false, got;
  int ci[5];
  memset(&c, 0, sizeof c);
  memset(res, 0, sizeof *res);
  c.r = r;
  c.p = p;
  c.opts = opts;
  c.res = res;
  c.path = path;
  if ((st = warden_csv_open(&c.csv, path, 1 << 20))) {
    warden_registry_fail(r, st, "%s", c.csv.err);
    return st;
  }
  st = warden_csv_next(&c.csv, &got);
  if (st || !got) {
    if (st)
      warden_registry_fail(r, WARDEN_ERR_PARSE, "%s (in the header row)", c.csv.err);
    else
      warden_registry_fail(r, WARDEN_ERR_PARSE, "%s: empty file: a header row is required", path);
    st = WARDEN_ERR_PARSE;
    goto done;
  }
  if ((st = warden_csv_header_take(&c.hdr, &c.csv))) goto done;
  for (int i = 0; i < 5; i++) {
    ci[i] = warden_csv_header_find(&c.hdr, cols[i]);
    if (i < 3 && ci[i] < 0) {
      st = warden_registry_fail(r, WARDEN_ERR_PARSE,
                                "%s:1: missing column '%s' (the catalogue header needs number, kind, province)", path,
                                cols[i]);
      goto done;
    }
  }
  if ((st = warden_registry_begin(r))) goto done;
  in_tx = true;
  for (;;) {
    char reason[512];
    if ((st = next_row(&c, &got))) goto done;
    if (!got) break;
    if ((st = catalogue_row(&c, ci, reason, sizeof reason))) goto done;
    if (!reason[0])
      res->accepted++;
    else if ((st = reject(&c, c.csv.line, reason, true)))
      goto done;
  }
  if (opts && opts->all_or_nothing && res->rejected) {
    res->rolled_back = true;
    res->accepted = 0;
    goto done;
  }
  {
    char detail[700];
    snprintf(detail, sizeof detail, "file=%s rows=%ld accepted=%ld rejected=%ld (NUM-CATALOG)", path, res->rows,
             res->accepted, res->rejected);
    if ((st = warden_audit_append(r, "import.numbers", path, detail))) goto done;
  }
  if ((st = warden_registry_commit(r))) goto done;
  in_tx = false;
done:
  if (in_tx) warden_registry_rollback(r);
  if (st) {
    res->accepted = 0;
    res->rolled_back = true;
  }
  if (c.rej) {
    bool write_ok = fclose(c.rej) == 0;
    c.rej = NULL;
    if (!write_ok || rename(c.rej_tmp, res->rejects_path) != 0) {
      unlink(c.rej_tmp);
      if (!st) st = warden_registry_fail(r, WARDEN_ERR_IO, "%s: cannot write rejects file", res->rejects_path);
    }
  }
  warden_csv_header_release(&c.hdr);
  warden_csv_close(&c.csv);
  return st;
}
