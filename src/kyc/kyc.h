/* kyc.h — the public face of real-name checking: every identity document the rule book names.
 *
 * Rules implemented here: KYC-DOC-PERSON, KYC-DOC-ORG (which documents exist and how each is
 * checked), KYC-FORGED (a forged or expired document is invalid), and the household-register rule
 * for citizens under 16 (KYC-DOC-PERSON). KYC-400-DOCS (which set of documents an organisation
 * needs) is decided over a party's documents, in the registry's report.
 *
 * The formats, as checked:
 *
 *   type              shape                                   checks
 *   ----------------  --------------------------------------  ------------------------------------
 *   resident          RRRRRR YYYYMMDD SSS C   (18)            GB/T 2260 region valid at or after
 *   household           (same number as resident)             birth; real date, not future;
 *   temp-resident       (same; valid 3 months from issue)     ISO 7064 MOD 11-2 (C may be X)
 *                     RRRRRR YYMMDD SSS       (15, legacy)    region, date; shown upgraded to 18
 *   residence-permit  810000|820000|830000 YYYYMMDD SSS C     HK / Macao / Taiwan prefix, date,
 *                                                             MOD 11-2
 *   hkmo-permit       H|M NNNNNNNN [NN]                        letter, 8 digits, issue count
 *   tw-permit         NNNNNNNN  or  NNNNNNNNNN                 8 digits (older ones 10)
 *   foreign-pr        9 PP NNN YYYYMMDD SSS C  (2023-12-01 on) province, ISO 3166 numeric, date,
 *                                                             MOD 11-2
 *                     AAA PP YYMMDD SS C       (older)         ISO 3166 alpha-3, province, date;
 *                                                             no public check-digit rule:
 *                                                             format-only
 *   passport          1-9 letters/digits (China: E/G/D/S/P…)   format; with the MRZ line 2 (TD3,
 *                                                             44 chars) every ICAO 9303 check
 *                                                             digit, and the number must match
 *   uscc              R T PPPPPP OOOOOOOOO C   (18, GB 32100)  alphabet without I O Z S V,
 *   business-licence  (same)                                  authority R and type T known,
 *                                                             region, embedded GB 11714 org code
 *                                                             and its check, mod-31 check C
 *   org-code          OOOOOOOO-C  or  OOOOOOOOC  (GB 11714)    mod 11 check (X for 10)
 *   institution       USCC with authority 1 (or 12-digit)     as uscc; otherwise format-only
 *   social-org        USCC with authority 5                   as uscc; otherwise format-only
 *   military,         free form                               format-only: no public check
 *   armed-police,
 *   embassy-note,
 *   intro-letter
 *
 * Everything here is pure: no I/O, no allocation, no global state; safe from any thread.
 */
#ifndef WARDEN_KYC_H
#define WARDEN_KYC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum warden_doc_type {
  WARDEN_DOC_UNKNOWN = 0,
  WARDEN_DOC_RESIDENT,
  WARDEN_DOC_HOUSEHOLD,
  WARDEN_DOC_TEMP_RESIDENT,
  WARDEN_DOC_RESIDENCE_PERMIT,
  WARDEN_DOC_HKMO_PERMIT,
  WARDEN_DOC_TW_PERMIT,
  WARDEN_DOC_FOREIGN_PR,
  WARDEN_DOC_PASSPORT,
  WARDEN_DOC_USCC,
  WARDEN_DOC_BUSINESS_LICENCE,
  WARDEN_DOC_ORG_CODE,
  WARDEN_DOC_MILITARY,
  WARDEN_DOC_ARMED_POLICE,
  WARDEN_DOC_INSTITUTION,
  WARDEN_DOC_SOCIAL_ORG,
  WARDEN_DOC_EMBASSY_NOTE,
  WARDEN_DOC_INTRO_LETTER,
  WARDEN_DOC__COUNT
} warden_doc_type;

typedef enum warden_verdict {
  WARDEN_VERDICT_VALID = 0,
  WARDEN_VERDICT_INVALID,
  WARDEN_VERDICT_FORMAT_ONLY, /* the shape is right but no public check exists: never "valid" */
} warden_verdict;

typedef enum warden_reason {
  WARDEN_REASON_OK = 0,
  WARDEN_REASON_BAD_FORMAT,
  WARDEN_REASON_BAD_LENGTH,
  WARDEN_REASON_BAD_CHECK_DIGIT,
  WARDEN_REASON_BAD_REGION,
  WARDEN_REASON_BAD_DATE,
  WARDEN_REASON_FUTURE_BIRTH,
  WARDEN_REASON_EXPIRED,
  WARDEN_REASON_UNDER_16,
  WARDEN_REASON_BAD_NATIONALITY,
  WARDEN_REASON_BAD_AUTHORITY,
  WARDEN_REASON_BAD_ENTITY_TYPE,
  WARDEN_REASON_BAD_ORG_CODE,
  WARDEN_REASON_MRZ_MISMATCH,
  WARDEN_REASON_UNKNOWN_TYPE,
  WARDEN_REASON_NO_PUBLIC_CHECK,
  WARDEN_REASON_WRONG_TYPE, /* a valid number of another type than the one named */
  WARDEN_REASON__COUNT
} warden_reason;

/* What the caller knows besides the number. Dates are warden day counts or WARDEN_NO_DATE. */
typedef struct warden_kyc_input {
  warden_doc_type type; /* WARDEN_DOC_UNKNOWN: detect from the number's shape */
  const char *number;   /* UTF-8; need not be NUL-terminated */
  size_t len;
  int32_t today;        /* the day the check is made (expiry, future birth, age) */
  int32_t expiry;       /* expiry printed on the document */
  int32_t issued;       /* issue date (temp-resident: valid 3 months from it) */
  int32_t holder_birth; /* passports and free-form documents: the holder's birth date */
  const char *mrz;      /* passport: the MRZ's second line, NUL-terminated, or NULL */
  bool account_holder;  /* the holder opens an account: under 16 needs a household register */
} warden_kyc_input;

typedef struct warden_kyc_result {
  warden_doc_type type;
  bool assumed;              /* type was detected, not given */
  warden_verdict verdict;
  warden_reason reason;
  char normalized[64];       /* folded to ASCII, separators removed, upper case */
  char message[192];         /* one English sentence for a person */
  /* facts parsed from the number, where the type has them */
  int32_t birth;             /* WARDEN_NO_DATE when unknown */
  char sex;                  /* 'M', 'F' or 0 */
  uint32_t region;           /* GB/T 2260 code (resident, uscc) or 2-digit province, or 0 */
  bool legacy15;             /* a 15-digit citizen number */
  char upgraded[19];         /* its 18-digit form */
  char nationality[4];       /* ISO 3166 alpha-3 (foreign-pr, passport MRZ) */
  int32_t expiry;            /* effective expiry: given, from the MRZ, or issue + 3 months */
  char authority;            /* uscc: registering-authority code */
  char entity;               /* uscc: entity-type code */
  char org_code[10];         /* uscc / org-code: the 9-character organisation code */
} warden_kyc_result;

/* Checks one document. Always fills *out; returns out->verdict. */
warden_verdict warden_kyc_check(const warden_kyc_input *in, warden_kyc_result *out);

/* Fills *in with defaults (no dates, unknown type, today = warden_today()). */
void warden_kyc_input_init(warden_kyc_input *in, const char *number, size_t len);

/* Names: stable lower-case identifiers, used on the command line, in CSV and in JSON. */
const char *warden_doc_type_name(warden_doc_type t);
warden_doc_type warden_doc_type_parse(const char *name); /* aliases accepted; UNKNOWN if none */
bool warden_doc_type_is_org(warden_doc_type t);          /* KYC-DOC-ORG vs KYC-DOC-PERSON */
const char *warden_verdict_name(warden_verdict v);
const char *warden_reason_name(warden_reason r);

/* Facts for output. Return NULL when unknown. */
const char *warden_kyc_region_name(uint32_t code);         /* the unit's own name */
/* Full name "省 市 县" of a 6-digit code into out; false when the code was never in the table. */
bool warden_kyc_region_path(uint32_t code, char *out, size_t cap);
const char *warden_kyc_country_name(const char *alpha3);
const char *warden_kyc_authority_name(char authority);
const char *warden_kyc_entity_name(char authority, char entity);

/* The key two documents share when they name the same holder: the 18-digit citizen number for the
 * resident family (15-digit numbers upgraded), the embedded organisation code for a USCC and the
 * organisation code itself, the normalized number otherwise, each prefixed by its class
 * ("cn:", "org:", "passport:" ...). False when the number has no key (not parseable). */
bool warden_kyc_match_key(const warden_kyc_result *r, char *out, size_t cap);

/* Check-character helpers, exposed for the generators and tests. */
char warden_kyc_mod11_2(const char *digits17);  /* '0'..'9' or 'X' */
char warden_kyc_uscc_check(const char *first17); /* 0 when a character is outside the alphabet */
char warden_kyc_orgcode_check(const char *first8); /* '0'..'9' or 'X', 0 when malformed */
char warden_kyc_mrz_check(const char *s, size_t n); /* '0'..'9', 0 when malformed */

/* Region codes for the generators: the n-th county-level code in force now (n wraps). */
uint32_t warden_kyc_region_current(size_t n);
size_t warden_kyc_region_current_count(void);
/* Whether code was ever in the table and, if so, whether it was in force in year or later. */
bool warden_kyc_region_ok(uint32_t code, int birth_year);
/* The i-th row of the GB/T 2260 table (codes ascending), for callers that resolve names (addresses,
 * ASSOC-KEYS): false when i is past the end. last_year is 0 for a code still in force. */
bool warden_kyc_region_at(size_t i, uint32_t *code, const char **name, int *first_year, int *last_year);

#endif
