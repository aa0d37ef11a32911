"""Downloader middlewares: retries that back off, and honour Retry-After.

Scrapy's own RetryMiddleware re-schedules a failed request at once and ignores
Retry-After, so a struggling server gets the same request again within milliseconds, and
a 429 ("slow down") is answered by going on as fast as before. ``BackoffRetryMiddleware``
replaces it (same settings: RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS, the
``dont_retry`` and ``max_retry_times`` meta keys) and waits before each retry:

- the server's ``Retry-After`` when the answer has one (delta-seconds or an HTTP-date);
  one longer than ``SXWORKER_RETRY_AFTER_MAX`` is not waited for: the request is given up
  and fails like any other (the spider logs and records it, the next run tries again);
- otherwise ``SXWORKER_RETRY_BACKOFF_BASE × 2^(attempt-1)``, ± ``SXWORKER_RETRY_BACKOFF_JITTER``,
  capped at ``SXWORKER_RETRY_BACKOFF_MAX``.

The wait holds back the whole host (its downloader slot), not only the failed request.
"""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic, time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.utils.response import response_status_message

from sxworker import config
from sxworker.crawl import stats as stat
from sxworker.crawl.scrapy_internals import can_hold_slot, hold_slot

try:  # Scrapy ≥ 2.18; either reactor
    from scrapy.utils.asyncio import sleep
except ImportError:  # pragma: no cover - settings.py selects the asyncio reactor
    from asyncio import sleep

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

# request.meta keys (private): the wait planned when the answer arrived, and the wall-clock
# time before which a retry must not be sent.
_PLANNED = "_sxworker_retry_planned"
_NOT_BEFORE = "_sxworker_retry_not_before"


def parse_retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait; None when absent or unreadable.

    RFC 9110 allows delta-seconds or an HTTP-date. A date in the past means "now" (0).
    """
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" parses naive; HTTP-dates are always GMT
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(
    attempt: int, base: float, cap: float, jitter: float = 0.0, rng: random.Random | None = None
) -> float:
    """Exponential backoff before retry number ``attempt`` (1 for the first retry).

    ``jitter`` spreads the wait by ± that fraction, so that requests failing together do
    not all come back together; the result never exceeds ``cap``.
    """
    exponent = min(max(attempt, 1) - 1, 64)  # 2**64 × base is past any cap; avoid overflow
    delay = min(cap, base * 2**exponent)
    if jitter > 0:
        delay *= 1 + (rng or random).uniform(-jitter, jitter)
    return max(0.0, min(cap, delay))


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits (and makes the host wait) before each retry."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = config.read(settings, "SXWORKER_RETRY_BACKOFF_BASE")
        self.backoff_max = config.read(settings, "SXWORKER_RETRY_BACKOFF_MAX")
        self.backoff_jitter = config.read(settings, "SXWORKER_RETRY_BACKOFF_JITTER")
        self.retry_after_max = config.read(settings, "SXWORKER_RETRY_AFTER_MAX")
        self.rng = random.Random()
        # slot key -> (slot, monotonic time its hold ends): a longer hold is never shortened
        self._holds: dict[str, tuple[Any, float]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        crawler.signals.connect(middleware._response_downloaded, signal=signals.response_downloaded)
        return middleware

    # -- the retry itself ---------------------------------------------------------------

    async def process_request(self, request: Request) -> None:
        # The host hold below already keeps the retry back; this guarantees the wait for
        # the request itself should the hold be unavailable (another slot, other Scrapy).
        not_before = request.meta.get(_NOT_BEFORE)
        if not_before is not None:
            # Wall-clock time, capped: with JOBDIR the request may come back from disk after
            # a reboot, when a monotonic clock has started again from zero.
            remaining = min(not_before - time(), max(self.backoff_max, self.retry_after_max))
            if remaining > 0:
                await sleep(remaining)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        planned = request.meta.pop(_PLANNED, None)
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry_after = parse_retry_after(response.headers.get(b"Retry-After"))
        if retry_after is not None and retry_after > self.retry_after_max:
            self._give_up_on_retry_after(request, response, retry_after)
            return response
        retry = self._retry_request(request, response_status_message(response.status))
        if retry is None:
            return response
        if planned is None:  # the answer did not come through the downloader's signal
            planned = self._plan(request, retry_after)
        wait, not_before = planned
        retry.meta[_NOT_BEFORE] = not_before
        self._log_backoff(request, f"HTTP {response.status}", wait, retry_after is not None)
        return retry

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry_request(request, exception)
        if retry is None:
            return None
        # No signal precedes an exception: the slot may already have sent its next request.
        wait, not_before = self._plan(request, None)
        retry.meta[_NOT_BEFORE] = not_before
        self._log_backoff(request, type(exception).__name__, wait, False)
        return retry

    def _retry_request(self, request: Request, reason: str | Exception) -> Request | None:
        """The retry of ``request`` (None once its retries are spent), with the meta keys
        and settings Scrapy's RetryMiddleware reads: the public helper it uses itself."""
        options = {}
        if hasattr(self, "give_up_log_level"):  # RETRY_GIVE_UP_LOG_LEVEL: Scrapy ≥ 2.17
            options["give_up_log_level"] = request.meta.get("give_up_log_level", self.give_up_log_level)
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            **options,
        )

    # -- holding the host ---------------------------------------------------------------

    def _response_downloaded(self, response: Response, request: Request) -> None:
        """Hold the host as soon as a retryable answer arrives.

        ``response_downloaded`` is sent while the request still occupies its downloader
        slot, before the slot hands out its next request (AutoThrottle adjusts delays here
        for the same reason). Holding later, in process_response, would let one more
        request reach a server that has just asked us to slow down.
        """
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return
        if not self._retries_left(request):
            return
        retry_after = parse_retry_after(response.headers.get(b"Retry-After"))
        if retry_after is not None and retry_after > self.retry_after_max:
            return
        request.meta[_PLANNED] = self._plan(request, retry_after)

    def _plan(self, request: Request, retry_after: float | None) -> tuple[float, float]:
        """The wait before retrying ``request``, starting now; holds its host as long."""
        if retry_after is not None:
            # The server said how long: waited as given, without jitter.
            wait = retry_after
        else:
            attempt = request.meta.get("retry_times", 0) + 1
            wait = backoff_delay(attempt, self.backoff_base, self.backoff_max, self.backoff_jitter, self.rng)
        self._hold_host(request, wait)
        return wait, time() + wait

    def _hold_host(self, request: Request, seconds: float) -> bool:
        """Keep the request's downloader slot from starting any request for ``seconds``.

        The slot's own "waiting" state holds every request to the host, the retry
        included (it keeps the same slot), and the downloader itself ends it at shutdown;
        Scrapy has no public way to do that (see ``scrapy_internals.hold_slot``). Where
        this Scrapy cannot, only the host hold is lost: process_request still waits.
        """
        try:
            downloader = self.crawler.engine.downloader
        except (AttributeError, RuntimeError):  # no crawl running: Scrapy raises on .engine
            return False
        key = request.meta.get("download_slot")
        slot = getattr(downloader, "slots", {}).get(key) if key is not None else None
        if not can_hold_slot(downloader, slot):
            return False
        until = monotonic() + seconds
        held = self._holds.get(key)
        if held is not None and held[0] is slot and held[1] >= until:
            return True
        hold_slot(downloader, slot, seconds)
        self._holds[key] = (slot, until)
        return True

    # -- bookkeeping --------------------------------------------------------------------

    def _retries_left(self, request: Request) -> bool:
        max_retry_times = request.meta.get("max_retry_times", self.max_retry_times)
        return request.meta.get("retry_times", 0) + 1 <= max_retry_times

    def _log_backoff(self, request: Request, reason: str, wait: float, from_retry_after: bool) -> None:
        stats = self.crawler.stats
        stats.inc_value(stat.RETRY_BACKOFF_COUNT)
        # Rounded as it adds up, so the stats dump shows 2.438, not 2.4379999999999997.
        total = stats.get_value(stat.RETRY_BACKOFF_SECONDS, 0) + wait
        stats.set_value(stat.RETRY_BACKOFF_SECONDS, round(total, 3))
        if from_retry_after:
            stats.inc_value(stat.RETRY_AFTER)
        logger.info(
            "retrying %(url)s after %(reason)s in %(wait).1f s%(source)s (retry %(attempt)d of %(max)d)",
            {
                "url": request.url,
                "reason": reason,
                "wait": wait,
                "source": " (Retry-After)" if from_retry_after else "",
                "attempt": request.meta.get("retry_times", 0) + 1,
                "max": request.meta.get("max_retry_times", self.max_retry_times),
            },
        )

    def _give_up_on_retry_after(self, request: Request, response: Response, retry_after: float) -> None:
        self.crawler.stats.inc_value(stat.RETRY_AFTER_TOO_LONG)
        logger.warning(
            "not retrying %(url)s: HTTP %(status)d asks to wait %(wait).0f s (Retry-After), more than "
            "SXWORKER_RETRY_AFTER_MAX=%(max).0f s; giving up on it for this run",
            {"url": request.url, "status": response.status, "wait": retry_after, "max": self.retry_after_max},
        )
