/* cmd_scan.c — `warden scan`: call records through the detectors; `warden gen calls`. */
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
    "usage: warden scan [--format native|asterisk] [--json] [--db FILE] [--policy FILE]\n"
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
    "Exit status: 0 no findings, 1 findings (or input mostly rejected), 2 usage or system error.\n";

#define SCAN_BATCH 512
#define SCAN_SLOTS 4

/* --threads 2: the reading thread parses batches and hands each, copied out of the reader, to the
 * detecting thread through a ring of slots. The detectors see the records in the same order as with
 * one thread, so the findings are the same by construction. */
typedef struct scan_slot {
  warden_cdr recs[SCAN_BATCH];
  warden_detect_keys keys[SCAN_BATCH]; /* hashed by the reading thread: the detecting one is the busier */
  size_t n;
  char *text, *scratch;
  size_t text_cap, scratch_cap;
} scan_slot;

typedef struct scan_pipe {
  scan_slot slots[SCAN_SLOTS];
  size_t head, tail; /* filled slots are [tail, head) */
  bool done, failed;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  warden_detect *d;
} scan_pipe;

static void rebase(warden_strview *v, const char *lo, const char *hi, const char *to) {
  if (v->p >= lo && v->p < hi) v->p = to + (v->p - lo);
}

/* Copies a batch into a slot: the lines it spans and the reader's scratch, views moved along. */
static bool slot_fill(scan_slot *sl, const warden_cdr *recs, size_t n, warden_cdr_reader *rd) {
  const char *lo = recs[0].raw.p, *hi = recs[n - 1].raw.p + recs[n - 1].raw.n, *sp;
  size_t tn = (size_t)(hi - lo) + 1, sn;
  warden_cdr_scratch(rd, &sp, &sn);
  if (tn > sl->text_cap) {
    char *t = realloc(sl->text, tn);
    if (!t) return false;
    sl->text = t;
    sl->text_cap = tn;
  }
  if (sn + 1 > sl->scratch_cap) {
    char *t = realloc(sl->scratch, sn + 1);
    if (!t) return false;
    sl->scratch = t;
    sl->scratch_cap = sn + 1;
  }
  memcpy(sl->text, lo, tn - 1);
  if (sn) memcpy(sl->scratch, sp, sn);
  memcpy(sl->recs, recs, n * sizeof *recs);
  for (size_t i = 0; i < n; i++) {
    warden_cdr *r = &sl->recs[i];
    warden_strview *v[] = {&r->call_id, &r->caller, &r->display, &r->callee, &r->account, &r->forwarded_from, &r->raw};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
      rebase(v[k], lo, hi, sl->text);
      rebase(v[k], sp, sp + sn, sl->scratch);
    }
  }
  sl->n = n;
  warden_detect_keys_of(sl->recs, n, sl->keys);
  return true;
}

static void *detect_thread(void *arg) {
  scan_pipe *pp = arg;
  for (;;) {
    pthread_mutex_lock(&pp->mu);
    while (pp->tail == pp->head && !pp->done) pthread_cond_wait(&pp->cv, &pp->mu);
    if (pp->tail == pp->head && pp->done) {
      pthread_mutex_unlock(&pp->mu);
      return NULL;
    }
    scan_slot *sl = &pp->slots[pp->tail % SCAN_SLOTS];
    pthread_mutex_unlock(&pp->mu);
    bool ok = warden_detect_feed_keyed(pp->d, sl->recs, sl->keys, sl->n) == WARDEN_OK;
    pthread_mutex_lock(&pp->mu);
    if (!ok) pp->failed = true;
    pp->tail++;
    pthread_cond_broadcast(&pp->cv);
    pthread_mutex_unlock(&pp->mu);
  }
}

/* Hands a batch to the detecting thread; waits for a free slot. */
static bool pipe_push(scan_pipe *pp, const warden_cdr *recs, size_t n, warden_cdr_reader *rd) {
  pthread_mutex_lock(&pp->mu);
  while (pp->head - pp->tail == SCAN_SLOTS && !pp->failed) pthread_cond_wait(&pp->cv, &pp->mu);
  bool failed = pp->failed;
  pthread_mutex_unlock(&pp->mu);
  if (failed || !slot_fill(&pp->slots[pp->head % SCAN_SLOTS], recs, n, rd)) return false;
  pthread_mutex_lock(&pp->mu);
  pp->head++;
  pthread_cond_broadcast(&pp->cv);
  pthread_mutex_unlock(&pp->mu);
  return true;
}

/* Waits for every batch to be detected and the thread to end. */
static bool pipe_finish(scan_pipe *pp, pthread_t th) {
  pthread_mutex_lock(&pp->mu);
  pp->done = true;
  pthread_cond_broadcast(&pp->cv);
  pthread_mutex_unlock(&pp->mu);
  pthread_join(th, NULL);
  for (int i = 0; i < SCAN_SLOTS; i++) {
    free(pp->slots[i].text);
    free(pp->slots[i].scratch);
  }
  pthread_mutex_destroy(&pp->mu);
  pthread_cond_destroy(&pp->cv);
  return !pp->failed;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
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

int cmd_scan(int argc, char **argv) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'}, {"json", no_argument, NULL, 'j'},
      {"db", required_argument, NULL, 'd'},     {"policy", required_argument, NULL, 'p'},
      {"rejects", required_argument, NULL, 'r'}, {"asterisk-gmt", no_argument, NULL, 'G'},
      {"inbound-contexts", required_argument, NULL, 'I'}, {"threads", required_argument, NULL, 't'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  warden_cdr_opts copts = {0};
  const char *db = NULL, *policy = NULL, *rejects_path = NULL;
  bool json = false, piped = false;
  int c, threads = 1;
  static scan_pipe pp; /* large: kept off the stack */
  pthread_t th;
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
    case 'r': rejects_path = optarg; break;
    case 'G': copts.asterisk_gmt = true; break;
    case 'I': copts.inbound_contexts = optarg; break;
    case 't': {
      int64_t n;
      if (!warden_parse_i64(optarg, &n) || n < 1 || n > 64) return cli_usage_error("scan", "--threads takes 1 to 64");
      threads = (int)n; /* 2 or more: reading and detecting run side by side */
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
  FILE *rej = NULL;
  warden_cdr *batch = NULL;
  char rej_tmp[700] = "", rej_final[600] = "";
  int rc = EXIT_OKAY;
  if (db) {
    if (!(r = cli_open(db))) { rc = EXIT_USAGE; goto done; }
    if (warden_detect_snapshot_load(r, &snap)) {
      fprintf(stderr, "warden scan: %s\n", warden_registry_errmsg(r));
      rc = EXIT_USAGE;
      goto done;
    }
  }
  if (warden_detect_new(&params, snap, &d)) { rc = EXIT_USAGE; goto done; }
  uint64_t rejected = 0, by_reason_n[16] = {0};
  const char *by_reason[16] = {0};
  int nreasons = 0;
  bool tty = isatty(2);
  unsigned long batches = 0;
  if (threads > 1) {
    memset(&pp, 0, sizeof pp);
    pthread_mutex_init(&pp.mu, NULL);
    pthread_cond_init(&pp.cv, NULL);
    pp.d = d;
    if (pthread_create(&th, NULL, detect_thread, &pp) == 0) piped = true;
  }
  batch = malloc(SCAN_BATCH * sizeof *batch);
  if (!batch) { rc = EXIT_USAGE; goto done; }
  double t0 = now_s(), last_progress = t0;
  for (int fi = optind; fi < argc; fi++) {
    warden_cdr_reader *rd;
    char err[400];
    if (warden_cdr_open(&rd, argv[fi], &copts, err, sizeof err)) {
      fprintf(stderr, "warden scan: %s\n", err);
      rc = EXIT_USAGE;
      goto done;
    }
    for (;;) {
      size_t n;
      warden_status st = warden_cdr_next_batch(rd, batch, SCAN_BATCH, &n);
      if (st) {
        fprintf(stderr, "warden scan: %s\n", warden_cdr_error(rd));
        rc = EXIT_USAGE;
        warden_cdr_close(rd);
        goto done;
      }
      if (!n) break;
      for (size_t i = 0; i < n; i++) {
        const warden_cdr *rec = &batch[i];
        if (!rec->reject) continue;
        rejected++;
        const char *why = rec->reject;
        int k;
        for (k = 0; k < nreasons && strcmp(by_reason[k], why); k++) {}
        if (k == nreasons && nreasons < 16) by_reason[nreasons++] = why;
        if (k < 16) by_reason_n[k]++;
        if (!rej) {
          if (rejects_path) snprintf(rej_final, sizeof rej_final, "%s", rejects_path);
          else if (!strcmp(argv[fi], "-")) snprintf(rej_final, sizeof rej_final, "rejects.csv");
          else snprintf(rej_final, sizeof rej_final, "%s.rejects.csv", argv[fi]);
          snprintf(rej_tmp, sizeof rej_tmp, "%s.tmp%ld", rej_final, (long)getpid());
          if (!(rej = fopen(rej_tmp, "w"))) {
            perror(rej_tmp);
            rc = EXIT_USAGE;
            warden_cdr_close(rd);
            goto done;
          }
          fputs("file,line,reason,record\n", rej);
        }
        fprintf(rej, "%s,%lu,%s,\"", argv[fi], rec->line, why);
        for (uint32_t c2 = 0; c2 < rec->raw.n; c2++) {
          if (rec->raw.p[c2] == '"') fputc('"', rej);
          fputc(rec->raw.p[c2] ? rec->raw.p[c2] : ' ', rej);
        }
        fputs("\"\n", rej);
      }
      if (piped ? !pipe_push(&pp, batch, n, rd) : warden_detect_feed_batch(d, batch, n) != WARDEN_OK) {
        fprintf(stderr, "warden scan: out of memory\n");
        rc = EXIT_USAGE;
        warden_cdr_close(rd);
        goto done;
      }
      if (tty && ++batches % 64 == 0) {
        double t = now_s();
        if (t - last_progress > 0.5) {
          uint64_t done_b, total_b;
          warden_cdr_progress(rd, &done_b, &total_b);
          warden_detect_stats s;
          warden_detect_stats_get(d, &s);
          double rate = (double)s.records / (t - t0);
          if (total_b) fprintf(stderr, "\r%s: %llu records, %.2f M/s, %.0f%%, %.0f s left   ", argv[fi],
                               (unsigned long long)s.records, rate / 1e6, 100.0 * (double)done_b / (double)total_b,
                               (double)(total_b - done_b) / ((double)done_b / (t - t0) + 1));
          else fprintf(stderr, "\r%s: %llu records, %.2f M/s   ", argv[fi], (unsigned long long)s.records, rate / 1e6);
          last_progress = t;
        }
      }
    }
    warden_cdr_close(rd);
  }
  if (piped) {
    piped = false;
    if (!pipe_finish(&pp, th)) {
      fprintf(stderr, "warden scan: out of memory\n");
      rc = EXIT_USAGE;
      goto done;
    }
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
          (unsigned long long)s.duplicates, (unsigned long long)rejected);
  for (int k = 0; k < nreasons; k++) fprintf(stderr, "%s%s %llu", k ? ", " : " (", by_reason[k], (unsigned long long)by_reason_n[k]);
  fprintf(stderr, "%s%s%s\n", nreasons ? ")" : "", rej ? "; see " : "", rej ? rej_final : "");
  fprintf(stderr, "findings:");
  for (int k = 0; k < WARDEN_RULE__COUNT; k++)
    fprintf(stderr, " %s %llu%s", warden_rule_id((warden_rule)k), (unsigned long long)s.findings[k], s.skipped[k] ? " (skipped: needs --db)" : "");
  fprintf(stderr, "\nskipped parts without a registry: %s\n",
          snap ? "none" : "TR-SLOT; TR-SPOOF allocation check; TR-RESTHOURS consent check; TR-CROSSPROV for non-fixed numbers");
  fprintf(stderr, "%.2f s, %.2f million records/s; %llu numbers tracked at most, %.1f MB of state at most\n", elapsed,
          (double)s.records / (elapsed > 0 ? elapsed : 1) / 1e6, (unsigned long long)s.peak_tracked,
          (double)s.peak_state_bytes / 1e6);
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
  if (rejected > s.records) {
    fprintf(stderr, "warden scan: most of the input was rejected (%llu of %llu records): is it the right format (--format)?\n",
            (unsigned long long)rejected, (unsigned long long)(rejected + s.records));
    rc = EXIT_FINDINGS;
  } else if (nf) {
    rc = EXIT_FINDINGS;
  }
done:
  if (piped) pipe_finish(&pp, th);
  free(batch);
  if (rej) {
    if (fclose(rej) == 0) rename(rej_tmp, rej_final);
    else unlink(rej_tmp);
  }
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
