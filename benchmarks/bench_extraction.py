"""Article extraction: field accuracy on real e-paper pages, and parse time before vs after.

    python benchmarks/bench_extraction.py [--others VENV_BIN | --make-others DIR] [--json]
        [--before 717b7bf] [--after REV] [--rounds 10] [--reps 6] [--no-real] [--no-timing]

1. Field accuracy on ``../shared/real-pages`` (third-party pages, read from there, never
   copied into the repository): runs its ``score.py`` as a subprocess (``--sxworker`` = this
   venv's bin/, ``--others`` = a venv with ``trafilatura gne lxml_html_clean``) and reads its
   totals lines, so the scoring is exactly score.py's. ``--make-others DIR`` creates that venv
   (or reuses it when it already imports both). Without ``--others``/``--make-others`` only
   sxworker is scored, and the report says the others were not run. When the folder is absent
   this part is skipped with one line saying so.
2. Parse time per article page of ``sxworker.site.parsers.article.parse_article``: "before" is the
   parser at git revision ``--before`` (checked out into a temporary ``git worktree`` under
   /tmp, removed afterwards), "after" is the working tree as it is now (uncommitted changes
   included; ``--after REV`` checks a revision out instead, for both parts: score.py then runs
   that revision's CLI). Each side runs in its own long-lived subprocess (PYTHONPATH and cwd
   = its tree), and the benchmark drives the two alternately: in every round, page by page,
   one side parses the page ``--reps`` times in a row, then the other (who goes first
   alternates), so a burst of load from elsewhere on a noisy machine lands on both sides
   rather than on one. The pages: every desktop article
   page of the bundled replica (the form a crawl parses) plus ``tests/fixtures/*-article.html``;
   and, as a separate group, the real pages' article panes wrapped in the minimal shell their
   README gives (when present). Every page is parsed once by each side before timing (warm-up;
   a page that raises is timed to the error and counted as failing). A page's figure in a round
   is the median of its ``--reps`` parses; a round's figure is the median over pages (the mean
   is reported beside it). Overall figures are medians over rounds; the ratio is after /
   before, per round and as the median of the per-round ratios (plus the median over pages of
   each page's own ratio).

The human-readable report is Markdown tables; ``--json`` prints one JSON object instead
(``real_pages``: per pass and extractor, fields right / total and per field; ``parse_ms_before``,
``parse_ms_after``, ``parse_ratio`` for the replica pages; ``parse`` with every group and round;
``machine``; ``tree``: HEAD, uncommitted files, and whether sxworker/ changed during the run).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pickle
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REAL_PAGES = ROOT.parent / "shared" / "real-pages"
BEFORE_REV = "717b7bf"
SITE = "http://szb.sxworker.com"
OTHERS_PACKAGES = ["trafilatura", "gne", "lxml_html_clean"]
# The README's shell for a fragment (and score.py's), to parse a pane as the full page would be.
SHELL_HEAD = b'<html><head><meta charset="utf-8"></head><body>\n'
SHELL_TAIL = b"\n</body></html>\n"

# --------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import lxml.etree

        lxml_version = ".".join(str(part) for part in lxml.etree.LXML_VERSION[:3])
    except ImportError:
        lxml_version = None
    return {
        "uname": _uname(),
        "cpu": cpu or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "lxml": lxml_version,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _uname() -> str:
    try:
        return subprocess.run(["uname", "-a"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return " ".join(part for part in platform.uname() if part)


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout


def tree_state() -> dict[str, Any]:
    """HEAD, and the uncommitted files under sxworker/ (the "after" side is the working tree)."""
    try:
        head = _git("rev-parse", "--short", "HEAD").strip()
        dirty = [line[3:] for line in _git("status", "--porcelain", "--", "sxworker").splitlines()]
    except (OSError, subprocess.CalledProcessError):
        return {"head": None, "uncommitted_under_sxworker": []}
    return {"head": head, "uncommitted_under_sxworker": dirty}


def _sources_digest() -> dict[str, str]:
    """A hash of each of the working tree's sxworker/*.py, to notice code changing during a run."""
    digests = {}
    for path in sorted((ROOT / "sxworker").rglob("*.py")):
        with contextlib.suppress(OSError):  # deleted meanwhile
            digests[str(path.relative_to(ROOT))] = hashlib.sha1(path.read_bytes()).hexdigest()
    return digests


# --------------------------------------------------------------------------- others venv


def _imports_others(bindir: Path) -> str | None:
    """None when ``bindir/python`` imports trafilatura and gne, else why not (one line)."""
    python = bindir / "python"
    if not python.exists():
        return f"{python} does not exist"
    probe = subprocess.run(
        [str(python), "-c", "import trafilatura, gne"], capture_output=True, text=True, timeout=120
    )
    if probe.returncode:
        lines = [line for line in probe.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else f"exit status {probe.returncode}"
    return None


def _others_versions(bindir: Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json; "
        "print(json.dumps({p: m.version(p) for p in ('trafilatura', 'gne', 'lxml')}))"
    )
    probe = subprocess.run([str(bindir / "python"), "-c", code], capture_output=True, text=True, timeout=120)
    return json.loads(probe.stdout) if probe.returncode == 0 else {}


def make_others(directory: Path) -> Path:
    """A venv with trafilatura and gne at ``directory`` (reused when it already has them)."""
    bindir = directory / "bin"
    if _imports_others(bindir) is None:
        _say(f"others: reusing {directory}")
        return bindir
    _say(f"others: creating a venv at {directory} with {' '.join(OTHERS_PACKAGES)} …")
    if not (bindir / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(directory)], check=True)
    subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "--quiet", *OTHERS_PACKAGES],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return bindir


# --------------------------------------------------------------------------- accuracy

TOTALS = re.compile(
    r"^(?P<label>.*): (?P<right>\d+)/(?P<total>\d+) fields right on (?P<pages>\d+) pages \((?P<fields>.*)\)$"
)
WRAPPED = "real (fragments wrapped)"


def _totals(match: re.Match[str]) -> dict[str, Any]:
    fields = {}
    for part in match["fields"].split(", "):
        name, score = part.rsplit(" ", 1)
        right, total = score.split("/")
        fields[name] = [int(right), int(total)]
    return {"right": int(match["right"]), "total": int(match["total"]), "fields": fields}


def parse_score_output(text: str) -> dict[str, Any]:
    """score.py's totals lines → {"wrapped"|"as_stored": {extractor: totals}} plus the
    per-page lines of the wrapped pass (what sxworker got wrong, page by page)."""
    passes: dict[str, dict[str, Any]] = {"wrapped": {}, "as_stored": {}}
    pages = None
    for line in text.splitlines():
        match = TOTALS.match(line.strip())
        if not match:
            continue
        pages = int(match["pages"])
        label = match["label"]
        target = "as_stored"
        if label == WRAPPED:
            label, target = "sxworker", "wrapped"
        elif label.startswith(WRAPPED + " "):
            label, target = label[len(WRAPPED) + 1 :], "wrapped"
        elif label == "real":
            label = "sxworker"
        if label == "sxworker, title/author/body only":
            label = "sxworker (title, author, body)"
        passes[target][label] = _totals(match)
    wrapped_lines: list[str] = []
    if "== pass 2" in text:
        in_pass = False
        for line in text.splitlines():
            if line.startswith("== pass 2"):
                in_pass = True
            elif in_pass and TOTALS.match(line.strip()):
                break
            elif in_pass:
                wrapped_lines.append(line)
    return {"pages": pages, **passes, "wrapped_page_lines": wrapped_lines}


def score_real_pages(real_dir: Path, sx_bin: Path, others_bin: Path | None) -> dict[str, Any]:
    """Run score.py (standard library only, so any python3) and read its totals."""
    python = shutil.which("python3") or sys.executable
    command = [python, str(real_dir / "score.py"), "--sxworker", str(sx_bin)]
    if others_bin is not None:
        command += ["--others", str(others_bin)]
    began = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    if result.returncode:
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        raise RuntimeError(f"score.py failed: {lines[-1] if lines else result.returncode}")
    report = parse_score_output(result.stdout)
    report["seconds"] = round(time.perf_counter() - began, 1)
    return report


# --------------------------------------------------------------------------- timing

# Runs in a subprocess whose PYTHONPATH and cwd are one tree: times parse_article on one of
# the pickled pages per line read from stdin ("INDEX REPS"), answering the median in ns.
WORKER = r"""
import gc, json, os, pickle, statistics, sys, time
out = os.fdopen(os.dup(1), "w")
sys.stdout = sys.stderr  # anything the parser prints stays out of the protocol
pages = pickle.load(open(sys.argv[1], "rb"))
try:
    # A tree from before the layers (site/ crawl/ research/) has the parsers at the top.
    if os.path.isdir(os.path.join(os.getcwd(), "sxworker", "site")):
        from sxworker.site.parsers import article
    else:
        from sxworker.parsers import article
except BaseException as exc:
    out.write(json.dumps({"error": f"import failed: {type(exc).__name__}: {exc}"}) + "\n")
    out.flush()
    sys.exit(0)
parse = article.parse_article

def once(page):
    try:
        parse(page[1], page[2], base_url=page[3], content_type=page[4])
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:200]

errors = [once(page) for page in pages]  # warm-up, and what each page does
gc.collect()
gc.freeze()  # what is alive now stays out of later collections: each chunk's gc.collect() is cheap
modules = sorted(
    m.__file__ for name, m in list(sys.modules.items())
    if name.split(".")[0] == "sxworker" and getattr(m, "__file__", None)
)
out.write(json.dumps({"file": article.__file__, "errors": errors, "modules": modules}) + "\n")
out.flush()
clock = time.perf_counter_ns
for line in sys.stdin:
    index, reps = map(int, line.split())
    _name, body, url, base, ctype = pages[index]
    gc.collect()
    times = []
    for _ in range(reps):
        began = clock()
        try:
            parse(body, url, base_url=base, content_type=ctype)
        except Exception:
            pass
        times.append(clock() - began)
    out.write(json.dumps(statistics.median(times)) + "\n")
    out.flush()
"""

Page = tuple[str, bytes, str, str, str | None]  # name, body, url, base_url, content_type


def replica_pages() -> list[Page]:
    """Every desktop article page of the bundled replica (the form a crawl parses)."""
    from sxworker.replica import build_site

    site = build_site(SITE)
    pages = []
    for expected in site.expected_articles:
        path = expected["url"][len(site.base_url) :]
        resource = site.resources[path]
        pages.append((f"replica {path}", resource.body, expected["url"], SITE, resource.content_type))
    return pages


def fixture_pages(replica: list[Page]) -> list[Page]:
    """tests/fixtures/*-article.html, with the URL and content type of the replica page they
    are a copy of (a fixture that matches none gets a content URL of its era's year)."""
    by_body = {page[1]: page for page in replica}
    pages = []
    for path in sorted((ROOT / "tests" / "fixtures").glob("*-article.html")):
        body = path.read_bytes()
        twin = by_body.get(body)
        if twin is not None:
            pages.append((f"fixture {path.name}", body, twin[2], SITE, twin[4]))
        else:
            year = path.name[:4] if path.name[:4].isdigit() else "2016"
            url = f"{SITE}/content/{year}-01/01/900000.html"
            pages.append((f"fixture {path.name}", body, url, SITE, None))
    return pages


def real_article_pages(real_dir: Path) -> list[Page]:
    """The real pages' articles, fragments wrapped as the README says, under the content URL
    score.py gives them (the parser insists on that URL shape)."""
    pages = []
    for idx, meta_path in enumerate(sorted((real_dir / "pages").glob("*.json")), 1):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("kind") != "article":
            continue
        body = meta_path.with_suffix(".html").read_bytes()
        if meta.get("fragment"):
            body = SHELL_HEAD + body + SHELL_TAIL
        y, m, d = (meta.get("date") or "2016-12-05").split("-")
        aid = str(meta.get("article_id") or "")
        if not re.fullmatch(r"\d{6}", aid):
            aid = f"{900000 + idx:06d}"
        url = f"{SITE}/content/{y}-{m}/{d}/{aid}.html"
        pages.append((f"real {meta_path.stem}", body, url, SITE, "text/html; charset=utf-8"))
    return pages


class Worker:
    """One tree's parser in a subprocess, timed a round at a time."""

    def __init__(self, label: str, tree: Path, pages_file: Path, log: Path) -> None:
        self.label = label
        self.log = log
        env = {k: v for k, v in os.environ.items() if not k.startswith("SXWORKER_")}
        env["PYTHONPATH"] = str(tree)
        env["PYTHONHASHSEED"] = "0"
        self.stderr = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-c", WORKER, str(pages_file)],
            cwd=tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        hello = self._read()
        if "error" in hello:
            self.close()
            raise RuntimeError(f"{label}: {hello['error']}")
        if not Path(hello["file"]).resolve().is_relative_to(tree.resolve()):
            self.close()
            raise RuntimeError(f"{label}: imported {hello['file']}, not the parser of {tree}")
        self.errors: list[str | None] = hello["errors"]
        self.modules: list[str] = [
            str(Path(m).resolve().relative_to(tree.resolve())) for m in hello["modules"]
        ]

    def _read(self) -> Any:
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line:
            self.proc.wait(timeout=10)
            self.stderr.flush()
            tail = [t for t in self.log.read_text(errors="replace").splitlines() if t.strip()]
            raise RuntimeError(f"{self.label}: worker died: {tail[-1] if tail else self.proc.returncode}")
        return json.loads(line)

    def time_page(self, index: int, reps: int) -> float:
        """Median ns of ``reps`` parses of page ``index`` in a row."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{index} {reps}\n")
        self.proc.stdin.flush()
        return float(self._read())

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()


def _ms(ns: float) -> float:
    return round(ns / 1e6, 4)


def _group_stats(medians: list[float], idx: list[int]) -> dict[str, float]:
    values = [medians[i] for i in idx]
    return {"median_ms": _ms(statistics.median(values)), "mean_ms": _ms(statistics.fmean(values))}


def _errors(worker: Worker, pages: list[Page], idx: list[int]) -> dict[str, Any]:
    failing = [(pages[i][0], worker.errors[i]) for i in idx if worker.errors[i]]
    return {"pages_failing": len(failing), "examples": [f"{name}: {err}" for name, err in failing[:3]]}


class Checkouts:
    """Revisions checked out into temporary ``git worktree``s under /tmp, removed on exit."""

    def __init__(self) -> None:
        self.temp = Path(tempfile.mkdtemp(prefix="bench-extraction-", dir="/tmp"))
        self.worktrees: list[Path] = []

    def checkout(self, name: str, rev: str) -> tuple[Path, str]:
        """The worktree of ``rev`` and its short commit."""
        worktree = self.temp / name
        _git("worktree", "add", "--detach", "--quiet", str(worktree), rev)
        self.worktrees.append(worktree)
        return worktree, _git("-C", str(worktree), "rev-parse", "--short", "HEAD").strip()

    def sxworker_bin(self, tree: Path) -> Path:
        """A bin/ whose ``sxworker`` command runs the CLI of ``tree`` with this Python."""
        bindir = self.temp / f"bin-{tree.name}"
        bindir.mkdir()
        script = bindir / "sxworker"
        script.write_text(
            "#!/bin/sh\n"
            f"PYTHONPATH='{tree}' exec '{sys.executable}' -P -c "
            "'import sys; "
            + ("from sxworker.research.cli import main" if (tree / "sxworker" / "research").is_dir()
               else "from sxworker.cli import main")
            + "; sys.exit(main())' \"$@\"\n"
        )
        script.chmod(0o755)
        return bindir

    def __enter__(self) -> Checkouts:
        return self

    def __exit__(self, *exc: object) -> None:
        for worktree in self.worktrees:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
                capture_output=True,
            )
        shutil.rmtree(self.temp, ignore_errors=True)


def bench_parse(
    checkouts: Checkouts,
    before_rev: str,
    after: tuple[Path, str],
    rounds: int,
    reps: int,
    real_dir: Path | None,
) -> dict[str, Any]:
    """Both parsers on the same pages, alternately, ``rounds`` times (see the module's text).
    ``after`` is the tree to time and its label."""
    replica = replica_pages()
    pages = replica + fixture_pages(replica)
    groups = {"article_pages": list(range(len(pages)))}
    if real_dir is not None:
        real = real_article_pages(real_dir)
        groups["real_pages"] = list(range(len(pages), len(pages) + len(real)))
        pages += real
    temp = checkouts.temp
    workers: dict[str, Worker] = {}
    try:
        before_tree, before_commit = checkouts.checkout("before", before_rev)
        after_tree, after_commit = after
        pages_file = temp / "pages.pickle"
        pages_file.write_bytes(pickle.dumps(pages))
        workers["before"] = Worker(f"before ({before_commit})", before_tree, pages_file, temp / "before.log")
        workers["after"] = Worker(f"after ({after_commit})", after_tree, pages_file, temp / "after.log")
        per_round = []
        per_page: dict[str, list[list[float]]] = {"before": [[] for _ in pages], "after": [[] for _ in pages]}
        for number in range(rounds):
            # Page by page, the two sides take turns (who goes first alternates), so a burst
            # of load from elsewhere lands on both sides of a page, not on one side's round.
            medians: dict[str, list[float]] = {"before": [], "after": []}
            for index in range(len(pages)):
                order = ("before", "after") if (number + index) % 2 == 0 else ("after", "before")
                for side in order:
                    medians[side].append(workers[side].time_page(index, reps))
                    per_page[side][index].append(medians[side][-1])
            entry: dict[str, Any] = {}
            for group, idx in groups.items():
                before = _group_stats(medians["before"], idx)
                after = _group_stats(medians["after"], idx)
                entry[group] = {
                    "before": before,
                    "after": after,
                    "ratio": round(after["median_ms"] / before["median_ms"], 3),
                    "ratio_of_means": round(after["mean_ms"] / before["mean_ms"], 3),
                }
            per_round.append(entry)
            _say(
                f"round {number + 1}/{rounds}: article pages "
                f"{entry['article_pages']['before']['median_ms']:.3f} → "
                f"{entry['article_pages']['after']['median_ms']:.3f} ms "
                f"(ratio {entry['article_pages']['ratio']})"
            )
        summary: dict[str, Any] = {}
        for group, idx in groups.items():
            rows = [r[group] for r in per_round]
            summary[group] = {
                "pages": len(idx),
                "ms_before": round(statistics.median(r["before"]["median_ms"] for r in rows), 4),
                "ms_after": round(statistics.median(r["after"]["median_ms"] for r in rows), 4),
                "mean_ms_before": round(statistics.median(r["before"]["mean_ms"] for r in rows), 4),
                "mean_ms_after": round(statistics.median(r["after"]["mean_ms"] for r in rows), 4),
                "ratio": round(statistics.median(r["ratio"] for r in rows), 3),
                "ratio_range": [min(r["ratio"] for r in rows), max(r["ratio"] for r in rows)],
                "ratio_of_means": round(statistics.median(r["ratio_of_means"] for r in rows), 3),
                # each page's after/before (its medians over rounds), then the median over pages
                "ratio_per_page_median": round(
                    statistics.median(
                        statistics.median(per_page["after"][i]) / statistics.median(per_page["before"][i])
                        for i in idx
                    ),
                    3,
                ),
                "errors_before": _errors(workers["before"], pages, idx),
                "errors_after": _errors(workers["after"], pages, idx),
            }
        return {
            "before_rev": before_commit,
            "after_rev": after_commit,
            "reps_per_page_per_round": reps,
            "alternation": "page by page within each round; the first side alternates",
            "after_modules": workers["after"].modules,
            "summary": summary,
            "rounds": per_round,
        }
    finally:
        for worker in workers.values():
            worker.close()


# --------------------------------------------------------------------------- report


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _score(totals: dict[str, Any] | None, field: str | None = None) -> str:
    if totals is None:
        return "—"
    if field is None:
        return f"{totals['right']}/{totals['total']}"
    got = totals["fields"].get(field)
    return f"{got[0]}/{got[1]}" if got else "—"


def render(report: dict[str, Any]) -> str:
    """The report as Markdown tables."""
    out = []
    m = report["machine"]
    out.append(f"Machine: {m['uname']}")
    out.append(
        f"CPU: {m['cpu']}, {m['cores']} cores; Python {m['python']}, lxml {m['lxml']}; {m['date']}; "
        f"load average {' '.join(str(x) for x in m['load_average'])}"
    )
    tree = report["tree"]
    dirty = tree["uncommitted_under_sxworker"]
    out.append(
        f"Tree: HEAD {tree['head']}"
        + (f" + {len(dirty)} uncommitted files under sxworker/ (listed by --json)" if dirty else ", clean")
        + f"; measured: {report.get('after', 'working tree')}"
    )
    if tree.get("head_at_end") and tree["head_at_end"] != tree["head"]:
        out.append(f"HEAD moved during the run: {tree['head']} → {tree['head_at_end']}")
    if tree.get("measured_code_changed_during_run"):
        out.append(
            "**Measured code changed during the run ("
            + ", ".join(tree["measured_code_changed_during_run"])
            + "): the two parts may have measured different code; run again**"
        )
    out.append("")
    real = report.get("real_pages")
    if real is None:
        out.append(f"Real pages: {report.get('real_pages_note')}")
    else:
        out.append(
            f"### Field accuracy on ../shared/real-pages ({real['pages']} articles, fragments wrapped; "
            f"score.py, {real['seconds']} s)"
        )
        if report.get("others_note"):
            out.append(report["others_note"])
        if report.get("others_versions"):
            out.append("Others: " + ", ".join(f"{k} {v}" for k, v in report["others_versions"].items()))
        out.append("")
        fields = ["title", "kicker", "subtitle", "author", "body", "images"]
        out.append("| extractor | fields right | " + " | ".join(fields) + " | as stored (unwrapped) |")
        out.append("|---|---|" + "---|" * len(fields) + "---|")
        wrapped, stored = real["wrapped"], real["as_stored"]
        for name in wrapped:
            out.append(
                f"| {name} | {_score(wrapped[name])} | "
                + " | ".join(_score(wrapped[name], f) for f in fields)
                + f" | {_score(stored.get(name))} |"
            )
    out.append("")
    parse = report.get("parse")
    if parse is None:
        out.append(f"Parse time: {report.get('parse_note')}")
        return "\n".join(out)
    out.append(
        f"### Parse time per page, `parse_article`: before = {parse['before_rev']}, "
        f"after = {parse['after_rev']} "
        f"({len(parse['rounds'])} rounds, {parse['reps_per_page_per_round']} parses per page per side "
        "per round, the sides alternating page by page)"
    )
    out.append("")
    out.append(
        "| pages | n | before ms (median / mean) | after ms (median / mean) | after/before "
        "(range over rounds) | per-page ratio | failing before / after |"
    )
    out.append("|---|---|---|---|---|---|---|")
    for group, s in parse["summary"].items():
        label = {
            "article_pages": "replica article pages + fixtures",
            "real_pages": "real pages, wrapped",
        }.get(group, group)
        out.append(
            f"| {label} | {s['pages']} | {s['ms_before']:.3f} / {s['mean_ms_before']:.3f} | "
            f"{s['ms_after']:.3f} / {s['mean_ms_after']:.3f} | **{s['ratio']:.3f}** "
            f"({s['ratio_range'][0]:.3f}–{s['ratio_range'][1]:.3f}) | {s['ratio_per_page_median']:.3f} | "
            f"{s['errors_before']['pages_failing']} / {s['errors_after']['pages_failing']} |"
        )
    out.append("")
    out.append(
        "| round | article pages, median ms before → after | ratio | real pages, before → after | ratio |"
    )
    out.append("|---|---|---|---|---|")
    for number, r in enumerate(parse["rounds"], 1):
        a = r["article_pages"]
        cells = [f"{a['before']['median_ms']:.3f} → {a['after']['median_ms']:.3f}", f"{a['ratio']:.3f}"]
        if "real_pages" in r:
            b = r["real_pages"]
            cells += [f"{b['before']['median_ms']:.3f} → {b['after']['median_ms']:.3f}", f"{b['ratio']:.3f}"]
        else:
            cells += ["—", "—"]
        out.append(f"| {number} | " + " | ".join(cells) + " |")
    for group, s in parse["summary"].items():
        for side in ("before", "after"):
            examples = s[f"errors_{side}"]["examples"]
            if examples:
                out.append(
                    f"\n{group}, {side}: failing pages (timed to the error), e.g. " + "; ".join(examples)
                )
    return "\n".join(out)


def accuracy(report: dict[str, Any], options: argparse.Namespace, real_dir: Path, sx_bin: Path) -> None:
    """Part 1: score.py on the real pages, with trafilatura and gne when a venv has them."""
    others_bin = options.others.resolve() if options.others else None
    if others_bin is not None and not (others_bin / "python").exists() and (others_bin / "bin").is_dir():
        others_bin = others_bin / "bin"  # a venv's root rather than its bin/
    if options.make_others:
        try:
            others_bin = make_others(options.make_others.resolve())
        except (OSError, subprocess.CalledProcessError) as exc:
            others_bin = None
            report["others_note"] = f"trafilatura/gne not run: making their venv failed ({exc})"
            _say(report["others_note"])
    if others_bin is not None and (why := _imports_others(others_bin)) is not None:
        report["others_note"] = f"trafilatura/gne not run: {others_bin} cannot import them ({why})"
        others_bin = None
    elif others_bin is not None:
        report["others_versions"] = _others_versions(others_bin)
    elif "others_note" not in report:
        report["others_note"] = "trafilatura/gne not run (pass --others VENV_BIN or --make-others DIR)"
    _say(f"real pages: score.py on {real_dir} …")
    try:
        report["real_pages"] = score_real_pages(real_dir, sx_bin, others_bin)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        report["real_pages"] = None
        report["real_pages_note"] = str(exc)
        _say(str(exc))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--others", type=Path, help="bin/ of a venv with trafilatura and gne")
    parser.add_argument("--make-others", type=Path, metavar="DIR", help="create (or reuse) that venv at DIR")
    parser.add_argument(
        "--sxworker-bin",
        type=Path,
        default=Path(sys.executable).parent
        if (Path(sys.executable).parent / "sxworker").exists()
        else ROOT / ".venv" / "bin",
        help="bin/ with the sxworker command score.py runs (default: this Python's)",
    )
    parser.add_argument("--before", default=BEFORE_REV, help=f"revision of 'before' (default {BEFORE_REV})")
    parser.add_argument(
        "--after", help="revision of 'after' (default: the working tree, uncommitted changes too)"
    )
    parser.add_argument("--real-pages", type=Path, default=REAL_PAGES, help="default: ../shared/real-pages")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--reps", type=int, default=6, help="parses per page per round")
    parser.add_argument("--no-real", action="store_true", help="skip the accuracy part")
    parser.add_argument("--no-timing", action="store_true", help="skip the parse-time part")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    options = parser.parse_args()

    report: dict[str, Any] = {"machine": machine(), "tree": tree_state()}
    digest = _sources_digest()
    with Checkouts() as checkouts:
        try:
            if options.after:
                after_tree, after_label = checkouts.checkout("after", options.after)
                sx_bin = checkouts.sxworker_bin(after_tree)
            else:
                after_tree, after_label, sx_bin = ROOT, "working tree", options.sxworker_bin.resolve()
        except subprocess.CalledProcessError as exc:
            raise SystemExit(f"--after {options.after}: {exc.stderr.strip()}") from exc
        report["after"] = after_label
        real_dir = options.real_pages.resolve()
        have_real = (real_dir / "score.py").exists() and (real_dir / "pages").is_dir()
        if not have_real:
            report["real_pages"] = None
            report["real_pages_note"] = (
                f"{real_dir} is absent: accuracy on real pages not measured, nor their parse time"
            )
            _say(report["real_pages_note"])
        elif options.no_real:
            report["real_pages"] = None
            report["real_pages_note"] = "not run (--no-real)"
        else:
            accuracy(report, options, real_dir, sx_bin)
        if options.no_timing:
            report["parse"] = None
            report["parse_note"] = "not run (--no-timing)"
        else:
            _say(f"parse time: {options.rounds} rounds, before = {options.before}, after = {after_label} …")
            try:
                report["parse"] = bench_parse(
                    checkouts,
                    options.before,
                    (after_tree, after_label),
                    options.rounds,
                    options.reps,
                    real_dir if have_real else None,
                )
            except (RuntimeError, subprocess.CalledProcessError) as exc:
                detail = getattr(exc, "stderr", None) or ""
                report["parse"] = None
                report["parse_note"] = f"failed: {exc} {detail}".strip()
                _say(report["parse_note"])
    if options.after is None:
        end_state = tree_state()
        report["tree"]["head_at_end"] = end_state["head"]
        # Others edit the tree meanwhile: did anything the measured code runs change?
        now = _sources_digest()
        changed = sorted(name for name in digest.keys() | now.keys() if digest.get(name) != now.get(name))
        parse = report.get("parse") or {}
        relevant = set(parse.get("after_modules") or []) | {"sxworker/research/cli.py"}
        if not parse.get("after_modules"):
            relevant |= {name for name in digest if name.startswith("sxworker/site/parsers/")}
        report["tree"]["changed_during_run"] = changed
        report["tree"]["measured_code_changed_during_run"] = sorted(relevant & set(changed))
        if report["tree"]["measured_code_changed_during_run"]:
            _say(
                "warning: code the parser or `sxworker extract` runs changed during the run ("
                + ", ".join(report["tree"]["measured_code_changed_during_run"])
                + "): the two parts may have measured different code"
            )
    parse = report.get("parse")
    if parse:
        main_group = parse["summary"]["article_pages"]
        report["parse_ms_before"] = main_group["ms_before"]
        report["parse_ms_after"] = main_group["ms_after"]
        report["parse_ratio"] = main_group["ratio"]
        report["rounds"] = len(parse["rounds"])
    if options.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render(report))


if __name__ == "__main__":
    main()
