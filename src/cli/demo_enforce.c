/* demo_enforce.c — the demo's enforcement steps: hosted servers and a day's complaints generated
 * from the registry, the intake into cases, the cases an inspector opens by hand, and two weeks of
 * working mornings (tick, and the steps people take on the cases), ending with the report. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../enforce/enforce.h"
#include "../money/money.h"
#include "../numbers/numbers.h"
#include "cli.h"

/* Up to cap rows of a one-column query, copied into out[][64]. */
static size_t column(warden_registry *r, const char *sql, char (*out)[64], size_t cap) {
  sqlite3_stmt *q;
  size_t n = 0;
  if (sqlite3_prepare_v2(warden_registry_db(r), sql, -1, &q, NULL) != SQLITE_OK) return 0;
  while (n < cap && sqlite3_step(q) == SQLITE_ROW) {
    const unsigned char *s = sqlite3_column_text(q, 0);
    snprintf(out[n++], 64, "%s", s ? (const char *)s : "");
  }
  sqlite3_finalize(q);
  return n;
}

/* Servers for the customers holding numbers, in two machine rooms; and a day of complaints: some
 * name numbers and servers of the registry, some name nothing it knows. */
static int write_inputs(warden_registry *r, const char *res_path, const char *comp_path) {
  char cust[40][64], mob[12][64], n400[4][64];
  size_t nc = column(r,
                     "SELECT DISTINCT n.account_id FROM number n JOIN account a ON a.id = n.account_id "
                     "WHERE n.state = 'active' AND a.state = 'active' ORDER BY n.account_id",
                     cust, 40);
  size_t nm = column(r,
                     "SELECT n.number FROM number n JOIN account a ON a.id = n.account_id JOIN account g ON g.id = a.parent_id "
                     "WHERE n.state = 'active' AND n.kind = 'mobile' AND a.state = 'active' AND g.role = 'agent' "
                     "AND g.state = 'active' ORDER BY substr(n.number, 8), n.number",
                     mob, 12);
  size_t n4 = column(r,
                     "SELECT n.number FROM number n JOIN account a ON a.id = n.account_id JOIN account g ON g.id = a.parent_id "
                     "WHERE n.state = 'active' AND n.kind = '400' AND g.role = 'agent' AND g.state = 'active' "
                     "ORDER BY n.number DESC",
                     n400, 4);
  if (nc < 30 || nm < 12 || n4 < 2) {
    fprintf(stderr, "warden demo: the registry is too small for the enforcement steps (use more --customers)\n");
    return -1;
  }
  FILE *f = fopen(res_path, "w");
  if (!f) return -1;
  fprintf(f, "id,kind,account,facility,ip,domain\n");
  for (size_t i = 0; i < nc; i++)
    fprintf(f, "srv%02zu,server,%s,%s,%s.%zu,site%02zu.example.cn\n", i + 1, cust[i], i < nc / 2 ? "MR-GZ-1" : "MR-GZ-2",
            i < nc / 2 ? "203.0.113" : "198.51.100", i + 10, i + 1);
  fprintf(f, "srv99,server,%s,MR-GZ-3,192.0.2.10,\n", cust[0]); /* an empty room to move into */
  if (fclose(f)) return -1;
  if (!(f = fopen(comp_path, "w"))) return -1;
  fprintf(f, "source,time,target,category,text\n");
  for (size_t i = 0; i < 3; i++)
    fprintf(f, "12321,2026-03-01T2%zu:10:00+08:00,%s,harassment,marketing calls late at night\n", i, mob[i]);
  fprintf(f, "10000,2026-03-01T15:00:00+08:00,%s,service,the agent never answers our calls\n", n400[0]);
  fprintf(f, "regulator,2026-03-01T11:00:00+08:00,%s,fraud,named in a telecom fraud notice\n", mob[3]);
  fprintf(f, "regulator,2026-03-01T09:30:00+08:00,http://site02.example.cn/casino,content,gambling pages\n");
  fprintf(f, "12321,2026-03-02T08:30:00+08:00,site02.example.cn,content,gambling pages again\n");
  fprintf(f, "signalling,2026-03-01T16:00:00+08:00,site03.example.cn,content,phishing form\n");
  fprintf(f, "dialtest,2026-03-01T10:00:00+08:00,19912345678,fraud,abnormal outbound calls from an unknown number\n");
  fprintf(f, "12321,2026-03-01T12:00:00+08:00,203.0.113.250,content,an address nobody here holds\n");
  fprintf(f, "10086,2026-03-01T13:00:00+08:00,unknown-shop.example.org,fraud,a site nobody here hosts\n");
  return fclose(f) ? -1 : 0;
}

static long long open_by_hand(warden_enforce_ctx *x, const char *kind, const char *sk, const char *subject, int grade,
                              const char *note) {
  warden_case_new in = {.kind = kind, .subject_kind = sk, .subject = subject, .grade = grade, .note = note,
                        .deadline_date = WARDEN_NO_DATE};
  long long id = 0;
  if (warden_case_open(x, &in, &id)) {
    printf("  %-18s %s:%s refused: %s\n", kind, sk, subject, warden_registry_errmsg(x->r));
    return 0;
  }
  return id;
}

/* The steps people take on a morning, by the cases' kinds and states. */
static void people(warden_enforce_ctx *x, int day, long *acts) {
  static const struct {
    int day;
    const char *kind, *state, *action, *arg;
    int limit;
  } plan[] = {
      {1, NULL, "review", "confirm", "confirmed from the switch's records", 4},
      {1, "EN-COLLATERAL", "moving", "move", "MR-GZ-3", 1},
      {1, "EN-INCIDENT", "reporting", "report", "MIIT and the customer notified in writing", 1},
      {2, "EN-HARASS", "shut", "uphold", "complaints verified", 2},
      {2, "EN-SECURITY", "warning", "escalate", "second violation", 1},
      {3, "EN-ILLEGAL-HOST", "shut", "undertake", "undertaking signed", 1},
      {3, "EN-FRAUD-SERIOUS", "referral", "refer", "materials to the public security bureau", 1},
      {4, "ASSOC-LIABLE", "inspection", "release", "not involved: the shared key is a family member's", 1},
      {6, "EN-RESALE", "fined", "pay", NULL, 1},
      {8, NULL, "fined", "pay", NULL, 2},
  };
  for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
    if (plan[i].day != day) continue;
    warden_arena a;
    warden_arena_init(&a, 1 << 14);
    warden_case_filter f = {.state = plan[i].state, .kind = plan[i].kind, .limit = plan[i].limit};
    warden_case_view *v;
    size_t n;
    if (!warden_case_list(x, &f, &a, &v, &n, NULL))
      for (size_t k = 0; k < n; k++) {
        const char *action = plan[i].action, *arg = plan[i].arg;
        if (!strcmp(action, "confirm") && !v[k].account) /* a number outside the inventory: nothing of ours to act on */
          action = "dismiss", arg = "the number is not ours: reported to the carrier that holds it";
        if (warden_case_act(x, v[k].id, action, arg))
          printf("  case %lld %s: %s\n", v[k].id, action, warden_registry_errmsg(x->r));
        else (*acts)++;
      }
    warden_arena_release(&a);
  }
}

int demo_enforce_section(warden_registry *r, const warden_policy *p, const char *dir, int32_t today, int32_t kyc_deadline,
                         warden_tick_report *sum) {
  char res_path[600], comp_path[600], exports[600];
  snprintf(res_path, sizeof res_path, "%s/resources.csv", dir);
  snprintf(comp_path, sizeof comp_path, "%s/complaints.csv", dir);
  snprintf(exports, sizeof exports, "%s/exports", dir);
  warden_cal *cal = cli_cal_open(NULL, NULL);
  if (!cal || write_inputs(r, res_path, comp_path)) {
    warden_cal_free(cal);
    return EXIT_USAGE;
  }
  warden_enforce_ctx x = {.r = r, .p = p, .cal = cal, .exports_dir = exports, .now = warden_now()};
  int rc = EXIT_USAGE;
  warden_import_opts io = {.today = today};
  warden_import_result res;
  warden_complaint_stats cs;
  printf("\nEnforcement (EN-*): findings, complaints and KYC verdicts become cases\n");
  if (warden_resource_import(&x, res_path, &io, &res)) goto fail;
  printf("  %-22s%ld servers in 3 machine rooms (%s)\n", "hosted resources:", res.accepted, res_path);
  if (warden_complaint_import(&x, comp_path, &io, &res, &cs)) goto fail;
  printf("  %-22s%ld (12321, 10000, regulator, dial tests, signalling): %ld matched, %ld unmatched and kept (%s)\n",
         "complaints imported:", res.accepted, cs.matched, cs.unmatched, comp_path);
  warden_enforce_stats es;
  if (warden_enforce_run(&x, kyc_deadline, &es)) goto fail;
  printf("  %-22s%ld findings, %ld complaints, %ld KYC verdicts considered: %ld cases opened, %ld skipped, %ld refused\n",
         "warden enforce:", es.findings, es.complaints, es.kyc, es.opened, es.skipped, es.refused);
  if (es.refused) printf("  %-22s%s\n", "first refusal:", es.first_refusal);
  /* what an inspector opens by hand */
  char mob[8][64] = {{0}}, agent[2][64] = {{0}}, cust[2][64] = {{0}};
  column(r,
         "SELECT n.number FROM number n JOIN account a ON a.id = n.account_id JOIN account g ON g.id = a.parent_id "
         "WHERE n.state = 'active' AND n.kind = 'mobile' AND a.state = 'active' AND g.role = 'agent' AND g.state = 'active' "
         "ORDER BY substr(n.number, 8) DESC, n.number",
         mob, 8);
  column(r,
         "SELECT g.id FROM account g WHERE g.role = 'agent' AND g.state = 'active' AND EXISTS (SELECT 1 FROM account c "
         "WHERE c.parent_id = g.id) ORDER BY (SELECT count(*) FROM enf_case e WHERE e.agent_id = g.id), g.id",
         agent, 2);
  column(r,
         "SELECT a.id FROM account a WHERE a.role = 'customer' AND a.state = 'active' AND NOT EXISTS (SELECT 1 FROM enf_case e "
         "WHERE e.account_id = a.id) AND EXISTS (SELECT 1 FROM resource s WHERE s.account_id = a.id) ORDER BY a.id DESC",
         cust, 2);
  long hand = 0;
  hand += open_by_hand(&x, "EN-RESALE", "number", mob[0], 0, "resold to a buyer in regular business") != 0;
  hand += open_by_hand(&x, "EN-RESALE-ILLEGAL", "number", mob[1], 0, "resold to a buyer running an illegal lottery") != 0;
  hand += open_by_hand(&x, "EN-FRAUD-SERIOUS", "agent", agent[0], 0, "fraud ring behind several of its customers") != 0;
  hand += open_by_hand(&x, "EN-AGENT-TERM", "agent", agent[1], 0, "did not review its customers' documents") != 0;
  hand += open_by_hand(&x, "EN-SECURITY", "customer", cust[0], 1, "information-security commitment broken") != 0;
  hand += open_by_hand(&x, "EN-INCIDENT", "customer", cust[1], 0, "customer records leaked") != 0;
  hand += open_by_hand(&x, "EN-COLLATERAL", "facility", "MR-GZ-1", 0, "the machine room shut by the regulator") != 0;
  printf("  %-22s%ld cases opened by hand (resale, illegal resale, serious fraud, agent termination, security,\n"
         "  %-22san incident, a machine room shut)\n", "by an inspector:", hand, "");
  /* two weeks of working mornings */
  long fired = 0, overdue = 0, acts = 0;
  for (int day = 0; day <= 14; day++) {
    char d[11], when[40];
    warden_date_format(today + day, d);
    snprintf(when, sizeof when, "%sT09:00:00+08:00", d);
    setenv("WARDEN_NOW", when, 1);
    x.now = warden_now();
    warden_tick_report t;
    long moved;
    warden_enforce_tick_stats ts;
    if (warden_money_tick(r, p, x.now, &t) || warden_number_tick(r, x.now, &moved) || warden_enforce_tick(&x, &ts)) goto fail;
    sum->renewed += t.renewed;
    sum->ended += t.ended;
    sum->dunned += t.dunned;
    sum->late_fees += t.late_fees;
    sum->late_fee_fen += t.late_fee_fen;
    sum->suspended += t.suspended;
    sum->terminated += t.terminated;
    sum->restored += t.restored;
    fired += ts.fired;
    overdue += ts.overdue;
    people(&x, day, &acts);
  }
  printf("  %-22s%ld deadlines acted on, %ld noted overdue, %ld steps taken by people\n", "15 mornings of ticks:", fired,
         overdue, acts);
  sqlite3_stmt *q;
  printf("  %-22s\n", "cases by kind and state:");
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "SELECT kind, group_concat(state || ' ' || n, ', ') FROM (SELECT kind, CASE WHEN closed IS NULL THEN "
                         "state ELSE 'closed: ' || outcome END AS state, count(*) AS n FROM enf_case GROUP BY 1, 2) "
                         "GROUP BY kind ORDER BY kind",
                         -1, &q, NULL) == SQLITE_OK) {
    while (sqlite3_step(q) == SQLITE_ROW) printf("    %-18s %s\n", sqlite3_column_text(q, 0), sqlite3_column_text(q, 1));
    sqlite3_finalize(q);
  }
  rc = EXIT_OKAY;
  warden_cal_free(cal);
  return rc;
fail:
  fprintf(stderr, "warden demo: %s\n", warden_registry_errmsg(r));
  warden_cal_free(cal);
  return rc;
}
