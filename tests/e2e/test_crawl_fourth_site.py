"""The crawl of a fourth, independently designed site (``tests/sites/fourthsite.py``),
checked field by field against its ground truth for every article."""

from __future__ import annotations

from sxworker.archive import Archive
from sxworker.replica import ReplicaServer
from tests.conftest import run_crawl
from tests.sites.fourthsite import build_fourth_site

FIELDS = (
    "article_id", "url", "issue_date", "page_no", "page_label", "page_name", "page_image_url",
    "kicker", "title", "subtitle", "author", "body", "images",
)  # fmt: skip


def _norm_images(images) -> list[dict]:
    return [{"url": i.get("url"), "caption": i.get("caption")} for i in images or []]


def test_fourth_site_every_article_field(tmp_path):
    db = tmp_path / "fourth.sqlite3"
    with ReplicaServer(builder=build_fourth_site) as server:
        result = run_crawl(server.base_url, db, start="2001-01-01", end="2024-12-31")
        expected = {a["article_id"]: a for a in server.site.expected_articles}
    assert result.ok, result.log[-2000:]
    with Archive.open_readonly(str(db)) as archive:
        stored = {r["article_id"]: dict(r) for r in archive.iter_export()}
    problems = [f"missing article {aid}" for aid in expected if aid not in stored]
    problems += [f"unexpected article {aid}" for aid in stored if aid not in expected]
    for aid, want in expected.items():
        got = stored.get(aid)
        if got is None:
            continue
        got = {**got, "images": _norm_images(got.get("images"))}
        for name in FIELDS:
            if got.get(name) != want[name]:
                problems.append(f"{aid} {name}: got {got.get(name)!r}, expected {want[name]!r}")
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems)
