"""``sxworker cite``: one article's citation, and the lookup of one article by its id that
``show`` shares (an id recurs across the years, so a date may be needed)."""

from __future__ import annotations

from typing import Any

import click

from sxworker.archive import DEFAULT_DB, Archive, ArchiveError
from sxworker.research import options
from sxworker.research.citation import STYLES
from sxworker.site.dates import parse_date


def find_article(archive: Archive, article_id: str, issue_date: str | None) -> dict[str, Any]:
    """The one article ``article_id`` (or ``YYYY-MM-DD/ID``) names; an unknown id, or one
    that recurs across dates when no date is given, is an ArchiveError of one line."""
    if "/" in article_id:
        issue_date, article_id = article_id.split("/", 1)
    wanted = parse_date(issue_date, "--date").isoformat() if issue_date else None
    found = [r for r in archive.articles_by_id(article_id) if wanted in (None, r["issue_date"])]
    if not found:
        on = f" on {wanted}" if wanted else ""
        raise ArchiveError(f"no article {article_id}{on} in the archive")
    if len(found) > 1:
        dates = ", ".join(r["issue_date"] for r in found)
        raise ArchiveError(f"article id {article_id} occurs on {dates}; add --date")
    return found[0]


@click.command()
@click.argument("article_id")
@options.db_option
@click.option(
    "--date", "issue_date", default=None, metavar="YYYY-MM-DD", help="Which one, when an id recurs."
)
@click.option(
    "--style",
    type=click.Choice(list(STYLES)),
    default="gbt7714",
    show_default=True,
    help="GB/T 7714-2015 (online newspaper article, [N/OL]), APA 7, or a BibTeX @article entry.",
)
@options.friendly
def cite(article_id: str, db: str | None, issue_date: str | None, style: str) -> None:
    """How to cite one article. ARTICLE_ID is the id in its URL (or YYYY-MM-DD/ID).

    The citation names the archived URL and, as the access date, the day the archive
    last captured the article's text (UTC).
    """
    # --db "" is the default, as an empty $SXWORKER_DB is (as for every command).
    with Archive.open_readonly(db or DEFAULT_DB) as archive:
        record = find_article(archive, article_id, issue_date)
    click.echo(STYLES[style](record))
