/* cmd_demo.c — `warden demo`, the main job on the embedded default: a generated channel with its
 * documents and numbers goes through the real rules (KYC, activation, contracts, arrears, the
 * channel's inspections and exits) and the reports a compliance lead reads come out. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../channel/channel.h"
#include "../detect/detect.h"
#include "../enforce/enforce.h"
#include "../gen/gen.h"
#include "../money/money.h"
#include "../numbers/numbers.h"
#include "cli.h"

static const char demo_help[] =
    "usage: warden demo [--dir DIR] [--customers N] [--seed S]\n\n"
    "The main job on the embedded default. Generates a channel (default 5000 customers under agents\n"
    "and distributors, with their documents, number applications and payment habits) into DIR\n"
    "(default work/demo) and runs it through the rules into a fresh DIR/warden.db:\n"
    "  1. import and check every document; the KYC report at the campaign deadline (KYC-*, EN-DOCS)\n"
    "  2. the number applications: activation refused unless every precondition holds (KYC-400-DOCS,\n"
    "     KYC-LANDING, CH-LINK-CUST); contracts for the numbers activated (CT-TERM)\n"
    "  3. the channel acts: the worst agent under inspection (KYC-AGENT, CH-INSPECT), one reseller exits\n"
    "     (CH-EXIT)\n"
    "  6. associated accounts: clusters over shared keys, with the chains of evidence (ASSOC-*)\n"
    "  7. a day of call traffic with planted violations through the detectors (TR-*), checked\n"
    "     against what was planted; the findings stored\n"
    "  8. enforcement (EN-*): hosted servers and a day of complaints imported, findings, complaints and\n"
    "     KYC verdicts turned into cases, an inspector's cases, then two weeks of mornings: `warden\n"
    "     tick` (renewals, late fees, suspensions, case deadlines) and the steps people take\n"
    "  9. the channel, inventory, contracts and arrears as they stand, and the morning report.\n"
    "It ends by saying where the database is and how to look into it.\n";

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static long count(warden_registry *r, const char *sql) {
  sqlite3_stmt *q;
  long n = 0;
  if (sqlite3_prepare_v2(warden_registry_db(r), sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return n;
}

/* Prints "  label: a 12, b 3" from a two-column (name, count) query. */
static void breakdown(warden_registry *r, const char *label, const char *sql) {
  sqlite3_stmt *q;
  printf("  %-22s", label);
  if (sqlite3_prepare_v2(warden_registry_db(r), sql, -1, &q, NULL) == SQLITE_OK) {
    for (int i = 0; sqlite3_step(q) == SQLITE_ROW; i++)
      printf("%s%s %lld", i ? ", " : "", sqlite3_column_text(q, 0), sqlite3_column_int64(q, 1));
    sqlite3_finalize(q);
  }
  putchar('\n');
}

/* Step 2: each planned application: the landing mobile activated for the customer, the 400 number
 * reserved for it and activated with that landing; refusals counted by their first rule id. */
static warden_status apply_for_numbers(warden_registry *r, const warden_policy *p, const char *dir, warden_rng *g,
                                       int32_t today) {
  char path[700];
  warden_csv csv;
  bool got;
  long tried = 0, active = 0, contracts = 0, notices = 0;
  struct { char rule[32]; long n; } refused[16];
  int nref = 0;
  memset(refused, 0, sizeof refused);
  snprintf(path, sizeof path, "%s/plan.csv", dir);
  if (warden_csv_open(&csv, path, 0)) {
    fprintf(stderr, "warden demo: %s\n", csv.err);
    return WARDEN_ERR_IO;
  }
  warden_csv_next(&csv, &got); /* header */
  warden_buf why;
  warden_buf_init(&why, 1 << 16);
  while (warden_csv_next(&csv, &got) == WARDEN_OK && got && csv.nfields == 3) {
    const char *cust = warden_csv_field(&csv, 0), *landing = warden_csv_field(&csv, 1), *service = warden_csv_field(&csv, 2);
    tried++;
    warden_buf_reset(&why);
    warden_status st = warden_number_reserve(r, service, cust, "application");
    if (!st) st = warden_number_reserve(r, landing, cust, "landing");
    if (!st) st = warden_number_activate(r, landing, cust, NULL, &why);
    if (!st) st = warden_number_activate(r, service, cust, landing, &why);
    if (st) {
      /* the first rule id named in the refusal */
      const char *m = why.len ? warden_buf_str(&why) : warden_registry_errmsg(r), *open = strrchr(m, '(');
      char rule[32] = "other";
      const char *first = strchr(m, '(');
      if (first) open = first;
      if (open) {
        size_t n = strcspn(open + 1, ",)");
        snprintf(rule, sizeof rule, "%.*s", (int)(n < sizeof rule ? n : sizeof rule - 1), open + 1);
      }
      int k;
      for (k = 0; k < nref && strcmp(refused[k].rule, rule); k++) {}
      if (k == nref && nref < 16) { snprintf(refused[nref].rule, sizeof refused[nref].rule, "%s", rule); refused[nref++].n = 0; }
      if (k < 16) refused[k].n++;
      continue;
    }
    active++;
    /* a one-year contract for the number, signed in the last 13 months */
    warden_arena a;
    warden_arena_init(&a, 0);
    warden_number_view v;
    int64_t fee = 0;
    if (!warden_number_get(r, service, &a, &v)) fee = v.annual_fee_fen;
    warden_arena_release(&a);
    char id[32];
    snprintf(id, sizeof id, "K-%s", service);
    int32_t start = today - 395 + (int32_t)warden_rng_below(g, 395);
    if (warden_contract_create(r, p, id, cust, start, fee, true)) continue;
    contracts++;
    if (warden_rng_below(g, 10) == 0 && !warden_contract_notice(r, p, id, start + 30)) notices++;
  }
  warden_buf_release(&why);
  warden_csv_close(&csv);
  printf("== number applications: %ld, activated %ld; refused:", tried, active);
  for (int k = 0; k < nref; k++) printf("%s %s %ld", k ? "," : "", refused[k].rule, refused[k].n);
  printf("\n== contracts signed: %ld (notice given on %ld: they lapse at their term's end)\n", contracts, notices);
  return WARDEN_OK;
}

/* Customers pay as customers do, each by its habit (from its id, so the same in every round): most
 * pay what they owe, one in twelve pays half, one in twelve never pays. */
static int habit_of(const char *id) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (const char *c = id; *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211ull;
  return (int)(h % 12);
}

static void payments(warden_registry *r, long *good, long *half, long *never) {
  sqlite3_stmt *q;
  *good = *half = *never = 0;
  if (sqlite3_prepare_v2(warden_registry_db(r), "SELECT account_id, balance_fen FROM account_balance WHERE balance_fen > 0"
                                                " ORDER BY account_id", -1, &q, NULL))
    return;
  typedef struct { char id[72]; int64_t bal; } owed;
  owed *list = NULL;
  size_t n = 0, cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 256;
      owed *nl = realloc(list, cap * sizeof *nl);
      if (!nl) break;
      list = nl;
    }
    snprintf(list[n].id, sizeof list[n].id, "%s", sqlite3_column_text(q, 0));
    list[n++].bal = sqlite3_column_int64(q, 1);
  }
  sqlite3_finalize(q);
  for (size_t i = 0; i < n; i++) {
    int habit = habit_of(list[i].id);
    bool restored;
    if (habit == 0) { (*never)++; continue; }
    int64_t amount = habit == 1 ? list[i].bal / 2 : list[i].bal;
    if (amount > 0 && !warden_payment_record(r, list[i].id, amount, "bank transfer", &restored)) (*(habit == 1 ? half : good))++;
  }
  free(list);
}

static warden_status channel_acts(warden_registry *r, int32_t deadline) {
  warden_arena a;
  warden_arena_init(&a, 0);
  warden_kyc_report rep;
  warden_status st = warden_registry_kyc_report(r, deadline, &a, &rep);
  if (!st && rep.nagents) {
    char reason[200];
    snprintf(reason, sizeof reason, "KYC-AGENT: %ld of its %ld customers fail real-name checks", rep.agents[0].failing,
             rep.agents[0].customers);
    if (!warden_channel_inspect(r, rep.agents[0].agent, 0, reason))
      printf("== %s put under inspection, all permissions frozen (%s)\n", rep.agents[0].agent, reason);
  }
  if (!st && rep.nagents > 1) {
    int offers = 0;
    const char *leaving = rep.agents[rep.nagents - 1].agent;
    if (!warden_channel_exit(r, leaving, WARDEN_EXIT_VOLUNTARY, "retiring from the business", &offers))
      printf("== %s exits (CH-EXIT): %d customers offered re-linking, liable for its earlier orders\n", leaving, offers);
  }
  warden_arena_release(&a);
  return st;
}

static void print_state(warden_registry *r) {
  char b[32];
  printf("\nThe channel (CH-*)\n");
  breakdown(r, "accounts by role:", "SELECT role, count(*) FROM account GROUP BY role ORDER BY min(rowid)");
  breakdown(r, "accounts by state:", "SELECT state, count(*) FROM account GROUP BY state ORDER BY count(*) DESC");
  printf("  %-22s%ld open, %ld accepted, %ld declined\n", "re-linking offers:",
         count(r, "SELECT count(*) FROM relink_offer WHERE answered IS NULL"),
         count(r, "SELECT count(*) FROM relink_offer WHERE accepted = 1"),
         count(r, "SELECT count(*) FROM relink_offer WHERE accepted = 0"));
  printf("\nThe number inventory (NUM-CATALOG)\n");
  breakdown(r, "by state:", "SELECT state, count(*) FROM number GROUP BY state ORDER BY count(*) DESC");
  breakdown(r, "400 numbers by grade:", "SELECT grade, count(*) FROM number WHERE kind = '400' GROUP BY grade ORDER BY max(annual_fee_fen) DESC");
  warden_money_format(count(r, "SELECT COALESCE(SUM(annual_fee_fen), 0) FROM number WHERE state = 'active' AND kind IN ('400','800')"), b, sizeof b);
  printf("  %-22s%s yuan a year\n", "active 400 fees:", b);
  printf("\nContracts (CT-TERM)\n");
  printf("  %-22s%ld renewing, %ld lapsing at their term's end, %ld ended, %ld terminated for arrears\n", "contracts:",
         count(r, "SELECT count(*) FROM contract WHERE state = 'active' AND auto_renew = 1 AND notice_date IS NULL"),
         count(r, "SELECT count(*) FROM contract WHERE state = 'active' AND (auto_renew = 0 OR notice_date IS NOT NULL)"),
         count(r, "SELECT count(*) FROM contract WHERE state = 'ended'"),
         count(r, "SELECT count(*) FROM contract WHERE state = 'terminated'"));
  printf("  %-22s%ld\n", "renewals so far:", count(r, "SELECT COALESCE(SUM(renewals), 0) FROM contract"));
  printf("\nArrears (CT-ARREARS)\n");
  warden_money_format(count(r, "SELECT COALESCE(SUM(b.balance_fen), 0) FROM arrears a JOIN account_balance b USING (account_id)"), b, sizeof b);
  printf("  %-22s%ld accounts, %s yuan owed; %ld dunned, %ld suspended, %ld terminated\n", "in arrears:",
         count(r, "SELECT count(*) FROM arrears"), b, count(r, "SELECT count(*) FROM arrears WHERE dunned"),
         count(r, "SELECT count(*) FROM arrears WHERE suspended IS NOT NULL AND terminated IS NULL"),
         count(r, "SELECT count(*) FROM arrears WHERE terminated IS NOT NULL"));
  warden_money_format(count(r, "SELECT COALESCE(SUM(amount_fen), 0) FROM ledger WHERE kind = 'late_fee'"), b, sizeof b);
  printf("  %-22s%s yuan\n", "late fees charged:", b);
  long accounts, bad;
  char first[300];
  if (!warden_ledger_check(r, NULL, &accounts, &bad, first, sizeof first))
    printf("  %-22s%ld accounts, %s\n", "ledger check:", accounts, bad ? first : "every balance equals the sum of its entries");
}

/* Step 6: a day of call traffic through the detectors, checked against what was planted. */
static int traffic(warden_registry *r, const char *dir, const warden_policy *p, uint64_t seed) {
  char calls[700], truth[700], err[400];
  snprintf(calls, sizeof calls, "%s/calls.csv", dir);
  snprintf(truth, sizeof truth, "%s/truth.csv", dir);
  warden_gen_calls_opts go = {.seed = seed, .calls = 300000, .plant = {3, 3, 3, 3, 3, 3, 3}, .out = calls, .truth = truth};
  warden_gen_calls_stats gs;
  if (warden_gen_calls(&go, &gs, err, sizeof err)) {
    fprintf(stderr, "warden demo: %s\n", err);
    return -1;
  }
  warden_detect_params params;
  warden_detect_params_from_policy(p, &params);
  warden_detect *d = NULL;
  warden_cdr_reader *rd = NULL;
  warden_cdr_opts copts = {0};
  warden_cdr *batch = malloc(512 * sizeof *batch);
  int rc = -1;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!batch || warden_detect_new(&params, NULL, &d) || warden_cdr_open(&rd, calls, &copts, err, sizeof err)) goto done;
  size_t n;
  uint64_t rejected = 0;
  while (warden_cdr_next_batch(rd, batch, 512, &n) == WARDEN_OK && n) {
    for (size_t i = 0; i < n; i++) rejected += batch[i].reject != NULL;
    if (warden_detect_feed_batch(d, batch, n)) goto done;
  }
  double secs = seconds_since(&t0);
  const warden_finding *fs;
  size_t nf;
  warden_detect_finish(d, &fs, &nf);
  warden_detect_stats st;
  warden_detect_stats_get(d, &st);
  /* the planted truth, against the findings */
  long planted = 0, found = 0;
  FILE *tf = fopen(truth, "r");
  char line[128];
  while (tf && fgets(line, sizeof line, tf)) {
    line[strcspn(line, "\n")] = '\0';
    char *comma = strchr(line, ',');
    if (!comma) continue;
    *comma = '\0';
    planted++;
    for (size_t i = 0; i < nf; i++)
      if (!strcmp(warden_rule_id(fs[i].rule), line) && !strcmp(fs[i].subject, comma + 1)) { found++; break; }
  }
  if (tf) fclose(tf);
  printf("\nA day of call traffic (TR-*): %s, %llu records (%llu duplicates counted once, %llu rejected) in %.2f s\n", calls,
         (unsigned long long)(st.records + st.duplicates), (unsigned long long)st.duplicates, (unsigned long long)rejected, secs);
  printf("  %-22s", "findings by rule:");
  for (int k = 0; k < WARDEN_RULE__COUNT; k++)
    printf("%s%s %llu%s", k ? ", " : "", warden_rule_id((warden_rule)k), (unsigned long long)st.findings[k],
           k == WARDEN_RULE_SLOT ? " (needs the registry)" : "");
  printf("\n  %-22s%ld of %ld planted violations found, %zu findings in all\n", "against the truth:", found, planted, nf);
  static const warden_rule show[] = {WARDEN_RULE_AUTODIAL, WARDEN_RULE_SEGMENT, WARDEN_RULE_400_OUT};
  for (size_t k = 0; k < 3; k++) /* one of each, the first of its rule */
    for (size_t i = 0; i < nf; i++)
      if (fs[i].rule == show[k]) {
        printf("  %-12s %-12s %ld calls, e.g. %s; %s\n", warden_rule_id(fs[i].rule), fs[i].subject, fs[i].count,
               fs[i].nsamples ? fs[i].samples[0] : "-", fs[i].evidence);
        break;
      }
  rc = found == planted && (long)nf == planted ? 0 : 1;
  if (warden_finding_store(r, fs, nf, calls)) {
    fprintf(stderr, "warden demo: %s\n", warden_registry_errmsg(r));
    rc = -1;
  }
done:
  warden_cdr_close(rd);
  warden_detect_free(d);
  free(batch);
  return rc;
}

int cmd_demo(int argc, char **argv) {
  static const struct option longopts[] = {
      {"dir", required_argument, NULL, 'd'}, {"customers", required_argument, NULL, 'c'},
      {"seed", required_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  warden_gen_registry_opts o = {.seed = 20260302, .customers = 5000, .dir = "work/demo"};
  int64_t v;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o.dir = optarg; break;
    case 'c':
      if (!warden_parse_i64(optarg, &v) || v < 1 || v > 10000000) return cli_usage_error("demo", "--customers takes 1 to 10000000");
      o.customers = (long)v;
      break;
    case 's': if (!warden_parse_i64(optarg, &v)) return cli_usage_error("demo", "--seed takes a number"); o.seed = (uint64_t)v; break;
    case 'h': cli_help(demo_help); return EXIT_OKAY;
    default: return cli_usage_error("demo", "unknown option");
    }
  }
  /* The campaign deadline of seed 003 item 2 falls on 8 March; the demo starts on 2 March 2026. */
  if (!getenv("WARDEN_NOW")) setenv("WARDEN_NOW", "2026-03-02T09:00:00+08:00", 1);
  o.today = warden_today();
  char db[600], path[700], err[600];
  mkdir("work", 0700);
  warden_gen_registry_stats s;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (warden_gen_registry(&o, &s, err, sizeof err)) {
    fprintf(stderr, "warden demo: %s\n", err);
    return EXIT_USAGE;
  }
  printf("== generated %ld parties, %ld accounts, %ld documents, %ld numbers in %s\n", s.parties, s.accounts,
         s.documents, s.numbers, o.dir);
  snprintf(db, sizeof db, "%s/warden.db", o.dir);
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s%s", db, suffix[i]);
    unlink(path);
  }
  warden_registry *r = cli_open(db);
  if (!r) return EXIT_USAGE;
  warden_policy *p = NULL;
  warden_buf perr;
  warden_buf_init(&perr, 1 << 16);
  int rc = EXIT_OKAY;
  if (warden_policy_load(NULL, &p, &perr)) {
    fputs(warden_buf_str(&perr), stderr);
    rc = EXIT_USAGE;
    goto done;
  }
  const char *files[3] = {"parties", "accounts", "documents"};
  for (int i = 0; i < 3; i++) {
    warden_import_opts io = {.today = o.today};
    warden_import_result res;
    snprintf(path, sizeof path, "%s/%s.csv", o.dir, files[i]);
    if (warden_registry_import(r, (warden_import_kind)i, path, &io, &res)) {
      fprintf(stderr, "warden demo: %s\n", warden_registry_errmsg(r));
      rc = EXIT_USAGE;
      goto done;
    }
    printf("== imported %s: %ld rows, %ld imported, %ld rejected\n", path, res.rows, res.accepted, res.rejected);
  }
  printf("== %.2f s to generate, check, seal and import\n\n", seconds_since(&t0));
  int32_t deadline = warden_date_from_ymd(2026, 3, 8);
  kyc_print_report(r, deadline, false, 10);

  /* step 2: numbers and contracts */
  printf("\n");
  {
    warden_import_opts io = {.today = o.today};
    warden_import_result res;
    snprintf(path, sizeof path, "%s/numbers.csv", o.dir);
    if (warden_number_import(r, p, path, &io, &res)) {
      fprintf(stderr, "warden demo: %s\n", warden_registry_errmsg(r));
      rc = EXIT_USAGE;
      goto done;
    }
    printf("== number catalogue %s: %ld rows, %ld in the inventory, %ld rejected\n", path, res.rows, res.accepted, res.rejected);
  }
  warden_rng g;
  warden_rng_seed(&g, o.seed ^ 0x5EEDull);
  if (apply_for_numbers(r, p, o.dir, &g, o.today)) { rc = EXIT_USAGE; goto done; }
  /* customers pay at signing; the first tick renews the terms the past year ended and posts their
   * fees; those who pay, pay them */
  warden_tick_report t;
  long good, half, never, g2, h2, n2;
  payments(r, &good, &half, &never);
  if (warden_money_tick(r, p, warden_now(), &t)) goto tick_failed;
  payments(r, &g2, &h2, &n2);
  printf("== payments at signing: %ld accounts pay what they owe, %ld pay half, %ld never pay\n", good, half, never);
  /* step 3: the channel acts on what the KYC report found */
  if (channel_acts(r, deadline)) { rc = EXIT_USAGE; goto done; }
  if (demo_link_section(r, o.dir) != EXIT_OKAY) rc = EXIT_USAGE;
  if (traffic(r, o.dir, p, o.seed) < 0) { rc = EXIT_USAGE; goto done; }
  /* step 8: enforcement, with two weeks of mornings: the money, the numbers and the cases ticked */
  warden_tick_report sum = {0};
  if (demo_enforce_section(r, p, o.dir, o.today, deadline, &sum) != EXIT_OKAY) { rc = EXIT_USAGE; goto done; }
  char lf[32], d0[11], d1[11];
  warden_money_format(sum.late_fee_fen, lf, sizeof lf);
  warden_date_format(o.today, d0);
  warden_date_format(o.today + 14, d1);
  printf("\n== ticked every morning %s..%s: %d renewed, %d lapsed, %d dunned, %s yuan of late fees, %d suspended, "
         "%d terminated\n", d0, d1, sum.renewed, sum.ended, sum.dunned, lf, sum.suspended, sum.terminated);
  print_state(r);
  printf("\nThe morning report, %s:\n", d1);
  setenv("WARDEN_DB", db, 1);
  {
    char a0[] = "report", a1[] = "--since", a2[40];
    snprintf(a2, sizeof a2, "%s", d0);
    char *rargv[] = {a0, a1, a2, NULL};
    if (cmd_enforce(3, rargv) != EXIT_OKAY) rc = EXIT_USAGE;
  }
  warden_audit_check chk;
  if (warden_audit_verify(r, &chk) == WARDEN_OK)
    printf("\naudit chain: %lld entries, %s\n", (long long)chk.entries, chk.first_bad ? chk.reason : "holds");
  printf("\nthe database is %s (key file beside it). Look into it with:\n"
         "  export WARDEN_DB=%s WARDEN_NOW=%s\n"
         "  ./build/warden kyc report --limit 0        ./build/warden arrears\n"
         "  ./build/warden number list --state active  ./build/warden contract list\n"
         "  ./build/warden party show P-C000001        ./build/warden audit verify\n"
         "  ./build/warden cases --state open          ./build/warden case show 1\n"
         "  ./build/warden report --json               ./build/warden cases --overdue\n"
         "  the dashboard: ./build/warden token create --role platform, then\n"
         "  ./build/warden serve --listen 127.0.0.1:8080 --db %s and open http://127.0.0.1:8080/\n"
         "(generated in %.1f s)\n",
         db, db, getenv("WARDEN_NOW"), db, seconds_since(&t0));
  goto done;
tick_failed:
  fprintf(stderr, "warden demo: %s\n", warden_registry_errmsg(r));
  rc = EXIT_USAGE;
done:
  warden_policy_free(p);
  warden_buf_release(&perr);
  warden_registry_close(r);
  return rc;
}
