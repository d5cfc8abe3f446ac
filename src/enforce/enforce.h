/* enforce.h — the public face of enforcement: findings, complaints and KYC verdicts become cases;
 * cases carry out the rule book's section 6 (EN-*) with deadlines from the working-day calendar.
 *
 * A case has a kind (an EN-* id, or ASSOC-LIABLE), a subject (number, customer, agent, resource,
 * facility), the rule ids that opened it, evidence, an owner, a state, a next deadline and a
 * timeline (case_event, append-only). Every action on the registry or the ledger is audited with the
 * case and its rule. Tables: see registry.c, migration 3 -> 4.
 *
 * The state machines ("act" = warden_case_act by a person; "tick" = the deadline passing;
 * every case may also be dismissed from `review`, and noted at any time):
 *
 *   kind               state          on                        effect                                 next state
 *   -----------------  -------------  ------------------------  -------------------------------------  ------------
 *   (any, from a        review         act confirm               the kind's opening actions              as below
 *    detector)                         act dismiss               none                                   closed
 *                                      tick (enforce.review)     noted overdue (no action)              review
 *   EN-RESALE          rectifying     act verify                rectification verified                 closed
 *                                      tick (resale_rectify)     fine resale_fine, or resale_repeat_    fined
 *                                                                fine if the agent had earlier cases
 *   EN-RESALE-ILLEGAL  rectifying     act verify                rectified at once                      closed
 *                                      act notice | tick         penalty notice, fine due in            penalty
 *                                      (resale_illegal_rectify)  resale_illegal_pay working days
 *                      penalty        act pay                   payment recorded                       closed
 *                                      tick (fine due)           account shut, all numbers recovered    closed
 *   EN-FRAUD           (opening)      -                         numbers frozen, agent's account        fined
 *                                                                closed (ASSOC-LIABLE), fraud_fine a
 *                                                                number
 *   EN-FRAUD-SERIOUS   (opening)      -                         agent disqualified, every number       referral
 *                                                                under it recovered, regulator record
 *                                                                and announcement written
 *                      referral       act refer                 materials handed to public security    closed
 *   EN-HARASS          (opening)      -                         the number shut (frozen) at once       shut
 *                      shut           act restore | confirm     number restored / stays shut           closed
 *   EN-DOCS            awaiting-docs  act docs-fixed            the customer's documents rechecked     closed
 *                                      tick (the KYC deadline)   the customer shut: numbers frozen,     closed
 *                                                                account suspended
 *   EN-AGENT-TERM      (opening)      -                         cooperation terminated (CH-BREACH),    closed
 *                                                                ASSOC-LIABLE
 *   EN-NOSERVICE       (opening)      -                         unserviced numbers taken back, the     closed
 *                                                                platform serves (CH-NOSERVICE)
 *   EN-ILLEGAL-HOST    warned         act warn | new complaint  one more warning; at host_warnings     warned|shut
 *                                                                the server is shut
 *                      shut           act undertake             undertaking signed, margin deposit     probation
 *                                                                held, server restored
 *                                      act remove                the customer removes the server        closed
 *                      probation      tick (contract end)       nothing illegal: margin refunded       closed
 *                                      new complaint             margin forfeited, server shut          shut
 *   EN-COLLATERAL      moving         act move FACILITY         innocent co-located customers moved    closed
 *                                                                and restored, outage and compensation
 *                                                                recorded
 *                                      tick (collateral_restore) noted overdue                          moving
 *   EN-SECURITY        criticism ..   act escalate              warning → interruption (numbers and    next grade
 *                                                                resources shut) → termination
 *                                                                (account closed, ASSOC-LIABLE)
 *                                      act close                 measure served                         closed
 *   EN-INCIDENT        reporting      act report                reported to the authorities            closed
 *                                      tick (incident_report)    noted overdue                          reporting
 *   ASSOC-LIABLE       inspection     act release               permissions restored                   closed
 *                                      act terminate             account closed (and its associates     closed
 *                                                                inspected in turn)
 *                                      tick (assoc_review)       noted overdue                          inspection
 *   (fined)            fined          act pay                   payment recorded                       closed
 *
 * Deadlines in working days end at 24:00 China Standard Time of the last working day; those in
 * hours run from the event. warden_enforce_tick fires every deadline due at `now` and is idempotent:
 * a second tick at the same time changes nothing.
 *
 * Ownership: lists and views are allocated from the caller's arena and die with it.
 */
#ifndef WARDEN_ENFORCE_H
#define WARDEN_ENFORCE_H

#include <stdbool.h>
#include <stdint.h>

#include "../cal/cal.h"
#include "../core/core.h"
#include "../policy/policy.h"
#include "../registry/registry.h"

/* What enforcement needs besides the registry: the policy, the working-day calendar, and where the
 * regulator records and announcements (EN-FRAUD-SERIOUS) are written. Borrowed, not owned. */
typedef struct warden_enforce_ctx {
  warden_registry *r;
  const warden_policy *p;
  const warden_cal *cal;
  const char *exports_dir; /* NULL: "<database>.exports" beside the registry */
  int64_t now;             /* UTC seconds: when everything happens */
} warden_enforce_ctx;

/* ---- complaints and reports (TR-SIGNALS, TR-COMPLAINT) ----
 * CSV with a header: source,time,target,category,text (docs/enforce.md). Each row is matched to the
 * number, resource and accounts it names; unmatched rows are kept and counted, never dropped; bad
 * rows go to the rejects file with their line. */
typedef struct warden_complaint_stats {
  long matched, unmatched; /* of the rows imported */
} warden_complaint_stats;
warden_status warden_complaint_import(warden_enforce_ctx *x, const char *path, const warden_import_opts *opts,
                                      warden_import_result *res, warden_complaint_stats *out);

/* ---- hosted resources and facilities (EN-ILLEGAL-HOST, EN-COLLATERAL) ----
 * CSV with a header: id,kind,account,facility,ip,domain (kind: server | ip | domain). A facility
 * named for the first time is created open. */
warden_status warden_resource_import(warden_enforce_ctx *x, const char *path, const warden_import_opts *opts,
                                     warden_import_result *res);

/* ---- opening cases ---- */
typedef struct warden_case_new {
  const char *kind;         /* EN-* or ASSOC-LIABLE */
  const char *subject_kind; /* number | customer | agent | resource | facility | account */
  const char *subject;
  const char *rules;        /* the rule ids behind it (NULL: the kind) */
  const char *note;
  const char *owner;        /* NULL: the registry's actor */
  int grade;                /* EN-SECURITY: 0 criticism .. 3 termination */
  bool review;              /* open in `review`: the kind's actions wait for `confirm` */
  int32_t deadline_date;    /* EN-DOCS: the campaign deadline (a day count); else WARDEN_NO_DATE */
} warden_case_new;

/* Opens a case, or adds to the open case of the same kind and subject; *id gets its id. Runs the
 * kind's opening actions unless review. One transaction. */
warden_status warden_case_open(warden_enforce_ctx *x, const warden_case_new *in, long long *id);

typedef struct warden_enforce_stats {
  long findings, complaints, kyc;     /* considered */
  long opened, added;                 /* cases opened; evidence added to open cases */
  long skipped;                       /* triggers mapped to `none`, unmatched complaints, below thresholds */
  long refused;                       /* a case its kind could not act on (no agent ...): first_refusal says why */
  char first_refusal[256];
} warden_enforce_stats;
/* Turns every stored finding and complaint not yet considered into cases, by the policy's
 * [triggers]. kyc_deadline (a day count, or WARDEN_NO_DATE to skip): opens EN-DOCS cases for the
 * customers the KYC report would shut down at that deadline. Idempotent. */
warden_status warden_enforce_run(warden_enforce_ctx *x, int32_t kyc_deadline, warden_enforce_stats *out);

/* A person's step on a case: "confirm", "dismiss", "verify", "notice", "pay", "refer", "restore",
 * "docs-fixed", "warn", "undertake", "remove", "move", "escalate", "close", "report", "release",
 * "terminate", "note". arg: the facility for move, the text for note (else NULL). WARDEN_ERR_STATE
 * with the states that allow it when the case's state does not. */
warden_status warden_case_act(warden_enforce_ctx *x, long long id, const char *action, const char *arg);

typedef struct warden_enforce_tick_stats {
  long fired, overdue;
} warden_enforce_tick_stats;
warden_status warden_enforce_tick(warden_enforce_ctx *x, warden_enforce_tick_stats *out);

/* ---- reading ---- */
typedef struct warden_case_view {
  long long id, parent;
  const char *kind, *rules, *subject_kind, *subject, *account, *agent, *owner, *state, *outcome, *note;
  const char *deadline_what;
  int grade;
  int64_t opened, closed, deadline; /* closed, deadline: 0 when none */
  int64_t fine_fen;
  bool overdue;                     /* deadline passed at ctx->now and the case is open */
  int64_t age;                      /* seconds: to now, or to its closing */
} warden_case_view;

typedef struct warden_case_filter {
  const char *state;  /* a state, "open" (every state but closed) or NULL */
  const char *kind;
  const char *agent;
  const char *subject;
  bool overdue;
  long limit, offset; /* limit 0: all */
} warden_case_filter;

warden_status warden_case_list(warden_enforce_ctx *x, const warden_case_filter *f, warden_arena *a,
                               warden_case_view **out, size_t *n, long *total);
warden_status warden_case_get(warden_enforce_ctx *x, long long id, warden_arena *a, warden_case_view *out);

typedef struct warden_case_event {
  int64_t at;
  const char *actor, *kind, *state, *detail;
} warden_case_event;
typedef struct warden_case_evidence {
  const char *kind, *ref, *detail;
  int64_t added;
} warden_case_evidence;
warden_status warden_case_timeline(warden_enforce_ctx *x, long long id, warden_arena *a, warden_case_event **ev,
                                   size_t *nev, warden_case_evidence **evid, size_t *nevid);
/* The actions the case's state allows now (for the dashboard's buttons), NULL-terminated. */
warden_status warden_case_actions(warden_enforce_ctx *x, long long id, warden_arena *a, const char ***out);

/* ---- the morning report ---- */
typedef struct warden_report_count {
  const char *key;
  long count;
} warden_report_count;
typedef struct warden_report {
  int64_t since, until;
  warden_report_count *findings_by_rule; size_t nfindings;
  warden_report_count *cases_by_state; size_t nstates;
  warden_report_count *cases_by_kind; size_t nkinds;
  long opened, closed, overdue;
  int64_t fines_issued, fines_paid, fines_outstanding; /* fen */
  long numbers_frozen, numbers_recovered, complaints, complaints_unmatched;
  warden_report_count *agents; size_t nagents;          /* ranked by violations (cases), most first */
  int64_t age_median, age_p90;                          /* seconds, over every case */
} warden_report;
/* The report on [since, until) (until = ctx->now). */
warden_status warden_enforce_report(warden_enforce_ctx *x, int64_t since, warden_arena *a, warden_report *out);

#endif
