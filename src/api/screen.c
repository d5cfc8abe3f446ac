/* screen.c — call screening for the switch, from memory: a snapshot of the number inventory (state,
 * holder, kind, outbound display, declared usage) in one open-addressing table, swapped whole when
 * a write through the API changes numbers or on SIGHUP; the route never touches SQLite.
 *
 *   order  check                                                       decision  rule
 *   -----  ----------------------------------------------------------  --------  -----------
 *   1      caller or display frozen (the number's lifecycle)           deny      NUM-CATALOG
 *   2      a 400/800 display, or a call placed from a 400/800 number   deny      TR-400-OUT
 *          (outbound display is never on for them: NUM-OUTBOUND)
 *   3      display not a valid Chinese number                          deny      TR-SPOOF
 *   4      display != caller and the display is not active under the   deny      TR-SPOOF
 *          caller's account (not in the inventory, not held, held by
 *          another account)
 *   5      display in the inventory but not active                     deny      NUM-CATALOG
 *   6      the display's declared slots do not hold now (CST), or its   deny      TR-SLOT
 *          declared daily maximum is reached (NUM-USAGE)
 *   -      otherwise                                                   allow     -
 *
 * Allowed calls are counted per number and day (CST) for the daily maximum; the counts survive a
 * reload. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../cdr/cdr.h"
#include "../numbers/numbers.h"
#include "api_int.h"

enum { ST_ACTIVE, ST_FROZEN, ST_OTHER };

typedef struct screen_entry {
  uint64_t key; /* 0: empty */
  char digits[21];
  char account[72];
  uint8_t state;
  bool service, outbound;
  uint8_t nslots;
  warden_number_slot *slots; /* NULL when no usage declared */
  int64_t max_per_day;
  atomic_ullong day_calls;   /* CST day << 32 | allowed calls that day */
} screen_entry;

struct api_screen {
  screen_entry *v;
  size_t cap, n; /* cap a power of two */
};

static uint64_t key_of(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  h ^= h >> 29;
  return h | 1;
}

static const screen_entry *find(const api_screen *s, const char *digits) {
  size_t n = strlen(digits);
  if (!s || !s->cap || n > 20) return NULL;
  uint64_t k = key_of(digits, n);
  for (size_t i = k & (s->cap - 1); s->v[i].key; i = (i + 1) & (s->cap - 1))
    if (s->v[i].key == k && !strcmp(s->v[i].digits, digits)) return &s->v[i];
  return NULL;
}

void api_screen_free(api_screen *s) {
  if (!s) return;
  for (size_t i = 0; i < s->cap; i++) free(s->v[i].slots);
  free(s->v);
  free(s);
}

size_t api_screen_count(const api_screen *s) { return s ? s->n : 0; }

warden_status api_screen_load(warden_registry *r, const api_screen *prev, api_screen **out) {
  sqlite3 *db = warden_registry_db(r);
  sqlite3_stmt *q = NULL;
  api_screen *s = calloc(1, sizeof *s);
  long long n = 0;
  *out = NULL;
  if (!s) return WARDEN_ERR_NOMEM;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM number", -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  q = NULL;
  s->cap = 64;
  while (s->cap < (size_t)n * 2 + 16) s->cap *= 2;
  if (!(s->v = calloc(s->cap, sizeof *s->v))) goto oom;
  if (sqlite3_prepare_v2(db,
                         "SELECT n.number, COALESCE(n.account_id, ''), n.state, n.kind, n.outbound_display, u.slots,"
                         " COALESCE(u.max_per_day, 0) FROM number n LEFT JOIN number_usage u USING (number)",
                         -1, &q, NULL))
    goto db;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const char *num = (const char *)sqlite3_column_text(q, 0);
    size_t len = num ? strlen(num) : 0;
    if (!len || len > 20) continue;
    uint64_t k = key_of(num, len);
    size_t i = k & (s->cap - 1);
    while (s->v[i].key) i = (i + 1) & (s->cap - 1);
    screen_entry *e = &s->v[i];
    e->key = k;
    memcpy(e->digits, num, len + 1);
    snprintf(e->account, sizeof e->account, "%s", sqlite3_column_text(q, 1));
    const char *state = (const char *)sqlite3_column_text(q, 2);
    e->state = state && !strcmp(state, "active") ? ST_ACTIVE : state && !strcmp(state, "frozen") ? ST_FROZEN : ST_OTHER;
    const char *kind = (const char *)sqlite3_column_text(q, 3);
    e->service = kind && (!strcmp(kind, "400") || !strcmp(kind, "800"));
    e->outbound = sqlite3_column_int(q, 4) != 0;
    if (sqlite3_column_type(q, 5) != SQLITE_NULL) {
      warden_number_slot slots[WARDEN_NUMBER_MAX_SLOTS];
      size_t ns = 0;
      /* a declaration that does not parse allows nothing (fails closed, as the detector does) */
      if (warden_number_slots_parse((const char *)sqlite3_column_text(q, 5), slots, &ns, NULL, 0)) ns = 0;
      if (!(e->slots = calloc(ns ? ns : 1, sizeof *e->slots))) goto oom;
      memcpy(e->slots, slots, ns * sizeof *slots);
      e->nslots = (uint8_t)ns;
    }
    e->max_per_day = sqlite3_column_int64(q, 6);
    const screen_entry *old = find(prev, e->digits);
    atomic_init(&e->day_calls, old ? atomic_load_explicit(&old->day_calls, memory_order_relaxed) : 0);
    s->n++;
  }
  if (rc != SQLITE_DONE) goto db;
  sqlite3_finalize(q);
  *out = s;
  return WARDEN_OK;
db:
  sqlite3_finalize(q);
  api_screen_free(s);
  return warden_registry_fail(r, WARDEN_ERR_DB, "screening snapshot: %s", sqlite3_errmsg(db));
oom:
  sqlite3_finalize(q);
  api_screen_free(s);
  return WARDEN_ERR_NOMEM;
}

/* A number from the switch: national digits when warden_number_parse reads it, else the digits as
 * sent ("+" becomes the international "00" unless it is +86). False when it holds anything else. */
static bool screen_number(const char *in, char out[24]) {
  warden_number_id id;
  size_t n = strlen(in), w = 0;
  if (!n || n > 24) return false;
  if (warden_number_parse(in, &id, NULL, 0) == WARDEN_OK) {
    snprintf(out, 24, "%s", id.digits);
    return true;
  }
  const char *p = in;
  if (*p == '+') {
    p++;
    if (!strncmp(p, "86", 2)) p += 2;
    else {
      out[w++] = '0';
      out[w++] = '0';
    }
  }
  for (; *p; p++) {
    if (*p == ' ' || *p == '-') continue;
    if (*p < '0' || *p > '9' || w >= 22) return false;
    out[w++] = *p;
  }
  out[w] = '\0';
  return w > 0;
}

enum { R_NONE, R_CATALOG, R_400, R_SPOOF, R_SLOT };
static const char *const rule_names[] = {NULL, "NUM-CATALOG", "TR-400-OUT", "TR-SPOOF", "TR-SLOT"};

static bool slot_holds(const screen_entry *e, int minute) {
  for (size_t i = 0; i < e->nslots; i++)
    if (minute >= e->slots[i].start && minute < e->slots[i].end) return true;
  return false;
}

/* The decision: R_NONE allows. why gets the sentence. */
static int decide(const api_screen *s, const char *caller, const char *display, int64_t now, char *why, size_t cap) {
  const screen_entry *c = find(s, caller), *d = find(s, display);
  warden_numkind dk = warden_numkind_of(display, strlen(display));
  warden_numkind ck = warden_numkind_of(caller, strlen(caller));
  if (c && c->state == ST_FROZEN) {
    snprintf(why, cap, "the caller %s is frozen", caller);
    return R_CATALOG;
  }
  if (d && d->state == ST_FROZEN) {
    snprintf(why, cap, "the display %s is frozen", display);
    return R_CATALOG;
  }
  if ((dk == WARDEN_NUM_SERVICE && !(d && d->outbound)) || (d && d->service && !d->outbound)) {
    snprintf(why, cap, "a 400/800 number is never displayed on outbound calls (NUM-OUTBOUND)");
    return R_400;
  }
  if (ck == WARDEN_NUM_SERVICE) {
    snprintf(why, cap, "an outbound call placed from a 400/800 number (NUM-OUTBOUND)");
    return R_400;
  }
  if (dk == WARDEN_NUM_INVALID || dk == WARDEN_NUM_INTERNATIONAL) {
    snprintf(why, cap, "the display %s is not a valid Chinese number", display);
    return R_SPOOF;
  }
  if (strcmp(caller, display)) {
    if (!d || d->state != ST_ACTIVE || !d->account[0]) {
      snprintf(why, cap, "the display %s is not allocated to the caller's account", display);
      return R_SPOOF;
    }
    if (!c || strcmp(c->account, d->account)) {
      snprintf(why, cap, "the display %s is allocated to another account than the caller's", display);
      return R_SPOOF;
    }
  }
  if (d && d->state != ST_ACTIVE) {
    snprintf(why, cap, "the display %s is not in service", display);
    return R_CATALOG;
  }
  if (d && d->slots) {
    int64_t local = now + WARDEN_CST_OFFSET;
    int minute = (int)(((local % 86400) + 86400) % 86400 / 60);
    if (!slot_holds(d, minute)) {
      snprintf(why, cap, "%02d:%02d is outside the declared time slots of %s (NUM-USAGE)", minute / 60, minute % 60,
               display);
      return R_SLOT;
    }
    if (d->max_per_day > 0) {
      uint64_t day = (uint64_t)(uint32_t)warden_date_of_utc(now);
      screen_entry *m = (screen_entry *)d; /* the counter is the one mutable field */
      unsigned long long cur = atomic_load_explicit(&m->day_calls, memory_order_relaxed), next;
      do {
        uint64_t calls = (cur >> 32) == day ? (cur & 0xffffffffu) : 0;
        if ((int64_t)calls >= d->max_per_day) {
          snprintf(why, cap, "%s reached its declared maximum of %lld calls today (NUM-USAGE)", display,
                   (long long)d->max_per_day);
          return R_SLOT;
        }
        next = day << 32 | (calls + 1);
      } while (!atomic_compare_exchange_weak_explicit(&m->day_calls, &cur, next, memory_order_relaxed,
                                                      memory_order_relaxed));
    }
  }
  snprintf(why, cap, "no rule forbids the call");
  return R_NONE;
}

void api_h_screen(api_req *q) {
  const char *caller = api_query(q, "caller"), *display = api_query(q, "display"), *callee = api_query(q, "callee");
  char cn[24], dn[24], en[24], why[200];
  if (!caller || !display) {
    api_error(q, 400, "caller and display are required");
    return;
  }
  if (!screen_number(caller, cn) || !screen_number(display, dn) || (callee && !screen_number(callee, en))) {
    api_error(q, 400, "caller, display and callee are telephone numbers: digits, with '+', blanks or dashes");
    return;
  }
  int64_t now = warden_now();
  pthread_rwlock_rdlock(&q->api->snap_lock);
  int rule = decide(q->api->screen, cn, dn, now, why, sizeof why);
  pthread_rwlock_unlock(&q->api->snap_lock);
  api_metrics_screen(q->api, rule);
  warden_buf *b = &q->out->body;
  warden_buf_reset(b);
  /* every byte of why is ours or normalised digits: no escaping needed */
  if (rule == R_NONE)
    warden_buf_addf(b, "{\"decision\":\"allow\",\"rule\":null,\"reason\":\"%s\"}", why);
  else
    warden_buf_addf(b, "{\"decision\":\"deny\",\"rule\":\"%s\",\"reason\":\"%s\"}", rule_names[rule], why);
  q->out->status = 200;
  q->out->content_type = "application/json";
  q->out->cache_control = "no-store";
}
