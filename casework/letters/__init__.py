"""Formal letters (naskah dinas): the kinds of casework/rules/letters.toml (kinds.py), who a letter goes to
(addressees.py), what its template sees (context.py), rendering to PDF/A (render.py), numbering and issuing
(issue.py)."""
