"""The bundled replica as a Paper for the builder: its page URL schemes, fixed files, mobile
pages, the synthetic issues that make it benchmark-sized, and the tricky cases tests name.

Page (版面) URL schemes differ by era on purpose; only the article and scan URL shapes
are the real, known ones. See the package README section in __init__.py.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import mobile, templates, textgen
from .builder import (
    GIF_1X1,
    Article,
    Front,
    Issue,
    Page,
    Paper,
    Site,
    build,
    clean_byline,
    pdf_path,
    static,
    ymd,
)
from .content import hand_written_issues

# `clean_byline` stays importable from here: tests read the expected author the same way
__all__ = ["build_site", "clean_byline", "synthetic_issues"]

# Issues are weekly in 1985: this date sits between two issues and has none.
MISSING_ISSUE_DATE = "1985-11-22"
SYNTHETIC_START = date(2024, 1, 2)
SYNTHETIC_PAGES = ("头版", "要闻", "综合新闻", "职工天地")


def page_path(issue: Issue, page: Page) -> str:
    y, m, d = ymd(issue.date)
    if issue.scheme == "A":
        return f"/html/{y}-{m}/{d}/node_{page.no}.htm"
    if issue.scheme == "B":
        return f"/Page/{y}-{m}/{d}/{page.no:02d}/default.htm"
    if issue.scheme == "C":
        return f"/index.aspx?date={y}-{m}-{d}&page={page.no}"
    if issue.scheme == "D":
        return f"/epaper/{y}/{m}{d}/A{page.no:02d}.html"
    raise ValueError(issue.scheme)


def issue_path(issue: Issue) -> str:
    """Where 上一期/下一期 point: page 1, except scheme C which drops the page parameter."""
    if issue.scheme == "C":
        y, m, d = ymd(issue.date)
        return f"/index.aspx?date={y}-{m}-{d}"
    return page_path(issue, issue.pages[0])


FILES = {
    "/css/paper.css": static("body{font-size:14px}#ozoom{line-height:1.8}\n", "text/css; charset=utf-8"),
    "/m/css/m.css": static(".m-news{padding:8px}\n", "text/css; charset=utf-8"),
    "/js/zoom.js": static(
        "function doZoom(s){document.getElementById('ozoom').style.fontSize=s+'px';}\n",
        "application/javascript",
    ),
    "/images/dot.gif": static(GIF_1X1, "image/gif"),
    "/admin/login.aspx": static(
        "<html><body><form>管理员登录</form></body></html>", "text/html; charset=utf-8"
    ),
}


def synthetic_issues(n: int, start: date = SYNTHETIC_START) -> list[Issue]:
    """N modern issues (2023 template, scheme D), Tue/Thu/Sat-like spacing, seeded."""
    rng = random.Random(8686)
    ids = iter(rng.sample(range(300000, 1000000), n * 4 * 10))
    issues = []
    day = start
    for i in range(n):
        pages = []
        for pno, name in enumerate(SYNTHETIC_PAGES, start=1):
            arts = []
            for _ in range(rng.randint(9, 10)):
                aid = f"{next(ids):06d}"
                images: tuple[tuple[str, str | None], ...] = ()
                if rng.random() < 0.1:
                    cap = rng.choice(textgen.CAPTIONS) if rng.random() < 0.7 else None
                    images = ((f"{aid}_1", cap),)
                arts.append(
                    Article(
                        id=aid,
                        title=textgen.title(rng),
                        paras=tuple(textgen.paragraphs(rng)),
                        kicker=textgen.kicker(rng) if rng.random() < 0.2 else None,
                        subtitle=textgen.subtitle(rng) if rng.random() < 0.1 else None,
                        byline=textgen.byline(rng) if rng.random() < 0.8 else None,
                        images=images,
                    )
                )
            pages.append(Page(pno, f"A{pno}", name, arts))
        issues.append(Issue(day, "2023", pages, scheme="D"))
        day += timedelta(days=(2, 2, 3)[i % 3])
    return issues


def build_site(base_url: str, *, extra_issues: int = 0) -> Site:
    """Generate the whole replica for a server reachable at `base_url` (no trailing slash)."""
    issues = hand_written_issues()
    # only the hand-written articles were on the site when its mobile pages were generated
    hand_ids = {a.id for i in issues for p in i.pages for a in p.articles}
    if extra_issues:
        start = max(SYNTHETIC_START, max(i.date for i in issues) + timedelta(days=1))
        issues += synthetic_issues(extra_issues, start)
    paper = Paper(
        eras=templates.ERAS,
        page_path=page_path,
        issue_path=issue_path,
        front=Front.REFRESH,
        has_mobile=lambda issue, art: art.id in hand_ids,
        mobile=mobile.mobile_article,
        files=FILES,
    )
    site = build(base_url, issues, paper)
    site.cases = {
        "desktop_and_mobile_links": ["134356", "134350"],
        "mobile_only_link": ["088530"],
        "listed_on_two_pages": ["227638", "016210"],
        "kicker_and_subtitle": ["038852", "282045", "016201"],
        "no_author": ["038850", "064534", "134353", "016206"],
        "pictures": ["227631", "227640", "282046", "134351", "016201", "016214"],
        "author_label_stripped": ["038852", "282045", "282049"],
        "empty_slots_1985": ["038850", "038856"],
        "nbsp_in_title": ["134356"],
        "pdf_page": [pdf_path(date(2023, 10, 17), 1)],
        "broken_links": site.broken_links,
        "missing_issue_date": [MISSING_ISSUE_DATE],
        "disallowed_by_robots": ["/admin/login.aspx"],
    }
    return site
