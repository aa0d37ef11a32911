"""``sxworker replay``: the WARC captures served by pywb on 127.0.0.1, read-only; and the
replay link of an article (``show``, the Datasette article page).

pywb runs in a child process (:mod:`sxworker.research.replay_server`): it monkeypatches
the standard library with gevent, which nothing else of sxworker should live with. This
process checks what a user can get wrong first — pywb missing, no captures, a damaged
finished WARC, the port taken (it binds the socket itself and hands it to the child, so
``--port 0`` gets a free port and names it) — each one line, exit 2. It lays out a pywb
collection in a temporary folder: links to the finished WARC files, and a copy of the
whole records of each ``.open`` one (a crawl may still be writing it), and the CDXJ index
of each, kept between runs for the finished files (:func:`index_cache`); the child builds
the indexes not there yet and serves the collection until Ctrl-C or SIGTERM, when the
folder is removed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from sxworker import config
from sxworker.research.options import UserError, friendly, stopped_by_sigterm

COLLECTION = "sxworker"
DEFAULT_PORT = 8090  # the port of SXWORKER_REPLAY_URL's default
# Past this much to check and index (about 10 s here), replay says it is doing so.
ANNOUNCED_BYTES = 64 << 20
# What the child prints once its index is built and it is listening.
READY = "ready"
# pywb's own defaults, but replaying the page itself (no frame around it): what a link opens
# is the captured page, with pywb's small banner.
CONFIG = f"""\
collections:
  {COLLECTION}:
    index_paths: ./collections/{COLLECTION}/indexes/
    archive_paths: ./collections/{COLLECTION}/archive/
framed_replay: false
enable_memento: true
"""


def replay_link(record: dict[str, Any], base: str | None = None) -> str:
    """Where ``sxworker replay`` (or the pywb at ``SXWORKER_REPLAY_URL``) shows the article
    as captured: its URL at the time the archive last saw its text. pywb answers the capture
    nearest that time, which is the one the stored text came from."""
    base = base or config.read(os.environ, "SXWORKER_REPLAY_URL")
    seen = "".join(ch for ch in str(record.get("last_seen") or "") if ch.isdigit())[:14]
    # Without a time, pywb shows the newest capture.
    return "/".join(part for part in (base.rstrip("/"), seen, record["url"]) if part)


def _bind(host: str, port: int) -> socket.socket:
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except OSError as exc:
        listener.close()
        # As `sxworker serve` says it: "cannot listen on 127.0.0.1:8090: Address already in use".
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    listener.set_inheritable(True)
    return listener


def index_cache(warc_dir: str, fallback: Path) -> Path:
    """Where the CDXJ index of each finished WARC file of ``warc_dir`` is kept between runs
    (``$XDG_CACHE_HOME/sxworker/replay/…``, one folder per WARC folder): a finished file
    never changes, so a replay indexes only the files new since the last one. ``fallback``
    (removed with the run) when there is no cache folder to be had."""
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    key = hashlib.sha256(str(Path(warc_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    cache = Path(home) / "sxworker" / "replay" / key
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback
    return cache


def _index_name(path: Path, cache: Path) -> Path:
    # A finished file is known by its name, size and modification time.
    status = path.stat()
    return cache / f"{path.name}.{status.st_size}.{status.st_mtime_ns}.cdxj"


def to_index(files: list[Path], cache: Path) -> list[Path]:
    """The ``files`` :func:`lay_out` will check and index (not cached, or ``.open``)."""
    return [path for path in files if path.name.endswith(".open") or not _index_name(path, cache).exists()]


def lay_out(files: list[Path], root: Path, cache: Path) -> int:
    """The pywb collection of ``files`` under ``root``: config.yaml, the archive folder with
    a link to each finished file or the whole records of an ``.open`` one, and the indexes
    folder with a link to each file's CDXJ index in ``cache`` (one per name, size and
    modification time; the others are removed). What is not indexed yet is checked whole
    first (a damaged file raises WarcReadError) and listed in ``to-index.json`` for the
    pywb process to index. Returns how many files that is."""
    from sxworker.crawl.warc import read_records
    from sxworker.research.wacz import copy_captures

    archive = root / "collections" / COLLECTION / "archive"
    indexes = archive.parent / "indexes"
    for folder in (archive, indexes, root / "static", root / "templates"):
        folder.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    jobs, kept = [], set()
    for path in files:
        # The name the index records each capture under: the file's own, as finished.
        name = path.name.removesuffix(".open")
        if path.name.endswith(".open"):
            # A crawl may still be writing it: a copy of its whole records, indexed afresh.
            copy_captures([path], archive / name, None, None)
            jobs.append((name, str(root / f"{name}.cdxj")))
            (indexes / f"{name}.cdxj").symlink_to(root / f"{name}.cdxj")
            continue
        (archive / name).symlink_to(path.resolve())
        cached = _index_name(path, cache)
        kept.add(cached.name)
        if not cached.exists():
            for _ in read_records(path, lambda _record: None):
                pass
            jobs.append((name, str(cached)))
        (indexes / f"{name}.cdxj").symlink_to(cached)
    for stale in cache.glob("*.cdxj"):
        if stale.name not in kept:
            stale.unlink(missing_ok=True)
    (root / "to-index.json").write_text(json.dumps(jobs), encoding="utf-8")
    return len(jobs)


def serve_captures(warc_dir: str | None, host: str, port: int, *, verbose: bool = False) -> None:
    """Serve the captures until interrupted (see the module docstring)."""
    # Here, not at the top: `sxworker --help` should not pay for the crawl's WARC reader.
    from sxworker.crawl.warc import WarcReadError
    from sxworker.research.wacz import NEEDS_EXTRA, captures_of

    if importlib.util.find_spec("pywb") is None:
        raise UserError(f"replay {NEEDS_EXTRA}")
    files = captures_of(warc_dir)
    listener = _bind(host, port)
    root = Path(tempfile.mkdtemp(prefix="sxworker-replay-"))
    child = None
    try:
        with stopped_by_sigterm():
            try:
                cache = index_cache(warc_dir or "", root / "index-cache")
                new = to_index(files, cache)
                if sum(path.stat().st_size for path in new) > ANNOUNCED_BYTES:
                    # A first replay of a large archive reads every capture: say what it is doing.
                    click.echo(
                        f"sxworker: checking and indexing {len(new)} of {len(files)} WARC files …", err=True
                    )
                try:
                    lay_out(files, root, cache)
                except WarcReadError as exc:
                    raise UserError(str(exc)) from exc
                child = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "sxworker.research.replay_server",
                        str(root),
                        str(listener.fileno()),
                        "--verbose" if verbose else "--quiet",
                    ],
                    pass_fds=(listener.fileno(),),
                    stdout=subprocess.PIPE,
                    text=True,
                    # Its own process group: Ctrl-C reaches this process, which stops the child.
                    start_new_session=True,
                )
                if child.stdout is None or child.stdout.readline().strip() != READY:
                    raise UserError(f"pywb did not start (exit status {child.wait()}; see above)")
                bound = listener.getsockname()[1]
                shown = f"[{host}]" if ":" in host else host
                served = f"http://{shown}:{bound}/{COLLECTION}"
                click.echo(
                    f"sxworker: replaying {len(files)} WARC files at {served}/ (read-only; Ctrl-C to stop)",
                    err=True,
                )
                linked = config.read(os.environ, "SXWORKER_REPLAY_URL").rstrip("/")
                if linked != served:
                    click.echo(
                        f"sxworker: show and serve link articles to {linked}; for this replay, "
                        f"set SXWORKER_REPLAY_URL={served}",
                        err=True,
                    )
                child.wait()
                raise UserError(f"pywb stopped (exit status {child.returncode})")
            except KeyboardInterrupt:
                click.echo("sxworker: replay stopped", err=True)
    finally:
        listener.close()
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        shutil.rmtree(root, ignore_errors=True)


@click.command()
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0: a free one, named when it starts).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--warc-dir",
    envvar="SXWORKER_WARC_DIR",
    default=None,
    metavar="DIR",
    help="The captures to replay [default: $SXWORKER_WARC_DIR].",
)
@friendly
def replay(port: int, host: str, warc_dir: str | None) -> None:
    """Replay the WARC captures in pywb (read-only), as the crawl received each page.

    An article is at http://HOST:PORT/sxworker/YYYYMMDDhhmmss/URL; `sxworker show` and
    `sxworker serve` link to it (set SXWORKER_REPLAY_URL when replay runs elsewhere). Needs
    the replay extra: pip install 'sxworker[replay]'.
    """
    verbose = bool(click.get_current_context().find_root().params.get("verbose"))
    serve_captures(warc_dir, host, port, verbose=verbose)
