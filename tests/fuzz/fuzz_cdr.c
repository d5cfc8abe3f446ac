/* fuzz_cdr.c — libFuzzer target for the call-record reader (cdr.h): any bytes, in either format,
 * every record read or rejected with its line and a reason, never a crash; and the same input cut
 * into chunks of whole lines and parsed chunk by chunk (warden_cdr_open_chunk, as `scan --threads`
 * does) gives exactly the records of the whole, with the same lines; and read one record at a time
 * (warden_cdr_next: the slow path, which splits each line on its own) it gives them too, so the
 * batches' fast path (the structural index) is checked against it. The first byte picks the format
 * and the cut. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdr/cdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXREC 4096

typedef struct seen {
  unsigned long line;
  const char *reject;
  int64_t start;
  uint32_t id_n, caller_n, callee_n;
  bool outbound;
} seen;

/* What is compared of a record read or rejected (a reject's fields are not looked at). */
static seen seen_of(const warden_cdr *r, unsigned long base) {
  if (r->reject) return (seen){base + r->line, r->reject, 0, 0, 0, 0, false};
  return (seen){base + r->line, NULL, r->start, r->call_id.n, r->caller.n, r->callee.n, r->outbound};
}

static size_t read_all(warden_cdr_reader *rd, seen *out, size_t max, unsigned long base) {
  warden_cdr recs[64];
  size_t n = 0, got;
  unsigned long last = 0;
  while (warden_cdr_next_batch(rd, recs, 64, &got) == WARDEN_OK && got) {
    for (size_t i = 0; i < got; i++) {
      const warden_cdr *r = &recs[i];
      if (r->line <= last) abort(); /* lines only go forward */
      last = r->line;
      if (r->reject && !r->reject[0]) abort();
      if (!r->reject && (!r->call_id.n || !r->caller.n || !r->callee.n || r->billsec > r->duration)) abort();
      if (n < max) out[n++] = seen_of(r, base);
    }
  }
  return n;
}

/* The records one at a time, the rejects included. */
static size_t read_one_by_one(warden_cdr_reader *rd, seen *out, size_t max) {
  size_t n = 0;
  for (;;) {
    warden_cdr r;
    bool got;
    warden_status st = warden_cdr_next(rd, &r, &got);
    if (st == WARDEN_ERR_PARSE && (!r.reject || !r.reject[0])) abort();
    if (st != WARDEN_ERR_PARSE && (st || !got)) return n;
    if (n < max) out[n++] = seen_of(&r, 0);
  }
}

static bool same(const seen *a, const seen *b) {
  return a->line == b->line && (a->reject == b->reject || (a->reject && b->reject && !strcmp(a->reject, b->reject))) &&
         a->start == b->start && a->id_n == b->id_n && a->caller_n == b->caller_n && a->callee_n == b->callee_n &&
         a->outbound == b->outbound;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static seen whole[MAXREC], parts[MAXREC];
  if (size < 1) return 0;
  warden_cdr_opts o = {.format = data[0] & 1 ? WARDEN_CDR_ASTERISK : WARDEN_CDR_NATIVE, .inbound_contexts = "from-pstn,in"};
  unsigned cut_at = data[0] >> 1;
  data++;
  size--;
  warden_cdr_reader *rd, *proto, *c1 = NULL, *c2 = NULL;
  char err[400];
  if (warden_cdr_open_mem(&rd, data, size, &o, err, sizeof err)) {
    if (!err[0]) abort(); /* refused with a reason */
    return 0;
  }
  size_t n = read_all(rd, whole, MAXREC, 0);
  warden_cdr_close(rd);
  if (n == MAXREC) return 0;

  /* the same one record at a time */
  if (warden_cdr_open_mem(&rd, data, size, &o, err, sizeof err)) abort();
  if (read_one_by_one(rd, parts, MAXREC) != n) abort();
  for (size_t i = 0; i < n; i++)
    if (!same(&whole[i], &parts[i])) abort();
  warden_cdr_close(rd);

  /* the same after the header, in two chunks cut at a line end */
  if (warden_cdr_open_mem(&proto, data, size, &o, err, sizeof err)) abort(); /* it opened once */
  uint64_t body, total;
  warden_cdr_progress(proto, &body, &total);
  if (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) body += 3; /* the BOM, skipped before the header */
  if (body > size) abort();
  size_t cut = body + (size - body) * cut_at / 128;
  while (cut > body && cut < size && data[cut - 1] != '\n') cut++; /* just after a line end */
  const char *text = (const char *)data;
  size_t len1 = cut - body, len2 = size - cut;
  if (warden_cdr_open_chunk(&c1, proto, text + body, len1, false) || warden_cdr_open_chunk(&c2, proto, text + cut, len2, false))
    abort();
  unsigned long base = warden_cdr_lines(proto);
  size_t m = read_all(c1, parts, MAXREC, base);
  /* the lines of the first chunk: its reader counted them, the last one even without its end */
  base += warden_cdr_lines(c1);
  m += read_all(c2, parts + m, MAXREC - m, base);
  if (m != n) abort();
  for (size_t i = 0; i < n; i++)
    if (!same(&whole[i], &parts[i])) abort();
  warden_cdr_close(c1);
  warden_cdr_close(c2);
  warden_cdr_close(proto);
  return 0;
}
