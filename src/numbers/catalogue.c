/* catalogue.c — `warden number import FILE.csv`: the number catalogue into the inventory
 * (NUM-CATALOG), through the registry's importer (warden_registry_import_rows):
 *
 *   number*, kind* (400|800|mobile|fixed), province* (2-digit GB/T 2260; may be empty for a fixed
 *   line, whose area code decides), annual_fee ("25000 yuan", "150 fen"; empty: the grade's fee
 *   from the policy), state (available|reserved|cancelled; default available)
 *
 * Header row required, columns in any order, unknown columns ignored. Row by row: a bad row goes to
 * the rejects file (line, reason, then the row as read) and the rest goes on. The whole file is one
 * transaction: a fatal error, or any reject with all_or_nothing, writes nothing. Every number added
 * is audited (number.add), and the file once (import.numbers). */
#include <string.h>

#include "numbers.h"

typedef struct catalogue {
  warden_registry *r;
  const warden_policy *p;
} catalogue;

/* One row: *reason is empty when it went in. A non-OK return is fatal for the file. */
static warden_status catalogue_row(void *ctx, const warden_import_row *row, char *reason, size_t cap) {
  const catalogue *c = ctx;
  char number[80], kind[32], province[32], fee_s[64], state_s[32], source[600];
  warden_import_field(row, 0, number, sizeof number);
  warden_import_field(row, 1, kind, sizeof kind);
  warden_import_field(row, 2, province, sizeof province);
  warden_import_field(row, 3, fee_s, sizeof fee_s);
  warden_import_field(row, 4, state_s, sizeof state_s);
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
  snprintf(source, sizeof source, "%s:%lu", row->path, row->line);
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
  catalogue c = {r, p};
  warden_import_spec spec = {"numbers", "NUM-CATALOG", cols, 5, 3, catalogue_row, &c};
  return warden_registry_import_rows(r, &spec, path, opts, res);
}
