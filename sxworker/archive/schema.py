"""The archive's tables (SQLAlchemy Core). One issue per date, pages per issue, articles."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 1

metadata = MetaData()

meta = Table(
    "sxworker_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

issues = Table(
    "issues",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("issue_date", String(10), nullable=False, unique=True),
    Column("url", Text),
    Column("issue_number", Integer),
    Column("page_count", Integer),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
)

pages = Table(
    "pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("issue_date", String(10), nullable=False),
    # The page number when the page prints one, else its URL: the same page reached through
    # two URLs (the front page and its own) is still one row.
    Column("page_key", String(512), nullable=False),
    Column("page_no", Integer),
    Column("page_label", String(16)),
    Column("page_name", Text),
    Column("url", Text, nullable=False),
    Column("scan_url", Text),
    Column("pdf_url", Text),
    Column("article_count", Integer),
    # The ids of the articles of this issue the page links (JSON list): what the
    # completeness ledger compares with the articles stored.
    Column("article_ids", Text),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    UniqueConstraint("issue_date", "page_key", name="uq_pages_issue_page"),
    Index("ix_pages_issue_date", "issue_date"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(16), nullable=False),
    Column("url", Text, nullable=False),
    Column("issue_date", String(10), nullable=False),
    Column("page_no", Integer),
    Column("page_label", String(16)),
    Column("page_name", Text),
    Column("page_url", Text),
    Column("page_image_url", Text),
    Column("issue_number", Integer),
    Column("kicker", Text),
    Column("title", Text, nullable=False),
    Column("subtitle", Text),
    Column("author", Text),
    Column("body", Text, nullable=False),
    Column("images", Text, nullable=False, default="[]"),
    Column("source_url", Text),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    # Issue date and id as one number that sorts by date (see search.search_key): the
    # full-text index's rowid, so that "newest matches first" is a walk down that index.
    Column("search_key", BigInteger),
    # How the parser read the page, not what it says (never part of content_hash): the
    # fingerprint of the page's template, and per field the rules that decided it (JSON).
    Column("template", String(32)),
    Column("evidence", Text),
    # Which fields the article has, one bit each (templates.FILLED, revision 0009): kept by
    # the archive from the row as stored, so the templates' fill rates come from an index.
    Column("filled", Integer),
    # Ids are not unique across the site's eras (several databases were merged), so an
    # article is its date and id together — the same thing its canonical URL says.
    UniqueConstraint("issue_date", "article_id", name="uq_articles_date_id"),
    Index("ix_articles_issue_date", "issue_date", "page_no"),
    Index("ix_articles_article_id", "article_id"),
    Index("ix_articles_url", "url"),
    Index("ux_articles_search_key", "search_key", unique=True),
    Index("ix_articles_template", "template"),
    # For the readers at archive scale (revision 0006): trend and export by page name, the
    # last crawl.
    Index("ix_articles_key_page_name", "search_key", "page_name"),
    Index("ix_articles_page_name_date", "page_name", "issue_date"),
    Index("ix_articles_last_seen", "last_seen"),
    # The most common value per template (templates.VARYING_FIELDS), Datasette's author facet.
    Index("ix_articles_author", "author", "template"),
    Index("ix_articles_kicker", "kicker", "template"),
    Index("ix_articles_subtitle", "subtitle", "template"),
    # Counts, spans, fill rates and an example URL per template, from this index alone.
    Index("ix_articles_template_filled", "template", "filled", "issue_date", "url"),
)
# Export's order (records.iter_export), walked instead of sorting every article; it also
# covers what the ledger reads of each article (revision 0006).
Index(
    "ix_articles_export_order",
    articles.c.issue_date,
    articles.c.page_no.is_(None),
    articles.c.page_no,
    articles.c.article_id,
)

article_versions = Table(
    "article_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("issue_date", String(10), nullable=False),
    Column("article_id", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kicker", Text),
    Column("title", Text, nullable=False),
    Column("subtitle", Text),
    Column("author", Text),
    Column("body", Text, nullable=False),
    Column("images", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    UniqueConstraint("issue_date", "article_id", "version", name="uq_versions_article_version"),
)

# What a crawl could not fetch or read. A row stays after the thing is stored (resolved_at
# set), so the ledger also says what once failed and when it came right.
failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    # The URL without scheme and host: the same failure whichever mirror or port it was met on.
    Column("target", Text, nullable=False, unique=True),
    # article | page | scan | image | pdf: what the URL was fetched as, and so how to retry it
    Column("kind", String(16), nullable=False),
    Column("issue_date", String(10)),
    Column("status", Integer),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("first_failed", String(32), nullable=False),
    Column("last_try", String(32), nullable=False),
    Column("resolved_at", String(32)),
    Index("ix_failures_open", "resolved_at", "kind"),
)

# One row per crawl: what it was asked to do, what it did and how it ended.
crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("mode", String(16), nullable=False),
    Column("range_start", String(10)),
    Column("range_end", String(10)),
    Column("args", Text, nullable=False, default="{}"),
    Column("requests", Integer),
    Column("articles_new", Integer),
    Column("articles_changed", Integer),
    Column("articles_unchanged", Integer),
    Column("articles_skipped", Integer),
    Column("failed", Integer),
    Column("invalid", Integer),
    Column("finish_reason", Text),
    # running | ok | failures | layout-alarm | interrupted | killed | error
    Column("outcome", String(16), nullable=False),
    Column("fill_rates", Text),
    Column("message", Text),
    # Where the run's process lives: only there can it be found dead.
    Column("host", String(255)),
    Column("pid", Integer),
)

# Page scans, article pictures and page PDFs, as downloaded into FILES_STORE.
files = Table(
    "files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    # Relative to FILES_STORE; NULL while the file is missing or was rejected.
    Column("path", Text),
    Column("sha256", String(64)),
    Column("bytes", BigInteger),
    Column("content_type", Text),
    # stored | missing | rejected
    Column("status", String(16), nullable=False),
    Column("error", Text),
    Column("issue_date", String(10)),
    Column("page_no", Integer),
    Column("article_id", String(16)),
    Column("fetched_at", String(32), nullable=False),
    Index("ix_files_issue", "issue_date", "page_no"),
    Index("ix_files_path", "path"),
)
