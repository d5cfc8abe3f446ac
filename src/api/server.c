/* server.c — the server's state (policy, calendar, snapshots, per-thread registries) and the
 * libmicrohttpd front: a thread pool on epoll, bodies capped, the request handed to
 * warden_api_handle; SIGHUP reloads, SIGINT/SIGTERM stop. */
#include <microhttpd.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api_int.h"

warden_status warden_api_new(const warden_api_opts *o, warden_api **out, char *err, size_t errcap) {
  warden_status st;
  warden_buf errors;
  *out = NULL;
  warden_api *a = calloc(1, sizeof *a);
  if (!a) {
    snprintf(err, errcap, "out of memory");
    return WARDEN_ERR_NOMEM;
  }
  warden_buf_init(&errors, 1 << 16);
  snprintf(a->db, sizeof a->db, "%s", o->db);
  a->log = o->log;
  a->started = warden_now();
  pthread_mutex_init(&a->conns_mu, NULL);
  pthread_mutex_init(&a->reload_mu, NULL);
  pthread_rwlock_init(&a->snap_lock, NULL);
  if (pthread_key_create(&a->tls, NULL)) {
    free(a);
    snprintf(err, errcap, "no thread-local key");
    return WARDEN_ERR_NOMEM;
  }
  if ((st = warden_registry_open(o->db, &a->main_r, err, errcap))) goto fail;
  if ((st = warden_registry_open(o->db, &a->hasher, err, errcap))) goto fail;
  if (!(a->conns = calloc(8, sizeof *a->conns))) {
    st = WARDEN_ERR_NOMEM;
    snprintf(err, errcap, "out of memory");
    goto fail;
  }
  a->conns_cap = 8;
  a->conns[a->nconns++] = a->main_r;
  pthread_setspecific(a->tls, a->main_r);
  if ((st = warden_policy_load(o->policy, &a->policy, &errors))) {
    snprintf(err, errcap, "the policy does not load: %s", warden_buf_str(&errors));
    goto fail;
  }
  /* the calendar as the CLI builds it: built-in years, $WARDEN_HOLIDAYS, then the registry's */
  const char *hol = getenv("WARDEN_HOLIDAYS");
  if ((st = warden_cal_new(&a->cal)) || (hol && *hol && (st = warden_cal_load_dir(a->cal, hol, &errors))) ||
      (st = warden_registry_cal_load(a->main_r, a->cal, &errors))) {
    snprintf(err, errcap, "the calendar does not load: %s", errors.len ? warden_buf_str(&errors) : warden_strerror(st));
    goto fail;
  }
  if ((st = warden_api_reload(a))) {
    snprintf(err, errcap, "%s", warden_registry_errmsg(a->main_r));
    goto fail;
  }
  warden_buf_release(&errors);
  *out = a;
  return WARDEN_OK;
fail:
  warden_buf_release(&errors);
  warden_api_free(a);
  return st;
}

void warden_api_free(warden_api *a) {
  if (!a) return;
  for (size_t i = 0; i < a->nconns; i++) warden_registry_close(a->conns[i]);
  if (!a->nconns) warden_registry_close(a->main_r);
  free(a->conns);
  warden_registry_close(a->hasher);
  api_screen_free(a->screen);
  api_tokens_free(a->tokens);
  warden_policy_free(a->policy);
  warden_cal_free(a->cal);
  pthread_key_delete(a->tls);
  pthread_rwlock_destroy(&a->snap_lock);
  pthread_mutex_destroy(&a->conns_mu);
  pthread_mutex_destroy(&a->reload_mu);
  free(a);
}

/* Rebuilds what is asked from the calling thread's connection and swaps it in. */
static warden_status reload(warden_api *a, warden_registry *r, bool screen, bool tokens) {
  api_screen *s = NULL;
  api_token_table *t = NULL;
  warden_status st = WARDEN_OK;
  pthread_mutex_lock(&a->reload_mu);
  if (screen) {
    pthread_rwlock_rdlock(&a->snap_lock);
    st = api_screen_load(r, a->screen, &s);
    pthread_rwlock_unlock(&a->snap_lock);
  }
  if (!st && tokens) st = api_tokens_load(r, &t);
  if (!st) {
    pthread_rwlock_wrlock(&a->snap_lock);
    if (s) {
      api_screen *old = a->screen;
      a->screen = s;
      s = old;
    }
    if (t) {
      api_token_table *old = a->tokens;
      a->tokens = t;
      t = old;
    }
    pthread_rwlock_unlock(&a->snap_lock);
  }
  api_screen_free(s);
  api_tokens_free(t);
  pthread_mutex_unlock(&a->reload_mu);
  return st;
}

warden_status warden_api_reload(warden_api *a) {
  warden_registry *r = pthread_getspecific(a->tls);
  return reload(a, r ? r : a->main_r, true, true);
}

/* ---- libmicrohttpd ---- */
typedef struct conn_ctx {
  warden_buf body; /* capped at WARDEN_API_MAX_BODY: the request's one buffer, freed in completed() */
  bool too_big;
} conn_ctx;

typedef struct query_ctx {
  warden_api_kv kv[WARDEN_API_MAX_QUERY];
  size_t n;
  bool overflow;
} query_ctx;

static enum MHD_Result query_one(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  query_ctx *c = cls;
  if (c->n < WARDEN_API_MAX_QUERY) c->kv[c->n++] = (warden_api_kv){key ? key : "", value ? value : ""};
  else c->overflow = true;
  return MHD_YES;
}

static enum MHD_Result respond(struct MHD_Connection *c, warden_api_response *resp) {
  struct MHD_Response *m;
  if (resp->fixed) {
    m = MHD_create_response_from_buffer(resp->fixed_len, (void *)resp->fixed, MHD_RESPMEM_PERSISTENT);
  } else {
    size_t len = 0;
    char *data = warden_buf_detach(&resp->body, &len);
    if (!data) return MHD_NO;
    m = MHD_create_response_from_buffer_with_free_callback(len, data, free);
    if (!m) free(data);
  }
  if (!m) return MHD_NO;
  MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type ? resp->content_type : "application/json");
  MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
  if (resp->content_type && !strncmp(resp->content_type, "text/html", 9))
    MHD_add_response_header(m, "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
  if (resp->cache_control) MHD_add_response_header(m, MHD_HTTP_HEADER_CACHE_CONTROL, resp->cache_control);
  if (resp->allow) MHD_add_response_header(m, MHD_HTTP_HEADER_ALLOW, resp->allow);
  if (resp->www_authenticate) MHD_add_response_header(m, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"warden\"");
  if (resp->total >= 0) {
    char t[24];
    snprintf(t, sizeof t, "%lld", resp->total);
    MHD_add_response_header(m, "X-Total-Count", t);
  }
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, m);
  MHD_destroy_response(m);
  return ret;
}

static enum MHD_Result handle(warden_api *a, struct MHD_Connection *c, const char *url, const char *method,
                              conn_ctx *x) {
  query_ctx qc = {.n = 0};
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_one, &qc);
  warden_api_request req = {
      .method = method,
      .path = url,
      .query = qc.kv,
      .nquery = qc.n,
      .query_overflow = qc.overflow,
      .authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
      .content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
      .body = x->body.data,
      .body_len = x->body.len,
      .body_too_big = x->too_big,
  };
  warden_api_response resp;
  warden_api_response_init(&resp);
  warden_api_handle(a, &req, &resp);
  enum MHD_Result ret = respond(c, &resp);
  warden_api_response_release(&resp);
  return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
  (void)version;
  warden_api *a = cls;
  conn_ctx *x = *con_cls;
  if (!x) {
    if (!(x = calloc(1, sizeof *x))) return MHD_NO;
    warden_buf_init(&x->body, WARDEN_API_MAX_BODY);
    *con_cls = x;
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    int64_t n;
    if (cl && warden_parse_i64(cl, &n) && n > WARDEN_API_MAX_BODY) {
      x->too_big = true; /* answer 413 at once, without reading the body */
      return handle(a, c, url, method, x);
    }
    return MHD_YES;
  }
  if (*upload_size) {
    if (!x->too_big && warden_buf_add(&x->body, upload, *upload_size)) {
      x->too_big = true;
      warden_buf_release(&x->body);
      warden_buf_init(&x->body, WARDEN_API_MAX_BODY);
    }
    *upload_size = 0;
    return MHD_YES;
  }
  return handle(a, c, url, method, x);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)c, (void)toe;
  conn_ctx *x = *con_cls;
  if (!x) return;
  warden_buf_release(&x->body);
  free(x);
  *con_cls = NULL;
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap) {
  warden_api *a = cls;
  if (!a->log) return;
  char msg[400];
  vsnprintf(msg, sizeof msg, fmt, ap);
  size_t n = strlen(msg);
  while (n && msg[n - 1] == '\n') msg[--n] = '\0';
  json_t *o = json_pack("{s:s, s:s}", "level", "error", "message", msg);
  char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
  if (s) fprintf(a->log, "%s\n", s);
  free(s);
  json_decref(o);
}

static bool parse_listen(const char *listen, struct sockaddr_storage *sa, socklen_t *salen, char *host, size_t hostcap,
                         char *err, size_t errcap) {
  char h[256];
  const char *port;
  if (listen[0] == '[') {
    const char *close = strchr(listen, ']');
    if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof h) goto bad;
    memcpy(h, listen + 1, (size_t)(close - listen - 1));
    h[close - listen - 1] = '\0';
    port = close + 2;
  } else {
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof h) goto bad;
    memcpy(h, listen, (size_t)(colon - listen));
    h[colon - listen] = '\0';
    port = colon + 1;
  }
  int64_t p;
  if (!warden_parse_i64(port, &p) || p < 0 || p > 65535) goto bad;
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *res = NULL;
  int rc = getaddrinfo(h[0] ? h : NULL, port, &hints, &res);
  if (rc || !res) {
    snprintf(err, errcap, "--listen %s: %s", listen, rc ? gai_strerror(rc) : "no address");
    if (res) freeaddrinfo(res);
    return false;
  }
  memcpy(sa, res->ai_addr, res->ai_addrlen);
  *salen = res->ai_addrlen;
  freeaddrinfo(res);
  snprintf(host, hostcap, "%s", h[0] ? h : "0.0.0.0");
  return true;
bad:
  snprintf(err, errcap, "--listen takes HOST:PORT or [IPv6]:PORT, not '%s'", listen);
  return false;
}

warden_status warden_api_run(warden_api *a, const char *listen, int threads, FILE *out, char *err, size_t errcap) {
  struct sockaddr_storage sa;
  socklen_t salen;
  char host[256];
  if (!parse_listen(listen, &sa, &salen, host, sizeof host, err, errcap)) return WARDEN_ERR_USAGE;
  if (threads <= 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    threads = n > 0 && n < 256 ? (int)n : 2;
  }
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, &old); /* the pool's threads inherit the mask: signals come here */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ERROR_LOG;
  if (sa.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, a, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
      (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, completed, a, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
      MHD_OPTION_CONNECTION_LIMIT, 4096u, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      (size_t)(128 * 1024), MHD_OPTION_EXTERNAL_LOGGER, mhd_log, a, MHD_OPTION_END);
  if (!d) {
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    snprintf(err, errcap, "cannot listen on %s (in use, or not an address of this machine?)", listen);
    return WARDEN_ERR_IO;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  unsigned port = info ? info->port : 0;
  fprintf(out, "warden serve: listening on http://%s%s%s:%u (%d threads)\n", strchr(host, ':') ? "[" : "", host,
          strchr(host, ':') ? "]" : "", port, threads);
  fflush(out);
  sqlite3_int64 seen = -1;
  for (;;) {
    struct timespec wait = {1, 0};
    int sig = sigtimedwait(&set, NULL, &wait);
    if (sig == SIGINT || sig == SIGTERM) break;
    if (sig == SIGHUP) {
      if (reload(a, a->main_r, true, true) && a->log)
        fprintf(a->log, "{\"level\":\"error\",\"message\":\"reload failed\"}\n");
      continue;
    }
    /* tokens created or revoked by `warden token` elsewhere reach the screen route within a second:
     * PRAGMA data_version changes when another connection commits */
    sqlite3_stmt *s = NULL;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(warden_registry_db(a->main_r), "PRAGMA data_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
      v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (v != seen) {
      if (seen != -1) reload(a, a->main_r, false, true);
      seen = v;
    }
  }
  MHD_stop_daemon(d);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return WARDEN_OK;
}
