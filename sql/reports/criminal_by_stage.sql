-- Reported persons by where their criminal part stands (casework/road/criminal.py): declared by Bawaslu after the
-- Sentra Gakkumdu discussion, with the police, with the prosecutor, or ended — stopped or decided by a court.
-- Only Bawaslu (and whoever reads everything) sees criminal parts: casework.reports.dashboard runs this for them.
--
-- Reads visible_reported(reported_asn_id): the reported persons the user may see, a CTE from casework/reports.py.
-- One row per criminal stage that has someone: criminal_stage, reported.
SELECT ra.criminal_stage AS criminal_stage,
       COUNT(*) AS reported
FROM reported_asn ra
JOIN visible_reported vr ON vr.reported_asn_id = ra.id
WHERE ra.criminal_stage IS NOT NULL
GROUP BY ra.criminal_stage
ORDER BY ra.criminal_stage
