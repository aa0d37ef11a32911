"""Alembic migrations of the archive schema (configured in code: see sxworker.archive.migrate)."""
