/* cmd_money.c — contracts, deposits, the ledger, payments, arrears and `warden tick`. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../money/money.h"
#include "../numbers/numbers.h"
#include "../enforce/enforce.h"
#include "cli.h"

static const char money_help[] =
    "usage: warden contract create ID --account A --start DATE --fee AMOUNT [--no-renew]   CT-TERM\n"
    "       warden contract notice ID --on DATE        written notice not to renew (a month ahead)\n"
    "       warden contract list [--account A]\n"
    "       warden deposit take ACCOUNT --kind equipment|margin [--amount AMOUNT] [--contract C] [--note T]\n"
    "                                                  (default amount: the policy's deposits.*)\n"
    "       warden deposit refund ID [--note T] | warden deposit forfeit ID [--note T]   CT-DEPOSIT\n"
    "       warden ledger post ACCOUNT --kind fee|fine|... --amount AMOUNT [--due DATE] [--ref R]\n"
    "       warden ledger show ACCOUNT                 entries and balance (integer fen, shown in yuan)\n"
    "       warden ledger check                        every balance equals the sum of its entries\n"
    "       warden pay ACCOUNT AMOUNT [--ref R]        a payment; restores a suspended account when paid up\n"
    "       warden arrears                             accounts in arrears (CT-ARREARS)\n"
    "       warden tick [--now TIME] [--policy FILE]   apply everything due: renewals, lapses, late fees,\n"
    "                                                  dunning, suspension, termination, number cool-off.\n"
    "                                                  Deterministic and idempotent.\n"
    "AMOUNT: 25000 or '25000 yuan' or '25000.50 yuan' or '150 fen'. All take --db FILE.\n";

static int report(warden_registry *r, warden_status st, const char *cmd) {
  if (!st) return EXIT_OKAY;
  fprintf(stderr, "warden %s: %s\n", cmd, warden_registry_errmsg(r));
  return st == WARDEN_ERR_STATE || st == WARDEN_ERR_NOT_FOUND || st == WARDEN_ERR_EXISTS ? EXIT_FINDINGS : EXIT_USAGE;
}

typedef struct money_opts {
  const char *db, *account, *start, *fee, *on, *kind, *amount, *contract, *note, *due, *ref, *policy, *now;
  bool no_renew;
} money_opts;

static int parse_opts(const char *cmd, int argc, char **argv, money_opts *o) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},      {"account", required_argument, NULL, 'a'},
      {"start", required_argument, NULL, 's'},   {"fee", required_argument, NULL, 'f'},
      {"on", required_argument, NULL, 'o'},      {"kind", required_argument, NULL, 'k'},
      {"amount", required_argument, NULL, 'm'},  {"contract", required_argument, NULL, 'c'},
      {"note", required_argument, NULL, 'n'},    {"due", required_argument, NULL, 'u'},
      {"ref", required_argument, NULL, 'r'},     {"policy", required_argument, NULL, 'p'},
      {"now", required_argument, NULL, 'N'},     {"no-renew", no_argument, NULL, 'R'},
      {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'a': o->account = optarg; break;
    case 's': o->start = optarg; break;
    case 'f': o->fee = optarg; break;
    case 'o': o->on = optarg; break;
    case 'k': o->kind = optarg; break;
    case 'm': o->amount = optarg; break;
    case 'c': o->contract = optarg; break;
    case 'n': o->note = optarg; break;
    case 'u': o->due = optarg; break;
    case 'r': o->ref = optarg; break;
    case 'p': o->policy = optarg; break;
    case 'N': o->now = optarg; break;
    case 'R': o->no_renew = true; break;
    case 'h': cli_help(money_help); return EXIT_OKAY;
    default: return cli_usage_error(cmd, "unknown option");
    }
  }
  if (o->now && !cli_set_now(o->now)) return cli_usage_error(cmd, "--now '%s' is not a time", o->now);
  return -1;
}

static bool need_date(const char *cmd, const char *what, const char *s, int32_t *d) {
  if (s && warden_date_parse(s, d)) return true;
  cli_usage_error(cmd, "%s needs a date (YYYY-MM-DD)", what);
  return false;
}

static bool need_money(const char *cmd, const char *what, const char *s, int64_t *fen) {
  if (s && warden_money_parse(s, fen)) return true;
  cli_usage_error(cmd, "%s needs an amount (25000, '25000 yuan', '150 fen')", what);
  return false;
}

int cmd_contract(int argc, char **argv) {
  money_opts o = {0};
  int sub = cli_subcommand("contract", "create|notice|list", money_help, &argc, &argv);
  if (sub >= 0) return sub;
  const char *what = argv[0];
  if ((sub = parse_opts("contract", argc, argv, &o)) >= 0) return sub;
  int nargs = argc - optind;
  if (nargs != (strcmp(what, "list") ? 1 : 0)) return cli_usage_error("contract", "%s: wrong number of arguments", what);
  int32_t start = 0, on = 0;
  int64_t fee = 0;
  if (!strcmp(what, "create") && (!o.account || !need_date("contract", "--start", o.start, &start) || !need_money("contract", "--fee", o.fee, &fee)))
    return o.account ? EXIT_USAGE : cli_usage_error("contract", "--account is required");
  if (!strcmp(what, "notice") && !need_date("contract", "--on", o.on, &on)) return EXIT_USAGE;
  warden_policy *p = cli_load_policy(o.policy);
  if (!p) return EXIT_USAGE;
  warden_registry *r = cli_open(cli_db_path(o.db));
  int rc = EXIT_USAGE;
  if (!r) goto done;
  if (!strcmp(what, "create")) {
    rc = report(r, warden_contract_create(r, p, argv[optind], o.account, start, fee, !o.no_renew), "contract");
    if (!rc) {
      char e[11], s[11];
      warden_date_format(start, s);
      warden_date_format(warden_term_end(start, (int)warden_policy_get(p, "contracts", "term")), e);
      printf("contract %s: %s..%s, %s\n", argv[optind], s, e, o.no_renew ? "no renewal" : "renews automatically");
    }
  } else if (!strcmp(what, "notice")) {
    rc = report(r, warden_contract_notice(r, p, argv[optind], on), "contract");
    if (!rc) printf("contract %s will not renew\n", argv[optind]);
  } else {
    sqlite3_stmt *q;
    rc = EXIT_OKAY;
    if (!sqlite3_prepare_v2(warden_registry_db(r),
                            "SELECT id, account_id, term_start, end_date, annual_fee_fen, auto_renew, notice_date, state, renewals"
                            " FROM contract WHERE ?1 IS NULL OR account_id = ?1 ORDER BY id", -1, &q, NULL)) {
      if (o.account) sqlite3_bind_text(q, 1, o.account, -1, SQLITE_STATIC);
      while (sqlite3_step(q) == SQLITE_ROW) {
        char s[11], e[11], f[32];
        warden_date_format(sqlite3_column_int(q, 2), s);
        warden_date_format(sqlite3_column_int(q, 3), e);
        warden_money_format(sqlite3_column_int64(q, 4), f, sizeof f);
        const char *fate = strcmp((const char *)sqlite3_column_text(q, 7), "active") ? (const char *)sqlite3_column_text(q, 7)
                           : sqlite3_column_type(q, 6) != SQLITE_NULL || !sqlite3_column_int(q, 5) ? "lapsing"
                                                                                                  : "renewing";
        printf("%-12s %-12s %s..%s %12s yuan/year  %-10s renewed %d\n", sqlite3_column_text(q, 0), sqlite3_column_text(q, 1),
               s, e, f, fate, sqlite3_column_int(q, 8));
      }
      sqlite3_finalize(q);
    }
  }
done:
  warden_registry_close(r);
  warden_policy_free(p);
  return rc;
}

int cmd_deposit(int argc, char **argv) {
  money_opts o = {0};
  int sub = cli_subcommand("deposit", "take|refund|forfeit", money_help, &argc, &argv);
  if (sub >= 0) return sub;
  const char *what = argv[0];
  if ((sub = parse_opts("deposit", argc, argv, &o)) >= 0) return sub;
  if (argc - optind != 1) return cli_usage_error("deposit", "%s takes one argument", what);
  int64_t amount = 0, id = 0;
  if (!strcmp(what, "take") && !o.kind) return cli_usage_error("deposit", "--kind equipment|margin is required");
  if (!strcmp(what, "take") && o.amount && !need_money("deposit", "--amount", o.amount, &amount)) return EXIT_USAGE;
  if (!strcmp(what, "take") && !o.amount) { /* the policy's amount: CT-DEPOSIT, EN-ILLEGAL-HOST's 5000 yuan */
    warden_policy *p = cli_load_policy(o.policy);
    if (!p) return EXIT_USAGE;
    amount = warden_policy_get(p, "deposits", strcmp(o.kind, "margin") ? "equipment" : "illegal_host_margin");
    warden_policy_free(p);
  }
  if (strcmp(what, "take") && !warden_parse_i64(argv[optind], &id)) return cli_usage_error("deposit", "a deposit id is a number");
  warden_registry *r = cli_open(cli_db_path(o.db));
  if (!r) return EXIT_USAGE;
  int rc;
  if (!strcmp(what, "take")) {
    long long did;
    rc = report(r, warden_deposit_take(r, argv[optind], o.contract, o.kind, amount, o.note, &did), "deposit");
    if (!rc) printf("deposit %lld held\n", did);
  } else {
    bool refund = !strcmp(what, "refund");
    rc = report(r, refund ? warden_deposit_refund(r, (long long)id, o.note) : warden_deposit_forfeit(r, (long long)id, o.note), "deposit");
    if (!rc) printf("deposit %lld %s\n", (long long)id, refund ? "refunded" : "forfeited");
  }
  warden_registry_close(r);
  return rc;
}

int cmd_ledger(int argc, char **argv) {
  money_opts o = {0};
  int sub = cli_subcommand("ledger", "post|show|check", money_help, &argc, &argv);
  if (sub >= 0) return sub;
  const char *what = argv[0];
  if ((sub = parse_opts("ledger", argc, argv, &o)) >= 0) return sub;
  if (argc - optind != (strcmp(what, "check") ? 1 : 0)) return cli_usage_error("ledger", "%s: wrong number of arguments", what);
  warden_ledger_kind kind = WARDEN_LEDGER_FEE;
  int64_t amount = 0;
  int32_t due = WARDEN_NO_DATE;
  if (!strcmp(what, "post")) {
    if (!o.kind || !warden_ledger_kind_parse(o.kind, &kind)) return cli_usage_error("ledger", "--kind is fee, fine, late_fee, deposit, payment, refund or waiver");
    if (!need_money("ledger", "--amount", o.amount, &amount)) return EXIT_USAGE;
    if (o.due && !need_date("ledger", "--due", o.due, &due)) return EXIT_USAGE;
  }
  warden_registry *r = cli_open(cli_db_path(o.db));
  if (!r) return EXIT_USAGE;
  int rc = EXIT_OKAY;
  char b[32];
  if (!strcmp(what, "post")) {
    int64_t bal;
    rc = report(r, warden_ledger_post(r, argv[optind], kind, amount, due, o.ref, &bal), "ledger");
    if (!rc) {
      warden_money_format(bal, b, sizeof b);
      printf("%s balance %s yuan\n", argv[optind], b);
    }
  } else if (!strcmp(what, "show")) {
    int64_t bal;
    rc = report(r, warden_ledger_balance(r, argv[optind], &bal), "ledger");
    sqlite3_stmt *q;
    if (!rc && !sqlite3_prepare_v2(warden_registry_db(r), "SELECT id, kind, amount_fen, due, ref, balance_after FROM ledger"
                                                          " WHERE account_id = ?1 ORDER BY id", -1, &q, NULL)) {
      sqlite3_bind_text(q, 1, argv[optind], -1, SQLITE_STATIC);
      while (sqlite3_step(q) == SQLITE_ROW) {
        char a[32], d[11];
        warden_money_format(sqlite3_column_int64(q, 2), a, sizeof a);
        warden_money_format(sqlite3_column_int64(q, 5), b, sizeof b);
        warden_date_format(sqlite3_column_int(q, 3), d);
        printf("%6lld  %-9s %12s  due %s  %-28s balance %12s\n", sqlite3_column_int64(q, 0), sqlite3_column_text(q, 1), a, d,
               sqlite3_column_text(q, 4), b);
      }
      sqlite3_finalize(q);
      warden_money_format(bal, b, sizeof b);
      printf("balance %s yuan (%s)\n", b, bal > 0 ? "owed by the account" : bal < 0 ? "owed to the account" : "settled");
    }
  } else {
    long accounts, bad;
    char first[300];
    rc = report(r, warden_ledger_check(r, NULL, &accounts, &bad, first, sizeof first), "ledger");
    if (!rc && bad) {
      printf("ledger BROKEN: %ld of %ld accounts; first: %s\n", bad, accounts, first);
      rc = EXIT_FINDINGS;
    } else if (!rc) {
      printf("ledger holds: %ld accounts, every balance equals the sum of its entries\n", accounts);
    }
  }
  warden_registry_close(r);
  return rc;
}

int cmd_pay(int argc, char **argv) {
  money_opts o = {0};
  int sub;
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) { cli_help(money_help); return EXIT_OKAY; }
  optind = 1;
  if ((sub = parse_opts("pay", argc, argv, &o)) >= 0) return sub;
  int64_t amount;
  if (argc - optind != 2) return cli_usage_error("pay", "give an account and an amount");
  if (!need_money("pay", "the amount", argv[optind + 1], &amount)) return EXIT_USAGE;
  warden_registry *r = cli_open(cli_db_path(o.db));
  if (!r) return EXIT_USAGE;
  bool restored = false;
  int rc = report(r, warden_payment_record(r, argv[optind], amount, o.ref ? o.ref : "payment", &restored), "pay");
  if (!rc) {
    int64_t bal = 0;
    char b[32];
    warden_ledger_balance(r, argv[optind], &bal);
    warden_money_format(bal, b, sizeof b);
    printf("%s paid; balance %s yuan%s\n", argv[optind], b, restored ? "; service restored (CT-ARREARS)" : "");
  }
  warden_registry_close(r);
  return rc;
}

int cmd_arrears(int argc, char **argv) {
  money_opts o = {0};
  int sub;
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) { cli_help(money_help); return EXIT_OKAY; }
  optind = 1;
  if ((sub = parse_opts("arrears", argc, argv, &o)) >= 0) return sub;
  warden_registry *r = cli_open(cli_db_path(o.db));
  if (!r) return EXIT_USAGE;
  sqlite3_stmt *q;
  int n = 0;
  if (!sqlite3_prepare_v2(warden_registry_db(r),
                          "SELECT a.account_id, a.overdue_since, a.dunned, a.suspended IS NOT NULL, a.terminated IS NOT NULL,"
                          " COALESCE(b.balance_fen, 0), c.state FROM arrears a LEFT JOIN account_balance b USING (account_id)"
                          " JOIN account c ON c.id = a.account_id ORDER BY a.overdue_since, a.account_id", -1, &q, NULL)) {
    while (sqlite3_step(q) == SQLITE_ROW) {
      char since[11], b[32];
      warden_date_format(sqlite3_column_int(q, 1), since);
      warden_money_format(sqlite3_column_int64(q, 5), b, sizeof b);
      printf("%-12s overdue since %s  balance %12s yuan  %s%s%sstate %s\n", sqlite3_column_text(q, 0), since, b,
             sqlite3_column_int(q, 2) ? "dunned, " : "", sqlite3_column_int(q, 3) ? "suspended, " : "",
             sqlite3_column_int(q, 4) ? "terminated, " : "", sqlite3_column_text(q, 6));
      n++;
    }
    sqlite3_finalize(q);
  }
  printf("%d account%s in arrears\n", n, n == 1 ? "" : "s");
  warden_registry_close(r);
  return n ? EXIT_FINDINGS : EXIT_OKAY;
}

int cmd_tick(int argc, char **argv) {
  money_opts o = {0};
  int sub;
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) { cli_help(money_help); return EXIT_OKAY; }
  optind = 1;
  if ((sub = parse_opts("tick", argc, argv, &o)) >= 0) return sub;
  if (optind != argc) return cli_usage_error("tick", "unexpected argument '%s'", argv[optind]);
  warden_policy *p = cli_load_policy(o.policy);
  if (!p) return EXIT_USAGE;
  warden_registry *r = cli_open(cli_db_path(o.db));
  int rc = EXIT_USAGE;
  if (r) {
    warden_tick_report t;
    int64_t now = warden_now();
    rc = report(r, warden_money_tick(r, p, now, &t), "tick");
    long released = 0;
    if (!rc) rc = report(r, warden_number_tick(r, now, &released), "tick");
    warden_enforce_tick_stats et = {0};
    if (!rc) {
      warden_cal *cal = cli_cal_open(NULL, cli_db_path(o.db));
      warden_enforce_ctx x = {.r = r, .p = p, .cal = cal, .exports_dir = getenv("WARDEN_EXPORTS"), .now = now};
      rc = cal ? report(r, warden_enforce_tick(&x, &et), "tick") : EXIT_USAGE;
      warden_cal_free(cal);
    }
    if (!rc) {
      char d[11], f[32];
      warden_date_format(warden_date_of_utc(now), d);
      warden_money_format(t.late_fee_fen, f, sizeof f);
      printf("tick %s: %d renewed, %d ended, %d dunned, %d late fees (%s yuan), %d suspended, %d terminated, "
             "%d restored, %ld numbers back from cool-off; cases: %ld deadlines acted on, %ld newly overdue\n",
             d, t.renewed, t.ended, t.dunned, t.late_fees, f, t.suspended, t.terminated, t.restored, released, et.fired,
             et.overdue);
    }
  }
  warden_registry_close(r);
  warden_policy_free(p);
  return rc;
}
