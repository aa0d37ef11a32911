"""The crawl of a site whose front page is an issue overview and whose only way back is an
archive calendar (``tests/sites/calendarsite.py``)."""

from __future__ import annotations

from sxworker.archive import Archive
from sxworker.replica import ReplicaServer
from tests.conftest import run_crawl
from tests.sites.calendarsite import build_calendar_site


def test_overview_front_page_and_calendar_walk(tmp_path):
    db = tmp_path / "calendar.sqlite3"
    with ReplicaServer(builder=build_calendar_site) as server:
        result = run_crawl(server.base_url, db, start="2021-01-01", end="2021-12-31")
    assert result.ok, result.log[-2000:]
    with Archive.open_readonly(str(db)) as archive:
        stored = [
            (r["issue_date"], r["article_id"], r["page_no"], r["page_name"]) for r in archive.iter_export()
        ]
        pages = [(p["issue_date"], p["page_no"]) for p in archive.page_rows()]
    assert stored == [
        ("2021-03-02", "701001", 1, "版1"),
        ("2021-03-02", "702001", 2, "版2"),
        ("2021-03-05", "711001", 1, "版1"),
        ("2021-03-05", "712001", 2, "版2"),
    ]
    # The overview is no page: only the two real pages of each issue are stored.
    assert pages == [("2021-03-02", 1), ("2021-03-02", 2), ("2021-03-05", 1), ("2021-03-05", 2)]
