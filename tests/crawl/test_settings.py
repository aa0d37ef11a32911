"""Polite defaults a small regional server can live with, each overridable."""

from __future__ import annotations

import json
import subprocess
import sys

from scrapy.settings import Settings

from tests.conftest import ROOT


def _settings() -> Settings:
    settings = Settings()
    settings.setmodule("sxworker.crawl.settings", priority="project")
    return settings


def test_polite_defaults():
    settings = _settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1.0
    assert settings.getint("DOWNLOAD_TIMEOUT") == 30
    assert settings.getint("DOWNLOAD_MAXSIZE") == 16 * 1024 * 1024
    assert {429, 500, 502, 503, 504} <= set(settings.getlist("RETRY_HTTP_CODES"))
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    user_agent = settings.get("USER_AGENT")
    assert user_agent == (
        "sxworker/0.1 (research archive of the Shaanxi Workers' Daily; +https://github.com/sxworker/sxworker)"
    )
    assert not settings.getbool("TELNETCONSOLE_ENABLED") and not settings.getbool("REMOTE_CONTROL_ENABLED")
    assert not settings.getbool("COOKIES_ENABLED")


def test_the_environment_overrides_the_defaults():
    code = (
        "import json; from scrapy.utils.project import get_project_settings; s = get_project_settings();"
        "print(json.dumps([s.getint('SXWORKER_RECHECK_DAYS'), s.get('SXWORKER_DB'), s.get('USER_AGENT')]))"
    )
    env = {"PATH": "/usr/bin:/bin", "SXWORKER_RECHECK_DAYS": "3", "SXWORKER_DB": "/srv/a.sqlite3"}
    env["SXWORKER_CONTACT_URL"] = "mailto:archive@example.org"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    recheck, db, user_agent = json.loads(result.stdout)
    assert (recheck, db) == (3, "/srv/a.sqlite3")
    assert user_agent.endswith("+mailto:archive@example.org)")
