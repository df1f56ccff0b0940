-- The PPK league table: for every reported ASN the user may see, their employing agency and its PPK
-- (agencies.ppk_title), the election, whether KASN/BKN recommended a sanction, how the PPK followed it up, and
-- whether Bawaslu asked BKN to block their personnel data (and BKN did); casework/reports/league.py sums the rows
-- per agency (across elections, or for one) and takes the median days from recommendation to decree.
--
-- follow_up is the PPK's deadline 'agency.follow_up' read as recommendation_compliance.sql reads it (superseded
-- and cancelled deadlines left out, one live deadline per person), with one difference: an escalation closes the
-- deadline as missed while the PPK still owes the decree, so 'missed' with the track still at agency_follow_up is
-- overdue here, not late:
--   on_time  met;   late  missed, and the track has left the PPK (decree recorded, or the track ended);
--   overdue  still owed, past due;   pending  open, not yet due;   NULL  no follow-up deadline (not recommended).
-- recommended_on is the deadline's start (the day the recommendation reached the PPK), decreed_on the first
-- decree's date (sanction_decrees.signed_on). Only ASN (person_kind 'asn'): others are not a PPK's to sanction.
--
-- Reads visible_cases / visible_reported (the user's scope, CTEs from casework/reports/dashboard.py). Parameter now.
-- One row per reported ASN: agency_code, agency, ppk_title, election_code, election, recommended, follow_up,
-- due_date, recommended_on, decreed_on, block_requested, blocked.
SELECT a.code AS agency_code,
       a.name AS agency,
       a.ppk_title AS ppk_title,
       e.code AS election_code,
       e.name AS election,
       CASE WHEN ra.recommended_sanction IS NOT NULL THEN 1 ELSE 0 END AS recommended,
       CASE WHEN d.id IS NULL THEN NULL
            WHEN d.status = 'met' THEN 'on_time'
            WHEN d.status = 'missed' AND ra.track_stage = 'agency_follow_up' THEN 'overdue'
            WHEN d.status = 'missed' THEN 'late'
            WHEN d.due_at < :now THEN 'overdue'
            ELSE 'pending' END AS follow_up,
       d.due_date AS due_date,
       d.starts_on AS recommended_on,
       (SELECT MIN(sd.signed_on) FROM sanction_decrees sd WHERE sd.reported_asn_id = ra.id) AS decreed_on,
       CASE WHEN EXISTS (SELECT 1 FROM track_escalations te
                         WHERE te.reported_asn_id = ra.id AND te.step = 'block_request') THEN 1 ELSE 0 END
           AS block_requested,
       CASE WHEN EXISTS (SELECT 1 FROM personnel_blocks pb WHERE pb.reported_asn_id = ra.id) THEN 1 ELSE 0 END
           AS blocked
FROM reported_asn ra
JOIN visible_reported vr ON vr.reported_asn_id = ra.id
JOIN cases c ON c.id = ra.case_id
JOIN elections e ON e.id = c.election_id
JOIN agencies a ON a.id = ra.agency_id
-- (d2.case_id first: deadlines are indexed by case, so each person's lookup reads only their case's deadlines)
LEFT JOIN deadlines d ON d.id = (SELECT MAX(d2.id) FROM deadlines d2
                                 WHERE d2.case_id = ra.case_id AND d2.reported_asn_id = ra.id
                                   AND d2.rule_id = 'agency.follow_up' AND d2.status IN ('met', 'missed', 'open'))
WHERE ra.person_kind = 'asn'
ORDER BY a.name, a.code, e.code
