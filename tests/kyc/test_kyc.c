/* test_kyc.c — runs every row of tests/kyc/cases.tsv as one test named after its rule id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "kyc/kyc.h"

typedef struct kcase {
  char *f[8]; /* rule type number now extra verdict reason note */
  char name[300];
} kcase;

static void run_case(void **state) {
  kcase *k = *state;
  warden_kyc_input in;
  warden_kyc_result r;
  warden_kyc_input_init(&in, k->f[2], strlen(k->f[2]));
  const char *type = k->f[1];
  bool autod = strncmp(type, "auto:", 5) == 0;
  in.type = autod ? WARDEN_DOC_UNKNOWN : warden_doc_type_parse(type);
  if (!autod) assert_int_not_equal(in.type, WARDEN_DOC_UNKNOWN);
  assert_true(warden_date_parse(k->f[3], &in.today));
  char extra[512];
  snprintf(extra, sizeof extra, "%s", k->f[4]);
  if (strcmp(extra, "-") != 0) {
    char *save = extra;
    for (char *kv = save; kv && *kv;) {
      char *next = strchr(kv, ';');
      if (next) *next++ = '\0';
      char *eq = strchr(kv, '=');
      assert_non_null(eq);
      *eq = '\0';
      const char *v = eq + 1;
      if (!strcmp(kv, "expiry")) assert_true(warden_date_parse(v, &in.expiry));
      else if (!strcmp(kv, "issued")) assert_true(warden_date_parse(v, &in.issued));
      else if (!strcmp(kv, "holder")) in.account_holder = v[0] == '1';
      else if (!strcmp(kv, "mrz")) in.mrz = k->f[4] + (v - extra);
      else fail_msg("unknown extra key %s", kv);
      kv = next;
    }
  }
  char mrzbuf[128];
  if (in.mrz) { /* the MRZ runs to the end of the extra field or to the next ';' */
    snprintf(mrzbuf, sizeof mrzbuf, "%s", in.mrz);
    char *semi = strchr(mrzbuf, ';');
    if (semi) *semi = '\0';
    in.mrz = mrzbuf;
  }
  warden_kyc_check(&in, &r);
  if (strcmp(warden_verdict_name(r.verdict), k->f[5]) || strcmp(warden_reason_name(r.reason), k->f[6]))
    fail_msg("%s: got %s/%s (%s), want %s/%s", k->f[2], warden_verdict_name(r.verdict),
             warden_reason_name(r.reason), r.message, k->f[5], k->f[6]);
  if (autod) assert_string_equal(warden_doc_type_name(r.type), type + 5);
  /* the valid ones must give a match key, and a legacy number the same key as its upgrade */
  if (r.verdict == WARDEN_VERDICT_VALID) {
    char key[96];
    assert_true(warden_kyc_match_key(&r, key, sizeof key));
    if (r.legacy15) assert_string_equal(key, "cn:11010519491231002X");
  }
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "tests/kyc/cases.tsv";
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return 2;
  }
  kcase *cases = NULL;
  size_t n = 0, cap = 0;
  char line[2048];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (!line[0] || line[0] == '#') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      cases = realloc(cases, cap * sizeof *cases);
      if (!cases) return 2;
    }
    kcase *k = &cases[n];
    char *p = strdup(line);
    for (int i = 0; i < 8; i++) {
      k->f[i] = p;
      char *tab = p ? strchr(p, '\t') : NULL;
      if (tab) { *tab = '\0'; p = tab + 1; }
      else p = NULL;
    }
    if (!k->f[7]) { fprintf(stderr, "%s: a row has fewer than 8 columns: %s\n", path, line); return 2; }
    snprintf(k->name, sizeof k->name, "%s %s %s -> %s %s (%s)", k->f[0], k->f[1], k->f[2], k->f[5], k->f[6], k->f[7]);
    n++;
  }
  fclose(f);
  struct CMUnitTest *tests = calloc(n, sizeof *tests);
  for (size_t i = 0; i < n; i++) {
    tests[i].name = cases[i].name;
    tests[i].test_func = run_case;
    tests[i].initial_state = &cases[i];
  }
  int rc = _cmocka_run_group_tests("kyc cases", tests, n, NULL, NULL);
  for (size_t i = 0; i < n; i++) free(cases[i].f[0]);
  free(cases);
  free(tests);
  return rc;
}
