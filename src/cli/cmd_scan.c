/* cmd_scan.c — `warden scan`: call records through the detectors; `warden gen calls`. */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../detect/detect.h"
#include "../gen/gen.h"
#include "../enforce/enforce.h"
#include "cli.h"

static const char scan_help[] =
    "usage: warden scan [--format native|asterisk] [--json] [--db FILE] [--policy FILE] [--threads N]\n"
    "                   [--rejects FILE] [--asterisk-gmt] [--inbound-contexts A,B] FILE...\n\n"
    "Reads call records (../shared/spec/cdr.md; '-' is standard input) through the detectors of\n"
    "the rule book's section 5 (TR-400-OUT TR-SPOOF TR-AUTODIAL TR-SEGMENT TR-RESTHOURS TR-SLOT\n"
    "TR-CROSSPROV TR-FWDCHAIN) with the thresholds of the policy's [detect] section, and prints one\n"
    "finding a line (--json: one object a line: rule, subject, account, first, last, count,\n"
    "sample_calls, evidence). A call id seen twice counts once. Malformed records are counted and\n"
    "written with their line and reason to the rejects file (default FILE.rejects.csv).\n"
    "With --db the rules that need the registry run on a snapshot of it (allocation, declared usage,\n"
    "home provinces, consent), and the findings are stored for enforcement; without it those parts\n"
    "are reported as skipped. A summary goes to standard error (with progress on a terminal).\n"
    "--threads N reads and parses on N threads, and deduplicates and detects on half of them (the input\n"
    "in chunks, the numbers in shards), with exactly the findings of one.\n"
    "Exit status: 0 no findings, 1 findings (or input mostly rejected), 2 usage or system error.\n";

#define SCAN_BATCH 512

/* ---- rejects: counted by reason, written with file and line to a file made whole at the end ---- */
typedef struct scan_rejects {
  const char *path;  /* --rejects, else FILE.rejects.csv of the first file with one */
  FILE *f;
  char tmp[700], final[600];
  uint64_t n, by_n[16];
  const char *by[16];
  int nreasons;
} scan_rejects;

static bool rejects_note(scan_rejects *rj, const char *file, unsigned long line, const warden_cdr *rec) {
  rj->n++;
  int k;
  for (k = 0; k < rj->nreasons && strcmp(rj->by[k], rec->reject); k++) {}
  if (k == rj->nreasons && rj->nreasons < 16) rj->by[rj->nreasons++] = rec->reject;
  if (k < 16) rj->by_n[k]++;
  if (!rj->f) {
    if (rj->path) snprintf(rj->final, sizeof rj->final, "%s", rj->path);
    else if (!strcmp(file, "-")) snprintf(rj->final, sizeof rj->final, "rejects.csv");
    else snprintf(rj->final, sizeof rj->final, "%s.rejects.csv", file);
    snprintf(rj->tmp, sizeof rj->tmp, "%s.tmp%ld", rj->final, (long)getpid());
    if (!(rj->f = fopen(rj->tmp, "w"))) {
      perror(rj->tmp);
      return false;
    }
    fputs("file,line,reason,record\n", rj->f);
  }
  fprintf(rj->f, "%s,%lu,%s,\"", file, line, rec->reject);
  for (uint32_t c = 0; c < rec->raw.n; c++) {
    if (rec->raw.p[c] == '"') fputc('"', rj->f);
    fputc(rec->raw.p[c] ? rec->raw.p[c] : ' ', rj->f);
  }
  fputs("\"\n", rj->f);
  return true;
}

static void rejects_close(scan_rejects *rj) {
  if (!rj->f) return;
  if (fclose(rj->f) == 0) rename(rj->tmp, rj->final);
  else unlink(rj->tmp);
  rj->f = NULL;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void progress(const char *file, uint64_t records, double secs, uint64_t done_b, uint64_t total_b) {
  double rate = (double)records / secs;
  if (total_b) fprintf(stderr, "\r%s: %llu records, %.2f M/s, %.0f%%, %.0f s left   ", file, (unsigned long long)records,
                       rate / 1e6, 100.0 * (double)done_b / (double)total_b,
                       (double)(total_b - done_b) / ((double)done_b / secs + 1));
  else fprintf(stderr, "\r%s: %llu records, %.2f M/s   ", file, (unsigned long long)records, rate / 1e6);
}

/* ---- --threads N: the stages of detect.h on N threads ----
 *
 * The input is cut into chunks of whole lines (PAR_CHUNK bytes), read in order by whichever thread
 * is free, and parsed by that thread, which also works out the records' keys. Detection is about
 * half of the work, so half the threads (rounded up) detect, each a shard of the numbers; the rest
 * only read and parse. A detecting thread takes every chunk in order, twice when there are several
 * shards: it marks the duplicates among the call ids of its shard (its ids list, made by the parser
 * with warden_detect_tasks_of), and, once every shard has marked the chunk, feeds its nums list to
 * its shard engine. One shard (two threads) needs no lists: its engine takes the chunk whole
 * (warden_detect_feed_keyed), dedupe and all, and the other thread parses. Thread 0 also writes
 * the chunk's rejects (it knows the lines before it) and the progress. A chunk's slot is reused
 * once every shard has fed it.
 *
 *   a thread's next task, first that can run   needs
 *   ----------------------------------------   ----------------------------------------------------
 *   feed its next chunk fk (detecting)         every shard has marked fk (deduped = S); one
 *                                              shard: fk parsed
 *   mark its next chunk dk (detecting, S > 1)  dk parsed, dk < fk + LEAD
 *   read and parse the next chunk j            no one reading; j's slot fed by all (and, for a
 *                                              detecting thread, j < fk + nslots)
 *   wait                                       (woken by any change)
 *
 * A detecting thread that would wait for the others parses ahead instead, so the work stays
 * spread. Waits are on one mutex and condition variable, a few a chunk of thousands of records.
 * Measured here (two cores, 10 million records): one shard and a parsing thread, 1.25 s; two
 * shards, 1.34 s (each shard's dedupe a pass of its own, and the lists to make). */
#define PAR_CHUNK (1u << 18)
#define PAR_MAX 64
#define PAR_LEAD 4

typedef struct par_slot {
  long index;               /* the chunk held, -1 none */
  bool parsed;
  unsigned deduped, fed;
  char *text;
  size_t text_cap, len;
  bool too_long, first_of_file;
  int file;                 /* argv index */
  unsigned long file_base;  /* lines before the first chunk of the file (its header) */
  warden_cdr_reader *rd;    /* the chunk's reader: the records' views live as long as it */
  warden_cdr *recs;
  warden_detect_keys *keys;
  uint32_t *ids[PAR_MAX], *nums[PAR_MAX]; /* each shard's task lists (detect.h) */
  size_t nids[PAR_MAX], nnums[PAR_MAX];
  uint8_t *dup[PAR_MAX];
  size_t n, cap;
  unsigned long lines;
} par_slot;

typedef struct par_scan {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  unsigned nthreads, nshards, nslots; /* threads 0 .. nshards - 1 detect, one shard each */
  par_slot *slots;
  long next_read, total;    /* total: chunks in all, LONG_MAX until the input ends */
  bool reading, failed, oom;
  char err[480];
  /* the input: touched only by the thread reading */
  char **files;
  int fi, nfiles;
  const warden_cdr_opts *copts;
  warden_cdr_reader *in;
  unsigned long in_base;
  bool in_first;
  /* the engines, one a shard, and their dedupe shards */
  warden_detect *eng[PAR_MAX];
  warden_detect_dedupe *dd[PAR_MAX];
  /* thread 0's */
  scan_rejects *rj;
  bool tty;
  double t0, last_progress;
  uint64_t bytes_done, bytes_total, records_done;
} par_scan;

typedef struct par_arg {
  par_scan *ps;
  unsigned w;
} par_arg;

/* Under mu. */
static void par_fail_locked(par_scan *ps, bool oom, const char *msg) {
  if (!ps->failed) {
    ps->failed = true;
    ps->oom = oom;
    snprintf(ps->err, sizeof ps->err, "%s", msg);
  }
  pthread_cond_broadcast(&ps->cv);
}

static void par_fail(par_scan *ps, bool oom, const char *msg) {
  pthread_mutex_lock(&ps->mu);
  par_fail_locked(ps, oom, msg);
  pthread_mutex_unlock(&ps->mu);
}

/* The next chunk of the input into sl: the files one after another. Called in read order only.
 * False at the end or on failure (ps->failed). */
static bool par_read(par_scan *ps, par_slot *sl) {
  for (;;) {
    if (!ps->in) {
      char err[400];
      if (ps->fi == ps->nfiles) return false;
      if (warden_cdr_open(&ps->in, ps->files[ps->fi], ps->copts, err, sizeof err)) {
        par_fail(ps, false, err);
        return false;
      }
      ps->in_base = warden_cdr_lines(ps->in);
      ps->in_first = true;
    }
    warden_status st = warden_cdr_read_chunk(ps->in, &sl->text, &sl->text_cap, &sl->len, PAR_CHUNK, &sl->too_long);
    if (st) {
      par_fail(ps, st == WARDEN_ERR_NOMEM, st == WARDEN_ERR_NOMEM ? "out of memory" : warden_cdr_error(ps->in));
      return false;
    }
    if (sl->len || sl->too_long) break;
    warden_cdr_close(ps->in); /* this file is done: the next */
    ps->in = NULL;
    ps->fi++;
  }
  sl->file = ps->fi;
  sl->first_of_file = ps->in_first;
  sl->file_base = ps->in_base;
  ps->in_first = false;
  warden_cdr_close(sl->rd);
  sl->rd = NULL;
  if (warden_cdr_open_chunk(&sl->rd, ps->in, sl->text, sl->len, sl->too_long)) {
    par_fail(ps, true, "out of memory");
    return false;
  }
  return true;
}

/* Parses the chunk just read into sl: the records, and their keys while each batch is in cache. */
static bool par_parse(par_scan *ps, par_slot *sl, warden_detect_keys *keys) {
  sl->n = 0;
  for (;;) {
    if (sl->cap - sl->n < SCAN_BATCH) {
      size_t nc = sl->cap ? sl->cap * 2 : 4096;
      warden_cdr *nr = realloc(sl->recs, nc * sizeof *nr);
      if (nr) sl->recs = nr;
      /* a record's keys on one cache line of their own: realloc keeps only 16-byte alignment */
      warden_detect_keys *nk = nr ? aligned_alloc(64, nc * sizeof *nk) : NULL;
      if (nk) {
        if (sl->n) memcpy(nk, sl->keys, sl->n * sizeof *nk);
        free(sl->keys);
        sl->keys = nk;
      }
      bool ok = nr && nk;
      for (unsigned s = 0; ok && ps->nshards > 1 && s < ps->nshards; s++) { /* the lists: several shards only */
        uint8_t *nd = realloc(sl->dup[s], nc);
        if (nd) sl->dup[s] = nd;
        uint32_t *ni = nd ? realloc(sl->ids[s], nc * sizeof *ni) : NULL;
        if (ni) sl->ids[s] = ni;
        uint32_t *nn = ni ? realloc(sl->nums[s], nc * sizeof *nn) : NULL;
        if (nn) sl->nums[s] = nn;
        ok = nn != NULL;
      }
      if (!ok) {
        par_fail(ps, true, "out of memory");
        return false;
      }
      sl->cap = nc;
    }
    /* the records parsed in place (the detecting threads read a record only when a rule fires:
     * its keys hold all else), the keys worked out in this thread's cache and then copied whole
     * into the slot: written in place, each line of the slot, last read by a detecting thread,
     * would be fetched first (measured slower); so was the copy of the records (about 3 %) */
    size_t got_n;
    if (warden_cdr_next_batch(sl->rd, sl->recs + sl->n, SCAN_BATCH, &got_n) || !got_n) break;
    warden_detect_keys_of(sl->recs + sl->n, got_n, keys);
    memcpy(sl->keys + sl->n, keys, got_n * sizeof *keys);
    sl->n += got_n;
  }
  if (ps->nshards > 1) warden_detect_tasks_of(sl->keys, sl->n, ps->nshards, sl->ids, sl->nids, sl->nums, sl->nnums);
  sl->lines = warden_cdr_lines(sl->rd);
  return true;
}

/* Thread 0's part of a chunk, in order: its rejects with their lines, and the progress. */
static bool par_rejects(par_scan *ps, par_slot *sl, unsigned long *base) {
  if (sl->first_of_file) *base = sl->file_base;
  const char *file = ps->files[sl->file];
  for (size_t i = 0; i < sl->n; i++)
    if ((sl->keys[i].flags & WARDEN_KEY_REJECT) && !rejects_note(ps->rj, file, *base + sl->recs[i].line, &sl->recs[i])) {
      par_fail(ps, false, "cannot write the rejects file");
      return false;
    }
  *base += sl->lines;
  ps->bytes_done += sl->len;
  ps->records_done += sl->n;
  if (ps->tty) {
    double t = now_s();
    if (t - ps->last_progress > 0.5) {
      progress(file, ps->records_done, t - ps->t0, ps->bytes_done, ps->bytes_total);
      ps->last_progress = t;
    }
  }
  return true;
}

static void *par_worker(void *arg) {
  par_scan *ps = ((par_arg *)arg)->ps;
  unsigned w = ((par_arg *)arg)->w, ns = ps->nshards;
  bool detects = w < ns;
  long dk = 0, fk = 0; /* this thread's next chunk to mark, to feed (a detecting thread's) */
  unsigned long base = 0;
  warden_detect_keys *keys = aligned_alloc(64, SCAN_BATCH * sizeof *keys);
  if (!keys) par_fail(ps, true, "out of memory");
  pthread_mutex_lock(&ps->mu);
  while (!ps->failed && (detects ? fk < ps->total : ps->next_read < ps->total)) {
    par_slot *fs = &ps->slots[fk % ps->nslots], *ds = &ps->slots[dk % ps->nslots];
    /* fk is ready when every shard has marked it; one shard marks its own as it feeds */
    bool marked = ns == 1 ? fs->index == fk && fs->parsed : fk < dk && fs->deduped == ns;
    if (detects && marked) { /* feed */
      pthread_mutex_unlock(&ps->mu);
      bool ok = (w != 0 || par_rejects(ps, fs, &base)) &&
                (ns == 1 ? warden_detect_feed_keyed(ps->eng[w], fs->recs, fs->keys, fs->n)
                         : warden_detect_feed_shard(ps->eng[w], fs->recs, fs->keys, fs->nums[w], fs->nnums[w],
                                                    (const uint8_t *const *)fs->dup)) == WARDEN_OK;
      pthread_mutex_lock(&ps->mu);
      if (!ok) par_fail_locked(ps, true, "out of memory");
      if (++fs->fed == ns) pthread_cond_broadcast(&ps->cv);
      fk++;
      continue;
    }
    if (detects && ns > 1 && dk < ps->total && dk < fk + PAR_LEAD && ds->index == dk && ds->parsed) { /* mark duplicates */
      pthread_mutex_unlock(&ps->mu);
      bool ok = warden_detect_dedupe_mark(ps->dd[w], ds->recs, ds->keys, ds->n, ds->ids[w], ds->nids[w], ds->dup[w]) == WARDEN_OK;
      pthread_mutex_lock(&ps->mu);
      if (!ok) par_fail_locked(ps, true, "out of memory");
      if (++ds->deduped == ns) pthread_cond_broadcast(&ps->cv);
      dk++;
      continue;
    }
    long j = ps->next_read;
    par_slot *rs = &ps->slots[j % ps->nslots];
    if (!ps->reading && j < ps->total && (!detects || j < fk + (long)ps->nslots) && (rs->index < 0 || rs->fed == ns)) { /* read, parse */
      ps->reading = true;
      rs->index = j;
      rs->parsed = false;
      rs->deduped = rs->fed = 0;
      pthread_mutex_unlock(&ps->mu);
      bool got = par_read(ps, rs);
      pthread_mutex_lock(&ps->mu);
      ps->reading = false;
      ps->next_read = j + 1;
      if (!got && ps->total == LONG_MAX) ps->total = j;
      pthread_cond_broadcast(&ps->cv);
      if (!got) continue;
      pthread_mutex_unlock(&ps->mu);
      bool ok = par_parse(ps, rs, keys);
      /* a parsing thread faults in what the engines will soon need, a little between chunks */
      for (unsigned e = 0; !detects && e < ns; e++) warden_detect_prefault(ps->eng[e]);
      pthread_mutex_lock(&ps->mu);
      rs->parsed = ok;
      pthread_cond_broadcast(&ps->cv);
      continue;
    }
    pthread_cond_wait(&ps->cv, &ps->mu);
  }
  pthread_mutex_unlock(&ps->mu);
  free(keys);
  return NULL;
}

/* Runs the files through nthreads shard engines and merges them into *out (the caller frees it).
 * 0 or an exit status after printing why. */
static int par_run(char **files, int nfiles, const warden_cdr_opts *copts, const warden_detect_params *params,
                   const warden_detect_snapshot *snap, unsigned nthreads, scan_rejects *rj, warden_detect **out) {
  static par_scan ps; /* large: kept off the stack */
  pthread_t th[PAR_MAX];
  par_arg args[PAR_MAX];
  unsigned started = 0;
  int rc = EXIT_OKAY;
  memset(&ps, 0, sizeof ps);
  *out = NULL;
  pthread_mutex_init(&ps.mu, NULL);
  pthread_cond_init(&ps.cv, NULL);
  ps.nthreads = nthreads;
  ps.nshards = (nthreads + 1) / 2;
  /* slots enough for every thread to hold two chunks and for the detecting ones to mark ahead; one
   * shard marks nothing. Fewer is less fresh memory: a slot is about 1.5 MB, each page of it a
   * fault on its first use, dear on this machine (a tenth of a millisecond for 8 pages) */
  ps.nslots = ps.nshards > 1 ? PAR_LEAD + 2 * nthreads + 4 : 2 * nthreads + 2;
  ps.total = LONG_MAX;
  ps.files = files;
  ps.nfiles = nfiles;
  ps.copts = copts;
  ps.rj = rj;
  ps.tty = isatty(2);
  ps.t0 = ps.last_progress = now_s();
  for (int i = 0; i < nfiles; i++) {
    struct stat sb;
    if (strcmp(files[i], "-") && stat(files[i], &sb) == 0 && S_ISREG(sb.st_mode)) ps.bytes_total += (uint64_t)sb.st_size;
  }
  if (!(ps.slots = calloc(ps.nslots, sizeof *ps.slots))) goto oom;
  for (unsigned i = 0; i < ps.nslots; i++) ps.slots[i].index = -1;
  for (unsigned w = 0; w < ps.nshards; w++)
    if (warden_detect_new_shard(params, snap, w, ps.nshards, &ps.eng[w]) || (ps.nshards > 1 && warden_detect_dedupe_new(&ps.dd[w])))
      goto oom;
  for (; started < nthreads; started++) {
    args[started] = (par_arg){&ps, started};
    if (pthread_create(&th[started], NULL, par_worker, &args[started])) {
      par_fail(&ps, false, "cannot start a thread");
      break;
    }
  }
  for (unsigned w = 0; w < started; w++) pthread_join(th[w], NULL);
  if (ps.failed) {
    fprintf(stderr, "warden scan: %s\n", ps.err);
    rc = EXIT_USAGE;
    goto done;
  }
  for (unsigned w = 1; w < ps.nshards; w++)
    if (warden_detect_merge(ps.eng[0], ps.eng[w])) goto oom;
  *out = ps.eng[0];
  ps.eng[0] = NULL;
  goto done;
oom:
  fprintf(stderr, "warden scan: out of memory\n");
  rc = EXIT_USAGE;
done:
  warden_cdr_close(ps.in);
  for (unsigned i = 0; ps.slots && i < ps.nslots; i++) {
    par_slot *sl = &ps.slots[i];
    warden_cdr_close(sl->rd);
    free(sl->text);
    free(sl->recs);
    free(sl->keys);
    for (unsigned s = 0; s < PAR_MAX; s++) {
      free(sl->ids[s]);
      free(sl->nums[s]);
      free(sl->dup[s]);
    }
  }
  free(ps.slots);
  for (unsigned w = 0; w < PAR_MAX; w++) {
    warden_detect_free(ps.eng[w]);
    warden_detect_dedupe_free(ps.dd[w]);
  }
  pthread_mutex_destroy(&ps.mu);
  pthread_cond_destroy(&ps.cv);
  return rc;
}

static void time_iso(int64_t t, char out[32]) {
  int64_t local = t + WARDEN_CST_OFFSET;
  int32_t day = warden_date_of_utc(t);
  int secs = (int)(local - (int64_t)day * 86400);
  char d[11];
  warden_date_format(day, d);
  snprintf(out, 32, "%sT%02d:%02d:%02d+08:00", d, secs / 3600, secs / 60 % 60, secs % 60);
}

static void print_finding(const warden_finding *f, bool json) {
  char a[32], b[32];
  time_iso(f->first, a);
  time_iso(f->last, b);
  if (json) {
    json_t *o = json_object(), *samples = json_array();
    json_object_set_new(o, "rule", json_string(warden_rule_id(f->rule)));
    json_object_set_new(o, "subject", json_string(f->subject));
    json_object_set_new(o, "account", f->account[0] ? json_string(f->account) : json_null());
    json_object_set_new(o, "first", json_string(a));
    json_object_set_new(o, "last", json_string(b));
    json_object_set_new(o, "count", json_integer(f->count));
    for (int i = 0; i < f->nsamples; i++) json_array_append_new(samples, json_string(f->samples[i]));
    json_object_set_new(o, "sample_calls", samples);
    json_t *ev = json_loads(f->evidence[0] ? f->evidence : "{}", 0, NULL);
    json_object_set_new(o, "evidence", ev ? ev : json_object());
    cli_print_json(o);
    return;
  }
  printf("%s\t%s\t%s\t%s..%s\t%ld calls\t%s%s\t%s\n", warden_rule_id(f->rule), f->subject, f->account[0] ? f->account : "-", a,
         b, f->count, f->nsamples ? f->samples[0] : "", f->nsamples > 1 ? ",..." : "", f->evidence);
}

/* One thread: batches from each file straight into the engine. 0 or an exit status. */
static int serial_run(char **files, int nfiles, const warden_cdr_opts *copts, warden_detect *d, scan_rejects *rj) {
  warden_cdr *batch = malloc(SCAN_BATCH * sizeof *batch);
  bool tty = isatty(2);
  unsigned long batches = 0;
  int rc = EXIT_OKAY;
  if (!batch) {
    fprintf(stderr, "warden scan: out of memory\n");
    return EXIT_USAGE;
  }
  double t0 = now_s(), last_progress = t0;
  for (int fi = 0; fi < nfiles && rc == EXIT_OKAY; fi++) {
    warden_cdr_reader *rd;
    char err[400];
    if (warden_cdr_open(&rd, files[fi], copts, err, sizeof err)) {
      fprintf(stderr, "warden scan: %s\n", err);
      rc = EXIT_USAGE;
      break;
    }
    for (;;) {
      size_t n;
      if (warden_cdr_next_batch(rd, batch, SCAN_BATCH, &n)) {
        fprintf(stderr, "warden scan: %s\n", warden_cdr_error(rd));
        rc = EXIT_USAGE;
        break;
      }
      if (!n) break;
      for (size_t i = 0; i < n; i++)
        if (batch[i].reject && !rejects_note(rj, files[fi], batch[i].line, &batch[i])) {
          rc = EXIT_USAGE;
          break;
        }
      if (rc) break;
      if (warden_detect_feed_batch(d, batch, n) != WARDEN_OK) {
        fprintf(stderr, "warden scan: out of memory\n");
        rc = EXIT_USAGE;
        break;
      }
      if (tty && ++batches % 64 == 0) {
        double t = now_s();
        if (t - last_progress > 0.5) {
          uint64_t done_b, total_b;
          warden_cdr_progress(rd, &done_b, &total_b);
          warden_detect_stats s;
          warden_detect_stats_get(d, &s);
          progress(files[fi], s.records, t - t0, done_b, total_b);
          last_progress = t;
        }
      }
    }
    warden_cdr_close(rd);
  }
  free(batch);
  return rc;
}

int cmd_scan(int argc, char **argv) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'}, {"json", no_argument, NULL, 'j'},
      {"db", required_argument, NULL, 'd'},     {"policy", required_argument, NULL, 'p'},
      {"rejects", required_argument, NULL, 'r'}, {"asterisk-gmt", no_argument, NULL, 'G'},
      {"inbound-contexts", required_argument, NULL, 'I'}, {"threads", required_argument, NULL, 't'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  warden_cdr_opts copts = {0};
  const char *db = NULL, *policy = NULL;
  scan_rejects rj = {0};
  bool json = false;
  int c, threads = 1;
  optind = 1;
  while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (!strcmp(optarg, "native")) copts.format = WARDEN_CDR_NATIVE;
      else if (!strcmp(optarg, "asterisk")) copts.format = WARDEN_CDR_ASTERISK;
      else return cli_usage_error("scan", "--format is native or asterisk");
      break;
    case 'j': json = true; break;
    case 'd': db = optarg; break;
    case 'p': policy = optarg; break;
    case 'r': rj.path = optarg; break;
    case 'G': copts.asterisk_gmt = true; break;
    case 'I': copts.inbound_contexts = optarg; break;
    case 't': {
      int64_t n;
      if (!warden_parse_i64(optarg, &n) || n < 1 || n > PAR_MAX) return cli_usage_error("scan", "--threads takes 1 to %d", PAR_MAX);
      threads = (int)n;
      break;
    }
    case 'h': cli_help(scan_help); return EXIT_OKAY;
    default: return cli_usage_error("scan", "unknown option");
    }
  }
  if (optind >= argc) return cli_usage_error("scan", "give one or more files ('-' for standard input)");
  warden_buf perr;
  warden_buf_init(&perr, 1 << 16);
  warden_policy *p = NULL;
  if (warden_policy_load(policy, &p, &perr)) {
    fputs(warden_buf_str(&perr), stderr);
    warden_buf_release(&perr);
    return EXIT_USAGE;
  }
  warden_buf_release(&perr);
  warden_detect_params params;
  warden_detect_params_from_policy(p, &params);
  warden_registry *r = NULL;
  warden_detect_snapshot *snap = NULL;
  warden_detect *d = NULL;
  int rc = EXIT_OKAY;
  if (db) {
    if (!(r = cli_open(db))) { rc = EXIT_USAGE; goto done; }
    if (warden_detect_snapshot_load(r, &snap)) {
      fprintf(stderr, "warden scan: %s\n", warden_registry_errmsg(r));
      rc = EXIT_USAGE;
      goto done;
    }
  }
  bool tty = isatty(2);
  double t0 = now_s();
  if (threads > 1) {
    if ((rc = par_run(argv + optind, argc - optind, &copts, &params, snap, (unsigned)threads, &rj, &d))) goto done;
  } else {
    if (warden_detect_new(&params, snap, &d)) { rc = EXIT_USAGE; goto done; }
    if ((rc = serial_run(argv + optind, argc - optind, &copts, d, &rj))) goto done;
  }
  if (tty) fputs("\r\033[K", stderr);
  const warden_finding *fs;
  size_t nf;
  warden_detect_finish(d, &fs, &nf);
  for (size_t i = 0; i < nf; i++) print_finding(&fs[i], json);
  fflush(stdout);
  double elapsed = now_s() - t0;
  warden_detect_stats s;
  warden_detect_stats_get(d, &s);
  fprintf(stderr, "scan: %llu records read (%llu duplicates counted once), %llu rejected", (unsigned long long)(s.records + s.duplicates),
          (unsigned long long)s.duplicates, (unsigned long long)rj.n);
  for (int k = 0; k < rj.nreasons; k++) fprintf(stderr, "%s%s %llu", k ? ", " : " (", rj.by[k], (unsigned long long)rj.by_n[k]);
  fprintf(stderr, "%s%s%s\n", rj.nreasons ? ")" : "", rj.f ? "; see " : "", rj.f ? rj.final : "");
  fprintf(stderr, "findings:");
  for (int k = 0; k < WARDEN_RULE__COUNT; k++)
    fprintf(stderr, " %s %llu%s", warden_rule_id((warden_rule)k), (unsigned long long)s.findings[k], s.skipped[k] ? " (skipped: needs --db)" : "");
  fprintf(stderr, "\nskipped parts without a registry: %s\n",
          snap ? "none" : "TR-SLOT; TR-SPOOF allocation check; TR-RESTHOURS consent check; TR-CROSSPROV for non-fixed numbers");
  fprintf(stderr, "%.2f s, %.2f million records/s%s; %llu numbers tracked at most, %.1f MB of state at most\n", elapsed,
          (double)s.records / (elapsed > 0 ? elapsed : 1) / 1e6, threads > 1 ? " (all threads)" : ", one thread",
          (unsigned long long)s.peak_tracked, (double)s.peak_state_bytes / 1e6);
  if (r && nf) {
    char source[512];
    snprintf(source, sizeof source, "%s%s", argv[optind], argc - optind > 1 ? " ..." : "");
    if (warden_finding_store(r, fs, nf, source)) {
      fprintf(stderr, "warden scan: %s\n", warden_registry_errmsg(r));
      rc = EXIT_USAGE;
      goto done;
    }
    fprintf(stderr, "%zu findings stored in %s\n", nf, db);
  }
  if (rj.n > s.records) {
    fprintf(stderr, "warden scan: most of the input was rejected (%llu of %llu records): is it the right format (--format)?\n",
            (unsigned long long)rj.n, (unsigned long long)(rj.n + s.records));
    rc = EXIT_FINDINGS;
  } else if (nf) {
    rc = EXIT_FINDINGS;
  }
done:
  rejects_close(&rj);
  warden_detect_free(d);
  warden_detect_snapshot_free(snap);
  warden_registry_close(r);
  warden_policy_free(p);
  return rc;
}

/* ---- gen calls ---- */
static const char gen_calls_help[] =
    "usage: warden gen calls --calls N [--seed S] [--numbers M] [--out FILE] [--truth FILE]\n"
    "                        [--plant RULE=COUNT ...]\n\n"
    "Writes native call records (cdr.md) in time order: realistic background traffic that breaks no\n"
    "rule, with planted violations (default 5 of each of TR-400-OUT TR-SPOOF TR-AUTODIAL TR-SEGMENT\n"
    "TR-RESTHOURS TR-CROSSPROV TR-FWDCHAIN) listed as rule,subject in the truth file. The same seed\n"
    "gives the same bytes.\n";

int cmd_gen_calls(int argc, char **argv) {
  static const struct option longopts[] = {
      {"calls", required_argument, NULL, 'c'}, {"seed", required_argument, NULL, 's'},
      {"numbers", required_argument, NULL, 'n'}, {"out", required_argument, NULL, 'o'},
      {"truth", required_argument, NULL, 't'}, {"plant", required_argument, NULL, 'p'},
      {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  static const char *const plantable[7] = {"TR-400-OUT", "TR-SPOOF", "TR-AUTODIAL", "TR-SEGMENT",
                                           "TR-RESTHOURS", "TR-CROSSPROV", "TR-FWDCHAIN"};
  warden_gen_calls_opts o = {.seed = 1, .calls = 100000, .plant = {5, 5, 5, 5, 5, 5, 5}};
  bool planted_given = false;
  int64_t v;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'c': if (!warden_parse_i64(optarg, &v) || v < 0) return cli_usage_error("gen", "--calls takes a count"); o.calls = (long)v; break;
    case 's': if (!warden_parse_i64(optarg, &v)) return cli_usage_error("gen", "--seed takes a number"); o.seed = (uint64_t)v; break;
    case 'n': if (!warden_parse_i64(optarg, &v) || v < 1) return cli_usage_error("gen", "--numbers takes a count"); o.numbers = (long)v; break;
    case 'o': o.out = optarg; break;
    case 't': o.truth = optarg; break;
    case 'p': {
      const char *eq = strchr(optarg, '=');
      int k;
      if (!eq || !warden_parse_i64(eq + 1, &v) || v < 0 || v > 100000) return cli_usage_error("gen", "--plant RULE=COUNT");
      for (k = 0; k < 7 && (strncmp(optarg, plantable[k], (size_t)(eq - optarg)) || plantable[k][eq - optarg]); k++) {}
      if (k == 7) return cli_usage_error("gen", "--plant: %.*s cannot be planted in a registry-free stream", (int)(eq - optarg), optarg);
      if (!planted_given) memset(o.plant, 0, sizeof o.plant);
      planted_given = true;
      o.plant[k] = (long)v;
      break;
    }
    case 'h': cli_help(gen_calls_help); return EXIT_OKAY;
    default: return cli_usage_error("gen", "unknown option");
    }
  }
  warden_gen_calls_stats s;
  char err[400];
  if (warden_gen_calls(&o, &s, err, sizeof err)) {
    fprintf(stderr, "warden gen: %s\n", err);
    return EXIT_USAGE;
  }
  fprintf(stderr, "%ld records (%ld planted in %ld violations, %ld duplicates, %ld malformed)\n", s.records, s.plant_records,
          s.planted, s.duplicates, s.malformed);
  return EXIT_OKAY;
}

/* ---- watch ---- */
static const char watch_help[] =
    "usage: warden watch [--db FILE] [--policy FILE] [--json] [--interval MS] [--once] FILE\n\n"
    "Follows a growing native call-record file, like `tail -F`: new records go through the detectors\n"
    "as they are written, and each finding is printed when it opens (with the calls counted so far).\n"
    "A rotated or truncated file is followed from its new start (its header row read again). With\n"
    "--db the registry snapshot is reloaded on SIGHUP. --once stops at the current end (for tests).\n";

static volatile sig_atomic_t watch_hup, watch_stop;
static void on_hup(int sig) { (void)sig; watch_hup = 1; }
static void on_stop(int sig) { (void)sig; watch_stop = 1; }

int cmd_watch(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'}, {"policy", required_argument, NULL, 'p'},
      {"json", no_argument, NULL, 'j'},     {"interval", required_argument, NULL, 'i'},
      {"once", no_argument, NULL, 'o'},     {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *db = NULL, *policy = NULL;
  bool json = false, once = false;
  int64_t interval = 500;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'p': policy = optarg; break;
    case 'j': json = true; break;
    case 'i': if (!warden_parse_i64(optarg, &interval) || interval < 10) return cli_usage_error("watch", "--interval takes milliseconds (>= 10)"); break;
    case 'o': once = true; break;
    case 'h': cli_help(watch_help); return EXIT_OKAY;
    default: return cli_usage_error("watch", "unknown option");
    }
  }
  if (argc - optind != 1) return cli_usage_error("watch", "give one file to follow");
  const char *path = argv[optind];
  warden_buf perr, text;
  warden_buf_init(&perr, 1 << 16);
  warden_buf_init(&text, 64u << 20);
  warden_policy *p = NULL;
  warden_registry *r = NULL;
  warden_detect_snapshot *snap = NULL;
  warden_detect *d = NULL;
  warden_cdr *batch = NULL;
  FILE *f = NULL;
  int rc = EXIT_OKAY;
  if (warden_policy_load(policy, &p, &perr)) {
    fputs(warden_buf_str(&perr), stderr);
    rc = EXIT_USAGE;
    goto done;
  }
  warden_detect_params params;
  warden_detect_params_from_policy(p, &params);
  if (db && (!(r = cli_open(db)) || warden_detect_snapshot_load(r, &snap))) {
    if (r) fprintf(stderr, "warden watch: %s\n", warden_registry_errmsg(r));
    rc = EXIT_USAGE;
    goto done;
  }
  if (warden_detect_new(&params, snap, &d) || !(batch = malloc(SCAN_BATCH * sizeof *batch))) { rc = EXIT_USAGE; goto done; }
  signal(SIGHUP, on_hup);
  signal(SIGINT, on_stop);
  signal(SIGTERM, on_stop);
  char header[4096] = "";
  size_t header_len = 0, seen = 0;
  long offset = 0;
  ino_t inode = 0;
  uint64_t rejected = 0;
  for (;;) {
    struct stat sb;
    if (!f || stat(path, &sb) != 0 || sb.st_ino != inode || sb.st_size < offset) { /* (re)open: new or rotated */
      if (f) fclose(f);
      f = NULL;
      if (stat(path, &sb) == 0 && (f = fopen(path, "rb"))) {
        inode = sb.st_ino;
        offset = 0;
        header_len = 0;
        warden_buf_reset(&text);
      }
    }
    bool progressed = false;
    if (f) {
      char chunk[1 << 16];
      size_t got;
      fseek(f, offset, SEEK_SET);
      while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        offset += (long)got;
        if (warden_buf_add(&text, chunk, got)) break;
      }
      clearerr(f);
      /* the header: the first complete line */
      if (!header_len) {
        const char *nl = memchr(warden_buf_str(&text), '\n', text.len);
        if (nl && (size_t)(nl - text.data) + 1 < sizeof header) {
          header_len = (size_t)(nl - text.data) + 1;
          memcpy(header, text.data, header_len);
          memmove(text.data, text.data + header_len, text.len - header_len);
          text.len -= header_len;
        }
      }
      const char *last_nl = NULL;
      for (size_t k = text.len; k > 0 && !last_nl; k--)
        if (text.data[k - 1] == '\n') last_nl = text.data + k - 1;
      if (header_len && last_nl) {
        size_t whole = (size_t)(last_nl - text.data) + 1;
        warden_buf lines;
        warden_buf_init(&lines, 0);
        warden_buf_add(&lines, header, header_len);
        warden_buf_add(&lines, text.data, whole);
        warden_cdr_reader *rd;
        char err[400];
        warden_cdr_opts copts = {0};
        if (warden_cdr_open_mem(&rd, lines.data, lines.len, &copts, err, sizeof err)) {
          fprintf(stderr, "warden watch: %s\n", err);
        } else {
          size_t n;
          while (warden_cdr_next_batch(rd, batch, SCAN_BATCH, &n) == WARDEN_OK && n) {
            for (size_t i = 0; i < n; i++)
              if (batch[i].reject) {
                rejected++;
                fprintf(stderr, "warden watch: %s: line %lu of this read: %s\n", path, batch[i].line, batch[i].reject);
              }
            if (warden_detect_feed_batch(d, batch, n)) { rc = EXIT_USAGE; break; }
          }
          warden_cdr_close(rd);
        }
        warden_buf_release(&lines);
        memmove(text.data, text.data + whole, text.len - whole);
        text.len -= whole;
        progressed = true;
      }
    }
    size_t nnew;
    const warden_finding *fs = warden_detect_new_findings(d, &seen, &nnew);
    for (size_t i = 0; i < nnew; i++) print_finding(&fs[i], json);
    fflush(stdout);
    if (watch_hup && r) { /* SIGHUP: a fresh snapshot of the registry */
      watch_hup = 0;
      warden_detect_snapshot *fresh;
      if (!warden_detect_snapshot_load(r, &fresh)) {
        warden_detect_set_snapshot(d, fresh);
        warden_detect_snapshot_free(snap);
        snap = fresh;
        fprintf(stderr, "warden watch: registry snapshot reloaded (%zu numbers)\n", warden_detect_snapshot_numbers(snap));
      }
    }
    if (watch_stop || rc || (once && !progressed)) break;
    if (!progressed) usleep((useconds_t)interval * 1000);
  }
  warden_detect_stats s;
  warden_detect_stats_get(d, &s);
  fprintf(stderr, "watch: %llu records, %llu rejected, %zu findings\n", (unsigned long long)s.records,
          (unsigned long long)rejected, seen);
done:
  if (f) fclose(f);
  free(batch);
  warden_detect_free(d);
  warden_detect_snapshot_free(snap);
  warden_registry_close(r);
  warden_policy_free(p);
  warden_buf_release(&perr);
  warden_buf_release(&text);
  return rc;
}
