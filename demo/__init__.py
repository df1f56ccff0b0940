"""Demo data (fictitious people; real institutions and places) and its loader, apart from the domain's rules:
`make run` loads it through `netra demo load`; a production installation does not ship it."""
