"""Netra's Airflow side: the trigger that watches cases and the operator that waits on a leg of the road.

Installed with the project (not read from the DAG folder) because Airflow's triggerer imports triggers by their
class path. Like the DAG files, it holds no business rule: it asks casework.
"""
