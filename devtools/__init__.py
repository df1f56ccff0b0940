"""Developer tools, kept out of the shipped package: the local Airflow runner (`make run`), the production
topology without Docker (`make prod-local`), the throw-away PostgreSQL server and the SMTP sink the tests and the
benchmarks start on loopback."""
