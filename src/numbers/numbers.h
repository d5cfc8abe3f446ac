/* numbers.h — the public face of the number inventory: the 400/800 numbers, fixed lines and mobiles
 * of the platform, their catalogue grade and annual fee (NUM-CATALOG), their lifecycle, who holds
 * them and where a 400/800 number lands (KYC-LANDING, KYC-400-DOCS, NUM-NORESALE), outbound display
 * (NUM-OUTBOUND), the declared time slots and daily maximum of use (NUM-USAGE), and the marketing
 * consent of callees (PD-CONSENT).
 *
 * A number is kept as national digits. Input may carry "+86" or "0086", blanks, dashes and
 * full-width digits; they are folded away. The kind comes from the digits:
 *
 *   kind    national digits                       province (2-digit GB/T 2260)
 *   ------  ------------------------------------  ---------------------------------------------
 *   400     400 + 7 digits            (10)        from the catalogue file
 *   800     800 + 7 digits            (10)        from the catalogue file
 *   mobile  1[3-9] + 9 digits         (11)        from the catalogue file
 *   fixed   0 + area code + subscriber (10-12)    from the area code (a table in numbers.c;
 *           (the subscriber is 7 or 8 digits)     010 and 02x are 3 digits, others 4)
 *
 * Vanity grade (NUM-CATALOG), from the last digits; the first that matches wins, and the annual fee
 * is the policy's [vanity] value for the grade:
 *
 *   grade     the last digits                     e.g.
 *   AAAAA     5 equal                             4006388888
 *   AAAA      4 equal                             4006328888
 *   ABCDE     5 ascending by one                  4006312345
 *   AAA       3 equal                             4006320888
 *   ABCD      4 ascending by one                  4006321234
 *   DCBA      4 descending by one                 4006324321
 *   AABB      two pairs (A != B)                  4006326688
 *   ABAB      one pair repeated (A != B)          4006326868
 *   LUCKY     three or four of 6, 8, 9 in the last 4   4006326889
 *   ORDINARY  anything else
 *
 * Lifecycle (NUM-CATALOG). Rows: the state now; columns: the command; cells: the state after.
 *
 *   now \ command  reserve   activate  freeze  unfreeze  recover    cancel     tick
 *   -------------  --------  --------  ------  --------  ---------  ---------  ------------------
 *   available      reserved  -         -       -         -          cancelled  -
 *   reserved       -         active    -       -         -          cancelled  -
 *   active         -         -         frozen  -         recovered  -          -
 *   frozen         -         -         -       active    recovered  -          -
 *   recovered      -         -         -       -         -          cancelled  available, once
 *                                                                              cooloff_until <= now
 *   cancelled      (final)
 *
 * Any other move is refused (WARDEN_ERR_STATE) with a sentence naming the current state and the moves
 * it allows. recover sets cooloff_until = now + the policy's [numbers] cooloff and withdraws the
 * holder, the landing, the usage declaration and outbound display: a number never passes from one
 * customer to another except through the cool-off (NUM-NORESALE).
 *
 * Activation (reserved -> active) needs, each failure named in the refusal with its rule id:
 *   - the account exists and is a customer: resellers never hold numbers (NUM-NORESALE), and a number
 *     reserved for one customer is not activated for another (NUM-NORESALE);
 *   - the customer's documents are in order today: warden_registry_customer_kyc grade 2
 *     (KYC-400-DOCS for 400/800 numbers, KYC-FORGED for fixed lines and mobiles);
 *   - 400/800 only: the party is an organisation (KYC-LANDING); the account's parent is an agent
 *     (CH-LINK-CUST); the landing number is in the inventory, a fixed line or mobile, active, and
 *     held by an account of the same party (KYC-LANDING).
 * Fixed lines and mobiles are activated with a customer only: giving them a landing is WARDEN_ERR_USAGE.
 *
 * Time: instants are UTC seconds from warden_now() (so WARDEN_NOW fixes them), dates CST day counts,
 * usage slots minutes of the day in China Standard Time. Money is integer fen.
 *
 * Errors: the functions that take a registry report through warden_registry_fail, so
 * warden_registry_errmsg(r) says what went wrong. WARDEN_ERR_PARSE: not a number / bad input;
 * WARDEN_ERR_NOT_FOUND: not in the inventory; WARDEN_ERR_STATE: a refused move or precondition;
 * WARDEN_ERR_DB, _NOMEM, _IO: system errors. Every change is written to the audit log, in the same
 * transaction, with its rule id in the detail. A function that changes the registry runs in its own
 * transaction, or inside the caller's when one is open (a savepoint, released or rolled back).
 *
 * Ownership: strings passed in are only read during the call. Views are allocated from the caller's
 * arena and die with it; the view handed to a list callback lives only during the callback.
 * Nothing here keeps global state; the pure functions (parse, grade, slots, money) are thread-safe.
 */
#ifndef WARDEN_NUMBERS_H
#define WARDEN_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/core.h"
#include "../policy/policy.h"
#include "../registry/registry.h"

/* ---- kinds ------------------------------------------------------------------------------------- */
typedef enum warden_number_kind {
  WARDEN_NUMBER_400,
  WARDEN_NUMBER_800,
  WARDEN_NUMBER_MOBILE,
  WARDEN_NUMBER_FIXED,
  WARDEN_NUMBER_KIND__COUNT
} warden_number_kind;

/* A number as parsed: national digits, kind, and for fixed lines the area code and its province. */
typedef struct warden_number_id {
  char digits[16];
  warden_number_kind kind;
  char area[5];     /* fixed lines: "010", "0755"; "" otherwise */
  char province[3]; /* fixed lines: from the area code; "" otherwise */
} warden_number_id;

/* Parses a written number. WARDEN_ERR_PARSE with a sentence in err (naming the unknown area code,
 * the wrong length ...) when it is not one of the four kinds. */
warden_status warden_number_parse(const char *text, warden_number_id *out, char *err, size_t errcap);
/* "400", "800", "mobile", "fixed"; _kind_parse returns WARDEN_NUMBER_KIND__COUNT when unknown. */
const char *warden_number_kind_name(warden_number_kind k);
warden_number_kind warden_number_kind_parse(const char *name);
/* The province (2-digit GB/T 2260 code, NUL-terminated in out[3]) of a fixed line's area code
 * ("010", "0755"); false when the area code is not in the table. */
bool warden_number_area_province(const char *area, char out[3]);
/* True when code is a 2-digit GB/T 2260 province ("11" ... "82"). */
bool warden_number_province_valid(const char *code);

/* ---- vanity grade and fee (NUM-CATALOG) ---------------------------------------------------------- */
typedef enum warden_number_vanity {
  WARDEN_VANITY_AAAAA,
  WARDEN_VANITY_AAAA,
  WARDEN_VANITY_ABCDE,
  WARDEN_VANITY_AAA,
  WARDEN_VANITY_ABCD,
  WARDEN_VANITY_DCBA,
  WARDEN_VANITY_AABB,
  WARDEN_VANITY_ABAB,
  WARDEN_VANITY_LUCKY,
  WARDEN_VANITY_ORDINARY,
  WARDEN_VANITY__COUNT
} warden_number_vanity;

/* The grade of a string of digits (only its last five matter). Fewer than five digits, or a
 * non-digit among the last five, grade ORDINARY. */
warden_number_vanity warden_number_grade(const char *digits);
/* "AAAA" ...; the policy key of the grade. _vanity_parse returns WARDEN_VANITY__COUNT when unknown. */
const char *warden_number_vanity_name(warden_number_vanity v);
warden_number_vanity warden_number_vanity_parse(const char *name);
/* The annual fee of a grade in fen: the policy's [vanity] value. */
int64_t warden_number_fee(const warden_policy *p, warden_number_vanity v);

/* ---- usage slots (NUM-USAGE) --------------------------------------------------------------------
 * Written "HH:MM-HH:MM[,HH:MM-HH:MM...]" in China Standard Time; start < end; 24:00 only as an end;
 * a slot never crosses midnight (write 22:00-24:00,00:00-06:00); slots may touch but not overlap.
 * A slot holds its start minute and not its end minute. */
#define WARDEN_NUMBER_MAX_SLOTS 48

typedef struct warden_number_slot {
  int start, end; /* minutes of the CST day, 0 <= start < end <= 1440 */
} warden_number_slot;

/* Parses and validates slots into out (sorted by start). WARDEN_ERR_PARSE with the reason in err. */
warden_status warden_number_slots_parse(const char *text, warden_number_slot out[WARDEN_NUMBER_MAX_SLOTS], size_t *n,
                                        char *err, size_t errcap);
/* The canonical text of slots ("09:00-12:00,14:00-18:00"). */
void warden_number_slots_format(const warden_number_slot *s, size_t n, char *out, size_t cap);
/* Whether minute_of_day_cst (0..1439) falls in one of the declared slots. Pure and allocation-free,
 * for the call engine. Fails closed: NULL, empty or malformed slots, or a minute out of range,
 * allow nothing. */
bool warden_number_slot_allows(const char *slots, int minute_of_day_cst);

/* ---- lifecycle states -------------------------------------------------------------------------- */
typedef enum warden_number_state {
  WARDEN_NUMBER_AVAILABLE,
  WARDEN_NUMBER_RESERVED,
  WARDEN_NUMBER_ACTIVE,
  WARDEN_NUMBER_FROZEN,
  WARDEN_NUMBER_RECOVERED,
  WARDEN_NUMBER_CANCELLED,
  WARDEN_NUMBER_STATE__COUNT
} warden_number_state;

const char *warden_number_state_name(warden_number_state s);
warden_number_state warden_number_state_parse(const char *name); /* __COUNT when unknown */

/* ---- the inventory ------------------------------------------------------------------------------ */
typedef struct warden_number_new {
  const char *number;        /* any written form */
  const char *kind;          /* NULL: from the digits; else it must agree with them */
  const char *province;      /* 400/800/mobile: required; fixed: NULL or the area code's own */
  int64_t annual_fee_fen;    /* < 0: the grade's fee from the policy */
  warden_number_state state; /* available, reserved (without holder) or cancelled */
  const char *source;        /* where it came from, for the audit detail ("file.csv:3"); may be NULL */
} warden_number_new;

/* Adds one number to the inventory (audited as number.add, NUM-CATALOG). WARDEN_ERR_EXISTS when it
 * is already there; WARDEN_ERR_PARSE / _USAGE for bad fields. */
warden_status warden_number_add(warden_registry *r, const warden_policy *p, const warden_number_new *in);

/* The catalogue import: `number,kind,province[,annual_fee][,state]` (docs/numbers.md), row by row
 * in one transaction, bad rows to the rejects file, as warden_registry_import does (opts.today is
 * not used). Returns WARDEN_OK even when rows were rejected; an error only for fatal cases. */
warden_status warden_number_import(warden_registry *r, const warden_policy *p, const char *path,
                                   const warden_import_opts *opts, warden_import_result *result);

/* Lifecycle moves; note (may be NULL) goes into the audit detail. reserve's account may be NULL
 * (reserved for nobody in particular) or a customer, who is then the only one it can be activated for. */
warden_status warden_number_reserve(warden_registry *r, const char *number, const char *account, const char *note);
/* Activation: see the preconditions above. When refusals is non-NULL every failing precondition is
 * appended to it as one line "sentence (RULE-ID)\n"; warden_registry_errmsg holds them all joined
 * (truncated to its size). Documents are checked as of warden_today(). */
warden_status warden_number_activate(warden_registry *r, const char *number, const char *account, const char *landing,
                                     warden_buf *refusals);
warden_status warden_number_freeze(warden_registry *r, const char *number, const char *note);
warden_status warden_number_unfreeze(warden_registry *r, const char *number, const char *note);
warden_status warden_number_recover(warden_registry *r, const warden_policy *p, const char *number, const char *note);
warden_status warden_number_cancel(warden_registry *r, const char *number, const char *note);
/* Moves every recovered number whose cool-off is over at now (UTC seconds) back to available, each
 * audited; *moved (may be NULL) says how many. Idempotent: a second call at the same now moves none. */
warden_status warden_number_tick(warden_registry *r, int64_t now, long *moved);

/* NUM-OUTBOUND: display of the number on outbound calls; refused (WARDEN_ERR_STATE) for 400/800
 * numbers. Setting the value it already has changes nothing and writes no audit entry. */
warden_status warden_number_outbound(warden_registry *r, const char *number, bool on);

/* NUM-USAGE: declares (or replaces) a held number's time slots and daily maximum of calls. */
warden_status warden_number_usage(warden_registry *r, const char *number, const char *slots, int64_t max_per_day);

/* ---- views ---- */
typedef struct warden_number_view {
  const char *number, *kind, *province, *state, *grade;
  const char *account; /* the holder; NULL when none */
  const char *party;   /* the holder's party; NULL when none */
  const char *landing; /* NULL when none */
  const char *slots;   /* NUM-USAGE; NULL when not declared */
  int64_t max_per_day; /* 0 when not declared */
  int64_t state_since, annual_fee_fen;
  int64_t cooloff_until; /* 0 when none */
  bool outbound_display;
} warden_number_view;

/* One number; WARDEN_ERR_NOT_FOUND when it is not in the inventory. */
warden_status warden_number_get(warden_registry *r, const char *number, warden_arena *a, warden_number_view *out);
/* Calls fn for each number (in state when state is not NULL), in number order. */
warden_status warden_number_list(warden_registry *r, const char *state,
                                 void (*fn)(const warden_number_view *v, void *ctx), void *ctx);

/* ---- marketing consent (PD-CONSENT) --------------------------------------------------------------
 * Before marketing to a callee, the account must have told them the provider, the kind, frequency
 * and duration of the messages, and got explicit consent; refusal or no reply is no consent. A
 * consent is in force from granted until revoked. Granting again while one is in force replaces it
 * (the old one is revoked at the same instant). Callee numbers are personal data: audit entries
 * and views built for output show them masked. */
typedef struct warden_consent_terms {
  const char *account, *callee;                       /* required */
  const char *provider, *kind, *frequency, *duration; /* the four disclosures, all required */
} warden_consent_terms;

typedef struct warden_consent_view {
  int64_t id;
  const char *account, *callee; /* callee in clear: mask it for output (warden_mask) */
  const char *provider, *kind, *frequency, *duration;
  int64_t granted, revoked; /* revoked 0 while in force */
} warden_consent_view;

warden_status warden_consent_grant(warden_registry *r, const warden_consent_terms *t);
/* WARDEN_ERR_NOT_FOUND when no consent is in force. */
warden_status warden_consent_revoke(warden_registry *r, const char *account, const char *callee);
/* *yes = whether a consent of account for callee is in force at the instant at (UTC seconds). */
warden_status warden_consent_in_force(warden_registry *r, const char *account, const char *callee, int64_t at,
                                      bool *yes);
/* The consent in force at at, from the caller's arena; WARDEN_ERR_NOT_FOUND when none. */
warden_status warden_consent_get(warden_registry *r, const char *account, const char *callee, int64_t at,
                                 warden_arena *a, warden_consent_view *out);
/* Calls fn for every consent of account, in force or not, oldest first. */
warden_status warden_consent_list(warden_registry *r, const char *account,
                                  void (*fn)(const warden_consent_view *v, void *ctx), void *ctx);

#endif
