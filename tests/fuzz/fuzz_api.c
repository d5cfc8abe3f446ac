/* fuzz_api.c — libFuzzer target for the API's request handler, without sockets: any request line,
 * headers and body against a small generated registry; never a crash, never a 500, every status a
 * real one and every JSON answer valid JSON.
 *
 * Input: "METHOD PATH[?QUERY]\n" then "Name: value\n" header lines (Authorization, Content-Type), a
 * blank line, then the body. An Authorization of "Bearer P", "D", "R" or "A" is replaced by a real
 * platform, distributor, reseller or auditor token of the registry, so the corpus reaches past auth. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "gen/gen.h"
#include "numbers/numbers.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static warden_api *api;
static char dir[64] = "/tmp/warden-fuzz-api-XXXXXX";
static char tokens[4][WARDEN_API_TOKEN_LEN + 1];

static void cleanup(void) {
  warden_api_free(api);
  api = NULL;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd)) {
  }
}

/* The next '\n'-ended line of *p, cut in place; NULL at the end. */
static char *next_line(char **p) {
  char *s = *p;
  if (!s || !*s) return NULL;
  char *nl = strchr(s, '\n');
  if (nl) {
    *nl = '\0';
    *p = nl + 1;
  } else {
    *p = NULL;
  }
  return s;
}

static void die(const char *what) {
  fprintf(stderr, "fuzz_api: setup failed: %s\n", what);
  abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  char path[256], err[600];
  warden_registry *r = NULL;
  setenv("WARDEN_NOW", "2026-03-02T09:00:00+08:00", 1);
  setenv("WARDEN_ACTOR", "fuzz", 1);
  if (!mkdtemp(dir)) die("mkdtemp");
  atexit(cleanup);
  warden_gen_registry_opts go = {.seed = 7, .customers = 24, .dir = dir, .today = warden_today()};
  warden_gen_registry_stats gs;
  if (warden_gen_registry(&go, &gs, err, sizeof err)) die(err);
  snprintf(path, sizeof path, "%s/w.db", dir);
  if (warden_registry_open(path, &r, err, sizeof err)) die(err);
  static const char *const files[] = {"parties", "accounts", "documents"};
  for (int i = 0; i < 3; i++) {
    char csv[256], rej[256];
    snprintf(csv, sizeof csv, "%s/%s.csv", dir, files[i]);
    snprintf(rej, sizeof rej, "%s/%s.rejects.csv", dir, files[i]);
    warden_import_opts io = {.rejects_path = rej, .today = warden_today()};
    warden_import_result res;
    if (warden_registry_import(r, (warden_import_kind)i, csv, &io, &res)) die(warden_registry_errmsg(r));
  }
  warden_policy *p = NULL;
  warden_buf perr;
  warden_buf_init(&perr, 1 << 16);
  if (warden_policy_load(NULL, &p, &perr)) die("policy");
  warden_buf_release(&perr);
  char csv[256], rej[256];
  snprintf(csv, sizeof csv, "%s/numbers.csv", dir);
  snprintf(rej, sizeof rej, "%s/numbers.rejects.csv", dir);
  warden_import_opts io = {.rejects_path = rej};
  warden_import_result res;
  if (warden_number_import(r, p, csv, &io, &res)) die(warden_registry_errmsg(r));
  warden_policy_free(p);
  /* the plan: landing lines and 400 numbers for the customers whose documents are in order */
  snprintf(csv, sizeof csv, "%s/plan.csv", dir);
  FILE *f = fopen(csv, "r");
  char line[256];
  while (f && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    char *c = line, *l = strchr(c, ','), *s = l ? strchr(l + 1, ',') : NULL;
    if (!l || !s || !strncmp(c, "customer,", 9)) continue;
    *l++ = '\0';
    *s++ = '\0';
    if (warden_number_reserve(r, l, c, NULL) || warden_number_activate(r, l, c, NULL, NULL)) continue;
    if (!warden_number_reserve(r, s, c, NULL)) warden_number_activate(r, s, c, l, NULL);
  }
  if (f) fclose(f);
  char id[17];
  const char *scope[4] = {NULL, "dist-00000", "agent-00000", NULL};
  for (int i = 0; i < 4; i++)
    if (warden_api_token_create(r, (warden_api_role)i, scope[i], 0, "fuzz", tokens[i], id)) die(warden_registry_errmsg(r));
  warden_registry_close(r);
  warden_api_opts ao = {.db = path, .policy = NULL, .log = NULL};
  if (warden_api_new(&ao, &api, err, sizeof err)) die(err);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 1);
  if (!buf) return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  char *body = strstr(buf, "\n\n");
  size_t body_len = 0;
  if (body) {
    *body = '\0';
    body += 2;
    body_len = size - (size_t)(body - buf);
  }
  char *cur = buf, *first = next_line(&cur);
  char *method = first, *target = first ? strchr(first, ' ') : NULL;
  if (target) *target++ = '\0';
  char auth[WARDEN_API_TOKEN_LEN + 16], *authorization = NULL, *content_type = NULL;
  for (char *h; (h = next_line(&cur));) {
    char *colon = strchr(h, ':');
    if (!colon) continue;
    *colon = '\0';
    char *v = colon + 1;
    while (*v == ' ') v++;
    if (!strcmp(h, "Authorization")) {
      static const char roles[] = "PDRA";
      const char *hit = v[0] && !v[1] ? strchr(roles, v[0]) : NULL;
      if (!strncmp(v, "Bearer ", 7) && v[7] && !v[8] && strchr(roles, v[7])) hit = strchr(roles, v[7]);
      if (hit) {
        snprintf(auth, sizeof auth, "Bearer %s", tokens[hit - roles]);
        authorization = auth;
      } else {
        authorization = v;
      }
    } else if (!strcmp(h, "Content-Type")) {
      content_type = v;
    }
  }
  char *query = target ? strchr(target, '?') : NULL;
  if (query) *query++ = '\0';
  warden_api_kv kv[WARDEN_API_MAX_QUERY];
  bool overflow = false;
  size_t nkv = query ? warden_api_query_parse(query, kv, WARDEN_API_MAX_QUERY, &overflow) : 0;
  warden_api_request req = {
      .method = method ? method : "",
      .path = target ? target : "",
      .query = kv,
      .nquery = nkv,
      .query_overflow = overflow,
      .authorization = authorization,
      .content_type = content_type,
      .body = body,
      .body_len = body_len,
      .body_too_big = body_len > WARDEN_API_MAX_BODY,
  };
  warden_api_response resp;
  warden_api_response_init(&resp);
  warden_api_handle(api, &req, &resp);
  if (resp.status < 200 || resp.status > 599 || resp.status == 500) {
    fprintf(stderr, "fuzz_api: status %d: %s\n", resp.status, warden_buf_str(&resp.body));
    abort();
  }
  if (resp.content_type && !strcmp(resp.content_type, "application/json")) {
    const char *text = resp.fixed ? resp.fixed : warden_buf_str(&resp.body);
    size_t len = resp.fixed ? resp.fixed_len : resp.body.len;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY, NULL);
    if (!j) {
      fprintf(stderr, "fuzz_api: not JSON: %.300s\n", text);
      abort();
    }
    json_decref(j);
  }
  warden_api_response_release(&resp);
  free(buf);
  return 0;
}
