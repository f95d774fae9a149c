"""Demo data: the realistic example of DOMAIN.md, recorded through the users' own commands."""
