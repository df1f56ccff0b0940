-- Time spent in each stage: every finished stay of a case (or of one reported ASN's track) in a stage, from the
-- stage change that entered it to the next change of the same case or track (stage_changes; LEAD over the
-- case's, or the track's, history). Stays still running are left out.
-- The median days per stage are computed in casework/reports.py: SQLite has no median or percentile function
-- and date differences are spelled differently (julianday vs EXTRACT(EPOCH ...)), so this query returns
-- the two moments and Python subtracts them.
--
-- Reads visible_cases / visible_reported (the user's scope, CTEs from casework/reports/dashboard.py).
-- One row per finished stay: stage, track (0 case-level, 1 per-ASN track), entered_at, left_at (UTC).
SELECT s.stage AS stage,
       s.track AS track,
       s.entered_at AS entered_at,
       s.left_at AS left_at
FROM (
    SELECT sc.to_stage AS stage,
           CASE WHEN sc.reported_asn_id IS NULL THEN 0 ELSE 1 END AS track,
           sc.reported_asn_id AS reported_asn_id,
           sc.at AS entered_at,
           LEAD(sc.at) OVER (PARTITION BY sc.case_id, sc.reported_asn_id ORDER BY sc.at, sc.id) AS left_at
    FROM stage_changes sc
    JOIN visible_cases v ON v.case_id = sc.case_id
    -- a row that keeps the stage (a KASN track handed over to BKN, casework/road/handover.py) is no new stay
    WHERE sc.from_stage IS NULL OR sc.from_stage <> sc.to_stage
) s
WHERE s.left_at IS NOT NULL
  AND (s.reported_asn_id IS NULL OR s.reported_asn_id IN (SELECT reported_asn_id FROM visible_reported))
ORDER BY s.stage, s.entered_at
