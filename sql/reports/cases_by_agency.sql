-- Reported civil servants by agency (reported_asn.agency_id, the employing instansi and its PPK): how many
-- reported ASN and cases each agency has, how many tracks wait on its PPK (agency_follow_up), how many
-- ended in a sanction, and how many of its employees' personnel data BKN has blocked and not yet unblocked.
--
-- Reads visible_reported(reported_asn_id): the reported ASN the user may see (a BKPSDM officer only their own
-- agency's, once referred), a CTE from casework/reports.py.
-- One row per agency: agency_code, agency, level, reported, cases, awaiting_ppk, sanctioned, blocked.
SELECT a.code AS agency_code,
       a.name AS agency,
       a.level AS level,
       COUNT(*) AS reported,
       COUNT(DISTINCT ra.case_id) AS cases,
       SUM(CASE WHEN ra.track_stage = 'agency_follow_up' THEN 1 ELSE 0 END) AS awaiting_ppk,
       SUM(CASE WHEN ra.track_stage = 'sanctioned' THEN 1 ELSE 0 END) AS sanctioned,
       SUM(CASE WHEN EXISTS (SELECT 1 FROM personnel_blocks pb
                             WHERE pb.reported_asn_id = ra.id AND pb.unblocked_on IS NULL) THEN 1 ELSE 0 END) AS blocked
FROM reported_asn ra
JOIN visible_reported vr ON vr.reported_asn_id = ra.id
JOIN agencies a ON a.id = ra.agency_id
GROUP BY a.code, a.name, a.level
ORDER BY COUNT(*) DESC, a.name
