/* case.c — the case machine: opening, a person's actions, deadlines (tick) and the EN-* actions on
 * the registry and the ledger. The state machines are drawn in enforce.h. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../channel/channel.h"
#include "../link/link.h"
#include "../money/money.h"
#include "../numbers/numbers.h"
#include "enforce_int.h"

/* ---- SQL helpers --------------------------------------------------------------------------------- */

warden_status enf_db_fail(warden_enforce_ctx *x, const char *what) {
  return warden_registry_fail(x->r, WARDEN_ERR_DB, "%s: %s", what, sqlite3_errmsg(warden_registry_db(x->r)));
}

warden_status enf_bind(warden_enforce_ctx *x, sqlite3_stmt *q, const char *types, va_list ap) {
  for (int i = 0; types && types[i]; i++) {
    int rc = SQLITE_OK;
    if (types[i] == 't') {
      const char *s = va_arg(ap, const char *);
      rc = s ? sqlite3_bind_text(q, i + 1, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(q, i + 1);
    } else if (types[i] == 'i') {
      rc = sqlite3_bind_int64(q, i + 1, va_arg(ap, int64_t));
    } else {
      rc = sqlite3_bind_int64(q, i + 1, va_arg(ap, int));
    }
    if (rc != SQLITE_OK) return enf_db_fail(x, "binding");
  }
  return WARDEN_OK;
}

static warden_status vprepare(warden_enforce_ctx *x, sqlite3_stmt **q, const char *sql, const char *types,
                              va_list ap) {
  *q = NULL;
  if (sqlite3_prepare_v2(warden_registry_db(x->r), sql, -1, q, NULL) != SQLITE_OK) return enf_db_fail(x, "preparing");
  warden_status st = enf_bind(x, *q, types, ap);
  if (st) {
    sqlite3_finalize(*q);
    *q = NULL;
  }
  return st;
}

warden_status enf_prepare(warden_enforce_ctx *x, sqlite3_stmt **q, const char *sql, const char *types, ...) {
  va_list ap;
  va_start(ap, types);
  warden_status st = vprepare(x, q, sql, types, ap);
  va_end(ap);
  return st;
}

warden_status enf_exec(warden_enforce_ctx *x, const char *sql, const char *types, ...) {
  sqlite3_stmt *q;
  va_list ap;
  va_start(ap, types);
  warden_status st = vprepare(x, &q, sql, types, ap);
  va_end(ap);
  if (st) return st;
  if (sqlite3_step(q) != SQLITE_DONE) st = enf_db_fail(x, "writing");
  sqlite3_finalize(q);
  return st;
}

warden_status enf_i64(warden_enforce_ctx *x, int64_t *out, int64_t dflt, const char *sql, const char *types, ...) {
  sqlite3_stmt *q;
  va_list ap;
  va_start(ap, types);
  warden_status st = vprepare(x, &q, sql, types, ap);
  va_end(ap);
  if (st) return st;
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) *out = sqlite3_column_int64(q, 0);
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE) *out = dflt;
  else st = enf_db_fail(x, "reading");
  sqlite3_finalize(q);
  return st;
}

warden_status enf_text(warden_enforce_ctx *x, char *out, size_t cap, const char *sql, const char *types, ...) {
  sqlite3_stmt *q;
  va_list ap;
  va_start(ap, types);
  warden_status st = vprepare(x, &q, sql, types, ap);
  va_end(ap);
  out[0] = '\0';
  if (st) return st;
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    const unsigned char *s = sqlite3_column_text(q, 0);
    snprintf(out, cap, "%s", s ? (const char *)s : "");
  } else if (rc != SQLITE_DONE) {
    st = enf_db_fail(x, "reading");
  }
  sqlite3_finalize(q);
  return st;
}

void *enf_next_slot(void **items, size_t *n, size_t *cap, size_t size) {
  if (*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 64;
    void *grown = realloc(*items, ncap * size);
    if (!grown) return NULL;
    *items = grown;
    *cap = ncap;
  }
  return (char *)*items + (*n)++ * size;
}

/* ---- time ---------------------------------------------------------------------------------------- */

int64_t enf_end_of_date(int32_t date) { return ((int64_t)date + 1) * 86400 - WARDEN_CST_OFFSET; }

warden_status enf_workdays(warden_enforce_ctx *x, int64_t n, int64_t *deadline) {
  char err[256];
  int32_t end;
  if (warden_cal_add(x->cal, warden_date_of_utc(x->now), (int)n, &end, err, sizeof err))
    return warden_registry_fail(x->r, WARDEN_ERR_STATE, "the working-day calendar: %s", err);
  *deadline = enf_end_of_date(end);
  return WARDEN_OK;
}

void enf_time_format(int64_t t, char *out, size_t cap) {
  int64_t local = t + WARDEN_CST_OFFSET;
  int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t sec = local - day * 86400;
  char d[11];
  warden_date_format((int32_t)day, d);
  if (sec == 0) { /* a deadline at 24:00 reads as the end of the day before */
    warden_date_format((int32_t)day - 1, d);
    snprintf(out, cap, "%s 24:00 CST", d);
    return;
  }
  snprintf(out, cap, "%s %02d:%02d CST", d, (int)(sec / 3600), (int)(sec / 60 % 60));
}

/* ---- subjects ------------------------------------------------------------------------------------ */

warden_status enf_resolve(warden_enforce_ctx *x, const char *subject_kind, const char *subject, char *account,
                          size_t acap, char *agent, size_t gcap) {
  warden_status st = WARDEN_OK;
  char role[32] = "";
  account[0] = agent[0] = '\0';
  if (!strcmp(subject_kind, "number"))
    st = enf_text(x, account, acap, "SELECT account_id FROM number WHERE number = ?1", "t", subject);
  else if (!strcmp(subject_kind, "resource"))
    st = enf_text(x, account, acap, "SELECT account_id FROM resource WHERE id = ?1", "t", subject);
  else if (strcmp(subject_kind, "facility"))
    snprintf(account, acap, "%s", subject);
  if (st || !account[0]) return st;
  if ((st = enf_text(x, role, sizeof role, "SELECT role FROM account WHERE id = ?1", "t", account))) return st;
  if (!role[0]) {
    if (!strcmp(subject_kind, "number") || !strcmp(subject_kind, "resource")) return WARDEN_OK;
    return warden_registry_fail(x->r, WARDEN_ERR_NOT_FOUND, "no account %s", account);
  }
  if (!strcmp(role, "agent")) snprintf(agent, gcap, "%s", account);
  else if (!strcmp(role, "customer"))
    st = enf_text(x, agent, gcap,
                  "SELECT p.id FROM account c JOIN account p ON p.id = c.parent_id "
                  "WHERE c.id = ?1 AND p.role = 'agent'", "t", account);
  return st;
}

/* ---- the timeline -------------------------------------------------------------------------------- */

warden_status enf_event(warden_enforce_ctx *x, long long id, const char *kind, const char *fmt, ...) {
  char detail[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  return enf_exec(x,
                  "INSERT INTO case_event(case_id, at, actor, kind, state, detail) "
                  "SELECT ?1, ?2, ?3, ?4, state, ?5 FROM enf_case WHERE id = ?1",
                  "iittt", (int64_t)id, x->now, warden_registry_actor(x->r), kind, detail);
}

warden_status enf_evidence(warden_enforce_ctx *x, long long id, const char *kind, const char *ref, const char *detail,
                           bool *added) {
  warden_status st = enf_exec(x,
                              "INSERT OR IGNORE INTO case_evidence(case_id, kind, ref, detail, added) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)",
                              "ittti", (int64_t)id, kind, ref, detail, x->now);
  bool fresh = !st && sqlite3_changes(warden_registry_db(x->r)) > 0;
  if (added) *added = fresh;
  if (!st && fresh) st = enf_event(x, id, "evidence", "%s %s: %s", kind, ref, detail);
  return st;
}

warden_status enf_case_load(warden_enforce_ctx *x, long long id, enf_case *c) {
  sqlite3_stmt *q;
  memset(c, 0, sizeof *c);
  warden_status st = enf_prepare(x, &q,
                                 "SELECT id, kind, rules, subject_kind, subject, coalesce(account_id, ''), "
                                 "coalesce(agent_id, ''), state, grade, opened, deadline, fine_fen, "
                                 "coalesce(parent_case, 0), closed IS NOT NULL FROM enf_case WHERE id = ?1",
                                 "i", (int64_t)id);
  if (st) return st;
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    c->id = sqlite3_column_int64(q, 0);
#define COPY(field, col) snprintf(c->field, sizeof c->field, "%s", (const char *)sqlite3_column_text(q, col))
    COPY(kind, 1);
    COPY(rules, 2);
    COPY(subject_kind, 3);
    COPY(subject, 4);
    COPY(account, 5);
    COPY(agent, 6);
    COPY(state, 7);
#undef COPY
    c->grade = sqlite3_column_int(q, 8);
    c->opened = sqlite3_column_int64(q, 9);
    c->has_deadline = sqlite3_column_type(q, 10) != SQLITE_NULL;
    c->deadline = sqlite3_column_int64(q, 10);
    c->fine_fen = sqlite3_column_int64(q, 11);
    c->parent = sqlite3_column_int64(q, 12);
    c->closed = sqlite3_column_int(q, 13) != 0;
  } else if (rc == SQLITE_DONE) {
    st = warden_registry_fail(x->r, WARDEN_ERR_NOT_FOUND, "no case %lld", id);
  } else {
    st = enf_db_fail(x, "reading the case");
  }
  sqlite3_finalize(q);
  return st;
}

/* ---- state changes ------------------------------------------------------------------------------- */

/* Moves the case to state with its next deadline (0: none) and says so in the timeline and audit. */
static warden_status set_state(warden_enforce_ctx *x, enf_case *c, const char *state, int64_t deadline,
                               const char *what, const char *why) {
  warden_status st = enf_exec(x,
                              "UPDATE enf_case SET state = ?2, deadline = CASE WHEN ?3 = 0 THEN NULL ELSE ?3 END, "
                              "deadline_what = CASE WHEN ?3 = 0 THEN NULL ELSE ?4 END, overdue_noted = 0 "
                              "WHERE id = ?1",
                              "itit", (int64_t)c->id, state, deadline, what);
  if (st) return st;
  char was[24];
  snprintf(was, sizeof was, "%s", c->state);
  snprintf(c->state, sizeof c->state, "%s", state);
  c->has_deadline = deadline != 0;
  c->deadline = deadline;
  char dl[192] = "";
  if (deadline) {
    char t[40];
    enf_time_format(deadline, t, sizeof t);
    snprintf(dl, sizeof dl, "; next: %s by %s", what, t);
  }
  if ((st = enf_event(x, c->id, "state", "%s -> %s: %s%s", was, state, why, dl))) return st;
  char subject[32];
  snprintf(subject, sizeof subject, "case:%lld", c->id);
  return warden_audit_appendf(x->r, "case.state", subject, "from=%s to=%s kind=%s subject=%s:%s why=%s (%s)", was,
                              state, c->kind, c->subject_kind, c->subject, why, c->kind);
}

static warden_status close_case(warden_enforce_ctx *x, enf_case *c, const char *outcome, const char *why) {
  warden_status st = enf_exec(x, "UPDATE enf_case SET closed = ?2, outcome = ?3 WHERE id = ?1", "iit",
                              (int64_t)c->id, x->now, outcome);
  if (!st) st = set_state(x, c, "closed", 0, NULL, why);
  c->closed = true;
  return st;
}

/* Audits an action of a case on the registry, and puts it in the timeline. */
static warden_status acted(warden_enforce_ctx *x, enf_case *c, const char *action, const char *subject,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static warden_status acted(warden_enforce_ctx *x, enf_case *c, const char *action, const char *subject,
                           const char *fmt, ...) {
  char detail[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  warden_status st = warden_audit_appendf(x->r, action, subject, "%s case=%lld (%s)", detail, c->id, c->kind);
  if (!st) st = enf_event(x, c->id, "action", "%s %s: %s", action, subject, detail);
  return st;
}

/* ---- actions on the registry and the ledger ----------------------------------------------------- */

static warden_status account_state(warden_enforce_ctx *x, enf_case *c, const char *account, const char *state,
                                   const char *why) {
  char was[32];
  warden_status st = enf_text(x, was, sizeof was, "SELECT state FROM account WHERE id = ?1", "t", account);
  if (st) return st;
  if (!was[0]) return warden_registry_fail(x->r, WARDEN_ERR_NOT_FOUND, "no account %s", account);
  if (!strcmp(was, state) || (!strcmp(was, "disqualified") && strcmp(state, "active"))) return WARDEN_OK;
  if ((st = enf_exec(x, "UPDATE account SET state = ?2 WHERE id = ?1", "tt", account, state))) return st;
  return acted(x, c, "account.state", account, "from=%s to=%s: %s", was, state, why);
}

/* The numbers an account answers for: its own, and, for an agent, its customers'. Allocated from a. */
static warden_status numbers_of(warden_enforce_ctx *x, const char *account, const char *states, warden_arena *a,
                                char ***out, size_t *n) {
  sqlite3_stmt *q;
  *out = NULL;
  *n = 0;
  warden_status st = enf_prepare(x, &q,
                                 "SELECT n.number FROM number n LEFT JOIN account c ON c.id = n.account_id "
                                 "WHERE (n.account_id = ?1 OR c.parent_id = ?1) AND instr(?2, ',' || n.state || ',') > 0 "
                                 "ORDER BY n.number",
                                 "tt", account, states);
  if (st) return st;
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (*n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      char **grown = warden_arena_alloc(a, ncap * sizeof *grown);
      if (!grown) { st = WARDEN_ERR_NOMEM; break; }
      if (*n) memcpy(grown, *out, *n * sizeof *grown);
      *out = grown;
      cap = ncap;
    }
    const char *s = (const char *)sqlite3_column_text(q, 0);
    (*out)[(*n)++] = warden_arena_strndup(a, s, strlen(s));
  }
  if (!st && rc != SQLITE_DONE) st = enf_db_fail(x, "listing numbers");
  sqlite3_finalize(q);
  return st;
}

static warden_status freeze_number(warden_enforce_ctx *x, enf_case *c, const char *number, long *done) {
  char note[96], state[16];
  warden_status st = enf_text(x, state, sizeof state, "SELECT state FROM number WHERE number = ?1", "t", number);
  if (st) return st;
  if (strcmp(state, "active"))
    return enf_event(x, c->id, "note", "number %s not frozen: it is %s", number, state[0] ? state : "not in the inventory");
  snprintf(note, sizeof note, "case %lld %s", c->id, c->kind);
  if ((st = warden_number_freeze(x->r, number, note))) return st;
  if (done) (*done)++;
  return enf_evidence(x, c->id, "frozen", number, "frozen by this case", NULL);
}

static warden_status recover_number(warden_enforce_ctx *x, enf_case *c, const char *number, long *done) {
  char note[96];
  snprintf(note, sizeof note, "case %lld %s", c->id, c->kind);
  warden_status st = warden_number_recover(x->r, x->p, number, note);
  if (!st && done) (*done)++;
  if (!st) st = enf_event(x, c->id, "action", "number %s recovered", number);
  return st;
}

/* A fine on account, due fine_due working days from now (or at due when given). */
static warden_status fine(warden_enforce_ctx *x, enf_case *c, const char *account, int64_t amount, int64_t due,
                          const char *why) {
  warden_status st;
  if (!due && (st = enf_workdays(x, warden_policy_get(x->p, "enforce", "fine_due"), &due))) return st;
  char ref[32], f[32], t[40];
  snprintf(ref, sizeof ref, "case:%lld", c->id);
  int64_t balance;
  if ((st = warden_ledger_post(x->r, account, WARDEN_LEDGER_FINE, amount, warden_date_of_utc(due - 1), ref, &balance)))
    return st;
  if ((st = enf_exec(x, "UPDATE enf_case SET fine_fen = fine_fen + ?2 WHERE id = ?1", "ii", (int64_t)c->id, amount)))
    return st;
  c->fine_fen += amount;
  warden_money_format(amount, f, sizeof f);
  enf_time_format(due, t, sizeof t);
  return acted(x, c, "case.fine", account, "fine %s yuan due %s: %s", f, t, why);
}

/* Paid toward the case's fines (payments referring to it). */
static warden_status paid(warden_enforce_ctx *x, enf_case *c, int64_t *out) {
  char ref[32];
  snprintf(ref, sizeof ref, "case:%lld", c->id);
  warden_status st = enf_i64(x, out, 0, "SELECT -sum(amount_fen) FROM ledger WHERE kind = 'payment' AND ref = ?1",
                             "t", ref);
  return st;
}

static warden_status open_case(warden_enforce_ctx *x, const warden_case_new *in, long long parent, long long *id,
                               bool *fresh);

/* ASSOC-LIABLE: every account associated with `account` is put under inspection, each with a linked
 * case showing the chain of evidence. */
static warden_status assoc_liable(warden_enforce_ctx *x, enf_case *c, const char *account) {
  warden_link_opts o;
  warden_link_graph *g = NULL;
  warden_arena a;
  char err[256];
  warden_status st = warden_link_opts_from_policy(&o, x->p, err, sizeof err);
  warden_arena_init(&a, 1 << 14);
  if (st) {
    st = warden_registry_fail(x->r, st, "ASSOC-LIABLE: %s", err);
    goto done;
  }
  o.today = warden_date_of_utc(x->now);
  if ((st = warden_link_new(&o, &g))) goto done;
  warden_link_load_stats ls;
  if ((st = warden_link_load_registry(g, x->r, &ls, err, sizeof err))) {
    st = warden_registry_fail(x->r, st, "ASSOC-LIABLE: %s", err);
    goto done;
  }
  warden_link_chain *chains = NULL;
  size_t n = 0;
  st = warden_link_associates(g, account, &a, &chains, &n);
  if (st == WARDEN_ERR_NOT_FOUND) {
    st = enf_event(x, c->id, "note", "ASSOC-LIABLE: %s has no associated accounts", account);
    goto done;
  }
  if (st) goto done;
  if (!n) st = enf_event(x, c->id, "note", "ASSOC-LIABLE: %s has no associated accounts", account);
  for (size_t i = 0; !st && i < n; i++) {
    char chain[1024] = "";
    size_t len = 0;
    for (size_t k = 0; k < chains[i].nsteps && len < sizeof chain - 1; k++) {
      const warden_link_step *s = &chains[i].steps[k];
      int w = snprintf(chain + len, sizeof chain - len, "%s%s -[%s %s]- %s", k ? "; " : "", s->from,
                       warden_link_class_name(s->cls), s->value, s->to);
      if (w > 0) len += (size_t)w;
    }
    char state[32];
    if ((st = enf_text(x, state, sizeof state, "SELECT state FROM account WHERE id = ?1", "t", chains[i].account)))
      break;
    if (!state[0] || !strcmp(state, "closed") || !strcmp(state, "disqualified")) continue;
    char note[256];
    snprintf(note, sizeof note, "associated with %s (case %lld %s)", account, c->id, c->kind);
    warden_case_new nc = {.kind = "ASSOC-LIABLE", .subject_kind = "account", .subject = chains[i].account,
                          .rules = "ASSOC-LIABLE", .note = note, .deadline_date = WARDEN_NO_DATE};
    long long lid;
    bool fresh;
    if ((st = open_case(x, &nc, c->id, &lid, &fresh))) break;
    if ((st = enf_evidence(x, lid, "link", account, chain, NULL))) break;
    st = enf_event(x, c->id, "action", "ASSOC-LIABLE: associated account %s under inspection, case %lld", chains[i].account,
                   lid);
  }
done:
  warden_link_free(g);
  warden_arena_release(&a);
  return st;
}

/* Closes the account (and, for ASSOC-LIABLE, inspects its associates). */
static warden_status terminate_account(warden_enforce_ctx *x, enf_case *c, const char *account, const char *state,
                                       const char *why) {
  warden_status st = account_state(x, c, account, state, why);
  if (!st) st = assoc_liable(x, c, account);
  return st;
}

/* EN-FRAUD-SERIOUS: the regulator record and the announcement, written beside the registry. */
static warden_status write_exports(warden_enforce_ctx *x, enf_case *c, char **numbers, size_t n) {
  char dir[512], path[600], company[256] = "", party[64] = "";
  if (x->exports_dir) snprintf(dir, sizeof dir, "%s", x->exports_dir);
  else snprintf(dir, sizeof dir, "%s.exports", sqlite3_db_filename(warden_registry_db(x->r), "main"));
  if (mkdir(dir, 0700) && errno != EEXIST)
    return warden_registry_fail(x->r, WARDEN_ERR_IO, "%s: %s", dir, strerror(errno));
  warden_status st = enf_text(x, party, sizeof party, "SELECT party_id FROM account WHERE id = ?1", "t", c->agent);
  if (!st) st = enf_text(x, company, sizeof company,
                         "SELECT coalesce(name_clear, '(individual: name sealed)') FROM party WHERE id = ?1", "t", party);
  if (st) return st;
  char when[40];
  enf_time_format(x->now, when, sizeof when);
  json_t *rec = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "record", "warden regulator record", "case",
                          (json_int_t)c->id, "rule", "EN-FRAUD-SERIOUS", "agent", c->agent, "party", party, "company",
                          company, "at", when, "grounds", c->rules);
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, json_string(numbers[i]));
  json_object_set_new(rec, "numbers_recovered", arr);
  json_object_set_new(rec, "measures", json_pack("[s,s,s,s]", "agent account closed permanently",
                                                 "agency qualification cancelled", "all numbers recovered",
                                                 "materials to be handed to public security"));
  snprintf(path, sizeof path, "%s/case-%lld-regulator.json", dir, c->id);
  if (json_dump_file(rec, path, JSON_INDENT(2) | JSON_SORT_KEYS)) {
    json_decref(rec);
    return warden_registry_fail(x->r, WARDEN_ERR_IO, "%s: cannot write the regulator record", path);
  }
  json_decref(rec);
  if ((st = enf_evidence(x, c->id, "export", path, "regulator record (EN-FRAUD-SERIOUS)", NULL))) return st;
  snprintf(path, sizeof path, "%s/case-%lld-announcement.txt", dir, c->id);
  FILE *f = fopen(path, "w");
  if (!f) return warden_registry_fail(x->r, WARDEN_ERR_IO, "%s: %s", path, strerror(errno));
  fprintf(f,
          "公告\n\n经查，代理商 %s（%s）名下 400 号码涉嫌诈骗，情节严重。根据平台 400 号码违规处罚规定，"
          "自 %s 起永久关闭其代理账户、取消其代理资格，收回其名下全部号码（共 %zu 个），"
          "并向各运营商及工业和信息化部备案，相关材料移交公安机关。\n\n"
          "Announcement\n\nAgent %s (%s): numbers under this agent were used for fraud in serious circumstances. "
          "Under the platform's 400-number penalty rules, from %s the agent's account is closed permanently, its "
          "agency qualification cancelled, all %zu numbers under it recovered, the company recorded with every operator "
          "and MIIT, and the materials handed to public security. (case %lld, EN-FRAUD-SERIOUS)\n",
          company, c->agent, when, n, company, c->agent, when, n, c->id);
  if (fclose(f)) return warden_registry_fail(x->r, WARDEN_ERR_IO, "%s: %s", path, strerror(errno));
  return enf_evidence(x, c->id, "export", path, "announcement (EN-FRAUD-SERIOUS)", NULL);
}

/* ---- the kinds ----------------------------------------------------------------------------------- */

static const char *const security_grades[] = {"criticism", "warning", "interruption", "termination"};

/* The numbers a case is about: the subject number, or every active number the subject account
 * answers for. */
static warden_status case_numbers(warden_enforce_ctx *x, enf_case *c, const char *states, warden_arena *a,
                                  char ***out, size_t *n) {
  if (!strcmp(c->subject_kind, "number")) {
    *out = warden_arena_alloc(a, sizeof **out);
    if (!*out) return WARDEN_ERR_NOMEM;
    (*out)[0] = warden_arena_strndup(a, c->subject, strlen(c->subject));
    *n = 1;
    return WARDEN_OK;
  }
  if (!c->account[0]) {
    *out = NULL;
    *n = 0;
    return WARDEN_OK;
  }
  return numbers_of(x, c->account, states, a, out, n);
}

static warden_status need_account(warden_enforce_ctx *x, enf_case *c, const char *who, const char *acc) {
  if (acc[0]) return WARDEN_OK;
  return warden_registry_fail(x->r, WARDEN_ERR_STATE, "case %lld (%s): %s:%s has no %s in the registry", c->id,
                              c->kind, c->subject_kind, c->subject, who);
}

/* Interruption (EN-SECURITY) and shutting a user down (EN-DOCS): active numbers frozen, resources shut. */
static warden_status shut_down(warden_enforce_ctx *x, enf_case *c, long *frozen) {
  warden_arena a;
  warden_arena_init(&a, 4096);
  char **nums;
  size_t n;
  warden_status st = case_numbers(x, c, ",active,", &a, &nums, &n);
  for (size_t i = 0; !st && i < n; i++) st = freeze_number(x, c, nums[i], frozen);
  warden_arena_release(&a);
  if (!st && c->account[0]) {
    if ((st = enf_exec(x, "UPDATE resource SET state = 'shut', state_since = ?2 WHERE account_id = ?1 AND state = 'active'",
                       "ti", c->account, x->now)))
      return st;
    int changed = sqlite3_changes(warden_registry_db(x->r));
    if (changed) st = acted(x, c, "resource.shut", c->account, "%d resources shut", changed);
  }
  return st;
}

/* The kind's opening actions (after review, or at once). */
static warden_status start(warden_enforce_ctx *x, enf_case *c) {
  warden_status st = WARDEN_OK;
  int64_t dl;
  const char *k = c->kind;
  if (!strcmp(k, "EN-RESALE")) {
    if ((st = need_account(x, c, "agent", c->agent))) return st;
    if ((st = enf_workdays(x, warden_policy_get(x->p, "enforce", "resale_rectify"), &dl))) return st;
    if ((st = acted(x, c, "case.notice", c->agent, "rectify the resold number %s:%s", c->subject_kind, c->subject)))
      return st;
    return set_state(x, c, "rectifying", dl, "rectification verified", "notice: rectify within the working days");
  }
  if (!strcmp(k, "EN-RESALE-ILLEGAL")) {
    if ((st = need_account(x, c, "agent", c->agent))) return st;
    if ((st = enf_workdays(x, warden_policy_get(x->p, "enforce", "resale_illegal_rectify"), &dl))) return st;
    if ((st = acted(x, c, "case.notice", c->agent, "rectify at once: %s:%s", c->subject_kind, c->subject))) return st;
    return set_state(x, c, "rectifying", dl, "rectified, or the penalty notice", "notice: rectify at once");
  }
  if (!strcmp(k, "EN-FRAUD")) {
    warden_arena a;
    warden_arena_init(&a, 4096);
    char **nums;
    size_t n = 0;
    long frozen = 0;
    const char *liable = c->agent[0] ? c->agent : c->account;
    int64_t due = 0;
    if (!(st = need_account(x, c, "holder", c->account)) && !(st = case_numbers(x, c, ",active,frozen,", &a, &nums, &n)))
      for (size_t i = 0; !st && i < n; i++) st = freeze_number(x, c, nums[i], &frozen);
    if (!st) st = enf_workdays(x, warden_policy_get(x->p, "enforce", "fine_due"), &due);
    if (!st && n)
      st = fine(x, c, liable, warden_policy_get(x->p, "enforce", "fraud_fine") * (int64_t)n, due,
                "EN-FRAUD: a fine for each number suspected of fraud");
    warden_arena_release(&a);
    if (!st) st = terminate_account(x, c, liable, "closed", "EN-FRAUD: the agent's account closed");
    if (!st) st = set_state(x, c, "fined", due, "fine paid", "numbers frozen, account closed, fined");
    return st;
  }
  if (!strcmp(k, "EN-FRAUD-SERIOUS")) {
    if ((st = need_account(x, c, "agent", c->agent))) return st;
    warden_arena a;
    warden_arena_init(&a, 4096);
    char **nums;
    size_t n = 0;
    long done = 0;
    if (!(st = numbers_of(x, c->agent, ",active,frozen,", &a, &nums, &n)))
      for (size_t i = 0; !st && i < n; i++) st = recover_number(x, c, nums[i], &done);
    if (!st) st = terminate_account(x, c, c->agent, "disqualified", "EN-FRAUD-SERIOUS: closed permanently, qualification cancelled");
    if (!st) st = enf_exec(x, "INSERT INTO permission_freeze(account_id, permission, reason, since) VALUES (?1, 'all', ?2, ?3)",
                           "tti", c->agent, "EN-FRAUD-SERIOUS: disqualified", x->now);
    if (!st) st = write_exports(x, c, nums, n);
    warden_arena_release(&a);
    if (!st) st = set_state(x, c, "referral", 0, NULL, "disqualified, numbers recovered, regulator record written");
    return st;
  }
  if (!strcmp(k, "EN-HARASS")) {
    long frozen = 0;
    if ((st = shut_down(x, c, &frozen))) return st;
    return set_state(x, c, "shut", 0, NULL, "shut down at once");
  }
  if (!strcmp(k, "EN-DOCS")) {
    int64_t due;
    if ((st = enf_i64(x, &due, 0, "SELECT deadline FROM enf_case WHERE id = ?1", "i", (int64_t)c->id))) return st;
    if (!due) return warden_registry_fail(x->r, WARDEN_ERR_USAGE, "EN-DOCS needs the campaign's deadline");
    return set_state(x, c, "awaiting-docs", due, "valid documents", "valid documents demanded by the deadline");
  }
  if (!strcmp(k, "EN-AGENT-TERM")) {
    if ((st = need_account(x, c, "agent", c->agent))) return st;
    int offers = 0;
    char reason[160];
    snprintf(reason, sizeof reason, "case %lld EN-AGENT-TERM: not following real-name rules", c->id);
    if ((st = warden_channel_breach(x->r, c->agent, reason, &offers))) return st;
    if ((st = enf_event(x, c->id, "action", "cooperation terminated (CH-BREACH); %d customers offered re-linking", offers)))
      return st;
    if ((st = assoc_liable(x, c, c->agent))) return st;
    return close_case(x, c, "terminated", "cooperation terminated");
  }
  if (!strcmp(k, "EN-NOSERVICE")) {
    if ((st = need_account(x, c, "agent", c->agent))) return st;
    int numbers = 0;
    if ((st = warden_channel_noservice(x->r, c->agent, c->account, &numbers))) return st;
    if ((st = enf_event(x, c->id, "action", "%d numbers taken back from %s; the platform serves %s", numbers, c->agent,
                        c->account)))
      return st;
    return close_case(x, c, "taken-back", "the platform serves the customer");
  }
  if (!strcmp(k, "EN-ILLEGAL-HOST")) {
    if ((st = enf_exec(x, "UPDATE enf_case SET grade = 1 WHERE id = ?1", "i", (int64_t)c->id))) return st;
    c->grade = 1;
    if ((st = acted(x, c, "case.warning", c->subject, "warning 1: illegal information on the resource"))) return st;
    if ((st = set_state(x, c, "warned", 0, NULL, "warned"))) return st;
    if (warden_policy_get(x->p, "enforce", "host_warnings") <= 1) return enf_on_evidence(x, c->id, "warning");
    return WARDEN_OK;
  }
  if (!strcmp(k, "EN-COLLATERAL")) {
    int64_t restore = x->now + warden_policy_get(x->p, "enforce", "collateral_restore") * 3600;
    if ((st = enf_exec(x, "UPDATE facility SET state = 'shut', state_since = ?2 WHERE id = ?1 AND state = 'open'", "ti",
                       c->subject, x->now)))
      return st;
    if ((st = acted(x, c, "facility.shut", c->subject, "the facility is shut"))) return st;
    /* innocent: held by an account with no open violation case of its own (ASSOC-LIABLE aside) */
    sqlite3_stmt *q;
    if ((st = enf_prepare(x, &q,
                          "SELECT r.id, r.account_id FROM resource r WHERE r.facility_id = ?1 AND r.state = 'active' "
                          "AND NOT EXISTS (SELECT 1 FROM enf_case e WHERE e.closed IS NULL AND e.id <> ?2 "
                          "  AND e.kind NOT IN ('ASSOC-LIABLE','EN-COLLATERAL') AND e.account_id = r.account_id) "
                          "ORDER BY r.id",
                          "ti", c->subject, (int64_t)c->id)))
      return st;
    int rc;
    long innocent = 0;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
      const char *res = (const char *)sqlite3_column_text(q, 0), *acc = (const char *)sqlite3_column_text(q, 1);
      char detail[160];
      snprintf(detail, sizeof detail, "innocent co-located customer %s, to move and restore first", acc);
      if ((st = enf_evidence(x, c->id, "innocent", res, detail, NULL))) break;
      st = enf_exec(x, "INSERT INTO outage(case_id, account_id, resource_id, start, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                    "ittit", (int64_t)c->id, acc, res, x->now, "facility shut");
      innocent++;
    }
    sqlite3_finalize(q);
    if (st) return st;
    /* the violators' resources go down with the facility */
    if ((st = enf_exec(x,
                       "UPDATE resource SET state = 'shut', state_since = ?2 WHERE facility_id = ?1 AND state = 'active' "
                       "AND id NOT IN (SELECT ref FROM case_evidence WHERE case_id = ?3 AND kind = 'innocent')",
                       "tii", c->subject, x->now, (int64_t)c->id)))
      return st;
    return set_state(x, c, "moving", restore, "innocent customers moved and restored",
                     innocent ? "facility shut; innocent customers listed" : "facility shut; no innocent customers");
  }
  if (!strcmp(k, "EN-SECURITY")) {
    int g = c->grade < 0 ? 0 : c->grade > 3 ? 3 : c->grade;
    return enf_on_evidence(x, c->id, g == 0 ? "grade:0" : g == 1 ? "grade:1" : g == 2 ? "grade:2" : "grade:3");
  }
  if (!strcmp(k, "EN-INCIDENT")) {
    int64_t due = x->now + warden_policy_get(x->p, "enforce", "incident_report") * 3600;
    if ((st = acted(x, c, "case.incident", c->subject, "emergency measures; original records kept"))) return st;
    return set_state(x, c, "reporting", due, "reported to the authorities", "a major security incident");
  }
  if (!strcmp(k, "ASSOC-LIABLE")) {
    char reason[160];
    snprintf(reason, sizeof reason, "ASSOC-LIABLE: associated-account inspection (case %lld)", c->id);
    char state[32];
    if ((st = enf_text(x, state, sizeof state, "SELECT state FROM account WHERE id = ?1", "t", c->subject))) return st;
    if (strcmp(state, "inspection") && (st = warden_channel_inspect(x->r, c->subject, 0, reason))) return st;
    if ((st = enf_workdays(x, warden_policy_get(x->p, "enforce", "assoc_review"), &dl))) return st;
    return set_state(x, c, "inspection", dl, "inspection reviewed", "permissions frozen for the inspection");
  }
  return warden_registry_fail(x->r, WARDEN_ERR_USAGE, "unknown case kind %s", k);
}

/* EN-SECURITY's measure of grade g. */
static warden_status security_measure(warden_enforce_ctx *x, enf_case *c, int g) {
  warden_status st;
  if ((st = enf_exec(x, "UPDATE enf_case SET grade = ?2 WHERE id = ?1", "id", (int64_t)c->id, g))) return st;
  c->grade = g;
  const char *subject = c->account[0] ? c->account : c->subject;
  if ((st = acted(x, c, "case.measure", subject, "%s (EN-SECURITY grade %d)", security_grades[g], g))) return st;
  if (g == 2) {
    long frozen = 0;
    if ((st = shut_down(x, c, &frozen))) return st;
  }
  if (g == 3) {
    if ((st = need_account(x, c, "holder", c->account))) return st;
    if ((st = terminate_account(x, c, c->account, "closed", "EN-SECURITY: the agreement terminated"))) return st;
    return close_case(x, c, "terminated", "the agreement terminated");
  }
  return set_state(x, c, security_grades[g], 0, NULL, "the measure served");
}

warden_status enf_on_evidence(warden_enforce_ctx *x, long long id, const char *kind) {
  enf_case c;
  warden_status st = enf_case_load(x, id, &c);
  if (st || c.closed) return st;
  if (!strncmp(kind, "grade:", 6)) return security_measure(x, &c, kind[6] - '0');
  if (strcmp(c.kind, "EN-ILLEGAL-HOST")) return WARDEN_OK;
  int64_t warnings = warden_policy_get(x->p, "enforce", "host_warnings");
  if (!strcmp(c.state, "warned")) {
    if (strcmp(kind, "warning")) { /* a new complaint: one more warning */
      if ((st = enf_exec(x, "UPDATE enf_case SET grade = grade + 1 WHERE id = ?1", "i", (int64_t)id))) return st;
      c.grade++;
      if ((st = acted(x, &c, "case.warning", c.subject, "warning %d: illegal information again", c.grade))) return st;
    }
    if (c.grade < warnings) return WARDEN_OK;
  } else if (!strcmp(c.state, "probation")) {
    long long dep = 0;
    int64_t d;
    if ((st = enf_i64(x, &d, 0, "SELECT CAST(ref AS INTEGER) FROM case_evidence WHERE case_id = ?1 AND kind = 'deposit'",
                      "i", (int64_t)id)))
      return st;
    dep = d;
    if (dep && (st = warden_deposit_forfeit(x->r, dep, "EN-ILLEGAL-HOST: illegal information during the term"))) return st;
    if ((st = enf_event(x, id, "action", "margin deposit %lld forfeited: illegal information during the term", dep)))
      return st;
  } else {
    return WARDEN_OK;
  }
  if ((st = enf_exec(x, "UPDATE resource SET state = 'shut', state_since = ?2 WHERE id = ?1", "ti", c.subject, x->now)))
    return st;
  if ((st = acted(x, &c, "resource.shut", c.subject, "server shut after %d warnings", c.grade))) return st;
  return set_state(x, &c, "shut", 0, NULL, "the server is shut");
}

/* ---- opening ------------------------------------------------------------------------------------- */

static bool kind_known(const char *k) {
  static const char *const kinds[] = {"EN-FRAUD",    "EN-FRAUD-SERIOUS", "EN-RESALE",   "EN-RESALE-ILLEGAL",
                                      "EN-NOSERVICE", "EN-HARASS",       "EN-DOCS",     "EN-AGENT-TERM",
                                      "EN-ILLEGAL-HOST", "EN-COLLATERAL", "EN-SECURITY", "EN-INCIDENT",
                                      "ASSOC-LIABLE"};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (!strcmp(k, kinds[i])) return true;
  return false;
}

static warden_status open_case(warden_enforce_ctx *x, const warden_case_new *in, long long parent, long long *id,
                               bool *fresh) {
  warden_status st;
  char account[64], agent[64];
  *fresh = false;
  if (!in->kind || !kind_known(in->kind))
    return warden_registry_fail(x->r, WARDEN_ERR_USAGE, "unknown case kind '%s' (EN-FRAUD, EN-HARASS ... or ASSOC-LIABLE)",
                                in->kind ? in->kind : "");
  if (!in->subject || !*in->subject) return warden_registry_fail(x->r, WARDEN_ERR_USAGE, "a case needs a subject");
  if ((st = enf_resolve(x, in->subject_kind, in->subject, account, sizeof account, agent, sizeof agent))) return st;
  if (!strcmp(in->subject_kind, "resource") && !account[0])
    return warden_registry_fail(x->r, WARDEN_ERR_NOT_FOUND, "no resource %s", in->subject);
  if (!strcmp(in->subject_kind, "facility")) {
    int64_t known;
    if ((st = enf_i64(x, &known, 0, "SELECT count(*) FROM facility WHERE id = ?1", "t", in->subject))) return st;
    if (!known) return warden_registry_fail(x->r, WARDEN_ERR_NOT_FOUND, "no facility %s", in->subject);
  }
  int64_t existing;
  if ((st = enf_i64(x, &existing, 0,
                    "SELECT id FROM enf_case WHERE kind = ?1 AND subject_kind = ?2 AND subject = ?3 AND closed IS NULL "
                    "ORDER BY id LIMIT 1",
                    "ttt", in->kind, in->subject_kind, in->subject)))
    return st;
  if (existing) {
    *id = existing;
    if (in->rules && *in->rules)
      st = enf_exec(x,
                    "UPDATE enf_case SET rules = rules || ',' || ?2 WHERE id = ?1 "
                    "AND instr(',' || rules || ',', ',' || ?2 || ',') = 0",
                    "it", (int64_t)existing, in->rules);
    return st;
  }
  int64_t due = 0;
  if (in->deadline_date != WARDEN_NO_DATE) due = enf_end_of_date(in->deadline_date);
  if ((st = enf_exec(x,
                     "INSERT INTO enf_case(kind, rules, subject_kind, subject, account_id, agent_id, owner, state, grade, "
                     "opened, deadline, parent_case, note) VALUES (?1, ?2, ?3, ?4, nullif(?5, ''), nullif(?6, ''), ?7, "
                     "'opening', ?8, ?9, nullif(?10, 0), nullif(?11, 0), ?12)",
                     "tttttttdiiit", in->kind, in->rules && *in->rules ? in->rules : in->kind, in->subject_kind,
                     in->subject, account, agent, in->owner ? in->owner : warden_registry_actor(x->r), in->grade, x->now,
                     due, (int64_t)parent, in->note ? in->note : "")))
    return st;
  *id = sqlite3_last_insert_rowid(warden_registry_db(x->r));
  *fresh = true;
  char subject[32];
  snprintf(subject, sizeof subject, "case:%lld", *id);
  if ((st = warden_audit_appendf(x->r, "case.open", subject, "kind=%s subject=%s:%s account=%s agent=%s rules=%s%s (%s)",
                                 in->kind, in->subject_kind, in->subject, account[0] ? account : "-",
                                 agent[0] ? agent : "-", in->rules ? in->rules : in->kind,
                                 in->review ? " review" : "", in->kind)))
    return st;
  if ((st = enf_event(x, *id, "opened", "%s on %s:%s%s%s", in->kind, in->subject_kind, in->subject,
                      in->note && *in->note ? ": " : "", in->note ? in->note : "")))
    return st;
  enf_case c;
  if ((st = enf_case_load(x, *id, &c))) return st;
  if (in->review) {
    int64_t dl;
    if ((st = enf_workdays(x, warden_policy_get(x->p, "enforce", "review"), &dl))) return st;
    return set_state(x, &c, "review", dl, "a person's review", "opened for review");
  }
  return start(x, &c);
}

warden_status warden_case_open(warden_enforce_ctx *x, const warden_case_new *in, long long *id) {
  warden_txn t = {0};
  bool fresh;
  warden_status st = warden_registry_txn_open(x->r, &t);
  if (!st) st = open_case(x, in, 0, id, &fresh);
  return warden_registry_txn_close(x->r, &t, st);
}

warden_status enf_open(warden_enforce_ctx *x, const warden_case_new *in, long long *id, bool *fresh) {
  return open_case(x, in, 0, id, fresh);
}

/* ---- a person's actions -------------------------------------------------------------------------- */

typedef warden_status (*act_fn)(warden_enforce_ctx *x, enf_case *c, const char *arg);

static warden_status act_confirm(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  warden_status st = enf_event(x, c->id, "action", "confirmed after review%s%s", arg ? ": " : "", arg ? arg : "");
  return st ? st : start(x, c);
}
static warden_status act_dismiss(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  return close_case(x, c, "dismissed", arg ? arg : "dismissed after review");
}
static warden_status act_verify(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  return close_case(x, c, "rectified", arg ? arg : "rectification verified");
}

static warden_status penalty_notice(warden_enforce_ctx *x, enf_case *c) {
  int64_t due;
  warden_status st = enf_workdays(x, warden_policy_get(x->p, "enforce", "resale_illegal_pay"), &due);
  if (!st) st = fine(x, c, c->agent, warden_policy_get(x->p, "enforce", "resale_illegal_fine"), due,
                     "EN-RESALE-ILLEGAL: penalty notice");
  if (!st) st = set_state(x, c, "penalty", due, "fine paid", "penalty notice issued; unpaid: account shut, numbers taken back");
  return st;
}
static warden_status act_notice(warden_enforce_ctx *x, enf_case *c, const char *arg) { return penalty_notice(x, c); }

static warden_status act_pay(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  int64_t got;
  warden_status st = paid(x, c, &got);
  if (st) return st;
  int64_t owed = c->fine_fen - got;
  const char *payer = c->agent[0] ? c->agent : c->account;
  char ref[32];
  snprintf(ref, sizeof ref, "case:%lld", c->id);
  if (owed > 0) {
    int64_t fined_acc_exists;
    if ((st = enf_i64(x, &fined_acc_exists, 0, "SELECT count(*) FROM ledger WHERE ref = ?1 AND kind = 'fine' AND account_id = ?2",
                      "tt", ref, payer)))
      return st;
    if (!fined_acc_exists) payer = c->account;
    bool restored;
    if ((st = warden_payment_record(x->r, payer, owed, ref, &restored))) return st;
    char f[32];
    warden_money_format(owed, f, sizeof f);
    if ((st = enf_event(x, c->id, "action", "payment of %s yuan recorded from %s", f, payer))) return st;
  }
  return close_case(x, c, "paid", "the fine is paid");
}

static warden_status act_refer(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  warden_status st = acted(x, c, "case.referral", c->agent, "materials handed to public security%s%s", arg ? ": " : "",
                           arg ? arg : "");
  return st ? st : close_case(x, c, "referred", "materials handed to public security");
}

static warden_status act_restore(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  sqlite3_stmt *q;
  warden_status st = enf_prepare(x, &q, "SELECT ref FROM case_evidence WHERE case_id = ?1 AND kind = 'frozen' ORDER BY ref",
                                 "i", (int64_t)c->id);
  if (st) return st;
  warden_arena a;
  warden_arena_init(&a, 4096);
  char **nums = NULL;
  size_t n = 0, cap = 0;
  while (!st && sqlite3_step(q) == SQLITE_ROW) {
    const char *s = (const char *)sqlite3_column_text(q, 0);
    char **slot = enf_next_slot((void **)&nums, &n, &cap, sizeof *nums);
    if (!slot || !(*slot = warden_arena_strndup(&a, s, strlen(s)))) st = WARDEN_ERR_NOMEM;
  }
  sqlite3_finalize(q);
  char note[96];
  snprintf(note, sizeof note, "case %lld %s: restored", c->id, c->kind);
  for (size_t i = 0; !st && i < n; i++) {
    char state[16];
    if ((st = enf_text(x, state, sizeof state, "SELECT state FROM number WHERE number = ?1", "t", nums[i]))) break;
    if (!strcmp(state, "frozen")) st = warden_number_unfreeze(x->r, nums[i], note);
    if (!st) st = enf_event(x, c->id, "action", "number %s restored", nums[i]);
  }
  free(nums);
  warden_arena_release(&a);
  if (!st && c->account[0])
    st = enf_exec(x, "UPDATE resource SET state = 'active', state_since = ?2 WHERE account_id = ?1 AND state = 'shut'", "ti",
                  c->account, x->now);
  return st ? st : close_case(x, c, "restored", arg ? arg : "restored after review");
}

static warden_status act_uphold(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  return close_case(x, c, "upheld", arg ? arg : "the shutdown stands");
}

static warden_status act_docs_fixed(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  int grade;
  char why[256];
  warden_status st = warden_registry_customer_kyc(x->r, c->account, warden_date_of_utc(x->now), &grade, why, sizeof why);
  if (st) return st;
  if (grade == 0)
    return warden_registry_fail(x->r, WARDEN_ERR_STATE, "refused: %s still has no valid documents: %s (KYC-FORGED)",
                                c->account, why);
  return close_case(x, c, "docs-in-order", "valid documents provided in time");
}

static warden_status act_warn(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  return enf_on_evidence(x, c->id, "manual-warning");
}

static warden_status act_undertake(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  char contract[64];
  int64_t end;
  warden_status st = enf_text(x, contract, sizeof contract,
                              "SELECT id FROM contract WHERE account_id = ?1 AND state = 'active' ORDER BY end_date DESC LIMIT 1",
                              "t", c->account);
  if (st) return st;
  if (!contract[0])
    return warden_registry_fail(x->r, WARDEN_ERR_STATE,
                                "refused: %s has no active contract to hold the margin until (EN-ILLEGAL-HOST)", c->account);
  if ((st = enf_i64(x, &end, 0, "SELECT end_date FROM contract WHERE id = ?1", "t", contract))) return st;
  long long dep;
  char note[128];
  snprintf(note, sizeof note, "case %lld EN-ILLEGAL-HOST: undertaking signed%s%s", c->id, arg ? ": " : "", arg ? arg : "");
  if ((st = warden_deposit_take(x->r, c->account, contract, "margin", warden_policy_get(x->p, "deposits", "illegal_host_margin"),
                                note, &dep)))
    return st;
  char ref[32];
  snprintf(ref, sizeof ref, "%lld", dep);
  if ((st = enf_evidence(x, c->id, "deposit", ref, "margin held until the contract's end", NULL))) return st;
  if ((st = enf_exec(x, "UPDATE resource SET state = 'active', state_since = ?2 WHERE id = ?1", "ti", c->subject, x->now)))
    return st;
  if ((st = acted(x, c, "resource.restore", c->subject, "undertaking signed, margin held (deposit %lld)", dep))) return st;
  return set_state(x, c, "probation", enf_end_of_date((int32_t)end), "contract end: margin refunded if clean",
                   "reinstated on an undertaking and a margin");
}

static warden_status act_remove(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  warden_status st = enf_exec(x, "UPDATE resource SET state = 'removed', state_since = ?2 WHERE id = ?1", "ti", c->subject,
                              x->now);
  if (!st) st = acted(x, c, "resource.remove", c->subject, "the customer removes the server");
  return st ? st : close_case(x, c, "removed", "the server is removed");
}

static warden_status act_move(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  if (!arg || !*arg) return warden_registry_fail(x->r, WARDEN_ERR_USAGE, "move needs the facility to move to");
  char state[16];
  warden_status st = enf_text(x, state, sizeof state, "SELECT state FROM facility WHERE id = ?1", "t", arg);
  if (st) return st;
  if (strcmp(state, "open"))
    return warden_registry_fail(x->r, WARDEN_ERR_STATE, "refused: facility %s is %s", arg, state[0] ? state : "unknown");
  sqlite3_stmt *q;
  if ((st = enf_prepare(x, &q, "SELECT id, account_id, resource_id, start FROM outage WHERE case_id = ?1 AND ended IS NULL",
                        "i", (int64_t)c->id)))
    return st;
  typedef struct { int64_t id, start; char acc[64], res[64]; } row;
  row *rows = NULL;
  size_t n = 0, cap = 0;
  while (!st && sqlite3_step(q) == SQLITE_ROW) {
    row *w = enf_next_slot((void **)&rows, &n, &cap, sizeof *rows);
    if (!w) {
      st = WARDEN_ERR_NOMEM;
      break;
    }
    w->id = sqlite3_column_int64(q, 0);
    snprintf(w->acc, sizeof w->acc, "%s", (const char *)sqlite3_column_text(q, 1));
    snprintf(w->res, sizeof w->res, "%s", (const char *)sqlite3_column_text(q, 2));
    w->start = sqlite3_column_int64(q, 3);
  }
  sqlite3_finalize(q);
  int64_t pct = warden_policy_get(x->p, "enforce", "collateral_compensation");
  for (size_t i = 0; !st && i < n; i++) {
    int64_t days = (x->now - rows[i].start + 86399) / 86400, fee = 0;
    if (days < 1) days = 1;
    if ((st = enf_i64(x, &fee, 0, "SELECT sum(annual_fee_fen) FROM contract WHERE account_id = ?1 AND state = 'active'",
                      "t", rows[i].acc)))
      break;
    int64_t comp = fee * days * pct / (365 * 100);
    if ((st = enf_exec(x, "UPDATE resource SET facility_id = ?2, state = 'active', state_since = ?3 WHERE id = ?1", "tti",
                       rows[i].res, arg, x->now)))
      break;
    if ((st = enf_exec(x, "UPDATE outage SET ended = ?2, compensation_fen = ?3 WHERE id = ?1", "iii", rows[i].id, x->now,
                       comp)))
      break;
    char f[32];
    warden_money_format(comp, f, sizeof f);
    if (comp > 0) {
      char ref[48];
      snprintf(ref, sizeof ref, "case:%lld compensation", c->id);
      int64_t bal;
      if ((st = warden_ledger_post(x->r, rows[i].acc, WARDEN_LEDGER_REFUND, comp, WARDEN_NO_DATE, ref, &bal))) break;
    }
    st = acted(x, c, "resource.move", rows[i].res, "moved to %s and restored; outage %lld days; compensation %s yuan to %s",
               arg, (long long)days, f, rows[i].acc);
  }
  free(rows);
  return st ? st : close_case(x, c, "restored", "innocent customers moved and restored");
}

static warden_status act_escalate(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  if (c->grade >= 3) return warden_registry_fail(x->r, WARDEN_ERR_STATE, "refused: termination is the last measure");
  return security_measure(x, c, c->grade + 1);
}
static warden_status act_close(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  return close_case(x, c, "served", arg ? arg : "the measure is served");
}
static warden_status act_report(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  warden_status st = acted(x, c, "case.report", c->subject, "reported to the authorities%s%s", arg ? ": " : "", arg ? arg : "");
  return st ? st : close_case(x, c, "reported", "reported to the authorities");
}
static warden_status act_release(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  warden_status st = warden_channel_release(x->r, c->subject);
  return st ? st : close_case(x, c, "released", arg ? arg : "not liable: permissions restored");
}
static warden_status act_terminate(warden_enforce_ctx *x, enf_case *c, const char *arg) {
  warden_status st = terminate_account(x, c, c->subject, "closed", "ASSOC-LIABLE: terminated with its associated account");
  return st ? st : close_case(x, c, "terminated", "terminated as jointly liable");
}

static const struct act {
  const char *kind, *state, *action;
  act_fn fn;
} acts[] = {
    {"*", "review", "confirm", act_confirm},
    {"*", "review", "dismiss", act_dismiss},
    {"EN-RESALE", "rectifying", "verify", act_verify},
    {"EN-RESALE-ILLEGAL", "rectifying", "verify", act_verify},
    {"EN-RESALE-ILLEGAL", "rectifying", "notice", act_notice},
    {"EN-RESALE-ILLEGAL", "penalty", "pay", act_pay},
    {"*", "fined", "pay", act_pay},
    {"EN-FRAUD-SERIOUS", "referral", "refer", act_refer},
    {"EN-HARASS", "shut", "restore", act_restore},
    {"EN-HARASS", "shut", "uphold", act_uphold},
    {"EN-DOCS", "awaiting-docs", "docs-fixed", act_docs_fixed},
    {"EN-ILLEGAL-HOST", "warned", "warn", act_warn},
    {"EN-ILLEGAL-HOST", "shut", "undertake", act_undertake},
    {"EN-ILLEGAL-HOST", "shut", "remove", act_remove},
    {"EN-COLLATERAL", "moving", "move", act_move},
    {"EN-SECURITY", "criticism", "escalate", act_escalate},
    {"EN-SECURITY", "warning", "escalate", act_escalate},
    {"EN-SECURITY", "interruption", "escalate", act_escalate},
    {"EN-SECURITY", "criticism", "close", act_close},
    {"EN-SECURITY", "warning", "close", act_close},
    {"EN-SECURITY", "interruption", "restore", act_restore},
    {"EN-INCIDENT", "reporting", "report", act_report},
    {"ASSOC-LIABLE", "inspection", "release", act_release},
    {"ASSOC-LIABLE", "inspection", "terminate", act_terminate},
};
#define NACTS (sizeof acts / sizeof acts[0])

static bool act_matches(const struct act *a, const enf_case *c) {
  return (!strcmp(a->kind, "*") || !strcmp(a->kind, c->kind)) && !strcmp(a->state, c->state);
}

warden_status warden_case_act(warden_enforce_ctx *x, long long id, const char *action, const char *arg) {
  warden_txn t = {0};
  enf_case c;
  warden_status st = warden_registry_txn_open(x->r, &t);
  if (st) return st;
  if ((st = enf_case_load(x, id, &c))) goto done;
  if (!strcmp(action, "note")) {
    if (!arg || !*arg) {
      st = warden_registry_fail(x->r, WARDEN_ERR_USAGE, "a note needs its text");
      goto done;
    }
    st = enf_event(x, id, "note", "%s", arg);
    goto done;
  }
  for (size_t i = 0; i < NACTS; i++)
    if (!strcmp(acts[i].action, action) && act_matches(&acts[i], &c)) {
      char subject[32];
      snprintf(subject, sizeof subject, "case:%lld", id);
      if ((st = warden_audit_appendf(x->r, "case.act", subject, "action=%s state=%s%s%s (%s)", action, c.state,
                                     arg ? " arg=" : "", arg ? arg : "", c.kind)))
        goto done;
      st = acts[i].fn(x, &c, arg);
      goto done;
    }
  {
    char allowed[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < NACTS; i++)
      if (act_matches(&acts[i], &c)) {
        int w = snprintf(allowed + len, sizeof allowed - len, "%s%s", len ? ", " : "", acts[i].action);
        if (w > 0 && (size_t)w < sizeof allowed - len) len += (size_t)w;
      }
    st = warden_registry_fail(x->r, WARDEN_ERR_STATE, "refused: case %lld (%s) is %s: %s is not allowed; allowed: %s", id,
                              c.kind, c.state, action, len ? allowed : (c.closed ? "none (closed); note" : "note"));
  }
done:
  return warden_registry_txn_close(x->r, &t, st);
}

warden_status warden_case_actions(warden_enforce_ctx *x, long long id, warden_arena *a, const char ***out) {
  enf_case c;
  warden_status st = enf_case_load(x, id, &c);
  if (st) return st;
  const char **list = warden_arena_alloc(a, (NACTS + 2) * sizeof *list);
  if (!list) return WARDEN_ERR_NOMEM;
  size_t n = 0;
  for (size_t i = 0; i < NACTS; i++)
    if (act_matches(&acts[i], &c)) list[n++] = acts[i].action;
  list[n++] = "note";
  list[n] = NULL;
  *out = list;
  return WARDEN_OK;
}

/* ---- deadlines ----------------------------------------------------------------------------------- */

/* The deadline of a case has passed: the automatic step, or a note that it is overdue. */
static warden_status deadline_due(warden_enforce_ctx *x, enf_case *c, bool *fired) {
  warden_status st;
  int64_t got;
  *fired = true;
  if (!strcmp(c->kind, "EN-RESALE") && !strcmp(c->state, "rectifying")) {
    int64_t earlier;
    if ((st = enf_i64(x, &earlier, 0,
                      "SELECT count(*) FROM enf_case WHERE kind = 'EN-RESALE' AND agent_id = ?1 AND id < ?2 "
                      "AND coalesce(outcome, '') <> 'dismissed'",
                      "ti", c->agent, (int64_t)c->id)))
      return st;
    int64_t amount = warden_policy_get(x->p, "enforce", earlier ? "resale_repeat_fine" : "resale_fine");
    char why[128];
    snprintf(why, sizeof why, "EN-RESALE: not rectified in time%s", earlier ? "; a repeat" : "");
    if (earlier && (st = enf_event(x, c->id, "note", "repeat: the agent has %lld earlier EN-RESALE cases", (long long)earlier)))
      return st;
    int64_t dl;
    if ((st = enf_workdays(x, warden_policy_get(x->p, "enforce", "fine_due"), &dl))) return st;
    if ((st = fine(x, c, c->agent, amount, dl, why))) return st;
    return set_state(x, c, "fined", dl, "fine paid", "not rectified in time: fined");
  }
  if (!strcmp(c->kind, "EN-RESALE-ILLEGAL") && !strcmp(c->state, "rectifying")) return penalty_notice(x, c);
  if (!strcmp(c->kind, "EN-RESALE-ILLEGAL") && !strcmp(c->state, "penalty")) {
    if ((st = paid(x, c, &got))) return st;
    if (got >= c->fine_fen) return close_case(x, c, "paid", "the fine was paid in time");
    warden_arena a;
    warden_arena_init(&a, 4096);
    char **nums;
    size_t n = 0;
    long done = 0;
    if (!(st = numbers_of(x, c->agent, ",active,frozen,", &a, &nums, &n)))
      for (size_t i = 0; !st && i < n; i++) st = recover_number(x, c, nums[i], &done);
    warden_arena_release(&a);
    if (!st) st = terminate_account(x, c, c->agent, "closed", "EN-RESALE-ILLEGAL: the fine unpaid: account shut");
    return st ? st : close_case(x, c, "shut", "the fine unpaid: account shut, all numbers taken back");
  }
  if (!strcmp(c->kind, "EN-DOCS") && !strcmp(c->state, "awaiting-docs")) {
    int grade;
    char why[256];
    if ((st = warden_registry_customer_kyc(x->r, c->account, warden_date_of_utc(c->deadline - 1), &grade, why, sizeof why)))
      return st;
    if (grade > 0) return close_case(x, c, "docs-in-order", "valid documents at the deadline");
    long frozen = 0;
    if ((st = shut_down(x, c, &frozen))) return st;
    if ((st = account_state(x, c, c->account, "shut", "EN-DOCS: no valid documents at the deadline"))) return st;
    char detail[320];
    snprintf(detail, sizeof detail, "shut down at the deadline: %s; %ld numbers frozen", why, frozen);
    return close_case(x, c, "shut", detail);
  }
  if (!strcmp(c->kind, "EN-ILLEGAL-HOST") && !strcmp(c->state, "probation")) {
    int64_t dep;
    if ((st = enf_i64(x, &dep, 0, "SELECT CAST(ref AS INTEGER) FROM case_evidence WHERE case_id = ?1 AND kind = 'deposit'",
                      "i", (int64_t)c->id)))
      return st;
    if (dep && (st = warden_deposit_refund(x->r, dep, "EN-ILLEGAL-HOST: nothing illegal during the term"))) return st;
    if ((st = enf_event(x, c->id, "action", "margin deposit %lld refunded: nothing illegal during the term", (long long)dep)))
      return st;
    return close_case(x, c, "refunded", "the contract ended clean: margin refunded");
  }
  if (!strcmp(c->state, "fined")) {
    if ((st = paid(x, c, &got))) return st;
    if (got >= c->fine_fen) return close_case(x, c, "paid", "the fine is paid");
  }
  *fired = false;
  if ((st = enf_exec(x, "UPDATE enf_case SET overdue_noted = 1 WHERE id = ?1", "i", (int64_t)c->id))) return st;
  char t[40];
  enf_time_format(c->deadline, t, sizeof t);
  return enf_event(x, c->id, "overdue", "overdue: due by %s", t);
}

/* Every id a query returns (the first column), then the statement finalized. */
static warden_status collect_ids(sqlite3_stmt *q, long long **ids, size_t *n, size_t *cap) {
  warden_status st = WARDEN_OK;
  while (sqlite3_step(q) == SQLITE_ROW) {
    long long *slot = enf_next_slot((void **)ids, n, cap, sizeof **ids);
    if (!slot) {
      st = WARDEN_ERR_NOMEM;
      break;
    }
    *slot = sqlite3_column_int64(q, 0);
  }
  sqlite3_finalize(q);
  return st;
}

warden_status warden_enforce_tick(warden_enforce_ctx *x, warden_enforce_tick_stats *out) {
  warden_txn t = {0};
  memset(out, 0, sizeof *out);
  warden_status st = warden_registry_txn_open(x->r, &t);
  if (st) return st;
  /* fines paid since: close those cases whatever their deadline */
  sqlite3_stmt *q;
  long long *ids = NULL;
  size_t n = 0, cap = 0;
  if ((st = enf_prepare(x, &q,
                        "SELECT e.id FROM enf_case e WHERE e.closed IS NULL AND e.state IN ('fined', 'penalty') AND "
                        "e.fine_fen > 0 AND (SELECT -coalesce(sum(amount_fen), 0) FROM ledger l WHERE l.kind = 'payment' "
                        "AND l.ref = 'case:' || e.id) >= e.fine_fen ORDER BY e.id",
                        "")))
    goto done;
  st = collect_ids(q, &ids, &n, &cap);
  for (size_t i = 0; !st && i < n; i++) {
    enf_case c;
    if (!(st = enf_case_load(x, ids[i], &c))) st = close_case(x, &c, "paid", "the fine is paid");
    out->fired++;
  }
  /* then every deadline due; a step may set a new deadline that is due too, so go round until none */
  for (int round = 0; !st && round < 16; round++) {
    n = 0;
    if ((st = enf_prepare(x, &q,
                          "SELECT id FROM enf_case WHERE closed IS NULL AND deadline IS NOT NULL AND deadline <= ?1 "
                          "AND overdue_noted = 0 ORDER BY deadline, id",
                          "i", x->now)))
      break;
    if ((st = collect_ids(q, &ids, &n, &cap)) || !n) break;
    for (size_t i = 0; !st && i < n; i++) {
      enf_case c;
      bool fired;
      if ((st = enf_case_load(x, ids[i], &c))) break;
      if ((st = deadline_due(x, &c, &fired))) break;
      if (fired) out->fired++;
      else out->overdue++;
    }
  }
done:
  free(ids);
  return warden_registry_txn_close(x->r, &t, st);
}
