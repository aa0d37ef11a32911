"""``sxworker report``: one self-contained HTML page picturing the archive.

Inline CSS and inline SVG only — no script, no external font, stylesheet or CDN — so the
file can be mailed, archived and opened offline. The figures come from
:mod:`sxworker.archive.insights`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from html import escape
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sxworker.archive import Archive, insights, trends
from sxworker.research import trend

ACCENT = "#b3261e"
# Light to dark: issues found in a month (0 is drawn apart, as a gap).
SHADES = ("#fbe3d6", "#f5b59a", "#e87b5c", "#c9442e", "#8f1d14")
MONTHS = ("1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月")

CSS = """
:root { --accent: #b3261e; --ink: #222; --muted: #6b6b6b; --line: #e6e1dc; --paper: #fbf9f6; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "Hiragino Sans GB", "WenQuanYi Micro Hei", system-ui, sans-serif; line-height: 1.5; }
main { max-width: 1080px; margin: 0 auto; padding: 28px 28px 48px; }
header { border-bottom: 3px double var(--accent); padding-bottom: 14px; margin-bottom: 22px; }
h1 { font-size: 30px; margin: 0; letter-spacing: .04em; }
h1 small { font-size: 16px; color: var(--muted); font-weight: normal; letter-spacing: 0; margin-left: 10px; }
.span { font-size: 18px; color: var(--accent); margin-top: 6px; }
h2 { font-size: 19px; margin: 34px 0 4px; border-left: 5px solid var(--accent); padding-left: 10px; }
p.note { margin: 0 0 12px; color: var(--muted); font-size: 13.5px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(132px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card b { display: block; font-size: 26px; font-variant-numeric: tabular-nums; }
.card span { color: var(--muted); font-size: 13px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px;
  overflow-x: auto; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 800px) { .two { grid-template-columns: 1fr; } }
svg text { font-family: inherit; fill: var(--ink); }
.trend svg { width: 100%; height: auto; }
svg .muted { fill: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: normal; font-size: 13px; }
td.n, th.n { text-align: right; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line);
  padding-top: 10px; }
.legend { display: flex; align-items: center; gap: 6px; font-size: 12.5px; color: var(--muted);
  margin-top: 8px; }
.legend i { display: inline-block; width: 14px; height: 14px; border-radius: 3px; }
"""


def write_report(target: str, trend_terms: Sequence[str] = ()) -> str:
    """The report for the archive at ``target`` as an HTML string; with ``trend_terms``, the
    chart of ``sxworker trend`` for them, per year."""
    with Archive.open_readonly(target) as archive, _progress(len(insights.PARTS) + bool(trend_terms)) as step:
        data = insights.collect(archive.engine, done=step)
        rows = trends.trend(archive.engine, trend_terms) if trend_terms else []
        if trend_terms:
            step("trend")
    return render(data, trend_chart=trend.inline_svg(rows, "year") if rows else None)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr, drawn on a terminal only (each part reads every article of
    a large archive: seconds at 300,000); ``step(part)`` marks a part done."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("reading the archive: {task.fields[part]}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("report", total=total, part="")
        yield lambda part: bar.update(task, advance=1, part=part)


def render(data: dict[str, Any], *, generated_at: str | None = None, trend_chart: str | None = None) -> str:
    totals = data["totals"]
    generated = generated_at or datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    months = data["issues_per_month"]
    per_year = data["articles_per_year"]
    years = _year_range(list(months) + list(per_year))
    covered_years = sorted({month[:4] for month in months})
    span = (
        f"{escape(totals['first_issue'])} — {escape(totals['last_issue'])}"
        if totals["first_issue"]
        else "empty archive"
    )
    cards = [
        (totals["issues"], "issues 期"),
        (totals["pages"], "pages 版"),
        (totals["articles"], "articles 篇"),
        (len(covered_years), f"of {len(years)} years with issues"),
        (len(months), "months with issues"),
        (totals["authors"], "distinct bylines"),
        (totals["article_versions"], "earlier texts kept"),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>陕西工人报 archive — report</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body><main>",
        "<header>",
        "<h1>陕西工人报 <small>Shaanxi Workers' Daily · archive report</small></h1>",
        f'<div class="span">{span}</div>',
        "</header>",
        '<section class="cards">',
        *(f'<div class="card"><b>{value:,}</b><span>{escape(label)}</span></div>' for value, label in cards),
        "</section>",
        "<h2>Coverage calendar · 每月期数</h2>",
        '<p class="note">Issues found per month; a pale outline is a month with no issue in the archive.</p>',
        f'<div class="panel">{calendar_svg(months, years)}{_legend(months)}</div>',
        "<h2>Articles per year · 每年文章</h2>",
        f'<div class="panel">{year_bars_svg(per_year, years)}</div>',
        *_trend_section(trend_chart),
        '<div class="two">',
        "<div>",
        "<h2>Pages per issue · 每期版数</h2>",
        '<p class="note">How many issues have a given number of pages.</p>',
        f'<div class="panel">{distribution_svg(data["pages_per_issue"])}</div>',
        "</div>",
        "<div>",
        "<h2>Page names · 版名</h2>",
        '<p class="note">The most frequent page names, by pages carrying them.</p>',
        f'<div class="panel">{page_names_svg(data["top_page_names"])}</div>',
        "</div>",
        "</div>",
        "<h2>Crawls · 抓取</h2>",
        f'<p class="note">First seen {_text(totals["first_seen"])} · last seen {_text(totals["last_seen"])}'
        " (UTC). The most recently crawled issues:</p>",
        f'<div class="panel">{recent_table(data["recent_issues"])}</div>',
        "<footer>",
        f"Generated {escape(generated)} by sxworker {escape(_version())} from the e-paper at "
        "szb.sxworker.com. Texts © 陕西工人报.",
        "</footer>",
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


# -- charts ------------------------------------------------------------------------------


def calendar_svg(months: dict[str, int], years: list[str]) -> str:
    if not years:
        return _empty("No issues yet.")
    cell_w, cell_h, gap, left, top = 56, 18, 3, 60, 20
    width = left + 12 * (cell_w + gap)
    rows = _calendar_rows(months, years)
    height = top + len(rows) * (cell_h + gap) + 4
    top_count = max(months.values()) if months else 1
    out = [_svg_open(width, height, "Issues per month, years as rows")]
    for index, name in enumerate(MONTHS):
        x = left + index * (cell_w + gap) + cell_w / 2
        out.append(
            f'<text x="{x:.0f}" y="13" font-size="11" text-anchor="middle" class="muted">{name}</text>'
        )
    for row, (first, last) in enumerate(rows):
        y = top + row * (cell_h + gap)
        text_y = y + cell_h / 2 + 4
        if first != last:
            # A run of years without any issue: one band, so the gap shows without a wall of rows.
            out.append(
                f'<text x="{left - 8}" y="{text_y:.0f}" font-size="11.5" text-anchor="end" class="muted">'
                f"{first}–{last[2:]}</text>"
                f'<rect x="{left + 0.5}" y="{y + 0.5}" width="{12 * (cell_w + gap) - gap - 1}"'
                f' height="{cell_h - 1}" rx="4" fill="#f3eeea" stroke="#e2dcd6">'
                f"<title>{first}–{last}: no issues</title></rect>"
                f'<text x="{left + 6 * (cell_w + gap):.0f}" y="{text_y:.0f}" font-size="11"'
                f' text-anchor="middle" class="muted">{int(last) - int(first) + 1} years without issues'
                f"</text>"
            )
            continue
        year = first
        year_total = sum(months.get(f"{year}-{m:02d}", 0) for m in range(1, 13))
        weight = "bold" if year_total else "normal"
        label_class = "" if year_total else ' class="muted"'
        out.append(
            f'<text x="{left - 8}" y="{text_y:.0f}" font-size="12" text-anchor="end"'
            f' font-weight="{weight}"{label_class}>{year}</text>'
        )
        for column in range(12):
            month = f"{year}-{column + 1:02d}"
            count = months.get(month, 0)
            x = left + column * (cell_w + gap)
            tip = f"{month}: {count} issue{'s' if count != 1 else ''}"
            if count:
                fill = _shade(count, top_count)
                out.append(
                    f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" rx="3" fill="{fill}">'
                    f"<title>{tip}</title></rect>"
                )
                ink = "#fff" if fill in SHADES[3:] else "#3a1a12"
                out.append(
                    f'<text x="{x + cell_w / 2:.0f}" y="{text_y:.0f}" font-size="10.5"'
                    f' text-anchor="middle" style="fill:{ink}">{count}</text>'
                )
            else:
                out.append(
                    f'<rect x="{x + 0.5}" y="{y + 0.5}" width="{cell_w - 1}" height="{cell_h - 1}" rx="3"'
                    f' fill="none" stroke="#e2dcd6"><title>{tip}</title></rect>'
                )
    out.append("</svg>")
    return "".join(out)


def _calendar_rows(months: dict[str, int], years: list[str]) -> list[tuple[str, str]]:
    """One row per year; three or more years in a row without any issue become one row."""
    with_issues = {month[:4] for month in months}
    rows: list[tuple[str, str]] = []
    run: list[str] = []
    for year in [*years, None]:
        if year is not None and year not in with_issues:
            run.append(year)
            continue
        if len(run) >= 3:
            rows.append((run[0], run[-1]))
        else:
            rows.extend((empty, empty) for empty in run)
        run = []
        if year is not None:
            rows.append((year, year))
    return rows


def year_bars_svg(per_year: dict[str, int], years: list[str]) -> str:
    if not years:
        return _empty("No articles yet.")
    width, height, left, bottom, top = 1000, 240, 44, 34, 22
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak = max(per_year.values(), default=0) or 1
    slot = plot_w / len(years)
    bar = max(2.0, slot * 0.72)
    label_every = max(1, round(len(years) / 20))
    out = [_svg_open(width, height, "Articles per year")]
    out.extend(_y_axis(peak, left, top, plot_w, plot_h))
    for index, year in enumerate(years):
        count = per_year.get(year, 0)
        x = left + index * slot + (slot - bar) / 2
        h = plot_h * count / peak
        y = top + plot_h - h
        if count:
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="2" fill="{ACCENT}">'
                f"<title>{year}: {count:,} articles</title></rect>"
            )
            if slot >= 22:
                out.append(
                    f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle">'
                    f"{count:,}</text>"
                )
        if index % label_every == 0 or index == len(years) - 1:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" font-size="11.5"'
                f' text-anchor="middle" class="muted">{year}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def distribution_svg(distribution: dict[int, int]) -> str:
    if not distribution:
        return _empty("No pages yet.")
    counts = range(min(distribution), max(distribution) + 1)
    width, height, left, bottom, top = 480, 220, 36, 40, 20
    plot_w, plot_h = width - left - 8, height - top - bottom
    peak = max(distribution.values())
    slot = plot_w / len(counts)
    bar = max(2.0, slot * 0.7)
    out = [_svg_open(width, height, "Issues by number of pages")]
    out.extend(_y_axis(peak, left, top, plot_w, plot_h))
    label_every = max(1, round(len(counts) / 16))
    for index, pages_n in enumerate(counts):
        issues_n = distribution.get(pages_n, 0)
        x = left + index * slot + (slot - bar) / 2
        h = plot_h * issues_n / peak
        y = top + plot_h - h
        if issues_n:
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="2" fill="#c9442e">'
                f"<title>{pages_n} pages: {issues_n:,} issues</title></rect>"
            )
            if slot >= 20:
                out.append(
                    f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle">'
                    f"{issues_n:,}</text>"
                )
        if index % label_every == 0:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 15}" font-size="11.5"'
                f' text-anchor="middle" class="muted">{pages_n}</text>'
            )
    out.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" font-size="11.5" text-anchor="middle"'
        ' class="muted">pages in the issue</text>'
    )
    out.append("</svg>")
    return "".join(out)


def page_names_svg(names: list[dict[str, Any]]) -> str:
    if not names:
        return _empty("No page names yet.")
    row_h, left, right = 24, 120, 60
    width = 480
    height = len(names) * row_h + 6
    peak = max(item["pages"] for item in names) or 1
    plot_w = width - left - right
    out = [_svg_open(width, height, "Most frequent page names")]
    for index, item in enumerate(names):
        y = index * row_h + 3
        w = max(2.0, plot_w * item["pages"] / peak)
        name = escape(_clip(item["page_name"], 8))
        tip = escape(
            f"{item['page_name']}: {item['pages']} pages, {item['articles']} articles, "
            f"{item['first_issue']} … {item['last_issue']}"
        )
        out.append(
            f'<text x="{left - 8}" y="{y + 15}" font-size="13" text-anchor="end">{name}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" rx="3" fill="{ACCENT}"'
            f' opacity="{0.45 + 0.55 * item["pages"] / peak:.2f}"><title>{tip}</title></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + 15}" font-size="11.5" class="muted">{item["pages"]:,}'
            f"</text>"
        )
    out.append("</svg>")
    return "".join(out)


def recent_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return _empty("No crawls yet.")
    head = (
        "<tr><th>issue date</th><th class='n'>issue no.</th><th class='n'>pages</th>"
        "<th class='n'>articles</th><th>first seen</th><th>last seen</th></tr>"
    )
    body = "".join(
        "<tr>"
        f"<td>{_text(row['issue_date'])}</td>"
        f"<td class='n'>{_text(row['issue_number'])}</td>"
        f"<td class='n'>{_text(row['page_count'])}</td>"
        f"<td class='n'>{_text(row['articles'])}</td>"
        f"<td>{_text(row['first_seen'])}</td>"
        f"<td>{_text(row['last_seen'])}</td>"
        "</tr>"
        for row in rows
    )
    return f"<table>{head}{body}</table>"


def _trend_section(chart: str | None) -> list[str]:
    if chart is None:
        return []
    return [
        "<h2>Term trends · 词频趋势</h2>",
        '<p class="note">Share of each year\'s articles matching each term, as sxworker search matches'
        " it (sxworker trend); a gap is a year without articles.</p>",
        f'<div class="panel trend">{chart}</div>',
    ]


# -- helpers -----------------------------------------------------------------------------


def _year_range(keys: list[str]) -> list[str]:
    years = sorted({int(key[:4]) for key in keys if key[:4].isdigit()})
    if not years:
        return []
    return [str(year) for year in range(years[0], years[-1] + 1)]


def _shade(count: int, top_count: int) -> str:
    if top_count <= 1:
        return SHADES[3]
    index = round((count - 1) / (top_count - 1) * (len(SHADES) - 1))
    return SHADES[min(index, len(SHADES) - 1)]


def _legend(months: dict[str, int]) -> str:
    top_count = max(months.values(), default=0)
    if top_count <= 1:
        items = [("none", 0), (SHADES[3], 1)]
    else:
        steps = sorted({1, *(round(1 + (top_count - 1) * i / 4) for i in range(5))})
        items = [("none", 0), *((_shade(step, top_count), step) for step in steps)]
    swatches = "".join(
        f'<i style="border:1px solid #e2dcd6"></i>{count}'
        if fill == "none"
        else f'<i style="background:{fill}"></i>{count}'
        for fill, count in items
    )
    return f'<div class="legend">issues in the month: {swatches}</div>'


def _y_axis(peak: int, left: int, top: int, plot_w: float, plot_h: float) -> list[str]:
    out = []
    for fraction in (0, 0.5, 1):
        value = peak * fraction
        if value != int(value):
            continue
        y = top + plot_h - plot_h * fraction
        label = f"{value:,.0f}"
        out.append(
            f'<line x1="{left}" x2="{left + plot_w:.0f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee5df"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" class="muted">'
            f"{label}</text>"
        )
    return out


def _svg_open(width: float, height: float, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" width="100%" style="max-width:{width:.0f}px">'
    )


def _empty(message: str) -> str:
    return f'<p class="note">{escape(message)}</p>'


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: Any) -> str:
    return "—" if value is None else escape(str(value))


def _version() -> str:
    try:
        return version("sxworker")
    except PackageNotFoundError:
        return "(dev)"
