/* cli.h — private to src/cli: the command table and what the commands share.
 * Exit status everywhere: 0 ok, 1 findings or invalid input, 2 usage or system error. */
#ifndef WARDEN_CLI_H
#define WARDEN_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>

#include "../core/core.h"
#include "../policy/policy.h"
#include "../registry/registry.h"

enum { EXIT_OKAY = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

typedef struct cli_command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} cli_command;

int cmd_id(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_party(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_kyc(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_cal(int argc, char **argv);
int cmd_channel(int argc, char **argv);
int cmd_number(int argc, char **argv);
int cmd_consent(int argc, char **argv);
int cmd_contract(int argc, char **argv);
int cmd_deposit(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_pay(int argc, char **argv);
int cmd_arrears(int argc, char **argv);
int cmd_tick(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_gen_calls(int argc, char **argv);
/* cmd_link.c: `warden link build|cluster|explain` (ASSOC-KEYS, ASSOC-LIABLE); `warden gen accounts`
 * with argv[0] = "accounts"; the demo's section on associated accounts (returns an exit status). */
int cmd_link(int argc, char **argv);
int cmd_gen_accounts(int argc, char **argv);
int demo_link_section(warden_registry *r, const char *dir);

int cmd_demo(int argc, char **argv);
/* cmd_enforce.c: `warden enforce`, `cases`, `case`, `report` (argv[0] says which); and the
 * complaints and resources imports for cmd_import. */
int cmd_enforce(int argc, char **argv);
int enforce_import(const char *kind, const char *file, const char *db, warden_import_opts *opts);
/* cmd_serve.c, cmd_token.c: the HTTP API (src/api/api.h) and its bearer tokens. */
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);

/* Prints the KYC report (text or one JSON line); returns the exit status (1 when customers are
 * to be shut down). Shared by `warden kyc report` and `warden demo`. */
int kyc_print_report(warden_registry *r, int32_t deadline, bool json, long limit);

/* The database: --db, else $WARDEN_DB, else work/warden.db. */
const char *cli_db_path(const char *opt);
/* Opens the registry or prints why and returns NULL. */
warden_registry *cli_open(const char *db);
/* Prints "warden CMD: message" to stderr and returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The policy file (NULL: $WARDEN_POLICY, else the built-in default), or NULL after printing every
 * error with its line. The caller frees it (warden_policy_free). */
warden_policy *cli_load_policy(const char *file);
/* The working-day calendar: built-in years, then a holidays folder (dir, else $WARDEN_HOLIDAYS),
 * then the years loaded into the registry at db (when it exists). NULL after printing why; the
 * caller frees it (warden_cal_free). */
warden_cal *cli_cal_open(const char *dir, const char *db);
/* Sets WARDEN_NOW from a --now value; false when it does not parse. */
bool cli_set_now(const char *value);
/* Prints one JSON object on a line to stdout and frees it. */
void cli_print_json(json_t *obj);
/* For `warden CMD SUB [options]`: answers --help, checks that SUB is one of subs ("check", or
 * "verify|log"), and shifts argv so that getopt sees SUB as argv[0]. Returns -1 to go on, or the
 * exit status to return at once. */
int cli_subcommand(const char *cmd, const char *subs, const char *help, int *argc, char ***argv);
/* The text of a command's --help. */
void cli_help(const char *text);

#endif
