"""Storage code: what touches the database or the library's persistence."""
