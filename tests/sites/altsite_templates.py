"""The alternative replica's markup (``tests/sites/altsite.py``): how each of its five eras
writes its pages, articles and links, its mobile template, and each era's encoding."""

from __future__ import annotations

from html import escape

from sxworker.replica.builder import (
    GB2312_META_ONLY,
    GBK_HEADER_GB2312,
    UTF8_BOM_NO_CHARSET,
    Article,
    ArticleView,
    Era,
    Page,
    PageView,
    article_path,
    date_cn,
    via_root,
)

MOBILE_DATE = "2023年09月15日"
ZOOM = (
    '<a href="javascript:doZoom(16)">放大</a> <a href="javascript:doZoom(12)">缩小</a> '
    '<a href="javascript:doZoom(14)">默认</a>'
)


def link(ctx: PageView, path: str) -> str:
    """How this era writes an on-site link from the document being written."""
    if ctx.issue.era == "1987":
        return escape(path)
    if ctx.issue.era == "2003" and ctx.path.startswith("/index.aspx"):
        return escape(path.lstrip("/"))
    return escape(via_root(ctx.path, path))


def art_link(ctx: PageView, art: Article) -> str:
    return link(ctx, ctx.primary_link(art))


def name_of(pg: Page) -> str:
    """The name every era prints for a page: a page without one goes by its number."""
    return pg.name or f"第{pg.label}版"


def date_line(ctx: PageView) -> str:
    return f"出版日期:{date_cn(ctx.issue.date)}"


def current(ctx: PageView) -> str:
    return f"当前版:第{ctx.page.label}版:{name_of(ctx.page)}"


def nav(ctx: PageView, sep: str = " ") -> str:
    return sep.join(
        f'<a href="{link(ctx, target)}">{text}</a>' if target else f'<span class="off">{text}</span>'
        for text, target in ctx.steps()
    )


def _body_ps(art: Article, indent: str = "") -> str:
    return "\n".join(
        f"<p>{indent}{escape(p.strip())}</p>" if indent else f"<p>{escape(p)}</p>" for p in art.paras
    )


def _head_block(art: Article, title: str) -> str:
    """The 2003-2021 article header: title_yt, the era's title element (``title`` with {} for
    the title), title_fbt and author, each only where the article has it."""
    parts = [f'<div class="title_yt">{art.kicker}</div>'] if art.kicker else []
    parts.append(title.format(art.title))
    if art.subtitle:
        parts.append(f'<div class="title_fbt">{art.subtitle}</div>')
    if art.byline:
        parts.append(f'<div class="author">{art.byline}</div>')
    return "\n".join(parts)


# ---- 1987: tables, GB2312 in <meta> only


def _head_1987(ctx: PageView) -> str:
    pages = " ".join(
        f'<A href="{escape(p.rsplit("/", 1)[1])}">第{pg.label}版</A>'
        if ctx.path.startswith("/Html/")
        else f'<A href="{link(ctx, p)}">第{pg.label}版</A>'
        for p, pg in ctx.pages
    )
    return f"""<HTML><HEAD>
<META http-equiv="Content-Type" content="text/html; charset=gb2312">
<TITLE>陕西工人报</TITLE>
<LINK href="/css/paper.css" rel=stylesheet type=text/css>
</HEAD>
<BODY leftMargin=0 topMargin=0>
<TABLE width=980 align=center border=0 cellPadding=0 cellSpacing=0>
<TR><TD><IMG src="/images/top.gif" width=980 height=80></TD></TR>
<TR><TD class=top>陕西工人报官方网站 | <A href="http://www.sxgh.org.cn/">陕工网首页</A></TD></TR>
<TR><TD class=date>{date_line(ctx)}</TD></TR>
<TR><TD class=banci>{current(ctx)}&nbsp;&nbsp;{nav(ctx, "&nbsp;")}</TD></TR>
<TR><TD class=pagelist>版面导航:{pages}</TD></TR>
</TABLE>
"""


FOOT_1987 = """<TABLE width=980 align=center><TR><TD align=center class=foot>
陕西工人报社 版权所有 未经授权禁止转载<BR>技术支持:53BK.com</TD></TR></TABLE>
</BODY></HTML>
"""


def page_1987(ctx: PageView) -> str:
    rows = "\n".join(
        f'<TR><TD height=24><IMG src="/images/dot.gif"> <A href="{art_link(ctx, a)}">{a.title}</A></TD></TR>'
        for a in ctx.page.articles
    )
    scan = (
        f'<TR><TD><IMG src="{escape(ctx.scan)}" width=340 border=0></TD></TR>'
        if ctx.scan
        else "<TR><TD>本版暂无版面图</TD></TR>"
    )
    return (
        _head_1987(ctx)
        + f"""<TABLE width=980 align=center border=0>
<TR><TD valign=top width=360><TABLE>{scan}</TABLE></TD>
<TD valign=top><TABLE width=100%>
<TR><TD class=pagetitle>第{ctx.page.label}版 {name_of(ctx.page)}</TD></TR>
{rows}
</TABLE></TD></TR></TABLE>
"""
        + FOOT_1987
    )


def article_1987(ctx: ArticleView) -> str:
    art = ctx.article
    paras = "\n".join(f"<P>{p}</P>" for p in art.paras)
    return (
        _head_1987(ctx)
        + f"""<TABLE width=700 align=center border=0 cellPadding=4>
<TR><TD class=title_yt align=center>{art.kicker or ""}</TD></TR>
<TR><TD align=center><H1>{art.title}</H1></TD></TR>
<TR><TD class=title_fbt align=center>{art.subtitle or ""}</TD></TR>
<TR><TD class=author align=center>{art.byline or ""}</TD></TR>
<TR><TD><DIV id=ozoom style="FONT-SIZE: 14px">
{paras}
</DIV></TD></TR>
<TR><TD align=right>{ZOOM}</TD></TR>
<TR><TD align=center><A href="{link(ctx, ctx.page_path)}">返回本版</A>
<A href="javascript:window.close()">关闭窗口</A></TD></TR>
</TABLE>
"""
        + FOOT_1987
    )


# ---- 1998: UTF-8 with BOM, no charset; dropdown page list; <br><br> paragraphs


def _select_1998(ctx: PageView) -> str:
    opts = "\n".join(
        f'<option value="{link(ctx, p)}"{" selected" if pg is ctx.page else ""}>'
        f"第{pg.label}版:{name_of(pg)}</option>"
        for p, pg in ctx.pages
    )
    return (
        '<select name="banmian" onchange="window.location.href=this.options'
        f'[this.selectedIndex].value">\n{opts}\n</select>'
    )


def _head_1998(ctx: PageView, title: str) -> str:
    return f"""<html>
<head>
<title>{title}</title>
<link rel="stylesheet" href="{link(ctx, "/css/paper.css")}">
<script src="{link(ctx, "/js/zoom.js")}"></script>
</head>
<body>
<div id="top"><span>陕西工人报官方网站</span> | <a href="http://www.sxgh.org.cn/">陕工网首页</a></div>
<div id="bar">
<div class="riqi">{date_line(ctx)}</div>
<div class="banci">{current(ctx)}</div>
<div class="fanye">{nav(ctx)}</div>
<div class="bmxz">版面选择:{_select_1998(ctx)}</div>
</div>
"""


FOOT_1998 = """<div id="foot">Copyright &copy; 陕西工人报社 All Rights Reserved<br>
制作单位:53BK.com</div>
</body>
</html>
"""


def page_1998(ctx: PageView) -> str:
    items = "\n".join(
        f'<div class="bt"><a href="{art_link(ctx, a)}">{a.title}</a></div>' for a in ctx.page.articles
    )
    return (
        _head_1998(ctx, f"陕西工人报 第{ctx.page.label}版:{name_of(ctx.page)}")
        + f"""
<div id="left"><img src="{link(ctx, ctx.scan)}" width="330" border="0" alt="版面图"></div>
<div id="right">
<div class="bmmc">陕西工人报第{ctx.page.label}版</div>
{items}
</div>
"""
        + FOOT_1998
    )


def article_1998(ctx: ArticleView) -> str:
    art = ctx.article
    pics = "".join(
        f'<div align="center"><img src="{link(ctx, src)}" border="0"></div>' for src, _cap in ctx.pictures
    )
    body = "".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{escape(p)}<br><br>\n" for p in art.paras)
    opt = ""
    if art.kicker:
        opt += f'<div class="yt">{art.kicker}</div>\n'
    opt += f'<div class="article-title">{art.title}</div>\n'
    if art.subtitle:
        opt += f'<div class="fbt">{art.subtitle}</div>\n'
    if art.byline:
        opt += f'<div class="article-author">{art.byline}</div>\n'
    return (
        _head_1998(ctx, f"{art.title}-陕西工人报")
        + f"""
<div id="article">
{opt}<div class="article-content" id="ozoom">{pics}
{body}</div>
<div class="zoom">{ZOOM}</div>
</div>
"""
        + FOOT_1998
    )


# ---- 2003: GBK, query-string pages, image map, h2, 本版导读, picTable


def _head_2003(ctx: PageView, title: str) -> str:
    pages = "\n".join(
        f'<li><a href="{link(ctx, p)}">{pg.label}版:{name_of(pg)}</a></li>' for p, pg in ctx.pages
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}</title>
</head>
<body>
<div class="header"><a href="http://www.sxgh.org.cn/">陕工网首页</a> 跟帖评论自律管理承诺书</div>
<div class="info"><span class="date">{date_line(ctx)}</span>
<span class="current">{current(ctx)}</span> {nav(ctx)}</div>
<div class="pagelist"><h4>版面导航</h4><ul>
{pages}
</ul></div>
"""


FOOT_2003 = """<div class="footer">陕西工人报社版权所有 Copyright 2003<br />
技术支持:<a href="http://www.53bk.com/">53BK.com</a></div>
</body>
</html>
"""


def page_2003(ctx: PageView) -> str:
    areas = "\n".join(
        f'<area shape="rect" coords="10,{40 + 120 * i},330,{150 + 120 * i}" '
        f'href="{art_link(ctx, a)}" alt="" />'
        for i, a in enumerate(ctx.page.articles)
    )
    titles = "\n".join(f'<li><a href="{art_link(ctx, a)}">{a.title}</a></li>' for a in ctx.page.articles)
    return (
        _head_2003(ctx, f"陕西工人报-{ctx.page.label}版:{name_of(ctx.page)}")
        + f"""
<div class="paper"><img src="{link(ctx, ctx.scan)}" usemap="#PagePicMap" border="0" />
<map name="PagePicMap">
{areas}
</map></div>
<div class="titles"><ul>
{titles}
</ul></div>
"""
        + FOOT_2003
    )


def _pictable(ctx: ArticleView, cap_class: str) -> str:
    out = []
    for src, cap in ctx.pictures:
        cap_row = f'<tr><td class="{cap_class}">{cap}</td></tr>' if cap else ""
        out.append(
            f'<table class="picTable" align="center" cellpadding="0" cellspacing="0">'
            f'<tr><td align="center"><img src="{link(ctx, src)}" border="0" /></td>'
            f"</tr>{cap_row}</table>"
        )
    return "\n".join(out)


def article_2003(ctx: ArticleView) -> str:
    art = ctx.article
    guide = "\n".join(
        f'<li><a href="{link(ctx, article_path(ctx.issue.date, a.id))}">{a.title}</a></li>'
        for a in ctx.page.articles
        if a is not art
    )
    head = _head_block(art, '<h2 class="founder-title">{}</h2>')
    return (
        _head_2003(ctx, f"{art.title} - 陕西工人报")
        + f"""
<div class="guide"><h3>本版导读</h3><ul>
{guide}
</ul></div>
<div class="main">
{head}
<div class="content" id="ozoom">
{_pictable(ctx, "font_pic")}
{_body_ps(art, "&nbsp;&nbsp;&nbsp;&nbsp;")}
</div>
<div class="tools">{ZOOM} <a href="javascript:window.print()">打印本页</a></div>
<div class="back"><a href="{link(ctx, ctx.page_path)}">返回版面</a></div>
</div>
"""
        + FOOT_2003
    )


# ---- 2012: UTF-8, "01版" list, 本版导读 as the page's article list, founder-content


def _head_2012(ctx: PageView, title: str) -> str:
    pages = "\n".join(
        f'<li><a href="{link(ctx, p)}">{pg.label}版</a><em>{name_of(pg)}</em></li>' for p, pg in ctx.pages
    )
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{link(ctx, "/css/paper.css")}">
</head>
<body>
<div class="topbar">陕西工人报官方网站 | <a href="http://www.sxgh.org.cn/">陕工网首页</a> 今天是</div>
<div class="jubao">跟帖评论自律管理承诺书 不良信息举报电话:陕工网(029-87339475)</div>
<div class="wrap">
<div class="riqi">{date_line(ctx)}</div>
<div class="banci">{current(ctx)}</div>
<div class="fanye">{nav(ctx)}</div>
<div class="bmlist"><h4>版面翻页</h4><ul>
{pages}
</ul></div>
"""


FOOT_2012 = """</div>
<div class="foot">陕西工人报社 版权所有 © 2012<br>制作单位:53BK.com</div>
</body>
</html>
"""


def page_2012(ctx: PageView) -> str:
    items = "\n".join(f'<li><a href="{art_link(ctx, a)}">{a.title}</a></li>' for a in ctx.page.articles)
    return (
        _head_2012(ctx, f"陕西工人报电子版-第{ctx.page.label}版")
        + f"""
<div class="pageimg"><a href="{link(ctx, ctx.scan)}" target="_blank">
<img src="{link(ctx, ctx.scan)}" width="360"></a></div>
<div class="daodu"><h3>本版导读</h3><ul>
{items}
</ul></div>
"""
        + FOOT_2012
    )


def article_2012(ctx: ArticleView) -> str:
    art = ctx.article
    head = _head_block(art, '<div class="article-title"><h1>{}</h1></div>')
    pn = []
    if ctx.prev:
        pn.append(f'上一篇:<a href="{art_link(ctx, ctx.prev)}">{ctx.prev.title}</a>')
    if ctx.next:
        pn.append(f'下一篇:<a href="{art_link(ctx, ctx.next)}">{ctx.next.title}</a>')
    mobile = link(ctx, article_path(ctx.issue.date, art.id, mobile=True))
    return (
        _head_2012(ctx, f"{art.title}--陕西工人报")
        + f"""
<div class="detail">
{head}
<div class="article-content" id="ozoom">
{_pictable(ctx, "picText")}
<founder-content>
{_body_ps(art)}
</founder-content>
</div>
<div class="zoom">{ZOOM}</div>
<div class="prevnext">{"<br>".join(pn)}</div>
<div class="share">分享到: <a href="#">新浪微博</a> <a href="#">腾讯微博</a>
<a href="{mobile}">手机版</a></div>
</div>
"""
        + FOOT_2012
    )


# ---- 2021: UTF-8, labels A1, <figure>, mobile-only link


def _head_2021(ctx: PageView, title: str) -> str:
    pages = "\n".join(
        f'<a class="bm" href="{link(ctx, p)}">{pg.label}版:{name_of(pg)}</a>' for p, pg in ctx.pages
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{link(ctx, "/css/paper.css")}">
</head>
<body>
<header><a href="http://www.sxgh.org.cn/">陕工网首页</a><span id="today"></span></header>
<nav class="paper-nav">
<p class="riqi">{date_line(ctx)}</p>
<p class="banci">{current(ctx)}</p>
<p class="fanye">{nav(ctx)}</p>
<div class="bmnav">{pages}</div>
</nav>
"""


FOOT_2021 = """<footer><p>陕西工人报社 版权所有</p><p>制作单位:53BK.com</p></footer>
</body>
</html>
"""


def page_2021(ctx: PageView) -> str:
    items = "\n".join(f'<li><a href="{art_link(ctx, a)}">{a.title}</a></li>' for a in ctx.page.articles)
    return (
        _head_2021(ctx, f"陕西工人报 {ctx.page.label}版")
        + f"""
<main>
<div class="paper-img"><img class="paper" src="{link(ctx, ctx.scan)}" alt="{name_of(ctx.page)}"></div>
<ul class="news-list">
{items}
</ul>
</main>
"""
        + FOOT_2021
    )


def _figures(ctx: ArticleView) -> str:
    out = []
    for src, cap in ctx.pictures:
        fc = f"<figcaption>{cap}</figcaption>" if cap else ""
        out.append(f'<figure><img src="{link(ctx, src)}">{fc}</figure>')
    return "\n".join(out)


def article_2021(ctx: ArticleView) -> str:
    art = ctx.article
    head = _head_block(art, '<h2 class="article-title">{}</h2>')
    return (
        _head_2021(ctx, f"{art.title}_陕西工人报")
        + f"""
<main>
<article class="news">
{head}
<div class="article-body" id="ozoom">
{_figures(ctx)}
{_body_ps(art)}
</div>
<div class="zoom">{ZOOM}</div>
<div class="share">分享到: <a href="#">微信</a> <a href="#">微博</a></div>
</article>
</main>
"""
        + FOOT_2021
    )


# ---- mobile (2012 and 2021)


def mobile_article(ctx: ArticleView) -> str:
    art, base = ctx.article, ctx.base
    parts = []
    if art.kicker:
        parts.append(f'<div class="m-yt">{art.kicker}</div>')
    parts.append(f'<h3 class="m-title">{art.title}</h3>')
    if art.subtitle:
        parts.append(f'<div class="m-fbt">{art.subtitle}</div>')
    parts.append(f'<div class="m-date">{MOBILE_DATE}</div>')
    if art.byline:
        parts.append(f'<div class="m-author">{art.byline}</div>')
    head = "\n".join(parts)
    pics = "\n".join(
        f'<figure><img src="{base}{src}">' + (f"<figcaption>{cap}</figcaption>" if cap else "") + "</figure>"
        for src, cap in ctx.pictures
    )
    steps = [
        f'<p>{label}:<a href="{ctx.mobile_path(other)}">{other.title}</a></p>'
        for label, other in (("上篇", ctx.prev), ("下篇", ctx.next))
        if other
    ]
    scan = base + ctx.scan if ctx.scan else ""
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,user-scalable=no">
<title>陕西工人报</title>
<meta property="og:image" content="{scan}">
</head>
<body>
<div id="loading">等待处理…</div>
<div class="m-article">
{head}
<div class="m-content">
{pics}
{_body_ps(art)}
</div>
<div class="m-nav">
{"".join(steps)}
</div>
<div class="m-share">分享到</div>
</div>
<div class="m-foot"><p>© 2023 陕西工人报</p><p>制作单位:53BK.com</p></div>
<a href="#top">↑ TOP</a>
<div style="display:none"><span>{scan}</span><span>陕西工人报</span>
<span>{base}{ctx.path}</span><span>陕西工人报电子版</span></div>
</body>
</html>
"""


ERAS = {
    "1987": Era(page_1987, article_1987, GB2312_META_ONLY),
    "1998": Era(page_1998, article_1998, UTF8_BOM_NO_CHARSET),
    "2003": Era(page_2003, article_2003, GBK_HEADER_GB2312),
    "2012": Era(page_2012, article_2012),
    "2021": Era(page_2021, article_2021),
}
