"""Build the replica site: every resource by path, plus the ground truth a crawler must reach.

Page (版面) URL schemes differ by era on purpose; only the article and scan URL shapes
are the real, known ones. See the package README section in __init__.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode

from . import media, templates, textgen
from .content import hand_written_issues
from .model import ArticleSpec, IssueSpec, PageSpec

HTML_UTF8 = "text/html; charset=utf-8"
# The mobile site was generated in bulk on this date; its date line shows it, not the issue date.
MOBILE_GENERATED = date(2023, 9, 15)
# Issues are weekly in 1985: this date sits between two issues and has none.
MISSING_ISSUE_DATE = "1985-11-22"
SYNTHETIC_START = date(2024, 1, 2)
SYNTHETIC_PAGES = ("头版", "要闻", "综合新闻", "职工天地")

ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\n"
GIF_1X1 = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str = HTML_UTF8
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Site:
    base_url: str
    resources: dict[str, Resource]
    expected_articles: list[dict]
    expected_issues: list[dict]
    expected_pages: list[dict]
    # on-site paths that pages link to on purpose but that do not exist (404)
    broken_links: list[str] = field(default_factory=list)
    # article ids / paths per tricky case, for tests to name what they check
    cases: dict[str, list[str]] = field(default_factory=dict)

    def get(self, path: str) -> Resource | None:
        """Look a request path (with query) up; query parameter order does not matter."""
        res = self.resources.get(path)
        if res is not None or "?" not in path:
            return res
        # rare (only the query-string page scheme), so a scan beats a cache that can go stale
        wanted = _normalise_query(path)
        for key, value in self.resources.items():
            if "?" in key and _normalise_query(key) == wanted:
                return value
        return None


def _normalise_query(path: str) -> str:
    if "?" not in path:
        return path
    p, q = path.split("?", 1)
    return p + "?" + urlencode(sorted(parse_qsl(q, keep_blank_values=True)))


# --------------------------------------------------------------------------- paths


def _ymd(d: date) -> tuple[str, str, str]:
    return f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}"


def page_path(issue: IssueSpec, page_no: int) -> str:
    y, m, d = _ymd(issue.date)
    if issue.scheme == "A":
        return f"/html/{y}-{m}/{d}/node_{page_no}.htm"
    if issue.scheme == "B":
        return f"/Page/{y}-{m}/{d}/{page_no:02d}/default.htm"
    if issue.scheme == "C":
        return f"/index.aspx?date={y}-{m}-{d}&page={page_no}"
    if issue.scheme == "D":
        return f"/epaper/{y}/{m}{d}/A{page_no:02d}.html"
    raise ValueError(issue.scheme)


def issue_path(issue: IssueSpec) -> str:
    """Where 上一期/下一期 point: page 1, except scheme C which drops the page parameter."""
    if issue.scheme == "C":
        y, m, d = _ymd(issue.date)
        return f"/index.aspx?date={y}-{m}-{d}"
    return page_path(issue, issue.pages[0].no)


def article_path(d: date, article_id: str, mobile: bool = False) -> str:
    y, m, dd = _ymd(d)
    return f"{'/m' if mobile else ''}/content/{y}-{m}/{dd}/{article_id}.html"


def scan_path(d: date, page_no: int) -> str:
    y, m, dd = _ymd(d)
    return f"/Img/{y}/{m}/{y}{m}{dd}{page_no:02d}-1.jpg"


def pdf_path(d: date, page_no: int) -> str:
    y, m, dd = _ymd(d)
    return f"/PDF/{y}/{m}/{y}{m}{dd}{page_no:02d}.pdf"


def picture_path(d: date, stem: str) -> str:
    y, m, dd = _ymd(d)
    return f"/pic/{y}{m}/{dd}/{stem}.jpg"


# --------------------------------------------------------------------------- synthetic


def synthetic_issues(n: int, start: date = SYNTHETIC_START) -> list[IssueSpec]:
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
                    ArticleSpec(
                        id=aid,
                        title=textgen.title(rng),
                        paras=tuple(textgen.paragraphs(rng)),
                        kicker=textgen.kicker(rng) if rng.random() < 0.2 else None,
                        subtitle=textgen.subtitle(rng) if rng.random() < 0.1 else None,
                        byline=textgen.byline(rng) if rng.random() < 0.8 else None,
                        images=images,
                    )
                )
            pages.append(PageSpec(pno, f"A{pno}", name, arts))
        issues.append(IssueSpec(day, "2023", "D", pages))
        day += timedelta(days=(2, 2, 3)[i % 3])
    return issues


# --------------------------------------------------------------------------- ground truth


def clean_byline(byline: str | None) -> str | None:
    """The expected `author`: as printed, minus a leading "□" mark or "作者:" label."""
    if not byline:
        return None
    text = byline.strip()
    for prefix in ("□", "作者:", "作者:"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    return text or None


def _expected_article(base: str, issue: IssueSpec, page: PageSpec, art: ArticleSpec) -> dict:
    return {
        "article_id": art.id,
        "url": base + article_path(issue.date, art.id),
        "issue_date": issue.date.isoformat(),
        "page_no": page.no,
        "page_label": page.label,
        "page_name": page.name,
        "page_image_url": base + scan_path(issue.date, page.no) if page.scan else None,
        "kicker": art.kicker,
        "title": " ".join(art.title.split()),
        "subtitle": art.subtitle,
        "author": clean_byline(art.byline),
        "body": "\n".join(p.strip() for p in art.paras),
        "images": [
            {"url": base + picture_path(issue.date, stem), "caption": cap} for stem, cap in art.images
        ],
    }


# --------------------------------------------------------------------------- build


def _encode(era: str, text: str) -> Resource:
    if era == "1985":
        # charset only in <meta>; the header says nothing
        return Resource(text.encode("gbk"), "text/html")
    if era == "1990":
        return Resource(text.encode("gbk"), "text/html; charset=gb2312")
    return Resource(text.encode("utf-8"), HTML_UTF8)


def _static(base: str, latest: IssueSpec) -> dict[str, Resource]:
    target = base + issue_path(latest)
    root = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={target}">
<title>陕西工人报电子版</title></head>
<body><p><a href="{target}">进入陕西工人报电子版</a></p></body></html>
"""
    css = "text/css; charset=utf-8"
    return {
        "/": Resource(root.encode("utf-8")),
        "/robots.txt": Resource(ROBOTS_TXT.encode(), "text/plain; charset=utf-8"),
        "/css/paper.css": Resource(b"body{font-size:14px}#ozoom{line-height:1.8}\n", css),
        "/m/css/m.css": Resource(b".m-news{padding:8px}\n", css),
        "/js/zoom.js": Resource(
            b"function doZoom(s){document.getElementById('ozoom').style.fontSize=s+'px';}\n",
            "application/javascript",
        ),
        "/images/dot.gif": Resource(GIF_1X1, "image/gif"),
        "/admin/login.aspx": Resource(
            "<html><body><form>管理员登录</form></body></html>".encode(), HTML_UTF8
        ),
    }


def build_site(base_url: str, *, extra_issues: int = 0) -> Site:
    """Generate the whole replica for a server reachable at `base_url` (no trailing slash)."""
    base = base_url.rstrip("/")
    issues = sorted(hand_written_issues(), key=lambda i: i.date)
    if extra_issues:
        start = max(SYNTHETIC_START, issues[-1].date + timedelta(days=1))
        issues += synthetic_issues(extra_issues, start)
    dates = [i.date for i in issues]
    assert len(set(dates)) == len(dates), "issue dates must be unique"

    hand_ids = {a.id for i in hand_written_issues() for p in i.pages for a in p.articles}
    resources: dict[str, Resource] = _static(base, issues[-1])
    exp_articles: list[dict] = []
    exp_pages: list[dict] = []
    exp_issues: list[dict] = []
    seen_ids: set[str] = set()

    for idx, issue in enumerate(issues):
        prev_issue = issue_path(issues[idx - 1]) if idx > 0 else None
        next_issue = issue_path(issues[idx + 1]) if idx + 1 < len(issues) else None
        nav = [(page_path(issue, pg.no), pg) for pg in issue.pages]
        article_paths = {a.id: article_path(issue.date, a.id) for pg in issue.pages for a in pg.articles}
        mobile_paths = {
            aid: article_path(issue.date, aid, mobile=True) for aid in article_paths if aid in hand_ids
        }
        generated = max(MOBILE_GENERATED, issue.date + timedelta(days=1))
        mobile_date = f"{generated.year}年{generated.month:02d}月{generated.day:02d}日"
        issue_order = [(pg, a) for pg in issue.pages for a in pg.articles]

        for pidx, page in enumerate(issue.pages):
            ppath = nav[pidx][0]
            ctx = templates.PageCtx(
                base=base,
                issue=issue,
                page=page,
                path=ppath,
                nav=nav,
                prev_issue=prev_issue,
                next_issue=next_issue,
                prev_page=nav[pidx - 1][0] if pidx > 0 else None,
                next_page=nav[pidx + 1][0] if pidx + 1 < len(nav) else None,
                scan=scan_path(issue.date, page.no) if page.scan else None,
                pdf=pdf_path(issue.date, page.no) if page.pdf else None,
                article_paths=article_paths,
                mobile_paths=mobile_paths,
            )
            page_res = _encode(issue.era, templates.PAGE_RENDERERS[issue.era](ctx))
            resources[ppath] = page_res
            if pidx == 0 and issue_path(issue) != ppath:
                resources[issue_path(issue)] = page_res
            if ctx.scan:
                resources[ctx.scan] = Resource(
                    media.page_scan_jpeg(ctx.scan, len(page.articles)), "image/jpeg"
                )
            if ctx.pdf:
                resources[ctx.pdf] = Resource(
                    media.one_page_pdf(f"Shaanxi Workers Daily {issue.date} page {page.label}"),
                    "application/pdf",
                )
            exp_pages.append(
                {
                    "issue_date": issue.date.isoformat(),
                    "page_no": page.no,
                    "page_label": page.label,
                    "page_name": page.name,
                    "page_image_url": base + ctx.scan if ctx.scan else None,
                    "pdf_url": base + ctx.pdf if ctx.pdf else None,
                    "url": base + ppath,
                    "article_ids": [a.id for a in page.articles],
                }
            )

            for art in page.articles:
                assert art.id not in seen_ids, f"duplicate article id {art.id}"
                seen_ids.add(art.id)
                pics = [(picture_path(issue.date, stem), cap) for stem, cap in art.images]
                for src, _cap in pics:
                    resources[src] = Resource(media.picture_jpeg(src), "image/jpeg")
                actx = templates.ArticleCtx(
                    page=ctx,
                    art=art,
                    path=article_paths[art.id],
                    pictures=pics,
                    mobile_path=mobile_paths.get(art.id),
                )
                resources[actx.path] = _encode(issue.era, templates.ARTICLE_RENDERERS[issue.era](actx))
                if actx.mobile_path:
                    pos = issue_order.index((page, art))
                    prev = issue_order[pos - 1][1] if pos > 0 else None
                    nxt = issue_order[pos + 1][1] if pos + 1 < len(issue_order) else None
                    resources[actx.mobile_path] = Resource(
                        templates.mobile_article(
                            actx,
                            mobile_date,
                            (mobile_paths[prev.id], prev.title) if prev else None,
                            (mobile_paths[nxt.id], nxt.title) if nxt else None,
                        ).encode("utf-8")
                    )
                exp_articles.append(_expected_article(base, issue, page, art))

        exp_issues.append(
            {
                "issue_date": issue.date.isoformat(),
                "page_count": len(issue.pages),
                "article_count": sum(len(p.articles) for p in issue.pages),
                "url": base + issue_path(issue),
            }
        )

    broken = sorted({p for i in issues for pg in i.pages for p, _t in pg.guide if p not in resources})
    exp_articles.sort(key=lambda a: (a["issue_date"], a["page_no"], a["article_id"]))
    cases = {
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
        "broken_links": broken,
        "missing_issue_date": [MISSING_ISSUE_DATE],
        "disallowed_by_robots": ["/admin/login.aspx"],
    }
    return Site(
        base_url=base,
        resources=resources,
        expected_articles=exp_articles,
        expected_issues=exp_issues,
        expected_pages=exp_pages,
        broken_links=broken,
        cases=cases,
    )
