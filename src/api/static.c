/* static.c — the dashboard's files and the OpenAPI document, compiled into the binary
 * (scripts/embed.py): served by name from a table, never from the file system. */
#include <string.h>

#include "api_int.h"

extern const warden_embedded warden_web_assets[];
extern const size_t warden_web_assets_count;
extern const warden_embedded warden_openapi[];
extern const size_t warden_openapi_count;

static const struct {
  const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".txt", "text/plain; charset=utf-8"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
};

static const char *type_of(const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    size_t e = strlen(types[i].ext);
    if (n > e && !strcmp(name + n - e, types[i].ext)) return types[i].type;
  }
  return NULL;
}

static const warden_embedded *asset_find(const char *name) {
  for (size_t i = 0; i < warden_web_assets_count; i++)
    if (warden_web_assets[i].len && !strcmp(warden_web_assets[i].name, name)) return &warden_web_assets[i];
  return NULL;
}

static void serve(api_req *q, const warden_embedded *e, const char *type, const char *cache) {
  q->out->status = 200;
  q->out->fixed = e->text;
  q->out->fixed_len = e->len;
  q->out->content_type = type;
  q->out->cache_control = cache;
}

void api_h_static_index(api_req *q) {
  const warden_embedded *e = asset_find("index.html");
  if (!e) {
    api_error(q, 404, "the dashboard is not built into this binary");
    return;
  }
  serve(q, e, "text/html; charset=utf-8", "no-cache");
}

void api_h_static_asset(api_req *q) {
  const char *name = q->param[0];
  const warden_embedded *e = asset_find(name);
  const char *type = type_of(name);
  /* the table is the whole namespace: no path, no dot files, no unknown types */
  if (!e || !type || strchr(name, '/') || strchr(name, '\\') || name[0] == '.') {
    api_error(q, 404, "no such asset");
    return;
  }
  serve(q, e, type, strcmp(name, "index.html") ? "public, max-age=3600" : "no-cache");
}

void api_h_openapi(api_req *q) {
  if (!warden_openapi_count) {
    api_error(q, 404, "no OpenAPI document built in");
    return;
  }
  serve(q, &warden_openapi[0], "application/json", "no-cache");
}
