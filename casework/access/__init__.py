"""Who may see and do what, decided once: the principal (principal.py), the rules (policy.py), the same rules
as SQL for lists and reports (scope.py), and one case as a principal may see it (view.py). Every command, read,
download, export, search and count asks here; no interface filters on its own."""
