-- rules.sql — warden's registry-free call-record rules (src/detect/detect.h) as SQL for DuckDB,
-- the peer of `warden scan` in bench/run.sh. Benchmark only: never part of the product.
--
-- Input: native CSV (../shared/spec/cdr.md); peer.mjs replaces 'FILE' with the path. Output: one row
-- per finding, (rule, subject), as warden prints them (a per-day rule: one per subject per window).
-- The thresholds are policy/default.policy's [detect] values, written in as literals:
--   autodial_window 3600 s, autodial_calls 60, autodial_callees 50, autodial_short 50 %,
--   autodial_short_secs 6, segment_run 20, segment_digits 4, segment_step 10,
--   rest_from 21:00, rest_to 08:00, fwd_hops 2.
-- TR-SLOT needs the registry and is skipped, as warden skips it without --db.
--
-- Where it differs from detect.c, on purpose:
--   - a call id counts once over the whole file (warden: within two hours; the generator's copies
--     follow their original at once, so both see the same calls);
--   - calls of one presented number are taken in (start, call_id) order (warden: the file's order;
--     the generator writes a number's calls in that order);
--   - distinct callees are counted exactly (warden: by a 31-bit hash);
--   - TR-SEGMENT runs are not cut by a pause: warden ends a run after detect.idle_evict (2 hours)
--     without a call. The generator never pauses a planted run, so the findings agree.

SET TimeZone = 'Asia/Shanghai'; -- a start without an offset is China Standard Time (cdr.md)
SET preserve_insertion_order = false; -- the result is sorted at the end; nothing else needs the file's order

-- National digits: a leading +86 or 0086 folded away (cdr.md).
CREATE OR REPLACE TEMP MACRO nat(x) AS
  CASE WHEN length(x) > 3 AND starts_with(x, '+86') THEN x[4:]
       WHEN length(x) > 4 AND starts_with(x, '0086') THEN x[5:]
       ELSE x END;

-- A number as written: 3 to 20 digits once a leading +86 or 0086 is folded away (cdr.c number()),
-- tested on the text as written so that the folding is done once, in the projection.
CREATE OR REPLACE TEMP MACRO is_number(x) AS
  regexp_full_match(x, '(\+86|0086)?[0-9]{3,20}') AND NOT (starts_with(x, '0086') AND length(x) BETWEEN 5 AND 6);

-- warden_numkind_of (src/cdr/cdr.c), on digits already checked to be 3 to 20 of them.
CREATE OR REPLACE TEMP MACRO numkind(x) AS
  CASE WHEN starts_with(x, '00') THEN CASE WHEN length(x) BETWEEN 5 AND 20 THEN 'international' ELSE 'invalid' END
       WHEN length(x) = 11 AND x[1] = '1' AND x[2] >= '3' THEN 'mobile'
       WHEN length(x) = 10 AND (starts_with(x, '400') OR starts_with(x, '800')) THEN 'service'
       WHEN x[1] = '0' AND length(x) BETWEEN 10 AND 12 THEN 'fixed'
       ELSE 'invalid' END;

-- The area codes of src/numbers/numbers.c and their provinces (GB/T 2260), for TR-CROSSPROV.
CREATE OR REPLACE TEMP TABLE area(code VARCHAR PRIMARY KEY, province INTEGER);
INSERT INTO area VALUES
    ('010', 11), ('020', 44), ('021', 31), ('022', 12), ('023', 50), ('024', 21), ('025', 32), ('027', 42), ('028', 51), ('029', 61),
    ('0310', 13), ('0311', 13), ('0312', 13), ('0313', 13), ('0314', 13), ('0315', 13), ('0316', 13), ('0317', 13), ('0318', 13), ('0319', 13),
    ('0335', 13), ('0349', 14), ('0350', 14), ('0351', 14), ('0352', 14), ('0353', 14), ('0354', 14), ('0355', 14), ('0356', 14), ('0357', 14),
    ('0358', 14), ('0359', 14), ('0370', 41), ('0371', 41), ('0372', 41), ('0373', 41), ('0374', 41), ('0375', 41), ('0376', 41), ('0377', 41),
    ('0378', 41), ('0379', 41), ('0391', 41), ('0392', 41), ('0393', 41), ('0394', 41), ('0395', 41), ('0396', 41), ('0398', 41), ('0410', 21),
    ('0411', 21), ('0412', 21), ('0413', 21), ('0414', 21), ('0415', 21), ('0416', 21), ('0417', 21), ('0418', 21), ('0419', 21), ('0421', 21),
    ('0427', 21), ('0429', 21), ('0431', 22), ('0432', 22), ('0433', 22), ('0434', 22), ('0435', 22), ('0436', 22), ('0437', 22), ('0438', 22),
    ('0439', 22), ('0451', 23), ('0452', 23), ('0453', 23), ('0454', 23), ('0455', 23), ('0456', 23), ('0457', 23), ('0458', 23), ('0459', 23),
    ('0464', 23), ('0467', 23), ('0468', 23), ('0469', 23), ('0470', 15), ('0471', 15), ('0472', 15), ('0473', 15), ('0474', 15), ('0475', 15),
    ('0476', 15), ('0477', 15), ('0478', 15), ('0479', 15), ('0482', 15), ('0483', 15), ('0510', 32), ('0511', 32), ('0512', 32), ('0513', 32),
    ('0514', 32), ('0515', 32), ('0516', 32), ('0517', 32), ('0518', 32), ('0519', 32), ('0523', 32), ('0527', 32), ('0530', 37), ('0531', 37),
    ('0532', 37), ('0533', 37), ('0534', 37), ('0535', 37), ('0536', 37), ('0537', 37), ('0538', 37), ('0539', 37), ('0543', 37), ('0546', 37),
    ('0550', 34), ('0551', 34), ('0552', 34), ('0553', 34), ('0554', 34), ('0555', 34), ('0556', 34), ('0557', 34), ('0558', 34), ('0559', 34),
    ('0561', 34), ('0562', 34), ('0563', 34), ('0564', 34), ('0565', 34), ('0566', 34), ('0570', 33), ('0571', 33), ('0572', 33), ('0573', 33),
    ('0574', 33), ('0575', 33), ('0576', 33), ('0577', 33), ('0578', 33), ('0579', 33), ('0580', 33), ('0591', 35), ('0592', 35), ('0593', 35),
    ('0594', 35), ('0595', 35), ('0596', 35), ('0597', 35), ('0598', 35), ('0599', 35), ('0631', 37), ('0632', 37), ('0633', 37), ('0634', 37),
    ('0635', 37), ('0660', 44), ('0662', 44), ('0663', 44), ('0668', 44), ('0691', 53), ('0692', 53), ('0701', 36), ('0710', 42), ('0711', 42),
    ('0712', 42), ('0713', 42), ('0714', 42), ('0715', 42), ('0716', 42), ('0717', 42), ('0718', 42), ('0719', 42), ('0722', 42), ('0724', 42),
    ('0728', 42), ('0730', 43), ('0731', 43), ('0732', 43), ('0733', 43), ('0734', 43), ('0735', 43), ('0736', 43), ('0737', 43), ('0738', 43),
    ('0739', 43), ('0743', 43), ('0744', 43), ('0745', 43), ('0746', 43), ('0750', 44), ('0751', 44), ('0752', 44), ('0753', 44), ('0754', 44),
    ('0755', 44), ('0756', 44), ('0757', 44), ('0758', 44), ('0759', 44), ('0760', 44), ('0762', 44), ('0763', 44), ('0766', 44), ('0768', 44),
    ('0769', 44), ('0770', 45), ('0771', 45), ('0772', 45), ('0773', 45), ('0774', 45), ('0775', 45), ('0776', 45), ('0777', 45), ('0778', 45),
    ('0779', 45), ('0790', 36), ('0791', 36), ('0792', 36), ('0793', 36), ('0794', 36), ('0795', 36), ('0796', 36), ('0797', 36), ('0798', 36),
    ('0799', 36), ('0812', 51), ('0813', 51), ('0816', 51), ('0817', 51), ('0818', 51), ('0825', 51), ('0826', 51), ('0827', 51), ('0830', 51),
    ('0831', 51), ('0832', 51), ('0833', 51), ('0834', 51), ('0835', 51), ('0836', 51), ('0837', 51), ('0838', 51), ('0839', 51), ('0851', 52),
    ('0852', 52), ('0853', 52), ('0854', 52), ('0855', 52), ('0856', 52), ('0857', 52), ('0858', 52), ('0859', 52), ('0870', 53), ('0871', 53),
    ('0872', 53), ('0873', 53), ('0874', 53), ('0875', 53), ('0876', 53), ('0877', 53), ('0878', 53), ('0879', 53), ('0883', 53), ('0886', 53),
    ('0887', 53), ('0888', 53), ('0891', 54), ('0892', 54), ('0893', 54), ('0894', 54), ('0895', 54), ('0896', 54), ('0897', 54), ('0898', 46),
    ('0901', 65), ('0902', 65), ('0903', 65), ('0906', 65), ('0908', 65), ('0909', 65), ('0911', 61), ('0912', 61), ('0913', 61), ('0914', 61),
    ('0915', 61), ('0916', 61), ('0917', 61), ('0919', 61), ('0930', 62), ('0931', 62), ('0932', 62), ('0933', 62), ('0934', 62), ('0935', 62),
    ('0936', 62), ('0937', 62), ('0938', 62), ('0939', 62), ('0941', 62), ('0943', 62), ('0951', 64), ('0952', 64), ('0953', 64), ('0954', 64),
    ('0955', 64), ('0970', 63), ('0971', 63), ('0972', 63), ('0973', 63), ('0974', 63), ('0975', 63), ('0976', 63), ('0977', 63), ('0990', 65),
    ('0991', 65), ('0992', 65), ('0993', 65), ('0994', 65), ('0995', 65), ('0996', 65), ('0997', 65), ('0998', 65), ('0999', 65);

WITH
-- The records warden accepts (cdr.c parse_native; a malformed one is rejected, never counted),
-- normalised: display empty means caller; t in UTC seconds.
calls AS MATERIALIZED (
  SELECT call_id, t, caller, coalesce(display, caller) AS display, callee, fwd, direction = 'out' AS outbound,
         billsec, status, region, coalesce(hops, 0) AS hops, coalesce(marketing = '1', false) AS marketing
  FROM (
    SELECT call_id,
           CASE WHEN start[5] = '-' THEN floor(epoch(TRY_CAST(start AS TIMESTAMPTZ)))::BIGINT
                WHEN length(start) BETWEEN 9 AND 11 AND TRY_CAST(start AS BIGINT) > 0 THEN TRY_CAST(start AS BIGINT)
           END AS t,
           nat(caller) AS caller, nat(display) AS display, nat(callee) AS callee, nat(forwarded_from) AS fwd,
           direction, billsec, status, origin_region AS region, hops, marketing
    FROM read_csv('FILE', header = true, delim = ',', quote = '"', escape = '"', ignore_errors = true,
                  types = {'call_id': 'VARCHAR', 'start': 'VARCHAR', 'caller': 'VARCHAR', 'display': 'VARCHAR',
                           'callee': 'VARCHAR', 'direction': 'VARCHAR', 'duration': 'INTEGER', 'billsec': 'INTEGER',
                           'status': 'VARCHAR', 'account': 'VARCHAR', 'origin_region': 'INTEGER',
                           'forwarded_from': 'VARCHAR', 'hops': 'INTEGER', 'marketing': 'VARCHAR'})
    WHERE call_id IS NOT NULL
      AND is_number(caller) AND is_number(callee)
      AND (display IS NULL OR is_number(display)) AND (forwarded_from IS NULL OR is_number(forwarded_from))
      AND direction IN ('out', 'in')
      AND duration BETWEEN 0 AND 604800 AND billsec BETWEEN 0 AND duration
      AND status IN ('answered', 'noanswer', 'busy', 'failed')
      AND (origin_region IS NULL OR origin_region BETWEEN 11 AND 91)
      AND (hops IS NULL OR hops BETWEEN 0 AND 100)
      AND (marketing IS NULL OR marketing IN ('0', '1'))
  )
  WHERE t IS NOT NULL
),

out_calls AS NOT MATERIALIZED (
  SELECT *, (t + 28800) // 86400 AS day, numkind(display) AS dk FROM calls WHERE outbound
),

-- ---- the per-window rules: one finding per (rule, subject, window) ----
per_window AS (
  -- TR-FWDCHAIN, any direction: forwarded fwd_hops times or more, or a service number forwarded
  -- to an international callee; subject forwarded_from, else the presented number; a CST day
  SELECT 'TR-FWDCHAIN' AS rule, coalesce(fwd, display) AS subject, (t + 28800) // 86400 AS w FROM calls
  WHERE hops >= 2 OR (fwd IS NOT NULL AND numkind(fwd) = 'service' AND numkind(callee) = 'international')
  UNION
  -- TR-400-OUT: presenting, or placed from, a 400/800 number; subject that number
  SELECT 'TR-400-OUT', CASE WHEN dk = 'service' THEN display ELSE caller END, day FROM out_calls
  WHERE dk = 'service' OR numkind(caller) = 'service'
  UNION
  -- TR-SPOOF: presenting a number other than the caller that is not a valid Chinese number
  SELECT 'TR-SPOOF', display, day FROM out_calls
  WHERE display <> caller AND dk IN ('invalid', 'international')
  UNION
  -- TR-RESTHOURS: a marketing call starting 21:00-08:00 CST; the marketing day runs 08:00 to 08:00
  SELECT 'TR-RESTHOURS', display, (t - 480 * 60 + 28800) // 86400 FROM out_calls
  WHERE marketing AND ((t + 28800) % 86400 >= 21 * 3600 OR (t + 28800) % 86400 < 8 * 3600)
  UNION
  -- TR-CROSSPROV: a fixed line entering the network outside its area code's province
  SELECT 'TR-CROSSPROV', display, day FROM out_calls
  JOIN area ON area.code = CASE WHEN display[2] IN ('1', '2') THEN display[1:3] ELSE display[1:4] END
  WHERE dk = 'fixed' AND region IS NOT NULL AND area.province <> region
),

-- ---- TR-AUTODIAL: a sliding window of 60 minutes per presented number ----
-- Only a number with 60 outbound calls at all can have 60 in a window: the windows are computed
-- for those numbers only. (Counted over all calls, without a WHERE: DuckDB then does not push the
-- other rules' conditions, OR-ed, down into the materialised calls, where they cost more than here.)
ad_numbers AS (
  SELECT display FROM calls GROUP BY display HAVING count_if(outbound) >= 60
),
ad_calls AS (
  SELECT DISTINCT ON (call_id) call_id, display, t, callee,
         billsec < 6 OR status <> 'answered' AS is_short
  FROM out_calls SEMI JOIN ad_numbers USING (display)
),
-- the window of a call holds the calls before it (and itself) started less than 3600 s before it:
-- ties on the same second are ordered by call id, through a key t * 1e6 + rank
ad_ranked AS (
  SELECT *, t * 1000000 + row_number() OVER (PARTITION BY display, t ORDER BY call_id) AS k
  FROM ad_calls
),
ad_window AS (
  SELECT display, t,
         count(*) OVER w AS calls, count_if(is_short) OVER w AS short_calls,
         count(DISTINCT callee) OVER w AS callees
  FROM ad_ranked
  WINDOW w AS (PARTITION BY display ORDER BY k RANGE BETWEEN k - (t - 3599) * 1000000 PRECEDING AND CURRENT ROW)
),
-- a burst: qualifying calls, each less than a window after the one before
ad_qualifying AS (
  SELECT display, t, lag(t) OVER (PARTITION BY display ORDER BY t) AS prev
  FROM ad_window WHERE calls >= 60 AND callees >= 50 AND short_calls * 100 >= 50 * calls
),
autodial AS (
  SELECT 'TR-AUTODIAL' AS rule, display AS subject FROM ad_qualifying WHERE prev IS NULL OR t - prev >= 3600
),

-- ---- TR-SEGMENT: 20 consecutive outbound calls of one presented number whose callees share all
-- but the last 4 digits, each 1 to 10 from the one before ----
-- A run of 20 is 20 calls of one number into one segment (same length, same digits but the last
-- 4): the runs are looked for among the numbers that have that many at all (counted by a hash of
-- number, length and segment: a collision only lets more numbers through).
seg_numbers AS (
  SELECT DISTINCT display FROM out_calls
  WHERE hash(display, length(callee), callee[:-5]) IN (
    SELECT hash(display, length(callee), callee[:-5]) AS segment FROM out_calls GROUP BY segment HAVING count(*) >= 20)
),
seg_calls AS (
  SELECT display, call_id, t, length(callee) AS len,
         CASE WHEN length(callee) <= 19 THEN callee::UBIGINT END AS v,
         lag(call_id) OVER w AS prev_id, lag(length(callee)) OVER w AS prev_len,
         lag(CASE WHEN length(callee) <= 19 THEN callee::UBIGINT END) OVER w AS prev_v
  FROM out_calls SEMI JOIN seg_numbers USING (display)
  WINDOW w AS (PARTITION BY display ORDER BY t, call_id)
),
seg_marked AS (
  SELECT display,
         prev_id IS NOT DISTINCT FROM call_id AS dup, -- a copy of the call before: counted once
         v IS NOT NULL AND prev_v IS NOT NULL AND len = prev_len AND v // 10000 = prev_v // 10000
           AND abs((v % 10000)::INTEGER - (prev_v % 10000)::INTEGER) BETWEEN 1 AND 10 AS continues,
         t, call_id
  FROM seg_calls
),
seg_runs AS (
  SELECT display, dup,
         sum(CASE WHEN dup OR continues THEN 0 ELSE 1 END) OVER (PARTITION BY display ORDER BY t, call_id
                                                                 ROWS UNBOUNDED PRECEDING) AS run
  FROM seg_marked
),
segment AS (
  SELECT 'TR-SEGMENT' AS rule, display AS subject FROM seg_runs WHERE NOT dup
  GROUP BY display, run HAVING count(*) >= 20
)

SELECT rule, subject FROM per_window
UNION ALL SELECT rule, subject FROM autodial
UNION ALL SELECT rule, subject FROM segment
ORDER BY rule, subject;
