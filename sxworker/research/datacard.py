"""The data card written beside an export: what the file holds and how to cite it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sxworker import __version__

if TYPE_CHECKING:
    from sxworker.archive.export import CopiedFiles

# A card stays readable: longer file lists are in the folder's SHA256SUMS.
FILES_LISTED = 500

# One line per exported field, in export order: the meaning a researcher needs.
FIELD_DOCS: dict[str, str] = {
    "article_id": "numeric id from the article URL (unique together with issue_date, not alone)",
    "url": "canonical desktop URL, {base}/content/YYYY-MM/DD/ID.html",
    "issue_date": "issue date (YYYY-MM-DD) from the URL, not a date printed on the page",
    "page_no": "版次 as a number (第4版 → 4, A4 → 4)",
    "page_label": "版次 as printed, e.g. A4 or 04",
    "page_name": "版名, e.g. 头版, 综合新闻; null when the page has none",
    "page_image_url": "URL of the page scan (版面图)",
    "kicker": "引题, the line above the title",
    "title": "标题, whitespace-normalised",
    "subtitle": "副题, without its leading dashes",
    "author": "byline as printed, without leading box marks or a 作者: label",
    "body": "text, paragraphs joined by newlines; no navigation, share or copyright lines",
    "images": "pictures in the article: list of {url, caption}",
    "page_url": "URL of the page (版面) view the article belongs to",
    "issue_number": "期号 where the site prints one",
    "first_seen": "when the crawler first stored this article (UTC)",
    "last_seen": "when the crawler last saw this article (UTC)",
    "version": "1 for the first text seen, +1 each time the site changed the text",
    "content_hash": "SHA-256 of the article's text fields",
    "files": "archived files for the article and its page: list of {url, path, sha256, kind}",
}

# With ``--with-evidence``: how the parser read each article, after the fields above.
EVIDENCE_DOCS: dict[str, str] = {
    "template": "fingerprint of the article page's template (its tag and class skeleton); "
    "null for articles stored before templates were recorded",
    "evidence": "per field, how the parser found it (role hints, page metadata, agreement with "
    "the title or the linking page, position, markers); JSON text in CSV and Parquet",
}


def render(
    *,
    file_name: str,
    file_format: str,
    count: int,
    sha256: str,
    filters: dict[str, str | None],
    stats: dict[str, Any],
    source_url: str,
    files: CopiedFiles | None = None,
    with_evidence: bool = False,
) -> str:
    """The data card as Markdown; with ``files``, a section listing the files beside it;
    ``with_evidence``: the export has the EVIDENCE_DOCS fields too."""
    documented = {**FIELD_DOCS, **EVIDENCE_DOCS} if with_evidence else FIELD_DOCS
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    chosen = ", ".join(f"{name} {value}" for name, value in filters.items() if value) or "none"
    lines = [
        f"# {file_name}",
        "",
        "Articles of 陕西工人报 (Shaanxi Workers' Daily), the newspaper of the Shaanxi Federation",
        f"of Trade Unions, from its e-paper at {source_url}, exported by sxworker {__version__}.",
        "",
        "| | |",
        "|---|---|",
        f"| format | {file_format} (UTF-8{', with BOM' if file_format == 'csv' else ''}) |",
        f"| articles | {count} |",
        f"| filters | {chosen} |",
        f"| archive span | {stats.get('first_issue') or '—'} … {stats.get('last_issue') or '—'} |",
        f"| archive totals | {stats.get('issues', 0)} issues, {stats.get('pages', 0)} pages, "
        f"{stats.get('articles', 0)} articles |",
        f"| last crawl | {stats.get('last_crawl') or '—'} |",
        f"| incomplete issues | {stats.get('incomplete_issues', 0)} (see `sxworker stats`) |",
        f"| exported | {created} |",
        f"| sha256 | `{sha256}` |",
        "",
        "One record per article, its newest version, ordered by issue_date, page_no, article_id.",
        "Missing values are null, never empty strings.",
        "",
        "## Fields",
        "",
        "| field | meaning |",
        "|---|---|",
        *[f"| `{name}` | {meaning} |" for name, meaning in documented.items()],
        "",
        *(_files_section(files) if files is not None else []),
        "## How to cite",
        "",
        f"陕西工人报 [Shaanxi Workers' Daily], e-paper archive, {source_url}, articles "
        f"{stats.get('first_issue') or ''}–{stats.get('last_issue') or ''}, collected with sxworker "
        f"(last crawl {stats.get('last_crawl') or 'unknown'}); export {file_name}, sha256 {sha256[:16]}….",
        "",
        "Cite individual articles by their `url` and `issue_date`. The texts are the newspaper's;",
        "check its terms before republishing them.",
        "",
    ]
    return "\n".join(lines)


def _files_section(files: CopiedFiles) -> list[str]:
    kinds = {
        kind: sum(1 for entry in files.copied if entry["kind"] == kind) for kind in ("scan", "image", "pdf")
    }
    lines = [
        "## Files",
        "",
        f"`{files.folder.name}/` holds the page scans, pictures and PDFs archived for these articles "
        f"({kinds['scan']} scans, {kinds['image']} pictures, {kinds['pdf']} PDFs; "
        f"{len(files.copied)} files, {files.total_bytes:,} bytes), at the paths the `files` field "
        "names. `SHA256SUMS` there lists them all (`sha256sum -c SHA256SUMS`).",
        "",
    ]
    if files.missing:
        lines += [
            f"{len(files.missing)} files the archive records were not found on disk and are not included.",
            "",
        ]
    if files.copied:
        lines += ["| path | kind | bytes | sha256 |", "|---|---|---|---|"]
        lines += [
            f"| `{entry['path']}` | {entry['kind']} | {entry['bytes']} | `{entry['sha256']}` |"
            for entry in files.copied[:FILES_LISTED]
        ]
        if len(files.copied) > FILES_LISTED:
            lines.append(f"| … {len(files.copied) - FILES_LISTED} more in SHA256SUMS | | | |")
        lines.append("")
    return lines
