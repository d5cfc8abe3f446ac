/* csv.c — the RFC 4180 reader: streaming, line-numbered, size-capped, recoverable per record.
 *
 * State machine, one byte at a time (the unquoted run is copied in spans):
 *
 *   state           byte        next state        effect
 *   --------------  ----------  ----------------  ---------------------------------------
 *   FIELD_START     "           QUOTED
 *   FIELD_START     , or LF     FIELD_START       end field (empty) / end record
 *   FIELD_START     other       UNQUOTED          append
 *   UNQUOTED        ,           FIELD_START       end field
 *   UNQUOTED        LF          -                 end record (a CR before LF is dropped)
 *   UNQUOTED        "           UNQUOTED          record is bad: stray quote
 *   QUOTED          "           QUOTE_SEEN
 *   QUOTED          other       QUOTED            append (LF counts a line)
 *   QUOTE_SEEN      "           QUOTED            append one quote
 *   QUOTE_SEEN      , / LF      FIELD_START / -   end field / end record
 *   QUOTE_SEEN      CR          QUOTE_SEEN        (only before LF)
 *   QUOTE_SEEN      other       QUOTED            record is bad: text after closing quote
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define CSV_READ_CHUNK (256 * 1024)
#define CSV_MAX_FIELDS 4096

enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN };

static warden_status csv_setup(warden_csv *c, const char *name, size_t max_field) {
  memset(c, 0, sizeof *c);
  snprintf(c->name, sizeof c->name, "%s", name);
  c->max_field = max_field ? max_field : WARDEN_CSV_MAX_FIELD_DEFAULT;
  c->next_line = 1;
  c->at_start = true;
  warden_buf_init(&c->rec, c->max_field * 4 + 4096);
  c->fcap = 32;
  c->off = malloc(c->fcap * sizeof *c->off);
  c->flen = malloc(c->fcap * sizeof *c->flen);
  if (!c->off || !c->flen) {
    free(c->off);
    free(c->flen);
    return WARDEN_ERR_NOMEM;
  }
  return WARDEN_OK;
}

warden_status warden_csv_open_fp(warden_csv *c, FILE *fp, const char *name, size_t max_field) {
  warden_status st = csv_setup(c, name, max_field);
  if (st) return st;
  c->fp = fp;
  c->in_cap = CSV_READ_CHUNK;
  c->in = malloc(c->in_cap);
  if (!c->in) {
    warden_csv_close(c);
    return WARDEN_ERR_NOMEM;
  }
  return WARDEN_OK;
}

warden_status warden_csv_open(warden_csv *c, const char *path, size_t max_field) {
  FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!fp) {
    int e = errno;
    memset(c, 0, sizeof *c);
    snprintf(c->err, sizeof c->err, "%s: %s", path, strerror(e));
    return WARDEN_ERR_IO;
  }
  warden_status st = warden_csv_open_fp(c, fp, path, max_field);
  if (st) {
    if (fp != stdin) fclose(fp);
    return st;
  }
  c->own_fp = fp != stdin;
  return WARDEN_OK;
}

warden_status warden_csv_open_mem(warden_csv *c, const void *data, size_t len, size_t max_field) {
  warden_status st = csv_setup(c, "<memory>", max_field);
  if (st) return st;
  c->in = (char *)data; /* never written: fp is NULL so refill never reads into it */
  c->in_len = len;
  c->eof = true;
  return WARDEN_OK;
}

void warden_csv_close(warden_csv *c) {
  if (c->own_fp && c->fp) fclose(c->fp);
  if (c->fp) free(c->in);
  warden_buf_release(&c->rec);
  free(c->off);
  free(c->flen);
  c->fp = NULL;
  c->in = NULL;
  c->off = c->flen = NULL;
}

static warden_status csv_refill(warden_csv *c) {
  if (c->eof || !c->fp) {
    c->eof = true;
    return WARDEN_OK;
  }
  size_t n = fread(c->in, 1, c->in_cap, c->fp);
  if (n == 0) {
    if (ferror(c->fp)) {
      snprintf(c->err, sizeof c->err, "%s: read error: %s", c->name, strerror(errno));
      return WARDEN_ERR_IO;
    }
    c->eof = true;
  }
  c->in_len = n;
  c->in_pos = 0;
  return WARDEN_OK;
}

static warden_status field_end(warden_csv *c) {
  if (c->nfields == c->fcap) {
    if (c->fcap >= CSV_MAX_FIELDS) return WARDEN_ERR_TOO_BIG;
    size_t nc = c->fcap * 2;
    size_t *o = realloc(c->off, nc * sizeof *o);
    if (!o) return WARDEN_ERR_NOMEM;
    c->off = o;
    size_t *l = realloc(c->flen, nc * sizeof *l);
    if (!l) return WARDEN_ERR_NOMEM;
    c->flen = l;
    c->fcap = nc;
  }
  size_t start = c->nfields ? c->off[c->nfields - 1] + c->flen[c->nfields - 1] + 1 : 0;
  c->off[c->nfields] = start;
  c->flen[c->nfields] = c->rec.len - start;
  c->nfields++;
  return warden_buf_addc(&c->rec, '\0');
}

warden_status warden_csv_next(warden_csv *c, bool *got) {
  *got = false;
  c->err[0] = '\0';
  for (;;) { /* one record per pass; blank lines loop */
    int state = FIELD_START;
    const char *bad = NULL;
    size_t flen = 0; /* bytes in the current field */
    bool any = false, cr_pending = false;
    warden_buf_reset(&c->rec);
    c->nfields = 0;
    c->line = c->next_line;

    for (;;) {
      if (c->in_pos == c->in_len) {
        warden_status st = csv_refill(c);
        if (st) return st;
        if (c->in_pos == c->in_len) break; /* end of input */
      }
      if (c->at_start) {
        c->at_start = false;
        if (c->in_len - c->in_pos >= 3 && memcmp(c->in + c->in_pos, "\xEF\xBB\xBF", 3) == 0) {
          c->in_pos += 3;
          continue;
        }
      }
      char ch = c->in[c->in_pos++];
      any = true;
      if (ch == '\0' && !bad) bad = "NUL byte in the record";
      if (ch == '\n') c->next_line++;
      if (cr_pending && ch != '\n') {
        if (!bad) bad = "carriage return inside a record";
        cr_pending = false;
      }
      switch (state) {
      case FIELD_START:
      case UNQUOTED:
        if (ch == '"') {
          if (state == FIELD_START) { state = QUOTED; continue; }
          if (!bad) bad = "stray quote inside an unquoted field";
          continue;
        }
        if (ch == ',' || ch == '\n') {
          if (ch == '\n' && flen && c->rec.data[c->rec.len - 1] == '\r') { c->rec.len--; }
          goto separator;
        }
        state = UNQUOTED;
        { /* the run of ordinary bytes from here, copied at once (NUL, quotes, commas and line
           * ends still go through the state machine one by one) */
          const char *from = c->in + c->in_pos - 1, *end = c->in + c->in_len, *q = from + 1;
          while (q < end && *q != ',' && *q != '\n' && *q != '"' && *q != '\0') q++;
          size_t run = (size_t)(q - from);
          if (run > 1 && flen + run <= c->max_field && !bad && c->rec.len + run < c->rec.max &&
              warden_buf_add(&c->rec, from, run) == WARDEN_OK) {
            flen += run;
            c->in_pos += run - 1;
            continue;
          }
        }
        goto append;
      case QUOTED:
        if (ch == '"') { state = QUOTE_SEEN; continue; }
        goto append;
      case QUOTE_SEEN:
        if (ch == '"') { state = QUOTED; goto append; }
        if (ch == '\r') { cr_pending = true; continue; }
        cr_pending = false;
        if (ch == ',' || ch == '\n') goto separator;
        if (!bad) bad = "text after a closing quote";
        state = QUOTED;
        goto append;
      }
    separator: /* a comma or a line feed outside quotes ends the field, a line feed the record */
      {
        warden_status st = field_end(c);
        if (st == WARDEN_ERR_TOO_BIG) { bad = "too many fields"; c->nfields = 0; }
        else if (st) return st;
      }
      flen = 0;
      state = FIELD_START;
      if (ch == '\n') goto record_done;
      continue;
    append:
      if (flen >= c->max_field) {
        if (!bad) bad = "field too long";
        continue;
      }
      if (c->rec.data && c->rec.len + 1 < c->rec.cap && c->rec.len < c->rec.max) { /* room, under the cap */
        c->rec.data[c->rec.len++] = ch;
        c->rec.data[c->rec.len] = '\0';
      } else if (warden_buf_addc(&c->rec, ch)) {
        if (!bad) bad = "record too long";
        continue;
      }
      flen++;
    }
    /* end of input */
    if (!any) return WARDEN_OK;
    if (state == QUOTED) {
      snprintf(c->err, sizeof c->err, "%s:%lu: quote opened here is never closed", c->name, c->line);
      c->in_pos = c->in_len;
      return WARDEN_ERR_PARSE;
    }
    if (state == UNQUOTED && flen && c->rec.data[c->rec.len - 1] == '\r') c->rec.len--;
    {
      warden_status st = field_end(c);
      if (st == WARDEN_ERR_TOO_BIG) { bad = "too many fields"; c->nfields = 0; }
      else if (st) return st;
    }
  record_done:
    if (bad) {
      if (strcmp(bad, "field too long") == 0)
        snprintf(c->err, sizeof c->err, "%s:%lu: a field is longer than %zu bytes", c->name, c->line,
                 c->max_field);
      else
        snprintf(c->err, sizeof c->err, "%s:%lu: %s", c->name, c->line, bad);
      return WARDEN_ERR_PARSE;
    }
    if (c->nfields == 1 && c->flen[0] == 0) continue; /* blank line */
    for (size_t i = 0; i < c->nfields; i++) {
      if (!warden_utf8_valid(warden_csv_field(c, i), c->flen[i])) {
        snprintf(c->err, sizeof c->err, "%s:%lu: field %zu is not valid UTF-8", c->name, c->line, i + 1);
        return WARDEN_ERR_PARSE;
      }
    }
    *got = true;
    return WARDEN_OK;
  }
}

warden_status warden_csv_header_take(warden_csv_header *h, const warden_csv *c) {
  h->n = 0;
  h->names = calloc(c->nfields ? c->nfields : 1, sizeof *h->names);
  if (!h->names) return WARDEN_ERR_NOMEM;
  for (size_t i = 0; i < c->nfields; i++) {
    const char *f = warden_csv_field(c, i);
    size_t n = c->flen[i];
    while (n && (*f == ' ' || *f == '\t')) { f++; n--; }
    while (n && (f[n - 1] == ' ' || f[n - 1] == '\t')) n--;
    char *s = malloc(n + 1);
    if (!s) {
      warden_csv_header_release(h);
      return WARDEN_ERR_NOMEM;
    }
    for (size_t k = 0; k < n; k++) s[k] = (f[k] >= 'A' && f[k] <= 'Z') ? (char)(f[k] + 32) : f[k];
    s[n] = '\0';
    h->names[h->n++] = s;
  }
  return WARDEN_OK;
}

void warden_csv_header_release(warden_csv_header *h) {
  for (size_t i = 0; i < h->n; i++) free(h->names[i]);
  free(h->names);
  h->names = NULL;
  h->n = 0;
}

int warden_csv_header_find(const warden_csv_header *h, const char *name) {
  for (size_t i = 0; i < h->n; i++)
    if (strcmp(h->names[i], name) == 0) return (int)i;
  return -1;
}
