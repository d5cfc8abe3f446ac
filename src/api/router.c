/* router.c — the request handler without sockets: the route table, auth, query strings, errors, the
 * log line and the helpers the resource files share. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api_int.h"

/* Every route; docs/openapi.json lists the same (tests/api/t_api.py checks both ways). */
const api_route api_routes[] = {
    {"GET", "/", api_h_static_index, 0, ""},
    {"GET", "/assets/{name}", api_h_static_asset, 0, ""},
    {"GET", "/openapi.json", api_h_openapi, 0, ""},
    {"GET", "/healthz", api_h_healthz, 0, ""},
    {"GET", "/metrics", api_h_metrics, 0, ""},
    {"GET", "/tmf-api/party/v4/individual", api_h_individual_list, API_AUTH, "offset,limit,fields"},
    {"GET", "/tmf-api/party/v4/individual/{id}", api_h_individual_get, API_AUTH, "fields"},
    {"GET", "/tmf-api/party/v4/organization", api_h_organization_list, API_AUTH, "offset,limit,fields"},
    {"GET", "/tmf-api/party/v4/organization/{id}", api_h_organization_get, API_AUTH, "fields"},
    {"GET", "/tmf-api/customerManagement/v4/customer", api_h_customer_list, API_AUTH, "offset,limit,fields,status"},
    {"GET", "/tmf-api/customerManagement/v4/customer/{id}", api_h_customer_get, API_AUTH, "fields"},
    {"GET", "/tmf-api/partyRoleManagement/v4/partyRole", api_h_partyrole_list, API_AUTH, "offset,limit,fields,role"},
    {"GET", "/tmf-api/partyRoleManagement/v4/partyRole/{id}", api_h_partyrole_get, API_AUTH, "fields"},
    {"GET", "/tmf-api/agreementManagement/v4/agreement", api_h_agreement_list, API_AUTH,
     "offset,limit,fields,status,accountId"},
    {"GET", "/tmf-api/agreementManagement/v4/agreement/{id}", api_h_agreement_get, API_AUTH, "fields"},
    {"GET", "/tmf-api/resourceInventoryManagement/v4/resource", api_h_resource_list, API_AUTH,
     "offset,limit,fields,resourceStatus,grade,accountId"},
    {"GET", "/tmf-api/resourceInventoryManagement/v4/resource/{id}", api_h_resource_get, API_AUTH, "fields"},
    {"GET", "/warden/v1/me", api_h_me, API_AUTH, ""},
    {"GET", "/warden/v1/numbers/summary", api_h_number_summary, API_AUTH, ""},
    {"GET", "/warden/v1/numbers/{number}/history", api_h_number_history, API_AUTH, "offset,limit"},
    {"POST", "/warden/v1/numbers/{number}/freeze", api_h_number_freeze, API_AUTH | API_WRITE, ""},
    {"POST", "/warden/v1/numbers/{number}/unfreeze", api_h_number_unfreeze, API_AUTH | API_WRITE | API_PLATFORM, ""},
    {"GET", "/warden/v1/findings", api_h_finding_list, API_AUTH, "offset,limit,fields,rule,subject,since"},
    {"GET", "/warden/v1/findings/{id}", api_h_finding_get, API_AUTH, "fields"},
    {"GET", "/warden/v1/cases", api_h_case_list, API_AUTH, "offset,limit,fields,state,kind,agent,overdue"},
    {"GET", "/warden/v1/cases/{id}", api_h_case_get, API_AUTH, "fields"},
    {"POST", "/warden/v1/cases/{id}/actions", api_h_case_act, API_AUTH | API_WRITE | API_PLATFORM, ""},
    {"GET", "/warden/v1/agents", api_h_agent_list, API_AUTH, "offset,limit,fields,sort"},
    {"GET", "/warden/v1/agents/{id}", api_h_agent_get, API_AUTH, "fields"},
    {"GET", "/warden/v1/agents/{id}/customers", api_h_agent_customers, API_AUTH, "offset,limit,fields"},
    {"GET", "/warden/v1/clusters/{account}", api_h_cluster, API_AUTH, ""},
    {"GET", "/warden/v1/policy", api_h_policy, API_AUTH, ""},
    {"GET", "/warden/v1/audit", api_h_audit_list, API_AUTH | API_PLATFORM, "offset,limit,subject"},
    {"GET", "/warden/v1/audit/verify", api_h_audit_verify, API_AUTH | API_PLATFORM, ""},
    {"GET", "/warden/v1/reports/daily", api_h_report_daily, API_AUTH | API_PLATFORM, "since,until"},
    {"GET", "/warden/v1/screen", api_h_screen, API_AUTH | API_MEMORY, "caller,display,callee"},
};
const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];

_Static_assert(sizeof api_routes / sizeof api_routes[0] <= API_MAX_ROUTES, "raise API_MAX_ROUTES");

void warden_api_routes_write(FILE *out) {
  for (size_t i = 0; i < api_nroutes; i++) fprintf(out, "%s %s\n", api_routes[i].method, api_routes[i].path);
}

void warden_api_response_init(warden_api_response *resp) {
  memset(resp, 0, sizeof *resp);
  warden_buf_init(&resp->body, 64u << 20);
  resp->total = -1;
}

void warden_api_response_release(warden_api_response *resp) { warden_buf_release(&resp->body); }

/* ---- query strings ---- */
static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes %XX and '+' in place; a %00 ends the string there (it is then refused as bad input). */
static void url_decode(char *s) {
  char *w = s;
  for (char *p = s; *p; p++) {
    if (*p == '+') *w++ = ' ';
    else if (*p == '%' && hexval((unsigned char)p[1]) >= 0 && hexval((unsigned char)p[2]) >= 0) {
      *w++ = (char)(hexval((unsigned char)p[1]) * 16 + hexval((unsigned char)p[2]));
      p += 2;
    } else *w++ = *p;
  }
  *w = '\0';
}

size_t warden_api_query_parse(char *buf, warden_api_kv *kv, size_t cap, bool *overflow) {
  size_t n = 0;
  *overflow = false;
  for (char *p = buf; p && *p;) {
    char *amp = strchr(p, '&');
    if (amp) *amp = '\0';
    if (*p) {
      char *eq = strchr(p, '=');
      if (eq) *eq = '\0';
      url_decode(p);
      if (eq) url_decode(eq + 1);
      if (n < cap) kv[n++] = (warden_api_kv){p, eq ? eq + 1 : ""};
      else *overflow = true;
    }
    p = amp ? amp + 1 : NULL;
  }
  return n;
}

const char *api_query(const api_req *q, const char *key) {
  for (size_t i = 0; i < q->in->nquery; i++)
    if (!strcmp(q->in->query[i].key, key)) return q->in->query[i].value;
  return NULL;
}

/* ---- responses ---- */
static const char *reason_of(int status) {
  switch (status) {
  case 200: return "OK";
  case 201: return "Created";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 409: return "Conflict";
  case 413: return "Payload Too Large";
  case 415: return "Unsupported Media Type";
  case 422: return "Unprocessable Entity";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
  default: return "Error";
  }
}

static const char *code_of(int status) {
  switch (status) {
  case 400: return "bad_request";
  case 401: return "unauthorized";
  case 403: return "forbidden";
  case 404: return "not_found";
  case 405: return "method_not_allowed";
  case 409: return "conflict";
  case 413: return "payload_too_large";
  case 415: return "unsupported_media_type";
  case 422: return "unprocessable";
  case 503: return "unavailable";
  default: return "internal";
  }
}

void api_error(api_req *q, int status, const char *fmt, ...) {
  char msg[600], st[8];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* a message may quote the client's bytes: keep it valid UTF-8 for the JSON body */
  if (!warden_utf8_valid(msg, strlen(msg)))
    for (char *p = msg; *p; p++)
      if ((unsigned char)*p >= 0x80) *p = '?';
  snprintf(st, sizeof st, "%d", status);
  json_t *o = json_object();
  json_object_set_new(o, "code", json_string(code_of(status)));
  json_object_set_new(o, "reason", json_string(reason_of(status)));
  json_object_set_new(o, "message", json_string(msg));
  json_object_set_new(o, "status", json_string(st));
  q->out->total = -1;
  q->out->fixed = NULL;
  warden_buf_reset(&q->out->body);
  q->out->status = status;
  q->out->content_type = "application/json";
  q->out->cache_control = "no-store";
  char *s = json_dumps(o, JSON_COMPACT);
  if (s) {
    warden_buf_adds(&q->out->body, s);
    free(s);
  }
  json_decref(o);
}

void api_fail(api_req *q, warden_status st, const char *msg) {
  int status;
  switch (st) {
  case WARDEN_ERR_NOT_FOUND: status = 404; break;
  case WARDEN_ERR_STATE:
  case WARDEN_ERR_EXISTS: status = 409; break;
  case WARDEN_ERR_PARSE:
  case WARDEN_ERR_USAGE: status = 400; break;
  case WARDEN_ERR_RANGE: status = 422; break;
  case WARDEN_ERR_TOO_BIG: status = 413; break;
  case WARDEN_ERR_NOMEM: status = 503; break;
  case WARDEN_ERR_DB:
    status = msg && (strstr(msg, "locked") || strstr(msg, "busy")) ? 503 : 500;
    break;
  default: status = 500; break;
  }
  api_error(q, status, "%s", msg && *msg ? msg : warden_strerror(st));
}

/* ?fields=a,b: keep only those keys and id, href, @type. */
static void fields_apply(json_t *o, const char *fields) {
  if (!json_is_object(o)) return;
  const char *key;
  json_t *v;
  void *tmp;
  json_object_foreach_safe(o, tmp, key, v) {
    if (!strcmp(key, "id") || !strcmp(key, "href") || !strcmp(key, "@type")) continue;
    size_t kl = strlen(key);
    bool keep = false;
    for (const char *p = fields; *p;) {
      const char *c = strchr(p, ',');
      size_t l = c ? (size_t)(c - p) : strlen(p);
      if (l == kl && !memcmp(p, key, l)) keep = true;
      p += l + (c ? 1 : 0);
    }
    if (!keep) json_object_del(o, key);
  }
}

static void send_json(api_req *q, int status, json_t *body) {
  char *s = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  json_decref(body);
  if (!s) {
    api_error(q, 503, "out of memory");
    return;
  }
  warden_buf_reset(&q->out->body);
  warden_status st = warden_buf_adds(&q->out->body, s);
  free(s);
  if (st) {
    api_error(q, 503, "the answer is too large");
    return;
  }
  q->out->status = status;
  q->out->content_type = "application/json";
  q->out->cache_control = "no-store";
}

void api_json(api_req *q, int status, json_t *body) {
  const char *fields = api_query(q, "fields");
  if (fields && *fields) {
    if (json_is_array(body)) {
      size_t i;
      json_t *e;
      json_array_foreach(body, i, e) fields_apply(e, fields);
    } else {
      fields_apply(body, fields);
    }
  }
  send_json(q, status, body);
}

void api_list(api_req *q, json_t *arr, long long total) {
  api_json(q, 200, arr);
  if (q->out->status == 200) q->out->total = total;
}

bool api_query_long(api_req *q, const char *key, long lo, long hi, long dflt, long *out) {
  const char *v = api_query(q, key);
  int64_t x;
  if (!v) {
    *out = dflt;
    return true;
  }
  if (!warden_parse_i64(v, &x) || x < lo || x > hi) {
    api_error(q, 400, "%s must be a whole number from %ld to %ld", key, lo, hi);
    return false;
  }
  *out = (long)x;
  return true;
}

bool api_paging(api_req *q, long *offset, long *limit) {
  return api_query_long(q, "offset", 0, 1000000000L, 0, offset) && api_query_long(q, "limit", 1, 1000, 50, limit);
}

bool api_query_time(api_req *q, const char *key, int64_t dflt, int64_t *out) {
  const char *v = api_query(q, key);
  if (!v) {
    *out = dflt;
    return true;
  }
  if (!warden_time_parse(v, out)) {
    api_error(q, 400, "%s must be a time: YYYY-MM-DD or ISO 8601 (2026-03-02T09:00:00+08:00)", key);
    return false;
  }
  return true;
}

bool api_body(api_req *q, const char *const *allowed, bool empty_ok, json_t **out) {
  *out = NULL;
  if (q->in->body_too_big) {
    api_error(q, 413, "the body is larger than %d bytes", WARDEN_API_MAX_BODY);
    return false;
  }
  if (!q->in->body_len) {
    if (empty_ok) return true;
    api_error(q, 400, "a JSON object body is required");
    return false;
  }
  const char *ct = q->in->content_type;
  if (!ct || strncasecmp(ct, "application/json", 16) || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
    api_error(q, 415, "the body must be application/json");
    return false;
  }
  json_error_t err;
  json_t *o = json_loadb(q->in->body, q->in->body_len, JSON_REJECT_DUPLICATES, &err);
  if (!o) {
    api_error(q, 400, "the body is not JSON: %s (line %d, column %d)", err.text, err.line, err.column);
    return false;
  }
  if (!json_is_object(o)) {
    json_decref(o);
    api_error(q, 400, "the body must be a JSON object");
    return false;
  }
  const char *key;
  json_t *v;
  json_object_foreach(o, key, v) {
    bool ok = false;
    for (const char *const *a = allowed; *a; a++)
      if (!strcmp(*a, key)) ok = true;
    if (!ok) {
      api_error(q, 400, "unknown field '%.60s' in the body", key);
      json_decref(o);
      return false;
    }
  }
  *out = o;
  return true;
}

/* ---- the database ---- */
static warden_registry *thread_db(warden_api *a, char *err, size_t errcap) {
  warden_registry *r = pthread_getspecific(a->tls);
  if (r) return r;
  if (warden_registry_open(a->db, &r, err, errcap)) return NULL;
  pthread_mutex_lock(&a->conns_mu);
  if (a->nconns == a->conns_cap) {
    size_t cap = a->conns_cap ? a->conns_cap * 2 : 8;
    warden_registry **v = realloc(a->conns, cap * sizeof *v);
    if (!v) {
      pthread_mutex_unlock(&a->conns_mu);
      warden_registry_close(r);
      snprintf(err, errcap, "out of memory");
      return NULL;
    }
    a->conns = v;
    a->conns_cap = cap;
  }
  a->conns[a->nconns++] = r;
  pthread_mutex_unlock(&a->conns_mu);
  pthread_setspecific(a->tls, r);
  return r;
}

warden_registry *api_db(api_req *q) {
  char err[512];
  warden_registry *r = thread_db(q->api, err, sizeof err);
  if (!r) {
    api_error(q, 503, "the registry cannot be opened: %s", err);
    return NULL;
  }
  char actor[64];
  snprintf(actor, sizeof actor, "api:%s", q->authed ? q->auth.id : "anonymous");
  warden_registry_set_actor(r, actor);
  return r;
}

void api_bind_text(sqlite3_stmt *s, const char *name, const char *value) {
  int i = sqlite3_bind_parameter_index(s, name);
  if (!i) return;
  if (value) sqlite3_bind_text(s, i, value, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(s, i);
}

void api_bind_int(sqlite3_stmt *s, const char *name, int64_t value) {
  int i = sqlite3_bind_parameter_index(s, name);
  if (i) sqlite3_bind_int64(s, i, value);
}

sqlite3_stmt *api_prepare(api_req *q, warden_registry *r, const char *sql) {
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(warden_registry_db(r), sql, -1, &s, NULL) != SQLITE_OK) {
    api_fail(q, WARDEN_ERR_DB, sqlite3_errmsg(warden_registry_db(r)));
    sqlite3_finalize(s);
    return NULL;
  }
  api_bind_int(s, ":g", api_scoped(q) ? 0 : 1);
  api_bind_text(s, ":scope", api_scoped(q) ? q->auth.scope : "");
  api_bind_int(s, ":depth", q->auth.depth);
  return s;
}

bool api_scoped(const api_req *q) { return q->authed && q->auth.depth > 0; }

static int cmp_str(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

bool api_visible(api_req *q, const char *account) {
  if (!api_scoped(q)) return true;
  if (!account || !*account) return false;
  if (!q->visible_loaded) {
    q->visible_loaded = true;
    warden_registry *r = api_db(q);
    sqlite3_stmt *s = r ? api_prepare(q, r, "SELECT id FROM account WHERE " API_VIS("id") " ORDER BY id") : NULL;
    size_t cap = 0;
    while (s && sqlite3_step(s) == SQLITE_ROW) {
      if (q->nvisible == cap) {
        size_t ncap = cap ? cap * 2 : 64;
        const char **v = warden_arena_alloc(&q->arena, ncap * sizeof *v);
        if (!v) break;
        if (cap) memcpy(v, q->visible, cap * sizeof *v);
        q->visible = v;
        cap = ncap;
      }
      q->visible[q->nvisible++] = api_strdup(q, api_col(s, 0));
    }
    sqlite3_finalize(s);
    qsort(q->visible, q->nvisible, sizeof *q->visible, cmp_str);
  }
  return q->nvisible && bsearch(&account, q->visible, q->nvisible, sizeof *q->visible, cmp_str) != NULL;
}

/* ---- small builders ---- */
void api_time(int64_t utc, char out[32]) {
  char d[11];
  int64_t local = utc + WARDEN_CST_OFFSET;
  int secs = (int)(((local % 86400) + 86400) % 86400);
  warden_date_format(warden_date_of_utc(utc), d);
  snprintf(out, 32, "%sT%02d:%02d:%02d+08:00", d, secs / 3600, secs / 60 % 60, secs % 60);
}

json_t *api_time_json(int64_t utc) {
  char t[32];
  if (!utc) return json_null();
  api_time(utc, t);
  return json_string(t);
}

json_t *api_date_json(int64_t day) {
  char d[11];
  if (day == WARDEN_NO_DATE || day < -1000000 || day > 1000000) return json_null();
  warden_date_format((int32_t)day, d);
  return json_string(d);
}

json_t *api_entity(const char *type, const char *base, const char *id) {
  json_t *o = json_object();
  char href[512];
  snprintf(href, sizeof href, "%s/%s", base, id);
  json_object_set_new(o, "id", json_string(id));
  json_object_set_new(o, "href", json_string(href));
  json_object_set_new(o, "@type", json_string(type));
  return o;
}

json_t *api_ref(const char *type, const char *base, const char *id, const char *role) {
  json_t *o = json_object();
  char href[512];
  snprintf(href, sizeof href, "%s/%s", base, id);
  json_object_set_new(o, "id", json_string(id));
  json_object_set_new(o, "href", json_string(href));
  if (role) json_object_set_new(o, "role", json_string(role));
  json_object_set_new(o, "@referredType", json_string(type));
  return o;
}

const char *api_col(sqlite3_stmt *s, int i) {
  const unsigned char *t = sqlite3_column_text(s, i);
  return t ? (const char *)t : "";
}

json_t *api_col_json(sqlite3_stmt *s, int i) {
  return sqlite3_column_type(s, i) == SQLITE_NULL ? json_null() : json_string(api_col(s, i));
}

char *api_strdup(api_req *q, const char *s) { return warden_arena_strndup(&q->arena, s, strlen(s)); }

/* ---- routing ---- */
/* Whether path matches the pattern; the {param} segments go to params. */
static bool route_match(const char *pattern, const char *path, const char **params, warden_arena *ar) {
  int np = 0;
  const char *p = pattern, *s = path;
  while (*p && *s) {
    if (*p != '/' || *s != '/') return false;
    p++;
    s++;
    const char *pe = strchr(p, '/'), *se = strchr(s, '/');
    size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
    if (pl && *p == '{') {
      if (!sl || np >= 3) return false;
      if (params && !(params[np++] = warden_arena_strndup(ar, s, sl))) return false;
    } else if (pl != sl || memcmp(p, s, pl)) {
      return false;
    }
    p += pl;
    s += sl;
  }
  return !*p && !*s;
}

static bool query_allowed(const char *list, const char *key) {
  size_t kl = strlen(key);
  for (const char *p = list; *p;) {
    const char *c = strchr(p, ',');
    size_t l = c ? (size_t)(c - p) : strlen(p);
    if (l == kl && !memcmp(p, key, l)) return true;
    p += l + (c ? 1 : 0);
  }
  return false;
}

static void log_line(warden_api *a, const warden_api_request *req, const warden_api_response *resp, uint64_t micros) {
  if (!a->log) return;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char t[32];
  api_time(ts.tv_sec, t);
  json_t *o = json_object();
  char when[48];
  snprintf(when, sizeof when, "%.19s.%03ld+08:00", t, ts.tv_nsec / 1000000);
  json_object_set_new(o, "time", json_string(when));
  json_object_set_new(o, "method", json_string(req->method ? req->method : ""));
  /* the path only: query strings carry phone numbers (personal data) */
  json_t *path = json_string(req->path ? req->path : "");
  json_object_set_new(o, "path", path ? path : json_string("(not UTF-8)"));
  json_object_set_new(o, "status", json_integer(resp->status));
  json_object_set_new(o, "micros", json_integer((json_int_t)micros));
  json_object_set_new(o, "token", resp->token_id[0] ? json_string(resp->token_id) : json_null());
  char *s = json_dumps(o, JSON_COMPACT);
  if (s) {
    size_t n = strlen(s);
    s[n] = '\n';
    fwrite(s, 1, n + 1, a->log); /* one write per line: lines of two threads do not interleave */
    free(s);
  }
  json_decref(o);
}

static void dispatch(api_req *q) {
  const warden_api_request *in = q->in;
  const char *method = in->method ? in->method : "";
  const char *path = in->path ? in->path : "";
  bool head = !strcmp(method, "HEAD");
  const api_route *rt = NULL;
  char allow[64] = "";
  if (strlen(path) > 2048) {
    api_error(q, 404, "no such resource");
    return;
  }
  for (size_t i = 0; i < api_nroutes; i++) {
    const char *params[3] = {NULL, NULL, NULL};
    if (!route_match(api_routes[i].path, path, NULL, NULL)) continue;
    if (!strcmp(api_routes[i].method, method) || (head && !strcmp(api_routes[i].method, "GET"))) {
      if (!route_match(api_routes[i].path, path, params, &q->arena)) {
        api_error(q, 503, "out of memory");
        return;
      }
      memcpy(q->param, params, sizeof params);
      rt = &api_routes[i];
      q->route = (int)i;
      break;
    }
    size_t l = strlen(allow);
    snprintf(allow + l, sizeof allow - l, "%s%s", l ? ", " : "", api_routes[i].method);
  }
  if (!rt) {
    if (allow[0]) {
      api_error(q, 405, "%s is not allowed here; use %s", method[0] ? method : "(no method)", allow);
      q->out->allow = !strcmp(allow, "GET") ? "GET, HEAD" : "POST";
    } else {
      api_error(q, 404, "no such resource");
    }
    return;
  }
  if (in->body_too_big) {
    api_error(q, 413, "the body is larger than %d bytes", WARDEN_API_MAX_BODY);
    return;
  }
  if (rt->flags & API_AUTH) {
    const char *h = in->authorization;
    char why[160];
    if (!h || strncasecmp(h, "Bearer ", 7)) {
      api_error(q, 401, "a bearer token is required (Authorization: Bearer wdn_...)");
      q->out->www_authenticate = true;
      return;
    }
    const char *tok = h + 7;
    while (*tok == ' ') tok++;
    bool ok;
    int64_t now = warden_now();
    if (rt->flags & API_MEMORY) {
      pthread_rwlock_rdlock(&q->api->snap_lock);
      ok = api_token_verify(NULL, q->api->tokens, q->api->hasher, tok, now, &q->auth, why, sizeof why);
      pthread_rwlock_unlock(&q->api->snap_lock);
    } else {
      warden_registry *r = api_db(q);
      if (!r) return;
      ok = api_token_verify(r, NULL, r, tok, now, &q->auth, why, sizeof why);
    }
    if (!ok) {
      api_error(q, 401, "%s", why);
      q->out->www_authenticate = true;
      return;
    }
    q->authed = true;
    snprintf(q->out->token_id, sizeof q->out->token_id, "%s", q->auth.id);
    if ((rt->flags & API_WRITE) && q->auth.role == WARDEN_API_AUDITOR) {
      api_error(q, 403, "an auditor's token reads only");
      return;
    }
    if ((rt->flags & API_PLATFORM) && q->auth.role != WARDEN_API_PLATFORM &&
        !(q->auth.role == WARDEN_API_AUDITOR && !(rt->flags & API_WRITE))) {
      api_error(q, 403, "a %s token may not use this route", warden_api_role_name(q->auth.role));
      return;
    }
  }
  if (in->query_overflow) {
    api_error(q, 400, "more than %d query parameters", WARDEN_API_MAX_QUERY);
    return;
  }
  for (size_t i = 0; i < in->nquery; i++) {
    const char *k = in->query[i].key, *v = in->query[i].value;
    if (!query_allowed(rt->query, k)) {
      api_error(q, 400, "unknown query parameter '%.60s'%s%s", k, rt->query[0] ? "; this route takes: " : "",
                rt->query);
      return;
    }
    for (size_t j = 0; j < i; j++)
      if (!strcmp(in->query[j].key, k)) {
        api_error(q, 400, "query parameter '%s' given twice", k);
        return;
      }
    if (!warden_utf8_valid(v, strlen(v))) {
      api_error(q, 400, "query parameter '%s' is not UTF-8", k);
      return;
    }
  }
  for (int i = 0; i < 3 && q->param[i]; i++)
    if (!warden_utf8_valid(q->param[i], strlen(q->param[i])) || strlen(q->param[i]) > 256) {
      api_error(q, 404, "no such resource");
      return;
    }
  const char *fields = api_query(q, "fields");
  if (fields)
    for (const char *p = fields; *p; p++)
      if (!isalnum((unsigned char)*p) && *p != ',' && *p != '_' && *p != '@') {
        api_error(q, 400, "fields is a comma-separated list of field names");
        return;
      }
  rt->fn(q);
  if (!q->out->status) api_error(q, 500, "the route gave no answer");
}

void warden_api_handle(warden_api *a, const warden_api_request *req, warden_api_response *resp) {
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  api_req q = {.api = a, .in = req, .out = resp, .route = (int)api_nroutes};
  warden_arena_init(&q.arena, 0);
  dispatch(&q);
  warden_arena_release(&q.arena);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  uint64_t micros = (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000);
  api_metrics_record(a, q.route, resp->status, micros);
  log_line(a, req, resp, micros);
}
