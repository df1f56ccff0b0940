"""The road a case travels (domain.md §3): stages (stages.py), intake (intake.py), the commands and `execute`
(workflow.py), each step's typed input and handler (inputs.py, steps.py), sanctions (sanctions.py), the
oversight body in force (oversight.py), evidence (evidence.py), NIPs (nip.py), reading cases (cases.py),
Tugas saya (worklist.py) and what Airflow's per-case run needs (lifecycle.py)."""
