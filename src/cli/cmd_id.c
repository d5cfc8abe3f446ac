/* cmd_id.c — `warden id check`: identity documents one by one or from a CSV file. */
#include <stdlib.h>
#include <string.h>

#include "../kyc/kyc.h"
#include "cli.h"

static const char id_help[] =
    "usage: warden id check [--type TYPE] [--json] [--reveal] [--now DATE] [--expiry DATE]\n"
    "                       [--issued DATE] [--mrz LINE2] NUMBER...\n"
    "       warden id check [--json] [--reveal] [--now DATE] --file FILE.csv\n\n"
    "Checks identity documents (rule book KYC-DOC-PERSON, KYC-DOC-ORG, KYC-FORGED).\n"
    "One line per number: number (masked unless --reveal), type ('assumed' when detected),\n"
    "valid | invalid | format-only, a reason code and a message. format-only means the shape is right\n"
    "but no public check exists for the document: it is never reported as valid.\n\n"
    "  -t, --type TYPE   resident household temp-resident residence-permit hkmo-permit tw-permit\n"
    "                    foreign-pr passport uscc business-licence org-code military armed-police\n"
    "                    institution social-org embassy-note intro-letter (default: detect)\n"
    "  -f, --file FILE   CSV with a header: type,number and optional expiry, issued,\n"
    "                    holder_birth_date, mrz ('-' reads standard input)\n"
    "  -j, --json        one JSON object a line, with the parsed facts\n"
    "      --reveal      print numbers and facts in clear (birth dates are masked otherwise)\n"
    "      --now DATE    check as of this day (default today, China Standard Time)\n"
    "      --expiry DATE, --issued DATE, --mrz LINE2   facts printed on the document\n\n"
    "Reasons: ok bad-format bad-length bad-check-digit bad-region bad-date future-birth expired\n"
    "under-16-needs-household bad-nationality bad-authority bad-entity-type bad-org-code\n"
    "mrz-mismatch unknown-type no-public-check wrong-type\n"
    "Exit status: 0 all valid, 1 some not valid, 2 usage error.\n";

typedef struct id_opts {
  bool json, reveal;
  long counts[3];
} id_opts;

static void emit(id_opts *o, const warden_kyc_result *r, const char *raw, const char *where) {
  char shown[256], birth[11] = "", region[200] = "";
  o->counts[r->verdict]++;
  if (o->reveal) snprintf(shown, sizeof shown, "%s", r->normalized[0] ? r->normalized : raw);
  else warden_mask(r->normalized[0] ? r->normalized : raw, shown, sizeof shown);
  if (r->birth != WARDEN_NO_DATE) {
    warden_date_format(r->birth, birth);
    if (!o->reveal) memcpy(birth + 4, "-**-**", 6);
  }
  if (r->region >= 100000) {
    uint32_t shown_region = o->reveal ? r->region : r->region / 100 * 100;
    if (!warden_kyc_region_path(shown_region, region, sizeof region)) warden_kyc_region_path(r->region, region, sizeof region);
    if (r->region == 810000) snprintf(region, sizeof region, "Hong Kong");
    if (r->region == 820000) snprintf(region, sizeof region, "Macao");
    if (r->region == 830000) snprintf(region, sizeof region, "Taiwan");
  } else if (r->region) {
    warden_kyc_region_path(r->region * 10000, region, sizeof region);
  }
  if (o->json) {
    json_t *j = json_object();
    json_object_set_new(j, "number", json_string(shown));
    json_object_set_new(j, "type", json_string(warden_doc_type_name(r->type)));
    json_object_set_new(j, "assumed", json_boolean(r->assumed));
    json_object_set_new(j, "valid", json_boolean(r->verdict == WARDEN_VERDICT_VALID));
    json_object_set_new(j, "verdict", json_string(warden_verdict_name(r->verdict)));
    json_object_set_new(j, "reason", json_string(warden_reason_name(r->reason)));
    json_object_set_new(j, "message", json_string(r->message));
    if (where) json_object_set_new(j, "line", json_string(where));
    if (region[0]) json_object_set_new(j, "region", json_string(region));
    if (r->region && o->reveal) json_object_set_new(j, "region_code", json_integer(r->region));
    if (birth[0]) json_object_set_new(j, "birth_date", json_string(birth));
    if (r->sex) json_object_set_new(j, "sex", json_string(r->sex == 'M' ? "male" : "female"));
    if (r->legacy15) json_object_set_new(j, "upgraded", json_string(o->reveal ? r->upgraded : "(masked)"));
    if (r->nationality[0]) {
      json_object_set_new(j, "nationality", json_string(r->nationality));
      const char *cn = warden_kyc_country_name(r->nationality);
      if (cn) json_object_set_new(j, "nationality_name", json_string(cn));
    }
    if (r->expiry != WARDEN_NO_DATE) {
      char e[11];
      warden_date_format(r->expiry, e);
      json_object_set_new(j, "expiry", json_string(e));
    }
    if (r->authority) {
      json_object_set_new(j, "authority", json_string(warden_kyc_authority_name(r->authority)));
      const char *en = warden_kyc_entity_name(r->authority, r->entity);
      if (en) json_object_set_new(j, "entity_type", json_string(en));
    }
    if (r->org_code[0]) json_object_set_new(j, "org_code", json_string(r->org_code));
    cli_print_json(j);
    return;
  }
  printf("%s\t%s%s\t%s\t%s\t%s", shown, warden_doc_type_name(r->type), r->assumed ? " (assumed)" : "",
         warden_verdict_name(r->verdict), warden_reason_name(r->reason), r->message);
  if (region[0]) printf("; %s", region);
  if (birth[0]) printf("; born %s", birth);
  if (r->sex) printf("; %s", r->sex == 'M' ? "male" : "female");
  if (r->nationality[0]) printf("; %s", r->nationality);
  if (r->authority) {
    const char *en = warden_kyc_entity_name(r->authority, r->entity);
    printf("; %s", en ? en : "");
  }
  if (where) printf("\t(%s)", where);
  putchar('\n');
}

static int check_file(id_opts *o, const char *path, int32_t today) {
  warden_csv c;
  warden_csv_header h = {0};
  bool got;
  int rc = EXIT_OKAY;
  if (warden_csv_open(&c, path, 1 << 20)) {
    fprintf(stderr, "warden id: %s\n", c.err);
    return EXIT_USAGE;
  }
  warden_status st = warden_csv_next(&c, &got);
  if (st || !got) {
    fprintf(stderr, "warden id: %s\n", st ? c.err : "empty file: a header row (type,number,...) is required");
    rc = EXIT_FINDINGS;
    goto done;
  }
  if (warden_csv_header_take(&h, &c)) { rc = EXIT_USAGE; goto done; }
  int ci[6];
  const char *cols[6] = {"type", "number", "expiry", "issued", "holder_birth_date", "mrz"};
  for (int i = 0; i < 6; i++) ci[i] = warden_csv_header_find(&h, cols[i]);
  if (ci[1] < 0) {
    fprintf(stderr, "warden id: %s:%lu: missing column 'number' (header: type,number[,expiry,issued,holder_birth_date,mrz])\n", path, c.line);
    rc = EXIT_FINDINGS;
    goto done;
  }
  for (;;) {
    st = warden_csv_next(&c, &got);
    char where[300];
    if (st == WARDEN_ERR_PARSE) {
      fprintf(stderr, "warden id: %s\n", c.err);
      o->counts[WARDEN_VERDICT_INVALID]++;
      if (strstr(c.err, "never closed")) break;
      continue;
    }
    if (st) { fprintf(stderr, "warden id: %s\n", c.err); rc = EXIT_USAGE; goto done; }
    if (!got) break;
    snprintf(where, sizeof where, "%s:%lu", path, c.line);
    if (c.nfields != h.n) {
      fprintf(stderr, "warden id: %s: %zu fields, the header has %zu\n", where, c.nfields, h.n);
      o->counts[WARDEN_VERDICT_INVALID]++;
      continue;
    }
    const char *f[6];
    for (int i = 0; i < 6; i++) f[i] = ci[i] >= 0 ? warden_csv_field(&c, (size_t)ci[i]) : "";
    warden_kyc_input in;
    warden_kyc_input_init(&in, f[1], strlen(f[1]));
    in.today = today;
    warden_kyc_result r;
    bool bad_field = false;
    if (*f[0] && (in.type = warden_doc_type_parse(f[0])) == WARDEN_DOC_UNKNOWN) {
      fprintf(stderr, "warden id: %s: unknown type '%s'\n", where, f[0]);
      bad_field = true;
    }
    int32_t *dst[3] = {&in.expiry, &in.issued, &in.holder_birth};
    for (int i = 0; i < 3 && !bad_field; i++)
      if (*f[2 + i] && !warden_date_parse(f[2 + i], dst[i])) {
        fprintf(stderr, "warden id: %s: %s '%s' is not a date (YYYY-MM-DD)\n", where, cols[2 + i], f[2 + i]);
        bad_field = true;
      }
    if (bad_field) { o->counts[WARDEN_VERDICT_INVALID]++; continue; }
    in.mrz = *f[5] ? f[5] : NULL;
    warden_kyc_check(&in, &r);
    emit(o, &r, f[1], where);
  }
done:
  warden_csv_header_release(&h);
  warden_csv_close(&c);
  return rc;
}

int cmd_id(int argc, char **argv) {
  static const struct option longopts[] = {
      {"type", required_argument, NULL, 't'}, {"file", required_argument, NULL, 'f'},
      {"json", no_argument, NULL, 'j'},       {"reveal", no_argument, NULL, 'r'},
      {"now", required_argument, NULL, 'n'},  {"expiry", required_argument, NULL, 'e'},
      {"issued", required_argument, NULL, 'i'}, {"mrz", required_argument, NULL, 'm'},
      {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
  id_opts o = {0};
  const char *file = NULL, *mrz = NULL;
  warden_doc_type type = WARDEN_DOC_UNKNOWN;
  int32_t expiry = WARDEN_NO_DATE, issued = WARDEN_NO_DATE;
  int c;
  int sub = cli_subcommand("id", "check", id_help, &argc, &argv);
  if (sub >= 0) return sub;
  while ((c = getopt_long(argc, argv, "t:f:jh", longopts, NULL)) != -1) {
    switch (c) {
    case 't':
      if ((type = warden_doc_type_parse(optarg)) == WARDEN_DOC_UNKNOWN)
        return cli_usage_error("id", "unknown type '%s'", optarg);
      break;
    case 'f': file = optarg; break;
    case 'j': o.json = true; break;
    case 'r': o.reveal = true; break;
    case 'n': if (!cli_set_now(optarg)) return cli_usage_error("id", "--now '%s' is not a date", optarg); break;
    case 'e': if (!warden_date_parse(optarg, &expiry)) return cli_usage_error("id", "--expiry '%s' is not a date", optarg); break;
    case 'i': if (!warden_date_parse(optarg, &issued)) return cli_usage_error("id", "--issued '%s' is not a date", optarg); break;
    case 'm': mrz = optarg; break;
    case 'h': cli_help(id_help); return EXIT_OKAY;
    default: return cli_usage_error("id", "unknown option");
    }
  }
  if (!file && optind >= argc) return cli_usage_error("id", "give numbers, or --file FILE.csv");
  if (file && optind < argc) return cli_usage_error("id", "give numbers or --file, not both");
  int32_t today = warden_today();
  int rc = EXIT_OKAY;
  if (file) {
    rc = check_file(&o, file, today);
  } else {
    for (int i = optind; i < argc; i++) {
      warden_kyc_input in;
      warden_kyc_result r;
      warden_kyc_input_init(&in, argv[i], strlen(argv[i]));
      in.type = type;
      in.today = today;
      in.expiry = expiry;
      in.issued = issued;
      in.mrz = mrz;
      warden_kyc_check(&in, &r);
      emit(&o, &r, argv[i], NULL);
    }
  }
  if (file)
    fprintf(stderr, "%ld checked: %ld valid, %ld invalid, %ld format-only\n",
            o.counts[0] + o.counts[1] + o.counts[2], o.counts[0], o.counts[1], o.counts[2]);
  if (rc) return rc;
  return o.counts[1] || o.counts[2] ? EXIT_FINDINGS : EXIT_OKAY;
}
