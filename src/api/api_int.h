/* api_int.h — private to src/api: the server's state, a request's context and the helpers the
 * route files share. */
#ifndef WARDEN_API_INT_H
#define WARDEN_API_INT_H

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>

#include "../cal/cal.h"
#include "../policy/policy.h"
#include "api.h"

/* ---- tokens (auth.c) ---- */
typedef struct api_auth {
  warden_api_role role;
  char id[17];
  char scope[72]; /* "" when the role is not scoped */
  int depth;      /* 0: sees everything; 1: scope and its children; 2: and their children */
} api_auth;

typedef struct api_token_entry {
  char id[17];
  unsigned char hash[32];
  warden_api_role role;
  char scope[72];
  int64_t expires, revoked; /* 0: none */
} api_token_entry;

typedef struct api_token_table {
  api_token_entry *v; /* sorted by id */
  size_t n;
} api_token_table;

warden_status api_tokens_load(warden_registry *r, api_token_table **out);
void api_tokens_free(api_token_table *t);
/* Verifies "wdn_ID_SECRET" against the database (r non-NULL) or the table; hasher computes the keyed
 * hash (its SQLite handle is never used). On failure why holds the sentence for the 401. */
bool api_token_verify(warden_registry *r, const api_token_table *t, warden_registry *hasher, const char *token,
                      int64_t now, api_auth *out, char *why, size_t whycap);

/* ---- metrics (metrics.c) ---- */
#define API_MAX_ROUTES 48
#define API_NSTATUS 16
#define API_NBUCKETS 12
typedef struct api_metric_cell {
  atomic_ullong micros, bucket[API_NBUCKETS + 1]; /* the last: above every bound; count = their sum */
} api_metric_cell;
typedef struct api_metrics {
  api_metric_cell cell[API_MAX_ROUTES + 1][API_NSTATUS]; /* the last route row: no route matched */
  atomic_ullong screen[8];                               /* decisions by rule (0: allowed) */
} api_metrics;

/* ---- the screening snapshot (screen.c) ---- */
typedef struct api_screen api_screen;
warden_status api_screen_load(warden_registry *r, const api_screen *prev, api_screen **out);
void api_screen_free(api_screen *s);
size_t api_screen_count(const api_screen *s);

/* ---- the server ---- */
struct warden_api {
  char db[1024];
  warden_policy *policy;
  warden_cal *cal;
  warden_registry *hasher;  /* keyed hashes for tokens from any thread: its SQLite handle is unused */
  warden_registry *main_r;  /* the thread that runs warden_api_new / warden_api_run */
  pthread_key_t tls;        /* each thread's registry connection */
  pthread_mutex_t conns_mu; /* guards conns */
  warden_registry **conns;
  size_t nconns, conns_cap;
  pthread_rwlock_t snap_lock; /* guards screen and tokens (the pointers; the tables are read-only) */
  api_screen *screen;
  api_token_table *tokens;
  pthread_mutex_t reload_mu; /* one rebuild at a time */
  FILE *log;
  api_metrics metrics;
  int64_t started;
};

/* ---- a request ---- */
typedef struct api_req {
  warden_api *api;
  const warden_api_request *in;
  warden_api_response *out;
  warden_arena arena;       /* everything of the request: freed in one place, warden_api_handle */
  const char *param[3];     /* path parameters, in order */
  int route;
  api_auth auth;
  bool authed;
  const char **visible;     /* the scoped token's accounts, sorted (api_visible) */
  size_t nvisible;
  bool visible_loaded;
} api_req;

typedef void (*api_handler)(api_req *q);

enum {
  API_AUTH = 1,      /* a bearer token is required */
  API_WRITE = 2,     /* auditors may not */
  API_PLATFORM = 4,  /* platform and auditor only (audit, reports) */
  API_MEMORY = 8,    /* verified against the in-memory token table: never touches SQLite */
};

typedef struct api_route {
  const char *method, *path;
  api_handler fn;
  int flags;
  const char *query; /* the query parameters it takes, comma-separated */
} api_route;

extern const api_route api_routes[];
extern const size_t api_nroutes;

/* ---- helpers (router.c) ---- */
/* The calling thread's registry (opened on first use; the actor set to "api:TOKEN"), or NULL after
 * answering 503. */
warden_registry *api_db(api_req *q);
const char *api_query(const api_req *q, const char *key);
void api_error(api_req *q, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Answers for a library status (NOT_FOUND 404, STATE 409, PARSE/USAGE 400, ...) with the registry's
 * sentence. */
void api_fail(api_req *q, warden_status st, const char *msg);
/* Sends body (stolen) as JSON, applying ?fields= to an object or to each object of an array. */
void api_json(api_req *q, int status, json_t *body);
void api_list(api_req *q, json_t *arr, long long total);
/* offset/limit of a list: defaults 0/50, limit at most 1000. False after answering 400. */
bool api_paging(api_req *q, long *offset, long *limit);
/* An integer query parameter within [lo, hi]; absent: *out = dflt. False after answering 400. */
bool api_query_long(api_req *q, const char *key, long lo, long hi, long dflt, long *out);
/* A time query parameter (warden_time_parse forms); absent: *out = dflt. */
bool api_query_time(api_req *q, const char *key, int64_t dflt, int64_t *out);
/* The JSON object body, with only the keys allowed (NULL-terminated). False after answering
 * 413/415/400. *out is NULL when the body is empty and empty_ok. */
bool api_body(api_req *q, const char *const *allowed, bool empty_ok, json_t **out);
/* A prepared statement with :g, :scope and :depth bound from the token (API_VIS uses them); NULL
 * after answering 5xx. */
sqlite3_stmt *api_prepare(api_req *q, warden_registry *r, const char *sql);
void api_bind_text(sqlite3_stmt *s, const char *name, const char *value); /* NULL binds NULL */
void api_bind_int(sqlite3_stmt *s, const char *name, int64_t value);
/* Whether the token sees account (always for unscoped tokens). */
bool api_visible(api_req *q, const char *account);
bool api_scoped(const api_req *q);
/* "2026-03-02T09:00:00+08:00" (CST) from UTC seconds; "YYYY-MM-DD" from a day count. */
void api_time(int64_t utc, char out[32]);
json_t *api_time_json(int64_t utc); /* null when 0 */
json_t *api_date_json(int64_t day); /* null when WARDEN_NO_DATE or out of range */
/* {"id", "href": base/id, "@type"} */
json_t *api_entity(const char *type, const char *base, const char *id);
json_t *api_ref(const char *type, const char *base, const char *id, const char *role);
const char *api_col(sqlite3_stmt *s, int i); /* "" for NULL */
json_t *api_col_json(sqlite3_stmt *s, int i); /* string or null */
char *api_strdup(api_req *q, const char *s);

/* The SQL condition "account column col is visible to the token" (binds :g, :scope, :depth). */
#define API_VIS(col)                                                                                            \
  "(:g = 1 OR " col " = :scope OR " col " IN (SELECT id FROM account WHERE parent_id = :scope) OR (:depth >= 2 AND " \
  col " IN (SELECT c.id FROM account c JOIN account m ON c.parent_id = m.id WHERE m.parent_id = :scope)))"

/* ---- resources ---- */
void api_h_static_index(api_req *q);
void api_h_static_asset(api_req *q);
void api_h_openapi(api_req *q);
void api_h_healthz(api_req *q);
void api_h_metrics(api_req *q);
void api_h_screen(api_req *q);

void api_h_individual_list(api_req *q);
void api_h_individual_get(api_req *q);
void api_h_organization_list(api_req *q);
void api_h_organization_get(api_req *q);
void api_h_customer_list(api_req *q);
void api_h_customer_get(api_req *q);
void api_h_partyrole_list(api_req *q);
void api_h_partyrole_get(api_req *q);
void api_h_agreement_list(api_req *q);
void api_h_agreement_get(api_req *q);
void api_h_resource_list(api_req *q);
void api_h_resource_get(api_req *q);
/* The TMF629 shape of one customer account (visibility checked by the caller). */
json_t *api_customer_json(api_req *q, warden_registry *r, const char *id, const char *party, const char *state,
                          const char *parent);
json_t *api_resource_json(sqlite3_stmt *s); /* columns: API_RESOURCE_COLS */
#define API_RESOURCE_COLS                                                                                       \
  "n.number, n.state, n.grade, n.kind, n.province, n.annual_fee_fen, n.account_id, n.state_since, n.landing, " \
  "n.outbound_display"

void api_h_me(api_req *q);
void api_h_number_summary(api_req *q);
void api_h_number_history(api_req *q);
void api_h_number_freeze(api_req *q);
void api_h_number_unfreeze(api_req *q);
void api_h_finding_list(api_req *q);
void api_h_finding_get(api_req *q);
void api_h_case_list(api_req *q);
void api_h_case_get(api_req *q);
void api_h_case_act(api_req *q);
void api_h_agent_list(api_req *q);
void api_h_agent_get(api_req *q);
void api_h_agent_customers(api_req *q);
void api_h_cluster(api_req *q);
void api_h_policy(api_req *q);
void api_h_audit_list(api_req *q);
void api_h_audit_verify(api_req *q);
void api_h_report_daily(api_req *q);

/* metrics.c */
void api_metrics_record(warden_api *a, int route, int status, uint64_t micros);
void api_metrics_screen(warden_api *a, int rule);

#endif
