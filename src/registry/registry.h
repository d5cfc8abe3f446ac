/* registry.h — the public face of the SQLite registry: parties, their documents, accounts in the
 * channel, and the hash-chained audit log.
 *
 * Tables (schema version 1 shown; registry.c has every migration, up to 4):
 *
 *   party     id | kind (individual|organisation) | name_clear (organisations) |
 *             name_sealed (individuals) | created
 *   account   id | party_id | role (platform|distributor|agent|customer) | parent_id | state | created
 *   document  id | party_id | type | role (holder|legal_rep) | number_sealed | number_masked |
 *             match_hash | expiry | issued | verdict | reason | message | checked_on
 *   audit     seq | at | actor | action | subject | detail | hash
 *             hash = BLAKE2b_k(previous hash || seq || at || actor || action || subject || detail)
 *
 * The channel's shape: a platform has no parent; a distributor's parent is a platform; an agent's
 * is a distributor or the platform; a customer's is an agent or the platform (CH-LINK, CH-LINK-CUST,
 * CH-NOSERVICE).
 *
 * Every change is appended to the audit log in the same transaction as the change itself.
 * Ownership: warden_registry_open hands out a handle the caller ends with warden_registry_close.
 * Views are allocated from the caller's arena and die with it.
 */
#ifndef WARDEN_REGISTRY_H
#define WARDEN_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/core.h"
#include "../cal/cal.h"
#include "../kyc/kyc.h"

#define WARDEN_SCHEMA_VERSION 4

typedef struct warden_registry warden_registry;

/* Opens (creating when absent, with its folder) the database at path, applies forward migrations,
 * and loads the key file (see seal.h). On failure *out is NULL and err holds a sentence. */
warden_status warden_registry_open(const char *path, warden_registry **out, char *err, size_t errcap);
void warden_registry_close(warden_registry *r);
/* The last error sentence (never NULL). */
const char *warden_registry_errmsg(const warden_registry *r);
int warden_registry_schema_version(warden_registry *r);

/* Who is acting, recorded in every audit entry: $WARDEN_ACTOR, else $USER, else "unknown".
 * The string is copied. */
void warden_registry_set_actor(warden_registry *r, const char *actor);
const char *warden_registry_actor(const warden_registry *r);

/* ---- for the subsystems that keep their tables in the registry (channel, numbers, money) ----
 * They run their own SQL on this handle, inside these transactions, and report errors through
 * warden_registry_fail so that warden_registry_errmsg says what went wrong. */
struct sqlite3;
struct sqlite3 *warden_registry_db(warden_registry *r);
warden_status warden_registry_begin(warden_registry *r); /* BEGIN IMMEDIATE */
warden_status warden_registry_commit(warden_registry *r);
void warden_registry_rollback(warden_registry *r);
warden_status warden_registry_fail(warden_registry *r, warden_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A transaction of one's own, or a savepoint inside the caller's, so the same function runs alone or
 * as one step of a bigger change. _close commits (or releases) when st is OK and rolls back
 * otherwise; it returns st, or the commit's error. */
typedef struct warden_txn {
  bool own, open;
} warden_txn;
warden_status warden_registry_txn_open(warden_registry *r, warden_txn *t);
warden_status warden_registry_txn_close(warden_registry *r, warden_txn *t, warden_status st);

/* Personal data another subsystem keeps (consent callees): the keyed hash of a match key as hex
 * (64 characters and a NUL), to look it up without storing it in clear; and sealing a short text
 * into blob, returning the blob's length (the text's + 40) or 0 when it does not fit cap. */
void warden_registry_match_hex(warden_registry *r, const char *key, char out[65]);
size_t warden_registry_seal_text(warden_registry *r, const char *text, unsigned char *blob, size_t cap);

/* ---- the calendar's years kept in the registry (`warden cal load`) ---- */
/* Validates text as a year's holidays file and stores it, replacing that year; audited. */
warden_status warden_registry_cal_store(warden_registry *r, const char *source, const char *text, size_t len,
                                        int *year, warden_buf *errors);
/* Loads every stored year into c (they replace the compiled-in ones). */
warden_status warden_registry_cal_load(warden_registry *r, warden_cal *c, warden_buf *errors);

/* ---- audit ---- */
/* Appends one entry (inside the current transaction if one is open). */
warden_status warden_audit_append(warden_registry *r, const char *action, const char *subject,
                                  const char *detail);
/* The same with the detail formatted (up to 64 KB). */
warden_status warden_audit_appendf(warden_registry *r, const char *action, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

typedef struct warden_audit_check {
  int64_t entries;   /* entries read */
  int64_t first_bad; /* seq of the first entry that fails, 0 when the chain holds */
  char reason[160];
  char head[65];     /* hex hash of the last good entry: anchor it elsewhere to detect truncation */
} warden_audit_check;
warden_status warden_audit_verify(warden_registry *r, warden_audit_check *out);

typedef struct warden_audit_entry {
  int64_t seq, at;
  const char *actor, *action, *subject, *detail;
} warden_audit_entry;
/* Calls fn for the last `limit` entries (all when 0), oldest first; subject filter when non-NULL. */
warden_status warden_audit_list(warden_registry *r, int64_t limit, const char *subject,
                                void (*fn)(const warden_audit_entry *e, void *ctx), void *ctx);

/* ---- import ---- */
typedef enum warden_import_kind {
  WARDEN_IMPORT_PARTIES,
  WARDEN_IMPORT_ACCOUNTS,
  WARDEN_IMPORT_DOCUMENTS,
} warden_import_kind;

typedef struct warden_import_opts {
  const char *rejects_path; /* NULL: FILE.rejects.csv beside the input (stdin: ./rejects.csv) */
  bool all_or_nothing;      /* any rejected row rolls the whole file back */
  int32_t today;            /* KYC checks are made as of this day */
} warden_import_opts;

typedef struct warden_import_result {
  long rows, accepted, rejected;
  bool rolled_back;
  char rejects_path[512];   /* empty when nothing was rejected */
} warden_import_result;

/* Imports one CSV file. Rows are checked one by one: good rows are written, bad ones go to the
 * rejects file with their line number and reason; the whole file is one transaction, so a crash or
 * a fatal error (no header, unreadable file, an unterminated quote) leaves nothing written.
 * Returns WARDEN_OK even when rows were rejected (see result); an error only for fatal cases, with
 * the sentence in warden_registry_errmsg. */
warden_status warden_registry_import(warden_registry *r, warden_import_kind kind, const char *path,
                                     const warden_import_opts *opts, warden_import_result *result);

/* Any other subsystem's CSV import, done the same way (the number catalogue): the header checked
 * for its required columns (the first nrequired of cols), malformed records and rows that do not fit
 * the header to the rejects file, one transaction, all_or_nothing honoured, and an import.NAME audit
 * entry (with rule in its detail). Each good row goes to row(): it returns WARDEN_OK with reason ""
 * when the row went in, WARDEN_OK with a reason to reject it, and anything else is fatal for the file. */
#define WARDEN_IMPORT_MAX_COLS 16
typedef struct warden_import_ctx warden_import_ctx;
typedef struct warden_import_row {
  const char *path;
  unsigned long line;       /* where the row starts */
  const int *col;           /* the record's field index for each of spec.cols, -1 when absent */
  warden_import_ctx *c;     /* private to the registry */
} warden_import_row;
typedef warden_status (*warden_import_row_fn)(void *ctx, const warden_import_row *row, char *reason, size_t cap);
typedef struct warden_import_spec {
  const char *name;         /* the audit action: import.NAME */
  const char *rule;         /* cited in the audit detail, or NULL */
  const char *const *cols;
  int ncols, nrequired;
  warden_import_row_fn row;
  void *ctx;
} warden_import_spec;
warden_status warden_registry_import_rows(warden_registry *r, const warden_import_spec *spec, const char *path,
                                          const warden_import_opts *opts, warden_import_result *res);
/* The row's value in column i of spec.cols, blanks trimmed, "" when absent, into buf. */
const char *warden_import_field(const warden_import_row *row, int i, char *buf, size_t cap);

/* ---- views ---- */
typedef struct warden_document_view {
  int64_t id;
  const char *type, *role, *masked, *revealed; /* revealed: NULL unless asked for */
  const char *verdict, *reason, *message;
  int32_t expiry; /* WARDEN_NO_DATE when none */
} warden_document_view;

typedef struct warden_account_view {
  const char *id, *role, *parent_id, *state, *party_id;
} warden_account_view;

typedef struct warden_party_view {
  const char *id, *kind, *name; /* name masked for individuals unless revealed */
  warden_document_view *docs;
  size_t ndocs;
  warden_account_view *accounts;
  size_t naccounts;
} warden_party_view;

/* Reads a party. With reveal, document numbers and an individual's name come back in clear and an
 * audit entry records who revealed what and why (reason must be non-empty). */
warden_status warden_registry_party_get(warden_registry *r, const char *id, bool reveal,
                                        const char *reason, warden_arena *a, warden_party_view *out);

/* ---- the KYC report (KYC-FORGED, EN-DOCS, KYC-400-DOCS, KYC-AGENT) ---- */
typedef struct warden_kyc_shutdown {
  const char *account, *party, *agent, *why;
} warden_kyc_shutdown;

typedef struct warden_kyc_agent_row {
  const char *agent;
  long customers, failing, review;
} warden_kyc_agent_row;

typedef struct warden_kyc_report {
  int32_t deadline;
  long documents;
  long by_verdict[3];
  long by_reason[WARDEN_REASON__COUNT];
  long expired_by_deadline; /* passing today, expired by the deadline */
  long customers, customers_ok, customers_review, customers_fail;
  warden_kyc_shutdown *shutdown; /* customers with no acceptable documents at the deadline */
  size_t nshutdown;
  warden_kyc_agent_row *agents;  /* ranked: most failing customers first */
  size_t nagents;
} warden_kyc_report;

/* One customer's documents at the deadline, by the report's rules: *grade is 2 (in order), 1 (only
 * format-only documents: to check by eye) or 0 (to shut down), why says what is missing.
 * WARDEN_ERR_NOT_FOUND when the account does not exist. */
warden_status warden_registry_customer_kyc(warden_registry *r, const char *account, int32_t deadline,
                                           int *grade, char *why, size_t whycap);

warden_status warden_registry_kyc_report(warden_registry *r, int32_t deadline, warden_arena *a,
                                         warden_kyc_report *out);

#endif
