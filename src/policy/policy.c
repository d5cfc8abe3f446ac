/* policy.c — the policy file: schema, parser and validation. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

extern const warden_embedded warden_default_policy[];
extern const size_t warden_default_policy_count;

typedef enum { U_MONEY, U_DAYS, U_WORKDAYS, U_HOURS, U_MONTHS, U_PERMILLE, U_COUNT, U_MINUTES, U_SECONDS, U_PERCENT,
               U_CLOCK, U_ACTION } unit;

static const char *const unit_words[] = {"yuan|fen", "days",    "working days", "hours",   "months", "permille",
                                         "",         "minutes", "seconds",      "percent", "HH:MM",
                                         "EN-* | review EN-* | none"};

/* The case kinds a trigger may open (U_ACTION values: index * 2, + 1 for "review"); 0 is none. */
static const char *const action_kinds[] = {"none", "EN-FRAUD", "EN-FRAUD-SERIOUS", "EN-RESALE", "EN-RESALE-ILLEGAL",
                                           "EN-NOSERVICE", "EN-HARASS", "EN-DOCS", "EN-AGENT-TERM", "EN-ILLEGAL-HOST",
                                           "EN-COLLATERAL", "EN-SECURITY", "EN-INCIDENT"};
#define NACTIONS (sizeof action_kinds / sizeof action_kinds[0])

/* The schema: every key the code reads. Append; a key removed is a key an old file still has. */
static const struct key {
  const char *section, *key;
  unit u;
} schema[] = {
    {"numbers", "cooloff", U_DAYS},
    {"vanity", "AAAAA", U_MONEY},
    {"vanity", "AAAA", U_MONEY},
    {"vanity", "ABCDE", U_MONEY},
    {"vanity", "AAA", U_MONEY},
    {"vanity", "ABCD", U_MONEY},
    {"vanity", "DCBA", U_MONEY},
    {"vanity", "AABB", U_MONEY},
    {"vanity", "ABAB", U_MONEY},
    {"vanity", "LUCKY", U_MONEY},
    {"vanity", "ORDINARY", U_MONEY},
    {"vanity", "opening", U_MONEY},
    {"contracts", "term", U_MONTHS},
    {"contracts", "renewal", U_MONTHS},
    {"contracts", "notice", U_MONTHS},
    {"contracts", "provision", U_WORKDAYS},
    {"contracts", "restore_fault", U_HOURS},
    {"contracts", "restore_fibre", U_HOURS},
    {"arrears", "late_fee", U_PERMILLE},
    {"arrears", "dunning_after", U_DAYS},
    {"arrears", "suspend_after", U_DAYS},
    {"arrears", "terminate_after", U_DAYS},
    {"deposits", "equipment", U_MONEY},
    {"deposits", "illegal_host_margin", U_MONEY},
    {"detect", "autodial_window", U_SECONDS},
    {"detect", "autodial_calls", U_COUNT},
    {"detect", "autodial_callees", U_COUNT},
    {"detect", "autodial_short", U_PERCENT},
    {"detect", "autodial_short_secs", U_SECONDS},
    {"detect", "segment_run", U_COUNT},
    {"detect", "segment_digits", U_COUNT},
    {"detect", "segment_step", U_COUNT},
    {"detect", "rest_from", U_CLOCK},
    {"detect", "rest_to", U_CLOCK},
    {"detect", "fwd_hops", U_COUNT},
    {"detect", "idle_evict", U_SECONDS},
    {"link", "hub_cap", U_COUNT},
    {"link", "ipv4_prefix", U_COUNT},
    {"link", "ipv6_prefix", U_COUNT},
    {"link", "min_share", U_PERMILLE},
    {"enforce", "review", U_WORKDAYS},
    {"enforce", "fine_due", U_WORKDAYS},
    {"enforce", "fraud_fine", U_MONEY},
    {"enforce", "resale_rectify", U_WORKDAYS},
    {"enforce", "resale_fine", U_MONEY},
    {"enforce", "resale_repeat_fine", U_MONEY},
    {"enforce", "resale_illegal_rectify", U_WORKDAYS},
    {"enforce", "resale_illegal_fine", U_MONEY},
    {"enforce", "resale_illegal_pay", U_WORKDAYS},
    {"enforce", "harass_complaints", U_COUNT},
    {"enforce", "host_warnings", U_COUNT},
    {"enforce", "collateral_restore", U_HOURS},
    {"enforce", "collateral_compensation", U_PERCENT},
    {"enforce", "incident_report", U_HOURS},
    {"enforce", "assoc_review", U_WORKDAYS},
    {"enforce", "agent_term_failing", U_COUNT},
    {"triggers", "TR-400-OUT", U_ACTION},
    {"triggers", "TR-SPOOF", U_ACTION},
    {"triggers", "TR-AUTODIAL", U_ACTION},
    {"triggers", "TR-SEGMENT", U_ACTION},
    {"triggers", "TR-RESTHOURS", U_ACTION},
    {"triggers", "TR-SLOT", U_ACTION},
    {"triggers", "TR-CROSSPROV", U_ACTION},
    {"triggers", "TR-FWDCHAIN", U_ACTION},
    {"triggers", "complaint-fraud", U_ACTION},
    {"triggers", "complaint-harassment", U_ACTION},
    {"triggers", "complaint-service", U_ACTION},
    {"triggers", "complaint-content", U_ACTION},
    {"triggers", "kyc-forged", U_ACTION},
    {"triggers", "kyc-agent", U_ACTION},
};
#define NKEYS (sizeof schema / sizeof schema[0])

struct warden_policy {
  int64_t value[NKEYS];
  char rule[NKEYS][96];
  char source[512];
};

static void trim(char **s, size_t *n) {
  while (*n && isspace((unsigned char)**s)) { (*s)++; (*n)--; }
  while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* Parses "25000 yuan", "150 fen", "90 days", "5 working days", "3 permille", "60". */
static const char *parse_value(unit u, const char *s, size_t n, int64_t *out) {
  char buf[64];
  if (n >= sizeof buf) return "value too long";
  memcpy(buf, s, n);
  buf[n] = '\0';
  if (u == U_ACTION) { /* "EN-FRAUD", "review EN-FRAUD" or "none" */
    const char *kind = buf;
    int review = 0;
    if (!strncmp(buf, "review ", 7)) {
      review = 1;
      for (kind = buf + 7; *kind == ' '; kind++) {}
    }
    for (size_t i = 0; i < NACTIONS; i++)
      if (!strcmp(kind, action_kinds[i]) && !(i == 0 && review)) {
        *out = (int64_t)i * 2 + review;
        return NULL;
      }
    return "expected a case kind (EN-FRAUD, EN-HARASS ...), 'review' and a kind, or none";
  }
  if (u == U_CLOCK) { /* HH:MM, kept as minutes after midnight */
    if (n != 5 || buf[2] != ':' || buf[0] < '0' || buf[0] > '2' || buf[1] < '0' || buf[1] > '9' || buf[3] < '0' ||
        buf[3] > '5' || buf[4] < '0' || buf[4] > '9')
      return "expected a time of day (e.g. 21:00)";
    int hh = (buf[0] - '0') * 10 + (buf[1] - '0'), mm = (buf[3] - '0') * 10 + (buf[4] - '0');
    if (hh > 23) return "expected a time of day (e.g. 21:00)";
    *out = hh * 60 + mm;
    return NULL;
  }
  char *end;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (end == buf || errno) return "a whole number is expected";
  if (v < 0) return "negative values are not allowed";
  while (*end == ' ') end++;
  const char *word = end;
  switch (u) {
  case U_MONEY:
    if (!strcmp(word, "yuan")) {
      if (v > INT64_MAX / 100) return "amount too large";
      *out = v * 100;
    } else if (!strcmp(word, "fen")) {
      *out = v;
    } else {
      return "money needs a unit: yuan or fen";
    }
    return NULL;
  case U_COUNT:
    if (*word) return "a plain count is expected";
    *out = v;
    return NULL;
  case U_SECONDS: /* seconds, or minutes or hours converted to seconds */
    if (!strcmp(word, "seconds") || !strcmp(word, "second")) *out = v;
    else if (!strcmp(word, "minutes") || !strcmp(word, "minute")) *out = v * 60;
    else if (!strcmp(word, "hours") || !strcmp(word, "hour")) *out = v * 3600;
    else return "expected seconds, minutes or hours (e.g. 60 minutes)";
    return NULL;
  case U_PERCENT:
    if (strcmp(word, "percent") || v > 100) return "expected a percentage (e.g. 50 percent)";
    *out = v;
    return NULL;
  default:
    if (strcmp(word, unit_words[u]) && !(v == 1 && !strncmp(word, unit_words[u], strlen(word)) &&
                                         strlen(word) + 1 == strlen(unit_words[u])))
      return u == U_DAYS       ? "expected days (e.g. 90 days)"
             : u == U_WORKDAYS ? "expected working days (e.g. 5 working days)"
             : u == U_HOURS    ? "expected hours (e.g. 12 hours)"
             : u == U_MONTHS   ? "expected months (e.g. 12 months)"
                               : "expected permille (e.g. 3 permille)";
    *out = v;
    return NULL;
  }
}

static warden_status parse(warden_policy *p, const char *name, const char *text, size_t len, warden_buf *errors) {
  bool seen[NKEYS] = {false};
  char section[64] = "";
  int nerr = 0;
  unsigned long line = 0;
  for (const char *s = text, *end = text + len; s < end;) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
    char *l = (char *)s; /* not written through: trim only moves the pointer */
    line++;
    s += n + (nl ? 1 : 0);
    const char *hash = memchr(l, '#', n);
    const char *comment = hash ? hash + 1 : NULL;
    size_t clen = hash ? n - (size_t)(hash + 1 - l) : 0;
    if (hash) n = (size_t)(hash - l);
    trim(&l, &n);
    if (!n) continue;
#define ERR(...)                                                                                   \
  do {                                                                                             \
    warden_buf_addf(errors, "%s:%lu: ", name, line);                                               \
    warden_buf_addf(errors, __VA_ARGS__);                                                          \
    warden_buf_addc(errors, '\n');                                                                 \
    nerr++;                                                                                        \
  } while (0)
    if (l[0] == '[') {
      if (l[n - 1] != ']' || n < 3 || n - 2 >= sizeof section) { ERR("a section header is [name]"); continue; }
      memcpy(section, l + 1, n - 2);
      section[n - 2] = '\0';
      bool known = false;
      for (size_t k = 0; k < NKEYS; k++) known |= !strcmp(schema[k].section, section);
      if (!known) ERR("unknown section [%s]", section);
      continue;
    }
    const char *eq = memchr(l, '=', n);
    if (!eq) { ERR("expected key = value"); continue; }
    char *key = l, *val = (char *)eq + 1;
    size_t kn = (size_t)(eq - l), vn = n - kn - 1;
    trim(&key, &kn);
    trim(&val, &vn);
    if (!section[0]) { ERR("'%.*s' comes before any [section]", (int)kn, key); continue; }
    size_t k;
    for (k = 0; k < NKEYS; k++)
      if (!strcmp(schema[k].section, section) && strlen(schema[k].key) == kn && !memcmp(schema[k].key, key, kn)) break;
    if (k == NKEYS) { ERR("unknown key '%.*s' in [%s]", (int)kn, key, section); continue; }
    if (seen[k]) { ERR("'%s' is set twice in [%s]", schema[k].key, section); continue; }
    seen[k] = true;
    const char *why = parse_value(schema[k].u, val, vn, &p->value[k]);
    if (why) { ERR("%s.%s = '%.*s': %s", section, schema[k].key, (int)vn, val, why); continue; }
    /* the rule id the comment cites, kept for `policy show` */
    p->rule[k][0] = '\0';
    if (comment) {
      char *c = (char *)comment;
      size_t cn = clen;
      trim(&c, &cn);
      snprintf(p->rule[k], sizeof p->rule[k], "%.*s", (int)cn, c);
    }
#undef ERR
  }
  for (size_t k = 0; k < NKEYS; k++)
    if (!seen[k]) {
      warden_buf_addf(errors, "%s: missing %s.%s\n", name, schema[k].section, schema[k].key);
      nerr++;
    }
  if (!nerr) { /* values that must agree with each other */
    int64_t evict = warden_policy_get(p, "detect", "idle_evict"), window = warden_policy_get(p, "detect", "autodial_window");
    if (evict < window) {
      /* a number's state dropped while its TR-AUTODIAL window still counts would lose calls, and
       * the findings would depend on when the engine happens to sweep (and so on --threads) */
      warden_buf_addf(errors, "%s: detect.idle_evict (%lld s) is shorter than detect.autodial_window (%lld s): a number's window would be dropped while it still counts\n",
                      name, (long long)evict, (long long)window);
      nerr++;
    }
  }
  return nerr ? WARDEN_ERR_PARSE : WARDEN_OK;
}

warden_status warden_policy_load(const char *path, warden_policy **out, warden_buf *errors) {
  *out = NULL;
  if (!path || !*path) path = getenv("WARDEN_POLICY");
  warden_policy *p = calloc(1, sizeof *p);
  if (!p) return WARDEN_ERR_NOMEM;
  warden_status st;
  if (!path || !*path) {
    snprintf(p->source, sizeof p->source, "(built-in default)");
    st = parse(p, "default.policy", warden_default_policy[0].text, warden_default_policy[0].len, errors);
  } else {
    snprintf(p->source, sizeof p->source, "%s", path);
    FILE *f = fopen(path, "rb");
    if (!f) {
      warden_buf_addf(errors, "%s: %s\n", path, strerror(errno));
      free(p);
      return WARDEN_ERR_IO;
    }
    warden_buf text;
    warden_buf_init(&text, 1 << 20);
    char chunk[4096];
    size_t n;
    st = WARDEN_OK;
    while (!st && (n = fread(chunk, 1, sizeof chunk, f)) > 0) st = warden_buf_add(&text, chunk, n);
    fclose(f);
    if (st) warden_buf_addf(errors, "%s: larger than 1 MB\n", path);
    else if (!warden_utf8_valid(warden_buf_str(&text), text.len)) {
      warden_buf_addf(errors, "%s: not valid UTF-8\n", path);
      st = WARDEN_ERR_PARSE;
    } else if (memchr(warden_buf_str(&text), '\0', text.len)) {
      warden_buf_addf(errors, "%s: contains a NUL byte\n", path);
      st = WARDEN_ERR_PARSE;
    } else {
      st = parse(p, path, warden_buf_str(&text), text.len, errors);
    }
    warden_buf_release(&text);
  }
  if (st) {
    free(p);
    return st;
  }
  *out = p;
  return WARDEN_OK;
}

void warden_policy_free(warden_policy *p) { free(p); }

int64_t warden_policy_get(const warden_policy *p, const char *section, const char *key) {
  for (size_t k = 0; k < NKEYS; k++)
    if (!strcmp(schema[k].section, section) && !strcmp(schema[k].key, key)) return p->value[k];
  return INT64_MIN;
}

const char *warden_policy_source(const warden_policy *p) { return p->source; }

const char *warden_policy_action(const warden_policy *p, const char *trigger, bool *review) {
  int64_t v = warden_policy_get(p, "triggers", trigger);
  if (review) *review = v > 0 && v % 2;
  if (v <= 1) return NULL;
  return action_kinds[(size_t)v / 2 % NACTIONS];
}

warden_status warden_policy_write(const warden_policy *p, warden_buf *out) {
  const char *section = "";
  warden_buf_addf(out, "# effective policy, from %s\n", p->source);
  for (size_t k = 0; k < NKEYS; k++) {
    if (strcmp(section, schema[k].section)) {
      section = schema[k].section;
      warden_buf_addf(out, "\n[%s]\n", section);
    }
    char val[64];
    int64_t v = p->value[k];
    switch (schema[k].u) {
    case U_MONEY:
      if (v % 100) snprintf(val, sizeof val, "%lld fen", (long long)v);
      else snprintf(val, sizeof val, "%lld yuan", (long long)(v / 100));
      break;
    case U_COUNT: snprintf(val, sizeof val, "%lld", (long long)v); break;
    case U_ACTION:
      snprintf(val, sizeof val, "%s%s", v % 2 ? "review " : "", action_kinds[(size_t)v / 2 % NACTIONS]);
      break;
    case U_CLOCK: snprintf(val, sizeof val, "%02lld:%02lld", (long long)(v / 60), (long long)(v % 60)); break;
    case U_SECONDS:
      if (v % 3600 == 0 && v >= 7200) snprintf(val, sizeof val, "%lld hours", (long long)(v / 3600));
      else if (v % 60 == 0 && v) snprintf(val, sizeof val, "%lld minutes", (long long)(v / 60));
      else snprintf(val, sizeof val, "%lld seconds", (long long)v);
      break;
    default: snprintf(val, sizeof val, "%lld %s", (long long)v, unit_words[schema[k].u]); break;
    }
    char left[128];
    snprintf(left, sizeof left, "%s = %s", schema[k].key, val);
    warden_status st = warden_buf_addf(out, "%-34s # %s\n", left, p->rule[k]);
    if (st) return st;
  }
  return WARDEN_OK;
}
