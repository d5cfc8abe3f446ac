/* numbers.c — the pure part of the number inventory: kinds from the digits, the area-code table,
 * vanity grades and fees (NUM-CATALOG), money in fen, and usage slots (NUM-USAGE). No I/O, no
 * allocation, no global state. The registry-backed part is in inventory.c and catalogue.c, consent
 * in consent.c. */
#include <string.h>

#include "numbers.h"

/* ---- names ------------------------------------------------------------------------------------- */
static const char *const kind_names[WARDEN_NUMBER_KIND__COUNT] = {"400", "800", "mobile", "fixed"};
static const char *const state_names[WARDEN_NUMBER_STATE__COUNT] = {"available", "reserved",  "active",
                                                                    "frozen",    "recovered", "cancelled"};
static const char *const vanity_names[WARDEN_VANITY__COUNT] = {"AAAAA", "AAAA", "ABCDE", "AAA",   "ABCD",
                                                               "DCBA",  "AABB", "ABAB",  "LUCKY", "ORDINARY"};

const char *warden_number_kind_name(warden_number_kind k) {
  return (unsigned)k < WARDEN_NUMBER_KIND__COUNT ? kind_names[k] : "unknown";
}

warden_number_kind warden_number_kind_parse(const char *name) {
  for (int k = 0; k < WARDEN_NUMBER_KIND__COUNT; k++)
    if (name && !strcmp(name, kind_names[k])) return (warden_number_kind)k;
  if (name && (!strcmp(name, "landline") || !strcmp(name, "fixed-line"))) return WARDEN_NUMBER_FIXED;
  return WARDEN_NUMBER_KIND__COUNT;
}

const char *warden_number_state_name(warden_number_state s) {
  return (unsigned)s < WARDEN_NUMBER_STATE__COUNT ? state_names[s] : "unknown";
}

warden_number_state warden_number_state_parse(const char *name) {
  for (int s = 0; s < WARDEN_NUMBER_STATE__COUNT; s++)
    if (name && !strcmp(name, state_names[s])) return (warden_number_state)s;
  return WARDEN_NUMBER_STATE__COUNT;
}

const char *warden_number_vanity_name(warden_number_vanity v) {
  return (unsigned)v < WARDEN_VANITY__COUNT ? vanity_names[v] : "ORDINARY";
}

warden_number_vanity warden_number_vanity_parse(const char *name) {
  for (int v = 0; v < WARDEN_VANITY__COUNT; v++)
    if (name && !strcmp(name, vanity_names[v])) return (warden_number_vanity)v;
  return WARDEN_VANITY__COUNT;
}

/* ---- area codes ----------------------------------------------------------------------------------
 * Area code -> 2-digit GB/T 2260 province. 010 and 020-029 are the 3-digit codes of the largest
 * cities; every other code is 4 digits, one per prefecture. Codes retired by mergers (0410 Tieling,
 * 0565 Chaohu, 0634 Laiwu, 0732/0733 Xiangtan/Zhuzhou, 0852 Zunyi) still map to their province,
 * because old numbers are still written with them. Sorted, for a binary search. */
/* clang-format off */
static const struct area {
  char code[5];
  char province[3];
} areas[] = {
    {"010", "11"},  {"020", "44"},  {"021", "31"},  {"022", "12"},  {"023", "50"},  {"024", "21"},
    {"025", "32"},  {"027", "42"},  {"028", "51"},  {"029", "61"},
    /* Hebei 13 */
    {"0310", "13"}, {"0311", "13"}, {"0312", "13"}, {"0313", "13"}, {"0314", "13"}, {"0315", "13"},
    {"0316", "13"}, {"0317", "13"}, {"0318", "13"}, {"0319", "13"}, {"0335", "13"},
    /* Shanxi 14 */
    {"0349", "14"}, {"0350", "14"}, {"0351", "14"}, {"0352", "14"}, {"0353", "14"}, {"0354", "14"},
    {"0355", "14"}, {"0356", "14"}, {"0357", "14"}, {"0358", "14"}, {"0359", "14"},
    /* Henan 41 */
    {"0370", "41"}, {"0371", "41"}, {"0372", "41"}, {"0373", "41"}, {"0374", "41"}, {"0375", "41"},
    {"0376", "41"}, {"0377", "41"}, {"0378", "41"}, {"0379", "41"}, {"0391", "41"}, {"0392", "41"},
    {"0393", "41"}, {"0394", "41"}, {"0395", "41"}, {"0396", "41"}, {"0398", "41"},
    /* Liaoning 21 */
    {"0410", "21"}, {"0411", "21"}, {"0412", "21"}, {"0413", "21"}, {"0414", "21"}, {"0415", "21"},
    {"0416", "21"}, {"0417", "21"}, {"0418", "21"}, {"0419", "21"}, {"0421", "21"}, {"0427", "21"},
    {"0429", "21"},
    /* Jilin 22 */
    {"0431", "22"}, {"0432", "22"}, {"0433", "22"}, {"0434", "22"}, {"0435", "22"}, {"0436", "22"},
    {"0437", "22"}, {"0438", "22"}, {"0439", "22"},
    /* Heilongjiang 23 */
    {"0451", "23"}, {"0452", "23"}, {"0453", "23"}, {"0454", "23"}, {"0455", "23"}, {"0456", "23"},
    {"0457", "23"}, {"0458", "23"}, {"0459", "23"}, {"0464", "23"}, {"0467", "23"}, {"0468", "23"},
    {"0469", "23"},
    /* Inner Mongolia 15 */
    {"0470", "15"}, {"0471", "15"}, {"0472", "15"}, {"0473", "15"}, {"0474", "15"}, {"0475", "15"},
    {"0476", "15"}, {"0477", "15"}, {"0478", "15"}, {"0479", "15"}, {"0482", "15"}, {"0483", "15"},
    /* Jiangsu 32 */
    {"0510", "32"}, {"0511", "32"}, {"0512", "32"}, {"0513", "32"}, {"0514", "32"}, {"0515", "32"},
    {"0516", "32"}, {"0517", "32"}, {"0518", "32"}, {"0519", "32"}, {"0523", "32"}, {"0527", "32"},
    /* Shandong 37 (and 0631-0635 below) */
    {"0530", "37"}, {"0531", "37"}, {"0532", "37"}, {"0533", "37"}, {"0534", "37"}, {"0535", "37"},
    {"0536", "37"}, {"0537", "37"}, {"0538", "37"}, {"0539", "37"}, {"0543", "37"}, {"0546", "37"},
    /* Anhui 34 */
    {"0550", "34"}, {"0551", "34"}, {"0552", "34"}, {"0553", "34"}, {"0554", "34"}, {"0555", "34"},
    {"0556", "34"}, {"0557", "34"}, {"0558", "34"}, {"0559", "34"}, {"0561", "34"}, {"0562", "34"},
    {"0563", "34"}, {"0564", "34"}, {"0565", "34"}, {"0566", "34"},
    /* Zhejiang 33 */
    {"0570", "33"}, {"0571", "33"}, {"0572", "33"}, {"0573", "33"}, {"0574", "33"}, {"0575", "33"},
    {"0576", "33"}, {"0577", "33"}, {"0578", "33"}, {"0579", "33"}, {"0580", "33"},
    /* Fujian 35 */
    {"0591", "35"}, {"0592", "35"}, {"0593", "35"}, {"0594", "35"}, {"0595", "35"}, {"0596", "35"},
    {"0597", "35"}, {"0598", "35"}, {"0599", "35"},
    /* Shandong 37 */
    {"0631", "37"}, {"0632", "37"}, {"0633", "37"}, {"0634", "37"}, {"0635", "37"},
    /* Guangdong 44 (and 075x, 076x below) */
    {"0660", "44"}, {"0662", "44"}, {"0663", "44"}, {"0668", "44"},
    /* Yunnan 53 (and 087x, 088x below) */
    {"0691", "53"}, {"0692", "53"},
    /* Jiangxi 36 (and 079x below) */
    {"0701", "36"},
    /* Hubei 42 */
    {"0710", "42"}, {"0711", "42"}, {"0712", "42"}, {"0713", "42"}, {"0714", "42"}, {"0715", "42"},
    {"0716", "42"}, {"0717", "42"}, {"0718", "42"}, {"0719", "42"}, {"0722", "42"}, {"0724", "42"},
    {"0728", "42"},
    /* Hunan 43 */
    {"0730", "43"}, {"0731", "43"}, {"0732", "43"}, {"0733", "43"}, {"0734", "43"}, {"0735", "43"},
    {"0736", "43"}, {"0737", "43"}, {"0738", "43"}, {"0739", "43"}, {"0743", "43"}, {"0744", "43"},
    {"0745", "43"}, {"0746", "43"},
    /* Guangdong 44 */
    {"0750", "44"}, {"0751", "44"}, {"0752", "44"}, {"0753", "44"}, {"0754", "44"}, {"0755", "44"},
    {"0756", "44"}, {"0757", "44"}, {"0758", "44"}, {"0759", "44"}, {"0760", "44"}, {"0762", "44"},
    {"0763", "44"}, {"0766", "44"}, {"0768", "44"}, {"0769", "44"},
    /* Guangxi 45 */
    {"0770", "45"}, {"0771", "45"}, {"0772", "45"}, {"0773", "45"}, {"0774", "45"}, {"0775", "45"},
    {"0776", "45"}, {"0777", "45"}, {"0778", "45"}, {"0779", "45"},
    /* Jiangxi 36 */
    {"0790", "36"}, {"0791", "36"}, {"0792", "36"}, {"0793", "36"}, {"0794", "36"}, {"0795", "36"},
    {"0796", "36"}, {"0797", "36"}, {"0798", "36"}, {"0799", "36"},
    /* Sichuan 51 */
    {"0812", "51"}, {"0813", "51"}, {"0816", "51"}, {"0817", "51"}, {"0818", "51"}, {"0825", "51"},
    {"0826", "51"}, {"0827", "51"}, {"0830", "51"}, {"0831", "51"}, {"0832", "51"}, {"0833", "51"},
    {"0834", "51"}, {"0835", "51"}, {"0836", "51"}, {"0837", "51"}, {"0838", "51"}, {"0839", "51"},
    /* Guizhou 52 */
    {"0851", "52"}, {"0852", "52"}, {"0853", "52"}, {"0854", "52"}, {"0855", "52"}, {"0856", "52"},
    {"0857", "52"}, {"0858", "52"}, {"0859", "52"},
    /* Yunnan 53 */
    {"0870", "53"}, {"0871", "53"}, {"0872", "53"}, {"0873", "53"}, {"0874", "53"}, {"0875", "53"},
    {"0876", "53"}, {"0877", "53"}, {"0878", "53"}, {"0879", "53"}, {"0883", "53"}, {"0886", "53"},
    {"0887", "53"}, {"0888", "53"},
    /* Tibet 54 */
    {"0891", "54"}, {"0892", "54"}, {"0893", "54"}, {"0894", "54"}, {"0895", "54"}, {"0896", "54"},
    {"0897", "54"},
    /* Hainan 46 */
    {"0898", "46"},
    /* Xinjiang 65 (and 099x below) */
    {"0901", "65"}, {"0902", "65"}, {"0903", "65"}, {"0906", "65"}, {"0908", "65"}, {"0909", "65"},
    /* Shaanxi 61 */
    {"0911", "61"}, {"0912", "61"}, {"0913", "61"}, {"0914", "61"}, {"0915", "61"}, {"0916", "61"},
    {"0917", "61"}, {"0919", "61"},
    /* Gansu 62 */
    {"0930", "62"}, {"0931", "62"}, {"0932", "62"}, {"0933", "62"}, {"0934", "62"}, {"0935", "62"},
    {"0936", "62"}, {"0937", "62"}, {"0938", "62"}, {"0939", "62"}, {"0941", "62"}, {"0943", "62"},
    /* Ningxia 64 */
    {"0951", "64"}, {"0952", "64"}, {"0953", "64"}, {"0954", "64"}, {"0955", "64"},
    /* Qinghai 63 */
    {"0970", "63"}, {"0971", "63"}, {"0972", "63"}, {"0973", "63"}, {"0974", "63"}, {"0975", "63"},
    {"0976", "63"}, {"0977", "63"},
    /* Xinjiang 65 */
    {"0990", "65"}, {"0991", "65"}, {"0992", "65"}, {"0993", "65"}, {"0994", "65"}, {"0995", "65"},
    {"0996", "65"}, {"0997", "65"}, {"0998", "65"}, {"0999", "65"},
};
/* clang-format on */
#define NAREAS (sizeof areas / sizeof areas[0])

bool warden_number_area_province(const char *area, char out[3]) {
  size_t lo = 0, hi = NAREAS;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(areas[mid].code, area);
    if (c == 0) {
      memcpy(out, areas[mid].province, 3);
      return true;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

bool warden_number_province_valid(const char *code) {
  static const char valid[][3] = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
                                  "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
                                  "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"};
  if (!code || strlen(code) != 2) return false;
  for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
    if (!memcmp(valid[i], code, 2)) return true;
  return false;
}

/* ---- parsing ------------------------------------------------------------------------------------ */
static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return n > 0;
}

warden_status warden_number_parse(const char *text, warden_number_id *out, char *err, size_t errcap) {
  char folded[96], d[40];
  size_t flen, n = 0;
  memset(out, 0, sizeof *out);
  if (err && errcap) err[0] = '\0';
  size_t tl = text ? strlen(text) : 0;
  if (tl == 0) {
    if (err) snprintf(err, errcap, "no number given");
    return WARDEN_ERR_PARSE;
  }
  if (tl > 64 || !warden_text_fold(text, tl, folded, sizeof folded, &flen)) {
    if (err) snprintf(err, errcap, "'%.40s' is not a phone number", text);
    return WARDEN_ERR_PARSE;
  }
  bool intl = false;
  for (size_t i = 0; i < flen; i++) {
    char c = folded[i];
    if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') continue;
    if (c == '+' && n == 0 && !intl) {
      intl = true;
      continue;
    }
    if (c < '0' || c > '9' || n + 1 >= sizeof d) {
      if (err) snprintf(err, errcap, "'%s' is not a phone number (digits, blanks and dashes only)", text);
      return WARDEN_ERR_PARSE;
    }
    d[n++] = c;
  }
  d[n] = '\0';
  const char *p = d;
  if (intl) {
    if (strncmp(d, "86", 2)) {
      if (err) snprintf(err, errcap, "'%s' is not a Chinese number (only +86 is accepted)", text);
      return WARDEN_ERR_PARSE;
    }
    p += 2;
  } else if (!strncmp(d, "0086", 4)) {
    p += 4;
    intl = true;
  }
  size_t len = strlen(p);
  /* In international form a fixed line drops its trunk 0: +86 755 1234 5678 is 0755 1234 5678. */
  bool mobile_shape = len == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9';
  bool service_shape = len == 10 && (!strncmp(p, "400", 3) || !strncmp(p, "800", 3));
  if (intl && len > 0 && p[0] != '0' && !mobile_shape && !service_shape) {
    if (len + 1 >= sizeof out->digits) goto bad_length;
    out->digits[0] = '0';
    memcpy(out->digits + 1, p, len + 1);
  } else {
    if (len >= sizeof out->digits) goto bad_length;
    memcpy(out->digits, p, len + 1);
  }
  p = out->digits;
  len = strlen(p);
  if (len == 0) {
    if (err) snprintf(err, errcap, "'%s' has no digits after the country code", text);
    return WARDEN_ERR_PARSE;
  }
  if (!strncmp(p, "400", 3) || !strncmp(p, "800", 3)) {
    if (len != 10) {
      if (err) snprintf(err, errcap, "%s: a %.3s number is %.3s and 7 digits, this one has %zu digits", p, p, p, len);
      return WARDEN_ERR_PARSE;
    }
    out->kind = p[0] == '4' ? WARDEN_NUMBER_400 : WARDEN_NUMBER_800;
    return WARDEN_OK;
  }
  if (p[0] == '1') {
    if (p[1] < '3' || p[1] > '9' || len != 11) {
      if (err) snprintf(err, errcap, "%s: a mobile number is 1, then 3-9, then 9 digits", p);
      return WARDEN_ERR_PARSE;
    }
    out->kind = WARDEN_NUMBER_MOBILE;
    return WARDEN_OK;
  }
  if (p[0] == '0') {
    if (len < 10 || len > 12) {
      if (err)
        snprintf(err, errcap, "%s: a fixed line is 0, its area code and the subscriber number, 10-12 digits, not %zu",
                 p, len);
      return WARDEN_ERR_PARSE;
    }
    size_t alen = (p[1] == '1' || p[1] == '2') ? 3 : 4;
    if (len - alen < 7 || len - alen > 8) {
      if (err)
        snprintf(err, errcap, "%s: after area code %.*s the subscriber number is 7 or 8 digits, not %zu", p, (int)alen,
                 p, len - alen);
      return WARDEN_ERR_PARSE;
    }
    memcpy(out->area, p, alen);
    out->area[alen] = '\0';
    if (!warden_number_area_province(out->area, out->province)) {
      if (err) snprintf(err, errcap, "%s: unknown area code %s", p, out->area);
      out->area[0] = '\0';
      return WARDEN_ERR_PARSE;
    }
    out->kind = WARDEN_NUMBER_FIXED;
    return WARDEN_OK;
  }
  if (err)
    snprintf(err, errcap, "%s is not a 400 or 800 number, a mobile (1[3-9] + 9 digits) or a fixed line (0 + area code)",
             p);
  return WARDEN_ERR_PARSE;
bad_length:
  if (err) snprintf(err, errcap, "'%s' is too long for a phone number", text);
  return WARDEN_ERR_PARSE;
}

/* ---- vanity grade (NUM-CATALOG) -------------------------------------------------------------------- */
static bool equal_run(const char *t, int n) {
  for (int i = 1; i < n; i++)
    if (t[i] != t[0]) return false;
  return true;
}

static bool step_run(const char *t, int n, int step) {
  for (int i = 1; i < n; i++)
    if (t[i] - t[i - 1] != step) return false;
  return true;
}

warden_number_vanity warden_number_grade(const char *digits) {
  size_t len = digits ? strlen(digits) : 0;
  if (len < 5 || !all_digits(digits + len - 5, 5)) return WARDEN_VANITY_ORDINARY;
  const char *t5 = digits + len - 5, *t4 = t5 + 1, *t3 = t5 + 2;
  if (equal_run(t5, 5)) return WARDEN_VANITY_AAAAA;
  if (equal_run(t4, 4)) return WARDEN_VANITY_AAAA;
  if (step_run(t5, 5, 1)) return WARDEN_VANITY_ABCDE;
  if (equal_run(t3, 3)) return WARDEN_VANITY_AAA;
  if (step_run(t4, 4, 1)) return WARDEN_VANITY_ABCD;
  if (step_run(t4, 4, -1)) return WARDEN_VANITY_DCBA;
  if (t4[0] == t4[1] && t4[2] == t4[3] && t4[0] != t4[2]) return WARDEN_VANITY_AABB;
  if (t4[0] == t4[2] && t4[1] == t4[3] && t4[0] != t4[1]) return WARDEN_VANITY_ABAB;
  int lucky = 0;
  for (int i = 0; i < 4; i++)
    lucky += t4[i] == '6' || t4[i] == '8' || t4[i] == '9';
  if (lucky >= 3) return WARDEN_VANITY_LUCKY;
  return WARDEN_VANITY_ORDINARY;
}

int64_t warden_number_fee(const warden_policy *p, warden_number_vanity v) {
  return warden_policy_get(p, "vanity", warden_number_vanity_name(v));
}

/* ---- usage slots (NUM-USAGE) ----------------------------------------------------------------------- */
/* Reads "HH:MM" at s (exactly 5 bytes); 24:00 only when end_ok. -1 when malformed. */
static int read_hhmm(const char *s, bool end_ok) {
  if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' && s[3] >= '0' && s[3] <= '5' &&
        s[4] >= '0' && s[4] <= '9'))
    return -1;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h == 24 && m == 0 && end_ok) return 1440;
  if (h > 23) return -1;
  return h * 60 + m;
}

/* One slot "HH:MM-HH:MM" in s[0..n), blanks around it allowed. 0 ok; 1 malformed; 2 start >= end. */
static int read_slot(const char *s, size_t n, warden_number_slot *out) {
  while (n && (*s == ' ' || *s == '\t')) {
    s++;
    n--;
  }
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n != 11 || s[5] != '-') return 1;
  int a = read_hhmm(s, false), b = read_hhmm(s + 6, true);
  if (a < 0 || b < 0) return 1;
  out->start = a;
  out->end = b;
  return a < b ? 0 : 2;
}

static void fmt_minute(int m, char out[6]) {
  snprintf(out, 6, "%02d:%02d", m / 60 % 100, m % 60);
}

warden_status warden_number_slots_parse(const char *text, warden_number_slot out[WARDEN_NUMBER_MAX_SLOTS], size_t *n,
                                        char *err, size_t errcap) {
  *n = 0;
  if (err && errcap) err[0] = '\0';
  if (!text || !*text) {
    if (err) snprintf(err, errcap, "no time slots given (HH:MM-HH:MM, China Standard Time)");
    return WARDEN_ERR_PARSE;
  }
  for (const char *s = text;;) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    if (*n == WARDEN_NUMBER_MAX_SLOTS) {
      if (err) snprintf(err, errcap, "more than %d time slots", WARDEN_NUMBER_MAX_SLOTS);
      return WARDEN_ERR_PARSE;
    }
    warden_number_slot sl;
    int rc = read_slot(s, len, &sl);
    if (rc == 1) {
      if (err)
        snprintf(err, errcap, "slot '%.*s' is not HH:MM-HH:MM (China Standard Time)", (int)(len > 40 ? 40 : len), s);
      return WARDEN_ERR_PARSE;
    }
    if (rc == 2) {
      if (err)
        snprintf(err, errcap,
                 "slot '%.*s': the start must be before the end; a slot may not cross midnight, write two "
                 "(e.g. 22:00-24:00,00:00-06:00)",
                 (int)len, s);
      return WARDEN_ERR_PARSE;
    }
    /* insertion in start order */
    size_t i = *n;
    while (i > 0 && out[i - 1].start > sl.start) {
      out[i] = out[i - 1];
      i--;
    }
    out[i] = sl;
    (*n)++;
    if (!comma) break;
    s = comma + 1;
  }
  for (size_t i = 1; i < *n; i++)
    if (out[i].start < out[i - 1].end) {
      char a[6], b[6], c[6], d[6];
      fmt_minute(out[i - 1].start, a);
      fmt_minute(out[i - 1].end, b);
      fmt_minute(out[i].start, c);
      fmt_minute(out[i].end, d);
      if (err) snprintf(err, errcap, "slots %s-%s and %s-%s overlap", a, b, c, d);
      *n = 0;
      return WARDEN_ERR_PARSE;
    }
  return WARDEN_OK;
}

void warden_number_slots_format(const warden_number_slot *s, size_t n, char *out, size_t cap) {
  size_t used = 0;
  if (cap) out[0] = '\0';
  for (size_t i = 0; i < n && used < cap; i++) {
    char a[6], b[6];
    fmt_minute(s[i].start, a);
    fmt_minute(s[i].end, b);
    int w = snprintf(out + used, cap - used, "%s%s-%s", i ? "," : "", a, b);
    if (w < 0) break;
    used += (size_t)w;
  }
}

bool warden_number_slot_allows(const char *slots, int minute_of_day_cst) {
  if (!slots || !*slots || minute_of_day_cst < 0 || minute_of_day_cst >= 1440) return false;
  bool hit = false;
  for (const char *s = slots;;) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    warden_number_slot sl;
    if (read_slot(s, len, &sl) != 0) return false; /* malformed anywhere: nothing is allowed */
    if (minute_of_day_cst >= sl.start && minute_of_day_cst < sl.end) hit = true;
    if (!comma) return hit;
    s = comma + 1;
  }
}
