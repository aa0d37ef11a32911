"""The data card written beside an export: what the file holds and how to cite it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sxworker import __version__
from sxworker.site.items import CITATION_FIELDS, EVIDENCE_FIELDS, EXPORT_FIELDS, FIELDS

if TYPE_CHECKING:
    from sxworker.archive.export import CopiedFiles

_JSON_TEXT = "In CSV and Parquet, list and object values are JSON text."
# A card stays readable: longer file lists are in the folder's SHA256SUMS.
FILES_LISTED = 500

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
    with_citation: bool = False,
) -> str:
    """The data card as Markdown; with ``files``, a section listing the files beside it;
    ``with_evidence``, ``with_citation``: the export has the EVIDENCE_FIELDS, CITATION_FIELDS too."""
    documented = (*EXPORT_FIELDS, *EVIDENCE_FIELDS) if with_evidence else EXPORT_FIELDS
    documented += CITATION_FIELDS if with_citation else ()
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
        *[f"| `{name}` | {FIELDS[name]} |" for name in documented],
        "",
        *([] if file_format == "jsonl" else [_JSON_TEXT, ""]),
        *(_files_section(files) if files is not None else []),
        "## How to cite",
        "",
        f"陕西工人报 [Shaanxi Workers' Daily], e-paper archive, {source_url}, articles "
        f"{stats.get('first_issue') or ''}–{stats.get('last_issue') or ''}, collected with sxworker "
        f"(last crawl {stats.get('last_crawl') or 'unknown'}); export {file_name}, sha256 {sha256[:16]}….",
        "",
        "Cite individual articles by their `url` and `issue_date`: `sxworker cite ID --date DATE`",
        "prints GB/T 7714-2015, APA 7 or BibTeX, and `export --with-citation` adds a `citation`",
        "column. The texts are the newspaper's; check its terms before republishing them.",
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
