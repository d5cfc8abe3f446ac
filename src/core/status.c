/* status.c — warden_strerror: one sentence per status code. */
#include "core.h"

const char *warden_strerror(warden_status st) {
  switch (st) {
  case WARDEN_OK: return "ok";
  case WARDEN_ERR_NOMEM: return "out of memory";
  case WARDEN_ERR_IO: return "input/output error";
  case WARDEN_ERR_USAGE: return "wrong arguments";
  case WARDEN_ERR_PARSE: return "malformed input";
  case WARDEN_ERR_TOO_BIG: return "size limit reached";
  case WARDEN_ERR_NOT_FOUND: return "not found";
  case WARDEN_ERR_EXISTS: return "already exists";
  case WARDEN_ERR_DB: return "database error";
  case WARDEN_ERR_CRYPTO: return "cryptographic failure";
  case WARDEN_ERR_INTEGRITY: return "integrity check failed";
  case WARDEN_ERR_STATE: return "not allowed in the current state";
  case WARDEN_ERR_RANGE: return "outside the covered data";
  }
  return "unknown status";
}
