"""Operational records in the application's database: cases, call-backs, sources, bindings, decisions."""
