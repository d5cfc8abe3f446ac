/* test_registry.c — the registry: sealing at rest (KYC-RETAIN), the audit chain, imports with
 * rejects and transactions, reveal auditing, migrations, and the KYC report (KYC-FORGED,
 * KYC-400-DOCS, KYC-AGENT). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/core.h"
#include "registry/registry.h"
#include "seal/seal.h"

typedef struct fixture {
  char dir[64], db[128];
  warden_registry *r;
} fixture;

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/warden-test-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  snprintf(fx->db, sizeof fx->db, "%s/w.db", fx->dir);
  unsetenv("WARDEN_KEY_FILE");
  setenv("WARDEN_NOW", "2026-03-02T09:00:00+08:00", 1);
  setenv("WARDEN_ACTOR", "tester", 1);
  char err[512];
  if (warden_registry_open(fx->db, &fx->r, err, sizeof err) != WARDEN_OK) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  warden_registry_close(fx->r);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
  if (system(cmd) != 0) return -1;
  free(fx);
  return 0;
}

static void import_ok(fixture *fx, warden_import_kind k, const char *name, const char *text, long accepted,
                      long rejected) {
  char path[160];
  snprintf(path, sizeof path, "%s/%s", fx->dir, name);
  write_file(path, text);
  warden_import_opts o = {0};
  warden_import_result res;
  warden_status st = warden_registry_import(fx->r, k, path, &o, &res);
  if (st) fail_msg("import %s: %s", name, warden_registry_errmsg(fx->r));
  assert_int_equal(res.accepted, accepted);
  assert_int_equal(res.rejected, rejected);
}

static const char parties[] =
    "party_id,kind,name\n"
    "P1,individual,张三\n"
    "P2,organisation,广州示例科技有限公司\n"
    "AG,organisation,代理商有限公司\n"
    "DI,organisation,总经销有限公司\n"
    "PL,organisation,平台\n";
static const char accounts[] = /* children before parents: the importer orders them */
    "account_id,party_id,role,parent_id\n"
    "c1,P1,customer,ag1\n"
    "c2,P2,customer,ag1\n"
    "ag1,AG,agent,d1\n"
    "d1,DI,distributor,pl\n"
    "pl,PL,platform,\n";

static void KYC_RETAIN_numbers_and_names_are_sealed_at_rest(void **state) {
  fixture *fx = *state;
  import_ok(fx, WARDEN_IMPORT_PARTIES, "p.csv", parties, 5, 0);
  import_ok(fx, WARDEN_IMPORT_DOCUMENTS, "d.csv", "party_id,type,number\nP1,resident,11010519491231002X\n", 1, 0);
  /* neither the number nor the individual's name is anywhere in the database files */
  char cmd[400];
  snprintf(cmd, sizeof cmd, "cat %s/w.db* | grep -a -c -e 11010519491231002X -e 张三 > /dev/null", fx->dir);
  assert_int_not_equal(system(cmd), 0);
  /* and they come back with the key */
  warden_arena a;
  warden_arena_init(&a, 0);
  warden_party_view v;
  assert_int_equal(warden_registry_party_get(fx->r, "P1", false, NULL, &a, &v), WARDEN_OK);
  assert_string_equal(v.name, "张*");
  assert_int_equal(v.ndocs, 1);
  assert_string_equal(v.docs[0].masked, "1101**********002X");
  assert_null(v.docs[0].revealed);
  assert_int_equal(warden_registry_party_get(fx->r, "P1", true, NULL, &a, &v), WARDEN_ERR_USAGE);
  assert_int_equal(warden_registry_party_get(fx->r, "P1", true, "complaint 12321-77", &a, &v), WARDEN_OK);
  assert_string_equal(v.name, "张三");
  assert_string_equal(v.docs[0].revealed, "11010519491231002X");
  warden_arena_release(&a);
}

static void found_reveal(const warden_audit_entry *e, void *ctx) {
  if (!strcmp(e->action, "party.reveal") && strstr(e->detail, "reason=complaint 12321-77") && !strcmp(e->actor, "tester"))
    *(int *)ctx += 1;
}

static void KYC_RETAIN_reveal_is_audited_with_reason_and_actor(void **state) {
  fixture *fx = *state;
  import_ok(fx, WARDEN_IMPORT_PARTIES, "p.csv", parties, 5, 0);
  warden_arena a;
  warden_arena_init(&a, 0);
  warden_party_view v;
  int n = 0;
  assert_int_equal(warden_registry_party_get(fx->r, "P1", false, NULL, &a, &v), WARDEN_OK);
  assert_int_equal(warden_audit_list(fx->r, 0, "P1", found_reveal, &n), WARDEN_OK);
  assert_int_equal(n, 0); /* a masked read is not a reveal */
  assert_int_equal(warden_registry_party_get(fx->r, "P1", true, "complaint 12321-77", &a, &v), WARDEN_OK);
  assert_int_equal(warden_audit_list(fx->r, 0, "P1", found_reveal, &n), WARDEN_OK);
  assert_int_equal(n, 1);
  warden_arena_release(&a);
}

static void seal_detects_a_flipped_bit(void **state) {
  fixture *fx = *state;
  (void)fx;
  warden_keys k;
  char err[256], path[160], out[64];
  snprintf(path, sizeof path, "%s/k2.key", fx->dir);
  assert_int_equal(warden_seal_keys_load(&k, path, err, sizeof err), WARDEN_OK);
  struct stat sb;
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  unsigned char blob[64];
  assert_int_equal(warden_seal(&k, "secret", 6, blob), WARDEN_OK);
  assert_int_equal(warden_unseal(&k, blob, 6 + WARDEN_SEAL_OVERHEAD, out), WARDEN_OK);
  assert_string_equal(out, "secret");
  blob[30] ^= 1;
  assert_int_equal(warden_unseal(&k, blob, 6 + WARDEN_SEAL_OVERHEAD, out), WARDEN_ERR_INTEGRITY);
  /* a key file others can read is refused */
  chmod(path, 0644);
  assert_int_equal(warden_seal_keys_load(&k, path, err, sizeof err), WARDEN_ERR_CRYPTO);
  assert_non_null(strstr(err, "readable by others"));
}

static void sql(fixture *fx, const char *stmt) {
  sqlite3 *db;
  assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(db, stmt, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", stmt, msg);
  sqlite3_close(db);
}

static void audit_chain_names_the_edited_entry(void **state) {
  fixture *fx = *state;
  for (int i = 0; i < 6; i++) {
    char d[32];
    snprintf(d, sizeof d, "n=%d", i);
    assert_int_equal(warden_audit_append(fx->r, "test.step", "S", d), WARDEN_OK);
  }
  warden_audit_check chk;
  assert_int_equal(warden_audit_verify(fx->r, &chk), WARDEN_OK);
  assert_int_equal(chk.entries, 6);
  assert_int_equal(chk.first_bad, 0);
  sql(fx, "UPDATE audit SET detail = 'n=99' WHERE seq = 4");
  assert_int_equal(warden_audit_verify(fx->r, &chk), WARDEN_OK);
  assert_int_equal(chk.first_bad, 4);
  sql(fx, "UPDATE audit SET detail = 'n=3' WHERE seq = 4"); /* put back: holds again */
  assert_int_equal(warden_audit_verify(fx->r, &chk), WARDEN_OK);
  assert_int_equal(chk.first_bad, 0);
  sql(fx, "DELETE FROM audit WHERE seq = 2");
  assert_int_equal(warden_audit_verify(fx->r, &chk), WARDEN_OK);
  assert_int_equal(chk.first_bad, 2);
}

static void import_rejects_bad_rows_with_line_and_reason(void **state) {
  fixture *fx = *state;
  import_ok(fx, WARDEN_IMPORT_PARTIES, "p.csv",
            "party_id,kind,name\nP1,individual,甲\nP2,robot,乙\nP1,individual,again\nP3,organisation\n"
            "P4,organisation,\"ok, with comma\"\n", 2, 3);
  char path[160];
  snprintf(path, sizeof path, "%s/p.rejects.csv", fx->dir);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char buf[2048] = "";
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  assert_non_null(strstr(buf, "line,reason,party_id,kind,name\n"));
  assert_non_null(strstr(buf, "3,kind must be individual or organisation (KYC-TYPES),P2,robot,乙\n"));
  assert_non_null(strstr(buf, "4,party P1 already exists,P1,individual,again\n"));
  assert_non_null(strstr(buf, "5,\"2 fields, the header has 3\",P3,organisation\n"));
}

static void import_accounts_orders_parents_and_checks_the_channel(void **state) {
  fixture *fx = *state;
  import_ok(fx, WARDEN_IMPORT_PARTIES, "p.csv", parties, 5, 0);
  import_ok(fx, WARDEN_IMPORT_ACCOUNTS, "a.csv", accounts, 5, 0);
  /* CH-LINK-CUST: a customer hangs under an agent; CH-LINK: an agent under a distributor;
   * a loop of parents and an unknown parent are refused */
  import_ok(fx, WARDEN_IMPORT_ACCOUNTS, "b.csv",
            "account_id,party_id,role,parent_id\n"
            "c3,P1,customer,d1\n"
            "ag2,AG,agent,c1\n"
            "x1,AG,agent,x2\n"
            "x2,DI,distributor,x1\n"
            "c4,P1,customer,nobody\n"
            "ag3,P1,agent,d1\n",
            0, 6);
}

static void import_all_or_nothing_rolls_back(void **state) {
  fixture *fx = *state;
  char path[160];
  snprintf(path, sizeof path, "%s/p.csv", fx->dir);
  write_file(path, "party_id,kind,name\nP1,individual,甲\nP2,robot,乙\n");
  warden_import_opts o = {.all_or_nothing = true};
  warden_import_result res;
  assert_int_equal(warden_registry_import(fx->r, WARDEN_IMPORT_PARTIES, path, &o, &res), WARDEN_OK);
  assert_true(res.rolled_back);
  warden_arena a;
  warden_arena_init(&a, 0);
  warden_party_view v;
  assert_int_equal(warden_registry_party_get(fx->r, "P1", false, NULL, &a, &v), WARDEN_ERR_NOT_FOUND);
  warden_arena_release(&a);
}

static void import_without_header_or_with_broken_quote_writes_nothing(void **state) {
  fixture *fx = *state;
  char path[160];
  warden_import_opts o = {0};
  warden_import_result res;
  snprintf(path, sizeof path, "%s/empty.csv", fx->dir);
  write_file(path, "");
  assert_int_equal(warden_registry_import(fx->r, WARDEN_IMPORT_PARTIES, path, &o, &res), WARDEN_ERR_PARSE);
  assert_non_null(strstr(warden_registry_errmsg(fx->r), "empty file"));
  snprintf(path, sizeof path, "%s/nohdr.csv", fx->dir);
  write_file(path, "P1,individual,甲\n");
  assert_int_equal(warden_registry_import(fx->r, WARDEN_IMPORT_PARTIES, path, &o, &res), WARDEN_ERR_PARSE);
  assert_non_null(strstr(warden_registry_errmsg(fx->r), ":1: missing column 'party_id'"));
  snprintf(path, sizeof path, "%s/quote.csv", fx->dir);
  write_file(path, "party_id,kind,name\nP1,individual,甲\nP2,individual,\"乙\n");
  assert_int_equal(warden_registry_import(fx->r, WARDEN_IMPORT_PARTIES, path, &o, &res), WARDEN_ERR_PARSE);
  warden_arena a;
  warden_arena_init(&a, 0);
  warden_party_view v;
  assert_int_equal(warden_registry_party_get(fx->r, "P1", false, NULL, &a, &v), WARDEN_ERR_NOT_FOUND);
  warden_arena_release(&a);
}

static void KYC_TYPES_documents_match_the_party_kind(void **state) {
  fixture *fx = *state;
  import_ok(fx, WARDEN_IMPORT_PARTIES, "p.csv", parties, 5, 0);
  import_ok(fx, WARDEN_IMPORT_DOCUMENTS, "d.csv",
            "party_id,type,number,role\n"
            "P1,uscc,91350100M000100Y43,holder\n"        /* a person with a company's code */
            "P2,resident,11010519491231002X,holder\n"    /* a company with a person's card */
            "P2,resident,11010519491231002X,legal_rep\n" /* fine: its legal representative */
            "P2,uscc,91350100M000100Y43,holder\n"
            "P2,uscc,91350100M000100Y43,holder\n"        /* the same document twice */
            "P9,resident,11010519491231002X,holder\n",   /* no such party */
            2, 4);
}

static void KYC_400_DOCS_and_KYC_FORGED_report_names_who_to_shut_down(void **state) {
  fixture *fx = *state;
  import_ok(fx, WARDEN_IMPORT_PARTIES, "p.csv",
            "party_id,kind,name\nPL,organisation,平台\nDI,organisation,总经销\nAG,organisation,代理\n"
            "I1,individual,甲\nI2,individual,乙\nI3,individual,丙\nO1,organisation,一公司\nO2,organisation,二公司\n",
            8, 0);
  import_ok(fx, WARDEN_IMPORT_ACCOUNTS, "a.csv",
            "account_id,party_id,role,parent_id\npl,PL,platform,\nd1,DI,distributor,pl\nag,AG,agent,d1\n"
            "i1,I1,customer,ag\ni2,I2,customer,ag\ni3,I3,customer,ag\no1,O1,customer,ag\no2,O2,customer,ag\n",
            8, 0);
  import_ok(fx, WARDEN_IMPORT_DOCUMENTS, "d.csv",
            "party_id,type,number,expiry,role\n"
            "I1,resident,11010519491231002X,2030-01-01,holder\n"  /* fine */
            "I2,resident,110105194912310021,,holder\n"            /* forged check digit */
            "I3,resident,11010519491231002X,2026-03-05,holder\n"  /* expires before the deadline */
            "O1,uscc,91350100M000100Y43,,holder\n"
            "O1,resident,11010519491231002X,,legal_rep\n"         /* complete set */
            "O2,uscc,91350100M000100Y43,,holder\n",               /* no legal representative's id */
            6, 0);
  warden_arena a;
  warden_arena_init(&a, 0);
  warden_kyc_report rep;
  int32_t deadline;
  warden_date_parse("2026-03-08", &deadline);
  assert_int_equal(warden_registry_kyc_report(fx->r, deadline, &a, &rep), WARDEN_OK);
  assert_int_equal(rep.documents, 6);
  assert_int_equal(rep.by_verdict[1], 1);
  assert_int_equal(rep.customers, 5);
  assert_int_equal(rep.customers_ok, 2);
  assert_int_equal(rep.customers_fail, 3);
  assert_int_equal(rep.nshutdown, 3);
  const char *want[] = {"i2", "i3", "o2"};
  for (int i = 0; i < 3; i++) assert_string_equal(rep.shutdown[i].account, want[i]);
  assert_non_null(strstr(rep.shutdown[2].why, "legal representative"));
  assert_non_null(strstr(rep.shutdown[1].why, "expired by the deadline"));
  assert_int_equal(rep.nagents, 1);
  assert_string_equal(rep.agents[0].agent, "ag");
  assert_int_equal(rep.agents[0].failing, 3);
  warden_arena_release(&a);
}

static void schema_is_migrated_and_a_newer_one_refused(void **state) {
  fixture *fx = *state;
  assert_int_equal(warden_registry_schema_version(fx->r), WARDEN_SCHEMA_VERSION);
  assert_int_equal(WARDEN_SCHEMA_VERSION, 4);
  sql(fx, "PRAGMA user_version = 99");
  warden_registry *r2 = NULL;
  char err[512];
  assert_int_equal(warden_registry_open(fx->db, &r2, err, sizeof err), WARDEN_ERR_STATE);
  assert_null(r2);
  assert_non_null(strstr(err, "newer than this warden"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(KYC_RETAIN_numbers_and_names_are_sealed_at_rest, setup, teardown),
      cmocka_unit_test_setup_teardown(KYC_RETAIN_reveal_is_audited_with_reason_and_actor, setup, teardown),
      cmocka_unit_test_setup_teardown(seal_detects_a_flipped_bit, setup, teardown),
      cmocka_unit_test_setup_teardown(audit_chain_names_the_edited_entry, setup, teardown),
      cmocka_unit_test_setup_teardown(import_rejects_bad_rows_with_line_and_reason, setup, teardown),
      cmocka_unit_test_setup_teardown(import_accounts_orders_parents_and_checks_the_channel, setup, teardown),
      cmocka_unit_test_setup_teardown(import_all_or_nothing_rolls_back, setup, teardown),
      cmocka_unit_test_setup_teardown(import_without_header_or_with_broken_quote_writes_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(KYC_TYPES_documents_match_the_party_kind, setup, teardown),
      cmocka_unit_test_setup_teardown(KYC_400_DOCS_and_KYC_FORGED_report_names_who_to_shut_down, setup, teardown),
      cmocka_unit_test_setup_teardown(schema_is_migrated_and_a_newer_one_refused, setup, teardown),
  };
  return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
