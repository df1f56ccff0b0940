"""Backups (issue 24 item 1; docker/README.md): database.py copies the database out and in with its own tools,
archive.py writes and restores the one archive with its manifest, verify.py checks an installation's files and
audit trail."""
