/* link_int.h — private to src/link: the graph's arrays (drawn in link.h) and the helpers the bulk
 * loader, the incremental changes and the queries share. */
#ifndef WARDEN_LINK_INT_H
#define WARDEN_LINK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "link.h"

#define LK_REMOVED_TYPE 15u          /* akey: a removed pair */
#define LK_DEAD 0x80000000u          /* kacc: a removed pair; src: a string-table index */
#define LK_SHARED 0x40000000u        /* src of a bulk key held by several accounts: an sline index */
#define LK_NONE 0xFFFFFFFFu
#define LK_NODE_ACCOUNT 1u
#define LK_NODE_ENTITY 2u

typedef struct lk_key {
  uint64_t h;
  uint32_t fp;  /* fingerprint (28 bits) << 4 | class */
  uint32_t src; /* keys added by the API: LK_DEAD | string index of "display" then "source";
                 * bulk keys: the keys-file line of its one pair, or LK_SHARED | index into sline
                 * where the lines of its pairs follow one another */
} lk_key;

static inline warden_link_class lk_class(const lk_key *k) { return (warden_link_class)(k->fp & 15u); }

/* A growable u32 array; pairs are stored as two entries (value, source). */
typedef struct lk_vec {
  uint32_t *v;
  uint32_t n, cap;
} lk_vec;

/* An open-addressing map from a u32 to a vector and one spare word. */
typedef struct lk_vmap {
  uint32_t *keys; /* LK_NONE: empty */
  lk_vec *vals;
  uint32_t *aux;
  size_t cap, n;
} lk_vmap;

typedef struct lk_edge {
  uint32_t holder, company, share_ppm, src; /* src: line in the equity file, or LK_DEAD | string index */
  bool dead;
} lk_edge;

typedef struct lk_placeholder {
  uint64_t h;
  uint32_t fp;
  long count;
  char display[64];
} lk_placeholder;

typedef struct lk_line_mark {
  uint32_t line;
  uint64_t offset;
} lk_line_mark;

struct warden_link_graph {
  warden_link_opts o;
  warden_arena arena; /* ids, strings */
  warden_arena *load_arenas; /* the bulk loader's per-thread arenas (account ids) */
  int nload_arenas;
  /* nodes */
  char **ids;
  uint8_t *flags;
  uint32_t nnodes, node_cap, nbase_nodes;
  uint64_t *idmap; /* (id hash 32 << 32) | (node + 1); 0 empty */
  size_t idmap_cap;
  /* keys */
  lk_key *keys;
  uint32_t nkeys, key_cap, nbase_keys;
  uint32_t *xkeymap; /* keys added after the build: key index + 1 */
  size_t xkeymap_cap, nxkeys;
  uint32_t *koff, *kacc;         /* base CSR: key -> accounts */
  uint32_t *sline;               /* keys-file lines of the pairs of shared keys (see lk_key.src) */
  bool bulk_arrays;              /* keys and the CSR arrays come from lk_big_alloc */
  uint32_t *aoff, *akey;         /* base CSR: node -> key << 4 | type */
  lk_vmap kdelta;                /* key -> (account, source) pairs added later; aux: live count + 1 */
  lk_vmap adelta;                /* node -> (key << 4 | type, source) pairs added later */
  /* equity */
  lk_edge *edges;
  uint32_t nedges, edge_cap;
  lk_vmap eqadj;                 /* node -> edge indexes */
  /* union-find */
  uint32_t *parent, *size, *cid, *next;
  uint32_t next_cid;
  warden_link_event *events;
  size_t nevents, events_cap;
  /* hot keys */
  uint32_t *hubs;
  size_t nhubs, hubs_cap;
  lk_placeholder *ph;            /* open addressing on h; count 0: empty */
  size_t ph_cap, nph;
  uint64_t *user_ph;             /* warden_link_add_placeholder: h, fp pairs */
  size_t nuser_ph;
  /* validity: (node, key, until) triples */
  uint32_t *valid;
  size_t nvalid, valid_cap;
  /* strings: displays and sources of API-added keys and edges */
  char **strs;
  uint32_t nstrs, strs_cap;
  /* where the bulk keys came from, to show a value again */
  char keys_path[512], keys_name[128], equity_name[128];
  int kcol[3]; /* account_id, key_type, value */
  lk_line_mark *marks;
  size_t nmarks;
};

void lk_hash(warden_link_class cls, const char *s, size_t n, uint64_t *h, uint32_t *fp);
uint32_t lk_id_hash(const char *s, size_t n);
/* The keys-file line of the base pair at kacc position pos of key k. */
static inline uint32_t lk_pair_line(const warden_link_graph *g, uint32_t k, uint32_t pos) {
  uint32_t src = g->keys[k].src;
  return src & LK_SHARED ? g->sline[(src & ~LK_SHARED) + (pos - g->koff[k])] : src;
}
/* Large arrays: mmap'd (huge pages where the kernel offers them) and given back at once. */
void *lk_big_alloc(size_t bytes);
void lk_big_free(void *p);

/* vectors and maps */
warden_status lk_vec_push2(lk_vec *v, uint32_t a, uint32_t b);
lk_vec *lk_vmap_get(const lk_vmap *m, uint32_t key);
lk_vec *lk_vmap_put(lk_vmap *m, uint32_t key, bool *created); /* NULL on out-of-memory */
void lk_vmap_release(lk_vmap *m);
uint32_t *lk_vmap_aux(const lk_vmap *m, uint32_t key);

/* nodes, keys, strings */
warden_status lk_node_add(warden_link_graph *g, const char *id, size_t n, uint8_t flag, uint32_t *node);
/* Adds a node whose id string outlives the graph's use of it (a loader arena); WARDEN_ERR_EXISTS
 * when the id is taken. The node arrays must have room (lk_grow_nodes). */
warden_status lk_node_append(warden_link_graph *g, char *id, uint32_t hid, uint8_t flag);
bool lk_node_find(const warden_link_graph *g, const char *id, size_t n, uint32_t *node);
uint32_t lk_key_find(const warden_link_graph *g, uint64_t h, uint32_t fp);
warden_status lk_grow_nodes(warden_link_graph *g, uint32_t need);
uint32_t lk_str(warden_link_graph *g, const char *s); /* LK_NONE on out-of-memory */
warden_status lk_placeholder_count(lk_placeholder **tab, size_t *cap, size_t *n, uint64_t h, uint32_t fp,
                                   long add, const warden_link_key *k);
bool lk_user_placeholder(const warden_link_graph *g, uint64_t h, uint32_t fp);

/* union-find */
uint32_t lk_find(warden_link_graph *g, uint32_t x);
void lk_union(warden_link_graph *g, uint32_t a, uint32_t b, bool record);
uint32_t lk_key_live(warden_link_graph *g, uint32_t k);
/* Live pairs of node x as (key << 4 | type, source) into out (emptied first). */
warden_status lk_node_pairs(const warden_link_graph *g, uint32_t x, lk_vec *out);
/* The row at `line` of the bulk keys file, normalised again: false when it cannot be read or no
 * longer hashes to key k (the file changed). */
bool lk_file_key(const warden_link_graph *g, uint32_t line, uint32_t k, warden_link_key *out);

#endif
