"""The invariance matrix of the article parser (issue 10, item 5).

    python benchmarks/bench_invariance.py [--json] [--no-link-text] [--no-grid]

Every article page of the three replicas (desktop and mobile), rewritten by every
transformation of ``sxworker.replica.invariance`` — changes a reader cannot see — and parsed;
a pair (transformation, page) is invariant when every public field equals the parse of the
original page. Prints the share invariant per transformation and overall, the matrix per
template and per page, and every failing pair with the fields that differ. ``--json`` prints
the same as one JSON document. ``--no-link-text`` parses without the linking page's text for
the article (a crawl always has it; without it the title must come from the page alone).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sxworker.replica import build_site  # noqa: E402
from sxworker.replica.invariance import TRANSFORMATIONS  # noqa: E402
from sxworker.replica.invariance_check import Matrix, Sample, describe, run, site_samples  # noqa: E402
from sxworker.site.parsers.article import PageContext, parse_article  # noqa: E402
from tests.sites.altsite import build_alt_site  # noqa: E402
from tests.sites.thirdsite import build_third_site  # noqa: E402

SITE = "http://szb.sxworker.com"
SITES = {"replica": build_site, "altsite": build_alt_site, "thirdsite": build_third_site}
MARKS = {"invariant": "·", "differs": "X", "error": "E", "n/a": "-"}


def parse(sample: Sample, body: bytes, content_type: str, context: dict[str, Any]) -> dict[str, Any]:
    article = parse_article(
        body, sample.url, base_url=sample.base_url, content_type=content_type, context=PageContext(**context)
    )
    return article.public_fields()


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return done.stdout.strip()


def machine() -> dict[str, str]:
    dirty = _git("status", "--porcelain", "--", "sxworker/parsers")
    try:
        uname = subprocess.run(["uname", "-a"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        uname = " ".join(platform.uname())
    return {
        "uname": uname,
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        # the matrix measures the parser as it is in the working tree
        "parsers_uncommitted": str(len(dirty.splitlines())) if dirty else "0",
    }


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def as_json(matrix: Matrix, seconds: float, link_text: bool) -> dict[str, Any]:
    return {
        "machine": machine(),
        "seconds": round(seconds, 2),
        "link_text": link_text,
        "samples": [{"key": s.key, "source": s.source, "era": s.era, "url": s.url} for s in matrix.samples],
        "baseline": {
            "matching": sum(p.status == "invariant" for p in matrix.baseline),
            "pages": len(matrix.baseline),
            "failures": [_pair_json(p) for p in matrix.baseline if p.status != "invariant"],
        },
        "transformations": [
            {
                "name": t.name,
                "description": t.description,
                "invariant": matrix.share(t.name)[0],
                "pages": matrix.share(t.name)[1],
            }
            for t in TRANSFORMATIONS
        ],
        "overall": {"invariant": matrix.share()[0], "pairs": matrix.share()[1]},
        "pairs": [_pair_json(p) for p in matrix.pairs if p.status != "n/a"],
    }


def _pair_json(pair) -> dict[str, Any]:
    return {
        "transformation": pair.transformation,
        "sample": pair.sample,
        "status": pair.status,
        "error": pair.error,
        "differences": {
            name: {"got": got, "expected": want} for name, (got, want) in pair.differences.items()
        },
    }


def report(matrix: Matrix, seconds: float, link_text: bool, grid: bool) -> str:
    info = machine()
    sources = Counter(s.source for s in matrix.samples)
    out = [
        f"machine: {info['uname']}",
        f"python {info['python']}, {info['date']}, commit {info['commit']}"
        f" + {info['parsers_uncommitted']} uncommitted files under sxworker/parsers",
        f"{len(matrix.samples)} article pages ("
        + ", ".join(f"{name} {count}" for name, count in sources.items())
        + f"), {len(TRANSFORMATIONS)} transformations, {seconds:.1f} s"
        + ("" if link_text else ", parsed WITHOUT the linking page's text"),
        "",
    ]
    matching = sum(p.status == "invariant" for p in matrix.baseline)
    out.append(f"original pages parsed to their ground truth: {matching}/{len(matrix.baseline)}")
    out += [describe(p) for p in matrix.baseline if p.status != "invariant"]
    out += [
        "",
        "| # | transformation | what it changes | pages | invariant | share |",
        "|---|---|---|---|---|---|",
    ]
    for number, t in enumerate(TRANSFORMATIONS, start=1):
        invariant, pages = matrix.share(t.name)
        share = _percent(invariant, pages)
        out.append(f"| {number} | {t.name} | {t.description} | {pages} | {invariant} | {share} |")
    invariant, pages = matrix.share()
    out += [f"| | **overall** | | {pages} | {invariant} | **{_percent(invariant, pages)}** |", ""]
    out += _per_template(matrix)
    if grid:
        out += [
            "",
            "Per page (columns: the transformations by number; · invariant, X differs, E error, - n/a):",
            "```",
        ]
        rows: dict[str, list[str]] = defaultdict(list)
        for pair in matrix.pairs:
            rows[pair.sample].append(MARKS[pair.status])
        width = max(len(key) for key in rows)
        header = "".join(str(n % 10) for n in range(1, len(TRANSFORMATIONS) + 1))
        out.append(" " * width + "  " + header)
        out += [f"{key:<{width}}  {''.join(marks)}" for key, marks in rows.items()]
        out.append("```")
    failures = matrix.failures()
    out += ["", f"Failing pairs ({len(failures)}), one line per differing field:", "```"]
    out += [describe(pair) for pair in failures] or ["(none)"]
    out.append("```")
    return "\n".join(out)


def _per_template(matrix: Matrix) -> list[str]:
    """Invariant/pages per (site, template) and transformation: the matrix, a row per template."""
    era_of = {s.key: f"{s.source} {s.era}" for s in matrix.samples}
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for pair in matrix.applicable():
        cell = cells[(era_of[pair.sample], pair.transformation)]
        cell[0] += pair.status == "invariant"
        cell[1] += 1
    numbers = " | ".join(str(n) for n in range(1, len(TRANSFORMATIONS) + 1))
    out = [
        "Per template (site, issue year or m = mobile): invariant/pages, · = all invariant, - = n/a",
        "",
        f"| template | {numbers} |",
        "|---" * (len(TRANSFORMATIONS) + 1) + "|",
    ]
    for era in dict.fromkeys(era_of.values()):
        row = []
        for t in TRANSFORMATIONS:
            invariant, pages = cells.get((era, t.name), (0, 0))
            row.append("-" if not pages else "·" if invariant == pages else f"{invariant}/{pages}")
        out.append(f"| {era} | " + " | ".join(row) + " |")
    return out


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--json", action="store_true", help="print one JSON document")
    options.add_argument("--no-link-text", action="store_true", help="parse without the linking page's text")
    options.add_argument("--no-grid", action="store_true", help="leave out the per-page matrix")
    args = options.parse_args()
    samples = [sample for name, build in SITES.items() for sample in site_samples(name, build(SITE))]
    started = time.perf_counter()
    matrix = run(samples, parse, link_text=not args.no_link_text)
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps(as_json(matrix, seconds, not args.no_link_text), ensure_ascii=False, indent=1))
    else:
        print(report(matrix, seconds, not args.no_link_text, grid=not args.no_grid))
    return 0


if __name__ == "__main__":
    sys.exit(main())
