"""Scrapy settings: polite defaults for a small regional server.

Layering: these defaults < an environment variable of the same name (for the SXWORKER_*
settings and FILES_STORE) < ``scrapy crawl -s NAME=VALUE``.
"""

import os

BOT_NAME = "sxworker"
SPIDER_MODULES = ["sxworker.crawl.spiders"]
NEWSPIDER_MODULE = "sxworker.crawl.spiders"

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
# Fetch every article again, also those stored outside the re-check window (e.g. after a
# parser fix, when no WARC capture exists to reparse).
SXWORKER_REFETCH = os.environ.get("SXWORKER_REFETCH", "False")
# A run first retries up to this many failures recorded by earlier runs, each until it
# has failed this many times (then it stays in `sxworker gaps` for a person to look at).
SXWORKER_RETRY_FAILURES = int(os.environ.get("SXWORKER_RETRY_FAILURES", "200"))
SXWORKER_FAILURE_MAX_ATTEMPTS = int(os.environ.get("SXWORKER_FAILURE_MAX_ATTEMPTS", "5"))
# Layout-change alarm: over the last WINDOW articles (once there are MIN_ARTICLES), a watched
# field (title, body, date, page) filled in fewer than RATIO × the share the archive's
# articles of the same years have stops the run (sxworker/crawl/layout.py).
SXWORKER_ALARM_MIN_ARTICLES = int(os.environ.get("SXWORKER_ALARM_MIN_ARTICLES", "30"))
SXWORKER_ALARM_RATIO = float(os.environ.get("SXWORKER_ALARM_RATIO", "0.5"))
SXWORKER_ALARM_WINDOW = int(os.environ.get("SXWORKER_ALARM_WINDOW", "200"))
# One crawl per archive: default <archive>.lock beside an SQLite file; for PostgreSQL an
# advisory lock in its database (sxworker/crawl/runlock.py).
SXWORKER_LOCK_FILE = os.environ.get("SXWORKER_LOCK_FILE", "")
SXWORKER_CONTACT_URL = os.environ.get("SXWORKER_CONTACT_URL", "https://github.com/sxworker/sxworker")
FILES_STORE = os.environ.get("FILES_STORE", "data/files")
_OFF = ("0", "false", "no", "off")
# Which files the crawl keeps in FILES_STORE (sxworker/crawl/filestore.py): page scans, article
# pictures, page PDFs. 0/false/no/off in the environment, or -s NAME=False, turns one off.
SXWORKER_FILES_SCANS = os.environ.get("SXWORKER_FILES_SCANS", "1").lower() not in _OFF
SXWORKER_FILES_IMAGES = os.environ.get("SXWORKER_FILES_IMAGES", "1").lower() not in _OFF
SXWORKER_FILES_PDFS = os.environ.get("SXWORKER_FILES_PDFS", "1").lower() not in _OFF
SXWORKER_WARC_DIR = os.environ.get("SXWORKER_WARC_DIR") or None
# A WARC file is finished and a new one begun once it grows past this many bytes.
SXWORKER_WARC_MAX_BYTES = int(os.environ.get("SXWORKER_WARC_MAX_BYTES", str(1 << 30)))

# An HTTP header is ASCII: the paper's English name, not 陕西工人报.
USER_AGENT = f"sxworker/0.1 (research archive of the Shaanxi Workers' Daily; +{SXWORKER_CONTACT_URL})"
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
# Wait before retry n: BASE × 2^(n-1) seconds, ± JITTER (a fraction), at most MAX.
SXWORKER_RETRY_BACKOFF_BASE = float(os.environ.get("SXWORKER_RETRY_BACKOFF_BASE", "2"))
SXWORKER_RETRY_BACKOFF_MAX = float(os.environ.get("SXWORKER_RETRY_BACKOFF_MAX", "300"))
SXWORKER_RETRY_BACKOFF_JITTER = float(os.environ.get("SXWORKER_RETRY_BACKOFF_JITTER", "0.25"))
# A Retry-After is waited for as given, up to this; a longer one gives the request up for
# this run (it is logged and recorded as failed, and the next run tries it again).
SXWORKER_RETRY_AFTER_MAX = float(os.environ.get("SXWORKER_RETRY_AFTER_MAX", "600"))

# Scrapy starts CONCURRENT_ITEMS asyncio workers for every callback's output; our callbacks
# yield a handful of items to synchronous pipelines, so 100 workers per response (the
# default) only cost time — half the crawl's CPU in benchmarks/bench_crawl.py.
CONCURRENT_ITEMS = 8

# WarcCapture does nothing (NotConfigured) unless SXWORKER_WARC_DIR is set.
EXTENSIONS = {
    "sxworker.crawl.extensions.GcTuning": 0,
    "sxworker.crawl.runlog.RunLog": 50,
    "sxworker.crawl.warc.WarcCapture": 100,
}
SXWORKER_GC_THRESHOLD = int(os.environ.get("SXWORKER_GC_THRESHOLD", "50000"))

ITEM_PIPELINES = {
    "sxworker.crawl.layout.LayoutWatchPipeline": 50,
    "sxworker.crawl.pipelines.ValidatePipeline": 100,
    "sxworker.crawl.pipelines.DedupePipeline": 200,
    "sxworker.crawl.pipelines.StorePipeline": 300,
    # After the store: an article's text is kept whatever becomes of its files.
    "sxworker.crawl.filestore.ArchiveFilesPipeline": 400,
}

# JOBDIR (pause and resume a long backfill) that also survives kill -9: sxworker/crawl/jobdir.py.
SCHEDULER = "sxworker.crawl.jobdir.ResumableScheduler"

COOKIES_ENABLED = False
# An unattended crawl opens no console: Scrapy's telnet console and (2.19+) its remote
# control HTTP server both run Python code sent to them.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
HTTPCACHE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("SXWORKER_LOG_LEVEL", "INFO")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
COMMANDS_MODULE = "sxworker.crawl.commands"
