/* test_core.c — buffers, arenas, text folding and masking, dates, the CSV reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void strerror_names_every_status(void **s) {
  for (int st = WARDEN_OK; st <= WARDEN_ERR_RANGE; st++) {
    const char *m = warden_strerror((warden_status)st);
    assert_non_null(m);
    assert_string_not_equal(m, "unknown status");
    for (int other = WARDEN_OK; other < st; other++) assert_string_not_equal(m, warden_strerror((warden_status)other));
  }
  assert_string_equal(warden_strerror((warden_status)999), "unknown status");
}

static void money_is_integer_fen(void **state) {
  (void)state;
  char s[32];
  warden_money_format(2500000, s, sizeof s);
  assert_string_equal(s, "25000.00");
  warden_money_format(150, s, sizeof s);
  assert_string_equal(s, "1.50");
  warden_money_format(5, s, sizeof s);
  assert_string_equal(s, "0.05");
  warden_money_format(-150, s, sizeof s);
  assert_string_equal(s, "-1.50");
  warden_money_format(INT64_MIN, s, sizeof s);
  assert_string_equal(s, "-92233720368547758.08");
  int64_t fen;
  assert_true(warden_money_parse("25000 yuan", &fen));
  assert_int_equal(fen, 2500000);
  assert_true(warden_money_parse("25000.5 yuan", &fen));
  assert_int_equal(fen, 2500050);
  assert_true(warden_money_parse("0.05 yuan", &fen));
  assert_int_equal(fen, 5);
  assert_true(warden_money_parse("150 fen", &fen));
  assert_int_equal(fen, 150);
  assert_true(warden_money_parse(" 150fen ", &fen));
  assert_false(warden_money_parse("1.5 fen", &fen));
  assert_true(warden_money_parse("25000", &fen)); /* a bare amount is in yuan */
  assert_int_equal(fen, 2500000);
  assert_false(warden_money_parse("-5 yuan", &fen));
  assert_false(warden_money_parse("1.234 yuan", &fen));
  assert_false(warden_money_parse("99999999999999999999 fen", &fen));
  assert_false(warden_money_parse("92233720368547758 yuan", &fen));
  assert_false(warden_money_parse("", &fen));
}

static void buf_caps_and_detaches(void **s) {
  warden_buf b;
  warden_buf_init(&b, 8);
  assert_int_equal(warden_buf_adds(&b, "12345678"), WARDEN_OK);
  assert_int_equal(warden_buf_addc(&b, '9'), WARDEN_ERR_TOO_BIG);
  assert_string_equal(warden_buf_str(&b), "12345678"); /* unchanged by the refusal */
  size_t n;
  char *p = warden_buf_detach(&b, &n);
  assert_int_equal(n, 8);
  assert_string_equal(p, "12345678");
  assert_null(b.data);
  free(p);
  assert_int_equal(warden_buf_addf(&b, "%d-%s", 7, "x"), WARDEN_OK);
  assert_string_equal(warden_buf_str(&b), "7-x");
  warden_buf_release(&b);
}

static void arena_aligns_and_grows(void **s) {
  warden_arena a;
  warden_arena_init(&a, 64);
  for (int i = 0; i < 100; i++) {
    char *p = warden_arena_alloc(&a, (size_t)i + 1);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    memset(p, 'x', (size_t)i + 1);
  }
  assert_string_equal(warden_arena_strndup(&a, "hello world", 5), "hello");
  warden_arena_release(&a);
}

static void text_folds_full_width_and_rejects_bad_utf8(void **s) {
  char out[64];
  size_t n;
  assert_true(warden_text_fold("１２３ＡＢｘ－９", strlen("１２３ＡＢｘ－９"), out, sizeof out, &n));
  assert_string_equal(out, "123ABx-9");
  assert_false(warden_text_fold("\xC3\x28", 2, out, sizeof out, &n));
  assert_false(warden_utf8_valid("\xED\xA0\x80", 3)); /* a surrogate */
  assert_false(warden_utf8_valid("\xC0\xAF", 2));     /* an overlong slash */
  assert_true(warden_utf8_valid("广州", strlen("广州")));
}

static void mask_keeps_ends_only(void **s) {
  char out[64];
  warden_mask("440102198001010012", out, sizeof out);
  assert_string_equal(out, "4401**********0012");
  warden_mask("H12345678", out, sizeof out);
  assert_string_equal(out, "H1*****78");
  /* characters, not bytes: a free-form number in Chinese keeps whole characters */
  warden_mask("军字第2001988号", out, sizeof out);
  assert_string_equal(out, "军字*******8号"); /* 11 characters: 2 + 7 masked + 2 */
  assert_true(warden_utf8_valid(out, strlen(out)));
  warden_mask("南字第1234567号", out, 8); /* cut short: never half a character */
  assert_true(warden_utf8_valid(out, strlen(out)));
  warden_mask_name("张三丰", out, sizeof out);
  assert_string_equal(out, "张**");
}

static void dates_round_trip_and_reject_nonsense(void **s) {
  int32_t d;
  int y, m, dd;
  for (int32_t x = -800000; x < 800000; x += 997) {
    warden_date_to_ymd(x, &y, &m, &dd);
    assert_int_equal(warden_date_from_ymd(y, m, dd), x);
  }
  assert_true(warden_date_parse("2024-02-29", &d));
  assert_false(warden_date_parse("2023-02-29", &d));
  assert_false(warden_date_parse("1900-02-29", &d));
  assert_true(warden_date_parse("20000229", &d));
  assert_false(warden_date_parse("2024-2-29", &d));
  assert_int_equal(warden_date_from_ymd(1970, 1, 1), 0);
  /* month arithmetic clamps to the month's end */
  assert_true(warden_date_parse("2024-01-31", &d));
  char out[11];
  warden_date_format(warden_date_add_months(d, 1), out);
  assert_string_equal(out, "2024-02-29");
  warden_date_format(warden_date_add_months(d, 13), out);
  assert_string_equal(out, "2025-02-28");
  /* ages: the birthday counts on the day */
  int32_t b, on;
  warden_date_parse("2010-01-01", &b);
  warden_date_parse("2026-01-01", &on);
  assert_int_equal(warden_age_years(b, on), 16);
  warden_date_parse("2025-12-31", &on);
  assert_int_equal(warden_age_years(b, on), 15);
}

static void times_parse_with_offsets_in_cst(void **s) {
  int64_t t;
  assert_true(warden_time_parse("2026-03-02T09:15:02+08:00", &t));
  assert_int_equal(t, 1772414102);
  assert_true(warden_time_parse("2026-03-02T01:15:02Z", &t));
  assert_int_equal(t, 1772414102);
  assert_true(warden_time_parse("2026-03-02 09:15:02", &t)); /* no offset: CST */
  assert_int_equal(t, 1772414102);
  assert_true(warden_time_parse("1772414102", &t));
  assert_int_equal(t, 1772414102);
  assert_false(warden_time_parse("2026-03-02T25:00", &t));
  /* 23:30 UTC on 1 March is 07:30 on 2 March in China */
  assert_true(warden_time_parse("2026-03-01T23:30:00Z", &t));
  char d[11];
  warden_date_format(warden_date_of_utc(t), d);
  assert_string_equal(d, "2026-03-02");
}

/* ---- CSV ---- */
typedef struct rec { warden_status st; unsigned long line; size_t n; const char *f0, *flast; } rec;

static void expect_records(const char *data, size_t len, size_t max_field, const rec *want, size_t nwant) {
  warden_csv c;
  assert_int_equal(warden_csv_open_mem(&c, data, len, max_field), WARDEN_OK);
  for (size_t i = 0; i < nwant; i++) {
    bool got;
    warden_status st = warden_csv_next(&c, &got);
    assert_int_equal(st, want[i].st);
    assert_int_equal(c.line, want[i].line);
    if (st == WARDEN_OK) {
      assert_true(got);
      assert_int_equal(c.nfields, want[i].n);
      assert_string_equal(warden_csv_field(&c, 0), want[i].f0);
      assert_string_equal(warden_csv_field(&c, c.nfields - 1), want[i].flast);
    }
  }
  bool got = true;
  warden_status st = warden_csv_next(&c, &got);
  assert_int_equal(st, WARDEN_OK);
  assert_false(got);
  warden_csv_close(&c);
}

static void csv_reads_rfc4180_with_bom_crlf_and_quotes(void **s) {
  const char d[] = "\xEF\xBB\xBF" "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n\r\n2,\"two\nlines\",z\n3,,\n";
  rec want[] = {{WARDEN_OK, 1, 3, "a", "c"}, {WARDEN_OK, 2, 3, "1", "say \"hi\""},
                {WARDEN_OK, 4, 3, "2", "z"}, {WARDEN_OK, 6, 3, "3", ""}};
  expect_records(d, sizeof d - 1, 0, want, 4);
}

static void csv_bad_record_is_skipped_with_its_line(void **s) {
  const char d[] = "h1,h2\nok,1\nnul\0here,2\nbad\xC3(,3\nlong,12345678901\nstray\"q,4\nlast,5";
  rec want[] = {{WARDEN_OK, 1, 2, "h1", "h2"},        {WARDEN_OK, 2, 2, "ok", "1"},
                {WARDEN_ERR_PARSE, 3, 0, NULL, NULL}, {WARDEN_ERR_PARSE, 4, 0, NULL, NULL},
                {WARDEN_ERR_PARSE, 5, 0, NULL, NULL}, {WARDEN_ERR_PARSE, 6, 0, NULL, NULL},
                {WARDEN_OK, 7, 2, "last", "5"}};
  expect_records(d, sizeof d - 1, 10, want, 7);
}

static void csv_unterminated_quote_ends_the_stream(void **s) {
  const char d[] = "a,b\n1,\"never closed\n2,3\n";
  warden_csv c;
  bool got;
  warden_csv_open_mem(&c, d, sizeof d - 1, 0);
  assert_int_equal(warden_csv_next(&c, &got), WARDEN_OK);
  assert_int_equal(warden_csv_next(&c, &got), WARDEN_ERR_PARSE);
  assert_non_null(strstr(c.err, ":2: quote opened here is never closed"));
  assert_int_equal(warden_csv_next(&c, &got), WARDEN_OK);
  assert_false(got);
  warden_csv_close(&c);
}

static void csv_header_finds_columns_case_blind(void **s) {
  const char d[] = " Party_ID ,TYPE,number\n";
  warden_csv c;
  warden_csv_header h;
  bool got;
  warden_csv_open_mem(&c, d, sizeof d - 1, 0);
  assert_int_equal(warden_csv_next(&c, &got), WARDEN_OK);
  assert_int_equal(warden_csv_header_take(&h, &c), WARDEN_OK);
  assert_int_equal(warden_csv_header_find(&h, "party_id"), 0);
  assert_int_equal(warden_csv_header_find(&h, "number"), 2);
  assert_int_equal(warden_csv_header_find(&h, "expiry"), -1);
  warden_csv_header_release(&h);
  warden_csv_close(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(strerror_names_every_status),
      cmocka_unit_test(money_is_integer_fen),
      cmocka_unit_test(buf_caps_and_detaches),
      cmocka_unit_test(arena_aligns_and_grows),
      cmocka_unit_test(text_folds_full_width_and_rejects_bad_utf8),
      cmocka_unit_test(mask_keeps_ends_only),
      cmocka_unit_test(dates_round_trip_and_reject_nonsense),
      cmocka_unit_test(times_parse_with_offsets_in_cst),
      cmocka_unit_test(csv_reads_rfc4180_with_bom_crlf_and_quotes),
      cmocka_unit_test(csv_bad_record_is_skipped_with_its_line),
      cmocka_unit_test(csv_unterminated_quote_ends_the_stream),
      cmocka_unit_test(csv_header_finds_columns_case_blind),
  };
  return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
