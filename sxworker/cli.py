"""The ``sxworker`` command: a thin layer over the archive and the parsers."""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sxworker import urls
from sxworker.archive import DEFAULT_DB, Archive, ArchiveError
from sxworker.archive.export import FORMATS, WRITERS
from sxworker.dates import DateArgumentError, parse_date
from sxworker.parsers.article import ArticleParseError, parse_article

DEMO_DB = "data/demo.sqlite3"


class UserError(click.ClickException):
    """One line on stderr, exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"sxworker: error: {self.format_message()}", err=True)


def _friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Known failures become one line; ``--verbose`` shows the traceback instead."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ArchiveError, DateArgumentError, ArticleParseError, RuntimeError, OSError) as exc:
            if click.get_current_context().find_root().params.get("verbose"):
                raise
            raise UserError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc

    return wrapper


def _db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        default=None,
        metavar="PATH_OR_URL",
        help=f"Archive file or SQLAlchemy URL [default: $SXWORKER_DB, then {DEFAULT_DB}].",
    )(func)


def _archive_target(db: str | None) -> str:
    return db or os.environ.get("SXWORKER_DB") or DEFAULT_DB


def _dump(record: dict[str, Any], *, indent: int | None = None) -> str:
    return json.dumps(record, ensure_ascii=False, indent=indent)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and debug logging.")
@click.version_option(package_name="sxworker")
def main(verbose: bool) -> None:
    """Crawl and read the archive of 陕西工人报 (Shaanxi Workers' Daily)."""


@main.command()
@click.argument("file", type=click.File("rb"))
@click.option(
    "--url", required=True, help="The URL the page was fetched from (desktop or mobile article URL)."
)
@click.option("--base-url", default=None, help="Site root [default: taken from --url].")
@_friendly
def extract(file: Any, url: str, base_url: str | None) -> None:
    """Parse one saved article page (raw bytes; FILE may be -) and print its fields as JSON."""
    base = base_url or urls.site_root_of(url)
    if base is None:
        raise UserError(f"--url: {url} is not an article URL (…/content/YYYY-MM/DD/ID.html)")
    article = parse_article(file.read(), url, base_url=base)
    click.echo(_dump(article.public_fields(), indent=2))


@main.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="First issue date to include.")
@click.option("--until", default=None, metavar="YYYY-MM-DD", help="Last issue date to include.")
@click.option(
    "-o",
    "--output",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write to FILE (atomically) instead of stdout.",
)
@_friendly
def export(db: str | None, fmt: str, since: str | None, until: str | None, output: str | None) -> None:
    """Export every article (newest version), ordered by date, page and id."""
    since_date = parse_date(since, "--since").isoformat() if since else None
    until_date = parse_date(until, "--until").isoformat() if until else None
    with Archive.open_readonly(_archive_target(db)) as archive:
        records = archive.iter_export(since_date, until_date)
        writer = WRITERS[fmt]
        if output is None:
            count = writer(records, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            count = _write_atomically(Path(output), lambda out: writer(records, out))
    if count == 0:
        click.echo("sxworker: no articles matched", err=True)


def _write_atomically(path: Path, write: Callable[[Any], int]) -> int:
    """Write to a temporary file beside ``path`` and rename it: a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            count = write(out)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return count


@main.command()
@click.option("--db", "db", default=DEMO_DB, show_default=True, help="Where the demo archive is written.")
@_friendly
def demo(db: str) -> None:
    """Crawl the bundled local replica of the site into a demo archive (no network)."""
    from sxworker.demo import run_demo

    run_demo(db)


if __name__ == "__main__":
    main()
