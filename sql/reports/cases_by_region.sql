-- Cases by region (province, then regency/city): how many visible cases each regency has, how many are still
-- open and how many have an open deadline past due. Feeds the dashboard's heat table.
--
-- Reads visible_cases / visible_reported (the user's scope, CTEs from casework/reports/dashboard.py).
-- Parameters: now (UTC), terminal (the terminal stages).
-- One row per regency with cases: province_code, province, regency_code, regency, cases, open_cases,
-- overdue_cases; ordered by province, then regency.
SELECT p.code AS province_code,
       p.name AS province,
       r.code AS regency_code,
       r.name AS regency,
       COUNT(*) AS cases,
       SUM(CASE WHEN c.stage NOT IN :terminal THEN 1 ELSE 0 END) AS open_cases,
       COUNT(late.case_id) AS overdue_cases
FROM cases c
JOIN visible_cases v ON v.case_id = c.id
JOIN regencies r ON r.code = c.regency_code
JOIN provinces p ON p.code = r.province_code
LEFT JOIN (
    SELECT DISTINCT d.case_id AS case_id
    FROM deadlines d
    WHERE d.status = 'open' AND d.due_at < :now
      AND (d.reported_asn_id IS NULL OR d.reported_asn_id IN (SELECT reported_asn_id FROM visible_reported))
) late ON late.case_id = c.id
GROUP BY p.code, p.name, r.code, r.name
ORDER BY p.code, r.code
