"""``JOBDIR`` that also survives ``kill -9``.

Scrapy writes a job directory's queue state (``requests.queue/active.json``) only when a
crawl closes cleanly, but appends to ``requests.seen`` as it goes. After a SIGKILL the seen
set names requests that were queued or in flight and never done, and the queue files are
half-written: resuming from them would skip that work or read garbage. This scheduler marks
a job directory as in use while a crawl runs, and a directory left in use is started
afresh — safe, because the archive (not the job directory) knows what is already stored,
and the spider does not fetch stored articles again.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.utils.job import job_dir

logger = logging.getLogger(__name__)

_IN_USE = "sxworker.in-use"


class ResumableScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResumableScheduler:
        directory = job_dir(crawler.settings)
        if directory:
            _start_afresh_if_unclean(Path(directory))
        return super().from_crawler(crawler)

    def open(self, spider: Any) -> Any:
        result = super().open(spider)
        if self.dqdir:
            Path(self.dqdir).parent.joinpath(_IN_USE).touch()
        return result

    def close(self, reason: str) -> Any:
        result = super().close(reason)
        if self.dqdir:
            Path(self.dqdir).parent.joinpath(_IN_USE).unlink(missing_ok=True)
        return result


def _start_afresh_if_unclean(directory: Path) -> None:
    if not directory.joinpath(_IN_USE).exists():
        return
    logger.warning(
        "job directory %s was not closed cleanly (the crawl was killed); starting its queue afresh",
        directory,
    )
    shutil.rmtree(directory / "requests.queue", ignore_errors=True)
    directory.joinpath("requests.seen").unlink(missing_ok=True)
    directory.joinpath(_IN_USE).unlink()
