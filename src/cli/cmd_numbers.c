/* cmd_numbers.c — the number inventory and marketing consent: `warden number ...` (NUM-CATALOG,
 * NUM-OUTBOUND, NUM-USAGE, NUM-NORESALE, KYC-LANDING, KYC-400-DOCS) and `warden consent ...`
 * (PD-CONSENT). The library side is src/numbers/numbers.h. */
#include <stdlib.h>
#include <string.h>

#include "../numbers/numbers.h"
#include "../policy/policy.h"
#include "cli.h"

/* ---- shared ---- */
static int exit_for(warden_status st) {
  switch (st) {
  case WARDEN_OK: return EXIT_OKAY;
  case WARDEN_ERR_USAGE:
  case WARDEN_ERR_NOMEM:
  case WARDEN_ERR_IO:
  case WARDEN_ERR_DB:
  case WARDEN_ERR_CRYPTO:
  case WARDEN_ERR_INTEGRITY: return EXIT_USAGE;
  default: return EXIT_FINDINGS;
  }
}

static warden_policy *policy_open(const char *cmd, const char *path) {
  warden_buf errors;
  warden_policy *p = NULL;
  warden_buf_init(&errors, 1 << 20);
  if (warden_policy_load(path, &p, &errors))
    fprintf(stderr, "warden %s: the policy does not load:\n%s", cmd, warden_buf_str(&errors));
  warden_buf_release(&errors);
  return p;
}

/* "2026-03-02 09:00+08" */
static void instant_format(int64_t utc, char *out, size_t cap) {
  char d[11];
  int64_t local = utc + WARDEN_CST_OFFSET;
  int secs = (int)(((local % 86400) + 86400) % 86400);
  warden_date_format(warden_date_of_utc(utc), d);
  snprintf(out, cap, "%s %02d:%02d+08", d, secs / 3600, secs / 60 % 60);
}

static void money(int64_t fen, char *out, size_t cap) {
  warden_money_format(fen, out, cap);
}

/* The number as the library will store it, for messages; the text itself when it does not parse. */
static void digits_of(const char *text, char out[16]) {
  warden_number_id id;
  if (warden_number_parse(text, &id, NULL, 0) == WARDEN_OK)
    snprintf(out, 16, "%s", id.digits);
  else
    snprintf(out, 16, "%.15s", text);
}

/* ---- warden number ---- */
static const char number_help[] =
    "usage: warden number grade [--policy FILE] NUMBER...\n"
    "       warden number import [--db FILE] [--policy FILE] [--rejects FILE] [--all-or-nothing] FILE.csv\n"
    "       warden number reserve [--db FILE] [--customer ACCOUNT] [--reason TEXT] NUMBER...\n"
    "       warden number activate [--db FILE] --customer ACCOUNT [--landing NUMBER] NUMBER\n"
    "       warden number freeze|unfreeze|cancel [--db FILE] [--reason TEXT] NUMBER...\n"
    "       warden number recover [--db FILE] [--policy FILE] [--reason TEXT] NUMBER...\n"
    "       warden number outbound [--db FILE] NUMBER on|off\n"
    "       warden number usage [--db FILE] --slots HH:MM-HH:MM[,...] --max-per-day N NUMBER\n"
    "       warden number show [--db FILE] [--json] NUMBER\n"
    "       warden number list [--db FILE] [--state STATE] [--json]\n"
    "Every subcommand takes --now TIME to fix the clock (as $WARDEN_NOW).\n\n"
    "The number inventory: 400 and 800 numbers, fixed lines and mobiles (docs/numbers.md).\n"
    "  grade     the vanity grade of the last digits and its annual fee from the policy's [vanity]\n"
    "            table (NUM-CATALOG): AAAAA AAAA ABCDE AAA ABCD DCBA AABB ABAB LUCKY ORDINARY.\n"
    "  import    the catalogue: number,kind,province[,annual_fee][,state]; bad rows go to the rejects\n"
    "            file (default FILE.rejects.csv); one transaction; every number audited.\n"
    "  lifecycle available -> reserved -> active <-> frozen; active/frozen -> recovered -> available\n"
    "            after the policy's cool-off ([numbers] cooloff, moved by `warden tick`);\n"
    "            available/reserved/recovered -> cancelled. Any other move is refused.\n"
    "  activate  a 400/800 number needs: a customer account (NUM-NORESALE) of an organisation\n"
    "            (KYC-LANDING) whose documents are in order today (KYC-400-DOCS), linked to an agent\n"
    "            (CH-LINK-CUST), and --landing: a fixed line or mobile in the inventory, active, held\n"
    "            by the same party (KYC-LANDING). Fixed lines and mobiles take --customer only.\n"
    "  outbound  display the number on outbound calls; never for 400/800 numbers (NUM-OUTBOUND).\n"
    "  usage     the declared time slots (China Standard Time, no slot across midnight) and the\n"
    "            daily maximum of calls (NUM-USAGE).\n"
    "  show      state, holder, grade and fee, landing, usage, outbound and the audit history.\n"
    "  list      the inventory with counts by state and by grade.\n"
    "Exit status: 0 done, 1 refused or invalid input (the reason on stderr), 2 usage/system error.\n";

enum {
  SUB_GRADE,
  SUB_IMPORT,
  SUB_RESERVE,
  SUB_ACTIVATE,
  SUB_FREEZE,
  SUB_UNFREEZE,
  SUB_RECOVER,
  SUB_CANCEL,
  SUB_OUTBOUND,
  SUB_USAGE,
  SUB_SHOW,
  SUB_LIST,
  SUB__COUNT
};
static const char *const sub_names[SUB__COUNT] = {"grade",   "import", "reserve",  "activate", "freeze", "unfreeze",
                                                  "recover", "cancel", "outbound", "usage",    "show",   "list"};
/* Which options (by getopt value) each subcommand takes, beyond --db, --now and --help. */
static const char *const sub_opts[SUB__COUNT] = {"p", "pra", "cR", "cl", "R", "R", "pR", "R", "", "sm", "j", "jS"};

static const struct option number_longopts[] = {
    {"db", required_argument, NULL, 'd'},       {"now", required_argument, NULL, 'n'},
    {"policy", required_argument, NULL, 'p'},   {"rejects", required_argument, NULL, 'r'},
    {"all-or-nothing", no_argument, NULL, 'a'}, {"customer", required_argument, NULL, 'c'},
    {"landing", required_argument, NULL, 'l'},  {"reason", required_argument, NULL, 'R'},
    {"slots", required_argument, NULL, 's'},    {"max-per-day", required_argument, NULL, 'm'},
    {"json", no_argument, NULL, 'j'},           {"state", required_argument, NULL, 'S'},
    {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};

static const char *long_name(int c) {
  for (const struct option *o = number_longopts; o->name; o++)
    if (o->val == c) return o->name;
  return "?";
}

typedef struct number_args {
  const char *db, *policy, *rejects, *customer, *landing, *reason, *slots, *state;
  int64_t max_per_day;
  bool all_or_nothing, json, have_max;
} number_args;

static int number_grade(const number_args *a, int n, char **nums) {
  warden_policy *p = policy_open("number", a->policy);
  int rc = EXIT_OKAY;
  if (!p) return EXIT_USAGE;
  for (int i = 0; i < n; i++) {
    warden_number_id id;
    char err[200], fee[32];
    if (warden_number_parse(nums[i], &id, err, sizeof err)) {
      fprintf(stderr, "warden number: %s\n", err);
      rc = EXIT_FINDINGS;
      continue;
    }
    warden_number_vanity v = warden_number_grade(id.digits);
    money(warden_number_fee(p, v), fee, sizeof fee);
    printf("%s\t%s\t%s yuan/year\t(NUM-CATALOG)\n", id.digits, warden_number_vanity_name(v), fee);
  }
  warden_policy_free(p);
  return rc;
}

static int number_import(warden_registry *r, const number_args *a, const char *file) {
  warden_policy *p = policy_open("number", a->policy);
  if (!p) return EXIT_USAGE;
  warden_import_opts opts = {.rejects_path = a->rejects, .all_or_nothing = a->all_or_nothing};
  warden_import_result res;
  int rc;
  warden_status st = warden_number_import(r, p, file, &opts, &res);
  if (st) {
    fprintf(stderr, "warden number: %s\nnothing was imported from %s\n", warden_registry_errmsg(r), file);
    rc = st == WARDEN_ERR_PARSE ? EXIT_FINDINGS : EXIT_USAGE;
  } else {
    printf("%s: %ld rows, %ld imported, %ld rejected%s%s%s\n", file, res.rows, res.accepted, res.rejected,
           res.rejected ? " (see " : "", res.rejected ? res.rejects_path : "", res.rejected ? ")" : "");
    if (res.rolled_back) printf("%s: --all-or-nothing: rolled back, nothing imported\n", file);
    rc = res.rejected ? EXIT_FINDINGS : EXIT_OKAY;
  }
  warden_policy_free(p);
  return rc;
}

/* reserve, freeze, unfreeze, recover, cancel: each number in its own transaction. */
static int number_moves(warden_registry *r, int sub, const number_args *a, int n, char **nums) {
  warden_policy *p = NULL;
  int rc = EXIT_OKAY;
  if (sub == SUB_RECOVER && !(p = policy_open("number", a->policy))) return EXIT_USAGE;
  for (int i = 0; i < n; i++) {
    warden_status st;
    switch (sub) {
    case SUB_RESERVE: st = warden_number_reserve(r, nums[i], a->customer, a->reason); break;
    case SUB_FREEZE: st = warden_number_freeze(r, nums[i], a->reason); break;
    case SUB_UNFREEZE: st = warden_number_unfreeze(r, nums[i], a->reason); break;
    case SUB_RECOVER: st = warden_number_recover(r, p, nums[i], a->reason); break;
    default: st = warden_number_cancel(r, nums[i], a->reason); break;
    }
    if (st) {
      fprintf(stderr, "warden number: %s\n", warden_registry_errmsg(r));
      int e = exit_for(st);
      if (e > rc) rc = e;
      continue;
    }
    char d[16];
    digits_of(nums[i], d);
    switch (sub) {
    case SUB_RESERVE:
      if (a->customer)
        printf("%s reserved for %s\n", d, a->customer);
      else
        printf("%s reserved\n", d);
      break;
    case SUB_FREEZE: printf("%s frozen\n", d); break;
    case SUB_UNFREEZE: printf("%s active again\n", d); break;
    case SUB_RECOVER: {
      warden_arena ar;
      warden_number_view v;
      warden_arena_init(&ar, 0);
      if (warden_number_get(r, nums[i], &ar, &v) == WARDEN_OK && v.cooloff_until) {
        char t[32];
        instant_format(v.cooloff_until, t, sizeof t);
        printf("%s recovered: cool-off until %s, then available again (NUM-CATALOG)\n", d, t);
      } else {
        printf("%s recovered\n", d);
      }
      warden_arena_release(&ar);
      break;
    }
    default: printf("%s cancelled\n", d); break;
    }
  }
  warden_policy_free(p);
  return rc;
}

static int number_activate(warden_registry *r, const number_args *a, const char *num) {
  warden_buf why;
  warden_buf_init(&why, 1 << 16);
  warden_status st = warden_number_activate(r, num, a->customer, a->landing, &why);
  char d[16];
  digits_of(num, d);
  if (st && why.len) {
    fprintf(stderr, "warden number: cannot activate %s for %s:\n", d, a->customer);
    for (const char *s = warden_buf_str(&why); *s;) {
      const char *nl = strchr(s, '\n');
      size_t len = nl ? (size_t)(nl - s) : strlen(s);
      fprintf(stderr, "  - %.*s\n", (int)len, s);
      s += len + (nl ? 1 : 0);
    }
  } else if (st) {
    fprintf(stderr, "warden number: %s\n", warden_registry_errmsg(r));
  } else if (a->landing) {
    char l[16];
    digits_of(a->landing, l);
    printf("%s active for %s, landing %s\n", d, a->customer, l);
  } else {
    printf("%s active for %s\n", d, a->customer);
  }
  warden_buf_release(&why);
  return exit_for(st);
}

static void print_history(const warden_audit_entry *e, void *ctx) {
  (void)ctx;
  char t[32];
  instant_format(e->at, t, sizeof t);
  printf("  %6lld  %s  %-10s %-16s %s\n", (long long)e->seq, t, e->actor, e->action, e->detail);
}

static void json_history(const warden_audit_entry *e, void *ctx) {
  json_t *o = json_object();
  char t[32];
  instant_format(e->at, t, sizeof t);
  json_object_set_new(o, "seq", json_integer(e->seq));
  json_object_set_new(o, "at", json_string(t));
  json_object_set_new(o, "actor", json_string(e->actor));
  json_object_set_new(o, "action", json_string(e->action));
  json_object_set_new(o, "detail", json_string(e->detail));
  json_array_append_new((json_t *)ctx, o);
}

static json_t *view_json(const warden_number_view *v) {
  json_t *o = json_object();
  char fee[32];
  money(v->annual_fee_fen, fee, sizeof fee);
  json_object_set_new(o, "number", json_string(v->number));
  json_object_set_new(o, "kind", json_string(v->kind));
  json_object_set_new(o, "province", json_string(v->province));
  json_object_set_new(o, "state", json_string(v->state));
  json_object_set_new(o, "state_since", json_integer(v->state_since));
  json_object_set_new(o, "holder", v->account ? json_string(v->account) : json_null());
  json_object_set_new(o, "party", v->party ? json_string(v->party) : json_null());
  json_object_set_new(o, "grade", json_string(v->grade));
  json_object_set_new(o, "annual_fee_fen", json_integer(v->annual_fee_fen));
  json_object_set_new(o, "annual_fee_yuan", json_string(fee));
  json_object_set_new(o, "landing", v->landing ? json_string(v->landing) : json_null());
  json_object_set_new(o, "outbound_display", json_boolean(v->outbound_display));
  if (v->slots) {
    json_object_set_new(o, "slots", json_string(v->slots));
    json_object_set_new(o, "max_per_day", json_integer(v->max_per_day));
  }
  if (v->cooloff_until) json_object_set_new(o, "cooloff_until", json_integer(v->cooloff_until));
  return o;
}

static int number_show(warden_registry *r, const number_args *a, const char *num) {
  warden_arena ar;
  warden_number_view v;
  warden_arena_init(&ar, 0);
  warden_status st = warden_number_get(r, num, &ar, &v);
  if (st) {
    fprintf(stderr, "warden number: %s\n", warden_registry_errmsg(r));
    warden_arena_release(&ar);
    return exit_for(st);
  }
  if (a->json) {
    json_t *o = view_json(&v), *h = json_array();
    st = warden_audit_list(r, 0, v.number, json_history, h);
    json_object_set_new(o, "history", h);
    cli_print_json(o);
  } else {
    char since[32], fee[32];
    const char *pname = NULL;
    int64_t pc;
    if (warden_parse_i64(v.province, &pc) && pc > 0 && pc < 100) pname = warden_kyc_region_name((uint32_t)pc * 10000);
    instant_format(v.state_since, since, sizeof since);
    money(v.annual_fee_fen, fee, sizeof fee);
    printf("number %s: %s, province %s%s%s%s\n", v.number, v.kind, v.province, pname ? " (" : "", pname ? pname : "",
           pname ? ")" : "");
    printf("  state     %s since %s", v.state, since);
    if (v.cooloff_until) {
      char t[32];
      instant_format(v.cooloff_until, t, sizeof t);
      printf(", cool-off until %s", t);
    }
    printf("\n  holder    %s%s%s%s\n", v.account ? v.account : "-", v.party ? " (party " : "", v.party ? v.party : "",
           v.party ? ")" : "");
    printf("  grade     %s, %s yuan/year (NUM-CATALOG)\n", v.grade, fee);
    if (!strcmp(v.kind, "400") || !strcmp(v.kind, "800"))
      printf("  landing   %s (KYC-LANDING)\n", v.landing ? v.landing : "-");
    if (v.slots)
      printf("  usage     %s China Standard Time, at most %lld calls a day (NUM-USAGE)\n", v.slots,
             (long long)v.max_per_day);
    else
      printf("  usage     not declared (NUM-USAGE)\n");
    printf("  outbound  %s (NUM-OUTBOUND)\n", v.outbound_display ? "shown" : "off");
    printf("history:\n");
    st = warden_audit_list(r, 0, v.number, print_history, NULL);
  }
  if (st) fprintf(stderr, "warden number: %s\n", warden_registry_errmsg(r));
  warden_arena_release(&ar);
  return exit_for(st);
}

typedef struct list_ctx {
  bool json;
  json_t *arr;
  long n, by_state[WARDEN_NUMBER_STATE__COUNT], by_grade[WARDEN_VANITY__COUNT];
} list_ctx;

static void list_one(const warden_number_view *v, void *ctx) {
  list_ctx *l = ctx;
  warden_number_state s = warden_number_state_parse(v->state);
  warden_number_vanity g = warden_number_vanity_parse(v->grade);
  l->n++;
  if (s < WARDEN_NUMBER_STATE__COUNT) l->by_state[s]++;
  if (g < WARDEN_VANITY__COUNT) l->by_grade[g]++;
  if (l->json) {
    json_array_append_new(l->arr, view_json(v));
    return;
  }
  char fee[32];
  money(v->annual_fee_fen, fee, sizeof fee);
  printf("%-12s  %-6s  %-2s  %-9s  %-8s  %10s  %s\n", v->number, v->kind, v->province, v->state, v->grade, fee,
         v->account ? v->account : "-");
}

static int number_list(warden_registry *r, const number_args *a) {
  list_ctx l = {.json = a->json};
  if (l.json)
    l.arr = json_array();
  else
    printf("%-12s  %-6s  %-2s  %-9s  %-8s  %10s  %s\n", "number", "kind", "pr", "state", "grade", "yuan/year",
           "holder");
  warden_status st = warden_number_list(r, a->state, list_one, &l);
  if (st) {
    fprintf(stderr, "warden number: %s\n", warden_registry_errmsg(r));
    json_decref(l.arr);
    return exit_for(st);
  }
  if (l.json) {
    json_t *o = json_object(), *bs = json_object(), *bg = json_object();
    for (int s = 0; s < WARDEN_NUMBER_STATE__COUNT; s++)
      if (l.by_state[s])
        json_object_set_new(bs, warden_number_state_name((warden_number_state)s), json_integer(l.by_state[s]));
    for (int g = 0; g < WARDEN_VANITY__COUNT; g++)
      if (l.by_grade[g])
        json_object_set_new(bg, warden_number_vanity_name((warden_number_vanity)g), json_integer(l.by_grade[g]));
    json_object_set_new(o, "numbers", l.arr);
    json_object_set_new(o, "count", json_integer(l.n));
    json_object_set_new(o, "by_state", bs);
    json_object_set_new(o, "by_grade", bg);
    cli_print_json(o);
    return EXIT_OKAY;
  }
  printf("%ld number%s\n", l.n, l.n == 1 ? "" : "s");
  printf("by state:");
  bool any = false;
  for (int s = 0; s < WARDEN_NUMBER_STATE__COUNT; s++)
    if (l.by_state[s]) {
      printf("%s %s %ld", any ? "," : "", warden_number_state_name((warden_number_state)s), l.by_state[s]);
      any = true;
    }
  printf("%s\nby grade:", any ? "" : " none");
  any = false;
  for (int g = 0; g < WARDEN_VANITY__COUNT; g++)
    if (l.by_grade[g]) {
      printf("%s %s %ld", any ? "," : "", warden_number_vanity_name((warden_number_vanity)g), l.by_grade[g]);
      any = true;
    }
  printf("%s\n", any ? "" : " none");
  return EXIT_OKAY;
}

int cmd_number(int argc, char **argv) {
  number_args a = {0};
  int c, sub;
  int pre =
      cli_subcommand("number", "grade|import|reserve|activate|freeze|unfreeze|recover|cancel|outbound|usage|show|list",
                     number_help, &argc, &argv);
  if (pre >= 0) return pre;
  for (sub = 0; sub < SUB__COUNT; sub++)
    if (!strcmp(argv[0], sub_names[sub])) break;
  while ((c = getopt_long(argc, argv, "jh", number_longopts, NULL)) != -1) {
    if (c != 'd' && c != 'n' && c != 'h' && c != '?' && !strchr(sub_opts[sub], c))
      return cli_usage_error("number", "--%s does not apply to `number %s`", long_name(c), sub_names[sub]);
    switch (c) {
    case 'd': a.db = optarg; break;
    case 'n':
      if (!cli_set_now(optarg)) return cli_usage_error("number", "--now '%s' is not a time", optarg);
      break;
    case 'p': a.policy = optarg; break;
    case 'r': a.rejects = optarg; break;
    case 'a': a.all_or_nothing = true; break;
    case 'c': a.customer = optarg; break;
    case 'l': a.landing = optarg; break;
    case 'R': a.reason = optarg; break;
    case 's': a.slots = optarg; break;
    case 'm':
      if (!warden_parse_i64(optarg, &a.max_per_day))
        return cli_usage_error("number", "--max-per-day takes a count, not '%s'", optarg);
      a.have_max = true;
      break;
    case 'j': a.json = true; break;
    case 'S': a.state = optarg; break;
    case 'h': cli_help(number_help); return EXIT_OKAY;
    default: return cli_usage_error("number", "unknown option");
    }
  }
  int n = argc - optind;
  char **args = argv + optind;
  switch (sub) {
  case SUB_GRADE:
    if (n < 1) return cli_usage_error("number", "grade takes one or more numbers");
    return number_grade(&a, n, args);
  case SUB_IMPORT:
    if (n != 1) return cli_usage_error("number", "import takes one file");
    break;
  case SUB_ACTIVATE:
    if (n != 1) return cli_usage_error("number", "activate takes one number");
    if (!a.customer) return cli_usage_error("number", "activate needs --customer ACCOUNT");
    break;
  case SUB_OUTBOUND:
    if (n != 2 || (strcmp(args[1], "on") && strcmp(args[1], "off")))
      return cli_usage_error("number", "outbound takes a number and on or off");
    break;
  case SUB_USAGE:
    if (n != 1) return cli_usage_error("number", "usage takes one number");
    if (!a.slots || !a.have_max) return cli_usage_error("number", "usage needs --slots and --max-per-day (NUM-USAGE)");
    break;
  case SUB_SHOW:
    if (n != 1) return cli_usage_error("number", "show takes one number");
    break;
  case SUB_LIST:
    if (n) return cli_usage_error("number", "unexpected argument '%s'", args[0]);
    break;
  default:
    if (n < 1) return cli_usage_error("number", "%s takes one or more numbers", sub_names[sub]);
    break;
  }
  warden_registry *r = cli_open(cli_db_path(a.db));
  if (!r) return EXIT_USAGE;
  int rc;
  switch (sub) {
  case SUB_IMPORT: rc = number_import(r, &a, args[0]); break;
  case SUB_ACTIVATE: rc = number_activate(r, &a, args[0]); break;
  case SUB_OUTBOUND: {
    bool on = !strcmp(args[1], "on");
    warden_status st = warden_number_outbound(r, args[0], on);
    if (st)
      fprintf(stderr, "warden number: %s\n", warden_registry_errmsg(r));
    else {
      char d[16];
      digits_of(args[0], d);
      printf("%s outbound display %s (NUM-OUTBOUND)\n", d, on ? "on" : "off");
    }
    rc = exit_for(st);
    break;
  }
  case SUB_USAGE: {
    warden_status st = warden_number_usage(r, args[0], a.slots, a.max_per_day);
    warden_arena ar;
    warden_number_view v = {0};
    warden_arena_init(&ar, 0);
    if (!st) st = warden_number_get(r, args[0], &ar, &v);
    if (st)
      fprintf(stderr, "warden number: %s\n", warden_registry_errmsg(r));
    else
      printf("%s usage %s China Standard Time, at most %lld calls a day (NUM-USAGE)\n", v.number, v.slots,
             (long long)v.max_per_day);
    warden_arena_release(&ar);
    rc = exit_for(st);
    break;
  }
  case SUB_SHOW: rc = number_show(r, &a, args[0]); break;
  case SUB_LIST: rc = number_list(r, &a); break;
  default: rc = number_moves(r, sub, &a, n, args); break;
  }
  warden_registry_close(r);
  return rc;
}

/* ---- warden consent ---- */
static const char consent_help[] =
    "usage: warden consent grant [--db FILE] --account ACCOUNT --callee NUMBER --provider TEXT\n"
    "                            --kind TEXT --frequency TEXT --duration TEXT\n"
    "       warden consent revoke [--db FILE] --account ACCOUNT --callee NUMBER\n"
    "       warden consent check [--db FILE] ACCOUNT NUMBER\n"
    "       warden consent list [--db FILE] [--json] ACCOUNT\n"
    "Every subcommand takes --now TIME to fix the clock (as $WARDEN_NOW).\n\n"
    "Marketing consent (PD-CONSENT): before marketing to a callee the account tells them the provider,\n"
    "the kind, frequency and duration of the messages and gets explicit consent; all four disclosures\n"
    "are required. Refusal or no reply is no consent. A new grant replaces the one in force; revoke\n"
    "ends it; every change is audited. Callee numbers are personal data and shown masked.\n"
    "check exits 0 when a consent is in force now, 1 when there is none.\n";

typedef struct consent_ctx {
  json_t *arr; /* NULL: text */
  const char *account;
  long n;
} consent_ctx;

static void consent_line(const warden_consent_view *v, void *ctxp) {
  consent_ctx *ctx = ctxp;
  char masked[32], g[32], rv[32] = "";
  warden_mask(v->callee, masked, sizeof masked);
  instant_format(v->granted, g, sizeof g);
  if (v->revoked) instant_format(v->revoked, rv, sizeof rv);
  if (!ctx->n++ && !ctx->arr) printf("consents of %s (PD-CONSENT):\n", ctx->account);
  if (ctx->arr) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(v->id));
    json_object_set_new(o, "callee", json_string(masked));
    json_object_set_new(o, "provider", json_string(v->provider));
    json_object_set_new(o, "kind", json_string(v->kind));
    json_object_set_new(o, "frequency", json_string(v->frequency));
    json_object_set_new(o, "duration", json_string(v->duration));
    json_object_set_new(o, "granted", json_string(g));
    json_object_set_new(o, "revoked", v->revoked ? json_string(rv) : json_null());
    json_array_append_new(ctx->arr, o);
    return;
  }
  printf("  %-4lld %-14s %-20s provider %s; kind %s; frequency %s; duration %s\n", (long long)v->id, masked,
         v->revoked ? "revoked" : "in force", v->provider, v->kind, v->frequency, v->duration);
  printf("       granted %s%s%s\n", g, v->revoked ? ", revoked " : "", rv);
}

int cmd_consent(int argc, char **argv) {
  static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                           {"now", required_argument, NULL, 'n'},
                                           {"account", required_argument, NULL, 'a'},
                                           {"callee", required_argument, NULL, 'c'},
                                           {"provider", required_argument, NULL, 'p'},
                                           {"kind", required_argument, NULL, 'k'},
                                           {"frequency", required_argument, NULL, 'f'},
                                           {"duration", required_argument, NULL, 'u'},
                                           {"json", no_argument, NULL, 'j'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *db = NULL;
  warden_consent_terms t = {0};
  bool json = false;
  int c;
  int pre = cli_subcommand("consent", "grant|revoke|check|list", consent_help, &argc, &argv);
  if (pre >= 0) return pre;
  const char *sub = argv[0];
  while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'n':
      if (!cli_set_now(optarg)) return cli_usage_error("consent", "--now '%s' is not a time", optarg);
      break;
    case 'a': t.account = optarg; break;
    case 'c': t.callee = optarg; break;
    case 'p': t.provider = optarg; break;
    case 'k': t.kind = optarg; break;
    case 'f': t.frequency = optarg; break;
    case 'u': t.duration = optarg; break;
    case 'j': json = true; break;
    case 'h': cli_help(consent_help); return EXIT_OKAY;
    default: return cli_usage_error("consent", "unknown option");
    }
  }
  int n = argc - optind;
  char **args = argv + optind;
  bool grant = !strcmp(sub, "grant"), revoke = !strcmp(sub, "revoke"), check = !strcmp(sub, "check");
  if (grant || revoke) {
    if (n) return cli_usage_error("consent", "unexpected argument '%s'", args[0]);
    if (!t.account || !t.callee) return cli_usage_error("consent", "%s needs --account and --callee", sub);
    if (grant) {
      const char *missing = !t.provider    ? "provider"
                            : !t.kind      ? "kind"
                            : !t.frequency ? "frequency"
                            : !t.duration  ? "duration"
                                           : NULL;
      if (missing)
        return cli_usage_error("consent",
                               "--%s is missing: the callee must be told the provider, kind, frequency and duration "
                               "(PD-CONSENT)",
                               missing);
    }
  } else if (check) {
    if (n != 2) return cli_usage_error("consent", "check takes an account and a number");
  } else if (n != 1) {
    return cli_usage_error("consent", "list takes one account");
  }
  warden_registry *r = cli_open(cli_db_path(db));
  if (!r) return EXIT_USAGE;
  warden_status st;
  int rc = EXIT_OKAY;
  if (grant || revoke) {
    st = grant ? warden_consent_grant(r, &t) : warden_consent_revoke(r, t.account, t.callee);
    if (st) {
      fprintf(stderr, "warden consent: %s\n", warden_registry_errmsg(r));
    } else {
      warden_number_id id;
      char masked[32] = "";
      if (warden_number_parse(t.callee, &id, NULL, 0) == WARDEN_OK) warden_mask(id.digits, masked, sizeof masked);
      if (grant)
        printf("consent granted: %s may market to %s (provider %s; kind %s; frequency %s; duration %s) (PD-CONSENT)\n",
               t.account, masked, t.provider, t.kind, t.frequency, t.duration);
      else
        printf("consent revoked: %s may no longer market to %s (PD-CONSENT)\n", t.account, masked);
    }
    rc = exit_for(st);
  } else if (check) {
    warden_arena ar;
    warden_consent_view v;
    warden_arena_init(&ar, 0);
    st = warden_consent_get(r, args[0], args[1], warden_now(), &ar, &v);
    if (st == WARDEN_OK) {
      char masked[32], g[32];
      warden_mask(v.callee, masked, sizeof masked);
      instant_format(v.granted, g, sizeof g);
      printf("consent in force: %s -> %s since %s: provider %s; kind %s; frequency %s; duration %s (PD-CONSENT)\n",
             v.account, masked, g, v.provider, v.kind, v.frequency, v.duration);
    } else if (st == WARDEN_ERR_NOT_FOUND) {
      printf("%s\n", warden_registry_errmsg(r));
    } else {
      fprintf(stderr, "warden consent: %s\n", warden_registry_errmsg(r));
    }
    rc = exit_for(st);
    warden_arena_release(&ar);
  } else {
    consent_ctx cc = {.arr = json ? json_array() : NULL, .account = args[0]};
    st = warden_consent_list(r, args[0], consent_line, &cc);
    if (st) {
      fprintf(stderr, "warden consent: %s\n", warden_registry_errmsg(r));
      json_decref(cc.arr);
    } else if (json) {
      json_t *o = json_object();
      json_object_set_new(o, "account", json_string(args[0]));
      json_object_set_new(o, "consents", cc.arr);
      cli_print_json(o);
    } else if (!cc.n) {
      printf("consents of %s (PD-CONSENT): none\n", args[0]);
    }
    rc = exit_for(st);
  }
  warden_registry_close(r);
  return rc;
}
