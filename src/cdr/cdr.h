/* cdr.h — the public face of call records: the formats of ../shared/spec/cdr.md, read as a stream.
 *
 * Native CSV (the default): a header row names the columns, in any order; unknown columns ignored.
 *
 *   column          required  meaning                                   kept as
 *   --------------  --------  ----------------------------------------  ------------------------------
 *   call_id         yes       unique id of the leg                      view into the line
 *   start           yes       ISO 8601 with offset, or epoch seconds    int64 UTC seconds
 *   caller          yes       true calling line (A-number)              national digits (+86/0086 off)
 *   display         no        presented number; empty: caller           national digits
 *   callee          yes       dialled number (B-number)                 national digits
 *   direction       yes       out | in                                  bool outbound
 *   duration        yes       seconds set-up to release                 int32
 *   billsec         yes       answered seconds, 0 if not answered       int32
 *   status          yes       answered|noanswer|busy|failed             enum
 *   account         no        the customer account (trunk owner)        view
 *   origin_region   no        2-digit GB/T 2260 province of entry       int (0 when absent)
 *   forwarded_from  no        the number originally called              national digits
 *   hops            no        forwards before this leg (0 if absent)    int
 *   marketing       no        1 for a marketing call                    bool
 *
 * Asterisk Master.csv: no header, every field quoted: accountcode, src, dst, dcontext, clid, channel,
 * dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags[,
 * uniqueid[, userfield]]. clid `"Name" <number>` gives display; uniqueid the call id, else one is
 * made from the record's own fields; times local (CST) unless the reader is told GMT; direction out
 * unless a dcontext is mapped to in.
 *
 * A malformed record never stops a stream: warden_cdr_next returns WARDEN_ERR_PARSE with the line and
 * reason, and the next call goes on (cdr.md §3).
 *
 * Ownership: the reader is the caller's (_open/_close); a record's views live until the next _next.
 */
#ifndef WARDEN_CDR_H
#define WARDEN_CDR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/core.h"

typedef enum warden_cdr_format { WARDEN_CDR_NATIVE = 0, WARDEN_CDR_ASTERISK } warden_cdr_format;
typedef enum warden_cdr_status {
  WARDEN_CDR_ANSWERED = 0, WARDEN_CDR_NOANSWER, WARDEN_CDR_BUSY, WARDEN_CDR_FAILED
} warden_cdr_status;

/* What kind of number a string of national digits is. */
typedef enum warden_numkind {
  WARDEN_NUM_INVALID = 0,
  WARDEN_NUM_MOBILE,       /* 1[3-9] + 9 digits */
  WARDEN_NUM_FIXED,        /* 0 + area code + subscriber, 10-12 digits, not 00 */
  WARDEN_NUM_SERVICE,      /* 400 / 800 + 7 digits */
  WARDEN_NUM_INTERNATIONAL /* 00 + country code ... */
} warden_numkind;

typedef struct warden_strview {
  const char *p;
  uint32_t n;
} warden_strview;

typedef struct warden_cdr {
  warden_strview call_id, caller, display, callee, account, forwarded_from;
  int64_t start;           /* UTC seconds */
  int32_t duration, billsec;
  int32_t origin_region;   /* 0: absent */
  int32_t hops;
  warden_cdr_status status;
  bool outbound, marketing;
  unsigned long line;      /* where it was read */
  const char *reject;      /* batches: the reason code of a bad record, NULL for a good one */
  warden_strview raw;      /* batches: the record's text */
} warden_cdr;

/* Classifies national digits (after +86/0086 folding by the reader). */
warden_numkind warden_numkind_of(const char *digits, size_t n);
/* The same for what is known to be digits only (a record's numbers, as the reader gives them). */
warden_numkind warden_numkind_digits(const char *digits, size_t n);
const char *warden_numkind_name(warden_numkind k);

typedef struct warden_cdr_reader warden_cdr_reader;

typedef struct warden_cdr_opts {
  warden_cdr_format format;
  bool asterisk_gmt;            /* Asterisk times are GMT rather than local (CST) */
  const char *inbound_contexts; /* Asterisk: comma-separated dcontexts whose calls are inbound */
} warden_cdr_opts;

/* Opens path ("-": standard input). On failure err says why. A native file's header is read here;
 * a file that is plainly of the other format is said to be so (WARDEN_ERR_PARSE). */
warden_status warden_cdr_open(warden_cdr_reader **out, const char *path, const warden_cdr_opts *opts, char *err,
                              size_t errcap);
/* Reads from memory (tests, fuzzing); data must outlive the reader. */
warden_status warden_cdr_open_mem(warden_cdr_reader **out, const void *data, size_t len, const warden_cdr_opts *opts,
                                  char *err, size_t errcap);
/* Next record: WARDEN_OK and *got; WARDEN_ERR_PARSE for a bad record (reason and line in
 * warden_cdr_error: it is skipped); WARDEN_ERR_IO on a read error. */
warden_status warden_cdr_next(warden_cdr_reader *rd, warden_cdr *rec, bool *got);
/* Up to max records at once, bad ones included (rec.reject says why; rec.raw and rec.line say
 * where); *n = 0 at the end. Every view stays valid until the next call, so a batch can be worked
 * on as a whole (hashed and prefetched before it is processed). */
warden_status warden_cdr_next_batch(warden_cdr_reader *rd, warden_cdr *recs, size_t max, size_t *n);
/* Parsing on several threads: the input cut into chunks of whole lines, each parsed on its own.
 * warden_cdr_read_chunk moves the next lines (about want bytes; at least one whole line) into *buf
 * (grown with realloc as needed: the caller frees it), in order, one caller at a time; *len 0 at
 * the end. A line longer than the reader's buffer is skipped and reported by *too_long (it counts
 * as one line; *len is then 0 but the input is not at its end).
 * warden_cdr_open_chunk makes a reader of such text that parses as rd does (format, columns,
 * options; rd may be closed after): its batches keep every view valid until it is closed, and its
 * lines count from 1 (add the lines of the chunks before, warden_cdr_lines). */
warden_status warden_cdr_read_chunk(warden_cdr_reader *rd, char **buf, size_t *cap, size_t *len, size_t want, bool *too_long);
warden_status warden_cdr_open_chunk(warden_cdr_reader **out, const warden_cdr_reader *rd, const char *text, size_t len,
                                    bool too_long);
unsigned long warden_cdr_lines(const warden_cdr_reader *rd); /* lines read so far, the header's included */
const char *warden_cdr_error(const warden_cdr_reader *rd); /* "FILE:LINE: reason" */
const char *warden_cdr_reason(const warden_cdr_reader *rd); /* the reason's short code: bad-time ... */
/* Bytes consumed and the input's size (0 when unknown), for progress. */
void warden_cdr_progress(const warden_cdr_reader *rd, uint64_t *done, uint64_t *total);
/* The raw text of the last record read (good or bad), for a rejects file. */
warden_strview warden_cdr_raw(const warden_cdr_reader *rd);
void warden_cdr_close(warden_cdr_reader *rd);

#endif
