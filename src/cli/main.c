/* main.c — `warden`, a thin command-line front over libwarden: finds the command and runs it. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cal/cal.h"

#include "cli.h"

static const cli_command commands[] = {
    {"id", cmd_id, "check identity documents (KYC-DOC-PERSON, KYC-DOC-ORG)"},
    {"import", cmd_import, "import parties, accounts or documents from CSV into the registry"},
    {"party", cmd_party, "show a party with its documents and accounts (masked unless revealed)"},
    {"kyc", cmd_kyc, "the real-name report: verdicts, customers to shut down, agents ranked"},
    {"audit", cmd_audit, "verify the audit chain, or list its entries"},
    {"channel", cmd_channel, "link, unlink, inspect, exit: the channel's rules (CH-*)"},
    {"number", cmd_number, "the number inventory: grades and fees, lifecycle, landing, usage (NUM-*)"},
    {"consent", cmd_consent, "marketing consent: grant, revoke, check, list (PD-CONSENT)"},
    {"scan", cmd_scan, "call records through the traffic rules (TR-*): findings"},
    {"watch", cmd_watch, "follow a growing call-record file and print findings as they happen"},
    {"contract", cmd_contract, "contracts: terms, automatic renewal, notice (CT-TERM)"},
    {"deposit", cmd_deposit, "deposits held, refunded or forfeited (CT-DEPOSIT, EN-ILLEGAL-HOST)"},
    {"ledger", cmd_ledger, "an account's ledger in integer fen; check that balances hold"},
    {"pay", cmd_pay, "record a payment"},
    {"arrears", cmd_arrears, "accounts in arrears (CT-ARREARS)"},
    {"tick", cmd_tick, "apply everything due at --now: renewals, late fees, suspensions, cool-offs, case deadlines"},
    {"enforce", cmd_enforce, "turn findings, complaints and KYC verdicts into cases (EN-*), by the policy's triggers"},
    {"cases", cmd_enforce, "list cases: by state, kind, agent, overdue"},
    {"case", cmd_enforce, "one case: show its timeline, act on it, or open one by hand"},
    {"report", cmd_enforce, "the morning report: findings, cases, deadlines, fines, agents, case ages"},
    {"cal", cmd_cal, "working days: is a date one, add N of them, count them (China's notices)"},
    {"link", cmd_link, "associated accounts: clusters, their keys, the chain between two (ASSOC-KEYS)"},
    {"serve", cmd_serve, "the HTTP API and the dashboard (TM Forum style; call screening from memory)"},
    {"token", cmd_token, "the API's bearer tokens: create (printed once), list, revoke"},
    {"policy", cmd_policy, "check a policy file, or show the effective policy"},
    {"gen", cmd_gen, "generate synthetic data (a registry with planted bad documents)"},
    {"demo", cmd_demo, "the main job on the embedded default: generate, import, report"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f) {
  fputs("usage: warden COMMAND [OPTIONS] [ARGS]\n\n"
        "warden is a compliance and anti-fraud engine for 400-number platforms and cloud resellers.\n\n"
        "commands:\n",
        f);
  for (size_t i = 0; i < NCOMMANDS; i++) fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fputs("  help     this text; `warden help COMMAND` or `warden COMMAND --help` for one command\n\n"
        "environment:\n"
        "  WARDEN_DB        the database file (default work/warden.db)\n"
        "  WARDEN_KEY_FILE  the key file that seals personal data (default: warden.key beside the database)\n"
        "  WARDEN_POLICY    the policy file (default: the built-in policy/default.policy)\n"
        "  WARDEN_NOW       the current time, for reproducible runs (YYYY-MM-DD or ISO 8601)\n"
        "  WARDEN_ACTOR     who is acting, recorded in the audit log (default $USER)\n\n"
        "exit status: 0 ok, 1 findings or invalid input, 2 usage or system error\n",
        f);
}

const char *cli_db_path(const char *opt) {
  if (opt && *opt) return opt;
  const char *env = getenv("WARDEN_DB");
  return env && *env ? env : "work/warden.db";
}

warden_registry *cli_open(const char *db) {
  warden_registry *r = NULL;
  char err[512];
  if (warden_registry_open(db, &r, err, sizeof err) != WARDEN_OK) {
    fprintf(stderr, "warden: %s\n", err);
    return NULL;
  }
  return r;
}

int cli_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "warden %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n(see `warden %s --help`)\n", cmd);
  return EXIT_USAGE;
}

bool cli_set_now(const char *value) {
  int64_t t;
  if (!warden_time_parse(value, &t)) return false;
  setenv("WARDEN_NOW", value, 1);
  return true;
}

void cli_print_json(json_t *obj) {
  char *s = json_dumps(obj, JSON_COMPACT);
  if (s) {
    fputs(s, stdout);
    fputc('\n', stdout);
    free(s);
  }
  json_decref(obj);
}

void cli_help(const char *text) { fputs(text, stdout); }

warden_policy *cli_load_policy(const char *file) {
  warden_buf errors;
  warden_buf_init(&errors, 1 << 16);
  warden_policy *p = NULL;
  if (warden_policy_load(file, &p, &errors)) fputs(warden_buf_str(&errors), stderr);
  warden_buf_release(&errors);
  return p;
}

/* The calendar: built-in years, then a holidays folder, then the registry's loaded years. */
warden_cal *cli_cal_open(const char *dir, const char *db) {
  warden_cal *c = NULL;
  warden_buf errors;
  warden_buf_init(&errors, 1 << 16);
  if (warden_cal_new(&c)) goto fail;
  if (!dir) dir = getenv("WARDEN_HOLIDAYS");
  if (dir && *dir && warden_cal_load_dir(c, dir, &errors)) goto fail;
  db = cli_db_path(db);
  if (access(db, F_OK) == 0) {
    warden_registry *r = cli_open(db);
    if (!r) goto fail;
    warden_status st = warden_registry_cal_load(r, c, &errors);
    warden_registry_close(r);
    if (st) goto fail;
  }
  warden_buf_release(&errors);
  return c;
fail:
  fputs(warden_buf_str(&errors), stderr);
  warden_buf_release(&errors);
  warden_cal_free(c);
  return NULL;
}



int cli_subcommand(const char *cmd, const char *subs, const char *help, int *argc, char ***argv) {
  if (*argc >= 2 && (!strcmp((*argv)[1], "--help") || !strcmp((*argv)[1], "-h"))) {
    cli_help(help);
    return EXIT_OKAY;
  }
  size_t n = *argc >= 2 ? strlen((*argv)[1]) : 0;
  const char *hit = n ? strstr(subs, (*argv)[1]) : NULL;
  while (hit && !((hit == subs || hit[-1] == '|') && (hit[n] == '\0' || hit[n] == '|')))
    hit = strstr(hit + 1, (*argv)[1]);
  if (!hit) return cli_usage_error(cmd, "the subcommand is %s", subs);
  (*argc)--;
  (*argv)++;
  optind = 1;
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *name = argv[1];
  if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
    if (argc > 2) {
      for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[2], commands[i].name)) {
          char *hargv[] = {argv[2], "--help", NULL};
          return commands[i].run(2, hargv);
        }
      fprintf(stderr, "warden: no command '%s'\n", argv[2]);
      return EXIT_USAGE;
    }
    usage(stdout);
    return EXIT_OKAY;
  }
  if (!strcmp(name, "--version")) {
    puts("warden 0.1.0");
    return EXIT_OKAY;
  }
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (!strcmp(name, commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "warden: no command '%s'\n\n", name);
  usage(stderr);
  return EXIT_USAGE;
}
