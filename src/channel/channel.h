/* channel.h — the public face of the channel: platform → distributors → agents/resellers →
 * customers, the rules for linking and unlinking them, inspections, breach and exit.
 *
 * Every transition is one transaction, checks its preconditions first and, when one fails, changes
 * nothing and returns WARDEN_ERR_STATE with the failing precondition (and its rule id) in
 * warden_registry_errmsg. Every change is audited with its rule id.
 *
 *   transition        rule             preconditions                                  effect
 *   ----------------  ---------------  ---------------------------------------------  -------------------------------
 *   link              CH-LINK          reseller is an active agent with no            parent := distributor
 *                                      distributor; distributor active
 *   unlink            CH-UNLINK-DIST   (1) cooperation-ended / (3) reseller-exit:     parent := platform
 *                                      both confirm no dispute, no dispute open,
 *                                      balances settled (reseller's balance 0);
 *                                      (2) distributor-left: the distributor's
 *                                      account is closed (the reseller is notified)
 *   link-customer     CH-LINK-CUST     customer not linked to a reseller; reseller    parent := reseller; the customer
 *                                      active                                         loses contracts, billing,
 *                                                                                     invoices, top-up
 *   unlink-customer   CH-UNLINK-CUST   (1) agreed: both agree; (2) customer-request;  parent := platform; the reseller
 *                                      (3) reseller-abnormal: reseller or its         stays liable; later services
 *                                      distributor under inspection, frozen or        charged to reseller and
 *                                      closed                                         distributor jointly
 *   inspect           CH-INSPECT       account not closed                             the named permissions (or all)
 *                                                                                     frozen; state inspection
 *   release           CH-INSPECT       account under inspection                       freezes lifted; state active
 *   exit              CH-EXIT          reseller not closed; one of the five grounds   all permissions revoked,
 *                                                                                     customers offered re-linking,
 *                                                                                     liable for earlier orders,
 *                                                                                     unlinked, account closed
 *   breach            CH-BREACH        as exit                                        exit on the ground of breach,
 *                                                                                     damages noted
 *   relink            CH-EXIT          an open offer, the customer's consent          parent := new reseller
 *   noservice         CH-NOSERVICE     customer of that agent                         parent := platform; the agent
 *                                                                                     loses the customer's numbers
 */
#ifndef WARDEN_CHANNEL_H
#define WARDEN_CHANNEL_H

#include <stdbool.h>

#include "../registry/registry.h"

typedef enum warden_perm {
  WARDEN_PERM_NEW_ORDERS = 0,
  WARDEN_PERM_NUMBER_ACTIVATION,
  WARDEN_PERM_MARKETING,
  WARDEN_PERM_TOPUP,
  WARDEN_PERM_CONTRACTS,
  WARDEN_PERM_BILLING,
  WARDEN_PERM_INVOICES,
  WARDEN_PERM_WITHDRAW,
  WARDEN_PERM__COUNT
} warden_perm;

const char *warden_perm_name(warden_perm p); /* "new-orders", "number-activation" ... */
bool warden_perm_parse(const char *name, warden_perm *out);

/* Whether account may use p now; why says what stops it (a freeze and its reason, the link, the
 * account's state). */
warden_status warden_channel_allowed(warden_registry *r, const char *account, warden_perm p, bool *allowed,
                                     char *why, size_t whycap);

warden_status warden_channel_link(warden_registry *r, const char *reseller, const char *distributor);

typedef enum warden_unlink_ground {
  WARDEN_UNLINK_COOPERATION_ENDED = 1,
  WARDEN_UNLINK_DISTRIBUTOR_LEFT = 2,
  WARDEN_UNLINK_RESELLER_EXIT = 3,
} warden_unlink_ground;
typedef struct warden_unlink_confirm {
  bool reseller_no_dispute, distributor_no_dispute; /* each side confirms no unresolved dispute */
} warden_unlink_confirm;
warden_status warden_channel_unlink(warden_registry *r, const char *reseller, warden_unlink_ground ground,
                                    const warden_unlink_confirm *confirm);

warden_status warden_channel_link_customer(warden_registry *r, const char *customer, const char *reseller);

typedef enum warden_unlink_customer_ground {
  WARDEN_UNLINK_CUST_AGREED = 1,
  WARDEN_UNLINK_CUST_CUSTOMER_REQUEST = 2,
  WARDEN_UNLINK_CUST_RESELLER_ABNORMAL = 3,
} warden_unlink_customer_ground;
warden_status warden_channel_unlink_customer(warden_registry *r, const char *customer,
                                             warden_unlink_customer_ground ground, bool both_agree);

/* perms: a bit per warden_perm; 0 means all. */
warden_status warden_channel_inspect(warden_registry *r, const char *account, unsigned perms, const char *reason);
warden_status warden_channel_release(warden_registry *r, const char *account);

typedef enum warden_exit_ground {
  WARDEN_EXIT_EXPIRY = 1,           /* authorisation expired, not renewed */
  WARDEN_EXIT_VOLUNTARY,
  WARDEN_EXIT_PLATFORM_AGREEMENT,
  WARDEN_EXIT_DISTRIBUTOR_AGREEMENT,
  WARDEN_EXIT_BREACH,
} warden_exit_ground;
const char *warden_exit_ground_name(warden_exit_ground g);
bool warden_exit_ground_parse(const char *name, warden_exit_ground *out);
/* Runs all of CH-EXIT; *offers gets the number of customers offered re-linking. */
warden_status warden_channel_exit(warden_registry *r, const char *reseller, warden_exit_ground ground,
                                  const char *note, int *offers);
warden_status warden_channel_breach(warden_registry *r, const char *reseller, const char *reason, int *offers);
/* Answers a re-linking offer: with consent the customer moves to new_reseller; without, it stays
 * with the platform. */
warden_status warden_channel_relink(warden_registry *r, const char *customer, const char *new_reseller,
                                    bool consent);
warden_status warden_channel_noservice(warden_registry *r, const char *agent, const char *customer, int *numbers);

/* Disputes between two accounts (they block unlinking on grounds 1 and 3). */
warden_status warden_channel_dispute_open(warden_registry *r, const char *a, const char *b, const char *note,
                                          long long *id);
warden_status warden_channel_dispute_close(warden_registry *r, long long id);

#endif
