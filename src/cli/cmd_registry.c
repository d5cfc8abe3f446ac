/* cmd_registry.c — registry commands: import, party show, audit verify|log, kyc report. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- import ---- */
static const char import_help[] =
    "usage: warden import parties|accounts|documents|complaints|resources [--db FILE] [--rejects FILE]\n"
    "                     [--all-or-nothing] [--now DATE] FILE.csv\n\n"
    "Imports a CSV file (header row required; contracts in docs/import.md). Each row is checked;\n"
    "a bad row is written to the rejects file (default FILE.rejects.csv) with its line and reason,\n"
    "and the rest goes in. The file is one transaction: nothing is half-written. With\n"
    "--all-or-nothing any rejected row rolls the whole file back. Documents are checked as of\n"
    "--now (default today) and sealed; every row written is audited.\n"
    "complaints (TR-SIGNALS, TR-COMPLAINT): source,time,target,category,text, each matched to the\n"
    "number or resource it names (unmatched ones kept and counted); resources: id,kind,account,\n"
    "facility,ip,domain (docs/enforce.md).\n"
    "Exit status: 0 all rows imported, 1 some rejected or the file is unusable, 2 usage/system error.\n";

int cmd_import(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'}, {"rejects", required_argument, NULL, 'r'},
      {"all-or-nothing", no_argument, NULL, 'a'}, {"now", required_argument, NULL, 'n'},
      {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *db = NULL;
  warden_import_opts opts = {0};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'r': opts.rejects_path = optarg; break;
    case 'a': opts.all_or_nothing = true; break;
    case 'n': if (!cli_set_now(optarg)) return cli_usage_error("import", "--now '%s' is not a date", optarg); break;
    case 'h': cli_help(import_help); return EXIT_OKAY;
    default: return cli_usage_error("import", "unknown option");
    }
  }
  if (argc - optind != 2)
    return cli_usage_error("import", "give a kind (parties, accounts, documents, complaints, resources) and a file");
  const char *kind_s = argv[optind], *file = argv[optind + 1];
  if (!strcmp(kind_s, "complaints") || !strcmp(kind_s, "resources")) {
    opts.today = warden_today();
    return enforce_import(kind_s, file, db, &opts);
  }
  warden_import_kind kind;
  if (!strcmp(kind_s, "parties")) kind = WARDEN_IMPORT_PARTIES;
  else if (!strcmp(kind_s, "accounts")) kind = WARDEN_IMPORT_ACCOUNTS;
  else if (!strcmp(kind_s, "documents")) kind = WARDEN_IMPORT_DOCUMENTS;
  else return cli_usage_error("import", "kind must be parties, accounts, documents, complaints or resources, not '%s'", kind_s);
  warden_registry *r = cli_open(cli_db_path(db));
  if (!r) return EXIT_USAGE;
  opts.today = warden_today();
  warden_import_result res;
  warden_status st = warden_registry_import(r, kind, file, &opts, &res);
  int rc;
  if (st) {
    fprintf(stderr, "warden import: %s\nnothing was imported from %s\n", warden_registry_errmsg(r), file);
    rc = st == WARDEN_ERR_PARSE ? EXIT_FINDINGS : EXIT_USAGE;
  } else {
    printf("%s: %ld rows, %ld imported, %ld rejected%s%s%s\n", file, res.rows, res.accepted, res.rejected,
           res.rejected ? " (see " : "", res.rejected ? res.rejects_path : "", res.rejected ? ")" : "");
    if (res.rolled_back) printf("%s: --all-or-nothing: rolled back, nothing imported\n", file);
    rc = res.rejected ? EXIT_FINDINGS : EXIT_OKAY;
  }
  warden_registry_close(r);
  return rc;
}

/* ---- party ---- */
static const char party_help[] =
    "usage: warden party show [--db FILE] [--json] [--reveal --reason TEXT] PARTY_ID\n\n"
    "Shows a party, its documents (numbers masked, e.g. 4401**********0012) with their verdicts, and\n"
    "its accounts. --reveal prints numbers and an individual's name in clear; it needs --reason,\n"
    "and the reveal is written to the audit log with who asked and why (KYC-RETAIN).\n";

int cmd_party(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
      {"reveal", no_argument, NULL, 'r'},   {"reason", required_argument, NULL, 'R'},
      {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0}};
  const char *db = NULL, *reason = NULL;
  bool json = false, reveal = false;
  int c;
  int sub = cli_subcommand("party", "show", party_help, &argc, &argv);
  if (sub >= 0) return sub;
  while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'j': json = true; break;
    case 'r': reveal = true; break;
    case 'R': reason = optarg; break;
    case 'h': cli_help(party_help); return EXIT_OKAY;
    default: return cli_usage_error("party", "unknown option");
    }
  }
  if (argc - optind != 1) return cli_usage_error("party", "give one party id");
  if (reveal && (!reason || !*reason)) return cli_usage_error("party", "--reveal needs --reason TEXT (it is audited)");
  warden_registry *r = cli_open(cli_db_path(db));
  if (!r) return EXIT_USAGE;
  warden_arena a;
  warden_arena_init(&a, 0);
  warden_party_view v;
  int rc = EXIT_OKAY;
  warden_status st = warden_registry_party_get(r, argv[optind], reveal, reason, &a, &v);
  if (st) {
    fprintf(stderr, "warden party: %s\n", warden_registry_errmsg(r));
    rc = st == WARDEN_ERR_NOT_FOUND ? EXIT_FINDINGS : EXIT_USAGE;
    goto done;
  }
  if (json) {
    json_t *j = json_object(), *docs = json_array(), *accs = json_array();
    json_object_set_new(j, "id", json_string(v.id));
    json_object_set_new(j, "kind", json_string(v.kind));
    json_object_set_new(j, "name", json_string(v.name ? v.name : ""));
    for (size_t i = 0; i < v.ndocs; i++) {
      json_t *d = json_object();
      json_object_set_new(d, "id", json_integer(v.docs[i].id));
      json_object_set_new(d, "type", json_string(v.docs[i].type));
      json_object_set_new(d, "role", json_string(v.docs[i].role));
      json_object_set_new(d, "number", json_string(v.docs[i].revealed ? v.docs[i].revealed : v.docs[i].masked));
      json_object_set_new(d, "verdict", json_string(v.docs[i].verdict));
      json_object_set_new(d, "reason", json_string(v.docs[i].reason));
      json_object_set_new(d, "message", json_string(v.docs[i].message));
      if (v.docs[i].expiry != WARDEN_NO_DATE) {
        char e[11];
        warden_date_format(v.docs[i].expiry, e);
        json_object_set_new(d, "expiry", json_string(e));
      }
      json_array_append_new(docs, d);
    }
    for (size_t i = 0; i < v.naccounts; i++) {
      json_t *o = json_object();
      json_object_set_new(o, "id", json_string(v.accounts[i].id));
      json_object_set_new(o, "role", json_string(v.accounts[i].role));
      json_object_set_new(o, "parent", v.accounts[i].parent_id ? json_string(v.accounts[i].parent_id) : json_null());
      json_object_set_new(o, "state", json_string(v.accounts[i].state));
      json_array_append_new(accs, o);
    }
    json_object_set_new(j, "documents", docs);
    json_object_set_new(j, "accounts", accs);
    cli_print_json(j);
  } else {
    printf("party %s (%s): %s\n", v.id, v.kind, v.name ? v.name : "");
    for (size_t i = 0; i < v.ndocs; i++) {
      char e[11] = "-";
      if (v.docs[i].expiry != WARDEN_NO_DATE) warden_date_format(v.docs[i].expiry, e);
      printf("  document %lld  %-16s %-9s %-20s %-11s %-24s expiry %s\n", (long long)v.docs[i].id, v.docs[i].type,
             v.docs[i].role, v.docs[i].revealed ? v.docs[i].revealed : v.docs[i].masked, v.docs[i].verdict,
             v.docs[i].reason, e);
    }
    for (size_t i = 0; i < v.naccounts; i++)
      printf("  account  %s  %s under %s, %s\n", v.accounts[i].id, v.accounts[i].role,
             v.accounts[i].parent_id ? v.accounts[i].parent_id : "-", v.accounts[i].state);
    if (reveal) printf("(revealed: this was written to the audit log)\n");
  }
done:
  warden_arena_release(&a);
  warden_registry_close(r);
  return rc;
}

/* ---- audit ---- */
static const char audit_help[] =
    "usage: warden audit verify [--db FILE] [--json]\n"
    "       warden audit log [--db FILE] [--limit N] [--subject ID]\n\n"
    "verify walks the hash chain of the audit log (keyed BLAKE2b; the key never leaves the key\n"
    "file) and names the first entry that was altered or removed; it prints the head hash, which\n"
    "you can record elsewhere to detect a cut-off tail. Exit 0 when the chain holds, 1 when broken.\n"
    "log prints entries, oldest first (default the last 50).\n";

static void print_entry(const warden_audit_entry *e, void *ctx) {
  (void)ctx;
  char d[11];
  int64_t local = e->at + WARDEN_CST_OFFSET;
  warden_date_format(warden_date_of_utc(e->at), d);
  int secs = (int)(((local % 86400) + 86400) % 86400);
  printf("%6lld  %s %02d:%02d:%02d+08  %-10s %-16s %-14s %s\n", (long long)e->seq, d, secs / 3600, secs / 60 % 60,
         secs % 60, e->actor, e->action, e->subject, e->detail);
}

int cmd_audit(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
      {"limit", required_argument, NULL, 'l'}, {"subject", required_argument, NULL, 's'},
      {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *db = NULL, *subject = NULL;
  bool json = false;
  int64_t limit = 50;
  int c;
  int sub = cli_subcommand("audit", "verify|log", audit_help, &argc, &argv);
  if (sub >= 0) return sub;
  bool verify = !strcmp(argv[0], "verify");
  while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'j': json = true; break;
    case 'l': if (!warden_parse_i64(optarg, &limit) || limit < 0) return cli_usage_error("audit", "--limit takes a count"); break;
    case 's': subject = optarg; break;
    case 'h': cli_help(audit_help); return EXIT_OKAY;
    default: return cli_usage_error("audit", "unknown option");
    }
  }
  if (optind != argc) return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
  warden_registry *r = cli_open(cli_db_path(db));
  if (!r) return EXIT_USAGE;
  int rc = EXIT_OKAY;
  if (verify) {
    warden_audit_check chk;
    if (warden_audit_verify(r, &chk)) {
      fprintf(stderr, "warden audit: %s\n", warden_registry_errmsg(r));
      rc = EXIT_USAGE;
    } else if (json) {
      json_t *j = json_object();
      json_object_set_new(j, "ok", json_boolean(chk.first_bad == 0));
      json_object_set_new(j, "entries", json_integer(chk.entries));
      if (chk.first_bad) {
        json_object_set_new(j, "first_bad", json_integer(chk.first_bad));
        json_object_set_new(j, "reason", json_string(chk.reason));
      }
      json_object_set_new(j, "head", json_string(chk.head));
      cli_print_json(j);
      rc = chk.first_bad ? EXIT_FINDINGS : EXIT_OKAY;
    } else if (chk.first_bad) {
      printf("audit chain BROKEN at entry %lld: %s\n", (long long)chk.first_bad, chk.reason);
      rc = EXIT_FINDINGS;
    } else {
      printf("audit chain holds: %lld entries, head %s\n", (long long)chk.entries, chk.head);
    }
  } else if (warden_audit_list(r, limit, subject, print_entry, NULL)) {
    fprintf(stderr, "warden audit: %s\n", warden_registry_errmsg(r));
    rc = EXIT_USAGE;
  }
  warden_registry_close(r);
  return rc;
}

/* ---- kyc report ---- */
static const char kyc_help[] =
    "usage: warden kyc report [--db FILE] [--deadline DATE] [--json] [--limit N]\n\n"
    "The real-name report over the registry: documents by verdict and reason; the customers to shut\n"
    "down at the deadline because no acceptable document remains (KYC-FORGED, EN-DOCS; an\n"
    "organisation needs a licence, its organisation code and its legal representative's id,\n"
    "KYC-400-DOCS); customers whose documents can only be checked by eye; and the agents whose\n"
    "customers fail most (KYC-AGENT). --deadline defaults to today; a document expiring before it\n"
    "counts as expired. --limit caps the listed customers and agents (default 20, 0 for all).\n"
    "Exit status: 0 nobody to shut down, 1 some customers to shut down.\n";

int kyc_print_report(warden_registry *r, int32_t deadline, bool json, long limit) {
  warden_arena a;
  warden_arena_init(&a, 0);
  warden_kyc_report rep;
  if (warden_registry_kyc_report(r, deadline, &a, &rep)) {
    fprintf(stderr, "warden kyc: %s\n", warden_registry_errmsg(r));
    warden_arena_release(&a);
    return EXIT_USAGE;
  }
  char d[11];
  warden_date_format(deadline, d);
  size_t ns = limit && (size_t)limit < rep.nshutdown ? (size_t)limit : rep.nshutdown;
  size_t na = limit && (size_t)limit < rep.nagents ? (size_t)limit : rep.nagents;
  if (json) {
    json_t *j = json_object(), *verd = json_object(), *why = json_object(), *sd = json_array(), *ag = json_array();
    json_object_set_new(j, "deadline", json_string(d));
    json_object_set_new(j, "documents", json_integer(rep.documents));
    for (int v = 0; v < 3; v++) json_object_set_new(verd, warden_verdict_name((warden_verdict)v), json_integer(rep.by_verdict[v]));
    for (int k = 0; k < WARDEN_REASON__COUNT; k++)
      if (rep.by_reason[k]) json_object_set_new(why, warden_reason_name((warden_reason)k), json_integer(rep.by_reason[k]));
    json_object_set_new(j, "by_verdict", verd);
    json_object_set_new(j, "by_reason", why);
    json_object_set_new(j, "expired_by_deadline", json_integer(rep.expired_by_deadline));
    json_object_set_new(j, "customers", json_integer(rep.customers));
    json_object_set_new(j, "customers_ok", json_integer(rep.customers_ok));
    json_object_set_new(j, "customers_review", json_integer(rep.customers_review));
    json_object_set_new(j, "customers_shutdown", json_integer(rep.customers_fail));
    for (size_t i = 0; i < ns; i++) {
      json_t *o = json_object();
      json_object_set_new(o, "account", json_string(rep.shutdown[i].account));
      json_object_set_new(o, "party", json_string(rep.shutdown[i].party));
      json_object_set_new(o, "agent", json_string(rep.shutdown[i].agent));
      json_object_set_new(o, "why", json_string(rep.shutdown[i].why));
      json_object_set_new(o, "rule", json_string("KYC-FORGED/EN-DOCS"));
      json_array_append_new(sd, o);
    }
    for (size_t i = 0; i < na; i++) {
      json_t *o = json_object();
      json_object_set_new(o, "agent", json_string(rep.agents[i].agent));
      json_object_set_new(o, "customers", json_integer(rep.agents[i].customers));
      json_object_set_new(o, "failing", json_integer(rep.agents[i].failing));
      json_object_set_new(o, "review", json_integer(rep.agents[i].review));
      json_array_append_new(ag, o);
    }
    json_object_set_new(j, "shutdown", sd);
    json_object_set_new(j, "agents", ag);
    cli_print_json(j);
  } else {
    printf("KYC report, deadline %s (China Standard Time)\n\n", d);
    printf("documents: %ld  valid %ld  invalid %ld  format-only %ld\n", rep.documents, rep.by_verdict[0],
           rep.by_verdict[1], rep.by_verdict[2]);
    printf("by reason:\n");
    for (int k = 0; k < WARDEN_REASON__COUNT; k++)
      if (rep.by_reason[k]) printf("  %-26s %8ld\n", warden_reason_name((warden_reason)k), rep.by_reason[k]);
    if (rep.expired_by_deadline) printf("  %-26s %8ld\n", "(expiring by the deadline)", rep.expired_by_deadline);
    printf("\ncustomers: %ld  documents in order %ld  to check by eye %ld  to shut down %ld (%.1f%%)\n",
           rep.customers, rep.customers_ok, rep.customers_review, rep.customers_fail,
           rep.customers ? 100.0 * (double)rep.customers_fail / (double)rep.customers : 0.0);
    printf("\nto shut down at the deadline (KYC-FORGED / EN-DOCS)%s:\n", ns < rep.nshutdown ? ", first ones" : "");
    for (size_t i = 0; i < ns; i++)
      printf("  %-12s party %-10s agent %-12s %s\n", rep.shutdown[i].account, rep.shutdown[i].party,
             rep.shutdown[i].agent, rep.shutdown[i].why);
    if (ns < rep.nshutdown) printf("  ... and %zu more (--limit 0 lists all)\n", rep.nshutdown - ns);
    printf("\nagents whose customers fail most (KYC-AGENT):\n  %-12s %9s %8s %7s %8s\n", "agent", "customers",
           "failing", "share", "by eye");
    for (size_t i = 0; i < na; i++)
      printf("  %-12s %9ld %8ld %6.1f%% %8ld\n", rep.agents[i].agent, rep.agents[i].customers, rep.agents[i].failing,
             rep.agents[i].customers ? 100.0 * (double)rep.agents[i].failing / (double)rep.agents[i].customers : 0.0,
             rep.agents[i].review);
  }
  int rc = rep.customers_fail ? EXIT_FINDINGS : EXIT_OKAY;
  warden_arena_release(&a);
  return rc;
}

int cmd_kyc(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
      {"deadline", required_argument, NULL, 'D'}, {"limit", required_argument, NULL, 'l'},
      {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *db = NULL;
  bool json = false;
  int32_t deadline = warden_today();
  int64_t limit = 20;
  int c;
  int sub = cli_subcommand("kyc", "report", kyc_help, &argc, &argv);
  if (sub >= 0) return sub;
  while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'j': json = true; break;
    case 'D': if (!warden_date_parse(optarg, &deadline)) return cli_usage_error("kyc", "--deadline '%s' is not a date", optarg); break;
    case 'l': if (!warden_parse_i64(optarg, &limit) || limit < 0) return cli_usage_error("kyc", "--limit takes a count"); break;
    case 'h': cli_help(kyc_help); return EXIT_OKAY;
    default: return cli_usage_error("kyc", "unknown option");
    }
  }
  if (optind != argc) return cli_usage_error("kyc", "unexpected argument '%s'", argv[optind]);
  warden_registry *r = cli_open(cli_db_path(db));
  if (!r) return EXIT_USAGE;
  int rc = kyc_print_report(r, deadline, json, (long)limit);
  warden_registry_close(r);
  return rc;
}
