"""The register: the only package that speaks SQL. Schema and migrations, the append-only events
with their chain, the projection tables, and what ``trappa verify`` checks."""
