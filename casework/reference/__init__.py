"""Reference data: Kemendagri regions (regions.py, the CSVs in wilayah/ with their source), time zones per
province (timezones.py), and the rules' reference rows synced into the database (sync.py)."""
