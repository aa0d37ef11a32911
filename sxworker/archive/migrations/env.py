"""Alembic environment: runs on the connection :mod:`sxworker.archive.migrate` hands over.

No alembic.ini: the configuration is built in code. Run by hand only through
``sxworker migrate`` or the helpers in ``sxworker.archive.migrate``.
"""

from alembic import context
from sqlalchemy import create_engine

from sxworker.archive.schema import metadata

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=config.attributes.get("include_object"),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()
