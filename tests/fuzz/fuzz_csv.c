/* fuzz_csv.c — libFuzzer target for the CSV reader: any bytes, every record either read or
 * rejected with a line number, never a crash, and the stream always ends. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  warden_csv c;
  warden_csv_header h = {0};
  bool got, have_header = false;
  if (warden_csv_open_mem(&c, data, size, 64)) return 0;
  unsigned long last_line = 0;
  for (size_t guard = 0; guard <= size + 1; guard++) {
    warden_status st = warden_csv_next(&c, &got);
    if (st == WARDEN_ERR_PARSE) {
      if (!c.err[0] || c.line < last_line) abort();
      last_line = c.line;
      continue;
    }
    if (st != WARDEN_OK) abort();
    if (!got) break;
    if (c.line < last_line || c.nfields == 0) abort();
    last_line = c.line;
    for (size_t i = 0; i < c.nfields; i++) {
      if (c.flen[i] > 64) abort();
      if (strlen(warden_csv_field(&c, i)) != c.flen[i]) abort(); /* no NUL inside a field */
      if (!warden_utf8_valid(warden_csv_field(&c, i), c.flen[i])) abort();
    }
    if (!have_header) {
      if (warden_csv_header_take(&h, &c)) abort();
      have_header = true;
      if (h.n) warden_csv_header_find(&h, h.names[0]);
    }
  }
  bool more = false;
  if (warden_csv_next(&c, &more) == WARDEN_OK && more) abort(); /* the stream ended */
  warden_csv_header_release(&h);
  warden_csv_close(&c);
  return 0;
}
