/* seal.c — libsodium behind seal.h: key file, secretbox, keyed BLAKE2b. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seal.h"

void warden_seal_key_path(const char *db_path, char *out, size_t cap) {
  const char *env = getenv("WARDEN_KEY_FILE");
  if (env && *env) {
    snprintf(out, cap, "%s", env);
    return;
  }
  const char *slash = strrchr(db_path, '/');
  if (slash) snprintf(out, cap, "%.*s/warden.key", (int)(slash - db_path), db_path);
  else snprintf(out, cap, "warden.key");
}

static warden_status read_full(int fd, unsigned char *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return WARDEN_ERR_IO;
    got += (size_t)r;
  }
  return WARDEN_OK;
}

warden_status warden_seal_keys_load(warden_keys *k, const char *path, char *err, size_t errcap) {
  unsigned char master[crypto_kdf_KEYBYTES];
  warden_status st = WARDEN_OK;
  int fd = -1;
  if (sodium_init() < 0) {
    snprintf(err, errcap, "libsodium failed to initialise");
    return WARDEN_ERR_CRYPTO;
  }
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    crypto_kdf_keygen(master);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      snprintf(err, errcap, "%s: cannot create key file: %s", path, strerror(errno));
      st = WARDEN_ERR_IO;
      goto done;
    }
    if (write(fd, master, sizeof master) != (ssize_t)sizeof master || fsync(fd) != 0) {
      snprintf(err, errcap, "%s: cannot write key file: %s", path, strerror(errno));
      close(fd);
      fd = -1;
      unlink(path);
      st = WARDEN_ERR_IO;
      goto done;
    }
    close(fd);
    fd = open(path, O_RDONLY | O_CLOEXEC);
  }
  if (fd < 0) {
    snprintf(err, errcap, "%s: cannot open key file: %s", path, strerror(errno));
    st = WARDEN_ERR_IO;
    goto done;
  }
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    snprintf(err, errcap, "%s: not a regular file", path);
    st = WARDEN_ERR_CRYPTO;
    goto done;
  }
  if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
    snprintf(err, errcap, "%s: key file is readable by others (mode %03o); chmod 600 it", path,
             (unsigned)(sb.st_mode & 0777));
    st = WARDEN_ERR_CRYPTO;
    goto done;
  }
  if (sb.st_size != (off_t)sizeof master || read_full(fd, master, sizeof master) != WARDEN_OK) {
    snprintf(err, errcap, "%s: key file must hold exactly %zu bytes", path, sizeof master);
    st = WARDEN_ERR_CRYPTO;
    goto done;
  }
  crypto_kdf_derive_from_key(k->seal, sizeof k->seal, 1, "warden__", master);
  crypto_kdf_derive_from_key(k->match, sizeof k->match, 2, "warden__", master);
  crypto_kdf_derive_from_key(k->audit, sizeof k->audit, 3, "warden__", master);
done:
  if (fd >= 0) close(fd);
  sodium_memzero(master, sizeof master);
  return st;
}

void warden_seal_keys_wipe(warden_keys *k) { sodium_memzero(k, sizeof *k); }

warden_status warden_seal(const warden_keys *k, const void *p, size_t n, unsigned char *out) {
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  if (crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, p, n, out, k->seal) != 0)
    return WARDEN_ERR_CRYPTO;
  return WARDEN_OK;
}

warden_status warden_unseal(const warden_keys *k, const unsigned char *blob, size_t n, char *out) {
  if (n < WARDEN_SEAL_OVERHEAD) return WARDEN_ERR_INTEGRITY;
  if (crypto_secretbox_open_easy((unsigned char *)out, blob + crypto_secretbox_NONCEBYTES,
                                 n - crypto_secretbox_NONCEBYTES, blob, k->seal) != 0)
    return WARDEN_ERR_INTEGRITY;
  out[n - WARDEN_SEAL_OVERHEAD] = '\0';
  return WARDEN_OK;
}

void warden_seal_match_hash(const warden_keys *k, const char *key, unsigned char out[WARDEN_HASH_BYTES]) {
  crypto_generichash(out, WARDEN_HASH_BYTES, (const unsigned char *)key, strlen(key), k->match,
                     sizeof k->match);
}

void warden_seal_chain(const warden_keys *k, const unsigned char prev[WARDEN_HASH_BYTES],
                       const char *const *parts, size_t n, unsigned char out[WARDEN_HASH_BYTES]) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, k->audit, sizeof k->audit, WARDEN_HASH_BYTES);
  crypto_generichash_update(&st, prev, WARDEN_HASH_BYTES);
  for (size_t i = 0; i < n; i++) {
    const char *p = parts[i] ? parts[i] : "";
    uint64_t len = strlen(p);
    unsigned char lb[8];
    for (int b = 0; b < 8; b++) lb[b] = (unsigned char)(len >> (8 * b));
    crypto_generichash_update(&st, lb, sizeof lb);
    crypto_generichash_update(&st, (const unsigned char *)p, len);
  }
  crypto_generichash_final(&st, out, WARDEN_HASH_BYTES);
}

void warden_hex(const unsigned char *p, size_t n, char *out) {
  static const char hx[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hx[p[i] >> 4];
    out[2 * i + 1] = hx[p[i] & 15];
  }
  out[2 * n] = '\0';
}
