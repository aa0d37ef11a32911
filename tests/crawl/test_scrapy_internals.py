"""The Scrapy internals sxworker relies on, pinned against the installed Scrapy.

sxworker/crawl/scrapy_internals.py is the one module allowed to use them; each test here
fails when an upgrade changes what that module relies on.
"""

from __future__ import annotations

import asyncio
import time

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
