"""Netra's domain: models, workflow, deadlines, letters, outbox, audit trail and the `netra` CLI.

This package imports neither Flask nor Airflow: the desk (admin/) and the DAGs (dags/) call it.
"""
