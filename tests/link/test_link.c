/* test_link.c — associated accounts: every key type's normalisation, placeholders, the hub cap,
 * equity paths, incremental changes with stable cluster ids, the evidence chains (ASSOC-KEYS,
 * ASSOC-LIABLE), the CSV loader's bad rows and threads, and the planted truth on 20,000 accounts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/core.h"
#include "link/link.h"

static warden_link_opts opts(void) {
  warden_link_opts o;
  warden_link_opts_default(&o);
  o.today = warden_date_from_ymd(2026, 3, 2);
  return o;
}

/* The normalised key of a value, "" when it is not a key (placeholder, name alone, invalid). */
static const char *key(warden_link_type t, const char *v) {
  static warden_link_key k;
  warden_link_opts o = opts();
  return warden_link_normalize(t, v, strlen(v), &o, &k) == WARDEN_LINK_NORM_KEY ? k.value : "";
}

static warden_link_norm norm(warden_link_type t, const char *v) {
  warden_link_key k;
  warden_link_opts o = opts();
  return warden_link_normalize(t, v, strlen(v), &o, &k);
}

#define SAME(t, a, b)                                                                                          \
  do {                                                                                                         \
    char ka[WARDEN_LINK_VALUE_MAX];                                                                            \
    snprintf(ka, sizeof ka, "%s", key(t, a));                                                                  \
    assert_true(ka[0]);                                                                                        \
    assert_string_equal(ka, key(t, b));                                                                        \
  } while (0)

#define DIFFERENT(t, a, b)                                                                                     \
  do {                                                                                                         \
    char ka[WARDEN_LINK_VALUE_MAX];                                                                            \
    snprintf(ka, sizeof ka, "%s", key(t, a));                                                                  \
    assert_true(ka[0]);                                                                                        \
    assert_string_not_equal(ka, key(t, b));                                                                    \
  } while (0)

/* ---- normalisation, one test per key type ---- */
static void ASSOC_KEYS_address_variants_match(void **state) {
  (void)state;
  const char *base = "广东省广州市白云区螺涌北路三街12—14号";
  SAME(WARDEN_LINK_ADDRESS, base, "广州白云区螺涌北路3街12-14号");          /* the issue's example */
  SAME(WARDEN_LINK_ADDRESS, base, "广东省广州市白云区螺涌北路三街十二至十四号"); /* numerals, 至 */
  SAME(WARDEN_LINK_ADDRESS, base, "广州市白云区螺涌北路３街１２－１４号");      /* full-width */
  SAME(WARDEN_LINK_ADDRESS, base, "广东 广州 白云区 螺涌北路3街12~14号");     /* spaces, short names */
  SAME(WARDEN_LINK_ADDRESS, base, "中国广东省广州市白云区螺涌北路3街12-14");  /* country, no 号 */
  SAME(WARDEN_LINK_ADDRESS, "北京市海淀区中关村大街二十七号", "北京海淀区中关村大街27号");
  SAME(WARDEN_LINK_ADDRESS, "上海市徐汇区漕溪北路一百零五号", "上海徐汇区漕溪北路105号");
  SAME(WARDEN_LINK_ADDRESS, "广州市天河区天河北路5号3楼", "广州天河区天河北路5号三楼");
  /* 路 and 街 are different places; so are other numbers, districts and rooms */
  DIFFERENT(WARDEN_LINK_ADDRESS, base, "广州白云区螺涌北街3路12-14号");
  DIFFERENT(WARDEN_LINK_ADDRESS, base, "广州白云区螺涌北路3街12-16号");
  DIFFERENT(WARDEN_LINK_ADDRESS, base, "广州天河区螺涌北路3街12-14号");
  DIFFERENT(WARDEN_LINK_ADDRESS, "天河北路5号301室", "天河北路53号01室");
  /* the region resolved and the detail kept */
  char out[256];
  uint32_t region;
  assert_true(warden_link_address_normalize(base, strlen(base), out, sizeof out, &region));
  assert_int_equal(region, 440111);
  assert_string_equal(out, "440111|螺涌北路3街12-14");
  /* 朝阳区 is in Beijing and in Changchun: without a city it resolves to nothing */
  assert_true(warden_link_address_normalize("朝阳区建国路88号", strlen("朝阳区建国路88号"), out, sizeof out, &region));
  assert_int_equal(region, 0);
  /* a short city name followed by a street is a street: 中山路 is not 中山市 */
  assert_true(warden_link_address_normalize("中山路5号", strlen("中山路5号"), out, sizeof out, &region));
  assert_int_equal(region, 0);
  assert_string_equal(out, "000000|中山路5");
  /* a region with no detail names no place in particular */
  assert_int_equal(norm(WARDEN_LINK_ADDRESS, "广东省广州市"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_ADDRESS, "无"), WARDEN_LINK_NORM_PLACEHOLDER);
}

static void ASSOC_KEYS_documents_through_the_kyc_parsers(void **state) {
  (void)state;
  SAME(WARDEN_LINK_DOC, "11010519491231002X", "110105491231002");        /* 15 digits upgraded */
  SAME(WARDEN_LINK_DOC, "11010519491231002X", "11010519491231002x");     /* x folded */
  SAME(WARDEN_LINK_DOC, "11010519491231002X", "１１０１０５１９４９１２３１００２Ｘ");
  SAME(WARDEN_LINK_DOC, "91350100M000100Y43", "M000100Y-4");             /* USCC and its org code */
  SAME(WARDEN_LINK_DOC, "91350100M000100Y43", "m000100y4");
  assert_string_equal(key(WARDEN_LINK_DOC, "110105491231002"), "cn:11010519491231002X");
  DIFFERENT(WARDEN_LINK_DOC, "11010519491231002X", "110105194912310037");
  assert_int_equal(norm(WARDEN_LINK_DOC, "000000000000000000"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_DOC, "unknown"), WARDEN_LINK_NORM_PLACEHOLDER);
}

static void ASSOC_KEYS_phones_in_national_digits(void **state) {
  (void)state;
  SAME(WARDEN_LINK_PHONE, "13812345678", "+86 138 1234 5678");
  SAME(WARDEN_LINK_PHONE, "13812345678", "0086-13812345678");
  SAME(WARDEN_LINK_PHONE, "13812345678", "86 13812345678");
  SAME(WARDEN_LINK_PHONE, "13812345678", "１３８-１２３４-５６７８");
  SAME(WARDEN_LINK_PHONE, "020-12345678", "+86 20 1234 5678"); /* trunk 0 restored */
  assert_string_equal(key(WARDEN_LINK_PHONE, "+86 (20) 1234-5678"), "02012345678");
  assert_int_equal(norm(WARDEN_LINK_PHONE, "00000000000"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_PHONE, ""), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_PHONE, "无"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_PHONE, "call me"), WARDEN_LINK_NORM_INVALID);
  assert_int_equal(norm(WARDEN_LINK_PHONE, "+1 212 555 0100"), WARDEN_LINK_NORM_INVALID);
}

static void ASSOC_KEYS_email_domain_payment_device_folded(void **state) {
  (void)state;
  SAME(WARDEN_LINK_EMAIL, "Li.Wei@Example.COM", " li.wei@example.com ");
  assert_int_equal(norm(WARDEN_LINK_EMAIL, "none@none.com"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_EMAIL, "not an address"), WARDEN_LINK_NORM_INVALID);
  SAME(WARDEN_LINK_DOMAIN_HOLDER, "Hengda Trading Co., Ltd.", "HENGDA TRADING CO LTD");
  SAME(WARDEN_LINK_DOMAIN_HOLDER, "Hengda Trading Co., Ltd.", "Ｈｅｎｇｄａ Ｔｒａｄｉｎｇ Ｃｏ．， Ｌｔｄ．");
  assert_int_equal(norm(WARDEN_LINK_DOMAIN_HOLDER, "REDACTED FOR PRIVACY"), WARDEN_LINK_NORM_PLACEHOLDER);
  SAME(WARDEN_LINK_PAYMENT, "6217 0000 1234 5678", "6217-0000-1234-5678");
  assert_string_equal(key(WARDEN_LINK_PAYMENT, "6217 0000 1234 5678"), "6217000012345678");
  assert_int_equal(norm(WARDEN_LINK_PAYMENT, "0000 0000 0000 0000"), WARDEN_LINK_NORM_PLACEHOLDER);
  SAME(WARDEN_LINK_DEVICE, "5C:A1:00:2B:3C:4D", "5c-a1-00-2b-3c-4d");
  SAME(WARDEN_LINK_DEVICE, "5C:A1:00:2B:3C:4D", "5CA1002B3C4D");
  assert_int_equal(norm(WARDEN_LINK_DEVICE, "02:00:00:00:00:00"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_DEVICE, "000000000000000"), WARDEN_LINK_NORM_PLACEHOLDER);
}

static void ASSOC_KEYS_ip_canonical_or_by_prefix(void **state) {
  (void)state;
  SAME(WARDEN_LINK_IP, "203.0.113.7", "::ffff:203.0.113.7");
  SAME(WARDEN_LINK_IP, "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:DB8::1");
  SAME(WARDEN_LINK_IP, "2001:db8::1", "[2001:db8::1]");
  DIFFERENT(WARDEN_LINK_IP, "203.0.113.7", "203.0.113.8");
  assert_int_equal(norm(WARDEN_LINK_IP, "0.0.0.0"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_IP, "127.0.0.1"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_IP, "192.168.1.1"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_IP, "fe80::1"), WARDEN_LINK_NORM_PLACEHOLDER);
  assert_int_equal(norm(WARDEN_LINK_IP, "999.1.1.1"), WARDEN_LINK_NORM_INVALID);
  /* the policy switch: /24 and /64 */
  warden_link_opts o = opts();
  warden_link_key a, b;
  o.ipv4_prefix = 24;
  o.ipv6_prefix = 64;
  assert_int_equal(warden_link_normalize(WARDEN_LINK_IP, "203.0.113.7", 11, &o, &a), WARDEN_LINK_NORM_KEY);
  assert_int_equal(warden_link_normalize(WARDEN_LINK_IP, "203.0.113.200", 13, &o, &b), WARDEN_LINK_NORM_KEY);
  assert_string_equal(a.value, "203.0.113.0/24");
  assert_string_equal(a.value, b.value);
  assert_int_equal(warden_link_normalize(WARDEN_LINK_IP, "2001:db8:1:2:aa::1", 18, &o, &a), WARDEN_LINK_NORM_KEY);
  assert_int_equal(warden_link_normalize(WARDEN_LINK_IP, "2001:db8:1:2:bb::9", 18, &o, &b), WARDEN_LINK_NORM_KEY);
  assert_string_equal(a.value, "2001:db8:1:2::/64");
  assert_string_equal(a.value, b.value);
}

static void ASSOC_KEYS_people_by_document_or_name_and_phone_never_name_alone(void **state) {
  (void)state;
  /* by document: the same key as the document itself */
  assert_string_equal(key(WARDEN_LINK_LEGAL_REP, "王伟;11010519491231002X"), key(WARDEN_LINK_DOC, "110105491231002"));
  SAME(WARDEN_LINK_EXECUTIVE, "Li Wei;11010519491231002X", "LI WEI;110105491231002");
  /* by name and phone */
  SAME(WARDEN_LINK_CONTACT, "王 伟;+86 138 1234 5678", "王伟;13812345678");
  DIFFERENT(WARDEN_LINK_CONTACT, "王伟;13812345678", "王芳;13812345678");
  char person[WARDEN_LINK_VALUE_MAX];
  snprintf(person, sizeof person, "%s", key(WARDEN_LINK_CONTACT, "王伟;13812345678"));
  assert_string_equal(person, "王伟|13812345678"); /* its own class: not the phone key */
  assert_string_equal(key(WARDEN_LINK_PHONE, "13812345678"), "13812345678");
  /* never by name alone */
  assert_int_equal(norm(WARDEN_LINK_LEGAL_REP, "张伟"), WARDEN_LINK_NORM_NAME_ONLY);
  assert_int_equal(norm(WARDEN_LINK_CONTACT, "张伟;"), WARDEN_LINK_NORM_NAME_ONLY);
  assert_int_equal(norm(WARDEN_LINK_CONTACT, "张伟;无"), WARDEN_LINK_NORM_NAME_ONLY);
  assert_int_equal(norm(WARDEN_LINK_CONTACT, "张伟;call me"), WARDEN_LINK_NORM_INVALID);
}

/* ---- the graph ---- */
static warden_link_graph *graph(uint32_t cap) {
  warden_link_opts o = opts();
  warden_link_graph *g;
  o.hub_cap = cap;
  assert_int_equal(warden_link_new(&o, &g), WARDEN_OK);
  return g;
}

static void add(warden_link_graph *g, const char *acct, warden_link_type t, const char *v) {
  assert_int_equal(warden_link_add_key(g, acct, t, v, WARDEN_NO_DATE, "test", NULL, NULL), WARDEN_OK);
}

static uint32_t cid(warden_link_graph *g, const char *acct) {
  uint32_t x;
  assert_true(warden_link_find(g, acct, &x));
  return warden_link_cluster(g, x);
}

static void ASSOC_KEYS_every_type_links_and_classes_stay_apart(void **state) {
  (void)state;
  warden_link_graph *g = graph(50);
  static const struct { warden_link_type t; const char *a, *b; } pairs[] = {
      {WARDEN_LINK_DOC, "11010519491231002X", "110105491231002"},
      {WARDEN_LINK_PHONE, "13812345678", "+86 138 1234 5678"},
      {WARDEN_LINK_EMAIL, "A@B.CN", "a@b.cn"},
      {WARDEN_LINK_DOMAIN_HOLDER, "Boyuan Data Co., Ltd.", "BOYUAN DATA CO LTD"},
      {WARDEN_LINK_PAYMENT, "6217 0000 1234 5678", "6217000012345678"},
      {WARDEN_LINK_DEVICE, "5C:A1:00:2B:3C:4D", "5ca1002b3c4d"},
      {WARDEN_LINK_IP, "203.0.113.7", "::ffff:203.0.113.7"},
      {WARDEN_LINK_ADDRESS, "广东省广州市白云区螺涌北路三街12—14号", "广州白云区螺涌北路3街12-14号"},
      {WARDEN_LINK_LEGAL_REP, "王伟;91350100M000100Y43", "王伟;M000100Y-4"},
      {WARDEN_LINK_CONTACT, "王伟;13900001111", "王 伟;0086 139 0000 1111"},
      {WARDEN_LINK_EXECUTIVE, "Li Wei;110105194912310037", "LI WEI;110105194912310037"},
  };
  char a[16], b[16];
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    snprintf(a, sizeof a, "A%zu", i);
    snprintf(b, sizeof b, "B%zu", i);
    add(g, a, pairs[i].t, pairs[i].a);
    add(g, b, pairs[i].t, pairs[i].b);
    assert_int_equal(cid(g, a), cid(g, b));
  }
  /* each pair is its own cluster */
  assert_int_not_equal(cid(g, "A0"), cid(g, "A1"));
  /* the same digits as a phone and as a device are different keys */
  add(g, "P", WARDEN_LINK_PHONE, "13700001111");
  add(g, "D", WARDEN_LINK_DEVICE, "13700001111");
  assert_int_not_equal(cid(g, "P"), cid(g, "D"));
  warden_link_free(g);
}

static void ASSOC_KEYS_placeholders_link_nothing_and_are_listed(void **state) {
  (void)state;
  warden_link_graph *g = graph(50);
  assert_int_equal(warden_link_add_placeholder(g, WARDEN_LINK_PHONE, "400-600-0000"), WARDEN_OK); /* the platform */
  static const struct { warden_link_type t; const char *v; } junk[] = {
      {WARDEN_LINK_PHONE, "00000000000"}, {WARDEN_LINK_PHONE, "unknown"}, {WARDEN_LINK_ADDRESS, "无"},
      {WARDEN_LINK_IP, "0.0.0.0"}, {WARDEN_LINK_DEVICE, "02:00:00:00:00:00"}, {WARDEN_LINK_DOC, "000000000000000000"},
      {WARDEN_LINK_EMAIL, "test@test.com"}, {WARDEN_LINK_DOMAIN_HOLDER, "REDACTED FOR PRIVACY"},
      {WARDEN_LINK_PHONE, "4006000000"}, {WARDEN_LINK_LEGAL_REP, "张伟"}};
  for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
    add(g, "X", junk[i].t, junk[i].v);
    add(g, "Y", junk[i].t, junk[i].v);
  }
  assert_int_not_equal(cid(g, "X"), cid(g, "Y"));
  warden_arena ar;
  warden_link_hot *h;
  size_t n;
  warden_arena_init(&ar, 0);
  assert_int_equal(warden_link_hot_keys(g, &ar, &h, &n), WARDEN_OK);
  assert_int_equal(n, 9); /* every placeholder but the name alone, each counted twice */
  for (size_t i = 0; i < n; i++) {
    assert_true(h[i].placeholder);
    assert_int_equal(h[i].count, 2);
  }
  warden_arena_release(&ar);
  warden_link_free(g);
}

static void ASSOC_KEYS_hub_cap_links_at_the_cap_not_over_it(void **state) {
  (void)state;
  warden_link_graph *g = graph(5);
  char a[16];
  for (int i = 0; i < 5; i++) {
    snprintf(a, sizeof a, "H%d", i);
    add(g, a, WARDEN_LINK_PHONE, "4008001234");
  }
  assert_int_equal(cid(g, "H0"), cid(g, "H4")); /* 5 accounts: at the cap, it links */
  add(g, "H1", WARDEN_LINK_EMAIL, "h1@x.cn");
  add(g, "H2", WARDEN_LINK_EMAIL, "h1@x.cn"); /* H1 and H2 also share an e-mail */
  add(g, "H5", WARDEN_LINK_PHONE, "4008001234"); /* 6: a hub, and the cluster is rebuilt */
  uint32_t x;
  assert_true(warden_link_find(g, "H0", &x));
  assert_int_equal(warden_link_cluster_size(g, x), 1);
  assert_int_equal(cid(g, "H1"), cid(g, "H2"));
  assert_int_not_equal(cid(g, "H1"), cid(g, "H3"));
  assert_int_not_equal(cid(g, "H5"), cid(g, "H0"));
  warden_arena ar;
  warden_link_hot *h;
  size_t n;
  warden_arena_init(&ar, 0);
  assert_int_equal(warden_link_hot_keys(g, &ar, &h, &n), WARDEN_OK);
  assert_int_equal(n, 1);
  assert_false(h[0].placeholder);
  assert_int_equal(h[0].count, 6);
  assert_string_equal(h[0].value, "40******34");
  warden_arena_release(&ar);
  /* one leaves: at the cap again, it links again */
  assert_int_equal(warden_link_remove_key(g, "H5", WARDEN_LINK_PHONE, "4008001234"), WARDEN_OK);
  assert_int_equal(cid(g, "H0"), cid(g, "H4"));
  warden_link_free(g);
}

static void ASSOC_KEYS_equity_direct_and_indirect_paths(void **state) {
  (void)state;
  warden_link_opts o = opts();
  warden_link_graph *g;
  bool kept;
  o.min_share_ppm = 100000; /* 10% */
  assert_int_equal(warden_link_new(&o, &g), WARDEN_OK);
  assert_int_equal(warden_link_add_account(g, "C1", NULL), WARDEN_OK);
  assert_int_equal(warden_link_add_account(g, "C2", NULL), WARDEN_OK);
  assert_int_equal(warden_link_add_account(g, "C3", NULL), WARDEN_OK);
  assert_int_equal(warden_link_add_account(g, "C4", NULL), WARDEN_OK);
  /* C1 holds X (not an account) which holds C2: indirect */
  assert_int_equal(warden_link_add_equity(g, "C1", "X", 600000, "e:1", &kept), WARDEN_OK);
  assert_true(kept);
  assert_int_equal(warden_link_add_equity(g, "X", "C2", 510000, "e:2", &kept), WARDEN_OK);
  assert_int_equal(cid(g, "C1"), cid(g, "C2"));
  /* below min_share: nothing */
  assert_int_equal(warden_link_add_equity(g, "C3", "C4", 50000, "e:3", &kept), WARDEN_OK);
  assert_false(kept);
  assert_int_not_equal(cid(g, "C3"), cid(g, "C4"));
  uint32_t x;
  assert_true(warden_link_find(g, "X", &x));
  assert_false(warden_link_is_account(g, x));
  /* the associates leave the entity out but the chain goes through it */
  warden_arena ar;
  warden_link_chain *c;
  size_t n;
  warden_arena_init(&ar, 0);
  assert_int_equal(warden_link_associates(g, "C1", &ar, &c, &n), WARDEN_OK);
  assert_int_equal(n, 1);
  assert_string_equal(c[0].account, "C2");
  assert_int_equal(c[0].nsteps, 2);
  assert_string_equal(c[0].steps[0].to, "X");
  assert_string_equal(c[0].steps[0].value, "holds 60.0% of");
  assert_string_equal(c[0].steps[1].value, "holds 51.0% of");
  warden_arena_release(&ar);
  /* the holding ends: apart again */
  assert_int_equal(warden_link_remove_equity(g, "X", "C2"), WARDEN_OK);
  assert_int_not_equal(cid(g, "C1"), cid(g, "C2"));
  warden_link_free(g);
}

static void ASSOC_KEYS_stable_ids_growth_merge_and_split(void **state) {
  (void)state;
  warden_link_graph *g = graph(50);
  add(g, "A", WARDEN_LINK_PHONE, "13800000001");
  add(g, "B", WARDEN_LINK_PHONE, "13800000001");
  uint32_t ab = cid(g, "A");
  add(g, "C", WARDEN_LINK_EMAIL, "c@d.cn");
  add(g, "D", WARDEN_LINK_EMAIL, "c@d.cn");
  uint32_t cd = cid(g, "C");
  assert_true(ab < cd);
  add(g, "E", WARDEN_LINK_PHONE, "13800000001"); /* growth keeps the id */
  assert_int_equal(cid(g, "E"), ab);
  add(g, "D", WARDEN_LINK_DEVICE, "5CA1002B3C4D");
  add(g, "B", WARDEN_LINK_DEVICE, "5C:A1:00:2B:3C:4D"); /* a merge: the older id survives */
  assert_int_equal(cid(g, "C"), ab);
  size_t n;
  const warden_link_event *ev = warden_link_events(g, &n);
  assert_int_equal(n, 1);
  assert_int_equal(ev[0].from, cd);
  assert_int_equal(ev[0].into, ab);
  assert_false(ev[0].split);
  /* the device goes: the part with the oldest account keeps the id, the other is recorded split */
  assert_int_equal(warden_link_remove_key(g, "B", WARDEN_LINK_DEVICE, "5c-a1-00-2b-3c-4d"), WARDEN_OK);
  assert_int_equal(cid(g, "A"), ab);
  assert_int_equal(cid(g, "B"), ab);
  assert_int_equal(cid(g, "C"), cid(g, "D"));
  assert_int_not_equal(cid(g, "C"), ab);
  ev = warden_link_events(g, &n);
  assert_int_equal(n, 2);
  assert_true(ev[1].split);
  assert_int_equal(ev[1].from, ab);
  assert_int_equal(ev[1].into, cid(g, "C"));
  assert_int_equal(warden_link_remove_key(g, "B", WARDEN_LINK_DEVICE, "5CA1002B3C4D"), WARDEN_ERR_NOT_FOUND);
  warden_link_free(g);
}

static void ASSOC_KEYS_ended_validity_rebuilds_the_cluster(void **state) {
  (void)state;
  warden_link_graph *g = graph(50);
  int32_t d = warden_date_from_ymd(2026, 3, 31);
  assert_int_equal(warden_link_add_key(g, "A", WARDEN_LINK_IP, "203.0.113.9", d, "lease", NULL, NULL), WARDEN_OK);
  assert_int_equal(warden_link_add_key(g, "B", WARDEN_LINK_IP, "203.0.113.9", WARDEN_NO_DATE, "log", NULL, NULL), WARDEN_OK);
  assert_int_equal(cid(g, "A"), cid(g, "B"));
  long removed;
  assert_int_equal(warden_link_expire(g, d, &removed), WARDEN_OK); /* the last day still holds */
  assert_int_equal(removed, 0);
  assert_int_equal(warden_link_expire(g, d + 1, &removed), WARDEN_OK);
  assert_int_equal(removed, 1);
  assert_int_not_equal(cid(g, "A"), cid(g, "B"));
  warden_link_free(g);
}

static void ASSOC_KEYS_explain_gives_the_shortest_chain_masked(void **state) {
  (void)state;
  warden_link_graph *g = graph(50);
  add(g, "A", WARDEN_LINK_PHONE, "13812345678");
  add(g, "B", WARDEN_LINK_PHONE, "+86 138 1234 5678");
  add(g, "B", WARDEN_LINK_ADDRESS, "广东省广州市白云区螺涌北路三街12—14号");
  add(g, "C", WARDEN_LINK_ADDRESS, "广州白云区螺涌北路3街12-14号");
  add(g, "C", WARDEN_LINK_DOC, "11010519491231002X");
  add(g, "D", WARDEN_LINK_LEGAL_REP, "王伟;110105491231002");
  add(g, "A", WARDEN_LINK_EMAIL, "a@long.cn"); /* a longer way round: A-E-D */
  add(g, "E", WARDEN_LINK_EMAIL, "A@LONG.CN");
  add(g, "E", WARDEN_LINK_DEVICE, "5CA1002B3C4D");
  add(g, "D", WARDEN_LINK_DEVICE, "5C:A1:00:2B:3C:4D");
  add(g, "F", WARDEN_LINK_PHONE, "13900000000");
  warden_arena ar;
  warden_link_chain c;
  warden_arena_init(&ar, 0);
  assert_int_equal(warden_link_explain(g, "A", "C", &ar, &c), WARDEN_OK);
  assert_int_equal(c.nsteps, 2);
  assert_string_equal(c.steps[0].from, "A");
  assert_string_equal(c.steps[0].to, "B");
  assert_int_equal(c.steps[0].cls, WARDEN_LINK_CLASS_PHONE);
  assert_string_equal(c.steps[0].value, "13*******78");
  assert_null(strstr(c.steps[0].value, "12345678"));
  assert_string_equal(c.steps[1].to, "C");
  assert_int_equal(c.steps[1].cls, WARDEN_LINK_CLASS_ADDRESS);
  assert_non_null(strstr(c.steps[1].value, "白云区"));
  assert_int_equal(warden_link_explain(g, "A", "D", &ar, &c), WARDEN_OK);
  assert_int_equal(c.nsteps, 2); /* A-E-D, not A-B-C-D */
  assert_int_equal(warden_link_explain(g, "C", "D", &ar, &c), WARDEN_OK);
  assert_int_equal(c.nsteps, 1);
  assert_int_equal(c.steps[0].from_type, WARDEN_LINK_DOC);
  assert_int_equal(c.steps[0].to_type, WARDEN_LINK_LEGAL_REP);
  assert_string_equal(c.steps[0].value, "1101**********002X");
  assert_int_equal(warden_link_explain(g, "A", "F", &ar, &c), WARDEN_ERR_NOT_FOUND);
  warden_arena_release(&ar);
  warden_link_free(g);
}

static void ASSOC_LIABLE_associates_come_with_their_evidence(void **state) {
  (void)state;
  warden_link_graph *g = graph(50);
  add(g, "R", WARDEN_LINK_PAYMENT, "6217 0000 1234 5678"); /* a reseller and what hangs off it */
  add(g, "S", WARDEN_LINK_PAYMENT, "6217000012345678");
  add(g, "S", WARDEN_LINK_DOMAIN_HOLDER, "Boyuan Data Co., Ltd.");
  add(g, "T", WARDEN_LINK_DOMAIN_HOLDER, "BOYUAN DATA CO LTD");
  add(g, "U", WARDEN_LINK_PHONE, "13700000000");
  warden_arena ar;
  warden_link_chain *c;
  size_t n;
  warden_arena_init(&ar, 0);
  assert_int_equal(warden_link_associates(g, "R", &ar, &c, &n), WARDEN_OK);
  assert_int_equal(n, 2);
  assert_string_equal(c[0].account, "S"); /* nearest first */
  assert_int_equal(c[0].nsteps, 1);
  assert_string_equal(c[0].steps[0].from_source, "test");
  assert_string_equal(c[1].account, "T");
  assert_int_equal(c[1].nsteps, 2);
  assert_int_equal(c[1].steps[1].cls, WARDEN_LINK_CLASS_DOMAIN);
  assert_int_equal(warden_link_associates(g, "U", &ar, &c, &n), WARDEN_OK);
  assert_int_equal(n, 0);
  assert_int_equal(warden_link_associates(g, "nobody", &ar, &c, &n), WARDEN_ERR_NOT_FOUND);
  warden_arena_release(&ar);
  warden_link_free(g);
}

/* ---- the CSV loader ---- */
static void remove_dir(const char *dir) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void ASSOC_KEYS_bad_rows_are_reported_with_their_lines(void **state) {
  (void)state;
  char dir[] = "/tmp/warden-link-XXXXXX", a[64], k[64], e[64];
  assert_non_null(mkdtemp(dir));
  snprintf(a, sizeof a, "%s/a.csv", dir);
  snprintf(k, sizeof k, "%s/k.csv", dir);
  snprintf(e, sizeof e, "%s/e.csv", dir);
  write_file(a, "account_id\nA1\nA2\nA1\nA3\n");
  write_file(k, "account_id,key_type,value\n"
                "A1,phone,13812345678\n"
                "A9,phone,13812345678\n"             /* 3: unknown account */
                "A2,fax,13812345678\n"               /* 4: unknown type */
                "A2,phone,+86 138 1234 5678\n"
                "A3,ip,999.1.1.1\n"                  /* 6: invalid */
                "A3,phone\n"                         /* 7: too few fields */
                "A3,\"email,x\n");                   /* 8: quote never closed */
  write_file(e, "holder_id,company_id,share\nA2,A3,1.5\nA2,A3,0.4\n");
  warden_link_graph *g = graph(50);
  warden_link_load_stats st;
  char err[256], *text = NULL;
  size_t len = 0;
  FILE *errs = open_memstream(&text, &len);
  assert_int_equal(warden_link_load_csv(g, a, k, e, errs, &st, err, sizeof err), WARDEN_OK);
  fclose(errs);
  assert_non_null(strstr(text, "a.csv:4: account 'A1' is listed twice"));
  assert_non_null(strstr(text, "k.csv:3: unknown account 'A9'"));
  assert_non_null(strstr(text, "k.csv:4: unknown key_type 'fax'"));
  assert_non_null(strstr(text, "k.csv:6: ip value '999.1.1.1': not an IP address"));
  assert_non_null(strstr(text, "k.csv:7: expected account_id,key_type,value"));
  assert_non_null(strstr(text, "k.csv:8:"));
  assert_non_null(strstr(text, "e.csv:2: share '1.5' is not a fraction in (0, 1]"));
  assert_int_equal(st.bad, 7);
  assert_int_equal(st.accounts, 3);
  assert_int_equal(cid(g, "A1"), cid(g, "A2"));
  assert_int_equal(cid(g, "A2"), cid(g, "A3")); /* the good holding */
  free(text);
  warden_link_free(g);
  /* a missing header column is an error naming it */
  write_file(k, "account,type,value\nA1,phone,1\n");
  g = graph(50);
  assert_int_equal(warden_link_load_csv(g, a, k, NULL, NULL, &st, err, sizeof err), WARDEN_ERR_PARSE);
  assert_non_null(strstr(err, "no column 'account_id'"));
  warden_link_free(g);
  remove_dir(dir);
}

/* Several threads, and a quoted line break across a cut: the same clusters as one thread. */
static void ASSOC_KEYS_threads_give_the_same_clusters(void **state) {
  (void)state;
  char dir[] = "/tmp/warden-link-XXXXXX", a[64], k[64];
  assert_non_null(mkdtemp(dir));
  snprintf(a, sizeof a, "%s/a.csv", dir);
  snprintf(k, sizeof k, "%s/k.csv", dir);
  FILE *fa = fopen(a, "w"), *fk = fopen(k, "w");
  fputs("account_id\n", fa);
  fputs("account_id,key_type,value\n", fk);
  for (int i = 0; i < 3000; i++) {
    fprintf(fa, "A%d\n", i);
    fprintf(fk, "A%d,phone,1380000%04d\n", i, i / 3);               /* threes share a phone */
    if (i % 500 == 7) fprintf(fk, "A%d,address,\"广州白云区\n螺涌北路%d号\"\n", i, i % 2); /* line breaks */
  }
  fclose(fa);
  fclose(fk);
  uint32_t one[3000];
  for (int threads = 1; threads <= 5; threads += 2) {
    warden_link_opts o = opts();
    warden_link_graph *g;
    warden_link_load_stats st;
    char err[256];
    o.threads = threads;
    assert_int_equal(warden_link_new(&o, &g), WARDEN_OK);
    assert_int_equal(warden_link_load_csv(g, a, k, NULL, NULL, &st, err, sizeof err), WARDEN_OK);
    assert_int_equal(st.bad, 0);
    for (uint32_t x = 0; x < 3000; x++) {
      if (threads == 1) one[x] = warden_link_cluster(g, x);
      else assert_int_equal(one[x], warden_link_cluster(g, x));
    }
    assert_int_equal(one[0], one[2]);
    assert_int_not_equal(one[0], one[3]);
    assert_int_equal(one[7], one[2507]); /* the addresses written across two lines */
    warden_link_free(g);
  }
  remove_dir(dir);
}

/* The generator's planted truth, every key type with its variants, recovered exactly. */
static void ASSOC_KEYS_generated_truth_recovered_on_20000_accounts(void **state) {
  (void)state;
  char dir[] = "/tmp/warden-link-XXXXXX", a[64], k[64], e[64], t[64], err[256], diff[512];
  assert_non_null(mkdtemp(dir));
  snprintf(a, sizeof a, "%s/accounts.csv", dir);
  snprintf(k, sizeof k, "%s/keys.csv", dir);
  snprintf(e, sizeof e, "%s/equity.csv", dir);
  snprintf(t, sizeof t, "%s/truth.csv", dir);
  warden_link_gen_opts go = {.accounts = 20000, .seed = 7, .hub_cap = 50, .dir = dir, .truth = t};
  warden_link_gen_stats gs;
  assert_int_equal(warden_link_gen(&go, &gs, err, sizeof err), WARDEN_OK);
  assert_true(gs.hubs >= 1);
  warden_link_opts o = opts();
  o.threads = 2;
  warden_link_graph *g;
  warden_link_load_stats st;
  assert_int_equal(warden_link_new(&o, &g), WARDEN_OK);
  assert_int_equal(warden_link_load_csv(g, a, k, e, NULL, &st, err, sizeof err), WARDEN_OK);
  assert_int_equal(st.bad, 0);
  assert_true(st.placeholders > 0 && st.name_only > 0 && st.hubs > 0 && st.equity > 0);
  bool same;
  long clusters;
  assert_int_equal(warden_link_check_truth(g, t, &same, &clusters, diff, sizeof diff), WARDEN_OK);
  if (!same) fail_msg("%s", diff);
  warden_link_cluster_stats cs;
  warden_link_stats(g, &cs);
  assert_int_equal(cs.clusters, clusters);
  assert_int_equal(cs.largest, 50); /* the boundary group: a phone held by exactly the cap */
  /* a value shown again from its row, masked */
  warden_arena ar;
  warden_link_member *m;
  size_t n;
  warden_arena_init(&ar, 0);
  assert_int_equal(warden_link_members(g, "AC00000000", &ar, &m, &n), WARDEN_OK);
  assert_true(n >= 1 && m[0].nkeys >= 5);
  assert_int_equal(m[0].keys[0].type, WARDEN_LINK_DOC); /* by type, then value */
  assert_int_equal(m[0].keys[1].type, WARDEN_LINK_PHONE);
  assert_string_equal(m[0].keys[1].source, "keys.csv:2");
  assert_string_equal(m[0].keys[1].value, "13*******45");
  assert_null(strstr(m[0].keys[0].value, "row has changed"));
  warden_arena_release(&ar);
  warden_link_free(g);
  remove_dir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ASSOC_KEYS_address_variants_match),
      cmocka_unit_test(ASSOC_KEYS_documents_through_the_kyc_parsers),
      cmocka_unit_test(ASSOC_KEYS_phones_in_national_digits),
      cmocka_unit_test(ASSOC_KEYS_email_domain_payment_device_folded),
      cmocka_unit_test(ASSOC_KEYS_ip_canonical_or_by_prefix),
      cmocka_unit_test(ASSOC_KEYS_people_by_document_or_name_and_phone_never_name_alone),
      cmocka_unit_test(ASSOC_KEYS_every_type_links_and_classes_stay_apart),
      cmocka_unit_test(ASSOC_KEYS_placeholders_link_nothing_and_are_listed),
      cmocka_unit_test(ASSOC_KEYS_hub_cap_links_at_the_cap_not_over_it),
      cmocka_unit_test(ASSOC_KEYS_equity_direct_and_indirect_paths),
      cmocka_unit_test(ASSOC_KEYS_stable_ids_growth_merge_and_split),
      cmocka_unit_test(ASSOC_KEYS_ended_validity_rebuilds_the_cluster),
      cmocka_unit_test(ASSOC_KEYS_explain_gives_the_shortest_chain_masked),
      cmocka_unit_test(ASSOC_LIABLE_associates_come_with_their_evidence),
      cmocka_unit_test(ASSOC_KEYS_bad_rows_are_reported_with_their_lines),
      cmocka_unit_test(ASSOC_KEYS_threads_give_the_same_clusters),
      cmocka_unit_test(ASSOC_KEYS_generated_truth_recovered_on_20000_accounts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
