/* enforce_int.h — private to src/enforce: the SQL helpers and the pieces the case machine, the
 * intake (complaints, resources, findings) and the reports share. */
#ifndef WARDEN_ENFORCE_INT_H
#define WARDEN_ENFORCE_INT_H

#include <sqlite3.h>
#include <stdarg.h>

#include "enforce.h"

/* Binds args by a type string, one letter an argument: t text (const char *, NULL binds NULL),
 * i int64_t, d int (promoted). */
warden_status enf_bind(warden_enforce_ctx *x, sqlite3_stmt *q, const char *types, va_list ap);
/* Runs one statement that returns no rows. */
warden_status enf_exec(warden_enforce_ctx *x, const char *sql, const char *types, ...);
/* The first column of the first row as an integer; *out = dflt when there is no row. */
warden_status enf_i64(warden_enforce_ctx *x, int64_t *out, int64_t dflt, const char *sql, const char *types, ...);
/* The first column of the first row as text into out (cap bytes); "" when there is no row or NULL. */
warden_status enf_text(warden_enforce_ctx *x, char *out, size_t cap, const char *sql, const char *types, ...);
/* Prepares sql and binds; the caller steps and finalizes. */
warden_status enf_prepare(warden_enforce_ctx *x, sqlite3_stmt **q, const char *sql, const char *types, ...);
warden_status enf_db_fail(warden_enforce_ctx *x, const char *what);

/* The next slot of a growing heap array (doubling from 64); NULL when out of memory (the array stays
 * the caller's to free). Rows are gathered first and acted on after the query, because the actions
 * write to the tables it reads; no list is capped, a facility may hold thousands of servers. */
void *enf_next_slot(void **items, size_t *n, size_t *cap, size_t size);

/* The end of the working day n working days after now's CST date (24:00 CST, as UTC seconds). */
warden_status enf_workdays(warden_enforce_ctx *x, int64_t n, int64_t *deadline);
/* 24:00 CST at the end of a CST date. */
int64_t enf_end_of_date(int32_t date);
/* "2026-03-05 24:00" style CST rendering of an instant, for timelines. */
void enf_time_format(int64_t t, char *out, size_t cap);

/* Who answers for a subject: the account holding it, and the agent over that account (the account
 * itself when it is an agent; NULL for a facility, or a number nobody holds). */
warden_status enf_resolve(warden_enforce_ctx *x, const char *subject_kind, const char *subject, char *account,
                          size_t acap, char *agent, size_t gcap);

/* Appends to a case's timeline (and nothing else). */
warden_status enf_event(warden_enforce_ctx *x, long long id, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds evidence once (a second add of the same kind and ref is a no-op); *added says whether it was new. */
warden_status enf_evidence(warden_enforce_ctx *x, long long id, const char *kind, const char *ref, const char *detail,
                           bool *added);

/* A case row, as the machine reads it. */
typedef struct enf_case {
  long long id, parent;
  char kind[24], rules[128], subject_kind[16], subject[64], account[64], agent[64], state[24];
  int grade;
  int64_t opened, deadline, fine_fen;
  bool has_deadline, closed;
} enf_case;
warden_status enf_case_load(warden_enforce_ctx *x, long long id, enf_case *c);

/* Opens a case inside the caller's transaction (warden_case_open without its own); *fresh says
 * whether it is new or the open case of the same kind and subject. */
warden_status enf_open(warden_enforce_ctx *x, const warden_case_new *in, long long *id, bool *fresh);
/* Runs the actions for evidence added to an open case (a new complaint on a warned server ...). */
warden_status enf_on_evidence(warden_enforce_ctx *x, long long id, const char *kind);

#endif
