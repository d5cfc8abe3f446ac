/* text.c — UTF-8 validation, full-width folding, masking of personal data, integer parsing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Decodes one code point; returns its length or 0 when malformed. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  if (n == 0) return 0;
  unsigned c = s[0];
  if (c < 0x80) { *cp = c; return 1; }
  size_t len;
  uint32_t min, v;
  if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
  else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
  else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
  else return 0;
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

bool warden_utf8_valid(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i + 8 <= n) { /* ASCII, eight bytes at a time: the common case of call records */
    uint64_t w;
    memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < n) {
    if (p[i] < 0x80) { i++; continue; }
    uint32_t cp;
    size_t l = utf8_decode(p + i, n - i, &cp);
    if (!l) return false;
    i += l;
  }
  return true;
}

bool warden_text_fold(const char *s, size_t n, char *out, size_t cap, size_t *outlen) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, o = 0;
  if (cap == 0) return false;
  while (i < n) {
    uint32_t cp;
    size_t l = utf8_decode(p + i, n - i, &cp);
    if (!l) return false;
    char ascii = 0;
    if (cp >= 0xFF01 && cp <= 0xFF5E) ascii = (char)(cp - 0xFEE0);
    else if (cp == 0x3000) ascii = ' ';
    else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0x30FC) ascii = '-';
    if (ascii || cp < 0x80) {
      if (o + 1 >= cap) return false;
      out[o++] = ascii ? ascii : (char)cp;
    } else {
      if (o + l >= cap) return false;
      memcpy(out + o, p + i, l);
      o += l;
    }
    i += l;
  }
  out[o] = '\0';
  if (outlen) *outlen = o;
  return true;
}

void warden_mask(const char *s, char *out, size_t cap) {
  /* counted in characters, so that a free-form number in Chinese is never cut mid-character */
  const unsigned char *p = (const unsigned char *)s;
  size_t bytes = strlen(s), n = 0, o = 0, i = 0;
  uint32_t cp;
  for (size_t k = 0; k < bytes; n++) {
    size_t l = utf8_decode(p + k, bytes - k, &cp);
    k += l ? l : 1;
  }
  size_t keep = n >= 12 ? 4 : n >= 8 ? 2 : n >= 3 ? 1 : 0;
  if (cap == 0) return;
  for (size_t c = 0; i < bytes; c++) {
    size_t l = utf8_decode(p + i, bytes - i, &cp);
    if (!l) l = 1;
    bool shown = c < keep || c >= n - keep;
    size_t need = shown ? l : 1;
    if (o + need >= cap) break;
    if (shown) memcpy(out + o, p + i, l);
    else out[o] = '*';
    o += need;
    i += l;
  }
  out[o] = '\0';
}

void warden_mask_name(const char *s, char *out, size_t cap) {
  size_t n = strlen(s), o = 0, i = 0;
  uint32_t cp;
  if (cap == 0) return;
  size_t l = utf8_decode((const unsigned char *)s, n, &cp);
  if (l == 0) l = n ? 1 : 0;
  for (; i < l && o + 1 < cap; i++) out[o++] = s[i];
  while (i < n && o + 1 < cap) {
    size_t k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
    i += k ? k : 1;
    out[o++] = '*';
  }
  out[o] = '\0';
}

bool warden_parse_i64(const char *s, int64_t *out) {
  if (!s || !*s) return false;
  errno = 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (errno || *end) return false;
  *out = v;
  return true;
}

/* ---- money: integer fen ---- */
bool warden_money_parse(const char *s, int64_t *fen) {
  if (!s) return false;
  while (*s == ' ') s++;
  uint64_t whole = 0;
  int ndig = 0, frac = 0, nfrac = 0;
  for (; *s >= '0' && *s <= '9'; s++, ndig++) {
    if (whole > (uint64_t)INT64_MAX / 10) return false;
    whole = whole * 10 + (uint64_t)(*s - '0');
  }
  if (!ndig) return false;
  if (*s == '.') {
    s++;
    for (; *s >= '0' && *s <= '9'; s++) {
      if (++nfrac > 2) return false;
      frac = frac * 10 + (*s - '0');
    }
    if (!nfrac) return false;
    if (nfrac == 1) frac *= 10;
  }
  while (*s == ' ') s++;
  size_t ul = strlen(s);
  while (ul && s[ul - 1] == ' ') ul--;
  if (ul == 0 || (ul == 4 && !memcmp(s, "yuan", 4))) { /* a bare amount is in yuan */
    if (whole > ((uint64_t)INT64_MAX - 99) / 100) return false;
    *fen = (int64_t)(whole * 100 + (uint64_t)frac);
    return true;
  }
  if (ul == 3 && !memcmp(s, "fen", 3) && !nfrac) {
    *fen = (int64_t)whole;
    return true;
  }
  return false;
}

void warden_money_format(int64_t fen, char *out, size_t cap) {
  uint64_t m = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
  snprintf(out, cap, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(m / 100), (unsigned long long)(m % 100));
}
