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

from dataclasses import dataclass, field
from datetime import date
from html import escape

from sxworker.replica.builder import Resource, Site

UTF8 = "text/html; charset=utf-8"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
MOBILE_DATE = "2023年09月15日"
ZOOM = (
    '<a href="javascript:doZoom(16)">放大</a> <a href="javascript:doZoom(12)">缩小</a> '
    '<a href="javascript:doZoom(14)">默认</a>'
)


# --------------------------------------------------------------------------- content model


@dataclass(frozen=True)
class Art:
    id: str
    title: str  # as printed (HTML: may hold &nbsp; or a full-width space)
    paras: tuple[str, ...]
    kicker: str | None = None
    subtitle: str | None = None  # as printed, may start with ——
    byline: str | None = None  # as printed
    images: tuple[tuple[str, str | None], ...] = ()  # (file stem, caption)
    mobile_only: bool = False  # the page links it only by its /m/content/ URL


@dataclass
class Pg:
    no: int
    label: str
    name: str  # as printed after 当前版:第{label}版:
    arts: list[Art]
    scan: bool = True


@dataclass
class Iss:
    day: date
    era: str
    pages: list[Pg] = field(default_factory=list)


def _issues() -> list[Iss]:
    return [
        Iss(
            date(1987, 3, 10),
            "1987",
            [
                Pg(
                    1,
                    "1",
                    "头版",
                    [
                        Art(
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
                        Art(
                            "045207",
                            "西安纺织城开展劳动竞赛",
                            (
                                "　　西安纺织城各厂在新春伊始开展了以提高产品质量为中心的劳动竞赛。",
                                "　　竞赛开展一个月来,一等品率普遍提高,涌现出一批操作能手。",
                            ),
                            byline="◎ 赵六",
                        ),
                        Art(
                            "045213",
                            "宝鸡工人文化宫举办读书班",
                            ("　　宝鸡市工人文化宫近日举办青年职工读书班,八十多名青年工人参加学习。",),
                        ),
                    ],
                ),
                Pg(
                    2,
                    "2",
                    "第2版",
                    [
                        Art(
                            "045221",
                            "厂长与工人面对面",
                            (
                                "　　汉中钢铁厂坚持每月召开一次厂长与工人对话会,工人有话当面说,厂长当场答复。",
                                "　　半年来,对话会共解决职工提出的实际问题四十余件。",
                            ),
                            byline="通讯员 刘卫东",
                        ),
                        Art(
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
                Pg(
                    3,
                    "3",
                    "职工生活",
                    [
                        Art(
                            "045230",
                            "春天的工地",
                            (
                                "　　塔吊伸展着长臂,",
                                "　　把春天一层层垒高;",
                                "　　我们的汗水,浇灌出城市的新貌。",
                            ),
                            byline="作者:周八",
                        ),
                        Art(
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
        Iss(
            date(1998, 6, 16),
            "1998",
            [
                Pg(
                    1,
                    "01",
                    "头版",
                    [
                        Art(
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
                        Art(
                            "187635",
                            "省总工会慰问困难职工",
                            (
                                "端午节前夕,省总工会领导分赴西安、铜川等地,看望慰问困难职工。",
                                "此次共送去慰问金二十万元。",
                            ),
                        ),
                    ],
                ),
                Pg(
                    2,
                    "02",
                    "综合新闻",
                    [
                        Art(
                            "187652",
                            "安全生产月活动全面展开",
                            (
                                "六月是全国安全生产月。我省各企业工会广泛开展安全知识竞赛和隐患排查活动。",
                                "延长油矿工会组织职工查出事故隐患一百二十多处,已全部整改。",
                            ),
                            byline="本报通讯员 何平",
                        ),
                        Art(
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
                Pg(
                    3,
                    "03",
                    "第03版",
                    [
                        Art(
                            "187661",
                            "夏夜纳凉话安全",
                            (
                                "盛夏将至,纳凉的人多了起来,安全问题不可忽视。",
                                "用电、游泳、饮食,处处都要多一分小心。",
                            ),
                            byline="◎ 高峰",
                        ),
                        Art(
                            "187658",
                            "职工书画展在西安开幕",
                            ("由省总工会主办的全省职工书画展日前在西安开幕,共展出作品三百余件。",),
                        ),
                    ],
                ),
            ],
        ),
        Iss(
            date(2003, 9, 23),
            "2003",
            [
                Pg(
                    1,
                    "A01",
                    "要闻",
                    [
                        Art(
                            "096118",
                            "全省工会系统抗击非典先进集体受表彰",
                            (
                                "　　9月22日,全省工会系统抗击非典表彰大会在西安举行。",
                                "　　大会表彰了三十个先进集体和一百名先进个人。",
                            ),
                            byline="本报记者 陈静",
                            images=(("096118_1", "图为表彰大会现场"),),
                        ),
                        Art(
                            "096121",
                            "秋季职工技能大赛下月举行",
                            (
                                "　　本报讯(记者 陈静)全省秋季职工技能大赛将于10月中旬举行。",
                                "　　大赛设车工、钳工、焊工等八个工种。",
                            ),
                        ),
                        Art(
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
                Pg(
                    2,
                    "A02",
                    "综合新闻",
                    [
                        Art(
                            "096135",
                            "劳动合同签订率稳步提高",
                            (
                                "　　省劳动部门的统计显示,全省企业劳动合同签订率已达百分之八十以上。",
                                "　　工会将继续督促企业依法签订劳动合同。",
                            ),
                            subtitle="全省已有八成企业实行劳动合同制",
                            byline="本报记者 陈静",
                        ),
                        Art(
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
                Pg(
                    3,
                    "A03",
                    "权益周刊",
                    [
                        Art(
                            "096152",
                            "欠薪问题如何解决",
                            (
                                "　　职工遇到欠薪,可以先与单位协商,协商不成可向劳动监察部门投诉。",
                                "　　也可以申请劳动争议仲裁,维护自身合法权益。",
                            ),
                            kicker="律师在线",
                            byline="■ 律师 胡志强",
                        ),
                        Art(
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
        Iss(
            date(2012, 5, 8),
            "2012",
            [
                Pg(
                    1,
                    "01",
                    "头版",
                    [
                        Art(
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
                        Art(
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
                Pg(
                    2,
                    "02",
                    "要闻",
                    [
                        Art(
                            "310520",
                            "农民工工资保证金制度全面推行",
                            (
                                "　　我省在建设领域全面推行农民工工资保证金制度。",
                                "　　拖欠农民工工资的企业将被列入黑名单。",
                            ),
                        ),
                        Art(
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
                Pg(
                    3,
                    "03",
                    "职工天地",
                    [
                        Art(
                            "310531",
                            "我的师傅",
                            (
                                "　　师傅姓刘,是车间里的老钳工。",
                                "　　他常说,干活要对得起自己的手艺。",
                                "　　如今我也带了徒弟,才体会到师傅当年的用心。",
                            ),
                            byline="◎ 韩雪",
                        ),
                        Art(
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
        Iss(
            date(2021, 4, 27),
            "2021",
            [
                Pg(
                    1,
                    "A1",
                    "头版",
                    [
                        Art(
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
                        Art(
                            "021851",
                            "五一假期前安全生产大检查启动",
                            (
                                "　　为确保节日期间安全生产形势稳定,省总工会开展安全生产大检查。",
                                "　　检查重点为矿山、危化品和建筑施工企业。",
                            ),
                        ),
                        Art(
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
                Pg(
                    2,
                    "A2",
                    "要闻",
                    [
                        Art(
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
                        Art(
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
                Pg(
                    3,
                    "A3",
                    "综合新闻",
                    [
                        Art(
                            "021873",
                            "西咸新区新就业形态劳动者集中入会",
                            (
                                "　　西咸新区总工会日前举行新就业形态劳动者集中入会仪式。",
                                "　　快递员、外卖送餐员等三百余人加入工会组织。",
                            ),
                            byline="□ 通讯员 冯磊",
                        ),
                        Art(
                            "021870",
                            "职工疗休养活动有序恢复",
                            ("　　省总工会职工疗休养活动有序恢复,首批一线职工已前往疗养基地。",),
                        ),
                    ],
                ),
            ],
        ),
    ]


# --------------------------------------------------------------------------- paths


def _ymd(d: date) -> tuple[str, str, str]:
    return f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}"


def page_path(iss: Iss, pg: Pg) -> str:
    y, m, d = _ymd(iss.day)
    if iss.era == "1987":
        return f"/Html/{y}-{m}/{d}/Qpage_{pg.no}.htm"
    if iss.era == "1998":
        return f"/paper/{y}{m}{d}/page_{pg.no:02d}.shtml"
    if iss.era == "2003":
        return f"/index.aspx?paperdate={y}-{m}-{d}&pageid={pg.no}"
    if iss.era == "2012":
        return f"/sxgrb/{y}/{m}{d}/ban{pg.no:02d}.htm"
    return f"/newspaper/{y}-{m}/{d}/page{pg.label}.html"


def article_path(d: date, aid: str, mobile: bool = False) -> str:
    y, m, dd = _ymd(d)
    return f"{'/m' if mobile else ''}/content/{y}-{m}/{dd}/{aid}.html"


def scan_path(d: date, no: int) -> str:
    y, m, dd = _ymd(d)
    return f"/Img/{y}/{m}/{y}{m}{dd}{no:02d}-1.jpg"


def picture_path(d: date, stem: str) -> str:
    y, m, dd = _ymd(d)
    return f"/Files/Pic/{y}{m}{dd}/{stem}.jpg"


def _rel(src: str, dst: str) -> str:
    """A relative link from page `src` to `dst` (both absolute paths), with ../ segments."""
    depth = src.split("?", 1)[0].count("/") - 1
    return "../" * depth + dst.lstrip("/")


# --------------------------------------------------------------------------- ground truth


def clean_title(title: str) -> str:
    return " ".join(title.replace("&nbsp;", " ").split())


def clean_subtitle(sub: str | None) -> str | None:
    if not sub:
        return None
    return sub.lstrip("—").strip() or None


def clean_author(byline: str | None) -> str | None:
    if not byline:
        return None
    text = byline.strip()
    if text[:1] in "□◎■":
        text = text[1:].strip()
    for label in ("作者:", "作者:"):
        if text.startswith(label):
            text = text[len(label) :].strip()
    return text or None


def _page_name(pg: Pg) -> str | None:
    return None if pg.name == f"第{pg.label}版" else pg.name


# --------------------------------------------------------------------------- rendering


@dataclass
class Ctx:
    base: str
    iss: Iss
    pg: Pg
    here: str  # path of the document being rendered
    pages: list[tuple[str, Pg]]
    prev_issue: str | None
    next_issue: str | None
    prev_page: str | None
    next_page: str | None
    scan: str | None
    page_url: str  # the page (版面) this document belongs to

    def link(self, path: str) -> str:
        """How this era writes an on-site link."""
        if self.iss.era == "1987":
            return escape(path)
        if self.iss.era == "2003" and self.here.startswith("/index.aspx"):
            return escape(path.lstrip("/"))
        return escape(_rel(self.here, path))

    def art_link(self, art: Art) -> str:
        return self.link(article_path(self.iss.day, art.id, mobile=art.mobile_only))

    def date_line(self) -> str:
        y, m, d = _ymd(self.iss.day)
        return f"出版日期:{y}年{m}月{d}日"

    def current(self) -> str:
        return f"当前版:第{self.pg.label}版:{self.pg.name}"

    def nav(self, sep: str = " ") -> str:
        parts = []
        for text, target in (
            ("上一期", self.prev_issue),
            ("下一期", self.next_issue),
            ("上一版", self.prev_page),
            ("下一版", self.next_page),
        ):
            parts.append(
                f'<a href="{self.link(target)}">{text}</a>' if target else f'<span class="off">{text}</span>'
            )
        return sep.join(parts)


def _body_ps(art: Art, indent: str = "") -> str:
    return "\n".join(
        f"<p>{indent}{escape(p.strip())}</p>" if indent else f"<p>{escape(p)}</p>" for p in art.paras
    )


def _pic_src(ctx: Ctx, stem: str) -> str:
    return ctx.link(picture_path(ctx.iss.day, stem))


# ---- 1987: tables, GB2312 in <meta> only


def _head_1987(ctx: Ctx) -> str:
    pages = " ".join(
        f'<A href="{escape(p.rsplit("/", 1)[1])}">第{pg.label}版</A>'
        if ctx.here.startswith("/Html/")
        else f'<A href="{ctx.link(p)}">第{pg.label}版</A>'
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
<TR><TD class=date>{ctx.date_line()}</TD></TR>
<TR><TD class=banci>{ctx.current()}&nbsp;&nbsp;{ctx.nav("&nbsp;")}</TD></TR>
<TR><TD class=pagelist>版面导航:{pages}</TD></TR>
</TABLE>
"""


FOOT_1987 = """<TABLE width=980 align=center><TR><TD align=center class=foot>
陕西工人报社 版权所有 未经授权禁止转载<BR>技术支持:53BK.com</TD></TR></TABLE>
</BODY></HTML>
"""


def page_1987(ctx: Ctx) -> str:
    rows = "\n".join(
        f'<TR><TD height=24><IMG src="/images/dot.gif"> <A href="{ctx.art_link(a)}">{a.title}</A></TD></TR>'
        for a in ctx.pg.arts
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
<TR><TD class=pagetitle>第{ctx.pg.label}版 {ctx.pg.name}</TD></TR>
{rows}
</TABLE></TD></TR></TABLE>
"""
        + FOOT_1987
    )


def article_1987(ctx: Ctx, art: Art) -> str:
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
<TR><TD align=center><A href="{ctx.link(ctx.page_url)}">返回本版</A>
<A href="javascript:window.close()">关闭窗口</A></TD></TR>
</TABLE>
"""
        + FOOT_1987
    )


# ---- 1998: UTF-8 with BOM, no charset; dropdown page list; <br><br> paragraphs


def _select_1998(ctx: Ctx) -> str:
    opts = "\n".join(
        f'<option value="{ctx.link(p)}"{" selected" if pg is ctx.pg else ""}>'
        f"第{pg.label}版:{pg.name}</option>"
        for p, pg in ctx.pages
    )
    return (
        '<select name="banmian" onchange="window.location.href=this.options'
        f'[this.selectedIndex].value">\n{opts}\n</select>'
    )


def _head_1998(ctx: Ctx, title: str) -> str:
    return f"""<html>
<head>
<title>{title}</title>
<link rel="stylesheet" href="{ctx.link("/css/paper.css")}">
<script src="{ctx.link("/js/zoom.js")}"></script>
</head>
<body>
<div id="top"><span>陕西工人报官方网站</span> | <a href="http://www.sxgh.org.cn/">陕工网首页</a></div>
<div id="bar">
<div class="riqi">{ctx.date_line()}</div>
<div class="banci">{ctx.current()}</div>
<div class="fanye">{ctx.nav()}</div>
<div class="bmxz">版面选择:{_select_1998(ctx)}</div>
</div>
"""


FOOT_1998 = """<div id="foot">Copyright &copy; 陕西工人报社 All Rights Reserved<br>
制作单位:53BK.com</div>
</body>
</html>
"""


def page_1998(ctx: Ctx) -> str:
    items = "\n".join(f'<div class="bt"><a href="{ctx.art_link(a)}">{a.title}</a></div>' for a in ctx.pg.arts)
    return (
        _head_1998(ctx, f"陕西工人报 第{ctx.pg.label}版:{ctx.pg.name}")
        + f"""
<div id="left"><img src="{ctx.link(ctx.scan)}" width="330" border="0" alt="版面图"></div>
<div id="right">
<div class="bmmc">陕西工人报第{ctx.pg.label}版</div>
{items}
</div>
"""
        + FOOT_1998
    )


def article_1998(ctx: Ctx, art: Art) -> str:
    pics = "".join(
        f'<div align="center"><img src="{_pic_src(ctx, stem)}" border="0"></div>' for stem, _cap in art.images
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


def _head_2003(ctx: Ctx, title: str) -> str:
    pages = "\n".join(f'<li><a href="{ctx.link(p)}">{pg.label}版:{pg.name}</a></li>' for p, pg in ctx.pages)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}</title>
</head>
<body>
<div class="header"><a href="http://www.sxgh.org.cn/">陕工网首页</a> 跟帖评论自律管理承诺书</div>
<div class="info"><span class="date">{ctx.date_line()}</span>
<span class="current">{ctx.current()}</span> {ctx.nav()}</div>
<div class="pagelist"><h4>版面导航</h4><ul>
{pages}
</ul></div>
"""


FOOT_2003 = """<div class="footer">陕西工人报社版权所有 Copyright 2003<br />
技术支持:<a href="http://www.53bk.com/">53BK.com</a></div>
</body>
</html>
"""


def page_2003(ctx: Ctx) -> str:
    areas = "\n".join(
        f'<area shape="rect" coords="10,{40 + 120 * i},330,{150 + 120 * i}" '
        f'href="{ctx.art_link(a)}" alt="" />'
        for i, a in enumerate(ctx.pg.arts)
    )
    titles = "\n".join(f'<li><a href="{ctx.art_link(a)}">{a.title}</a></li>' for a in ctx.pg.arts)
    return (
        _head_2003(ctx, f"陕西工人报-{ctx.pg.label}版:{ctx.pg.name}")
        + f"""
<div class="paper"><img src="{ctx.link(ctx.scan)}" usemap="#PagePicMap" border="0" />
<map name="PagePicMap">
{areas}
</map></div>
<div class="titles"><ul>
{titles}
</ul></div>
"""
        + FOOT_2003
    )


def _pictable(ctx: Ctx, art: Art, cap_class: str) -> str:
    out = []
    for stem, cap in art.images:
        cap_row = f'<tr><td class="{cap_class}">{cap}</td></tr>' if cap else ""
        out.append(
            f'<table class="picTable" align="center" cellpadding="0" cellspacing="0">'
            f'<tr><td align="center"><img src="{_pic_src(ctx, stem)}" border="0" /></td>'
            f"</tr>{cap_row}</table>"
        )
    return "\n".join(out)


def article_2003(ctx: Ctx, art: Art) -> str:
    guide = "\n".join(
        f'<li><a href="{ctx.link(article_path(ctx.iss.day, a.id))}">{a.title}</a></li>'
        for a in ctx.pg.arts
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
{_pictable(ctx, art, "font_pic")}
{_body_ps(art, "&nbsp;&nbsp;&nbsp;&nbsp;")}
</div>
<div class="tools">{ZOOM} <a href="javascript:window.print()">打印本页</a></div>
<div class="back"><a href="{ctx.link(ctx.page_url)}">返回版面</a></div>
</div>
"""
        + FOOT_2003
    )


# ---- 2012: UTF-8, "01版" list, 本版导读 as the page's article list, founder-content


def _head_2012(ctx: Ctx, title: str) -> str:
    pages = "\n".join(
        f'<li><a href="{ctx.link(p)}">{pg.label}版</a><em>{pg.name}</em></li>' for p, pg in ctx.pages
    )
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{ctx.link("/css/paper.css")}">
</head>
<body>
<div class="topbar">陕西工人报官方网站 | <a href="http://www.sxgh.org.cn/">陕工网首页</a> 今天是</div>
<div class="jubao">跟帖评论自律管理承诺书 不良信息举报电话:陕工网(029-87339475)</div>
<div class="wrap">
<div class="riqi">{ctx.date_line()}</div>
<div class="banci">{ctx.current()}</div>
<div class="fanye">{ctx.nav()}</div>
<div class="bmlist"><h4>版面翻页</h4><ul>
{pages}
</ul></div>
"""


FOOT_2012 = """</div>
<div class="foot">陕西工人报社 版权所有 © 2012<br>制作单位:53BK.com</div>
</body>
</html>
"""


def page_2012(ctx: Ctx) -> str:
    items = "\n".join(f'<li><a href="{ctx.art_link(a)}">{a.title}</a></li>' for a in ctx.pg.arts)
    return (
        _head_2012(ctx, f"陕西工人报电子版-第{ctx.pg.label}版")
        + f"""
<div class="pageimg"><a href="{ctx.link(ctx.scan)}" target="_blank">
<img src="{ctx.link(ctx.scan)}" width="360"></a></div>
<div class="daodu"><h3>本版导读</h3><ul>
{items}
</ul></div>
"""
        + FOOT_2012
    )


def article_2012(ctx: Ctx, art: Art, prev: Art | None, nxt: Art | None) -> str:
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
    if prev:
        pn.append(f'上一篇:<a href="{ctx.art_link(prev)}">{prev.title}</a>')
    if nxt:
        pn.append(f'下一篇:<a href="{ctx.art_link(nxt)}">{nxt.title}</a>')
    mobile = ctx.link(article_path(ctx.iss.day, art.id, mobile=True))
    return (
        _head_2012(ctx, f"{art.title}--陕西工人报")
        + f"""
<div class="detail">
{head}
<div class="article-content" id="ozoom">
{_pictable(ctx, art, "picText")}
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


def _head_2021(ctx: Ctx, title: str) -> str:
    pages = "\n".join(f'<a class="bm" href="{ctx.link(p)}">{pg.label}版:{pg.name}</a>' for p, pg in ctx.pages)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{ctx.link("/css/paper.css")}">
</head>
<body>
<header><a href="http://www.sxgh.org.cn/">陕工网首页</a><span id="today"></span></header>
<nav class="paper-nav">
<p class="riqi">{ctx.date_line()}</p>
<p class="banci">{ctx.current()}</p>
<p class="fanye">{ctx.nav()}</p>
<div class="bmnav">{pages}</div>
</nav>
"""


FOOT_2021 = """<footer><p>陕西工人报社 版权所有</p><p>制作单位:53BK.com</p></footer>
</body>
</html>
"""


def page_2021(ctx: Ctx) -> str:
    items = "\n".join(f'<li><a href="{ctx.art_link(a)}">{a.title}</a></li>' for a in ctx.pg.arts)
    return (
        _head_2021(ctx, f"陕西工人报 {ctx.pg.label}版")
        + f"""
<main>
<div class="paper-img"><img class="paper" src="{ctx.link(ctx.scan)}" alt="{ctx.pg.name}"></div>
<ul class="news-list">
{items}
</ul>
</main>
"""
        + FOOT_2021
    )


def _figures(ctx: Ctx, art: Art) -> str:
    out = []
    for stem, cap in art.images:
        fc = f"<figcaption>{cap}</figcaption>" if cap else ""
        out.append(f'<figure><img src="{_pic_src(ctx, stem)}">{fc}</figure>')
    return "\n".join(out)


def article_2021(ctx: Ctx, art: Art) -> str:
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
{_figures(ctx, art)}
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


def mobile_article(base: str, ctx: Ctx, art: Art, prev: Art | None, nxt: Art | None) -> str:
    d = ctx.iss.day
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
        f'<figure><img src="{base}{picture_path(d, stem)}">'
        + (f"<figcaption>{cap}</figcaption>" if cap else "")
        + "</figure>"
        for stem, cap in art.images
    )
    nav = []
    if prev:
        nav.append(f'<p>上篇:<a href="{article_path(d, prev.id, mobile=True)}">{prev.title}</a></p>')
    if nxt:
        nav.append(f'<p>下篇:<a href="{article_path(d, nxt.id, mobile=True)}">{nxt.title}</a></p>')
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
{"".join(nav)}
</div>
<div class="m-share">分享到</div>
</div>
<div class="m-foot"><p>© 2023 陕西工人报</p><p>制作单位:53BK.com</p></div>
<a href="#top">↑ TOP</a>
<div style="display:none"><span>{scan}</span><span>陕西工人报</span>
<span>{base}{article_path(d, art.id, mobile=True)}</span><span>陕西工人报电子版</span></div>
</body>
</html>
"""


# --------------------------------------------------------------------------- build

PAGE_RENDERERS = {
    "1987": page_1987,
    "1998": page_1998,
    "2003": page_2003,
    "2012": page_2012,
    "2021": page_2021,
}


def _encode(era: str, html: str) -> Resource:
    if era == "1987":
        # GB2312 bytes (GBK-encoded so that —— is A1AA A1AA as on real GB2312 pages, which
        # WHATWG and browsers decode as U+2014); the charset is named only in <meta>
        data = html.encode("gbk")
        data.decode("gb2312")  # every byte sequence is inside GB2312
        return Resource(data, "text/html")
    if era == "1998":
        return Resource(b"\xef\xbb\xbf" + html.encode("utf-8"), "text/html")
    if era == "2003":
        return Resource(html.encode("gbk"), "text/html; charset=gb2312")
    return Resource(html.encode("utf-8"), UTF8)


def _root(latest: str) -> str:
    return f"""<!DOCTYPE html>
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
"""


def build_alt_site(base_url: str) -> Site:
    """The whole alternative replica for a server at `base_url` (no trailing slash)."""
    base = base_url.rstrip("/")
    issues = _issues()
    issue_urls = [page_path(i, i.pages[0]) for i in issues]
    res: dict[str, Resource] = {
        "/": Resource(_root(issue_urls[-1]).encode("utf-8"), UTF8),
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /admin/\n", "text/plain"),
        "/css/paper.css": Resource(b"body{font-size:14px}\n", "text/css"),
        "/js/zoom.js": Resource(b"function doZoom(s){}\n", "application/javascript"),
        "/images/top.gif": Resource(GIF, "image/gif"),
        "/images/dot.gif": Resource(GIF, "image/gif"),
    }
    exp_articles: list[dict] = []
    exp_pages: list[dict] = []
    exp_issues: list[dict] = []
    seen: set[str] = set()

    for idx, iss in enumerate(issues):
        pages = [(page_path(iss, pg), pg) for pg in iss.pages]
        order = [a for pg in iss.pages for a in pg.arts]
        for pidx, pg in enumerate(iss.pages):
            ppath = pages[pidx][0]
            scan = scan_path(iss.day, pg.no) if pg.scan else None
            ctx = Ctx(
                base=base,
                iss=iss,
                pg=pg,
                here=ppath,
                pages=pages,
                prev_issue=issue_urls[idx - 1] if idx > 0 else None,
                next_issue=issue_urls[idx + 1] if idx + 1 < len(issues) else None,
                prev_page=pages[pidx - 1][0] if pidx > 0 else None,
                next_page=pages[pidx + 1][0] if pidx + 1 < len(pages) else None,
                scan=scan,
                page_url=ppath,
            )
            res[ppath] = _encode(iss.era, PAGE_RENDERERS[iss.era](ctx))
            if scan:
                res[scan] = Resource(JPEG, "image/jpeg")
            exp_pages.append(
                {
                    "issue_date": iss.day.isoformat(),
                    "page_no": pg.no,
                    "page_label": pg.label,
                    "page_name": _page_name(pg),
                    "page_image_url": base + scan if scan else None,
                    "pdf_url": None,
                    "url": base + ppath,
                    "article_ids": [a.id for a in pg.arts],
                }
            )
            for art in pg.arts:
                assert art.id not in seen, art.id
                seen.add(art.id)
                apath = article_path(iss.day, art.id)
                actx = Ctx(**{**ctx.__dict__, "here": apath})
                pos = order.index(art)
                prev = order[pos - 1] if pos > 0 else None
                nxt = order[pos + 1] if pos + 1 < len(order) else None
                if iss.era == "1987":
                    html = article_1987(actx, art)
                elif iss.era == "1998":
                    html = article_1998(actx, art)
                elif iss.era == "2003":
                    html = article_2003(actx, art)
                elif iss.era == "2012":
                    html = article_2012(actx, art, prev, nxt)
                else:
                    html = article_2021(actx, art)
                res[apath] = _encode(iss.era, html)
                if iss.era in ("2012", "2021"):
                    mpath = article_path(iss.day, art.id, mobile=True)
                    res[mpath] = Resource(mobile_article(base, actx, art, prev, nxt).encode("utf-8"), UTF8)
                for stem, _cap in art.images:
                    res[picture_path(iss.day, stem)] = Resource(JPEG, "image/jpeg")
                exp_articles.append(
                    {
                        "article_id": art.id,
                        "url": base + apath,
                        "issue_date": iss.day.isoformat(),
                        "page_no": pg.no,
                        "page_label": pg.label,
                        "page_name": _page_name(pg),
                        "page_image_url": base + scan if scan else None,
                        "kicker": art.kicker,
                        "title": clean_title(art.title),
                        "subtitle": clean_subtitle(art.subtitle),
                        "author": clean_author(art.byline),
                        "body": "\n".join(p.strip() for p in art.paras),
                        "images": [
                            {"url": base + picture_path(iss.day, stem), "caption": cap}
                            for stem, cap in art.images
                        ],
                    }
                )
        exp_issues.append(
            {
                "issue_date": iss.day.isoformat(),
                "page_count": len(iss.pages),
                "article_count": len(order),
                "url": base + issue_urls[idx],
            }
        )

    exp_articles.sort(key=lambda a: (a["issue_date"], a["page_no"], a["article_id"]))
    cases = {
        "title_only_in_h1": [a.id for a in issues[0].pages[0].arts],
        "gb2312_meta_only": [issues[0].day.isoformat()],
        "utf8_bom_no_charset": [issues[1].day.isoformat()],
        "dropdown_page_list": [issues[1].day.isoformat()],
        "query_string_pages": [issues[2].day.isoformat()],
        "pictable_caption": ["096118", "096140", "310518"],
        "picture_no_caption": ["187649"],
        "figure_caption": ["021862"],
        "mobile_only_link": ["021866"],
        "fullwidth_space_in_title": ["310507"],
        "nbsp_in_title": ["021839"],
        "page_name_only_number": ["1987-03-10/2", "1998-06-16/3"],
        "no_scan": ["1987-03-10/3"],
    }
    return Site(
        base_url=base,
        resources=res,
        expected_articles=exp_articles,
        expected_issues=exp_issues,
        expected_pages=exp_pages,
        cases=cases,
    )
