-- Cases by stage: how many of the cases the user may see stand at each stage of the road, and how many of those
-- have an open deadline already past due.
--
-- Reads visible_cases(case_id) and visible_reported(reported_asn_id), the user's scope, which casework/reports/dashboard.py
-- puts in front of this query as CTEs. Parameter now = the moment "past due" is measured against (UTC).
-- One row per stage that has cases: stage, cases, overdue_cases.
SELECT c.stage AS stage,
       COUNT(*) AS cases,
       COUNT(late.case_id) AS overdue_cases
FROM cases c
JOIN visible_cases v ON v.case_id = c.id
LEFT JOIN (
    SELECT DISTINCT d.case_id AS case_id
    FROM deadlines d
    WHERE d.status = 'open' AND d.due_at < :now
      AND (d.reported_asn_id IS NULL OR d.reported_asn_id IN (SELECT reported_asn_id FROM visible_reported))
) late ON late.case_id = c.id
GROUP BY c.stage
ORDER BY c.stage
