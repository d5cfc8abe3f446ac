/* link.h — the public face of associated accounts: keys normalised, clusters by union-find, the
 * evidence that links two accounts (ASSOC-KEYS, ASSOC-LIABLE; issue 5).
 *
 * Accounts are associated when they share a key (ASSOC-KEYS) or are joined by a chain of holdings.
 * A key is a (class, normalised value) pair; two written forms of the same fact normalise to the
 * same key, and only equal keys link:
 *
 *   type            class    normalised value                              placeholders (link nothing)
 *   --------------  -------  --------------------------------------------  --------------------------
 *   doc             doc      warden_kyc_match_key: cn:18 digits (15-digit  all zeros; junk words
 *                            upgraded, x -> X), org:org code (a USCC and
 *                            its embedded organisation code are one key)
 *   phone           phone    national digits (+86 / 0086 / 86 stripped,    all one digit, under 5
 *                            a landline gains its trunk 0)                 digits is invalid
 *   email           email    case-folded local@domain                      none@, unknown@, test@ …
 *   domain_holder   domain   full-width folded, upper case, no spaces or   privacy-proxy holders
 *                            punctuation                                   (REDACTED FOR PRIVACY …)
 *   payment         payment  bank cards: digits only; other accounts       all one digit
 *                            case-folded
 *   device          device   upper case, no separators (MACs, IMEIs)       all one character,
 *                                                                          02:00:00:00:00:00 …
 *   ip              ip       inet_ntop form; /N when the policy's prefix   unspecified, loopback,
 *                            is shorter (ipv4_prefix, ipv6_prefix)         private, link-local,
 *                                                                          multicast, broadcast
 *   address         address  "CCCCCC|detail": the finest GB/T 2260 unit    junk words; an address
 *                            resolved (province / city / district, short   with no detail left
 *                            forms accepted) and the detail folded: full-  after its region
 *                            width to ASCII, spaces and punctuation out,
 *                            Chinese numerals as digits, 至/到/~/— as '-'
 *                            between numbers, 号 after a number dropped
 *                            (kept as '#' before another number)
 *   legal_rep,      doc      "name;document": the document's key (so a     "name" alone is never a
 *   contact,                 legal representative is linked to an account  key (NAME_ONLY)
 *   executive       person   that holds the same document); "name;phone":
 *                            "NAME|phone digits"
 *
 * Every other value listed by warden_link_add_placeholder (the platform's own address and phone)
 * links nothing either; placeholders are counted and listed as hot keys.
 *
 * Keys are identified by a 92-bit hash of "class:value" (64-bit h plus a 28-bit fingerprint): two
 * different keys are taken as one with probability about n^2 / 2^93 (4e-13 for 60 million keys).
 * The hash is not keyed: it is an index, not a secret.
 *
 * The graph and its memory, for A accounts, K distinct keys, P account-key pairs, S pairs of keys
 * held by two accounts or more, E equity edges (large arrays are mmap'd, in huge pages):
 *
 *   array       element                                   size       what
 *   ----------  ----------------------------------------  ---------  ------------------------------
 *   nodes       char *id, uint8 flags                     9 A        accounts, and equity-only
 *                                                                    entities (not in the accounts)
 *   keys        uint64 h | uint32 fp<<4|class | uint32 src 16 K       sorted by (h, fp); src: the
 *                                                                    K.csv line of its one pair, an
 *                                                                    index into sline, or a
 *                                                                    display-string index
 *   koff, kacc  CSR: key -> accounts (bit 31: removed)    4 K + 4 P  who holds the key
 *   sline       K.csv lines of the pairs of shared keys   4 S        the evidence's rows
 *   aoff, akey  CSR: account -> key<<4 | type (15:        4 A + 4 P  what the account holds
 *               removed)
 *   uf          parent, size, cluster id, next member     16 A       union-find (path halving,
 *                                                                    union by size); members in a
 *                                                                    circular list per cluster
 *   delta       hash maps account -> keys, key ->         small      what came after the bulk build
 *               accounts, entity -> equity edges
 *
 * Hub keys: a key held by more accounts than hub_cap (policy [link] hub_cap, default 50) links
 * nothing and is listed as hot with its count. Equity: holder -> company edges at or above
 * min_share (per edge; default any); any path of edges associates its ends, through entities that
 * are not accounts too.
 *
 * Clusters have stable ids within a graph's life: at the bulk build ids are numbered in the order of
 * each cluster's first account; afterwards a new account gets the next id, a growing cluster keeps
 * its id, and when two clusters of two or more accounts merge the older (smaller) id survives and
 * the other is recorded as merged into it (warden_link_events). Removing a key, a key turning hub,
 * or a validity ending rebuilds only the cluster it touched; if it splits, the part holding the
 * cluster's oldest account keeps the id and the other parts get new ids, recorded as split from it.
 *
 * Threads: the bulk CSV load parses, normalises and sorts on `threads` threads; everything else is
 * single-threaded. A graph is not safe to change from two threads at once; queries are read-only
 * except for path halving inside union-find, so do not query from two threads either.
 *
 * Ownership: warden_link_new hands out a graph the caller ends with warden_link_free. Strings and
 * arrays returned by queries live in the caller's arena (and die with it) unless said otherwise;
 * account ids from warden_link_account_id live as long as the graph.
 */
#ifndef WARDEN_LINK_H
#define WARDEN_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/core.h"

struct warden_policy;
struct warden_registry;

/* The key types of K.csv (names as in warden_link_type_name), and equity for evidence. */
typedef enum warden_link_type {
  WARDEN_LINK_DOC = 0,
  WARDEN_LINK_PHONE,
  WARDEN_LINK_EMAIL,
  WARDEN_LINK_DOMAIN_HOLDER,
  WARDEN_LINK_PAYMENT,
  WARDEN_LINK_DEVICE,
  WARDEN_LINK_IP,
  WARDEN_LINK_ADDRESS,
  WARDEN_LINK_LEGAL_REP,
  WARDEN_LINK_CONTACT,
  WARDEN_LINK_EXECUTIVE,
  WARDEN_LINK_EQUITY, /* evidence only: a shareholding edge */
  WARDEN_LINK__COUNT
} warden_link_type;

/* The hash namespaces: people with a document share the doc class. */
typedef enum warden_link_class {
  WARDEN_LINK_CLASS_DOC = 0,
  WARDEN_LINK_CLASS_PHONE,
  WARDEN_LINK_CLASS_EMAIL,
  WARDEN_LINK_CLASS_DOMAIN,
  WARDEN_LINK_CLASS_PAYMENT,
  WARDEN_LINK_CLASS_DEVICE,
  WARDEN_LINK_CLASS_IP,
  WARDEN_LINK_CLASS_ADDRESS,
  WARDEN_LINK_CLASS_PERSON,
  WARDEN_LINK_CLASS__COUNT
} warden_link_class;

const char *warden_link_type_name(warden_link_type t);
/* WARDEN_LINK__COUNT when the name is not a K.csv key type. */
warden_link_type warden_link_type_parse(const char *name);
const char *warden_link_class_name(warden_link_class c);

/* ---- options (policy [link]) ---- */
typedef struct warden_link_opts {
  uint32_t hub_cap;      /* a key held by more accounts links nothing (ASSOC-KEYS) */
  int ipv4_prefix;       /* 32: exact; 24: match on the /24 */
  int ipv6_prefix;       /* 128: exact; 64: match on the /64 */
  uint32_t min_share_ppm; /* an equity edge counts at or above this share, in millionths (0: any) */
  int threads;           /* bulk load; 0: the number of processors */
  int32_t today;         /* for document checks and validity ends; WARDEN_NO_DATE: warden_today() */
} warden_link_opts;

/* hub_cap 50, exact IPs, any share, threads 0, today unset. */
void warden_link_opts_default(warden_link_opts *o);
/* Reads [link] from a loaded policy; WARDEN_ERR_RANGE with err when a prefix is out of range. */
warden_status warden_link_opts_from_policy(warden_link_opts *o, const struct warden_policy *p, char *err, size_t errcap);

/* ---- normalisation (pure, thread-safe) ---- */
typedef enum warden_link_norm {
  WARDEN_LINK_NORM_KEY = 0,    /* a key: class and value are set */
  WARDEN_LINK_NORM_PLACEHOLDER, /* a junk value: class and value set, links nothing */
  WARDEN_LINK_NORM_NAME_ONLY,  /* a person by name alone: never a key */
  WARDEN_LINK_NORM_INVALID,    /* not a value of the type (why says what) */
} warden_link_norm;

#define WARDEN_LINK_VALUE_MAX 512

typedef struct warden_link_key {
  warden_link_class cls;
  size_t len;
  char value[WARDEN_LINK_VALUE_MAX];
  const char *why; /* INVALID: a static English phrase */
} warden_link_key;

warden_link_norm warden_link_normalize(warden_link_type t, const char *v, size_t n, const warden_link_opts *o,
                                       warden_link_key *out);
/* The address normaliser alone: "CCCCCC|detail" into out (region 0 when none resolved). False when
 * s is not valid UTF-8 or does not fit. */
bool warden_link_address_normalize(const char *s, size_t n, char *out, size_t cap, uint32_t *region);
/* A normalised value masked for output (document numbers and phones by warden_mask, names by
 * warden_mask_name, an address as its region path and a masked detail). */
void warden_link_mask(warden_link_class c, const char *value, char *out, size_t cap);

/* ---- the graph ---- */
typedef struct warden_link_graph warden_link_graph;

warden_status warden_link_new(const warden_link_opts *o, warden_link_graph **out);
void warden_link_free(warden_link_graph *g);
/* A value that links nothing, e.g. the platform's own phone or address; add before loading. */
warden_status warden_link_add_placeholder(warden_link_graph *g, warden_link_type t, const char *value);

typedef struct warden_link_load_stats {
  long accounts, entities;     /* entities: equity holders/companies that are not accounts */
  long rows, pairs, keys;      /* K rows read, account-key pairs kept (duplicates once), distinct keys */
  long bad;                    /* rows reported on stderr (A, K, E together) */
  long placeholders, name_only;
  long equity, equity_below;   /* equity edges kept, and below min_share */
  long hubs;                   /* keys over hub_cap */
  long validity;               /* pairs with a valid_until date */
} warden_link_load_stats;

/* The bulk build from files (header rows required; contracts in docs/link.md):
 *   accounts  account_id
 *   keys      account_id,key_type,value[,valid_until]
 *   equity    holder_id,company_id,share   (NULL: none)
 * The graph must be empty. Bad rows are reported to errs (NULL: stderr) as FILE:LINE: reason and
 * skipped; a missing file or header is an error (err says which). */
warden_status warden_link_load_csv(warden_link_graph *g, const char *accounts, const char *keys, const char *equity,
                                   FILE *errs, warden_link_load_stats *st, char *err, size_t errcap);
/* The build from the registry: every account, keyed by the match hash of its party's documents
 * (holder: doc, legal_rep: legal_rep; display: the stored masked number). */
warden_status warden_link_load_registry(warden_link_graph *g, struct warden_registry *r, warden_link_load_stats *st,
                                        char *err, size_t errcap);

/* ---- incremental changes: no rebuild, except the one cluster a removal touches ---- */
/* Adds an account (no-op when it exists); *node (may be NULL) gets its index. */
warden_status warden_link_add_account(warden_link_graph *g, const char *id, uint32_t *node);
/* Adds a key of an account (added if unknown). valid_until: the last day the key holds, or
 * WARDEN_NO_DATE. source: where it came from, for evidence ("registry document 12"); display: what to
 * show instead of the masked value (NULL: the masked value). Returns the normalisation result in
 * *norm (may be NULL); a placeholder or a name alone is not an error but links nothing. */
warden_status warden_link_add_key(warden_link_graph *g, const char *account, warden_link_type t, const char *value,
                                  int32_t valid_until, const char *source, const char *display,
                                  warden_link_norm *norm);
warden_status warden_link_add_key_hashed(warden_link_graph *g, const char *account, warden_link_type t,
                                         warden_link_class c, const char *value, int32_t valid_until,
                                         const char *source, const char *display);
/* Removes one account's key; WARDEN_ERR_NOT_FOUND when the account does not hold it. */
warden_status warden_link_remove_key(warden_link_graph *g, const char *account, warden_link_type t, const char *value);
/* Adds a shareholding edge (holder and company added as entities when they are not accounts).
 * share_ppm in millionths, 1..1000000; below min_share it is ignored (*kept false). */
warden_status warden_link_add_equity(warden_link_graph *g, const char *holder, const char *company, uint32_t share_ppm,
                                     const char *source, bool *kept);
warden_status warden_link_remove_equity(warden_link_graph *g, const char *holder, const char *company);
/* Ends every pair whose valid_until is before today; *removed counts them. */
warden_status warden_link_expire(warden_link_graph *g, int32_t today, long *removed);

/* ---- queries ---- */
size_t warden_link_node_count(const warden_link_graph *g);
bool warden_link_is_account(const warden_link_graph *g, uint32_t node);
const char *warden_link_account_id(const warden_link_graph *g, uint32_t node);
bool warden_link_find(const warden_link_graph *g, const char *id, uint32_t *node);
/* The stable id of the node's cluster, and its size in accounts. */
uint32_t warden_link_cluster(warden_link_graph *g, uint32_t node);
uint32_t warden_link_cluster_size(warden_link_graph *g, uint32_t node);

typedef struct warden_link_cluster_stats {
  long clusters, singletons, largest;
  long by_size[5]; /* 2, 3-5, 6-10, 11-50, over 50 accounts */
} warden_link_cluster_stats;
void warden_link_stats(warden_link_graph *g, warden_link_cluster_stats *out);

/* One link of a chain: from account/entity `from` to `to` through a shared key, or a holding. */
typedef struct warden_link_step {
  const char *from, *to;
  warden_link_type from_type, to_type; /* how each side holds the key (EQUITY for a holding) */
  warden_link_class cls;
  const char *value;                   /* masked value, or "holds 35.5%" for equity */
  const char *from_source, *to_source; /* "keys.csv:12", "equity.csv:3", "registry document 7" */
} warden_link_step;

typedef struct warden_link_chain {
  const char *account;
  size_t nsteps;
  warden_link_step *steps;
} warden_link_chain;

/* The shortest chain from a to b (BFS over the account-key graph of their cluster).
 * WARDEN_ERR_NOT_FOUND when either is unknown or they are not associated. */
warden_status warden_link_explain(warden_link_graph *g, const char *a, const char *b, warden_arena *ar,
                                  warden_link_chain *out);

/* ASSOC-LIABLE: every account associated with `account` (its cluster but itself; entities left
 * out), each with its shortest chain of evidence from `account`, nearest first. Enforcement calls
 * this to terminate or freeze the associated accounts of a reseller. */
warden_status warden_link_associates(warden_link_graph *g, const char *account, warden_arena *ar,
                                     warden_link_chain **out, size_t *n);

typedef struct warden_link_held {
  warden_link_type type;
  warden_link_class cls;
  const char *value;  /* masked */
  const char *source;
  long count;         /* accounts holding it */
  bool links;         /* shared and under the hub cap */
} warden_link_held;

typedef struct warden_link_member {
  const char *account;
  bool entity;          /* an equity holder or company that is not an account */
  warden_link_held *keys;
  size_t nkeys;
} warden_link_member;

/* A cluster's members (accounts first, in arrival order; then entities) with their keys. */
warden_status warden_link_members(warden_link_graph *g, const char *account, warden_arena *ar,
                                  warden_link_member **out, size_t *n);

typedef struct warden_link_hot {
  warden_link_class cls;
  const char *value; /* masked */
  long count;        /* accounts (hubs) or rows (placeholders) */
  bool placeholder;
} warden_link_hot;
/* Hot keys, most held first: hubs and placeholders. */
warden_status warden_link_hot_keys(warden_link_graph *g, warden_arena *ar, warden_link_hot **out, size_t *n);

typedef struct warden_link_event {
  uint32_t from, into; /* merge: cluster `from` merged into `into`; split: `into` split off `from` */
  bool split;
} warden_link_event;
/* The merges and splits since the bulk build, oldest first; the array belongs to the graph. */
const warden_link_event *warden_link_events(const warden_link_graph *g, size_t *n);

/* ---- the generator (warden gen accounts) ---- */
typedef struct warden_link_gen_opts {
  long accounts;
  uint64_t seed;
  uint32_t hub_cap;   /* the cap the planted hubs and the boundary group are made for (50) */
  const char *dir;    /* writes accounts.csv, keys.csv, equity.csv */
  const char *truth;  /* account_id,cluster: the planted partition */
} warden_link_gen_opts;

typedef struct warden_link_gen_stats {
  long accounts, keys, equity, groups, grouped, hubs, placeholders;
} warden_link_gen_stats;

warden_status warden_link_gen(const warden_link_gen_opts *o, warden_link_gen_stats *st, char *err, size_t errcap);

/* Compares the graph's clusters with a truth file (account_id,cluster): *same when the partitions
 * are equal; otherwise diff names the first disagreement. */
warden_status warden_link_check_truth(warden_link_graph *g, const char *truth, bool *same, long *clusters,
                                      char *diff, size_t diffcap);

#endif
