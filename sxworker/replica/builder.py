"""The one builder every replica of the paper is made with: the data model of a replica
paper (issues, pages, articles, pictures) and its assembly into a servable ``Site``.

A replica says only what makes it different, in a ``Paper``: its eras' templates and
encodings, its page URL scheme, where its pictures live, which articles have mobile pages,
how its root sends a reader on, and any fixed files. ``build`` does the rest the same way
for every replica: each page, article, mobile page, scan, picture and PDF by path, the
issue's own address, the root, robots.txt, the links that lead nowhere, and the ground
truth a correct crawl must store (the article fields as a reader sees them).
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import Enum
from urllib.parse import parse_qsl, urlencode

from . import media

HTML_UTF8 = "text/html; charset=utf-8"
ROBOTS = b"User-agent: *\nDisallow: /admin/\n"
GIF_1X1 = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


# --------------------------------------------------------------------------- what is served


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
        # rare (only query-string page schemes), so a scan beats a cache that can go stale
        wanted = _normalise_query(path)
        for key, value in self.resources.items():
            if "?" in key and _normalise_query(key) == wanted:
                return value
        return None


def _normalise_query(path: str) -> str:
    p, q = path.split("?", 1)
    return p + "?" + urlencode(sorted(parse_qsl(q, keep_blank_values=True)))


def static(text: str | bytes, content_type: str) -> Resource:
    """A fixed file (stylesheet, script, image) a replica's pages refer to."""
    return Resource(text.encode("utf-8") if isinstance(text, str) else text, content_type)


# --------------------------------------------------------------------------- the paper


@dataclass
class Article:
    id: str
    # as the template is given it; the ground truth is what a reader sees (entities decoded,
    # spaces folded), so it may hold &nbsp;, a full-width space or a line break
    title: str
    paras: tuple[str, ...]
    kicker: str | None = None
    subtitle: str | None = None  # a leading —— is printing, not part of the subtitle
    byline: str | None = None  # as printed, e.g. "□ 张三" or "作者:李四"
    images: tuple[tuple[str, str | None], ...] = ()  # (file name, caption); Paper.picture_path places it
    link_mobile: bool = False  # its page links the mobile URL as well as the desktop one
    mobile_only: bool = False  # its page links ONLY the mobile URL


@dataclass
class Page:
    no: int
    label: str  # 版次 as printed in the 当前版 line: "4", "A4"
    name: str | None  # 版名; None when the page is only "第N版"
    articles: list[Article]
    scan: bool = True
    pdf: bool = False
    # extra 本版导读 entries (site path or off-site URL, link text): teasers, dead links
    guide: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Issue:
    date: date
    era: str  # which of its paper's template families
    pages: list[Page]
    scheme: str = ""  # which of its paper's page URL schemes, where the era does not decide it


# --------------------------------------------------------------------------- paths and links


def ymd(d: date) -> tuple[str, str, str]:
    return f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}"


def date_cn(d: date) -> str:
    """A date the way every era prints it: 1985年11月15日."""
    y, m, dd = ymd(d)
    return f"{y}年{m}月{dd}日"


def article_path(d: date, article_id: str, mobile: bool = False) -> str:
    y, m, dd = ymd(d)
    return f"{'/m' if mobile else ''}/content/{y}-{m}/{dd}/{article_id}.html"


def scan_path(d: date, page_no: int) -> str:
    y, m, dd = ymd(d)
    return f"/Img/{y}/{m}/{y}{m}{dd}{page_no:02d}-1.jpg"


def pdf_path(d: date, page_no: int) -> str:
    y, m, dd = ymd(d)
    return f"/PDF/{y}/{m}/{y}{m}{dd}{page_no:02d}.pdf"


def picture_path(d: date, name: str) -> str:
    """Where a picture is served unless a paper puts its pictures elsewhere."""
    y, m, dd = ymd(d)
    return f"/pic/{y}{m}/{dd}/{name}.jpg"


def rel(from_path: str, to_path: str) -> str:
    """The shortest relative reference from one site path to another."""
    from_dir = from_path.split("?", 1)[0].rsplit("/", 1)[0] or "/"
    target, _, query = to_path.partition("?")
    out = posixpath.relpath(target, from_dir)
    return out + ("?" + query if query else "")


def via_root(from_path: str, to_path: str) -> str:
    """A relative reference that climbs to the root and down again (``../../x``), the way
    templates write links they do not shorten."""
    depth = from_path.split("?", 1)[0].count("/") - 1
    return "../" * depth + to_path.lstrip("/")


# --------------------------------------------------------------------------- encodings


@dataclass(frozen=True)
class Encoding:
    """How an era's pages are sent: the bytes, and the charset the header names (if any)."""

    codec: str = "utf-8"
    content_type: str = HTML_UTF8
    bom: bool = False
    # a narrower charset the bytes must also be: GB2312 pages are written with the GBK codec
    # so that —— is A1AA A1AA as on real GB2312 pages (decoded as U+2014 by browsers)
    within: str | None = None

    def resource(self, text: str) -> Resource:
        data = text.encode(self.codec)
        if self.within:
            data.decode(self.within)  # raises if the text leaves the narrower repertoire
        return Resource((b"\xef\xbb\xbf" if self.bom else b"") + data, self.content_type)


UTF8 = Encoding()
UTF8_BOM_NO_CHARSET = Encoding(content_type="text/html", bom=True)
GBK_META_ONLY = Encoding("gbk", "text/html")  # charset only in <meta>; the header says nothing
GB2312_META_ONLY = Encoding("gbk", "text/html", within="gb2312")
GBK_HEADER_GB2312 = Encoding("gbk", "text/html; charset=gb2312")


# --------------------------------------------------------------------------- what templates see


@dataclass(frozen=True)
class PageView:
    """One page (版面) of an issue as its template sees it: where it is and what is around it."""

    base: str  # the site's base URL, no trailing slash
    issue: Issue
    page: Page
    path: str  # where the document being written is served
    page_path: str  # where its page is served (``path`` itself on a page)
    pages: tuple[tuple[str, Page], ...]  # (path, page) for the whole issue, in order
    # the neighbouring issues' addresses and pages' paths (None at either end)
    prev_issue: str | None
    next_issue: str | None
    prev_page: str | None
    next_page: str | None
    scan: str | None  # site path of the page scan, None without one
    pdf: str | None
    mobile: frozenset[str]  # ids of the issue's articles that have a mobile page

    def article_path(self, art: Article) -> str:
        return article_path(self.issue.date, art.id)

    def mobile_path(self, art: Article) -> str | None:
        return article_path(self.issue.date, art.id, mobile=True) if art.id in self.mobile else None

    def links_for(self, art: Article) -> list[tuple[str, bool]]:
        """(path, is_mobile) pairs a page uses to link an article."""
        out = [] if art.mobile_only else [(self.article_path(art), False)]
        mobile = self.mobile_path(art)
        if (art.mobile_only or art.link_mobile) and mobile:
            out.append((mobile, True))
        return out

    def primary_link(self, art: Article) -> str:
        return self.links_for(art)[0][0]

    def steps(self) -> list[tuple[str, str | None]]:
        """The four ways on that pages print, with their targets (None: there is none)."""
        return [
            ("上一期", self.prev_issue),
            ("下一期", self.next_issue),
            ("上一版", self.prev_page),
            ("下一版", self.next_page),
        ]


@dataclass(frozen=True)
class ArticleView(PageView):
    """One article's document (desktop or mobile): its page's view plus the article."""

    article: Article
    pictures: tuple[tuple[str, str | None], ...]  # (site path, caption)
    # the issue's articles before and after it; on a mobile page, those with mobile pages
    prev: Article | None
    next: Article | None


# --------------------------------------------------------------------------- what differs


@dataclass(frozen=True)
class Era:
    """One template family: how its pages and articles are written and sent."""

    page: Callable[[PageView], str]
    article: Callable[[ArticleView], str]
    encoding: Encoding = UTF8
    # the issue's own front (an overview of its pages), given its first page's view; without
    # one the issue's address serves its first page
    front: Callable[[PageView], str] | None = None


class Front(Enum):
    """How the root ``/`` sends a reader to the latest issue."""

    REFRESH = "a meta refresh and a plain link, to its absolute URL"
    SCRIPT = "window.location.href, to its path"
    REDIRECT = "302, Location its path"
    ABSOLUTE_REDIRECT = "302, Location its absolute URL"
    SAME = "the latest issue's front itself"


def _no_mobile(issue: Issue, art: Article) -> bool:
    return False


@dataclass(frozen=True)
class Paper:
    """What makes one replica different from another."""

    eras: Mapping[str, Era]
    page_path: Callable[[Issue, Page], str]
    front: Front
    # where 上一期/下一期 point and the root leads: the first page unless said otherwise
    issue_path: Callable[[Issue], str] | None = None
    picture_path: Callable[[date, str], str] = picture_path
    has_mobile: Callable[[Issue, Article], bool] = _no_mobile
    mobile: Callable[[ArticleView], str] | None = None  # the mobile template (always UTF-8)
    files: Mapping[str, Resource] = field(default_factory=dict)  # stylesheets, scripts, images

    def address(self, issue: Issue) -> str:
        return self.issue_path(issue) if self.issue_path else self.page_path(issue, issue.pages[0])


# --------------------------------------------------------------------------- ground truth


def clean_title(title: str) -> str:
    return " ".join(html.unescape(title).split())


def clean_subtitle(subtitle: str | None) -> str | None:
    if not subtitle:
        return None
    return subtitle.lstrip("—").strip() or None


def clean_byline(byline: str | None) -> str | None:
    """The expected `author`: as printed, minus a leading mark (□ ◎ ■) and "作者:" label."""
    if not byline:
        return None
    text = byline.strip()
    if text[:1] in ("□", "◎", "■"):
        text = text[1:].strip()
    for label in ("作者:", "作者："):
        if text.startswith(label):
            text = text[len(label) :].strip()
    return text or None


def _expected_article(view: ArticleView) -> dict:
    art, base = view.article, view.base
    return {
        "article_id": art.id,
        "url": base + view.article_path(art),
        "issue_date": view.issue.date.isoformat(),
        "page_no": view.page.no,
        "page_label": view.page.label,
        "page_name": view.page.name,
        "page_image_url": base + view.scan if view.scan else None,
        "kicker": art.kicker,
        "title": clean_title(art.title),
        "subtitle": clean_subtitle(art.subtitle),
        "author": clean_byline(art.byline),
        "body": "\n".join(p.strip() for p in art.paras),
        "images": [{"url": base + src, "caption": cap} for src, cap in view.pictures],
    }


# --------------------------------------------------------------------------- assembly


def _front(kind: Front, base: str, latest: str, resources: Mapping[str, Resource]) -> Resource:
    if kind is Front.SAME:
        return resources[latest]
    if kind is Front.REDIRECT:
        return Resource(b"", status=302, headers=(("Location", latest),))
    if kind is Front.ABSOLUTE_REDIRECT:
        return Resource(b"", status=302, headers=(("Location", base + latest),))
    if kind is Front.SCRIPT:
        return Resource(
            f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>陕西工人报电子版</title>
<script type="text/javascript">
window.location.href="{latest}";
</script>
</head>
<body>
<p>正在进入陕西工人报电子版……</p>
</body>
</html>
""".encode()
        )
    target = base + latest
    return Resource(
        f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={target}">
<title>陕西工人报电子版</title></head>
<body><p><a href="{target}">进入陕西工人报电子版</a></p></body></html>
""".encode()
    )


def _neighbours(order: list[Article], art: Article) -> tuple[Article | None, Article | None]:
    pos = order.index(art)
    return (order[pos - 1] if pos > 0 else None, order[pos + 1] if pos + 1 < len(order) else None)


def _page_views(base: str, issue: Issue, paper: Paper, prev: str | None, nxt: str | None) -> list[PageView]:
    pages = tuple((paper.page_path(issue, pg), pg) for pg in issue.pages)
    mobile = frozenset(a.id for pg in issue.pages for a in pg.articles if paper.has_mobile(issue, a))
    return [
        PageView(
            base=base,
            issue=issue,
            page=page,
            path=path,
            page_path=path,
            pages=pages,
            prev_issue=prev,
            next_issue=nxt,
            prev_page=pages[i - 1][0] if i > 0 else None,
            next_page=pages[i + 1][0] if i + 1 < len(pages) else None,
            scan=scan_path(issue.date, page.no) if page.scan else None,
            pdf=pdf_path(issue.date, page.no) if page.pdf else None,
            mobile=mobile,
        )
        for i, (path, page) in enumerate(pages)
    ]


def _article_view(view: PageView, art: Article, paper: Paper, order: list[Article], path: str) -> ArticleView:
    pictures = tuple((paper.picture_path(view.issue.date, name), cap) for name, cap in art.images)
    prev, nxt = _neighbours(order, art)
    own = {f.name: getattr(view, f.name) for f in fields(PageView)}
    return ArticleView(**{**own, "path": path}, article=art, pictures=pictures, prev=prev, next=nxt)


def _page_resources(view: PageView, era: Era) -> dict[str, Resource]:
    out = {view.path: era.encoding.resource(era.page(view))}
    if view.scan:
        out[view.scan] = Resource(media.page_scan_jpeg(view.scan, len(view.page.articles)), "image/jpeg")
    if view.pdf:
        title = f"Shaanxi Workers Daily {view.issue.date} page {view.page.label}"
        out[view.pdf] = Resource(media.one_page_pdf(title), "application/pdf")
    return out


def _article_resources(view: PageView, art: Article, era: Era, paper: Paper) -> tuple[ArticleView, dict]:
    order = [a for pg in view.issue.pages for a in pg.articles]
    desktop = _article_view(view, art, paper, order, view.article_path(art))
    out = {desktop.path: era.encoding.resource(era.article(desktop))}
    out |= {src: Resource(media.picture_jpeg(src), "image/jpeg") for src, _cap in desktop.pictures}
    mobile_path = view.mobile_path(art)
    if mobile_path:
        assert paper.mobile is not None, "a paper with mobile pages needs a mobile template"
        # the mobile site links 上篇/下篇 between the issue's mobile pages
        mobile_order = [a for a in order if a.id in view.mobile]
        mobile = _article_view(view, art, paper, mobile_order, mobile_path)
        out[mobile_path] = Resource(paper.mobile(mobile).encode("utf-8"))
    return desktop, out


def _expected_page(view: PageView) -> dict:
    return {
        "issue_date": view.issue.date.isoformat(),
        "page_no": view.page.no,
        "page_label": view.page.label,
        "page_name": view.page.name,
        "page_image_url": view.base + view.scan if view.scan else None,
        "pdf_url": view.base + view.pdf if view.pdf else None,
        "url": view.base + view.path,
        "article_ids": [a.id for a in view.page.articles],
    }


def build(base_url: str, issues: Iterable[Issue], paper: Paper) -> Site:
    """The whole replica for a server reachable at `base_url` (no trailing slash)."""
    base = base_url.rstrip("/")
    issues = sorted(issues, key=lambda i: i.date)
    assert len({i.date for i in issues}) == len(issues), "issue dates must be unique"
    addresses = [paper.address(i) for i in issues]
    resources: dict[str, Resource] = {"/robots.txt": Resource(ROBOTS, "text/plain; charset=utf-8")}
    resources |= paper.files
    articles: list[dict] = []
    pages: list[dict] = []
    issue_rows: list[dict] = []
    seen: set[str] = set()

    for idx, issue in enumerate(issues):
        era = paper.eras[issue.era]
        prev = addresses[idx - 1] if idx > 0 else None
        nxt = addresses[idx + 1] if idx + 1 < len(issues) else None
        views = _page_views(base, issue, paper, prev, nxt)
        for view in views:
            resources |= _page_resources(view, era)
            pages.append(_expected_page(view))
            for art in view.page.articles:
                assert art.id not in seen, f"duplicate article id {art.id}"
                seen.add(art.id)
                desktop, served = _article_resources(view, art, era, paper)
                resources |= served
                articles.append(_expected_article(desktop))
        if era.front:
            resources[addresses[idx]] = era.encoding.resource(era.front(views[0]))
        elif addresses[idx] not in resources:
            resources[addresses[idx]] = resources[views[0].path]
        issue_rows.append(
            {
                "issue_date": issue.date.isoformat(),
                "page_count": len(issue.pages),
                "article_count": sum(len(p.articles) for p in issue.pages),
                "url": base + addresses[idx],
            }
        )

    resources["/"] = _front(paper.front, base, addresses[-1], resources)
    guided = {href for i in issues for pg in i.pages for href, _text in pg.guide if href.startswith("/")}
    articles.sort(key=lambda a: (a["issue_date"], a["page_no"], a["article_id"]))
    return Site(
        base_url=base,
        resources=resources,
        expected_articles=articles,
        expected_issues=issue_rows,
        expected_pages=pages,
        broken_links=sorted(href for href in guided if href not in resources),
    )
