"""``sxworker reparse``: the command over research/reparse.py, registered by cli.py.

Light to import, as cli.py's commands are: Scrapy and the crawl come in with the command's run.
"""

from __future__ import annotations

import os
from typing import Any

import click

from sxworker.archive import shown
from sxworker.research.options import (
    UserError,
    archive_target,
    checked_dates,
    date_range_options,
    db_option,
    dump,
    files_store_option,
    files_store_path,
    friendly,
    json_option,
    stopped_by_sigterm,
)


@click.command()
@click.argument("sources", nargs=-1, metavar="[WARC_OR_DIR]...")
@db_option
@date_range_options
@json_option
@click.option("-v", "--verbose", "list_failures", is_flag=True, help="List each article not stored, and why.")
@files_store_option
@click.option(
    "--no-files", is_flag=True, help="Leave the files (scans, pictures, PDFs) and their records alone."
)
@click.option(
    "--warc-dir",
    envvar="SXWORKER_WARC_DIR",
    default=None,
    metavar="DIR",
    help="WARC folder read when no WARC_OR_DIR is named [default: $SXWORKER_WARC_DIR].",
)
@click.option(
    "--lock-file",
    envvar="SXWORKER_LOCK_FILE",
    default=None,
    metavar="FILE",
    help="The run lock shared with crawls [default: $SXWORKER_LOCK_FILE, then ARCHIVE.lock].",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Processes sharing the work by issue date (0: one per core); each records its run.",
)
@friendly
def reparse(
    sources: tuple[str, ...],
    db: str | None,
    since: str | None,
    until: str | None,
    as_json: bool,
    list_failures: bool,
    files_store: str | None,
    no_files: bool,
    warc_dir: str | None,
    lock_file: str | None,
    jobs: int,
) -> None:
    """Re-extract the archive from WARC captures (default: $SXWORKER_WARC_DIR); no network.

    Run after a parser fix: only articles whose text now comes out differently get a new
    version (the old text stays in article_versions). The scans, pictures and PDFs of the
    pages and articles are restored from the captures too (the kinds $SXWORKER_FILES_SCANS,
    _IMAGES and _PDFS leave on); a file already stored with the same bytes is left alone.
    """
    from sxworker.crawl.filestore import kinds_from_environment
    from sxworker.crawl.runlock import LockedError
    from sxworker.crawl.runlog import GOOD_OUTCOMES
    from sxworker.crawl.warc import WarcReadError
    from sxworker.research.reparse import reparse as run_reparse
    from sxworker.research.reparse_jobs import ReparseJobError

    since_date, until_date = checked_dates(since, until)
    if not sources:
        if not warc_dir:
            raise UserError("no WARC input: name WARC files or folders, or set SXWORKER_WARC_DIR")
        sources = (warc_dir,)
    target = archive_target(db)
    verbose = click.get_current_context().find_root().params.get("verbose")
    try:
        # The crawl's session takes the archive's run lock: one crawl or reparse at a time.
        # SIGTERM stops it as Ctrl-C does, so that the jobs of a reparse in jobs stop too.
        with stopped_by_sigterm():
            result = run_reparse(
                sources,
                target,
                since=since_date,
                until=until_date,
                files_store=None if no_files else files_store_path(files_store),
                file_kinds=kinds_from_environment(),
                lock_file=lock_file,
                log_level="INFO" if verbose else "ERROR",
                jobs=jobs or os.cpu_count() or 1,
            )
    except (WarcReadError, LockedError, ReparseJobError) as exc:
        raise UserError(str(exc)) from exc
    if list_failures or verbose:
        for url, reason in result.failed:
            click.echo(f"sxworker: not stored: {url}: {reason}", err=True)
    if result.outcome not in GOOD_OUTCOMES:
        # The layout alarm, say: what the parsers read is not stored over the archive.
        click.echo(f"sxworker: reparse ended: {result.outcome} (see the log above)", err=True)
    if as_json:
        click.echo(dump(result.as_dict()))
    else:
        _reparse_summary(result, target, no_files)
    if result.outcome not in GOOD_OUTCOMES:
        raise SystemExit(1)


def _reparse_summary(result: Any, target: str, no_files: bool) -> None:
    stored, files = result.stored, result.stored_files
    jobs = f" in {result.jobs} jobs" if result.jobs > 1 else ""
    files_part = (
        ""
        if no_files
        else f"; {files.restored} files restored, {files.up_to_date} up to date, "
        f"{files.missing} missing, {files.rejected} rejected"
    )
    click.echo(
        f"{stored.new} new, {stored.changed} changed, {stored.unchanged} unchanged, "
        f"{len(result.failed)} failed articles; {result.issues} issues, {result.pages} pages{files_part} "
        f"from {result.responses} responses in {result.files} WARC files into {shown(target)}{jobs}"
    )
