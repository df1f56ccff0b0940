-- Cases by violation type: how many visible cases name each violation of the SKB catalogue
-- (case_violations.code; labels and categories come from casework/rules/violations.toml), and how many of
-- those are still open. A case naming two violations counts once under each.
--
-- Reads visible_cases (the user's scope, a CTE from casework/reports.py). Parameter terminal = terminal stages.
-- One row per violation code in use: code, cases, open_cases.
SELECT cv.code AS code,
       COUNT(*) AS cases,
       SUM(CASE WHEN c.stage NOT IN :terminal THEN 1 ELSE 0 END) AS open_cases
FROM case_violations cv
JOIN visible_cases v ON v.case_id = cv.case_id
JOIN cases c ON c.id = cv.case_id
GROUP BY cv.code
ORDER BY cases DESC, cv.code
