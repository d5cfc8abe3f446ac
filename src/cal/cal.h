/* cal.h — the public face of the working-day calendar: China's public holidays and adjusted working
 * days (调休), from the State Council's annual notices, one file per year.
 *
 * A day is, in this order of precedence:
 *
 *   listed in the year's file as   kind                 working day?
 *   -----------------------------  -------------------  ------------
 *   holiday                        WARDEN_DAY_HOLIDAY   no   (named: 春节 Spring Festival ...)
 *   workday (a Saturday/Sunday)    WARDEN_DAY_MAKEUP    yes  (named: 春节调休 ...)
 *   not listed, Saturday/Sunday    WARDEN_DAY_WEEKEND   no
 *   not listed, Monday-Friday      WARDEN_DAY_WORKDAY   yes
 *
 * A date in a year with no notice loaded is an error (WARDEN_ERR_RANGE) naming the notice to load,
 * never a guess: the calendar cannot know next year's holidays before the State Council says them.
 * Dates are warden day counts (core.h), China Standard Time. The years of data/holidays are compiled
 * in; a folder of year files or the registry (`warden cal load`) adds or replaces years.
 *
 * File format (data/holidays/README.md): `#` comments, the first `# notice:` comment cites the
 * notice; rows `YYYY-MM-DD<TAB>holiday|workday<TAB>name`, all in one year.
 *
 * Ownership: warden_cal_new hands out a calendar the caller ends with warden_cal_free. Pure
 * otherwise: no I/O but the _load_file/_load_dir calls.
 */
#ifndef WARDEN_CAL_H
#define WARDEN_CAL_H

#include <stdint.h>

#include "../core/core.h"

typedef struct warden_cal warden_cal;

typedef enum warden_day_kind {
  WARDEN_DAY_WORKDAY = 0,
  WARDEN_DAY_MAKEUP,  /* a weekend day made a working day */
  WARDEN_DAY_WEEKEND,
  WARDEN_DAY_HOLIDAY,
} warden_day_kind;

/* A calendar holding the compiled-in years. */
warden_status warden_cal_new(warden_cal **out);
void warden_cal_free(warden_cal *c);

/* Loads one year's file from memory (name is used in messages), replacing that year. On
 * WARDEN_ERR_PARSE errors holds "NAME:LINE: message" lines. *year gets the year it covers. */
warden_status warden_cal_load_text(warden_cal *c, const char *name, const char *text, size_t len, int *year,
                                   warden_buf *errors);
warden_status warden_cal_load_file(warden_cal *c, const char *path, int *year, warden_buf *errors);
/* Loads every *.tsv of a folder. */
warden_status warden_cal_load_dir(warden_cal *c, const char *dir, warden_buf *errors);

/* What a day is, with its name (holidays and make-up days) or NULL. err names the missing notice. */
warden_status warden_cal_day(const warden_cal *c, int32_t date, warden_day_kind *kind, const char **name,
                             char *err, size_t errcap);
/* The date n working days after date: the first working day after date is day 1 (n >= 0; n = 0
 * gives date itself). */
warden_status warden_cal_add(const warden_cal *c, int32_t date, int n, int32_t *out, char *err, size_t errcap);
/* Working days after a up to and including b (negative when b < a). */
warden_status warden_cal_between(const warden_cal *c, int32_t a, int32_t b, int *out, char *err, size_t errcap);

/* The notice a year cites, and where it was loaded from; NULL when the year is not covered. */
const char *warden_cal_notice(const warden_cal *c, int year);
const char *warden_cal_source(const warden_cal *c, int year);
/* The covered years, lowest and highest (0 when none); years between may still be missing. */
void warden_cal_range(const warden_cal *c, int *first, int *last);

#endif
