/* intake.c — what opens cases: complaints and reports (TR-SIGNALS, TR-COMPLAINT), hosted resources,
 * stored findings and KYC verdicts, turned into cases by the policy's [triggers].
 *
 * Complaints file (CSV, header required; docs/enforce.md):
 *
 *   column    required  values
 *   --------  --------  ------------------------------------------------------------------
 *   source    yes       12321 | 10000 | 10086 | regulator | dialtest | signalling
 *   time      yes       an instant (ISO 8601 with offset, a date, or epoch seconds)
 *   target    yes       a number, a domain, a URL (http://host/...) or an IPv4/IPv6 address
 *   category  yes       fraud | harassment | service | content
 *   text      no        what the complainant said (kept as written)
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../detect/detect.h"
#include "../numbers/numbers.h"
#include "enforce_int.h"

/* ---- complaints ---------------------------------------------------------------------------------- */

static const char *const sources[] = {"12321", "10000", "10086", "regulator", "dialtest", "signalling"};
static const char *const categories[] = {"fraud", "harassment", "service", "content"};

static bool one_of(const char *s, const char *const *set, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(s, set[i])) return true;
  return false;
}

/* The host of a URL, lower-cased, into out. */
static void url_host(const char *url, char *out, size_t cap) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  const char *at = strpbrk(p, "@/");
  if (at && *at == '@') p = at + 1;
  size_t n = strcspn(p, "/:?#");
  if (n >= cap) n = cap - 1;
  for (size_t i = 0; i < n; i++) out[i] = (char)tolower((unsigned char)p[i]);
  out[n] = '\0';
}

typedef struct complaint_ctx {
  warden_enforce_ctx *x;
  warden_complaint_stats *stats;
} complaint_ctx;

static warden_status complaint_row(void *ctx, const warden_import_row *row, char *reason, size_t cap) {
  complaint_ctx *cc = ctx;
  warden_enforce_ctx *x = cc->x;
  char source[32], when[64], target[512], category[32], text[2048];
  warden_import_field(row, 0, source, sizeof source);
  warden_import_field(row, 1, when, sizeof when);
  warden_import_field(row, 2, target, sizeof target);
  warden_import_field(row, 3, category, sizeof category);
  warden_import_field(row, 4, text, sizeof text);
  reason[0] = '\0';
  int64_t at;
  if (!one_of(source, sources, 6)) {
    snprintf(reason, cap, "source: '%s' is not one of 12321, 10000, 10086, regulator, dialtest, signalling", source);
    return WARDEN_OK;
  }
  if (!warden_time_parse(when, &at)) {
    snprintf(reason, cap, "time: '%s' is not an instant (ISO 8601, a date or epoch seconds)", when);
    return WARDEN_OK;
  }
  if (!one_of(category, categories, 4)) {
    snprintf(reason, cap, "category: '%s' is not one of fraud, harassment, service, content", category);
    return WARDEN_OK;
  }
  if (!target[0]) {
    snprintf(reason, cap, "target: empty (a number, domain, URL or IP)");
    return WARDEN_OK;
  }
  const char *kind;
  char key[512] = "", number[32] = "", resource[64] = "", account[64] = "", agent[64] = "";
  unsigned char addr[16];
  warden_number_id id;
  char err[160];
  warden_status st = WARDEN_OK;
  if (strstr(target, "://")) {
    kind = "url";
    url_host(target, key, sizeof key);
  } else if (inet_pton(AF_INET, target, addr) == 1 || inet_pton(AF_INET6, target, addr) == 1) {
    kind = "ip";
    snprintf(key, sizeof key, "%s", target);
  } else if (strspn(target, "0123456789+-() ") == strlen(target)) {
    kind = "number";
    if (warden_number_parse(target, &id, err, sizeof err)) {
      snprintf(reason, cap, "target: '%s' is not a Chinese number: %s", target, err);
      return WARDEN_OK;
    }
    snprintf(key, sizeof key, "%s", id.digits);
  } else if (strchr(target, '.')) {
    kind = "domain";
    url_host(target, key, sizeof key);
  } else {
    snprintf(reason, cap, "target: '%s' is neither a number, a domain, a URL nor an IP address", target);
    return WARDEN_OK;
  }
  if (!strcmp(kind, "number")) {
    int64_t known;
    if ((st = enf_i64(x, &known, 0, "SELECT count(*) FROM number WHERE number = ?1", "t", key))) return st;
    if (known) snprintf(number, sizeof number, "%s", key);
  } else if (!strcmp(kind, "ip")) {
    st = enf_text(x, resource, sizeof resource, "SELECT id FROM resource WHERE ip = ?1 ORDER BY id LIMIT 1", "t", key);
  } else { /* the domain itself, or a parent domain a resource holds */
    st = enf_text(x, resource, sizeof resource,
                  "SELECT id FROM resource WHERE domain IS NOT NULL AND (lower(domain) = ?1 OR ?1 LIKE '%.' || lower(domain)) "
                  "ORDER BY length(domain) DESC, id LIMIT 1",
                  "t", key);
  }
  if (st) return st;
  if (number[0]) st = enf_resolve(x, "number", number, account, sizeof account, agent, sizeof agent);
  else if (resource[0]) st = enf_resolve(x, "resource", resource, account, sizeof account, agent, sizeof agent);
  if (st) return st;
  bool matched = number[0] || resource[0];
  if (matched) cc->stats->matched++;
  else cc->stats->unmatched++;
  return enf_exec(x,
                  "INSERT INTO complaint(source, at, target, target_kind, category, text, number, resource_id, account_id, "
                  "agent_id, file, line, imported) VALUES (?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, ''), nullif(?8, ''), "
                  "nullif(?9, ''), nullif(?10, ''), ?11, ?12, ?13)",
                  "titttttttttii", source, at, target, kind, category, text, number, resource, account, agent, row->path,
                  (int64_t)row->line, x->now);
}

warden_status warden_complaint_import(warden_enforce_ctx *x, const char *path, const warden_import_opts *opts,
                                      warden_import_result *res, warden_complaint_stats *out) {
  static const char *const cols[] = {"source", "time", "target", "category", "text"};
  memset(out, 0, sizeof *out);
  complaint_ctx cc = {x, out};
  warden_import_spec spec = {"complaints", "TR-SIGNALS, TR-COMPLAINT", cols, 5, 4, complaint_row, &cc};
  warden_status st = warden_registry_import_rows(x->r, &spec, path, opts, res);
  if (!st && res->rolled_back) out->matched = out->unmatched = 0;
  return st;
}

/* ---- resources ----------------------------------------------------------------------------------- */

static warden_status resource_row(void *ctx, const warden_import_row *row, char *reason, size_t cap) {
  warden_enforce_ctx *x = ctx;
  char id[64], kind[16], account[64], facility[64], ip[64], domain[256];
  warden_import_field(row, 0, id, sizeof id);
  warden_import_field(row, 1, kind, sizeof kind);
  warden_import_field(row, 2, account, sizeof account);
  warden_import_field(row, 3, facility, sizeof facility);
  warden_import_field(row, 4, ip, sizeof ip);
  warden_import_field(row, 5, domain, sizeof domain);
  reason[0] = '\0';
  unsigned char addr[16];
  int64_t n;
  warden_status st;
  if (!id[0]) { snprintf(reason, cap, "id: empty"); return WARDEN_OK; }
  if (strcmp(kind, "server") && strcmp(kind, "ip") && strcmp(kind, "domain")) {
    snprintf(reason, cap, "kind: '%s' is not one of server, ip, domain", kind);
    return WARDEN_OK;
  }
  if (ip[0] && inet_pton(AF_INET, ip, addr) != 1 && inet_pton(AF_INET6, ip, addr) != 1) {
    snprintf(reason, cap, "ip: '%s' is not an IPv4 or IPv6 address", ip);
    return WARDEN_OK;
  }
  for (char *p = domain; *p; p++) *p = (char)tolower((unsigned char)*p);
  if (domain[0] && (!strchr(domain, '.') || strpbrk(domain, "/: "))) {
    snprintf(reason, cap, "domain: '%s' is not a domain name", domain);
    return WARDEN_OK;
  }
  if ((st = enf_i64(x, &n, 0, "SELECT count(*) FROM account WHERE id = ?1", "t", account))) return st;
  if (!n) { snprintf(reason, cap, "account: no account '%s' in the registry", account); return WARDEN_OK; }
  if ((st = enf_i64(x, &n, 0, "SELECT count(*) FROM resource WHERE id = ?1", "t", id))) return st;
  if (n) { snprintf(reason, cap, "id: resource '%s' exists already", id); return WARDEN_OK; }
  if (facility[0] &&
      (st = enf_exec(x, "INSERT OR IGNORE INTO facility(id, name, state, state_since) VALUES (?1, ?1, 'open', ?2)", "ti",
                     facility, x->now)))
    return st;
  return enf_exec(x,
                  "INSERT INTO resource(id, kind, account_id, facility_id, ip, domain, state, state_since) "
                  "VALUES (?1, ?2, ?3, nullif(?4, ''), nullif(?5, ''), nullif(?6, ''), 'active', ?7)",
                  "tttttti", id, kind, account, facility, ip, domain, x->now);
}

warden_status warden_resource_import(warden_enforce_ctx *x, const char *path, const warden_import_opts *opts,
                                     warden_import_result *res) {
  static const char *const cols[] = {"id", "kind", "account", "facility", "ip", "domain"};
  warden_import_spec spec = {"resources", "EN-ILLEGAL-HOST, EN-COLLATERAL", cols, 6, 3, resource_row, x};
  return warden_registry_import_rows(x->r, &spec, path, opts, res);
}

/* ---- findings ------------------------------------------------------------------------------------ */

warden_status warden_finding_store(warden_registry *r, const warden_finding *fs, size_t n, const char *source) {
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(r, &t);
  if (st) return st;
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(warden_registry_db(r),
                         "INSERT INTO finding(rule, subject, account, first, last, count, samples, evidence, source, found)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", -1, &q, NULL)) {
    st = warden_registry_fail(r, WARDEN_ERR_DB, "findings: %s", sqlite3_errmsg(warden_registry_db(r)));
    return warden_registry_txn_close(r, &t, st);
  }
  for (size_t i = 0; i < n && !st; i++) {
    char samples[WARDEN_FINDING_SAMPLES * 50] = "";
    for (int k = 0; k < fs[i].nsamples; k++) {
      size_t l = strlen(samples);
      snprintf(samples + l, sizeof samples - l, "%s%s", k ? "," : "", fs[i].samples[k]);
    }
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, warden_rule_id(fs[i].rule), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, fs[i].subject, -1, SQLITE_STATIC);
    if (fs[i].account[0]) sqlite3_bind_text(q, 3, fs[i].account, -1, SQLITE_STATIC);
    else sqlite3_bind_null(q, 3);
    sqlite3_bind_int64(q, 4, fs[i].first);
    sqlite3_bind_int64(q, 5, fs[i].last);
    sqlite3_bind_int64(q, 6, fs[i].count);
    sqlite3_bind_text(q, 7, samples, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 8, fs[i].evidence, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 10, warden_now());
    if (sqlite3_step(q) != SQLITE_DONE) st = warden_registry_fail(r, WARDEN_ERR_DB, "findings: %s", sqlite3_errmsg(warden_registry_db(r)));
  }
  sqlite3_finalize(q);
  if (!st) {
    char detail[300];
    snprintf(detail, sizeof detail, "source=%s findings=%zu", source, n);
    st = warden_audit_append(r, "scan.findings", source, detail);
  }
  return warden_registry_txn_close(r, &t, st);
}

/* ---- turning findings, complaints and KYC verdicts into cases ------------------------------------ */

/* Opens (or adds to) a case for one trigger inside a savepoint: a case its kind cannot act on is
 * refused and counted, not fatal for the run. */
static warden_status trigger(warden_enforce_ctx *x, warden_enforce_stats *out, const char *trig, const char *subject_kind,
                             const char *subject, const char *rules, int32_t deadline, const char *ev_kind,
                             const char *ev_ref, const char *ev_detail) {
  bool review;
  const char *kind = warden_policy_action(x->p, trig, &review);
  if (!kind) {
    out->skipped++;
    return WARDEN_OK;
  }
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(x->r, &t);
  if (st) return st;
  warden_case_new in = {.kind = kind, .subject_kind = subject_kind, .subject = subject, .rules = rules,
                        .review = review, .deadline_date = deadline};
  long long id = 0;
  bool fresh = false, added = false;
  if (!(st = enf_open(x, &in, &id, &fresh)) && !(st = enf_evidence(x, id, ev_kind, ev_ref, ev_detail, &added)) && !fresh &&
      added && strcmp(ev_kind, "finding"))
    st = enf_on_evidence(x, id, ev_kind);
  if (st == WARDEN_ERR_STATE || st == WARDEN_ERR_NOT_FOUND || st == WARDEN_ERR_USAGE) {
    if (!out->refused++)
      snprintf(out->first_refusal, sizeof out->first_refusal, "%s on %s:%s: %s", kind, subject_kind, subject,
               warden_registry_errmsg(x->r));
    warden_registry_txn_close(x->r, &t, st);
    return WARDEN_OK;
  }
  st = warden_registry_txn_close(x->r, &t, st);
  if (!st) {
    if (fresh) out->opened++;
    else if (added) out->added++;
  }
  return st;
}

static warden_status run_findings(warden_enforce_ctx *x, warden_enforce_stats *out) {
  sqlite3_stmt *q;
  warden_status st = enf_prepare(x, &q,
                                 "SELECT f.id, f.rule, f.subject, f.first, f.last, f.count, f.evidence FROM finding f "
                                 "WHERE NOT EXISTS (SELECT 1 FROM case_evidence e WHERE e.kind = 'finding' "
                                 "AND e.ref = CAST(f.id AS TEXT)) ORDER BY f.id",
                                 "");
  if (st) return st;
  typedef struct { char id[24], rule[24], subject[64], detail[512]; } item;
  item *items = NULL;
  size_t n = 0, cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    item *it = enf_next_slot((void **)&items, &n, &cap, sizeof *items);
    if (!it) { st = WARDEN_ERR_NOMEM; break; }
    char first[40], last[40];
    enf_time_format(sqlite3_column_int64(q, 3), first, sizeof first);
    enf_time_format(sqlite3_column_int64(q, 4), last, sizeof last);
    snprintf(it->id, sizeof it->id, "%lld", (long long)sqlite3_column_int64(q, 0));
    snprintf(it->rule, sizeof it->rule, "%s", (const char *)sqlite3_column_text(q, 1));
    snprintf(it->subject, sizeof it->subject, "%s", (const char *)sqlite3_column_text(q, 2));
    snprintf(it->detail, sizeof it->detail, "%s on %s: %lld calls %s .. %s; %s", it->rule, it->subject,
             (long long)sqlite3_column_int64(q, 5), first, last, (const char *)sqlite3_column_text(q, 6));
  }
  if (!st && rc != SQLITE_DONE) st = enf_db_fail(x, "reading findings");
  sqlite3_finalize(q);
  for (size_t i = 0; !st && i < n; i++) {
    out->findings++;
    st = trigger(x, out, items[i].rule, "number", items[i].subject, items[i].rule, WARDEN_NO_DATE, "finding", items[i].id,
                 items[i].detail);
  }
  free(items);
  return st;
}

static warden_status run_complaints(warden_enforce_ctx *x, warden_enforce_stats *out) {
  sqlite3_stmt *q;
  warden_status st = enf_prepare(x, &q,
                                 "SELECT c.id, c.source, c.category, c.target, coalesce(c.number, ''), "
                                 "coalesce(c.resource_id, ''), coalesce(c.account_id, ''), c.text, "
                                 "(SELECT count(*) FROM complaint o WHERE o.category = c.category AND o.number = c.number) "
                                 "FROM complaint c WHERE NOT EXISTS (SELECT 1 FROM case_evidence e WHERE "
                                 "e.kind = 'complaint' AND e.ref = CAST(c.id AS TEXT)) ORDER BY c.id",
                                 "");
  if (st) return st;
  typedef struct { char id[24], source[16], category[16], number[32], resource[64], account[64], detail[600]; long same; } item;
  item *items = NULL;
  size_t n = 0, cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    item *it = enf_next_slot((void **)&items, &n, &cap, sizeof *items);
    if (!it) { st = WARDEN_ERR_NOMEM; break; }
#define COL(f, i) snprintf(it->f, sizeof it->f, "%s", (const char *)sqlite3_column_text(q, i))
    snprintf(it->id, sizeof it->id, "%lld", (long long)sqlite3_column_int64(q, 0));
    COL(source, 1);
    COL(category, 2);
    COL(number, 4);
    COL(resource, 5);
    COL(account, 6);
#undef COL
    snprintf(it->detail, sizeof it->detail, "%s %s complaint on %s: %s", (const char *)sqlite3_column_text(q, 1),
             it->category, (const char *)sqlite3_column_text(q, 3), (const char *)sqlite3_column_text(q, 7));
    it->same = (long)sqlite3_column_int64(q, 8);
  }
  if (!st && rc != SQLITE_DONE) st = enf_db_fail(x, "reading complaints");
  sqlite3_finalize(q);
  int64_t harass_min = warden_policy_get(x->p, "enforce", "harass_complaints");
  for (size_t i = 0; !st && i < n; i++) {
    item *it = &items[i];
    out->complaints++;
    char trig[40];
    snprintf(trig, sizeof trig, "complaint-%s", it->category);
    const char *rules = !strcmp(it->source, "12321") || !strcmp(it->source, "10000") || !strcmp(it->source, "10086")
                            ? "TR-COMPLAINT"
                            : "TR-SIGNALS";
    const char *sk = NULL, *subject = NULL;
    if (!strcmp(it->category, "content")) {
      if (it->resource[0]) sk = "resource", subject = it->resource;
    } else if (!strcmp(it->category, "service")) {
      if (it->account[0]) sk = "customer", subject = it->account;
    } else if (it->number[0]) {
      sk = "number", subject = it->number;
    } else if (it->account[0]) {
      sk = "customer", subject = it->account;
    }
    if (!sk || (!strcmp(it->category, "harassment") && it->number[0] && it->same < harass_min)) {
      out->skipped++; /* unmatched, or below the threshold: considered again when more arrive */
      continue;
    }
    st = trigger(x, out, trig, sk, subject, rules, WARDEN_NO_DATE, "complaint", it->id, it->detail);
  }
  free(items);
  return st;
}

static warden_status run_kyc(warden_enforce_ctx *x, int32_t deadline, warden_enforce_stats *out) {
  warden_arena a;
  warden_arena_init(&a, 1 << 16);
  warden_kyc_report rep;
  warden_status st = warden_registry_kyc_report(x->r, deadline, &a, &rep);
  char d[11];
  warden_date_format(deadline, d);
  for (size_t i = 0; !st && i < rep.nshutdown; i++) {
    char ref[96], detail[512];
    snprintf(ref, sizeof ref, "%s@%s", rep.shutdown[i].account, d);
    snprintf(detail, sizeof detail, "KYC at the campaign deadline %s: %s", d, rep.shutdown[i].why);
    out->kyc++;
    st = trigger(x, out, "kyc-forged", "customer", rep.shutdown[i].account, "KYC-FORGED,EN-DOCS", deadline, "kyc", ref,
                 detail);
  }
  int64_t failing_min = warden_policy_get(x->p, "enforce", "agent_term_failing");
  for (size_t i = 0; !st && i < rep.nagents; i++) {
    if (rep.agents[i].failing < failing_min || !rep.agents[i].agent || !rep.agents[i].agent[0]) continue;
    char ref[96], detail[256];
    snprintf(ref, sizeof ref, "%s@%s", rep.agents[i].agent, d);
    snprintf(detail, sizeof detail, "%ld of %ld customers fail KYC at %s (KYC-AGENT)", rep.agents[i].failing,
             rep.agents[i].customers, d);
    out->kyc++;
    st = trigger(x, out, "kyc-agent", "agent", rep.agents[i].agent, "KYC-AGENT,EN-AGENT-TERM", WARDEN_NO_DATE, "kyc", ref,
                 detail);
  }
  warden_arena_release(&a);
  return st;
}

warden_status warden_enforce_run(warden_enforce_ctx *x, int32_t kyc_deadline, warden_enforce_stats *out) {
  memset(out, 0, sizeof *out);
  warden_txn t = {0};
  warden_status st = warden_registry_txn_open(x->r, &t);
  if (st) return st;
  if (!(st = run_findings(x, out)) && !(st = run_complaints(x, out)) && kyc_deadline != WARDEN_NO_DATE)
    st = run_kyc(x, kyc_deadline, out);
  return warden_registry_txn_close(x->r, &t, st);
}
