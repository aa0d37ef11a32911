"""``scrapy crawl`` for sxworker: arguments checked first, one crawl per archive at a time,
and an exit status cron can act on.

Exit status: 0 the run finished (failures, if any, are in the archive's ledger and are
retried first next time); 1 it ended abnormally (layout-change alarm, interrupted, an
error); 2 bad arguments; 75 another crawl of the same archive is running.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from twisted.internet.defer import Deferred

from sxworker import config
from sxworker.archive import ArchiveError, shown
from sxworker.crawl import stats as stat
from sxworker.crawl.runlock import EXIT_LOCKED, LockedError
from sxworker.crawl.runlog import GOOD_OUTCOMES
from sxworker.crawl.spiders.sxworker import unknown_arguments
from sxworker.site.dates import DateArgumentError, DateRange


def _fail(message: str, status: int) -> None:
    sys.stderr.write(f"sxworker: error: {message}\n")
    raise SystemExit(status)


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: Any) -> None:
        super().process_options(args, opts)
        # Checked here, before Scrapy builds the crawler and logs its banner, so that the
        # error is the only thing printed.
        if args and args[0] == "sxworker":
            spargs = opts.spargs or {}
            complaint = unknown_arguments(spargs)
            if complaint:
                _fail(complaint, 2)
            try:
                DateRange.from_args(spargs.get("start"), spargs.get("end"), today=date.today())
            except DateArgumentError as exc:
                _fail(str(exc), 2)
        try:
            config.check(self.settings)
        except config.SettingError as exc:
            _fail(str(exc), 2)

    def run(self, args: list[str], opts: Any) -> None:
        if len(args) != 1 or args[0] != "sxworker":
            super().run(args, opts)
            return
        assert self.settings is not None and self.crawler_process is not None
        target = config.read(self.settings, "SXWORKER_DB")
        crawler = self.crawler_process.create_crawler(args[0])
        # The crawl session takes the lock and opens (creates, migrates) the archive when the
        # crawler starts; what keeps it from starting is one line here, not a traceback.
        kept_from_starting: list[BaseException] = []
        started = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(started, Deferred):
            started.addErrback(lambda failure: kept_from_starting.append(failure.value))
        else:  # an asyncio task (AsyncCrawlerProcess)
            started.add_done_callback(
                lambda task: (
                    task.cancelled()
                    or task.exception() is None
                    or kept_from_starting.append(task.exception())
                )
            )
        self.crawler_process.start()
        for exc in kept_from_starting:
            if isinstance(exc, LockedError):
                _fail(str(exc), EXIT_LOCKED)
            if isinstance(exc, ArchiveError):
                _fail(f"cannot use archive {shown(target)}: {str(exc).splitlines()[0]}", 1)
            if isinstance(exc, OSError):
                # A files store or a WARC folder that cannot be made, say: not the archive's fault.
                _fail(f"cannot start the crawl: {exc}", 1)
            raise exc
        outcome = crawler.stats.get_value(stat.OUTCOME)
        if self.crawler_process.bootstrap_failed or outcome not in GOOD_OUTCOMES:
            self.exitcode = 1
