"""The ``sxworker`` command: a thin layer over the archive and the parsers.

Every command starts a new process, so what this module imports is paid by all of them:
only click, the archive (SQLAlchemy, which nearly every command needs) and light modules.
Scrapy and Twisted (the parsers, a crawl), rich (tables), matplotlib, pyarrow and Datasette
are imported in the bodies of the commands that use them. A command module registered with
``main.add_command`` must keep to that too: tests/research/test_cli_imports.py checks it.
"""

from __future__ import annotations

import functools
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import click

from sxworker import config
from sxworker.archive import EVIDENCE_FIELDS, EXPORT_FIELDS, Archive, shown
from sxworker.archive import search as search_module
from sxworker.archive.export import FORMATS, WRITERS, FileCollector, copy_files, write_lines
from sxworker.archive.fulltext import query_terms
from sxworker.archive.templates import ORDERS as TEMPLATE_ORDERS
from sxworker.research import citation, cite, datacard, reparse_command, replay, trend
from sxworker.research import output as written
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
    wide_console,
)
from sxworker.site import urls
from sxworker.site.items import CITATION_FIELDS

DEMO_DB = "data/demo.sqlite3"
_BASE_URL: str = config.default("SXWORKER_BASE_URL")


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
@click.option(
    "--explain",
    is_flag=True,
    help="Also print the page's template fingerprint and, per field, how it was found.",
)
@friendly
def extract(file: Any, url: str, base_url: str | None, explain: bool) -> None:
    """Parse one saved article page (raw bytes; FILE may be -) and print its fields as JSON."""
    from sxworker.site.parsers.article import parse_article

    base = base_url or urls.site_root_of(url)
    if base is None:
        raise UserError(f"--url: {url} is not an article URL (…/content/YYYY-MM/DD/ID.html)")
    article = parse_article(file.read(), url, base_url=base)
    record = article.public_fields()
    if explain:
        record |= {"template": article.template, "evidence": article.evidence}
    click.echo(dump(record, indent=2))


@main.command()
@click.argument("query")
@db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@date_range_options
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Best matches first, or newest first (broad queries are always newest first).",
)
@json_option
@friendly
def search(
    query: str, db: str | None, limit: int, since: str | None, until: str | None, sort: str, as_json: bool
) -> None:
    """Full-text search over title, subtitle, kicker, author and body (Chinese of any length)."""
    since_date, until_date = checked_dates(since, until)
    with Archive.open_readonly(archive_target(db)) as archive:
        results = archive.search(query, limit=limit, since=since_date, until=until_date, order=sort)
    hits = results.hits
    if results.order == "date" and sort == "relevance":
        click.echo(
            f"sxworker: more than {search_module.RANK_LIMIT} articles match; showing the newest "
            "(add terms or --since/--until to rank by relevance)",
            err=True,
        )
    if not hits:
        click.echo(f"sxworker: no articles match {query!r}", err=True)
        return
    if as_json:
        for hit in hits:
            click.echo(dump(hit.as_dict()))
        return
    from sxworker.research import views

    terms = ["".join(tokens) for tokens in query_terms(query)]
    wide_console().print(views.hits_table(hits, terms, title=f"{len(hits)} articles matching {query!r}"))


main.add_command(trend.trend_command)


@main.command()
@click.argument("article_id")
@db_option
@click.option(
    "--date", "issue_date", default=None, metavar="YYYY-MM-DD", help="Which one, when an id recurs."
)
@json_option
@friendly
def show(article_id: str, db: str | None, issue_date: str | None, as_json: bool) -> None:
    """One article in full, with how to cite it. ARTICLE_ID is the id in its URL (or YYYY-MM-DD/ID)."""
    with Archive.open_readonly(archive_target(db)) as archive:
        record = cite.find_article(archive, article_id, issue_date)
    if as_json:
        click.echo(dump(record))
        return
    from sxworker.research import views

    wide_console().print(views.article_panel(record))


main.add_command(cite.cite)
main.add_command(replay.replay)


@main.command()
@db_option
@json_option
@friendly
def stats(db: str | None, as_json: bool) -> None:
    """Issues, pages, articles, date span, per-year counts, last crawl and gaps."""
    with Archive.open_readonly(archive_target(db)) as archive:
        summary = archive.stats()
    if as_json:
        click.echo(dump(summary))
        return
    from sxworker.research import views

    views.print_all(wide_console(), views.stats_tables(summary))


@main.command()
@db_option
@date_range_options
@click.option("--failures", "show_failures", is_flag=True, help="List the open failures instead of issues.")
@json_option
@friendly
def gaps(db: str | None, since: str | None, until: str | None, show_failures: bool, as_json: bool) -> None:
    """Incomplete issues: pages or linked articles not stored, open failures.

    Crawls retry open failures first; `--failures` lists them (URL, status, error, attempts).
    """
    since, until = checked_dates(since, until)
    with Archive.open_readonly(archive_target(db)) as archive:
        if show_failures:
            rows = archive.open_failures(since=since, until=until)
        else:
            rows = archive.gaps(since, until)
    if as_json:
        for row in rows:
            click.echo(dump(row))
        return
    from sxworker.research import views

    table = views.failures_table(rows) if show_failures else views.gaps_table(rows)
    views.print_all(wide_console(), [table])


@main.command()
@db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many runs.")
@json_option
@friendly
def runs(db: str | None, limit: int, as_json: bool) -> None:
    """Recent crawls, newest first: range, requests, articles new/changed, failures, outcome."""
    with Archive.open_readonly(archive_target(db)) as archive:
        rows = archive.recent_runs(limit)
    if as_json:
        for row in rows:
            click.echo(dump(row))
        return
    from sxworker.research import views

    views.print_all(wide_console(), [views.runs_table(rows)])


@main.command()
@db_option
@click.option(
    "--sort",
    type=click.Choice(TEMPLATE_ORDERS),
    default="newest",
    show_default=True,
    help="Templates seen most recently first, or those with the most articles.",
)
@json_option
@friendly
def templates(db: str | None, sort: str, as_json: bool) -> None:
    """The article templates in the archive: articles, date span, fill rate of each field.

    Also the most common author, kicker and subtitle of each template, flagged when one
    value is on half or more of a template's articles (a fixed line read as that field),
    and one article URL to open. Articles stored before templates were recorded are one
    group, "unknown" (null in --json).
    """
    with Archive.open_readonly(archive_target(db)) as archive:
        rows = archive.templates(sort)
    if not rows:
        click.echo("sxworker: the archive holds no articles", err=True)
        return
    if as_json:
        for row in rows:
            click.echo(dump(row))
        return
    from sxworker.research import views

    views.print_all(wide_console(), views.templates_tables(rows))


@main.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "wacz"]),
    default="jsonl",
    show_default=True,
    help="wacz: the WARC captures of the range as a WACZ package (needs -o; see --warc-dir).",
)
@date_range_options
@click.option("--page-name", default=None, help="Only articles of pages with this name (版名), e.g. 头版.")
@click.option(
    "-o",
    "--output",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write to FILE (atomically), with FILE.sha256 and a data card FILE.md beside it.",
)
@click.option(
    "--with-files",
    is_flag=True,
    help="Also put the exported articles' scans, pictures and PDFs in FILE.files/ (needs -o).",
)
@click.option(
    "--with-evidence",
    is_flag=True,
    help="Add each article's template fingerprint and how the parser found each field.",
)
@click.option("--with-citation", is_flag=True, help="Add a citation column: each article by GB/T 7714-2015.")
@files_store_option
@click.option(
    "--base-url",
    envvar="SXWORKER_BASE_URL",
    default=_BASE_URL,
    metavar="URL",
    help=f"Site root the data card names as the source [default: $SXWORKER_BASE_URL, then {_BASE_URL}].",
)
@click.option(
    "--warc-dir",
    envvar="SXWORKER_WARC_DIR",
    default=None,
    metavar="DIR",
    help="The captures --format wacz packs [default: $SXWORKER_WARC_DIR].",
)
@friendly
def export(
    db: str | None,
    fmt: str,
    since: str | None,
    until: str | None,
    page_name: str | None,
    output: str | None,
    with_files: bool,
    with_evidence: bool,
    with_citation: bool,
    files_store: str | None,
    base_url: str,
    warc_dir: str | None,
) -> None:
    """Export every article (newest version), ordered by date, page and id."""
    since_date, until_date = checked_dates(since, until)
    if fmt == "wacz":
        from sxworker.research.wacz import export_wacz

        if page_name or with_files or with_evidence or with_citation:
            raise UserError("--format wacz packs whole captures: it takes --since/--until only")
        summary = export_wacz(archive_target(db), warc_dir, output, since_date, until_date)
        click.echo(f"sxworker: {output}: {summary.records} WARC records, {summary.pages} pages", err=True)
        return
    if with_files and output is None:
        raise UserError("--with-files needs -o FILE: the files go beside it, in FILE.files/")
    target = archive_target(db)
    collector = FileCollector()
    # JSONL of the records as stored comes as lines the database builds (1.3-1.4 x faster).
    as_lines = fmt == "jsonl" and not (with_files or with_citation)
    # The stream is closed while the archive is open: left to the garbage collector after a
    # failed write (a closed pipe, a full disk), it would close its connections too late.
    with (
        Archive.open_readonly(target) as archive,
        closing(
            (archive.iter_export_lines if as_lines else archive.iter_export)(
                since_date, until_date, page_name, with_evidence=with_evidence
            )
        ) as stream,
    ):
        records = collector(stream) if with_files else stream
        records = citation.with_citation(records) if with_citation else records
        fields = (*EXPORT_FIELDS, *EVIDENCE_FIELDS) if with_evidence else EXPORT_FIELDS
        fields = (*fields, *CITATION_FIELDS) if with_citation else fields
        writer = write_lines if as_lines else functools.partial(WRITERS[fmt], fields=fields)
        if output is None:
            count = writer(records, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            path = Path(output)
            # Every file is refused or staged before the export starts; all appear together.
            with written.replacing(target) as stage:
                data, checksum = stage(path), stage(Path(f"{path}.sha256"))
                folder = stage(Path(f"{path}.files"), folder=True) if with_files else None
                card_file = stage(Path(f"{path}.md"))
                total = archive.count_export(since_date, until_date, page_name)
                with written.progress(total, path.name) as advance, written.HashingFile(data) as out:
                    count = writer(advance(records), out)
                # pyarrow's writer may seek back in its file: a Parquet file is hashed when whole.
                digest = written.sha256_of(data) if fmt == "parquet" else out.hexdigest()
                checksum.write_text(f"{digest}  {path.name}\n", encoding="utf-8")
                copied = None
                if folder is not None:
                    store = files_store_path(files_store)
                    copied = copy_files(collector.files.values(), store, Path(f"{path}.files"), folder)
                    if copied.missing:
                        missing = len(copied.missing)
                        click.echo(f"sxworker: {missing} archived files not found under {store}", err=True)
                card = datacard.render(
                    file_name=path.name,
                    file_format=fmt,
                    count=count,
                    sha256=digest,
                    filters={"since": since_date, "until": until_date, "page name": page_name},
                    stats=archive.stats(),
                    source_url=base_url or _BASE_URL,
                    files=copied,
                    with_evidence=with_evidence,
                    with_citation=with_citation,
                )
                card_file.write_text(card, encoding="utf-8")
    if count == 0:
        click.echo("sxworker: no articles matched", err=True)


@main.command()
@click.option("--db", "db", default=DEMO_DB, show_default=True, help="Where the demo archive is written.")
@friendly
def demo(db: str) -> None:
    """Crawl the bundled local replica of the site into a demo archive (no network)."""
    from sxworker.research.demo import run_demo

    run_demo(db)


# -- serve and report --------------------------------------------------------------------


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port.")
# Serve always reads the file as it is now, as the other readers do; --live chose that once
# and is still accepted, so that scripts using it keep working.
@click.option("--live", is_flag=True, hidden=True)
@friendly
def serve(db: str | None, host: str, port: int, live: bool) -> None:
    """Browse the archive in Datasette (read-only, as it is now), with Chinese full-text search."""
    try:
        import datasette  # noqa: F401
    except ImportError as exc:
        raise UserError("serve needs Datasette: pip install 'sxworker[serve]'") from exc
    from sxworker.research.serve import ServeError
    from sxworker.research.serve import serve as run_server

    try:
        run_server(archive_target(db), host, port)
    except ServeError as exc:
        raise UserError(str(exc)) from exc


@main.command()
@db_option
@click.option(
    "-o",
    "--output",
    default="report.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the page (atomically).",
)
@click.option(
    "--trend", "trend_terms", multiple=True, metavar="TERM", help="Add `sxworker trend`'s chart (repeatable)."
)
@friendly
def report(db: str | None, output: str, trend_terms: tuple[str, ...]) -> None:
    """Write one self-contained HTML page picturing the archive: coverage, years, pages."""
    from sxworker.research.report import write_report

    target = archive_target(db)
    html = write_report(target, trend_terms).encode("utf-8")
    with written.replacing(target) as stage:
        stage(Path(output)).write_bytes(html)
    click.echo(f"sxworker: report written to {output}", err=True)


@main.command()
@db_option
@click.option(
    "--revision",
    default="head",
    show_default=True,
    metavar="REV",
    help="Schema revision to upgrade to (the newest this sxworker knows by default).",
)
@friendly
def migrate(db: str | None, revision: str) -> None:
    """Upgrade the archive's schema in place (an archive made by an older sxworker)."""
    target = archive_target(db)
    before, after = Archive.upgrade(target, revision)
    if before == after:
        click.echo(f"sxworker: archive {shown(target)} is at schema {after}; nothing to do", err=True)
    else:
        click.echo(
            f"sxworker: archive {shown(target)} upgraded from schema {before or 'none'} to {after}", err=True
        )


@main.command()
@db_option
@files_store_option
@click.option(
    "--warc-dir",
    envvar="SXWORKER_WARC_DIR",
    default=None,
    metavar="DIR",
    help="WARC captures to check [default: $SXWORKER_WARC_DIR; unset: not checked].",
)
@json_option
@friendly
def verify(db: str | None, files_store: str | None, warc_dir: str | None, as_json: bool) -> None:
    """Fixity check: the database's integrity, every article's and version's content_hash,
    every stored file's size and SHA-256, every WARC record's digests. Reads only.

    One line per problem, then a summary; exit status 1 when anything is wrong, 0 when
    all is sound.
    """
    from sxworker.research.verify import verify as run_verify

    report = run_verify(
        archive_target(db),
        files_store_path(files_store),
        Path(warc_dir) if warc_dir else None,
        emit=(lambda _problem: None) if as_json else (lambda problem: click.echo(problem.line())),
        progress=not as_json,
    )
    for note in report.notes:
        click.echo(f"sxworker: {note}", err=True)
    click.echo(dump(report.as_dict()) if as_json else report.summary())
    if not report.sound:
        raise SystemExit(1)


main.add_command(reparse_command.reparse)


def run() -> None:
    """The console script: the command, then the reactor a crawl here started is stopped
    (sxworker/crawl/runner.py), so that the process ends when the command does."""
    try:
        main()
    finally:
        # Only a command that crawled imported the runner (and Twisted under it).
        runner = sys.modules.get("sxworker.crawl.runner")
        if runner is not None:
            runner.stop_reactor()


if __name__ == "__main__":
    run()
