"""Template and evidence of each article: stored beside it (never part of its text, never
erased by a reading without them), carried by the pipeline, exported on request
(``export --with-evidence``), and an archive made before them reparsing cleanly. Both
backends where ``db_target`` runs."""

from __future__ import annotations

import csv
import io
import json

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, text

from sxworker.archive import EVIDENCE_FIELDS, EXPORT_FIELDS, Archive, database_url, migrate
from sxworker.crawl.pipelines import StorePipeline
from sxworker.research.cli import main
from sxworker.research.serve import build_metadata
from sxworker.site.items import Article
from tests.archive.test_archive import article
from tests.research.test_reparse import captured  # noqa: F401  (a fixture: the replica crawled with WARC capture)

EVIDENCE = {"title": {"how": ["role title (font#main-title)", "metadata agrees"]}, "author": {"how": []}}


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _stored(archive: Archive) -> dict[str, dict]:
    return {record["article_id"]: record for record in archive.iter_export(with_evidence=True)}


def _item(article_id: str, **fields) -> Article:
    row = article(article_id, **fields)
    return Article(**{k: v for k, v in row.items() if k in Article.__dataclass_fields__})


# -- storing -----------------------------------------------------------------------------


def test_template_and_evidence_are_stored_and_exported_on_request(archive):
    assert archive.store_articles([article(template="3f9a0c1d2e4b", evidence=EVIDENCE)]).new == 1
    (plain,) = archive.iter_export()
    assert tuple(plain) == EXPORT_FIELDS  # without the flag, exactly the export of before
    (record,) = archive.iter_export(with_evidence=True)
    assert tuple(record) == (*EXPORT_FIELDS, *EVIDENCE_FIELDS)
    assert (record["template"], record["evidence"]) == ("3f9a0c1d2e4b", EVIDENCE)
    assert {k: v for k, v in record.items() if k not in EVIDENCE_FIELDS} == plain


def test_a_new_reading_of_the_same_text_replaces_them_without_a_version(archive):
    archive.store_articles([article(template="aaaaaaaaaaaa", evidence=EVIDENCE)])
    (first,) = archive.iter_export()
    newer = {"title": {"how": ["heading h1"]}}

    result = archive.store_articles([article(template="bbbbbbbbbbbb", evidence=newer)])

    assert (result.new, result.changed, result.unchanged) == (0, 0, 1)
    (record,) = archive.iter_export(with_evidence=True)
    assert (record["template"], record["evidence"]) == ("bbbbbbbbbbbb", newer)
    assert (record["version"], record["content_hash"]) == (1, first["content_hash"])


def test_none_never_erases_a_stored_reading(archive):
    archive.store_articles([article(template="aaaaaaaaaaaa", evidence=EVIDENCE)])
    assert archive.store_articles([article(template=None, evidence=None)]).unchanged == 1
    # A changed text with no reading: a new version, the stored reading kept.
    assert archive.store_articles([article(body="改过的正文。", template=None, evidence=None)]).changed == 1
    record = _stored(archive)["134356"]
    assert (record["version"], record["body"]) == (2, "改过的正文。")
    assert (record["template"], record["evidence"]) == ("aaaaaaaaaaaa", EVIDENCE)


def test_a_changed_text_takes_its_new_reading(archive):
    archive.store_articles([article(template="aaaaaaaaaaaa", evidence=EVIDENCE)])
    result = archive.store_articles([article(body="改过的正文。", template="cccccccccccc", evidence={})])
    assert result.changed == 1
    record = _stored(archive)["134356"]
    assert (record["version"], record["template"], record["evidence"]) == (2, "cccccccccccc", {})


def test_template_and_evidence_are_not_part_of_the_text(archive):
    archive.store_articles([article("1"), article("2", template="aaaaaaaaaaaa", evidence=EVIDENCE)])
    records = _stored(archive)
    assert records["1"]["content_hash"] == records["2"]["content_hash"]


def test_the_store_pipeline_carries_them_through(tmp_path, component_crawler):
    db = str(tmp_path / "a.sqlite3")
    crawler = component_crawler(SXWORKER_DB=db)
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(_item("134356", template="3f9a0c1d2e4b", evidence=EVIDENCE))
    pipeline.close_spider()
    with Archive.open_readonly(db) as archive:
        (record,) = archive.iter_export(with_evidence=True)
    assert (record["template"], record["evidence"]) == ("3f9a0c1d2e4b", EVIDENCE)


# -- export --with-evidence ----------------------------------------------------------------


@pytest.fixture
def exported(tmp_path):
    db = str(tmp_path / "a.sqlite3")
    with Archive.open(db) as archive:
        archive.store_articles([article("1", template="aaaaaaaaaaaa", evidence=EVIDENCE), article("2")])
    return db


def test_export_with_evidence_jsonl(exported):
    plain = run("export", "--db", exported)
    result = run("export", "--db", exported, "--with-evidence")
    assert result.exit_code == 0
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["template"], first["evidence"]) == ("aaaaaaaaaaaa", EVIDENCE)
    assert (second["template"], second["evidence"]) == (None, None)
    assert '"how":["role title (font#main-title)"' in result.stdout  # an object, not JSON text
    # Without the flag: the same records without the two fields.
    assert [json.loads(line) for line in plain.stdout.splitlines()] == [
        {k: v for k, v in record.items() if k not in EVIDENCE_FIELDS} for record in (first, second)
    ]


def test_export_with_evidence_csv_has_json_text(exported):
    result = run("export", "--db", exported, "--format", "csv", "--with-evidence")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert list(rows[0]) == [*EXPORT_FIELDS, *EVIDENCE_FIELDS]
    assert rows[0]["template"] == "aaaaaaaaaaaa"
    assert json.loads(rows[0]["evidence"]) == EVIDENCE
    assert (rows[1]["template"], rows[1]["evidence"]) == ("", "")  # null, as every null in CSV
    plain = run("export", "--db", exported, "--format", "csv")
    assert next(csv.reader(io.StringIO(plain.stdout.lstrip("\ufeff")))) == list(EXPORT_FIELDS)


def test_export_with_evidence_parquet_and_its_data_card(exported, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "a.parquet"
    assert (
        run("export", "--db", exported, "--format", "parquet", "--with-evidence", "-o", str(out)).exit_code
        == 0
    )
    table = pq.read_table(out)
    assert table.column_names == [*EXPORT_FIELDS, *EVIDENCE_FIELDS]
    assert table.column("template").to_pylist() == ["aaaaaaaaaaaa", None]
    assert [None if v is None else json.loads(v) for v in table.column("evidence").to_pylist()] == [
        EVIDENCE,
        None,
    ]
    card = (tmp_path / "a.parquet.md").read_text(encoding="utf-8")
    assert "| `template` | fingerprint of the article page's template" in card
    assert "| `evidence` | per field, how the parser found it" in card


def test_the_data_card_mentions_them_only_when_exported(exported, tmp_path):
    out = tmp_path / "a.jsonl"
    assert run("export", "--db", exported, "-o", str(out)).exit_code == 0
    card = (tmp_path / "a.jsonl.md").read_text(encoding="utf-8")
    assert "`files`" in card and "`template`" not in card and "`evidence`" not in card


def test_datasette_describes_the_two_columns():
    columns = build_metadata()["databases"]["archive"]["tables"]["articles"]["columns"]
    assert "sxworker templates" in columns["template"]
    assert columns["evidence"].startswith("JSON: per field, how the parser found it")


# -- an archive made before this change --------------------------------------------------------


def _engine(target: str):
    return create_engine(database_url(target))


def _downgrade_to_0004(target: str) -> None:
    """The archive as an sxworker of revision 0004 left it: no template or evidence columns."""
    engine = _engine(target)
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(connection=conn), "0004")
    engine.dispose()


def _snapshot(target: str) -> dict:
    """Revision, article columns and what the texts are, read with plain SQL (a read-only
    open refuses an older archive)."""
    engine = _engine(target)
    with engine.connect() as conn:
        snapshot = {
            "revision": conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one(),
            "columns": {column["name"] for column in inspect(conn).get_columns("articles")},
            "articles": conn.execute(
                text(
                    "SELECT issue_date, article_id, version, content_hash, title, body, first_seen"
                    " FROM articles ORDER BY issue_date, article_id"
                )
            ).all(),
            "versions": conn.execute(text("SELECT count(*) FROM article_versions")).scalar_one(),
            "pages": conn.execute(text("SELECT count(*) FROM pages")).scalar_one(),
            "issues": conn.execute(text("SELECT count(*) FROM issues")).scalar_one(),
        }
    engine.dispose()
    return snapshot


@pytest.fixture
def reparsed_old_archive(captured, db_target):  # noqa: F811
    """An archive at revision 0004 holding the replica (no templates, no evidence), then
    ``sxworker reparse`` over the same captures with this sxworker."""
    warc = str(captured["warc"])
    first = run("reparse", warc, "--db", db_target, "--no-files", "--json")
    assert first.exit_code == 0, first.output
    _downgrade_to_0004(db_target)
    before = _snapshot(db_target)
    again = run("reparse", warc, "--db", db_target, "--no-files", "--json")
    assert again.exit_code == 0, again.output
    return before, json.loads(again.stdout), _snapshot(db_target), json.loads(first.stdout)


# SQLAlchemy cannot reflect 0006's expression index (page_no IS NULL) and says so; the test
# looks only for the named column indexes.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_an_archive_made_before_templates_reparses_cleanly(reparsed_old_archive, db_target):
    before, summary, after, first = reparsed_old_archive
    assert before["revision"] == "0004"
    assert not {"template", "evidence"} & before["columns"]
    assert after["revision"] == migrate.head()
    assert {"template", "evidence"} <= after["columns"]
    # Every article read again, none new, none a new version: the texts are the same.
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 0, first["new"])
    assert len(after["articles"]) == first["new"] > 0
    assert after["articles"] == before["articles"]
    assert (after["versions"], after["pages"], after["issues"]) == (
        before["versions"],
        before["pages"],
        before["issues"],
    )
    engine = _engine(db_target)
    with engine.connect() as conn:
        indexes = {index["name"] for index in inspect(conn).get_indexes("articles")}
    engine.dispose()
    assert "ix_articles_template" in indexes
    with Archive.open_readonly(db_target) as reader:  # at head: readers take it
        assert reader.counts()["articles"] == first["new"]


def test_reparse_fills_templates_and_evidence_in_an_old_archive(reparsed_old_archive, db_target):
    # Holds once the article parser records templates and evidence (issue 10, items 3-4):
    # it then gives every article page both.
    with Archive.open_readonly(db_target) as archive:
        records = list(archive.iter_export(with_evidence=True))
    assert records
    assert [r["url"] for r in records if r["template"] is None] == []
    assert [r["url"] for r in records if not isinstance(r["evidence"], dict)] == []
