/* core.h — the public face of warden's core: status codes, buffers, arenas, CSV, text and time.
 *
 * Everything here is free of I/O policy and of global state except warden_today(), which reads
 * WARDEN_NOW once so that tests can fix the clock.
 *
 * Ownership, in one line per type:
 *   warden_buf    caller owns the struct; _init/_release; _detach hands the bytes to the caller (free()).
 *   warden_arena  caller owns the struct; every pointer it hands out dies at _reset/_release.
 *   warden_csv    caller owns the struct; _open/_close; field pointers live until the next _next().
 */
#ifndef WARDEN_CORE_H
#define WARDEN_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>

/* ---- status ------------------------------------------------------------------------------------
 * One enum for the whole library. 0 is OK. New codes go at the end, never in between. */
typedef enum warden_status {
  WARDEN_OK = 0,
  WARDEN_ERR_NOMEM,     /* allocation failed */
  WARDEN_ERR_IO,        /* a read or write failed; errno-based detail in the message */
  WARDEN_ERR_USAGE,     /* the caller's arguments are wrong */
  WARDEN_ERR_PARSE,     /* malformed input; the message names file and line */
  WARDEN_ERR_TOO_BIG,   /* a size cap was reached */
  WARDEN_ERR_NOT_FOUND, /* no such party, account, document, file */
  WARDEN_ERR_EXISTS,    /* already there */
  WARDEN_ERR_DB,        /* SQLite said no */
  WARDEN_ERR_CRYPTO,    /* sealing, unsealing or key handling failed */
  WARDEN_ERR_INTEGRITY, /* tampering found: audit chain broken, sealed data altered */
  WARDEN_ERR_STATE,     /* not allowed in the current state */
  WARDEN_ERR_RANGE,     /* outside what the shipped data covers */
} warden_status;

/* A static, never-NULL English sentence for a status. */
const char *warden_strerror(warden_status st);

/* ---- growable buffer (after curl's dynbuf) -------------------------------------------------------
 * Always NUL-terminated when data != NULL; grows geometrically up to `max` bytes, then refuses with
 * WARDEN_ERR_TOO_BIG, leaving the contents as they were. */
typedef struct warden_buf {
  char *data;
  size_t len;
  size_t cap;
  size_t max;
} warden_buf;

void warden_buf_init(warden_buf *b, size_t max);
void warden_buf_release(warden_buf *b);
void warden_buf_reset(warden_buf *b); /* len = 0, keeps memory */
warden_status warden_buf_add(warden_buf *b, const void *p, size_t n);
warden_status warden_buf_addc(warden_buf *b, char c);
warden_status warden_buf_adds(warden_buf *b, const char *s);
warden_status warden_buf_addf(warden_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
warden_status warden_buf_vaddf(warden_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Returns the bytes (NUL-terminated, caller frees with free()) and leaves b empty. Never NULL:
 * an empty buffer detaches as a fresh "" allocation, or NULL only on out-of-memory. */
char *warden_buf_detach(warden_buf *b, size_t *len);
static inline const char *warden_buf_str(const warden_buf *b) { return b->data ? b->data : ""; }

/* ---- arena (after nginx's request pool) ---------------------------------------------------------
 * Bump allocation in blocks; everything is freed at once. */
typedef struct warden_arena_block warden_arena_block;
typedef struct warden_arena {
  warden_arena_block *head;
  size_t block_size;
} warden_arena;

void warden_arena_init(warden_arena *a, size_t block_size);
void warden_arena_release(warden_arena *a);
void *warden_arena_alloc(warden_arena *a, size_t n); /* 16-byte aligned; NULL on OOM */
char *warden_arena_strndup(warden_arena *a, const char *s, size_t n);

/* ---- text ---------------------------------------------------------------------------------------- */
/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF). */
bool warden_utf8_valid(const char *s, size_t n);

/* The m (0 to 8) bytes at p as the low bytes of a word (little-endian), the rest zero, reading none
 * past them: two overlapping loads, whose common bytes agree. memcpy of a variable length would be
 * a library call; the call-record path does this several times a record. */
static inline uint64_t warden_load_le(const char *p, size_t m) {
  uint64_t x;
  uint32_t a, b;
  if (m >= 8) {
    memcpy(&x, p, 8);
    return x;
  }
  if (m >= 4) {
    memcpy(&a, p, 4);
    memcpy(&b, p + m - 4, 4);
    return (uint64_t)a | (uint64_t)b << (8 * (m - 4));
  }
  if (!m) return 0;
  return (uint64_t)(uint8_t)p[0] | (uint64_t)(uint8_t)p[m / 2] << (8 * (m / 2)) | (uint64_t)(uint8_t)p[m - 1] << (8 * (m - 1));
}

/* True when every byte of w selected by mask (0xFF a byte) is an ASCII digit: its high half 3 and
 * its low half, plus 6, still under 16 (no carry crosses a selected byte that passes). */
static inline bool warden_digits_in(uint64_t w, uint64_t mask) {
  uint64_t hi = 0xF0F0F0F0F0F0F0F0ull & mask, three = 0x3030303030303030ull & mask;
  return (w & hi) == three && ((w + (0x0606060606060606ull & mask)) & hi) == three;
}
/* Folds full-width ASCII (U+FF01..U+FF5E) and the ideographic space (U+3000) to ASCII, and
 * the dash look-alikes (U+2010..U+2015, U+2212, U+FF0D, U+30FC) to '-', writing at most cap-1 bytes
 * plus NUL into out. Returns false if s is not valid UTF-8 or out is too small. */
bool warden_text_fold(const char *s, size_t n, char *out, size_t cap, size_t *outlen);
/* Masks the middle of a document number: 4 + 4 kept when len >= 12, 2 + 2 when >= 8, else 1 + 1.
 * e.g. 440102198001010012 -> 4401**********0012. Writes at most cap bytes including NUL. */
void warden_mask(const char *s, char *out, size_t cap);
/* Masks a person's name: first character (UTF-8 aware) kept, the rest as '*'. */
void warden_mask_name(const char *s, char *out, size_t cap);
/* Money is integer fen (1 yuan = 100 fen), never floating point. Parses "25000 yuan", "25000.50 yuan",
 * "150 fen" and a bare "25000" (yuan) into fen; false on anything else (three decimals, a negative
 * amount, fractions of a fen, overflow). */
bool warden_money_parse(const char *s, int64_t *fen);
/* Formats fen as "25000.00" (with a '-' when negative) into out. */
void warden_money_format(int64_t fen, char *out, size_t cap);
/* Parses a whole decimal string into *out; false on any stray byte or overflow. */
bool warden_parse_i64(const char *s, int64_t *out);

/* ---- time ---------------------------------------------------------------------------------------
 * A date is a count of days since 1970-01-01 (int32). Inside, time is UTC seconds; dates that rules
 * reason about (birth, expiry, working days) are China Standard Time calendar dates. */
#define WARDEN_NO_DATE INT32_MIN
#define WARDEN_CST_OFFSET (8 * 3600)

bool warden_date_valid(int y, int m, int d);
int32_t warden_date_from_ymd(int y, int m, int d); /* no validation */
void warden_date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Accepts YYYY-MM-DD and YYYYMMDD; false (and *out untouched) on anything else or a date that
 * does not exist. */
bool warden_date_parse(const char *s, int32_t *out);
/* Writes YYYY-MM-DD (11 bytes with NUL). */
void warden_date_format(int32_t days, char out[11]);
/* Adds months, clamping the day to the target month's end (Jan 31 + 1 month = Feb 28/29). */
int32_t warden_date_add_months(int32_t days, int months);
/* Whole years from birth to on (the birthday counts on the day itself; Feb 29 births turn a year
 * older on Mar 1 in common years). */
int warden_age_years(int32_t birth, int32_t on);
/* The CST calendar date of a UTC instant. */
int32_t warden_date_of_utc(int64_t utc_seconds);
/* Parses an instant: epoch seconds, YYYY-MM-DD (CST midnight), or ISO 8601 date-time with an
 * offset or Z (no offset means CST). */
bool warden_time_parse(const char *s, int64_t *out);
/* Now, in UTC seconds: WARDEN_NOW when set (any warden_time_parse form), else the clock. */
int64_t warden_now(void);
/* Today's CST date, from warden_now(). */
int32_t warden_today(void);

/* ---- CSV (RFC 4180) -------------------------------------------------------------------------------
 * Written by hand rather than taken from libcsv because every error must name its line, a bad record
 * must be skippable without losing the stream, sizes must be capped, and the call-record hot path
 * needs a reader that does no per-field callback or allocation.
 *
 *   - A UTF-8 BOM at the very start is skipped; LF and CRLF both end records.
 *   - Quoted fields may hold commas, quotes ("") and line breaks.
 *   - A NUL byte, invalid UTF-8, an over-long field or a stray quote makes that one record bad:
 *     _next() returns WARDEN_ERR_PARSE with the reason in err, and the next call goes on after it.
 *   - A quote still open at end of input is an error that ends the stream.
 *   - Blank lines are skipped. */
typedef struct warden_csv {
  FILE *fp;
  bool own_fp;
  char name[256];      /* file name for messages; "-" is standard input */
  char *in;            /* read buffer */
  size_t in_len, in_pos, in_cap;
  bool eof;
  bool at_start;
  warden_buf rec;      /* the current record's unescaped fields, each NUL-terminated */
  size_t *off;         /* field i starts at rec.data + off[i] */
  size_t *flen;        /* and is flen[i] bytes long */
  size_t nfields, fcap;
  unsigned long line;      /* 1-based line on which the current record starts */
  unsigned long next_line; /* line the next record starts on */
  size_t max_field;
  char err[256];
} warden_csv;

#define WARDEN_CSV_MAX_FIELD_DEFAULT (64 * 1024)

/* Opens path ("-" for stdin) for reading. On failure err holds the reason. */
warden_status warden_csv_open(warden_csv *c, const char *path, size_t max_field);
/* Reads from an already open stream the caller keeps owning. */
warden_status warden_csv_open_fp(warden_csv *c, FILE *fp, const char *name, size_t max_field);
/* Reads from memory (fuzzing, tests); data must outlive the reader. */
warden_status warden_csv_open_mem(warden_csv *c, const void *data, size_t len, size_t max_field);
void warden_csv_close(warden_csv *c);
/* Next record: WARDEN_OK and *got = true with nfields set; WARDEN_OK and *got = false at end;
 * WARDEN_ERR_PARSE for a bad record (err says why, line says where); WARDEN_ERR_IO on read error. */
warden_status warden_csv_next(warden_csv *c, bool *got);
static inline const char *warden_csv_field(const warden_csv *c, size_t i) {
  return c->rec.data + c->off[i];
}

/* A header: the column names of the first record, for lookup by name. */
typedef struct warden_csv_header {
  char **names;
  size_t n;
} warden_csv_header;
/* Copies the current record as the header (names trimmed, lower-cased). */
warden_status warden_csv_header_take(warden_csv_header *h, const warden_csv *c);
void warden_csv_header_release(warden_csv_header *h);
/* Index of the column named name, or -1. */
int warden_csv_header_find(const warden_csv_header *h, const char *name);

/* ---- embedded data ------------------------------------------------------------------------------
 * Text files compiled into the library by scripts/embed.py (the default policy, the holiday
 * notices), so a fresh binary works with no data folder. */
typedef struct warden_embedded {
  const char *name; /* the file's base name */
  const char *text;
  size_t len;
} warden_embedded;

/* Unsafe libc calls become compile errors in every file that includes core.h. */
#include "banned.h"

#endif
