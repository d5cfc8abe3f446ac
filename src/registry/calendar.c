/* calendar.c — the holiday notices an operator loaded into the registry (`warden cal load`). */
#include <string.h>

#include "registry_int.h"

warden_status warden_registry_cal_store(warden_registry *r, const char *source, const char *text, size_t len,
                                        int *year, warden_buf *errors) {
  warden_cal *check = NULL;
  sqlite3_stmt *q = NULL;
  warden_status st = warden_cal_new(&check);
  if (st) return st;
  if ((st = warden_cal_load_text(check, source, text, len, year, errors))) goto done;
  if ((st = warden_registry_begin(r))) goto done;
  if (sqlite3_prepare_v2(r->db,
                         "INSERT INTO calendar_year(year, source, body, loaded_at) VALUES (?1, ?2, ?3, ?4)"
                         " ON CONFLICT(year) DO UPDATE SET source = ?2, body = ?3, loaded_at = ?4",
                         -1, &q, NULL)) {
    st = registry_db_fail(r, "calendar");
    goto done;
  }
  sqlite3_bind_int(q, 1, *year);
  sqlite3_bind_text(q, 2, source, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, text, (int)len, SQLITE_STATIC);
  sqlite3_bind_int64(q, 4, warden_now());
  if (sqlite3_step(q) != SQLITE_DONE) {
    st = registry_db_fail(r, "calendar");
    goto done;
  }
  char subject[16], detail[600];
  snprintf(subject, sizeof subject, "cal:%d", *year);
  snprintf(detail, sizeof detail, "source=%s notice=%s", source, warden_cal_notice(check, *year));
  if ((st = warden_audit_append(r, "calendar.load", subject, detail))) goto done;
  st = warden_registry_commit(r);
done:
  sqlite3_finalize(q);
  if (st) warden_registry_rollback(r);
  warden_cal_free(check);
  return st;
}

warden_status warden_registry_cal_load(warden_registry *r, warden_cal *c, warden_buf *errors) {
  sqlite3_stmt *q = NULL;
  warden_status st = WARDEN_OK;
  if (sqlite3_prepare_v2(r->db, "SELECT source, body FROM calendar_year ORDER BY year", -1, &q, NULL))
    return registry_db_fail(r, "calendar");
  while (!st && sqlite3_step(q) == SQLITE_ROW) {
    int year;
    st = warden_cal_load_text(c, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
                              (size_t)sqlite3_column_bytes(q, 1), &year, errors);
  }
  sqlite3_finalize(q);
  return st;
}
