"""HTML renderers of the bundled replica, one family per era of the 53BK template.

Each renderer returns text for a view of the builder (the era's ``Encoding`` makes bytes:
GBK for the old eras). The markup is invented: only the visible text follows what is known
of the real site.
"""

# ruff: noqa: E501 - long HTML/Chinese text literals read better unwrapped
from __future__ import annotations

from html import escape

from .builder import GBK_HEADER_GB2312, GBK_META_ONLY, ArticleView, Era, Page, PageView, date_cn, rel

OFFSITE_NEW_READER = "http://paper.sxworker.com/xpaper/news/"
OFFSITE_PORTAL = "http://www.sxworker.com/"


def e(text: str) -> str:
    return escape(text, quote=True)


def _area_coords(i: int) -> str:
    top = 40 + i * 70
    return f"10,{top},290,{top + 60}"


def _label_text(page: Page) -> str:
    return page.name if page.name else f"第{page.no}版"


# --------------------------------------------------------------------------- 1985 era
# Uppercase table markup, GBK bytes, charset only in <META>, full-width colons,
# empty FONT slots where a kicker/subtitle/author is missing.


def _p85_head(ctx: PageView, href, title: str) -> str:
    out = [
        "<HTML><HEAD>",
        '<META http-equiv="Content-Type" content="text/html; charset=gb2312">',
        f"<TITLE>{e(title)}</TITLE>",
        f'<LINK href="{href("/css/paper.css")}" type=text/css rel=stylesheet>',
        "</HEAD>",
        "<BODY leftMargin=0 topMargin=0 marginheight=0 marginwidth=0>",
        "<TABLE cellSpacing=0 cellPadding=0 width=980 align=center border=0>",
        f'<TR><TD class=top>陕西工人报官方网站 | <A href="{OFFSITE_PORTAL}" target=_blank>'
        "陕工网首页</A> 今天是 <SCRIPT>document.write(today());</SCRIPT></TD></TR>",
        f'<TR><TD><A href="{OFFSITE_PORTAL}gtpl.html">跟帖评论自律管理承诺书</A> '
        "不良信息举报电话:陕工网(029-87339475)</TD></TR>",
        f"<TR><TD class=date><FONT color=#990000>出版日期:{date_cn(ctx.issue.date)}</FONT></TD></TR>",
    ]
    titles = " ".join(f'<A href="{href(ctx.primary_link(a))}">{e(a.title)}</A>' for a in ctx.page.articles)
    out.append(f"<TR><TD>陕西工人报第{ctx.page.no}版&nbsp; {titles}</TD></TR>")
    nav = [f"当前版:第{ctx.page.label}版:{_label_text(ctx.page)}&nbsp;&nbsp;"]
    for text, target in ctx.steps():
        if target:
            nav.append(f'<A href="{href(target)}">{text}</A>&nbsp;')
    out.append("<TR><TD class=nav>" + "".join(nav) + "</TD></TR>")
    return "\n".join(out)


def _p85_pagelist(ctx: PageView, href) -> str:
    rows = ["<TABLE width=160 border=0><TR><TD class=bm>版面翻页</TD></TR>"]
    for path, pg in ctx.pages:
        rows.append(f'<TR><TD><A href="{href(path)}">第{pg.no}版</A></TD></TR>')
    rows.append("</TABLE>")
    return "\n".join(rows)


def _p85_foot(href) -> str:
    return (
        "<TR><TD align=center class=foot>陕西工人报社 版权所有<BR>"
        "制作单位:53BK.com</TD></TR>\n</TABLE></BODY></HTML>\n"
    )


def page_1985(ctx: PageView) -> str:
    def href(p: str) -> str:
        return e(rel(ctx.path, p))

    out = [_p85_head(ctx, href, f"陕西工人报第{ctx.page.no}版")]
    out.append("<TR><TD><TABLE width=100% border=0><TR><TD width=320 vAlign=top>")
    if ctx.scan:
        out.append(f'<IMG src="{href(ctx.scan)}" width=300 border=0>')
    else:
        out.append("&nbsp;")
    out.append("</TD><TD vAlign=top>")
    out.append(_p85_pagelist(ctx, href))
    out.append(
        f"<TABLE width=100% border=0><TR><TD class=bm>第{ctx.page.no}版&nbsp;&nbsp;"
        f"{ctx.page.no:02d}</TD></TR>"
    )
    for art in ctx.page.articles:
        out.append(
            f'<TR><TD><IMG src="{href("/images/dot.gif")}"> '
            f'<A href="{href(ctx.primary_link(art))}">{e(art.title)}</A></TD></TR>'
        )
    out.append("</TABLE></TD></TR></TABLE></TD></TR>")
    out.append(_p85_foot(href))
    return "\n".join(out)


def article_1985(actx: ArticleView) -> str:
    ctx, art = actx, actx.article

    def href(p: str) -> str:
        return e(rel(actx.path, p))

    out = [_p85_head(ctx, href, art.title)]
    out.append("<TR><TD><TABLE width=100% border=0><TR><TD width=180 vAlign=top>")
    out.append(_p85_pagelist(ctx, href))
    if ctx.scan:
        out.append(f'<A href="{href(ctx.page_path)}"><IMG src="{href(ctx.scan)}" width=150 border=0></A>')
    out.append(f'<BR><A href="{href(ctx.page_path)}">返回本版</A>')
    out.append("</TD><TD vAlign=top>")
    out.append(
        f"<TABLE width=100% border=0><TR><TD class=bm>第{ctx.page.no}版&nbsp;&nbsp;"
        f"{ctx.page.no:02d}</TD></TR>"
    )
    out.append(f"<TR><TD align=center><FONT size=3>{e(art.kicker or '')}</FONT></TD></TR>")
    out.append(f"<TR><TD align=center><FONT size=5><B>{e(art.title)}</B></FONT></TD></TR>")
    sub = "——" + art.subtitle if art.subtitle else ""
    out.append(f"<TR><TD align=center><FONT size=3>{e(sub)}</FONT></TD></TR>")
    out.append(f"<TR><TD align=center><FONT size=2>{e(art.byline or '')}</FONT></TD></TR>")
    body = []
    for i, para in enumerate(art.paras):
        indent = "　　" if i % 2 == 0 else "&nbsp;&nbsp;&nbsp;&nbsp;"
        body.append(f"{indent}{e(para)}<BR>")
    out.append("<TR><TD id=ozoom class=font6><FONT size=3>\n" + "\n".join(body) + "\n</FONT></TD></TR>")
    out.append(
        '<TR><TD align=right><A href="javascript:doZoom(16)">放大</A> '
        '<A href="javascript:doZoom(12)">缩小</A> '
        '<A href="javascript:doZoom(14)">默认</A></TD></TR>'
    )
    out.append("</TABLE></TD></TR></TABLE></TD></TR>")
    out.append(_p85_foot(href))
    return "\n".join(out)


# --------------------------------------------------------------------------- 1990 era
# Lower-case div markup, GBK bytes with charset in header AND meta, image maps.


def _p90_top(ctx: PageView, href, title: str) -> str:
    nav = []
    for text, target in ctx.steps():
        if target:
            nav.append(f'<a href="{href(target)}">{text}</a>')
    titles = " ".join(f'<a href="{href(ctx.primary_link(a))}">{e(a.title)}</a>' for a in ctx.page.articles)
    pages = "\n".join(
        f'<li><a href="{href(p)}">第{pg.no:02d}版:{e(_label_text(pg))}</a></li>' for p, pg in ctx.pages
    )
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{e(title)}</title>
<link rel="stylesheet" href="{href("/css/paper.css")}">
<script type="text/javascript" src="{href("/js/zoom.js")}"></script>
</head>
<body>
<div id="top">陕西工人报官方网站 | <a href="{OFFSITE_PORTAL}">陕工网首页</a> 今天是 <span id="today"></span>
<br><a href="{OFFSITE_PORTAL}gtpl.html">跟帖评论自律管理承诺书</a> 不良信息举报电话:陕工网(029-87339475)</div>
<div id="dateline">出版日期:{date_cn(ctx.issue.date)}</div>
<div id="pagetitles">陕西工人报第{ctx.page.no}版 {titles}</div>
<div id="curpage">当前版:第{ctx.page.label}版:{e(_label_text(ctx.page))} {" ".join(nav)}</div>
<div id="bmdh"><h4>版面导航</h4><ul>
{pages}
</ul></div>
"""


def _scan_map(ctx: PageView, href, width: int = 300) -> str:
    if not ctx.scan:
        return ""
    areas = "\n".join(
        f'<area shape="rect" coords="{_area_coords(i)}" href="{href(ctx.primary_link(a))}">'
        for i, a in enumerate(ctx.page.articles)
    )
    return (
        f'<img src="{href(ctx.scan)}" width="{width}" border="0" usemap="#PagePicMap">\n'
        f'<map name="PagePicMap">\n{areas}\n</map>'
    )


def page_1990(ctx: PageView) -> str:
    def href(p: str) -> str:
        return e(rel(ctx.path, p))

    items = []
    for art in ctx.page.articles:
        links = ctx.links_for(art)
        items.append(f'<li><a href="{href(links[0][0])}">{e(art.title)}</a></li>')
    return (
        _p90_top(ctx, href, f"陕西工人报-第{ctx.page.no}版:{_label_text(ctx.page)}")
        + f'<div id="pageview">{_scan_map(ctx, href)}</div>\n'
        + f'<div class="pagehead">{e(_label_text(ctx.page))}&nbsp;&nbsp;{ctx.page.no:02d}</div>\n'
        + '<div id="titlelist"><ul>\n'
        + "\n".join(items)
        + "\n</ul></div>\n"
        + '<div id="foot">陕西工人报社版权所有 制作单位:53BK.com</div>\n</body>\n</html>\n'
    )


def article_1990(actx: ArticleView) -> str:
    ctx, art = actx, actx.article

    def href(p: str) -> str:
        return e(rel(actx.path, p))

    parts = [_p90_top(ctx, href, art.title)]
    parts.append(
        f'<div class="pagehead"><a href="{href(ctx.page_path)}">{e(_label_text(ctx.page))}'
        f"&nbsp;&nbsp;{ctx.page.no:02d}</a></div>"
    )
    if ctx.scan:
        parts.append(
            f'<div class="thumb"><a href="{href(ctx.page_path)}"><img src="{href(ctx.scan)}"'
            ' width="120"></a></div>'
        )
    parts.append('<div class="article">')
    if art.kicker:
        parts.append(f"<h3>{e(art.kicker)}</h3>")
    parts.append(f"<h1>{e(art.title)}</h1>")
    if art.subtitle:
        parts.append(f"<h2>——{e(art.subtitle)}</h2>")
    if art.byline:
        parts.append(f'<div class="author">{e(art.byline)}</div>')
    parts.append('<div id="ozoom">')
    parts.extend(f"<p>　　{e(p)}</p>" for p in art.paras)
    parts.append("</div>")
    parts.append(
        '<div class="zoom">【字号 <a href="javascript:doZoom(16)">放大</a> '
        '<a href="javascript:doZoom(12)">缩小</a> '
        '<a href="javascript:doZoom(14)">默认</a>】</div>'
    )
    parts.append("</div>")
    parts.append('<div id="foot">陕西工人报社版权所有 制作单位:53BK.com</div>\n</body>\n</html>\n')
    return "\n".join(parts)


# --------------------------------------------------------------------------- 2005 era
# Table layout again, but UTF-8 bytes with a STALE gb2312 meta (the header is right),
# root-relative links, "02版 综合新闻" page links, disabled arrows as <span>.


def _p05_top(ctx: PageView, title: str) -> str:
    arrows = []
    for text, target in ctx.steps():
        if target:
            arrows.append(f'<a href="{e(target)}" class="arrow">{text}</a>')
        else:
            arrows.append(f'<span class="arrow disabled">{text}</span>')
    pages = "\n".join(
        f'<tr><td class="bmdh"><a href="{e(p)}">{pg.no:02d}版 {e(_label_text(pg))}</a></td></tr>'
        for p, pg in ctx.pages
    )
    return f"""<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{e(title)}</title>
<link href="/css/paper.css" rel="stylesheet" type="text/css" />
</head>
<body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="top">陕西工人报官方网站 | <a href="{OFFSITE_PORTAL}">陕工网首页</a> 今天是 <span id="today"></span></td></tr>
<tr><td class="top2"><a href="{OFFSITE_PORTAL}gtpl.html">跟帖评论自律管理承诺书</a> 不良信息举报电话:陕工网(029-87339475)</td></tr>
<tr><td class="rq">出版日期:{date_cn(ctx.issue.date)}</td></tr>
<tr><td class="dqb">当前版:第{ctx.page.label}版:{e(_label_text(ctx.page))} {" ".join(arrows)}</td></tr>
<tr><td><table width="100%" border="0"><tr><td width="200" valign="top">
<table width="100%" border="0"><tr><td class="bmdh-t">版面导航</td></tr>
{pages}
</table>
"""


def _p05_foot() -> str:
    return f"""</td></tr></table></td></tr>
<tr><td class="foot">Copyright 陕西工人报社 All Rights Reserved 制作单位:<a href="http://www.53bk.com/">53BK.com</a>
| <a href="/admin/login.aspx">管理登录</a> | <a href="{OFFSITE_NEW_READER}node_1.htm">新版数字报</a></td></tr>
</table>
</body>
</html>
"""


def _guide(ctx: PageView) -> list[tuple[str, str]]:
    """本版导读 entries: this page's articles plus teasers/dead links from the spec."""
    return [(ctx.primary_link(a), a.title) for a in ctx.page.articles] + list(ctx.page.guide)


def page_2005(ctx: PageView) -> str:
    def href(p: str) -> str:
        return e(p)

    rows = [_p05_top(ctx, f"陕西工人报数字报-{_label_text(ctx.page)}")]
    rows.append('</td><td valign="top">')
    rows.append(f'<div class="pagehead">{e(_label_text(ctx.page))}&nbsp;&nbsp;{ctx.page.no:02d}</div>')
    rows.append(_scan_map(ctx, href, 400))
    rows.append('<table class="daodu" width="100%"><tr><td class="daodu-t">本版导读</td></tr>')
    rows.extend(f'<tr><td><a href="{e(p)}">{e(t)}</a></td></tr>' for p, t in _guide(ctx))
    rows.append("</table>")
    rows.append(_p05_foot())
    return "\n".join(rows)


def article_2005(actx: ArticleView) -> str:
    ctx, art = actx, actx.article
    rows = [_p05_top(ctx, art.title)]
    if ctx.scan:
        rows.append(f'<a href="{ctx.page_path}"><img src="{ctx.scan}" width="180" border="0" /></a>')
    rows.append(f'<br /><a href="{ctx.page_path}">返回版面</a>')
    rows.append('</td><td valign="top">')
    rows.append(f'<div class="pagehead">{e(_label_text(ctx.page))}&nbsp;&nbsp;{ctx.page.no:02d}</div>')
    sub = "——" + art.subtitle if art.subtitle else ""
    rows.append('<table class="title-box" width="100%">')
    for cls, text in (("bt1", art.kicker), ("bt2", art.title), ("bt3", sub), ("bt4", art.byline)):
        rows.append(f'<tr><td class="{cls}">{e(text) if text else "&nbsp;"}</td></tr>')
    rows.append("</table>")
    for src, cap in actx.pictures:
        rows.append(f'<table class="pic" align="center"><tr><td><img src="{src}" border="0" /></td></tr>')
        if cap:
            rows.append(f'<tr><td class="pic-caption">{e(cap)}</td></tr>')
        rows.append("</table>")
    rows.append('<div id="ozoom">')
    rows.extend(f"<P>&nbsp;&nbsp;&nbsp;&nbsp;{e(p)}</P>" for p in art.paras)
    rows.append("</div>")
    rows.append(
        '<div class="zoom"><a href="javascript:doZoom(16)">放大</a> '
        '<a href="javascript:doZoom(12)">缩小</a> <a href="javascript:doZoom(14)">默认</a></div>'
    )
    rows.append(_p05_foot())
    return "\n".join(rows)


# --------------------------------------------------------------------------- 2016 era
# Div layout, UTF-8, every link absolute (base URL + path), links to the mobile site.


def _p16_top(ctx: PageView, href, title: str) -> str:
    nav = []
    for text, target in ctx.steps():
        if target:
            nav.append(f'<a href="{href(target)}">{text}</a>')
    pages = "\n".join(
        f'<li><a href="{href(p)}">第{pg.no:02d}版:{e(_label_text(pg))}</a></li>' for p, pg in ctx.pages
    )
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{e(title)}</title>
<link rel="stylesheet" href="{href("/css/paper.css")}">
</head>
<body>
<div class="head"><div class="l">陕西工人报官方网站 | <a href="{OFFSITE_PORTAL}" target="_blank">陕工网首页</a></div>
<div class="r">今天是 <span id="today"></span></div>
<div class="tips"><a href="{OFFSITE_PORTAL}gtpl.html">跟帖评论自律管理承诺书</a> 不良信息举报电话:陕工网(029-87339475)</div></div>
<div class="toolbar"><span class="rq">出版日期:{date_cn(ctx.issue.date)}</span>
<span class="dqb">当前版:第{ctx.page.label}版:{e(_label_text(ctx.page))}</span>
<span class="fy">{" ".join(nav)}</span></div>
<div class="side"><div class="side-t">版面导航</div><ul class="bmdh">
{pages}
</ul></div>
"""


def _p16_foot() -> str:
    return """<div class="foot">© 2016 陕西工人报 版权所有 制作单位:53BK.com</div>
</body>
</html>
"""


def page_2016(ctx: PageView) -> str:
    def href(p: str) -> str:
        return e(ctx.base + p)

    items = []
    for art in ctx.page.articles:
        links = ctx.links_for(art)
        line = f'<li><a href="{href(links[0][0])}">{e(art.title)}</a>'
        for path, is_mobile in links[1:]:
            if is_mobile:
                line += f' <a href="{href(path)}" class="m">[手机版]</a>'
        items.append(line + "</li>")
    return (
        _p16_top(ctx, href, f"陕西工人报-{_label_text(ctx.page)}")
        + f'<div class="main"><div class="bm-view">{_scan_map(ctx, href, 360)}</div>\n'
        + f'<div class="bm-name">{e(_label_text(ctx.page))}&nbsp;&nbsp;{ctx.page.no:02d}</div>\n'
        + '<div class="bm-list"><ul>\n'
        + "\n".join(items)
        + "\n</ul></div></div>\n"
        + _p16_foot()
    )


def article_2016(actx: ArticleView) -> str:
    ctx, art = actx, actx.article

    def href(p: str) -> str:
        return e(ctx.base + p)

    parts = [_p16_top(ctx, href, art.title), '<div class="main">']
    parts.append(
        f'<div class="bm-name"><a href="{href(ctx.page_path)}">{e(_label_text(ctx.page))}'
        f"&nbsp;&nbsp;{ctx.page.no:02d}</a></div>"
    )
    if ctx.scan:
        parts.append(
            f'<div class="bm-thumb"><a href="{href(ctx.page_path)}"><img src="{href(ctx.scan)}"'
            ' width="150"></a></div>'
        )
    parts.append('<div class="detail">')
    if art.kicker:
        parts.append(f'<p class="yt">{e(art.kicker)}</p>')
    parts.append(f'<h1 class="bt">{e(art.title)}</h1>')
    if art.subtitle:
        parts.append(f'<p class="ft">——{e(art.subtitle)}</p>')
    if art.byline:
        parts.append(f'<p class="zz">{e(art.byline)}</p>')
    for src, cap in actx.pictures:
        parts.append(f'<div class="pics"><img src="{href(src)}" alt="">')
        if cap:
            parts.append(f'<p class="pic-txt">{e(cap)}</p>')
        parts.append("</div>")
    parts.append('<div id="ozoom" class="content">')
    parts.extend(f"<p>{e(p)}</p>" for p in art.paras)
    parts.append("</div>")
    tools = (
        '<div class="tools"><a href="javascript:doZoom(16)">放大</a> '
        '<a href="javascript:doZoom(12)">缩小</a> <a href="javascript:doZoom(14)">默认</a>'
    )
    if actx.mobile_path(art):
        tools += f' | <a href="{href(actx.mobile_path(art))}">手机版</a>'
    parts.append(tools + "</div>")
    share = e("http://service.weibo.com/share/share.php?url=" + ctx.base + actx.path)
    parts.append(f'<div class="share">分享到: <a href="{share}">新浪微博</a></div>')
    parts.append("</div></div>")
    parts.append(_p16_foot())
    return "\n".join(parts)


# --------------------------------------------------------------------------- 2023 era
# HTML5, <meta charset>, A/B section labels, relative nav links, figure/figcaption.


def _p23_top(ctx: PageView, href, title: str) -> str:
    nav = []
    for text, target in ctx.steps():
        if target:
            nav.append(f'<a class="btn" href="{href(target)}">{text}</a>')
    pages = "\n".join(
        f'<li><a href="{href(p)}">第{pg.label}版:{e(_label_text(pg))}</a></li>' for p, pg in ctx.pages
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<link rel="stylesheet" href="{href("/css/paper.css")}">
</head>
<body>
<header class="site-header">
  <nav class="top">陕西工人报官方网站 | <a href="{OFFSITE_PORTAL}">陕工网首页</a> <span class="today">今天是 </span></nav>
  <p class="notice"><a href="{OFFSITE_PORTAL}gtpl.html">跟帖评论自律管理承诺书</a> 不良信息举报电话:陕工网(029-87339475)</p>
</header>
<div class="issue-bar">
  <span class="date">出版日期:{date_cn(ctx.issue.date)}</span>
  <span class="current">当前版:第{ctx.page.label}版:{e(_label_text(ctx.page))}</span>
  {" ".join(nav)}
  <a class="newreader" href="{OFFSITE_NEW_READER}">新版阅读</a>
</div>
<aside class="pages"><h3>版面导航</h3><ol>
{pages}
</ol></aside>
"""


def _p23_foot() -> str:
    return """<footer>
  <p>友情链接:<a href="http://www.example.org/">中工网</a> <a href="https://www.acftu.org/">中华全国总工会</a></p>
  <p>© 2023 陕西工人报 制作单位:53BK.com</p>
</footer>
</body>
</html>
"""


def page_2023(ctx: PageView) -> str:
    def href(p: str) -> str:
        # the page list is relative, articles are root-relative: both seen in the product
        return e(rel(ctx.path, p) if not p.startswith("/content/") else p)

    parts = [_p23_top(ctx, href, f"陕西工人报 第{ctx.page.label}版:{_label_text(ctx.page)}")]
    parts.append('<main class="page">')
    parts.append(f'<h2 class="page-name">{e(_label_text(ctx.page))} {ctx.page.no:02d}</h2>')
    if ctx.scan:
        parts.append(f'<section class="page-view">{_scan_map(ctx, href, 480)}')
        if ctx.pdf:
            parts.append(f'<p><a class="pdf" href="{href(ctx.pdf)}">版面PDF下载</a></p>')
        parts.append("</section>")
    parts.append('<section class="titles"><h3>本版标题</h3><ul>')
    parts.extend(
        f'<li><a href="{href(ctx.primary_link(a))}">{e(a.title)}</a></li>' for a in ctx.page.articles
    )
    parts.append("</ul></section>")
    if ctx.page.guide:
        parts.append('<section class="guide"><h3>本版导读</h3><ul>')
        parts.extend(f'<li><a href="{href(p)}">{e(t)}</a></li>' for p, t in ctx.page.guide)
        parts.append("</ul></section>")
    parts.append("</main>")
    parts.append(_p23_foot())
    return "\n".join(parts)


def article_2023(actx: ArticleView) -> str:
    ctx, art = actx, actx.article

    def href(p: str) -> str:
        return e(rel(actx.path, p))

    parts = [_p23_top(ctx, href, f"{art.title}-陕西工人报")]
    parts.append(f'<p class="back"><a href="{href(ctx.page_path)}">返回第{ctx.page.label}版</a></p>')
    if ctx.scan:
        parts.append(f'<p class="thumb"><img src="{href(ctx.scan)}" alt="版面缩略图" width="160"></p>')
    parts.append('<article class="news">\n<header>')
    if art.kicker:
        parts.append(f'<p class="kicker">{e(art.kicker)}</p>')
    parts.append(f"<h1>{e(art.title)}</h1>")
    if art.subtitle:
        parts.append(f'<p class="subtitle">——{e(art.subtitle)}</p>')
    if art.byline:
        parts.append(f'<p class="byline">{e(art.byline)}</p>')
    parts.append('</header>\n<div class="content" id="ozoom">')
    figures = [
        f'<figure><img src="{href(src)}" alt="">'
        + (f"<figcaption>{e(cap)}</figcaption>" if cap else "")
        + "</figure>"
        for src, cap in actx.pictures
    ]
    for i, para in enumerate(art.paras):
        parts.append(f"<p>{e(para)}</p>")
        if i == 0:
            parts.extend(figures)
            figures = []
    parts.extend(figures)
    parts.append("</div>")
    parts.append(
        '<div class="zoom"><a href="javascript:doZoom(16)">放大</a> '
        '<a href="javascript:doZoom(12)">缩小</a> <a href="javascript:doZoom(14)">默认</a></div>'
    )
    parts.append("</article>")
    parts.append(_p23_foot())
    return "\n".join(parts)


ERAS = {
    "1985": Era(page_1985, article_1985, GBK_META_ONLY),
    "1990": Era(page_1990, article_1990, GBK_HEADER_GB2312),
    "2005": Era(page_2005, article_2005),
    "2016": Era(page_2016, article_2016),
    "2023": Era(page_2023, article_2023),
}
