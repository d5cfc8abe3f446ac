/* policy.h — the public face of the policy file: every number of the rule book the code acts on.
 *
 * The file (policy/default.policy is the default, compiled in) is `[section]` headers and
 * `key = value   # comment` lines. Every key the code reads is declared in the schema in policy.c
 * with its unit; loading validates the whole file and reports every error with its line: unknown
 * sections and keys, duplicates, missing keys, values without the right unit.
 *
 *   unit         written as                  kept as
 *   -----------  --------------------------  ------------------------
 *   money        25000 yuan | 150 fen        int64 fen
 *   days         90 days                     int64 days
 *   workdays     5 working days              int64 working days
 *   hours        12 hours                    int64 hours
 *   months       12 months                   int64 months
 *   permille     3 permille                  int64 per mille
 *   count        60                          int64
 *   action       EN-HARASS | review EN-FRAUD | none   a case kind to open ([triggers])
 *
 * Ownership: warden_policy_load hands out a policy the caller ends with warden_policy_free.
 */
#ifndef WARDEN_POLICY_H
#define WARDEN_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/core.h"

typedef struct warden_policy warden_policy;

/* Loads path (NULL: $WARDEN_POLICY, else the compiled-in default). On WARDEN_ERR_PARSE, errors
 * holds one line per problem ("FILE:LINE: message"); *out is NULL on any error. */
warden_status warden_policy_load(const char *path, warden_policy **out, warden_buf *errors);
void warden_policy_free(warden_policy *p);

/* The value of section.key in its unit. Asking for a key the schema lacks is a programming error:
 * it returns INT64_MIN. */
int64_t warden_policy_get(const warden_policy *p, const char *section, const char *key);
/* Where the policy came from ("(built-in default)" or the path). */
const char *warden_policy_source(const warden_policy *p);
/* [triggers]: the case kind a trigger opens (NULL: none); *review (may be NULL) says whether the
 * case waits in review for a person to confirm before its actions run. */
const char *warden_policy_action(const warden_policy *p, const char *trigger, bool *review);
/* Writes the effective policy as a policy file (every key, its value in its unit, its rule). */
warden_status warden_policy_write(const warden_policy *p, warden_buf *out);

#endif
