/* cmd_policy.c — `warden policy check FILE` and `warden policy show`. */
#include <string.h>

#include "../policy/policy.h"
#include "cli.h"

static const char policy_help[] =
    "usage: warden policy check FILE\n"
    "       warden policy show [--policy FILE]\n\n"
    "check validates a whole policy file and reports every error with its line (unknown sections and\n"
    "keys, duplicates, missing keys, values without their unit); exit 0 when it is sound, 1 when not.\n"
    "show prints the effective policy: FILE, else $WARDEN_POLICY, else the built-in default\n"
    "(policy/default.policy), with the rule-book id each value encodes.\n";

int cmd_policy(int argc, char **argv) {
  static const struct option longopts[] = {
      {"policy", required_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *file = NULL;
  int c;
  int sub = cli_subcommand("policy", "check|show", policy_help, &argc, &argv);
  if (sub >= 0) return sub;
  bool check = !strcmp(argv[0], "check");
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'p': file = optarg; break;
    case 'h': cli_help(policy_help); return EXIT_OKAY;
    default: return cli_usage_error("policy", "unknown option");
    }
  }
  if (check) {
    if (argc - optind != 1) return cli_usage_error("policy", "check takes one file");
    file = argv[optind];
  } else if (optind != argc) {
    return cli_usage_error("policy", "unexpected argument '%s'", argv[optind]);
  }
  warden_buf errors;
  warden_buf_init(&errors, 1 << 20);
  warden_policy *p = NULL;
  warden_status st = warden_policy_load(file, &p, &errors);
  int rc = EXIT_OKAY;
  if (st) {
    fputs(warden_buf_str(&errors), stderr);
    rc = st == WARDEN_ERR_PARSE ? EXIT_FINDINGS : EXIT_USAGE;
  } else if (check) {
    printf("%s: sound\n", file);
  } else {
    warden_buf out;
    warden_buf_init(&out, 0);
    warden_policy_write(p, &out);
    fputs(warden_buf_str(&out), stdout);
    warden_buf_release(&out);
  }
  warden_policy_free(p);
  warden_buf_release(&errors);
  return rc;
}
