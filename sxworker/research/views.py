"""How archive data looks in a terminal (rich tables and panels) — no SQL, no options."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sxworker.archive.search import Hit, highlight_spans
from sxworker.research.citation import citations
from sxworker.research.replay import replay_link


def page_text(record: dict[str, Any]) -> str:
    label = record.get("page_label") or (str(record["page_no"]) if record.get("page_no") else "")
    name = record.get("page_name") or ""
    return f"{label} {name}".strip()


def _highlighted(value: str, terms: list[str]) -> Text:
    text = Text(value)
    for start, end in highlight_spans(value, terms):
        text.stylize("bold yellow", start, end)
    return text


def hits_table(hits: Iterable[Hit], terms: list[str], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    table.add_column("date", no_wrap=True)
    table.add_column("page", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("snippet", ratio=2)
    for hit in hits:
        table.add_row(
            hit.issue_date,
            page_text({"page_no": hit.page_no, "page_label": hit.page_label, "page_name": hit.page_name}),
            hit.article_id,
            _highlighted(hit.title, terms),
            _highlighted(hit.snippet, terms),
        )
    return table


def article_panel(record: dict[str, Any]) -> Panel:
    head = Text()
    if record.get("kicker"):
        head.append(record["kicker"] + "\n", style="dim")
    head.append(record["title"], style="bold")
    if record.get("subtitle"):
        head.append("\n——" + record["subtitle"])
    if record.get("author"):
        head.append("\n" + record["author"], style="italic")
    parts: list[Any] = [head, Text(""), Text(record["body"])]
    for image in record.get("images") or []:
        parts.append(
            Text(
                f"[图] {image['url']}" + (f"  {image['caption']}" if image.get("caption") else ""),
                style="dim",
            )
        )
    parts += [Text(""), citation_block(record), Text(""), replay_line(record)]
    meta = f"{record['issue_date']} · {page_text(record)} · {record['article_id']} · v{record['version']}"
    return Panel(Group(*parts), title=meta, subtitle=record["url"], expand=False)


def citation_block(record: dict[str, Any]) -> Text:
    """How to cite the article, in every style ``sxworker cite`` knows."""
    block = Text("Cite (sxworker cite --style gbt7714|apa|bibtex)", style="bold")
    for label, citation in citations(record):
        block.append(f"\n{label}\n", style="dim")
        block.append(citation)
    return block


def replay_line(record: dict[str, Any]) -> Text:
    """The article as it was captured, in `sxworker replay` (or SXWORKER_REPLAY_URL's pywb)."""
    line = Text("As captured (sxworker replay)\n", style="bold")
    line.append(replay_link(record))
    return line


def stats_tables(stats: dict[str, Any]) -> list[Table]:
    summary = Table(title="Archive", show_header=False)
    summary.add_column("what")
    summary.add_column("value")
    run = stats.get("last_run")
    if run:
        stats = {**stats, "last_run_text": f"#{run['id']} {run['started_at']}: {run['outcome']}"}
    for label, key in (
        ("issues", "issues"),
        ("pages", "pages"),
        ("articles", "articles"),
        ("first issue", "first_issue"),
        ("last issue", "last_issue"),
        ("last crawl", "last_crawl"),
        ("last run", "last_run_text"),
        ("incomplete issues", "incomplete_issues"),
        ("open failures", "open_failures"),
    ):
        value = stats.get(key)
        summary.add_row(label, "—" if value is None else str(value))
    years = Table(title="Per year")
    for column in ("year", "issues", "articles"):
        years.add_column(column, justify="right")
    for row in stats["per_year"]:
        years.add_row(row["year"], str(row["issues"]), str(row["articles"]))
    tables = [summary, years]
    if stats["gaps"]:
        tables.append(gaps_table(stats["gaps"]))
    return tables


def gaps_table(gaps: Iterable[dict[str, Any]]) -> Table:
    table = Table(title="Incomplete issues")
    table.add_column("date")
    for column in ("pages listed", "pages stored", "pages w/o articles", "articles missing", "failures"):
        table.add_column(column, justify="right")
    for gap in gaps:
        missing = str(gap["articles_missing"])
        if gap["missing_article_ids"]:
            shown = ", ".join(gap["missing_article_ids"][:5])
            missing += f" ({shown}{', …' if gap['articles_missing'] > 5 else ''})"
        short = [str(page["page_no"]) for page in gap["pages_missing_articles"] if page["page_no"]]
        if short:
            missing += f" on p. {', '.join(short)}"
        table.add_row(
            gap["issue_date"],
            "—" if gap["pages_listed"] is None else str(gap["pages_listed"]),
            str(gap["pages_stored"]),
            str(gap["pages_without_articles"]),
            missing,
            str(gap["open_failures"]),
        )
    return table


def failures_table(rows: Iterable[dict[str, Any]]) -> Table:
    table = Table(title="Open failures (retried first by the next crawl)")
    for column in ("date", "kind", "url", "status", "error", "attempts", "last try"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["issue_date"] or "—",
            row["kind"],
            row["url"],
            "—" if row["status"] is None else str(row["status"]),
            row["error"],
            str(row["attempts"]),
            row["last_try"],
        )
    return table


def runs_table(rows: Iterable[dict[str, Any]]) -> Table:
    table = Table(title="Crawl runs (newest first)")
    for column in ("id", "started", "finished", "range", "requests", "new", "changed", "skipped", "failed"):
        table.add_column(column, justify="left" if column in ("started", "finished", "range") else "right")
    table.add_column("outcome")
    for row in rows:
        span = f"{row['range_start'] or '?'} … {row['range_end'] or '?'}"
        table.add_row(
            str(row["id"]),
            row["started_at"],
            row["finished_at"] or "—",
            f"{row['mode']}: {span}",
            *(
                "—" if row[name] is None else str(row[name])
                for name in ("requests", "articles_new", "articles_changed", "articles_skipped", "failed")
            ),
            row["outcome"] if not row["message"] else f"{row['outcome']}: {row['message']}",
        )
    return table


# Short headers: ten fill-rate columns must fit beside the template's name and span.
_FILL_HEADERS = {
    "kicker": "kicker",
    "title": "title",
    "subtitle": "subt.",
    "author": "author",
    "body": "body",
    "images": "pics",
    "page_no": "p.no",
    "page_label": "p.label",
    "page_name": "p.name",
    "page_image_url": "scan",
}


def _percent(rate: float) -> str:
    # Only a field filled on every article (or none) shows 100% (0%): 99.6% is not "all".
    if rate in (0, 1):
        return f"{rate:.0%}"
    return f"{min(max(round(rate * 100), 1), 99)}%"


def template_name(template: str | None) -> str:
    return template or "unknown"


def templates_tables(rows: list[dict[str, Any]]) -> list[Table]:
    """Fill rates per template, then each template's most common varying values (⚠ where
    one value covers half its articles) and an article to open."""
    fills = Table(title="Article templates: share of articles with each field")
    for column in ("template", "articles", "first", "last"):
        fills.add_column(column, justify="right" if column == "articles" else "left", no_wrap=True)
    names = list(rows[0]["fill_rates"]) if rows else []
    for name in names:
        fills.add_column(_FILL_HEADERS.get(name, name), justify="right")
    for row in rows:
        fills.add_row(
            template_name(row["template"]),
            str(row["articles"]),
            row["first_date"],
            row["last_date"],
            *(_percent(row["fill_rates"][name]) for name in names),
        )
    common = Table(
        title="Most common values (fields that should vary)",
        caption="⚠ one value on half or more of a template's articles: its fixed text read as the field?",
    )
    varying = list(rows[0]["common_values"]) if rows else []
    common.add_column("template", no_wrap=True)
    for name in varying:
        common.add_column(name)
    common.add_column("example")
    for row in rows:
        cells: list[Text | str] = [template_name(row["template"])]
        for name in varying:
            value = row["common_values"][name]
            if value is None:
                cells.append("—")
            elif name in row["suspicious"]:
                cells.append(Text(f"⚠ {value['value']} ({_percent(value['share'])})", style="bold red"))
            else:
                cells.append(f"{value['value']} ({_percent(value['share'])})")
        cells.append(row["example_url"])
        common.add_row(*cells)
    return [fills, common]


def print_all(console: Console, renderables: Iterable[Any]) -> None:
    for renderable in renderables:
        console.print(renderable)
