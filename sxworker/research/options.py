"""What the ``sxworker`` commands share: the one-line user error, the error handling that
turns known failures into it, and the common options (``--db``, ``--json``, dates, files).

Imported by every command at start: it imports nothing heavy (no Scrapy, no rich).
"""

from __future__ import annotations

import functools
import json
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy.exc import DBAPIError

from sxworker import config
from sxworker.archive import DEFAULT_DB, ArchiveError
from sxworker.site.dates import DateArgumentError, parse_date

if TYPE_CHECKING:
    from rich.console import Console

_FILES_STORE: str = config.default("FILES_STORE")


class UserError(click.ClickException):
    """One line on stderr, exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"sxworker: error: {self.format_message()}", err=True)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Known failures become one line; ``--verbose`` shows the traceback instead."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            # The reader went away (`| head`): click's main ends quietly, exit 1, as Python's
            # SIGPIPE recipe does; it is not an error of this command.
            raise
        except Exception as exc:
            if not _known(exc) or click.get_current_context().find_root().params.get("verbose"):
                raise
            # A database error's own message is its first line; SQLAlchemy appends the SQL.
            message = str(getattr(exc, "orig", None) or exc)
            raise UserError(message.splitlines()[0] if message else type(exc).__name__) from exc

    return wrapper


def _known(exc: Exception) -> bool:
    """Whether ``exc`` is a failure a user can act on from one line."""
    if isinstance(exc, (ArchiveError, DateArgumentError, RuntimeError, OSError, DBAPIError)):
        return True
    # The parsers (and Scrapy under them) are imported only by the commands that parse: before
    # they are, no parse error can occur.
    parsers = sys.modules.get("sxworker.site.parsers.article")
    return parsers is not None and isinstance(exc, parsers.ArticleParseError)


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        envvar="SXWORKER_DB",
        default=DEFAULT_DB,
        metavar="PATH_OR_URL",
        help=f"Archive file or SQLAlchemy URL [default: $SXWORKER_DB, then {DEFAULT_DB}].",
    )(func)


def archive_target(db: str | None) -> str:
    # --db "" is the default, as an empty $SXWORKER_DB is.
    return db or DEFAULT_DB


def dump(record: dict[str, Any], *, indent: int | None = None) -> str:
    return json.dumps(record, ensure_ascii=False, indent=indent)


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")(
        func
    )


def date_range_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--until", default=None, metavar="YYYY-MM-DD", help="Last issue date to include.")(
        func
    )
    return click.option("--since", default=None, metavar="YYYY-MM-DD", help="First issue date to include.")(
        func
    )


def files_store_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--files-store",
        envvar="FILES_STORE",
        default=_FILES_STORE,
        metavar="DIR",
        help=f"Where the crawl keeps the files [default: $FILES_STORE, then {_FILES_STORE}].",
    )(func)


def files_store_path(option: str | None) -> Path:
    return Path(option or _FILES_STORE)


def checked_dates(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    return (
        parse_date(since, "--since").isoformat() if since else None,
        parse_date(until, "--until").isoformat() if until else None,
    )


def wide_console() -> Console:
    from rich.console import Console

    # Wide enough that titles are not cut when the output goes to a file or a pipe.
    return Console(width=None if sys.stdout.isatty() else 160)


@contextmanager
def stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM ends the command as Ctrl-C does (KeyboardInterrupt), so cleanup runs."""

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
