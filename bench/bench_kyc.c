/* bench_kyc.c — resident-number checks per second on one core (issue: >= 10 million a second).
 *
 *   bench_kyc N OUT.txt   writes N generated numbers (9 in 10 valid; the rest altered check digit,
 *                         impossible date, unknown region, wrong length), one a line, for the peer
 *   bench_kyc FILE        checks every number of FILE, repeatedly for at least a second, and prints
 *                         the best rate and the verdict counts (so the peer's can be compared) */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "gen/gen.h"
#include "kyc/kyc.h"

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc == 3) {
    long n = strtol(argv[1], NULL, 10);
    FILE *f = fopen(argv[2], "w");
    if (!f || n <= 0) return 2;
    warden_rng g;
    warden_rng_seed(&g, 42);
    char num[19];
    for (long i = 0; i < n; i++) {
      warden_gen_resident(&g, num);
      switch (warden_rng_below(&g, 40)) {
      case 0: num[17] = num[17] == '0' ? '1' : '0'; break;     /* check digit */
      case 1: memcpy(num + 10, "0230", 4); num[17] = warden_kyc_mod11_2(num); break; /* date */
      case 2: memcpy(num, "990101", 6); num[17] = warden_kyc_mod11_2(num); break;    /* region */
      case 3: num[16] = '\0'; break;                             /* length */
      default: break;
      }
      fprintf(f, "%s\n", num);
    }
    return fclose(f) ? 2 : 0;
  }
  if (argc != 2) {
    fprintf(stderr, "usage: bench_kyc N OUT.txt | bench_kyc FILE\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "r");
  if (!f) return 2;
  size_t cap = 1 << 20, n = 0;
  char(*nums)[20] = malloc(cap * sizeof *nums);
  size_t *lens = malloc(cap * sizeof *lens);
  char line[64];
  while (fgets(line, sizeof line, f)) {
    if (n == cap) {
      cap *= 2;
      nums = realloc(nums, cap * sizeof *nums);
      lens = realloc(lens, cap * sizeof *lens);
    }
    size_t l = strcspn(line, "\n");
    line[l] = '\0';
    memcpy(nums[n], line, l + 1);
    lens[n++] = l;
  }
  fclose(f);
  warden_kyc_input in;
  warden_kyc_result r;
  warden_kyc_input_init(&in, "", 0);
  in.type = WARDEN_DOC_RESIDENT;
  in.today = warden_date_from_ymd(2026, 3, 2);
  long counts[3] = {0};
  double best = 0;
  int rounds = 0;
  double start = now_s();
  while (rounds < 3 || now_s() - start < 1.0) {
    long c[3] = {0};
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
      in.number = nums[i];
      in.len = lens[i];
      c[warden_kyc_check(&in, &r)]++;
    }
    double rate = (double)n / (now_s() - t0);
    if (rate > best) best = rate;
    memcpy(counts, c, sizeof c);
    rounds++;
  }
  printf("warden: %zu numbers, %.2f million checks/s (best of %d rounds, one core); valid %ld invalid %ld\n", n,
         best / 1e6, rounds, counts[0], counts[1]);
  free(nums);
  free(lens);
  return 0;
}
