"""A second, independently designed replica of szb.sxworker.com, for generalisation tests.

Only what /work/shared/SITE.md says about the real site is shared with the first replica
(article and scan URL shapes, the text markers). Everything SITE.md leaves open is chosen
differently here: issue/page URL schemes, page lists, markup, encodings, the root redirect.

Eras (one issue each):

- 1987-03-10: table layout, upper-case tags, GB2312 named only in a <meta> tag, pages at
  ``/Html/1987-03/10/Qpage_N.htm``, page list entries "第N版", title only in <h1> (the
  <title> is the site name), empty kicker/subtitle cells, one page without a scan.
- 1998-06-16: UTF-8 with a BOM and no charset anywhere, pages at
  ``/paper/19980616/page_0N.shtml``, page list only as a <select> dropdown (plus 上一版/
  下一版 links), body as one div of ``&nbsp;``-indented paragraphs split by <br><br>.
- 2003-09-23: GBK (header says gb2312), pages at ``/index.aspx?paperdate=…&pageid=N``,
  page list "A01版:要闻", image map, ``<h2>`` titles, ``title_yt``/``title_fbt``/``author``
  divs, a 本版导读 block before the article, pictures in ``<table class="picTable">``.
- 2012-05-08: UTF-8, pages at ``/sxgrb/2012/0508/banNN.htm``, page list "01版", the
  page's article list is its 本版导读 block, ``<founder-content>`` body, desktop
  上一篇/下一篇 links, mobile pages.
- 2021-04-27: UTF-8, pages at ``/newspaper/2021-04/27/pageAN.html``, labels "A1",
  <figure>/<figcaption> pictures, one article linked from its page only by its mobile URL.

The root ``/`` is a JavaScript ``window.location.href`` redirect to the latest issue.
"""

from __future__ import annotations

from datetime import date
from html import escape

from sxworker.replica.builder import (
    GB2312_META_ONLY,
    GBK_HEADER_GB2312,
    GIF_1X1,
    UTF8_BOM_NO_CHARSET,
    Article,
    ArticleView,
    Era,
    Front,
    Issue,
    Page,
    PageView,
    Paper,
    Site,
    article_path,
    build,
    date_cn,
    static,
    via_root,
    ymd,
)

MOBILE_DATE = "2023年09月15日"
ZOOM = (
    '<a href="javascript:doZoom(16)">放大</a> <a href="javascript:doZoom(12)">缩小</a> '
    '<a href="javascript:doZoom(14)">默认</a>'
)


# --------------------------------------------------------------------------- issues


def _issues() -> list[Issue]:
    return [
        Issue(
            date(1987, 3, 10),
            "1987",
            [
                Page(
                    1,
                    "1",
                    "头版",
                    [
                        Article(
                            "045210",
                            "十万职工献计献策",
                            (
                                "　　本报讯 省总工会日前在西安召开全省职工技协工作座谈会,总结技协活动经验。",
                                "　　据统计,全省已有十万多名职工参加技协活动,提出合理化建议两万余条。",
                            ),
                            kicker="全省职工技协活动出现新局面",
                            subtitle="——省总工会召开技协工作座谈会",
                            byline="本报记者 王建国",
                        ),
                        Article(
                            "045207",
                            "西安纺织城开展劳动竞赛",
                            (
                                "　　西安纺织城各厂在新春伊始开展了以提高产品质量为中心的劳动竞赛。",
                                "　　竞赛开展一个月来,一等品率普遍提高,涌现出一批操作能手。",
                            ),
                            byline="◎ 赵六",
                        ),
                        Article(
                            "045213",
                            "宝鸡工人文化宫举办读书班",
                            ("　　宝鸡市工人文化宫近日举办青年职工读书班,八十多名青年工人参加学习。",),
                        ),
                    ],
                ),
                Page(
                    2,
                    "2",
                    None,
                    [
                        Article(
                            "045221",
                            "厂长与工人面对面",
                            (
                                "　　汉中钢铁厂坚持每月召开一次厂长与工人对话会,工人有话当面说,厂长当场答复。",
                                "　　半年来,对话会共解决职工提出的实际问题四十余件。",
                            ),
                            byline="通讯员 刘卫东",
                        ),
                        Article(
                            "045219",
                            "一位老劳模的心愿",
                            (
                                "　　马秀英退休三年了,可她仍然每天到车间转一转,给年轻挡车工传授操作经验。",
                                "　　她说:“只要身体还行,我就要把这手艺传下去。”",
                            ),
                            subtitle="——记咸阳国棉一厂退休工人马秀英",
                            byline="■ 孙七",
                        ),
                    ],
                ),
                Page(
                    3,
                    "3",
                    "职工生活",
                    [
                        Article(
                            "045230",
                            "春天的工地",
                            (
                                "　　塔吊伸展着长臂,",
                                "　　把春天一层层垒高;",
                                "　　我们的汗水,浇灌出城市的新貌。",
                            ),
                            byline="作者:周八",
                        ),
                        Article(
                            "045228",
                            "食堂饭菜应当改进",
                            (
                                "　　编辑同志:我厂职工食堂饭菜品种单一,价格偏高,职工意见较大,希望有关部门重视解决。",
                            ),
                            kicker="读者来信",
                            byline="铜川矿务局 李明",
                        ),
                    ],
                    scan=False,
                ),
            ],
        ),
        Issue(
            date(1998, 6, 16),
            "1998",
            [
                Page(
                    1,
                    "01",
                    "头版",
                    [
                        Article(
                            "187640",
                            "我省再就业工程取得明显成效",
                            (
                                "今年以来,我省各级工会把帮助下岗职工再就业作为头等大事来抓。",
                                "全省工会系统共举办转岗培训班三百多期,培训下岗职工两万余人次。",
                                "省总工会负责人表示,下半年将继续办好职工职业介绍所。",
                            ),
                            kicker="上半年五万余名下岗职工重新上岗",
                            byline="本报记者 张三 通讯员 李四",
                        ),
                        Article(
                            "187635",
                            "省总工会慰问困难职工",
                            (
                                "端午节前夕,省总工会领导分赴西安、铜川等地,看望慰问困难职工。",
                                "此次共送去慰问金二十万元。",
                            ),
                        ),
                    ],
                ),
                Page(
                    2,
                    "02",
                    "综合新闻",
                    [
                        Article(
                            "187652",
                            "安全生产月活动全面展开",
                            (
                                "六月是全国安全生产月。我省各企业工会广泛开展安全知识竞赛和隐患排查活动。",
                                "延长油矿工会组织职工查出事故隐患一百二十多处,已全部整改。",
                            ),
                            byline="本报通讯员 何平",
                        ),
                        Article(
                            "187649",
                            "小发明解决大难题",
                            (
                                "技术员陈刚利用业余时间研制的绕线辅助装置,使工效提高了一倍。",
                                "这项小发明已在全厂推广,每年可节约成本十余万元。",
                            ),
                            subtitle="——记西安电力机械厂技术员陈刚",
                            byline="文/图 王五",
                            images=(("187649_1", None),),
                        ),
                    ],
                ),
                Page(
                    3,
                    "03",
                    None,
                    [
                        Article(
                            "187661",
                            "夏夜纳凉话安全",
                            (
                                "盛夏将至,纳凉的人多了起来,安全问题不可忽视。",
                                "用电、游泳、饮食,处处都要多一分小心。",
                            ),
                            byline="◎ 高峰",
                        ),
                        Article(
                            "187658",
                            "职工书画展在西安开幕",
                            ("由省总工会主办的全省职工书画展日前在西安开幕,共展出作品三百余件。",),
                        ),
                    ],
                ),
            ],
        ),
        Issue(
            date(2003, 9, 23),
            "2003",
            [
                Page(
                    1,
                    "A01",
                    "要闻",
                    [
                        Article(
                            "096118",
                            "全省工会系统抗击非典先进集体受表彰",
                            (
                                "　　9月22日,全省工会系统抗击非典表彰大会在西安举行。",
                                "　　大会表彰了三十个先进集体和一百名先进个人。",
                            ),
                            byline="本报记者 陈静",
                            images=(("096118_1", "图为表彰大会现场"),),
                        ),
                        Article(
                            "096121",
                            "秋季职工技能大赛下月举行",
                            (
                                "　　本报讯(记者 陈静)全省秋季职工技能大赛将于10月中旬举行。",
                                "　　大赛设车工、钳工、焊工等八个工种。",
                            ),
                        ),
                        Article(
                            "096103",
                            "咸阳推进“职工之家”建设",
                            (
                                "　　咸阳市总工会今年投入专项资金,帮助基层工会建设“职工之家”。",
                                "　　目前已建成示范职工之家四十二个。",
                            ),
                            byline="□ 通讯员 杨帆",
                        ),
                    ],
                ),
                Page(
                    2,
                    "A02",
                    "综合新闻",
                    [
                        Article(
                            "096135",
                            "劳动合同签订率稳步提高",
                            (
                                "　　省劳动部门的统计显示,全省企业劳动合同签订率已达百分之八十以上。",
                                "　　工会将继续督促企业依法签订劳动合同。",
                            ),
                            subtitle="全省已有八成企业实行劳动合同制",
                            byline="本报记者 陈静",
                        ),
                        Article(
                            "096140",
                            "铁路工人的中秋节",
                            (
                                "　　中秋之夜,西安铁路分局调度室里灯火通明。",
                                "　　调度员们守在岗位上,保证列车安全正点运行。",
                                "　　他们说,旅客平安到家,就是我们最好的节日礼物。",
                            ),
                            byline="文/图 吴斌",
                            images=(("096140_1", "中秋之夜坚守岗位的调度员"),),
                        ),
                    ],
                ),
                Page(
                    3,
                    "A03",
                    "权益周刊",
                    [
                        Article(
                            "096152",
                            "欠薪问题如何解决",
                            (
                                "　　职工遇到欠薪,可以先与单位协商,协商不成可向劳动监察部门投诉。",
                                "　　也可以申请劳动争议仲裁,维护自身合法权益。",
                            ),
                            kicker="律师在线",
                            byline="■ 律师 胡志强",
                        ),
                        Article(
                            "096149",
                            "工伤认定的几个问题",
                            (
                                "　　职工在上下班途中受到机动车事故伤害的,应当认定为工伤。",
                                "　　申请工伤认定应当在事故发生之日起一年内提出。",
                            ),
                        ),
                    ],
                ),
            ],
        ),
        Issue(
            date(2012, 5, 8),
            "2012",
            [
                Page(
                    1,
                    "01",
                    "头版",
                    [
                        Article(
                            "310512",
                            "我省表彰一批劳动模范和先进工作者",
                            (
                                "　　4月28日,我省庆祝五一国际劳动节暨表彰大会在西安隆重举行。",
                                "　　大会表彰了全省劳动模范和先进工作者三百余名。",
                                "　　会议号召全省职工向劳模学习,在本职岗位上建功立业。",
                            ),
                            kicker="庆祝五一国际劳动节",
                            subtitle="——三百余名先进个人受到表彰",
                            byline="本报记者 李娜 通讯员 赵刚",
                        ),
                        Article(
                            "310507",
                            "春风送岗位　真情暖人心",
                            (
                                "　　省总工会“春风行动”专场招聘会日前落下帷幕。",
                                "　　两百余家企业提供就业岗位八千多个。",
                            ),
                            byline="本报记者 李娜",
                        ),
                    ],
                ),
                Page(
                    2,
                    "02",
                    "要闻",
                    [
                        Article(
                            "310520",
                            "农民工工资保证金制度全面推行",
                            (
                                "　　我省在建设领域全面推行农民工工资保证金制度。",
                                "　　拖欠农民工工资的企业将被列入黑名单。",
                            ),
                        ),
                        Article(
                            "310518",
                            "职工书屋建到了工地",
                            (
                                "　　在西安地铁建设工地,一间崭新的职工书屋吸引了不少工人。",
                                "　　书屋里有图书两千多册,还有电脑供工人上网。",
                            ),
                            byline="文/图 郑伟",
                            images=(("310518_1", "工人在职工书屋阅读"),),
                        ),
                    ],
                ),
                Page(
                    3,
                    "03",
                    "职工天地",
                    [
                        Article(
                            "310531",
                            "我的师傅",
                            (
                                "　　师傅姓刘,是车间里的老钳工。",
                                "　　他常说,干活要对得起自己的手艺。",
                                "　　如今我也带了徒弟,才体会到师傅当年的用心。",
                            ),
                            byline="◎ 韩雪",
                        ),
                        Article(
                            "310529",
                            "工会小组长的一天",
                            (
                                "　　早上七点半,工会小组长王红就来到了班组。",
                                "　　谁家有困难,她心里都有一本账。",
                            ),
                            byline="通讯员 马骏",
                        ),
                    ],
                ),
            ],
        ),
        Issue(
            date(2021, 4, 27),
            "2021",
            [
                Page(
                    1,
                    "A1",
                    "头版",
                    [
                        Article(
                            "021845",
                            "全省工会开展“我为职工办实事”实践活动",
                            (
                                "　　连日来,全省各级工会深入开展“我为职工办实事”实践活动。",
                                "　　活动聚焦职工急难愁盼问题,推出一批惠及职工的实事项目。",
                                "　　截至目前,已为职工办理实事一千二百余件。",
                            ),
                            kicker="学党史 悟思想 办实事 开新局",
                            byline="本报记者 周敏",
                        ),
                        Article(
                            "021851",
                            "五一假期前安全生产大检查启动",
                            (
                                "　　为确保节日期间安全生产形势稳定,省总工会开展安全生产大检查。",
                                "　　检查重点为矿山、危化品和建筑施工企业。",
                            ),
                        ),
                        Article(
                            "021839",
                            "产业工人队伍建设改革&nbsp;&nbsp;取得阶段性成果",
                            (
                                "　　我省产业工人队伍建设改革推进会日前召开。",
                                "　　会议指出,改革各项任务取得阶段性成果。",
                            ),
                            byline="作者:本报记者 周敏",
                        ),
                    ],
                ),
                Page(
                    2,
                    "A2",
                    "要闻",
                    [
                        Article(
                            "021862",
                            "大国工匠进校园",
                            (
                                "　　近日,劳模工匠宣讲团走进西安多所职业院校。",
                                "　　宣讲团成员讲述了自己的成长故事,鼓励学生练就过硬本领。",
                            ),
                            subtitle="——劳模工匠宣讲团走进西安职业院校",
                            byline="本报记者 周敏",
                            images=(("021862_1", "宣讲活动现场"),),
                        ),
                        Article(
                            "021866",
                            "发挥党员作用 勇于担当作为",
                            (
                                "　　党员干部要发挥先锋模范作用,创造性地做好本职工作。",
                                "　　敢于担当是干部的履职标准,要以等不起的紧迫感去工作。",
                                "　　(作者系省总工会干部)",
                            ),
                            byline="李颖",
                            mobile_only=True,
                        ),
                    ],
                ),
                Page(
                    3,
                    "A3",
                    "综合新闻",
                    [
                        Article(
                            "021873",
                            "西咸新区新就业形态劳动者集中入会",
                            (
                                "　　西咸新区总工会日前举行新就业形态劳动者集中入会仪式。",
                                "　　快递员、外卖送餐员等三百余人加入工会组织。",
                            ),
                            byline="□ 通讯员 冯磊",
                        ),
                        Article(
                            "021870",
                            "职工疗休养活动有序恢复",
                            ("　　省总工会职工疗休养活动有序恢复,首批一线职工已前往疗养基地。",),
                        ),
                    ],
                ),
            ],
        ),
    ]


# --------------------------------------------------------------------------- paths and links


def page_path(iss: Issue, pg: Page) -> str:
    y, m, d = ymd(iss.date)
    if iss.era == "1987":
        return f"/Html/{y}-{m}/{d}/Qpage_{pg.no}.htm"
    if iss.era == "1998":
        return f"/paper/{y}{m}{d}/page_{pg.no:02d}.shtml"
    if iss.era == "2003":
        return f"/index.aspx?paperdate={y}-{m}-{d}&pageid={pg.no}"
    if iss.era == "2012":
        return f"/sxgrb/{y}/{m}{d}/ban{pg.no:02d}.htm"
    return f"/newspaper/{y}-{m}/{d}/page{pg.label}.html"


def picture_path(d: date, stem: str) -> str:
    y, m, dd = ymd(d)
    return f"/Files/Pic/{y}{m}{dd}/{stem}.jpg"


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
    parts = []
    if art.kicker:
        parts.append(f'<div class="title_yt">{art.kicker}</div>')
    parts.append(f'<h2 class="founder-title">{art.title}</h2>')
    if art.subtitle:
        parts.append(f'<div class="title_fbt">{art.subtitle}</div>')
    if art.byline:
        parts.append(f'<div class="author">{art.byline}</div>')
    head = "\n".join(parts)
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
    parts = []
    if art.kicker:
        parts.append(f'<div class="title_yt">{art.kicker}</div>')
    parts.append(f'<div class="article-title"><h1>{art.title}</h1></div>')
    if art.subtitle:
        parts.append(f'<div class="title_fbt">{art.subtitle}</div>')
    if art.byline:
        parts.append(f'<div class="author">{art.byline}</div>')
    head = "\n".join(parts)
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
    parts = []
    if art.kicker:
        parts.append(f'<div class="title_yt">{art.kicker}</div>')
    parts.append(f'<h2 class="article-title">{art.title}</h2>')
    if art.subtitle:
        parts.append(f'<div class="title_fbt">{art.subtitle}</div>')
    if art.byline:
        parts.append(f'<div class="author">{art.byline}</div>')
    head = "\n".join(parts)
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


# --------------------------------------------------------------------------- the paper

PAPER = Paper(
    eras={
        "1987": Era(page_1987, article_1987, GB2312_META_ONLY),
        "1998": Era(page_1998, article_1998, UTF8_BOM_NO_CHARSET),
        "2003": Era(page_2003, article_2003, GBK_HEADER_GB2312),
        "2012": Era(page_2012, article_2012),
        "2021": Era(page_2021, article_2021),
    },
    page_path=page_path,
    picture_path=picture_path,
    front=Front.SCRIPT,
    has_mobile=lambda issue, art: issue.era in ("2012", "2021"),
    mobile=mobile_article,
    files={
        "/css/paper.css": static("body{font-size:14px}\n", "text/css"),
        "/js/zoom.js": static("function doZoom(s){}\n", "application/javascript"),
        "/images/top.gif": static(GIF_1X1, "image/gif"),
        "/images/dot.gif": static(GIF_1X1, "image/gif"),
    },
)


def build_alt_site(base_url: str) -> Site:
    """The whole alternative replica for a server at `base_url` (no trailing slash)."""
    issues = _issues()
    site = build(base_url, issues, PAPER)
    site.cases = {
        "title_only_in_h1": [a.id for a in issues[0].pages[0].articles],
        "gb2312_meta_only": [issues[0].date.isoformat()],
        "utf8_bom_no_charset": [issues[1].date.isoformat()],
        "dropdown_page_list": [issues[1].date.isoformat()],
        "query_string_pages": [issues[2].date.isoformat()],
        "pictable_caption": ["096118", "096140", "310518"],
        "picture_no_caption": ["187649"],
        "figure_caption": ["021862"],
        "mobile_only_link": ["021866"],
        "fullwidth_space_in_title": ["310507"],
        "nbsp_in_title": ["021839"],
        "page_name_only_number": ["1987-03-10/2", "1998-06-16/3"],
        "no_scan": ["1987-03-10/3"],
    }
    return site
