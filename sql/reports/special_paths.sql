-- Reported persons on the roads beside the ordinary one (issue 18): KASN-era tracks handed over under SE Menpan-RB
-- 4/2024 (casework/road/handover.py) to BKN, or reported by the PPK to the Menteri PANRB; objections and appeals
-- against a decree still awaiting their decision, and decided (casework/road/appeals.py); personnel data blocked by
-- BKN now (casework/road/blocking.py). A person is counted once per path.
--
-- Reads visible_reported(reported_asn_id): the reported persons the user may see, a CTE from casework/reports.py.
-- One row per path that has someone: path, reported.
SELECT s.path AS path, s.reported AS reported
FROM (
    SELECT 'handover_bkn' AS path, COUNT(*) AS reported
    FROM reported_asn ra JOIN visible_reported vr ON vr.reported_asn_id = ra.id
    WHERE ra.oversight_handover = 'bkn'
    UNION ALL
    SELECT 'handover_menpanrb', COUNT(*)
    FROM reported_asn ra JOIN visible_reported vr ON vr.reported_asn_id = ra.id
    WHERE ra.oversight_handover = 'menpanrb'
    UNION ALL
    SELECT 'appeal_open', COUNT(DISTINCT sa.reported_asn_id)
    FROM sanction_appeals sa JOIN visible_reported vr ON vr.reported_asn_id = sa.reported_asn_id
    WHERE sa.outcome IS NULL
    UNION ALL
    SELECT 'appeal_decided', COUNT(DISTINCT sa.reported_asn_id)
    FROM sanction_appeals sa JOIN visible_reported vr ON vr.reported_asn_id = sa.reported_asn_id
    WHERE sa.outcome IS NOT NULL
    UNION ALL
    SELECT 'blocked', COUNT(DISTINCT pb.reported_asn_id)
    FROM personnel_blocks pb JOIN visible_reported vr ON vr.reported_asn_id = pb.reported_asn_id
    WHERE pb.unblocked_on IS NULL
) s
WHERE s.reported > 0
