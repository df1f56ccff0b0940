-- Reported persons by who they are (rules/person_kinds.toml): ASN, village heads and officials, TNI soldiers, Polri
-- officers, others — each forwarded on its own road.
--
-- Reads visible_reported(reported_asn_id): the reported persons the user may see, a CTE from casework/reports.py.
-- One row per kind that has someone: person_kind, reported.
SELECT ra.person_kind AS person_kind,
       COUNT(*) AS reported
FROM reported_asn ra
JOIN visible_reported vr ON vr.reported_asn_id = ra.id
GROUP BY ra.person_kind
ORDER BY ra.person_kind
