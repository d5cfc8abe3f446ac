/* registry_gen.c — `warden gen registry`: a channel of distributors, agents and customers with a
 * realistic share of bad documents (wrong check digits, expired, unknown region, under 16, forged
 * formats, impossible dates), skewed toward a few careless agents as real channels are. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "../kyc/kyc.h"
#include "gen.h"

void warden_rng_seed(warden_rng *g, uint64_t seed) {
  for (int i = 0; i < 4; i++) { /* splitmix64 */
    uint64_t z = (seed += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    g->s[i] = z ^ (z >> 31);
  }
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t warden_rng_next(warden_rng *g) {
  uint64_t *s = g->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return r;
}

uint64_t warden_rng_below(warden_rng *g, uint64_t n) {
  __extension__ typedef unsigned __int128 u128;
  return n ? (uint64_t)(((u128)warden_rng_next(g) * n) >> 64) : 0;
}

double warden_rng_unit(warden_rng *g) { return (double)(warden_rng_next(g) >> 11) * 0x1.0p-53; }

static int32_t rand_birth(warden_rng *g, int from_year, int to_year) {
  int32_t a = warden_date_from_ymd(from_year, 1, 1), b = warden_date_from_ymd(to_year, 12, 31);
  return a + (int32_t)warden_rng_below(g, (uint64_t)(b - a + 1));
}

static void resident_from(warden_rng *g, uint32_t region, int32_t birth, char out[19]) {
  int y, m, d;
  warden_date_to_ymd(birth, &y, &m, &d);
  snprintf(out, 19, "%06u%04d%02d%02d%03u", region % 1000000, y, m, d, (unsigned)warden_rng_below(g, 1000));
  out[17] = warden_kyc_mod11_2(out);
  out[18] = '\0';
}

void warden_gen_resident(warden_rng *g, char out[19]) {
  uint32_t region = warden_kyc_region_current((size_t)warden_rng_below(g, 1u << 20));
  resident_from(g, region, rand_birth(g, 1950, 2005), out);
}

void warden_gen_uscc(warden_rng *g, char out[19]) {
  static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const char *const kinds[] = {"91", "91", "91", "91", "92", "93", "12", "52"};
  uint32_t region = warden_kyc_region_current((size_t)warden_rng_below(g, 1u << 20));
  char org[10];
  for (;;) {
    for (int i = 0; i < 8; i++) org[i] = alpha[warden_rng_below(g, i == 0 ? 31 : 10 + (i > 5 ? 21 : 0))];
    org[8] = warden_kyc_orgcode_check(org);
    if (strchr(alpha, org[8])) break; /* an X check can't sit in a credit code */
  }
  org[9] = '\0';
  snprintf(out, 19, "%s%06u%s", kinds[warden_rng_below(g, 8)], region, org);
  out[17] = warden_kyc_uscc_check(out);
  out[18] = '\0';
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                    "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "建国"};
static const char *const trades[] = {"科技", "贸易", "物流", "信息技术", "电子商务", "餐饮管理", "教育咨询", "网络"};

typedef enum { BAD_NONE, BAD_CHECK, BAD_EXPIRED, BAD_REGION, BAD_UNDER16, BAD_FORGED, BAD_DATE, BAD_FUTURE } badkind;

static badkind pick_bad(warden_rng *g, double rate) {
  if (warden_rng_unit(g) >= rate) return BAD_NONE;
  static const badkind mix[] = {BAD_CHECK, BAD_CHECK, BAD_CHECK, BAD_EXPIRED, BAD_EXPIRED, BAD_EXPIRED,
                                BAD_REGION, BAD_REGION, BAD_UNDER16, BAD_UNDER16, BAD_FORGED, BAD_FORGED,
                                BAD_DATE, BAD_FUTURE};
  return mix[warden_rng_below(g, sizeof mix / sizeof mix[0])];
}

/* A personal document line (without the leading party id), bad as asked. */
static void personal_doc(warden_rng *g, badkind bad, int32_t today, bool holder, FILE *f, const char *party,
                         const char *role) {
  char num[32], expiry[16] = "";
  int32_t birth = rand_birth(g, 1950, 2005);
  uint32_t region = warden_kyc_region_current((size_t)warden_rng_below(g, 1u << 20));
  const char *type = "resident";
  double r = warden_rng_unit(g);
  if (bad == BAD_NONE && r < 0.04) { /* the other documents of KYC-DOC-PERSON */
    static const char *const others[] = {"hkmo-permit", "tw-permit", "residence-permit", "foreign-pr"};
    type = others[warden_rng_below(g, 4)];
    if (!strcmp(type, "hkmo-permit")) snprintf(num, sizeof num, "%c%08u", warden_rng_below(g, 2) ? 'H' : 'M', (unsigned)warden_rng_below(g, 100000000));
    else if (!strcmp(type, "tw-permit")) snprintf(num, sizeof num, "%08u", (unsigned)warden_rng_below(g, 100000000));
    else {
      static const unsigned prefixes[] = {810000, 820000, 830000};
      if (!strcmp(type, "residence-permit")) resident_from(g, prefixes[warden_rng_below(g, 3)], birth, num);
      else { /* foreign-pr 2023: 9 PP NNN YYYYMMDD SSS C */
        int y, m, d;
        static const unsigned nat[] = {840, 392, 410, 276, 250, 826, 36, 124};
        warden_date_to_ymd(birth, &y, &m, &d);
        snprintf(num, sizeof num, "9%02u%03u%04d%02d%02d%03u", region / 10000, nat[warden_rng_below(g, 8)], y, m, d,
                 (unsigned)warden_rng_below(g, 1000));
        num[17] = warden_kyc_mod11_2(num);
        num[18] = '\0';
      }
    }
    int32_t e = today + 200 + (int32_t)warden_rng_below(g, 3000);
    warden_date_format(e, expiry);
  } else {
    switch (bad) {
    case BAD_UNDER16: birth = today - 365 * 10 - (int32_t)warden_rng_below(g, 365 * 5); break;
    case BAD_FUTURE: birth = today + 30 + (int32_t)warden_rng_below(g, 3000); break;
    default: break;
    }
    if (bad == BAD_UNDER16 && !holder) birth = rand_birth(g, 1960, 1990);
    if (bad == BAD_REGION) region = 990000 + (uint32_t)warden_rng_below(g, 9999); /* never assigned */
    resident_from(g, region, birth, num);
    if (bad == BAD_CHECK) num[17] = num[17] == '0' ? '1' : (num[17] == 'X' ? '3' : '0');
    if (bad == BAD_DATE) { memcpy(num + 10, "0231", 4); num[17] = warden_kyc_mod11_2(num); }
    if (bad == BAD_FORGED) { num[5 + warden_rng_below(g, 8)] = 'A'; }
    int32_t e = bad == BAD_EXPIRED ? today - 1 - (int32_t)warden_rng_below(g, 2000) : today + 365 + (int32_t)warden_rng_below(g, 7300);
    warden_date_format(e, expiry);
  }
  fprintf(f, "%s,%s,%s,%s,%s\n", party, type, num, expiry, role);
}

warden_status warden_gen_registry(const warden_gen_registry_opts *o, warden_gen_registry_stats *stats,
                                  char *err, size_t errcap) {
  warden_rng g;
  FILE *fp = NULL, *fa = NULL, *fd = NULL, *fn = NULL, *fl = NULL;
  char path[600];
  warden_status st = WARDEN_OK;
  memset(stats, 0, sizeof *stats);
  warden_rng_seed(&g, o->seed);
  mkdir(o->dir, 0700);
  const char *names[5] = {"parties.csv", "accounts.csv", "documents.csv", "numbers.csv", "plan.csv"};
  FILE **files[5] = {&fp, &fa, &fd, &fn, &fl};
  for (int i = 0; i < 5; i++) {
    snprintf(path, sizeof path, "%s/%s", o->dir, names[i]);
    *files[i] = fopen(path, "w");
    if (!*files[i]) {
      snprintf(err, errcap, "%s: %s", path, strerror(errno));
      st = WARDEN_ERR_IO;
      goto done;
    }
  }
  fputs("party_id,kind,name\n", fp);
  fputs("account_id,party_id,role,parent_id,state\n", fa);
  fputs("party_id,type,number,expiry,role\n", fd);
  fputs("number,kind,province\n", fn);
  fputs("customer,landing,service\n", fl);

  long ndist = o->customers / 2000 + 2, nagents = o->customers / 40 + 3;
  fprintf(fp, "P-PLATFORM,organisation,warden 示范平台有限公司\n");
  fprintf(fa, "platform,P-PLATFORM,platform,,active\n");
  stats->parties++;
  stats->accounts++;
  char num[32];
  for (long i = 0; i < ndist + nagents; i++) {
    bool dist = i < ndist;
    long k = dist ? i : i - ndist;
    uint32_t region = warden_kyc_region_current((size_t)warden_rng_below(&g, 1u << 20));
    const char *city = warden_kyc_region_name(region / 100 * 100);
    fprintf(fp, "P-%s%05ld,organisation,%s%s%s%s有限公司\n", dist ? "D" : "A", k, city ? city : "",
            trades[warden_rng_below(&g, 8)], dist ? "通信" : "", dist ? "总经销" : "代理");
    if (dist) fprintf(fa, "dist-%05ld,P-D%05ld,distributor,platform,active\n", k, k);
    else fprintf(fa, "agent-%05ld,P-A%05ld,agent,dist-%05ld,active\n", k, k, (long)warden_rng_below(&g, (uint64_t)ndist));
    stats->parties++;
    stats->accounts++;
  }
  /* their documents: a credit code, and the legal representative's id */
  for (long i = 0; i < ndist + nagents; i++) {
    bool dist = i < ndist;
    long k = dist ? i : i - ndist;
    char party[32];
    snprintf(party, sizeof party, "P-%s%05ld", dist ? "D" : "A", k);
    warden_gen_uscc(&g, num);
    num[0] = '9';
    num[1] = '1';
    num[17] = warden_kyc_uscc_check(num);
    fprintf(fd, "%s,uscc,%s,,holder\n", party, num);
    personal_doc(&g, BAD_NONE, o->today, false, fd, party, "legal_rep");
    stats->documents += 2;
  }
  /* careless agents: one in ten draws five times the bad documents */
  for (long c = 0; c < o->customers; c++) {
    long agent = (long)warden_rng_below(&g, (uint64_t)nagents);
    double rate = agent % 10 == 7 ? 0.45 : 0.09;
    bool org = warden_rng_unit(&g) < 0.4;
    char party[32];
    snprintf(party, sizeof party, "P-C%06ld", c);
    uint32_t region = 0;
    if (org) {
      region = warden_kyc_region_current((size_t)warden_rng_below(&g, 1u << 20));
      const char *city = warden_kyc_region_name(region / 100 * 100);
      fprintf(fp, "%s,organisation,%s%s%s有限公司\n", party, city ? city : "", surnames[warden_rng_below(&g, 20)],
              trades[warden_rng_below(&g, 8)]);
    } else {
      fprintf(fp, "%s,individual,%s%s\n", party, surnames[warden_rng_below(&g, 20)], given[warden_rng_below(&g, 20)]);
    }
    fprintf(fa, "cust-%06ld,%s,customer,agent-%05ld,active\n", c, party, agent);
    stats->parties++;
    stats->accounts++;
    badkind bad = pick_bad(&g, rate);
    if (bad != BAD_NONE) stats->planted_bad++;
    if (org) {
      warden_gen_uscc(&g, num);
      if (bad == BAD_CHECK) num[17] = num[17] == '0' ? '1' : '0';
      if (bad == BAD_FORGED) num[3] = 'I';
      char expiry[16] = "";
      if (bad == BAD_EXPIRED) warden_date_format(o->today - 1 - (int32_t)warden_rng_below(&g, 900), expiry);
      fprintf(fd, "%s,uscc,%s,%s,holder\n", party, num, expiry);
      stats->documents++;
      if (bad == BAD_UNDER16 || bad == BAD_DATE || bad == BAD_FUTURE || bad == BAD_REGION) {
        personal_doc(&g, bad == BAD_UNDER16 ? BAD_CHECK : bad, o->today, false, fd, party, "legal_rep");
        stats->documents++;
      } else if (warden_rng_unit(&g) < 0.97) {
        personal_doc(&g, BAD_NONE, o->today, false, fd, party, "legal_rep");
        stats->documents++;
      } else {
        stats->planted_bad++; /* no legal representative's id at all (KYC-400-DOCS) */
      }
      /* its application for a 400 number (NUM-CATALOG, KYC-LANDING): a mobile landing in its own
       * province, and a service number, one in twelve with a vanity tail */
      char landing[16], service[16];
      static const char *const tails[] = {"8888", "6666", "9999", "1234", "6688", "6868", "5678", "9876", "0000"};
      snprintf(landing, sizeof landing, "13%09u", (unsigned)warden_rng_below(&g, 1000000000));
      if (warden_rng_below(&g, 12) == 0)
        snprintf(service, sizeof service, "400%03u%s", (unsigned)warden_rng_below(&g, 1000), tails[warden_rng_below(&g, 9)]);
      else
        snprintf(service, sizeof service, "400%07u", (unsigned)warden_rng_below(&g, 10000000));
      fprintf(fn, "%s,mobile,%02u\n%s,400,%02u\n", landing, region / 10000, service, region / 10000);
      fprintf(fl, "cust-%06ld,%s,%s\n", c, landing, service);
      stats->numbers += 2;
    } else {
      personal_doc(&g, bad, o->today, true, fd, party, "holder");
      stats->documents++;
    }
  }
done:
  for (int i = 0; i < 5; i++)
    if (*files[i] && fclose(*files[i]) != 0 && !st) {
      snprintf(err, errcap, "%s/%s: write failed", o->dir, names[i]);
      st = WARDEN_ERR_IO;
    }
  return st;
}
