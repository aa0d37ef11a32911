"""Crawls run from Python in this process — the demo, ``sxworker reparse``, the benchmarks
and the tests — as many as needed, one after another.

Twisted's reactor runs once per process, so the asyncio reactor the settings name is
installed and started the first time a crawl runs here, then left idle: each crawl runs the
reactor's asyncio loop until it is done (Scrapy's AsyncCrawlerRunner on that reactor). The
reactor stops when the process exits. ``scrapy crawl`` does not come here: it is Scrapy's
own command, with our checks and exit statuses (crawl/commands/crawl.py).

:func:`stop_reactor` shuts the reactor down cleanly (pytest does, when its session ends).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import AsyncCrawlerRunner, Crawler
from scrapy.settings import Settings

_loop: asyncio.AbstractEventLoop | None = None


def project_settings(overrides: dict[str, Any]) -> Settings:
    """The package's own settings (not whatever scrapy.cfg the working directory has), with
    ``overrides`` as ``-s`` gives them."""
    settings = Settings()
    settings.setmodule("sxworker.crawl.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    return settings


def reactor_loop() -> asyncio.AbstractEventLoop:
    """The asyncio loop of this process's Twisted reactor, installed and started on first use."""
    global _loop
    if _loop is not None:
        return _loop
    if "twisted.internet.reactor" in sys.modules:
        raise RuntimeError("a Twisted reactor is installed already: crawls here need the asyncio reactor")
    from twisted.internet import asyncioreactor
    from twisted.python import log as twisted_log

    loop = asyncio.new_event_loop()
    asyncioreactor.install(eventloop=loop)
    from twisted.internet import reactor

    # As scrapy crawl does (scrapy.utils.log.configure_logging): Twisted's own log (an
    # unhandled error in a Deferred, say) goes to Python logging.
    twisted_log.PythonLoggingObserver("twisted").start()
    # Its thread pool (DNS lookups) runs daemon threads: Python joins the others before it
    # runs atexit handlers, so a reactor left running would hold the process at exit.
    reactor.getThreadPool().threadFactory = functools.partial(threading.Thread, daemon=True)
    # Started (its startup triggers: the thread pool) and idle at once: the reactor stays
    # "running", and each crawl runs the loop until the crawl is done.
    reactor.callWhenRunning(loop.stop)
    reactor.run(installSignalHandlers=False)
    _loop = loop
    return loop


def stop_reactor() -> None:
    """Stop the reactor started here, if any (its shutdown triggers: the thread pool). No
    crawl can run in this process afterwards."""
    if _loop is None:
        return
    from twisted.internet import reactor

    if reactor.running:
        reactor.stop()
        _loop.run_forever()  # until the shutdown triggers have run and the loop stops


def run_crawl(
    overrides: dict[str, Any] | Settings,
    *,
    start: str | None = None,
    end: str | None = None,
    spider: str | type[Spider] = "sxworker",
    spider_args: dict[str, Any] | None = None,
    on_item: Callable[..., Any] | None = None,
    log_level: str | None = None,
    timeout: float | None = None,
) -> Crawler:
    """Crawl (blocking) and return the finished crawler (``crawler.stats``).

    ``overrides`` go over the project's settings, or are the whole :class:`Settings`;
    ``start``/``end`` and ``spider_args`` are the spider's ``-a`` arguments. ``on_item``
    hears every item that went through the pipelines; ``log_level`` sends the crawl's log
    from that level to stderr. An error that keeps the crawl from starting (the archive
    locked, say) is raised; a crawl still running after ``timeout`` seconds is stopped and
    :class:`TimeoutError` raised."""
    settings = overrides if isinstance(overrides, Settings) else project_settings(overrides)
    arguments = {name: value for name, value in (("start", start), ("end", end)) if value}
    arguments.update(spider_args or {})
    loop = reactor_loop()

    async def crawl() -> Crawler:
        runner = AsyncCrawlerRunner(settings)
        crawler = runner.create_crawler(spider)
        if on_item is not None:
            crawler.signals.connect(on_item, signal=signals.item_scraped, weak=False)
        task = asyncio.ensure_future(runner.crawl(crawler, **arguments))
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            await crawler.stop_async()
            await task
            raise
        return crawler

    with _logging_to_stderr(log_level, settings):
        asyncio.set_event_loop(loop)  # asyncio.run() elsewhere in the process leaves none set
        return loop.run_until_complete(crawl())


@contextmanager
def _logging_to_stderr(level: str | None, settings: Settings) -> Iterator[None]:
    if level is None:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(settings["LOG_FORMAT"], settings["LOG_DATEFORMAT"]))
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, handler.level))
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(saved)
