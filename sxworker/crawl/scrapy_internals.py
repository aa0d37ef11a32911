"""The one place that touches Scrapy internals, for what Scrapy offers no public way to do.

Everything else in sxworker uses Scrapy's public API (``get_retry_request``,
``MEDIA_ALLOW_REDIRECTS``, the files store's ``persist_file``, ``create_crawler``…);
tests/crawl/test_scrapy_internals.py fails when a private Scrapy name is used outside this
module. Each function below names the behaviour it relies on and why no public way exists;
the same test file pins that behaviour against the installed Scrapy, so an upgrade that
changes it fails a test, not a crawl at night. Each degrades rather than breaks: when the
internal is gone, the function reports that it could not help and the caller goes on.
"""

from __future__ import annotations

from typing import Any

try:  # Scrapy ≥ 2.14; either reactor
    from scrapy.utils.asyncio import call_later
except ImportError:  # pragma: no cover - older Scrapy: no host hold, the request still waits
    call_later = None


def can_hold_slot(downloader: Any, slot: Any) -> bool:
    """Whether :func:`hold_slot` can hold ``slot`` with this Scrapy."""
    return (
        call_later is not None
        and callable(getattr(downloader, "_latercall", None))
        and slot is not None
        and hasattr(slot, "latercall")
    )


def hold_slot(downloader: Any, slot: Any, seconds: float) -> bool:
    """Keep a downloader slot (one host) from starting any request for ``seconds``.

    Relies on ``scrapy.core.downloader``: ``Slot.latercall`` is the slot's "waiting"
    state, the one DOWNLOAD_DELAY uses. While it is set, ``Downloader._process_queue``
    starts nothing from that slot; ``Downloader._latercall(slot)`` clears it and resumes
    the queue, re-checking DOWNLOAD_DELAY; ``Slot.close`` cancels it at shutdown. So
    setting it to our own timer pauses every request to the host (a retry keeps its
    slot), with no task of ours to cancel. A DOWNLOAD_DELAY wait already set is safe to
    replace: ``_latercall`` re-checks the delay when our hold ends.

    No public way: Scrapy has no API to pause one slot. ``slot.delay`` is shortened by
    DOWNLOAD_DELAY_JITTER and rewritten by AutoThrottle; pausing the engine stops every
    host; sleeping in a middleware holds one request only. Returns False, holding
    nothing, when this Scrapy lacks these names.
    """
    if not can_hold_slot(downloader, slot):
        return False
    if slot.latercall is not None:
        slot.latercall.cancel()
    slot.latercall = call_later(seconds, downloader._latercall, slot)
    return True


def forget_media_results(info: Any) -> None:
    """Drop the results a media pipeline keeps of every file it has handled.

    Relies on ``MediaPipeline``: each download's result is cached in
    ``info.downloaded`` (``SpiderInfo``, by request fingerprint) for the whole crawl, to
    answer a repeated request from memory, and nothing else holds on to it. Our files
    pipeline never repeats a request (it asks for each URL once per crawl), so the cache
    only grows — by decades of scans. Clearing it is safe once an item's files are done.

    No public way: Scrapy has no setting or hook to bound or turn off that cache.
    """
    downloaded = getattr(info, "downloaded", None)
    if isinstance(downloaded, dict):
        downloaded.clear()
