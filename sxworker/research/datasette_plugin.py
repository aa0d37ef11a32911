"""Datasette plugin: Chinese full-text search over the archive.

The archive's ``articles_fts`` index holds text with every CJK character as its own token
(see :mod:`sxworker.archive.fulltext`), so a query typed by a person has to be rewritten
before it reaches ``MATCH``. This plugin

* registers the SQL function ``sxworker_fts(q)`` = ``fts_query(q)`` on every connection,
  which the ``search`` canned query of :mod:`sxworker.research.serve` uses;
* sends Datasette's own table search box on ``articles`` (``?_search=…``, which would pass
  raw Chinese to ``MATCH`` and find nothing) and the page of the index ``articles_fts``
  (whose rows cannot be read: see :mod:`sxworker.research.datasette_archive`) to that
  canned query instead — only in databases whose metadata names the query under
  ``plugins.sxworker.search_query``;
* answers a canned query that searches (``sxworker_fts(:q)``) with 400 and its one-line
  reason when the query is larger than the search allows
  (:func:`~sxworker.archive.fulltext.check_query`), before any SQL runs;
* answers every request that is not a GET or HEAD with 403 when the metadata says
  ``plugins.sxworker.read_only`` (``sxworker serve`` does): Datasette's write API and
  POSTs to tables, which would otherwise fail with a 500;
* gives the article page (the row page of ``articles``) ``sxworker_citations(row)``, the
  citations ``sxworker show`` prints, which ``sxworker serve``'s template shows, and
  ``sxworker_replay_link(row)``, the article as captured in ``sxworker replay``.

Registered through the ``datasette`` entry point in pyproject.toml, so a plain
``datasette archive.sqlite3`` has the function too; ``sxworker serve`` registers it itself.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response

from sxworker.archive import ArchiveError
from sxworker.archive.fulltext import check_query, fts_query
from sxworker.archive.search import FTS_TABLE
from sxworker.research.citation import citations
from sxworker.research.replay import replay_link

PLUGIN_NAME = "sxworker"
# A phrase of no tokens: matches nothing, where None would be an FTS5 syntax error.
_NOTHING = '""'
_READING = ("GET", "HEAD")
# A parameter of a canned query that is searched for: sxworker_fts(:q).
_FTS_PARAMETER = re.compile(r"sxworker_fts\(\s*:(\w+)\s*\)")


def sxworker_fts(query: object) -> str:
    """The FTS5 MATCH expression for what a user typed (never an FTS syntax error); a
    query larger than the search allows raises (SQLite then fails the statement)."""
    if query is None:
        return _NOTHING
    check_query(str(query))
    return fts_query(str(query)) or _NOTHING


@hookimpl
def prepare_connection(conn) -> None:
    conn.create_function("sxworker_fts", 1, sxworker_fts, deterministic=True)


@hookimpl
def extra_template_vars(view_name: str, table: str | None) -> dict[str, object]:
    # A function of the row: the hook is not given it, the template is (as ``rows``).
    if view_name == "row" and table == "articles":
        return {
            "sxworker_citations": lambda row: citations(dict(row)),
            "sxworker_replay_link": lambda row: replay_link(dict(row)),
        }
    return {}


def _search_query(datasette, database: str) -> str | None:
    config = datasette.plugin_config(PLUGIN_NAME, database=database) or {}
    return config.get("search_query")


def search_redirect(datasette, path: str, query_string: str) -> str | None:
    """Where a table search on ``articles``, or any page of the full-text index, should go
    instead: the search query; None to leave the request alone."""
    parts = path.strip("/").split("/")
    if len(parts) < 2:
        return None
    table = parts[1].partition(".")[0]
    params = parse_qsl(query_string, keep_blank_values=True)
    search = [value for name, value in params if name == "_search"]
    if not (table == FTS_TABLE or (table == "articles" and len(parts) == 2 and search)):
        return None
    database = parts[0]
    query_name = _search_query(datasette, database)
    if not query_name:
        return None
    rest = [(name, value) for name, value in params if name not in ("_search", "_sort", "_sort_desc")]
    extension = parts[-1].partition(".")[2]
    suffix = f".{extension}" if extension else ""
    target = datasette.urls.path(f"{database}/{query_name}{suffix}")
    query = urlencode([*(("q", value) for value in search[:1]), *rest])
    return f"{target}?{query}" if query else target


def refused_query(datasette, path: str, query_string: str) -> str | None:
    """Why a request of a canned query that searches (its SQL passes a parameter to
    ``sxworker_fts``) is refused, its query being too large; None to answer it."""
    parts = path.strip("/").split("/")
    if len(parts) != 2:
        return None
    queries = datasette.metadata("queries", database=parts[0], fallback=False) or {}
    canned = queries.get(parts[1].partition(".")[0])
    sql = canned.get("sql", "") if isinstance(canned, dict) else canned or ""
    searched = set(_FTS_PARAMETER.findall(sql))
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name in searched:
            try:
                check_query(value)
            except ArchiveError as exc:
                return str(exc)
    return None


async def _error(datasette, path: str, status: int, message: str, *, as_json: bool) -> Response:
    """An error answered as Datasette answers its own: JSON for the API, else its error page."""
    info = {"ok": False, "error": message, "status": status, "title": None}
    if as_json or path.endswith(".json"):
        return Response.json(info, status=status)
    return Response.html(await datasette.render_template("error.html", info), status=status)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def sxworker_rules(scope, receive, send):
            if scope.get("type") == "http":
                response = await _answer(datasette, scope)
                if response is not None:
                    await response.asgi_send(send)
                    return
            await app(scope, receive, send)

        return sxworker_rules

    return wrap


async def _answer(datasette, scope) -> Response | None:
    """What this plugin answers instead of Datasette, or None to let Datasette answer."""
    path = scope.get("path", "")
    query_string = scope.get("query_string", b"").decode("latin-1")
    if scope.get("method", "GET") not in _READING:
        if (datasette.plugin_config(PLUGIN_NAME) or {}).get("read_only"):
            return await _error(datasette, path, 403, "this archive is served read-only", as_json=True)
        return None
    target = search_redirect(datasette, path, query_string)
    if target is not None:
        return Response.redirect(target)
    refused = refused_query(datasette, path, query_string)
    if refused is not None:
        return await _error(datasette, path, 400, refused, as_json=False)
    return None
