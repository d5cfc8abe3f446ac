/* test_cal.c — the working-day calendar against every period of every notice (tests/cal/notices.tsv),
 * and its arithmetic, its refusals and its file checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cal/cal.h"
#include "core/core.h"

static warden_cal *cal;
static char err[512];

typedef struct period {
  char *f[5]; /* year holiday first last makeups */
  char name[160];
} period;

static int32_t D(const char *s) {
  int32_t d;
  assert_true(warden_date_parse(s, &d));
  return d;
}

static void notice_period(void **state) {
  period *p = *state;
  warden_day_kind k;
  const char *name;
  for (int32_t d = D(p->f[2]); d <= D(p->f[3]); d++) {
    assert_int_equal(warden_cal_day(cal, d, &k, &name, err, sizeof err), WARDEN_OK);
    char ds[11];
    warden_date_format(d, ds);
    if (k != WARDEN_DAY_HOLIDAY) fail_msg("%s should be a day off of %s", ds, p->f[1]);
    assert_non_null(strstr(name, p->f[1]));
  }
  if (strcmp(p->f[4], "-")) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", p->f[4]);
    for (char *s = buf; s && *s;) {
      char *comma = strchr(s, ',');
      if (comma) *comma = '\0';
      assert_int_equal(warden_cal_day(cal, D(s), &k, &name, err, sizeof err), WARDEN_OK);
      if (k != WARDEN_DAY_MAKEUP) fail_msg("%s should be a make-up working day", s);
      s = comma ? comma + 1 : NULL;
    }
  }
}

static void add_counts_from_the_next_working_day(void **state) {
  int32_t out;
  char ds[11];
  /* 2026-09-30 (Wed): 1 Oct-7 Oct off, Thu 8 = day 1, Fri 9 = day 2, Sat 10 (make-up) = day 3 */
  assert_int_equal(warden_cal_add(cal, D("2026-09-30"), 3, &out, err, sizeof err), WARDEN_OK);
  warden_date_format(out, ds);
  assert_string_equal(ds, "2026-10-10");
  /* EN-RESALE: 3 working days from Friday 2026-03-06 is Wednesday 2026-03-11 */
  assert_int_equal(warden_cal_add(cal, D("2026-03-06"), 3, &out, err, sizeof err), WARDEN_OK);
  warden_date_format(out, ds);
  assert_string_equal(ds, "2026-03-11");
  /* EN-RESALE-ILLEGAL: 5 working days from 2026-02-12 (Thu) crosses the Spring Festival:
   * Fri 13, Sat 14 (make-up), Tue 24, Wed 25, Thu 26 */
  assert_int_equal(warden_cal_add(cal, D("2026-02-12"), 5, &out, err, sizeof err), WARDEN_OK);
  warden_date_format(out, ds);
  assert_string_equal(ds, "2026-02-26");
  assert_int_equal(warden_cal_add(cal, D("2026-02-12"), 0, &out, err, sizeof err), WARDEN_OK);
  assert_int_equal(out, D("2026-02-12"));
}

static void between_is_the_inverse_of_add(void **state) {
  int n;
  for (int32_t a = D("2015-01-01"); a < D("2026-11-01"); a += 17) {
    int32_t b;
    for (int k = 0; k <= 30; k += 7) {
      assert_int_equal(warden_cal_add(cal, a, k, &b, err, sizeof err), WARDEN_OK);
      assert_int_equal(warden_cal_between(cal, a, b, &n, err, sizeof err), WARDEN_OK);
      assert_int_equal(n, k);
    }
  }
  assert_int_equal(warden_cal_between(cal, D("2026-10-10"), D("2026-09-30"), &n, err, sizeof err), WARDEN_OK);
  assert_int_equal(n, -3);
}

static void a_year_without_its_notice_is_an_error_not_a_guess(void **state) {
  warden_day_kind k;
  int32_t out;
  assert_int_equal(warden_cal_day(cal, D("2027-01-04"), &k, NULL, err, sizeof err), WARDEN_ERR_RANGE);
  assert_non_null(strstr(err, "no holiday notice loaded for 2027"));
  assert_non_null(strstr(err, "国务院办公厅关于2027年部分节假日安排的通知"));
  assert_int_equal(warden_cal_add(cal, D("2026-12-28"), 10, &out, err, sizeof err), WARDEN_ERR_RANGE);
  assert_int_equal(warden_cal_day(cal, D("2014-12-31"), &k, NULL, err, sizeof err), WARDEN_ERR_RANGE);
}

static void a_loaded_notice_adds_the_year(void **state) {
  static const char y2027[] = "# notice: test notice for 2027\n"
                              "2026-12-31\tholiday\t元旦 test\n"
                              "2027-01-01\tholiday\t元旦 New Year's Day\n"
                              "2027-01-02\tworkday\t元旦调休 test\n";
  warden_buf errors;
  warden_buf_init(&errors, 0);
  int year;
  assert_int_equal(warden_cal_load_text(cal, "2027.tsv", y2027, sizeof y2027 - 1, &year, &errors), WARDEN_OK);
  assert_int_equal(year, 2027);
  warden_day_kind k;
  const char *name;
  assert_int_equal(warden_cal_day(cal, D("2027-01-04"), &k, NULL, err, sizeof err), WARDEN_OK);
  assert_int_equal(k, WARDEN_DAY_WORKDAY);
  assert_int_equal(warden_cal_day(cal, D("2027-01-02"), &k, NULL, err, sizeof err), WARDEN_OK);
  assert_int_equal(k, WARDEN_DAY_MAKEUP);
  /* the later notice speaks for the end of December */
  assert_int_equal(warden_cal_day(cal, D("2026-12-31"), &k, &name, err, sizeof err), WARDEN_OK);
  assert_int_equal(k, WARDEN_DAY_HOLIDAY);
  assert_string_equal(name, "元旦 test");
  warden_buf_release(&errors);
}

static void a_bad_file_is_refused_with_every_line(void **state) {
  static const char bad[] = "# notice: bad\n"
                            "2028-01-01\tholiday\t元旦\n"
                            "2028-01-03\tworkday\t周一\n"     /* a Monday cannot be a make-up day */
                            "2028-13-01\tholiday\tx\n"        /* no such date */
                            "2028-01-01\tholiday\t元旦\n"     /* twice */
                            "2028-02-01\tfeast\tx\n"          /* unknown kind */
                            "2026-06-01\tholiday\tx\n"        /* another year */
                            "just text\n";
  warden_buf errors;
  warden_buf_init(&errors, 0);
  int year;
  assert_int_equal(warden_cal_load_text(cal, "2028.tsv", bad, sizeof bad - 1, &year, &errors), WARDEN_ERR_PARSE);
  const char *e = warden_buf_str(&errors);
  assert_non_null(strstr(e, "2028.tsv:3: 2028-01-03 is a weekday"));
  assert_non_null(strstr(e, "2028.tsv:4: '2028-13-01' is not a date"));
  assert_non_null(strstr(e, "2028.tsv:5: 2028-01-01 is listed twice"));
  assert_non_null(strstr(e, "2028.tsv:6: kind must be holiday or workday"));
  assert_non_null(strstr(e, "2028.tsv:7: 2026-06-01 is not in 2028"));
  assert_non_null(strstr(e, "2028.tsv:8: expected date"));
  warden_day_kind k;
  assert_int_equal(warden_cal_day(cal, D("2028-01-05"), &k, NULL, err, sizeof err), WARDEN_ERR_RANGE);
  static const char nonotice[] = "2029-01-01\tholiday\t元旦\n";
  warden_buf_reset(&errors);
  assert_int_equal(warden_cal_load_text(cal, "2029.tsv", nonotice, sizeof nonotice - 1, &year, &errors), WARDEN_ERR_PARSE);
  assert_non_null(strstr(warden_buf_str(&errors), "no '# notice:' line"));
  warden_buf_release(&errors);
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "tests/cal/notices.tsv";
  FILE *f = fopen(path, "r");
  if (!f || warden_cal_new(&cal)) return 2;
  period *ps = calloc(256, sizeof *ps);
  size_t n = 0;
  char line[1024];
  while (fgets(line, sizeof line, f) && n < 256) {
    line[strcspn(line, "\n")] = '\0';
    if (!line[0] || line[0] == '#') continue;
    char *p = strdup(line);
    for (int i = 0; i < 5; i++) {
      ps[n].f[i] = p;
      char *tab = p ? strchr(p, '\t') : NULL;
      if (tab) { *tab = '\0'; p = tab + 1; }
      else p = NULL;
    }
    if (!ps[n].f[4]) return 2;
    snprintf(ps[n].name, sizeof ps[n].name, "notice %s %s: %s..%s off, make-up %s", ps[n].f[0], ps[n].f[1], ps[n].f[2],
             ps[n].f[3], ps[n].f[4]);
    n++;
  }
  fclose(f);
  struct CMUnitTest *tests = calloc(n + 6, sizeof *tests);
  for (size_t i = 0; i < n; i++) tests[i] = (struct CMUnitTest){ps[i].name, notice_period, NULL, NULL, &ps[i]};
  tests[n++] = (struct CMUnitTest)cmocka_unit_test(add_counts_from_the_next_working_day);
  tests[n++] = (struct CMUnitTest)cmocka_unit_test(between_is_the_inverse_of_add);
  tests[n++] = (struct CMUnitTest)cmocka_unit_test(a_year_without_its_notice_is_an_error_not_a_guess);
  tests[n++] = (struct CMUnitTest)cmocka_unit_test(a_bad_file_is_refused_with_every_line);
  tests[n++] = (struct CMUnitTest)cmocka_unit_test(a_loaded_notice_adds_the_year);
  int rc = _cmocka_run_group_tests("calendar", tests, n, NULL, NULL);
  warden_cal_free(cal);
  return rc;
}
