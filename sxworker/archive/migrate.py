"""Schema versions of the archive: Alembic, configured in code (no alembic.ini).

The revisions live in ``sxworker/archive/migrations/versions/``. :meth:`Archive.open`
upgrades an archive to the newest revision this sxworker knows (``head``);
:meth:`Archive.open_readonly` only checks, and refuses an archive that is older or newer.

An archive written before sxworker used Alembic has ``sxworker_meta.schema_version`` = 1
and no ``alembic_version`` table: its schema is revision 0001, so it is stamped 0001 and
then upgraded like any other.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from sxworker.archive.errors import ArchiveError, reading_error
from sxworker.archive.schema import SCHEMA_VERSION

if TYPE_CHECKING:  # Alembic is imported when used: it costs ~0.1 s at every CLI start.
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Revision of the schema that pre-Alembic archives (schema_version 1) have.
LEGACY_REVISION = "0001"
# Any constant: serialises concurrent upgrades of one PostgreSQL database.
_PG_LOCK_KEY = 0x5857_0001


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic configuration for the archive at ``url`` or on an open ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    # Where ``alembic revision`` writes new files (see README, "Schema changes").
    config.set_main_option("version_locations", str(MIGRATIONS / "versions"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    config.attributes["include_object"] = include_object
    return config


@functools.cache
def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


@functools.cache
def known_revisions() -> dict[str, tuple[str, ...]]:
    """Each revision of the version files and the revisions it revises, read from their
    ``revision`` and ``down_revision`` assignments without importing Alembic: a read-only
    open checks the archive against them, and Alembic's script directory costs some 0.25 s
    of every command's start (tests/archive/test_migrations.py compares the two)."""
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        values = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
            target = node.target if isinstance(node, ast.AnnAssign) else target
            if isinstance(target, ast.Name) and target.id in {"revision", "down_revision"} and node.value:
                values[target.id] = ast.literal_eval(node.value)
        if "revision" in values:
            down = values.get("down_revision")
            if down is None:
                found[values["revision"]] = ()
            else:  # a merge revises several
                found[values["revision"]] = (down,) if isinstance(down, str) else tuple(down)
    return found


def head() -> str:
    """The newest revision this sxworker knows."""
    revised = {down for downs in known_revisions().values() for down in downs}
    heads = sorted(set(known_revisions()) - revised)
    if len(heads) != 1:
        raise RuntimeError(f"the archive migrations have {len(heads)} heads: {heads}; merge them")
    return heads[0]


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """What autogenerate compares: the tables of schema.py, not Alembic's own or the
    backend-specific search structures that migrations add outside the metadata."""
    if type_ == "table" and reflected and compare_to is None:
        return name in {"sxworker_meta", "issues", "pages", "articles", "article_versions"}
    return not (type_ in {"column", "index"} and reflected and compare_to is None)


@dataclass(frozen=True)
class SchemaState:
    revision: str | None  # None: an empty database
    legacy: bool  # pre-Alembic archive (no alembic_version table)


def schema_state(conn: Connection) -> SchemaState:
    """Where the archive on ``conn`` stands; refuses one newer than this sxworker."""
    tables = set(inspect(conn).get_table_names())
    if "sxworker_meta" in tables:
        stored = conn.execute(
            text("SELECT value FROM sxworker_meta WHERE key = 'schema_version'")
        ).scalar_one_or_none()
        if stored is not None and stored.isdigit() and int(stored) > SCHEMA_VERSION:
            raise ArchiveError(f"archive schema {stored} is newer than this sxworker; upgrade sxworker")
    if "alembic_version" in tables:
        revisions = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
        if revisions:
            for revision in revisions:
                if revision not in known_revisions():
                    raise ArchiveError(
                        f"archive schema {revision} is newer than this sxworker; upgrade sxworker"
                    )
            return SchemaState(",".join(sorted(revisions)), legacy=False)
    if tables & {"sxworker_meta", "articles"}:
        return SchemaState(LEGACY_REVISION, legacy=True)
    return SchemaState(None, legacy=False)


def check_current(conn: Connection, target: str) -> None:
    """For a read-only open: the archive must be at head; nothing is written. ``target``
    names the archive in the messages (as engines.shown gives it)."""
    try:
        state = schema_state(conn)
    except DBAPIError as exc:
        raise reading_error(exc, target) from exc
    if state.revision is None:
        raise ArchiveError(f"not an sxworker archive: {target} has no sxworker tables")
    if state.revision != head():
        raise ArchiveError(
            f"archive schema {state.revision} is older than this sxworker; "
            f"run 'sxworker migrate --db {target}' to upgrade it"
        )


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Bring the archive to ``revision`` (default: head) in one transaction where the
    backend allows it. Returns (revision before, revision after)."""
    from alembic import command
    from alembic.util import CommandError

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two crawlers opening a fresh database at once: one migrates, the other waits.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        state = schema_state(conn)
        target = head() if revision == "head" else revision
        if state.revision == target:
            return state.revision, target
        config = alembic_config(connection=conn)
        if state.legacy:
            command.stamp(config, LEGACY_REVISION)
        try:
            command.upgrade(config, revision)
        except CommandError as exc:
            raise ArchiveError(f"cannot upgrade the archive to {revision}: {exc}") from exc
        after = schema_state(conn).revision or target
    return state.revision, after


__all__: list[str] = [
    "LEGACY_REVISION",
    "alembic_config",
    "check_current",
    "head",
    "schema_state",
    "script_directory",
    "upgrade",
]
