"""Alembic revisions, one file each: <rev>_<slug>.py (see README, "Schema changes")."""
