/* cmd_gen.c — `warden gen registry` and `warden demo`, the main job on the embedded default. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../gen/gen.h"
#include "cli.h"

static const char gen_help[] =
    "usage: warden gen registry --out DIR [--seed S] [--customers N] [--now DATE]\n\n"
    "Writes DIR/parties.csv, DIR/accounts.csv and DIR/documents.csv: a platform, distributors,\n"
    "agents and N customers (default 5000), individuals and organisations, with a realistic share of\n"
    "bad documents (wrong check digits, expired, unknown region, under 16, forged formats,\n"
    "impossible dates), heavier under one agent in ten. The same seed gives the same bytes.\n";

int cmd_gen(int argc, char **argv) {
  static const struct option longopts[] = {
      {"out", required_argument, NULL, 'o'}, {"seed", required_argument, NULL, 's'},
      {"customers", required_argument, NULL, 'c'}, {"now", required_argument, NULL, 'n'},
      {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  warden_gen_registry_opts o = {.seed = 1, .customers = 5000};
  int64_t v;
  int c;
  int sub = cli_subcommand("gen", "registry", gen_help, &argc, &argv);
  if (sub >= 0) return sub;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'o': o.dir = optarg; break;
    case 's': if (!warden_parse_i64(optarg, &v)) return cli_usage_error("gen", "--seed takes a number"); o.seed = (uint64_t)v; break;
    case 'c':
      if (!warden_parse_i64(optarg, &v) || v < 1 || v > 100000000) return cli_usage_error("gen", "--customers takes 1 to 100000000");
      o.customers = (long)v;
      break;
    case 'n': if (!cli_set_now(optarg)) return cli_usage_error("gen", "--now '%s' is not a date", optarg); break;
    case 'h': cli_help(gen_help); return EXIT_OKAY;
    default: return cli_usage_error("gen", "unknown option");
    }
  }
  if (!o.dir) return cli_usage_error("gen", "--out DIR is required");
  o.today = warden_today();
  warden_gen_registry_stats s;
  char err[600];
  if (warden_gen_registry(&o, &s, err, sizeof err)) {
    fprintf(stderr, "warden gen: %s\n", err);
    return EXIT_USAGE;
  }
  printf("%s: %ld parties, %ld accounts, %ld documents (%ld customers with a planted fault)\n", o.dir, s.parties,
         s.accounts, s.documents, s.planted_bad);
  return EXIT_OKAY;
}

static const char demo_help[] =
    "usage: warden demo [--dir DIR] [--customers N] [--seed S]\n\n"
    "The main job on the embedded default: generates a registry (default 5000 customers) into DIR\n"
    "(default work/demo), imports it into a fresh DIR/warden.db, and prints the KYC report. Then says\n"
    "where the database is and how to look into it.\n";

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
  /* The campaign deadline of seed 003 item 2 falls on 8 March; the demo checks as of 2026-03-02. */
  if (!getenv("WARDEN_NOW")) setenv("WARDEN_NOW", "2026-03-02T09:00:00+08:00", 1);
  o.today = warden_today();
  char dir_only[512], db[600], path[700], err[600];
  snprintf(dir_only, sizeof dir_only, "%s", o.dir);
  mkdir("work", 0700);
  warden_gen_registry_stats s;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (warden_gen_registry(&o, &s, err, sizeof err)) {
    fprintf(stderr, "warden demo: %s\n", err);
    return EXIT_USAGE;
  }
  printf("== generated %ld parties, %ld accounts, %ld documents in %s\n", s.parties, s.accounts, s.documents, dir_only);
  snprintf(db, sizeof db, "%s/warden.db", dir_only);
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s%s", db, suffix[i]);
    unlink(path);
  }
  warden_registry *r = cli_open(db);
  if (!r) return EXIT_USAGE;
  const char *files[3] = {"parties", "accounts", "documents"};
  int rc = EXIT_OKAY;
  for (int i = 0; i < 3; i++) {
    warden_import_opts io = {.today = o.today};
    warden_import_result res;
    snprintf(path, sizeof path, "%s/%s.csv", dir_only, files[i]);
    if (warden_registry_import(r, (warden_import_kind)i, path, &io, &res)) {
      fprintf(stderr, "warden demo: %s\n", warden_registry_errmsg(r));
      rc = EXIT_USAGE;
      goto done;
    }
    printf("== imported %s: %ld rows, %ld imported, %ld rejected\n", path, res.rows, res.accepted, res.rejected);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("== %.2f s to generate, check, seal and import\n\n",
         (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  int32_t deadline = warden_date_from_ymd(2026, 3, 8);
  kyc_print_report(r, deadline, false, 15);
  warden_audit_check chk;
  if (warden_audit_verify(r, &chk) == WARDEN_OK)
    printf("\naudit chain: %lld entries, %s\n", (long long)chk.entries, chk.first_bad ? chk.reason : "holds");
  printf("\nthe database is %s (key file beside it). Look into it with:\n"
         "  WARDEN_DB=%s ./build/warden kyc report --limit 0\n"
         "  WARDEN_DB=%s ./build/warden party show %s\n"
         "  WARDEN_DB=%s ./build/warden audit verify\n",
         db, db, db, s.parties > 10 ? "P-C000001" : "P-PLATFORM", db);
done:
  warden_registry_close(r);
  return rc;
}
