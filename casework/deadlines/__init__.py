"""Deadlines: the engine that counts working or calendar days from the rules (engine.py), the deadline rows
of a case (records.py), when reminders and overdue notices fall (schedule.py), and the sweep that queues them and
escalates late PPKs (notices.py)."""
