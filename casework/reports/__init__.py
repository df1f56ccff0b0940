"""Reports over what a principal may see: the dashboard (dashboard.py, SQL in sql/reports/) and the
reporter's public status page (reporter_status.py)."""
