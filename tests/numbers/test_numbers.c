/* test_numbers.c — the number inventory: kinds and area codes, vanity grades with their near misses
 * and fees from the policy (NUM-CATALOG), money in fen, usage slots (NUM-USAGE), and, over a real
 * registry, the cool-off tick (NUM-CATALOG), activation preconditions (KYC-LANDING, KYC-400-DOCS,
 * NUM-NORESALE), outbound display (NUM-OUTBOUND) and consent over time (PD-CONSENT). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/core.h"
#include "numbers/numbers.h"
#include "policy/policy.h"
#include "registry/registry.h"

/* ---- pure functions ---- */
static void parse_ok(const char *text, const char *digits, warden_number_kind kind, const char *province) {
  warden_number_id id;
  char err[200];
  if (warden_number_parse(text, &id, err, sizeof err)) fail_msg("%s: %s", text, err);
  assert_string_equal(id.digits, digits);
  assert_int_equal(id.kind, kind);
  assert_string_equal(id.province, province);
}

static void parse_bad(const char *text, const char *want) {
  warden_number_id id;
  char err[200];
  assert_int_equal(warden_number_parse(text, &id, err, sizeof err), WARDEN_ERR_PARSE);
  if (!strstr(err, want)) fail_msg("%s: error '%s' lacks '%s'", text, err, want);
}

static void NUM_CATALOG_kinds_come_from_the_digits(void **state) {
  (void)state;
  parse_ok("4006328888", "4006328888", WARDEN_NUMBER_400, "");
  parse_ok("400-632-8888", "4006328888", WARDEN_NUMBER_400, "");
  parse_ok("8008101234", "8008101234", WARDEN_NUMBER_800, "");
  parse_ok("13800138000", "13800138000", WARDEN_NUMBER_MOBILE, "");
  parse_ok("+86 138 0013 8000", "13800138000", WARDEN_NUMBER_MOBILE, "");
  parse_ok("008619912345678", "19912345678", WARDEN_NUMBER_MOBILE, "");
  parse_ok("010-12345678", "01012345678", WARDEN_NUMBER_FIXED, "11");
  parse_ok("(020) 8888 6666", "02088886666", WARDEN_NUMBER_FIXED, "44");
  parse_ok("+86 755 1234 5678", "075512345678", WARDEN_NUMBER_FIXED, "44"); /* the trunk 0 comes back */
  parse_ok("0086-21-12345678", "02112345678", WARDEN_NUMBER_FIXED, "31");
  parse_ok("０５７１－８７６５４３２１", "057187654321", WARDEN_NUMBER_FIXED, "33"); /* full-width */
  parse_ok("0898-6123456", "08986123456", WARDEN_NUMBER_FIXED, "46");
  parse_ok("0991-1234567", "09911234567", WARDEN_NUMBER_FIXED, "65");
  parse_ok("0220123456", "0220123456", WARDEN_NUMBER_FIXED, "12");   /* 10 digits: 022 + 7 */
  parse_ok("07551234567", "07551234567", WARDEN_NUMBER_FIXED, "44"); /* 0755 + 7 */
  /* near misses */
  parse_bad("400632888", "has 9 digits");
  parse_bad("40063288889", "has 11 digits");
  parse_bad("12800138000", "a mobile number is 1, then 3-9");
  parse_bad("1380013800", "a mobile number");
  parse_bad("01112345678", "unknown area code 011");
  parse_bad("00001234567", "unknown area code 0000");
  parse_bad("0755123", "10-12 digits");
  parse_bad("0755123456789", "10-12 digits");
  parse_bad("0999999999", "the subscriber number is 7 or 8 digits, not 6");
  parse_bad("010123456789", "the subscriber number is 7 or 8 digits, not 9");
  parse_bad("5006328888", "is not a 400 or 800 number");
  parse_bad("400632888x", "digits, blanks and dashes only");
  parse_bad("+1 415 555 0100", "only +86");
  parse_bad("", "no number given");
}

static void NUM_CATALOG_area_codes_decide_the_province(void **state) {
  (void)state;
  static const char *const pairs[][2] = {
      {"010", "11"},  {"020", "44"},  {"021", "31"},  {"022", "12"},  {"023", "50"},  {"024", "21"},  {"025", "32"},
      {"027", "42"},  {"028", "51"},  {"029", "61"},  {"0755", "44"}, {"0571", "33"}, {"0531", "37"}, {"0551", "34"},
      {"0591", "35"}, {"0731", "43"}, {"0791", "36"}, {"0871", "53"}, {"0851", "52"}, {"0771", "45"}, {"0898", "46"},
      {"0311", "13"}, {"0351", "14"}, {"0471", "15"}, {"0431", "22"}, {"0451", "23"}, {"0931", "62"}, {"0971", "63"},
      {"0951", "64"}, {"0991", "65"}, {"0891", "54"}, {"0371", "41"}, {"0769", "44"}, {"0757", "44"}, {"0760", "44"},
      {"0512", "32"}, {"0532", "37"}, {"0574", "33"}, {"0592", "35"}, {"0411", "21"}, {"0999", "65"}, {"0310", "13"},
      {"0335", "13"}, {"0632", "37"}, {"0663", "44"}, {"0701", "36"}, {"0728", "42"}, {"0943", "62"},
  };
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    char prov[3];
    if (!warden_number_area_province(pairs[i][0], prov)) fail_msg("area %s not found", pairs[i][0]);
    if (strcmp(prov, pairs[i][1])) fail_msg("area %s -> %s, want %s", pairs[i][0], prov, pairs[i][1]);
  }
  char prov[3];
  assert_false(warden_number_area_province("026", prov));
  assert_false(warden_number_area_province("0000", prov));
  assert_false(warden_number_area_province("", prov));
  assert_true(warden_number_province_valid("44"));
  assert_true(warden_number_province_valid("82"));
  assert_false(warden_number_province_valid("49"));
  assert_false(warden_number_province_valid("440"));
  assert_false(warden_number_province_valid(""));
}

static void NUM_CATALOG_grades_each_pattern_and_its_near_misses(void **state) {
  (void)state;
  static const struct {
    const char *digits;
    warden_number_vanity want;
  } cases[] = {
      {"4006388888", WARDEN_VANITY_AAAAA},
      {"4006300000", WARDEN_VANITY_AAAAA},
      {"4006328888", WARDEN_VANITY_AAAA},
      {"4006386666", WARDEN_VANITY_AAAA}, /* 6 then 6666: AAAA, not AAAAA */
      {"4006312345", WARDEN_VANITY_ABCDE},
      {"4006356789", WARDEN_VANITY_ABCDE},
      {"4006320888", WARDEN_VANITY_AAA},
      {"4006327999", WARDEN_VANITY_AAA},
      {"4006321234", WARDEN_VANITY_ABCD},
      {"4006316789", WARDEN_VANITY_ABCD}, /* 16789: 1 breaks ABCDE */
      {"4006324321", WARDEN_VANITY_DCBA},
      {"4006309876", WARDEN_VANITY_DCBA},
      {"4006326688", WARDEN_VANITY_AABB},
      {"4006321122", WARDEN_VANITY_AABB},
      {"4006326868", WARDEN_VANITY_ABAB},
      {"4006321212", WARDEN_VANITY_ABAB},
      {"4006326889", WARDEN_VANITY_LUCKY},
      {"4006321689", WARDEN_VANITY_LUCKY},
      {"4006329698", WARDEN_VANITY_LUCKY},
      {"4006320137", WARDEN_VANITY_ORDINARY},
      /* near misses */
      {"4006318888", WARDEN_VANITY_AAAA},     /* 18888: four, not five */
      {"4006328788", WARDEN_VANITY_LUCKY},    /* 8788: not AAAA; three 8s are lucky */
      {"4006312346", WARDEN_VANITY_ORDINARY}, /* 12346: the run breaks at the end */
      {"4006390123", WARDEN_VANITY_ABCD},     /* 90123: no wrap from 9 to 0, but 0123 is ABCD */
      {"4006301235", WARDEN_VANITY_ORDINARY}, /* 1235 */
      {"4006325432", WARDEN_VANITY_DCBA},     /* 5432 */
      {"4006325431", WARDEN_VANITY_ORDINARY}, /* 5431 */
      {"4006320887", WARDEN_VANITY_ORDINARY}, /* 887: two equal, then another */
      {"4006326687", WARDEN_VANITY_LUCKY},    /* 6687: not AABB, but 6, 6, 8 are three lucky digits */
      {"4006321111", WARDEN_VANITY_AAAA},
      {"4006326686", WARDEN_VANITY_LUCKY}, /* 6686: not ABAB (the last pair differs), four lucky */
      {"4006323434", WARDEN_VANITY_ABAB},
      {"4006323443", WARDEN_VANITY_ORDINARY}, /* ABBA is no grade */
      {"4006325566", WARDEN_VANITY_AABB},
      {"4006325555", WARDEN_VANITY_AAAA},     /* AABB needs A != B */
      {"4006320169", WARDEN_VANITY_ORDINARY}, /* two of 6/8/9 */
      {"1234", WARDEN_VANITY_ORDINARY},       /* too short to grade */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    warden_number_vanity got = warden_number_grade(cases[i].digits);
    if (got != cases[i].want)
      fail_msg("%s: %s, want %s", cases[i].digits, warden_number_vanity_name(got),
               warden_number_vanity_name(cases[i].want));
  }
  for (int v = 0; v < WARDEN_VANITY__COUNT; v++)
    assert_int_equal(warden_number_vanity_parse(warden_number_vanity_name((warden_number_vanity)v)), v);
  assert_int_equal(warden_number_vanity_parse("AAAAAA"), WARDEN_VANITY__COUNT);
}

static void NUM_CATALOG_fee_comes_from_the_policy(void **state) {
  (void)state;
  warden_buf errors;
  warden_buf_init(&errors, 1 << 16);
  warden_policy *p = NULL;
  unsetenv("WARDEN_POLICY");
  assert_int_equal(warden_policy_load(NULL, &p, &errors), WARDEN_OK);
  assert_int_equal(warden_number_fee(p, warden_number_grade("4006328888")), 2500000); /* 25000 yuan */
  assert_int_equal(warden_number_fee(p, WARDEN_VANITY_AAAAA), 5000000);
  assert_int_equal(warden_number_fee(p, WARDEN_VANITY_ORDINARY), 120000);
  warden_policy_free(p);
  /* an operator's policy changes the fee, not the code: the effective default with AAAA and
   * ORDINARY changed */
  assert_int_equal(warden_policy_load(NULL, &p, &errors), WARDEN_OK);
  warden_buf text;
  warden_buf_init(&text, 0);
  assert_int_equal(warden_policy_write(p, &text), WARDEN_OK);
  warden_policy_free(p);
  char dir[] = "/tmp/warden-num-XXXXXX", path[64];
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/p.policy", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  int changed = 0;
  for (const char *l = warden_buf_str(&text); *l;) {
    const char *nl = strchr(l, '\n');
    size_t n = nl ? (size_t)(nl - l) + 1 : strlen(l);
    if (!strncmp(l, "AAAA = ", 7)) {
      fputs("AAAA = 88888 yuan\n", f);
      changed++;
    } else if (!strncmp(l, "ORDINARY = ", 11)) {
      fputs("ORDINARY = 150 fen\n", f);
      changed++;
    } else
      fwrite(l, 1, n, f);
    l += n;
  }
  fclose(f);
  warden_buf_release(&text);
  assert_int_equal(changed, 2);
  warden_buf_reset(&errors);
  if (warden_policy_load(path, &p, &errors)) fail_msg("%s", warden_buf_str(&errors));
  assert_int_equal(warden_number_fee(p, WARDEN_VANITY_AAAA), 8888800);
  assert_int_equal(warden_number_fee(p, WARDEN_VANITY_ORDINARY), 150);
  assert_int_equal(warden_number_fee(p, WARDEN_VANITY_AAAAA), 5000000);
  warden_policy_free(p);
  unlink(path);
  rmdir(dir);
  warden_buf_release(&errors);
}

static void slots_bad(const char *text, const char *want) {
  warden_number_slot sl[WARDEN_NUMBER_MAX_SLOTS];
  size_t n;
  char err[200];
  assert_int_equal(warden_number_slots_parse(text, sl, &n, err, sizeof err), WARDEN_ERR_PARSE);
  if (!strstr(err, want)) fail_msg("%s: error '%s' lacks '%s'", text, err, want);
}

static void NUM_USAGE_slots_are_validated(void **state) {
  (void)state;
  warden_number_slot sl[WARDEN_NUMBER_MAX_SLOTS];
  size_t n;
  char err[200], canon[256];
  assert_int_equal(warden_number_slots_parse("14:00-18:00, 09:00-12:00", sl, &n, err, sizeof err), WARDEN_OK);
  assert_int_equal(n, 2);
  assert_int_equal(sl[0].start, 540);
  assert_int_equal(sl[0].end, 720);
  warden_number_slots_format(sl, n, canon, sizeof canon);
  assert_string_equal(canon, "09:00-12:00,14:00-18:00");
  /* across midnight: two slots; 24:00 closes the day; touching slots are fine */
  assert_int_equal(warden_number_slots_parse("22:00-24:00,00:00-06:00,06:00-07:30", sl, &n, err, sizeof err),
                   WARDEN_OK);
  warden_number_slots_format(sl, n, canon, sizeof canon);
  assert_string_equal(canon, "00:00-06:00,06:00-07:30,22:00-24:00");
  slots_bad("22:00-06:00", "may not cross midnight");
  slots_bad("12:00-12:00", "the start must be before the end");
  slots_bad("9:00-12:00", "is not HH:MM-HH:MM");
  slots_bad("09:00-12:60", "is not HH:MM-HH:MM");
  slots_bad("24:00-24:00", "is not HH:MM-HH:MM"); /* 24:00 only as an end */
  slots_bad("09:00-25:00", "is not HH:MM-HH:MM");
  slots_bad("09:00-12:00,", "is not HH:MM-HH:MM");
  slots_bad("09:00-12:00,11:00-13:00", "slots 09:00-12:00 and 11:00-13:00 overlap");
  slots_bad("14:00-18:00,08:00-20:00", "overlap");
  slots_bad("", "no time slots given");
  warden_buf many;
  warden_buf_init(&many, 0);
  for (int i = 0; i < 49; i++)
    warden_buf_addf(&many, "%s%02d:%02d-%02d:%02d", i ? "," : "", i / 2, (i % 2) * 30, i / 2, (i % 2) * 30 + 10);
  slots_bad(warden_buf_str(&many), "more than 48 time slots");
  warden_buf_release(&many);
}

static void NUM_USAGE_slot_allows_only_inside_declared_slots(void **state) {
  (void)state;
  const char *s = "09:00-12:00,14:00-18:00";
  assert_false(warden_number_slot_allows(s, 8 * 60 + 59));
  assert_true(warden_number_slot_allows(s, 9 * 60));
  assert_true(warden_number_slot_allows(s, 11 * 60 + 59));
  assert_false(warden_number_slot_allows(s, 12 * 60)); /* the end minute is outside */
  assert_false(warden_number_slot_allows(s, 13 * 60));
  assert_true(warden_number_slot_allows(s, 14 * 60));
  assert_false(warden_number_slot_allows(s, 18 * 60));
  assert_true(warden_number_slot_allows("22:00-24:00,00:00-06:00", 1439));
  assert_true(warden_number_slot_allows("22:00-24:00,00:00-06:00", 0));
  assert_false(warden_number_slot_allows("22:00-24:00,00:00-06:00", 720));
  /* fails closed */
  assert_false(warden_number_slot_allows(NULL, 600));
  assert_false(warden_number_slot_allows("", 600));
  assert_false(warden_number_slot_allows("09:00-12:00,junk", 600));
  assert_false(warden_number_slot_allows("12:00-09:00", 600));
  assert_false(warden_number_slot_allows(s, -1));
  assert_false(warden_number_slot_allows(s, 1440));
}

/* ---- over a registry ---- */
typedef struct fixture {
  char dir[64], db[128];
  warden_registry *r;
  warden_policy *p;
} fixture;

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void import_ok(fixture *fx, warden_import_kind k, const char *name, const char *text) {
  char path[160];
  snprintf(path, sizeof path, "%s/%s", fx->dir, name);
  write_file(path, text);
  warden_import_opts o = {0};
  warden_import_result res;
  if (warden_registry_import(fx->r, k, path, &o, &res)) fail_msg("import %s: %s", name, warden_registry_errmsg(fx->r));
  if (res.rejected) fail_msg("import %s: %ld rejected", name, res.rejected);
}

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  warden_buf errors;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/warden-num-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  snprintf(fx->db, sizeof fx->db, "%s/w.db", fx->dir);
  unsetenv("WARDEN_KEY_FILE");
  unsetenv("WARDEN_POLICY");
  setenv("WARDEN_NOW", "2026-03-02T09:00:00+08:00", 1);
  setenv("WARDEN_ACTOR", "tester", 1);
  char err[512];
  if (warden_registry_open(fx->db, &fx->r, err, sizeof err) != WARDEN_OK) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  warden_buf_init(&errors, 1 << 16);
  if (warden_policy_load(NULL, &fx->p, &errors)) {
    fprintf(stderr, "%s\n", warden_buf_str(&errors));
    return -1;
  }
  warden_buf_release(&errors);
  *state = fx;
  import_ok(fx, WARDEN_IMPORT_PARTIES, "p.csv",
            "party_id,kind,name\nPL,organisation,平台\nDI,organisation,总经销\nAG,organisation,代理\n"
            "O1,organisation,一公司\nO2,organisation,二公司\nI1,individual,甲\n");
  import_ok(fx, WARDEN_IMPORT_ACCOUNTS, "a.csv",
            "account_id,party_id,role,parent_id\npl,PL,platform,\nd1,DI,distributor,pl\nag,AG,agent,d1\n"
            "c1,O1,customer,ag\nc2,O2,customer,ag\ni1,I1,customer,ag\n");
  import_ok(fx, WARDEN_IMPORT_DOCUMENTS, "d.csv",
            "party_id,type,number,role\n"
            "O1,uscc,91350100M000100Y43,holder\nO1,resident,11010519491231002X,legal_rep\n"
            "O2,uscc,91350100M000100Y43,holder\nO2,resident,11010519491231002X,legal_rep\n"
            "I1,resident,11010519491231002X,holder\n");
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  warden_registry_close(fx->r);
  warden_policy_free(fx->p);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
  if (system(cmd) != 0) return -1;
  free(fx);
  return 0;
}

static void add(fixture *fx, const char *number, const char *province) {
  warden_number_new in = {
      .number = number, .province = province, .annual_fee_fen = -1, .state = WARDEN_NUMBER_AVAILABLE};
  if (warden_number_add(fx->r, fx->p, &in)) fail_msg("add %s: %s", number, warden_registry_errmsg(fx->r));
}

static const char *state_of(fixture *fx, const char *number, warden_arena *a) {
  warden_number_view v;
  if (warden_number_get(fx->r, number, a, &v)) fail_msg("get %s: %s", number, warden_registry_errmsg(fx->r));
  return v.state;
}

static void count_action(const warden_audit_entry *e, void *ctx) {
  if (!strcmp(e->action, "number.available") && strstr(e->detail, "NUM-CATALOG")) (*(int *)ctx)++;
}

static void NUM_CATALOG_tick_returns_recovered_numbers_after_the_cooloff(void **state) {
  fixture *fx = *state;
  warden_arena a;
  warden_arena_init(&a, 0);
  add(fx, "02012345678", NULL);
  add(fx, "02012340000", NULL);
  assert_int_equal(warden_number_reserve(fx->r, "02012345678", "c1", NULL), WARDEN_OK);
  assert_int_equal(warden_number_activate(fx->r, "02012345678", "c1", NULL, NULL), WARDEN_OK);
  assert_int_equal(warden_number_recover(fx->r, fx->p, "02012345678", "contract ended"), WARDEN_OK);
  warden_number_view v;
  assert_int_equal(warden_number_get(fx->r, "02012345678", &a, &v), WARDEN_OK);
  assert_string_equal(v.state, "recovered");
  assert_null(v.account);
  int64_t now;
  assert_true(warden_time_parse("2026-03-02T09:00:00+08:00", &now));
  assert_int_equal(v.cooloff_until, now + 90 * 86400); /* the policy's 90 days */
  /* a recovered number cannot be sold again before its cool-off ends */
  assert_int_equal(warden_number_reserve(fx->r, "02012345678", NULL, NULL), WARDEN_ERR_STATE);
  assert_non_null(strstr(warden_registry_errmsg(fx->r), "cool-off until 2026-05-31"));
  long moved = -1;
  assert_int_equal(warden_number_tick(fx->r, now + 90 * 86400 - 1, &moved), WARDEN_OK);
  assert_int_equal(moved, 0);
  assert_string_equal(state_of(fx, "02012345678", &a), "recovered");
  assert_int_equal(warden_number_tick(fx->r, now + 90 * 86400, &moved), WARDEN_OK);
  assert_int_equal(moved, 1);
  assert_string_equal(state_of(fx, "02012345678", &a), "available");
  /* idempotent: the same instant again moves nothing and writes nothing */
  warden_audit_check chk1, chk2;
  assert_int_equal(warden_audit_verify(fx->r, &chk1), WARDEN_OK);
  assert_int_equal(warden_number_tick(fx->r, now + 90 * 86400, &moved), WARDEN_OK);
  assert_int_equal(moved, 0);
  assert_int_equal(warden_audit_verify(fx->r, &chk2), WARDEN_OK);
  assert_int_equal(chk1.entries, chk2.entries);
  assert_int_equal(chk2.first_bad, 0);
  int n = 0;
  assert_int_equal(warden_audit_list(fx->r, 0, "02012345678", count_action, &n), WARDEN_OK);
  assert_int_equal(n, 1);
  /* the untouched number never moved */
  assert_string_equal(state_of(fx, "02012340000", &a), "available");
  /* and it can now be reserved again */
  assert_int_equal(warden_number_reserve(fx->r, "02012345678", "c2", NULL), WARDEN_OK);
  warden_arena_release(&a);
}

static void NUM_CATALOG_tick_runs_inside_the_callers_transaction(void **state) {
  fixture *fx = *state;
  warden_arena a;
  warden_arena_init(&a, 0);
  add(fx, "02012345678", NULL);
  assert_int_equal(warden_number_reserve(fx->r, "02012345678", "c1", NULL), WARDEN_OK);
  assert_int_equal(warden_number_activate(fx->r, "02012345678", "c1", NULL, NULL), WARDEN_OK);
  assert_int_equal(warden_number_recover(fx->r, fx->p, "02012345678", NULL), WARDEN_OK);
  int64_t later;
  assert_true(warden_time_parse("2026-07-01", &later));
  long moved = 0;
  /* rolled back with the caller's transaction */
  assert_int_equal(warden_registry_begin(fx->r), WARDEN_OK);
  assert_int_equal(warden_number_tick(fx->r, later, &moved), WARDEN_OK);
  assert_int_equal(moved, 1);
  warden_registry_rollback(fx->r);
  assert_string_equal(state_of(fx, "02012345678", &a), "recovered");
  /* committed with it */
  assert_int_equal(warden_registry_begin(fx->r), WARDEN_OK);
  assert_int_equal(warden_number_tick(fx->r, later, &moved), WARDEN_OK);
  assert_int_equal(warden_registry_commit(fx->r), WARDEN_OK);
  assert_string_equal(state_of(fx, "02012345678", &a), "available");
  warden_arena_release(&a);
}

static int count_lines(const warden_buf *b) {
  int n = 0;
  for (const char *s = warden_buf_str(b); *s; s++)
    n += *s == '\n';
  return n;
}

static void KYC_LANDING_activation_names_every_failing_precondition(void **state) {
  fixture *fx = *state;
  warden_arena a;
  warden_arena_init(&a, 0);
  add(fx, "4006328888", "44");
  add(fx, "02012345678", NULL);
  add(fx, "13800138000", "44");
  /* the landing: a fixed line of O1 (c1), active; a mobile of O2 (c2), active */
  assert_int_equal(warden_number_reserve(fx->r, "02012345678", NULL, NULL), WARDEN_OK);
  assert_int_equal(warden_number_activate(fx->r, "020-1234-5678", "c1", NULL, NULL), WARDEN_OK);
  assert_int_equal(warden_number_reserve(fx->r, "13800138000", NULL, NULL), WARDEN_OK);
  assert_int_equal(warden_number_activate(fx->r, "13800138000", "c2", NULL, NULL), WARDEN_OK);
  assert_int_equal(warden_number_reserve(fx->r, "4006328888", NULL, NULL), WARDEN_OK);
  /* an individual with another party's landing: two refusals, both named */
  warden_buf why;
  warden_buf_init(&why, 0);
  assert_int_equal(warden_number_activate(fx->r, "4006328888", "i1", "13800138000", &why), WARDEN_ERR_STATE);
  assert_int_equal(count_lines(&why), 2);
  assert_non_null(strstr(warden_buf_str(&why), "is an individual"));
  assert_non_null(strstr(warden_buf_str(&why), "held by account c2 of party O2, not by party I1 (KYC-LANDING)"));
  assert_non_null(strstr(warden_registry_errmsg(fx->r), "cannot activate 4006328888 for i1: "));
  warden_buf_reset(&why);
  assert_int_equal(warden_number_activate(fx->r, "4006328888", "ag", "02012345678", &why), WARDEN_ERR_STATE);
  assert_non_null(strstr(warden_buf_str(&why), "account ag is an agent, not a customer"));
  assert_non_null(strstr(warden_buf_str(&why), "(NUM-NORESALE)"));
  assert_non_null(strstr(warden_buf_str(&why), "its parent d1 is a distributor (CH-LINK-CUST)"));
  assert_string_equal(state_of(fx, "4006328888", &a), "reserved");
  /* a fixed line or mobile takes no landing */
  assert_int_equal(warden_number_reserve(fx->r, "02012340000", NULL, NULL), WARDEN_ERR_NOT_FOUND);
  add(fx, "02012340000", NULL);
  assert_int_equal(warden_number_reserve(fx->r, "02012340000", NULL, NULL), WARDEN_OK);
  assert_int_equal(warden_number_activate(fx->r, "02012340000", "c1", "13800138000", NULL), WARDEN_ERR_USAGE);
  /* all preconditions hold */
  assert_int_equal(warden_number_activate(fx->r, "4006328888", "c1", "02012345678", NULL), WARDEN_OK);
  warden_number_view v;
  assert_int_equal(warden_number_get(fx->r, "4006328888", &a, &v), WARDEN_OK);
  assert_string_equal(v.state, "active");
  assert_string_equal(v.account, "c1");
  assert_string_equal(v.party, "O1");
  assert_string_equal(v.landing, "02012345678");
  assert_false(v.outbound_display);
  warden_buf_release(&why);
  warden_arena_release(&a);
}

static void NUM_OUTBOUND_is_never_on_for_a_400_number(void **state) {
  fixture *fx = *state;
  warden_arena a;
  warden_arena_init(&a, 0);
  add(fx, "4006328888", "44");
  add(fx, "8008101234", "11");
  add(fx, "02012345678", NULL);
  assert_int_equal(warden_number_outbound(fx->r, "4006328888", true), WARDEN_ERR_STATE);
  assert_non_null(strstr(warden_registry_errmsg(fx->r), "(NUM-OUTBOUND)"));
  assert_int_equal(warden_number_outbound(fx->r, "8008101234", true), WARDEN_ERR_STATE);
  assert_int_equal(warden_number_outbound(fx->r, "4006328888", false), WARDEN_OK);
  assert_int_equal(warden_number_outbound(fx->r, "02012345678", true), WARDEN_OK);
  warden_number_view v;
  assert_int_equal(warden_number_get(fx->r, "02012345678", &a, &v), WARDEN_OK);
  assert_true(v.outbound_display);
  assert_int_equal(warden_number_get(fx->r, "4006328888", &a, &v), WARDEN_OK);
  assert_false(v.outbound_display);
  warden_arena_release(&a);
}

static void NUM_USAGE_is_stored_canonical_and_withdrawn_at_recovery(void **state) {
  fixture *fx = *state;
  warden_arena a;
  warden_arena_init(&a, 0);
  add(fx, "02012345678", NULL);
  assert_int_equal(warden_number_usage(fx->r, "02012345678", "09:00-12:00", 10),
                   WARDEN_ERR_STATE); /* nobody holds it */
  assert_int_equal(warden_number_reserve(fx->r, "02012345678", "c1", NULL), WARDEN_OK);
  assert_int_equal(warden_number_activate(fx->r, "02012345678", "c1", NULL, NULL), WARDEN_OK);
  assert_int_equal(warden_number_usage(fx->r, "02012345678", "14:00-18:00,09:00-12:00", 500), WARDEN_OK);
  assert_int_equal(warden_number_usage(fx->r, "02012345678", "09:00-12:00", 0), WARDEN_ERR_PARSE);
  warden_number_view v;
  assert_int_equal(warden_number_get(fx->r, "02012345678", &a, &v), WARDEN_OK);
  assert_string_equal(v.slots, "09:00-12:00,14:00-18:00");
  assert_int_equal(v.max_per_day, 500);
  assert_true(warden_number_slot_allows(v.slots, 10 * 60));
  assert_int_equal(warden_number_recover(fx->r, fx->p, "02012345678", NULL), WARDEN_OK);
  assert_int_equal(warden_number_get(fx->r, "02012345678", &a, &v), WARDEN_OK);
  assert_null(v.slots);
  warden_arena_release(&a);
}

static void PD_CONSENT_is_in_force_from_grant_to_revocation(void **state) {
  fixture *fx = *state;
  int64_t t0, t1, t2, t3;
  bool yes = true;
  assert_true(warden_time_parse("2026-03-01T12:00:00+08:00", &t0));
  assert_true(warden_time_parse("2026-03-02T09:00:00+08:00", &t1));
  assert_true(warden_time_parse("2026-03-10T09:00:00+08:00", &t2));
  assert_true(warden_time_parse("2026-03-05T09:00:00+08:00", &t3));
  /* no reply is no consent */
  assert_int_equal(warden_consent_in_force(fx->r, "c1", "13800138000", t1, &yes), WARDEN_OK);
  assert_false(yes);
  warden_consent_terms t = {
      "c1", "+86 138 0013 8000", "一公司", "promotions by SMS", "twice a month", "until 2026-12-31"};
  assert_int_equal(warden_consent_grant(fx->r, &t), WARDEN_OK);
  warden_consent_terms missing = t;
  missing.frequency = "";
  assert_int_equal(warden_consent_grant(fx->r, &missing), WARDEN_ERR_USAGE);
  assert_non_null(strstr(warden_registry_errmsg(fx->r), "the frequency was not disclosed"));
  assert_int_equal(warden_consent_in_force(fx->r, "c1", "13800138000", t0, &yes), WARDEN_OK);
  assert_false(yes); /* not before it was given */
  assert_int_equal(warden_consent_in_force(fx->r, "c1", "13800138000", t1, &yes), WARDEN_OK);
  assert_true(yes);
  assert_int_equal(warden_consent_in_force(fx->r, "c2", "13800138000", t1, &yes), WARDEN_OK);
  assert_false(yes); /* another account's consent is not this one's */
  setenv("WARDEN_NOW", "2026-03-10T09:00:00+08:00", 1);
  assert_int_equal(warden_consent_revoke(fx->r, "c1", "13800138000"), WARDEN_OK);
  assert_int_equal(warden_consent_revoke(fx->r, "c1", "13800138000"), WARDEN_ERR_NOT_FOUND);
  assert_int_equal(warden_consent_in_force(fx->r, "c1", "13800138000", t2, &yes), WARDEN_OK);
  assert_false(yes);
  assert_int_equal(warden_consent_in_force(fx->r, "c1", "13800138000", t3, &yes), WARDEN_OK);
  assert_true(yes); /* a call made on the 5th had consent */
  assert_int_equal(warden_consent_in_force(fx->r, "c1", "4006328888", t3, &yes), WARDEN_ERR_PARSE);
  /* the database keeps the callee for lookups, the audit log only masked */
  sqlite3 *db;
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
  assert_int_equal(
      sqlite3_prepare_v2(db,
                         "SELECT count(*), sum(detail LIKE '%13800138000%'), sum(detail LIKE '%PD-CONSENT%')"
                         " FROM audit WHERE action LIKE 'consent.%'",
                         -1, &q, NULL),
      SQLITE_OK);
  assert_int_equal(sqlite3_step(q), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(q, 0), 2);
  assert_int_equal(sqlite3_column_int(q, 1), 0);
  assert_int_equal(sqlite3_column_int(q, 2), 2);
  sqlite3_finalize(q);
  sqlite3_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(NUM_CATALOG_kinds_come_from_the_digits),
      cmocka_unit_test(NUM_CATALOG_area_codes_decide_the_province),
      cmocka_unit_test(NUM_CATALOG_grades_each_pattern_and_its_near_misses),
      cmocka_unit_test(NUM_CATALOG_fee_comes_from_the_policy),
      cmocka_unit_test(NUM_USAGE_slots_are_validated),
      cmocka_unit_test(NUM_USAGE_slot_allows_only_inside_declared_slots),
      cmocka_unit_test_setup_teardown(NUM_CATALOG_tick_returns_recovered_numbers_after_the_cooloff, setup, teardown),
      cmocka_unit_test_setup_teardown(NUM_CATALOG_tick_runs_inside_the_callers_transaction, setup, teardown),
      cmocka_unit_test_setup_teardown(KYC_LANDING_activation_names_every_failing_precondition, setup, teardown),
      cmocka_unit_test_setup_teardown(NUM_OUTBOUND_is_never_on_for_a_400_number, setup, teardown),
      cmocka_unit_test_setup_teardown(NUM_USAGE_is_stored_canonical_and_withdrawn_at_recovery, setup, teardown),
      cmocka_unit_test_setup_teardown(PD_CONSENT_is_in_force_from_grant_to_revocation, setup, teardown),
  };
  return cmocka_run_group_tests_name("numbers", tests, NULL, NULL);
}
