/* cmd_cal.c — `warden cal`: working days in China Standard Time. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cal/cal.h"
#include "cli.h"

static const char cal_help[] =
    "usage: warden cal workday DATE          'workday', or 'holiday'/'weekend' with the holiday's name;\n"
    "                                        exit 0 for a working day, 1 otherwise\n"
    "       warden cal add DATE N            the date N working days after DATE (the first working\n"
    "                                        day after DATE is day 1)\n"
    "       warden cal between A B           working days after A up to and including B\n"
    "       warden cal years                 the covered years and the notice each cites\n"
    "       warden cal load FILE [--db FILE] store a year's notice in the registry (audited)\n"
    "options: --holidays DIR (or $WARDEN_HOLIDAYS): a folder of year files replacing the built-in ones;\n"
    "         --db FILE: also use the years loaded into that registry (when it exists)\n\n"
    "The calendar holds China's public holidays and adjusted working days from the State Council's\n"
    "annual notices (data/holidays). A date in a year with no notice is an error naming the notice to\n"
    "load, never a guess. Dates are YYYY-MM-DD, China Standard Time.\n";

static bool date_arg(const char *s, int32_t *d) {
  if (warden_date_parse(s, d)) return true;
  fprintf(stderr, "warden cal: '%s' is not a date (YYYY-MM-DD)\n", s);
  return false;
}

int cmd_cal(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'}, {"holidays", required_argument, NULL, 'H'},
      {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *db = NULL, *dir = NULL;
  int c;
  int sub = cli_subcommand("cal", "workday|add|between|years|load", cal_help, &argc, &argv);
  if (sub >= 0) return sub;
  const char *what = argv[0];
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'H': dir = optarg; break;
    case 'h': cli_help(cal_help); return EXIT_OKAY;
    default: return cli_usage_error("cal", "unknown option");
    }
  }
  int nargs = argc - optind;
  char **args = argv + optind;
  if (!strcmp(what, "load")) {
    if (nargs != 1) return cli_usage_error("cal", "load takes one file");
    FILE *f = fopen(args[0], "rb");
    if (!f) { perror(args[0]); return EXIT_USAGE; }
    warden_buf text, errors;
    warden_buf_init(&text, 1 << 20);
    warden_buf_init(&errors, 1 << 16);
    char chunk[4096];
    size_t n;
    warden_status st = WARDEN_OK;
    while (!st && (n = fread(chunk, 1, sizeof chunk, f)) > 0) st = warden_buf_add(&text, chunk, n);
    fclose(f);
    int rc = EXIT_OKAY, year = 0;
    warden_registry *r = st ? NULL : cli_open(cli_db_path(db));
    if (st) { fprintf(stderr, "warden cal: %s: larger than 1 MB\n", args[0]); rc = EXIT_FINDINGS; }
    else if (!r) rc = EXIT_USAGE;
    else if ((st = warden_registry_cal_store(r, args[0], warden_buf_str(&text), text.len, &year, &errors))) {
      fputs(errors.len ? warden_buf_str(&errors) : warden_registry_errmsg(r), stderr);
      if (!errors.len) fputc('\n', stderr);
      rc = st == WARDEN_ERR_PARSE ? EXIT_FINDINGS : EXIT_USAGE;
    } else {
      printf("loaded %d from %s\n", year, args[0]);
    }
    warden_registry_close(r);
    warden_buf_release(&text);
    warden_buf_release(&errors);
    return rc;
  }
  int want = !strcmp(what, "workday") ? 1 : !strcmp(what, "years") ? 0 : 2;
  if (nargs != want) return cli_usage_error("cal", "%s takes %d argument%s", what, want, want == 1 ? "" : "s");
  warden_cal *cal = cli_cal_open(dir, db);
  if (!cal) return EXIT_USAGE;
  int rc = EXIT_OKAY;
  char err[512];
  int32_t a, b;
  if (!strcmp(what, "years")) {
    int first, last;
    warden_cal_range(cal, &first, &last);
    for (int y = first; y && y <= last; y++) {
      const char *notice = warden_cal_notice(cal, y);
      if (notice) printf("%d\t%s\t(%s)\n", y, notice, warden_cal_source(cal, y));
      else printf("%d\tmissing\n", y);
    }
  } else if (!strcmp(what, "workday")) {
    warden_day_kind k;
    const char *name;
    if (!date_arg(args[0], &a)) rc = EXIT_USAGE;
    else if (warden_cal_day(cal, a, &k, &name, err, sizeof err)) { fprintf(stderr, "warden cal: %s\n", err); rc = EXIT_USAGE; }
    else {
      static const char *const kinds[] = {"workday", "workday", "weekend", "holiday"};
      printf("%s%s%s\n", kinds[k], name ? "\t" : "", name ? name : "");
      rc = k == WARDEN_DAY_WORKDAY || k == WARDEN_DAY_MAKEUP ? EXIT_OKAY : EXIT_FINDINGS;
    }
  } else if (!strcmp(what, "add")) {
    int64_t n;
    if (!date_arg(args[0], &a)) rc = EXIT_USAGE;
    else if (!warden_parse_i64(args[1], &n) || n < 0 || n > 10000) rc = cli_usage_error("cal", "N is a count of working days, 0 to 10000");
    else if (warden_cal_add(cal, a, (int)n, &b, err, sizeof err)) { fprintf(stderr, "warden cal: %s\n", err); rc = EXIT_USAGE; }
    else {
      char out[11];
      warden_date_format(b, out);
      puts(out);
    }
  } else {
    int n;
    if (!date_arg(args[0], &a) || !date_arg(args[1], &b)) rc = EXIT_USAGE;
    else if (warden_cal_between(cal, a, b, &n, err, sizeof err)) { fprintf(stderr, "warden cal: %s\n", err); rc = EXIT_USAGE; }
    else printf("%d\n", n);
  }
  warden_cal_free(cal);
  return rc;
}
