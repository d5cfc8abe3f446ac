/* gen.h — the public face of the generators: realistic synthetic data with planted faults, the
 * same bytes for the same seed, for the demo, the tests and the benchmarks.
 *
 * Ownership: the generators write files the caller names; nothing is kept in memory after return. */
#ifndef WARDEN_GEN_H
#define WARDEN_GEN_H

#include <stdint.h>

#include "../core/core.h"

/* xoshiro256** seeded through splitmix64: small, fast, and the same on every machine. */
typedef struct warden_rng {
  uint64_t s[4];
} warden_rng;
void warden_rng_seed(warden_rng *g, uint64_t seed);
uint64_t warden_rng_next(warden_rng *g);
uint64_t warden_rng_below(warden_rng *g, uint64_t n); /* uniform in [0, n) */
double warden_rng_unit(warden_rng *g);                 /* uniform in [0, 1) */

typedef struct warden_gen_registry_opts {
  uint64_t seed;
  long customers;    /* end customers; agents and distributors scale with it */
  const char *dir;   /* writes parties.csv, accounts.csv, documents.csv, numbers.csv (the catalogue)
                      * and plan.csv (customer,landing,service: who applies for which 400 number) */
  int32_t today;
} warden_gen_registry_opts;

typedef struct warden_gen_registry_stats {
  long parties, accounts, documents, planted_bad, numbers;
} warden_gen_registry_stats;

warden_status warden_gen_registry(const warden_gen_registry_opts *o, warden_gen_registry_stats *stats,
                                  char *err, size_t errcap);

/* `warden gen calls`: see calls_gen.c for the traffic and the plants. plant[] counts per rule, in
 * the order TR-400-OUT, TR-SPOOF, TR-AUTODIAL, TR-SEGMENT, TR-RESTHOURS, TR-CROSSPROV, TR-FWDCHAIN. */
typedef struct warden_gen_calls_opts {
  uint64_t seed;
  long calls;        /* background records */
  long numbers;      /* presenting numbers (0: calls / 50) */
  long plant[7];
  const char *out;   /* NULL or "-": standard output */
  const char *truth; /* NULL: none */
} warden_gen_calls_opts;

typedef struct warden_gen_calls_stats {
  long records, planted, plant_records, duplicates, malformed;
} warden_gen_calls_stats;

warden_status warden_gen_calls(const warden_gen_calls_opts *o, warden_gen_calls_stats *stats, char *err, size_t errcap);

/* Writes one valid number of the type into out (for tests and benchmarks): resident numbers from a
 * current region, born between 1950 and 2005. */
void warden_gen_resident(warden_rng *g, char out[19]);
void warden_gen_uscc(warden_rng *g, char out[19]);

#endif
