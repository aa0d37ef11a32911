"""The bundled replica's mobile site: one template for every era, modelled on the seed
article's mobile page (the mobile site was generated in bulk, so its date line shows the
day it was generated, not the issue date)."""

from __future__ import annotations

from datetime import date, timedelta

from .builder import ArticleView, date_cn
from .templates import e

MOBILE_GENERATED = date(2023, 9, 15)


def mobile_article(view: ArticleView) -> str:
    art, base = view.article, view.base
    # issues after the bulk generation got their mobile pages the day after they appeared
    generated = date_cn(max(MOBILE_GENERATED, view.issue.date + timedelta(days=1)))
    parts = [
        f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,user-scalable=no">
<title>{e(art.title)}</title>
<link rel="stylesheet" href="/m/css/m.css">
</head>
<body>
<div id="loading" class="loading">等待处理…</div>
<div class="m-news">"""
    ]
    if art.kicker:
        parts.append(f'<p class="m-yt">{e(art.kicker)}</p>')
    parts.append(f'<h1 class="m-title">{e(art.title)}</h1>')
    if art.subtitle:
        parts.append(f'<p class="m-ft">——{e(art.subtitle)}</p>')
    parts.append(f'<p class="m-date">{generated}</p>')
    if art.byline:
        parts.append(f'<p class="m-author">{e(art.byline)}</p>')
    for src, cap in view.pictures:
        parts.append(
            f'<div class="m-pic"><img src="{src}">' + (f"<span>{e(cap)}</span>" if cap else "") + "</div>"
        )
    parts.append('<div class="m-content">')
    parts.extend(f"<p>{e(p)}</p>" for p in art.paras)
    parts.append("</div>")
    parts.append('<div class="m-prenext">')
    for label, other in (("上篇", view.prev), ("下篇", view.next)):
        if other:
            parts.append(f'<p>{label}:<a href="{view.mobile_path(other)}">{e(other.title)}</a></p>')
    parts.append("</div>")
    parts.append(
        '<div class="m-share">分享到 <a href="javascript:void(0)" class="wx"></a>'
        ' <a href="javascript:void(0)" class="wb"></a></div>'
    )
    parts.append("</div>")
    parts.append(
        '<footer class="m-foot"><p>© 2023 陕西工人报</p><p>制作单位:53BK.com</p>'
        '<a href="#top" class="gotop">↑ TOP</a></footer>'
    )
    parts.append('<div id="wxshare" style="display:none">')
    if view.scan:
        parts.append(f'<span class="img">{base}{view.scan}</span>')
    parts.append(
        f'<span class="t">陕西工人报</span><span class="u">{base}{view.path}</span>'
        '<span class="d">陕西工人报电子版</span></div>'
    )
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)
