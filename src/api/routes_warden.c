/* routes_warden.c — warden's own resources under /warden/v1: the token's identity, numbers (summary,
 * history, freeze and unfreeze through numbers.h, audited as the CLI's), findings, agents, clusters
 * (link.h, masked keys), the policy and the audit log. Cases and the daily report: routes_cases.c. */
#include <string.h>

#include "../link/link.h"
#include "../numbers/numbers.h"
#include "api_int.h"

#define BASE_RESOURCE "/tmf-api/resourceInventoryManagement/v4/resource"
#define BASE_PARTYROLE "/tmf-api/partyRoleManagement/v4/partyRole"

void api_h_me(api_req *q) {
  json_t *o = json_object();
  json_object_set_new(o, "role", json_string(warden_api_role_name(q->auth.role)));
  json_object_set_new(o, "scope", q->auth.scope[0] ? json_string(q->auth.scope) : json_null());
  json_object_set_new(o, "tokenId", json_string(q->auth.id));
  api_json(q, 200, o);
}

/* ---- numbers ---- */
void api_h_number_summary(api_req *q) {
  warden_registry *r = api_db(q);
  if (!r) return;
  json_t *by[2] = {json_object(), json_object()};
  const char *sql[2] = {"SELECT state, count(*) FROM number n WHERE " API_VIS("n.account_id") " GROUP BY state",
                        "SELECT grade, count(*) FROM number n WHERE " API_VIS("n.account_id") " GROUP BY grade"};
  long long total = 0;
  for (int i = 0; i < 2; i++) {
    sqlite3_stmt *s = api_prepare(q, r, sql[i]);
    if (!s) {
      json_decref(by[0]);
      json_decref(by[1]);
      return;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
      json_object_set_new(by[i], api_col(s, 0), json_integer(sqlite3_column_int64(s, 1)));
      if (!i) total += sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
  }
  api_json(q, 200, json_pack("{s:o, s:o, s:I}", "byState", by[0], "byGrade", by[1], "total", (json_int_t)total));
}

/* The path's number as national digits, visible to the token; NULL after answering 404. */
static const char *number_param(api_req *q, warden_registry *r) {
  warden_number_id id;
  if (warden_number_parse(q->param[0], &id, NULL, 0)) {
    api_error(q, 404, "no such number");
    return NULL;
  }
  sqlite3_stmt *s = api_prepare(q, r, "SELECT 1 FROM number n WHERE n.number = :id AND " API_VIS("n.account_id"));
  if (!s) return NULL;
  api_bind_text(s, ":id", id.digits);
  bool found = sqlite3_step(s) == SQLITE_ROW;
  sqlite3_finalize(s);
  if (!found) {
    api_error(q, 404, "no such number");
    return NULL;
  }
  return api_strdup(q, id.digits);
}

typedef struct history_ctx {
  json_t *arr;
} history_ctx;

static void history_one(const warden_audit_entry *e, void *ctx) {
  history_ctx *h = ctx;
  json_t *o = json_object();
  json_object_set_new(o, "seq", json_integer(e->seq));
  json_object_set_new(o, "at", api_time_json(e->at));
  json_object_set_new(o, "actor", json_string(e->actor));
  json_object_set_new(o, "action", json_string(e->action));
  json_object_set_new(o, "detail", json_string(e->detail));
  json_array_append_new(h->arr, o);
}

void api_h_number_history(api_req *q) {
  long offset, limit;
  if (!api_paging(q, &offset, &limit)) return;
  warden_registry *r = api_db(q);
  const char *num = r ? number_param(q, r) : NULL;
  if (!num) return;
  history_ctx h = {json_array()};
  warden_status st = warden_audit_list(r, 0, num, history_one, &h);
  if (st) {
    json_decref(h.arr);
    api_fail(q, st, warden_registry_errmsg(r));
    return;
  }
  /* newest first, then the page */
  size_t n = json_array_size(h.arr);
  json_t *page = json_array();
  for (size_t i = (size_t)offset; i < n && json_array_size(page) < (size_t)limit; i++)
    json_array_append(page, json_array_get(h.arr, n - 1 - i));
  json_decref(h.arr);
  api_list(q, page, (long long)n);
}

static void number_move(api_req *q, bool freeze) {
  static const char *const allowed[] = {"reason", NULL};
  json_t *body;
  if (!api_body(q, allowed, false, &body)) return;
  json_t *reason = json_object_get(body, "reason");
  if (!json_is_string(reason) || !json_string_length(reason) || json_string_length(reason) > 500) {
    json_decref(body);
    api_error(q, 400, "reason must be a non-empty string of at most 500 bytes: it goes into the audit log");
    return;
  }
  warden_registry *r = api_db(q);
  const char *num = r ? number_param(q, r) : NULL;
  if (!num) {
    json_decref(body);
    return;
  }
  char note[600];
  snprintf(note, sizeof note, "%s (API, token %s)", json_string_value(reason), q->auth.id);
  json_decref(body);
  warden_status st = freeze ? warden_number_freeze(r, num, note) : warden_number_unfreeze(r, num, note);
  if (st) {
    api_fail(q, st, warden_registry_errmsg(r));
    return;
  }
  warden_api_reload(q->api); /* the switch's screening sees the change at once */
  sqlite3_stmt *s = api_prepare(q, r, "SELECT " API_RESOURCE_COLS " FROM number n WHERE n.number = :id");
  if (!s) return;
  api_bind_text(s, ":id", num);
  if (sqlite3_step(s) == SQLITE_ROW) api_json(q, 200, api_resource_json(s));
  else api_error(q, 404, "no such number");
  sqlite3_finalize(s);
}

void api_h_number_freeze(api_req *q) { number_move(q, true); }
void api_h_number_unfreeze(api_req *q) { number_move(q, false); }

/* ---- findings ---- */
#define FINDING_COLS "f.id, f.rule, f.subject, f.account, f.first, f.last, f.count, f.samples, f.evidence, f.source, f.found"
#define FINDING_WHERE "FROM finding f WHERE " API_VIS("f.account")

static json_t *finding_json(sqlite3_stmt *s) {
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(s, 0));
  json_t *o = api_entity("Finding", "/warden/v1/findings", id);
  json_object_set_new(o, "rule", json_string(api_col(s, 1)));
  json_object_set_new(o, "subject", json_string(api_col(s, 2)));
  json_object_set_new(o, "account", api_col_json(s, 3));
  json_object_set_new(o, "first", api_time_json(sqlite3_column_int64(s, 4)));
  json_object_set_new(o, "last", api_time_json(sqlite3_column_int64(s, 5)));
  json_object_set_new(o, "count", json_integer(sqlite3_column_int64(s, 6)));
  json_t *samples = json_array();
  const char *p = api_col(s, 7);
  while (*p) {
    const char *c = strchr(p, ',');
    size_t l = c ? (size_t)(c - p) : strlen(p);
    if (l) json_array_append_new(samples, json_stringn(p, l));
    p += l + (c ? 1 : 0);
  }
  json_object_set_new(o, "sampleCalls", samples);
  json_t *ev = json_loads(api_col(s, 8), 0, NULL);
  json_object_set_new(o, "evidence", ev ? ev : json_string(api_col(s, 8)));
  json_object_set_new(o, "source", json_string(api_col(s, 9)));
  json_object_set_new(o, "found", api_time_json(sqlite3_column_int64(s, 10)));
  return o;
}

void api_h_finding_list(api_req *q) {
  long offset, limit;
  int64_t since;
  if (!api_paging(q, &offset, &limit) || !api_query_time(q, "since", INT64_MIN, &since)) return;
  warden_registry *r = api_db(q);
  if (!r) return;
  const char *where = FINDING_WHERE " AND (:rule IS NULL OR f.rule = :rule) AND (:subj IS NULL OR f.subject = :subj)"
                                    " AND f.last >= :since";
  char sql[2048];
  long long total = 0;
  snprintf(sql, sizeof sql, "SELECT count(*) %s", where);
  sqlite3_stmt *s = api_prepare(q, r, sql);
  for (int pass = 0; s && pass < 2; pass++) {
    api_bind_text(s, ":rule", api_query(q, "rule"));
    api_bind_text(s, ":subj", api_query(q, "subject"));
    api_bind_int(s, ":since", since);
    if (!pass) {
      if (sqlite3_step(s) == SQLITE_ROW) total = sqlite3_column_int64(s, 0);
      sqlite3_finalize(s);
      snprintf(sql, sizeof sql, "SELECT " FINDING_COLS " %s ORDER BY f.first DESC, f.id DESC LIMIT :limit OFFSET :offset",
               where);
      s = api_prepare(q, r, sql);
      continue;
    }
    api_bind_int(s, ":limit", limit);
    api_bind_int(s, ":offset", offset);
    json_t *arr = json_array();
    while (sqlite3_step(s) == SQLITE_ROW) json_array_append_new(arr, finding_json(s));
    sqlite3_finalize(s);
    api_list(q, arr, total);
  }
}

void api_h_finding_get(api_req *q) {
  int64_t id;
  if (!warden_parse_i64(q->param[0], &id)) {
    api_error(q, 404, "no such finding");
    return;
  }
  warden_registry *r = api_db(q);
  sqlite3_stmt *s = r ? api_prepare(q, r, "SELECT " FINDING_COLS " " FINDING_WHERE " AND f.id = :id") : NULL;
  if (!s) return;
  api_bind_int(s, ":id", id);
  if (sqlite3_step(s) == SQLITE_ROW) api_json(q, 200, finding_json(s));
  else api_error(q, 404, "no such finding");
  sqlite3_finalize(s);
}

/* ---- agents ---- */
#define AGENT_COLS                                                                                                  \
  "a.id, COALESCE(a.parent_id, ''), a.state,"                                                                       \
  " (SELECT count(*) FROM enf_case c WHERE c.agent_id = a.id) AS violations,"                                      \
  " (SELECT count(*) FROM enf_case c WHERE c.agent_id = a.id AND c.closed IS NULL) AS open_cases,"                 \
  " (SELECT count(*) FROM account x WHERE x.parent_id = a.id AND x.role = 'customer') AS customers,"              \
  " (SELECT COALESCE(sum(c.fine_fen), 0) FROM enf_case c WHERE c.agent_id = a.id AND c.closed IS NULL) AS fines"

/* A row of AGENT_COLS as an Agent. */
static json_t *agent_json(api_req *q, sqlite3_stmt *s) {
  json_t *o = api_entity("Agent", BASE_PARTYROLE, api_col(s, 0));
  const char *parent = api_col(s, 1);
  json_object_set_new(o, "parent", *parent && api_visible(q, parent) ? json_string(parent) : json_null());
  json_object_set_new(o, "status", json_string(api_col(s, 2)));
  json_object_set_new(o, "violations", json_integer(sqlite3_column_int64(s, 3)));
  json_object_set_new(o, "openCases", json_integer(sqlite3_column_int64(s, 4)));
  json_object_set_new(o, "customers", json_integer(sqlite3_column_int64(s, 5)));
  json_object_set_new(o, "finesOutstandingFen", json_integer(sqlite3_column_int64(s, 6)));
  return o;
}

void api_h_agent_list(api_req *q) {
  long offset, limit;
  if (!api_paging(q, &offset, &limit)) return;
  const char *sort = api_query(q, "sort"), *order;
  if (!sort || !strcmp(sort, "id")) order = "a.id";
  else if (!strcmp(sort, "violations")) order = "violations DESC, a.id";
  else if (!strcmp(sort, "openCases")) order = "open_cases DESC, a.id";
  else if (!strcmp(sort, "customers")) order = "customers DESC, a.id";
  else {
    api_error(q, 400, "sort is id, violations, openCases or customers");
    return;
  }
  warden_registry *r = api_db(q);
  if (!r) return;
  const char *where = "FROM account a WHERE a.role = 'agent' AND " API_VIS("a.id");
  char sql[4096];
  long long total = 0;
  snprintf(sql, sizeof sql, "SELECT count(*) %s", where);
  sqlite3_stmt *s = api_prepare(q, r, sql);
  if (!s) return;
  if (sqlite3_step(s) == SQLITE_ROW) total = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  snprintf(sql, sizeof sql, "SELECT " AGENT_COLS " %s ORDER BY %s LIMIT :limit OFFSET :offset", where, order);
  if (!(s = api_prepare(q, r, sql))) return;
  api_bind_int(s, ":limit", limit);
  api_bind_int(s, ":offset", offset);
  json_t *arr = json_array();
  while (sqlite3_step(s) == SQLITE_ROW) json_array_append_new(arr, agent_json(q, s));
  sqlite3_finalize(s);
  api_list(q, arr, total);
}

/* One agent's figures, in scope. */
void api_h_agent_get(api_req *q) {
  warden_registry *r = api_db(q);
  sqlite3_stmt *s = r ? api_prepare(q, r, "SELECT " AGENT_COLS " FROM account a WHERE a.id = :id AND a.role = 'agent' AND "
                                          API_VIS("a.id"))
                      : NULL;
  if (!s) return;
  api_bind_text(s, ":id", q->param[0]);
  if (sqlite3_step(s) == SQLITE_ROW) api_json(q, 200, agent_json(q, s));
  else api_error(q, 404, "no such agent");
  sqlite3_finalize(s);
}

void api_h_agent_customers(api_req *q) {
  long offset, limit;
  if (!api_paging(q, &offset, &limit)) return;
  warden_registry *r = api_db(q);
  if (!r) return;
  sqlite3_stmt *s = api_prepare(q, r, "SELECT 1 FROM account a WHERE a.id = :id AND a.role = 'agent' AND " API_VIS("a.id"));
  if (!s) return;
  api_bind_text(s, ":id", q->param[0]);
  bool found = sqlite3_step(s) == SQLITE_ROW;
  sqlite3_finalize(s);
  if (!found) {
    api_error(q, 404, "no such agent");
    return;
  }
  const char *where = "FROM account a WHERE a.role = 'customer' AND a.parent_id = :id AND " API_VIS("a.id");
  char sql[2048];
  long long total = 0;
  snprintf(sql, sizeof sql, "SELECT count(*) %s", where);
  if (!(s = api_prepare(q, r, sql))) return;
  api_bind_text(s, ":id", q->param[0]);
  if (sqlite3_step(s) == SQLITE_ROW) total = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  snprintf(sql, sizeof sql, "SELECT a.id, a.party_id, a.state, a.parent_id %s ORDER BY a.id LIMIT :limit OFFSET :offset",
           where);
  if (!(s = api_prepare(q, r, sql))) return;
  api_bind_text(s, ":id", q->param[0]);
  api_bind_int(s, ":limit", limit);
  api_bind_int(s, ":offset", offset);
  json_t *arr = json_array();
  while (sqlite3_step(s) == SQLITE_ROW)
    json_array_append_new(arr, api_customer_json(q, r, api_col(s, 0), api_col(s, 1), api_col(s, 2), api_col(s, 3)));
  sqlite3_finalize(s);
  api_list(q, arr, total);
}

/* ---- clusters (ASSOC-KEYS, ASSOC-LIABLE) ---- */
void api_h_cluster(api_req *q) {
  const char *account = q->param[0];
  warden_registry *r = api_db(q);
  if (!r) return;
  if (!api_visible(q, account)) {
    api_error(q, 404, "no such account");
    return;
  }
  warden_link_opts lo;
  warden_link_graph *g = NULL;
  warden_link_load_stats ls;
  char err[600];
  warden_link_opts_default(&lo);
  if (warden_link_opts_from_policy(&lo, q->api->policy, err, sizeof err) == WARDEN_OK) lo.threads = 1;
  if (warden_link_new(&lo, &g) || warden_link_load_registry(g, r, &ls, err, sizeof err)) {
    warden_link_free(g);
    api_error(q, 503, "the clusters cannot be built: %s", err);
    return;
  }
  uint32_t node;
  warden_link_member *m = NULL;
  warden_link_chain *c = NULL;
  size_t nm = 0, nc = 0;
  if (!warden_link_find(g, account, &node)) {
    warden_link_free(g);
    api_error(q, 404, "no such account");
    return;
  }
  warden_status st = warden_link_members(g, account, &q->arena, &m, &nm);
  if (!st) st = warden_link_associates(g, account, &q->arena, &c, &nc);
  if (st) {
    warden_link_free(g);
    api_fail(q, st, "the cluster cannot be read");
    return;
  }
  json_t *o = api_entity("Cluster", "/warden/v1/clusters", account);
  json_object_set_new(o, "account", json_string(account));
  json_object_set_new(o, "cluster", json_integer(warden_link_cluster(g, node)));
  json_t *ms = json_array(), *as = json_array();
  long hidden = 0;
  for (size_t i = 0; i < nm; i++) {
    if (!m[i].entity && !api_visible(q, m[i].account)) {
      hidden++; /* another reseller's account: counted, not shown */
      continue;
    }
    json_t *ks = json_array();
    for (size_t j = 0; j < m[i].nkeys; j++) {
      const warden_link_held *h = &m[i].keys[j];
      json_array_append_new(
          ks, json_pack("{s:s, s:s, s:s, s:I, s:b}", "type", warden_link_type_name(h->type), "class",
                        h->cls == WARDEN_LINK_CLASS__COUNT ? "equity" : warden_link_class_name(h->cls), "value",
                        h->value ? h->value : "", "count", (json_int_t)h->count, "links", h->links));
    }
    json_array_append_new(ms, json_pack("{s:s, s:b, s:o}", "account", m[i].account, "entity", m[i].entity, "keys", ks));
  }
  for (size_t i = 0; i < nc; i++) {
    if (!api_visible(q, c[i].account)) continue;
    json_t *chain = json_array();
    for (size_t j = 0; j < c[i].nsteps; j++) {
      const warden_link_step *sp = &c[i].steps[j];
      char via[WARDEN_LINK_VALUE_MAX + 32];
      snprintf(via, sizeof via, "%s:%s", sp->cls == WARDEN_LINK_CLASS__COUNT ? "equity" : warden_link_class_name(sp->cls),
               sp->value ? sp->value : "");
      json_array_append_new(chain, json_pack("{s:s, s:s, s:s}", "from", sp->from, "to", sp->to, "via", via));
    }
    json_array_append_new(as, json_pack("{s:s, s:o}", "account", c[i].account, "chain", chain));
  }
  json_object_set_new(o, "members", ms);
  json_object_set_new(o, "associates", as);
  json_object_set_new(o, "hiddenMembers", json_integer(hidden));
  warden_link_free(g);
  api_json(q, 200, o);
}

/* ---- policy and audit ---- */
void api_h_policy(api_req *q) {
  warden_buf text;
  warden_buf_init(&text, 1 << 20);
  if (warden_policy_write(q->api->policy, &text)) {
    warden_buf_release(&text);
    api_error(q, 503, "the policy cannot be written out");
    return;
  }
  json_t *o = json_object();
  json_object_set_new(o, "source", json_string(warden_policy_source(q->api->policy)));
  json_object_set_new(o, "text", json_string(warden_buf_str(&text)));
  warden_buf_release(&text);
  api_json(q, 200, o);
}

void api_h_audit_list(api_req *q) {
  long offset, limit;
  if (!api_paging(q, &offset, &limit)) return;
  warden_registry *r = api_db(q);
  if (!r) return;
  const char *subject = api_query(q, "subject");
  sqlite3_stmt *s = api_prepare(q, r, "SELECT count(*) FROM audit WHERE (:subj IS NULL OR subject = :subj)");
  if (!s) return;
  api_bind_text(s, ":subj", subject);
  long long total = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  s = api_prepare(q, r,
                  "SELECT seq, at, actor, action, subject, detail FROM audit WHERE (:subj IS NULL OR subject = :subj)"
                  " ORDER BY seq DESC LIMIT :limit OFFSET :offset");
  if (!s) return;
  api_bind_text(s, ":subj", subject);
  api_bind_int(s, ":limit", limit);
  api_bind_int(s, ":offset", offset);
  json_t *arr = json_array();
  while (sqlite3_step(s) == SQLITE_ROW) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(s, 0));
    json_t *o = api_entity("AuditEntry", "/warden/v1/audit", id);
    json_object_set_new(o, "seq", json_integer(sqlite3_column_int64(s, 0)));
    json_object_set_new(o, "at", api_time_json(sqlite3_column_int64(s, 1)));
    json_object_set_new(o, "actor", json_string(api_col(s, 2)));
    json_object_set_new(o, "action", json_string(api_col(s, 3)));
    json_object_set_new(o, "subject", json_string(api_col(s, 4)));
    json_object_set_new(o, "detail", json_string(api_col(s, 5)));
    json_array_append_new(arr, o);
  }
  sqlite3_finalize(s);
  api_list(q, arr, total);
}

void api_h_audit_verify(api_req *q) {
  warden_registry *r = api_db(q);
  if (!r) return;
  warden_audit_check c;
  warden_status st = warden_audit_verify(r, &c);
  if (st) {
    api_fail(q, st, warden_registry_errmsg(r));
    return;
  }
  json_t *o = json_object();
  json_object_set_new(o, "ok", json_boolean(!c.first_bad));
  json_object_set_new(o, "entries", json_integer(c.entries));
  json_object_set_new(o, "firstBad", c.first_bad ? json_integer(c.first_bad) : json_null());
  json_object_set_new(o, "message", json_string(c.first_bad ? c.reason : "the audit chain holds"));
  json_object_set_new(o, "head", json_string(c.head));
  api_json(q, 200, o);
}
