/* cdr.c — the call-record reader: native CSV and Asterisk Master.csv (see cdr.h).
 *
 * Written by hand for speed (the engine's budget is 200 ns a record): batches of native lines are
 * cut by a structural index of the buffer where the processor has AVX-512 (ix_build, below: the
 * offsets of its commas and line ends), by a byte loop elsewhere; fields are views into the line,
 * and only a line holding a quote, a NUL or a byte >= 0x80 takes the slow path (split: one line at
 * a time, quoted fields unquoted into a scratch buffer). A record that breaks the contract is
 * skipped with its line and reason. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "cdr.h"

#define CDR_BUF (4u << 20)
/* Bytes read at a time: the lines being parsed stay within the core's own cache (L2). Read 4 MB at
 * a time, the text came from the shared cache or memory as the parser went, a stream that slowed
 * the detectors' random lookups, prefetched as they are: a scan took about 6 % longer. */
#define CDR_READ (1u << 18)
#define CDR_MAX_FIELDS 48

enum { C_CALL_ID, C_START, C_CALLER, C_DISPLAY, C_CALLEE, C_DIRECTION, C_DURATION, C_BILLSEC, C_STATUS,
       C_ACCOUNT, C_ORIGIN, C_FWD, C_HOPS, C_MARKETING, C__COUNT };
static const char *const col_names[C__COUNT] = {"call_id", "start", "caller", "display", "callee", "direction",
                                                "duration", "billsec", "status", "account", "origin_region",
                                                "forwarded_from", "hops", "marketing"};
static const bool col_required[C__COUNT] = {1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};

struct warden_cdr_reader {
  FILE *fp;
  bool own_fp, eof, mem;
  bool keep_scratch; /* a chunk's reader: the scratch lives as long as the reader (cdr.h) */
  bool long_line;    /* read_chunk: the line cut off at the last chunk's end is too long: skip it */
  bool chunk_too_long; /* a chunk standing for one line too long to read: its record is still to come */
  char name[256];
  char *buf;
  size_t len, pos, cap;
  uint64_t consumed, total;
  unsigned long line;
  warden_cdr_opts opts;
  int col[C__COUNT]; /* field index of each column, -1 absent */
  int ncols;         /* fields in the header */
  warden_strview f[CDR_MAX_FIELDS];
  int nf;
  char *scratch;     /* unquoted fields, made call ids: valid for the current batch */
  size_t scratch_cap, scratch_used;
  warden_strview raw;
  char err[320];
  const char *reason;
  /* the structural index of the native fast path (see ix_build): offsets from ix_from */
  bool ix_valid, ix_wide; /* ix_wide: the index, with AVX-512 (unless WARDEN_CDR_NO_AVX512 is set: the tests' other path) */
  size_t ix_from, ix_to;
  uint32_t *ix_sep, *ix_nl, *ix_bad; /* ',' and '\n'; '\n'; '"', NUL, bytes >= 0x80 */
  uint32_t ix_nsep, ix_nnl, ix_nbad, ix_isep, ix_inl, ix_ibad;
  /* a one-entry cache for the date part of ISO times */
  char last_date[10];
  int32_t last_days;
  char inbound[512];
};

const char *warden_numkind_name(warden_numkind k) {
  static const char *const n[] = {"invalid", "mobile", "fixed", "service", "international"};
  return (unsigned)k <= WARDEN_NUM_INTERNATIONAL ? n[k] : "invalid";
}

/* True when the n bytes are all ASCII digits: eight at a time (warden_digits_in), the last eight
 * overlapping the ones before; fewer than eight padded with '0'. */
static inline bool digits_at(const char *p, size_t n) {
  uint64_t w;
  if (n < 8) return warden_digits_in(warden_load_le(p, n) | (n ? 0x3030303030303030ull << (8 * n) : 0x3030303030303030ull), ~0ull);
  for (size_t i = 0; i + 8 < n; i += 8) {
    memcpy(&w, p + i, 8);
    if (!warden_digits_in(w, ~0ull)) return false;
  }
  memcpy(&w, p + n - 8, 8);
  return warden_digits_in(w, ~0ull);
}

warden_numkind warden_numkind_of(const char *s, size_t n) {
  if (n < 3 || !digits_at(s, n)) return WARDEN_NUM_INVALID;
  return warden_numkind_digits(s, n);
}

warden_numkind warden_numkind_digits(const char *s, size_t n) {
  if (n < 3) return WARDEN_NUM_INVALID;
  if (s[0] == '0' && s[1] == '0') return n >= 5 && n <= 20 ? WARDEN_NUM_INTERNATIONAL : WARDEN_NUM_INVALID;
  if (n == 11 && s[0] == '1' && s[1] >= '3') return WARDEN_NUM_MOBILE;
  if (n == 10 && (!memcmp(s, "400", 3) || !memcmp(s, "800", 3))) return WARDEN_NUM_SERVICE;
  if (s[0] == '0' && s[1] != '0' && n >= 10 && n <= 12) return WARDEN_NUM_FIXED;
  return WARDEN_NUM_INVALID;
}

static warden_status reader_new(warden_cdr_reader **out, const char *name, const warden_cdr_opts *opts) {
  warden_cdr_reader *rd = calloc(1, sizeof *rd);
  if (!rd) return WARDEN_ERR_NOMEM;
  snprintf(rd->name, sizeof rd->name, "%s", name);
  if (opts) rd->opts = *opts;
  if (rd->opts.inbound_contexts) {
    snprintf(rd->inbound, sizeof rd->inbound, ",%s,", rd->opts.inbound_contexts);
    rd->opts.inbound_contexts = rd->inbound;
  }
  rd->scratch_cap = 1 << 20;
  rd->scratch = malloc(rd->scratch_cap);
  if (!rd->scratch) {
    free(rd);
    return WARDEN_ERR_NOMEM;
  }
  for (int i = 0; i < C__COUNT; i++) rd->col[i] = -1;
  *out = rd;
  return WARDEN_OK;
}

/* The rest of a line too long to hold, read past (counted as consumed) up to and with its end. */
static void skip_line_rest(warden_cdr_reader *rd) {
  for (int c; (c = fgetc(rd->fp)) != EOF;) {
    rd->consumed++;
    if (c == '\n') break;
  }
}

/* The next line as a view (without its line end); false at the end of input. */
static bool next_line(warden_cdr_reader *rd, warden_strview *line, bool *too_long) {
  *too_long = false;
  for (;;) {
    char *nl = rd->pos < rd->len ? memchr(rd->buf + rd->pos, '\n', rd->len - rd->pos) : NULL;
    if (nl || (rd->eof && rd->pos < rd->len)) {
      size_t end = nl ? (size_t)(nl - rd->buf) : rd->len;
      line->p = rd->buf + rd->pos;
      line->n = (uint32_t)(end - rd->pos);
      if (end - rd->pos >= CDR_BUF) { /* as long as a file reader's buffer: too long, whatever the reader */
        *too_long = true;
        line->n = 0;
      }
      if (line->n && line->p[line->n - 1] == '\r') line->n--;
      rd->consumed += end - rd->pos + (nl ? 1 : 0);
      rd->pos = end + (nl ? 1 : 0);
      rd->line++;
      return true;
    }
    if (rd->eof || rd->mem) return false;
    rd->ix_valid = false; /* the buffer moves */
    /* keep the partial line, read more behind it */
    if (rd->pos > 0) {
      memmove(rd->buf, rd->buf + rd->pos, rd->len - rd->pos);
      rd->len -= rd->pos;
      rd->pos = 0;
    }
    if (rd->len == rd->cap) { /* a line longer than the buffer: skip to its end */
      *too_long = true;
      rd->consumed += rd->len;
      rd->len = 0;
      skip_line_rest(rd);
      rd->line++;
      line->p = rd->buf;
      line->n = 0;
      return true;
    }
    size_t want = rd->cap - rd->len;
    size_t got = fread(rd->buf + rd->len, 1, want < CDR_READ ? want : CDR_READ, rd->fp);
    if (got == 0) rd->eof = true;
    rd->len += got;
  }
}

/* Splits a line into fields; quoted fields are unquoted into scratch. False on a broken quote. */
static bool split(warden_cdr_reader *rd, warden_strview line) {
  rd->nf = 0;
  { /* one pass over the bytes: commas end fields; a quote sends the line to the slow path */
    const char *p = line.p;
    uint32_t start = 0, i = 0;
    bool quoted = false;
#ifdef __SSE2__
    /* sixteen bytes at a time: a mask of the commas and quotes in each block */
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
    for (; i + 16 <= line.n && !quoted; i += 16) {
      __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
      unsigned q = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, quote));
      unsigned c = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, comma));
      if (q) {
        quoted = true;
        break;
      }
      while (c) {
        uint32_t at = i + (uint32_t)__builtin_ctz(c);
        if (rd->nf == CDR_MAX_FIELDS - 1) return false;
        rd->f[rd->nf].p = p + start;
        rd->f[rd->nf++].n = at - start;
        start = at + 1;
        c &= c - 1;
      }
    }
#endif
    for (; i < line.n && !quoted; i++) {
      char ch = p[i];
      if (ch == ',') {
        if (rd->nf == CDR_MAX_FIELDS - 1) return false;
        rd->f[rd->nf].p = p + start;
        rd->f[rd->nf++].n = i - start;
        start = i + 1;
      } else if (ch == '"') {
        quoted = true;
        break;
      }
    }
    if (!quoted) {
      rd->f[rd->nf].p = p + start;
      rd->f[rd->nf++].n = line.n - start;
      return true;
    }
    rd->nf = 0;
  }
  if (rd->scratch_used + line.n + 1 > rd->scratch_cap) return false;
  char *o = rd->scratch + rd->scratch_used;
  size_t i = 0;
  for (;;) {
    if (rd->nf == CDR_MAX_FIELDS) return false;
    char *start = o;
    if (i < line.n && line.p[i] == '"') {
      i++;
      for (;;) {
        if (i >= line.n) return false; /* never closed */
        if (line.p[i] == '"') {
          if (i + 1 < line.n && line.p[i + 1] == '"') { *o++ = '"'; i += 2; continue; }
          i++;
          break;
        }
        *o++ = line.p[i++];
      }
      if (i < line.n && line.p[i] != ',') return false; /* text after the closing quote */
    } else {
      while (i < line.n && line.p[i] != ',') {
        if (line.p[i] == '"') return false;
        *o++ = line.p[i++];
      }
    }
    rd->f[rd->nf].p = start;
    rd->f[rd->nf++].n = (uint32_t)(o - start);
    if (i >= line.n) {
      rd->scratch_used = (size_t)(o - rd->scratch);
      return true;
    }
    i++; /* the comma */
  }
}

/* A view equal to a string literal: the length a constant, so the compare is a load or two, not a
 * library call (these run for every record). */
#define view_eq(v, lit) ((v).n == sizeof(lit) - 1 && !memcmp((v).p, lit, sizeof(lit) - 1))

static bool parse_int(warden_strview v, int64_t *out) {
  if (!v.n || v.n > 18) return false;
  int64_t x = 0;
  size_t i = 0;
  bool neg = v.p[0] == '-';
  if (neg) i++;
  if (i == v.n) return false;
  for (; i < v.n; i++) {
    if (v.p[i] < '0' || v.p[i] > '9') return false;
    x = x * 10 + (v.p[i] - '0');
  }
  *out = neg ? -x : x;
  return true;
}

static int dig2(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }


/* ISO 8601 with offset (or Z, or none: CST), "YYYY-MM-DD HH:MM:SS", or epoch seconds. */
static bool parse_time(warden_cdr_reader *rd, warden_strview v, bool local_is_gmt, int64_t *out) {
  const char *p = v.p;
  uint64_t w0, w1, w2;
  if (v.n >= 19) { /* "YYYY-MM-", "DDTHH:MM", "HH:MM:SS": the digits checked a word at a time */
    memcpy(&w0, p, 8);
    memcpy(&w1, p + 8, 8);
    memcpy(&w2, p + 11, 8);
  }
  if (v.n >= 19 && p[4] == '-' && p[7] == '-' && (p[10] == 'T' || p[10] == ' ') && p[13] == ':' && p[16] == ':' &&
      warden_digits_in(w0, 0x00FFFF00FFFFFFFFull) && warden_digits_in(w1, 0xFFFF00FFFF00FFFFull) &&
      warden_digits_in(w2, 0xFFFF000000000000ull)) {
    int32_t days;
    if (!memcmp(rd->last_date, p, 10)) {
      days = rd->last_days;
    } else {
      int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + dig2(p + 2), m = dig2(p + 5), d = dig2(p + 8);
      if (!warden_date_valid(y, m, d)) return false;
      days = warden_date_from_ymd(y, m, d);
      memcpy(rd->last_date, p, 10);
      rd->last_days = days;
    }
    int hh = dig2(p + 11), mm = dig2(p + 14), ss = dig2(p + 17);
    if (hh > 23 || mm > 59 || ss > 60) return false;
    size_t i = 19;
    if (i < v.n && p[i] == '.') /* fractions of a second */
      for (i++; i < v.n && p[i] >= '0' && p[i] <= '9'; i++) {}
    int off = local_is_gmt ? 0 : WARDEN_CST_OFFSET;
    if (i < v.n) {
      if (p[i] == 'Z' && i + 1 == v.n) off = 0;
      else if ((p[i] == '+' || p[i] == '-') && v.n - i == 6 && digits_at(p + i + 1, 2) && p[i + 3] == ':' && digits_at(p + i + 4, 2))
        off = (dig2(p + i + 1) * 3600 + dig2(p + i + 4) * 60) * (p[i] == '-' ? -1 : 1);
      else if ((p[i] == '+' || p[i] == '-') && v.n - i == 5 && digits_at(p + i + 1, 4))
        off = (dig2(p + i + 1) * 3600 + dig2(p + i + 3) * 60) * (p[i] == '-' ? -1 : 1);
      else return false;
    }
    *out = (int64_t)days * 86400 + hh * 3600 + mm * 60 + ss - off;
    return true;
  }
  int64_t e;
  if (v.n >= 9 && v.n <= 11 && parse_int(v, &e) && e > 0) {
    *out = e;
    return true;
  }
  return false;
}

/* National digits: +86 / 0086 folded away; digits only, 3 to 20 of them. */
static inline bool number(warden_strview *v, bool allow_empty) {
  if (v->n == 0) return allow_empty;
  if (v->n > 3 && v->p[0] == '+' && v->p[1] == '8' && v->p[2] == '6') { v->p += 3; v->n -= 3; }
  else if (v->n > 4 && !memcmp(v->p, "0086", 4)) { v->p += 4; v->n -= 4; }
  if (v->n < 3 || v->n > 20) return false;
  return digits_at(v->p, v->n);
}

static warden_status bad(warden_cdr_reader *rd, const char *reason, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static warden_status bad(warden_cdr_reader *rd, const char *reason, const char *fmt, ...) {
  char msg[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  rd->reason = reason;
  snprintf(rd->err, sizeof rd->err, "%s:%lu: %s", rd->name, rd->line, msg);
  return WARDEN_ERR_PARSE;
}

/* Column c of the record; an absent column is empty, at the line's start (so that every view of a
 * line read by the fast path lies in the buffer: field_word reads behind them). */
static warden_strview field(const warden_cdr_reader *rd, int c) {
  int i = rd->col[c];
  if (i >= 0 && i < rd->nf) return rd->f[i];
  warden_strview none = {rd->nf ? rd->f[0].p : "", 0};
  return none;
}

/* Branches that follow the data (is this call answered? has it a region?) mispredict about half the
 * time, a dozen cycles each, and a native record had a dozen of them: the fields below are read as
 * words and compared whole, so that the only branches left are the ones a bad record takes. */

/* The n bytes of a field as a word, the bytes past the first 8 left out and the bytes past n zero.
 * lim: where the bytes readable behind the field end (the fast path's fields lie in the buffer, so
 * one load of 8 serves), or NULL (a field unquoted into the scratch: read to its end only). */
static inline uint64_t field_word(warden_strview v, const char *lim) {
  uint64_t w;
  if (lim && lim - v.p >= 8) memcpy(&w, v.p, 8);
  else w = warden_load_le(v.p, v.n < 8 ? v.n : 8);
  return v.n >= 8 ? w : w & ((1ull << (8 * v.n)) - 1);
}

#define WORD_OF(a, b, c, d, e, f, g, h)                                                                                     \
  ((uint64_t)(a) | (uint64_t)(b) << 8 | (uint64_t)(c) << 16 | (uint64_t)(d) << 24 | (uint64_t)(e) << 32 |                  \
   (uint64_t)(f) << 40 | (uint64_t)(g) << 48 | (uint64_t)(h) << 56)

/* A count of 1 to 8 digits (w: field_word of its n bytes) in *out; false for anything else (the
 * caller then asks parse_int, which says what it is). SWAR: the digits right-aligned in the word
 * behind '0's, checked at once, then paired, quadrupled and joined by three multiplications. */
static inline bool word_uint(uint64_t w, uint32_t n, uint32_t *out) {
  if (n - 1 >= 8) return false;
  uint64_t x = w << (8 * (8 - n)) | (0x3030303030303030ull >> 1) >> (8 * n - 1);
  if (!warden_digits_in(x, ~0ull)) return false;
  x -= 0x3030303030303030ull; /* byte 0: the first digit */
  x = x * 10 + (x >> 8);      /* even bytes: pairs of digits */
  x = ((x & 0x000000FF000000FFull) * (100 + (1000000ull << 32)) + ((x >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32))) >> 32;
  *out = (uint32_t)x;
  return true;
}

/* A non-negative count: word_uint, else parse_int (a sign, more digits, or not a count at all). */
static inline bool field_count(warden_strview v, const char *lim, int64_t *out) {
  uint32_t x;
  if (word_uint(field_word(v, lim), v.n, &x)) {
    *out = x;
    return true;
  }
  return parse_int(v, out);
}

static warden_status parse_native(warden_cdr_reader *rd, warden_cdr *r, const char *lim) {
  if (rd->nf != rd->ncols) return bad(rd, "bad-field-count", "%d fields, the header has %d", rd->nf, rd->ncols);
  r->call_id = field(rd, C_CALL_ID);
  if (!r->call_id.n) return bad(rd, "missing-call-id", "call_id is empty");
  if (!parse_time(rd, field(rd, C_START), false, &r->start)) return bad(rd, "bad-time", "start is not a time");
  r->caller = field(rd, C_CALLER);
  r->display = field(rd, C_DISPLAY);
  r->callee = field(rd, C_CALLEE);
  r->forwarded_from = field(rd, C_FWD);
  if (!number(&r->caller, false)) return bad(rd, "bad-number", "caller is not a number");
  if (!number(&r->display, true)) return bad(rd, "bad-number", "display is not a number");
  if (!number(&r->callee, false)) return bad(rd, "bad-number", "callee is not a number");
  if (!number(&r->forwarded_from, true)) return bad(rd, "bad-number", "forwarded_from is not a number");
  bool no_display = !r->display.n;
  r->display.p = no_display ? r->caller.p : r->display.p;
  r->display.n = no_display ? r->caller.n : r->display.n;
  uint64_t d = field_word(field(rd, C_DIRECTION), lim); /* no NUL in a field: the word says the length */
  bool out = d == WORD_OF('o', 'u', 't', 0, 0, 0, 0, 0), in = d == WORD_OF('i', 'n', 0, 0, 0, 0, 0, 0);
  if (!(out | in)) return bad(rd, "bad-direction", "direction is out or in");
  r->outbound = out;
  int64_t v;
  if (!field_count(field(rd, C_DURATION), lim, &v) || v < 0 || v > 86400 * 7) return bad(rd, "bad-duration", "duration is not a count of seconds");
  r->duration = (int32_t)v;
  if (!field_count(field(rd, C_BILLSEC), lim, &v) || v < 0 || v > r->duration) return bad(rd, "bad-billsec", "billsec is not 0..duration");
  r->billsec = (int32_t)v;
  warden_strview sv = field(rd, C_STATUS);
  uint64_t s = field_word(sv, lim);
  bool st_a = sv.n == 8 && s == WORD_OF('a', 'n', 's', 'w', 'e', 'r', 'e', 'd'),
       st_n = sv.n == 8 && s == WORD_OF('n', 'o', 'a', 'n', 's', 'w', 'e', 'r'),
       st_b = s == WORD_OF('b', 'u', 's', 'y', 0, 0, 0, 0), st_f = s == WORD_OF('f', 'a', 'i', 'l', 'e', 'd', 0, 0);
  if (!(st_a | st_n | st_b | st_f)) return bad(rd, "bad-status", "status is answered, noanswer, busy or failed");
  r->status = (warden_cdr_status)(st_n * WARDEN_CDR_NOANSWER + st_b * WARDEN_CDR_BUSY + st_f * WARDEN_CDR_FAILED);
  r->account = field(rd, C_ACCOUNT);
  warden_strview o = field(rd, C_ORIGIN);
  v = 0;
  if (o.n && (!field_count(o, lim, &v) || v < 11 || v > 91)) return bad(rd, "bad-region", "origin_region is a 2-digit province code");
  r->origin_region = (int32_t)v;
  warden_strview h = field(rd, C_HOPS);
  v = 0;
  if (h.n && (!field_count(h, lim, &v) || v < 0 || v > 100)) return bad(rd, "bad-hops", "hops is a count");
  r->hops = (int32_t)v;
  warden_strview m = field(rd, C_MARKETING);
  uint64_t mw = field_word(m, lim);
  r->marketing = mw == '1';
  if (!(mw == 0 || mw == '0' || mw == '1')) return bad(rd, "bad-marketing", "marketing is 0 or 1");
  return WARDEN_OK;
}

static warden_status parse_asterisk(warden_cdr_reader *rd, warden_cdr *r) {
  if (rd->nf < 16 || rd->nf > 18) return bad(rd, "bad-field-count", "%d fields: Master.csv has 16 to 18", rd->nf);
  r->account = rd->f[0];
  r->caller = rd->f[1];
  r->callee = rd->f[2];
  if (!number(&r->caller, false)) return bad(rd, "bad-number", "src is not a number");
  if (!number(&r->callee, false)) return bad(rd, "bad-number", "dst is not a number");
  /* clid: "Name" <number> */
  warden_strview clid = rd->f[4];
  const char *lt = memchr(clid.p, '<', clid.n);
  r->display = r->caller;
  if (lt) {
    const char *gt = memchr(lt, '>', (size_t)(clid.p + clid.n - lt));
    if (!gt) return bad(rd, "bad-number", "clid has an unclosed <");
    warden_strview d = {lt + 1, (uint32_t)(gt - lt - 1)};
    if (d.n && !number(&d, false)) return bad(rd, "bad-number", "the number in clid is not a number");
    if (d.n) r->display = d;
  }
  if (!parse_time(rd, rd->f[9], rd->opts.asterisk_gmt, &r->start)) return bad(rd, "bad-time", "start is not YYYY-MM-DD HH:MM:SS");
  int64_t v;
  if (!parse_int(rd->f[12], &v) || v < 0) return bad(rd, "bad-duration", "duration is not a count of seconds");
  r->duration = (int32_t)v;
  if (!parse_int(rd->f[13], &v) || v < 0 || v > r->duration) return bad(rd, "bad-billsec", "billsec is not 0..duration");
  r->billsec = (int32_t)v;
  warden_strview s = rd->f[14];
  if (view_eq(s, "ANSWERED")) r->status = WARDEN_CDR_ANSWERED;
  else if (view_eq(s, "NO ANSWER")) r->status = WARDEN_CDR_NOANSWER;
  else if (view_eq(s, "BUSY")) r->status = WARDEN_CDR_BUSY;
  else if (view_eq(s, "FAILED") || view_eq(s, "CONGESTION")) r->status = WARDEN_CDR_FAILED;
  else return bad(rd, "bad-status", "disposition is ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION");
  r->outbound = true;
  if (rd->opts.inbound_contexts && rd->f[3].n) {
    char ctx[130];
    snprintf(ctx, sizeof ctx, ",%.*s,", (int)(rd->f[3].n > 120 ? 120 : rd->f[3].n), rd->f[3].p);
    if (strstr(rd->opts.inbound_contexts, ctx)) r->outbound = false;
  }
  if (rd->nf >= 17 && rd->f[16].n) {
    r->call_id = rd->f[16];
  } else { /* made from the record's own fields: src, dst, start, channel */
    uint64_t h = 1469598103934665603ull;
    for (int k = 0; k < 12; k++) {
      if (k != 1 && k != 2 && k != 5 && k != 9) continue;
      for (uint32_t i = 0; i < rd->f[k].n; i++) h = (h ^ (unsigned char)rd->f[k].p[i]) * 1099511628211ull;
      h = (h ^ 0x1F) * 1099511628211ull;
    }
    if (rd->scratch_used + 24 > rd->scratch_cap) return bad(rd, "too-long", "no room for a made call id");
    char *id = rd->scratch + rd->scratch_used;
    int n = snprintf(id, 24, "ast-%016llx", (unsigned long long)h);
    rd->scratch_used += (size_t)n + 1;
    r->call_id.p = id;
    r->call_id.n = (uint32_t)n;
  }
  r->forwarded_from.p = "";
  r->forwarded_from.n = 0;
  r->origin_region = 0;
  r->hops = 0;
  r->marketing = false;
  return WARDEN_OK;
}

/* ---- the fast path of native records: a structural index, then the lines ----
 * Where the processor has AVX-512 (ix_wide), two passes, as simdjson does it. ix_build goes over a
 * piece of the buffer (IX_PIECE bytes from the next line) 64 bytes at a time and writes the offsets
 * of its structural bytes into three arrays, with no branch a byte or a field:
 *
 *   array    offsets of                              used for
 *   -------  --------------------------------------  -------------------------------------------
 *   ix_sep   every ',' and '\n'                       the fields: field k ends at the k-th entry
 *   ix_nl    every '\n'                               where the line ends
 *   ix_bad   every '"', NUL and byte >= 0x80          the lines that need the slow path (unquoting,
 *                                                     the NUL and UTF-8 checks): rare
 *
 * fast_line then takes a line from the arrays: its end is the next ix_nl entry, and when the line
 * has the header's count of fields, ix_sep's entry ncols - 1 places on is that same end (no line end
 * can lie between: it is the next one), so one compare checks the count and the fields are cut in a
 * loop of fixed length, where fast_line_bytes (the other processors') cuts a field at each comma it
 * meets and mispredicts its loop's exit at most blocks of 16 bytes (the commas fall anywhere).
 * Reading and parsing 10 million records: 0.70 s against 0.72-0.74. The index holds while the
 * buffer does not move (next_line's refills and read_chunk drop it). */
#define IX_PIECE (16u << 10)
#define IX_SLACK 64 /* entries written past the last one (a vector of 16 at a time) */

#if defined(__x86_64__) && defined(__GNUC__)
typedef struct ix_out {
  uint32_t *sep, *nl, *bad;
} ix_out;

/* n bytes at p indexed into o (offsets from p), 64 at a time, with AVX-512: BW for the masks, VBMI2
 * to compress the offsets of a mask's bits into a vector (sixteen offsets in a few instructions).
 * Only where the processor has them (ix_wide): with SSE2 the same index (four loads a block, the
 * offsets taken out a bit at a time, popcount by hand in the plain x86-64 build) made parsing 20 %
 * slower than fast_line_bytes, which those processors keep. */
#define IX_WIDE 1
#define IX_TARGET __attribute__((target("avx512f,avx512bw,avx512vbmi2,popcnt")))
IX_TARGET static inline uint32_t *ix_flatten_wide(uint32_t *out, uint32_t base, uint64_t bits) {
  if (!bits) return out;
  const __m512i iota = _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43,
                                       42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22,
                                       21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  __m512i at = _mm512_maskz_compress_epi8(bits, iota), vb = _mm512_set1_epi32((int)base);
  unsigned cnt = (unsigned)__builtin_popcountll(bits);
  _mm512_storeu_si512(out, _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_castsi512_si128(at)), vb));
  for (unsigned k = 16; k < cnt; k += 16) { /* more than 16: rare */
    _mm512_storeu_si512(out + k, _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(at, 1)), vb));
    at = _mm512_alignr_epi32(at, at, 4);
  }
  return out + cnt;
}

IX_TARGET static void ix_scan(const char *p, uint32_t n, ix_out *o) {
  const __m512i comma = _mm512_set1_epi8(','), lf = _mm512_set1_epi8('\n'), quote = _mm512_set1_epi8('"');
  for (uint32_t i = 0; i < n; i += 64) {
    uint64_t keep = n - i >= 64 ? ~0ull : (1ull << (n - i)) - 1;
    __m512i v = _mm512_maskz_loadu_epi8(keep, p + i); /* the bytes past n are not read */
    uint64_t mn = _mm512_cmpeq_epi8_mask(v, lf) & keep;
    uint64_t ms = (_mm512_cmpeq_epi8_mask(v, comma) & keep) | mn;
    uint64_t mb = (_mm512_cmpeq_epi8_mask(v, quote) | _mm512_testn_epi8_mask(v, v) | _mm512_movepi8_mask(v)) & keep;
    o->sep = ix_flatten_wide(o->sep, i, ms);
    o->nl = ix_flatten_wide(o->nl, i, mn);
    if (mb) o->bad = ix_flatten_wide(o->bad, i, mb);
  }
}

/* Indexes the buffer from rd->pos, IX_PIECE bytes or to its end. False when out of memory. */
static bool ix_build(warden_cdr_reader *rd) {
  if (!rd->ix_sep) {
    /* IX_SLACK: the flattening writes past the last entry */
    rd->ix_sep = malloc(3 * (IX_PIECE + IX_SLACK) * sizeof *rd->ix_sep);
    if (!rd->ix_sep) return false;
    rd->ix_nl = rd->ix_sep + IX_PIECE + IX_SLACK;
    rd->ix_bad = rd->ix_nl + IX_PIECE + IX_SLACK;
  }
  size_t from = rd->pos, to = rd->len - from > IX_PIECE ? from + IX_PIECE : rd->len;
  ix_out o = {rd->ix_sep, rd->ix_nl, rd->ix_bad};
  ix_scan(rd->buf + from, (uint32_t)(to - from), &o);
  rd->ix_nsep = (uint32_t)(o.sep - rd->ix_sep);
  rd->ix_nnl = (uint32_t)(o.nl - rd->ix_nl);
  rd->ix_nbad = (uint32_t)(o.bad - rd->ix_bad);
  rd->ix_isep = rd->ix_inl = rd->ix_ibad = 0;
  rd->ix_from = from;
  rd->ix_to = to;
  rd->ix_valid = true;
  return true;
}

/* The fast path of a native record, for batches: the line from rd->pos, by the index.
 * 1: the line is split into rd->f and consumed (line.n 0: an empty line); 0: the line needs the slow
 * path, nothing consumed; -1: no line end in the buffer, nothing consumed. */
static int fast_line(warden_cdr_reader *rd, warden_strview *line) {
  size_t pos = rd->pos;
  if (!rd->ix_valid || pos < rd->ix_from || pos > rd->ix_to) {
    if (!ix_build(rd)) return 0;
  }
  uint32_t at = (uint32_t)(pos - rd->ix_from);
  /* the entries before pos: left by lines the slow path read (none otherwise) */
  while (rd->ix_inl < rd->ix_nnl && rd->ix_nl[rd->ix_inl] < at) rd->ix_inl++;
  if (rd->ix_inl == rd->ix_nnl) { /* no whole line left in the piece */
    if (rd->ix_to == rd->len) return -1;
    if (rd->ix_from == pos) return 0; /* longer than a piece: the slow path */
    if (!ix_build(rd)) return 0;
    at = 0;
    if (!rd->ix_nnl) return rd->ix_to == rd->len ? -1 : 0;
  }
  while (rd->ix_isep < rd->ix_nsep && rd->ix_sep[rd->ix_isep] < at) rd->ix_isep++;
  while (rd->ix_ibad < rd->ix_nbad && rd->ix_bad[rd->ix_ibad] < at) rd->ix_ibad++;
  uint32_t e = rd->ix_nl[rd->ix_inl], j = rd->ix_isep;
  if (rd->ix_ibad < rd->ix_nbad && rd->ix_bad[rd->ix_ibad] < e) return 0;
  const char *b = rd->buf + rd->ix_from;
  const uint32_t *sep = rd->ix_sep;
  uint32_t start = at, nf;
  int want = rd->ncols;
  if (want >= 1 && want <= CDR_MAX_FIELDS && j + (uint32_t)want - 1 < rd->ix_nsep && sep[j + (uint32_t)want - 1] == e) {
    nf = (uint32_t)want; /* the header's count: the usual line */
    for (uint32_t k = 0; k + 1 < nf; k++) {
      rd->f[k].p = b + start;
      rd->f[k].n = sep[j + k] - start;
      start = sep[j + k] + 1;
    }
  } else {
    for (nf = 0; sep[j + nf] != e; nf++) {
      if (nf == CDR_MAX_FIELDS - 1) return 0; /* too many fields: the slow path says so */
      rd->f[nf].p = b + start;
      rd->f[nf].n = sep[j + nf] - start;
      start = sep[j + nf] + 1;
    }
    nf++;
  }
  size_t end = rd->ix_from + e; /* the line end's place in the buffer */
  if (end - pos >= CDR_BUF) return 0; /* too long: next_line says so */
  line->p = rd->buf + pos;
  line->n = (uint32_t)(end - pos);
  if (line->n && line->p[line->n - 1] == '\r') line->n--;
  rd->f[nf - 1].p = b + start;
  rd->f[nf - 1].n = (uint32_t)(line->p + line->n - (b + start));
  rd->nf = (int)nf;
  rd->ix_isep = j + nf;
  rd->ix_inl++;
  rd->consumed += end + 1 - pos;
  rd->pos = end + 1;
  rd->line++;
  return 1;
}
#endif

/* The fast path of a native record where the processor has no AVX-512 (ix_wide false): from
 * rd->pos, one pass over the bytes finds the line's end and its commas, and checks that it holds no
 * quote, NUL or non-ASCII byte (each of which needs the slow path: unquoting, the NUL and UTF-8
 * checks). It replaces a memchr for the line end,
 * a memchr for NUL, the UTF-8 check and the split, which each went over the line again.
 * 1: the line is split into rd->f and consumed (line.n 0: an empty line); 0: the line needs the slow
 * path, nothing consumed; -1: no line end in the buffer, nothing consumed. */
static int fast_line_bytes(warden_cdr_reader *rd, warden_strview *line) {
  const char *b = rd->buf + rd->pos;
  size_t avail = rd->len - rd->pos, i = 0, end;
  uint32_t start = 0;
  int nf = 0;
#ifdef __SSE2__
  const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
  for (; i + 16 <= avail; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
    unsigned m_nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
    /* a quote or a NUL, or a byte with the top bit set (movemask of the bytes themselves) */
    unsigned m_bad = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, zero))) |
                     (unsigned)_mm_movemask_epi8(v);
    unsigned below = m_nl ? (m_nl & (0u - m_nl)) - 1 : 0xFFFFu; /* the bytes before the line end */
    if (m_bad & below) return 0;
    unsigned m_c = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) & below;
    while (m_c) {
      uint32_t at = (uint32_t)i + (uint32_t)__builtin_ctz(m_c);
      if (nf == CDR_MAX_FIELDS - 1) return 0;
      rd->f[nf].p = b + start;
      rd->f[nf++].n = at - start;
      start = at + 1;
      m_c &= m_c - 1;
    }
    if (m_nl) {
      end = i + (size_t)__builtin_ctz(m_nl);
      goto found;
    }
  }
#endif
  for (; i < avail; i++) {
    unsigned char ch = (unsigned char)b[i];
    if (ch == '\n') {
      end = i;
      goto found;
    }
    if (ch == '"' || ch == 0 || ch >= 0x80) return 0;
    if (ch == ',') {
      if (nf == CDR_MAX_FIELDS - 1) return 0;
      rd->f[nf].p = b + start;
      rd->f[nf++].n = (uint32_t)i - start;
      start = (uint32_t)i + 1;
    }
  }
  return -1;
found:
  if (end >= CDR_BUF) return 0; /* too long: next_line says so */
  line->p = b;
  line->n = (uint32_t)end;
  if (end && b[end - 1] == '\r') line->n--;
  rd->f[nf].p = b + start;
  rd->f[nf++].n = line->n - start;
  rd->nf = nf;
  rd->consumed += end + 1;
  rd->pos += end + 1;
  rd->line++;
  return 1;
}

/* One line into a record: WARDEN_OK, or WARDEN_ERR_PARSE with the reason in rd. */
static warden_status parse_line(warden_cdr_reader *rd, warden_strview line, bool too_long, warden_cdr *r) {
  rd->raw = line;
  r->line = rd->line;
  r->raw = line;
  r->reject = NULL;
  warden_status st;
  if (too_long) st = bad(rd, "too-long", "line longer than %u bytes", CDR_BUF);
  else if (memchr(line.p, '\0', line.n)) st = bad(rd, "nul-byte", "NUL byte in the record");
  else if (!warden_utf8_valid(line.p, line.n)) st = bad(rd, "bad-utf8", "not valid UTF-8");
  else if (!split(rd, line)) st = bad(rd, "bad-quote", "broken quoting or too many fields");
  else st = rd->opts.format == WARDEN_CDR_ASTERISK ? parse_asterisk(rd, r) : parse_native(rd, r, NULL);
  if (st) r->reject = rd->reason;
  return st;
}

warden_status warden_cdr_next(warden_cdr_reader *rd, warden_cdr *r, bool *got) {
  warden_strview line;
  bool too_long;
  *got = false;
  rd->scratch_used = 0;
  for (;;) {
    if (!next_line(rd, &line, &too_long)) {
      if (rd->fp && ferror(rd->fp)) {
        snprintf(rd->err, sizeof rd->err, "%s: read error: %s", rd->name, strerror(errno));
        return WARDEN_ERR_IO;
      }
      return WARDEN_OK;
    }
    if (line.n == 0 && !too_long) continue;
    warden_status st = parse_line(rd, line, too_long, r);
    if (st) return st;
    *got = true;
    return WARDEN_OK;
  }
}

warden_status warden_cdr_next_batch(warden_cdr_reader *rd, warden_cdr *recs, size_t max, size_t *n) {
  warden_strview line;
  *n = 0;
  if (!rd->keep_scratch) rd->scratch_used = 0;
  if (rd->chunk_too_long && max) {
    rd->chunk_too_long = false;
    rd->line++;
    parse_line(rd, (warden_strview){rd->buf ? rd->buf : "", 0}, true, &recs[(*n)++]);
  }
  /* make sure a whole line is in the buffer before the batch: the views must not move during it */
  if (!rd->mem && !rd->eof && !memchr(rd->buf + rd->pos, '\n', rd->len - rd->pos)) {
    bool too_long;
    if (!next_line(rd, &line, &too_long)) goto end;
    if (line.n || too_long) parse_line(rd, line, too_long, &recs[(*n)++]);
  }
  bool native = rd->opts.format == WARDEN_CDR_NATIVE;
  while (*n < max) {
    if (rd->scratch_used + 64 * 1024 > rd->scratch_cap) break;
#ifdef IX_WIDE
    int fast = !native ? 0 : rd->ix_wide ? fast_line(rd, &line) : fast_line_bytes(rd, &line);
#else
    int fast = native ? fast_line_bytes(rd, &line) : 0;
#endif
    if (fast > 0) {
      if (line.n) {
        warden_cdr *r = &recs[(*n)++];
        rd->raw = line;
        r->line = rd->line;
        r->raw = line;
        r->reject = parse_native(rd, r, rd->buf + rd->len) ? rd->reason : NULL;
      }
      continue;
    }
    /* stop where the next line would need a refill */
    if (!rd->mem && !rd->eof && (fast < 0 || !memchr(rd->buf + rd->pos, '\n', rd->len - rd->pos))) break;
    bool too_long;
    if (!next_line(rd, &line, &too_long)) break;
    if (line.n == 0 && !too_long) continue;
    parse_line(rd, line, too_long, &recs[(*n)++]);
  }
end:
  if (rd->fp && ferror(rd->fp)) {
    snprintf(rd->err, sizeof rd->err, "%s: read error: %s", rd->name, strerror(errno));
    return WARDEN_ERR_IO;
  }
  return WARDEN_OK;
}

/* Whether readers of this process use the index: the processor has AVX-512 BW and VBMI2, and
 * WARDEN_CDR_NO_AVX512 (the tests' way to the byte loop) is not set. Asked once an input, not a
 * chunk: a chunk's reader takes its input's answer. */
static bool ix_wide_here(void) {
#ifdef IX_WIDE
  return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2") && !getenv("WARDEN_CDR_NO_AVX512");
#else
  return false;
#endif
}

static warden_status start(warden_cdr_reader *rd, char *err, size_t errcap) {
  warden_strview line;
  bool too_long;
  /* skip a BOM */
  if (rd->len - rd->pos >= 3 && !memcmp(rd->buf + rd->pos, "\xEF\xBB\xBF", 3)) rd->pos += 3;
  if (rd->opts.format == WARDEN_CDR_ASTERISK) {
    /* peek at the first line: a native header means the wrong format was named */
    const char *nl = memchr(rd->buf + rd->pos, '\n', rd->len - rd->pos);
    size_t n = nl ? (size_t)(nl - rd->buf - rd->pos) : rd->len - rd->pos;
    bool native_header = false;
    for (size_t i = 0; i + 7 <= n && !native_header; i++) native_header = !memcmp(rd->buf + rd->pos + i, "call_id", 7);
    if (native_header && rd->buf[rd->pos] != '"') {
      snprintf(err, errcap, "%s:1: this is native CSV (a header naming call_id), not Asterisk: use --format native", rd->name);
      return WARDEN_ERR_PARSE;
    }
    return WARDEN_OK;
  }
  if (!next_line(rd, &line, &too_long) || line.n == 0) {
    snprintf(err, errcap, "%s: empty: native call records need a header row (cdr.md §1)", rd->name);
    return WARDEN_ERR_PARSE;
  }
  if (!split(rd, line) || too_long) {
    snprintf(err, errcap, "%s:1: the header row cannot be read", rd->name);
    return WARDEN_ERR_PARSE;
  }
  if (line.p[0] == '"' && rd->nf >= 16) {
    snprintf(err, errcap, "%s:1: this looks like Asterisk's Master.csv (quoted, no header): use --format asterisk", rd->name);
    return WARDEN_ERR_PARSE;
  }
  rd->ncols = rd->nf;
  for (int i = 0; i < rd->nf; i++) {
    char name[64];
    uint32_t n = rd->f[i].n < sizeof name - 1 ? rd->f[i].n : (uint32_t)sizeof name - 1;
    for (uint32_t k = 0; k < n; k++) name[k] = (char)((rd->f[i].p[k] >= 'A' && rd->f[i].p[k] <= 'Z') ? rd->f[i].p[k] + 32 : rd->f[i].p[k]);
    name[n] = '\0';
    for (int c = 0; c < C__COUNT; c++)
      if (!strcmp(name, col_names[c])) rd->col[c] = i;
  }
  for (int c = 0; c < C__COUNT; c++)
    if (col_required[c] && rd->col[c] < 0) {
      snprintf(err, errcap, "%s:1: the header lacks the column '%s' (cdr.md §1)", rd->name, col_names[c]);
      return WARDEN_ERR_PARSE;
    }
  return WARDEN_OK;
}

warden_status warden_cdr_open(warden_cdr_reader **out, const char *path, const warden_cdr_opts *opts, char *err,
                              size_t errcap) {
  warden_cdr_reader *rd;
  *out = NULL;
  if (reader_new(&rd, path, opts)) return WARDEN_ERR_NOMEM;
  rd->ix_wide = ix_wide_here();
  bool is_stdin = !strcmp(path, "-");
  rd->fp = is_stdin ? stdin : fopen(path, "rb");
  if (!rd->fp) {
    snprintf(err, errcap, "%s: %s", path, strerror(errno));
    warden_cdr_close(rd);
    return WARDEN_ERR_IO;
  }
  rd->own_fp = !is_stdin;
  struct stat sb;
  if (!is_stdin && fstat(fileno(rd->fp), &sb) == 0 && S_ISREG(sb.st_mode)) rd->total = (uint64_t)sb.st_size;
  rd->cap = CDR_BUF;
  rd->buf = malloc(rd->cap);
  if (!rd->buf) {
    warden_cdr_close(rd);
    return WARDEN_ERR_NOMEM;
  }
  rd->len = fread(rd->buf, 1, rd->cap, rd->fp);
  if (rd->len < rd->cap) rd->eof = feof(rd->fp) || rd->len == 0;
  warden_status st = start(rd, err, errcap);
  if (st) {
    warden_cdr_close(rd);
    return st;
  }
  *out = rd;
  return WARDEN_OK;
}

/* The reader's input is len bytes at data (which must outlive it), all there at once. */
static void read_from_memory(warden_cdr_reader *rd, const void *data, size_t len) {
  rd->buf = (char *)(data ? data : ""); /* never written: memory readers never refill */
  rd->len = rd->cap = len;
  rd->eof = rd->mem = true;
  rd->total = len;
}

warden_status warden_cdr_open_mem(warden_cdr_reader **out, const void *data, size_t len, const warden_cdr_opts *opts,
                                  char *err, size_t errcap) {
  warden_cdr_reader *rd;
  *out = NULL;
  if (reader_new(&rd, "<memory>", opts)) return WARDEN_ERR_NOMEM;
  rd->ix_wide = ix_wide_here();
  read_from_memory(rd, data, len);
  warden_status st = start(rd, err, errcap);
  if (st) {
    warden_cdr_close(rd);
    return st;
  }
  *out = rd;
  return WARDEN_OK;
}

const char *warden_cdr_error(const warden_cdr_reader *rd) { return rd->err; }

unsigned long warden_cdr_lines(const warden_cdr_reader *rd) { return rd->line; }

/* Reads straight into the chunk (the kernel's copy is the only one): the bytes the reader still
 * holds first, then fread; the partial line at the end goes back into the reader's buffer. A line
 * that would not fit there (CDR_BUF bytes or more, as next_line judges) is skipped to its end and
 * reported as a chunk of its own, after the whole lines before it. */
warden_status warden_cdr_read_chunk(warden_cdr_reader *rd, char **buf, size_t *cap, size_t *len, size_t want, bool *too_long) {
  *len = 0;
  *too_long = false;
  if (rd->mem) return WARDEN_ERR_USAGE;
  for (;;) {
    if (rd->long_line) {
      if (!rd->eof) skip_line_rest(rd);
      rd->long_line = false;
      *too_long = true;
      return WARDEN_OK;
    }
    size_t pending = rd->len - rd->pos, need = *len + pending + want + 1;
    if (need > *cap) {
      char *nb = realloc(*buf, need);
      if (!nb) return WARDEN_ERR_NOMEM;
      *buf = nb;
      *cap = need;
    }
    memcpy(*buf + *len, rd->buf + rd->pos, pending);
    *len += pending;
    rd->pos = rd->len = 0;
    rd->ix_valid = false;
    size_t got = rd->eof ? 0 : fread(*buf + *len, 1, want, rd->fp);
    if (got == 0) {
      if (rd->fp && ferror(rd->fp)) {
        snprintf(rd->err, sizeof rd->err, "%s: read error: %s", rd->name, strerror(errno));
        return WARDEN_ERR_IO;
      }
      rd->eof = true;
    }
    *len += got;
    size_t end = *len;
    while (end > 0 && (*buf)[end - 1] != '\n') end--;
    size_t tail = *len - end; /* the last line so far, without its end */
    if (tail >= rd->cap) {
      rd->consumed += tail;
      rd->long_line = true;
      *len = end;
      if (end) break; /* the whole lines first; the long one at the next call */
      continue;
    }
    if (rd->eof) break; /* the last line may lack its end */
    if (end > 0) { /* whole lines: the rest waits in the reader */
      rd->len = tail;
      memcpy(rd->buf, *buf + end, tail);
      *len = end;
      break;
    }
  }
  rd->consumed += *len;
  return WARDEN_OK;
}

warden_status warden_cdr_open_chunk(warden_cdr_reader **out, const warden_cdr_reader *proto, const char *text, size_t len,
                                    bool too_long) {
  warden_cdr_reader *rd;
  warden_cdr_opts o = proto->opts;
  *out = NULL;
  o.inbound_contexts = NULL; /* proto's is already the ",a,b," list: copied as it is below */
  if (reader_new(&rd, proto->name, &o)) return WARDEN_ERR_NOMEM;
  rd->ix_wide = proto->ix_wide;
  if (proto->opts.inbound_contexts) {
    memcpy(rd->inbound, proto->inbound, sizeof rd->inbound);
    rd->opts.inbound_contexts = rd->inbound;
  }
  /* unquoted fields fit in their line, a made call id (24 bytes) in the 15 commas of its line */
  size_t scap = len * 3 + (64u << 10) + 64;
  char *sc = realloc(rd->scratch, scap);
  if (!sc) {
    warden_cdr_close(rd);
    return WARDEN_ERR_NOMEM;
  }
  rd->scratch = sc;
  rd->scratch_cap = scap;
  rd->keep_scratch = true;
  rd->chunk_too_long = too_long;
  memcpy(rd->col, proto->col, sizeof rd->col);
  rd->ncols = proto->ncols;
  read_from_memory(rd, text, len);
  *out = rd;
  return WARDEN_OK;
}

const char *warden_cdr_reason(const warden_cdr_reader *rd) { return rd->reason ? rd->reason : "unknown"; }
warden_strview warden_cdr_raw(const warden_cdr_reader *rd) { return rd->raw; }

void warden_cdr_progress(const warden_cdr_reader *rd, uint64_t *done, uint64_t *total) {
  *done = rd->consumed;
  *total = rd->total;
}

void warden_cdr_close(warden_cdr_reader *rd) {
  if (!rd) return;
  if (rd->own_fp && rd->fp) fclose(rd->fp);
  if (!rd->mem) free(rd->buf);
  free(rd->scratch);
  free(rd->ix_sep);
  free(rd);
}
