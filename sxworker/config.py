"""Every ``SXWORKER_*`` setting once: its name, default, how its value is parsed, one line of doc.

The crawl's settings module (:mod:`sxworker.crawl.settings`) takes its defaults from here,
each replaced by an environment variable of the same name (``-s NAME=VALUE`` still wins);
every component reads a value through :func:`read`, so a default is written once and a bad
value, from the environment or ``-s``, is the same one-line :class:`SettingError`. The
``sxworker`` command maps its options onto the same names (click ``envvar=``).

This module imports nothing of sxworker, so that every layer may import it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class SettingError(ValueError):
    """A setting's value cannot be read; the message is one line naming the setting."""


class _Source(Protocol):
    def get(self, name: str, default: Any = None) -> Any: ...


_OFF = frozenset({"false", "0", "no", "off", ""})
_ON = frozenset({"true", "1", "yes", "on"})


def parse_bool(value: Any) -> bool:
    """The one off-switch parsing: False/0/no/off/'' (any case) is off, True/1/yes/on is on."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _OFF:
        return False
    if text in _ON:
        return True
    raise ValueError("is not a switch (use True/1/yes/on or False/0/no/off)")


def parse_int(value: Any) -> int:
    if isinstance(value, bool):  # -s NAME=True is a mistake, not 1
        raise ValueError("is not a whole number")
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError("is not a whole number") from None


def parse_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise ValueError("is not a number") from None


def parse_str(value: Any) -> str:
    return str(value)


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[Any], Any]
    doc: str
    # An empty value means "use the default" (a path, a URL); for switches '' is off.
    empty_is_default: bool = True
    # How the README shows a default that is worked out at run time.
    shown: str | None = None

    def value(self, raw: Any) -> Any:
        """``raw`` (a string from the environment or ``-s``, or a typed value) parsed."""
        if raw is None or (self.empty_is_default and raw == ""):
            return self.default
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise SettingError(f"{self.name}={raw!r} {exc}") from None


def _str(name: str, default: str | None, doc: str) -> Setting:
    return Setting(name, default, parse_str, doc)


def _int(name: str, default: int, doc: str) -> Setting:
    return Setting(name, default, parse_int, doc)


def _float(name: str, default: float, doc: str) -> Setting:
    return Setting(name, default, parse_float, doc)


def _bool(name: str, default: bool, doc: str) -> Setting:
    return Setting(name, default, parse_bool, doc, empty_is_default=False)


_TABLE: tuple[Setting, ...] = (
    _str("SXWORKER_BASE_URL", "http://szb.sxworker.com", "site root; point it at a mirror or the replica"),
    _str("SXWORKER_DB", "data/sxworker.sqlite3", "archive file, or an SQLAlchemy URL"),
    _int("SXWORKER_RECHECK_DAYS", 7, "scheduled mode: days before the latest issue to re-visit"),
    # Wrong or missing, the crawl still works: it walks 上一期 links from the front page.
    _str("SXWORKER_ISSUE_URL_TEMPLATE", "", "optional jump to an issue's first page by its date"),
    # Issues are not daily: a weekly paper needs up to 7.
    _int("SXWORKER_JUMP_TRIES", 10, "dates a template jump tries before walking instead"),
    _int("SXWORKER_BATCH_SIZE", 200, "items per archive transaction"),
    _str("SXWORKER_CONTACT_URL", "https://github.com/sxworker/sxworker", "put in the User-Agent"),
    # Scrapy's own setting, given a default and read from the environment like ours.
    _str("FILES_STORE", "data/files", "where page scans, pictures and page PDFs are kept"),
    _bool("SXWORKER_FILES_SCANS", True, "download page scans (版面图)"),
    _bool("SXWORKER_FILES_IMAGES", True, "download the pictures inside articles"),
    _bool("SXWORKER_FILES_PDFS", True, "download page PDFs where a page links one"),
    _str("SXWORKER_WARC_DIR", None, "keep every response in WARC files there"),
    _int("SXWORKER_WARC_MAX_BYTES", 1 << 30, "start a new WARC file once one is past this size"),
    # Where `sxworker replay` (its default --port) or a team's own pywb serves the captures.
    _str("SXWORKER_REPLAY_URL", "http://127.0.0.1:8090/sxworker", "replay links of show and serve go there"),
    # After a parser fix, when no WARC capture exists to reparse.
    _bool("SXWORKER_REFETCH", False, "fetch stored articles again also outside the re-check window"),
    _int("SXWORKER_RETRY_FAILURES", 200, "recorded failures a run retries first"),
    _int("SXWORKER_FAILURE_MAX_ATTEMPTS", 5, "failed tries after which a failure is left for a person"),
    _int("SXWORKER_ALARM_MIN_ARTICLES", 30, "articles a run reads before the layout alarm may fire"),
    _float("SXWORKER_ALARM_RATIO", 0.5, "alarm below this × the archive's usual fill rate"),
    _int("SXWORKER_ALARM_WINDOW", 200, "the layout alarm judges a run's last this many articles"),
    # Empty: <archive>.lock beside an SQLite file, an advisory lock in a PostgreSQL database.
    Setting("SXWORKER_LOCK_FILE", "", parse_str, "the one-crawl-at-a-time lock file", shown="<archive>.lock"),
    _float("SXWORKER_RETRY_BACKOFF_BASE", 2.0, "seconds before the first retry; doubles each retry"),
    _float("SXWORKER_RETRY_BACKOFF_MAX", 300.0, "longest wait between retries"),
    _float("SXWORKER_RETRY_BACKOFF_JITTER", 0.25, "± this fraction of each wait"),
    _float("SXWORKER_RETRY_AFTER_MAX", 600.0, "a longer Retry-After gives the request up for this run"),
    _int("SXWORKER_GC_THRESHOLD", 50000, "first garbage-collector threshold in a crawl; 0: Python's own"),
    _str("SXWORKER_LOG_LEVEL", "INFO", "the crawl's LOG_LEVEL (DEBUG, INFO, WARNING, ERROR)"),
)

SETTINGS: dict[str, Setting] = {setting.name: setting for setting in _TABLE}


def default(name: str) -> Any:
    """The default of setting ``name``."""
    return SETTINGS[name].default


def read(source: _Source | Mapping[str, Any], name: str) -> Any:
    """Setting ``name`` from ``source`` (Scrapy settings, ``os.environ``, a dict), parsed;
    its default when ``source`` does not have it. Raises :class:`SettingError`."""
    return SETTINGS[name].value(source.get(name))


def check(source: _Source | Mapping[str, Any], names: Iterable[str] = SETTINGS) -> None:
    """Raise :class:`SettingError` for the first of ``names`` whose value cannot be read."""
    for name in names:
        read(source, name)


def from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Every setting as the settings module sets it: the environment variable of the same name
    parsed, else the default. A value that does not parse is kept as given, for :func:`check`
    to report as one line where the crawl starts (not as a traceback on import)."""
    values = {}
    for name, setting in SETTINGS.items():
        try:
            values[name] = setting.value(environ.get(name))
        except SettingError:
            values[name] = environ[name]
    return values
