/* metrics.c — /metrics in the Prometheus text format: requests and latencies by route and status (a
 * histogram kept in relaxed atomics), screening decisions, and from the registry the findings stored
 * by rule, the cases by state and the numbers by state. */
#include <string.h>

#include "api_int.h"

static const int statuses[API_NSTATUS - 1] = {200, 201, 304, 400, 401, 403, 404, 405, 409, 413, 415, 422, 500, 503, 204};
static const char *const bounds[API_NBUCKETS] = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005",
                                                 "0.01",   "0.025",   "0.05",   "0.1",   "0.5",    "1"};
static const uint64_t bound_us[API_NBUCKETS] = {100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 500000, 1000000};
static const char *const screen_rules[5] = {"allow", "NUM-CATALOG", "TR-400-OUT", "TR-SPOOF", "TR-SLOT"};

static int status_slot(int status) {
  for (int i = 0; i < API_NSTATUS - 1; i++)
    if (statuses[i] == status) return i;
  return API_NSTATUS - 1; /* any other */
}

void api_metrics_record(warden_api *a, int route, int status, uint64_t micros) {
  if (route < 0 || route > API_MAX_ROUTES) route = API_MAX_ROUTES;
  api_metric_cell *c = &a->metrics.cell[route][status_slot(status)];
  int b = 0;
  while (b < API_NBUCKETS && micros > bound_us[b]) b++;
  atomic_fetch_add_explicit(&c->bucket[b], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&c->micros, micros, memory_order_relaxed);
}

void api_metrics_screen(warden_api *a, int rule) {
  if (rule >= 0 && rule < 8) atomic_fetch_add_explicit(&a->metrics.screen[rule], 1, memory_order_relaxed);
}

static void db_counts(warden_registry *r, warden_buf *b, const char *name, const char *help, const char *label,
                      const char *sql) {
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(warden_registry_db(r), sql, -1, &s, NULL) != SQLITE_OK) {
    sqlite3_finalize(s);
    return;
  }
  warden_buf_addf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
  while (sqlite3_step(s) == SQLITE_ROW)
    warden_buf_addf(b, "%s{%s=\"%s\"} %lld\n", name, label, api_col(s, 0), (long long)sqlite3_column_int64(s, 1));
  sqlite3_finalize(s);
}

void api_h_metrics(api_req *q) {
  warden_buf *b = &q->out->body;
  warden_api *a = q->api;
  warden_registry *r = api_db(q);
  if (!r) return;
  warden_buf_reset(b);
  warden_buf_adds(b, "# HELP warden_http_requests_total Requests answered, by route and status.\n"
                     "# TYPE warden_http_requests_total counter\n");
  for (size_t ro = 0; ro <= api_nroutes; ro++)
    for (int st = 0; st < API_NSTATUS; st++) {
      api_metric_cell *c = &a->metrics.cell[ro][st];
      unsigned long long n = 0;
      for (int k = 0; k <= API_NBUCKETS; k++) n += atomic_load_explicit(&c->bucket[k], memory_order_relaxed);
      if (!n) continue;
      warden_buf_addf(b, "warden_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s%d\"} %llu\n",
                      ro < api_nroutes ? api_routes[ro].method : "", ro < api_nroutes ? api_routes[ro].path : "(none)",
                      st == API_NSTATUS - 1 ? "other:" : "", st == API_NSTATUS - 1 ? 0 : statuses[st], n);
    }
  warden_buf_adds(b, "# HELP warden_http_request_duration_seconds Time to answer, by route and status.\n"
                     "# TYPE warden_http_request_duration_seconds histogram\n");
  for (size_t ro = 0; ro <= api_nroutes; ro++)
    for (int st = 0; st < API_NSTATUS; st++) {
      api_metric_cell *c = &a->metrics.cell[ro][st];
      unsigned long long v[API_NBUCKETS + 1], n = 0;
      for (int k = 0; k <= API_NBUCKETS; k++) n += (v[k] = atomic_load_explicit(&c->bucket[k], memory_order_relaxed));
      if (!n) continue;
      char labels[320];
      snprintf(labels, sizeof labels, "method=\"%s\",route=\"%s\",status=\"%s%d\"",
               ro < api_nroutes ? api_routes[ro].method : "", ro < api_nroutes ? api_routes[ro].path : "(none)",
               st == API_NSTATUS - 1 ? "other:" : "", st == API_NSTATUS - 1 ? 0 : statuses[st]);
      unsigned long long cum = 0;
      for (int k = 0; k < API_NBUCKETS; k++) {
        cum += v[k];
        warden_buf_addf(b, "warden_http_request_duration_seconds_bucket{%s,le=\"%s\"} %llu\n", labels, bounds[k], cum);
      }
      warden_buf_addf(b, "warden_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n", labels, n);
      unsigned long long us = atomic_load_explicit(&c->micros, memory_order_relaxed);
      warden_buf_addf(b, "warden_http_request_duration_seconds_sum{%s} %llu.%06llu\n", labels, us / 1000000,
                      us % 1000000);
      warden_buf_addf(b, "warden_http_request_duration_seconds_count{%s} %llu\n", labels, n);
    }
  warden_buf_adds(b, "# HELP warden_screen_decisions_total Call screening answers, by the rule that denied (allow: none).\n"
                     "# TYPE warden_screen_decisions_total counter\n");
  for (int i = 0; i < 5; i++)
    warden_buf_addf(b, "warden_screen_decisions_total{decision=\"%s\",rule=\"%s\"} %llu\n", i ? "deny" : "allow",
                    i ? screen_rules[i] : "", atomic_load_explicit(&a->metrics.screen[i], memory_order_relaxed));
  pthread_rwlock_rdlock(&a->snap_lock);
  size_t nums = api_screen_count(a->screen);
  pthread_rwlock_unlock(&a->snap_lock);
  warden_buf_addf(b, "# HELP warden_screen_numbers Numbers in the screening snapshot.\n# TYPE warden_screen_numbers gauge\n"
                     "warden_screen_numbers %zu\n", nums);
  warden_buf_addf(b, "# HELP warden_uptime_seconds Seconds since warden serve started.\n# TYPE warden_uptime_seconds gauge\n"
                     "warden_uptime_seconds %lld\n", (long long)(warden_now() - a->started));
  db_counts(r, b, "warden_findings_stored", "Findings stored in the registry (table finding), by rule.", "rule",
            "SELECT rule, count(*) FROM finding GROUP BY rule ORDER BY rule");
  db_counts(r, b, "warden_finding_calls", "Calls that tripped the stored findings, by rule.", "rule",
            "SELECT rule, COALESCE(sum(count), 0) FROM finding GROUP BY rule ORDER BY rule");
  db_counts(r, b, "warden_cases", "Enforcement cases (table enf_case), by state.", "state",
            "SELECT state, count(*) FROM enf_case GROUP BY state ORDER BY state");
  db_counts(r, b, "warden_numbers", "Numbers in the inventory, by state.", "state",
            "SELECT state, count(*) FROM number GROUP BY state ORDER BY state");
  q->out->status = 200;
  q->out->content_type = "text/plain; version=0.0.4; charset=utf-8";
  q->out->cache_control = "no-store";
}

void api_h_healthz(api_req *q) {
  warden_buf_reset(&q->out->body);
  warden_buf_adds(&q->out->body, "{\"status\":\"ok\"}");
  q->out->status = 200;
  q->out->content_type = "application/json";
  q->out->cache_control = "no-store";
}
