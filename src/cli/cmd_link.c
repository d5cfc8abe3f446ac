/* cmd_link.c — `warden link build|cluster|explain` (ASSOC-KEYS, ASSOC-LIABLE), `warden gen accounts`,
 * and the demo's section on associated accounts. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../link/link.h"
#include "../policy/policy.h"
#include "cli.h"

static const char link_help[] =
    "usage: warden link build   [SOURCE] [--json] [--truth FILE] [--limit N]\n"
    "       warden link cluster ACCOUNT [SOURCE] [--json]\n"
    "       warden link explain ACCOUNT ACCOUNT [SOURCE] [--json]\n\n"
    "Associated accounts (ASSOC-KEYS): accounts sharing a document, phone, e-mail, domain holder,\n"
    "payment account, device, IP, address or person, or joined by holdings, form one cluster.\n"
    "Values are normalised first (docs/link.md); hub keys (held by more accounts than the policy's\n"
    "[link] hub_cap) and placeholders link nothing and are listed as hot keys.\n\n"
    "SOURCE is the registry (--db FILE, $WARDEN_DB: accounts keyed by their documents' match\n"
    "hashes) or files, header rows required:\n"
    "  --accounts A.csv    account_id\n"
    "  --keys K.csv        account_id,key_type,value[,valid_until]   key_type: doc phone email\n"
    "                      domain_holder payment device ip address legal_rep contact executive\n"
    "                      (people: name;document-number or name;phone)\n"
    "  --equity E.csv      holder_id,company_id,share   (0 < share <= 1)\n"
    "other options:\n"
    "  --placeholder TYPE:VALUE   one more value that links nothing (the platform's own phone)\n"
    "  --policy FILE       the policy ([link] hub_cap, ipv4_prefix, ipv6_prefix, min_share)\n"
    "  --threads N         threads for the file build (default: every processor)\n"
    "  --json              build: one {\"account\",\"cluster\"} line per account; others: one object\n"
    "  --truth FILE        build: compare with account_id,cluster (exit 1 when they differ)\n"
    "  --limit N           build: hot keys listed (default 10)\n"
    "explain prints the shortest chain of accounts and shared keys (masked) from one account to the\n"
    "other; exit 1 when they are not associated. Bad rows are reported on stderr as FILE:LINE.\n";

typedef struct link_args {
  const char *accounts, *keys, *equity, *db, *policy, *truth;
  const char *placeholders[32];
  int nplaceholders, threads;
  bool json;
  long limit;
} link_args;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The graph from the files or the registry; NULL (after saying why) on failure. *bad counts the
 * rows reported. */
static warden_link_graph *link_open(const link_args *a, warden_link_load_stats *st, double *secs) {
  warden_policy *p = NULL;
  warden_buf perr;
  warden_link_opts o;
  warden_link_graph *g = NULL;
  warden_registry *r = NULL;
  char err[600];
  warden_buf_init(&perr, 1 << 16);
  warden_link_opts_default(&o);
  if (warden_policy_load(a->policy, &p, &perr)) {
    fputs(warden_buf_str(&perr), stderr);
    goto fail;
  }
  if (warden_link_opts_from_policy(&o, p, err, sizeof err)) {
    fprintf(stderr, "warden link: %s\n", err);
    goto fail;
  }
  o.threads = a->threads;
  if (warden_link_new(&o, &g)) goto fail;
  for (int i = 0; i < a->nplaceholders; i++) {
    const char *colon = strchr(a->placeholders[i], ':');
    char type[32];
    snprintf(type, sizeof type, "%.*s", colon ? (int)(colon - a->placeholders[i]) : 0, a->placeholders[i]);
    warden_link_type t = warden_link_type_parse(type);
    if (!colon || t == WARDEN_LINK__COUNT || warden_link_add_placeholder(g, t, colon + 1)) {
      fprintf(stderr, "warden link: --placeholder '%s': expected TYPE:VALUE with a key type and a value of it\n",
              a->placeholders[i]);
      goto fail;
    }
  }
  double t0 = now_s();
  if (a->accounts || a->keys) {
    if (!a->accounts || !a->keys) {
      fprintf(stderr, "warden link: --accounts and --keys go together\n");
      goto fail;
    }
    if (warden_link_load_csv(g, a->accounts, a->keys, a->equity, stderr, st, err, sizeof err)) {
      fprintf(stderr, "warden link: %s\n", err);
      goto fail;
    }
  } else {
    if (!(r = cli_open(cli_db_path(a->db)))) goto fail;
    if (warden_link_load_registry(g, r, st, err, sizeof err)) {
      fprintf(stderr, "warden link: %s\n", err);
      goto fail;
    }
    warden_registry_close(r);
    r = NULL;
  }
  *secs = now_s() - t0;
  warden_policy_free(p);
  warden_buf_release(&perr);
  return g;
fail:
  if (r) warden_registry_close(r);
  warden_link_free(g);
  warden_policy_free(p);
  warden_buf_release(&perr);
  return NULL;
}

static void print_hot(warden_link_graph *g, long limit, const char *indent) {
  warden_arena ar;
  warden_link_hot *h;
  size_t n;
  warden_arena_init(&ar, 0);
  if (!warden_link_hot_keys(g, &ar, &h, &n) && n) {
    printf("%shot keys (they link nothing): %zu\n", indent, n);
    for (size_t i = 0; i < n && (limit <= 0 || (long)i < limit); i++)
      printf("%s  %-13s %-34s %8ld %s\n", indent, warden_link_class_name(h[i].cls), h[i].value, h[i].count,
             h[i].placeholder ? "rows, placeholder" : "accounts, hub");
  }
  warden_arena_release(&ar);
}

static void print_summary(warden_link_graph *g, const warden_link_load_stats *st, double secs, long limit, FILE *f) {
  warden_link_cluster_stats cs;
  warden_link_stats(g, &cs);
  fprintf(f, "accounts %ld (and %ld equity-only entities); key rows %ld: %ld account-key pairs, %ld distinct keys; "
          "%ld bad rows, %ld placeholders, %ld names alone; equity edges %ld (%ld below min_share)\n",
          st->accounts, st->entities, st->rows, st->pairs, st->keys, st->bad, st->placeholders, st->name_only,
          st->equity, st->equity_below);
  fprintf(f, "clusters %ld: %ld accounts alone; of 2 accounts %ld, 3-5 %ld, 6-10 %ld, 11-50 %ld, over 50 %ld; "
          "largest %ld\n", cs.clusters, cs.singletons, cs.by_size[0], cs.by_size[1], cs.by_size[2], cs.by_size[3],
          cs.by_size[4], cs.largest);
  if (f == stdout) print_hot(g, limit, "");
  fprintf(f, "built in %.2f s\n", secs);
}

static int link_build(warden_link_graph *g, const link_args *a, const warden_link_load_stats *st, double secs) {
  int rc = st->bad ? EXIT_FINDINGS : EXIT_OKAY;
  if (a->json) {
    char *buf = malloc(1 << 16);
    if (buf) setvbuf(stdout, buf, _IOFBF, 1 << 16);
    for (uint32_t x = 0; x < warden_link_node_count(g); x++) {
      if (!warden_link_is_account(g, x)) continue;
      const char *id = warden_link_account_id(g, x);
      bool plain = true; /* most ids need no JSON escape: printed as they are, fast */
      for (const unsigned char *c = (const unsigned char *)id; *c && plain; c++) plain = *c >= 0x20 && *c != '"' && *c != '\\';
      if (plain) printf("{\"account\":\"%s\",\"cluster\":%u}\n", id, warden_link_cluster(g, x));
      else cli_print_json(json_pack("{s:s,s:i}", "account", id, "cluster", (json_int_t)warden_link_cluster(g, x)));
    }
    fflush(stdout);
    setvbuf(stdout, NULL, _IOLBF, 0);
    free(buf);
    print_summary(g, st, secs, a->limit, stderr);
  } else {
    print_summary(g, st, secs, a->limit, stdout);
  }
  if (a->truth) {
    bool same;
    long clusters;
    char diff[600];
    if (warden_link_check_truth(g, a->truth, &same, &clusters, diff, sizeof diff)) {
      fprintf(stderr, "warden link: %s\n", diff);
      return EXIT_USAGE;
    }
    fprintf(a->json ? stderr : stdout, same ? "truth: same partition (%ld clusters)\n" : "truth: DIFFERS (%ld clusters): %s\n",
            clusters, diff);
    if (!same) rc = EXIT_FINDINGS;
  }
  return rc;
}

static json_t *step_json(const warden_link_step *s) {
  return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "from", s->from, "to", s->to, "from_type",
                   warden_link_type_name(s->from_type), "to_type", warden_link_type_name(s->to_type), "class",
                   s->cls == WARDEN_LINK_CLASS__COUNT ? "equity" : warden_link_class_name(s->cls), "value", s->value,
                   "from_source", s->from_source, "to_source", s->to_source);
}

static void print_step(const warden_link_step *s, const char *indent) {
  if (s->from_type == WARDEN_LINK_EQUITY) {
    printf("%s%s %s %s  (%s)\n", indent, s->from, s->value, s->to, s->from_source);
    return;
  }
  if (s->from_type == s->to_type)
    printf("%s%s and %s share %s %s  (%s, %s)\n", indent, s->from, s->to, warden_link_type_name(s->from_type), s->value,
           s->from_source, s->to_source);
  else
    printf("%s%s's %s is %s's %s: %s  (%s, %s)\n", indent, s->from, warden_link_type_name(s->from_type), s->to,
           warden_link_type_name(s->to_type), s->value, s->from_source, s->to_source);
}

static int link_explain(warden_link_graph *g, const link_args *a, const char *x, const char *y) {
  warden_arena ar;
  warden_link_chain c;
  uint32_t nx, ny;
  int rc = EXIT_OKAY;
  if (!warden_link_find(g, x, &nx) || !warden_link_find(g, y, &ny)) {
    fprintf(stderr, "warden link: no account '%s'\n", warden_link_find(g, x, &nx) ? y : x);
    return EXIT_USAGE;
  }
  warden_arena_init(&ar, 0);
  warden_status st = warden_link_explain(g, x, y, &ar, &c);
  if (st == WARDEN_ERR_NOT_FOUND) {
    if (a->json) cli_print_json(json_pack("{s:s,s:s,s:b}", "a", x, "b", y, "associated", 0));
    else printf("%s (cluster %u) and %s (cluster %u) are not associated\n", x, warden_link_cluster(g, nx), y,
                warden_link_cluster(g, ny));
    rc = EXIT_FINDINGS;
  } else if (st) {
    fprintf(stderr, "warden link: %s\n", warden_strerror(st));
    rc = EXIT_USAGE;
  } else if (a->json) {
    json_t *steps = json_array();
    for (size_t i = 0; i < c.nsteps; i++) json_array_append_new(steps, step_json(&c.steps[i]));
    cli_print_json(json_pack("{s:s,s:s,s:b,s:i,s:o}", "a", x, "b", y, "associated", 1, "cluster",
                             (json_int_t)warden_link_cluster(g, nx), "steps", steps));
  } else {
    printf("%s and %s are associated (cluster %u): %zu step%s\n", x, y, warden_link_cluster(g, nx), c.nsteps,
           c.nsteps == 1 ? "" : "s");
    for (size_t i = 0; i < c.nsteps; i++) print_step(&c.steps[i], "  ");
  }
  warden_arena_release(&ar);
  return rc;
}

static int link_cluster(warden_link_graph *g, const link_args *a, const char *x) {
  warden_arena ar;
  warden_link_member *m;
  size_t n;
  uint32_t node;
  if (!warden_link_find(g, x, &node)) {
    fprintf(stderr, "warden link: no account '%s'\n", x);
    return EXIT_USAGE;
  }
  warden_arena_init(&ar, 0);
  warden_status st = warden_link_members(g, x, &ar, &m, &n);
  if (st) {
    fprintf(stderr, "warden link: %s\n", warden_strerror(st));
    warden_arena_release(&ar);
    return EXIT_USAGE;
  }
  uint32_t cid = warden_link_cluster(g, node), accounts = warden_link_cluster_size(g, node);
  if (a->json) {
    json_t *ms = json_array();
    for (size_t i = 0; i < n; i++) {
      json_t *ks = json_array();
      for (size_t j = 0; j < m[i].nkeys; j++) {
        const warden_link_held *h = &m[i].keys[j];
        json_array_append_new(ks, json_pack("{s:s,s:s,s:s,s:s,s:i,s:b}", "type", warden_link_type_name(h->type), "class",
                                            h->cls == WARDEN_LINK_CLASS__COUNT ? "equity" : warden_link_class_name(h->cls),
                                            "value", h->value, "source", h->source, "count", (json_int_t)h->count,
                                            "links", h->links));
      }
      json_array_append_new(ms, json_pack("{s:s,s:b,s:o}", "account", m[i].account, "entity", m[i].entity, "keys", ks));
    }
    cli_print_json(json_pack("{s:i,s:i,s:o}", "cluster", (json_int_t)cid, "accounts", (json_int_t)accounts, "members", ms));
  } else {
    printf("cluster %u: %u account%s%s\n", cid, accounts, accounts == 1 ? "" : "s",
           n > accounts ? " (and equity-only entities)" : "");
    for (size_t i = 0; i < n; i++) {
      printf("  %s%s\n", m[i].account, m[i].entity ? " (entity, not an account)" : "");
      for (size_t j = 0; j < m[i].nkeys; j++) {
        const warden_link_held *h = &m[i].keys[j];
        char how[48];
        if (h->type == WARDEN_LINK_EQUITY) snprintf(how, sizeof how, "links");
        else if (h->links) snprintf(how, sizeof how, "links: %ld accounts", h->count);
        else if (h->count > 1) snprintf(how, sizeof how, "hub: %ld accounts", h->count);
        else snprintf(how, sizeof how, "its own");
        printf("    %-13s %-40s %-20s %s\n", warden_link_type_name(h->type), h->value, how, h->source);
      }
    }
  }
  warden_arena_release(&ar);
  return EXIT_OKAY;
}

int cmd_link(int argc, char **argv) {
  static const struct option longopts[] = {
      {"accounts", required_argument, NULL, 'a'}, {"keys", required_argument, NULL, 'k'},
      {"equity", required_argument, NULL, 'e'},   {"db", required_argument, NULL, 'd'},
      {"policy", required_argument, NULL, 'p'},   {"truth", required_argument, NULL, 't'},
      {"placeholder", required_argument, NULL, 'P'}, {"threads", required_argument, NULL, 'T'},
      {"limit", required_argument, NULL, 'l'},    {"json", no_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
  link_args a = {.limit = 10};
  int64_t v;
  int c;
  int sub = cli_subcommand("link", "build|cluster|explain", link_help, &argc, &argv);
  if (sub >= 0) return sub;
  const char *cmd = argv[0];
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'a': a.accounts = optarg; break;
    case 'k': a.keys = optarg; break;
    case 'e': a.equity = optarg; break;
    case 'd': a.db = optarg; break;
    case 'p': a.policy = optarg; break;
    case 't': a.truth = optarg; break;
    case 'P':
      if (a.nplaceholders == 32) return cli_usage_error("link", "at most 32 --placeholder values");
      a.placeholders[a.nplaceholders++] = optarg;
      break;
    case 'T':
      if (!warden_parse_i64(optarg, &v) || v < 1 || v > 16) return cli_usage_error("link", "--threads takes 1 to 16");
      a.threads = (int)v;
      break;
    case 'l':
      if (!warden_parse_i64(optarg, &v) || v < 0) return cli_usage_error("link", "--limit takes a count (0: all)");
      a.limit = (long)v;
      break;
    case 'j': a.json = true; break;
    case 'h': cli_help(link_help); return EXIT_OKAY;
    default: return cli_usage_error("link", "unknown option");
    }
  }
  int want = !strcmp(cmd, "build") ? 0 : !strcmp(cmd, "cluster") ? 1 : 2;
  if (argc - optind != want)
    return cli_usage_error("link", "%s takes %s", cmd, want == 0 ? "no account" : want == 1 ? "one account" : "two accounts");
  if (a.equity && !a.keys) return cli_usage_error("link", "--equity goes with --accounts and --keys");
  warden_link_load_stats st;
  double secs = 0;
  warden_link_graph *g = link_open(&a, &st, &secs);
  if (!g) return EXIT_USAGE;
  int rc = want == 0 ? link_build(g, &a, &st, secs)
           : want == 1 ? link_cluster(g, &a, argv[optind])
                       : link_explain(g, &a, argv[optind], argv[optind + 1]);
  warden_link_free(g);
  return rc;
}

/* ---- warden gen accounts ---- */
static const char gen_accounts_help[] =
    "usage: warden gen accounts --accounts N [--seed S] [--out DIR] [--truth FILE] [--hub-cap N]\n\n"
    "Writes DIR/accounts.csv, DIR/keys.csv and DIR/equity.csv (DIR default .): N accounts with six keys\n"
    "of their own each, and planted associations of every key type written in varied forms (15- and\n"
    "18-digit numbers, +86 and 0086, full-width digits, address variants, IPv6 spellings, indirect\n"
    "holdings through entities), hub values held by more than --hub-cap accounts (default 50),\n"
    "placeholders and names alone, which must link nothing. --truth FILE (default DIR/truth.csv)\n"
    "gets account_id,cluster: the planted partition. The same seed gives the same bytes.\n";

int cmd_gen_accounts(int argc, char **argv) {
  static const struct option longopts[] = {
      {"accounts", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
      {"out", required_argument, NULL, 'o'},      {"truth", required_argument, NULL, 't'},
      {"hub-cap", required_argument, NULL, 'c'},  {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  warden_link_gen_opts o = {.accounts = 0, .seed = 1, .hub_cap = 50, .dir = "."};
  char truth[700], err[600];
  int64_t v;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'n':
      if (!warden_parse_i64(optarg, &v) || v < 1 || v > 20000000) return cli_usage_error("gen", "--accounts takes 1 to 20000000");
      o.accounts = (long)v;
      break;
    case 's': if (!warden_parse_i64(optarg, &v)) return cli_usage_error("gen", "--seed takes a number"); o.seed = (uint64_t)v; break;
    case 'o': o.dir = optarg; break;
    case 't': o.truth = optarg; break;
    case 'c':
      if (!warden_parse_i64(optarg, &v) || v < 2 || v > 100000) return cli_usage_error("gen", "--hub-cap takes 2 to 100000");
      o.hub_cap = (uint32_t)v;
      break;
    case 'h': cli_help(gen_accounts_help); return EXIT_OKAY;
    default: return cli_usage_error("gen", "unknown option");
    }
  }
  if (!o.accounts) return cli_usage_error("gen", "--accounts N is required");
  if (!o.truth) {
    snprintf(truth, sizeof truth, "%s/truth.csv", o.dir);
    o.truth = truth;
  }
  mkdir(o.dir, 0755);
  warden_link_gen_stats s;
  if (warden_link_gen(&o, &s, err, sizeof err)) {
    fprintf(stderr, "warden gen: %s\n", err);
    return EXIT_USAGE;
  }
  printf("%s: %ld accounts, %ld key rows, %ld equity rows; %ld planted groups holding %ld accounts, %ld hub values, "
         "%ld placeholder rows; truth in %s\n", o.dir, s.accounts, s.keys, s.equity, s.groups, s.grouped, s.hubs,
         s.placeholders, o.truth);
  return EXIT_OKAY;
}

/* ---- the demo ---- */
static void demo_explain_largest(warden_link_graph *g, long want, const char *files) {
  /* the first cluster of at least `want` accounts: its members' chains from the first (ASSOC-LIABLE) */
  for (uint32_t x = 0; x < warden_link_node_count(g); x++) {
    if (!warden_link_is_account(g, x) || (long)warden_link_cluster_size(g, x) < want) continue;
    warden_arena ar;
    warden_link_chain *c;
    size_t n;
    warden_arena_init(&ar, 0);
    const char *id = warden_link_account_id(g, x);
    if (!warden_link_associates(g, id, &ar, &c, &n)) {
      printf("  cluster %u: %s is associated with %zu accounts (ASSOC-LIABLE: jointly liable); the evidence:\n",
             warden_link_cluster(g, x), id, n);
      for (size_t i = 0; i < n && i < 6; i++) {
        printf("    %s, %zu step%s:\n", c[i].account, c[i].nsteps, c[i].nsteps == 1 ? "" : "s");
        for (size_t j = 0; j < c[i].nsteps; j++) print_step(&c[i].steps[j], "      ");
      }
      if (n > 6) printf("    … and %zu more\n", n - 6);
      printf("  look into it: ./build/warden link cluster %s %s\n"
             "               ./build/warden link explain %s %s %s\n", id, files, id, n ? c[n - 1].account : id, files);
    }
    warden_arena_release(&ar);
    return;
  }
}

int demo_link_section(warden_registry *r, const char *dir) {
  warden_link_graph *g = NULL;
  warden_link_load_stats st;
  warden_link_cluster_stats cs;
  char err[600], sub[700], truth[760], acc[760], keys[760], eq[760];
  printf("\nAssociated accounts (ASSOC-KEYS, ASSOC-LIABLE)\n");
  if (warden_link_new(NULL, &g)) return EXIT_USAGE;
  if (!warden_link_load_registry(g, r, &st, err, sizeof err)) {
    warden_link_stats(g, &cs);
    printf("  from the registry (documents' match hashes): %ld accounts in %ld clusters, %ld with more than one "
           "account, largest %ld\n", st.accounts, cs.clusters, cs.clusters - cs.singletons, cs.largest);
  }
  warden_link_free(g);
  g = NULL;
  /* a generated set with every key type planted */
  snprintf(sub, sizeof sub, "%s/link", dir);
  snprintf(truth, sizeof truth, "%s/truth.csv", sub);
  mkdir(sub, 0755);
  warden_link_gen_opts go = {.accounts = 20000, .seed = 5, .hub_cap = 50, .dir = sub, .truth = truth};
  warden_link_gen_stats gs;
  if (warden_link_gen(&go, &gs, err, sizeof err)) {
    fprintf(stderr, "warden demo: %s\n", err);
    return EXIT_USAGE;
  }
  snprintf(acc, sizeof acc, "%s/accounts.csv", sub);
  snprintf(keys, sizeof keys, "%s/keys.csv", sub);
  snprintf(eq, sizeof eq, "%s/equity.csv", sub);
  double t0 = now_s();
  if (warden_link_new(NULL, &g) || warden_link_load_csv(g, acc, keys, eq, stderr, &st, err, sizeof err)) {
    fprintf(stderr, "warden demo: %s\n", err);
    warden_link_free(g);
    return EXIT_USAGE;
  }
  double secs = now_s() - t0;
  printf("  generated in %s: %ld accounts, %ld key rows, %ld holdings; %ld planted groups\n", sub, gs.accounts,
         gs.keys, gs.equity, gs.groups);
  warden_link_stats(g, &cs);
  printf("  clusters %ld (%ld of 2 or more accounts, largest %ld) in %.2f s; %ld placeholders and %ld names alone "
         "linked nothing\n", cs.clusters, cs.clusters - cs.singletons, cs.largest, secs, st.placeholders, st.name_only);
  bool same;
  long clusters;
  char diff[600];
  if (!warden_link_check_truth(g, truth, &same, &clusters, diff, sizeof diff))
    printf("  planted truth: %s\n", same ? "recovered exactly (same partition)" : diff);
  print_hot(g, 5, "  ");
  char files[2400];
  snprintf(files, sizeof files, "--accounts %s --keys %s --equity %s", acc, keys, eq);
  demo_explain_largest(g, 6, files);
  warden_link_free(g);
  return EXIT_OKAY;
}
