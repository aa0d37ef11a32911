"""``sxworker trend``: how often terms were written about, period by period.

The counting is :mod:`sxworker.archive.trends` (a term matches what ``sxworker search``
finds for it); here are the command, its table, CSV and JSON, and the chart: the share of
each period's articles that match, one line per term, drawn by matplotlib (the ``plot``
extra) with a Chinese font picked by family name, its glyphs written into the file as
outlines so that the legend reads the same on a machine without that font.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sxworker.archive import DEFAULT_DB, Archive
from sxworker.archive.export import write_csv
from sxworker.archive.trends import PERIODS, TrendRow, trend
from sxworker.research import options
from sxworker.research import output as written
from sxworker.site.dates import parse_date

if TYPE_CHECKING:  # rich is imported when a table is printed (see cli.py: a light start)
    from rich.table import Table

FIELDS = ("term", "period", "articles", "total", "share")
PLOT_FORMATS = (".svg", ".png")
# Chinese fonts by family name, as Debian's fonts-noto-cjk (the first two), Adobe's Source
# Han and the WenQuanYi packages name them.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)
FONT_PACKAGE = "fonts-noto-cjk"


class TrendError(RuntimeError):
    """Bad input to ``trend``; the command shows the message as one line."""


# -- the command -------------------------------------------------------------------------


@click.command("trend")
@click.argument("terms", nargs=-1, required=True, metavar="TERM...")
@options.db_option
@click.option(
    "--by", default="year", show_default=True, metavar="year|month", help="Count per year or per month."
)
@options.date_range_options
@click.option("--page-name", default=None, help="Only articles of pages with this name (版名), e.g. 头版")
@options.json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (term, period, articles, total, share).")
@click.option(
    "--plot",
    default=None,
    type=click.Path(dir_okay=False),
    metavar="FILE.svg|FILE.png",
    help="Also draw the shares, one line per term (needs pip install 'sxworker[plot]').",
)
@options.friendly
def trend_command(
    terms: tuple[str, ...],
    db: str | None,
    by: str,
    since: str | None,
    until: str | None,
    page_name: str | None,
    as_json: bool,
    as_csv: bool,
    plot: str | None,
) -> None:
    """Per year (or month): the articles matching each TERM, all articles, and the share.

    A TERM matches what `sxworker search TERM` finds: 1- and 2-character words work,
    and the words of a quoted TERM ("工会 劳模") must all occur. A term found nowhere
    is a row of zeros; a period without articles has total 0 and no share (—).
    """
    # Not a click.Choice: its error is a usage screen, where every error here is one line.
    if by not in PERIODS:
        raise TrendError(f"--by: {by!r} is not one of {', '.join(PERIODS)}")
    if as_json and as_csv:
        raise TrendError("--json and --csv: choose one")
    if plot is not None and Path(plot).suffix.lower() not in PLOT_FORMATS:
        raise TrendError(f"--plot: {plot} must end in .svg or .png")
    family = cjk_family() if plot is not None else None
    dates = {
        "since": parse_date(since, "--since").isoformat() if since else None,
        "until": parse_date(until, "--until").isoformat() if until else None,
    }
    # --db "" is the default, as an empty $SXWORKER_DB is (as for the other commands).
    target = db or DEFAULT_DB
    with Archive.open_readonly(target) as archive:
        rows = trend(archive.engine, terms, by=by, page_name=page_name, **dates)
    if not rows:
        click.echo("sxworker: no articles in the archive for these dates and page name", err=True)
        return
    # The chart's file is refused (the archive itself, say) or staged before anything is printed.
    with written.replacing(target) as stage:
        staged = None if plot is None else stage(Path(plot))
        if as_json:
            for row in rows:
                click.echo(json.dumps(row.as_dict(), ensure_ascii=False))
        elif as_csv:
            write_csv((row.as_dict() for row in rows), sys.stdout.buffer, fields=FIELDS)
            sys.stdout.buffer.flush()
        else:
            options.wide_console().print(trend_table(rows, by))
        if staged is not None:
            staged.write_bytes(chart(rows, by, Path(plot).suffix.lower().lstrip("."), family=family))
    if plot is not None:
        click.echo(f"sxworker: chart written to {plot}", err=True)


# -- the table ---------------------------------------------------------------------------


def _share_text(share: float | None) -> str:
    # As wide as 100.00%, so that the counts beside the shares line up too.
    return f"{'—' if share is None else format(share, '.2%'):>7}"


def trend_table(rows: Sequence[TrendRow], by: str) -> Table:
    """One row per period: all its articles, then per term the matches and their share."""
    from rich.table import Table

    terms = list(dict.fromkeys(row.term for row in rows))
    table = Table(title=f"Articles matching each term, per {by}", caption="share: of the period's articles")
    table.add_column(by, no_wrap=True)
    table.add_column("articles", justify="right")
    for term in terms:
        table.add_column(term, justify="right")
    by_period: dict[str, dict[str, TrendRow]] = {}
    for row in rows:
        by_period.setdefault(row.period, {})[row.term] = row
    for period, cells in by_period.items():
        first = next(iter(cells.values()))
        table.add_row(
            period,
            f"{first.total:,}",
            *(f"{cells[term].articles:,}  {_share_text(cells[term].share)}" for term in terms),
        )
    return table


# -- the chart ---------------------------------------------------------------------------


def cjk_family() -> str:
    """The first of CJK_FAMILIES matplotlib finds on this machine."""
    try:
        from matplotlib import font_manager
    except ImportError as exc:
        raise TrendError("the chart needs matplotlib: pip install 'sxworker[plot]'") from exc
    for _ in range(2):
        installed = {font.name for font in font_manager.fontManager.ttflist}
        for family in CJK_FAMILIES:
            if family in installed:
                return family
        # matplotlib lists the fonts it found when it first ran and keeps that list in its
        # cache: a font package installed since is not in it. Add the font files the system
        # has and matplotlib does not know (for this process), then look again.
        known = {font.fname for font in font_manager.fontManager.ttflist}
        added = [path for path in font_manager.findSystemFonts() if path not in known]
        for path in added:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
                continue
        if not added:
            break
    raise TrendError(f"no Chinese font for the chart's legend: install Debian's {FONT_PACKAGE}")


def _x(period: str) -> float:
    # Years on the axis, a month at its middle.
    return int(period[:4]) + (int(period[5:7]) - 0.5) / 12 if len(period) > 4 else float(period)


def chart(rows: Sequence[TrendRow], by: str, fmt: str, *, family: str | None = None) -> bytes:
    """The shares as lines, one per term, as an SVG or PNG file's bytes; a period without
    articles is a gap in the line."""
    family = family or cjk_family()
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    # Text as outlines (no font needed to view it); ids and no date in the file, so that the
    # same archive draws the same bytes.
    settings = {"font.family": [family], "svg.fonttype": "path", "svg.hashsalt": "sxworker"}
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(9, 4.5), layout="constrained")
        axes = figure.add_subplot()
        for term in dict.fromkeys(row.term for row in rows):
            series = [row for row in rows if row.term == term]
            shares = [float("nan") if row.share is None else row.share for row in series]
            axes.plot([_x(row.period) for row in series], shares, marker="o", markersize=3, label=term)
        periods = sorted({row.period for row in rows})
        margin = 0.5 if by == "year" else 0.5 / 12
        axes.set_xlim(_x(periods[0]) - margin, _x(periods[-1]) + margin)
        if by == "month" and len(periods) < 24:
            # Too short a span for more than one year's tick: each month is labelled instead.
            axes.set_xticks([_x(period) for period in periods], periods, rotation=90)
            axes.set_xlabel("月 month")
        else:
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_xlabel("年 year")
        axes.set_title(f"含检索词的文章占比 · share of articles matching each term, per {by}")
        axes.set_ylabel("占比 share")
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
        axes.legend(title="检索词 term")
        out = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(out, format=fmt, dpi=150, metadata=metadata)
    return out.getvalue()


def inline_svg(rows: Sequence[TrendRow], by: str) -> str:
    """The chart as an ``<svg>`` element to put in an HTML page (no XML prolog)."""
    picture = chart(rows, by, "svg").decode("utf-8")
    return picture[picture.index("<svg") :]
