/* normalize.c — ASSOC-KEYS: every key type normalised so that two written forms of one fact are one
 * key, placeholders recognised, values masked for output. Pure and thread-safe (the region index is
 * built once, under pthread_once). */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../kyc/kyc.h"
#include "../policy/policy.h"
#include "link.h"

static const char *const type_names[WARDEN_LINK__COUNT] = {
    "doc", "phone", "email", "domain_holder", "payment", "device", "ip", "address",
    "legal_rep", "contact", "executive", "equity"};
static const char *const class_names[WARDEN_LINK_CLASS__COUNT] = {
    "doc", "phone", "email", "domain_holder", "payment", "device", "ip", "address", "person"};

const char *warden_link_type_name(warden_link_type t) {
  return (unsigned)t < WARDEN_LINK__COUNT ? type_names[t] : "?";
}

warden_link_type warden_link_type_parse(const char *name) {
  for (int t = 0; t < WARDEN_LINK_EQUITY; t++)
    if (!strcmp(name, type_names[t])) return (warden_link_type)t;
  return WARDEN_LINK__COUNT;
}

const char *warden_link_class_name(warden_link_class c) {
  return (unsigned)c < WARDEN_LINK_CLASS__COUNT ? class_names[c] : "?";
}

void warden_link_opts_default(warden_link_opts *o) {
  memset(o, 0, sizeof *o);
  o->hub_cap = 50;
  o->ipv4_prefix = 32;
  o->ipv6_prefix = 128;
  o->today = WARDEN_NO_DATE;
}

warden_status warden_link_opts_from_policy(warden_link_opts *o, const warden_policy *p, char *err, size_t errcap) {
  int64_t cap = warden_policy_get(p, "link", "hub_cap"), v4 = warden_policy_get(p, "link", "ipv4_prefix"),
          v6 = warden_policy_get(p, "link", "ipv6_prefix"), share = warden_policy_get(p, "link", "min_share");
  if (cap < 1 || cap > UINT32_MAX) {
    snprintf(err, errcap, "link.hub_cap = %lld: expected 1 or more", (long long)cap);
    return WARDEN_ERR_RANGE;
  }
  if (v4 < 1 || v4 > 32 || v6 < 1 || v6 > 128) {
    snprintf(err, errcap, "link.ipv4_prefix = %lld, link.ipv6_prefix = %lld: expected 1..32 and 1..128", (long long)v4,
             (long long)v6);
    return WARDEN_ERR_RANGE;
  }
  if (share > 1000) {
    snprintf(err, errcap, "link.min_share = %lld permille: expected 0..1000", (long long)share);
    return WARDEN_ERR_RANGE;
  }
  o->hub_cap = (uint32_t)cap;
  o->ipv4_prefix = (int)v4;
  o->ipv6_prefix = (int)v6;
  o->min_share_ppm = (uint32_t)share * 1000;
  return WARDEN_OK;
}

/* ---- UTF-8 ---- */
static size_t dec(const unsigned char *p, size_t n, uint32_t *cp) {
  if (!n) return 0;
  if (p[0] < 0x80) { *cp = p[0]; return 1; }
  size_t l = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
  if (l > n) return 0;
  uint32_t c = p[0] & (0x3F >> (l - 1));
  for (size_t i = 1; i < l; i++) c = (c << 6) | (p[i] & 0x3F);
  *cp = c;
  return l;
}

static size_t enc(uint32_t cp, char *o) {
  if (cp < 0x80) { o[0] = (char)cp; return 1; }
  if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Letters and digits of any script are kept; everything else (spaces, punctuation, symbols) goes. */
static bool is_word(uint32_t cp) {
  if (cp < 0x80) return isalnum((int)cp) != 0;
  if (cp == 0x00B7 || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF65) || cp == 0x30FB)
    return false;
  return true;
}

static bool ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) return false;
  return true;
}

/* Full-width forms folded, unless the text is plain ASCII already (most values). */
static bool fold(const char *s, size_t n, char *out, size_t cap, size_t *len) {
  if (n < cap && ascii(s, n)) {
    memcpy(out, s, n);
    out[n] = '\0';
    *len = n;
    return true;
  }
  return warden_text_fold(s, n, out, cap, len);
}

/* Folds full-width forms to ASCII, keeps letters and digits (ASCII upper-cased), drops the rest. */
static bool fold_word(const char *s, size_t n, char *out, size_t cap, size_t *len) {
  char tmp[WARDEN_LINK_VALUE_MAX * 2];
  size_t tl, o = 0;
  if (!fold(s, n, tmp, sizeof tmp, &tl)) return false;
  for (size_t i = 0; i < tl;) {
    uint32_t cp;
    size_t l = dec((const unsigned char *)tmp + i, tl - i, &cp);
    if (!l) return false;
    if (is_word(cp)) {
      if (o + l >= cap) return false;
      if (cp < 0x80) out[o++] = (char)toupper((int)cp);
      else { memcpy(out + o, tmp + i, l); o += l; }
    }
    i += l;
  }
  out[o] = '\0';
  *len = o;
  return true;
}

/* Junk that fills a form when the real value is not known: compared after fold_word. */
static const char *const junk_words[] = {
    "", "0", "NULL", "NIL", "NONE", "NA", "UNKNOWN", "UNKNOW", "TEST", "XXX", "XX", "X", "TBD", "DEFAULT",
    "无", "未知", "不详", "暂无", "空", "没有", "测试", "待定", "其他"};

static bool is_junk(const char *s, size_t n) {
  char w[WARDEN_LINK_VALUE_MAX];
  size_t wl;
  if (n >= 40) return false;
  /* fast path: the junk words hold no digit but "0" */
  size_t digits = 0;
  for (size_t i = 0; i < n; i++) digits += s[i] >= '0' && s[i] <= '9';
  if (digits && n > 1 && !(digits == 1 && n <= 3)) return false;
  if (!fold_word(s, n, w, sizeof w, &wl)) return false;
  for (size_t i = 0; i < sizeof junk_words / sizeof junk_words[0]; i++)
    if (!strcmp(w, junk_words[i])) return true;
  return false;
}

/* Whole string one repeated byte (00000000, FFFFFFFF, 13333333333 is not). */
static bool all_same(const char *s, size_t n) {
  if (n == 0) return true;
  for (size_t i = 1; i < n; i++)
    if (s[i] != s[0]) return false;
  return true;
}

static void trim(const char **s, size_t *n) {
  while (*n && isspace((unsigned char)**s)) { (*s)++; (*n)--; }
  while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

static warden_link_norm invalid(warden_link_key *k, const char *why) {
  k->why = why;
  k->value[0] = '\0';
  k->len = 0;
  return WARDEN_LINK_NORM_INVALID;
}

static warden_link_norm set(warden_link_key *k, warden_link_class c, const char *v, size_t n, bool placeholder) {
  if (n >= sizeof k->value) return invalid(k, "value too long");
  k->cls = c;
  memcpy(k->value, v, n);
  k->value[n] = '\0';
  k->len = n;
  k->why = NULL;
  return placeholder ? WARDEN_LINK_NORM_PLACEHOLDER : WARDEN_LINK_NORM_KEY;
}

/* ---- documents: through the KYC parsers ---- */
static warden_link_norm norm_doc(const char *v, size_t n, const warden_link_opts *o, bool known_type,
                                 warden_link_key *k) {
  warden_kyc_input in;
  warden_kyc_result r;
  char key[96];
  memset(&in, 0, sizeof in);
  in.number = v;
  in.len = n;
  in.today = o && o->today != WARDEN_NO_DATE ? o->today : warden_date_from_ymd(2026, 1, 1);
  in.expiry = in.issued = in.holder_birth = WARDEN_NO_DATE;
  if (is_junk(v, n)) return set(k, WARDEN_LINK_CLASS_DOC, "", 0, true);
  warden_kyc_check(&in, &r);
  if (r.assumed && r.verdict == WARDEN_VERDICT_INVALID && strlen(r.normalized) == 18) {
    /* an all-digit credit code reads as a foreign permanent-residence number first */
    warden_kyc_result u;
    in.type = WARDEN_DOC_USCC;
    if (warden_kyc_check(&in, &u) == WARDEN_VERDICT_VALID) r = u;
  }
  size_t nl = strlen(r.normalized);
  bool zeros = true;
  for (size_t i = 0; i < nl; i++) zeros &= r.normalized[i] == '0';
  if (nl && zeros) return set(k, WARDEN_LINK_CLASS_DOC, r.normalized, nl, true);
  if ((known_type && r.type == WARDEN_DOC_UNKNOWN) || !warden_kyc_match_key(&r, key, sizeof key))
    return invalid(k, "not a document number");
  return set(k, WARDEN_LINK_CLASS_DOC, key, strlen(key), false);
}

/* ---- phones: national digits ---- */
static warden_link_norm norm_phone(const char *v, size_t n, warden_link_key *k) {
  char f[WARDEN_LINK_VALUE_MAX], d[64];
  size_t fl, dl = 0;
  if (!fold(v, n, f, sizeof f, &fl)) return invalid(k, "not valid UTF-8");
  bool plus = false;
  for (size_t i = 0; i < fl; i++) {
    char c = f[i];
    if (c >= '0' && c <= '9') {
      if (dl + 2 >= sizeof d) return invalid(k, "too many digits for a phone number");
      d[dl++] = c;
    } else if (c == '+' && dl == 0) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.' && c != '\t') {
      if (is_junk(v, n)) return set(k, WARDEN_LINK_CLASS_PHONE, "", 0, true);
      return invalid(k, "a phone number has only digits, spaces, dashes and a leading +");
    }
  }
  d[dl] = '\0';
  char *p = d;
  if (dl > 4 + 6 && !memcmp(p, "0086", 4)) p += 4;
  else if (plus && dl > 2 && !memcmp(p, "86", 2)) p += 2;
  else if (plus) return invalid(k, "not a Chinese number (+86)");
  else if (dl == 13 && !memcmp(p, "861", 3)) p += 2; /* 86 138 1234 5678 written without + */
  size_t pl = strlen(p);
  if (pl == 0 || all_same(p, pl)) return set(k, WARDEN_LINK_CLASS_PHONE, p, pl, true);
  if (pl < 5) return invalid(k, "too short for a phone number");
  /* an area code written internationally (+86 20 …) gains its trunk 0 */
  char out[64];
  bool trunk = p != d && p[0] != '1' && p[0] != '0' && strncmp(p, "400", 3) && strncmp(p, "800", 3);
  snprintf(out, sizeof out, "%s%s", trunk ? "0" : "", p);
  return set(k, WARDEN_LINK_CLASS_PHONE, out, strlen(out), false);
}

/* ---- e-mail: case-folded ---- */
static const char *const junk_local[] = {"none", "null", "unknown", "noemail", "no-email", "nomail", "noreply",
                                         "no-reply", "test", "nobody", "na", "n/a", "x", "xxx", "123456"};

static warden_link_norm norm_email(const char *v, size_t n, warden_link_key *k) {
  char f[WARDEN_LINK_VALUE_MAX];
  size_t fl, o = 0;
  if (!fold(v, n, f, sizeof f, &fl)) return invalid(k, "not valid UTF-8");
  for (size_t i = 0; i < fl; i++) {
    unsigned char c = (unsigned char)f[i];
    if (isspace(c)) continue;
    f[o++] = (char)tolower(c);
  }
  f[o] = '\0';
  char *at = strchr(f, '@');
  if (!at || at == f || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.')) {
    if (is_junk(v, n)) return set(k, WARDEN_LINK_CLASS_EMAIL, "", 0, true);
    return invalid(k, "not an e-mail address");
  }
  bool junk = false;
  for (size_t i = 0; i < sizeof junk_local / sizeof junk_local[0]; i++)
    junk |= strlen(junk_local[i]) == (size_t)(at - f) && !memcmp(f, junk_local[i], (size_t)(at - f));
  return set(k, WARDEN_LINK_CLASS_EMAIL, f, o, junk);
}

/* ---- folded words: domain holders, payment accounts, devices ---- */
static const char *const privacy_holders[] = {"REDACTEDFORPRIVACY", "WHOISPRIVACY", "PRIVACYPROTECT",
                                              "DOMAINSBYPROXY", "DATAPROTECTED", "CONTACTPRIVACY",
                                              "隐私保护", "域名隐私保护", "REDACTED"};
/* Android's fixed MAC since 6.0, the emulator's and a buggy 2.2 build's ANDROID_ID, an iOS zero IDFA. */
static const char *const junk_devices[] = {"020000000000", "9774D56D682E549C", "000000000000000",
                                           "0000000000000000000000000000000000000000"};

static warden_link_norm norm_word(warden_link_type t, const char *v, size_t n, warden_link_key *k) {
  char w[WARDEN_LINK_VALUE_MAX];
  size_t wl;
  if (!fold_word(v, n, w, sizeof w, &wl)) return invalid(k, "not valid UTF-8 or too long");
  if (is_junk(v, n)) return set(k, t == WARDEN_LINK_DOMAIN_HOLDER ? WARDEN_LINK_CLASS_DOMAIN
                                   : t == WARDEN_LINK_PAYMENT   ? WARDEN_LINK_CLASS_PAYMENT
                                                                : WARDEN_LINK_CLASS_DEVICE, w, wl, true);
  if (t == WARDEN_LINK_DOMAIN_HOLDER) {
    bool junk = false;
    for (size_t i = 0; i < sizeof privacy_holders / sizeof privacy_holders[0]; i++)
      junk |= strstr(w, privacy_holders[i]) != NULL;
    return set(k, WARDEN_LINK_CLASS_DOMAIN, w, wl, junk);
  }
  if (t == WARDEN_LINK_PAYMENT) {
    /* a bank card: digits, however grouped; anything else (a wallet id) as a case-folded word */
    bool digits = wl >= 8;
    for (size_t i = 0; i < wl && digits; i++) digits = w[i] >= '0' && w[i] <= '9';
    if (!digits) {
      char e[WARDEN_LINK_VALUE_MAX];
      size_t el = 0;
      for (size_t i = 0; i < n && el + 1 < sizeof e; i++)
        if (!isspace((unsigned char)v[i])) e[el++] = (char)tolower((unsigned char)v[i]);
      return set(k, WARDEN_LINK_CLASS_PAYMENT, e, el, el == 0);
    }
    return set(k, WARDEN_LINK_CLASS_PAYMENT, w, wl, all_same(w, wl));
  }
  bool junk = all_same(w, wl);
  for (size_t i = 0; i < sizeof junk_devices / sizeof junk_devices[0]; i++) junk |= !strcmp(w, junk_devices[i]);
  return set(k, WARDEN_LINK_CLASS_DEVICE, w, wl, junk);
}

/* ---- IP addresses: canonical, optionally by prefix ---- */
static void mask_bits(unsigned char *a, size_t bytes, int prefix) {
  for (size_t i = 0; i < bytes; i++) {
    int keep = prefix - (int)i * 8;
    a[i] &= keep >= 8 ? 0xFF : keep <= 0 ? 0 : (unsigned char)(0xFF << (8 - keep));
  }
}

static bool v4_meaningless(const unsigned char *a) {
  return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 100 && (a[1] & 0xC0) == 64) ||
         (a[0] == 169 && a[1] == 254) || (a[0] == 172 && (a[1] & 0xF0) == 16) || (a[0] == 192 && a[1] == 168) ||
         a[0] >= 224;
}

static warden_link_norm norm_ip(const char *v, size_t n, const warden_link_opts *o, warden_link_key *k) {
  char s[64], out[64];
  unsigned char a[16];
  trim(&v, &n);
  if (n == 0 || n >= sizeof s) {
    if (is_junk(v, n)) return set(k, WARDEN_LINK_CLASS_IP, "", 0, true);
    return invalid(k, "not an IP address");
  }
  memcpy(s, v, n);
  s[n] = '\0';
  if (s[0] == '[' && s[n - 1] == ']') { memmove(s, s + 1, n - 2); s[n - 2] = '\0'; }
  int v4p = o ? o->ipv4_prefix : 32, v6p = o ? o->ipv6_prefix : 128;
  if (inet_pton(AF_INET, s, a) == 1) goto v4;
  if (inet_pton(AF_INET6, s, a) != 1) {
    if (is_junk(v, n)) return set(k, WARDEN_LINK_CLASS_IP, "", 0, true);
    return invalid(k, "not an IP address");
  }
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (!memcmp(a, mapped, 12)) { memmove(a, a + 12, 4); goto v4; }
  {
    static const unsigned char zero[16] = {0};
    bool junk = !memcmp(a, zero, 15) /* :: and ::1 */ || (a[0] & 0xFE) == 0xFC /* ULA */ ||
                (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) /* link-local */ || a[0] == 0xFF /* multicast */;
    mask_bits(a, 16, v6p);
    inet_ntop(AF_INET6, a, out, sizeof out);
    size_t l = strlen(out);
    if (v6p < 128) snprintf(out + l, sizeof out - l, "/%d", v6p);
    return set(k, WARDEN_LINK_CLASS_IP, out, strlen(out), junk);
  }
v4: {
  bool junk = v4_meaningless(a);
  mask_bits(a, 4, v4p);
  inet_ntop(AF_INET, a, out, sizeof out);
  size_t l = strlen(out);
  if (v4p < 32) snprintf(out + l, sizeof out - l, "/%d", v4p);
  return set(k, WARDEN_LINK_CLASS_IP, out, strlen(out), junk);
}
}

/* ---- addresses ---- */
typedef struct region_name {
  const char *name; /* a full name or a short form (owned by the index) */
  uint32_t len;     /* bytes */
  uint32_t code;
  uint8_t level;    /* 1 province, 2 prefecture, 3 county */
  bool current, short_form;
  uint64_t head;    /* the first two characters (6 bytes), the index's key */
} region_name;

/* Names sorted by (head, length descending); a small open-addressing table maps a head to the
 * first of its names, so a match costs one probe and a few memcmp. */
static struct {
  region_name *v;
  size_t n;
  char *strings;
  uint32_t *slot; /* index + 1 into v, 0 empty */
  size_t mask;
} regions;
static pthread_once_t regions_once = PTHREAD_ONCE_INIT;

static uint64_t head6(const char *s) {
  uint64_t h = 0;
  memcpy(&h, s, 6);
  return h;
}

static size_t head_slot(uint64_t h) { return (size_t)((h * 0x9E3779B97F4A7C15ull) >> 40); }

static int region_cmp(const void *a, const void *b) {
  const region_name *x = a, *y = b;
  if (x->head != y->head) return x->head < y->head ? -1 : 1;
  if (x->len != y->len) return x->len > y->len ? -1 : 1;
  if (x->current != y->current) return x->current ? -1 : 1;
  return x->code < y->code ? -1 : x->code > y->code;
}

/* Short forms people write: 广东 for 广东省, 广州 for 广州市, 内蒙古 for 内蒙古自治区. Counties are
 * matched by their full names only (a short county name is too often part of a street's). */
static const char *const province_suffixes[] = {"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区",
                                                "省", "市"};
static const char *const city_suffixes[] = {"地区", "市", "盟"};

static void regions_add(size_t *slen, const char *name, size_t len, uint32_t code, uint8_t level, bool current,
                        bool short_form) {
  region_name *r = &regions.v[regions.n++];
  r->name = regions.strings + *slen;
  memcpy(regions.strings + *slen, name, len);
  regions.strings[*slen + len] = '\0';
  *slen += len + 1;
  r->len = (uint32_t)len;
  r->code = code;
  r->level = level;
  r->current = current;
  r->short_form = short_form;
  r->head = head6(name);
}

static void regions_build(void) {
  size_t cap = 0, scap = 0, slen = 0;
  uint32_t code;
  const char *name;
  int first, last;
  for (size_t i = 0; warden_kyc_region_at(i, &code, &name, &first, &last); i++) {
    cap += 2;
    scap += 2 * strlen(name) + 2;
  }
  regions.v = calloc(cap + 1, sizeof *regions.v);
  regions.strings = malloc(scap + 1);
  if (!regions.v || !regions.strings) return;
  for (size_t i = 0; warden_kyc_region_at(i, &code, &name, &first, &last); i++) {
    size_t nl = strlen(name);
    if (nl < 6 || !strcmp(name, "市辖区") || strstr(name, "直辖")) continue;
    uint8_t level = code % 10000 == 0 ? 1 : code % 100 == 0 ? 2 : 3;
    regions_add(&slen, name, nl, code, level, last == 0, false);
    const char *const *suf = level == 1 ? province_suffixes : city_suffixes;
    size_t nsuf = level == 1 ? sizeof province_suffixes / sizeof *province_suffixes
                  : level == 2 ? sizeof city_suffixes / sizeof *city_suffixes : 0;
    for (size_t s = 0; s < nsuf; s++) {
      size_t b = strlen(suf[s]);
      if (nl < b + 6 || strcmp(name + nl - b, suf[s])) continue; /* the stem keeps two characters */
      regions_add(&slen, name, nl - b, code, level, last == 0, true);
      break;
    }
  }
  qsort(regions.v, regions.n, sizeof *regions.v, region_cmp);
  size_t size = 1;
  while (size < regions.n * 2) size <<= 1;
  regions.slot = calloc(size, sizeof *regions.slot);
  if (!regions.slot) return;
  regions.mask = size - 1;
  for (size_t i = 0; i < regions.n; i++) {
    if (i && regions.v[i].head == regions.v[i - 1].head) continue;
    size_t s = head_slot(regions.v[i].head) & regions.mask;
    while (regions.slot[s]) s = (s + 1) & regions.mask;
    regions.slot[s] = (uint32_t)i + 1;
  }
}

/* After a short form, these mean the name was a street's or another unit's: 中山路 is not 中山市,
 * 朝阳区 is not 朝阳市. */
static bool road_char(const char *s, size_t n) {
  static const char *const roads[] = {"路", "街", "道", "巷", "弄", "里", "村", "大", "桥", /* a street's */
                                      "区", "县", "市", "旗", "州"}; /* another unit's full name */
  for (size_t i = 0; i < sizeof roads / sizeof *roads; i++)
    if (n >= 3 && !memcmp(s, roads[i], 3)) return true;
  return false;
}

/* Matches the longest unit name of `level` at s, within parent (code / div == parent / div) when
 * parent is set. A name that several units share (current ones first) matches nothing. */
static size_t region_match(const char *s, size_t n, int level, uint32_t parent, uint32_t div, uint32_t *code) {
  if (n < 6 || !regions.slot) return 0;
  uint64_t h = head6(s);
  size_t slot = head_slot(h) & regions.mask;
  while (regions.slot[slot] && regions.v[regions.slot[slot] - 1].head != h) slot = (slot + 1) & regions.mask;
  if (!regions.slot[slot]) return 0;
  uint32_t cur = 0, old = 0, len = 0;
  bool cur2 = false, old2 = false;
  for (size_t i = regions.slot[slot] - 1; i < regions.n && regions.v[i].head == h; i++) {
    const region_name *r = &regions.v[i];
    if (len && r->len < len) break; /* the longest length with a candidate decides */
    if (r->len > n || memcmp(r->name, s, r->len) || r->level != level) continue;
    if (parent && r->code / div != parent / div) continue;
    if (r->short_form && road_char(s + r->len, n - r->len)) continue;
    len = r->len;
    if (r->current) { cur2 |= cur && cur != r->code; if (!cur) cur = r->code; }
    else { old2 |= old && old != r->code; if (!old) old = r->code; }
  }
  if (cur ? cur2 : (!old || old2)) return 0;
  *code = cur ? cur : old;
  return len;
}

static int cn_digit(uint32_t cp) {
  switch (cp) {
  case 0x96F6: case 0x3007: return 0;             /* 零 〇 */
  case 0x4E00: case 0x58F9: case 0x5E7A: return 1; /* 一 壹 幺 */
  case 0x4E8C: case 0x4E24: case 0x8D30: return 2; /* 二 两 贰 */
  case 0x4E09: case 0x53C1: return 3;             /* 三 叁 */
  case 0x56DB: case 0x8086: return 4;             /* 四 肆 */
  case 0x4E94: case 0x4F0D: return 5;             /* 五 伍 */
  case 0x516D: case 0x9646: return 6;             /* 六 陆 */
  case 0x4E03: case 0x67D2: return 7;             /* 七 柒 */
  case 0x516B: case 0x634C: return 8;             /* 八 捌 */
  case 0x4E5D: case 0x7396: return 9;             /* 九 玖 */
  default: return -1;
  }
}

static int cn_unit(uint32_t cp) {
  switch (cp) {
  case 0x5341: case 0x62FE: return 10;   /* 十 拾 */
  case 0x767E: case 0x4F70: return 100;  /* 百 佰 */
  case 0x5343: case 0x4EDF: return 1000; /* 千 仟 */
  default: return 0;
  }
}

/* A run of Chinese numerals as decimal digits: 十二 -> 12, 一百零五 -> 105, 二〇二四 -> 2024. */
static size_t cn_number(const uint32_t *cp, size_t n, char *out, size_t cap) {
  bool units = false;
  for (size_t i = 0; i < n; i++) units |= cn_unit(cp[i]) != 0;
  if (!units) {
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) out[o++] = (char)('0' + cn_digit(cp[i]));
    out[o] = '\0';
    return o;
  }
  long total = 0, cur = -1;
  for (size_t i = 0; i < n; i++) {
    int u = cn_unit(cp[i]);
    if (u) {
      total += (cur < 0 ? 1 : cur) * u;
      cur = -1;
    } else {
      cur = cn_digit(cp[i]);
    }
  }
  if (cur > 0) total += cur;
  return (size_t)snprintf(out, cap, "%ld", total);
}

#define ADDR_CP_MAX 512

bool warden_link_address_normalize(const char *s, size_t n, char *out, size_t cap, uint32_t *region) {
  char f[ADDR_CP_MAX * 4];
  size_t fl;
  pthread_once(&regions_once, regions_build);
  *region = 0;
  if (!warden_text_fold(s, n, f, sizeof f, &fl)) return false;
  /* keep the letters, digits and range marks, upper-cased; drop spaces and punctuation */
  uint32_t cp[ADDR_CP_MAX];
  size_t ncp = 0;
  for (size_t i = 0; i < fl;) {
    uint32_t c;
    size_t l = dec((const unsigned char *)f + i, fl - i, &c);
    if (!l) return false;
    i += l;
    if (c == '-' || c == '~' || c == 0x2014 || c == 0xFF5E || c == 0x301C) c = '-';
    else if (c == '#') c = 0x53F7; /* 5# = 5号 */
    else if (!is_word(c)) continue;
    else if (c < 0x80) c = (uint32_t)toupper((int)c);
    if (ncp == ADDR_CP_MAX) return false;
    cp[ncp++] = c;
  }
  /* back to UTF-8 to resolve the region at the start */
  char u[ADDR_CP_MAX * 4 + 1];
  size_t ul = 0, start = 0;
  for (size_t i = 0; i < ncp; i++) ul += enc(cp[i], u + ul);
  u[ul] = '\0';
  static const char *const country[] = {"中华人民共和国", "中国"};
  for (size_t i = 0; i < 2; i++)
    if (!strncmp(u, country[i], strlen(country[i]))) { start = strlen(country[i]); break; }
  uint32_t prov = 0, city = 0, county = 0, c;
  size_t m;
  if ((m = region_match(u + start, ul - start, 1, 0, 1, &c))) { prov = c; start += m; }
  if ((m = region_match(u + start, ul - start, 2, prov, 10000, &c))) { city = c; start += m; }
  if ((m = region_match(u + start, ul - start, 3, city ? city : prov, city ? 100 : 10000, &c))) {
    county = c;
    start += m;
  }
  *region = county ? county : city ? city : prov;
  /* the detail: Chinese numerals as digits, ranges as '-', 号 after a number dropped */
  size_t o = (size_t)snprintf(out, cap, "%06u|", (unsigned)*region);
  if (o + 1 >= cap) return false;
  /* code points of the detail */
  size_t i = 0, dstart = 0;
  char scratch[4];
  for (size_t b = 0; b < start; i++) b += enc(cp[i], scratch);
  dstart = i;
  bool last_digit = false;
  for (i = dstart; i < ncp;) {
    if (cn_digit(cp[i]) >= 0 || cn_unit(cp[i])) {
      size_t j = i;
      while (j < ncp && (cn_digit(cp[j]) >= 0 || cn_unit(cp[j]))) j++;
      char num[32];
      size_t nl = cn_number(cp + i, j - i, num, sizeof num);
      if (o + nl >= cap) return false;
      memcpy(out + o, num, nl);
      o += nl;
      i = j;
      last_digit = true;
      continue;
    }
    uint32_t ch = cp[i];
    bool next_digit = i + 1 < ncp && ((cp[i + 1] >= '0' && cp[i + 1] <= '9') || cn_digit(cp[i + 1]) >= 0 ||
                                      cn_unit(cp[i + 1]));
    if ((ch == 0x81F3 || ch == 0x5230) && last_digit && next_digit) ch = '-'; /* 至 到 */
    if (ch == 0x53F7 && last_digit) { /* 号 after a number: dropped, or '#' before another number */
      i++;
      last_digit = false;
      if (next_digit) {
        if (o + 1 >= cap) return false;
        out[o++] = '#';
      }
      continue;
    }
    if (ch == 0x7B2C && next_digit) { i++; continue; }                        /* 第 */
    if (ch == '-' && !(last_digit && next_digit)) { i++; continue; }
    char e[4];
    size_t el = enc(ch, e);
    if (o + el >= cap) return false;
    memcpy(out + o, e, el);
    o += el;
    last_digit = ch >= '0' && ch <= '9';
    i++;
  }
  out[o] = '\0';
  return true;
}

static warden_link_norm norm_address(const char *v, size_t n, warden_link_key *k) {
  char out[WARDEN_LINK_VALUE_MAX];
  uint32_t region;
  if (is_junk(v, n)) return set(k, WARDEN_LINK_CLASS_ADDRESS, "", 0, true);
  if (!warden_link_address_normalize(v, n, out, sizeof out, &region)) return invalid(k, "not valid UTF-8 or too long");
  size_t l = strlen(out);
  /* a region with nothing after it names no place in particular */
  return set(k, WARDEN_LINK_CLASS_ADDRESS, out, l, l <= 7);
}

/* ---- people: by document, else by name and phone, never by name alone ---- */
static warden_link_norm norm_person(const char *v, size_t n, const warden_link_opts *o, warden_link_key *k) {
  const char *semi = NULL;
  for (size_t i = n; i-- > 0;)
    if (v[i] == ';') { semi = v + i; break; }
  const char *name = v;
  size_t nn = semi ? (size_t)(semi - v) : n;
  const char *rest = semi ? semi + 1 : "";
  size_t rn = semi ? n - nn - 1 : 0;
  trim(&rest, &rn);
  char nm[WARDEN_LINK_VALUE_MAX];
  size_t nml;
  if (!fold_word(name, nn, nm, sizeof nm, &nml)) return invalid(k, "not valid UTF-8 or too long");
  if (rn == 0 || is_junk(rest, rn)) return WARDEN_LINK_NORM_NAME_ONLY;
  /* digits alone are a phone unless they are as long as a citizen number (15 or 18) */
  size_t digits = 0, other = 0;
  for (size_t i = 0; i < rn; i++) {
    if (rest[i] >= '0' && rest[i] <= '9') digits++;
    else if (!strchr("+- ()", rest[i])) other++;
  }
  bool phone = !other && ((digits != 15 && digits != 18) || rest[0] == '+' || !strncmp(rest, "0086", 4));
  warden_link_key d;
  if (!phone && norm_doc(rest, rn, o, true, &d) == WARDEN_LINK_NORM_KEY)
    return set(k, WARDEN_LINK_CLASS_DOC, d.value, d.len, false);
  warden_link_norm pn = norm_phone(rest, rn, &d);
  if (pn == WARDEN_LINK_NORM_INVALID) return invalid(k, "expected name;document-number or name;phone");
  if (pn == WARDEN_LINK_NORM_PLACEHOLDER) return WARDEN_LINK_NORM_NAME_ONLY;
  if (nml == 0) return invalid(k, "a person needs a name");
  char out[WARDEN_LINK_VALUE_MAX];
  int l = snprintf(out, sizeof out, "%s|%s", nm, d.value);
  return set(k, WARDEN_LINK_CLASS_PERSON, out, (size_t)l, false);
}

warden_link_norm warden_link_normalize(warden_link_type t, const char *v, size_t n, const warden_link_opts *o,
                                       warden_link_key *k) {
  memset(k, 0, offsetof(warden_link_key, value));
  k->value[0] = '\0';
  if (n >= WARDEN_LINK_VALUE_MAX) return invalid(k, "value too long");
  if (!warden_utf8_valid(v, n)) return invalid(k, "not valid UTF-8");
  switch (t) {
  case WARDEN_LINK_DOC: trim(&v, &n); return norm_doc(v, n, o, false, k);
  case WARDEN_LINK_PHONE: return norm_phone(v, n, k);
  case WARDEN_LINK_EMAIL: return norm_email(v, n, k);
  case WARDEN_LINK_DOMAIN_HOLDER:
  case WARDEN_LINK_PAYMENT:
  case WARDEN_LINK_DEVICE: return norm_word(t, v, n, k);
  case WARDEN_LINK_IP: return norm_ip(v, n, o, k);
  case WARDEN_LINK_ADDRESS: return norm_address(v, n, k);
  case WARDEN_LINK_LEGAL_REP:
  case WARDEN_LINK_CONTACT:
  case WARDEN_LINK_EXECUTIVE: return norm_person(v, n, o, k);
  default: return invalid(k, "not a key type");
  }
}

/* ---- masking ---- */
void warden_link_mask(warden_link_class c, const char *value, char *out, size_t cap) {
  char a[WARDEN_LINK_VALUE_MAX], b[WARDEN_LINK_VALUE_MAX];
  if (cap == 0) return;
  if (!value[0]) { snprintf(out, cap, "(empty)"); return; }
  switch (c) {
  case WARDEN_LINK_CLASS_DOC: {
    const char *colon = strchr(value, ':');
    warden_mask(colon ? colon + 1 : value, a, sizeof a);
    snprintf(out, cap, "%s", a);
    return;
  }
  case WARDEN_LINK_CLASS_EMAIL: {
    const char *at = strchr(value, '@');
    snprintf(out, cap, "%c***%s", value[0], at ? at : "");
    return;
  }
  case WARDEN_LINK_CLASS_ADDRESS: {
    char *end;
    unsigned long code = strtoul(value, &end, 10);
    const char *detail = *end == '|' ? end + 1 : value;
    char path[160] = "";
    if (code) warden_kyc_region_path((uint32_t)code, path, sizeof path);
    warden_mask(detail, a, sizeof a);
    snprintf(out, cap, "%s%s%s", path, path[0] ? " " : "", a);
    return;
  }
  case WARDEN_LINK_CLASS_PERSON: {
    const char *bar = strchr(value, '|');
    snprintf(b, sizeof b, "%.*s", bar ? (int)(bar - value) : (int)strlen(value), value);
    warden_mask_name(b, a, sizeof a);
    warden_mask(bar ? bar + 1 : "", b, sizeof b);
    snprintf(out, cap, "%s;%s", a, b);
    return;
  }
  default: warden_mask(value, out, cap); return;
  }
}
