"""Scrapy settings: polite defaults for a small regional server.

Layering: these defaults < an environment variable of the same name (for the SXWORKER_*
settings and FILES_STORE) < ``scrapy crawl -s NAME=VALUE``.
"""

import os

BOT_NAME = "sxworker"
SPIDER_MODULES = ["sxworker.spiders"]
NEWSPIDER_MODULE = "sxworker.spiders"

SXWORKER_BASE_URL = os.environ.get("SXWORKER_BASE_URL", "http://szb.sxworker.com")
SXWORKER_DB = os.environ.get("SXWORKER_DB", "data/sxworker.sqlite3")
SXWORKER_RECHECK_DAYS = int(os.environ.get("SXWORKER_RECHECK_DAYS", "7"))
# Optional shortcut to an issue's first page, e.g. "{base}/html/{date:%Y-%m}/{date:%d}/node_1.htm".
# Wrong or missing, the crawl still works: it walks 上一期 links from the front page.
SXWORKER_ISSUE_URL_TEMPLATE = os.environ.get("SXWORKER_ISSUE_URL_TEMPLATE", "")
# How many earlier dates a template jump tries before falling back to the walk (issues are
# not daily: a weekly paper needs up to 7).
SXWORKER_JUMP_TRIES = int(os.environ.get("SXWORKER_JUMP_TRIES", "10"))
SXWORKER_BATCH_SIZE = int(os.environ.get("SXWORKER_BATCH_SIZE", "200"))
SXWORKER_CONTACT_URL = os.environ.get("SXWORKER_CONTACT_URL", "https://github.com/sxworker/sxworker")
FILES_STORE = os.environ.get("FILES_STORE", "data/files")
SXWORKER_WARC_DIR = os.environ.get("SXWORKER_WARC_DIR") or None

USER_AGENT = f"sxworker/0.1 (research archive of 陕西工人报; +{SXWORKER_CONTACT_URL})".encode(
    "ascii", "ignore"
).decode()
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
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Scrapy starts CONCURRENT_ITEMS asyncio workers for every callback's output; our callbacks
# yield a handful of items to synchronous pipelines, so 100 workers per response (the
# default) only cost time — half the crawl's CPU in benchmarks/bench_crawl.py.
CONCURRENT_ITEMS = 8

EXTENSIONS = {"sxworker.extensions.GcTuning": 0}
SXWORKER_GC_THRESHOLD = int(os.environ.get("SXWORKER_GC_THRESHOLD", "50000"))

ITEM_PIPELINES = {
    "sxworker.pipelines.ValidatePipeline": 100,
    "sxworker.pipelines.DedupePipeline": 200,
    "sxworker.pipelines.StorePipeline": 300,
}

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("SXWORKER_LOG_LEVEL", "INFO")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
COMMANDS_MODULE = "sxworker.commands"
