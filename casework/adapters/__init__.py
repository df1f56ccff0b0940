"""What connects the domain to the outside: database engines and units of work (db.py), schema migrations
(migrate.py, running sql/migrations), JSON log lines (logs.py)."""
