"""A site whose front page is an issue overview (page thumbnails, no page of its own) and
whose only way back to earlier issues is an archive calendar of dated links.

Pages at ``/calendar/YYYYMMDD/pN.htm``, the overview at ``/calendar/YYYYMMDD/index.htm``
(the issue's address; the root serves the latest one), no 上一期/下一期 anywhere.
"""

from __future__ import annotations

from datetime import date

from sxworker.replica.builder import (
    Article,
    ArticleView,
    Era,
    Front,
    Issue,
    Page,
    PageView,
    Paper,
    Site,
    build,
    date_cn,
    scan_path,
    ymd,
)


def _issue(number: int, day: date) -> Issue:
    pages = []
    for no in (1, 2):
        article_id = f"7{number}{no}001"
        text = f"这是第{article_id}号文章的正文,内容完整。"
        pages.append(Page(no, f"0{no}", f"版{no}", [Article(article_id, f"标题{article_id}", (text,))]))
    return Issue(day, "2021", pages)


ISSUES = [_issue(number, day) for number, day in enumerate((date(2021, 3, 2), date(2021, 3, 5)))]


def _compact(issue: Issue) -> str:
    return "".join(ymd(issue.date))


def page_path(issue: Issue, page: Page) -> str:
    return f"/calendar/{_compact(issue)}/p{page.no}.htm"


def overview_path(issue: Issue) -> str:
    return f"/calendar/{_compact(issue)}/index.htm"


def _html(body: str) -> str:
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def _calendar(view: PageView) -> str:
    """往期: every other issue's overview, by its day of the month."""
    return " ".join(
        f'<a href="{overview_path(issue)}">{ymd(issue.date)[2]}</a>'
        for issue in ISSUES
        if issue.date != view.issue.date
    )


def _marker(page: Page) -> str:
    return f"第{page.label}版:{page.name}"


def overview(view: PageView) -> str:
    thumbs = "".join(
        f'<a href="{path}"><img src="{scan_path(view.issue.date, page.no)}"></a>' for path, page in view.pages
    )
    return _html(
        f"<p>出版日期:{date_cn(view.issue.date)}</p><div>{thumbs}</div><div>往期:{_calendar(view)}</div>"
    )


def page_html(view: PageView) -> str:
    others = "".join(
        f'<a href="{path}">{_marker(page)}</a>' for path, page in view.pages if page is not view.page
    )
    articles = "".join(f'<a href="{view.article_path(a)}">{a.title}</a>' for a in view.page.articles)
    return _html(
        f"<p>出版日期:{date_cn(view.issue.date)}</p><p>当前版:{_marker(view.page)}</p>"
        f'{others}<img src="{view.scan}">{articles}<div>往期:{_calendar(view)}</div>'
    )


def article_html(view: ArticleView) -> str:
    paras = "".join(f"<p>{p}</p>" for p in view.article.paras)
    return _html(f"<h1>{view.article.title}</h1><p>当前版:{_marker(view.page)}</p>{paras}<p>© 陕西工人报</p>")


PAPER = Paper(
    eras={"2021": Era(page_html, article_html, front=overview)},
    page_path=page_path,
    issue_path=overview_path,
    front=Front.SAME,
)


def build_calendar_site(base_url: str) -> Site:
    return build(base_url, ISSUES, PAPER)
