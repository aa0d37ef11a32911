"""Scrapy settings: polite defaults for a small regional server.

Layering: these defaults < an environment variable of the same name (for the SXWORKER_*
settings and FILES_STORE) < ``scrapy crawl -s NAME=VALUE``.
"""

import os

from sxworker import config

BOT_NAME = "sxworker"
SPIDER_MODULES = ["sxworker.crawl.spiders"]
NEWSPIDER_MODULE = "sxworker.crawl.spiders"

# Every SXWORKER_* setting (and FILES_STORE), documented in sxworker/config.py: the environment
# variable of the same name, else the default there. Components read them through config.read,
# so a bad value from the environment or from -s is the same one-line error.
globals().update(config.from_environment())

# An HTTP header is ASCII: the paper's English name, not 陕西工人报.
_CONTACT_URL = config.read(os.environ, "SXWORKER_CONTACT_URL")
USER_AGENT = f"sxworker/0.1 (research archive of the Shaanxi Workers' Daily; +{_CONTACT_URL})"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Scrapy's RetryMiddleware retries at once and ignores Retry-After; ours waits first and
# holds back the whole host meanwhile (sxworker/crawl/middlewares.py).
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "sxworker.crawl.middlewares.BackoffRetryMiddleware": 550,
    # Above RedirectMiddleware (600), so it sees a 3xx before the redirect is followed.
    "sxworker.crawl.redirects.RedirectGuard": 650,
}

# Scrapy starts CONCURRENT_ITEMS asyncio workers for every callback's output; our callbacks
# yield a handful of items to synchronous pipelines, so 100 workers per response (the
# default) only cost time — half the crawl's CPU in benchmarks/bench_crawl.py.
CONCURRENT_ITEMS = 8

# The session (the run lock, the one open archive, the run's row) first: every other
# component reaches it. WarcCapture does nothing (NotConfigured) unless SXWORKER_WARC_DIR is set.
EXTENSIONS = {
    "sxworker.crawl.session.CrawlSession": 0,
    "sxworker.crawl.extensions.GcTuning": 10,
    "sxworker.crawl.warc.WarcCapture": 100,
}

ITEM_PIPELINES = {
    "sxworker.crawl.layout.LayoutWatchPipeline": 50,
    "sxworker.crawl.pipelines.ValidatePipeline": 100,
    "sxworker.crawl.pipelines.DedupePipeline": 200,
    # Before the store, which writes each item's file records before the item (see filestore.py).
    "sxworker.crawl.filestore.ArchiveFilesPipeline": 250,
    "sxworker.crawl.pipelines.StorePipeline": 300,
}
# A scan or picture URL that redirects (http → https, a moved folder) is still the file; one
# that redirects to an error page is caught by the content check (sxworker/crawl/filestore.py).
MEDIA_ALLOW_REDIRECTS = True

# JOBDIR (pause and resume a long backfill) that also survives kill -9: sxworker/crawl/jobdir.py.
SCHEDULER = "sxworker.crawl.jobdir.ResumableScheduler"

COOKIES_ENABLED = False
# An unattended crawl opens no console: Scrapy's telnet console and (2.19+) its remote
# control HTTP server both run Python code sent to them.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
HTTPCACHE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = config.read(os.environ, "SXWORKER_LOG_LEVEL")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
COMMANDS_MODULE = "sxworker.crawl.commands"
