/* routes_cases.c — enforcement cases and the morning report through src/enforce/enforce.h: lists
 * filtered by the token's scope (a case is seen when its account or its agent is), one case with its
 * timeline, evidence and the actions its state allows, actions by the platform (warden_case_act: the
 * same state rules and audit as `warden case`), and the daily report. */
#include <stdlib.h>
#include <string.h>

#include "../enforce/enforce.h"
#include "api_int.h"

#define BASE_CASE "/warden/v1/cases"

static void ctx_of(api_req *q, warden_registry *r, warden_enforce_ctx *x) {
  *x = (warden_enforce_ctx){.r = r, .p = q->api->policy, .cal = q->api->cal, .exports_dir = getenv("WARDEN_EXPORTS"),
                            .now = warden_now()};
}

static bool case_visible(api_req *q, const warden_case_view *v) {
  return api_visible(q, v->account) || api_visible(q, v->agent);
}

static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

static json_t *case_json(const warden_case_view *v) {
  char id[24], parent[24];
  snprintf(id, sizeof id, "%lld", v->id);
  json_t *o = api_entity("Case", BASE_CASE, id), *rules = json_array();
  json_object_set_new(o, "kind", json_string(v->kind ? v->kind : ""));
  for (const char *p = v->rules ? v->rules : ""; *p;) {
    const char *c = strchr(p, ',');
    size_t l = c ? (size_t)(c - p) : strlen(p);
    if (l) json_array_append_new(rules, json_stringn(p, l));
    p += l + (c ? 1 : 0);
  }
  json_object_set_new(o, "rules", rules);
  json_object_set_new(o, "subjectKind", str_or_null(v->subject_kind));
  json_object_set_new(o, "subject", str_or_null(v->subject));
  json_object_set_new(o, "account", str_or_null(v->account));
  json_object_set_new(o, "agent", str_or_null(v->agent));
  json_object_set_new(o, "owner", str_or_null(v->owner));
  json_object_set_new(o, "state", str_or_null(v->state));
  json_object_set_new(o, "opened", api_time_json(v->opened));
  json_object_set_new(o, "closed", api_time_json(v->closed));
  json_object_set_new(o, "outcome", str_or_null(v->outcome));
  json_object_set_new(o, "deadline", api_time_json(v->deadline));
  json_object_set_new(o, "deadlineWhat", str_or_null(v->deadline_what));
  json_object_set_new(o, "overdue", json_boolean(v->overdue));
  json_object_set_new(o, "ageSeconds", json_integer(v->age));
  json_object_set_new(o, "fineFen", json_integer(v->fine_fen));
  snprintf(parent, sizeof parent, "%lld", v->parent);
  json_object_set_new(o, "parentCase", v->parent ? json_string(parent) : json_null());
  json_object_set_new(o, "grade", json_integer(v->grade));
  json_object_set_new(o, "note", json_string(v->note ? v->note : ""));
  return o;
}

void api_h_case_list(api_req *q) {
  long offset, limit;
  if (!api_paging(q, &offset, &limit)) return;
  const char *overdue = api_query(q, "overdue");
  if (overdue && strcmp(overdue, "true") && strcmp(overdue, "false")) {
    api_error(q, 400, "overdue is true or false");
    return;
  }
  warden_registry *r = api_db(q);
  if (!r) return;
  warden_enforce_ctx x;
  ctx_of(q, r, &x);
  warden_case_filter f = {.state = api_query(q, "state"), .kind = api_query(q, "kind"), .agent = api_query(q, "agent"),
                          .overdue = overdue && !strcmp(overdue, "true")};
  bool scoped = api_scoped(q);
  if (!scoped) {
    f.limit = limit;
    f.offset = offset;
  }
  warden_case_view *v = NULL;
  size_t n = 0;
  long total = 0;
  warden_status st = warden_case_list(&x, &f, &q->arena, &v, &n, &total);
  if (st) {
    api_fail(q, st, warden_registry_errmsg(r));
    return;
  }
  json_t *arr = json_array();
  if (!scoped) {
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, case_json(&v[i]));
  } else { /* the scope is applied before the page, so the count is the token's */
    total = 0;
    for (size_t i = 0; i < n; i++) {
      if (!case_visible(q, &v[i])) continue;
      if (total >= offset && (long)json_array_size(arr) < limit) json_array_append_new(arr, case_json(&v[i]));
      total++;
    }
  }
  api_list(q, arr, total);
}

/* The case of the path, visible to the token; false after answering. */
static bool case_param(api_req *q, warden_enforce_ctx *x, warden_case_view *v) {
  int64_t id;
  if (!warden_parse_i64(q->param[0], &id) || id <= 0) {
    api_error(q, 404, "no such case");
    return false;
  }
  warden_status st = warden_case_get(x, id, &q->arena, v);
  if (st == WARDEN_ERR_NOT_FOUND || (!st && !case_visible(q, v))) {
    api_error(q, 404, "no such case");
    return false;
  }
  if (st) {
    api_fail(q, st, warden_registry_errmsg(x->r));
    return false;
  }
  return true;
}

static void case_detail(api_req *q, warden_enforce_ctx *x, const warden_case_view *v) {
  warden_case_event *ev = NULL;
  warden_case_evidence *evid = NULL;
  const char **acts = NULL;
  size_t nev = 0, nevid = 0;
  warden_status st = warden_case_timeline(x, v->id, &q->arena, &ev, &nev, &evid, &nevid);
  if (!st) st = warden_case_actions(x, v->id, &q->arena, &acts);
  if (st) {
    api_fail(q, st, warden_registry_errmsg(x->r));
    return;
  }
  json_t *o = case_json(v), *tl = json_array(), *es = json_array(), *as = json_array();
  for (size_t i = 0; i < nev; i++)
    json_array_append_new(tl, json_pack("{s:o, s:s, s:s, s:s, s:s}", "at", api_time_json(ev[i].at), "actor",
                                        ev[i].actor ? ev[i].actor : "", "kind", ev[i].kind ? ev[i].kind : "", "state",
                                        ev[i].state ? ev[i].state : "", "detail", ev[i].detail ? ev[i].detail : ""));
  for (size_t i = 0; i < nevid; i++)
    json_array_append_new(es, json_pack("{s:s, s:s, s:s, s:o}", "kind", evid[i].kind ? evid[i].kind : "", "ref",
                                        evid[i].ref ? evid[i].ref : "", "detail", evid[i].detail ? evid[i].detail : "",
                                        "added", api_time_json(evid[i].added)));
  for (size_t i = 0; acts && acts[i]; i++) json_array_append_new(as, json_string(acts[i]));
  json_object_set_new(o, "timeline", tl);
  json_object_set_new(o, "evidence", es);
  json_object_set_new(o, "allowedActions", as);
  api_json(q, 200, o);
}

void api_h_case_get(api_req *q) {
  warden_registry *r = api_db(q);
  if (!r) return;
  warden_enforce_ctx x;
  warden_case_view v;
  ctx_of(q, r, &x);
  if (case_param(q, &x, &v)) case_detail(q, &x, &v);
}

void api_h_case_act(api_req *q) {
  static const char *const allowed[] = {"action", "arg", NULL};
  json_t *body;
  if (!api_body(q, allowed, false, &body)) return;
  json_t *action = json_object_get(body, "action"), *arg = json_object_get(body, "arg");
  if (!json_is_string(action) || !json_string_length(action) || json_string_length(action) > 32 ||
      (arg && !json_is_null(arg) && (!json_is_string(arg) || json_string_length(arg) > 500))) {
    json_decref(body);
    api_error(q, 400, "action is a string (verify, pay, ...) and arg a string of at most 500 bytes or null");
    return;
  }
  char act[40], argbuf[520];
  snprintf(act, sizeof act, "%s", json_string_value(action));
  bool has_arg = json_is_string(arg);
  if (has_arg) snprintf(argbuf, sizeof argbuf, "%s", json_string_value(arg));
  json_decref(body);
  warden_registry *r = api_db(q);
  if (!r) return;
  warden_enforce_ctx x;
  warden_case_view v;
  ctx_of(q, r, &x);
  if (!case_param(q, &x, &v)) return;
  warden_status st = warden_case_act(&x, v.id, act, has_arg ? argbuf : NULL);
  if (st) {
    api_fail(q, st, warden_registry_errmsg(r));
    return;
  }
  warden_api_reload(q->api); /* an action may freeze, restore or recover numbers: screening follows */
  if (warden_case_get(&x, v.id, &q->arena, &v)) {
    api_fail(q, WARDEN_ERR_DB, warden_registry_errmsg(r));
    return;
  }
  case_detail(q, &x, &v);
}

static json_t *counts(const warden_report_count *c, size_t n) {
  json_t *o = json_object();
  for (size_t i = 0; i < n; i++) json_object_set_new(o, c[i].key ? c[i].key : "", json_integer(c[i].count));
  return o;
}

void api_h_report_daily(api_req *q) {
  int64_t now = warden_now(), since, until;
  /* since after until is an empty period, not an error: the dashboard asks from the browser's
   * midnight, and the browser's clock is not the server's */
  if (!api_query_time(q, "until", now, &until) || !api_query_time(q, "since", until - 86400, &since)) return;
  warden_registry *r = api_db(q);
  if (!r) return;
  warden_enforce_ctx x;
  warden_report rep;
  ctx_of(q, r, &x);
  x.now = until; /* the report as of until, as `warden report --now` */
  warden_status st = warden_enforce_report(&x, since, &q->arena, &rep);
  if (st) {
    api_fail(q, st, warden_registry_errmsg(r));
    return;
  }
  json_t *o = json_object(), *agents = json_array();
  json_object_set_new(o, "since", api_time_json(rep.since));
  json_object_set_new(o, "until", api_time_json(rep.until));
  json_object_set_new(o, "findingsByRule", counts(rep.findings_by_rule, rep.nfindings));
  json_object_set_new(o, "casesByState", counts(rep.cases_by_state, rep.nstates));
  json_object_set_new(o, "casesByKind", counts(rep.cases_by_kind, rep.nkinds));
  json_object_set_new(o, "opened", json_integer(rep.opened));
  json_object_set_new(o, "closed", json_integer(rep.closed));
  json_object_set_new(o, "overdue", json_integer(rep.overdue));
  json_object_set_new(o, "finesIssuedFen", json_integer(rep.fines_issued));
  json_object_set_new(o, "finesPaidFen", json_integer(rep.fines_paid));
  json_object_set_new(o, "finesOutstandingFen", json_integer(rep.fines_outstanding));
  json_object_set_new(o, "numbersFrozen", json_integer(rep.numbers_frozen));
  json_object_set_new(o, "numbersRecovered", json_integer(rep.numbers_recovered));
  json_object_set_new(o, "complaints", json_integer(rep.complaints));
  json_object_set_new(o, "complaintsUnmatched", json_integer(rep.complaints_unmatched));
  for (size_t i = 0; i < rep.nagents; i++)
    json_array_append_new(agents, json_pack("{s:s, s:I}", "id", rep.agents[i].key ? rep.agents[i].key : "",
                                            "violations", (json_int_t)rep.agents[i].count));
  json_object_set_new(o, "agents", agents);
  json_object_set_new(o, "ageMedianSeconds", json_integer(rep.age_median));
  json_object_set_new(o, "ageP90Seconds", json_integer(rep.age_p90));
  api_json(q, 200, o);
}
