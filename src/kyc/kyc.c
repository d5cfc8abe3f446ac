/* kyc.c — identity-document checks (KYC-DOC-PERSON, KYC-DOC-ORG, KYC-FORGED). See kyc.h for the
 * table of formats. The citizen-number path is the hot one (10 million a second): it touches no
 * memory beyond the input and two small region tables, and does not format its message unless the
 * number fails or the caller asks for facts. */
#include <stdlib.h>
#include <string.h>

#include "../core/core.h"
#include "kyc.h"
#include "kyc_int.h"

/* ---- names ---- */
static const char *const type_names[WARDEN_DOC__COUNT] = {
    [WARDEN_DOC_UNKNOWN] = "unknown",
    [WARDEN_DOC_RESIDENT] = "resident",
    [WARDEN_DOC_HOUSEHOLD] = "household",
    [WARDEN_DOC_TEMP_RESIDENT] = "temp-resident",
    [WARDEN_DOC_RESIDENCE_PERMIT] = "residence-permit",
    [WARDEN_DOC_HKMO_PERMIT] = "hkmo-permit",
    [WARDEN_DOC_TW_PERMIT] = "tw-permit",
    [WARDEN_DOC_FOREIGN_PR] = "foreign-pr",
    [WARDEN_DOC_PASSPORT] = "passport",
    [WARDEN_DOC_USCC] = "uscc",
    [WARDEN_DOC_BUSINESS_LICENCE] = "business-licence",
    [WARDEN_DOC_ORG_CODE] = "org-code",
    [WARDEN_DOC_MILITARY] = "military",
    [WARDEN_DOC_ARMED_POLICE] = "armed-police",
    [WARDEN_DOC_INSTITUTION] = "institution",
    [WARDEN_DOC_SOCIAL_ORG] = "social-org",
    [WARDEN_DOC_EMBASSY_NOTE] = "embassy-note",
    [WARDEN_DOC_INTRO_LETTER] = "intro-letter",
};

static const char *const reason_names[WARDEN_REASON__COUNT] = {
    [WARDEN_REASON_OK] = "ok",
    [WARDEN_REASON_BAD_FORMAT] = "bad-format",
    [WARDEN_REASON_BAD_LENGTH] = "bad-length",
    [WARDEN_REASON_BAD_CHECK_DIGIT] = "bad-check-digit",
    [WARDEN_REASON_BAD_REGION] = "bad-region",
    [WARDEN_REASON_BAD_DATE] = "bad-date",
    [WARDEN_REASON_FUTURE_BIRTH] = "future-birth",
    [WARDEN_REASON_EXPIRED] = "expired",
    [WARDEN_REASON_UNDER_16] = "under-16-needs-household",
    [WARDEN_REASON_BAD_NATIONALITY] = "bad-nationality",
    [WARDEN_REASON_BAD_AUTHORITY] = "bad-authority",
    [WARDEN_REASON_BAD_ENTITY_TYPE] = "bad-entity-type",
    [WARDEN_REASON_BAD_ORG_CODE] = "bad-org-code",
    [WARDEN_REASON_MRZ_MISMATCH] = "mrz-mismatch",
    [WARDEN_REASON_UNKNOWN_TYPE] = "unknown-type",
    [WARDEN_REASON_NO_PUBLIC_CHECK] = "no-public-check",
    [WARDEN_REASON_WRONG_TYPE] = "wrong-type",
};

const char *warden_doc_type_name(warden_doc_type t) {
  return (unsigned)t < WARDEN_DOC__COUNT ? type_names[t] : "unknown";
}

warden_doc_type warden_doc_type_parse(const char *name) {
  static const struct { const char *alias; warden_doc_type t; } aliases[] = {
      {"id", WARDEN_DOC_RESIDENT},           {"id-card", WARDEN_DOC_RESIDENT},
      {"household-register", WARDEN_DOC_HOUSEHOLD}, {"temporary", WARDEN_DOC_TEMP_RESIDENT},
      {"hk-macao-permit", WARDEN_DOC_HKMO_PERMIT}, {"taiwan-permit", WARDEN_DOC_TW_PERMIT},
      {"business-license", WARDEN_DOC_BUSINESS_LICENCE}, {"organisation-code", WARDEN_DOC_ORG_CODE},
      {"organization-code", WARDEN_DOC_ORG_CODE},
  };
  for (int t = 1; t < WARDEN_DOC__COUNT; t++)
    if (strcmp(name, type_names[t]) == 0) return (warden_doc_type)t;
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (strcmp(name, aliases[i].alias) == 0) return aliases[i].t;
  return WARDEN_DOC_UNKNOWN;
}

bool warden_doc_type_is_org(warden_doc_type t) {
  switch (t) {
  case WARDEN_DOC_USCC: case WARDEN_DOC_BUSINESS_LICENCE: case WARDEN_DOC_ORG_CODE:
  case WARDEN_DOC_INSTITUTION: case WARDEN_DOC_SOCIAL_ORG: case WARDEN_DOC_EMBASSY_NOTE:
  case WARDEN_DOC_INTRO_LETTER:
    return true;
  default:
    return false;
  }
}

const char *warden_verdict_name(warden_verdict v) {
  switch (v) {
  case WARDEN_VERDICT_VALID: return "valid";
  case WARDEN_VERDICT_INVALID: return "invalid";
  case WARDEN_VERDICT_FORMAT_ONLY: return "format-only";
  }
  return "invalid";
}

const char *warden_reason_name(warden_reason r) {
  return (unsigned)r < WARDEN_REASON__COUNT ? reason_names[r] : "unknown";
}

/* ---- tables ---- */
static const warden_region *region_find(uint32_t code) {
  size_t lo = 0, hi = warden_regions_count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (warden_regions[mid].code < code) lo = mid + 1;
    else hi = mid;
  }
  return lo < warden_regions_count && warden_regions[lo].code == code ? &warden_regions[lo] : NULL;
}

const char *warden_kyc_region_name(uint32_t code) {
  const warden_region *r = region_find(code);
  return r ? r->name : NULL;
}

bool warden_kyc_region_path(uint32_t code, char *out, size_t cap) {
  const warden_region *c = region_find(code);
  if (!c || cap == 0) return false;
  const warden_region *p = code % 10000 ? region_find(code / 10000 * 10000) : NULL;
  const warden_region *m = code % 100 ? region_find(code / 100 * 100) : NULL;
  snprintf(out, cap, "%s%s%s%s%s", p ? p->name : "", p ? " " : "", m ? m->name : "", m ? " " : "",
           c->name);
  return true;
}

bool warden_kyc_region_ok(uint32_t code, int birth_year) {
  if (code >= 1000000) return false;
  uint16_t blk = warden_region_prefix[code / 100];
  if (!blk) return false;
  uint8_t last = warden_region_blocks[blk - 1][code % 100];
  if (!last) return false;
  return last == 255 || (int)last + 1979 >= birth_year;
}

size_t warden_kyc_region_current_count(void) { return warden_regions_current_count; }

bool warden_kyc_region_at(size_t i, uint32_t *code, const char **name, int *first_year, int *last_year) {
  if (i >= warden_regions_count) return false;
  *code = warden_regions[i].code;
  *name = warden_regions[i].name;
  *first_year = warden_regions[i].first_year;
  *last_year = warden_regions[i].last_year;
  return true;
}

uint32_t warden_kyc_region_current(size_t n) {
  return warden_regions_current_count ? warden_regions_current[n % warden_regions_current_count] : 0;
}

static const warden_country *country_by_alpha3(const char *a3) {
  for (size_t i = 0; i < warden_countries_count; i++)
    if (memcmp(warden_countries[i].alpha3, a3, 3) == 0) return &warden_countries[i];
  return NULL;
}

static const warden_country *country_by_numeric(unsigned num) {
  for (size_t i = 0; i < warden_countries_count; i++)
    if (warden_countries[i].numeric == num) return &warden_countries[i];
  return NULL;
}

const char *warden_kyc_country_name(const char *alpha3) {
  if (!alpha3 || strlen(alpha3) != 3) return NULL;
  const warden_country *c = country_by_alpha3(alpha3);
  if (c) return c->name;
  /* ICAO 9303 codes that are not ISO 3166 countries but appear in real passports. */
  static const struct { const char *code, *name; } icao[] = {
      {"D<<", "Germany"}, {"GBD", "British Overseas Territories Citizen"},
      {"GBN", "British National (Overseas)"}, {"GBO", "British Overseas Citizen"},
      {"GBP", "British Protected Person"}, {"GBS", "British Subject"}, {"EUE", "European Union"},
      {"UNO", "United Nations Organization"}, {"UNA", "United Nations specialized agency"},
      {"UNK", "Kosovo (UNMIK)"}, {"XXA", "Stateless person"}, {"XXB", "Refugee (1951 Convention)"},
      {"XXC", "Refugee (other)"}, {"XXX", "Unspecified nationality"}, {"RKS", "Kosovo"},
  };
  for (size_t i = 0; i < sizeof icao / sizeof icao[0]; i++)
    if (memcmp(icao[i].code, alpha3, 3) == 0) return icao[i].name;
  return NULL;
}

/* GB 32100-2015 registering authorities and their entity types. */
typedef struct { char code; const char *name; const char *types; /* "1机关|2事业单位|..." */ } authority;
static const authority authorities[] = {
    {'1', "institutional establishment (机构编制)", "1organ of state|2public institution|3mass organisation under the central establishment office|9other"},
    {'2', "foreign affairs (外交)", "1resident foreign news agency|9other"},
    {'3', "justice administration (司法行政)", "1law firm|2notary office|3grassroots legal service|4judicial appraisal body|5arbitration commission|9other"},
    {'4', "culture (文化)", "1foreign cultural centre in China|9other"},
    {'5', "civil affairs (民政)", "1social organisation|2private non-enterprise unit|3foundation|9other"},
    {'6', "tourism (旅游)", "1representative office of a foreign tourism authority|2representative office of a Hong Kong, Macao or Taiwan tourism authority|9other"},
    {'7', "religious affairs (宗教)", "1place of religious activity|2religious college|9other"},
    {'8', "trade unions (工会)", "1grassroots trade union|9other"},
    {'9', "market regulation (工商)", "1enterprise|2individual business|3farmers' cooperative"},
    {'A', "Central Military Commission establishment office (中央军委改革和编制办公室)", "1military public institution|9other"},
    {'N', "agriculture (农业)", "1group-level collective economic organisation|2village-level collective economic organisation|3township-level collective economic organisation|9other"},
    {'Y', "other (其他)", "1other"},
};

static const authority *authority_find(char c) {
  for (size_t i = 0; i < sizeof authorities / sizeof authorities[0]; i++)
    if (authorities[i].code == c) return &authorities[i];
  return NULL;
}

const char *warden_kyc_authority_name(char c) {
  const authority *a = authority_find(c);
  return a ? a->name : NULL;
}

const char *warden_kyc_entity_name(char auth, char entity) {
  static _Thread_local char name[160];
  const authority *a = authority_find(auth);
  if (!a) return NULL;
  for (const char *p = a->types; *p;) {
    const char *end = strchr(p, '|');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (p[0] == entity) {
      snprintf(name, sizeof name, "%.*s", (int)(n - 1), p + 1);
      return name;
    }
    p += n + (end ? 1 : 0);
  }
  return NULL;
}

/* ---- check characters ---- */
char warden_kyc_mod11_2(const char *d) {
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; i++) sum += (d[i] - '0') * w[i];
  return "10X98765432"[sum % 11];
}

static const char uscc_alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY"; /* 31: no I O Z S V */

static int uscc_value(char c) {
  const char *p = c ? strchr(uscc_alpha, c) : NULL;
  return p ? (int)(p - uscc_alpha) : -1;
}

char warden_kyc_uscc_check(const char *s) {
  static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    int v = uscc_value(s[i]);
    if (v < 0) return 0;
    sum += v * w[i];
  }
  int c = 31 - sum % 31;
  return uscc_alpha[c == 31 ? 0 : c];
}

static int alnum_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

char warden_kyc_orgcode_check(const char *s) {
  static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; i++) {
    int v = alnum_value(s[i]);
    if (v < 0) return 0;
    sum += v * w[i];
  }
  int c = 11 - sum % 11;
  return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

char warden_kyc_mrz_check(const char *s, size_t n) {
  static const int w[3] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < n; i++) {
    int v = s[i] == '<' ? 0 : alnum_value(s[i]);
    if (v < 0) return 0;
    sum += v * w[i % 3];
  }
  return (char)('0' + sum % 10);
}

/* ---- helpers ---- */
static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

static bool all_upper(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < 'A' || s[i] > 'Z') return false;
  return true;
}

static bool all_alnum(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (alnum_value(s[i]) < 0) return false;
  return true;
}

static int dnum(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

static warden_verdict fail(warden_kyc_result *r, warden_reason reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static warden_verdict fail(warden_kyc_result *r, warden_reason reason, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->message, sizeof r->message, fmt, ap);
  va_end(ap);
  r->reason = reason;
  r->verdict = WARDEN_VERDICT_INVALID;
  return r->verdict;
}

static warden_verdict pass(warden_kyc_result *r, warden_verdict v, warden_reason reason,
                           const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static warden_verdict pass(warden_kyc_result *r, warden_verdict v, warden_reason reason,
                           const char *fmt, ...) {
  if (!strchr(fmt, '%')) { /* the hot "ok" path: no formatting */
    size_t n = strlen(fmt);
    memcpy(r->message, fmt, n < sizeof r->message ? n + 1 : sizeof r->message);
    r->message[sizeof r->message - 1] = '\0';
  } else {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
  }
  r->reason = reason;
  r->verdict = v;
  return v;
}

/* Birth date YYYYMMDD at s: sets r->birth, or fails. */
static bool take_birth8(warden_kyc_result *r, const char *s, int32_t today) {
  int y = dnum(s, 4), m = dnum(s + 4, 2), d = dnum(s + 6, 2);
  if (y < 1850 || !warden_date_valid(y, m, d)) {
    fail(r, WARDEN_REASON_BAD_DATE, "birth date %.8s does not exist", s);
    return false;
  }
  r->birth = warden_date_from_ymd(y, m, d);
  if (r->birth > today) {
    fail(r, WARDEN_REASON_FUTURE_BIRTH, "birth date %.4s-%.2s-%.2s is in the future", s, s + 4, s + 6);
    return false;
  }
  return true;
}

/* A two-digit year: the latest century that does not put the date after today. */
static int32_t yymmdd(const char *s, int32_t today, bool future_ok) {
  int yy = dnum(s, 2), m = dnum(s + 2, 2), d = dnum(s + 4, 2);
  int ty, tm, td;
  warden_date_to_ymd(today, &ty, &tm, &td);
  int y = (ty / 100) * 100 + yy;
  if (future_ok) {
    if (y > ty + 50) y -= 100;
  } else if (!warden_date_valid(y, m, d) || warden_date_from_ymd(y, m, d) > today) {
    y -= 100;
  }
  if (!warden_date_valid(y, m, d)) return WARDEN_NO_DATE;
  return warden_date_from_ymd(y, m, d);
}

static bool expired(warden_kyc_result *r, int32_t expiry, int32_t today) {
  if (expiry == WARDEN_NO_DATE) return false;
  r->expiry = expiry;
  if (expiry >= today) return false;
  char d[11];
  warden_date_format(expiry, d);
  fail(r, WARDEN_REASON_EXPIRED, "document expired on %s", d);
  return true;
}

/* ---- the citizen number family: resident, household, temp-resident, residence-permit ---- */
static warden_verdict check_citizen18(const warden_kyc_input *in, warden_kyc_result *r) {
  const char *s = r->normalized;
  size_t n = strlen(s);
  if (n == 15 && in->type != WARDEN_DOC_RESIDENCE_PERMIT) {
    if (!all_digits(s, 15)) return fail(r, WARDEN_REASON_BAD_FORMAT, "a 15-digit citizen number has digits only");
    /* First-generation number: RRRRRR YYMMDD SSS, born 19YY (sequence 996-999: centenarians, 18YY). */
    int seq = dnum(s + 12, 3);
    char up[19];
    memcpy(up, s, 6);
    memcpy(up + 6, seq >= 996 ? "18" : "19", 2);
    memcpy(up + 8, s + 6, 9);
    up[17] = warden_kyc_mod11_2(up);
    up[18] = '\0';
    if (!take_birth8(r, up + 6, in->today)) return r->verdict;
    int by, bm, bd;
    warden_date_to_ymd(r->birth, &by, &bm, &bd);
    r->region = (uint32_t)dnum(s, 6);
    if (!warden_kyc_region_ok(r->region, by))
      return fail(r, WARDEN_REASON_BAD_REGION, "region code %.6s was never in force at or after birth", s);
    r->legacy15 = true;
    memcpy(r->upgraded, up, sizeof up);
    r->sex = (s[14] - '0') % 2 ? 'M' : 'F';
    if (expired(r, in->expiry, in->today)) return r->verdict;
    return pass(r, WARDEN_VERDICT_VALID, WARDEN_REASON_OK,
                "legacy 15-digit number; its 18-digit form is %s", up);
  }
  if (n != 18) return fail(r, WARDEN_REASON_BAD_LENGTH, "a citizen number has 18 characters (or 15 when legacy), found %zu", n);
  if (!all_digits(s, 17) || !(s[17] == 'X' || (s[17] >= '0' && s[17] <= '9')))
    return fail(r, WARDEN_REASON_BAD_FORMAT, "17 digits and a check character (digit or X) expected");
  if (warden_kyc_mod11_2(s) != s[17])
    return fail(r, WARDEN_REASON_BAD_CHECK_DIGIT, "check character %c does not match (ISO 7064 MOD 11-2)", s[17]);
  if (!take_birth8(r, s + 6, in->today)) return r->verdict;
  r->sex = (s[16] - '0') % 2 ? 'M' : 'F';
  uint32_t code = (uint32_t)dnum(s, 6);
  bool permit_prefix = code == 810000 || code == 820000 || code == 830000;
  if (in->type == WARDEN_DOC_RESIDENCE_PERMIT) {
    if (!permit_prefix)
      return fail(r, WARDEN_REASON_BAD_REGION, "a residence permit starts with 810000, 820000 or 830000, not %.6s", s);
    r->region = code;
  } else {
    int by, bm, bd;
    warden_date_to_ymd(r->birth, &by, &bm, &bd);
    if (permit_prefix)
      return fail(r, WARDEN_REASON_WRONG_TYPE, "prefix %.6s is a Hong Kong/Macao/Taiwan residence permit", s);
    if (!warden_kyc_region_ok(code, by))
      return fail(r, WARDEN_REASON_BAD_REGION, "region code %.6s was never in force at or after birth", s);
    r->region = code;
  }
  int32_t expiry = in->expiry;
  if (in->type == WARDEN_DOC_TEMP_RESIDENT && in->issued != WARDEN_NO_DATE) {
    int32_t e = warden_date_add_months(in->issued, 3); /* a temporary card: 3 months from issue */
    if (expiry == WARDEN_NO_DATE || e < expiry) expiry = e;
  }
  if (expired(r, expiry, in->today)) return r->verdict;
  if (in->type == WARDEN_DOC_RESIDENT && in->account_holder && warden_age_years(r->birth, in->today) < 16)
    return fail(r, WARDEN_REASON_UNDER_16, "holder is %d: under 16 registers with the household register",
                warden_age_years(r->birth, in->today));
  return pass(r, WARDEN_VERDICT_VALID, WARDEN_REASON_OK, "ok");
}

/* ---- foreign permanent resident id ---- */
static warden_verdict check_foreign_pr(const warden_kyc_input *in, warden_kyc_result *r) {
  const char *s = r->normalized;
  size_t n = strlen(s);
  if (n == 18) { /* 2023 format: 9 PP NNN YYYYMMDD SSS C */
    if (!all_digits(s, 17) || !(s[17] == 'X' || (s[17] >= '0' && s[17] <= '9')))
      return fail(r, WARDEN_REASON_BAD_FORMAT, "17 digits and a check character expected");
    if (s[0] != '9') return fail(r, WARDEN_REASON_BAD_FORMAT, "the 2023 format starts with 9");
    if (warden_kyc_mod11_2(s) != s[17])
      return fail(r, WARDEN_REASON_BAD_CHECK_DIGIT, "check character %c does not match (ISO 7064 MOD 11-2)", s[17]);
    uint32_t prov = (uint32_t)dnum(s + 1, 2);
    if (!warden_kyc_region_ok(prov * 10000, 0))
      return fail(r, WARDEN_REASON_BAD_REGION, "province of acceptance %.2s is unknown", s + 1);
    const warden_country *c = country_by_numeric((unsigned)dnum(s + 3, 3));
    if (!c) return fail(r, WARDEN_REASON_BAD_NATIONALITY, "nationality code %.3s is not in ISO 3166", s + 3);
    memcpy(r->nationality, c->alpha3, 4);
    r->region = prov;
    if (!take_birth8(r, s + 6, in->today)) return r->verdict;
    r->sex = (s[16] - '0') % 2 ? 'M' : 'F';
    if (expired(r, in->expiry, in->today)) return r->verdict;
    return pass(r, WARDEN_VERDICT_VALID, WARDEN_REASON_OK, "ok");
  }
  if (n == 15) { /* older format: AAA PP YYMMDD SS C */
    if (!all_upper(s, 3) || !all_digits(s + 3, 12))
      return fail(r, WARDEN_REASON_BAD_FORMAT, "the older format is 3 letters and 12 digits");
    const warden_country *c = country_by_alpha3(s);
    if (!c) return fail(r, WARDEN_REASON_BAD_NATIONALITY, "nationality %.3s is not an ISO 3166 alpha-3 code", s);
    memcpy(r->nationality, c->alpha3, 4);
    uint32_t prov = (uint32_t)dnum(s + 3, 2);
    if (!warden_kyc_region_ok(prov * 10000, 0))
      return fail(r, WARDEN_REASON_BAD_REGION, "province of acceptance %.2s is unknown", s + 3);
    r->region = prov;
    r->birth = yymmdd(s + 5, in->today, false);
    if (r->birth == WARDEN_NO_DATE) return fail(r, WARDEN_REASON_BAD_DATE, "birth date %.6s does not exist", s + 5);
    if (expired(r, in->expiry, in->today)) return r->verdict;
    return pass(r, WARDEN_VERDICT_FORMAT_ONLY, WARDEN_REASON_NO_PUBLIC_CHECK,
                "older format: no public rule for its check digit; verify the card itself");
  }
  return fail(r, WARDEN_REASON_BAD_LENGTH, "a foreign permanent resident id has 18 characters (15 in the older format), found %zu", n);
}

/* ---- travel permits ---- */
static warden_verdict check_hkmo(const warden_kyc_input *in, warden_kyc_result *r) {
  const char *s = r->normalized;
  size_t n = strlen(s);
  if (n != 9 && n != 11) return fail(r, WARDEN_REASON_BAD_LENGTH, "H or M, 8 digits, and an optional 2-digit issue count expected");
  if ((s[0] != 'H' && s[0] != 'M') || !all_digits(s + 1, n - 1))
    return fail(r, WARDEN_REASON_BAD_FORMAT, "starts with H (Hong Kong) or M (Macao), then digits");
  if (expired(r, in->expiry, in->today)) return r->verdict;
  return pass(r, WARDEN_VERDICT_FORMAT_ONLY, WARDEN_REASON_NO_PUBLIC_CHECK,
              "%s resident's permit; the number carries no public check digit",
              s[0] == 'H' ? "Hong Kong" : "Macao");
}

static warden_verdict check_tw(const warden_kyc_input *in, warden_kyc_result *r) {
  const char *s = r->normalized;
  size_t n = strlen(s);
  if (n != 8 && n != 10) return fail(r, WARDEN_REASON_BAD_LENGTH, "8 digits (older permits 10) expected, found %zu characters", n);
  if (!all_digits(s, n)) return fail(r, WARDEN_REASON_BAD_FORMAT, "digits only");
  if (expired(r, in->expiry, in->today)) return r->verdict;
  return pass(r, WARDEN_VERDICT_FORMAT_ONLY, WARDEN_REASON_NO_PUBLIC_CHECK,
              "Taiwan resident's permit; the number carries no public check digit");
}

/* ---- passport (ICAO 9303 TD3) ---- */
static warden_verdict check_passport(const warden_kyc_input *in, warden_kyc_result *r) {
  const char *s = r->normalized;
  size_t n = strlen(s);
  if (n < 5 || n > 9) return fail(r, WARDEN_REASON_BAD_LENGTH, "a passport number has 5 to 9 letters and digits, found %zu", n);
  if (!all_alnum(s, n)) return fail(r, WARDEN_REASON_BAD_FORMAT, "letters and digits only");
  if (!in->mrz || !*in->mrz) {
    if (expired(r, in->expiry, in->today)) return r->verdict;
    return pass(r, WARDEN_VERDICT_FORMAT_ONLY, WARDEN_REASON_NO_PUBLIC_CHECK,
                "format only: give the machine-readable zone's second line to verify the check digits");
  }
  char m[45];
  size_t ml = 0;
  for (const char *p = in->mrz; *p; p++) {
    if (*p == ' ') continue;
    if (ml == 44) return fail(r, WARDEN_REASON_BAD_LENGTH, "the MRZ's second line has 44 characters");
    m[ml++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
  }
  m[ml] = '\0';
  if (ml != 44) return fail(r, WARDEN_REASON_BAD_LENGTH, "the MRZ's second line has 44 characters, found %zu", ml);
  for (size_t i = 0; i < 44; i++)
    if (m[i] != '<' && alnum_value(m[i]) < 0) return fail(r, WARDEN_REASON_BAD_FORMAT, "MRZ character %zu is not A-Z, 0-9 or <", i + 1);
  static const struct { int at, len, check; const char *what; } f[] = {
      {0, 9, 9, "document number"}, {13, 6, 19, "birth date"}, {21, 6, 27, "expiry date"}};
  for (size_t i = 0; i < 3; i++)
    if (warden_kyc_mrz_check(m + f[i].at, (size_t)f[i].len) != m[f[i].check])
      return fail(r, WARDEN_REASON_BAD_CHECK_DIGIT, "MRZ check digit of the %s does not match", f[i].what);
  bool personal_empty = true;
  for (int i = 28; i < 42; i++) personal_empty &= m[i] == '<';
  if (!(personal_empty && (m[42] == '<' || m[42] == '0')) && warden_kyc_mrz_check(m + 28, 14) != m[42])
    return fail(r, WARDEN_REASON_BAD_CHECK_DIGIT, "MRZ check digit of the personal number does not match");
  char comp[40];
  memcpy(comp, m, 10);
  memcpy(comp + 10, m + 13, 7);
  memcpy(comp + 17, m + 21, 22);
  if (warden_kyc_mrz_check(comp, 39) != m[43])
    return fail(r, WARDEN_REASON_BAD_CHECK_DIGIT, "MRZ composite check digit does not match");
  char nat[4] = {m[10], m[11], m[12], '\0'};
  if (!warden_kyc_country_name(nat)) return fail(r, WARDEN_REASON_BAD_NATIONALITY, "nationality %s is not a known ICAO code", nat);
  memcpy(r->nationality, nat, 4);
  if (!all_digits(m + 13, 6) || (r->birth = yymmdd(m + 13, in->today, false)) == WARDEN_NO_DATE)
    return fail(r, WARDEN_REASON_BAD_DATE, "MRZ birth date %.6s does not exist", m + 13);
  int32_t mexp = all_digits(m + 21, 6) ? yymmdd(m + 21, in->today, true) : WARDEN_NO_DATE;
  if (mexp == WARDEN_NO_DATE) return fail(r, WARDEN_REASON_BAD_DATE, "MRZ expiry date %.6s does not exist", m + 21);
  r->sex = m[20] == 'M' ? 'M' : m[20] == 'F' ? 'F' : 0;
  char num[10];
  size_t k = 0;
  for (int i = 0; i < 9 && m[i] != '<'; i++) num[k++] = m[i];
  num[k] = '\0';
  if (strcmp(num, s) != 0) return fail(r, WARDEN_REASON_MRZ_MISMATCH, "the MRZ carries number %s", num);
  if (in->expiry != WARDEN_NO_DATE && in->expiry != mexp)
    return fail(r, WARDEN_REASON_MRZ_MISMATCH, "the expiry given differs from the MRZ's");
  if (expired(r, mexp, in->today)) return r->verdict;
  return pass(r, WARDEN_VERDICT_VALID, WARDEN_REASON_OK, "ok: every MRZ check digit verified");
}

/* ---- organisations ---- */
static warden_verdict check_orgcode9(warden_kyc_result *r, const char *s, warden_reason reason) {
  if (!all_alnum(s, 8) || !((s[8] >= '0' && s[8] <= '9') || s[8] == 'X'))
    return fail(r, reason, "organisation code %.9s: 8 letters or digits and a check character expected", s);
  if (warden_kyc_orgcode_check(s) != s[8])
    return fail(r, reason == WARDEN_REASON_BAD_FORMAT ? WARDEN_REASON_BAD_CHECK_DIGIT : reason,
                "organisation code %.9s: check character does not match (GB 11714)", s);
  memcpy(r->org_code, s, 9);
  r->org_code[9] = '\0';
  return WARDEN_VERDICT_VALID;
}

static warden_verdict check_uscc(const warden_kyc_input *in, warden_kyc_result *r, char want_authority) {
  const char *s = r->normalized;
  size_t n = strlen(s);
  if (n != 18) return fail(r, WARDEN_REASON_BAD_LENGTH, "a unified social credit code has 18 characters, found %zu", n);
  for (size_t i = 0; i < 18; i++)
    if (uscc_value(s[i]) < 0)
      return fail(r, WARDEN_REASON_BAD_FORMAT, "character %zu (%c) is not used in credit codes (0-9, A-Z without I O Z S V)", i + 1, s[i]);
  if (warden_kyc_uscc_check(s) != s[17])
    return fail(r, WARDEN_REASON_BAD_CHECK_DIGIT, "check character %c does not match (GB 32100 mod 31)", s[17]);
  if (!authority_find(s[0])) return fail(r, WARDEN_REASON_BAD_AUTHORITY, "registering-authority code %c is not assigned", s[0]);
  if (!warden_kyc_entity_name(s[0], s[1]))
    return fail(r, WARDEN_REASON_BAD_ENTITY_TYPE, "entity type %c is not assigned under authority %c", s[1], s[0]);
  r->authority = s[0];
  r->entity = s[1];
  if (!all_digits(s + 2, 6) || !warden_kyc_region_ok((uint32_t)dnum(s + 2, 6), 0))
    return fail(r, WARDEN_REASON_BAD_REGION, "registration region %.6s is not a GB/T 2260 code", s + 2);
  r->region = (uint32_t)dnum(s + 2, 6);
  if (check_orgcode9(r, s + 8, WARDEN_REASON_BAD_ORG_CODE) != WARDEN_VERDICT_VALID) return r->verdict;
  if (want_authority && s[0] != want_authority)
    return fail(r, WARDEN_REASON_WRONG_TYPE, "authority %c (%s) does not issue this document", s[0],
                warden_kyc_authority_name(s[0]));
  if (expired(r, in->expiry, in->today)) return r->verdict;
  return pass(r, WARDEN_VERDICT_VALID, WARDEN_REASON_OK, "ok");
}

static warden_verdict check_orgcode(const warden_kyc_input *in, warden_kyc_result *r) {
  const char *s = r->normalized;
  if (strlen(s) != 9) return fail(r, WARDEN_REASON_BAD_LENGTH, "an organisation code has 8 characters and a check character");
  if (check_orgcode9(r, s, WARDEN_REASON_BAD_FORMAT) != WARDEN_VERDICT_VALID) return r->verdict;
  if (expired(r, in->expiry, in->today)) return r->verdict;
  return pass(r, WARDEN_VERDICT_VALID, WARDEN_REASON_OK, "ok");
}

static warden_verdict check_free_form(const warden_kyc_input *in, warden_kyc_result *r) {
  if (in->type == WARDEN_DOC_INSTITUTION && strlen(r->normalized) == 18) return check_uscc(in, r, '1');
  if (in->type == WARDEN_DOC_SOCIAL_ORG && strlen(r->normalized) == 18) return check_uscc(in, r, '5');
  if (!r->normalized[0]) return fail(r, WARDEN_REASON_BAD_FORMAT, "empty");
  for (const unsigned char *p = (const unsigned char *)r->normalized; *p; p++)
    if (*p < 0x20 || *p == 0x7F) return fail(r, WARDEN_REASON_BAD_FORMAT, "control character in the number");
  if (expired(r, in->expiry, in->today)) return r->verdict;
  return pass(r, WARDEN_VERDICT_FORMAT_ONLY, WARDEN_REASON_NO_PUBLIC_CHECK,
              "no public check exists for a %s: verify the document itself", warden_doc_type_name(in->type));
}

/* ---- normalisation and detection ---- */
static bool normalize(const warden_kyc_input *in, warden_kyc_result *r) {
  /* Fast path: plain ASCII letters and digits, as nearly every number arrives. */
  if (in->len < sizeof r->normalized && in->type < WARDEN_DOC_MILITARY) {
    size_t i;
    for (i = 0; i < in->len; i++) {
      char c = in->number[i];
      if (c >= '0' && c <= '9') r->normalized[i] = c;
      else if (c >= 'A' && c <= 'Z') r->normalized[i] = c;
      else if (c >= 'a' && c <= 'z') r->normalized[i] = (char)(c - 32);
      else break;
    }
    if (i == in->len) {
      r->normalized[i] = '\0';
      return true;
    }
  }
  r->normalized[0] = '\0'; /* the fast path may have copied a prefix: start again */
  char folded[256];
  size_t fl;
  if (in->len >= sizeof folded || !warden_text_fold(in->number, in->len, folded, sizeof folded, &fl)) {
    if (in->len >= sizeof folded) fail(r, WARDEN_REASON_BAD_LENGTH, "far too long for any document number");
    else fail(r, WARDEN_REASON_BAD_FORMAT, "not valid UTF-8");
    return false;
  }
  bool free_form = in->type >= WARDEN_DOC_MILITARY && in->type != WARDEN_DOC_INSTITUTION &&
                   in->type != WARDEN_DOC_SOCIAL_ORG;
  size_t o = 0;
  for (size_t i = 0; i < fl; i++) {
    char c = folded[i];
    if (!free_form && (c == ' ' || c == '\t')) continue;
    if (!free_form && c == '-' && (in->type == WARDEN_DOC_ORG_CODE || in->type == WARDEN_DOC_UNKNOWN)) continue;
    if (o + 1 >= sizeof r->normalized) {
      r->normalized[0] = '\0'; /* never leave a half-copied number behind */
      fail(r, WARDEN_REASON_BAD_LENGTH, "longer than any document number");
      return false;
    }
    r->normalized[o++] = (!free_form && c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
  }
  while (free_form && o && r->normalized[o - 1] == ' ') o--;
  r->normalized[o] = '\0';
  if (free_form) { /* trim leading blanks */
    size_t k = 0;
    while (r->normalized[k] == ' ') k++;
    memmove(r->normalized, r->normalized + k, o - k + 1);
  }
  return true;
}

static warden_doc_type detect(const char *s) {
  size_t n = strlen(s);
  if (n == 18 && all_digits(s, 17) && (s[17] == 'X' || (s[17] >= '0' && s[17] <= '9'))) {
    if (s[0] == '8' && (s[1] == '1' || s[1] == '2' || s[1] == '3') && memcmp(s + 2, "0000", 4) == 0)
      return WARDEN_DOC_RESIDENCE_PERMIT;
    if (s[0] == '9') return WARDEN_DOC_FOREIGN_PR;
    return WARDEN_DOC_RESIDENT;
  }
  if (n == 18 && all_alnum(s, 18)) return WARDEN_DOC_USCC;
  if (n == 15 && all_digits(s, 15)) return WARDEN_DOC_RESIDENT;
  if (n == 15 && all_upper(s, 3) && all_digits(s + 3, 12)) return WARDEN_DOC_FOREIGN_PR;
  if ((n == 9 || n == 11) && (s[0] == 'H' || s[0] == 'M') && all_digits(s + 1, n - 1)) return WARDEN_DOC_HKMO_PERMIT;
  if ((n == 8 || n == 10) && all_digits(s, n)) return WARDEN_DOC_TW_PERMIT;
  if (n == 9 && all_alnum(s, 8) && warden_kyc_orgcode_check(s) == s[8]) return WARDEN_DOC_ORG_CODE;
  if (n >= 8 && n <= 9 && strchr("EGDSP", s[0]) && all_alnum(s, n) && all_digits(s + n - 7, 7)) return WARDEN_DOC_PASSPORT;
  return WARDEN_DOC_UNKNOWN;
}

void warden_kyc_input_init(warden_kyc_input *in, const char *number, size_t len) {
  memset(in, 0, sizeof *in);
  in->number = number;
  in->len = len;
  in->today = warden_today();
  in->expiry = in->issued = in->holder_birth = WARDEN_NO_DATE;
  in->account_holder = true;
}

warden_verdict warden_kyc_check(const warden_kyc_input *in0, warden_kyc_result *r) {
  warden_kyc_input in = *in0;
  r->type = in.type;
  r->assumed = false;
  r->verdict = WARDEN_VERDICT_INVALID;
  r->reason = WARDEN_REASON_OK;
  r->message[0] = r->normalized[0] = r->upgraded[0] = r->nationality[0] = r->org_code[0] = '\0';
  r->birth = r->expiry = WARDEN_NO_DATE;
  r->sex = r->authority = r->entity = 0;
  r->region = 0;
  r->legacy15 = false;
  if ((unsigned)in.type >= WARDEN_DOC__COUNT) return fail(r, WARDEN_REASON_UNKNOWN_TYPE, "unknown document type");
  if (!normalize(&in, r)) return r->verdict;
  if (in.type == WARDEN_DOC_UNKNOWN) {
    in.type = detect(r->normalized);
    r->type = in.type;
    r->assumed = true;
    if (in.type == WARDEN_DOC_UNKNOWN)
      return fail(r, r->normalized[0] ? WARDEN_REASON_UNKNOWN_TYPE : WARDEN_REASON_BAD_FORMAT,
                  r->normalized[0] ? "the number's shape matches no document type: give the type" : "empty");
  }
  if (!r->normalized[0]) return fail(r, WARDEN_REASON_BAD_FORMAT, "empty");
  switch (in.type) {
  case WARDEN_DOC_RESIDENT:
  case WARDEN_DOC_HOUSEHOLD:
  case WARDEN_DOC_TEMP_RESIDENT:
  case WARDEN_DOC_RESIDENCE_PERMIT:
    return check_citizen18(&in, r);
  case WARDEN_DOC_FOREIGN_PR: return check_foreign_pr(&in, r);
  case WARDEN_DOC_HKMO_PERMIT: return check_hkmo(&in, r);
  case WARDEN_DOC_TW_PERMIT: return check_tw(&in, r);
  case WARDEN_DOC_PASSPORT: return check_passport(&in, r);
  case WARDEN_DOC_USCC: return check_uscc(&in, r, 0);
  case WARDEN_DOC_BUSINESS_LICENCE: return check_uscc(&in, r, '9');
  case WARDEN_DOC_ORG_CODE: return check_orgcode(&in, r);
  default: return check_free_form(&in, r);
  }
}

bool warden_kyc_match_key(const warden_kyc_result *r, char *out, size_t cap) {
  if (!r->normalized[0] || r->reason == WARDEN_REASON_BAD_FORMAT || r->reason == WARDEN_REASON_BAD_LENGTH)
    return false;
  switch (r->type) {
  case WARDEN_DOC_RESIDENT:
  case WARDEN_DOC_HOUSEHOLD:
  case WARDEN_DOC_TEMP_RESIDENT:
  case WARDEN_DOC_RESIDENCE_PERMIT:
    snprintf(out, cap, "cn:%s", r->legacy15 ? r->upgraded : r->normalized);
    return true;
  case WARDEN_DOC_USCC:
  case WARDEN_DOC_BUSINESS_LICENCE:
  case WARDEN_DOC_INSTITUTION:
  case WARDEN_DOC_SOCIAL_ORG:
  case WARDEN_DOC_ORG_CODE:
    if (r->org_code[0]) snprintf(out, cap, "org:%s", r->org_code);
    else snprintf(out, cap, "%s:%s", warden_doc_type_name(r->type), r->normalized);
    return true;
  default:
    snprintf(out, cap, "%s:%s", warden_doc_type_name(r->type), r->normalized);
    return true;
  }
}
