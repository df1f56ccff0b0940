-- Overdue deadlines per stage and per rule: open deadlines whose due moment has passed, counted by the stage
-- the case (or, for a per-ASN deadline, that ASN's track) stands at and by deadline rule.
-- The institution that owes each one (Bawaslu, KASN/BKN, PPK) follows from the rule id's prefix;
-- casework/reports.py rolls the rows up with casework.notice_schedule.stall_of(rule_id), the rule the
-- reminders use, rather than repeating it here.
--
-- Reads visible_cases / visible_reported (the user's scope, CTEs from casework/reports/dashboard.py). Parameter now (UTC).
-- One row per (stage, rule_id): stage, rule_id, overdue.
SELECT COALESCE(ra.track_stage, c.stage) AS stage,
       d.rule_id AS rule_id,
       COUNT(*) AS overdue
FROM deadlines d
JOIN visible_cases v ON v.case_id = d.case_id
JOIN cases c ON c.id = d.case_id
LEFT JOIN reported_asn ra ON ra.id = d.reported_asn_id
WHERE d.status = 'open' AND d.due_at < :now
  AND (d.reported_asn_id IS NULL OR d.reported_asn_id IN (SELECT reported_asn_id FROM visible_reported))
GROUP BY COALESCE(ra.track_stage, c.stage), d.rule_id
ORDER BY stage, rule_id
