/* graph.c — the account-key graph: nodes, keys, union-find with stable cluster ids, and the
 * incremental changes (ASSOC-KEYS). The bulk build is in load.c, the queries in query.c. */
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

/* ---- hashing: two 64-bit lanes over the bytes, finalised apart ---- */
static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t fmix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return x;
}

void lk_hash(warden_link_class cls, const char *s, size_t n, uint64_t *h, uint32_t *fp) {
  const unsigned char *p = (const unsigned char *)s;
  uint64_t a = 0x243F6A8885A308D3ull ^ ((uint64_t)cls << 56) ^ n, b = 0x13198A2E03707344ull + (uint64_t)cls;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    a = rotl64((a ^ w) * 0x9FB21C651E98DF25ull, 31);
    b = rotl64((b ^ rotl64(w, 17)) * 0xC2B2AE3D27D4EB4Full, 27) + a;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, p, n);
  a = rotl64((a ^ w ^ 0xA5) * 0x9FB21C651E98DF25ull, 31);
  b = rotl64((b ^ rotl64(w, 17)) * 0xC2B2AE3D27D4EB4Full, 27) + a;
  *h = fmix64(a ^ rotl64(b, 23));
  *fp = (uint32_t)(fmix64(b + 0x9E3779B97F4A7C15ull) >> 36) << 4 | (uint32_t)cls;
}

uint32_t lk_id_hash(const char *s, size_t n) {
  uint64_t h;
  uint32_t fp;
  lk_hash(WARDEN_LINK_CLASS_DOC, s, n, &h, &fp);
  return (uint32_t)(h >> 32) | 1u;
}

/* ---- large arrays ---- */
#include <sys/mman.h>

/* A header of 64 bytes before the data holds the mapping's start and length; data of 2 MB or more
 * starts on a 2 MB boundary, so that all of it can be huge pages. */
void *lk_big_alloc(size_t bytes) {
  size_t huge = (size_t)2 << 20, total = bytes + 64 + (bytes >= huge ? huge : 0);
  char *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return NULL;
  char *data = base + 64;
  if (bytes >= huge) {
    data = (char *)(((uintptr_t)base + 64 + huge - 1) & ~(uintptr_t)(huge - 1));
    madvise(data, bytes, MADV_HUGEPAGE);
  }
  void **h = (void **)(data - 64);
  h[0] = base;
  h[1] = (void *)(uintptr_t)total;
  return data;
}

void lk_big_free(void *p) {
  if (!p) return;
  void **h = (void **)((char *)p - 64);
  munmap(h[0], (size_t)(uintptr_t)h[1]);
}

/* ---- vectors and maps ---- */
warden_status lk_vec_push2(lk_vec *v, uint32_t a, uint32_t b) {
  if (v->n + 2 > v->cap) {
    uint32_t nc = v->cap ? v->cap * 2 : 4;
    uint32_t *nv = realloc(v->v, nc * sizeof *nv);
    if (!nv) return WARDEN_ERR_NOMEM;
    v->v = nv;
    v->cap = nc;
  }
  v->v[v->n++] = a;
  v->v[v->n++] = b;
  return WARDEN_OK;
}

static size_t slot_of(uint32_t key, size_t cap) { return (size_t)((key * 0x9E3779B1u) >> 7) & (cap - 1); }

lk_vec *lk_vmap_get(const lk_vmap *m, uint32_t key) {
  if (!m->cap) return NULL;
  for (size_t s = slot_of(key, m->cap);; s = (s + 1) & (m->cap - 1)) {
    if (m->keys[s] == key) return &m->vals[s];
    if (m->keys[s] == LK_NONE) return NULL;
  }
}

uint32_t *lk_vmap_aux(const lk_vmap *m, uint32_t key) {
  lk_vec *v = lk_vmap_get(m, key);
  return v ? &m->aux[v - m->vals] : NULL;
}

lk_vec *lk_vmap_put(lk_vmap *m, uint32_t key, bool *created) {
  *created = false;
  if ((m->n + 1) * 2 > m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 64;
    lk_vmap nm = {malloc(nc * sizeof *nm.keys), calloc(nc, sizeof *nm.vals), calloc(nc, sizeof *nm.aux), nc, m->n};
    if (!nm.keys || !nm.vals || !nm.aux) {
      free(nm.keys);
      free(nm.vals);
      free(nm.aux);
      return NULL;
    }
    memset(nm.keys, 0xFF, nc * sizeof *nm.keys);
    for (size_t i = 0; i < m->cap; i++) {
      if (m->keys[i] == LK_NONE) continue;
      size_t s = slot_of(m->keys[i], nc);
      while (nm.keys[s] != LK_NONE) s = (s + 1) & (nc - 1);
      nm.keys[s] = m->keys[i];
      nm.vals[s] = m->vals[i];
      nm.aux[s] = m->aux[i];
    }
    free(m->keys);
    free(m->vals);
    free(m->aux);
    *m = nm;
  }
  size_t s = slot_of(key, m->cap);
  while (m->keys[s] != LK_NONE && m->keys[s] != key) s = (s + 1) & (m->cap - 1);
  if (m->keys[s] == LK_NONE) {
    m->keys[s] = key;
    m->n++;
    *created = true;
  }
  return &m->vals[s];
}

void lk_vmap_release(lk_vmap *m) {
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys[i] != LK_NONE) free(m->vals[i].v);
  free(m->keys);
  free(m->vals);
  free(m->aux);
  memset(m, 0, sizeof *m);
}

/* ---- the graph ---- */
warden_status warden_link_new(const warden_link_opts *o, warden_link_graph **out) {
  warden_link_graph *g = calloc(1, sizeof *g);
  *out = NULL;
  if (!g) return WARDEN_ERR_NOMEM;
  if (o) g->o = *o;
  else warden_link_opts_default(&g->o);
  if (g->o.today == WARDEN_NO_DATE) g->o.today = warden_today();
  if (!g->o.hub_cap) g->o.hub_cap = 50;
  warden_arena_init(&g->arena, 1 << 16);
  g->next_cid = 1;
  *out = g;
  return WARDEN_OK;
}

void warden_link_free(warden_link_graph *g) {
  if (!g) return;
  warden_arena_release(&g->arena);
  for (int i = 0; i < g->nload_arenas; i++) warden_arena_release(&g->load_arenas[i]);
  free(g->load_arenas);
  free(g->ids);
  free(g->flags);
  free(g->idmap);
  if (g->bulk_arrays) {
    lk_big_free(g->keys);
    lk_big_free(g->koff);
    lk_big_free(g->kacc);
    lk_big_free(g->sline);
    lk_big_free(g->aoff);
    lk_big_free(g->akey);
  } else {
    free(g->keys);
  }
  free(g->xkeymap);
  lk_vmap_release(&g->kdelta);
  lk_vmap_release(&g->adelta);
  lk_vmap_release(&g->eqadj);
  free(g->edges);
  free(g->parent);
  free(g->size);
  free(g->cid);
  free(g->next);
  free(g->events);
  free(g->hubs);
  free(g->ph);
  free(g->user_ph);
  free(g->valid);
  free(g->strs);
  free(g->marks);
  free(g);
}

uint32_t lk_str(warden_link_graph *g, const char *s) {
  if (g->nstrs == g->strs_cap) {
    uint32_t nc = g->strs_cap ? g->strs_cap * 2 : 64;
    char **ns = realloc(g->strs, nc * sizeof *ns);
    if (!ns) return LK_NONE;
    g->strs = ns;
    g->strs_cap = nc;
  }
  char *c = warden_arena_strndup(&g->arena, s, strlen(s));
  if (!c) return LK_NONE;
  g->strs[g->nstrs] = c;
  return g->nstrs++;
}

/* ---- nodes ---- */
static void *grow(void *p, size_t n, size_t size) { return realloc(p, n * size); }

warden_status lk_grow_nodes(warden_link_graph *g, uint32_t need) {
  if (need <= g->node_cap) return WARDEN_OK;
  uint32_t nc = g->node_cap ? g->node_cap : 1024;
  while (nc < need) nc = nc > UINT32_MAX / 2 ? need : nc * 2;
  struct { void **p; size_t size; } arrays[] = {
      {(void **)&g->ids, sizeof *g->ids},       {(void **)&g->flags, sizeof *g->flags},
      {(void **)&g->parent, sizeof *g->parent}, {(void **)&g->size, sizeof *g->size},
      {(void **)&g->cid, sizeof *g->cid},       {(void **)&g->next, sizeof *g->next}};
  for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
    void *p = grow(*arrays[i].p, nc, arrays[i].size);
    if (!p) return WARDEN_ERR_NOMEM;
    *arrays[i].p = p;
  }
  g->node_cap = nc;
  return WARDEN_OK;
}

static warden_status idmap_insert(warden_link_graph *g, uint32_t hid, uint32_t node) {
  if ((size_t)(g->nnodes + 1) * 4 > g->idmap_cap * 3) {
    /* sized for the node arrays' capacity: a bulk load reserves once, then never rehashes */
    size_t nc = g->idmap_cap ? g->idmap_cap * 2 : 4096;
    while ((size_t)(g->nnodes + 1) * 2 > nc || (size_t)g->node_cap * 3 / 2 > nc) nc *= 2;
    uint64_t *nm = calloc(nc, sizeof *nm);
    if (!nm) return WARDEN_ERR_NOMEM;
    for (size_t i = 0; i < g->idmap_cap; i++) {
      if (!g->idmap[i]) continue;
      size_t s = (size_t)(g->idmap[i] >> 32) & (nc - 1);
      while (nm[s]) s = (s + 1) & (nc - 1);
      nm[s] = g->idmap[i];
    }
    free(g->idmap);
    g->idmap = nm;
    g->idmap_cap = nc;
  }
  size_t s = hid & (g->idmap_cap - 1);
  while (g->idmap[s]) s = (s + 1) & (g->idmap_cap - 1);
  g->idmap[s] = (uint64_t)hid << 32 | (node + 1);
  return WARDEN_OK;
}

static bool node_find_hashed(const warden_link_graph *g, const char *id, size_t n, uint32_t hid, uint32_t *node) {
  if (!g->idmap_cap) return false;
  for (size_t s = hid & (g->idmap_cap - 1);; s = (s + 1) & (g->idmap_cap - 1)) {
    uint64_t e = g->idmap[s];
    if (!e) return false;
    if ((uint32_t)(e >> 32) != hid) continue;
    uint32_t x = (uint32_t)e - 1;
    if (!strncmp(g->ids[x], id, n) && g->ids[x][n] == '\0') {
      *node = x;
      return true;
    }
  }
}

bool lk_node_find(const warden_link_graph *g, const char *id, size_t n, uint32_t *node) {
  return node_find_hashed(g, id, n, lk_id_hash(id, n), node);
}

/* A new node is its own cluster, with the next cluster id. */
static void node_init(warden_link_graph *g, uint32_t x) {
  g->parent[x] = x;
  g->size[x] = 1;
  g->next[x] = x;
  g->cid[x] = g->next_cid++;
}

warden_status lk_node_add(warden_link_graph *g, const char *id, size_t n, uint8_t flag, uint32_t *node) {
  uint32_t x;
  if (lk_node_find(g, id, n, &x)) {
    if (flag == LK_NODE_ACCOUNT) g->flags[x] = LK_NODE_ACCOUNT; /* an entity becomes an account */
    if (node) *node = x;
    return WARDEN_ERR_EXISTS;
  }
  if (g->nnodes >= 0x7FFFFFFFu) return WARDEN_ERR_TOO_BIG;
  warden_status st = lk_grow_nodes(g, g->nnodes + 1);
  if (st) return st;
  char *c = warden_arena_strndup(&g->arena, id, n);
  if (!c) return WARDEN_ERR_NOMEM;
  x = g->nnodes;
  if ((st = idmap_insert(g, lk_id_hash(id, n), x))) return st;
  g->ids[x] = c;
  g->flags[x] = flag;
  node_init(g, x);
  g->nnodes++;
  if (node) *node = x;
  return WARDEN_OK;
}

/* ---- keys ---- */
warden_status lk_node_append(warden_link_graph *g, char *id, uint32_t hid, uint8_t flag) {
  size_t n = strlen(id);
  uint32_t x;
  if (node_find_hashed(g, id, n, hid, &x)) return WARDEN_ERR_EXISTS;
  if (g->nnodes >= g->node_cap) return WARDEN_ERR_STATE;
  x = g->nnodes;
  warden_status st = idmap_insert(g, hid, x);
  if (st) return st;
  g->ids[x] = id;
  g->flags[x] = flag;
  node_init(g, x);
  g->nnodes++;
  return WARDEN_OK;
}

uint32_t lk_key_find(const warden_link_graph *g, uint64_t h, uint32_t fp) {
  size_t lo = 0, hi = g->nbase_keys;
  while (lo < hi) {
    size_t m = (lo + hi) / 2;
    const lk_key *k = &g->keys[m];
    if (k->h < h || (k->h == h && k->fp < fp)) lo = m + 1;
    else hi = m;
  }
  if (lo < g->nbase_keys && g->keys[lo].h == h && g->keys[lo].fp == fp) return (uint32_t)lo;
  if (!g->xkeymap_cap) return LK_NONE;
  for (size_t s = (size_t)h & (g->xkeymap_cap - 1);; s = (s + 1) & (g->xkeymap_cap - 1)) {
    uint32_t e = g->xkeymap[s];
    if (!e) return LK_NONE;
    if (g->keys[e - 1].h == h && g->keys[e - 1].fp == fp) return e - 1;
  }
}

static uint32_t key_add(warden_link_graph *g, uint64_t h, uint32_t fp, uint32_t src) {
  if (g->nkeys >= (1u << 28) - 1) return LK_NONE;
  if (g->nkeys == g->key_cap) {
    uint32_t nc = g->key_cap ? g->key_cap * 2 : 256;
    lk_key *nk;
    if (g->bulk_arrays) { /* the bulk array is mmap'd: move to a bigger one */
      if (!(nk = lk_big_alloc(nc * sizeof *nk))) return LK_NONE;
      memcpy(nk, g->keys, g->nkeys * sizeof *nk);
      lk_big_free(g->keys);
    } else if (!(nk = realloc(g->keys, nc * sizeof *nk))) {
      return LK_NONE;
    }
    g->keys = nk;
    g->key_cap = nc;
  }
  if ((g->nxkeys + 1) * 2 > g->xkeymap_cap) {
    size_t nc = g->xkeymap_cap ? g->xkeymap_cap * 2 : 256;
    uint32_t *nm = calloc(nc, sizeof *nm);
    if (!nm) return LK_NONE;
    for (size_t i = 0; i < g->xkeymap_cap; i++) {
      if (!g->xkeymap[i]) continue;
      size_t s = (size_t)g->keys[g->xkeymap[i] - 1].h & (nc - 1);
      while (nm[s]) s = (s + 1) & (nc - 1);
      nm[s] = g->xkeymap[i];
    }
    free(g->xkeymap);
    g->xkeymap = nm;
    g->xkeymap_cap = nc;
  }
  uint32_t k = g->nkeys++;
  g->keys[k] = (lk_key){h, fp, src};
  size_t s = (size_t)h & (g->xkeymap_cap - 1);
  while (g->xkeymap[s]) s = (s + 1) & (g->xkeymap_cap - 1);
  g->xkeymap[s] = k + 1;
  g->nxkeys++;
  return k;
}

/* Live accounts holding key k: counted once, then kept up to date in kdelta's aux. */
uint32_t lk_key_live(warden_link_graph *g, uint32_t k) {
  uint32_t *aux = lk_vmap_aux(&g->kdelta, k);
  if (aux && *aux) return *aux - 1;
  uint32_t n = 0;
  if (k < g->nbase_keys)
    for (uint32_t i = g->koff[k]; i < g->koff[k + 1]; i++) n += !(g->kacc[i] & LK_DEAD);
  return n;
}

static warden_status key_live_set(warden_link_graph *g, uint32_t k, uint32_t live) {
  bool created;
  if (!lk_vmap_put(&g->kdelta, k, &created)) return WARDEN_ERR_NOMEM;
  *lk_vmap_aux(&g->kdelta, k) = live + 1;
  return WARDEN_OK;
}

/* The first live account of key k other than `not`, or LK_NONE. */
static uint32_t key_other(const warden_link_graph *g, uint32_t k, uint32_t not) {
  if (k < g->nbase_keys)
    for (uint32_t i = g->koff[k]; i < g->koff[k + 1]; i++)
      if (!(g->kacc[i] & LK_DEAD) && g->kacc[i] != not) return g->kacc[i];
  lk_vec *v = lk_vmap_get(&g->kdelta, k);
  for (uint32_t i = 0; v && i < v->n; i += 2)
    if (v->v[i] != not) return v->v[i];
  return LK_NONE;
}

/* ---- union-find: path halving, union by size; members in a circular list ---- */
uint32_t lk_find(warden_link_graph *g, uint32_t x) {
  while (g->parent[x] != x) {
    g->parent[x] = g->parent[g->parent[x]];
    x = g->parent[x];
  }
  return x;
}

static void event_add(warden_link_graph *g, uint32_t from, uint32_t into, bool split) {
  if (g->nevents == g->events_cap) {
    size_t nc = g->events_cap ? g->events_cap * 2 : 16;
    warden_link_event *ne = realloc(g->events, nc * sizeof *ne);
    if (!ne) return; /* the history is a convenience; the clusters stay right */
    g->events = ne;
    g->events_cap = nc;
  }
  g->events[g->nevents++] = (warden_link_event){from, into, split};
}

void lk_union(warden_link_graph *g, uint32_t a, uint32_t b, bool record) {
  uint32_t ra = lk_find(g, a), rb = lk_find(g, b);
  if (ra == rb) return;
  uint32_t sa = g->size[ra], sb = g->size[rb];
  if (sa < sb || (sa == sb && ra > rb)) {
    uint32_t t = ra;
    ra = rb;
    rb = t;
  }
  uint32_t ca = g->cid[ra], cb = g->cid[rb];
  uint32_t keep = ca < cb ? ca : cb, gone = ca < cb ? cb : ca;
  if (record && g->size[ra] >= 2 && g->size[rb] >= 2) event_add(g, gone, keep, false);
  g->parent[rb] = ra;
  g->size[ra] += g->size[rb];
  g->cid[ra] = keep;
  uint32_t t = g->next[ra];
  g->next[ra] = g->next[rb];
  g->next[rb] = t;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Live pairs of a node as (key << 4 | type, source) into out. */
warden_status lk_node_pairs(const warden_link_graph *g, uint32_t x, lk_vec *out) {
  out->n = 0;
  if (x < g->nbase_nodes)
    for (uint32_t i = g->aoff[x]; i < g->aoff[x + 1]; i++)
      if ((g->akey[i] & 15u) != LK_REMOVED_TYPE && lk_vec_push2(out, g->akey[i], 0)) return WARDEN_ERR_NOMEM;
  lk_vec *d = lk_vmap_get(&g->adelta, x);
  for (uint32_t i = 0; d && i < d->n; i += 2)
    if (lk_vec_push2(out, d->v[i], d->v[i + 1])) return WARDEN_ERR_NOMEM;
  return WARDEN_OK;
}

static bool linking(warden_link_graph *g, uint32_t k) {
  uint32_t n = lk_key_live(g, k);
  return n >= 2 && n <= g->o.hub_cap;
}

/* Rebuilds the cluster of x from its live keys and edges: after a removal, a key turning hub or a
 * validity ending. The part holding the oldest member keeps the cluster's id. */
static warden_status rebuild(warden_link_graph *g, uint32_t x) {
  uint32_t root = lk_find(g, x), old = g->cid[root], n = g->size[root], i = 0;
  uint32_t *m = malloc((size_t)n * sizeof *m);
  lk_vec pairs = {0};
  warden_status st = WARDEN_OK;
  if (!m) return WARDEN_ERR_NOMEM;
  uint32_t y = x;
  do {
    m[i++] = y;
    y = g->next[y];
  } while (y != x && i < n);
  qsort(m, n, sizeof *m, cmp_u32);
  for (i = 0; i < n; i++) {
    g->parent[m[i]] = m[i];
    g->size[m[i]] = 1;
    g->next[m[i]] = m[i];
    g->cid[m[i]] = LK_NONE;
  }
  for (i = 0; i < n; i++) {
    if ((st = lk_node_pairs(g, m[i], &pairs))) goto cleanup;
    for (uint32_t j = 0; j < pairs.n; j += 2) {
      uint32_t k = pairs.v[j] >> 4;
      if (!linking(g, k)) continue;
      uint32_t other = key_other(g, k, m[i]);
      if (other != LK_NONE) lk_union(g, m[i], other, false);
    }
    lk_vec *e = lk_vmap_get(&g->eqadj, m[i]);
    for (uint32_t j = 0; e && j < e->n; j += 2) {
      const lk_edge *ed = &g->edges[e->v[j]];
      if (!ed->dead) lk_union(g, ed->holder, ed->company, false);
    }
  }
  bool first = true;
  for (i = 0; i < n; i++) {
    uint32_t r = lk_find(g, m[i]);
    if (g->cid[r] != LK_NONE) continue;
    g->cid[r] = first ? old : g->next_cid++;
    if (!first) event_add(g, old, g->cid[r], true);
    first = false;
  }
cleanup:
  free(pairs.v);
  free(m);
  return st;
}

/* ---- incremental changes ---- */
warden_status warden_link_add_account(warden_link_graph *g, const char *id, uint32_t *node) {
  if (!id || !*id) return WARDEN_ERR_USAGE;
  warden_status st = lk_node_add(g, id, strlen(id), LK_NODE_ACCOUNT, node);
  return st == WARDEN_ERR_EXISTS ? WARDEN_OK : st;
}

bool lk_user_placeholder(const warden_link_graph *g, uint64_t h, uint32_t fp) {
  for (size_t i = 0; i < g->nuser_ph; i++)
    if (g->user_ph[2 * i] == h && (uint32_t)g->user_ph[2 * i + 1] == fp) return true;
  return false;
}

warden_status warden_link_add_placeholder(warden_link_graph *g, warden_link_type t, const char *value) {
  warden_link_key k;
  warden_link_norm nr = warden_link_normalize(t, value, strlen(value), &g->o, &k);
  if (nr == WARDEN_LINK_NORM_INVALID || nr == WARDEN_LINK_NORM_NAME_ONLY) return WARDEN_ERR_PARSE;
  uint64_t *np = realloc(g->user_ph, (g->nuser_ph + 1) * 2 * sizeof *np);
  if (!np) return WARDEN_ERR_NOMEM;
  g->user_ph = np;
  uint64_t h;
  uint32_t fp;
  lk_hash(k.cls, k.value, k.len, &h, &fp);
  g->user_ph[2 * g->nuser_ph] = h;
  g->user_ph[2 * g->nuser_ph + 1] = fp;
  g->nuser_ph++;
  return WARDEN_OK;
}

warden_status lk_placeholder_count(lk_placeholder **tab, size_t *cap, size_t *n, uint64_t h, uint32_t fp, long add,
                                   const warden_link_key *k) {
  if ((*n + 1) * 2 > *cap) {
    size_t nc = *cap ? *cap * 2 : 64;
    lk_placeholder *nt = calloc(nc, sizeof *nt);
    if (!nt) return WARDEN_ERR_NOMEM;
    for (size_t i = 0; i < *cap; i++) {
      if (!(*tab)[i].count) continue;
      size_t s = (size_t)(*tab)[i].h & (nc - 1);
      while (nt[s].count) s = (s + 1) & (nc - 1);
      nt[s] = (*tab)[i];
    }
    free(*tab);
    *tab = nt;
    *cap = nc;
  }
  size_t s = (size_t)h & (*cap - 1);
  while ((*tab)[s].count && !((*tab)[s].h == h && (*tab)[s].fp == fp)) s = (s + 1) & (*cap - 1);
  if (!(*tab)[s].count) {
    (*tab)[s].h = h;
    (*tab)[s].fp = fp;
    if (k) warden_link_mask(k->cls, k->value, (*tab)[s].display, sizeof (*tab)[s].display);
    (*n)++;
  }
  (*tab)[s].count += add;
  return WARDEN_OK;
}

/* Whether node x holds key k, live; *where: base position (>= 0) or delta index (-1 - i). */
static bool pair_find(const warden_link_graph *g, uint32_t x, uint32_t k, long *where) {
  if (x < g->nbase_nodes)
    for (uint32_t i = g->aoff[x]; i < g->aoff[x + 1]; i++)
      if (g->akey[i] >> 4 == k && (g->akey[i] & 15u) != LK_REMOVED_TYPE) {
        *where = i;
        return true;
      }
  lk_vec *d = lk_vmap_get(&g->adelta, x);
  for (uint32_t i = 0; d && i < d->n; i += 2)
    if (d->v[i] >> 4 == k) {
      *where = -1 - (long)i;
      return true;
    }
  return false;
}

static warden_status pair_add(warden_link_graph *g, uint32_t x, uint32_t k, warden_link_type t, uint32_t src) {
  uint32_t live = lk_key_live(g, k);
  bool created;
  lk_vec *a = lk_vmap_put(&g->adelta, x, &created), *kv;
  if (!a || lk_vec_push2(a, k << 4 | (uint32_t)t, src)) return WARDEN_ERR_NOMEM;
  if (!(kv = lk_vmap_put(&g->kdelta, k, &created)) || lk_vec_push2(kv, x, src)) return WARDEN_ERR_NOMEM;
  if (key_live_set(g, k, live + 1)) return WARDEN_ERR_NOMEM;
  live++;
  if (live >= 2 && live <= g->o.hub_cap) {
    lk_union(g, x, key_other(g, k, x), true);
  } else if (live == g->o.hub_cap + 1) {
    /* the key turns hub: it links nothing any more */
    if (g->nhubs == g->hubs_cap) {
      size_t nc = g->hubs_cap ? g->hubs_cap * 2 : 16;
      uint32_t *nh = realloc(g->hubs, nc * sizeof *nh);
      if (!nh) return WARDEN_ERR_NOMEM;
      g->hubs = nh;
      g->hubs_cap = nc;
    }
    g->hubs[g->nhubs++] = k;
    return rebuild(g, key_other(g, k, x));
  }
  return WARDEN_OK;
}

static warden_status pair_remove(warden_link_graph *g, uint32_t x, uint32_t k) {
  long where;
  if (!pair_find(g, x, k, &where)) return WARDEN_ERR_NOT_FOUND;
  uint32_t live = lk_key_live(g, k);
  if (where >= 0) {
    g->akey[where] = (g->akey[where] & ~15u) | LK_REMOVED_TYPE;
    for (uint32_t i = g->koff[k]; i < g->koff[k + 1]; i++)
      if (g->kacc[i] == x) g->kacc[i] |= LK_DEAD;
  } else {
    lk_vec *d = lk_vmap_get(&g->adelta, x), *kv = lk_vmap_get(&g->kdelta, k);
    size_t i = (size_t)(-1 - where);
    d->v[i] = d->v[d->n - 2];
    d->v[i + 1] = d->v[d->n - 1];
    d->n -= 2;
    for (uint32_t j = 0; kv && j < kv->n; j += 2)
      if (kv->v[j] == x) {
        kv->v[j] = kv->v[kv->n - 2];
        kv->v[j + 1] = kv->v[kv->n - 1];
        kv->n -= 2;
        break;
      }
  }
  if (key_live_set(g, k, live - 1)) return WARDEN_ERR_NOMEM;
  if (live >= 2 && live <= g->o.hub_cap) return rebuild(g, x);
  if (live == g->o.hub_cap + 1) { /* no longer a hub: it links its accounts again */
    uint32_t first = key_other(g, k, LK_NONE);
    if (k < g->nbase_keys)
      for (uint32_t i = g->koff[k]; i < g->koff[k + 1]; i++)
        if (!(g->kacc[i] & LK_DEAD)) lk_union(g, first, g->kacc[i], true);
    lk_vec *kv = lk_vmap_get(&g->kdelta, k);
    for (uint32_t i = 0; kv && i < kv->n; i += 2) lk_union(g, first, kv->v[i], true);
  }
  return WARDEN_OK;
}

static warden_status key_of(warden_link_graph *g, warden_link_type t, const char *value, warden_link_key *k,
                            warden_link_norm *nr, uint64_t *h, uint32_t *fp) {
  *nr = warden_link_normalize(t, value, strlen(value), &g->o, k);
  if (*nr == WARDEN_LINK_NORM_INVALID) return WARDEN_ERR_PARSE;
  if (*nr == WARDEN_LINK_NORM_KEY || *nr == WARDEN_LINK_NORM_PLACEHOLDER) lk_hash(k->cls, k->value, k->len, h, fp);
  if (*nr == WARDEN_LINK_NORM_KEY && lk_user_placeholder(g, *h, *fp)) *nr = WARDEN_LINK_NORM_PLACEHOLDER;
  return WARDEN_OK;
}

static warden_status add_hashed(warden_link_graph *g, uint32_t x, warden_link_type t, uint64_t h, uint32_t fp,
                                int32_t valid_until, const char *source, const char *display) {
  uint32_t k = lk_key_find(g, h, fp), src = LK_NONE;
  long where;
  if (k != LK_NONE && pair_find(g, x, k, &where)) return WARDEN_OK;
  if ((src = lk_str(g, display)) == LK_NONE || lk_str(g, source ? source : "api") == LK_NONE) return WARDEN_ERR_NOMEM;
  if (k == LK_NONE && (k = key_add(g, h, fp, LK_DEAD | src)) == LK_NONE) return WARDEN_ERR_NOMEM;
  warden_status st = pair_add(g, x, k, t, LK_DEAD | src);
  if (st || valid_until == WARDEN_NO_DATE) return st;
  if (g->nvalid == g->valid_cap) {
    size_t nc = g->valid_cap ? g->valid_cap * 2 : 64;
    uint32_t *nv = realloc(g->valid, nc * 3 * sizeof *nv);
    if (!nv) return WARDEN_ERR_NOMEM;
    g->valid = nv;
    g->valid_cap = nc;
  }
  g->valid[3 * g->nvalid] = x;
  g->valid[3 * g->nvalid + 1] = k;
  g->valid[3 * g->nvalid + 2] = (uint32_t)valid_until;
  g->nvalid++;
  return WARDEN_OK;
}

warden_status warden_link_add_key(warden_link_graph *g, const char *account, warden_link_type t, const char *value,
                                  int32_t valid_until, const char *source, const char *display,
                                  warden_link_norm *norm) {
  warden_link_key k;
  warden_link_norm nr;
  uint64_t h = 0;
  uint32_t fp = 0, x;
  if ((unsigned)t >= WARDEN_LINK_EQUITY || !value) return WARDEN_ERR_USAGE;
  warden_status st = key_of(g, t, value, &k, &nr, &h, &fp);
  if (norm) *norm = nr;
  if (st) return st;
  if ((st = warden_link_add_account(g, account, &x))) return st;
  if (nr == WARDEN_LINK_NORM_NAME_ONLY) return WARDEN_OK;
  if (nr == WARDEN_LINK_NORM_PLACEHOLDER) return lk_placeholder_count(&g->ph, &g->ph_cap, &g->nph, h, fp, 1, &k);
  char masked[160];
  warden_link_mask(k.cls, k.value, masked, sizeof masked);
  return add_hashed(g, x, t, h, fp, valid_until, source, display ? display : masked);
}

warden_status warden_link_add_key_hashed(warden_link_graph *g, const char *account, warden_link_type t,
                                         warden_link_class c, const char *value, int32_t valid_until,
                                         const char *source, const char *display) {
  uint64_t h;
  uint32_t fp, x;
  if ((unsigned)t >= WARDEN_LINK_EQUITY || (unsigned)c >= WARDEN_LINK_CLASS__COUNT) return WARDEN_ERR_USAGE;
  warden_status st = warden_link_add_account(g, account, &x);
  if (st) return st;
  lk_hash(c, value, strlen(value), &h, &fp);
  return add_hashed(g, x, t, h, fp, valid_until, source, display ? display : value);
}

warden_status warden_link_remove_key(warden_link_graph *g, const char *account, warden_link_type t, const char *value) {
  warden_link_key k;
  warden_link_norm nr;
  uint64_t h = 0;
  uint32_t fp = 0, x, key;
  warden_status st = key_of(g, t, value, &k, &nr, &h, &fp);
  if (st) return st;
  if (nr != WARDEN_LINK_NORM_KEY || !lk_node_find(g, account, strlen(account), &x) ||
      (key = lk_key_find(g, h, fp)) == LK_NONE)
    return WARDEN_ERR_NOT_FOUND;
  return pair_remove(g, x, key);
}

warden_status warden_link_expire(warden_link_graph *g, int32_t today, long *removed) {
  size_t w = 0;
  warden_status st = WARDEN_OK;
  *removed = 0;
  for (size_t i = 0; i < g->nvalid; i++) {
    uint32_t *v = &g->valid[3 * i];
    if ((int32_t)v[2] >= today) {
      memmove(&g->valid[3 * w++], v, 3 * sizeof *v);
      continue;
    }
    warden_status r = pair_remove(g, v[0], v[1]);
    if (r == WARDEN_OK) (*removed)++;
    else if (r != WARDEN_ERR_NOT_FOUND && !st) st = r;
  }
  g->nvalid = w;
  return st;
}

warden_status warden_link_add_equity(warden_link_graph *g, const char *holder, const char *company, uint32_t share_ppm,
                                     const char *source, bool *kept) {
  uint32_t a, b;
  warden_status st;
  if (kept) *kept = false;
  if (!holder || !company || !*holder || !*company || share_ppm == 0 || share_ppm > 1000000) return WARDEN_ERR_USAGE;
  if (share_ppm < g->o.min_share_ppm) return WARDEN_OK;
  if ((st = lk_node_add(g, holder, strlen(holder), LK_NODE_ENTITY, &a)) && st != WARDEN_ERR_EXISTS) return st;
  if ((st = lk_node_add(g, company, strlen(company), LK_NODE_ENTITY, &b)) && st != WARDEN_ERR_EXISTS) return st;
  if (g->nedges == g->edge_cap) {
    uint32_t nc = g->edge_cap ? g->edge_cap * 2 : 64;
    lk_edge *ne = realloc(g->edges, nc * sizeof *ne);
    if (!ne) return WARDEN_ERR_NOMEM;
    g->edges = ne;
    g->edge_cap = nc;
  }
  uint32_t src = lk_str(g, source ? source : "api"), e = g->nedges;
  if (src == LK_NONE) return WARDEN_ERR_NOMEM;
  g->edges[g->nedges++] = (lk_edge){a, b, share_ppm, LK_DEAD | src, false};
  bool created;
  lk_vec *va = lk_vmap_put(&g->eqadj, a, &created);
  if (!va || lk_vec_push2(va, e, 0)) return WARDEN_ERR_NOMEM;
  lk_vec *vb = lk_vmap_put(&g->eqadj, b, &created);
  if (!vb || lk_vec_push2(vb, e, 0)) return WARDEN_ERR_NOMEM;
  lk_union(g, a, b, true);
  if (kept) *kept = true;
  return WARDEN_OK;
}

warden_status warden_link_remove_equity(warden_link_graph *g, const char *holder, const char *company) {
  uint32_t a, b;
  if (!lk_node_find(g, holder, strlen(holder), &a) || !lk_node_find(g, company, strlen(company), &b))
    return WARDEN_ERR_NOT_FOUND;
  lk_vec *v = lk_vmap_get(&g->eqadj, a);
  bool found = false;
  for (uint32_t i = 0; v && i < v->n; i += 2) {
    lk_edge *e = &g->edges[v->v[i]];
    if (!e->dead && e->holder == a && e->company == b) {
      e->dead = true;
      found = true;
    }
  }
  return found ? rebuild(g, a) : WARDEN_ERR_NOT_FOUND;
}
