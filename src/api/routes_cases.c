/* routes_cases.c — cases and the morning report (src/enforce, issue 6). Until enforce.c is merged
 * these routes answer 503 with the reason: never made-up data. */
#include "api_int.h"

static void not_yet(api_req *q) {
  api_error(q, 503, "enforcement (issue 6: src/enforce) is not in this build yet");
}

void api_h_case_list(api_req *q) { not_yet(q); }
void api_h_case_get(api_req *q) { not_yet(q); }
void api_h_case_act(api_req *q) { not_yet(q); }
void api_h_report_daily(api_req *q) { not_yet(q); }
