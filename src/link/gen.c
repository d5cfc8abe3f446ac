/* gen.c — `warden gen accounts`: accounts, their keys and holdings with planted associations of
 * every key type (ASSOC-KEYS), written in the many forms people write them, and the true clusters.
 *
 * Every account has five keys of its own (phone, e-mail, device, address, citizen number; an IP for
 * one in ten) made from its index through a bijection, so they never meet by chance; with the
 * planted rows that is about six keys an account. Accounts are then dealt into
 * groups (most alone); the members of a group are joined by a random tree of planted links, or a
 * star (one value shared by all), each link of one type with its two sides written differently:
 *
 *   type           side A                         side B
 *   -------------  -----------------------------  -----------------------------------
 *   doc (person)   11010519491231002X             110105491231002 / …002x / full-width
 *   doc (org)      91350100M000100Y43             M000100Y-4 / m000100y4
 *   phone          +86 159 1234 5678              0086-15912345678 / 159-1234-5678
 *   email          Link1f@Corp7.CN                 link1f@corp7.cn
 *   domain_holder  Hengda Trading Co., Ltd. 12    HENGDA TRADING CO LTD 12 / full-width
 *   payment        6217 0000 0000 0012            6217000000000012
 *   device         5C:00:00:00:00:0C              5c-00-00-00-00-0c / 5C000000000C
 *   ip             45.0.0.12 / 2400:cb00::c       ::ffff:45.0.0.12 / 2400:cb00:0:0:0:0:0:c
 *   address        广东省广州市白云区螺涌北路三街12—14号  广州白云区螺涌北路3街12-14号 / 十二至十四 /
 *                                                 full-width digits / spaces
 *   legal_rep      doc: the person's number       legal_rep: 王伟;the number in another form
 *   contact        contact: 王 伟;+86 159…        contact: 王伟;159-…
 *   executive      executive: Li Wei;number       executive: LI WEI;15-digit number
 *   equity         A holds B / A holds entity X holds B / entity H holds A and B
 *
 * Traps that must link nothing: hub values held by hub_cap + 1 … hub_cap + 100 accounts, the
 * placeholders (00000000000, unknown, 无, 0.0.0.0, 02:00:00:00:00:00, REDACTED FOR PRIVACY …), and
 * people by name alone. One group of exactly hub_cap accounts shares one phone: at the cap a key
 * still links. The truth file gives each account its planted group. */
#include <stdlib.h>
#include <string.h>

#include "../gen/gen.h"
#include "../kyc/kyc.h"
#include "link.h"

enum { K_DOC, K_ORG, K_PHONE, K_EMAIL, K_DOMAIN, K_PAYMENT, K_DEVICE, K_IP, K_ADDRESS, K_LEGAL_REP, K_CONTACT,
       K_EXECUTIVE, K_EQUITY, K__LINKS, K_HUB = 20, K_PLACEHOLDER, K_NAME_ONLY };

typedef struct plant {
  uint32_t account, id; /* id: the link, hub or placeholder number */
  uint8_t kind, variant;
} plant;

typedef struct gen {
  warden_rng r;
  plant *p;
  size_t n, cap;
  FILE *keys, *equity;
  long nkeys, nequity;
  uint32_t hub_cap;
} gen;

static bool plant_add(gen *g, uint32_t account, uint32_t id, int kind, int variant) {
  if (g->n == g->cap) {
    size_t nc = g->cap ? g->cap * 2 : 1 << 16;
    plant *np = realloc(g->p, nc * sizeof *np);
    if (!np) return false;
    g->p = np;
    g->cap = nc;
  }
  g->p[g->n++] = (plant){account, id, (uint8_t)kind, (uint8_t)variant};
  return true;
}

static uint32_t scramble(uint32_t x) { return (uint32_t)(((uint64_t)x * 48271u + 12345u) % 100000000u); }

/* ---- values ---- */
/* A citizen number born in 1930-1998: region from the table's n-th current code. */
static void person_doc(uint32_t id, size_t region_index, char out[19]) {
  uint32_t code = warden_kyc_region_current(region_index);
  int32_t day = warden_date_from_ymd(1930, 1, 1) + (int32_t)((id / 990) % 25000);
  int y, m, d;
  warden_date_to_ymd(day, &y, &m, &d);
  /* sequence codes 996-999 marked centenarians in 15-digit numbers: not used here */
  snprintf(out, 19, "%06u%04d%02d%02d%03u", code, y, m, d, id % 990);
  out[17] = warden_kyc_mod11_2(out);
  out[18] = '\0';
}

static void fullwidth(const char *s, char *out, size_t cap) {
  size_t o = 0;
  for (; *s && o + 4 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c > 0x20 && c < 0x7F) {
      unsigned cp = 0xFF01 + (c - 0x21);
      out[o++] = (char)(0xE0 | (cp >> 12));
      out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
      out[o++] = (char)(0x80 | (cp & 0x3F));
    } else {
      out[o++] = (char)c;
    }
  }
  out[o] = '\0';
}

static void doc_variant(uint32_t id, int v, char *out, size_t cap) {
  char n[19];
  person_doc(id, 7, n);
  switch (v % 4) {
  case 0: snprintf(out, cap, "%s", n); break;
  case 1: snprintf(out, cap, "%.6s%.6s%.3s", n, n + 8, n + 14); break; /* the 15-digit form */
  case 2:
    if (n[17] == 'X') n[17] = 'x';
    snprintf(out, cap, "%.6s %.8s %.4s", n, n + 6, n + 14);
    break;
  default: fullwidth(n, out, cap); break;
  }
}

static void org_variant(uint32_t id, int v, char *out, size_t cap) {
  char uscc[19], org[10];
  snprintf(org, sizeof org, "%08u", 10000000u + id % 80000000u);
  org[8] = warden_kyc_orgcode_check(org);
  org[9] = '\0';
  snprintf(uscc, sizeof uscc, "91%06u%s", warden_kyc_region_current(11), org);
  uscc[17] = warden_kyc_uscc_check(uscc);
  uscc[18] = '\0';
  switch (v % 3) {
  case 0: snprintf(out, cap, "%s", uscc); break;
  case 1: snprintf(out, cap, "%.8s-%c", org, org[8]); break;
  default:
    for (size_t i = 0; i < 19; i++) uscc[i] = (char)(uscc[i] >= 'A' && uscc[i] <= 'Z' ? uscc[i] + 32 : uscc[i]);
    snprintf(out, cap, "%s", uscc);
    break;
  }
}

static void phone_variant(const char *prefix, uint32_t id, int v, char *out, size_t cap) {
  char d[12];
  snprintf(d, sizeof d, "%s%08u", prefix, scramble(id));
  switch (v % 5) {
  case 0: snprintf(out, cap, "+86 %.3s %.4s %.4s", d, d + 3, d + 7); break;
  case 1: snprintf(out, cap, "0086-%s", d); break;
  case 2: snprintf(out, cap, "%.3s-%.4s-%.4s", d, d + 3, d + 7); break;
  case 3: snprintf(out, cap, "86 %s", d); break;
  default: snprintf(out, cap, "%s", d); break;
  }
}

static const char *const companies[] = {"Hengda Trading", "Xinghai Network", "Jinlong Telecom", "Huaxin Cloud",
                                        "Tianrui Media", "Boyuan Data"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰"};
static const char *const pinyin_s[] = {"Wang", "Li", "Zhang", "Liu", "Chen"};
static const char *const pinyin_g[] = {"Wei", "Fang", "Na", "Min", "Jing", "Qiang"};

static void name_variant(uint32_t id, int v, char *out, size_t cap) {
  if (id % 3 == 0) {
    const char *s = pinyin_s[id % 5], *gv = pinyin_g[(id / 5) % 6];
    if (v % 2) snprintf(out, cap, "%s %s", s, gv);
    else {
      char t[64];
      snprintf(t, sizeof t, "%s %s", s, gv);
      for (char *c = t; *c; c++) *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
      snprintf(out, cap, "%s", t);
    }
    return;
  }
  const char *s = surnames[id % 10], *gv = given[(id / 10) % 12];
  snprintf(out, cap, v % 2 ? "%s %s" : "%s%s", s, gv);
}

/* Regions whose names resolve one way written in full or short. */
static const char *const places[][3] = {
    {"广东省", "广州市", "白云区"}, {"广东省", "广州市", "天河区"}, {"广东省", "深圳市", "南山区"},
    {"广东省", "深圳市", "福田区"}, {"浙江省", "杭州市", "西湖区"}, {"江苏省", "南京市", "玄武区"},
    {"四川省", "成都市", "武侯区"}, {"湖北省", "武汉市", "洪山区"}, {"北京市", "", "海淀区"},
    {"上海市", "", "徐汇区"},      {"福建省", "厦门市", "思明区"}, {"陕西省", "西安市", "雁塔区"}};
#define NPLACES (sizeof places / sizeof places[0])
static const char *const roads[] = {"螺涌北路", "天河北路", "科技园路", "文三路", "中山东路", "人民南路",
                                    "珞喻路", "中关村南路", "漕溪北路", "湖滨南路", "长安南路", "解放西路"};
#define NROADS (sizeof roads / sizeof roads[0])

/* 12 -> 十二, 105 -> 一百零五, 110 -> 一百一十 (n < 1000). */
static void cn_write(unsigned n, char *out, size_t cap) {
  static const char *const dg[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  unsigned h = n / 100, t = (n / 10) % 10, u = n % 10;
  snprintf(out, cap, "%s%s%s%s%s%s", h ? dg[h] : "", h ? "百" : "", h && !t && u ? "零" : "",
           t && (t > 1 || h) ? dg[t] : "", t ? "十" : "", u || !n ? dg[u] : "");
}

static void address_variant(uint32_t id, int v, char *out, size_t cap) {
  uint32_t q = id;
  const char *const *pl = places[q % NPLACES];
  q /= NPLACES;
  const char *road = roads[q % NROADS];
  q /= NROADS;
  unsigned street = 1 + q % 9;
  q /= 9;
  unsigned a = 1 + q % 900, room = 1 + q / 900;
  char city_short[32];
  const char *city = pl[1][0] ? pl[1] : pl[0];
  snprintf(city_short, sizeof city_short, "%.*s", (int)strlen(city) - 3, city); /* 市 is one character */
  char s1[32], s2[32], s3[32], fa[64], fb[64], fs[16], fr[64], n1[16], n2[16], rr[16];
  switch (v % 5) {
  case 0:
    cn_write(street, s1, sizeof s1);
    snprintf(out, cap, "%s%s%s%s%s街%u—%u号%u室", pl[0], pl[1], pl[2], road, s1, a, a + 2, room);
    break;
  case 1: snprintf(out, cap, "%s%s%s%u街%u-%u号%u室", city_short, pl[2], road, street, a, a + 2, room); break;
  case 2:
    cn_write(street, s1, sizeof s1);
    cn_write(a, s2, sizeof s2);
    cn_write(a + 2, s3, sizeof s3);
    snprintf(out, cap, "%s%s%s%s%s街%s至%s号%u室", pl[0], pl[1], pl[2], road, s1, s2, s3, room);
    break;
  case 3:
    snprintf(n1, sizeof n1, "%u", a);
    snprintf(n2, sizeof n2, "%u", a + 2);
    snprintf(rr, sizeof rr, "%u", room);
    snprintf(fs, sizeof fs, "%u", street);
    fullwidth(n1, fa, sizeof fa);
    fullwidth(n2, fb, sizeof fb);
    fullwidth(rr, fr, sizeof fr);
    fullwidth(fs, s1, sizeof s1);
    snprintf(out, cap, "%s%s%s%s街%s－%s号%s室", pl[1][0] ? pl[1] : pl[0], pl[2], road, s1, fa, fb, fr);
    break;
  default:
    snprintf(out, cap, "%s %s %s %s%u街%u~%u号 %u室", pl[0], pl[1], pl[2], road, street, a, a + 2, room);
    break;
  }
}

/* One planted row: kind and variant give the type and the written form. */
static void plant_write(gen *g, const char *acct, const plant *p) {
  char v[512], d[96], nm[64];
  const char *type = NULL;
  uint32_t id = p->id;
  switch (p->kind) {
  case K_DOC: type = "doc"; doc_variant(id, p->variant, v, sizeof v); break;
  case K_ORG: type = "doc"; org_variant(id, p->variant, v, sizeof v); break;
  case K_PHONE: type = "phone"; phone_variant("159", id, p->variant, v, sizeof v); break;
  case K_EMAIL:
    type = "email";
    if (p->variant % 2) snprintf(v, sizeof v, "Link%X@Corp%u.CN", id, id % 9);
    else snprintf(v, sizeof v, " link%x@corp%u.cn ", id, id % 9);
    break;
  case K_DOMAIN: {
    type = "domain_holder";
    char t[128];
    snprintf(t, sizeof t, "%s Co., Ltd. %u", companies[id % 6], id);
    if (p->variant % 3 == 1) for (char *c = t; *c; c++) *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c == ',' || *c == '.' ? ' ' : *c);
    if (p->variant % 3 == 2) fullwidth(t, v, sizeof v);
    else snprintf(v, sizeof v, "%s", t);
    break;
  }
  case K_PAYMENT: {
    type = "payment";
    char c[17];
    snprintf(c, sizeof c, "6217%012u", id);
    if (p->variant % 2) snprintf(v, sizeof v, "%.4s %.4s %.4s %.4s", c, c + 4, c + 8, c + 12);
    else snprintf(v, sizeof v, "%s", c);
    break;
  }
  case K_DEVICE: {
    type = "device";
    uint64_t x = id;
    unsigned b[5] = {(unsigned)(x >> 32) & 255, (unsigned)(x >> 24) & 255, (unsigned)(x >> 16) & 255,
                     (unsigned)(x >> 8) & 255, (unsigned)x & 255};
    if (p->variant % 3 == 0) snprintf(v, sizeof v, "5C:%02X:%02X:%02X:%02X:%02X", b[0], b[1], b[2], b[3], b[4]);
    else if (p->variant % 3 == 1) snprintf(v, sizeof v, "5c-%02x-%02x-%02x-%02x-%02x", b[0], b[1], b[2], b[3], b[4]);
    else snprintf(v, sizeof v, "5C%02X%02X%02X%02X%02X", b[0], b[1], b[2], b[3], b[4]);
    break;
  }
  case K_IP:
    type = "ip";
    if (id % 2 == 0) {
      unsigned x = id / 2;
      snprintf(v, sizeof v, "%s45.%u.%u.%u", p->variant % 2 ? "::ffff:" : "", (x >> 16) & 255, (x >> 8) & 255, x & 255);
    } else {
      if (p->variant % 2) snprintf(v, sizeof v, "2400:cb00:0:0:0:0:%x:%x", id >> 16, id & 0xFFFF);
      else snprintf(v, sizeof v, "2400:CB00::%X:%X", id >> 16, id & 0xFFFF);
    }
    break;
  case K_ADDRESS: type = "address"; address_variant(id, p->variant, v, sizeof v); break;
  case K_LEGAL_REP:
    if (p->variant % 2 == 0) {
      type = "doc";
      doc_variant(id, p->variant / 2, v, sizeof v);
    } else {
      type = "legal_rep";
      name_variant(id, p->variant, nm, sizeof nm);
      doc_variant(id, p->variant / 2 + 1, d, sizeof d);
      snprintf(v, sizeof v, "%s;%s", nm, d);
    }
    break;
  case K_CONTACT:
    type = "contact";
    name_variant(id, p->variant, nm, sizeof nm);
    phone_variant("177", id, p->variant, d, sizeof d);
    snprintf(v, sizeof v, "%s;%s", nm, d);
    break;
  case K_EXECUTIVE:
    type = "executive";
    name_variant(id, p->variant, nm, sizeof nm);
    doc_variant(id, p->variant, d, sizeof d);
    snprintf(v, sizeof v, "%s;%s", nm, d);
    break;
  case K_HUB: {
    static const char *const ht[] = {"phone", "ip", "device", "email", "address"};
    type = ht[id % 5];
    switch (id % 5) {
    case 0: snprintf(v, sizeof v, "400%07u", 8000000 + id); break;
    case 1: snprintf(v, sizeof v, "61.%u.%u.1", (id >> 8) & 255, id & 255); break;
    case 2: snprintf(v, sizeof v, "3C:00:00:00:%02X:%02X", (id >> 8) & 255, id & 255); break;
    case 3: snprintf(v, sizeof v, "service%u@platform.cn", id); break;
    default: snprintf(v, sizeof v, "广东省深圳市南山区科技园路%u号平台大厦", id + 1); break;
    }
    break;
  }
  case K_PLACEHOLDER: {
    static const char *const pt[][2] = {
        {"phone", "00000000000"}, {"phone", "unknown"}, {"email", "none@none.com"}, {"address", "无"},
        {"address", "未知"}, {"device", "02:00:00:00:00:00"}, {"ip", "0.0.0.0"}, {"ip", "127.0.0.1"},
        {"ip", "192.168.1.1"}, {"doc", "000000000000000000"}, {"domain_holder", "REDACTED FOR PRIVACY"},
        {"payment", "0000 0000 0000 0000"}, {"address", "广东省广州市"}, {"device", "unknown"},
        {"email", "test@test.com"}, {"phone", ""}, {"legal_rep", "张伟;无"}};
    type = pt[id % 17][0];
    snprintf(v, sizeof v, "%s", pt[id % 17][1]);
    break;
  }
  case K_NAME_ONLY:
    type = id % 2 ? "legal_rep" : "contact";
    snprintf(v, sizeof v, "%s", id % 3 ? "张伟" : "王芳;");
    break;
  default: return;
  }
  /* quote when the value holds a comma (a domain holder's "Co., Ltd.") */
  if (strchr(v, ',')) fprintf(g->keys, "%s,%s,\"%s\"\n", acct, type, v);
  else fprintf(g->keys, "%s,%s,%s\n", acct, type, v);
  g->nkeys++;
}

static void base_keys(gen *g, const char *acct, uint32_t i) {
  char doc[19], addr[256];
  uint32_t s = scramble(i);
  person_doc(i, 13 + i / 24750000u, doc);
  const char *const *pl = places[(i / 7) % NPLACES];
  snprintf(addr, sizeof addr, "%s%s%s%s%u号1单元", pl[0], pl[1], pl[2], roads[i % NROADS], i / (uint32_t)NROADS + 1);
  fprintf(g->keys, "%s,phone,138%08u\n%s,email,u%x@mail%u.com\n%s,device,86%013u\n%s,address,%s\n%s,doc,%s\n", acct,
          s, acct, s, i % 7, acct, s, acct, addr, acct, doc);
  g->nkeys += 5;
  if (i % 10 == 0) { /* an IP seen at sign-up, for one account in ten */
    fprintf(g->keys, "%s,ip,%u.%u.%u.%u\n", acct, 20 + (i >> 24), (i >> 16) & 255, (i >> 8) & 255, i & 255);
    g->nkeys++;
  }
}

static void equity_write(gen *g, const plant *p, const char *a, const char *b) {
  unsigned share = 10 + (p->id * 37u) % 990; /* per mille */
  char x[24];
  snprintf(x, sizeof x, "EN%08u", p->id);
  switch (p->variant % 3) {
  case 0: fprintf(g->equity, "%s,%s,0.%03u\n", a, b, share); g->nequity++; break;
  case 1: fprintf(g->equity, "%s,%s,0.%03u\n%s,%s,0.%03u\n", a, x, share, x, b, 10 + (p->id * 53u) % 990); g->nequity += 2; break;
  default: fprintf(g->equity, "%s,%s,0.%03u\n%s,%s,0.%03u\n", x, a, share, x, b, share); g->nequity += 2; break;
  }
}

static int by_account(const void *a, const void *b) {
  const plant *x = a, *y = b;
  if (x->account != y->account) return x->account < y->account ? -1 : 1;
  return 0;
}

static int by_link(const void *a, const void *b) {
  const plant *x = a, *y = b;
  if (x->id != y->id) return x->id < y->id ? -1 : 1;
  return x->variant < y->variant ? -1 : x->variant > y->variant;
}

static void id_of(uint32_t i, char out[16]) { snprintf(out, 16, "AC%08u", i); }

warden_status warden_link_gen(const warden_link_gen_opts *o, warden_link_gen_stats *st, char *err, size_t errcap) {
  gen g = {0};
  FILE *acc = NULL, *truth = NULL;
  uint32_t *perm = NULL, *group = NULL;
  warden_status s = WARDEN_OK;
  char path[1024], a[16], b[16];
  long n = o->accounts;
  memset(st, 0, sizeof *st);
  if (n < 1 || n > 20000000) {
    snprintf(err, errcap, "accounts: 1 to 20000000");
    return WARDEN_ERR_USAGE;
  }
  g.hub_cap = o->hub_cap ? o->hub_cap : 50;
  warden_rng_seed(&g.r, o->seed);
  perm = malloc((size_t)n * sizeof *perm);
  group = malloc((size_t)n * sizeof *group);
  if (!perm || !group) { s = WARDEN_ERR_NOMEM; goto cleanup; }
  for (uint32_t i = 0; i < (uint32_t)n; i++) perm[i] = i;
  for (uint32_t i = (uint32_t)n - 1; i > 0; i--) {
    uint32_t j = (uint32_t)warden_rng_below(&g.r, i + 1), t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  /* groups, and the links of each */
  uint32_t link = 0, pos = 0, ngroups = 0;
  bool boundary = n >= 4L * g.hub_cap;
  while (pos < (uint32_t)n) {
    uint64_t r = warden_rng_below(&g.r, 100);
    uint32_t size = r < 62 ? 1 : r < 79 ? 2 : r < 88 ? 3 : r < 96 ? 4 + (uint32_t)warden_rng_below(&g.r, 3)
                                                                    : 7 + (uint32_t)warden_rng_below(&g.r, 6);
    if (boundary) { size = g.hub_cap; boundary = false; }
    if (size > (uint32_t)n - pos) size = (uint32_t)n - pos;
    uint32_t *m = perm + pos;
    for (uint32_t j = 0; j < size; j++) group[m[j]] = ngroups;
    if (size == g.hub_cap && size > 12) {
      /* the boundary group: one phone held by exactly hub_cap accounts still links */
      for (uint32_t j = 0; j < size; j++)
        if (!plant_add(&g, m[j], link, K_PHONE, (int)j)) { s = WARDEN_ERR_NOMEM; goto cleanup; }
      link++;
    } else if (size >= 3 && warden_rng_below(&g.r, 100) < 15) {
      int kind = (int)warden_rng_below(&g.r, K_EQUITY);
      for (uint32_t j = 0; j < size; j++)
        if (!plant_add(&g, m[j], link, kind, (int)(j * 2 + (kind == K_LEGAL_REP ? 1 : 0)))) { s = WARDEN_ERR_NOMEM; goto cleanup; }
      link++;
    } else {
      for (uint32_t j = 1; j < size; j++) {
        uint32_t parent = m[warden_rng_below(&g.r, j)];
        int kind = (int)warden_rng_below(&g.r, K__LINKS);
        int va = (int)warden_rng_below(&g.r, 8), vb = va + 1 + (int)warden_rng_below(&g.r, 4);
        if (kind == K_LEGAL_REP) { va = va * 2; vb = va + 1; }
        if (!plant_add(&g, parent, link, kind, va) || !plant_add(&g, m[j], link, kind, vb)) {
          s = WARDEN_ERR_NOMEM;
          goto cleanup;
        }
        link++;
      }
    }
    st->groups += size > 1;
    st->grouped += size > 1 ? size : 0;
    ngroups++;
    pos += size;
  }
  /* hubs: distinct accounts, more than the cap */
  uint32_t nhubs = (uint32_t)(n >= 4L * (g.hub_cap + 100) ? 1 + n / 100000 : 0);
  for (uint32_t h = 0; h < nhubs; h++) {
    uint32_t count = g.hub_cap + 1 + (uint32_t)warden_rng_below(&g.r, 100), start = (uint32_t)warden_rng_below(&g.r, (uint64_t)n);
    uint32_t step = (uint32_t)(n / count);
    for (uint32_t j = 0; j < count; j++)
      if (!plant_add(&g, (uint32_t)((start + (uint64_t)j * step) % (uint64_t)n), h, K_HUB, 0)) { s = WARDEN_ERR_NOMEM; goto cleanup; }
  }
  st->hubs = nhubs;
  /* placeholders and names alone */
  for (uint32_t j = 0; j < (uint32_t)(n / 40 + 1); j++)
    if (!plant_add(&g, (uint32_t)warden_rng_below(&g.r, (uint64_t)n), j, K_PLACEHOLDER, 0)) { s = WARDEN_ERR_NOMEM; goto cleanup; }
  for (uint32_t j = 0; j < (uint32_t)(n / 100 + 1); j++)
    if (!plant_add(&g, (uint32_t)warden_rng_below(&g.r, (uint64_t)n), j, K_NAME_ONLY, 0)) { s = WARDEN_ERR_NOMEM; goto cleanup; }
  st->placeholders = n / 40 + 1;
  qsort(g.p, g.n, sizeof *g.p, by_account);

  snprintf(path, sizeof path, "%s/accounts.csv", o->dir);
  acc = fopen(path, "w");
  snprintf(path, sizeof path, "%s/keys.csv", o->dir);
  g.keys = fopen(path, "w");
  snprintf(path, sizeof path, "%s/equity.csv", o->dir);
  g.equity = fopen(path, "w");
  truth = fopen(o->truth, "w");
  if (!acc || !g.keys || !g.equity || !truth) {
    snprintf(err, errcap, "cannot write into %s or %s", o->dir, o->truth);
    s = WARDEN_ERR_IO;
    goto cleanup;
  }
  setvbuf(g.keys, NULL, _IOFBF, 1 << 20);
  fputs("account_id\n", acc);
  fputs("account_id,key_type,value\n", g.keys);
  fputs("holder_id,company_id,share\n", g.equity);
  fputs("account_id,cluster\n", truth);
  size_t k = 0;
  for (uint32_t i = 0; i < (uint32_t)n; i++) {
    id_of(i, a);
    fprintf(acc, "%s\n", a);
    fprintf(truth, "%s,G%u\n", a, group[i]);
    base_keys(&g, a, i);
    for (; k < g.n && g.p[k].account == i; k++)
      if (g.p[k].kind != K_EQUITY) plant_write(&g, a, &g.p[k]);
  }
  /* holdings: the two sides of each equity link, found by link id */
  for (size_t i = 0; i < g.n; i++) g.p[i].account = g.p[i].kind == K_EQUITY ? g.p[i].account : UINT32_MAX;
  {
    size_t w = 0;
    for (size_t i = 0; i < g.n; i++)
      if (g.p[i].account != UINT32_MAX) g.p[w++] = g.p[i];
    g.n = w;
    qsort(g.p, g.n, sizeof *g.p, by_link);
    for (size_t i = 0; i + 1 < g.n; i++) {
      if (g.p[i].id != g.p[i + 1].id) continue;
      /* a star: the first member holds every other */
      for (size_t j = i + 1; j < g.n && g.p[j].id == g.p[i].id; j++) {
        id_of(g.p[i].account, a);
        id_of(g.p[j].account, b);
        plant e = g.p[j];
        e.variant = g.p[i].variant;
        e.id = e.id * 64 + (uint32_t)(j - i);
        equity_write(&g, &e, a, b);
      }
      while (i + 1 < g.n && g.p[i + 1].id == g.p[i].id) i++;
    }
  }
  st->accounts = n;
  st->keys = g.nkeys;
  st->equity = g.nequity;
  if (ferror(acc) || ferror(g.keys) || ferror(g.equity) || ferror(truth)) {
    snprintf(err, errcap, "write error in %s", o->dir);
    s = WARDEN_ERR_IO;
  }
cleanup:
  if (acc && fclose(acc) && !s) s = WARDEN_ERR_IO;
  if (g.keys && fclose(g.keys) && !s) s = WARDEN_ERR_IO;
  if (g.equity && fclose(g.equity) && !s) s = WARDEN_ERR_IO;
  if (truth && fclose(truth) && !s) s = WARDEN_ERR_IO;
  if (s == WARDEN_ERR_NOMEM) snprintf(err, errcap, "out of memory");
  free(g.p);
  free(perm);
  free(group);
  return s;
}
