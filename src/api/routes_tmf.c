/* routes_tmf.c — the TM Forum style resources: parties (TMF632 individual, organization), customers
 * (TMF629), party roles (TMF669: distributors and agents), agreements (TMF651: contracts) and
 * resources (TMF639: numbers). Reads only; every list is filtered by the token's scope in SQL, so
 * X-Total-Count counts what the token may see. Individuals' names and every document number are
 * masked. */
#include <string.h>

#include "api_int.h"

#define BASE_INDIVIDUAL "/tmf-api/party/v4/individual"
#define BASE_ORGANIZATION "/tmf-api/party/v4/organization"
#define BASE_CUSTOMER "/tmf-api/customerManagement/v4/customer"
#define BASE_PARTYROLE "/tmf-api/partyRoleManagement/v4/partyRole"
#define BASE_AGREEMENT "/tmf-api/agreementManagement/v4/agreement"
#define BASE_RESOURCE "/tmf-api/resourceInventoryManagement/v4/resource"

typedef json_t *(*row_fn)(api_req *q, warden_registry *r, sqlite3_stmt *s);

typedef struct list_filter {
  const char *name, *value; /* bound as text; NULL binds NULL (no filter) */
} list_filter;

/* SELECT cols from_where ORDER BY order LIMIT OFFSET, and the count of from_where; both with the
 * scope and the filters bound. Only constant SQL is put together here: values are bound. */
static void sql_list(api_req *q, const char *cols, const char *from_where, const char *order, const list_filter *f,
                     size_t nf, row_fn fn) {
  long offset, limit;
  if (!api_paging(q, &offset, &limit)) return;
  warden_registry *r = api_db(q);
  if (!r) return;
  warden_buf sql;
  warden_buf_init(&sql, 1 << 16);
  warden_buf_addf(&sql, "SELECT count(*) %s", from_where);
  sqlite3_stmt *s = api_prepare(q, r, warden_buf_str(&sql));
  long long total = 0;
  json_t *arr = NULL;
  if (!s) goto done;
  for (size_t i = 0; i < nf; i++) api_bind_text(s, f[i].name, f[i].value);
  if (sqlite3_step(s) == SQLITE_ROW) total = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  warden_buf_reset(&sql);
  warden_buf_addf(&sql, "SELECT %s %s ORDER BY %s LIMIT :limit OFFSET :offset", cols, from_where, order);
  if (!(s = api_prepare(q, r, warden_buf_str(&sql)))) goto done;
  for (size_t i = 0; i < nf; i++) api_bind_text(s, f[i].name, f[i].value);
  api_bind_int(s, ":limit", limit);
  api_bind_int(s, ":offset", offset);
  arr = json_array();
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    json_t *o = fn(q, r, s);
    if (!o) break;
    json_array_append_new(arr, o);
  }
  sqlite3_finalize(s);
  if (q->out->status) goto done; /* a row builder answered an error */
  if (rc != SQLITE_DONE) {
    api_fail(q, WARDEN_ERR_DB, sqlite3_errmsg(warden_registry_db(r)));
    goto done;
  }
  api_list(q, arr, total);
  arr = NULL;
done:
  json_decref(arr);
  warden_buf_release(&sql);
}

/* The one row of from_where with :id bound to the path's id, or 404. */
static void sql_get(api_req *q, const char *cols, const char *from_where, row_fn fn) {
  warden_registry *r = api_db(q);
  if (!r) return;
  warden_buf sql;
  warden_buf_init(&sql, 1 << 16);
  warden_buf_addf(&sql, "SELECT %s %s", cols, from_where);
  sqlite3_stmt *s = api_prepare(q, r, warden_buf_str(&sql));
  warden_buf_release(&sql);
  if (!s) return;
  api_bind_text(s, ":id", q->param[0]);
  if (sqlite3_step(s) != SQLITE_ROW) {
    sqlite3_finalize(s);
    api_error(q, 404, "no such resource");
    return;
  }
  json_t *o = fn(q, r, s);
  sqlite3_finalize(s);
  if (q->out->status) {
    json_decref(o);
    return;
  }
  if (!o) {
    api_error(q, 503, "out of memory");
    return;
  }
  api_json(q, 200, o);
}

/* ---- parties ---- */
static const char *account_base(const char *role) {
  return !strcmp(role, "customer") ? BASE_CUSTOMER : BASE_PARTYROLE;
}

static json_t *party_json(api_req *q, warden_registry *r, const char *id) {
  warden_party_view v;
  warden_status st = warden_registry_party_get(r, id, false, NULL, &q->arena, &v);
  if (st) {
    api_fail(q, st, warden_registry_errmsg(r));
    return NULL;
  }
  bool person = !strcmp(v.kind, "individual");
  json_t *o = api_entity(person ? "Individual" : "Organization", person ? BASE_INDIVIDUAL : BASE_ORGANIZATION, v.id);
  json_object_set_new(o, "name", json_string(v.name)); /* masked for individuals */
  if (person) json_object_set_new(o, "fullName", json_string(v.name));
  json_t *ids = json_array();
  for (size_t i = 0; i < v.ndocs; i++) {
    const warden_document_view *d = &v.docs[i];
    json_t *e = json_object();
    json_object_set_new(e, "identificationType", json_string(d->type));
    json_object_set_new(e, "identificationId", json_string(d->masked));
    json_object_set_new(e, "role", json_string(d->role));
    json_object_set_new(e, "verdict", json_string(d->verdict));
    json_object_set_new(e, "reason", json_string(d->reason));
    json_object_set_new(e, "expiry", api_date_json(d->expiry));
    json_array_append_new(ids, e);
  }
  json_object_set_new(o, person ? "individualIdentification" : "organizationIdentification", ids);
  json_t *acc = json_array();
  for (size_t i = 0; i < v.naccounts; i++) {
    const warden_account_view *a = &v.accounts[i];
    if (!api_visible(q, a->id)) continue;
    json_t *e = api_ref(!strcmp(a->role, "customer") ? "Customer" : "PartyRole", account_base(a->role), a->id, a->role);
    json_object_set_new(e, "status", json_string(a->state));
    json_array_append_new(acc, e);
  }
  json_object_set_new(o, "account", acc);
  return o;
}

static json_t *party_row(api_req *q, warden_registry *r, sqlite3_stmt *s) {
  return party_json(q, r, api_col(s, 0));
}

#define PARTY_WHERE(kind)                                                                                        \
  "FROM party p WHERE p.kind = '" kind "' AND (:g = 1 OR EXISTS (SELECT 1 FROM account a WHERE a.party_id = p.id" \
  " AND " API_VIS("a.id") "))"

void api_h_individual_list(api_req *q) { sql_list(q, "p.id", PARTY_WHERE("individual"), "p.id", NULL, 0, party_row); }
void api_h_individual_get(api_req *q) { sql_get(q, "p.id", PARTY_WHERE("individual") " AND p.id = :id", party_row); }
void api_h_organization_list(api_req *q) {
  sql_list(q, "p.id", PARTY_WHERE("organisation"), "p.id", NULL, 0, party_row);
}
void api_h_organization_get(api_req *q) {
  sql_get(q, "p.id", PARTY_WHERE("organisation") " AND p.id = :id", party_row);
}

/* ---- customers and party roles ---- */
static json_t *party_ref(api_req *q, warden_registry *r, const char *party, const char **name) {
  warden_party_view v;
  *name = "";
  if (warden_registry_party_get(r, party, false, NULL, &q->arena, &v)) return NULL;
  bool person = !strcmp(v.kind, "individual");
  *name = v.name;
  return api_ref(person ? "Individual" : "Organization", person ? BASE_INDIVIDUAL : BASE_ORGANIZATION, party, "party");
}

json_t *api_customer_json(api_req *q, warden_registry *r, const char *id, const char *party, const char *state,
                          const char *parent) {
  const char *name;
  json_t *o = api_entity("Customer", BASE_CUSTOMER, id), *rel = json_array();
  json_t *p = party_ref(q, r, party, &name);
  json_object_set_new(o, "name", json_string(name));
  json_object_set_new(o, "status", json_string(state));
  if (p) {
    json_object_set_new(o, "engagedParty", json_deep_copy(p));
    json_array_append_new(rel, p);
  }
  if (parent && *parent)
    json_array_append_new(rel, api_ref("PartyRole", BASE_PARTYROLE, parent, "agent"));
  json_object_set_new(o, "relatedParty", rel);
  json_object_set_new(o, "agentId", parent && *parent ? json_string(parent) : json_null());
  return o;
}

static json_t *customer_row(api_req *q, warden_registry *r, sqlite3_stmt *s) {
  return api_customer_json(q, r, api_col(s, 0), api_col(s, 1), api_col(s, 2), api_col(s, 3));
}

#define CUSTOMER_COLS "a.id, a.party_id, a.state, a.parent_id"
#define CUSTOMER_WHERE "FROM account a WHERE a.role = 'customer' AND " API_VIS("a.id")

void api_h_customer_list(api_req *q) {
  list_filter f[] = {{":status", api_query(q, "status")}};
  sql_list(q, CUSTOMER_COLS, CUSTOMER_WHERE " AND (:status IS NULL OR a.state = :status)", "a.id", f, 1, customer_row);
}
void api_h_customer_get(api_req *q) { sql_get(q, CUSTOMER_COLS, CUSTOMER_WHERE " AND a.id = :id", customer_row); }

static json_t *partyrole_row(api_req *q, warden_registry *r, sqlite3_stmt *s) {
  const char *name, *parent = api_col(s, 3);
  json_t *o = api_entity("PartyRole", BASE_PARTYROLE, api_col(s, 0));
  json_t *p = party_ref(q, r, api_col(s, 1), &name);
  json_object_set_new(o, "name", json_string(name));
  json_object_set_new(o, "role", json_string(api_col(s, 4)));
  json_object_set_new(o, "status", json_string(api_col(s, 2)));
  json_object_set_new(o, "engagedParty", p ? p : json_null());
  /* the parent is shown only when the token sees it (a reseller does not see its distributor) */
  json_object_set_new(o, "parent",
                      *parent && api_visible(q, parent) ? api_ref("PartyRole", BASE_PARTYROLE, parent, "parent")
                                                        : json_null());
  json_object_set_new(o, "parentId", *parent && api_visible(q, parent) ? json_string(parent) : json_null());
  return o;
}

#define PARTYROLE_COLS "a.id, a.party_id, a.state, COALESCE(a.parent_id, ''), a.role"
#define PARTYROLE_WHERE "FROM account a WHERE a.role IN ('distributor', 'agent') AND " API_VIS("a.id")

void api_h_partyrole_list(api_req *q) {
  const char *role = api_query(q, "role");
  if (role && strcmp(role, "distributor") && strcmp(role, "agent")) {
    api_error(q, 400, "role is distributor or agent");
    return;
  }
  list_filter f[] = {{":role", role}};
  sql_list(q, PARTYROLE_COLS, PARTYROLE_WHERE " AND (:role IS NULL OR a.role = :role)", "a.id", f, 1, partyrole_row);
}
void api_h_partyrole_get(api_req *q) { sql_get(q, PARTYROLE_COLS, PARTYROLE_WHERE " AND a.id = :id", partyrole_row); }

/* ---- agreements ---- */
static json_t *agreement_row(api_req *q, warden_registry *r, sqlite3_stmt *s) {
  (void)q, (void)r;
  char fee[32], start[32], end[32];
  int64_t sd = sqlite3_column_int64(s, 2), ed = sqlite3_column_int64(s, 4);
  json_t *o = api_entity("Agreement", BASE_AGREEMENT, api_col(s, 0));
  json_object_set_new(o, "name", json_string(api_col(s, 0)));
  json_object_set_new(o, "agreementType", json_string("service"));
  json_object_set_new(o, "status", json_string(api_col(s, 8)));
  api_time(sd * 86400 - WARDEN_CST_OFFSET, start);
  api_time((ed + 1) * 86400 - WARDEN_CST_OFFSET - 1, end);
  json_object_set_new(o, "agreementPeriod", json_pack("{s:s, s:s}", "startDateTime", start, "endDateTime", end));
  json_t *ep = json_array();
  json_array_append_new(ep, api_ref("Customer", BASE_CUSTOMER, api_col(s, 1), "customer"));
  json_object_set_new(o, "engagedParty", ep);
  json_object_set_new(o, "accountId", json_string(api_col(s, 1)));
  json_object_set_new(o, "startDate", api_date_json(sd));
  json_object_set_new(o, "termStart", api_date_json(sqlite3_column_int64(s, 3)));
  json_object_set_new(o, "endDate", api_date_json(ed));
  json_object_set_new(o, "annualFeeFen", json_integer(sqlite3_column_int64(s, 5)));
  warden_money_format(sqlite3_column_int64(s, 5), fee, sizeof fee);
  json_object_set_new(o, "annualFee", json_string(fee));
  json_object_set_new(o, "autoRenew", json_boolean(sqlite3_column_int(s, 6)));
  json_object_set_new(o, "noticeDate",
                      sqlite3_column_type(s, 7) == SQLITE_NULL ? json_null() : api_date_json(sqlite3_column_int64(s, 7)));
  json_object_set_new(o, "renewals", json_integer(sqlite3_column_int64(s, 9)));
  return o;
}

#define AGREEMENT_COLS \
  "k.id, k.account_id, k.start_date, k.term_start, k.end_date, k.annual_fee_fen, k.auto_renew, k.notice_date, k.state, k.renewals"
#define AGREEMENT_WHERE "FROM contract k WHERE " API_VIS("k.account_id")

void api_h_agreement_list(api_req *q) {
  list_filter f[] = {{":status", api_query(q, "status")}, {":acc", api_query(q, "accountId")}};
  sql_list(q, AGREEMENT_COLS,
           AGREEMENT_WHERE " AND (:status IS NULL OR k.state = :status) AND (:acc IS NULL OR k.account_id = :acc)",
           "k.id", f, 2, agreement_row);
}
void api_h_agreement_get(api_req *q) { sql_get(q, AGREEMENT_COLS, AGREEMENT_WHERE " AND k.id = :id", agreement_row); }

/* ---- resources: numbers ---- */
json_t *api_resource_json(sqlite3_stmt *s) {
  char fee[32];
  json_t *o = api_entity("PhoneNumber", BASE_RESOURCE, api_col(s, 0));
  json_object_set_new(o, "value", json_string(api_col(s, 0)));
  json_object_set_new(o, "resourceStatus", json_string(api_col(s, 1)));
  json_object_set_new(o, "grade", json_string(api_col(s, 2)));
  json_object_set_new(o, "kind", json_string(api_col(s, 3)));
  json_object_set_new(o, "province", json_string(api_col(s, 4)));
  json_object_set_new(o, "annualFeeFen", json_integer(sqlite3_column_int64(s, 5)));
  warden_money_format(sqlite3_column_int64(s, 5), fee, sizeof fee);
  json_object_set_new(o, "annualFee", json_string(fee));
  json_object_set_new(o, "accountId", api_col_json(s, 6));
  json_object_set_new(o, "stateSince", api_time_json(sqlite3_column_int64(s, 7)));
  json_object_set_new(o, "landing", api_col_json(s, 8));
  json_object_set_new(o, "outboundDisplay", json_boolean(sqlite3_column_int(s, 9)));
  return o;
}

static json_t *resource_row(api_req *q, warden_registry *r, sqlite3_stmt *s) {
  (void)q, (void)r;
  return api_resource_json(s);
}

#define RESOURCE_WHERE "FROM number n WHERE " API_VIS("n.account_id")

void api_h_resource_list(api_req *q) {
  const char *st = api_query(q, "resourceStatus");
  static const char *const states[] = {"available", "reserved", "active", "frozen", "recovered", "cancelled"};
  bool ok = !st;
  for (size_t i = 0; st && i < 6; i++) ok |= !strcmp(st, states[i]);
  if (!ok) {
    api_error(q, 400, "resourceStatus is available, reserved, active, frozen, recovered or cancelled");
    return;
  }
  list_filter f[] = {{":st", st}, {":grade", api_query(q, "grade")}, {":acc", api_query(q, "accountId")}};
  sql_list(q, API_RESOURCE_COLS,
           RESOURCE_WHERE " AND (:st IS NULL OR n.state = :st) AND (:grade IS NULL OR n.grade = :grade)"
                          " AND (:acc IS NULL OR n.account_id = :acc)",
           "n.number", f, 3, resource_row);
}

void api_h_resource_get(api_req *q) {
  sql_get(q, API_RESOURCE_COLS, RESOURCE_WHERE " AND n.number = :id", resource_row);
}
