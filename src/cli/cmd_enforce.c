/* cmd_enforce.c — `warden enforce`, `warden cases`, `warden case show|act|open`, `warden report`, and
 * the complaints and resources imports: the command-line face of src/enforce (rule book section 6). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../enforce/enforce.h"
#include "cli.h"

static const char enforce_help[] =
    "usage: warden enforce [--kyc-deadline DATE] [--db FILE] [--now TIME] [--policy FILE]\n"
    "       turn stored findings, imported complaints and (with --kyc-deadline) the KYC campaign's\n"
    "       verdicts into cases, by the policy's [triggers]; idempotent\n"
    "       warden cases [--state S|open] [--kind EN-*] [--agent A] [--subject X] [--overdue] [--limit N] [--json]\n"
    "       (--agent: an account: the cases of that agent, or on that account)\n"
    "       warden case show ID [--json]            the case, its timeline, evidence and allowed actions\n"
    "       warden case act ID ACTION [ARG]         a person's step (verify, pay, confirm, dismiss, refer, restore,\n"
    "                                               uphold, docs-fixed, warn, undertake, remove, move FACILITY,\n"
    "                                               escalate, close, report, release, terminate, note TEXT)\n"
    "       warden case open KIND --subject KIND:ID [--review] [--grade 0-3] [--deadline DATE] [--note TEXT]\n"
    "       warden report [--since TIME] [--json | --csv]   the morning report\n"
    "Deadlines come from the working-day calendar; `warden tick --now TIME` fires the ones due.\n"
    "Every command takes --db FILE, --now TIME, --policy FILE.\n";

typedef struct enf_opts {
  const char *db, *policy, *state, *kind, *agent, *subject, *note, *deadline, *since, *kyc_deadline;
  bool json, csv, overdue, review;
  long limit;
  int grade;
} enf_opts;

static int parse(const char *cmd, int argc, char **argv, enf_opts *o) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},      {"policy", required_argument, NULL, 'p'},
      {"now", required_argument, NULL, 'n'},     {"state", required_argument, NULL, 's'},
      {"kind", required_argument, NULL, 'k'},    {"agent", required_argument, NULL, 'a'},
      {"subject", required_argument, NULL, 'S'}, {"overdue", no_argument, NULL, 'o'},
      {"limit", required_argument, NULL, 'l'},   {"json", no_argument, NULL, 'j'},
      {"csv", no_argument, NULL, 'c'},           {"review", no_argument, NULL, 'r'},
      {"grade", required_argument, NULL, 'g'},   {"deadline", required_argument, NULL, 'D'},
      {"note", required_argument, NULL, 'N'},    {"since", required_argument, NULL, 'i'},
      {"kyc-deadline", required_argument, NULL, 'K'},
      {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
  int c;
  int64_t v;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'p': o->policy = optarg; break;
    case 'n':
      if (!cli_set_now(optarg)) return cli_usage_error(cmd, "--now '%s' is not a time", optarg);
      break;
    case 's': o->state = optarg; break;
    case 'k': o->kind = optarg; break;
    case 'a': o->agent = optarg; break;
    case 'S': o->subject = optarg; break;
    case 'o': o->overdue = true; break;
    case 'l':
      if (!warden_parse_i64(optarg, &v) || v < 0) return cli_usage_error(cmd, "--limit takes a count");
      o->limit = (long)v;
      break;
    case 'j': o->json = true; break;
    case 'c': o->csv = true; break;
    case 'r': o->review = true; break;
    case 'g':
      if (!warden_parse_i64(optarg, &v) || v < 0 || v > 3) return cli_usage_error(cmd, "--grade is 0 to 3");
      o->grade = (int)v;
      break;
    case 'D': o->deadline = optarg; break;
    case 'N': o->note = optarg; break;
    case 'i': o->since = optarg; break;
    case 'K': o->kyc_deadline = optarg; break;
    case 'h': cli_help(enforce_help); return EXIT_OKAY;
    default: return cli_usage_error(cmd, "unknown option (see warden %s --help)", cmd);
    }
  }
  return -1;
}

/* Everything a command needs: the registry, the policy and the calendar. */
typedef struct session {
  warden_registry *r;
  warden_policy *p;
  warden_cal *cal;
  warden_enforce_ctx x;
} session;

static bool session_open(session *s, const enf_opts *o) {
  memset(s, 0, sizeof *s);
  const char *db = cli_db_path(o->db);
  if (!(s->p = cli_load_policy(o->policy))) return false;
  if (!(s->cal = cli_cal_open(NULL, db))) return false;
  if (!(s->r = cli_open(db))) return false;
  s->x = (warden_enforce_ctx){.r = s->r, .p = s->p, .cal = s->cal, .exports_dir = getenv("WARDEN_EXPORTS"),
                              .now = warden_now()};
  return true;
}

static void session_close(session *s) {
  warden_registry_close(s->r);
  warden_cal_free(s->cal);
  warden_policy_free(s->p);
}

static int fail(session *s, const char *cmd, warden_status st) {
  fprintf(stderr, "warden %s: %s\n", cmd, warden_registry_errmsg(s->r));
  return st == WARDEN_ERR_STATE || st == WARDEN_ERR_NOT_FOUND || st == WARDEN_ERR_PARSE ? EXIT_FINDINGS : EXIT_USAGE;
}

static void when(int64_t t, char *out, size_t cap) {
  if (!t) {
    snprintf(out, cap, "-");
    return;
  }
  int64_t local = t + WARDEN_CST_OFFSET;
  int32_t day = (int32_t)(local / 86400);
  int sec = (int)(local % 86400);
  char d[11];
  if (!sec) { /* a deadline at midnight is the end of the day before */
    warden_date_format(day - 1, d);
    snprintf(out, cap, "%s 24:00", d);
    return;
  }
  warden_date_format(day, d);
  snprintf(out, cap, "%s %02d:%02d", d, sec / 3600, sec / 60 % 60);
}

static void iso(int64_t t, char *out, size_t cap) {
  int64_t local = t + WARDEN_CST_OFFSET;
  char d[11];
  warden_date_format((int32_t)(local / 86400), d);
  int sec = (int)(local % 86400);
  snprintf(out, cap, "%sT%02d:%02d:%02d+08:00", d, sec / 3600, sec / 60 % 60, sec % 60);
}

static void age(int64_t secs, char *out, size_t cap) {
  if (secs >= 86400) snprintf(out, cap, "%lldd %lldh", (long long)(secs / 86400), (long long)(secs / 3600 % 24));
  else snprintf(out, cap, "%lldh %lldm", (long long)(secs / 3600), (long long)(secs / 60 % 60));
}

static json_t *case_json(const warden_case_view *v) {
  char o[40], c[40], d[40], f[32];
  iso(v->opened, o, sizeof o);
  if (v->closed) iso(v->closed, c, sizeof c);
  if (v->deadline) iso(v->deadline, d, sizeof d);
  warden_money_format(v->fine_fen, f, sizeof f);
  json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:s, s:b, s:I}", "id", (json_int_t)v->id, "kind",
                        v->kind, "rules", v->rules, "subject_kind", v->subject_kind, "subject", v->subject, "owner", v->owner,
                        "state", v->state, "opened", o, "grade", v->grade, "fine_fen", (json_int_t)v->fine_fen, "fine_yuan",
                        f, "overdue", v->overdue, "age_seconds", (json_int_t)v->age);
  json_object_set_new(j, "account", v->account ? json_string(v->account) : json_null());
  json_object_set_new(j, "agent", v->agent ? json_string(v->agent) : json_null());
  json_object_set_new(j, "closed", v->closed ? json_string(c) : json_null());
  json_object_set_new(j, "outcome", v->outcome ? json_string(v->outcome) : json_null());
  json_object_set_new(j, "deadline", v->deadline ? json_string(d) : json_null());
  json_object_set_new(j, "deadline_what", v->deadline_what ? json_string(v->deadline_what) : json_null());
  json_object_set_new(j, "parent_case", v->parent ? json_integer(v->parent) : json_null());
  return j;
}

static void case_line(const warden_case_view *v) {
  char subj[96], o[24], dl[64], a[24];
  snprintf(subj, sizeof subj, "%s:%s", v->subject_kind, v->subject);
  when(v->opened, o, sizeof o);
  age(v->age, a, sizeof a);
  if (v->deadline) {
    char t[24];
    when(v->deadline, t, sizeof t);
    snprintf(dl, sizeof dl, "%s%s", t, v->overdue ? " OVERDUE" : "");
  } else {
    snprintf(dl, sizeof dl, "%s", v->closed ? (v->outcome ? v->outcome : "closed") : "-");
  }
  printf("%5lld  %-17s  %-13s  %-28s  %-10s  %-16s  %-8s  %s\n", v->id, v->kind, v->state, subj, v->agent ? v->agent : "-",
         o, a, dl);
}

static int run_cases(int argc, char **argv) {
  enf_opts o = {0};
  int rc = parse("cases", argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind != argc) return cli_usage_error("cases", "unexpected argument '%s'", argv[optind]);
  session s;
  warden_arena a;
  warden_arena_init(&a, 1 << 16);
  rc = EXIT_USAGE;
  if (session_open(&s, &o)) {
    warden_case_filter f = {.state = o.state, .kind = o.kind, .agent = o.agent, .subject = o.subject,
                            .overdue = o.overdue, .limit = o.limit};
    warden_case_view *v;
    size_t n;
    long total;
    warden_status st = warden_case_list(&s.x, &f, &a, &v, &n, &total);
    if (st) {
      rc = fail(&s, "cases", st);
    } else {
      if (!o.json)
        printf("%5s  %-17s  %-13s  %-28s  %-10s  %-16s  %-8s  %s\n", "case", "kind", "state", "subject", "agent",
               "opened (CST)", "age", "next deadline (CST)");
      for (size_t i = 0; i < n; i++) {
        if (o.json) cli_print_json(case_json(&v[i]));
        else case_line(&v[i]);
      }
      if (!o.json) printf("%ld case%s%s\n", total, total == 1 ? "" : "s", (size_t)total > n ? " (more with --limit)" : "");
      rc = EXIT_OKAY;
    }
  }
  warden_arena_release(&a);
  session_close(&s);
  return rc;
}

static bool case_id(const char *s, long long *id) {
  int64_t v;
  if (!warden_parse_i64(s, &v) || v <= 0) return false;
  *id = v;
  return true;
}

static int show(session *s, long long id, bool json) {
  warden_arena a;
  warden_arena_init(&a, 1 << 16);
  warden_case_view v;
  warden_case_event *ev;
  warden_case_evidence *evid;
  const char **acts;
  size_t nev, nevid;
  int rc = EXIT_OKAY;
  warden_status st = warden_case_get(&s->x, id, &a, &v);
  if (!st) st = warden_case_timeline(&s->x, id, &a, &ev, &nev, &evid, &nevid);
  if (!st) st = warden_case_actions(&s->x, id, &a, &acts);
  if (st) {
    rc = fail(s, "case", st);
    goto done;
  }
  if (json) {
    json_t *j = case_json(&v), *tl = json_array(), *e = json_array(), *al = json_array();
    for (size_t i = 0; i < nev; i++) {
      char t[40];
      iso(ev[i].at, t, sizeof t);
      json_array_append_new(tl, json_pack("{s:s, s:s, s:s, s:s, s:s}", "at", t, "actor", ev[i].actor, "kind", ev[i].kind,
                                          "state", ev[i].state, "detail", ev[i].detail));
    }
    for (size_t i = 0; i < nevid; i++)
      json_array_append_new(e, json_pack("{s:s, s:s, s:s}", "kind", evid[i].kind, "ref", evid[i].ref, "detail", evid[i].detail));
    for (size_t i = 0; acts[i]; i++) json_array_append_new(al, json_string(acts[i]));
    json_object_set_new(j, "timeline", tl);
    json_object_set_new(j, "evidence", e);
    json_object_set_new(j, "allowed_actions", al);
    cli_print_json(j);
    goto done;
  }
  char o[24], dl[24], a2[24], f[32];
  when(v.opened, o, sizeof o);
  when(v.deadline, dl, sizeof dl);
  age(v.age, a2, sizeof a2);
  warden_money_format(v.fine_fen, f, sizeof f);
  printf("case %lld  %s  (rules %s)\n", v.id, v.kind, v.rules);
  printf("  subject   %s:%s\n  account   %s\n  agent     %s\n  owner     %s\n", v.subject_kind, v.subject,
         v.account ? v.account : "-", v.agent ? v.agent : "-", v.owner);
  printf("  state     %s%s%s\n", v.state, v.outcome ? " — " : "", v.outcome ? v.outcome : "");
  printf("  opened    %s CST, age %s\n", o, a2);
  if (v.deadline) printf("  next      %s by %s CST%s\n", v.deadline_what ? v.deadline_what : "-", dl, v.overdue ? "  OVERDUE" : "");
  if (v.fine_fen) printf("  fines     %s yuan\n", f);
  if (v.parent) printf("  linked    from case %lld\n", v.parent);
  if (v.note && *v.note) printf("  note      %s\n", v.note);
  printf("timeline:\n");
  for (size_t i = 0; i < nev; i++) {
    char t[24];
    when(ev[i].at, t, sizeof t);
    printf("  %s  %-8s  %-13s  %s  (%s)\n", t, ev[i].kind, ev[i].state, ev[i].detail, ev[i].actor);
  }
  printf("evidence:\n");
  if (!nevid) printf("  (none)\n");
  for (size_t i = 0; i < nevid; i++) printf("  %-9s %-22s %s\n", evid[i].kind, evid[i].ref, evid[i].detail);
  printf("allowed:  ");
  for (size_t i = 0; acts[i]; i++) printf("%s%s", i ? ", " : "", acts[i]);
  printf("\n");
done:
  warden_arena_release(&a);
  return rc;
}

static int run_case(int argc, char **argv) {
  int rc = cli_subcommand("case", "show|act|open", enforce_help, &argc, &argv);
  if (rc >= 0) return rc;
  const char *sub = argv[0];
  enf_opts o = {0};
  if ((rc = parse("case", argc, argv, &o)) >= 0) return rc;
  int nargs = argc - optind;
  char **args = argv + optind;
  session s;
  long long id = 0;
  if (!strcmp(sub, "show") || !strcmp(sub, "act")) {
    if (nargs < 1 || !case_id(args[0], &id)) return cli_usage_error("case", "%s needs a case id", sub);
    if (!strcmp(sub, "show") && nargs != 1) return cli_usage_error("case", "show takes one case id");
    if (!strcmp(sub, "act") && (nargs < 2 || nargs > 3))
      return cli_usage_error("case", "act takes a case id, an action and at most one argument");
  } else if (nargs != 1 || !o.subject || !strchr(o.subject, ':')) {
    return cli_usage_error("case", "open takes a kind and --subject KIND:ID (number, customer, agent, resource, facility, account)");
  }
  rc = EXIT_USAGE;
  if (!session_open(&s, &o)) goto done;
  if (!strcmp(sub, "show")) {
    rc = show(&s, id, o.json);
  } else if (!strcmp(sub, "act")) {
    warden_status st = warden_case_act(&s.x, id, args[1], nargs == 3 ? args[2] : NULL);
    if (st) rc = fail(&s, "case", st);
    else rc = show(&s, id, o.json);
  } else {
    char kind[32];
    const char *colon = strchr(o.subject, ':');
    snprintf(kind, sizeof kind, "%.*s", (int)(colon - o.subject), o.subject);
    int32_t dl = WARDEN_NO_DATE;
    if (o.deadline && !warden_date_parse(o.deadline, &dl)) {
      rc = cli_usage_error("case", "--deadline '%s' is not a date", o.deadline);
      goto done;
    }
    warden_case_new in = {.kind = args[0], .subject_kind = kind, .subject = colon + 1, .note = o.note, .grade = o.grade,
                          .review = o.review, .deadline_date = dl};
    warden_status st = warden_case_open(&s.x, &in, &id);
    if (st) rc = fail(&s, "case", st);
    else rc = show(&s, id, o.json);
  }
done:
  session_close(&s);
  return rc;
}

static int run_enforce(int argc, char **argv) {
  enf_opts o = {0};
  int rc = parse("enforce", argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind != argc) return cli_usage_error("enforce", "unexpected argument '%s'", argv[optind]);
  int32_t kyc = WARDEN_NO_DATE;
  if (o.kyc_deadline && !warden_date_parse(o.kyc_deadline, &kyc))
    return cli_usage_error("enforce", "--kyc-deadline '%s' is not a date", o.kyc_deadline);
  session s;
  rc = EXIT_USAGE;
  if (session_open(&s, &o)) {
    warden_enforce_stats st;
    warden_status e = warden_enforce_run(&s.x, kyc, &st);
    if (e) {
      rc = fail(&s, "enforce", e);
    } else {
      printf("enforce: %ld findings, %ld complaints, %ld KYC verdicts considered; %ld cases opened, %ld added to open "
             "cases, %ld skipped, %ld refused\n",
             st.findings, st.complaints, st.kyc, st.opened, st.added, st.skipped, st.refused);
      if (st.refused) printf("  first refusal: %s\n", st.first_refusal);
      rc = EXIT_OKAY;
    }
  }
  session_close(&s);
  return rc;
}

static void put_counts(json_t *j, const char *name, const warden_report_count *c, size_t n) {
  json_t *o = json_object();
  for (size_t i = 0; i < n; i++) json_object_set_new(o, c[i].key, json_integer(c[i].count));
  json_object_set_new(j, name, o);
}

static int run_report(int argc, char **argv) {
  enf_opts o = {0};
  int rc = parse("report", argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind != argc) return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
  if (o.json && o.csv) return cli_usage_error("report", "--json or --csv, not both");
  int64_t since = 0;
  if (o.since && !warden_time_parse(o.since, &since)) return cli_usage_error("report", "--since '%s' is not a time", o.since);
  session s;
  warden_arena a;
  warden_arena_init(&a, 1 << 16);
  rc = EXIT_USAGE;
  if (!session_open(&s, &o)) goto done;
  if (!o.since) since = s.x.now - 86400;
  warden_report r;
  warden_status st = warden_enforce_report(&s.x, since, &a, &r);
  if (st) {
    rc = fail(&s, "report", st);
    goto done;
  }
  rc = EXIT_OKAY;
  char from[40], to[40], fi[32], fp[32], fo[32], med[24], p90[24];
  iso(r.since, from, sizeof from);
  iso(r.until, to, sizeof to);
  warden_money_format(r.fines_issued, fi, sizeof fi);
  warden_money_format(r.fines_paid, fp, sizeof fp);
  warden_money_format(r.fines_outstanding, fo, sizeof fo);
  age(r.age_median, med, sizeof med);
  age(r.age_p90, p90, sizeof p90);
  if (o.json) {
    json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "since", from, "until",
                          to, "cases_opened", (json_int_t)r.opened, "cases_closed", (json_int_t)r.closed, "overdue",
                          (json_int_t)r.overdue, "fines_issued_fen", (json_int_t)r.fines_issued, "fines_paid_fen",
                          (json_int_t)r.fines_paid, "fines_outstanding_fen", (json_int_t)r.fines_outstanding,
                          "numbers_frozen", (json_int_t)r.numbers_frozen, "numbers_recovered",
                          (json_int_t)r.numbers_recovered, "complaints", (json_int_t)r.complaints, "complaints_unmatched",
                          (json_int_t)r.complaints_unmatched, "age_median_seconds", (json_int_t)r.age_median,
                          "age_p90_seconds", (json_int_t)r.age_p90);
    put_counts(j, "findings_by_rule", r.findings_by_rule, r.nfindings);
    put_counts(j, "cases_by_state", r.cases_by_state, r.nstates);
    put_counts(j, "cases_opened_by_kind", r.cases_by_kind, r.nkinds);
    json_t *ag = json_array();
    for (size_t i = 0; i < r.nagents; i++)
      json_array_append_new(ag, json_pack("{s:s, s:I}", "agent", r.agents[i].key, "violations", (json_int_t)r.agents[i].count));
    json_object_set_new(j, "agents", ag);
    cli_print_json(j);
    goto done;
  }
  if (o.csv) {
    printf("section,key,value\n");
    printf("period,since,%s\nperiod,until,%s\n", from, to);
    for (size_t i = 0; i < r.nfindings; i++) printf("findings,%s,%ld\n", r.findings_by_rule[i].key, r.findings_by_rule[i].count);
    printf("cases,opened,%ld\ncases,closed,%ld\ncases,overdue,%ld\n", r.opened, r.closed, r.overdue);
    for (size_t i = 0; i < r.nkinds; i++) printf("opened_by_kind,%s,%ld\n", r.cases_by_kind[i].key, r.cases_by_kind[i].count);
    for (size_t i = 0; i < r.nstates; i++) printf("cases_by_state,%s,%ld\n", r.cases_by_state[i].key, r.cases_by_state[i].count);
    printf("fines,issued_yuan,%s\nfines,paid_yuan,%s\nfines,outstanding_yuan,%s\n", fi, fp, fo);
    printf("numbers,frozen,%ld\nnumbers,recovered,%ld\n", r.numbers_frozen, r.numbers_recovered);
    printf("complaints,imported,%ld\ncomplaints,unmatched,%ld\n", r.complaints, r.complaints_unmatched);
    for (size_t i = 0; i < r.nagents; i++) printf("agents,%s,%ld\n", r.agents[i].key, r.agents[i].count);
    printf("case_age,median_seconds,%lld\ncase_age,p90_seconds,%lld\n", (long long)r.age_median, (long long)r.age_p90);
    goto done;
  }
  printf("warden report, %s to %s (China Standard Time)\n\n", from, to);
  printf("new findings by rule:");
  if (!r.nfindings) printf(" none");
  for (size_t i = 0; i < r.nfindings; i++) printf("%s %s %ld", i ? "," : "", r.findings_by_rule[i].key, r.findings_by_rule[i].count);
  printf("\ncases: %ld opened, %ld closed, %ld overdue now\n", r.opened, r.closed, r.overdue);
  printf("  opened by kind:");
  if (!r.nkinds) printf(" none");
  for (size_t i = 0; i < r.nkinds; i++) printf("%s %s %ld", i ? "," : "", r.cases_by_kind[i].key, r.cases_by_kind[i].count);
  printf("\n  all cases by state:");
  if (!r.nstates) printf(" none");
  for (size_t i = 0; i < r.nstates; i++) printf("%s %s %ld", i ? "," : "", r.cases_by_state[i].key, r.cases_by_state[i].count);
  printf("\nfines: %s yuan issued, %s yuan paid; %s yuan outstanding in all\n", fi, fp, fo);
  printf("numbers: %ld frozen, %ld recovered\n", r.numbers_frozen, r.numbers_recovered);
  printf("complaints: %ld imported, %ld unmatched\n", r.complaints, r.complaints_unmatched);
  printf("agents ranked by violations:");
  if (!r.nagents) printf(" none");
  for (size_t i = 0; i < r.nagents && i < 10; i++) printf("%s %s (%ld)", i ? "," : "", r.agents[i].key, r.agents[i].count);
  printf("\ncase age (all cases, open ones to now): median %s, 90th percentile %s\n", med, p90);
done:
  warden_arena_release(&a);
  session_close(&s);
  return rc;
}

int cmd_enforce(int argc, char **argv) {
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    cli_help(enforce_help);
    return EXIT_OKAY;
  }
  optind = 1;
  if (!strcmp(argv[0], "cases")) return run_cases(argc, argv);
  if (!strcmp(argv[0], "case")) return run_case(argc, argv);
  if (!strcmp(argv[0], "report")) return run_report(argc, argv);
  return run_enforce(argc, argv);
}

/* `warden import complaints|resources FILE` (called by cmd_import). */
int enforce_import(const char *kind, const char *file, const char *db, warden_import_opts *opts) {
  enf_opts o = {.db = db};
  session s;
  int rc = EXIT_USAGE;
  if (!session_open(&s, &o)) goto done;
  warden_import_result res;
  warden_complaint_stats cs = {0};
  warden_status st = !strcmp(kind, "complaints") ? warden_complaint_import(&s.x, file, opts, &res, &cs)
                                                 : warden_resource_import(&s.x, file, opts, &res);
  if (st) {
    fprintf(stderr, "warden import: %s\nnothing was imported from %s\n", warden_registry_errmsg(s.r), file);
    rc = st == WARDEN_ERR_PARSE ? EXIT_FINDINGS : EXIT_USAGE;
    goto done;
  }
  printf("%s: %ld rows, %ld imported, %ld rejected%s%s%s\n", file, res.rows, res.accepted, res.rejected,
         res.rejected ? " (see " : "", res.rejected ? res.rejects_path : "", res.rejected ? ")" : "");
  if (!strcmp(kind, "complaints") && !res.rolled_back)
    printf("%s: %ld matched to a number or resource, %ld unmatched (kept; listed by `warden report`)\n", file, cs.matched,
           cs.unmatched);
  if (res.rolled_back) printf("%s: --all-or-nothing: rolled back, nothing imported\n", file);
  rc = res.rejected ? EXIT_FINDINGS : EXIT_OKAY;
done:
  session_close(&s);
  return rc;
}
