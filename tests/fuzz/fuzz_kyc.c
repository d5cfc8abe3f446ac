/* fuzz_kyc.c — libFuzzer target for the document checker. The first byte picks the type (or
 * detection), the rest is the number; after a newline, a passport MRZ line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "kyc/kyc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 4096) return 0;
  char mrz[4096];
  const char *num = (const char *)data + 1;
  size_t n = size - 1;
  const char *nl = memchr(num, '\n', n);
  warden_kyc_input in;
  warden_kyc_input_init(&in, num, nl ? (size_t)(nl - num) : n);
  in.today = warden_date_from_ymd(2026, 1, 1);
  in.type = (warden_doc_type)(data[0] % WARDEN_DOC__COUNT);
  if (nl) {
    size_t m = n - (size_t)(nl - num) - 1;
    memcpy(mrz, nl + 1, m);
    mrz[m] = '\0';
    in.mrz = mrz;
  }
  if (data[0] & 0x80) in.expiry = warden_date_from_ymd(2025, 6, 1);
  warden_kyc_result r;
  warden_verdict v = warden_kyc_check(&in, &r);
  if (v != r.verdict) abort();
  if (v == WARDEN_VERDICT_VALID && r.reason != WARDEN_REASON_OK) abort();
  if (v == WARDEN_VERDICT_INVALID && r.reason == WARDEN_REASON_OK) abort();
  if (strlen(r.normalized) >= sizeof r.normalized || strlen(r.message) >= sizeof r.message) abort();
  char key[96], masked[96];
  warden_kyc_match_key(&r, key, sizeof key);
  warden_mask(r.normalized, masked, sizeof masked);
  /* masking keeps every character (as itself or one '*') and never splits one */
  if (!warden_utf8_valid(masked, strlen(masked))) abort();
  if (warden_utf8_valid(r.normalized, strlen(r.normalized))) {
    size_t chars = 0, mchars = strlen(masked);
    for (const char *c = r.normalized; *c; c++) chars += ((unsigned char)*c & 0xC0) != 0x80;
    for (const char *c = masked; *c; c++) mchars -= ((unsigned char)*c & 0xC0) == 0x80;
    if (chars != mchars && strlen(r.normalized) * 2 < sizeof masked) abort();
  }
  return 0;
}
