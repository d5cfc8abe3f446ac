/* calls_gen.c — `warden gen calls`: a stream of call records in native CSV, in time order, with
 * background traffic that breaks no rule and planted violations listed in a truth file.
 *
 * Background: M presenting numbers (mobiles 13x-19x, and fixed lines of 12 area codes whose
 * origin_region is their own province), about 20 to an account; calls arrive with a day-shaped
 * rate (peaks at 10:00 and 15:00, quiet at night), 70 % answered, talk times log-normal around a
 * minute, 3 % forwarded legs (one hop), marketing calls only between 09:00 and 20:00, one call in a
 * thousand repeated with the same call id, one in ten thousand malformed.
 *
 * Plants (each one is one finding, on subjects from number ranges the background never uses):
 *
 *   rule          planted as
 *   ------------  -------------------------------------------------------------------------------
 *   TR-400-OUT    3 outbound calls presenting a 400 number
 *   TR-SPOOF      3 outbound calls presenting a short code or a foreign number
 *   TR-AUTODIAL   75 calls in 40 minutes to 70 distinct callees, 80 % under 6 s
 *   TR-SEGMENT    25 calls to one number segment, callees 1-7 apart
 *   TR-RESTHOURS  4 marketing calls between 21:30 and 23:00
 *   TR-CROSSPROV  3 calls from a Guangzhou fixed line entering the network in Beijing (11)
 *   TR-FWDCHAIN   2 legs forwarded 3 times, or a 400 number forwarded to an international callee
 *
 * TR-SLOT needs declared usage in the registry: it is not planted in a registry-free stream. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

typedef struct gen_call {
  int64_t start;
  char id[24], caller[24], display[24], callee[24], fwd[24], account[16];
  int duration, billsec, hops, region;
  bool out, marketing;
  const char *status;
} gen_call;

static int cmp_calls(const void *a, const void *b) {
  const gen_call *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return strcmp(x->id, y->id);
}

static void write_call(FILE *f, const gen_call *c) {
  char t[32];
  int64_t local = c->start + WARDEN_CST_OFFSET;
  int32_t day = (int32_t)(local / 86400);
  int secs = (int)(local % 86400);
  warden_date_format(day, t);
  fprintf(f, "%s,%sT%02d:%02d:%02d+08:00,%s,%s,%s,%s,%d,%d,%s,%s,", c->id, t, secs / 3600, secs / 60 % 60, secs % 60,
          c->caller, strcmp(c->display, c->caller) ? c->display : "", c->callee, c->out ? "out" : "in", c->duration,
          c->billsec, c->status, c->account);
  if (c->region) fprintf(f, "%02d", c->region);
  fprintf(f, ",%s,%d,%d\n", c->fwd, c->hops, c->marketing ? 1 : 0);
}

static const struct { const char *area; int province; } areas[] = {
    {"010", 11}, {"020", 44}, {"021", 31}, {"022", 12}, {"023", 50}, {"024", 21},
    {"025", 32}, {"027", 42}, {"028", 51}, {"029", 61}, {"0755", 44}, {"0571", 33},
};

/* The n-th background presenting number: two in three mobiles, the rest fixed lines. */
static void background_number(uint64_t n, char out[24], int *region) {
  uint64_t h = n * 0x9E3779B97F4A7C15ull;
  if (n % 3) {
    static const char *const pre[] = {"135", "136", "138", "139", "150", "151", "158", "186", "187", "189"};
    snprintf(out, 24, "%s%08llu", pre[h % 10], (unsigned long long)(n * 7919 % 100000000));
    *region = 0;
  } else {
    size_t a = (size_t)(h >> 20) % 12;
    int digits = strlen(areas[a].area) == 3 ? 8 : 7;
    snprintf(out, 24, "%s%0*llu", areas[a].area, digits,
             (unsigned long long)(2000000 + n * 104729 % (digits == 8 ? 80000000 : 7000000)));
    *region = areas[a].province;
  }
}

static void random_callee(warden_rng *g, char out[24]) {
  static const char *const pre[] = {"130", "131", "132", "133", "137", "152", "153", "155", "156", "176", "177", "182"};
  snprintf(out, 24, "%s%08u", pre[warden_rng_below(g, 12)], (unsigned)warden_rng_below(g, 100000000));
}

/* Seconds of the day by the traffic's shape: peaks at 10:00 and 15:00, little at night. */
static int day_second(warden_rng *g) {
  for (;;) {
    double x = warden_rng_unit(g) * 24.0;
    double w = 0.05 + 0.95 * (exp(-pow((x - 10.0) / 1.8, 2)) + 0.9 * exp(-pow((x - 15.0) / 2.0, 2)));
    if (x < 7.5 || x > 21.5) w = 0.02;
    if (warden_rng_unit(g) < w) return (int)(x * 3600.0);
  }
}

typedef struct plant_set {
  gen_call *calls;
  size_t n, cap;
  FILE *truth;
  long counter;
} plant_set;

static gen_call *plant_add(plant_set *ps) {
  if (ps->n == ps->cap) {
    size_t nc = ps->cap ? ps->cap * 2 : 1024;
    gen_call *n = realloc(ps->calls, nc * sizeof *n);
    if (!n) return NULL;
    ps->calls = n;
    ps->cap = nc;
  }
  gen_call *c = &ps->calls[ps->n++];
  memset(c, 0, sizeof *c);
  snprintf(c->id, sizeof c->id, "p-%07ld", ps->counter++);
  c->out = true;
  c->status = "answered";
  c->duration = 60;
  c->billsec = 50;
  snprintf(c->account, sizeof c->account, "acct-plant");
  return c;
}

warden_status warden_gen_calls(const warden_gen_calls_opts *o, warden_gen_calls_stats *stats, char *err, size_t errcap) {
  warden_rng g;
  warden_status st = WARDEN_OK;
  FILE *out = NULL, *truth = NULL;
  plant_set ps = {0};
  memset(stats, 0, sizeof *stats);
  warden_rng_seed(&g, o->seed);
  out = o->out && strcmp(o->out, "-") ? fopen(o->out, "w") : stdout;
  if (!out) {
    snprintf(err, errcap, "%s: %s", o->out, strerror(errno));
    return WARDEN_ERR_IO;
  }
  if (o->truth && !(truth = fopen(o->truth, "w"))) {
    snprintf(err, errcap, "%s: %s", o->truth, strerror(errno));
    st = WARDEN_ERR_IO;
    goto done;
  }
  static char iobuf[1 << 20];
  setvbuf(out, iobuf, _IOFBF, sizeof iobuf);
  long per_day = 5000000, days = (o->calls + per_day - 1) / per_day;
  if (days < 1) days = 1;
  int64_t day0 = (int64_t)warden_date_from_ymd(2026, 3, 2) * 86400 - WARDEN_CST_OFFSET;
  /* plants, spread over the days and the hours */
  ps.truth = truth;
  long subject = 0;
  for (int rule = 0; rule < 7; rule++) {
    long count = o->plant[rule];
    for (long k = 0; k < count; k++, subject++) {
      int64_t base = day0 + (int64_t)(k % days) * 86400 + 9 * 3600 + (int64_t)warden_rng_below(&g, 10 * 3600);
      char subj[24];
      gen_call *c;
      switch (rule) {
      case 0: /* TR-400-OUT */
        snprintf(subj, sizeof subj, "400%07ld", 9000000 + subject);
        for (int i = 0; i < 3; i++) {
          if (!(c = plant_add(&ps))) goto oom;
          c->start = base + i * 600;
          snprintf(c->caller, 24, "0209%07ld", subject);
          snprintf(c->display, 24, "%s", subj);
          random_callee(&g, c->callee);
          c->region = 44;
        }
        break;
      case 1: /* TR-SPOOF */
        if (k % 2) snprintf(subj, sizeof subj, "95%03ld", subject % 1000);
        else snprintf(subj, sizeof subj, "001415%07ld", subject);
        for (int i = 0; i < 3; i++) {
          if (!(c = plant_add(&ps))) goto oom;
          c->start = base + i * 700;
          snprintf(c->caller, 24, "170%08ld", 10000000 + subject);
          snprintf(c->display, 24, "%s", subj);
          random_callee(&g, c->callee);
        }
        break;
      case 2: /* TR-AUTODIAL */
        snprintf(subj, sizeof subj, "171%08ld", subject);
        for (int i = 0; i < 75; i++) {
          if (!(c = plant_add(&ps))) goto oom;
          c->start = base + i * 32;
          snprintf(c->caller, 24, "%s", subj);
          snprintf(c->display, 24, "%s", subj);
          if (i < 70) random_callee(&g, c->callee);
          else snprintf(c->callee, 24, "%s", ps.calls[ps.n - 2].callee);
          bool shrt = i % 5 != 0;
          c->status = shrt && i % 2 ? "noanswer" : "answered";
          c->duration = shrt ? 4 : 40;
          c->billsec = shrt ? (i % 2 ? 0 : 3) : 30;
        }
        break;
      case 3: /* TR-SEGMENT */
        snprintf(subj, sizeof subj, "172%08ld", subject);
        {
          long seg = 1380000 + subject % 9000;
          int suffix = 100;
          for (int i = 0; i < 25; i++) {
            if (!(c = plant_add(&ps))) goto oom;
            c->start = base + i * 90;
            snprintf(c->caller, 24, "%s", subj);
            snprintf(c->display, 24, "%s", subj);
            suffix += 1 + (int)warden_rng_below(&g, 7);
            snprintf(c->callee, 24, "%ld%04d", seg, suffix);
          }
        }
        break;
      case 4: /* TR-RESTHOURS */
        snprintf(subj, sizeof subj, "173%08ld", subject);
        for (int i = 0; i < 4; i++) {
          if (!(c = plant_add(&ps))) goto oom;
          c->start = day0 + (int64_t)(k % days) * 86400 + 21 * 3600 + 1800 + i * 1200;
          snprintf(c->caller, 24, "%s", subj);
          snprintf(c->display, 24, "%s", subj);
          random_callee(&g, c->callee);
          c->marketing = true;
        }
        break;
      case 5: /* TR-CROSSPROV */
        snprintf(subj, sizeof subj, "0209%07ld", 1000000 + subject);
        for (int i = 0; i < 3; i++) {
          if (!(c = plant_add(&ps))) goto oom;
          c->start = base + i * 500;
          snprintf(c->caller, 24, "%s", subj);
          snprintf(c->display, 24, "%s", subj);
          random_callee(&g, c->callee);
          c->region = 11;
        }
        break;
      case 6: /* TR-FWDCHAIN */
        snprintf(subj, sizeof subj, "400%07ld", 8000000 + subject);
        for (int i = 0; i < 2; i++) {
          if (!(c = plant_add(&ps))) goto oom;
          c->start = base + i * 400;
          c->out = false; /* a forwarded leg: not an outbound call of the customer */
          random_callee(&g, c->caller);
          snprintf(c->display, 24, "%s", c->caller);
          snprintf(c->fwd, 24, "%s", subj);
          if (k % 2) {
            c->hops = 3;
            random_callee(&g, c->callee);
          } else {
            c->hops = 1;
            snprintf(c->callee, 24, "0044207%07ld", subject);
          }
        }
        break;
      }
      if (truth) fprintf(truth, "%s,%s\n", (const char *[]){"TR-400-OUT", "TR-SPOOF", "TR-AUTODIAL", "TR-SEGMENT",
                                                             "TR-RESTHOURS", "TR-CROSSPROV", "TR-FWDCHAIN"}[rule], subj);
      stats->planted++;
    }
  }
  qsort(ps.calls, ps.n, sizeof *ps.calls, cmp_calls);
  fputs("call_id,start,caller,display,callee,direction,duration,billsec,status,account,origin_region,forwarded_from,hops,"
        "marketing\n", out);
  /* background, day by day in time order, merged with the plants */
  size_t next_plant = 0;
  long written = 0, numbers = o->numbers > 0 ? o->numbers : (o->calls / 50 > 100 ? o->calls / 50 : 100);
  for (long day = 0; day < days; day++) {
    long today = day == days - 1 ? o->calls - written : per_day;
    int64_t dstart = day0 + day * 86400;
    /* the day's start times, sorted: counts per second from the day's shape */
    long made = 0;
    uint32_t *per_sec = calloc(86400, sizeof *per_sec);
    if (!per_sec) goto oom;
    for (long i = 0; i < today; i++) per_sec[day_second(&g)]++;
    for (int sec = 0; sec < 86400; sec++) {
      for (uint32_t k = 0; k < per_sec[sec]; k++, made++) {
        int64_t t = dstart + sec;
        while (next_plant < ps.n && ps.calls[next_plant].start <= t) write_call(out, &ps.calls[next_plant++]);
        gen_call c;
        memset(&c, 0, sizeof c);
        c.start = t;
        snprintf(c.id, sizeof c.id, "c-%09ld", written + made);
        uint64_t who = warden_rng_below(&g, (uint64_t)numbers);
        background_number(who, c.caller, &c.region);
        memcpy(c.display, c.caller, sizeof c.caller);
        snprintf(c.account, sizeof c.account, "acct-%05llu", (unsigned long long)(who / 20));
        random_callee(&g, c.callee);
        c.out = warden_rng_below(&g, 10) < 7;
        uint64_t r = warden_rng_below(&g, 100);
        c.status = r < 70 ? "answered" : r < 88 ? "noanswer" : r < 96 ? "busy" : "failed";
        if (r < 70) {
          double talk = exp(4.0 + 1.0 * (warden_rng_unit(&g) + warden_rng_unit(&g) + warden_rng_unit(&g) - 1.5));
          c.billsec = (int)talk + 7;
          c.duration = c.billsec + 3 + (int)warden_rng_below(&g, 20);
        } else {
          c.duration = 5 + (int)warden_rng_below(&g, 40);
        }
        if (!c.out) c.region = 0;
        if (warden_rng_below(&g, 100) < 3) { /* a forwarded leg, one hop */
          c.hops = 1;
          background_number(who + 1, c.fwd, &c.region);
          c.region = 0;
        }
        int hh = sec / 3600;
        c.marketing = c.out && hh >= 9 && hh < 20 && warden_rng_below(&g, 10) == 0;
        if (warden_rng_below(&g, 10000) == 0) { /* malformed: a negative duration */
          char t2[32];
          int64_t local = c.start + WARDEN_CST_OFFSET;
          warden_date_format((int32_t)(local / 86400), t2);
          fprintf(out, "%s,%sT%02d:%02d:%02d+08:00,%s,,%s,out,-5,0,failed,%s,,,0,0\n", c.id, t2, sec / 3600, sec / 60 % 60,
                  sec % 60, c.caller, c.callee, c.account);
          stats->malformed++;
          continue;
        }
        write_call(out, &c);
        if (warden_rng_below(&g, 1000) == 0) { /* the same record sent twice */
          write_call(out, &c);
          stats->duplicates++;
        }
      }
    }
    free(per_sec);
    written += today;
  }
  while (next_plant < ps.n) write_call(out, &ps.calls[next_plant++]);
  stats->records = written + (long)ps.n + stats->duplicates;
  stats->plant_records = (long)ps.n;
  goto done;
oom:
  st = WARDEN_ERR_NOMEM;
  snprintf(err, errcap, "out of memory");
done:
  free(ps.calls);
  if (truth && fclose(truth) && !st) st = WARDEN_ERR_IO;
  if (out && out != stdout && fclose(out) && !st) st = WARDEN_ERR_IO;
  if (out == stdout) fflush(stdout);
  return st;
}
