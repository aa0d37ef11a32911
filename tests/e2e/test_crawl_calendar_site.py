"""A site whose front page is an issue overview (page thumbnails, no page of its own) and
whose only way back to earlier issues is an archive calendar of dated links."""

from __future__ import annotations

from sxworker.archive import Archive
from sxworker.replica import ReplicaServer
from sxworker.replica.builder import Resource, Site
from tests.conftest import run_scrapy_crawl

DATES = ("2021-03-02", "2021-03-05")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64) + b"\xff\xd9"


def _html(body: str) -> Resource:
    return Resource(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode())


def _calendar(current: str) -> str:
    return " ".join(
        f'<a href="/calendar/{d.replace("-", "")}/index.htm">{d[-2:]}</a>' for d in DATES if d != current
    )


def build_calendar_site(base_url: str) -> Site:
    resources: dict[str, Resource] = {}
    articles = []
    for number, day in enumerate(DATES):
        compact, ym, dd = day.replace("-", ""), day[:7], day[8:]
        scan = f"/Img/{day[:4]}/{day[5:7]}/{compact}0{{page}}-1.jpg"
        thumbs = "".join(
            f'<a href="/calendar/{compact}/p{page}.htm"><img src="{scan.format(page=page)}"></a>'
            for page in (1, 2)
        )
        resources[f"/calendar/{compact}/index.htm"] = _html(
            f"<p>出版日期:{day[:4]}年{day[5:7]}月{dd}日</p><div>{thumbs}</div><div>往期:{_calendar(day)}</div>"
        )
        for page in (1, 2):
            article_id = f"7{number}{page}001"
            resources[f"/Img/{day[:4]}/{day[5:7]}/{compact}0{page}-1.jpg"] = Resource(JPEG, "image/jpeg")
            resources[f"/calendar/{compact}/p{page}.htm"] = _html(
                f"<p>出版日期:{day[:4]}年{day[5:7]}月{dd}日</p><p>当前版:第0{page}版:版{page}</p>"
                f'<a href="/calendar/{compact}/p{3 - page}.htm">第0{3 - page}版:版{3 - page}</a>'
                f'<img src="/Img/{day[:4]}/{day[5:7]}/{compact}0{page}-1.jpg">'
                f'<a href="/content/{ym}/{dd}/{article_id}.html">标题{article_id}</a>'
                f"<div>往期:{_calendar(day)}</div>"
            )
            resources[f"/content/{ym}/{dd}/{article_id}.html"] = _html(
                f"<h1>标题{article_id}</h1><p>当前版:第0{page}版:版{page}</p>"
                f"<p>这是第{article_id}号文章的正文,内容完整。</p><p>© 陕西工人报</p>"
            )
            articles.append({"article_id": article_id, "issue_date": day, "page_no": page})
    resources["/"] = resources[f"/calendar/{DATES[-1].replace('-', '')}/index.htm"]
    resources["/robots.txt"] = Resource(b"User-agent: *\n", "text/plain")
    return Site(base_url, resources, articles, [], [])


def test_overview_front_page_and_calendar_walk(tmp_path):
    db = tmp_path / "calendar.sqlite3"
    with ReplicaServer(builder=build_calendar_site) as server:
        process = run_scrapy_crawl(server.base_url, db, "-a", "start=2021-01-01", "-a", "end=2021-12-31")
    assert process.returncode == 0, process.stderr[-2000:]
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
