/* detect.h — the public face of streaming detection: call records in, findings out (rule book §5).
 *
 *   rule         fires when (per presented number unless said)                       window
 *   -----------  ------------------------------------------------------------------  -----------------
 *   TR-400-OUT   an outbound call presenting, or placed from, a 400/800 number        a day (CST)
 *                (subject: that service number)
 *   TR-SPOOF     an outbound call presenting a number other than the caller that is   a day
 *                not a valid Chinese number, or (registry) not allocated to the
 *                call's account
 *   TR-AUTODIAL  within any sliding window of autodial_window: >= autodial_calls      a burst: opens
 *                outbound calls to >= autodial_callees distinct callees with >=       when the window
 *                autodial_short percent under autodial_short_secs of talk             qualifies, ends
 *                (unanswered counts as short)                                         after a window
 *                                                                                     that never does
 *   TR-SEGMENT   >= segment_run consecutive outbound calls whose callees share all    a run (ends at a
 *                but the last segment_digits digits, each 1..segment_step from the     break, or after
 *                one before                                                           idle_evict idle)
 *   TR-RESTHOURS a marketing call starting in rest hours (CST), or (registry) to a     a marketing day
 *                callee without that account's consent in force                      (08:00 to 08:00)
 *   TR-SLOT      (registry) a call outside the number's declared slots, or beyond its  a day
 *                declared daily maximum
 *   TR-CROSSPROV an outbound call entering the network in a province other than the    a day
 *                presented number's home (area code for fixed lines; registry for
 *                the rest)
 *   TR-FWDCHAIN  a leg forwarded >= fwd_hops times, or an international callee on a    a day
 *                leg forwarded from a service number (subject: forwarded_from, else
 *                the presented number)
 *
 * A rule that needs the registry and has none is reported as skipped, never as passed.
 * Memory is bounded by active numbers: a number's state (the recent window, the current run) is
 * evicted when idle; per-day findings are kept in a table of their own (as many as findings).
 * Findings come out sorted (rule, subject, first), so the same input gives the same output.
 *
 * Ownership: warden_detect_new/_free; findings returned by _finish belong to the engine.
 */
#ifndef WARDEN_DETECT_H
#define WARDEN_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "../cdr/cdr.h"
#include "../policy/policy.h"
#include "../registry/registry.h"

typedef enum warden_rule {
  WARDEN_RULE_400_OUT = 0,
  WARDEN_RULE_SPOOF,
  WARDEN_RULE_AUTODIAL,
  WARDEN_RULE_SEGMENT,
  WARDEN_RULE_RESTHOURS,
  WARDEN_RULE_SLOT,
  WARDEN_RULE_CROSSPROV,
  WARDEN_RULE_FWDCHAIN,
  WARDEN_RULE__COUNT
} warden_rule;

const char *warden_rule_id(warden_rule r); /* "TR-400-OUT" ... */
bool warden_rule_parse(const char *id, warden_rule *out);

typedef struct warden_detect_params {
  int64_t autodial_window, autodial_calls, autodial_callees, autodial_short, autodial_short_secs;
  int64_t segment_run, segment_digits, segment_step;
  int64_t rest_from, rest_to; /* minutes after midnight, CST */
  int64_t fwd_hops;
  int64_t idle_evict;         /* seconds without a call before a number's state is dropped */
} warden_detect_params;

/* The parameters from the policy's [detect] section. */
void warden_detect_params_from_policy(const warden_policy *p, warden_detect_params *out);

#define WARDEN_FINDING_SAMPLES 10
typedef struct warden_finding {
  warden_rule rule;
  char subject[24];
  char account[72];
  int64_t first, last; /* UTC seconds */
  long count;          /* calls that tripped it */
  int nsamples;
  char samples[WARDEN_FINDING_SAMPLES][48];
  char evidence[320];  /* a JSON object: the counts and the policy values in force */
} warden_finding;

/* What the rules that need the registry read: numbers (holder, home province, declared usage) and
 * consent, taken once at start. The registry stays open for keyed hashes of callees. */
typedef struct warden_detect_snapshot warden_detect_snapshot;
warden_status warden_detect_snapshot_load(warden_registry *r, warden_detect_snapshot **out);
void warden_detect_snapshot_free(warden_detect_snapshot *s);
size_t warden_detect_snapshot_numbers(const warden_detect_snapshot *s);

typedef struct warden_detect warden_detect;

typedef struct warden_detect_stats {
  uint64_t records, duplicates;
  uint64_t findings[WARDEN_RULE__COUNT];
  bool skipped[WARDEN_RULE__COUNT]; /* needed the registry and had none */
  uint64_t tracked, peak_tracked;   /* numbers with state now, at most */
  uint64_t state_bytes, peak_state_bytes;
} warden_detect_stats;

/* snap may be NULL (rules that need it are skipped). */
warden_status warden_detect_new(const warden_detect_params *p, const warden_detect_snapshot *snap, warden_detect **out);
void warden_detect_free(warden_detect *d);
/* Feeds one record. A call id seen before (within the dedupe horizon, two hours) is counted once. */
warden_status warden_detect_feed(warden_detect *d, const warden_cdr *rec);
/* The same for a batch (records with reject set are passed over), faster: see detect.c. */
warden_status warden_detect_feed_batch(warden_detect *d, const warden_cdr *recs, size_t n);
/* A record as the detectors read it, worked out ahead (on another thread, say): the hashes it is
 * looked up by, its numbers' kinds, what the rules test and a short call id itself, in one cache
 * line, so that detecting reads neither the record nor its text unless a rule fires (or the call id
 * is longer than WARDEN_KEY_CID). warden_detect_keys_of, then _feed_keyed or _feed_shard
 * (warden_detect_feed_batch works them out itself).
 *
 *   bytes  field      what
 *   -----  ---------  ------------------------------------------------------------------------
 *    0- 7  lo         the presented number's key (with hi: 4 bits a digit); else its bytes' hash
 *    8-15  start      UTC seconds
 *   16-23  callee_v   the callee's digits as a number (TR-SEGMENT)
 *   24-27  id         the call id's hash, low bit set: the dedupe's fingerprint and shard
 *   28-31  callee_h   the callee's hash (TR-AUTODIAL)
 *   32-35  billsec
 *   36-39  nh         the presented number's hash (32 bits of it): where its state is looked up
 *   40-47  hi, kinds (dk | ck << 4), callee_n, hops, origin, flags, cid_n
 *   48-63  cid        the call id, when it has at most 16 bytes (cid_n); else cid_n is 255
 */
enum {
  WARDEN_KEY_REJECT = 1,    /* a rejected record: passed over */
  WARDEN_KEY_NUM = 2,       /* the presented number has a key (lo, hi) */
  WARDEN_KEY_OUT = 4,       /* outbound */
  WARDEN_KEY_DIFFERS = 8,   /* presented number != caller */
  WARDEN_KEY_MARKETING = 16,
  WARDEN_KEY_ANSWERED = 32,
  WARDEN_KEY_FWD_INTL = 128 /* forwarded from a service number to an international callee */
};
enum { WARDEN_KEY_CID = 16, WARDEN_KEY_CID_LONG = 255 };
typedef struct warden_detect_keys {
  uint64_t lo;
  int64_t start;
  uint64_t callee_v; /* up to 19 digits */
  uint32_t id;
  uint32_t callee_h;
  int32_t billsec;
  uint32_t nh;       /* with WARDEN_KEY_NUM: the number's hash, worked out here once rather than three
                      * times on the detecting thread (its prefetch, its ring's, its lookup) */
  uint16_t hi;
  uint8_t kinds;     /* warden_numkind of the presented number (low 4 bits) and of the calling one */
  uint8_t callee_n;  /* the callee's length */
  uint8_t hops;      /* up to 255 */
  uint8_t origin;    /* origin_region, 0 absent */
  uint8_t flags;     /* WARDEN_KEY_* */
  uint8_t cid_n;     /* the call id's length, or WARDEN_KEY_CID_LONG: the record has it */
  char cid[WARDEN_KEY_CID];
} warden_detect_keys;
void warden_detect_keys_of(const warden_cdr *recs, size_t n, warden_detect_keys *out);
/* Feeds n records whose keys were worked out (warden_detect_keys_of): the same as
 * warden_detect_feed_batch. For an engine of one shard (warden_detect_new). */
warden_status warden_detect_feed_keyed(warden_detect *d, const warden_cdr *recs, const warden_detect_keys *keys, size_t n);

/* Detection on several threads, with exactly the findings of one engine.
 *
 *   stage        split by                  in stream order?   does
 *   -----------  ------------------------  -----------------  ----------------------------------------
 *   parse, keys  chunks of the input       no                 warden_cdr_*, warden_detect_keys_of,
 *                                                             warden_detect_tasks_of
 *   dedupe       call id (shard i of n)    yes, its list      warden_detect_dedupe_mark -> dup[i] flags
 *   detect       subject number (shard i)  yes, its list      warden_detect_feed_shard
 *
 * With one shard there are no lists: its engine (warden_detect_new) is fed each batch whole,
 * dedupe and rules in one pass (warden_detect_feed_keyed), on one thread while others parse. With
 * several, each shard's stages read only their own records, from task lists made with the keys
 * (tasks_of):
 *
 *   list          a record is on it as              when
 *   ------------  --------------------------------  -------------------------------------------
 *   ids[s]        WARDEN_TASK_OWN                   its call id is of shard s
 *                 WARDEN_TASK_CLOCK                 else, when its hour differs from the record's
 *                                                   before it (or it is the chunk's first)
 *   nums[s]       WARDEN_TASK_OWN                   its presented number is of shard s
 *                 WARDEN_TASK_FOREIGN               else, when it may concern another number
 *                                                   (TR-400-OUT on the caller, TR-FWDCHAIN)
 *                 WARDEN_TASK_CLOCK                 else, when its start is later than every one
 *                                                   before it in the chunk (or it is the first)
 *
 * An entry is (record index << 2) | kind. The dedupe's horizon moves by the hour of every record,
 * and a record whose hour equals the one before it moves it nowhere; the engines' clock is the
 * newest start so far, which only the records that raise it move: so each stage, fed its list, is
 * where it would be fed every record, exactly, and a shard skips the others' records instead of
 * reading them all (the chunks are parsed on one core and read on all; the bytes that cross between
 * cores are what it costs). A number's calls still meet in order in one engine, which keeps the
 * state and findings of its own numbers only; the rules whose subject is not the presented number
 * (TR-400-OUT on the caller, TR-FWDCHAIN on forwarded_from) go to the subject's shard. A duplicate
 * is counted by the shard of its presented number. warden_detect_merge then gathers the findings and
 * the counts into one engine, whose _finish sorts them as one engine's would be.
 *
 * Ownership: _dedupe_new/_free; merge leaves `from` to be freed by the caller; the lists are the
 * caller's. */
enum { WARDEN_TASK_OWN = 0, WARDEN_TASK_FOREIGN = 1, WARDEN_TASK_CLOCK = 2 };
/* The lists of n records (keys), for nshards shards: ids[s] and nums[s] each have room for n
 * entries; their lengths in nids[s] and nnums[s]. */
void warden_detect_tasks_of(const warden_detect_keys *keys, size_t n, unsigned nshards, uint32_t *const *ids, size_t *nids,
                            uint32_t *const *nums, size_t *nnums);
typedef struct warden_detect_dedupe warden_detect_dedupe;
warden_status warden_detect_dedupe_new(warden_detect_dedupe **out);
void warden_detect_dedupe_free(warden_detect_dedupe *x);
/* Sets dup[i] for each of the n records: 1 for a duplicate on the list (its ids[s], m entries), else
 * 0. recs[i] is record i, whose call id is compared; the dedupe keeps copies of the ids it
 * remembers. WARDEN_ERR_NOMEM when out of memory, or when the ids of the two-hour horizon would
 * pass 8 GB (the limit of the log's places, detect.c). */
warden_status warden_detect_dedupe_mark(warden_detect_dedupe *x, const warden_cdr *recs, const warden_detect_keys *keys,
                                        size_t n, const uint32_t *tasks, size_t m, uint8_t *dup);
warden_status warden_detect_new_shard(const warden_detect_params *p, const warden_detect_snapshot *snap, unsigned shard,
                                      unsigned nshards, warden_detect **out);
/* Feeds the records of the shard's list (its nums[s], m entries); dups: every dedupe shard's flags. */
warden_status warden_detect_feed_shard(warden_detect *d, const warden_cdr *recs, const warden_detect_keys *keys,
                                       const uint32_t *tasks, size_t m, const uint8_t *const *dups);
warden_status warden_detect_merge(warden_detect *into, const warden_detect *from);
/* While streaming: the findings opened since *seen (an index the caller keeps, starting at 0), in
 * the order they opened, with their counts so far. Not valid after _finish. */
const warden_finding *warden_detect_new_findings(const warden_detect *d, size_t *seen, size_t *n);
/* Replaces the registry snapshot (SIGHUP in `warden watch`); the caller frees the old one after. */
void warden_detect_set_snapshot(warden_detect *d, const warden_detect_snapshot *snap);
/* Closes everything open and returns the findings, sorted (rule, subject, first). */
warden_status warden_detect_finish(warden_detect *d, const warden_finding **out, size_t *n);
void warden_detect_stats_get(const warden_detect *d, warden_detect_stats *out);
/* Faults in (MADV_POPULATE_WRITE) up to 2 MB of the memory the engine said it will soon need (its
 * number table's next half, a spare dedupe log block), so that the feeding thread does not pay for
 * fresh pages: for another thread, while d is fed (with --threads, a parsing one between chunks).
 * It writes nothing, and a range the engine has since moved or given back is harmless. The engine
 * asks only once this has been called: without a thread to do it, nothing is mapped ahead. False
 * when nothing was asked for (or another thread is at it). */
bool warden_detect_prefault(warden_detect *d);

#endif
