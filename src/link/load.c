/* load.c — the bulk build (ASSOC-KEYS): accounts, keys and equity from CSV, on several threads.
 *
 *   1. accounts.csv and keys.csv are cut at line breaks into one byte range per thread, each read by
 *      its own warden_csv (when a quoted field spans a cut, the ranges disagree and the file is read
 *      again on one thread). Bad rows are kept per thread and reported in line order afterwards.
 *   2. Each key row becomes a 20-byte pair (92-bit key hash, account, line), put in one of 1024
 *      buckets by the hash's top bits, in chunks.
 *   3. Buckets are sorted (radix on the hash, then the fingerprint and account) in parallel; equal
 *      keys are then adjacent, duplicates dropped, and the key and account CSR arrays filled.
 *   4. Union-find over each key's accounts (never all pairs), hubs skipped; equity edges; cluster
 *      ids in the order of each cluster's first account. */
#include <malloc.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../registry/registry.h"
#include "link_int.h"

#define NB_BITS 8
#define NB (1u << NB_BITS)
#define MAX_THREADS 16
#define MARK_EVERY 256

#include <time.h>
/* WARDEN_LINK_TIMING=1 prints each phase's wall time to stderr (for the benchmark). */
static void phase_time(const char *what) {
  static double last;
  static int on = -1;
  struct timespec t;
  if (on < 0) on = getenv("WARDEN_LINK_TIMING") != NULL;
  if (!on) return;
  clock_gettime(CLOCK_MONOTONIC, &t);
  double now = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
  if (last > 0) fprintf(stderr, "link: %-24s %.2f s\n", what, now - last);
  last = now;
}

typedef struct lk_pair {
  uint32_t hlo, hhi, fp, acct, line;
} lk_pair;

/* Chunks come from malloc: mmap'ing them would take the process-wide mmap lock on every chunk and
 * stall the other reading threads' page faults (measured: two threads no faster than one). */
typedef struct chunk {
  struct chunk *next;
  uint32_t n, cap;
  lk_pair p[];
} chunk;

#define CHUNK_MAX 8192u /* pairs */

typedef struct bucket_list {
  chunk *head, *tail;
  lk_pair *at;   /* the next free slot of the tail chunk */
  uint32_t left; /* slots left in it */
} bucket_list;

/* ---- one thread's byte range of a CSV file ---- */
typedef struct range_job {
  const char *path, *name;
  off_t start, end, reached;
  unsigned long lines;
  void (*row)(void *ctx, const warden_csv *c, off_t pos);
  void *ctx;
  warden_buf *errs; /* "REL_LINE\treason\n" */
  warden_status st;
} range_job;

static void bad_row(warden_buf *errs, unsigned long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bad_row(warden_buf *errs, unsigned long line, const char *fmt, ...) {
  va_list ap;
  warden_buf_addf(errs, "%lu\t", line);
  va_start(ap, fmt);
  warden_buf_vaddf(errs, fmt, ap);
  va_end(ap);
  warden_buf_addc(errs, '\n');
}

static off_t csv_pos(const warden_csv *c) { return ftello(c->fp) - (off_t)(c->in_len - c->in_pos); }

/* csv_pos without a locked ftello per record: the stream's position only moves when the reader
 * refills its buffer, which shows as in_pos going back or in_len changing. */
typedef struct pos_cache {
  off_t ft;
  size_t len, pos;
  bool valid;
} pos_cache;

static off_t csv_pos_fast(const warden_csv *c, pos_cache *pc) {
  if (!pc->valid || c->in_pos < pc->pos || c->in_len != pc->len) {
    pc->ft = ftello(c->fp);
    pc->len = c->in_len;
    pc->valid = true;
  }
  pc->pos = c->in_pos;
  return pc->ft - (off_t)(c->in_len - c->in_pos);
}

static void *range_run(void *arg) {
  range_job *j = arg;
  warden_csv c;
  bool got;
  FILE *f = fopen(j->path, "rb");
  if (!f || fseeko(f, j->start, SEEK_SET) || warden_csv_open_fp(&c, f, j->name, 0)) {
    if (f) fclose(f);
    j->st = WARDEN_ERR_IO;
    return NULL;
  }
  pos_cache pc = {0, 0, 0, false};
  for (;;) {
    off_t pos = csv_pos_fast(&c, &pc);
    if (pos >= j->end) break;
    warden_status st = warden_csv_next(&c, &got);
    if (st == WARDEN_ERR_PARSE) {
      /* the reader's message is "NAME:LINE: reason"; keep the reason, the line is fixed up later */
      const char *r = strstr(c.err, ": ");
      bad_row(j->errs, c.line, "%s", r ? r + 2 : c.err);
      if (c.in_pos == c.in_len && feof(f)) break;
      continue;
    }
    if (st) {
      j->st = st;
      break;
    }
    if (!got) break;
    j->row(j->ctx, &c, pos);
  }
  j->reached = csv_pos(&c);
  j->lines = c.next_line - 1;
  warden_csv_close(&c);
  fclose(f);
  return NULL;
}

static int thread_count(const warden_link_graph *g, off_t bytes) {
  long n = g->o.threads > 0 ? g->o.threads : sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (n > MAX_THREADS) n = MAX_THREADS;
  if (g->o.threads <= 0 && bytes < (off_t)4 << 20) n = 1; /* not worth the threads */
  return (int)n;
}

/* Runs fn(ctx[t], t) on n threads (the last on this one). */
static void run_threads(int n, void *(*fn)(void *), void *arg, size_t stride) {
  pthread_t th[MAX_THREADS];
  bool started[MAX_THREADS] = {false};
  for (int t = 0; t + 1 < n; t++) started[t] = !pthread_create(&th[t], NULL, fn, (char *)arg + (size_t)t * stride);
  for (int t = 0; t + 1 < n; t++)
    if (!started[t]) fn((char *)arg + (size_t)t * stride);
  fn((char *)arg + (size_t)(n - 1) * stride);
  for (int t = 0; t + 1 < n; t++)
    if (started[t]) pthread_join(th[t], NULL);
}

/* Opens path, reads its header and finds the columns (cols[i] = -1 for an optional one that is
 * missing; a missing required one is an error). *body is where the first record after it starts. */
static warden_status open_header(const char *path, const char *const *names, const bool *required, int n, int *cols,
                                 off_t *body, unsigned long *body_line, off_t *size, char *err, size_t errcap) {
  warden_csv c;
  warden_csv_header h = {0};
  bool got;
  struct stat sb;
  warden_status st = warden_csv_open(&c, path, 0);
  if (st) {
    snprintf(err, errcap, "%s", c.err[0] ? c.err : warden_strerror(st));
    return st;
  }
  if (fstat(fileno(c.fp), &sb) || !S_ISREG(sb.st_mode)) {
    snprintf(err, errcap, "%s: not a regular file", path);
    st = WARDEN_ERR_IO;
    goto cleanup;
  }
  *size = sb.st_size;
  if ((st = warden_csv_next(&c, &got)) || !got) {
    snprintf(err, errcap, "%s: %s", path, st ? c.err : "empty file: a header row is required");
    st = st ? st : WARDEN_ERR_PARSE;
    goto cleanup;
  }
  if ((st = warden_csv_header_take(&h, &c))) goto cleanup;
  for (int i = 0; i < n; i++) {
    cols[i] = warden_csv_header_find(&h, names[i]);
    if (cols[i] < 0 && required[i]) {
      snprintf(err, errcap, "%s:1: the header has no column '%s'", path, names[i]);
      st = WARDEN_ERR_PARSE;
      goto cleanup;
    }
  }
  *body = csv_pos(&c);
  *body_line = c.next_line;
cleanup:
  warden_csv_header_release(&h);
  warden_csv_close(&c);
  return st;
}

/* Cuts [body, size) into n ranges at line breaks. */
static void cut_ranges(const char *path, off_t body, off_t size, int n, off_t *starts) {
  FILE *f = fopen(path, "rb");
  starts[0] = body;
  for (int t = 1; t < n; t++) {
    off_t at = body + (size - body) * t / n;
    starts[t] = size;
    if (f && !fseeko(f, at - 1, SEEK_SET)) {
      int ch;
      off_t p = at - 1;
      while ((ch = getc(f)) != EOF) {
        p++;
        if (ch == '\n') {
          starts[t] = p;
          break;
        }
      }
    }
    if (starts[t] < starts[t - 1]) starts[t] = starts[t - 1];
  }
  starts[n] = size;
  if (f) fclose(f);
}

/* Reads one file on n threads; returns false when a cut fell inside a quoted field (read again on
 * one thread) and fills line bases per thread. */
static warden_status read_ranges(const char *path, const char *name, off_t body, unsigned long body_line, off_t size,
                                 int n, void (*row)(void *, const warden_csv *, off_t), void **ctx, warden_buf *errs,
                                 unsigned long *base, bool *cut_ok) {
  off_t starts[MAX_THREADS + 1];
  range_job jobs[MAX_THREADS];
  cut_ranges(path, body, size, n, starts);
  for (int t = 0; t < n; t++)
    jobs[t] = (range_job){path, name, starts[t], starts[t + 1], 0, 0, row, ctx[t], &errs[t], WARDEN_OK};
  run_threads(n, (void *(*)(void *))range_run, jobs, sizeof jobs[0]);
  *cut_ok = true;
  base[0] = body_line - 1;
  for (int t = 0; t < n; t++) {
    if (jobs[t].st) return jobs[t].st;
    if (t + 1 < n && jobs[t].reached != starts[t + 1]) *cut_ok = false;
    base[t + 1] = base[t] + jobs[t].lines;
  }
  return WARDEN_OK;
}

/* Prints each thread's bad rows with their absolute lines. */
static long report_bad(FILE *errs, const char *name, warden_buf *bufs, const unsigned long *base, int n) {
  long bad = 0;
  for (int t = 0; t < n; t++) {
    const char *s = warden_buf_str(&bufs[t]);
    while (*s) {
      char *tab;
      unsigned long rel = strtoul(s, &tab, 10);
      const char *nl = strchr(tab, '\n');
      size_t len = nl ? (size_t)(nl - tab - 1) : strlen(tab + 1);
      fprintf(errs, "%s:%lu: %.*s\n", name, rel + base[t], (int)len, tab + 1);
      bad++;
      s = nl ? nl + 1 : tab + 1 + len;
    }
  }
  return bad;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* ---- accounts ---- */
typedef struct acct_ctx {
  warden_arena arena;
  char **ids;
  uint32_t *lines, *hashes;
  size_t n, cap;
  int col;
  warden_buf *errs;
  bool nomem;
} acct_ctx;

static void acct_row(void *arg, const warden_csv *c, off_t pos) {
  acct_ctx *a = arg;
  (void)pos;
  if ((size_t)a->col >= c->nfields) { bad_row(a->errs, c->line, "expected a column account_id"); return; }
  const char *id = warden_csv_field(c, (size_t)a->col);
  size_t n = c->flen[a->col];
  while (n && (id[0] == ' ' || id[0] == '\t')) { id++; n--; }
  while (n && (id[n - 1] == ' ' || id[n - 1] == '\t')) n--;
  if (!n) { bad_row(a->errs, c->line, "empty account_id"); return; }
  if (a->n == a->cap) {
    size_t nc = a->cap ? a->cap * 2 : 1024;
    char **ni = realloc(a->ids, nc * sizeof *ni);
    uint32_t *nl = ni ? realloc(a->lines, nc * sizeof *nl) : NULL, *nh;
    if (ni) a->ids = ni;
    if (nl) a->lines = nl;
    if (!nl || !(nh = realloc(a->hashes, nc * sizeof *nh))) { a->nomem = true; return; }
    a->hashes = nh;
    a->cap = nc;
  }
  char *s = warden_arena_strndup(&a->arena, id, n);
  if (!s) { a->nomem = true; return; }
  a->ids[a->n] = s;
  a->hashes[a->n] = lk_id_hash(s, n);
  a->lines[a->n++] = (uint32_t)c->line;
}

static warden_status load_accounts(warden_link_graph *g, const char *path, FILE *errs, warden_link_load_stats *st,
                                   char *err, size_t errcap) {
  static const char *const names[] = {"account_id"};
  static const bool req[] = {true};
  int col, n, t;
  off_t body, size;
  unsigned long body_line, base[MAX_THREADS + 1];
  bool cut_ok;
  warden_status s = open_header(path, names, req, 1, &col, &body, &body_line, &size, err, errcap);
  if (s) return s;
  n = thread_count(g, size - body);
  acct_ctx ctx[MAX_THREADS];
  void *ctxp[MAX_THREADS];
  warden_buf bufs[MAX_THREADS];
again:
  memset(ctx, 0, sizeof ctx);
  for (t = 0; t < n; t++) {
    warden_arena_init(&ctx[t].arena, 1 << 20);
    warden_buf_init(&bufs[t], 0);
    ctx[t].col = col;
    ctx[t].errs = &bufs[t];
    ctxp[t] = &ctx[t];
  }
  s = read_ranges(path, base_name(path), body, body_line, size, n, acct_row, ctxp, bufs, base, &cut_ok);
  if (!s && !cut_ok && n > 1) {
    for (t = 0; t < n; t++) {
      warden_arena_release(&ctx[t].arena);
      free(ctx[t].ids);
      free(ctx[t].lines);
      free(ctx[t].hashes);
      warden_buf_release(&bufs[t]);
    }
    n = 1;
    goto again;
  }
  size_t total = 0;
  for (t = 0; t < n; t++) {
    total += ctx[t].n;
    if (ctx[t].nomem) s = WARDEN_ERR_NOMEM;
  }
  if (!s && total > 0x7FFFFFFEu) s = WARDEN_ERR_TOO_BIG;
  if (!s) s = lk_grow_nodes(g, (uint32_t)total);
  st->bad += report_bad(errs, base_name(path), bufs, base, n);
  g->load_arenas = calloc((size_t)n, sizeof *g->load_arenas);
  if (!g->load_arenas) s = s ? s : WARDEN_ERR_NOMEM;
  for (t = 0; t < n; t++) {
    for (size_t i = 0; !s && i < ctx[t].n; i++) {
      if (i + 8 < ctx[t].n && g->idmap_cap) /* the slot a few ids ahead: its cache miss overlaps */
        __builtin_prefetch(&g->idmap[ctx[t].hashes[i + 8] & (g->idmap_cap - 1)]);
      s = lk_node_append(g, ctx[t].ids[i], ctx[t].hashes[i], LK_NODE_ACCOUNT);
      if (s == WARDEN_ERR_EXISTS) {
        fprintf(errs, "%s:%lu: account '%s' is listed twice (first on another line)\n", base_name(path),
                ctx[t].lines[i] + base[t], ctx[t].ids[i]);
        st->bad++;
        s = WARDEN_OK;
      }
    }
    if (g->load_arenas) g->load_arenas[g->nload_arenas++] = ctx[t].arena;
    else warden_arena_release(&ctx[t].arena);
    free(ctx[t].ids);
    free(ctx[t].lines);
    free(ctx[t].hashes);
    warden_buf_release(&bufs[t]);
  }
  if (s) snprintf(err, errcap, "%s: %s", path, warden_strerror(s));
  st->accounts = g->nnodes;
  return s;
}

/* ---- keys ---- */
typedef struct key_ctx {
  warden_link_graph *g;
  int col[4]; /* account_id, key_type, value, valid_until (-1: none) */
  bucket_list b[NB];
  warden_buf *errs;
  lk_placeholder *ph;
  size_t ph_cap, nph;
  uint32_t *untils; /* acct, hlo, hhi, fp, until, line */
  size_t nuntils, untils_cap;
  lk_line_mark *marks;
  size_t nmarks, marks_cap;
  long rows, placeholders, name_only;
  char last[128];
  size_t last_n;
  uint32_t last_node;
  bool nomem;
} key_ctx;

static bool pair_push(key_ctx *k, uint64_t h, uint32_t fp, uint32_t acct, uint32_t line) {
  bucket_list *b = &k->b[h >> (64 - NB_BITS)];
  if (!b->left) {
    uint32_t cap = b->tail ? (b->tail->cap < CHUNK_MAX ? b->tail->cap * 2 : CHUNK_MAX) : 64;
    chunk *c = malloc(sizeof(chunk) + cap * sizeof(lk_pair));
    if (!c) return false;
    c->next = NULL;
    c->n = cap; /* full once used up; the last chunk's count is fixed at the end */
    c->cap = cap;
    if (b->tail) b->tail->next = c;
    else b->head = c;
    b->tail = c;
    b->at = c->p;
    b->left = cap;
  }
  *b->at++ = (lk_pair){(uint32_t)h, (uint32_t)(h >> 32), fp, acct, line};
  b->left--;
  return true;
}

/* The tail chunks' counts, once reading is over. */
static void pairs_close(key_ctx *k) {
  for (unsigned bk = 0; bk < NB; bk++)
    if (k->b[bk].tail) k->b[bk].tail->n = k->b[bk].tail->cap - k->b[bk].left;
}

static void key_row(void *arg, const warden_csv *c, off_t pos) {
  key_ctx *k = arg;
  warden_link_graph *g = k->g;
  k->rows++;
  if ((c->line - 1) % MARK_EVERY == 0) {
    if (k->nmarks == k->marks_cap) {
      size_t nc = k->marks_cap ? k->marks_cap * 2 : 256;
      lk_line_mark *nm = realloc(k->marks, nc * sizeof *nm);
      if (!nm) { k->nomem = true; return; }
      k->marks = nm;
      k->marks_cap = nc;
    }
    k->marks[k->nmarks++] = (lk_line_mark){(uint32_t)c->line, (uint64_t)pos};
  }
  for (int i = 0; i < 3; i++)
    if ((size_t)k->col[i] >= c->nfields) {
      bad_row(k->errs, c->line, "expected account_id,key_type,value");
      return;
    }
  const char *acct = warden_csv_field(c, (size_t)k->col[0]);
  size_t an = c->flen[k->col[0]];
  uint32_t node;
  if (an == k->last_n && an && !memcmp(acct, k->last, an)) {
    node = k->last_node;
  } else if (!lk_node_find(g, acct, an, &node)) {
    bad_row(k->errs, c->line, "unknown account '%.*s' (not in the accounts file)", (int)(an > 64 ? 64 : an), acct);
    return;
  } else if (an < sizeof k->last) {
    memcpy(k->last, acct, an);
    k->last_n = an;
    k->last_node = node;
  }
  const char *tname = warden_csv_field(c, (size_t)k->col[1]);
  warden_link_type t = warden_link_type_parse(tname);
  if (t == WARDEN_LINK__COUNT) {
    bad_row(k->errs, c->line, "unknown key_type '%.32s' (doc, phone, email, domain_holder, payment, device, ip, "
                              "address, legal_rep, contact, executive)", tname);
    return;
  }
  warden_link_key key;
  warden_link_norm nr = warden_link_normalize(t, warden_csv_field(c, (size_t)k->col[2]), c->flen[k->col[2]], &g->o, &key);
  uint64_t h;
  uint32_t fp;
  switch (nr) {
  case WARDEN_LINK_NORM_INVALID:
    bad_row(k->errs, c->line, "%s value '%.40s': %s", tname, warden_csv_field(c, (size_t)k->col[2]), key.why);
    return;
  case WARDEN_LINK_NORM_NAME_ONLY: k->name_only++; return;
  case WARDEN_LINK_NORM_PLACEHOLDER:
    lk_hash(key.cls, key.value, key.len, &h, &fp);
    k->placeholders++;
    if (lk_placeholder_count(&k->ph, &k->ph_cap, &k->nph, h, fp, 1, &key)) k->nomem = true;
    return;
  case WARDEN_LINK_NORM_KEY: break;
  }
  lk_hash(key.cls, key.value, key.len, &h, &fp);
  if (g->nuser_ph && lk_user_placeholder(g, h, fp)) {
    k->placeholders++;
    if (lk_placeholder_count(&k->ph, &k->ph_cap, &k->nph, h, fp, 1, &key)) k->nomem = true;
    return;
  }
  if (k->col[3] >= 0 && (size_t)k->col[3] < c->nfields && c->flen[k->col[3]]) {
    int32_t until;
    if (!warden_date_parse(warden_csv_field(c, (size_t)k->col[3]), &until)) {
      bad_row(k->errs, c->line, "valid_until '%.20s' is not a date (YYYY-MM-DD)", warden_csv_field(c, (size_t)k->col[3]));
      return;
    }
    if (k->nuntils == k->untils_cap) {
      size_t nc = k->untils_cap ? k->untils_cap * 2 : 64;
      uint32_t *nv = realloc(k->untils, nc * 6 * sizeof *nv);
      if (!nv) { k->nomem = true; return; }
      k->untils = nv;
      k->untils_cap = nc;
    }
    uint32_t *v = k->untils + 6 * k->nuntils++;
    v[0] = node; v[1] = (uint32_t)h; v[2] = (uint32_t)(h >> 32); v[3] = fp; v[4] = (uint32_t)until;
    v[5] = (uint32_t)c->line;
  }
  if (!pair_push(k, h, fp, node << 4 | (uint32_t)t, (uint32_t)c->line)) k->nomem = true;
}

/* ---- sort and build ---- */
typedef struct build {
  warden_link_graph *g;
  key_ctx *ctx;
  int nctx, nthreads;
  const unsigned long *base;
  size_t np[NB], nkeys[NB], npairs[NB], nshared[NB];
  size_t raw_base[NB + 1], key_base[NB + 1], pair_base[NB + 1], shared_base[NB + 1];
  uint8_t *ktype;
  uint32_t *adeg, *cursor;
  bool nomem;
} build;

typedef struct build_job {
  build *b;
  int t;
} build_job;

static inline uint64_t ph(const lk_pair *p) { return (uint64_t)p->hhi << 32 | p->hlo; }

static bool pair_less(const lk_pair *a, const lk_pair *b) {
  if (a->fp != b->fp) return a->fp < b->fp;
  if (a->acct >> 4 != b->acct >> 4) return a->acct >> 4 < b->acct >> 4;
  return a->line < b->line;
}

static void sort_bucket(lk_pair *p, size_t n, lk_pair *tmp) {
  size_t count[256];
  bool swapped = false;
  for (int shift = 0; shift < 64 - NB_BITS; shift += 8) {
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) count[(ph(&p[i]) >> shift) & 255]++;
    bool skip = false;
    for (int d = 0; d < 256; d++) skip |= count[d] == n;
    if (skip) continue;
    size_t sum = 0;
    for (int d = 0; d < 256; d++) {
      size_t c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++) tmp[count[(ph(&p[i]) >> shift) & 255]++] = p[i];
    lk_pair *t = p;
    p = tmp;
    tmp = t;
    swapped = !swapped;
  }
  if (swapped) { /* the sorted pairs are in the scratch array: back to the caller's */
    memcpy(tmp, p, n * sizeof *p);
    p = tmp;
  }
  /* equal hashes: by fingerprint, account, line (insertion sort: the runs are short) */
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && ph(&p[j]) == ph(&p[i])) j++;
    for (size_t a = i + 1; a < j; a++) {
      lk_pair x = p[a];
      size_t b = a;
      while (b > i && pair_less(&x, &p[b - 1])) {
        p[b] = p[b - 1];
        b--;
      }
      p[b] = x;
    }
    i = j;
  }
}

/* Phase A: each bucket gathered and sorted in the thread's scratch, then written at the bucket's
 * raw offset (its pairs before duplicates go) in the key and pair arrays: no sorted copy is kept,
 * and the arrays, reserved but untouched past what is written, cost only what they hold. */
static void *phase_sort_fill(void *arg) {
  build_job *j = arg;
  build *b = j->b;
  warden_link_graph *g = b->g;
  lk_pair *p = NULL, *tmp = NULL;
  size_t cap = 0;
  for (unsigned bk = (unsigned)j->t; bk < NB; bk += (unsigned)b->nthreads) {
    size_t n = b->np[bk], o = 0;
    if (n > cap) {
      lk_big_free(p);
      lk_big_free(tmp);
      p = lk_big_alloc(n * sizeof *p);
      tmp = lk_big_alloc(n * sizeof *tmp);
      cap = p && tmp ? n : 0;
      if (!cap) {
        b->nomem = true;
        break;
      }
    }
    for (int t = 0; t < b->nctx; t++) {
      chunk *c = b->ctx[t].b[bk].head;
      while (c) {
        for (uint32_t i = 0; i < c->n; i++) {
          p[o] = c->p[i];
          p[o++].line += (uint32_t)b->base[t];
        }
        chunk *nx = c->next;
        free(c);
        c = nx;
      }
      b->ctx[t].b[bk].head = b->ctx[t].b[bk].tail = NULL;
    }
    sort_bucket(p, n, tmp);
    /* one key at a time: its pairs, one account holding it twice counted once */
    size_t raw = b->raw_base[bk], k = raw, q = raw, sh = raw;
    for (size_t i = 0; i < n;) {
      size_t e = i + 1, held = 1;
      while (e < n && ph(&p[e]) == ph(&p[i]) && p[e].fp == p[i].fp) {
        held += p[e].acct >> 4 != p[e - 1].acct >> 4;
        e++;
      }
      g->keys[k] = (lk_key){ph(&p[i]), p[i].fp, held > 1 ? LK_SHARED | (uint32_t)(sh - raw) : p[i].line};
      g->koff[k++] = (uint32_t)(q - raw);
      for (size_t x = i; x < e; x++) {
        if (x > i && p[x].acct >> 4 == p[x - 1].acct >> 4) continue;
        g->kacc[q] = p[x].acct >> 4;
        b->ktype[q++] = (uint8_t)(p[x].acct & 15u);
        if (held > 1) g->sline[sh++] = p[x].line;
      }
      i = e;
    }
    b->nkeys[bk] = k - raw;
    b->npairs[bk] = q - raw;
    b->nshared[bk] = sh - raw;
    /* the chunks just freed go back to the system now, not at exit: the arrays being filled take
     * their place (peak memory 2.4 GB instead of 3.5 GB at 10 million accounts) */
    if (bk % 32 == (unsigned)j->t) malloc_trim(0);
  }
  lk_big_free(p);
  lk_big_free(tmp);
  return NULL;
}

/* Phase B: the buckets moved down over the gaps their duplicates left, offsets made global. */
static void compact(build *b) {
  warden_link_graph *g = b->g;
  for (unsigned bk = 0; bk < NB; bk++) {
    size_t raw = b->raw_base[bk], kb = b->key_base[bk], pb = b->pair_base[bk], sb = b->shared_base[bk];
    size_t nk = b->nkeys[bk];
    memmove(g->keys + kb, g->keys + raw, nk * sizeof *g->keys);
    memmove(g->koff + kb, g->koff + raw, nk * sizeof *g->koff);
    for (size_t k = kb; k < kb + nk; k++) {
      g->koff[k] += (uint32_t)pb;
      if (g->keys[k].src & LK_SHARED) g->keys[k].src += (uint32_t)sb;
    }
    memmove(g->kacc + pb, g->kacc + raw, b->npairs[bk] * sizeof *g->kacc);
    memmove(b->ktype + pb, b->ktype + raw, b->npairs[bk]);
    memmove(g->sline + sb, g->sline + raw, b->nshared[bk] * sizeof *g->sline);
  }
}

/* Gives the pages past an array's used part back (they were written before the compaction). */
static void trim_tail(void *base, size_t used, size_t reserved) {
  size_t page = (size_t)4096, from = ((uintptr_t)base + used + page - 1) / page * page;
  uintptr_t end = (uintptr_t)base + reserved;
  if (from < end) madvise((void *)from, end - from, MADV_DONTNEED);
}

/* What a thread of phases D and E works on: the accounts [lo, hi). */
typedef struct own {
  build *b;
  warden_link_graph *g;
  uint32_t lo, hi;
} own;

static own own_range(const build_job *j) {
  uint64_t n = j->b->g->nbase_nodes, t = (uint64_t)j->t, nt = (uint64_t)j->b->nthreads;
  return (own){j->b, j->b->g, (uint32_t)(n * t / nt), (uint32_t)(n * (t + 1) / nt)};
}

/* Phase D: each account's number of keys, each thread counting its own range of accounts. */
static void *phase_degrees(void *arg) {
  own o = own_range(arg);
  uint32_t np = o.g->koff[o.g->nbase_keys];
  for (uint32_t i = 0; i < np; i++) {
    uint32_t a = o.g->kacc[i];
    if (a >= o.lo && a < o.hi) o.b->adeg[a]++;
  }
  return NULL;
}

/* Phase E: account -> keys, each thread writing its own range of accounts, in key order. */
static void *phase_accounts(void *arg) {
  own o = own_range(arg);
  const warden_link_graph *g = o.g;
  for (uint32_t k = 0; k < g->nbase_keys; k++)
    for (uint32_t i = g->koff[k]; i < g->koff[k + 1]; i++) {
      uint32_t a = g->kacc[i];
      __builtin_prefetch(&o.b->cursor[g->kacc[i + 16]]); /* kacc has 16 spare entries at its end */
      if (a >= o.lo && a < o.hi) g->akey[o.b->cursor[a]++] = k << 4 | o.b->ktype[i];
    }
  return NULL;
}

static void run_phase(build *b, void *(*fn)(void *)) {
  build_job jobs[MAX_THREADS];
  for (int t = 0; t < b->nthreads; t++) jobs[t] = (build_job){b, t};
  run_threads(b->nthreads, fn, jobs, sizeof jobs[0]);
}

static warden_status build_keys(warden_link_graph *g, key_ctx *ctx, int nctx, const unsigned long *base,
                                warden_link_load_stats *st) {
  build *b = calloc(1, sizeof *b);
  warden_status s = WARDEN_OK;
  if (!b) return WARDEN_ERR_NOMEM;
  b->g = g;
  b->ctx = ctx;
  b->nctx = nctx;
  b->nthreads = nctx;
  b->base = base;
  phase_time("keys: read");
  /* raw counts: every array is reserved for all pairs, each bucket written at its raw offset */
  for (unsigned bk = 0; bk < NB; bk++) {
    size_t n = 0;
    for (int t = 0; t < nctx; t++)
      for (chunk *c = ctx[t].b[bk].head; c; c = c->next) n += c->n;
    b->np[bk] = n;
    b->raw_base[bk + 1] = b->raw_base[bk] + n;
  }
  size_t raw = b->raw_base[NB];
  if (raw >= 0x7FFFFFF0u) { s = WARDEN_ERR_TOO_BIG; goto cleanup; }
  g->nbase_nodes = g->nnodes;
  g->bulk_arrays = true;
  g->keys = lk_big_alloc((raw + 1) * sizeof *g->keys);
  g->koff = lk_big_alloc((raw + 1) * sizeof *g->koff);
  g->kacc = lk_big_alloc((raw + 17) * sizeof *g->kacc);
  g->sline = lk_big_alloc((raw + 1) * sizeof *g->sline);
  b->ktype = lk_big_alloc(raw + 1);
  if (!g->keys || !g->koff || !g->kacc || !g->sline || !b->ktype) { s = WARDEN_ERR_NOMEM; goto cleanup; }
  run_phase(b, phase_sort_fill);
  if (b->nomem) { s = WARDEN_ERR_NOMEM; goto cleanup; }
  phase_time("keys: sort and fill");
  for (unsigned bk = 0; bk < NB; bk++) {
    b->key_base[bk + 1] = b->key_base[bk] + b->nkeys[bk];
    b->pair_base[bk + 1] = b->pair_base[bk] + b->npairs[bk];
    b->shared_base[bk + 1] = b->shared_base[bk] + b->nshared[bk];
  }
  size_t nk = b->key_base[NB], np = b->pair_base[NB], nsh = b->shared_base[NB];
  if (nk >= (1u << 28)) { s = WARDEN_ERR_TOO_BIG; goto cleanup; }
  compact(b);
  trim_tail(g->keys, (nk + 1) * sizeof *g->keys, (raw + 1) * sizeof *g->keys);
  trim_tail(g->koff, (nk + 1) * sizeof *g->koff, (raw + 1) * sizeof *g->koff);
  trim_tail(g->kacc, (np + 17) * sizeof *g->kacc, (raw + 17) * sizeof *g->kacc);
  trim_tail(g->sline, (nsh + 1) * sizeof *g->sline, (raw + 1) * sizeof *g->sline);
  phase_time("keys: compact");
  g->aoff = lk_big_alloc(((size_t)g->nbase_nodes + 1) * sizeof *g->aoff);
  b->adeg = lk_big_alloc(((size_t)g->nbase_nodes + 1) * sizeof *b->adeg); /* mmap'd: zeroed */
  if (!g->aoff || !b->adeg) { s = WARDEN_ERR_NOMEM; goto cleanup; }
  g->nkeys = g->nbase_keys = (uint32_t)nk;
  g->key_cap = (uint32_t)raw + 1;
  g->koff[nk] = (uint32_t)np;
  memset(g->kacc + np, 0, 17 * sizeof *g->kacc);
  run_phase(b, phase_degrees);
  uint32_t sum = 0;
  for (uint32_t a = 0; a < g->nbase_nodes; a++) {
    g->aoff[a] = sum;
    sum += b->adeg[a];
  }
  g->aoff[g->nbase_nodes] = sum;
  lk_big_free(b->adeg);
  b->adeg = NULL;
  g->akey = lk_big_alloc((np + 1) * sizeof *g->akey);
  b->cursor = lk_big_alloc(((size_t)g->nbase_nodes + 1) * sizeof *b->cursor);
  if (!g->akey || !b->cursor) { s = WARDEN_ERR_NOMEM; goto cleanup; }
  memcpy(b->cursor, g->aoff, ((size_t)g->nbase_nodes + 1) * sizeof *b->cursor);
  run_phase(b, phase_accounts);
  phase_time("keys: accounts");
  lk_big_free(b->ktype);
  lk_big_free(b->cursor);
  b->ktype = NULL;
  b->cursor = NULL;
  /* union over each key's accounts; hubs link nothing */
  for (uint32_t k = 0; k < nk; k++) {
    uint32_t n = g->koff[k + 1] - g->koff[k];
    if (n > g->o.hub_cap) {
      if (g->nhubs == g->hubs_cap) {
        size_t nc = g->hubs_cap ? g->hubs_cap * 2 : 64;
        uint32_t *nh = realloc(g->hubs, nc * sizeof *nh);
        if (!nh) { s = WARDEN_ERR_NOMEM; goto cleanup; }
        g->hubs = nh;
        g->hubs_cap = nc;
      }
      g->hubs[g->nhubs++] = k;
      continue;
    }
    for (uint32_t i = g->koff[k] + 1; i < g->koff[k + 1]; i++) lk_union(g, g->kacc[g->koff[k]], g->kacc[i], false);
  }
  phase_time("keys: union");
  st->keys = (long)nk;
  st->pairs = (long)np;
  st->hubs = (long)g->nhubs;
cleanup:
  lk_big_free(b->ktype);
  lk_big_free(b->adeg);
  lk_big_free(b->cursor);
  free(b);
  return s;
}

static void key_ctx_release(key_ctx *k) {
  for (unsigned bk = 0; bk < NB; bk++)
    for (chunk *c = k->b[bk].head; c;) {
      chunk *nx = c->next;
      free(c);
      c = nx;
    }
  free(k->ph);
  free(k->untils);
  free(k->marks);
}

static warden_status load_keys(warden_link_graph *g, const char *path, FILE *errs, warden_link_load_stats *st,
                               char *err, size_t errcap) {
  static const char *const names[] = {"account_id", "key_type", "value", "valid_until"};
  static const bool req[] = {true, true, true, false};
  int cols[4], n, t;
  off_t body, size;
  unsigned long body_line, base[MAX_THREADS + 1];
  bool cut_ok;
  warden_status s = open_header(path, names, req, 4, cols, &body, &body_line, &size, err, errcap);
  if (s) return s;
  snprintf(g->keys_path, sizeof g->keys_path, "%s", path);
  snprintf(g->keys_name, sizeof g->keys_name, "%s", base_name(path));
  memcpy(g->kcol, cols, sizeof g->kcol);
  n = thread_count(g, size - body);
  key_ctx *ctx = NULL;
  warden_buf bufs[MAX_THREADS];
again:
  ctx = calloc((size_t)n, sizeof *ctx);
  if (!ctx) return WARDEN_ERR_NOMEM;
  void *ctxp[MAX_THREADS];
  for (t = 0; t < n; t++) {
    ctx[t].g = g;
    memcpy(ctx[t].col, cols, sizeof cols);
    warden_buf_init(&bufs[t], 0);
    ctx[t].errs = &bufs[t];
    ctxp[t] = &ctx[t];
  }
  s = read_ranges(path, g->keys_name, body, body_line, size, n, key_row, ctxp, bufs, base, &cut_ok);
  if (!s && !cut_ok && n > 1) {
    for (t = 0; t < n; t++) {
      key_ctx_release(&ctx[t]);
      warden_buf_release(&bufs[t]);
    }
    free(ctx);
    n = 1;
    goto again;
  }
  for (t = 0; t < n; t++) {
    pairs_close(&ctx[t]);
    if (ctx[t].nomem && !s) s = WARDEN_ERR_NOMEM;
  }
  st->bad += report_bad(errs, g->keys_name, bufs, base, n);
  for (t = 0; t < n; t++) {
    st->rows += ctx[t].rows;
    st->placeholders += ctx[t].placeholders;
    st->name_only += ctx[t].name_only;
    warden_buf_release(&bufs[t]);
  }
  /* line marks, to show a value again from its row */
  size_t nm = 0;
  for (t = 0; t < n; t++) nm += ctx[t].nmarks;
  if (!s && (g->marks = malloc((nm + 1) * sizeof *g->marks)) == NULL) s = WARDEN_ERR_NOMEM;
  for (t = 0; !s && t < n; t++)
    for (size_t i = 0; i < ctx[t].nmarks; i++)
      g->marks[g->nmarks++] = (lk_line_mark){ctx[t].marks[i].line + (uint32_t)base[t], ctx[t].marks[i].offset};
  /* placeholders */
  for (t = 0; !s && t < n; t++)
    for (size_t i = 0; i < ctx[t].ph_cap; i++)
      if (ctx[t].ph[i].count) {
        lk_placeholder *p = &ctx[t].ph[i];
        size_t before = g->nph;
        s = lk_placeholder_count(&g->ph, &g->ph_cap, &g->nph, p->h, p->fp, p->count, NULL);
        if (!s && g->nph > before) {
          size_t slot = (size_t)p->h & (g->ph_cap - 1);
          while (!(g->ph[slot].h == p->h && g->ph[slot].fp == p->fp)) slot = (slot + 1) & (g->ph_cap - 1);
          memcpy(g->ph[slot].display, p->display, sizeof p->display);
        }
      }
  if (!s) s = build_keys(g, ctx, n, base, st);
  /* validity: (node, key, until) */
  for (t = 0; !s && t < n; t++)
    for (size_t i = 0; i < ctx[t].nuntils; i++) {
      const uint32_t *v = ctx[t].untils + 6 * i;
      uint32_t k = lk_key_find(g, (uint64_t)v[2] << 32 | v[1], v[3]);
      if (k == LK_NONE) continue;
      if (g->nvalid == g->valid_cap) {
        size_t nc = g->valid_cap ? g->valid_cap * 2 : 64;
        uint32_t *nv = realloc(g->valid, nc * 3 * sizeof *nv);
        if (!nv) { s = WARDEN_ERR_NOMEM; break; }
        g->valid = nv;
        g->valid_cap = nc;
      }
      g->valid[3 * g->nvalid] = v[0];
      g->valid[3 * g->nvalid + 1] = k;
      g->valid[3 * g->nvalid + 2] = v[4];
      g->nvalid++;
    }
  st->validity = (long)g->nvalid;
  for (t = 0; t < n; t++) key_ctx_release(&ctx[t]);
  free(ctx);
  if (s) snprintf(err, errcap, "%s: %s", path, warden_strerror(s));
  return s;
}

/* "0.35", "1", ".5", "35%": a share in millionths; false outside (0, 1]. */
static bool parse_share(const char *s, uint32_t *ppm) {
  while (*s == ' ') s++;
  uint64_t whole = 0, frac = 0, scale = 1000000;
  bool any = false, pct = false;
  while (*s >= '0' && *s <= '9') {
    whole = whole * 10 + (uint64_t)(*s++ - '0');
    any = true;
    if (whole > 100) return false;
  }
  if (*s == '.') {
    s++;
    while (*s >= '0' && *s <= '9') {
      if (scale > 1) {
        scale /= 10;
        frac += (uint64_t)(*s - '0') * scale;
      }
      s++;
      any = true;
    }
  }
  while (*s == ' ') s++;
  if (*s == '%') { pct = true; s++; }
  while (*s == ' ') s++;
  if (*s || !any) return false;
  uint64_t v = whole * 1000000 + frac;
  if (pct) v /= 100;
  if (v == 0 || v > 1000000) return false;
  *ppm = (uint32_t)v;
  return true;
}

static warden_status load_equity(warden_link_graph *g, const char *path, FILE *errs, warden_link_load_stats *st,
                                 char *err, size_t errcap) {
  static const char *const names[] = {"holder_id", "company_id", "share"};
  static const bool req[] = {true, true, true};
  int cols[3];
  off_t body, size;
  unsigned long body_line;
  warden_csv c;
  bool got;
  warden_status s = open_header(path, names, req, 3, cols, &body, &body_line, &size, err, errcap);
  if (s) return s;
  snprintf(g->equity_name, sizeof g->equity_name, "%s", base_name(path));
  if ((s = warden_csv_open(&c, path, 0))) {
    snprintf(err, errcap, "%s", c.err);
    return s;
  }
  warden_csv_next(&c, &got); /* the header */
  for (;;) {
    s = warden_csv_next(&c, &got);
    if (s == WARDEN_ERR_PARSE) {
      fprintf(errs, "%s\n", c.err);
      st->bad++;
      s = WARDEN_OK;
      continue;
    }
    if (s || !got) break;
    if ((size_t)cols[0] >= c.nfields || (size_t)cols[1] >= c.nfields || (size_t)cols[2] >= c.nfields) {
      fprintf(errs, "%s:%lu: expected holder_id,company_id,share\n", g->equity_name, c.line);
      st->bad++;
      continue;
    }
    const char *h = warden_csv_field(&c, (size_t)cols[0]), *co = warden_csv_field(&c, (size_t)cols[1]);
    uint32_t ppm, a, b;
    if (!*h || !*co || !strcmp(h, co)) {
      fprintf(errs, "%s:%lu: a holding needs two different parties\n", g->equity_name, c.line);
      st->bad++;
      continue;
    }
    if (!parse_share(warden_csv_field(&c, (size_t)cols[2]), &ppm)) {
      fprintf(errs, "%s:%lu: share '%.20s' is not a fraction in (0, 1]\n", g->equity_name, c.line,
              warden_csv_field(&c, (size_t)cols[2]));
      st->bad++;
      continue;
    }
    if (ppm < g->o.min_share_ppm) {
      st->equity_below++;
      continue;
    }
    warden_status r;
    if (((r = lk_node_add(g, h, strlen(h), LK_NODE_ENTITY, &a)) && r != WARDEN_ERR_EXISTS) ||
        ((r = lk_node_add(g, co, strlen(co), LK_NODE_ENTITY, &b)) && r != WARDEN_ERR_EXISTS)) {
      s = r;
      break;
    }
    if (g->nedges == g->edge_cap) {
      uint32_t nc = g->edge_cap ? g->edge_cap * 2 : 256;
      lk_edge *ne = realloc(g->edges, nc * sizeof *ne);
      if (!ne) { s = WARDEN_ERR_NOMEM; break; }
      g->edges = ne;
      g->edge_cap = nc;
    }
    uint32_t e = g->nedges;
    g->edges[g->nedges++] = (lk_edge){a, b, ppm, (uint32_t)c.line, false};
    bool created;
    lk_vec *va = lk_vmap_put(&g->eqadj, a, &created), *vb;
    if (!va || lk_vec_push2(va, e, 0) || !(vb = lk_vmap_put(&g->eqadj, b, &created)) || lk_vec_push2(vb, e, 0)) {
      s = WARDEN_ERR_NOMEM;
      break;
    }
    lk_union(g, a, b, false);
    st->equity++;
  }
  warden_csv_close(&c);
  if (s) snprintf(err, errcap, "%s: %s", path, c.err[0] ? c.err : warden_strerror(s));
  return s;
}

/* Cluster ids in the order of each cluster's first node. */
static void number_clusters(warden_link_graph *g) {
  for (uint32_t x = 0; x < g->nnodes; x++) g->cid[x] = 0;
  g->next_cid = 1;
  for (uint32_t x = 0; x < g->nnodes; x++) {
    uint32_t r = lk_find(g, x);
    if (!g->cid[r]) g->cid[r] = g->next_cid++;
  }
  g->nevents = 0;
}

warden_status warden_link_load_csv(warden_link_graph *g, const char *accounts, const char *keys, const char *equity,
                                   FILE *errs, warden_link_load_stats *st, char *err, size_t errcap) {
  memset(st, 0, sizeof *st);
  err[0] = '\0';
  if (!errs) errs = stderr;
  if (g->nnodes || g->nkeys) {
    snprintf(err, errcap, "the bulk build needs an empty graph");
    return WARDEN_ERR_STATE;
  }
  phase_time("start");
  warden_status s = load_accounts(g, accounts, errs, st, err, errcap);
  phase_time("accounts");
  if (!s) s = load_keys(g, keys, errs, st, err, errcap);
  if (!s && equity) s = load_equity(g, equity, errs, st, err, errcap);
  phase_time("equity");
  if (s) return s;
  st->entities = (long)(g->nnodes - g->nbase_nodes);
  number_clusters(g);
  phase_time("cluster ids");
  return WARDEN_OK;
}

/* ---- a row of the keys file again ---- */
bool lk_file_key(const warden_link_graph *g, uint32_t line, uint32_t k, warden_link_key *out) {
  if (!g->nmarks || !g->keys_path[0]) return false;
  size_t lo = 0, hi = g->nmarks;
  while (hi - lo > 1) {
    size_t m = (lo + hi) / 2;
    if (g->marks[m].line <= line) lo = m;
    else hi = m;
  }
  if (g->marks[lo].line > line) return false;
  FILE *f = fopen(g->keys_path, "rb");
  warden_csv c;
  bool got, ok = false;
  if (!f) return false;
  if (fseeko(f, (off_t)g->marks[lo].offset, SEEK_SET) || warden_csv_open_fp(&c, f, g->keys_name, 0)) {
    fclose(f);
    return false;
  }
  c.next_line = g->marks[lo].line;
  while (warden_csv_next(&c, &got) != WARDEN_ERR_IO && got && c.line <= line) {
    if (c.line < line || c.nfields <= (size_t)g->kcol[2] || c.nfields <= (size_t)g->kcol[1]) continue;
    warden_link_type t = warden_link_type_parse(warden_csv_field(&c, (size_t)g->kcol[1]));
    if (t == WARDEN_LINK__COUNT) break;
    if (warden_link_normalize(t, warden_csv_field(&c, (size_t)g->kcol[2]), c.flen[g->kcol[2]], &g->o, out) ==
        WARDEN_LINK_NORM_KEY) {
      uint64_t h;
      uint32_t fp;
      lk_hash(out->cls, out->value, out->len, &h, &fp);
      ok = h == g->keys[k].h && fp == g->keys[k].fp;
    }
    break;
  }
  warden_csv_close(&c);
  fclose(f);
  return ok;
}

/* ---- from the registry ---- */
warden_status warden_link_load_registry(warden_link_graph *g, warden_registry *r, warden_link_load_stats *st,
                                        char *err, size_t errcap) {
  sqlite3 *db = warden_registry_db(r);
  sqlite3_stmt *q = NULL;
  warden_status s = WARDEN_OK;
  memset(st, 0, sizeof *st);
  err[0] = '\0';
  if (sqlite3_prepare_v2(db, "SELECT id FROM account ORDER BY rowid", -1, &q, NULL)) goto db_error;
  while (!s && sqlite3_step(q) == SQLITE_ROW) s = warden_link_add_account(g, (const char *)sqlite3_column_text(q, 0), NULL);
  sqlite3_finalize(q);
  q = NULL;
  if (s) goto done;
  /* accounts of one party share its documents; documents of one holder share their match hash */
  if (sqlite3_prepare_v2(db,
                         "SELECT a.id, d.role, hex(d.match_hash), d.number_masked, d.id FROM account a"
                         " JOIN document d ON d.party_id = a.party_id WHERE d.match_hash IS NOT NULL"
                         " ORDER BY a.rowid, d.id", -1, &q, NULL))
    goto db_error;
  while (!s && sqlite3_step(q) == SQLITE_ROW) {
    char source[64];
    snprintf(source, sizeof source, "registry document %lld", (long long)sqlite3_column_int64(q, 4));
    warden_link_type t = !strcmp((const char *)sqlite3_column_text(q, 1), "legal_rep") ? WARDEN_LINK_LEGAL_REP
                                                                                      : WARDEN_LINK_DOC;
    s = warden_link_add_key_hashed(g, (const char *)sqlite3_column_text(q, 0), t, WARDEN_LINK_CLASS_DOC,
                                   (const char *)sqlite3_column_text(q, 2), WARDEN_NO_DATE, source,
                                   (const char *)sqlite3_column_text(q, 3));
    st->rows++;
  }
  sqlite3_finalize(q);
  if (s) goto done;
  number_clusters(g);
  st->accounts = (long)g->nnodes;
  st->keys = (long)g->nkeys;
  st->pairs = st->rows;
  st->hubs = (long)g->nhubs;
  goto done;
db_error:
  snprintf(err, errcap, "registry: %s", sqlite3_errmsg(db));
  sqlite3_finalize(q);
  return WARDEN_ERR_DB;
done:
  if (s) snprintf(err, errcap, "registry: %s", warden_strerror(s));
  return s;
}
