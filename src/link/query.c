/* query.c — what the graph answers: clusters, members, the shortest chain between two accounts
 * (BFS over the account-key graph of one cluster), the associates of an account with their evidence
 * (ASSOC-LIABLE), hot keys, and a comparison with a planted truth. */
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

size_t warden_link_node_count(const warden_link_graph *g) { return g->nnodes; }

bool warden_link_is_account(const warden_link_graph *g, uint32_t node) {
  return node < g->nnodes && (g->flags[node] & LK_NODE_ACCOUNT);
}

const char *warden_link_account_id(const warden_link_graph *g, uint32_t node) {
  return node < g->nnodes ? g->ids[node] : NULL;
}

bool warden_link_find(const warden_link_graph *g, const char *id, uint32_t *node) {
  return lk_node_find(g, id, strlen(id), node);
}

uint32_t warden_link_cluster(warden_link_graph *g, uint32_t node) { return g->cid[lk_find(g, node)]; }

uint32_t warden_link_cluster_size(warden_link_graph *g, uint32_t node) {
  uint32_t n = 0, y = node;
  do {
    n += (g->flags[y] & LK_NODE_ACCOUNT) != 0;
    y = g->next[y];
  } while (y != node);
  return n;
}

void warden_link_stats(warden_link_graph *g, warden_link_cluster_stats *out) {
  memset(out, 0, sizeof *out);
  uint32_t *count = calloc((size_t)g->nnodes + 1, sizeof *count);
  if (!count) return;
  for (uint32_t x = 0; x < g->nnodes; x++)
    if (g->flags[x] & LK_NODE_ACCOUNT) count[lk_find(g, x)]++;
  for (uint32_t x = 0; x < g->nnodes; x++) {
    uint32_t c = count[x];
    if (!c) continue;
    out->clusters++;
    if (c == 1) out->singletons++;
    else out->by_size[c == 2 ? 0 : c <= 5 ? 1 : c <= 10 ? 2 : c <= 50 ? 3 : 4]++;
    if (c > out->largest) out->largest = c;
  }
  free(count);
}

const warden_link_event *warden_link_events(const warden_link_graph *g, size_t *n) {
  *n = g->nevents;
  return g->events;
}

/* ---- a u32 -> u32 map for the searches ---- */
typedef struct umap {
  uint32_t *k, *v;
  size_t cap, n;
} umap;

static bool umap_init(umap *m, size_t n) {
  m->cap = 64;
  m->n = 0;
  while (m->cap < n * 2) m->cap *= 2;
  m->k = malloc(m->cap * sizeof *m->k);
  m->v = malloc(m->cap * sizeof *m->v);
  if (!m->k || !m->v) return false;
  memset(m->k, 0xFF, m->cap * sizeof *m->k);
  return true;
}

static void umap_release(umap *m) {
  free(m->k);
  free(m->v);
}

static size_t umap_at(const umap *m, uint32_t key) {
  size_t s = (size_t)((key * 0x9E3779B1u) >> 5) & (m->cap - 1);
  while (m->k[s] != LK_NONE && m->k[s] != key) s = (s + 1) & (m->cap - 1);
  return s;
}

/* Inserts key when absent (*found false); NULL when it could not grow. */
static uint32_t *umap_slot(umap *m, uint32_t key, bool *found) {
  if ((m->n + 1) * 2 > m->cap) {
    umap nm;
    if (!umap_init(&nm, m->cap)) {
      umap_release(&nm);
      return NULL;
    }
    for (size_t i = 0; i < m->cap; i++)
      if (m->k[i] != LK_NONE) {
        size_t s = umap_at(&nm, m->k[i]);
        nm.k[s] = m->k[i];
        nm.v[s] = m->v[i];
      }
    nm.n = m->n;
    umap_release(m);
    *m = nm;
  }
  size_t s = umap_at(m, key);
  *found = m->k[s] == key;
  if (!*found) m->n++;
  m->k[s] = key;
  return &m->v[s];
}

/* ---- what to show for a key, a pair's source, an edge ---- */
static const char *key_display(warden_link_graph *g, uint32_t k, warden_arena *ar) {
  const lk_key *key = &g->keys[k];
  if (key->src & LK_DEAD) return g->strs[key->src & ~LK_DEAD];
  warden_link_key v;
  char m[256];
  if (k < g->nbase_keys && lk_file_key(g, lk_pair_line(g, k, g->koff[k]), k, &v)) warden_link_mask(v.cls, v.value, m, sizeof m);
  else snprintf(m, sizeof m, "(%s key %016llx: its row has changed)", warden_link_class_name(lk_class(key)),
                (unsigned long long)key->h);
  return warden_arena_strndup(ar, m, strlen(m));
}

static const char *pair_source(warden_link_graph *g, uint32_t x, uint32_t k, uint32_t src, warden_arena *ar) {
  char s[200] = "";
  if (src & LK_DEAD) return g->strs[(src & ~LK_DEAD) + 1];
  if (k < g->nbase_keys)
    for (uint32_t i = g->koff[k]; i < g->koff[k + 1]; i++)
      if ((g->kacc[i] & ~LK_DEAD) == x) {
        snprintf(s, sizeof s, "%s:%u", g->keys_name, lk_pair_line(g, k, i));
        break;
      }
  return warden_arena_strndup(ar, s, strlen(s));
}

static const char *edge_source(warden_link_graph *g, const lk_edge *e, warden_arena *ar) {
  char s[200];
  if (e->src & LK_DEAD) return g->strs[e->src & ~LK_DEAD];
  snprintf(s, sizeof s, "%s:%u", g->equity_name, e->src);
  return warden_arena_strndup(ar, s, strlen(s));
}

static const char *edge_text(warden_link_graph *g, const lk_edge *e, uint32_t from, warden_arena *ar) {
  char s[300];
  unsigned pct10 = (e->share_ppm + 500) / 1000; /* per mille, rounded */
  if (from == e->holder) snprintf(s, sizeof s, "holds %u.%u%% of", pct10 / 10, pct10 % 10);
  else snprintf(s, sizeof s, "is %u.%u%% held by", pct10 / 10, pct10 % 10);
  (void)g;
  return warden_arena_strndup(ar, s, strlen(s));
}

/* Live accounts of key k: (account, source) into out. */
static warden_status holders_of(const warden_link_graph *g, uint32_t k, lk_vec *out) {
  out->n = 0;
  if (k < g->nbase_keys)
    for (uint32_t i = g->koff[k]; i < g->koff[k + 1]; i++)
      if (!(g->kacc[i] & LK_DEAD) && lk_vec_push2(out, g->kacc[i], 0)) return WARDEN_ERR_NOMEM;
  lk_vec *d = lk_vmap_get(&g->kdelta, k);
  for (uint32_t i = 0; d && i < d->n; i += 2)
    if (lk_vec_push2(out, d->v[i], d->v[i + 1])) return WARDEN_ERR_NOMEM;
  return WARDEN_OK;
}

/* ---- breadth-first search from one node over its cluster ---- */
typedef struct visit {
  uint32_t node, prev; /* prev: index into the visits */
  uint32_t via;        /* key or edge index */
  uint8_t kind;        /* 0 start, 1 key, 2 edge */
  uint8_t from_type;
  uint32_t from_src, to_src;
} visit;

typedef struct bfs {
  visit *v;
  size_t n;
} bfs;

/* Visits the cluster of `start` nearest first; stops once `stop` is reached (LK_NONE: never). */
static warden_status bfs_run(warden_link_graph *g, uint32_t start, uint32_t stop, bfs *out) {
  uint32_t root = lk_find(g, start), cap = g->size[root];
  umap seen, keys;
  lk_vec pairs = {0}, holders = {0};
  warden_status st = WARDEN_OK;
  out->n = 0;
  out->v = malloc((size_t)cap * sizeof *out->v);
  bool ok_seen = umap_init(&seen, cap), ok_keys = umap_init(&keys, cap), found;
  if (!out->v || !ok_seen || !ok_keys) {
    st = WARDEN_ERR_NOMEM;
    goto cleanup;
  }
  umap_slot(&seen, start, &found);
  out->v[out->n++] = (visit){start, 0, 0, 0, 0, 0, 0};
  for (size_t q = 0; q < out->n && out->v[out->n - 1].node != stop; q++) {
    uint32_t u = out->v[q].node;
    if ((st = lk_node_pairs(g, u, &pairs))) break;
    for (uint32_t i = 0; i < pairs.n && out->v[out->n - 1].node != stop; i += 2) {
      uint32_t k = pairs.v[i] >> 4, live = lk_key_live(g, k);
      if (live < 2 || live > g->o.hub_cap) continue;
      if (!umap_slot(&keys, k, &found)) { st = WARDEN_ERR_NOMEM; goto cleanup; }
      if (found) continue;
      if ((st = holders_of(g, k, &holders))) goto cleanup;
      for (uint32_t j = 0; j < holders.n && out->n < cap; j += 2) {
        uint32_t v = holders.v[j];
        if (!umap_slot(&seen, v, &found)) { st = WARDEN_ERR_NOMEM; goto cleanup; }
        if (found) continue;
        out->v[out->n++] = (visit){v, (uint32_t)q, k, 1, (uint8_t)(pairs.v[i] & 15u), pairs.v[i + 1], holders.v[j + 1]};
        if (v == stop) break;
      }
    }
    lk_vec *e = lk_vmap_get(&g->eqadj, u);
    for (uint32_t i = 0; e && i < e->n && out->v[out->n - 1].node != stop; i += 2) {
      const lk_edge *ed = &g->edges[e->v[i]];
      if (ed->dead) continue;
      uint32_t v = ed->holder == u ? ed->company : ed->holder;
      if (!umap_slot(&seen, v, &found)) { st = WARDEN_ERR_NOMEM; goto cleanup; }
      if (found || out->n >= cap) continue;
      out->v[out->n++] = (visit){v, (uint32_t)q, e->v[i], 2, WARDEN_LINK_EQUITY, 0, 0};
    }
  }
cleanup:
  free(pairs.v);
  free(holders.v);
  umap_release(&seen);
  umap_release(&keys);
  return st;
}

static warden_link_type type_held(const warden_link_graph *g, uint32_t x, uint32_t k) {
  lk_vec p = {0};
  warden_link_type t = WARDEN_LINK_DOC;
  if (!lk_node_pairs(g, x, &p))
    for (uint32_t i = 0; i < p.n; i += 2)
      if (p.v[i] >> 4 == k) {
        t = (warden_link_type)(p.v[i] & 15u);
        break;
      }
  free(p.v);
  return t;
}

/* The chain from the start to visit i. */
static warden_status chain_of(warden_link_graph *g, const bfs *b, size_t i, warden_arena *ar, warden_link_chain *out) {
  size_t n = 0;
  for (size_t j = i; j; j = b->v[j].prev) n++;
  out->account = g->ids[b->v[i].node];
  out->nsteps = n;
  out->steps = n ? warden_arena_alloc(ar, n * sizeof *out->steps) : NULL;
  if (n && !out->steps) return WARDEN_ERR_NOMEM;
  for (size_t j = i, s = n; j; j = b->v[j].prev) {
    const visit *v = &b->v[j];
    uint32_t from = b->v[v->prev].node;
    warden_link_step *st = &out->steps[--s];
    st->from = g->ids[from];
    st->to = g->ids[v->node];
    if (v->kind == 1) {
      st->from_type = (warden_link_type)v->from_type;
      st->to_type = type_held(g, v->node, v->via);
      st->cls = lk_class(&g->keys[v->via]);
      st->value = key_display(g, v->via, ar);
      st->from_source = pair_source(g, from, v->via, v->from_src, ar);
      st->to_source = pair_source(g, v->node, v->via, v->to_src, ar);
    } else {
      const lk_edge *e = &g->edges[v->via];
      st->from_type = st->to_type = WARDEN_LINK_EQUITY;
      st->cls = WARDEN_LINK_CLASS__COUNT;
      st->value = edge_text(g, e, from, ar);
      st->from_source = st->to_source = edge_source(g, e, ar);
    }
    if (!st->value || !st->from_source || !st->to_source) return WARDEN_ERR_NOMEM;
  }
  return WARDEN_OK;
}

warden_status warden_link_explain(warden_link_graph *g, const char *a, const char *b, warden_arena *ar,
                                  warden_link_chain *out) {
  uint32_t x, y;
  bfs s = {0};
  memset(out, 0, sizeof *out);
  if (!warden_link_find(g, a, &x) || !warden_link_find(g, b, &y) || lk_find(g, x) != lk_find(g, y))
    return WARDEN_ERR_NOT_FOUND;
  warden_status st = bfs_run(g, x, y, &s);
  if (!st) st = s.n && s.v[s.n - 1].node == y ? chain_of(g, &s, s.n - 1, ar, out) : WARDEN_ERR_NOT_FOUND;
  free(s.v);
  return st;
}

warden_status warden_link_associates(warden_link_graph *g, const char *account, warden_arena *ar,
                                     warden_link_chain **out, size_t *n) {
  uint32_t x;
  bfs s = {0};
  *out = NULL;
  *n = 0;
  if (!warden_link_find(g, account, &x)) return WARDEN_ERR_NOT_FOUND;
  warden_status st = bfs_run(g, x, LK_NONE, &s);
  size_t accounts = 0;
  for (size_t i = 1; !st && i < s.n; i++) accounts += (g->flags[s.v[i].node] & LK_NODE_ACCOUNT) != 0;
  if (!st && accounts && !(*out = warden_arena_alloc(ar, accounts * sizeof **out))) st = WARDEN_ERR_NOMEM;
  for (size_t i = 1; !st && i < s.n; i++)
    if (g->flags[s.v[i].node] & LK_NODE_ACCOUNT) st = chain_of(g, &s, i, ar, &(*out)[(*n)++]);
  free(s.v);
  return st;
}

static int cmp_held(const void *a, const void *b) {
  const warden_link_held *x = a, *y = b;
  if (x->type != y->type) return x->type < y->type ? -1 : 1;
  return strcmp(x->value, y->value);
}

warden_status warden_link_members(warden_link_graph *g, const char *account, warden_arena *ar,
                                  warden_link_member **out, size_t *n) {
  uint32_t x;
  lk_vec pairs = {0};
  warden_status st = WARDEN_OK;
  *out = NULL;
  *n = 0;
  if (!warden_link_find(g, account, &x)) return WARDEN_ERR_NOT_FOUND;
  uint32_t total = g->size[lk_find(g, x)], y = x, m = 0;
  uint32_t *nodes = malloc((size_t)total * sizeof *nodes);
  if (!nodes) return WARDEN_ERR_NOMEM;
  do {
    nodes[m++] = y;
    y = g->next[y];
  } while (y != x && m < total);
  /* accounts first, each group in arrival order */
  for (uint32_t i = 1; i < m; i++) {
    uint32_t v = nodes[i], j = i;
    uint64_t kv = (uint64_t)!(g->flags[v] & LK_NODE_ACCOUNT) << 32 | v;
    while (j && ((uint64_t)!(g->flags[nodes[j - 1]] & LK_NODE_ACCOUNT) << 32 | nodes[j - 1]) > kv) {
      nodes[j] = nodes[j - 1];
      j--;
    }
    nodes[j] = v;
  }
  warden_link_member *mem = warden_arena_alloc(ar, (size_t)m * sizeof *mem);
  if (!mem) { st = WARDEN_ERR_NOMEM; goto cleanup; }
  for (uint32_t i = 0; i < m && !st; i++) {
    uint32_t v = nodes[i];
    lk_vec *e = lk_vmap_get(&g->eqadj, v);
    if ((st = lk_node_pairs(g, v, &pairs))) break;
    size_t nh = pairs.n / 2 + (e ? e->n / 2 : 0);
    mem[i] = (warden_link_member){g->ids[v], !(g->flags[v] & LK_NODE_ACCOUNT), NULL, 0};
    if (nh && !(mem[i].keys = warden_arena_alloc(ar, nh * sizeof *mem[i].keys))) { st = WARDEN_ERR_NOMEM; break; }
    for (uint32_t j = 0; j < pairs.n; j += 2) {
      uint32_t k = pairs.v[j] >> 4, live = lk_key_live(g, k);
      warden_link_held *h = &mem[i].keys[mem[i].nkeys++];
      h->type = (warden_link_type)(pairs.v[j] & 15u);
      h->cls = lk_class(&g->keys[k]);
      h->value = key_display(g, k, ar);
      h->source = pair_source(g, v, k, pairs.v[j + 1], ar);
      h->count = live;
      h->links = live >= 2 && live <= g->o.hub_cap;
      if (!h->value || !h->source) st = WARDEN_ERR_NOMEM;
    }
    for (uint32_t j = 0; e && j < e->n && !st; j += 2) {
      const lk_edge *ed = &g->edges[e->v[j]];
      if (ed->dead) continue;
      char text[400];
      const char *other = g->ids[ed->holder == v ? ed->company : ed->holder];
      snprintf(text, sizeof text, "%s %s", edge_text(g, ed, v, ar), other);
      warden_link_held *h = &mem[i].keys[mem[i].nkeys++];
      *h = (warden_link_held){WARDEN_LINK_EQUITY, WARDEN_LINK_CLASS__COUNT, warden_arena_strndup(ar, text, strlen(text)),
                              edge_source(g, ed, ar), 2, true};
      if (!h->value || !h->source) st = WARDEN_ERR_NOMEM;
    }
  }
  for (uint32_t i = 0; i < m && !st; i++) qsort(mem[i].keys, mem[i].nkeys, sizeof *mem[i].keys, cmp_held);
  if (!st) {
    *out = mem;
    *n = m;
  }
cleanup:
  free(pairs.v);
  free(nodes);
  return st;
}

static int cmp_hot(const void *a, const void *b) {
  const warden_link_hot *x = a, *y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  if (x->cls != y->cls) return x->cls < y->cls ? -1 : 1;
  return strcmp(x->value, y->value);
}

warden_status warden_link_hot_keys(warden_link_graph *g, warden_arena *ar, warden_link_hot **out, size_t *n) {
  size_t cap = g->nhubs + g->nph, m = 0;
  *out = NULL;
  *n = 0;
  if (!cap) return WARDEN_OK;
  warden_link_hot *h = warden_arena_alloc(ar, cap * sizeof *h);
  if (!h) return WARDEN_ERR_NOMEM;
  for (size_t i = 0; i < g->nhubs; i++) {
    uint32_t k = g->hubs[i], live = lk_key_live(g, k);
    bool dup = false;
    for (size_t j = 0; j < i && !dup; j++) dup = g->hubs[j] == k;
    if (dup || live <= g->o.hub_cap) continue;
    h[m++] = (warden_link_hot){lk_class(&g->keys[k]), key_display(g, k, ar), live, false};
    if (!h[m - 1].value) return WARDEN_ERR_NOMEM;
  }
  for (size_t i = 0; i < g->ph_cap; i++)
    if (g->ph[i].count) h[m++] = (warden_link_hot){(warden_link_class)(g->ph[i].fp & 15u), g->ph[i].display,
                                                   g->ph[i].count, true};
  qsort(h, m, sizeof *h, cmp_hot);
  *out = h;
  *n = m;
  return WARDEN_OK;
}

/* ---- the planted truth ---- */
typedef struct truth_row {
  uint64_t label;
  uint32_t cid, node;
} truth_row;

static int by_label(const void *a, const void *b) {
  const truth_row *x = a, *y = b;
  if (x->label != y->label) return x->label < y->label ? -1 : 1;
  return x->node < y->node ? -1 : x->node > y->node;
}

static int by_cid(const void *a, const void *b) {
  const truth_row *x = a, *y = b;
  if (x->cid != y->cid) return x->cid < y->cid ? -1 : 1;
  return x->node < y->node ? -1 : x->node > y->node;
}

warden_status warden_link_check_truth(warden_link_graph *g, const char *truth, bool *same, long *clusters, char *diff,
                                      size_t diffcap) {
  warden_csv c;
  bool got;
  truth_row *rows = NULL;
  size_t n = 0, cap = 0;
  long accounts = 0;
  *same = false;
  *clusters = 0;
  diff[0] = '\0';
  warden_status st = warden_csv_open(&c, truth, 0);
  if (st) {
    snprintf(diff, diffcap, "%s", c.err);
    return st;
  }
  warden_csv_next(&c, &got); /* header */
  while ((st = warden_csv_next(&c, &got)) == WARDEN_OK && got) {
    uint32_t x;
    if (c.nfields < 2 || !lk_node_find(g, warden_csv_field(&c, 0), c.flen[0], &x) || !(g->flags[x] & LK_NODE_ACCOUNT)) {
      snprintf(diff, diffcap, "%s:%lu: account '%.40s' is not in the graph", truth, c.line, warden_csv_field(&c, 0));
      goto cleanup;
    }
    if (n == cap) {
      cap = cap ? cap * 2 : 4096;
      truth_row *nr = realloc(rows, cap * sizeof *nr);
      if (!nr) { st = WARDEN_ERR_NOMEM; goto cleanup; }
      rows = nr;
    }
    uint64_t h;
    uint32_t fp;
    lk_hash(WARDEN_LINK_CLASS_DOC, warden_csv_field(&c, 1), c.flen[1], &h, &fp);
    rows[n++] = (truth_row){h ^ fp, g->cid[lk_find(g, x)], x};
  }
  if (st) {
    snprintf(diff, diffcap, "%s", c.err);
    goto cleanup;
  }
  for (uint32_t x = 0; x < g->nnodes; x++) accounts += (g->flags[x] & LK_NODE_ACCOUNT) != 0;
  if ((long)n != accounts) {
    snprintf(diff, diffcap, "the truth lists %zu accounts, the graph has %ld", n, accounts);
    goto cleanup;
  }
  qsort(rows, n, sizeof *rows, by_label);
  for (size_t i = 0; i < n; i++) {
    *clusters += !i || rows[i].label != rows[i - 1].label;
    if (i && rows[i].label == rows[i - 1].label && rows[i].cid != rows[i - 1].cid) {
      snprintf(diff, diffcap, "%s and %s belong together (truth) but are in clusters %u and %u", g->ids[rows[i - 1].node],
               g->ids[rows[i].node], rows[i - 1].cid, rows[i].cid);
      goto cleanup;
    }
  }
  qsort(rows, n, sizeof *rows, by_cid);
  for (size_t i = 1; i < n; i++)
    if (rows[i].cid == rows[i - 1].cid && rows[i].label != rows[i - 1].label) {
      snprintf(diff, diffcap, "%s and %s share cluster %u but are apart in the truth", g->ids[rows[i - 1].node],
               g->ids[rows[i].node], rows[i].cid);
      goto cleanup;
    }
  *same = true;
cleanup:
  warden_csv_close(&c);
  free(rows);
  return st;
}
