"""The Scrapy internals sxworker relies on, pinned against the installed Scrapy.

sxworker/crawl/scrapy_internals.py is the one module allowed to use them; each test here
fails when an upgrade changes what that module relies on.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import time
from pathlib import Path

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.test import get_crawler

from sxworker.crawl import scrapy_internals

# -- holding a downloader slot ---------------------------------------------------------


def _downloader() -> Downloader:
    return Downloader(get_crawler(settings_dict={"DOWNLOAD_DELAY": 0}))


def test_a_held_slot_starts_nothing_until_the_downloader_releases_it():
    downloader = _downloader()
    slot = Slot(concurrency=1, delay=0)
    downloader.slots["example.test"] = slot
    queued = ("request", "its deferred")
    slot.queue.append(queued)
    resumed: list[float] = []
    real_process_queue = downloader._process_queue

    async def hold() -> float:
        started = time.monotonic()
        assert scrapy_internals.can_hold_slot(downloader, slot)
        assert scrapy_internals.hold_slot(downloader, slot, 0.3)
        # Pinned: _process_queue starts nothing from a slot whose latercall is set.
        real_process_queue(slot)
        assert list(slot.queue) == [queued]
        # Pinned: when the hold fires, Downloader._latercall clears it and resumes the queue.
        downloader._process_queue = lambda released: resumed.append(time.monotonic())
        await asyncio.sleep(0.5)
        return started

    started = asyncio.run(hold())
    assert slot.latercall is None
    assert len(resumed) == 1 and resumed[0] - started >= 0.29


def test_a_new_hold_replaces_the_wait_already_set_and_slot_close_cancels_it():
    downloader = _downloader()
    slot = Slot(concurrency=1, delay=0)
    fired: list[str] = []
    downloader._process_queue = lambda released: fired.append("released")

    async def hold() -> None:
        assert scrapy_internals.hold_slot(downloader, slot, 0.05)
        first = slot.latercall
        assert scrapy_internals.hold_slot(downloader, slot, 0.3)
        assert slot.latercall is not first
        await asyncio.sleep(0.15)
        assert fired == []  # the first hold was cancelled, not left to fire
        slot.close()  # Pinned: the downloader's shutdown cancels a hold
        assert slot.latercall is None
        await asyncio.sleep(0.3)

    asyncio.run(hold())
    assert fired == []


def test_without_the_internals_nothing_is_held():
    class OtherDownloader:
        def __init__(self) -> None:
            self.slots: dict = {}

    slot = Slot(concurrency=1, delay=0)
    assert not scrapy_internals.can_hold_slot(OtherDownloader(), slot)
    assert not scrapy_internals.hold_slot(OtherDownloader(), slot, 1.0)
    assert not scrapy_internals.can_hold_slot(_downloader(), None)
    assert slot.latercall is None


# -- the media pipeline's cache of results ----------------------------------------------


def test_a_media_pipeline_keeps_every_result_in_info_downloaded_until_forgotten():
    from scrapy import Request, Spider
    from scrapy.pipelines.media import MediaPipeline

    asked: list[str] = []

    class Answering(MediaPipeline):
        def get_media_requests(self, item, info):
            return [Request(item["url"])]

        def media_to_download(self, request, info, *, item=None):
            asked.append(request.url)
            return {"url": request.url, "path": "p", "checksum": None, "status": "uptodate"}

        def media_downloaded(self, response, request, info, *, item=None):  # pragma: no cover
            raise AssertionError("nothing is downloaded")

        def media_failed(self, failure, request, info):  # pragma: no cover
            raise AssertionError("nothing fails")

        def file_path(self, request, response=None, info=None, *, item=None):  # pragma: no cover
            return "p"

        def item_completed(self, results, item, info):
            return item

    crawler = get_crawler()
    crawler.spider = Spider.from_crawler(crawler, "t")
    pipeline = Answering.from_crawler(crawler)
    pipeline.open_spider()
    item = {"url": "http://example.test/a.jpg"}

    async def twice() -> None:
        await pipeline.process_item(item)
        # Pinned: the result stays in info.downloaded, and a repeat is answered from it.
        assert len(pipeline.spiderinfo.downloaded) == 1
        await pipeline.process_item(item)
        assert asked == [item["url"]]
        scrapy_internals.forget_media_results(pipeline.spiderinfo)
        assert pipeline.spiderinfo.downloaded == {}
        await pipeline.process_item(item)
        assert asked == [item["url"]] * 2

    asyncio.run(twice())


# -- no private name of Scrapy (or any library) outside this one module ------------------

PACKAGE = Path(__file__).resolve().parents[2] / "sxworker"
THE_MODULE = PACKAGE / "crawl" / "scrapy_internals.py"
# Names with a leading underscore that their library documents as public.
PUBLIC_BY_DOCUMENTATION = {
    "_mapping": "SQLAlchemy: Row._mapping, the documented mapping view of a row",
    "_Element": "lxml: etree._Element, the documented element type",
}
# Scrapy internals whose names carry no underscore: flagged by name wherever they are read.
INTERNALS_WITHOUT_UNDERSCORE = {
    "latercall": "scrapy.core.downloader.Slot.latercall",
    "downloaded": "MediaPipeline.SpiderInfo.downloaded",
    "downloading": "MediaPipeline.SpiderInfo.downloading",
    "waiting": "MediaPipeline.SpiderInfo.waiting",
}
LIBRARIES = ("scrapy", "twisted", "itemloaders", "parsel", "w3lib", "itemadapter")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}


def _own_names(trees: dict[Path, ast.Module]) -> set[str]:
    """Every name sxworker itself defines: functions, classes, attributes it assigns."""
    names: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.alias) and node.asname:
                names.add(node.asname)
    return names


def test_no_private_name_of_a_library_is_used_outside_scrapy_internals():
    """What this checks, by reading sxworker's source (not by knowing types):

    - ``obj._name`` and ``getattr``/``hasattr``/``setattr`` with ``"_name"``, where sxworker
      itself defines no ``_name`` (so it can only be a library's);
    - ``from lib import _name`` and imports of a private module (``lib._mod``).

    - ``obj.name`` for the few Scrapy internals named without an underscore
      (INTERNALS_WITHOUT_UNDERSCORE).

    A private name of a library that sxworker happens to define too is not caught here;
    overriding one is caught by the next test.
    """
    trees = _trees()
    own = _own_names(trees) | set(PUBLIC_BY_DOCUMENTATION)
    found: list[str] = []
    for path, tree in trees.items():
        if path == THE_MODULE:
            continue
        where = path.relative_to(PACKAGE.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and (
                (_private(node.attr) and node.attr not in own) or node.attr in INTERNALS_WITHOUT_UNDERSCORE
            ):
                found.append(f"{where}:{node.lineno}: .{node.attr}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "hasattr", "setattr", "delattr")
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
                and _private(node.args[1].value)
                and node.args[1].value not in own
            ):
                found.append(f"{where}:{node.lineno}: {node.func.id}(…, {node.args[1].value!r})")
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if any(_private(part) for part in node.module.split(".")):
                    found.append(f"{where}:{node.lineno}: from {node.module}")
                found += [
                    f"{where}:{node.lineno}: from {node.module} import {alias.name}"
                    for alias in node.names
                    if _private(alias.name) and not node.module.startswith("sxworker")
                ]
            elif isinstance(node, ast.Import):
                found += [
                    f"{where}:{node.lineno}: import {alias.name}"
                    for alias in node.names
                    if any(_private(part) for part in alias.name.split("."))
                ]
    assert found == [], "private library names outside sxworker/crawl/scrapy_internals.py"


def _sxworker_classes() -> list[type]:
    classes = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py" or "migrations" in path.parts:  # Alembic's scripts, run by Alembic
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        module = importlib.import_module(name)
        classes += [
            value
            for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__
        ]
    return classes


def test_no_sxworker_class_overrides_a_private_name_of_a_library_class():
    """A subclass of a Scrapy (or Twisted, itemloaders…) class that defines a method or
    attribute of the same private name as its base steers the library's internals.
    (``_abc_impl`` is Python's own, set on every subclass of an ABC.)"""
    found = []
    for cls in _sxworker_classes():
        library_bases = [base for base in cls.__mro__[1:] if base.__module__.split(".")[0] in LIBRARIES]
        for name in vars(cls):
            if _private(name) and name != "_abc_impl" and any(name in vars(base) for base in library_bases):
                found.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert found == []
