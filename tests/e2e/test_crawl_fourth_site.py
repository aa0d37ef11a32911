"""A fourth, independently designed 53BK-style site: page URLs `/paper/c/YYYYMM/DD/cN.html`,
full-width colons (with spaces) in the 当前版 marker and the page list, a GBK era with the
charset only in <meta>, `<td>` bodies split by `<br><br>`, h1/h2/div.title titles, `p.yt`
kickers, `p.ft` subtitles, print/close toolbars, 上一篇/下一篇 and 返回目录 links, and a
root that answers 302 to the latest issue's page 1.

Choice on "(责任编辑：…)": it is an editor credit stamped by the template, not article text,
so it is NOT part of the expected body — neither when it sits in its own element after the
body nor when it is the last `<br><br>` chunk of a `<td>` body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sxworker.archive import Archive
from sxworker.replica import ReplicaServer
from sxworker.replica.builder import Resource, Site
from tests.conftest import run_scrapy_crawl

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64) + b"\xff\xd9"
FIELDS = (
    "article_id", "url", "issue_date", "page_no", "page_label", "page_name", "page_image_url",
    "kicker", "title", "subtitle", "author", "body", "images",
)  # fmt: skip


@dataclass
class Art:
    id: str
    title_html: str  # as printed in the page (may hold &nbsp; / line breaks)
    title: str  # expected, whitespace-normalised
    paras: tuple[str, ...]
    byline: str | None = None  # as printed
    author: str | None = None  # expected
    kicker: str | None = None
    subtitle: str | None = None  # printed with a leading ——
    editor: str | None = None
    picture: str | None = None


@dataclass
class Pg:
    no: int
    label: str
    name: str | None
    arts: list[Art] = field(default_factory=list)


@dataclass
class Issue:
    day: str
    era: str  # "2001" (GBK, td bodies), "2014", "2024"
    pages: list[Pg]
    scans: bool = True


ISSUES = [
    Issue("2001-06-12", "2001", scans=False, pages=[
        Pg(1, "1", "头版", [
            Art("031201", "全省职工技能大赛\n    落下帷幕", "全省职工技能大赛 落下帷幕",
                ("6月10日，全省职工技能大赛在西安闭幕。", "来自各地的三百名选手参加了比赛。"),
                byline="■ 王五", author="王五", kicker="历时三个月", editor="钱七"),
            Art("031202", "省总工会召开全委会", "省总工会召开全委会",
                ("会议总结了上半年工作。", "会议部署了下半年任务。")),
        ]),
        Pg(2, "2", None, [
            Art("031203", "天车司机的一天", "天车司机的一天",
                ("早上七点，他准时来到车间。", "一天的工作从检查设备开始。"),
                byline="作者：孙八", author="孙八", subtitle="——记宝鸡某厂天车司机"),
            Art("031204", "夏季安全生产提示", "夏季安全生产提示",
                ("高温天气要注意防暑降温。", "各单位要落实安全责任。")),
        ]),
    ]),
    Issue("2014-03-18", "2014", pages=[
        Pg(1, "A1", "要闻", [
            Art("118301", "农民工工资保证金制度全面推行", "农民工工资保证金制度全面推行",
                ("　　记者从省人社厅获悉，保证金制度将在全省推行。", "　　此举旨在根治欠薪问题。"),
                byline="记者 张三 通讯员 李四", author="记者 张三 通讯员 李四"),
            Art("118302", "一线职工代表座谈", "一线职工代表座谈",
                ("　　座谈会上，职工代表踊跃发言。", "　　大家围绕技能提升提出建议。",
                 "　　会议由省总工会主持。"),
                kicker="倾听基层声音", subtitle="——省总工会召开职工代表座谈会", editor="赵六"),
            Art("118303", "图片新闻", "图片新闻", ("　　春耕时节，农机手在田间作业。",)),
        ]),
        Pg(2, "A2", "综合新闻", [
            Art("118304", "劳模工作室挂牌", "劳模工作室挂牌",
                ("　　又一批劳模工作室挂牌成立。", "　　工作室将带徒传艺。"),
                byline="□ 周九", author="周九"),
            Art("118305", "职工书屋建设提速", "职工书屋建设提速",
                ("　　今年全省将新建职工书屋一百家。",)),
        ]),
    ]),
    Issue("2024-03-15", "2024", pages=[
        Pg(1, "A1", "要闻", [
            Art("402101", "春风行动&nbsp;&nbsp;送岗位到家门", "春风行动 送岗位到家门",
                ("3月14日，春风行动专场招聘会在西安举行。", "现场提供岗位五千余个。"),
                byline="本报记者 吴十", author="本报记者 吴十", picture="402101_1", editor="郑一"),
            Art("402102", "工会服务站 温暖户外劳动者", "工会服务站 温暖户外劳动者",
                ("全省已建成工会驿站两千余个。", "驿站为户外劳动者提供歇脚、饮水等服务。"),
                kicker="打通服务职工“最后一公里”", subtitle="——我省工会驿站建设综述"),
        ]),
        Pg(2, "A2", "职工天地", [
            Art("402103", "我的师傅", "我的师傅",
                ("师傅话不多，手上的活却样样精。", "他教会我的不只是技术。"),
                byline="◎ 冯二", author="冯二"),
            Art("402104", "春日随笔", "春日随笔", ("窗外的柳树发芽了。",), byline="陈三", author="陈三"),
            Art("402105", "职工摄影作品选登", "职工摄影作品选登", ("本期刊登职工摄影作品两幅。",)),
        ]),
    ]),
]  # fmt: skip


def _parts(day: str) -> tuple[str, str, str]:
    return day[:4], day[5:7], day[8:]


def page_path(issue: Issue, no: int) -> str:
    y, m, d = _parts(issue.day)
    return f"/paper/c/{y}{m}/{d}/c{no}.html"


def art_path(issue: Issue, art: Art) -> str:
    y, m, d = _parts(issue.day)
    return f"/content/{y}-{m}/{d}/{art.id}.html"


def scan_path(issue: Issue, no: int) -> str:
    y, m, d = _parts(issue.day)
    return f"/Img/{y}/{m}/{y}{m}{d}{no:02d}-1.jpg"


def pic_path(issue: Issue, stem: str) -> str:
    y, m, d = _parts(issue.day)
    return f"/pic/{y}{m}/{d}/{stem}.jpg"


def _marker(page: Pg) -> str:
    label = f"第{page.label}版"
    return f"当前版： {label}： {page.name}" if page.name else f"当前版： {label}"


def _entry(page: Pg) -> str:
    return f"{page.label}：{page.name}" if page.name else f"第{page.label}版"


def _doc(issue: Issue, title: str, body: str) -> Resource:
    if issue.era == "2001":
        head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        html = f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>"
        return Resource(html.encode("gbk"), "text/html")
    head = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    html = f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body>{body}</body></html>"
    return Resource(html.encode("utf-8"))


def _header(issue: Issue) -> str:
    y, m, d = _parts(issue.day)
    return (
        '<table class="top"><tr><td>陕西工人报官方网站 | <a href="http://www.sxworker.com/">陕工网首页</a></td>'
        f"<td>出版日期：{y}年{m}月{d}日</td></tr></table>"
    )


FOOTER = '<div class="foot">&copy; 陕西工人报社 版权所有 技术支持：<a href="http://www.53bk.com/">53BK.com</a></div>'


def _page_html(issue: Issue, idx: int, prev_issue: str | None, next_issue: str | None) -> str:
    page = issue.pages[idx]
    here = page_path(issue, page.no)
    y, m, d = _parts(issue.day)
    nav = "".join(f'<li><a href="c{p.no}.html">{_entry(p)}</a></li>' for p in issue.pages)
    issue_nav = "".join(
        f'<a href="{href}">{text}</a> '
        for href, text in ((prev_issue, "上一期"), (next_issue, "下一期"))
        if href
    )
    page_nav = ""
    if idx > 0:
        page_nav += f'<a href="c{issue.pages[idx - 1].no}.html">上一版</a> '
    if idx + 1 < len(issue.pages):
        page_nav += f'<a href="c{issue.pages[idx + 1].no}.html">下一版</a>'
    if issue.era == "2014":  # relative links up to /content/ from /paper/c/YYYYMM/DD/
        links = "".join(
            f'<li><a href="../../../../content/{y}-{m}/{d}/{a.id}.html">{a.title}</a></li>' for a in page.arts
        )
    else:
        links = "".join(f'<li><a href="{art_path(issue, a)}">{a.title}</a></li>' for a in page.arts)
    scan = (
        f'<div class="scan"><img src="{scan_path(issue, page.no)}" usemap="#m"></div>' if issue.scans else ""
    )
    assert here
    return (
        f"{_header(issue)}<div class='bar'>{_marker(page)} {issue_nav}{page_nav}</div>"
        f"<div class='left'>{scan}</div>"
        f"<div class='right'><div class='plist'><ul>{nav}</ul></div>"
        f"<div class='alist'><b>本版标题导航</b><ul>{links}</ul></div></div>{FOOTER}"
    )


def _article_html(issue: Issue, page: Pg, pos: int) -> str:
    art = page.arts[pos]
    kicker = f'<p class="yt">{art.kicker}</p>' if art.kicker else ""
    subtitle = f'<p class="ft">{art.subtitle}</p>' if art.subtitle else ""
    byline = f'<p class="zz">{art.byline}</p>' if art.byline else ""
    picture = ""
    if art.picture:
        picture = f'<div class="pic"><img src="{pic_path(issue, art.picture)}" border="0"></div>'
    prev_a = page.arts[pos - 1] if pos > 0 else None
    next_a = page.arts[pos + 1] if pos + 1 < len(page.arts) else None
    links = ""
    if prev_a:
        links += f'<p>上一篇：<a href="{art_path(issue, prev_a)}">{prev_a.title}</a></p>'
    if next_a:
        links += f'<p>下一篇：<a href="{art_path(issue, next_a)}">{next_a.title}</a></p>'
    back = f'<a href="{page_path(issue, page.no)}">返回目录</a>'
    toolbar = '<div class="tool"><a href="javascript:window.print()">【打印】</a>' \
        '<a href="javascript:window.close()">【关闭】</a></div>'  # fmt: skip
    zoom = '<div class="zoom">放大 缩小 默认</div>'
    marker = (
        f'<div class="bar">{_marker(page)} <a href="{page_path(issue, page.no)}">{_entry(page)}</a></div>'
    )
    if issue.era == "2001":
        title = f'<div class="title">{art.title_html}</div>'
        text = "<br><br>".join(art.paras)
        if art.editor:
            text += f"<br><br>(责任编辑：{art.editor})"
        return (
            f"{_header(issue)}{marker}<table width='100%'><tr><td>{kicker}{title}{subtitle}{byline}</td></tr>"
            f"<tr><td class='bt'>{text}</td></tr></table>{toolbar}{links}{back}{FOOTER}"
        )
    tag = "h2" if issue.era == "2014" else "h1"
    paras = "".join(f"<p>{p}</p>" for p in art.paras)
    editor = f'<p class="bj">(责任编辑：{art.editor})</p>' if art.editor else ""
    return (
        f"{_header(issue)}{marker}<div class='art'>{kicker}<{tag}>{art.title_html}</{tag}>{subtitle}{byline}"
        f"{zoom}<div id='ozoom'>{picture}{paras}</div>{editor}{toolbar}"
        f"<div class='sx'>{links}</div>{back}</div>{FOOTER}"
    )


def _expected(base: str, issue: Issue, page: Pg, art: Art) -> dict:
    return {
        "article_id": art.id,
        "url": base + art_path(issue, art),
        "issue_date": issue.day,
        "page_no": page.no,
        "page_label": page.label,
        "page_name": page.name,
        "page_image_url": base + scan_path(issue, page.no) if issue.scans else None,
        "kicker": art.kicker,
        "title": art.title,
        "subtitle": art.subtitle.lstrip("—") if art.subtitle else None,
        "author": art.author,
        "body": "\n".join(p.strip() for p in art.paras),
        "images": [{"url": base + pic_path(issue, art.picture), "caption": None}] if art.picture else [],
    }


def build_fourth_site(base_url: str) -> Site:
    base = base_url.rstrip("/")
    resources: dict[str, Resource] = {}
    expected: list[dict] = []
    for i, issue in enumerate(ISSUES):
        prev_issue = page_path(ISSUES[i - 1], 1) if i > 0 else None
        next_issue = page_path(ISSUES[i + 1], 1) if i + 1 < len(ISSUES) else None
        for idx, page in enumerate(issue.pages):
            resources[page_path(issue, page.no)] = _doc(
                issue, f"陕西工人报 {_entry(page)}", _page_html(issue, idx, prev_issue, next_issue)
            )
            if issue.scans:
                resources[scan_path(issue, page.no)] = Resource(JPEG, "image/jpeg")
            for pos, art in enumerate(page.arts):
                resources[art_path(issue, art)] = _doc(issue, art.title, _article_html(issue, page, pos))
                if art.picture:
                    resources[pic_path(issue, art.picture)] = Resource(JPEG, "image/jpeg")
                expected.append(_expected(base, issue, page, art))
    latest = base + page_path(ISSUES[-1], 1)
    resources["/"] = Resource(b"", "text/html", status=302, headers=(("Location", latest),))
    resources["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /admin/\n", "text/plain")
    return Site(base, resources, expected, [], [])


def _norm_images(images) -> list[dict]:
    return [{"url": i.get("url"), "caption": i.get("caption")} for i in images or []]


def test_fourth_site_every_article_field(tmp_path):
    db = tmp_path / "fourth.sqlite3"
    with ReplicaServer(builder=build_fourth_site) as server:
        process = run_scrapy_crawl(server.base_url, db, "-a", "start=2001-01-01", "-a", "end=2024-12-31")
        expected = {a["article_id"]: a for a in server.site.expected_articles}
    assert process.returncode == 0, process.stderr[-2000:]
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
