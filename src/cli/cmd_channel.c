/* cmd_channel.c — `warden channel`: linking, unlinking, inspections, breach and exit (CH-*). */
#include <stdlib.h>
#include <string.h>

#include "../channel/channel.h"
#include "cli.h"

static const char channel_help[] =
    "usage: warden channel COMMAND [--db FILE] ...\n\n"
    "  link RESELLER DISTRIBUTOR                      CH-LINK: a reseller has one distributor\n"
    "  unlink RESELLER --ground G [--reseller-confirms] [--distributor-confirms]\n"
    "                                                 CH-UNLINK-DIST; G: cooperation-ended, distributor-left,\n"
    "                                                 reseller-exit. Grounds 1 and 3 need both sides to confirm\n"
    "                                                 no unresolved dispute, none open, and settled balances\n"
    "  link-customer CUSTOMER RESELLER                CH-LINK-CUST\n"
    "  unlink-customer CUSTOMER --ground G [--both-agree]\n"
    "                                                 CH-UNLINK-CUST; G: agreed, customer-request,\n"
    "                                                 reseller-abnormal. The reseller stays liable\n"
    "  inspect ACCOUNT --reason TEXT [--freeze P,P...] CH-INSPECT: freeze some permissions (default all)\n"
    "  release ACCOUNT                                end the inspection: permissions come back\n"
    "  exit RESELLER --ground G [--note TEXT]          CH-EXIT; G: expiry, voluntary, platform-agreement,\n"
    "                                                 distributor-agreement, breach\n"
    "  breach RESELLER --reason TEXT                  CH-BREACH: cooperation terminated, permissions revoked\n"
    "  relink CUSTOMER RESELLER --consent | --decline  answer a re-linking offer after an exit\n"
    "  noservice AGENT CUSTOMER                       CH-NOSERVICE: the platform takes the customer over\n"
    "  dispute-open A B --note TEXT | dispute-close ID\n"
    "  permissions ACCOUNT                            what the account may do now, and why not\n\n"
    "Permissions: new-orders number-activation marketing top-up contracts billing invoices withdraw.\n"
    "A refusal names the precondition that failed (exit 1). Every change is audited.\n";

int cmd_channel(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},      {"ground", required_argument, NULL, 'g'},
      {"reason", required_argument, NULL, 'r'},  {"note", required_argument, NULL, 'n'},
      {"freeze", required_argument, NULL, 'f'},  {"reseller-confirms", no_argument, NULL, 'R'},
      {"distributor-confirms", no_argument, NULL, 'D'}, {"both-agree", no_argument, NULL, 'B'},
      {"consent", no_argument, NULL, 'C'},       {"decline", no_argument, NULL, 'X'},
      {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
  const char *db = NULL, *ground = NULL, *reason = NULL, *note = NULL, *freeze = NULL;
  warden_unlink_confirm confirm = {false, false};
  bool both = false, consent = false, decline = false;
  int c;
  int sub = cli_subcommand("channel",
                           "link|unlink|link-customer|unlink-customer|inspect|release|exit|breach|relink|noservice|"
                           "dispute-open|dispute-close|permissions",
                           channel_help, &argc, &argv);
  if (sub >= 0) return sub;
  const char *what = argv[0];
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'g': ground = optarg; break;
    case 'r': reason = optarg; break;
    case 'n': note = optarg; break;
    case 'f': freeze = optarg; break;
    case 'R': confirm.reseller_no_dispute = true; break;
    case 'D': confirm.distributor_no_dispute = true; break;
    case 'B': both = true; break;
    case 'C': consent = true; break;
    case 'X': decline = true; break;
    case 'h': cli_help(channel_help); return EXIT_OKAY;
    default: return cli_usage_error("channel", "unknown option");
    }
  }
  int nargs = argc - optind;
  char **args = argv + optind;
  int want = !strcmp(what, "link") || !strcmp(what, "link-customer") || !strcmp(what, "relink") ||
                     !strcmp(what, "noservice") || !strcmp(what, "dispute-open")
                 ? 2
                 : 1;
  if (nargs != want) return cli_usage_error("channel", "%s takes %d argument%s", what, want, want > 1 ? "s" : "");
  /* parse grounds and permissions before opening anything */
  unsigned perms = 0;
  if (freeze && strcmp(freeze, "all")) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", freeze);
    for (char *s = buf; s && *s;) {
      char *comma = strchr(s, ',');
      if (comma) *comma = '\0';
      warden_perm p;
      if (!warden_perm_parse(s, &p)) return cli_usage_error("channel", "unknown permission '%s'", s);
      perms |= 1u << p;
      s = comma ? comma + 1 : NULL;
    }
  }
  warden_registry *r = cli_open(cli_db_path(db));
  if (!r) return EXIT_USAGE;
  warden_status st = WARDEN_OK;
  int offers = 0, rc = EXIT_OKAY;
  if (!strcmp(what, "link")) {
    if (!(st = warden_channel_link(r, args[0], args[1]))) printf("%s linked to distributor %s\n", args[0], args[1]);
  } else if (!strcmp(what, "unlink")) {
    int g = !ground ? 0 : !strcmp(ground, "cooperation-ended") ? 1 : !strcmp(ground, "distributor-left") ? 2
                                                              : !strcmp(ground, "reseller-exit") ? 3 : 0;
    if (!g) { warden_registry_close(r); return cli_usage_error("channel", "--ground is cooperation-ended, distributor-left or reseller-exit"); }
    if (!(st = warden_channel_unlink(r, args[0], (warden_unlink_ground)g, &confirm)))
      printf("%s unlinked from its distributor (ground %s)\n", args[0], ground);
  } else if (!strcmp(what, "link-customer")) {
    if (!(st = warden_channel_link_customer(r, args[0], args[1]))) printf("%s linked to reseller %s\n", args[0], args[1]);
  } else if (!strcmp(what, "unlink-customer")) {
    int g = !ground ? 0 : !strcmp(ground, "agreed") ? 1 : !strcmp(ground, "customer-request") ? 2
                                                    : !strcmp(ground, "reseller-abnormal") ? 3 : 0;
    if (!g) { warden_registry_close(r); return cli_usage_error("channel", "--ground is agreed, customer-request or reseller-abnormal"); }
    if (!(st = warden_channel_unlink_customer(r, args[0], (warden_unlink_customer_ground)g, both)))
      printf("%s unlinked from its reseller (ground %s); the reseller stays liable\n", args[0], ground);
  } else if (!strcmp(what, "inspect")) {
    if (!(st = warden_channel_inspect(r, args[0], perms, reason)))
      printf("%s under inspection: %s frozen\n", args[0], freeze && strcmp(freeze, "all") ? freeze : "all permissions");
  } else if (!strcmp(what, "release")) {
    if (!(st = warden_channel_release(r, args[0]))) printf("%s released: permissions restored\n", args[0]);
  } else if (!strcmp(what, "exit") || !strcmp(what, "breach")) {
    warden_exit_ground g = WARDEN_EXIT_BREACH;
    if (!strcmp(what, "exit") && (!ground || !warden_exit_ground_parse(ground, &g))) {
      warden_registry_close(r);
      return cli_usage_error("channel", "--ground is expiry, voluntary, platform-agreement, distributor-agreement or breach");
    }
    st = !strcmp(what, "breach") ? warden_channel_breach(r, args[0], reason, &offers)
                                 : warden_channel_exit(r, args[0], g, note, &offers);
    if (!st)
      printf("%s exited (%s): permissions revoked, %d customer%s offered re-linking, liable for earlier orders, "
             "account closed\n", args[0], warden_exit_ground_name(g), offers, offers == 1 ? "" : "s");
  } else if (!strcmp(what, "relink")) {
    if (consent == decline) { warden_registry_close(r); return cli_usage_error("channel", "relink needs --consent or --decline"); }
    if (!(st = warden_channel_relink(r, args[0], args[1], consent)))
      printf(consent ? "%s re-linked to %s with its consent\n" : "%s declined; the platform serves it\n", args[0], args[1]);
  } else if (!strcmp(what, "noservice")) {
    if (!(st = warden_channel_noservice(r, args[0], args[1], &offers)))
      printf("%s taken over by the platform from %s: %d service number%s taken back\n", args[1], args[0], offers,
             offers == 1 ? "" : "s");
  } else if (!strcmp(what, "dispute-open")) {
    long long id;
    if (!(st = warden_channel_dispute_open(r, args[0], args[1], note, &id))) printf("dispute %lld opened\n", id);
  } else if (!strcmp(what, "dispute-close")) {
    int64_t id;
    if (!warden_parse_i64(args[0], &id)) { warden_registry_close(r); return cli_usage_error("channel", "a dispute id is a number"); }
    if (!(st = warden_channel_dispute_close(r, (long long)id))) printf("dispute %lld closed\n", (long long)id);
  } else { /* permissions */
    for (int p = 0; p < WARDEN_PERM__COUNT && !st; p++) {
      bool ok;
      char why[300];
      if (!(st = warden_channel_allowed(r, args[0], (warden_perm)p, &ok, why, sizeof why)))
        printf("%-18s %s%s%s\n", warden_perm_name((warden_perm)p), ok ? "allowed" : "denied", ok ? "" : ": ", why);
    }
  }
  if (st) {
    fprintf(stderr, "warden channel: %s\n", warden_registry_errmsg(r));
    rc = st == WARDEN_ERR_STATE || st == WARDEN_ERR_NOT_FOUND ? EXIT_FINDINGS : EXIT_USAGE;
  }
  warden_registry_close(r);
  return rc;
}
