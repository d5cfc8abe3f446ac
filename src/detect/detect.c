/* detect.c — the streaming rules of detect.h.
 *
 * Data structures, all open-addressing hash tables keyed by hashes (the keys themselves are compared
 * too, so a hash collision costs a probe, never a wrong answer):
 *
 *   table      key                          value                               size grows with
 *   ---------  ---------------------------  ----------------------------------  ------------------
 *   states     presented number             recent window, current run          active numbers
 *   days       (rule, subject, window key)  index of the open finding           findings
 *   dedupe     call id (a copy in a log)    its place in the log (so its hour)  calls in 2 hours
 *   numbers    number (snapshot)            holder, home, usage, today's count  the registry
 *   consents   (account, callee match key)  in force from .. until              the registry
 */
#define _GNU_SOURCE /* mremap */
#include <sqlite3.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

#include "../numbers/numbers.h"
#include "detect.h"

static const char *const rule_ids[WARDEN_RULE__COUNT] = {"TR-400-OUT", "TR-SPOOF",   "TR-AUTODIAL",  "TR-SEGMENT",
                                                          "TR-RESTHOURS", "TR-SLOT", "TR-CROSSPROV", "TR-FWDCHAIN"};

const char *warden_rule_id(warden_rule r) { return (unsigned)r < WARDEN_RULE__COUNT ? rule_ids[r] : "?"; }

bool warden_rule_parse(const char *id, warden_rule *out) {
  for (int i = 0; i < WARDEN_RULE__COUNT; i++)
    if (!strcmp(id, rule_ids[i])) {
      *out = (warden_rule)i;
      return true;
    }
  return false;
}

void warden_detect_params_from_policy(const warden_policy *p, warden_detect_params *o) {
  o->autodial_window = warden_policy_get(p, "detect", "autodial_window");
  o->autodial_calls = warden_policy_get(p, "detect", "autodial_calls");
  o->autodial_callees = warden_policy_get(p, "detect", "autodial_callees");
  o->autodial_short = warden_policy_get(p, "detect", "autodial_short");
  o->autodial_short_secs = warden_policy_get(p, "detect", "autodial_short_secs");
  o->segment_run = warden_policy_get(p, "detect", "segment_run");
  o->segment_digits = warden_policy_get(p, "detect", "segment_digits");
  o->segment_step = warden_policy_get(p, "detect", "segment_step");
  o->rest_from = warden_policy_get(p, "detect", "rest_from");
  o->rest_to = warden_policy_get(p, "detect", "rest_to");
  o->fwd_hops = warden_policy_get(p, "detect", "fwd_hops");
  o->idle_evict = warden_policy_get(p, "detect", "idle_evict");
}

/* ---- hashing ---- */
static inline uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

static uint64_t hash_bytes(const char *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ull);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = mix(h ^ w);
    p += 8;
    n -= 8;
  }
  return mix(h ^ warden_load_le(p, n) ^ ((uint64_t)n << 56));
}

/* A consent's pair: the account's bytes, then the callee's match key (64 hex characters). */
static uint64_t consent_hash(const char *account, size_t n, const char *callee_hex) {
  return hash_bytes(callee_hex, 64, hash_bytes(account, n, 0xC0));
}

/* Eight ASCII digits (the first in the low byte) as their value: pairs, then fours, then eight
 * (SWAR: three multiplications where a loop would take eight dependent ones). */
static inline uint64_t digits8(uint64_t x) {
  x -= 0x3030303030303030ull;
  x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFull;
  x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFull;
  return (x * 10000 + (x >> 32)) & 0xFFFFFFFFull;
}

/* n (at most 19) ASCII digits as a number. */
static uint64_t digits_value(const char *p, size_t n) {
  static const uint64_t pow10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  uint64_t v = 0;
  while (n > 8) {
    v = v * 100000000 + digits8(warden_load_le(p, 8));
    p += 8;
    n -= 8;
  }
  /* the last n digits, led by zeros: '0' bytes shifted in below them */
  uint64_t x = n == 8 ? warden_load_le(p, 8) : n ? warden_load_le(p, n) << (8 * (8 - n)) | (0x3030303030303030ull >> (8 * n)) : 0x3030303030303030ull;
  return v * pow10[n] + digits8(x);
}

/* ---- per-number state ----
 * One cache line a number (the table's slots are 64 bytes, 64-aligned): its digits as the key, the
 * TR-SEGMENT run, and the first WIN_INLINE entries of its TR-AUTODIAL window inline, so that a
 * number with few calls in the window costs one cache miss, not two. A number with more calls in
 * the window moves them to a ring of its own (win_ext, which also holds the open burst); it comes
 * back inline when the window shrinks again with no burst open. */
typedef struct win_entry {
  uint32_t t;      /* seconds since the engine's epoch */
  uint32_t callee; /* callee hash; top bit: a short call */
} win_entry;

typedef struct win_ext {
  uint32_t head, n, cap, nshort;
  int32_t burst;       /* open finding, -1 none */
  uint32_t burst_last; /* when the burst last qualified: it ends after a window without qualifying */
  win_entry e[];
} win_ext;

#define WIN_INLINE 3
#define EXT_FIRST 8    /* a ring's first size, in entries; it doubles as it fills */
#define EXT_CLASSES 5  /* rings of 8 to 128 entries are kept for reuse */
#define EXT_SPARES 65536
#define HOME_NONE 0xFF

typedef struct num_state {
  uint64_t klo;      /* the number's digits, 4 bits each as digit + 1, the first 16; 0: empty slot */
  uint16_t khi;      /* digits 17 to 20 the same way */
  uint8_t lens;      /* the last callee's length (TR-SEGMENT, up to 19) | the entries in inl << 5 (while ext is NULL) */
  uint8_t home;      /* the area code's province, cached (TR-CROSSPROV): 0 not looked up, HOME_NONE none */
  uint32_t last_seen;
  /* TR-SEGMENT */
  uint64_t seg_last;
  uint32_t seg_run;
  uint32_t seg_mark; /* while the run is shorter than segment_run: its first call's time; after: its finding */
  /* TR-AUTODIAL */
  win_ext *ext;      /* NULL: the window is inl */
  win_entry inl[WIN_INLINE];
} num_state;

_Static_assert(sizeof(num_state) == 64, "a number's state is one cache line");
_Static_assert(sizeof(warden_detect_keys) == 64, "a record's keys are one cache line");

static unsigned inl_n(const num_state *s) { return s->lens >> 5; }
static void set_inl_n(num_state *s, unsigned n) { s->lens = (uint8_t)((s->lens & 31u) | n << 5); }

typedef struct warden_detect_dedupe dedupe;

/* ---- memory made ready ahead ----
 * A fresh page costs a fault and a clearing where it is first touched: on this machine 1 to 2 ms a
 * megabyte of huge pages new from the host, a tenth of the detecting thread's time over a scan's
 * table growth. So the engine says ahead which ranges it will soon touch (its number table's next
 * half, a log block kept spare), and warden_detect_prefault, on another thread, faults them in with
 * MADV_POPULATE_WRITE, which writes nothing: a range the engine has meanwhile written, moved or
 * given back comes to no harm (at worst the pages of whatever is mapped there now are faulted in).
 * A ring of requests: one writer (the engine), one reader at a time (busy). Until a reader has
 * come (drained), the engine asks nothing and maps nothing ahead: a scan on one thread, or watch,
 * has no thread to spare, and would only map and hold memory early. */
#define PREFAULT_RING 8

typedef struct prefault_ring {
  atomic_size_t head, tail;
  atomic_bool busy, drained;
  struct {
    char *p;
    size_t n;
  } q[PREFAULT_RING];
} prefault_ring;

/* True when a reader drains the ring: only then is memory made ready ahead. */
static inline bool prefault_wanted(prefault_ring *r) { return r && atomic_load_explicit(&r->drained, memory_order_relaxed); }

/* The engine's side: the range asked for, or nothing when the ring is full. */
static void prefault_ask(prefault_ring *r, void *p, size_t n) {
  size_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
  if (h - atomic_load_explicit(&r->tail, memory_order_acquire) == PREFAULT_RING) return;
  r->q[h % PREFAULT_RING].p = p;
  r->q[h % PREFAULT_RING].n = n;
  atomic_store_explicit(&r->head, h + 1, memory_order_release);
}

typedef struct day_slot {
  uint64_t key; /* 0 empty */
  int32_t finding;
  int32_t wkey; /* the window (a CST day), compared with the finding's rule and subject */
} day_slot;

typedef struct snap_number {
  uint64_t key;
  char digits[21];
  char account[72];
  char province[3];
  char *slots;      /* NULL: no usage declared */
  int64_t max_per_day;
  int32_t day;      /* CST day of `calls` */
  int64_t calls;
} snap_number;

typedef struct snap_consent {
  uint64_t key;               /* consent_hash of the pair */
  int64_t granted, revoked;   /* revoked 0: in force */
  struct snap_consent *next;  /* several periods for one pair */
  char callee[65];            /* the callee's match key (hex) */
  size_t account_n;
  char account[];             /* not NUL-terminated */
} snap_consent;

struct warden_detect_snapshot {
  warden_registry *r;
  snap_number *nums;
  size_t nnums, nums_cap; /* open addressing, power of two */
  snap_consent **cons;
  size_t cons_cap;
  size_t count;
};

struct warden_detect {
  warden_detect_params p;
  const warden_detect_snapshot *snap;
  num_state *states;
  size_t states_cap, states_n; /* power of two; tombstones are not used: deletion shifts back */
  size_t states_map;           /* bytes mapped: the next half is mapped (and asked for) ahead */
  prefault_ring pf;
  day_slot *days;
  size_t days_cap, days_n;
  dedupe *dd;         /* one engine: its own; shards: NULL, the duplicates are marked beforehand */
  unsigned shard, nshards;
  warden_finding *findings;
  size_t nfindings, findings_cap;
  int64_t epoch;      /* UTC seconds of relative time 0 */
  int64_t now;        /* latest start seen */
  uint32_t *scratch;
  size_t scratch_cap;
  uint64_t seg_div; /* 10^segment_digits */
  warden_detect_stats stats;
  size_t win_bytes; /* the autodial rings, spares included */
  win_ext *spare[EXT_CLASSES]; /* rings kept for reuse by size (8, 16, .. entries; linked through their first */
  size_t nspare[EXT_CLASSES];   /* entry): numbers go in and out of inline and grow their rings all the time,
                                 * and malloc/free cost more than the work */
  bool sorted;
};

static size_t pow2_at_least(size_t n) {
  size_t c = 16;
  while (c < n) c <<= 1;
  return c;
}

/* ---- findings ---- */
static warden_finding *finding_new(warden_detect *d, warden_rule rule, const char *subject, size_t slen,
                                   const warden_cdr *rec, int64_t first, int32_t *index) {
  if (d->nfindings == d->findings_cap) {
    size_t nc = d->findings_cap ? d->findings_cap * 2 : 256;
    warden_finding *nf = realloc(d->findings, nc * sizeof *nf);
    if (!nf) return NULL;
    d->findings = nf;
    d->findings_cap = nc;
  }
  warden_finding *f = &d->findings[d->nfindings];
  memset(f, 0, sizeof *f);
  f->rule = rule;
  snprintf(f->subject, sizeof f->subject, "%.*s", (int)slen, subject);
  if (rec->account.n) snprintf(f->account, sizeof f->account, "%.*s", (int)rec->account.n, rec->account.p);
  f->first = first;
  f->last = rec->start;
  *index = (int32_t)d->nfindings++;
  d->stats.findings[rule]++;
  return f;
}

static void finding_add(warden_finding *f, const warden_cdr *rec, long calls) {
  if (rec->start > f->last) f->last = rec->start;
  if (rec->start < f->first) f->first = rec->start;
  f->count += calls;
  if (f->nsamples < WARDEN_FINDING_SAMPLES) {
    snprintf(f->samples[f->nsamples], sizeof f->samples[0], "%.*s", (int)(rec->call_id.n > 47 ? 47 : rec->call_id.n),
             rec->call_id.p);
    f->nsamples++;
  }
}

/* ---- the table of per-window findings (per-day rules) ---- */
static bool days_grow(warden_detect *d) {
  size_t nc = d->days_cap ? d->days_cap * 2 : 1024;
  day_slot *n = calloc(nc, sizeof *n);
  if (!n) return false;
  for (size_t i = 0; i < d->days_cap; i++)
    if (d->days[i].key) {
      size_t j = d->days[i].key & (nc - 1);
      while (n[j].key) j = (j + 1) & (nc - 1);
      n[j] = d->days[i];
    }
  free(d->days);
  d->days = n;
  d->days_cap = nc;
  return true;
}

/* The open finding of rule for subject in window wkey, opened when absent. NULL on OOM. */
static warden_finding *day_finding(warden_detect *d, warden_rule rule, const char *subj, size_t slen, int32_t wkey,
                                   const warden_cdr *rec) {
  uint64_t key = hash_bytes(subj, slen, 0x51ull + (uint64_t)rule * 0x100000001b3ull + (uint64_t)wkey * 0x9E3779B1ull) | 1;
  if ((d->days_n + 1) * 4 > d->days_cap * 3 && !days_grow(d)) return NULL;
  size_t i = key & (d->days_cap - 1);
  while (d->days[i].key) {
    if (d->days[i].key == key && d->days[i].wkey == wkey) {
      warden_finding *f = &d->findings[d->days[i].finding];
      if (f->rule == rule && !strncmp(f->subject, subj, slen) && f->subject[slen] == '\0') return f;
    }
    i = (i + 1) & (d->days_cap - 1);
  }
  int32_t idx;
  warden_finding *f = finding_new(d, rule, subj, slen, rec, rec->start, &idx);
  if (!f) return NULL;
  d->days[i].key = key;
  d->days[i].finding = idx;
  d->days[i].wkey = wkey;
  d->days_n++;
  return f;
}

/* ---- per-number states ---- */

/* The dedupe log's blocks (4 MB): on huge pages where the kernel gives them (madvise), for a fresh
 * page costs a fault, and 512 times fewer of them; 64-byte aligned below 2 MB. Not zeroed. */
static void *big_alloc(size_t bytes) {
  size_t align = bytes >= (2u << 20) ? (2u << 20) : 64;
  void *p;
  if (posix_memalign(&p, align, bytes)) return NULL;
#ifdef MADV_HUGEPAGE
  if (align > 64) madvise(p, bytes, MADV_HUGEPAGE);
#endif
  return p;
}

/* Up to eight digits (m of them) as bytes of digit + 1, the first in the low byte; false unless all
 * are digits (SWAR: the bytes past the end read as '0', see warden_numkind_of). */
static inline bool digit_bytes(const char *p, size_t m, uint64_t *out) {
  uint64_t x = warden_load_le(p, m), mask = m == 8 ? ~0ull : (1ull << (8 * m)) - 1;
  uint64_t y = x | (~mask & 0x3030303030303030ull);
  if ((y & 0xF0F0F0F0F0F0F0F0ull) != 0x3030303030303030ull ||
      ((y + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) != 0x3030303030303030ull)
    return false;
  /* '0' is 0x30: minus 0x2F gives digit + 1; the bytes past the end (0) borrow only upwards */
  *out = (x - 0x2F2F2F2F2F2F2F2Full) & mask;
  return true;
}

/* Bytes to nibbles, eight bytes into 32 bits: byte k's value lands at bits 4k. */
static inline uint32_t nibbles8(uint64_t v) {
  v = (v | v >> 4) & 0x00FF00FF00FF00FFull;
  v = (v | v >> 8) & 0x0000FFFF0000FFFFull;
  return (uint32_t)(v | v >> 16);
}

/* A number's digits as a key of two words: 4 bits a digit (the digit + 1, so that no digit is 0 and
 * the length is implied), the first 16 in lo and up to 4 more in hi. Compared whole, the key is the
 * number itself: a hash collision costs a probe, never a wrong answer. False unless 1 to 20 digits
 * (the readers give only national digits, 3 to 20). */
static bool number_key(const char *p, size_t n, uint64_t *lo, uint16_t *hi) {
  uint64_t a, b = 0, c = 0; /* in registers, word by word: as an array the compiler packed them with
                             * vector loads of what it had just stored as words, and each waited */
  if (!n || n > 20 || !digit_bytes(p, n < 8 ? n : 8, &a)) return false;
  if (n > 8 && !digit_bytes(p + 8, n < 16 ? n - 8 : 8, &b)) return false;
  if (n > 16 && !digit_bytes(p + 16, n - 16, &c)) return false;
  *lo = nibbles8(a) | (uint64_t)nibbles8(b) << 32;
  *hi = (uint16_t)nibbles8(c);
  return true;
}

static uint64_t number_hash(uint64_t lo, uint16_t hi) { return mix(lo * 0x9E3779B97F4A7C15ull ^ hi); }

/* Where a number's state is looked up: 32 bits of its hash (the keys' nh), so the table has at most
 * 2^32 slots. */
static inline uint32_t state_hash(uint64_t lo, uint16_t hi) { return (uint32_t)number_hash(lo, hi); }

/* The tables (numbers, call ids): mapped, zeroed, on huge pages where the kernel gives them
 * (madvise): every lookup is a random access, and with 4 KB pages each one would miss the TLB as
 * well as the cache. The number table grows in place (map_grow keeps the pages it has, and only the
 * new half is fresh memory: a fault and a clearing a page, dear on this machine; growing into new
 * tables made 62 MB of them for a final table of 32 MB, 4 % of a scan). The dedupe's table (16 MB
 * here) is rebuilt into a new one: growing it in place as well was measured no faster. The caller
 * gives a table back with map_free(p, its bytes). */
static void *map_new(size_t bytes) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);
#endif
  return p;
}

/* p (old bytes) grown to bytes, perhaps moved; NULL (p untouched) when it cannot be. */
static void *map_grow(void *p, size_t old, size_t bytes) {
  void *q = mremap(p, old, bytes, MREMAP_MAYMOVE);
  return q == MAP_FAILED ? NULL : q;
}

static void map_free(void *p, size_t bytes) {
  if (p) munmap(p, bytes);
}

/* e put in the first empty slot from its home, in a table of cap slots. */
static void state_place(num_state *t, size_t cap, const num_state *e) {
  size_t j = state_hash(e->klo, e->khi) & (cap - 1);
  while (t[j].klo) j = (j + 1) & (cap - 1);
  t[j] = *e;
}

/* Doubles the table in place, at 5/8 full: a slot is 64 bytes, so the table stays under
 * 64 * 16/5 = 205 bytes a number right after it doubles, and probes stay short.
 * A number whose home was h is at home in h or h + old. The entries before the first empty slot
 * (some may have wrapped round from the end) are set aside; then, in slot order, each entry is taken
 * out and put back from its new home. No chain of those crosses the empty slot, so none wrapped: an
 * entry that stays in the lower half lands at or before where it was (its chain lay in the part
 * passed); one that moves up lands in the upper half, where nothing is taken out, and never past
 * its end (the entries at home in the last k upper slots came from the last k old slots at most).
 * The set-aside go back last, when every slot has been passed. */
static bool states_grow(warden_detect *d) {
  size_t oc = d->states_cap, nc = oc ? oc * 2 : 1 << 15;
  if (!oc) {
    if (!(d->states = map_new(nc * sizeof(num_state)))) return false;
    d->states_cap = nc;
    d->states_map = nc * sizeof(num_state);
    return true;
  }
  if (nc > (size_t)1 << 32 || nc > SIZE_MAX / 2 / sizeof(num_state)) return false; /* see state_hash */
  size_t s0 = 0;
  while (d->states[s0].klo) s0++; /* there is one: the table is at most five eighths full */
  num_state *aside = malloc((s0 ? s0 : 1) * sizeof *aside);
  if (!aside) return false;
  num_state *t = d->states_map >= nc * sizeof(num_state) ? d->states : map_grow(d->states, d->states_map, nc * sizeof(num_state));
  if (!t) {
    free(aside);
    return false;
  }
  d->states = t;
  d->states_cap = nc;
  if (d->states_map < nc * sizeof(num_state)) d->states_map = nc * sizeof(num_state);
  for (size_t i = 0; i < s0; i++) {
    aside[i] = t[i];
    t[i].klo = 0;
    t[i].ext = NULL;
  }
  for (size_t i = s0 + 1; i < oc; i++) {
    if (!t[i].klo) continue;
    num_state e = t[i];
    t[i].klo = 0;
    t[i].ext = NULL;
    state_place(t, nc, &e); /* never wraps round, as said above */
  }
  for (size_t k = 0; k < s0; k++) state_place(t, nc, &aside[k]);
  free(aside);
  return true;
}

static void sweep(warden_detect *d);

/* At half full, the table's next half is mapped and asked for (prefault_ask): it doubles at five
 * eighths, unless a sweep makes room. Half full, mapped double is 256 bytes a number. */
static void states_ahead(warden_detect *d) {
  size_t bytes = d->states_cap * sizeof(num_state);
  if (d->states_map >= 2 * bytes || d->states_cap >= (size_t)1 << 32 || bytes > SIZE_MAX / 4) return;
  num_state *t = map_grow(d->states, d->states_map, 2 * bytes);
  if (!t) return; /* it is asked again when the table grows */
  d->states = t;
  d->states_map = 2 * bytes;
  prefault_ask(&d->pf, (char *)t + bytes, bytes);
}

static num_state *state_get(warden_detect *d, uint64_t lo, uint16_t hi, uint32_t h) {
  if ((d->states_n + 1) * 2 > d->states_cap && d->states_map < 2 * d->states_cap * sizeof(num_state) && prefault_wanted(&d->pf))
    states_ahead(d);
  if ((d->states_n + 1) * 8 > d->states_cap * 5) { /* full: the idle numbers go first, then it grows if it must */
    sweep(d);
    if ((d->states_n + 1) * 8 > d->states_cap * 5 * 3 / 4 && !states_grow(d)) return NULL;
  }
  size_t i = h & (d->states_cap - 1);
  while (d->states[i].klo) {
    num_state *s = &d->states[i];
    if (s->klo == lo && s->khi == hi) return s;
    i = (i + 1) & (d->states_cap - 1);
  }
  num_state *s = &d->states[i];
  memset(s, 0, sizeof *s);
  s->klo = lo;
  s->khi = hi;
  d->states_n++;
  d->stats.tracked = d->states_n;
  if (d->states_n > d->stats.peak_tracked) d->stats.peak_tracked = d->states_n;
  return s;
}

static size_t ext_bytes(const win_ext *x) { return x ? sizeof *x + (size_t)x->cap * sizeof(win_entry) : 0; }

/* The size class of a ring of cap entries (a power of two, EXT_FIRST or more), EXT_CLASSES if none. */
static unsigned ext_class(uint32_t cap) {
  unsigned c = (unsigned)__builtin_ctz(cap) - (unsigned)__builtin_ctz(EXT_FIRST);
  return c < EXT_CLASSES ? c : EXT_CLASSES;
}

/* Keeps x as a spare of its class (at most EXT_SPARES >> class of them: about 5.5 MB a class), or
 * frees it. */
static void ext_free(warden_detect *d, win_ext *x) {
  if (!x) return;
  unsigned c = ext_class(x->cap);
  if (c < EXT_CLASSES && d->nspare[c] < ((size_t)EXT_SPARES >> c)) {
    memcpy(x->e, &d->spare[c], sizeof d->spare[c]);
    d->spare[c] = x;
    d->nspare[c]++;
    return;
  }
  d->win_bytes -= ext_bytes(x);
  free(x);
}

/* A ring of cap entries, a spare if there is one, else malloc'd; NULL when out of memory. The caller
 * counts its bytes in win_bytes and gives it back with ext_free. */
static win_ext *ext_alloc(warden_detect *d, uint32_t cap) {
  unsigned c = ext_class(cap);
  win_ext *x;
  if (c < EXT_CLASSES && (x = d->spare[c])) {
    memcpy(&d->spare[c], x->e, sizeof d->spare[c]);
    d->nspare[c]--;
    d->win_bytes -= ext_bytes(x); /* the caller counts it again */
    return x;
  }
  x = malloc(sizeof *x + (size_t)cap * sizeof(win_entry));
  if (x) x->cap = cap;
  return x;
}

/* A state as new, but for its key and the home province it caches. */
static void state_restart(warden_detect *d, num_state *s) {
  ext_free(d, s->ext);
  uint64_t klo = s->klo;
  uint16_t khi = s->khi;
  uint8_t home = s->home;
  memset(s, 0, sizeof *s);
  s->klo = klo;
  s->khi = khi;
  s->home = home;
}

/* Removes idle states (backward-shift deletion keeps probing chains intact), when the table is full
 * (state_get): memory only, as feed_one restarts an idle state it meets before a sweep has dropped
 * it. Sweeping on a schedule instead cost 7 % of a scan: states dropped, then made again. */
static void sweep(warden_detect *d) {
  uint32_t now = (uint32_t)(d->now - d->epoch);
  size_t cap = d->states_cap;
  for (size_t i = 0; i < cap; i++) {
    num_state *s = &d->states[i];
    if (!s->klo || now - s->last_seen < (uint32_t)d->p.idle_evict) continue;
    ext_free(d, s->ext);
    s->klo = 0;
    s->ext = NULL;
    d->states_n--;
    /* shift back the entries that probed past this slot */
    size_t hole = i, j = i;
    for (;;) {
      j = (j + 1) & (cap - 1);
      if (!d->states[j].klo) break;
      size_t home = state_hash(d->states[j].klo, d->states[j].khi) & (cap - 1);
      bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        d->states[hole] = d->states[j];
        d->states[j].klo = 0;
        d->states[j].ext = NULL;
        hole = j;
      }
    }
    if (d->states[i].klo) i--; /* something moved into i: look at it again */
  }
  d->stats.tracked = d->states_n;
}

/* ---- dedupe of call ids over a two-hour horizon ----
 * The ids themselves are kept, in a log, and compared: two calls are one only if their ids are equal,
 * never because their hashes happen to agree. A table indexes the log:
 *
 *   log    the ids remembered, one after another, in blocks of 4 MB held while they may be needed;
 *          a place in it counts 8-byte units (32 bits, wrapping round a window of 32 GB)
 *            +------------+------------------+----------------+
 *            | n (32 bit) | the id's n bytes | to a unit's end|
 *            +------------+------------------+----------------+
 *   table  open addressing by buckets of one cache line, 8 entries (fp, place) a bucket, where fp
 *          is 32 bits of the id's hash (the low one set; 0: an empty lane) and the home bucket is
 *          fp scaled to the table; a lookup goes on to the next bucket only while all 8 lanes are
 *          taken, so it almost always reads one line, its 8 lanes compared at once (SSE2)
 *            +--------------------------+-----------------------------+
 *            | fp[8]: 8 x 32 bits       | place[8]: 8 x 32 bits       |   64 bytes, 64-aligned
 *            +--------------------------+-----------------------------+
 *
 * An id is remembered in the stream's newest hour, and stays fresh while the newest hour is at most
 * one past that (the horizon follows the newest record, so a late duplicate is still caught): the
 * fresh ids are the places from `live` (where the hour before the newest began, when the newest
 * followed it directly; else where the newest began) to `end`. A stale entry matches nothing; its
 * lane goes to the next new entry whose lookup passes it (no lookup then stops short of an entry),
 * and the rest are dropped when the table fills (and before `end` could wrap round to their places):
 * the table stays near the size of the horizon's ids. The log's blocks before `live` are given back
 * at once. Since the newest hour only moves forward, a dropped entry could never have matched again:
 * when the table happens to be cleaned changes no answer, and so a stream deduplicated in shards by
 * call id (warden_detect_dedupe_mark) gives exactly the answers of one table.
 * A record costs a bucket or two and an append. The log is read only when fingerprints agree: for a
 * duplicate, and for about one distinct id in 3,000 (the entries of a bucket share the high bits of
 * their fingerprints, which chose the bucket: 10 million records of the benchmark read it 3,200
 * times more than their 10,218 duplicates). */
#define HOUR_MASK 0xFFFFu     /* hours are compared mod 2^16 */
#define LOG_BLOCK_BITS 19     /* 2^19 units of 8 bytes: 4 MB, more than an id (a line is < 4 MB) */
#define LOG_BLOCK_UNITS (1u << LOG_BLOCK_BITS)
#define LOG_BLOCKS (1u << (32 - LOG_BLOCK_BITS))
#define LOG_SPARES 4
#define LOG_SLACK 8             /* bytes a block has past its last unit (see log_append) */
#define LOG_LIVE_MAX (1u << 30) /* 8 GB of ids within the horizon at most: see log_append */
/* The first place: 8 MB of ids before the places wrap round, so that every stream longer than that,
 * and so the tests, goes through the wrap rather than only the rare one of 32 GB. */
#define LOG_START (0u - (1u << 20))

typedef struct seen_bucket {
  uint32_t fp[8], place[8];
} seen_bucket;

struct warden_detect_dedupe {
  seen_bucket *seen;    /* cap / 8 buckets */
  size_t cap, n;        /* in lanes; n: entries, the stale included */
  uint32_t end;         /* the place of the next id */
  uint32_t live;        /* where the fresh ids begin */
  uint32_t newest_from; /* where the newest hour's ids begin */
  uint32_t purge_base;  /* live at the last purge: every entry's place is at or after it */
  uint32_t held;        /* the oldest block that may be held */
  uint32_t hour;        /* the newest hour of the stream so far (mod 2^16) */
  bool started;
  prefault_ring *pf;    /* its engine's, which asks for a spare block ahead; NULL: none */
  unsigned nspare;
  char *spare[LOG_SPARES];
  char *block[LOG_BLOCKS]; /* by place >> LOG_BLOCK_BITS; NULL: not held */
};

/* The home bucket of fp in a table of cap lanes. */
static inline size_t seen_home(uint32_t fp, size_t cap) { return (size_t)(((uint64_t)fp * (cap >> 3)) >> 32); }

/* A bucket's lanes, bit k for lane k: *match, the fresh ones with fingerprint fp (0 for none); *empty;
 * *avail, the empty and the stale (a place outside [live, end)). */
static inline void bucket_masks(const dedupe *dd, const seen_bucket *b, uint32_t fp, unsigned *match, unsigned *empty,
                                unsigned *avail) {
#ifdef __SSE2__
  /* the unsigned place - live < end - live as a signed compare, both sides' top bits flipped */
  const __m128i sign = _mm_set1_epi32(INT32_MIN), live = _mm_set1_epi32((int32_t)dd->live);
  const __m128i span = _mm_set1_epi32((int32_t)((dd->end - dd->live) ^ 0x80000000u)), vfp = _mm_set1_epi32((int32_t)fp);
  const __m128i zero = _mm_setzero_si128();
  __m128i f0 = _mm_load_si128((const __m128i *)(const void *)b->fp), f1 = _mm_load_si128((const __m128i *)(const void *)b->fp + 1);
  __m128i p0 = _mm_load_si128((const __m128i *)(const void *)b->place), p1 = _mm_load_si128((const __m128i *)(const void *)b->place + 1);
  __m128i r0 = _mm_cmplt_epi32(_mm_xor_si128(_mm_sub_epi32(p0, live), sign), span);
  __m128i r1 = _mm_cmplt_epi32(_mm_xor_si128(_mm_sub_epi32(p1, live), sign), span);
#define LANES4(v) ((unsigned)_mm_movemask_ps(_mm_castsi128_ps(v)))
  *match = LANES4(_mm_and_si128(_mm_cmpeq_epi32(f0, vfp), r0)) | LANES4(_mm_and_si128(_mm_cmpeq_epi32(f1, vfp), r1)) << 4;
  *empty = LANES4(_mm_cmpeq_epi32(f0, zero)) | LANES4(_mm_cmpeq_epi32(f1, zero)) << 4;
  *avail = (*empty | ~(LANES4(r0) | LANES4(r1) << 4)) & 0xFFu;
#undef LANES4
#else
  unsigned m = 0, e = 0, a = 0;
  for (unsigned k = 0; k < 8; k++) {
    bool fresh = b->place[k] - dd->live < dd->end - dd->live;
    m |= (unsigned)(fresh && b->fp[k] == fp) << k;
    e |= (unsigned)(b->fp[k] == 0) << k;
    a |= (unsigned)(b->fp[k] == 0 || !fresh) << k;
  }
  *match = m;
  *empty = e;
  *avail = a;
#endif
}

/* An entry put in the first bucket from its home with an empty lane, in a table of cap lanes. */
static void seen_place(seen_bucket *t, size_t cap, uint32_t fp, uint32_t place) {
  size_t nb = cap >> 3;
  for (size_t b = seen_home(fp, cap);; b = (b + 1) & (nb - 1))
    for (unsigned k = 0; k < 8; k++)
      if (!t[b].fp[k]) {
        t[b].fp[k] = fp;
        t[b].place[k] = place;
        return;
      }
}

warden_status warden_detect_dedupe_new(dedupe **out) {
  dedupe *dd = calloc(1, sizeof *dd);
  *out = NULL;
  if (!dd) return WARDEN_ERR_NOMEM;
  dd->cap = 1 << 16;
  dd->end = dd->live = dd->newest_from = dd->purge_base = LOG_START;
  dd->held = LOG_START >> LOG_BLOCK_BITS;
  if (!(dd->seen = map_new((dd->cap >> 3) * sizeof *dd->seen))) {
    free(dd);
    return WARDEN_ERR_NOMEM;
  }
  *out = dd;
  return WARDEN_OK;
}

void warden_detect_dedupe_free(dedupe *dd) {
  if (!dd) return;
  for (unsigned b = 0; b < LOG_BLOCKS; b++) free(dd->block[b]);
  for (unsigned s = 0; s < dd->nspare; s++) free(dd->spare[s]);
  map_free(dd->seen, (dd->cap >> 3) * sizeof *dd->seen);
  free(dd);
}

/* The blocks wholly before live, given back (a few kept for the next hours: fresh memory costs a
 * fault and a clearing a page). */
static void log_release(dedupe *dd) {
  uint32_t to = dd->live >> LOG_BLOCK_BITS;
  for (; dd->held != to; dd->held = (dd->held + 1) & (LOG_BLOCKS - 1)) {
    char *b = dd->block[dd->held];
    dd->block[dd->held] = NULL;
    if (b && dd->nspare < LOG_SPARES) dd->spare[dd->nspare++] = b;
    else free(b);
  }
}

/* Every record of the stream moves the horizon, in order, whether or not its id is checked here. */
static inline uint32_t dedupe_hour(int64_t start) { return (uint32_t)(start / 3600) & HOUR_MASK; }

static inline void dedupe_advance(dedupe *dd, int64_t start) {
  uint32_t h = dedupe_hour(start);
  uint32_t ahead = (h - dd->hour) & HOUR_MASK;
  if (!dd->started) {
    dd->hour = h;
    dd->started = true;
  } else if (ahead && ahead < (HOUR_MASK + 1) / 2) {
    dd->live = ahead == 1 ? dd->newest_from : dd->end;
    dd->newest_from = dd->end;
    dd->hour = h;
    log_release(dd);
  }
}

/* Rebuilds the table at cap lanes with the fresh entries only. */
static bool seen_rebuild(dedupe *dd, size_t cap) {
  seen_bucket *n = map_new((cap >> 3) * sizeof *n);
  if (!n) return false;
  size_t live = 0;
  for (size_t b = 0; b < dd->cap >> 3; b++) {
    unsigned m, empty, avail;
    bucket_masks(dd, &dd->seen[b], 0, &m, &empty, &avail);
    for (unsigned keep = ~avail & 0xFFu; keep; keep &= keep - 1, live++) {
      unsigned k = (unsigned)__builtin_ctz(keep);
      seen_place(n, cap, dd->seen[b].fp[k], dd->seen[b].place[k]);
    }
  }
  map_free(dd->seen, (dd->cap >> 3) * sizeof *dd->seen);
  dd->seen = n;
  dd->cap = cap;
  dd->n = live;
  dd->purge_base = dd->live;
  return true;
}

/* The stale entries dropped in place, when the table keeps its size: fresh memory is expensive here
 * (each new page is a fault and a clearing), and the table is megabytes. One pass in bucket order,
 * starting after a bucket with an empty lane (no lookup goes past it): a bucket's stale lanes are
 * emptied, and each fresh entry that had overflowed its home is taken out and put back from its
 * home, which lies in the part already passed, so it lands at or before where it was and no lookup
 * stops short of it. An entry in its home bucket stays where it is: most do. */
static void seen_purge(dedupe *dd) {
  size_t nb = dd->cap >> 3, b0 = 0, live = 0;
  unsigned m, empty, avail;
  for (;; b0++) { /* there is one: the table is at most three quarters full */
    bucket_masks(dd, &dd->seen[b0], 0, &m, &empty, &avail);
    if (empty) break;
  }
  for (size_t i = 1; i <= nb; i++) {
    size_t b = (b0 + i) & (nb - 1);
    seen_bucket *bk = &dd->seen[b];
    bucket_masks(dd, bk, 0, &m, &empty, &avail);
    for (unsigned x = avail & ~empty; x; x &= x - 1) bk->fp[__builtin_ctz(x)] = 0;
    for (unsigned keep = ~avail & 0xFFu; keep; keep &= keep - 1, live++) {
      unsigned k = (unsigned)__builtin_ctz(keep);
      uint32_t fp = bk->fp[k];
      if (seen_home(fp, dd->cap) == b) continue;
      bk->fp[k] = 0;
      seen_place(dd->seen, dd->cap, fp, bk->place[k]);
    }
  }
  dd->n = live;
  dd->purge_base = dd->live;
}

/* Makes room for a new entry: the stale ones dropped when the table is three quarters full (the
 * pass counts the live), and the table doubled while the live ones still fill half. They are dropped
 * too before the log's end could wrap round to a stale place (an append moves it by at most two
 * blocks, and the fresh span by at most LOG_LIVE_MAX), which would then look fresh again. */
static bool seen_room(dedupe *dd) {
  if (dd->end - dd->purge_base >= 2 * LOG_LIVE_MAX - 2 * LOG_BLOCK_UNITS) seen_purge(dd);
  if ((dd->n + 1) * 4 <= dd->cap * 3) return true;
  seen_purge(dd);
  size_t cap = dd->cap;
  while ((dd->n + 1) * 2 > cap) cap *= 2;
  return cap == dd->cap || (cap <= (size_t)1 << 32 && seen_rebuild(dd, cap));
}

static inline const char *log_at(const dedupe *dd, uint32_t place) {
  return dd->block[place >> LOG_BLOCK_BITS] + (size_t)(place & (LOG_BLOCK_UNITS - 1)) * 8;
}

/* The id appended to the log; its place in *place. False when out of memory, or when the horizon
 * would hold more than LOG_LIVE_MAX units (then the wrapping places could no longer tell the fresh
 * from the stale). */
static bool log_append(dedupe *dd, const char *id, uint32_t n, uint32_t *place) {
  size_t units = (4 + (size_t)n + 7) / 8;
  if (units > LOG_BLOCK_UNITS) return false;
  uint32_t off = dd->end & (LOG_BLOCK_UNITS - 1);
  uint32_t at = off + units > LOG_BLOCK_UNITS ? dd->end + (LOG_BLOCK_UNITS - off) : dd->end; /* never across blocks */
  if (at + (uint32_t)units - dd->live > LOG_LIVE_MAX) return false;
  char **b = &dd->block[at >> LOG_BLOCK_BITS];
  if (!*b) {
    if (!(*b = dd->nspare ? dd->spare[--dd->nspare] : big_alloc((size_t)LOG_BLOCK_UNITS * 8 + LOG_SLACK))) return false;
    char *next = !dd->nspare && prefault_wanted(dd->pf) ? big_alloc((size_t)LOG_BLOCK_UNITS * 8 + LOG_SLACK) : NULL;
    if (next) { /* the next block, made ready ahead (prefault_ask) */
      dd->spare[dd->nspare++] = next;
      prefault_ask(dd->pf, next, (size_t)LOG_BLOCK_UNITS * 8);
    }
  }
  char *p = *b + (size_t)(at & (LOG_BLOCK_UNITS - 1)) * 8;
  memcpy(p, &n, 4);
  /* a word at a time, the last one whole (a block has LOG_SLACK bytes past its end): most ids are a
   * few words, and a call of memcpy costs more than the copy */
  p += 4;
  size_t k = 0;
  for (; k + 8 <= n; k += 8) memcpy(p + k, id + k, 8);
  uint64_t w = warden_load_le(id + k, n - k);
  memcpy(p + k, &w, 8);
  *place = at;
  dd->end = at + (uint32_t)units;
  return true;
}

/* A call id's fingerprint: 32 bits of its hash, the low one set. */
static uint32_t seen_key(const warden_cdr *rec) { return (uint32_t)hash_bytes(rec->call_id.p, rec->call_id.n, 0xCA11) | 1u; }

/* True when the call id (fp: seen_key of it) was seen within the horizon; else it is remembered (in
 * the stream's newest hour: a late record is remembered as long as a timely one). -1: out of memory. */
static int dedupe_check(dedupe *dd, uint32_t fp, warden_strview id) {
  if (!seen_room(dd)) return -1;
  uint32_t n;
  size_t nb = dd->cap >> 3, b = seen_home(fp, dd->cap), slot = SIZE_MAX;
  bool was_empty = false;
  for (;; b = (b + 1) & (nb - 1)) {
    unsigned match, empty, avail;
    bucket_masks(dd, &dd->seen[b], fp, &match, &empty, &avail);
    for (; match; match &= match - 1) {
      const char *p = log_at(dd, dd->seen[b].place[__builtin_ctz(match)]);
      memcpy(&n, p, 4);
      if (n == id.n && !memcmp(p + 4, id.p, n)) return 1;
    }
    if (slot == SIZE_MAX && avail) { /* the first stale or empty lane of the chain takes the new entry */
      unsigned k = (unsigned)__builtin_ctz(avail);
      slot = b * 8 + k;
      was_empty = (empty >> k) & 1;
    }
    if (empty) break; /* no entry of this id lies further */
  }
  uint32_t place;
  if (!log_append(dd, id.p, id.n, &place)) return -1;
  dd->n += was_empty;
  dd->seen[slot >> 3].fp[slot & 7] = fp;
  dd->seen[slot >> 3].place[slot & 7] = place;
  return 0;
}

/* ---- snapshot ---- */
static snap_number *snap_find(const warden_detect_snapshot *s, const char *digits, size_t n) {
  if (!s || !s->nums_cap) return NULL;
  uint64_t key = hash_bytes(digits, n, 0x5AB) | 1;
  size_t i = key & (s->nums_cap - 1);
  while (s->nums[i].key) {
    if (s->nums[i].key == key && !strncmp(s->nums[i].digits, digits, n) && s->nums[i].digits[n] == '\0') return &s->nums[i];
    i = (i + 1) & (s->nums_cap - 1);
  }
  return NULL;
}

warden_status warden_detect_snapshot_load(warden_registry *r, warden_detect_snapshot **out) {
  sqlite3_stmt *q = NULL;
  warden_detect_snapshot *s = calloc(1, sizeof *s);
  *out = NULL;
  if (!s) return WARDEN_ERR_NOMEM;
  s->r = r;
  long long n = 0;
  if (sqlite3_prepare_v2(warden_registry_db(r), "SELECT count(*) FROM number", -1, &q, NULL) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  s->nums_cap = pow2_at_least((size_t)n * 2 + 16);
  s->nums = calloc(s->nums_cap, sizeof *s->nums);
  s->cons_cap = 4096;
  s->cons = calloc(s->cons_cap, sizeof *s->cons);
  if (!s->nums || !s->cons) goto oom;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "SELECT n.number, COALESCE(n.account_id, ''), n.province, u.slots, COALESCE(u.max_per_day, 0)"
                         " FROM number n LEFT JOIN number_usage u USING (number) WHERE n.state IN ('active','frozen','reserved')",
                         -1, &q, NULL))
    goto db;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *num = (const char *)sqlite3_column_text(q, 0);
    size_t len = strlen(num);
    if (len > 20) continue;
    uint64_t key = hash_bytes(num, len, 0x5AB) | 1;
    size_t i = key & (s->nums_cap - 1);
    while (s->nums[i].key) i = (i + 1) & (s->nums_cap - 1);
    snap_number *e = &s->nums[i];
    e->key = key;
    memcpy(e->digits, num, len + 1);
    snprintf(e->account, sizeof e->account, "%s", sqlite3_column_text(q, 1));
    snprintf(e->province, sizeof e->province, "%s", sqlite3_column_text(q, 2));
    if (sqlite3_column_type(q, 3) != SQLITE_NULL && !(e->slots = strdup((const char *)sqlite3_column_text(q, 3)))) goto oom;
    e->max_per_day = sqlite3_column_int64(q, 4);
    e->day = INT32_MIN;
    s->count++;
  }
  sqlite3_finalize(q);
  if (sqlite3_prepare_v2(warden_registry_db(r), "SELECT account_id, callee, granted, COALESCE(revoked, 0) FROM consent", -1, &q, NULL))
    goto db;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *acct = (const char *)sqlite3_column_text(q, 0), *callee = (const char *)sqlite3_column_text(q, 1);
    size_t an = (size_t)sqlite3_column_bytes(q, 0);
    if (!acct || !callee || strlen(callee) != 64) continue; /* a match key is 64 hex characters */
    snap_consent *c = calloc(1, sizeof *c + an);
    if (!c) goto oom;
    memcpy(c->account, acct, an);
    c->account_n = an;
    memcpy(c->callee, callee, 65);
    c->key = consent_hash(acct, an, callee);
    c->granted = sqlite3_column_int64(q, 2);
    c->revoked = sqlite3_column_int64(q, 3);
    size_t b = c->key & (s->cons_cap - 1);
    c->next = s->cons[b];
    s->cons[b] = c;
  }
  sqlite3_finalize(q);
  *out = s;
  return WARDEN_OK;
db:
  warden_registry_fail(r, WARDEN_ERR_DB, "snapshot: %s", sqlite3_errmsg(warden_registry_db(r)));
  sqlite3_finalize(q);
  warden_detect_snapshot_free(s);
  return WARDEN_ERR_DB;
oom:
  sqlite3_finalize(q);
  warden_detect_snapshot_free(s);
  return WARDEN_ERR_NOMEM;
}

void warden_detect_snapshot_free(warden_detect_snapshot *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nums_cap; i++) free(s->nums[i].slots);
  for (size_t i = 0; i < s->cons_cap; i++)
    for (snap_consent *c = s->cons ? s->cons[i] : NULL, *n; c; c = n) {
      n = c->next;
      free(c);
    }
  free(s->nums);
  free(s->cons);
  free(s);
}

size_t warden_detect_snapshot_numbers(const warden_detect_snapshot *s) { return s ? s->count : 0; }

/* Whether rec's account has consent from its callee in force at its start: the pair itself compared
 * (account bytes and the callee's match key), the hash only finds the bucket. */
static bool consent_in_force(const warden_detect_snapshot *s, const warden_cdr *rec) {
  char digits[24], hex[65];
  snprintf(digits, sizeof digits, "phone:%.*s", (int)rec->callee.n, rec->callee.p);
  warden_registry_match_hex(s->r, digits, hex);
  uint64_t k = consent_hash(rec->account.p, rec->account.n, hex);
  for (const snap_consent *c = s->cons[k & (s->cons_cap - 1)]; c; c = c->next)
    if (c->key == k && c->account_n == rec->account.n && !memcmp(c->account, rec->account.p, c->account_n) &&
        !memcmp(c->callee, hex, 65) && c->granted <= rec->start && (!c->revoked || c->revoked > rec->start))
      return true;
  return false;
}

/* ---- the engine ---- */
warden_status warden_detect_new_shard(const warden_detect_params *p, const warden_detect_snapshot *snap, unsigned shard,
                                      unsigned nshards, warden_detect **out) {
  warden_detect *d = calloc(1, sizeof *d);
  *out = NULL;
  if (!d) return WARDEN_ERR_NOMEM;
  d->p = *p;
  d->snap = snap;
  d->epoch = INT64_MIN;
  d->shard = shard;
  d->nshards = nshards ? nshards : 1;
  d->seg_div = 1;
  for (int64_t i = 0; i < p->segment_digits; i++) d->seg_div *= 10;
  if ((d->nshards == 1 && warden_detect_dedupe_new(&d->dd)) || !states_grow(d) || !days_grow(d)) {
    warden_detect_free(d);
    return WARDEN_ERR_NOMEM;
  }
  if (d->dd) d->dd->pf = &d->pf;
  if (!snap) {
    d->stats.skipped[WARDEN_RULE_SLOT] = true;
    /* TR-SPOOF, TR-RESTHOURS and TR-CROSSPROV run their registry-free parts */
  }
  *out = d;
  return WARDEN_OK;
}

warden_status warden_detect_new(const warden_detect_params *p, const warden_detect_snapshot *snap, warden_detect **out) {
  return warden_detect_new_shard(p, snap, 0, 1, out);
}

void warden_detect_free(warden_detect *d) {
  if (!d) return;
  for (size_t i = 0; i < d->states_cap; i++)
    if (d->states[i].klo) free(d->states[i].ext);
  for (unsigned c = 0; c < EXT_CLASSES; c++)
    while (d->spare[c]) {
      win_ext *x = d->spare[c];
      memcpy(&d->spare[c], x->e, sizeof d->spare[c]);
      free(x);
    }
  map_free(d->states, d->states_map);
  free(d->days);
  warden_detect_dedupe_free(d->dd);
  free(d->findings);
  free(d->scratch);
  free(d);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* The window moves to a ring of its own (cap entries, in order). */
static win_ext *ext_new(warden_detect *d, const win_entry *from, uint32_t n, uint32_t cap) {
  win_ext *x = ext_alloc(d, cap);
  if (!x) return NULL;
  x->head = 0;
  x->n = n;
  x->cap = cap;
  x->nshort = 0;
  for (uint32_t i = 0; i < n; i++) x->nshort += (x->e[i] = from[i]).callee >> 31;
  x->burst = -1;
  x->burst_last = 0;
  d->win_bytes += ext_bytes(x);
  return x;
}

/* TR-AUTODIAL on the subject's sliding window. */
static warden_status autodial(warden_detect *d, num_state *s, const warden_cdr *rec, const warden_detect_keys *k, uint32_t t,
                              bool is_short) {
  const warden_detect_params *p = &d->p;
  win_entry in = {t, k->callee_h | (is_short ? 0x80000000u : 0)};
  win_ext *x = s->ext;
  if (!x) { /* inline: drop the calls that left the window from the front, as the ring does */
    uint32_t gone = 0;
    uint32_t n = inl_n(s);
    while (gone < n && (int64_t)t - (int64_t)s->inl[gone].t >= p->autodial_window) gone++;
    if (gone) {
      memmove(s->inl, s->inl + gone, (n - gone) * sizeof(win_entry));
      n -= gone;
    }
    /* below autodial_calls the window cannot qualify: nothing more to do while it fits */
    if (n < WIN_INLINE && n + 1 < p->autodial_calls) {
      s->inl[n] = in;
      set_inl_n(s, n + 1);
      return WARDEN_OK;
    }
    if (!(x = s->ext = ext_new(d, s->inl, n, EXT_FIRST))) return WARDEN_ERR_NOMEM;
    set_inl_n(s, 0);
  } else {
    /* drop calls that left the window */
    while (x->n) {
      win_entry *e = &x->e[x->head];
      if ((int64_t)t - (int64_t)e->t < p->autodial_window) break;
      if (e->callee >> 31) x->nshort--;
      x->head = (x->head + 1) & (x->cap - 1);
      x->n--;
    }
    if (x->n < WIN_INLINE && x->burst < 0 && x->n + 1 < p->autodial_calls) { /* back inline: no burst to keep */
      for (uint32_t i = 0; i < x->n; i++) s->inl[i] = x->e[(x->head + i) & (x->cap - 1)];
      s->inl[x->n] = in;
      set_inl_n(s, x->n + 1);
      ext_free(d, x);
      s->ext = NULL;
      return WARDEN_OK;
    }
  }
  if (x->n == x->cap) { /* grow the ring, unrolled into order */
    win_ext *n = ext_alloc(d, x->cap * 2);
    if (!n) return WARDEN_ERR_NOMEM;
    uint32_t ncap = n->cap;
    *n = *x;
    for (uint32_t i = 0; i < x->n; i++) n->e[i] = x->e[(x->head + i) & (x->cap - 1)];
    n->cap = ncap;
    n->head = 0;
    d->win_bytes += ext_bytes(n);
    ext_free(d, x);
    x = s->ext = n;
  }
  x->e[(x->head + x->n) & (x->cap - 1)] = in;
  x->n++;
  x->nshort += is_short;
  bool holds = false;
  uint32_t distinct = 0;
  if (x->n >= p->autodial_calls && (int64_t)x->nshort * 100 >= p->autodial_short * (int64_t)x->n) {
    if (d->scratch_cap < x->n) {
      size_t nc = pow2_at_least(x->n);
      uint32_t *ns = realloc(d->scratch, nc * sizeof *ns);
      if (!ns) return WARDEN_ERR_NOMEM;
      d->scratch = ns;
      d->scratch_cap = nc;
    }
    for (uint32_t i = 0; i < x->n; i++) d->scratch[i] = x->e[(x->head + i) & (x->cap - 1)].callee & 0x7FFFFFFFu;
    qsort(d->scratch, x->n, sizeof *d->scratch, cmp_u32);
    for (uint32_t i = 0; i < x->n; i++) distinct += !i || d->scratch[i] != d->scratch[i - 1];
    holds = distinct >= p->autodial_callees;
  }
  if (!holds) return WARDEN_OK; /* the burst stays open: a dip below the marks is not its end */
  warden_finding *f;
  if (x->burst >= 0 && (int64_t)t - (int64_t)x->burst_last >= p->autodial_window) x->burst = -1; /* quiet a window */
  x->burst_last = t;
  if (x->burst < 0) {
    int64_t first = d->epoch + x->e[x->head].t;
    if (!(f = finding_new(d, WARDEN_RULE_AUTODIAL, rec->display.p, rec->display.n, rec, first, &x->burst)))
      return WARDEN_ERR_NOMEM;
    f->count = (long)x->n - 1; /* the calls before this one that filled the window */
  } else {
    f = &d->findings[x->burst];
  }
  finding_add(f, rec, 1);
  snprintf(f->evidence, sizeof f->evidence,
           "{\"window_calls\":%u,\"distinct_callees\":%u,\"short_calls\":%u,\"policy\":{\"window_s\":%lld,\"calls\":%lld,"
           "\"callees\":%lld,\"short_pct\":%lld,\"short_secs\":%lld}}",
           x->n, distinct, x->nshort, (long long)p->autodial_window, (long long)p->autodial_calls,
           (long long)p->autodial_callees, (long long)p->autodial_short, (long long)p->autodial_short_secs);
  return WARDEN_OK;
}

/* TR-SEGMENT on the subject's run of callees. */
static warden_status segment(warden_detect *d, num_state *s, const warden_cdr *rec, const warden_detect_keys *k, uint32_t t) {
  const warden_detect_params *p = &d->p;
  uint64_t v = k->callee_v;
  if (k->callee_n > 19) { s->seg_run = 0; return WARDEN_OK; }
  uint64_t diff = v > s->seg_last ? v - s->seg_last : s->seg_last - v;
  bool continues = s->seg_run && (s->lens & 31u) == k->callee_n && v / d->seg_div == s->seg_last / d->seg_div && diff >= 1 &&
                   diff <= (uint64_t)p->segment_step;
  if (continues) {
    s->seg_run++;
  } else {
    s->seg_run = 1;
    s->seg_mark = t;
  }
  s->seg_last = v;
  s->lens = (uint8_t)((s->lens & ~31u) | k->callee_n);
  int64_t need = p->segment_run > 1 ? p->segment_run : 1;
  if (s->seg_run < need) return WARDEN_OK;
  warden_finding *f;
  if (s->seg_run == need) { /* the run qualifies now: seg_mark turns from its start to its finding */
    int32_t idx;
    if (!(f = finding_new(d, WARDEN_RULE_SEGMENT, rec->display.p, rec->display.n, rec, d->epoch + s->seg_mark, &idx)))
      return WARDEN_ERR_NOMEM;
    s->seg_mark = (uint32_t)idx;
    f->count = (long)s->seg_run - 1;
  } else {
    f = &d->findings[s->seg_mark];
  }
  finding_add(f, rec, 1);
  snprintf(f->evidence, sizeof f->evidence,
           "{\"run\":%u,\"segment\":\"%.*s\",\"policy\":{\"run\":%lld,\"digits\":%lld,\"step\":%lld}}", s->seg_run,
           (int)(rec->callee.n - (uint32_t)p->segment_digits), rec->callee.p, (long long)p->segment_run,
           (long long)p->segment_digits, (long long)p->segment_step);
  return WARDEN_OK;
}

static int32_t cst_day(int64_t t) { return warden_date_of_utc(t); }
static int cst_minute(int64_t t) { return (int)((((t + WARDEN_CST_OFFSET) % 86400) + 86400) % 86400 / 60); }

/* The home province of a number, as 2 digits, or NULL: a fixed line's area code, else the registry. */
static const char *home_province(const warden_detect *d, const char *digits, size_t n, char buf[3]) {
  if (warden_numkind_of(digits, n) == WARDEN_NUM_FIXED) {
    char area[5];
    size_t alen = digits[1] == '1' || digits[1] == '2' ? 3 : 4; /* 010, 02x: two digits after the 0 */
    memcpy(area, digits, alen);
    area[alen] = '\0';
    if (warden_number_area_province(area, buf)) return buf;
  }
  const snap_number *e = snap_find(d->snap, digits, n);
  return e && e->province[0] ? e->province : NULL;
}

/* Adds one call to a per-window finding with its evidence. */
static warden_status per_window(warden_detect *d, warden_rule rule, warden_strview subj, int32_t wkey,
                                const warden_cdr *rec, const char *evidence_fmt, ...)
    __attribute__((format(printf, 6, 7)));
static warden_status per_window(warden_detect *d, warden_rule rule, warden_strview subj, int32_t wkey,
                                const warden_cdr *rec, const char *evidence_fmt, ...) {
  warden_finding *f = day_finding(d, rule, subj.p, subj.n, wkey, rec);
  if (!f) return WARDEN_ERR_NOMEM;
  finding_add(f, rec, 1);
  if (!f->account[0]) {
    const snap_number *e = snap_find(d->snap, subj.p, subj.n);
    if (e && e->account[0]) snprintf(f->account, sizeof f->account, "%s", e->account);
  }
  va_list ap;
  va_start(ap, evidence_fmt);
  vsnprintf(f->evidence, sizeof f->evidence, evidence_fmt, ap);
  va_end(ap);
  return WARDEN_OK;
}

typedef warden_detect_keys rec_keys; /* id: seen_key; lo, hi: number_key of the presented number */

/* A subject's hash, which picks its shard: the number's (as its state is keyed), or for what is not
 * a number key, its bytes'. */
static uint64_t subject_hash(const char *p, size_t n) {
  uint64_t lo;
  uint16_t hi;
  return number_key(p, n, &lo, &hi) ? number_hash(lo, hi) : hash_bytes(p, n, 0x5B);
}

/* The shard of a hash: its top bits, as the tables index by the low ones. */
static unsigned shard_of(uint64_t h, unsigned nshards) { return (unsigned)(((h >> 32) * nshards) >> 32); }

/* A call id's dedupe shard: its fingerprint's bits 1 to 10, as the table takes a home bucket from
 * the high ones (they meet only in tables of more than 2^21 buckets, 128 MB, and then only make a
 * shard's homes less even). */
static unsigned id_shard_of(uint32_t fp, unsigned nshards) { return (unsigned)((((fp >> 1) & 0x3FFu) * nshards) >> 10); }

/* The kinds of the presented and of the calling number. */
static inline warden_numkind key_dk(const rec_keys *k) { return (warden_numkind)(k->kinds & 15u); }
static inline warden_numkind key_ck(const rec_keys *k) { return (warden_numkind)(k->kinds >> 4); }

/* The presented number's hash, which picks its shard: subject_hash of it. */
static inline uint64_t key_hash(const rec_keys *k) { return (k->flags & WARDEN_KEY_NUM) ? number_hash(k->lo, k->hi) : k->lo; }

/* The record's call id: its copy in the keys when it is short, else the record's own. */
static inline warden_strview key_cid(const rec_keys *k, const warden_cdr *rec) {
  return k->cid_n <= WARDEN_KEY_CID ? (warden_strview){k->cid, k->cid_n} : rec->call_id;
}

static bool owns(const warden_detect *d, warden_strview subj) {
  return d->nshards == 1 || shard_of(subject_hash(subj.p, subj.n), d->nshards) == d->shard;
}

static void rec_keys_of(const warden_cdr *rec, rec_keys *k) {
  if (rec->reject) {
    k->flags = WARDEN_KEY_REJECT;
    return;
  }
  unsigned f = 0;
  k->id = seen_key(rec);
  /* a short call id copied: the dedupe then reads only the keys' line, not the record's nor its
   * text's (which, with --threads, another core wrote: each was a trip between the cores) */
  size_t cn = rec->call_id.n;
  k->cid_n = cn <= WARDEN_KEY_CID ? (uint8_t)cn : WARDEN_KEY_CID_LONG;
  if (cn <= WARDEN_KEY_CID) memcpy(k->cid, rec->call_id.p, cn);
  if (number_key(rec->display.p, rec->display.n, &k->lo, &k->hi)) {
    f |= WARDEN_KEY_NUM;
    k->nh = state_hash(k->lo, k->hi);
  } else {
    k->lo = hash_bytes(rec->display.p, rec->display.n, 0x5B); /* the shard's, as subject_hash */
    k->nh = 0;
    k->hi = 0;
  }
  k->start = rec->start;
  k->hops = (uint8_t)(rec->hops > 255 ? 255 : rec->hops < 0 ? 0 : rec->hops);
  if (rec->outbound) { /* what only the outbound rules read: an inbound leg is tested for TR-FWDCHAIN alone */
    f |= WARDEN_KEY_OUT;
    /* the reader checked the digits */
    k->kinds = (uint8_t)(warden_numkind_digits(rec->display.p, rec->display.n) |
                         warden_numkind_digits(rec->caller.p, rec->caller.n) << 4);
    k->callee_v = digits_value(rec->callee.p, rec->callee.n < 19 ? rec->callee.n : 19);
    k->callee_n = (uint8_t)(rec->callee.n > 255 ? 255 : rec->callee.n);
    k->callee_h = (uint32_t)hash_bytes(rec->callee.p, rec->callee.n, 0xCE) & 0x7FFFFFFFu;
    k->billsec = rec->billsec;
    k->origin = (uint8_t)(rec->origin_region > 0 && rec->origin_region < 256 ? rec->origin_region : 0);
    if (rec->display.p != rec->caller.p && /* an empty display is the caller's own view */
        (rec->display.n != rec->caller.n || memcmp(rec->display.p, rec->caller.p, rec->display.n)))
      f |= WARDEN_KEY_DIFFERS;
    if (rec->marketing) f |= WARDEN_KEY_MARKETING;
    if (rec->status == WARDEN_CDR_ANSWERED) f |= WARDEN_KEY_ANSWERED;
  } else {
    k->kinds = WARDEN_NUM_INVALID | WARDEN_NUM_INVALID << 4;
    k->callee_v = k->callee_h = k->callee_n = 0;
    k->billsec = 0;
    k->origin = 0;
  }
  if (rec->forwarded_from.n && warden_numkind_of(rec->forwarded_from.p, rec->forwarded_from.n) == WARDEN_NUM_SERVICE &&
      warden_numkind_of(rec->callee.p, rec->callee.n) == WARDEN_NUM_INTERNATIONAL)
    f |= WARDEN_KEY_FWD_INTL;
  k->flags = (uint8_t)f;
}

/* The engine's clock, on every record of the stream in every shard: the epoch and the newest time
 * are the same at every record whichever shard the engine is. */
static inline void feed_clock(warden_detect *d, int64_t start) {
  if (d->epoch == INT64_MIN) d->epoch = start - 86400;
  if (start > d->now) d->now = start;
}

/* A record whose subject may be a number other than the presented one, its hops aside: TR-FWDCHAIN
 * to an international callee, TR-400-OUT on a calling service number. */
static inline bool foreign_but_hops(const rec_keys *k) {
  return (k->flags & WARDEN_KEY_FWD_INTL) ||
         ((k->flags & WARDEN_KEY_OUT) && (key_dk(k) == WARDEN_NUM_SERVICE || key_ck(k) == WARDEN_NUM_SERVICE));
}

/* True when a record of another shard's presented number may still be this shard's business: a
 * rule whose subject is not the presented number (TR-FWDCHAIN, TR-400-OUT on the caller). */
static inline bool feed_foreign(const warden_detect *d, const rec_keys *k) {
  return k->hops >= d->p.fwd_hops || foreign_but_hops(k);
}

/* One record past the duplicate check. An engine of several shards does the presented number's
 * rules only for its own numbers, but keeps time on every record (see detect.h). */
static warden_status feed_one(warden_detect *d, const warden_cdr *rec, const rec_keys *k, bool mine) {
  const warden_detect_params *p = &d->p;
  warden_status st = WARDEN_OK;
  int64_t start = k->start;
  int64_t rel = start - d->epoch;
  uint32_t t = rel < 0 ? 0 : rel > UINT32_MAX ? UINT32_MAX : (uint32_t)rel;
  /* a finding's window, the CST day (cst_day), is worked out only where a rule fires: it is a call
   * into another file, which the compiler cannot put off itself */

  /* TR-FWDCHAIN: any direction */
  if (k->hops >= p->fwd_hops || (k->flags & WARDEN_KEY_FWD_INTL)) {
    warden_strview subj = rec->forwarded_from.n ? rec->forwarded_from : rec->display;
    if (owns(d, subj) && (st = per_window(d, WARDEN_RULE_FWDCHAIN, subj, cst_day(start), rec, "{\"hops\":%d,\"international_callee\":%s,\"policy\":{\"hops\":%lld}}",
                         rec->hops, warden_numkind_of(rec->callee.p, rec->callee.n) == WARDEN_NUM_INTERNATIONAL ? "true" : "false",
                         (long long)p->fwd_hops)))
      return st;
  }
  if (!(k->flags & WARDEN_KEY_OUT)) return WARDEN_OK;
  warden_numkind dk = key_dk(k), ck = key_ck(k);
  /* TR-400-OUT */
  if (dk == WARDEN_NUM_SERVICE || ck == WARDEN_NUM_SERVICE) {
    warden_strview subj = dk == WARDEN_NUM_SERVICE ? rec->display : rec->caller;
    if (owns(d, subj) && (st = per_window(d, WARDEN_RULE_400_OUT, subj, cst_day(start), rec, "{\"presented\":\"%.*s\",\"caller\":\"%.*s\"}",
                         (int)rec->display.n, rec->display.p, (int)rec->caller.n, rec->caller.p)))
      return st;
  }
  if (!mine) return WARDEN_OK; /* the rest is the presented number's */
  /* the presented number's state, here already: TR-CROSSPROV reads the home province it caches */
  num_state *s = NULL;
  if ((k->flags & WARDEN_KEY_NUM) && !(s = state_get(d, k->lo, k->hi, k->nh))) return WARDEN_ERR_NOMEM;
  /* a number idle for idle_evict by the stream's clock starts afresh, whether or not a sweep has
   * dropped its state yet: the answers never depend on when sweeps run */
  if (s && s->last_seen && (d->now - d->epoch) - (int64_t)s->last_seen >= p->idle_evict) state_restart(d, s);
  /* TR-SPOOF */
  if (k->flags & WARDEN_KEY_DIFFERS) {
    const char *why = NULL;
    if (dk == WARDEN_NUM_INVALID || dk == WARDEN_NUM_INTERNATIONAL) why = "not a valid Chinese number";
    else if (d->snap) {
      const snap_number *e = snap_find(d->snap, rec->display.p, rec->display.n);
      char acc[72];
      snprintf(acc, sizeof acc, "%.*s", (int)rec->account.n, rec->account.p);
      if (!acc[0]) {
        const snap_number *c = snap_find(d->snap, rec->caller.p, rec->caller.n);
        if (c) snprintf(acc, sizeof acc, "%s", c->account);
      }
      if (!e) why = "not in the inventory";
      else if (strcmp(e->account, acc)) why = "allocated to another account";
    }
    if (why && (st = per_window(d, WARDEN_RULE_SPOOF, rec->display, cst_day(start), rec, "{\"presented\":\"%.*s\",\"caller\":\"%.*s\",\"why\":\"%s\"}",
                                (int)rec->display.n, rec->display.p, (int)rec->caller.n, rec->caller.p, why)))
      return st;
  }
  /* TR-RESTHOURS: rest hours, or no consent; the marketing day runs from rest_to to rest_to */
  if (k->flags & WARDEN_KEY_MARKETING) {
    int minute = cst_minute(start);
    bool rest = p->rest_from > p->rest_to ? (minute >= p->rest_from || minute < p->rest_to)
                                          : (minute >= p->rest_from && minute < p->rest_to);
    bool no_consent = d->snap && !consent_in_force(d->snap, rec);
    if (rest || no_consent) {
      int32_t mday = cst_day(rec->start - p->rest_to * 60);
      if ((st = per_window(d, WARDEN_RULE_RESTHOURS, rec->display, mday, rec,
                           "{\"rest_hours\":%s,\"no_consent\":%s,\"consent_checked\":%s,\"policy\":{\"rest_from\":\"%02lld:%02lld\","
                           "\"rest_to\":\"%02lld:%02lld\"}}",
                           rest ? "true" : "false", no_consent ? "true" : "false", d->snap ? "true" : "false",
                           (long long)(p->rest_from / 60), (long long)(p->rest_from % 60), (long long)(p->rest_to / 60),
                           (long long)(p->rest_to % 60))))
        return st;
    }
  }
  /* TR-SLOT: declared usage of the presented number */
  if (d->snap) {
    snap_number *e = snap_find(d->snap, rec->display.p, rec->display.n);
    if (e && e->slots) {
      int32_t day = cst_day(start);
      if (e->day != day) { e->day = day; e->calls = 0; }
      e->calls++;
      bool outside = !warden_number_slot_allows(e->slots, cst_minute(rec->start));
      bool over = e->max_per_day > 0 && e->calls > e->max_per_day;
      if ((outside || over) &&
          (st = per_window(d, WARDEN_RULE_SLOT, rec->display, day, rec,
                           "{\"outside_slots\":%s,\"calls_today\":%lld,\"declared\":{\"slots\":\"%s\",\"max_per_day\":%lld}}",
                           outside ? "true" : "false", (long long)e->calls, e->slots, (long long)e->max_per_day)))
        return st;
    }
  }
  /* TR-CROSSPROV */
  if (k->origin) {
    char buf[3];
    const char *home;
    if (s && s->home && s->home != HOME_NONE) { /* the area code's province, looked up before */
      buf[0] = (char)('0' + s->home / 10);
      buf[1] = (char)('0' + s->home % 10);
      buf[2] = '\0';
      home = buf;
    } else if (s && s->home == HOME_NONE) { /* no area code's province: the registry's, if any */
      const snap_number *e = snap_find(d->snap, rec->display.p, rec->display.n);
      home = e && e->province[0] ? e->province : NULL;
    } else {
      home = home_province(d, rec->display.p, rec->display.n, buf);
      /* only the area code's answer is kept: the registry's may change (watch reloads it) */
      if (s && !s->home) s->home = home == buf && buf[0] >= '0' && buf[0] <= '9' && buf[1] >= '0' && buf[1] <= '9'
                                       ? (uint8_t)((buf[0] - '0') * 10 + (buf[1] - '0')) : HOME_NONE;
    }
    if (home && (home[0] - '0') * 10 + (home[1] - '0') != k->origin &&
        (st = per_window(d, WARDEN_RULE_CROSSPROV, rec->display, cst_day(start), rec, "{\"home\":\"%s\",\"entered\":\"%02d\"}", home,
                         k->origin)))
      return st;
  }
  /* the stateful rules of the presented number */
  if (!s) return WARDEN_OK;
  /* a run ends after idle_evict without a call, whether or not a sweep has dropped the state yet:
   * the rule must not depend on when sweeps happen to run */
  if (s->seg_run && (int64_t)t - (int64_t)s->last_seen >= p->idle_evict) s->seg_run = 0;
  s->last_seen = t;
  bool is_short = k->billsec < p->autodial_short_secs || !(k->flags & WARDEN_KEY_ANSWERED);
  if ((st = autodial(d, s, rec, k, t, is_short))) return st;
  if ((st = segment(d, s, rec, k, t))) return st;
  d->stats.state_bytes = d->states_cap * sizeof(num_state) + d->win_bytes;
  if (d->stats.state_bytes > d->stats.peak_state_bytes) d->stats.peak_state_bytes = d->stats.state_bytes;
  return WARDEN_OK;
}

void warden_detect_keys_of(const warden_cdr *recs, size_t n, warden_detect_keys *out) {
  for (size_t i = 0; i < n; i++) rec_keys_of(&recs[i], &out[i]);
}

/* Prefetching. Every record costs a cache miss or two in tables of megabytes (its call id's
 * dedupe slot, its number's state, a busy number's ring); fetched on demand they would wait one
 * after another. A record's slots are prefetched PF_AHEAD records before it is worked on, and its
 * ring PF_RING records before, once the state it is found through is in cache (the ring's address
 * is in the state). A rolling distance keeps a steady number of fetches in flight: a burst of a
 * hundred stalls on the prefetches themselves. */
enum { PF_AHEAD = 16, PF_RING = 6 };
enum { STATEFUL = WARDEN_KEY_REJECT | WARDEN_KEY_NUM | WARDEN_KEY_OUT };

static inline bool stateful(const rec_keys *k) { return (k->flags & STATEFUL) == (WARDEN_KEY_NUM | WARDEN_KEY_OUT); }

/* Only for a stateful record, whose nh is its number's hash. (Written with a helper that tests for
 * that, the prefetch was dropped by the compiler, GCC 12, and a scan took a fifth longer: count the
 * prefetcht0 in feed_run's code when this changes.) */
static inline void prefetch_state(const warden_detect *d, const rec_keys *k) {
  __builtin_prefetch(&d->states[k->nh & (d->states_cap - 1)]);
}

static inline void prefetch_seen(const dedupe *dd, uint32_t fp) { __builtin_prefetch(&dd->seen[seen_home(fp, dd->cap)]); }

static inline void prefetch_ring(const warden_detect *d, const rec_keys *k) {
  size_t j = k->nh & (d->states_cap - 1);
  while (d->states[j].klo && (d->states[j].klo != k->lo || d->states[j].khi != k->hi)) j = (j + 1) & (d->states_cap - 1);
  const win_ext *x = d->states[j].klo ? d->states[j].ext : NULL;
  if (x) { /* its head and first entries; where the window starts is in there, not to be waited for */
    __builtin_prefetch(x);
    __builtin_prefetch((const char *)x + 64);
  }
}

/* One engine: records with their keys (see the prefetching above). */
static warden_status feed_run(warden_detect *d, const warden_cdr *recs, const rec_keys *ks, size_t n) {
  for (size_t i = 0; i < n && i < PF_AHEAD; i++) {
    if (ks[i].flags & WARDEN_KEY_REJECT) continue;
    prefetch_seen(d->dd, ks[i].id);
    if (stateful(&ks[i])) prefetch_state(d, &ks[i]);
  }
  for (size_t i = 0; i < n; i++) {
    size_t a = i + PF_AHEAD, r = i + PF_RING;
    if (a < n && !(ks[a].flags & WARDEN_KEY_REJECT)) {
      prefetch_seen(d->dd, ks[a].id);
      if (stateful(&ks[a])) prefetch_state(d, &ks[a]);
    }
    if (r < n && stateful(&ks[r])) prefetch_ring(d, &ks[r]);
    if (ks[i].flags & WARDEN_KEY_REJECT) continue;
    dedupe_advance(d->dd, ks[i].start);
    int dup = dedupe_check(d->dd, ks[i].id, key_cid(&ks[i], &recs[i]));
    if (dup < 0) return WARDEN_ERR_NOMEM;
    feed_clock(d, ks[i].start); /* duplicates too: the clock follows every record read */
    if (dup) {
      d->stats.duplicates++;
      continue;
    }
    d->stats.records++;
    d->sorted = false;
    warden_status st = feed_one(d, &recs[i], &ks[i], true);
    if (st) return st;
  }
  return WARDEN_OK;
}

warden_status warden_detect_feed(warden_detect *d, const warden_cdr *rec) {
  rec_keys k;
  if (d->nshards != 1) return WARDEN_ERR_USAGE; /* a shard is fed with warden_detect_feed_shard */
  if (rec->reject) return WARDEN_OK;
  rec_keys_of(rec, &k);
  return feed_run(d, rec, &k, 1);
}

/* A batch: the keys first, then feed_run. */
warden_status warden_detect_feed_batch(warden_detect *d, const warden_cdr *recs, size_t n) {
  enum { CHUNK = 512 };
  _Alignas(64) rec_keys keys[CHUNK]; /* a record's keys on one cache line */
  if (d->nshards != 1) return WARDEN_ERR_USAGE;
  for (size_t base = 0; base < n; base += CHUNK) {
    size_t m = n - base < CHUNK ? n - base : CHUNK;
    warden_detect_keys_of(recs + base, m, keys);
    warden_status st = feed_run(d, recs + base, keys, m);
    if (st) return st;
  }
  return WARDEN_OK;
}

warden_status warden_detect_feed_keyed(warden_detect *d, const warden_cdr *recs, const warden_detect_keys *keys, size_t n) {
  if (d->nshards != 1) return WARDEN_ERR_USAGE;
  return feed_run(d, recs, keys, n);
}

/* A task list's entry: its record's index and its kind (WARDEN_TASK_*). */
static inline size_t task_rec(uint32_t e) { return e >> 2; }
static inline unsigned task_kind(uint32_t e) { return e & 3; }

void warden_detect_tasks_of(const warden_detect_keys *keys, size_t n, unsigned nshards, uint32_t *const *ids, size_t *nids,
                            uint32_t *const *nums, size_t *nnums) {
  if (!nshards) nshards = 1;
  for (unsigned s = 0; s < nshards; s++) nids[s] = nnums[s] = 0;
  bool first = true;
  uint32_t hour = 0;
  int64_t newest = 0;
  for (size_t i = 0; i < n; i++) {
    const rec_keys *k = &keys[i];
    if (k->flags & WARDEN_KEY_REJECT) continue;
    uint32_t h = dedupe_hour(k->start), at = (uint32_t)i << 2;
    bool hour_moves = first || h != hour, clock_moves = first || k->start > newest;
    first = false;
    hour = h;
    if (clock_moves) newest = k->start;
    unsigned is = id_shard_of(k->id, nshards), ns = shard_of(key_hash(k), nshards);
    bool foreign = k->hops > 0 || foreign_but_hops(k); /* a superset of feed_foreign, which needs the policy */
    /* written whether or not the record goes on the list, the count moved only when it does: the
     * shards fall at random, and branches on them mispredicted (a list has room for every record) */
    uint32_t other = foreign ? WARDEN_TASK_FOREIGN : WARDEN_TASK_CLOCK;
    for (unsigned s = 0; s < nshards; s++) {
      ids[s][nids[s]] = at | (s == is ? WARDEN_TASK_OWN : WARDEN_TASK_CLOCK);
      nids[s] += (s == is) | hour_moves;
      nums[s][nnums[s]] = at | (s == ns ? WARDEN_TASK_OWN : other);
      nnums[s] += (s == ns) | foreign | clock_moves;
    }
  }
}

/* A shard engine: the records of its list (see detect.h). */
warden_status warden_detect_feed_shard(warden_detect *d, const warden_cdr *recs, const warden_detect_keys *ks,
                                       const uint32_t *tasks, size_t m, const uint8_t *const *dups) {
  for (size_t t = 0; t < m && t < PF_AHEAD; t++)
    if (task_kind(tasks[t]) == WARDEN_TASK_OWN && stateful(&ks[task_rec(tasks[t])])) prefetch_state(d, &ks[task_rec(tasks[t])]);
  for (size_t t = 0; t < m; t++) {
    size_t a = t + PF_AHEAD, r = t + PF_RING;
    if (a < m && task_kind(tasks[a]) == WARDEN_TASK_OWN && stateful(&ks[task_rec(tasks[a])])) prefetch_state(d, &ks[task_rec(tasks[a])]);
    if (r < m && task_kind(tasks[r]) == WARDEN_TASK_OWN && stateful(&ks[task_rec(tasks[r])])) prefetch_ring(d, &ks[task_rec(tasks[r])]);
    size_t i = task_rec(tasks[t]);
    unsigned kind = task_kind(tasks[t]);
    feed_clock(d, ks[i].start);
    if (kind == WARDEN_TASK_CLOCK) continue;
    bool dup = false, mine = kind == WARDEN_TASK_OWN;
    for (unsigned sh = 0; sh < d->nshards; sh++) dup |= dups[sh][i] != 0;
    if (dup) { /* counted once, by the presented number's shard */
      d->stats.duplicates += mine;
      continue;
    }
    if (!mine && !feed_foreign(d, &ks[i])) continue;
    d->stats.records += mine;
    d->sorted = false;
    warden_status st = feed_one(d, &recs[i], &ks[i], mine);
    if (st) return st;
  }
  return WARDEN_OK;
}

warden_status warden_detect_dedupe_mark(dedupe *dd, const warden_cdr *recs, const warden_detect_keys *keys, size_t n,
                                        const uint32_t *tasks, size_t m, uint8_t *dup) {
  memset(dup, 0, n);
  for (size_t t = 0; t < m && t < PF_AHEAD; t++)
    if (task_kind(tasks[t]) == WARDEN_TASK_OWN) prefetch_seen(dd, keys[task_rec(tasks[t])].id);
  for (size_t t = 0; t < m; t++) {
    size_t a = t + PF_AHEAD;
    if (a < m && task_kind(tasks[a]) == WARDEN_TASK_OWN) prefetch_seen(dd, keys[task_rec(tasks[a])].id);
    size_t i = task_rec(tasks[t]);
    dedupe_advance(dd, keys[i].start); /* every hour the stream moves through */
    if (task_kind(tasks[t]) != WARDEN_TASK_OWN) continue;
    int r = dedupe_check(dd, keys[i].id, key_cid(&keys[i], &recs[i]));
    if (r < 0) return WARDEN_ERR_NOMEM;
    dup[i] = (uint8_t)r;
  }
  return WARDEN_OK;
}

warden_status warden_detect_merge(warden_detect *into, const warden_detect *from) {
  size_t need = into->nfindings + from->nfindings;
  if (need > into->findings_cap) {
    warden_finding *nf = realloc(into->findings, need * sizeof *nf);
    if (!nf) return WARDEN_ERR_NOMEM;
    into->findings = nf;
    into->findings_cap = need;
  }
  if (from->nfindings) memcpy(into->findings + into->nfindings, from->findings, from->nfindings * sizeof *from->findings);
  into->nfindings = need;
  into->sorted = false;
  warden_detect_stats *a = &into->stats;
  const warden_detect_stats *b = &from->stats;
  a->records += b->records;
  a->duplicates += b->duplicates;
  for (int r = 0; r < WARDEN_RULE__COUNT; r++) a->findings[r] += b->findings[r];
  /* the shards' numbers are disjoint; their peaks need not coincide, so the sum bounds the peak */
  a->tracked += b->tracked;
  a->peak_tracked += b->peak_tracked;
  a->state_bytes += b->state_bytes;
  a->peak_state_bytes += b->peak_state_bytes;
  return WARDEN_OK;
}

static int cmp_findings(const void *a, const void *b) {
  const warden_finding *x = a, *y = b;
  if (x->rule != y->rule) return x->rule < y->rule ? -1 : 1;
  int c = strcmp(x->subject, y->subject);
  if (c) return c;
  if (x->first != y->first) return x->first < y->first ? -1 : 1;
  /* ties (two runs of one number starting in the same second): the rest decides, so that the order
   * is a function of the findings alone, whichever engine or shard found them */
  if (x->last != y->last) return x->last < y->last ? -1 : 1;
  if (x->count != y->count) return x->count < y->count ? -1 : 1;
  if (x->nsamples != y->nsamples) return x->nsamples < y->nsamples ? -1 : 1;
  for (int i = 0; i < x->nsamples; i++)
    if ((c = strcmp(x->samples[i], y->samples[i]))) return c;
  if ((c = strcmp(x->account, y->account))) return c;
  return strcmp(x->evidence, y->evidence);
}

warden_status warden_detect_finish(warden_detect *d, const warden_finding **out, size_t *n) {
  if (!d->sorted && d->nfindings) {
    qsort(d->findings, d->nfindings, sizeof *d->findings, cmp_findings);
    /* the open indexes point into the old order: nothing may be fed after finish */
    for (size_t i = 0; i < d->states_cap; i++)
      if (d->states[i].klo) { /* open runs and bursts end: their indexes point into the old order */
        d->states[i].seg_run = 0;
        if (d->states[i].ext) d->states[i].ext->burst = -1;
      }
    memset(d->days, 0, d->days_cap * sizeof *d->days);
    d->days_n = 0;
  }
  d->sorted = true;
  *out = d->findings;
  *n = d->nfindings;
  return WARDEN_OK;
}

bool warden_detect_prefault(warden_detect *d) {
  enum { STEP = 2u << 20 }; /* a huge page a call: a thread between two chunks of its own work is not held up long */
  prefault_ring *r = &d->pf;
  atomic_store_explicit(&r->drained, true, memory_order_relaxed);
  if (atomic_exchange_explicit(&r->busy, true, memory_order_acquire)) return false;
  size_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
  bool any = t != atomic_load_explicit(&r->head, memory_order_acquire);
  if (any) { /* the oldest request: its next STEP bytes (the reader alone moves a request's start) */
    uintptr_t from = (uintptr_t)r->q[t % PREFAULT_RING].p, end = from + r->q[t % PREFAULT_RING].n;
    uintptr_t to = end - from > STEP ? from + STEP : end;
    uintptr_t a = (from + 4095) & ~(uintptr_t)4095, b = to & ~(uintptr_t)4095; /* the whole pages within */
#ifdef MADV_POPULATE_WRITE
    if (b > a) madvise((void *)a, b - a, MADV_POPULATE_WRITE); /* an old kernel: EINVAL, no harm */
#endif
    r->q[t % PREFAULT_RING].p = (char *)to;
    r->q[t % PREFAULT_RING].n = end - to;
    if (to == end) atomic_store_explicit(&r->tail, t + 1, memory_order_release);
  }
  atomic_store_explicit(&r->busy, false, memory_order_release);
  return any;
}

void warden_detect_stats_get(const warden_detect *d, warden_detect_stats *out) { *out = d->stats; }

const warden_finding *warden_detect_new_findings(const warden_detect *d, size_t *seen, size_t *n) {
  size_t from = *seen < d->nfindings ? *seen : d->nfindings;
  *n = d->nfindings - from;
  *seen = d->nfindings;
  return d->findings + from;
}

void warden_detect_set_snapshot(warden_detect *d, const warden_detect_snapshot *snap) {
  d->snap = snap;
  d->stats.skipped[WARDEN_RULE_SLOT] = snap == NULL;
}
