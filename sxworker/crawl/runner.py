"""Run the spider in this process with the project's settings plus overrides."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


def run_crawl(
    overrides: dict[str, Any], *, start: str | None = None, end: str | None = None
) -> dict[str, Any]:
    """Crawl (blocking) and return the crawl's stats. Twisted allows one per process."""
    # The package's own settings, not whatever scrapy.cfg the working directory has.
    settings = Settings()
    settings.setmodule("sxworker.crawl.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("sxworker")
    spider_args = {name: value for name, value in (("start", start), ("end", end)) if value}
    process.crawl(crawler, **spider_args)
    process.start()
    return dict(crawler.stats.get_stats())
