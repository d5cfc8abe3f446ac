/* view.c — reading cases (lists, one case's timeline and evidence) and the morning report. */
#include <stdlib.h>
#include <string.h>

#include "enforce_int.h"

static const char *dup(warden_arena *a, sqlite3_stmt *q, int col) {
  const unsigned char *s = sqlite3_column_text(q, col);
  if (!s) return NULL;
  return warden_arena_strndup(a, (const char *)s, strlen((const char *)s));
}

#define CASE_COLUMNS                                                                                          \
  "id, coalesce(parent_case, 0), kind, rules, subject_kind, subject, account_id, agent_id, owner, state, outcome, " \
  "note, deadline_what, grade, opened, coalesce(closed, 0), coalesce(deadline, 0), fine_fen"

static void read_case(warden_enforce_ctx *x, sqlite3_stmt *q, warden_arena *a, warden_case_view *v) {
  v->id = sqlite3_column_int64(q, 0);
  v->parent = sqlite3_column_int64(q, 1);
  v->kind = dup(a, q, 2);
  v->rules = dup(a, q, 3);
  v->subject_kind = dup(a, q, 4);
  v->subject = dup(a, q, 5);
  v->account = dup(a, q, 6);
  v->agent = dup(a, q, 7);
  v->owner = dup(a, q, 8);
  v->state = dup(a, q, 9);
  v->outcome = dup(a, q, 10);
  v->note = dup(a, q, 11);
  v->deadline_what = dup(a, q, 12);
  v->grade = sqlite3_column_int(q, 13);
  v->opened = sqlite3_column_int64(q, 14);
  v->closed = sqlite3_column_int64(q, 15);
  v->deadline = sqlite3_column_int64(q, 16);
  v->fine_fen = sqlite3_column_int64(q, 17);
  v->overdue = !v->closed && v->deadline && v->deadline <= x->now;
  v->age = (v->closed ? v->closed : x->now) - v->opened;
}

/* WHERE for a filter: ?1 state, ?2 kind, ?3 agent, ?4 subject, ?5 now, ?6 overdue. */
#define CASE_FILTER                                                                                           \
  " WHERE (?1 IS NULL OR (?1 = 'open' AND closed IS NULL) OR state = ?1) AND (?2 IS NULL OR kind = ?2) "      \
  "AND (?3 IS NULL OR agent_id = ?3 OR account_id = ?3) AND (?4 IS NULL OR subject = ?4) "                     \
  "AND (?6 = 0 OR (closed IS NULL AND deadline IS NOT NULL AND deadline <= ?5))"

warden_status warden_case_list(warden_enforce_ctx *x, const warden_case_filter *f, warden_arena *a,
                               warden_case_view **out, size_t *n, long *total) {
  sqlite3_stmt *q;
  int64_t count;
  *out = NULL;
  *n = 0;
  warden_status st = enf_i64(x, &count, 0, "SELECT count(*) FROM enf_case" CASE_FILTER, "ttttid", f->state, f->kind,
                             f->agent, f->subject, x->now, (int)f->overdue);
  if (st) return st;
  if (total) *total = (long)count;
  int64_t limit = f->limit > 0 ? f->limit : -1;
  if ((st = enf_prepare(x, &q, "SELECT " CASE_COLUMNS " FROM enf_case" CASE_FILTER " ORDER BY id LIMIT ?7 OFFSET ?8",
                        "ttttidii", f->state, f->kind, f->agent, f->subject, x->now, (int)f->overdue, limit,
                        (int64_t)(f->offset > 0 ? f->offset : 0))))
    return st;
  size_t cap = (size_t)(limit > 0 && limit < count ? limit : count) + 1;
  warden_case_view *v = warden_arena_alloc(a, cap * sizeof *v);
  if (!v) {
    sqlite3_finalize(q);
    return WARDEN_ERR_NOMEM;
  }
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < cap) read_case(x, q, a, &v[(*n)++]);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) st = enf_db_fail(x, "listing cases");
  sqlite3_finalize(q);
  *out = v;
  return st;
}

warden_status warden_case_get(warden_enforce_ctx *x, long long id, warden_arena *a, warden_case_view *out) {
  sqlite3_stmt *q;
  warden_status st = enf_prepare(x, &q, "SELECT " CASE_COLUMNS " FROM enf_case WHERE id = ?1", "i", (int64_t)id);
  if (st) return st;
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) read_case(x, q, a, out);
  else if (rc == SQLITE_DONE) st = warden_registry_fail(x->r, WARDEN_ERR_NOT_FOUND, "no case %lld", id);
  else st = enf_db_fail(x, "reading the case");
  sqlite3_finalize(q);
  return st;
}

warden_status warden_case_timeline(warden_enforce_ctx *x, long long id, warden_arena *a, warden_case_event **ev,
                                   size_t *nev, warden_case_evidence **evid, size_t *nevid) {
  sqlite3_stmt *q;
  int64_t count;
  *nev = *nevid = 0;
  warden_status st = enf_i64(x, &count, 0, "SELECT count(*) FROM case_event WHERE case_id = ?1", "i", (int64_t)id);
  if (st) return st;
  *ev = warden_arena_alloc(a, ((size_t)count + 1) * sizeof **ev);
  if (!*ev) return WARDEN_ERR_NOMEM;
  if ((st = enf_prepare(x, &q, "SELECT at, actor, kind, state, detail FROM case_event WHERE case_id = ?1 ORDER BY id", "i",
                        (int64_t)id)))
    return st;
  while (sqlite3_step(q) == SQLITE_ROW && *nev < (size_t)count) {
    warden_case_event *e = &(*ev)[(*nev)++];
    e->at = sqlite3_column_int64(q, 0);
    e->actor = dup(a, q, 1);
    e->kind = dup(a, q, 2);
    e->state = dup(a, q, 3);
    e->detail = dup(a, q, 4);
  }
  sqlite3_finalize(q);
  if ((st = enf_i64(x, &count, 0, "SELECT count(*) FROM case_evidence WHERE case_id = ?1", "i", (int64_t)id))) return st;
  *evid = warden_arena_alloc(a, ((size_t)count + 1) * sizeof **evid);
  if (!*evid) return WARDEN_ERR_NOMEM;
  if ((st = enf_prepare(x, &q, "SELECT kind, ref, detail, added FROM case_evidence WHERE case_id = ?1 ORDER BY added, kind, ref",
                        "i", (int64_t)id)))
    return st;
  while (sqlite3_step(q) == SQLITE_ROW && *nevid < (size_t)count) {
    warden_case_evidence *e = &(*evid)[(*nevid)++];
    e->kind = dup(a, q, 0);
    e->ref = dup(a, q, 1);
    e->detail = dup(a, q, 2);
    e->added = sqlite3_column_int64(q, 3);
  }
  sqlite3_finalize(q);
  return WARDEN_OK;
}

/* ---- the report ---------------------------------------------------------------------------------- */

static warden_status counts(warden_enforce_ctx *x, warden_arena *a, warden_report_count **out, size_t *n, const char *sql,
                            int64_t since) {
  sqlite3_stmt *q;
  *out = NULL;
  *n = 0;
  warden_status st = enf_prepare(x, &q, sql, "ii", since, x->now);
  if (st) return st;
  size_t cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (*n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      warden_report_count *grown = warden_arena_alloc(a, ncap * sizeof *grown);
      if (!grown) { st = WARDEN_ERR_NOMEM; break; }
      if (*n) memcpy(grown, *out, *n * sizeof *grown);
      *out = grown;
      cap = ncap;
    }
    (*out)[*n].key = dup(a, q, 0);
    (*out)[(*n)++].count = (long)sqlite3_column_int64(q, 1);
  }
  sqlite3_finalize(q);
  return st;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

warden_status warden_enforce_report(warden_enforce_ctx *x, int64_t since, warden_arena *a, warden_report *out) {
  memset(out, 0, sizeof *out);
  out->since = since;
  out->until = x->now;
  warden_status st;
  int64_t v;
  if ((st = counts(x, a, &out->findings_by_rule, &out->nfindings,
                   "SELECT rule, count(*) FROM finding WHERE found >= ?1 AND found < ?2 + 1 GROUP BY rule ORDER BY rule", since)))
    return st;
  if ((st = counts(x, a, &out->cases_by_state, &out->nstates,
                   "SELECT state, count(*) FROM enf_case WHERE ?1 = ?1 AND opened <= ?2 GROUP BY state ORDER BY state", since)))
    return st;
  if ((st = counts(x, a, &out->cases_by_kind, &out->nkinds,
                   "SELECT kind, count(*) FROM enf_case WHERE opened >= ?1 AND opened <= ?2 GROUP BY kind ORDER BY kind", since)))
    return st;
  if ((st = counts(x, a, &out->agents, &out->nagents,
                   "SELECT agent_id, count(*) FROM enf_case WHERE agent_id IS NOT NULL AND kind <> 'ASSOC-LIABLE' "
                   "AND coalesce(outcome, '') <> 'dismissed' AND ?1 = ?1 AND opened <= ?2 "
                   "GROUP BY agent_id ORDER BY count(*) DESC, agent_id LIMIT 20",
                   since)))
    return st;
#define SCALAR(field, sql)                                                       \
  do {                                                                           \
    if ((st = enf_i64(x, &v, 0, sql, "ii", since, x->now))) return st;           \
    out->field = v;                                                              \
  } while (0)
  SCALAR(opened, "SELECT count(*) FROM enf_case WHERE opened >= ?1 AND opened <= ?2");
  SCALAR(closed, "SELECT count(*) FROM enf_case WHERE closed >= ?1 AND closed <= ?2");
  SCALAR(overdue, "SELECT count(*) FROM enf_case WHERE ?1 = ?1 AND closed IS NULL AND deadline IS NOT NULL AND deadline <= ?2");
  SCALAR(fines_issued, "SELECT coalesce(sum(amount_fen), 0) FROM ledger WHERE kind = 'fine' AND ref LIKE 'case:%' "
                       "AND at >= ?1 AND at <= ?2");
  SCALAR(fines_paid, "SELECT -coalesce(sum(amount_fen), 0) FROM ledger WHERE kind = 'payment' AND ref LIKE 'case:%' "
                     "AND at >= ?1 AND at <= ?2");
  SCALAR(fines_outstanding,
         "SELECT coalesce(sum(amount_fen), 0) FROM ledger WHERE ref LIKE 'case:%' AND kind IN ('fine', 'payment') "
         "AND ref NOT LIKE '% %' AND ?1 = ?1 AND at <= ?2");
  SCALAR(numbers_frozen, "SELECT count(*) FROM audit WHERE action = 'number.freeze' AND at >= ?1 AND at <= ?2");
  SCALAR(numbers_recovered, "SELECT count(*) FROM audit WHERE action = 'number.recover' AND at >= ?1 AND at <= ?2");
  SCALAR(complaints, "SELECT count(*) FROM complaint WHERE imported >= ?1 AND imported <= ?2");
  SCALAR(complaints_unmatched, "SELECT count(*) FROM complaint WHERE number IS NULL AND resource_id IS NULL "
                               "AND imported >= ?1 AND imported <= ?2");
#undef SCALAR
  /* case ages: every case opened by now, to its closing or to now */
  int64_t n;
  if ((st = enf_i64(x, &n, 0, "SELECT count(*) FROM enf_case WHERE opened <= ?1", "i", x->now))) return st;
  if (n > 0) {
    int64_t *ages = malloc((size_t)n * sizeof *ages);
    if (!ages) return WARDEN_ERR_NOMEM;
    sqlite3_stmt *q;
    size_t k = 0;
    if (!(st = enf_prepare(x, &q, "SELECT coalesce(closed, ?1) - opened FROM enf_case WHERE opened <= ?1", "i", x->now))) {
      while (sqlite3_step(q) == SQLITE_ROW && k < (size_t)n) ages[k++] = sqlite3_column_int64(q, 0);
      sqlite3_finalize(q);
      qsort(ages, k, sizeof *ages, cmp_i64);
      if (k) {
        /* nearest-rank percentiles */
        out->age_median = ages[(k * 50 + 99) / 100 - 1];
        out->age_p90 = ages[(k * 90 + 99) / 100 - 1];
      }
    }
    free(ages);
  }
  return st;
}
