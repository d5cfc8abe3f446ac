/* cmd_token.c — `warden token create|list|revoke`: the API's bearer tokens (src/api/api.h). */
#include <stdlib.h>
#include <string.h>

#include "../api/api.h"
#include "cli.h"

static const char token_help[] =
    "usage: warden token create --role ROLE [--scope ACCOUNT] [--expires TIME] [--note TEXT] [--db FILE]\n"
    "       warden token list [--json] [--db FILE]\n"
    "       warden token revoke [--db FILE] ID\n\n"
    "Bearer tokens for `warden serve`. ROLE is platform (everything), distributor (its agents and their\n"
    "customers: --scope its distributor account), reseller (its own customers: --scope its agent account)\n"
    "or auditor (reads everything, writes nothing). create prints the token once: only a keyed hash of\n"
    "its secret is kept. --expires takes YYYY-MM-DD or ISO 8601. Every create and revoke is audited.\n";

static void list_line(const warden_api_token_view *v, void *ctx) {
  json_t *arr = ctx;
  char created[32] = "-", expires[32] = "-", revoked[32] = "-";
  if (v->created) warden_date_format(warden_date_of_utc(v->created), created);
  if (v->expires) warden_date_format(warden_date_of_utc(v->expires), expires);
  if (v->revoked) warden_date_format(warden_date_of_utc(v->revoked), revoked);
  if (arr) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(v->id));
    json_object_set_new(o, "role", json_string(v->role));
    json_object_set_new(o, "scope", v->scope ? json_string(v->scope) : json_null());
    json_object_set_new(o, "created", json_integer(v->created));
    json_object_set_new(o, "expires", v->expires ? json_integer(v->expires) : json_null());
    json_object_set_new(o, "revoked", v->revoked ? json_integer(v->revoked) : json_null());
    json_object_set_new(o, "note", json_string(v->note));
    json_array_append_new(arr, o);
    return;
  }
  printf("%s  %-11s  %-16s  created %s  expires %-10s  revoked %-10s  %s\n", v->id, v->role, v->scope ? v->scope : "-",
         created, expires, revoked, v->note);
}

int cmd_token(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},   {"role", required_argument, NULL, 'r'},
      {"scope", required_argument, NULL, 's'}, {"expires", required_argument, NULL, 'e'},
      {"note", required_argument, NULL, 'n'}, {"json", no_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
  const char *db = NULL, *role = NULL, *scope = NULL, *note = NULL;
  int64_t expires = 0;
  bool json = false;
  int c;
  int pre = cli_subcommand("token", "create|list|revoke", token_help, &argc, &argv);
  if (pre >= 0) return pre;
  const char *sub = argv[0];
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'r': role = optarg; break;
    case 's': scope = optarg; break;
    case 'e':
      if (!warden_time_parse(optarg, &expires)) return cli_usage_error("token", "--expires '%s' is not a time", optarg);
      break;
    case 'n': note = optarg; break;
    case 'j': json = true; break;
    case 'h': cli_help(token_help); return EXIT_OKAY;
    default: return cli_usage_error("token", "unknown option");
    }
  }
  int n = argc - optind;
  char **args = argv + optind;
  bool create = !strcmp(sub, "create"), revoke = !strcmp(sub, "revoke");
  if (create) {
    if (n) return cli_usage_error("token", "unexpected argument '%s'", args[0]);
    if (!role) return cli_usage_error("token", "create needs --role platform|distributor|reseller|auditor");
    if (warden_api_role_parse(role) == WARDEN_API_ROLE__COUNT)
      return cli_usage_error("token", "--role is platform, distributor, reseller or auditor, not '%s'", role);
  } else if (revoke) {
    if (n != 1) return cli_usage_error("token", "revoke takes one token id");
  } else if (n) {
    return cli_usage_error("token", "unexpected argument '%s'", args[0]);
  }
  warden_registry *r = cli_open(cli_db_path(db));
  if (!r) return EXIT_USAGE;
  warden_status st;
  if (create) {
    char token[WARDEN_API_TOKEN_LEN + 1], id[17];
    st = warden_api_token_create(r, warden_api_role_parse(role), scope, expires, note, token, id);
    if (!st) {
      if (json)
        cli_print_json(json_pack("{s:s, s:s, s:s, s:o}", "id", id, "token", token, "role", role, "scope",
                                 scope ? json_string(scope) : json_null()));
      else
        printf("%s\n", token);
      fprintf(stderr, "warden token: token %s created (%s%s%s); it is shown only this once\n", id, role,
              scope ? " of " : "", scope ? scope : "");
    }
  } else if (revoke) {
    st = warden_api_token_revoke(r, args[0]);
    if (!st) printf("token %s revoked\n", args[0]);
  } else {
    json_t *arr = json ? json_array() : NULL;
    st = warden_api_token_list(r, list_line, arr);
    if (arr && !st) cli_print_json(json_pack("{s:o}", "tokens", arr));
    else json_decref(arr);
  }
  if (st) fprintf(stderr, "warden token: %s\n", warden_registry_errmsg(r));
  warden_registry_close(r);
  return st == WARDEN_OK                                     ? EXIT_OKAY
         : st == WARDEN_ERR_DB || st == WARDEN_ERR_NOMEM      ? EXIT_USAGE
                                                              : EXIT_FINDINGS;
}
