/* kyc_int.h — private to src/kyc: the generated tables' shapes. */
#ifndef WARDEN_KYC_INT_H
#define WARDEN_KYC_INT_H

#include <stddef.h>
#include <stdint.h>

typedef struct warden_region {
  uint32_t code;
  uint16_t first_year;
  uint16_t last_year; /* 0: still in force */
  const char *name;
} warden_region;

typedef struct warden_country {
  uint16_t numeric;
  const char *alpha3;
  const char *name;
} warden_country;

extern const warden_region warden_regions[];
extern const size_t warden_regions_count;
extern const uint16_t warden_region_prefix[10000];
extern const uint8_t warden_region_blocks[][100];
extern const uint32_t warden_regions_current[]; /* county-level codes in force, sorted */
extern const size_t warden_regions_current_count;
extern const warden_country warden_countries[];
extern const size_t warden_countries_count;

#endif
