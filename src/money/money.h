/* money.h — the public face of contracts, deposits, the ledger, arrears, and the tick that applies
 * everything due (CT-TERM, CT-DEPOSIT, CT-ARREARS, EN-ILLEGAL-HOST's margin).
 *
 * The ledger is append-only (the database refuses UPDATE and DELETE on it). Amounts are integer
 * fen; an entry's sign says who owes whom:
 *
 *   kind       sign  meaning
 *   ---------  ----  ------------------------------------------------------------
 *   fee        +     a contract's or a number's fee, falling due on `due`
 *   fine       +     a penalty (EN-*), due on `due`
 *   late_fee   +     CT-ARREARS: per day on the overdue principal, due at once
 *   deposit    +     a deposit demanded (equipment, EN-ILLEGAL-HOST margin)
 *   payment    -     money received
 *   refund     -     a deposit returned, credited to the account
 *   waiver     -     a debt forgiven
 *
 * The account's balance (account_balance) is kept with every entry and always equals the sum of its
 * entries; warden_ledger_check proves it. Positive: the account owes.
 *
 * A contract's term runs from its start to the day before the same date a term later; when that
 * date does not exist (29 February, 31st), to the month's end (Civil Code art. 202), the next term
 * starting the day after. Renewal is automatic unless written notice came at least the policy's
 * notice period (one month) before the next term would start.
 *
 * Arrears, per account, at each tick (days counted in CST calendar days after the due date):
 *
 *   overdue for            action
 *   ---------------------  -------------------------------------------------------------
 *   >= arrears.dunning     a dunning notice (once)
 *   every day              a late fee: arrears.late_fee permille of the overdue principal, until
 *                          the day of termination
 *   >= arrears.suspend     account suspended until all arrears and late fees are paid
 *   >= arrears.terminate   its contracts terminated, the account closed
 *   (all paid)             a suspended account is restored at once
 *
 * warden_money_tick is deterministic and idempotent: a second tick at the same time changes nothing.
 */
#ifndef WARDEN_MONEY_H
#define WARDEN_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "../policy/policy.h"
#include "../registry/registry.h"

typedef enum warden_ledger_kind {
  WARDEN_LEDGER_FEE = 0,
  WARDEN_LEDGER_FINE,
  WARDEN_LEDGER_LATE_FEE,
  WARDEN_LEDGER_DEPOSIT,
  WARDEN_LEDGER_PAYMENT,
  WARDEN_LEDGER_REFUND,
  WARDEN_LEDGER_WAIVER,
  WARDEN_LEDGER__COUNT
} warden_ledger_kind;

const char *warden_ledger_kind_name(warden_ledger_kind k);
bool warden_ledger_kind_parse(const char *name, warden_ledger_kind *out);

/* Appends an entry. amount is the magnitude (> 0); the kind gives the sign. due: a day count or
 * WARDEN_NO_DATE (then today). Runs in the caller's transaction when one is open, else its own. */
warden_status warden_ledger_post(warden_registry *r, const char *account, warden_ledger_kind kind, int64_t amount,
                                 int32_t due, const char *ref, int64_t *balance_after);
warden_status warden_ledger_balance(warden_registry *r, const char *account, int64_t *balance);
/* For every account (or one): the stored balance equals the sum of the entries, and the last
 * entry's balance_after equals it. *bad gets the number of accounts that fail; first_bad names one. */
warden_status warden_ledger_check(warden_registry *r, const char *account, long *accounts, long *bad,
                                  char *first_bad, size_t cap);

/* Contracts (CT-TERM). The first term's fee is posted, due on start. */
warden_status warden_contract_create(warden_registry *r, const warden_policy *p, const char *id, const char *account,
                                     int32_t start, int64_t annual_fee, bool auto_renew);
/* Written notice not to renew, given on `on`; refused when later than the policy allows. */
warden_status warden_contract_notice(warden_registry *r, const warden_policy *p, const char *id, int32_t on);
/* The last day of the term that starts on start (see above), for months. */
int32_t warden_term_end(int32_t start, int months);

/* Deposits (CT-DEPOSIT; the EN-ILLEGAL-HOST margin). Taking one posts a `deposit` debit; a refund
 * posts a `refund` credit; a forfeit keeps the money (equipment not returned intact). */
warden_status warden_deposit_take(warden_registry *r, const char *account, const char *contract, const char *kind,
                                  int64_t amount, const char *note, long long *id);
warden_status warden_deposit_refund(warden_registry *r, long long id, const char *note);
warden_status warden_deposit_forfeit(warden_registry *r, long long id, const char *note);

/* A payment; restores a suspended account at once when it clears all arrears and late fees. */
warden_status warden_payment_record(warden_registry *r, const char *account, int64_t amount, const char *ref,
                                    bool *restored);

typedef struct warden_tick_report {
  int renewed, ended, dunned, late_fees, suspended, terminated, restored;
  int64_t late_fee_fen;
} warden_tick_report;
/* Applies everything due at `now` (UTC seconds): renewals and lapses, late fees, dunning,
 * suspension, termination, restoration. Idempotent. */
warden_status warden_money_tick(warden_registry *r, const warden_policy *p, int64_t now, warden_tick_report *out);

#endif
