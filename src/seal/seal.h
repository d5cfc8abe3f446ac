/* seal.h — the public face of secrets at rest (KYC-RETAIN): the key file, sealing of personal data,
 * keyed hashes for matching, and the MAC that chains the audit log.
 *
 * One 32-byte master key lives in a key file (created 0600 on first use). Three subkeys are derived
 * from it with libsodium's crypto_kdf (context "warden__"):
 *
 *   id  use
 *   --  -------------------------------------------------------------------------------------
 *    1  crypto_secretbox (XSalsa20-Poly1305) of document numbers and individuals' names
 *    2  keyed BLAKE2b-256 of a document's match key, so equal documents match without clear text
 *    3  keyed BLAKE2b-256 chaining the audit log, so nobody without the key can rewrite history
 *
 * A sealed blob is: nonce (24 bytes) || ciphertext with its 16-byte tag.
 */
#ifndef WARDEN_SEAL_H
#define WARDEN_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "../core/core.h"

#define WARDEN_SEAL_OVERHEAD 40 /* nonce + tag */
#define WARDEN_HASH_BYTES 32

typedef struct warden_keys {
  unsigned char seal[32];
  unsigned char match[32];
  unsigned char audit[32];
} warden_keys;

/* Where the key file is: $WARDEN_KEY_FILE, else `warden.key` beside the database file.
 * Writes into out (cap bytes). */
void warden_seal_key_path(const char *db_path, char *out, size_t cap);

/* Loads the key file at path, creating it (0600, O_EXCL) with a fresh random key when absent.
 * Refuses a key file that other users may read. err gets a sentence on failure. */
warden_status warden_seal_keys_load(warden_keys *k, const char *path, char *err, size_t errcap);
void warden_seal_keys_wipe(warden_keys *k);

/* Seals n bytes of p into out (n + WARDEN_SEAL_OVERHEAD bytes, caller's buffer). */
warden_status warden_seal(const warden_keys *k, const void *p, size_t n, unsigned char *out);
/* Opens a sealed blob of n bytes into out (n - WARDEN_SEAL_OVERHEAD bytes + NUL written at the end,
 * so out needs n - WARDEN_SEAL_OVERHEAD + 1 bytes). WARDEN_ERR_INTEGRITY when it was altered. */
warden_status warden_unseal(const warden_keys *k, const unsigned char *blob, size_t n, char *out);

/* Keyed BLAKE2b of a match key. */
void warden_seal_match_hash(const warden_keys *k, const char *key, unsigned char out[WARDEN_HASH_BYTES]);

/* Keyed BLAKE2b over prev || each of the n parts, each part length-prefixed (so no two different
 * sequences of parts hash alike). */
void warden_seal_chain(const warden_keys *k, const unsigned char prev[WARDEN_HASH_BYTES],
                       const char *const *parts, size_t n, unsigned char out[WARDEN_HASH_BYTES]);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void warden_hex(const unsigned char *p, size_t n, char *out);

#endif
