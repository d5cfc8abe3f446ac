/* cmd_serve.c — `warden serve`: the HTTP API and the dashboard (src/api/api.h). */
#include <stdlib.h>
#include <string.h>

#include "../api/api.h"
#include "cli.h"

static const char serve_help[] =
    "usage: warden serve [--listen HOST:PORT] [--db FILE] [--policy FILE] [--threads N] [--quiet]\n"
    "       warden serve --routes\n\n"
    "Serves the HTTP API (docs/api.md; the contract is docs/openapi.json, also at /openapi.json) and the\n"
    "dashboard at / until SIGINT or SIGTERM. --listen defaults to 127.0.0.1:8080 (port 0: a free one;\n"
    "the address is printed once listening). Requests need a bearer token (`warden token create`), but\n"
    "for /, /assets/*, /openapi.json, /metrics and /healthz. One JSON line per request goes to stderr\n"
    "(time, method, path, status, micros, token id); --quiet turns them off. SIGHUP reloads the call\n"
    "screening snapshot and the tokens. --threads: the pool's size (default: the processors).\n"
    "--routes prints the route table and exits.\n";

int cmd_serve(int argc, char **argv) {
  static const struct option longopts[] = {
      {"listen", required_argument, NULL, 'l'}, {"db", required_argument, NULL, 'd'},
      {"policy", required_argument, NULL, 'p'}, {"threads", required_argument, NULL, 't'},
      {"quiet", no_argument, NULL, 'q'},        {"routes", no_argument, NULL, 'r'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  const char *listen = "127.0.0.1:8080", *db = NULL, *policy = NULL;
  int threads = 0, c;
  bool quiet = false;
  int64_t v;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'l': listen = optarg; break;
    case 'd': db = optarg; break;
    case 'p': policy = optarg; break;
    case 't':
      if (!warden_parse_i64(optarg, &v) || v < 1 || v > 64) return cli_usage_error("serve", "--threads takes 1 to 64");
      threads = (int)v;
      break;
    case 'q': quiet = true; break;
    case 'r': warden_api_routes_write(stdout); return EXIT_OKAY;
    case 'h': cli_help(serve_help); return EXIT_OKAY;
    default: return cli_usage_error("serve", "unknown option");
    }
  }
  if (optind < argc) return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
  warden_api_opts o = {.db = cli_db_path(db), .policy = policy, .log = quiet ? NULL : stderr};
  warden_api *a = NULL;
  char err[1024];
  if (warden_api_new(&o, &a, err, sizeof err)) {
    fprintf(stderr, "warden serve: %s\n", err);
    return EXIT_USAGE;
  }
  warden_status st = warden_api_run(a, listen, threads, stdout, err, sizeof err);
  if (st) fprintf(stderr, "warden serve: %s\n", err);
  warden_api_free(a);
  return st ? EXIT_USAGE : EXIT_OKAY;
}
