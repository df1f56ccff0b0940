-- KASN/BKN and PPK compliance: were recommendations made and carried out on time? The deadlines of rule
-- 'oversight.recommendation' (the oversight body's recommendation to the PPK) and 'agency.follow_up' (the PPK's
-- sanction), per reported ASN, counted by outcome and by the employing agency:
--   met      closed in time;   missed   closed after the due moment;
--   overdue  still open, past due;   pending  still open, not yet due.
-- Recomputed (superseded) and cancelled deadlines are left out.
--
-- Reads visible_cases / visible_reported (the user's scope, CTEs from casework/reports/dashboard.py). Parameter now (UTC).
-- One row per (rule_id, agency, outcome): rule_id, agency_code, agency, outcome, deadlines.
SELECT x.rule_id AS rule_id,
       x.agency_code AS agency_code,
       x.agency AS agency,
       x.outcome AS outcome,
       COUNT(*) AS deadlines
FROM (
    SELECT d.rule_id AS rule_id,
           a.code AS agency_code,
           a.name AS agency,
           CASE WHEN d.status = 'met' THEN 'met'
                WHEN d.status = 'missed' THEN 'missed'
                WHEN d.due_at < :now THEN 'overdue'
                ELSE 'pending' END AS outcome
    FROM deadlines d
    JOIN visible_cases v ON v.case_id = d.case_id
    JOIN visible_reported vr ON vr.reported_asn_id = d.reported_asn_id
    JOIN reported_asn ra ON ra.id = d.reported_asn_id
    JOIN agencies a ON a.id = ra.agency_id
    WHERE d.rule_id IN ('oversight.recommendation', 'agency.follow_up')
      AND d.status IN ('met', 'missed', 'open')
) x
GROUP BY x.rule_id, x.agency_code, x.agency, x.outcome
ORDER BY x.rule_id, x.agency, x.outcome
