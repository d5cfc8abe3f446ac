/* test_money.c — contracts (CT-TERM), deposits (CT-DEPOSIT), the ledger, arrears (CT-ARREARS) and
 * the tick's determinism and idempotence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <cmocka.h>

#include "core/core.h"
#include "gen/gen.h"
#include "money/money.h"
#include "policy/policy.h"
#include "registry/registry.h"

typedef struct fixture {
  char dir[64], db[128];
  warden_registry *r;
  warden_policy *p;
} fixture;

static int32_t D(const char *s) {
  int32_t d;
  assert_true(warden_date_parse(s, &d));
  return d;
}

static void at(const char *when) { setenv("WARDEN_NOW", when, 1); }

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/warden-money-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  snprintf(fx->db, sizeof fx->db, "%s/w.db", fx->dir);
  unsetenv("WARDEN_KEY_FILE");
  unsetenv("WARDEN_POLICY");
  at("2026-01-05T09:00:00+08:00");
  char err[512];
  warden_buf errors;
  warden_buf_init(&errors, 0);
  if (warden_registry_open(fx->db, &fx->r, err, sizeof err) || warden_policy_load(NULL, &fx->p, &errors)) return -1;
  warden_buf_release(&errors);
  sqlite3_exec(warden_registry_db(fx->r),
               "INSERT INTO party VALUES ('P', 'organisation', '客户', NULL, 0);"
               "INSERT INTO account VALUES ('pl', 'P', 'platform', NULL, 'active', 0);"
               "INSERT INTO account VALUES ('c1', 'P', 'customer', 'pl', 'active', 0);"
               "INSERT INTO account VALUES ('c2', 'P', 'customer', 'pl', 'active', 0);"
               "INSERT INTO account VALUES ('c3', 'P', 'customer', 'pl', 'active', 0);",
               NULL, NULL, NULL);
  *state = fx;
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

static const char *text(fixture *fx, const char *sql) {
  static char out[256];
  sqlite3_stmt *q;
  out[0] = '\0';
  if (sqlite3_prepare_v2(warden_registry_db(fx->r), sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW &&
      sqlite3_column_text(q, 0))
    snprintf(out, sizeof out, "%s", sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  return out;
}

static void CT_TERM_a_term_ends_the_day_before_its_anniversary_or_at_the_months_end(void **s) {
  char d[11];
  struct { const char *start, *end; } cases[] = {
      {"2026-03-01", "2027-02-28"}, {"2026-01-01", "2026-12-31"}, {"2024-02-29", "2025-02-28"},
      {"2027-02-28", "2028-02-27"}, {"2026-01-31", "2027-01-30"}, {"2023-03-01", "2024-02-29"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    warden_date_format(warden_term_end(D(cases[i].start), 12), d);
    assert_string_equal(d, cases[i].end);
  }
  /* one month from 31 January has no corresponding day: the term ends at February's end */
  warden_date_format(warden_term_end(D("2026-01-31"), 1), d);
  assert_string_equal(d, "2026-02-28");
  warden_date_format(warden_term_end(D("2024-01-31"), 1), d);
  assert_string_equal(d, "2024-02-29");
}

static void CT_TERM_renews_for_a_year_unless_notice_came_a_month_ahead(void **state) {
  fixture *fx = *state;
  assert_int_equal(warden_contract_create(fx->r, fx->p, "K1", "c1", D("2025-03-01"), 2500000, true), WARDEN_OK);
  assert_int_equal(warden_contract_create(fx->r, fx->p, "K2", "c2", D("2025-03-01"), 60000, true), WARDEN_OK);
  assert_int_equal(warden_contract_create(fx->r, fx->p, "K3", "c3", D("2024-02-29"), 60000, true), WARDEN_OK);
  assert_int_equal(warden_contract_create(fx->r, fx->p, "K1", "c1", D("2025-03-01"), 1, true), WARDEN_ERR_EXISTS);
  /* the customers pay their fees ahead (unpaid ones would be terminated for arrears at the tick) */
  bool restored;
  assert_int_equal(warden_payment_record(fx->r, "c1", 2500000, "bank", &restored), WARDEN_OK);
  assert_int_equal(warden_payment_record(fx->r, "c2", 120000, "bank", &restored), WARDEN_OK);
  assert_int_equal(warden_payment_record(fx->r, "c3", 180000, "bank", &restored), WARDEN_OK);
  /* K1 ends 2026-02-28; notice must come by 2026-02-01 */
  assert_int_equal(warden_contract_notice(fx->r, fx->p, "K1", D("2026-02-02")), WARDEN_ERR_STATE);
  assert_non_null(strstr(warden_registry_errmsg(fx->r), "must come by 2026-02-01"));
  assert_int_equal(warden_contract_notice(fx->r, fx->p, "K1", D("2026-02-01")), WARDEN_OK);
  warden_tick_report t;
  at("2026-03-01T00:30:00+08:00");
  assert_int_equal(warden_money_tick(fx->r, fx->p, warden_now(), &t), WARDEN_OK);
  assert_int_equal(t.ended, 1);
  assert_string_equal(text(fx, "SELECT state FROM contract WHERE id = 'K1'"), "ended");
  assert_string_equal(text(fx, "SELECT state FROM contract WHERE id = 'K2'"), "active");
  assert_string_equal(text(fx, "SELECT end_date FROM contract WHERE id = 'K2'"),
                      text(fx, "SELECT CAST(julianday('2027-02-28') - 2440587.5 AS INTEGER)"));
  /* K3 from a leap day: first term to 2025-02-28, then 2025-03-01..2026-02-28 */
  assert_string_equal(text(fx, "SELECT renewals FROM contract WHERE id = 'K3'"), "2");
  assert_string_equal(text(fx, "SELECT end_date FROM contract WHERE id = 'K3'"),
                      text(fx, "SELECT CAST(julianday('2027-02-28') - 2440587.5 AS INTEGER)"));
  /* each renewal posted the next term's fee, due on its first day */
  assert_string_equal(text(fx, "SELECT count(*) FROM ledger WHERE ref = 'K3' AND kind = 'fee'"), "3");
}

static void CT_ARREARS_late_fees_dunning_suspension_termination_and_restoration(void **state) {
  fixture *fx = *state;
  /* a 1000-yuan fee due 2026-01-10; 3 permille a day is 3 yuan */
  assert_int_equal(warden_ledger_post(fx->r, "c1", WARDEN_LEDGER_FEE, 100000, D("2026-01-10"), "K", NULL), WARDEN_OK);
  warden_tick_report t;
  at("2026-01-10T12:00:00+08:00");
  assert_int_equal(warden_money_tick(fx->r, fx->p, warden_now(), &t), WARDEN_OK);
  assert_int_equal(t.late_fees, 0); /* due today: not overdue yet */
  at("2026-01-15T12:00:00+08:00");
  assert_int_equal(warden_money_tick(fx->r, fx->p, warden_now(), &t), WARDEN_OK);
  assert_int_equal(t.late_fee_fen, 5 * 300); /* 11..15 January */
  assert_int_equal(t.dunned, 1);
  /* idempotent: the same tick again changes nothing */
  const char *before = text(fx, "SELECT count(*) || ':' || (SELECT max(seq) FROM audit) FROM ledger");
  char saved[64];
  snprintf(saved, sizeof saved, "%s", before);
  assert_int_equal(warden_money_tick(fx->r, fx->p, warden_now(), &t), WARDEN_OK);
  assert_int_equal(t.late_fees + t.dunned + t.suspended + t.terminated, 0);
  assert_string_equal(text(fx, "SELECT count(*) || ':' || (SELECT max(seq) FROM audit) FROM ledger"), saved);
  /* 30 days overdue: suspended */
  at("2026-02-09T12:00:00+08:00");
  assert_int_equal(warden_money_tick(fx->r, fx->p, warden_now(), &t), WARDEN_OK);
  assert_int_equal(t.suspended, 1);
  assert_string_equal(text(fx, "SELECT state FROM account WHERE id = 'c1'"), "suspended");
  /* paying the principal only does not restore: late fees are arrears too */
  bool restored;
  assert_int_equal(warden_payment_record(fx->r, "c1", 100000, "bank", &restored), WARDEN_OK);
  assert_false(restored);
  assert_string_equal(text(fx, "SELECT state FROM account WHERE id = 'c1'"), "suspended");
  int64_t bal;
  assert_int_equal(warden_ledger_balance(fx->r, "c1", &bal), WARDEN_OK);
  assert_int_equal(bal, 30 * 300);
  assert_int_equal(warden_payment_record(fx->r, "c1", bal, "bank", &restored), WARDEN_OK);
  assert_true(restored);
  assert_string_equal(text(fx, "SELECT state FROM account WHERE id = 'c1'"), "active");
  /* another account never pays: terminated after 90 days */
  assert_int_equal(warden_contract_create(fx->r, fx->p, "K9", "c2", D("2026-01-10"), 100000, true), WARDEN_OK);
  at("2026-04-10T12:00:00+08:00");
  assert_int_equal(warden_money_tick(fx->r, fx->p, warden_now(), &t), WARDEN_OK);
  assert_int_equal(t.terminated, 1);
  assert_string_equal(text(fx, "SELECT state FROM account WHERE id = 'c2'"), "closed");
  assert_string_equal(text(fx, "SELECT state FROM contract WHERE id = 'K9'"), "terminated");
}

static void CT_DEPOSIT_held_refunded_or_forfeited_once(void **state) {
  fixture *fx = *state;
  long long id1, id2;
  assert_int_equal(warden_deposit_take(fx->r, "c1", NULL, "equipment", 200000, "router", &id1), WARDEN_OK);
  assert_int_equal(warden_deposit_take(fx->r, "c1", NULL, "margin", 500000, "EN-ILLEGAL-HOST undertaking", &id2), WARDEN_OK);
  assert_int_equal(warden_deposit_take(fx->r, "c1", NULL, "gift", 1, NULL, &id2), WARDEN_ERR_USAGE);
  int64_t bal;
  warden_ledger_balance(fx->r, "c1", &bal);
  assert_int_equal(bal, 700000);
  assert_int_equal(warden_deposit_forfeit(fx->r, id1, "returned broken"), WARDEN_OK);
  assert_int_equal(warden_deposit_refund(fx->r, id1, NULL), WARDEN_ERR_STATE);
  assert_int_equal(warden_deposit_refund(fx->r, id1 + 1, "contract ended clean"), WARDEN_OK);
  warden_ledger_balance(fx->r, "c1", &bal);
  assert_int_equal(bal, 200000); /* the refund credits the margin back */
}

static void ledger_is_append_only(void **state) {
  fixture *fx = *state;
  assert_int_equal(warden_ledger_post(fx->r, "c1", WARDEN_LEDGER_FINE, 100000, WARDEN_NO_DATE, "case-1", NULL), WARDEN_OK);
  char *msg = NULL;
  assert_int_not_equal(sqlite3_exec(warden_registry_db(fx->r), "UPDATE ledger SET amount_fen = 1", NULL, NULL, &msg), SQLITE_OK);
  assert_non_null(strstr(msg, "append-only"));
  sqlite3_free(msg);
  assert_int_not_equal(sqlite3_exec(warden_registry_db(fx->r), "DELETE FROM ledger", NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(warden_ledger_post(fx->r, "c1", WARDEN_LEDGER_FINE, 0, WARDEN_NO_DATE, "x", NULL), WARDEN_ERR_USAGE);
  assert_int_equal(warden_ledger_post(fx->r, "nobody", WARDEN_LEDGER_FINE, 5, WARDEN_NO_DATE, "x", NULL), WARDEN_ERR_NOT_FOUND);
}

static void ledger_balance_equals_the_sum_of_entries_over_random_operations(void **state) {
  fixture *fx = *state;
  warden_rng g;
  warden_rng_seed(&g, 7);
  const char *accounts[] = {"c1", "c2", "c3"};
  int32_t day = D("2026-01-05");
  long long deposits[64];
  int ndep = 0;
  for (int i = 0; i < 400; i++) {
    const char *acc = accounts[warden_rng_below(&g, 3)];
    int64_t amount = 1 + (int64_t)warden_rng_below(&g, 5000000);
    int op = (int)warden_rng_below(&g, 8);
    bool restored;
    long long id;
    switch (op) {
    case 0: warden_ledger_post(fx->r, acc, WARDEN_LEDGER_FEE, amount, day + (int32_t)warden_rng_below(&g, 30), "fee", NULL); break;
    case 1: warden_ledger_post(fx->r, acc, WARDEN_LEDGER_FINE, amount, day, "fine", NULL); break;
    case 2: warden_payment_record(fx->r, acc, amount, "pay", &restored); break;
    case 3: warden_ledger_post(fx->r, acc, WARDEN_LEDGER_WAIVER, amount / 3 + 1, WARDEN_NO_DATE, "waiver", NULL); break;
    case 4:
      if (ndep < 64 && !warden_deposit_take(fx->r, acc, NULL, "equipment", amount, NULL, &id)) deposits[ndep++] = id;
      break;
    case 5:
      if (ndep) warden_deposit_refund(fx->r, deposits[warden_rng_below(&g, (uint64_t)ndep)], NULL); /* may be refused */
      break;
    default: {
      day += 1 + (int32_t)warden_rng_below(&g, 9);
      char when[32], d[11];
      warden_date_format(day, d);
      snprintf(when, sizeof when, "%sT10:00:00+08:00", d);
      at(when);
      warden_tick_report t;
      assert_int_equal(warden_money_tick(fx->r, fx->p, warden_now(), &t), WARDEN_OK);
    }
    }
    long n, bad;
    char first[300];
    assert_int_equal(warden_ledger_check(fx->r, NULL, &n, &bad, first, sizeof first), WARDEN_OK);
    if (bad) fail_msg("after operation %d (%d): %s", i, op, first);
  }
  long n, bad;
  char first[300];
  warden_ledger_check(fx->r, NULL, &n, &bad, first, sizeof first);
  assert_int_equal(n, 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(CT_TERM_a_term_ends_the_day_before_its_anniversary_or_at_the_months_end),
      cmocka_unit_test_setup_teardown(CT_TERM_renews_for_a_year_unless_notice_came_a_month_ahead, setup, teardown),
      cmocka_unit_test_setup_teardown(CT_ARREARS_late_fees_dunning_suspension_termination_and_restoration, setup, teardown),
      cmocka_unit_test_setup_teardown(CT_DEPOSIT_held_refunded_or_forfeited_once, setup, teardown),
      cmocka_unit_test_setup_teardown(ledger_is_append_only, setup, teardown),
      cmocka_unit_test_setup_teardown(ledger_balance_equals_the_sum_of_entries_over_random_operations, setup, teardown),
  };
  return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
