"""Datasette plugin: Chinese full-text search over the archive.

The archive's ``articles_fts`` index holds text with every CJK character as its own token
(see :mod:`sxworker.archive.fulltext`), so a query typed by a person has to be rewritten
before it reaches ``MATCH``. This plugin

* registers the SQL function ``sxworker_fts(q)`` = ``fts_query(q)`` on every connection,
  which the ``search`` canned query of :mod:`sxworker.research.serve` uses, and
* sends Datasette's own table search box on ``articles`` (``?_search=…``, which would pass
  raw Chinese to ``MATCH`` and find nothing) to that canned query instead — only in
  databases whose metadata names the query under ``plugins.sxworker.search_query``.

Registered through the ``datasette`` entry point in pyproject.toml, so a plain
``datasette archive.sqlite3`` has the function too; ``sxworker serve`` registers it itself.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from sxworker.archive.fulltext import fts_query

PLUGIN_NAME = "sxworker"
# A phrase of no tokens: matches nothing, where None would be an FTS5 syntax error.
_NOTHING = '""'


def sxworker_fts(query: object) -> str:
    """The FTS5 MATCH expression for what a user typed (never an FTS syntax error)."""
    if query is None:
        return _NOTHING
    return fts_query(str(query)) or _NOTHING


@hookimpl
def prepare_connection(conn) -> None:
    conn.create_function("sxworker_fts", 1, sxworker_fts, deterministic=True)


def search_redirect(datasette, path: str, query_string: str) -> str | None:
    """Where a table search on ``articles`` should go instead, or None to leave it."""
    parts = path.strip("/").split("/")
    if len(parts) != 2 or parts[1] not in ("articles", "articles.json"):
        return None
    params = parse_qsl(query_string, keep_blank_values=True)
    search = [value for name, value in params if name == "_search"]
    if not search:
        return None
    database = parts[0]
    config = datasette.plugin_config(PLUGIN_NAME, database=database) or {}
    query_name = config.get("search_query")
    if not query_name:
        return None
    rest = [(name, value) for name, value in params if name not in ("_search", "_sort", "_sort_desc")]
    suffix = ".json" if parts[1].endswith(".json") else ""
    target = datasette.urls.path(f"{database}/{query_name}{suffix}")
    return f"{target}?{urlencode([('q', search[0]), *rest])}"


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def redirect_table_search(scope, receive, send):
            if scope.get("type") == "http":
                target = search_redirect(
                    datasette, scope.get("path", ""), scope.get("query_string", b"").decode("latin-1")
                )
                if target is not None:
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 302,
                            "headers": [
                                (b"location", target.encode("utf-8")),
                                (b"content-length", b"0"),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": b""})
                    return
            await app(scope, receive, send)

        return redirect_table_search

    return wrap
