"""A fourth, independently designed 53BK-style site, for the crawl of every article field.

Page URLs ``/paper/c/YYYYMM/DD/cN.html``, full-width colons (with spaces) in the 当前版
marker and the page list, a GBK era with the charset only in <meta> and no scans, ``<td>``
bodies split by ``<br><br>``, h1/h2/div.title titles, ``p.yt`` kickers, ``p.ft`` subtitles,
print/close toolbars, 上一篇/下一篇 (within the page) and 返回目录 links, and a root that
answers 302 with the latest issue's absolute URL.

Choice on "(责任编辑：…)": it is an editor credit stamped by the template, not article text,
so it is NOT part of the expected body — neither when it sits in its own element after the
body nor when it is the last ``<br><br>`` chunk of a ``<td>`` body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sxworker.replica.builder import (
    GBK_META_ONLY,
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
    clean_title,
    date_cn,
    via_root,
    ymd,
)


@dataclass
class Art(Article):
    editor: str | None = None  # the 责任编辑 credit the template stamps under the body


ISSUES = [
    Issue(date(2001, 6, 12), "2001", [
        Page(1, "1", "头版", [
            Art("031201", "全省职工技能大赛\n    落下帷幕",
                ("6月10日，全省职工技能大赛在西安闭幕。", "来自各地的三百名选手参加了比赛。"),
                byline="■ 王五", kicker="历时三个月", editor="钱七"),
            Art("031202", "省总工会召开全委会", ("会议总结了上半年工作。", "会议部署了下半年任务。")),
        ], scan=False),
        Page(2, "2", None, [
            Art("031203", "天车司机的一天", ("早上七点，他准时来到车间。", "一天的工作从检查设备开始。"),
                byline="作者：孙八", subtitle="——记宝鸡某厂天车司机"),
            Art("031204", "夏季安全生产提示", ("高温天气要注意防暑降温。", "各单位要落实安全责任。")),
        ], scan=False),
    ]),
    Issue(date(2014, 3, 18), "2014", [
        Page(1, "A1", "要闻", [
            Art("118301", "农民工工资保证金制度全面推行",
                ("　　记者从省人社厅获悉，保证金制度将在全省推行。", "　　此举旨在根治欠薪问题。"),
                byline="记者 张三 通讯员 李四"),
            Art("118302", "一线职工代表座谈",
                ("　　座谈会上，职工代表踊跃发言。", "　　大家围绕技能提升提出建议。",
                 "　　会议由省总工会主持。"),
                kicker="倾听基层声音", subtitle="——省总工会召开职工代表座谈会", editor="赵六"),
            Art("118303", "图片新闻", ("　　春耕时节，农机手在田间作业。",)),
        ]),
        Page(2, "A2", "综合新闻", [
            Art("118304", "劳模工作室挂牌", ("　　又一批劳模工作室挂牌成立。", "　　工作室将带徒传艺。"),
                byline="□ 周九"),
            Art("118305", "职工书屋建设提速", ("　　今年全省将新建职工书屋一百家。",)),
        ]),
    ]),
    Issue(date(2024, 3, 15), "2024", [
        Page(1, "A1", "要闻", [
            Art("402101", "春风行动&nbsp;&nbsp;送岗位到家门",
                ("3月14日，春风行动专场招聘会在西安举行。", "现场提供岗位五千余个。"),
                byline="本报记者 吴十", images=(("402101_1", None),), editor="郑一"),
            Art("402102", "工会服务站 温暖户外劳动者",
                ("全省已建成工会驿站两千余个。", "驿站为户外劳动者提供歇脚、饮水等服务。"),
                kicker="打通服务职工“最后一公里”", subtitle="——我省工会驿站建设综述"),
        ]),
        Page(2, "A2", "职工天地", [
            Art("402103", "我的师傅", ("师傅话不多，手上的活却样样精。", "他教会我的不只是技术。"),
                byline="◎ 冯二"),
            Art("402104", "春日随笔", ("窗外的柳树发芽了。",), byline="陈三"),
            Art("402105", "职工摄影作品选登", ("本期刊登职工摄影作品两幅。",)),
        ]),
    ]),
]  # fmt: skip


def page_path(issue: Issue, page: Page) -> str:
    y, m, d = ymd(issue.date)
    return f"/paper/c/{y}{m}/{d}/c{page.no}.html"


def _marker(page: Page) -> str:
    label = f"第{page.label}版"
    return f"当前版： {label}： {page.name}" if page.name else f"当前版： {label}"


def _entry(page: Page) -> str:
    return f"{page.label}：{page.name}" if page.name else f"第{page.label}版"


def _doc(view: PageView, title: str, body: str) -> str:
    if view.issue.era == "2001":
        head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        return f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>"
    head = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    return f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


def _header(view: PageView) -> str:
    return (
        '<table class="top"><tr><td>陕西工人报官方网站 | <a href="http://www.sxworker.com/">陕工网首页</a></td>'
        f"<td>出版日期：{date_cn(view.issue.date)}</td></tr></table>"
    )


FOOTER = '<div class="foot">&copy; 陕西工人报社 版权所有 技术支持：<a href="http://www.53bk.com/">53BK.com</a></div>'


def _sibling(path: str) -> str:
    """A page of the same issue, linked by its file name."""
    return path.rsplit("/", 1)[1]


def _article_href(view: PageView, art: Article) -> str:
    """2014 climbs from /paper/c/YYYYMM/DD/ to /content/; the other eras link from the root."""
    path = view.article_path(art)
    return via_root(view.path, path) if view.issue.era == "2014" else path


def page_html(view: PageView) -> str:
    page = view.page
    nav = "".join(f'<li><a href="{_sibling(path)}">{_entry(p)}</a></li>' for path, p in view.pages)
    issue_nav = "".join(
        f'<a href="{href}">{text}</a> '
        for href, text in ((view.prev_issue, "上一期"), (view.next_issue, "下一期"))
        if href
    )
    page_nav = ""
    if view.prev_page:
        page_nav += f'<a href="{_sibling(view.prev_page)}">上一版</a> '
    if view.next_page:
        page_nav += f'<a href="{_sibling(view.next_page)}">下一版</a>'
    links = "".join(
        f'<li><a href="{_article_href(view, a)}">{clean_title(a.title)}</a></li>' for a in page.articles
    )
    scan = f'<div class="scan"><img src="{view.scan}" usemap="#m"></div>' if view.scan else ""
    body = (
        f"{_header(view)}<div class='bar'>{_marker(page)} {issue_nav}{page_nav}</div>"
        f"<div class='left'>{scan}</div>"
        f"<div class='right'><div class='plist'><ul>{nav}</ul></div>"
        f"<div class='alist'><b>本版标题导航</b><ul>{links}</ul></div></div>{FOOTER}"
    )
    return _doc(view, f"陕西工人报 {_entry(page)}", body)


def article_html(view: ArticleView) -> str:
    art, page = view.article, view.page
    editor = art.editor if isinstance(art, Art) else None
    kicker = f'<p class="yt">{art.kicker}</p>' if art.kicker else ""
    subtitle = f'<p class="ft">{art.subtitle}</p>' if art.subtitle else ""
    byline = f'<p class="zz">{art.byline}</p>' if art.byline else ""
    picture = "".join(f'<div class="pic"><img src="{src}" border="0"></div>' for src, _cap in view.pictures)
    pos = page.articles.index(art)  # 上一篇/下一篇 stay within the page
    prev_a = page.articles[pos - 1] if pos > 0 else None
    next_a = page.articles[pos + 1] if pos + 1 < len(page.articles) else None
    links = ""
    if prev_a:
        links += f'<p>上一篇：<a href="{view.article_path(prev_a)}">{clean_title(prev_a.title)}</a></p>'
    if next_a:
        links += f'<p>下一篇：<a href="{view.article_path(next_a)}">{clean_title(next_a.title)}</a></p>'
    back = f'<a href="{view.page_path}">返回目录</a>'
    toolbar = '<div class="tool"><a href="javascript:window.print()">【打印】</a>' \
        '<a href="javascript:window.close()">【关闭】</a></div>'  # fmt: skip
    zoom = '<div class="zoom">放大 缩小 默认</div>'
    marker = f'<div class="bar">{_marker(page)} <a href="{view.page_path}">{_entry(page)}</a></div>'
    if view.issue.era == "2001":
        title = f'<div class="title">{art.title}</div>'
        text = "<br><br>".join(art.paras)
        if editor:
            text += f"<br><br>(责任编辑：{editor})"
        body = (
            f"{_header(view)}{marker}<table width='100%'><tr><td>{kicker}{title}{subtitle}{byline}</td></tr>"
            f"<tr><td class='bt'>{text}</td></tr></table>{toolbar}{links}{back}{FOOTER}"
        )
        return _doc(view, clean_title(art.title), body)
    tag = "h2" if view.issue.era == "2014" else "h1"
    paras = "".join(f"<p>{p}</p>" for p in art.paras)
    credit = f'<p class="bj">(责任编辑：{editor})</p>' if editor else ""
    body = (
        f"{_header(view)}{marker}<div class='art'>{kicker}<{tag}>{art.title}</{tag}>{subtitle}{byline}"
        f"{zoom}<div id='ozoom'>{picture}{paras}</div>{credit}{toolbar}"
        f"<div class='sx'>{links}</div>{back}</div>{FOOTER}"
    )
    return _doc(view, clean_title(art.title), body)


PAPER = Paper(
    eras={
        "2001": Era(page_html, article_html, GBK_META_ONLY),
        "2014": Era(page_html, article_html),
        "2024": Era(page_html, article_html),
    },
    page_path=page_path,
    front=Front.ABSOLUTE_REDIRECT,
)


def build_fourth_site(base_url: str) -> Site:
    return build(base_url, ISSUES, PAPER)
