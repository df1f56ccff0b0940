-- Cases by election: how many visible cases each election (Pemilu, each Pilkada) has, how many are still open
-- (not at a terminal stage) and how many have an open deadline past due.
--
-- Reads visible_cases / visible_reported (the user's scope, CTEs from casework/reports/dashboard.py).
-- Parameters: now (UTC), terminal (the list of terminal stages, casework.stages.TERMINAL_STAGES).
-- One row per election with cases: election_code, election, kind, voting_day, cases, open_cases, overdue_cases.
SELECT e.code AS election_code,
       e.name AS election,
       e.kind AS kind,
       e.voting_day AS voting_day,
       COUNT(*) AS cases,
       SUM(CASE WHEN c.stage NOT IN :terminal THEN 1 ELSE 0 END) AS open_cases,
       COUNT(late.case_id) AS overdue_cases
FROM cases c
JOIN visible_cases v ON v.case_id = c.id
JOIN elections e ON e.id = c.election_id
LEFT JOIN (
    SELECT DISTINCT d.case_id AS case_id
    FROM deadlines d
    WHERE d.status = 'open' AND d.due_at < :now
      AND (d.reported_asn_id IS NULL OR d.reported_asn_id IN (SELECT reported_asn_id FROM visible_reported))
) late ON late.case_id = c.id
GROUP BY e.code, e.name, e.kind, e.voting_day
ORDER BY e.voting_day, e.name
