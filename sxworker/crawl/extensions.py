"""Scrapy extensions of the project."""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler

from sxworker import config


class GcTuning:
    """Fewer cyclic garbage collections during a crawl.

    Parsing allocates many short-lived objects (lxml trees, lines), which trigger the
    cyclic collector often; each run scans every long-lived object Scrapy holds. Freezing
    what exists at spider open and raising the first threshold cut the crawl's CPU per page
    by about a tenth (benchmarks/bench_crawl.py). Reference counting still frees almost
    everything at once; only cycles wait a little longer. ``SXWORKER_GC_THRESHOLD = 0``
    leaves Python's defaults alone.
    """

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.saved: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcTuning:
        extension = cls(config.read(crawler.settings, "SXWORKER_GC_THRESHOLD"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        if self.threshold <= 0:
            return
        self.saved = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(self.threshold, 20, 100)

    def spider_closed(self) -> None:
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            gc.unfreeze()
            self.saved = None
