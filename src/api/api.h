/* api.h — the public face of warden's HTTP API (issue 7): `warden serve`, its bearer tokens, and the
 * request handler factored away from the sockets so that tests and the fuzzer call it directly.
 *
 * Resources (docs/api.md, docs/openapi.json is the contract): TM Forum style parties, customers,
 * party roles, agreements and resources under /tmf-api/, warden's own under /warden/v1/, call
 * screening for the switch (/warden/v1/screen, answered from memory), /metrics, /healthz,
 * /openapi.json and the dashboard's static files at / and /assets/NAME (compiled in).
 *
 *   layer        file           what
 *   -----------  -------------  ------------------------------------------------------------------
 *   sockets      server.c       libmicrohttpd, a thread pool, one SQLite connection per worker
 *                               thread (opened lazily); the body capped at WARDEN_API_MAX_BODY
 *   handler      router.c       the route table, auth, errors, query strings, logs, metrics
 *   resources    routes_tmf.c   TMF party / customer / partyRole / agreement / resource
 *                routes_warden.c  me, numbers, findings, cases, agents, clusters, policy, audit,
 *                               reports
 *   memory       screen.c       the screening snapshot (numbers), reloaded on writes and SIGHUP
 *                auth.c         tokens: created, listed, revoked, verified (in SQLite, or in the
 *                               in-memory table the screen route uses)
 *
 * Roles (api_token.role) and what they see:
 *
 *   role         scope               reads                                         writes
 *   -----------  ------------------  --------------------------------------------  ----------------------
 *   platform     none (or platform)  everything                                    everything
 *   distributor  its account         itself, its agents, their customers and       freeze in scope
 *                                    those customers' numbers, contracts, cases
 *   reseller     its agent account   itself, its own customers, their numbers,     freeze in scope
 *                                    contracts, cases
 *   auditor      none                everything                                    nothing (403)
 *
 * Out of scope reads and writes answer 404, as if the thing did not exist, so that existence does
 * not leak; a role that may not use a route at all answers 403.
 *
 * Ownership: warden_api_new hands out a server the caller ends with warden_api_free (after
 * warden_api_run returns). A response's body belongs to the response: _response_release frees it.
 * Threads: warden_api_handle may be called from many threads at once; each thread gets its own
 * registry connection, closed by warden_api_free.
 */
#ifndef WARDEN_API_H
#define WARDEN_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/core.h"
#include "../registry/registry.h"

#define WARDEN_API_MAX_BODY (64 * 1024) /* larger bodies answer 413 */
#define WARDEN_API_MAX_QUERY 32         /* query parameters per request */

typedef struct warden_api warden_api;

typedef struct warden_api_opts {
  const char *db;      /* the registry file (required) */
  const char *policy;  /* NULL: $WARDEN_POLICY, else the built-in default */
  FILE *log;           /* one JSON line per request; NULL: none (--quiet) */
} warden_api_opts;

/* Opens the registry (to check it, and for the snapshots), loads the policy and calendar, builds the
 * screening snapshot and the token table. err holds a sentence on failure. */
warden_status warden_api_new(const warden_api_opts *o, warden_api **out, char *err, size_t errcap);
void warden_api_free(warden_api *a);

/* ---- the handler without sockets ---- */
typedef struct warden_api_kv {
  const char *key, *value; /* decoded */
} warden_api_kv;

typedef struct warden_api_request {
  const char *method;        /* "GET", "POST" ... */
  const char *path;          /* decoded path, without the query string */
  const warden_api_kv *query;
  size_t nquery;
  bool query_overflow;       /* more than WARDEN_API_MAX_QUERY parameters were sent */
  const char *authorization; /* the header, or NULL */
  const char *content_type;  /* the header, or NULL */
  const char *body;          /* may be NULL when body_len is 0 */
  size_t body_len;
  bool body_too_big;         /* the body passed WARDEN_API_MAX_BODY (and was not kept) */
} warden_api_request;

typedef struct warden_api_response {
  int status;
  const char *content_type;  /* static string */
  warden_buf body;           /* owned by the response */
  const char *fixed;         /* or a static body (compiled-in files): used when non-NULL */
  size_t fixed_len;
  long long total;           /* X-Total-Count, or -1 */
  const char *cache_control; /* static string or NULL */
  const char *allow;         /* Allow (405), static or NULL */
  bool www_authenticate;     /* 401: WWW-Authenticate: Bearer */
  char token_id[40];         /* the token that made the request, "" when none: for the log */
} warden_api_response;

void warden_api_response_init(warden_api_response *resp);
void warden_api_response_release(warden_api_response *resp);
/* Answers one request into resp (initialised by the caller): routing, auth, the resource, metrics
 * and the log line. Never fails: every problem is an HTTP status with an error body. */
void warden_api_handle(warden_api *a, const warden_api_request *req, warden_api_response *resp);
/* Parses a raw query string ("a=1&b=x%20y") into kv, decoding in place in buf (a copy the caller
 * owns, as long as kv is used). Returns the count; *overflow when more than cap were present. */
size_t warden_api_query_parse(char *buf, warden_api_kv *kv, size_t cap, bool *overflow);

/* ---- serving ---- */
/* Serves on listen ("127.0.0.1:8080", "[::1]:8080"; port 0 picks a free one) with a pool of threads
 * (0: the number of processors) until SIGINT or SIGTERM; SIGHUP reloads the screening snapshot and
 * the tokens. Prints "warden serve: listening on http://HOST:PORT" to out once ready. */
warden_status warden_api_run(warden_api *a, const char *listen, int threads, FILE *out, char *err, size_t errcap);
/* Rebuilds the screening snapshot and the token table from the registry (the calling thread's
 * connection). */
warden_status warden_api_reload(warden_api *a);

/* The route table, one "METHOD PATH" line per route as in the OpenAPI document. */
void warden_api_routes_write(FILE *out);

/* ---- tokens ---- */
typedef enum warden_api_role {
  WARDEN_API_PLATFORM = 0,
  WARDEN_API_DISTRIBUTOR,
  WARDEN_API_RESELLER,
  WARDEN_API_AUDITOR,
  WARDEN_API_ROLE__COUNT
} warden_api_role;
const char *warden_api_role_name(warden_api_role role);
warden_api_role warden_api_role_parse(const char *name); /* __COUNT when unknown */

/* A token is "wdn_" ID "_" SECRET: ID 16 hex digits (public, the api_token row), SECRET 64 hex digits
 * (kept only as a keyed hash). The scope must be an account of the role's kind: a distributor
 * account for distributor, an agent account for reseller; platform and auditor take none. expires 0:
 * never. Audited as token.create (the secret never). token gets the whole token (to print once). */
#define WARDEN_API_TOKEN_LEN 85
warden_status warden_api_token_create(warden_registry *r, warden_api_role role, const char *scope, int64_t expires,
                                      const char *note, char token[WARDEN_API_TOKEN_LEN + 1], char id[17]);
typedef struct warden_api_token_view {
  const char *id, *role, *scope, *note; /* scope NULL when none */
  int64_t created, expires, revoked;     /* 0 when none */
} warden_api_token_view;
warden_status warden_api_token_list(warden_registry *r, void (*fn)(const warden_api_token_view *v, void *ctx),
                                    void *ctx);
/* Audited as token.revoke; WARDEN_ERR_NOT_FOUND when no such token, _STATE when already revoked. */
warden_status warden_api_token_revoke(warden_registry *r, const char *id);

#endif
