/* cal.c — the working-day calendar behind cal.h. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"

extern const warden_embedded warden_holiday_files[];
extern const size_t warden_holiday_files_count;

#define CAL_FIRST 1990
#define CAL_LAST 2200

/* A notice for year Y may reach back into December of Y-1 (the New Year holiday of 2018 began on
 * 2017-12-30), so a year's table starts 31 days before its 1 January. */
#define CAL_LEAD 31
#define CAL_DAYS (CAL_LEAD + 366)

typedef struct cal_year {
  uint8_t kind[CAL_DAYS]; /* listed days: 1 + warden_day_kind; 0 not listed */
  char *name[CAL_DAYS];   /* their names */
  char notice[256];
  char source[256];
} cal_year;

struct warden_cal {
  cal_year *years[CAL_LAST - CAL_FIRST + 1];
};

static void year_free(cal_year *y) {
  if (!y) return;
  for (int i = 0; i < CAL_DAYS; i++) free(y->name[i]);
  free(y);
}

warden_status warden_cal_new(warden_cal **out) {
  warden_cal *c = calloc(1, sizeof *c);
  warden_buf errors;
  warden_status st = WARDEN_OK;
  *out = NULL;
  if (!c) return WARDEN_ERR_NOMEM;
  warden_buf_init(&errors, 1 << 16);
  for (size_t i = 0; i < warden_holiday_files_count && !st; i++) {
    int year;
    if (!warden_holiday_files[i].len) continue;
    st = warden_cal_load_text(c, warden_holiday_files[i].name, warden_holiday_files[i].text,
                              warden_holiday_files[i].len, &year, &errors);
  }
  if (st) { /* the shipped files are checked by the tests: this is a build gone wrong */
    fprintf(stderr, "warden: built-in holidays: %s", warden_buf_str(&errors));
    warden_cal_free(c);
    c = NULL;
  }
  warden_buf_release(&errors);
  *out = c;
  return st;
}

void warden_cal_free(warden_cal *c) {
  if (!c) return;
  for (int i = 0; i <= CAL_LAST - CAL_FIRST; i++) year_free(c->years[i]);
  free(c);
}

static bool weekend(int32_t date) {
  int wd = (int)(((date % 7) + 7 + 3) % 7); /* 0 = Monday; 1970-01-01 was a Thursday */
  return wd >= 5;
}

warden_status warden_cal_load_text(warden_cal *c, const char *name, const char *text, size_t len, int *year_out,
                                   warden_buf *errors) {
  cal_year *y = calloc(1, sizeof *y);
  int year = 0, nerr = 0;
  unsigned long line = 0;
  if (!y) return WARDEN_ERR_NOMEM;
  snprintf(y->source, sizeof y->source, "%s", name);
#define ERR(...)                                                                                   \
  do {                                                                                             \
    warden_buf_addf(errors, "%s:%lu: ", name, line);                                               \
    warden_buf_addf(errors, __VA_ARGS__);                                                          \
    warden_buf_addc(errors, '\n');                                                                 \
    nerr++;                                                                                        \
  } while (0)
  if (!warden_utf8_valid(text, len) || memchr(text, '\0', len)) {
    warden_buf_addf(errors, "%s: not UTF-8 text\n", name);
    year_free(y);
    return WARDEN_ERR_PARSE;
  }
  for (const char *s = text, *end = text + len; s < end;) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
    char row[512];
    line++;
    if (n && s[n - 1] == '\r') n--;
    if (n >= sizeof row) { ERR("line too long"); s += n + 1; continue; }
    memcpy(row, s, n);
    row[n] = '\0';
    s += n + (nl ? 1 : 0);
    if (!row[0]) continue;
    if (row[0] == '#') {
      if (!y->notice[0] && !strncmp(row, "# notice:", 9)) {
        const char *p = row + 9;
        while (*p == ' ') p++;
        snprintf(y->notice, sizeof y->notice, "%s", p);
      }
      continue;
    }
    char *t1 = strchr(row, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t1 || !t2) { ERR("expected date<TAB>holiday|workday<TAB>name"); continue; }
    *t1 = *t2 = '\0';
    int32_t date;
    if (!warden_date_parse(row, &date)) { ERR("'%s' is not a date (YYYY-MM-DD)", row); continue; }
    int ry, rm, rd;
    warden_date_to_ymd(date, &ry, &rm, &rd);
    if (!year) year = rm == 12 && rd >= 32 - CAL_LEAD ? ry + 1 : ry; /* the notice's year */
    if (ry < CAL_FIRST || ry > CAL_LAST) { ERR("year %d is outside %d-%d", ry, CAL_FIRST, CAL_LAST); continue; }
    int idx = (int)(date - (warden_date_from_ymd(year, 1, 1) - CAL_LEAD));
    if (ry == year - 1 && idx < 0) idx = -1;
    if (idx < 0 || idx >= CAL_DAYS || (ry != year && ry != year - 1)) {
      ERR("%s is not in %d: one file holds one year's notice (and the end of December before it)", row, year);
      continue;
    }
    warden_day_kind k;
    if (!strcmp(t1 + 1, "holiday")) k = WARDEN_DAY_HOLIDAY;
    else if (!strcmp(t1 + 1, "workday")) k = WARDEN_DAY_MAKEUP;
    else { ERR("kind must be holiday or workday, not '%s'", t1 + 1); continue; }
    if (k == WARDEN_DAY_MAKEUP && !weekend(date)) { ERR("%s is a weekday: only a Saturday or Sunday can be a make-up working day", row); continue; }
    if (y->kind[idx]) { ERR("%s is listed twice", row); continue; }
    if (!*(t2 + 1)) { ERR("%s has no name", row); continue; }
    y->kind[idx] = (uint8_t)(1 + k);
    if (!(y->name[idx] = strdup(t2 + 1))) { year_free(y); return WARDEN_ERR_NOMEM; }
  }
#undef ERR
  if (!year && !nerr) {
    warden_buf_addf(errors, "%s: no dates: a year's file lists at least its holidays\n", name);
    nerr++;
  }
  if (!nerr && !y->notice[0]) {
    warden_buf_addf(errors, "%s: no '# notice:' line citing the State Council notice\n", name);
    nerr++;
  }
  if (nerr) {
    year_free(y);
    return WARDEN_ERR_PARSE;
  }
  year_free(c->years[year - CAL_FIRST]);
  c->years[year - CAL_FIRST] = y;
  if (year_out) *year_out = year;
  return WARDEN_OK;
}

warden_status warden_cal_load_file(warden_cal *c, const char *path, int *year, warden_buf *errors) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    warden_buf_addf(errors, "%s: %s\n", path, strerror(errno));
    return WARDEN_ERR_IO;
  }
  warden_buf text;
  warden_buf_init(&text, 1 << 20);
  char chunk[4096];
  size_t n;
  warden_status st = WARDEN_OK;
  while (!st && (n = fread(chunk, 1, sizeof chunk, f)) > 0) st = warden_buf_add(&text, chunk, n);
  fclose(f);
  if (st) warden_buf_addf(errors, "%s: larger than 1 MB\n", path);
  else st = warden_cal_load_text(c, path, warden_buf_str(&text), text.len, year, errors);
  warden_buf_release(&text);
  return st;
}

warden_status warden_cal_load_dir(warden_cal *c, const char *dir, warden_buf *errors) {
  DIR *d = opendir(dir);
  if (!d) {
    warden_buf_addf(errors, "%s: %s\n", dir, strerror(errno));
    return WARDEN_ERR_IO;
  }
  warden_status st = WARDEN_OK;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (n < 5 || strcmp(e->d_name + n - 4, ".tsv")) continue;
    char path[1024];
    int year;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    warden_status s1 = warden_cal_load_file(c, path, &year, errors);
    if (s1 && !st) st = s1;
  }
  closedir(d);
  return st;
}

static const cal_year *year_of(const warden_cal *c, int year) {
  return year < CAL_FIRST || year > CAL_LAST ? NULL : c->years[year - CAL_FIRST];
}

warden_status warden_cal_day(const warden_cal *c, int32_t date, warden_day_kind *kind, const char **name, char *err,
                             size_t errcap) {
  int year, m, d;
  warden_date_to_ymd(date, &year, &m, &d);
  const cal_year *y = year_of(c, year);
  if (!y) {
    snprintf(err, errcap,
             "no holiday notice loaded for %d: load the State Council's notice on the %d holidays "
             "(国务院办公厅关于%d年部分节假日安排的通知) with `warden cal load FILE`",
             year, year, year);
    return WARDEN_ERR_RANGE;
  }
  /* the next year's notice speaks for the end of December first (it is the later word) */
  const cal_year *next = m == 12 ? year_of(c, year + 1) : NULL;
  int nidx = (int)(date - (warden_date_from_ymd(year + 1, 1, 1) - CAL_LEAD));
  int idx = (int)(date - (warden_date_from_ymd(year, 1, 1) - CAL_LEAD));
  const cal_year *src = next && nidx >= 0 && next->kind[nidx] ? next : y->kind[idx] ? y : NULL;
  int at = src == next ? nidx : idx;
  if (src) {
    *kind = (warden_day_kind)(src->kind[at] - 1);
    if (name) *name = src->name[at];
  } else {
    *kind = weekend(date) ? WARDEN_DAY_WEEKEND : WARDEN_DAY_WORKDAY;
    if (name) *name = NULL;
  }
  return WARDEN_OK;
}

static bool working(warden_day_kind k) { return k == WARDEN_DAY_WORKDAY || k == WARDEN_DAY_MAKEUP; }

warden_status warden_cal_add(const warden_cal *c, int32_t date, int n, int32_t *out, char *err, size_t errcap) {
  int32_t d = date;
  if (n < 0) {
    snprintf(err, errcap, "the number of working days must not be negative");
    return WARDEN_ERR_USAGE;
  }
  while (n > 0) {
    warden_day_kind k;
    warden_status st = warden_cal_day(c, ++d, &k, NULL, err, errcap);
    if (st) return st;
    if (working(k)) n--;
  }
  *out = d;
  return WARDEN_OK;
}

warden_status warden_cal_between(const warden_cal *c, int32_t a, int32_t b, int *out, char *err, size_t errcap) {
  int sign = 1, count = 0;
  if (b < a) {
    int32_t t = a;
    a = b;
    b = t;
    sign = -1;
  }
  for (int32_t d = a + 1; d <= b; d++) {
    warden_day_kind k;
    warden_status st = warden_cal_day(c, d, &k, NULL, err, errcap);
    if (st) return st;
    if (working(k)) count++;
  }
  *out = sign * count;
  return WARDEN_OK;
}

const char *warden_cal_notice(const warden_cal *c, int year) {
  const cal_year *y = year_of(c, year);
  return y ? y->notice : NULL;
}

const char *warden_cal_source(const warden_cal *c, int year) {
  const cal_year *y = year_of(c, year);
  return y ? y->source : NULL;
}

void warden_cal_range(const warden_cal *c, int *first, int *last) {
  *first = *last = 0;
  for (int i = 0; i <= CAL_LAST - CAL_FIRST; i++)
    if (c->years[i]) {
      if (!*first) *first = CAL_FIRST + i;
      *last = CAL_FIRST + i;
    }
}
