/* buf.c — warden_buf, the one growable byte buffer, capped in size; and warden_arena. */
#include <stdlib.h>
#include <string.h>

#include "core.h"

void warden_buf_init(warden_buf *b, size_t max) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max ? max : SIZE_MAX / 2;
}

void warden_buf_release(warden_buf *b) {
  free(b->data);
  warden_buf_init(b, b->max);
}

void warden_buf_reset(warden_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

static warden_status buf_reserve(warden_buf *b, size_t extra) {
  if (extra > b->max || b->len > b->max - extra) return WARDEN_ERR_TOO_BIG;
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return WARDEN_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *p = realloc(b->data, cap);
  if (!p) return WARDEN_ERR_NOMEM;
  b->data = p;
  b->cap = cap;
  return WARDEN_OK;
}

warden_status warden_buf_add(warden_buf *b, const void *p, size_t n) {
  warden_status st = buf_reserve(b, n);
  if (st) return st;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return WARDEN_OK;
}

warden_status warden_buf_addc(warden_buf *b, char c) { return warden_buf_add(b, &c, 1); }

warden_status warden_buf_adds(warden_buf *b, const char *s) { return warden_buf_add(b, s, strlen(s)); }

warden_status warden_buf_vaddf(warden_buf *b, const char *fmt, va_list ap) {
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if (n < 0) return WARDEN_ERR_USAGE;
  warden_status st = buf_reserve(b, (size_t)n);
  if (st) return st;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return WARDEN_OK;
}

warden_status warden_buf_addf(warden_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  warden_status st = warden_buf_vaddf(b, fmt, ap);
  va_end(ap);
  return st;
}

char *warden_buf_detach(warden_buf *b, size_t *len) {
  char *p = b->data;
  if (!p) p = calloc(1, 1);
  if (len) *len = b->len;
  warden_buf_init(b, b->max);
  return p;
}

/* ---- arena ---- */
struct warden_arena_block {
  warden_arena_block *next;
  size_t used, size;
  _Alignas(16) unsigned char mem[];
};

void warden_arena_init(warden_arena *a, size_t block_size) {
  a->head = NULL;
  a->block_size = block_size ? block_size : 64 * 1024;
}

void warden_arena_release(warden_arena *a) {
  while (a->head) {
    warden_arena_block *n = a->head->next;
    free(a->head);
    a->head = n;
  }
}

void *warden_arena_alloc(warden_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!a->head || a->head->size - a->head->used < n) {
    size_t size = n > a->block_size ? n : a->block_size;
    warden_arena_block *blk = malloc(sizeof *blk + size);
    if (!blk) return NULL;
    blk->used = 0;
    blk->size = size;
    blk->next = a->head;
    a->head = blk;
  }
  void *p = a->head->mem + a->head->used;
  a->head->used += n;
  return p;
}

char *warden_arena_strndup(warden_arena *a, const char *s, size_t n) {
  char *p = warden_arena_alloc(a, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}
