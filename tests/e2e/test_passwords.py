"""A database URL's password is never shown or logged (issue 12, item 6): every message and
log line that names an archive names it through sxworker.archive.engines.shown."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from sxworker.archive import shown
from sxworker.research.cli import main
from tests.conftest import fixture_bytes, postgres_schema, postgres_url_or_skip, run_crawl
from tests.crawl.test_replay import write as write_captures

SECRET = "secretpw"
# Nothing listens on port 1: the connection is refused before any login.
REFUSED = f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/x"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("data/sxworker.sqlite3", "data/sxworker.sqlite3"),
        ("sqlite:////srv/a.sqlite3", "sqlite:////srv/a.sqlite3"),
        ("postgresql+psycopg://u@db/x", "postgresql+psycopg://u@db/x"),
        (REFUSED, "postgresql+psycopg://u:***@127.0.0.1:1/x"),
        ("postgresql://u:p%40ss@db/x?options=-csearch_path%3Ds", "postgresql://u:***@db/x?options=-csearch_path%3Ds"),
        # SQLAlchemy cannot parse this one; the password goes all the same.
        (f"postgresql://u:{SECRET}@db:notaport/x", "postgresql://u:***@db:notaport/x"),
    ],
)
def test_shown_masks_only_the_password(target, expected):
    assert shown(target) == expected


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", [["stats"], ["search", "工会"], ["export"], ["verify"], ["migrate"]])
@pytest.mark.parametrize(
    ("target", "message"),
    [
        (REFUSED, "postgresql+psycopg://u:***@127.0.0.1:1/x: connection failed"),
        (f"mysql://u:{SECRET}@db/x", "cannot use database mysql://u:***@db/x: No module named"),
        (f"postgresql://u:{SECRET}@db:notaport/x", "not a database path or URL: postgresql://u:***@db:notaport/x"),
    ],
)
def test_the_commands_errors_hide_the_password(command, target, message):
    result = cli(*command, "--db", target)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and message in result.output
    assert SECRET not in result.output


def test_a_server_that_cannot_be_reached_is_not_called_no_archive():
    result = cli("stats", "--db", REFUSED)
    assert result.output.startswith("sxworker: error: cannot read archive postgresql+psycopg://u:***@")


def test_scrapy_crawls_one_line_hides_the_password(crawl_command):
    process, _ = crawl_command("http://127.0.0.1:9", db=REFUSED)
    assert process.returncode == 1
    last = process.stderr.splitlines()[-1]
    assert last.startswith("sxworker: error: cannot use archive postgresql+psycopg://u:***@127.0.0.1:1/x:")
    assert SECRET not in process.stderr + process.stdout


# -- on a server: what a working crawl, reparse and migrate print and log ----------------------


@pytest.fixture
def with_password():
    """A PostgreSQL archive URL with a password in it (the test server trusts every login)."""
    with postgres_schema(postgres_url_or_skip()) as url:
        yield make_url(url).set(password=SECRET).render_as_string(hide_password=False)


def test_a_crawl_into_postgresql_never_logs_the_password(replica, with_password):
    result = run_crawl(replica.base_url, with_password, start="2016-12-05", end="2016-12-05")
    assert result.ok, result.log[-2000:]
    assert f"archive {shown(with_password)}: " in result.log
    assert SECRET not in result.log


def test_reparse_and_migrate_name_the_archive_without_the_password(with_password, tmp_path):
    page = fixture_bytes("2016-article.html")
    article_url = "http://szb.sxworker.com/content/2016-12/05/134356.html"
    write_captures(tmp_path / "warc", (article_url, 200, [("Content-Type", "text/html")], page))

    reparse = cli("reparse", str(tmp_path / "warc"), "--db", with_password, "--no-files")
    migrate = cli("migrate", "--db", with_password)

    assert reparse.exit_code == 0, reparse.output
    assert reparse.output.rstrip().endswith(f"into {shown(with_password)}")
    assert migrate.exit_code == 0 and f"archive {shown(with_password)} is at schema" in migrate.output
    assert SECRET not in reparse.output + migrate.output
