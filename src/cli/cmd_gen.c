/* cmd_gen.c — `warden gen registry`: synthetic registries for the demo, the tests and the benchmarks. */
#include <stdlib.h>
#include <string.h>

#include "../gen/gen.h"
#include "cli.h"

static const char gen_help[] =
    "usage: warden gen registry --out DIR [--seed S] [--customers N] [--now DATE]\n"
    "       warden gen calls --calls N [--truth FILE] ...   (warden gen calls --help)\n"
    "       warden gen accounts --accounts N [--seed S] [--out DIR] [--truth FILE]   (warden gen accounts --help)\n\n"
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
  if (argc >= 2 && !strcmp(argv[1], "calls")) return cmd_gen_calls(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "accounts")) return cmd_gen_accounts(argc - 1, argv + 1);
  int sub = cli_subcommand("gen", "registry|calls|accounts", gen_help, &argc, &argv);
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
