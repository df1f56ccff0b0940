-- Reported ASN by where their own track stands, from the forward on: with the oversight body, with the PPK, or
-- ended — sanctioned, not proven, rejected, cancelled, no longer a civil servant (rules/track_outcomes.toml).
--
-- Reads visible_reported(reported_asn_id): the reported ASN the user may see, a CTE from casework/reports.py.
-- One row per track stage that has someone: track_stage, reported.
SELECT ra.track_stage AS track_stage,
       COUNT(*) AS reported
FROM reported_asn ra
JOIN visible_reported vr ON vr.reported_asn_id = ra.id
WHERE ra.track_stage IS NOT NULL
GROUP BY ra.track_stage
ORDER BY ra.track_stage
