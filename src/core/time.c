/* time.c — civil dates as day counts, CST calendar dates, and parsing of instants.
 * The day arithmetic is Howard Hinnant's days_from_civil / civil_from_days (public domain). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core.h"

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

bool warden_date_valid(int y, int m, int d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

int32_t warden_date_from_ymd(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + (int)doe - 719468);
}

void warden_date_to_ymd(int32_t z, int *y, int *m, int *d) {
  int64_t zz = (int64_t)z + 719468;
  int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
  unsigned doe = (unsigned)(zz - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = (int64_t)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

static bool digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

static int num(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

bool warden_date_parse(const char *s, int32_t *out) {
  size_t n = strlen(s);
  int y, m, d;
  if (n == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4) && digits(s + 5, 2) && digits(s + 8, 2)) {
    y = num(s, 4); m = num(s + 5, 2); d = num(s + 8, 2);
  } else if (n == 8 && digits(s, 8)) {
    y = num(s, 4); m = num(s + 4, 2); d = num(s + 6, 2);
  } else {
    return false;
  }
  if (!warden_date_valid(y, m, d)) return false;
  *out = warden_date_from_ymd(y, m, d);
  return true;
}

void warden_date_format(int32_t days, char out[11]) {
  int y, m, d;
  warden_date_to_ymd(days, &y, &m, &d);
  snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m, d);
}

int32_t warden_date_add_months(int32_t days, int months) {
  int y, m, d;
  warden_date_to_ymd(days, &y, &m, &d);
  int total = y * 12 + (m - 1) + months;
  y = total / 12;
  m = total % 12 + 1;
  if (d > month_days(y, m)) d = month_days(y, m);
  return warden_date_from_ymd(y, m, d);
}

int warden_age_years(int32_t birth, int32_t on) {
  int by, bm, bd, y, m, d;
  warden_date_to_ymd(birth, &by, &bm, &bd);
  warden_date_to_ymd(on, &y, &m, &d);
  int age = y - by;
  if (m < bm || (m == bm && d < bd)) age--;
  return age;
}

int32_t warden_date_of_utc(int64_t t) {
  int64_t local = t + WARDEN_CST_OFFSET;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  return (int32_t)days;
}

bool warden_time_parse(const char *s, int64_t *out) {
  size_t n = strlen(s);
  int64_t v;
  int32_t day;
  if (n > 0 && n <= 12 && digits(s, n) && n != 8) { /* epoch seconds (YYYYMMDD is a date) */
    if (!warden_parse_i64(s, &v)) return false;
    *out = v;
    return true;
  }
  if (warden_date_parse(s, &day)) {
    *out = (int64_t)day * 86400 - WARDEN_CST_OFFSET;
    return true;
  }
  /* YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]; 'T' or ' ' between. */
  if (n < 16 || (s[10] != 'T' && s[10] != ' ')) return false;
  char date[11];
  memcpy(date, s, 10);
  date[10] = '\0';
  if (!warden_date_parse(date, &day)) return false;
  const char *p = s + 11;
  if (!digits(p, 2) || p[2] != ':' || !digits(p + 3, 2)) return false;
  int hh = num(p, 2), mm = num(p + 3, 2), ss = 0;
  p += 5;
  if (*p == ':') {
    if (!digits(p + 1, 2)) return false;
    ss = num(p + 1, 2);
    p += 3;
  }
  if (hh > 23 || mm > 59 || ss > 60) return false;
  int off = WARDEN_CST_OFFSET;
  if (*p == 'Z' && p[1] == '\0') {
    off = 0;
  } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && digits(p + 1, 2) && p[3] == ':' &&
             digits(p + 4, 2)) {
    off = (num(p + 1, 2) * 3600 + num(p + 4, 2) * 60) * (*p == '-' ? -1 : 1);
  } else if (*p != '\0') {
    return false;
  }
  *out = (int64_t)day * 86400 + hh * 3600 + mm * 60 + ss - off;
  return true;
}

int64_t warden_now(void) {
  const char *env = getenv("WARDEN_NOW");
  int64_t t;
  if (env && *env && warden_time_parse(env, &t)) return t;
  return (int64_t)time(NULL);
}

int32_t warden_today(void) { return warden_date_of_utc(warden_now()); }
