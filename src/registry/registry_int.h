/* registry_int.h — private to src/registry: the handle and shared helpers. */
#ifndef WARDEN_REGISTRY_INT_H
#define WARDEN_REGISTRY_INT_H

#include <sqlite3.h>

#include "../seal/seal.h"
#include "registry.h"

struct warden_registry {
  sqlite3 *db;
  warden_keys keys;
  char *actor;
  char err[512];
};

warden_status registry_fail(warden_registry *r, warden_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
warden_status registry_db_fail(warden_registry *r, const char *what);
warden_status registry_exec(warden_registry *r, const char *sql);

#endif
