"""Email: the outbox, each email queued once and sent once (outbox.py), and the letters a case's decisions
asked for, issued and emailed (correspondence.py)."""
