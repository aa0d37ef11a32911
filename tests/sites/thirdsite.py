"""A third, independently designed replica of the 53BK.com e-paper of 陕西工人报.

Written without looking at the crawler's parsers or at the other two replicas' templates,
to test whether the crawler generalises. Four template families, four page URL schemes:

- 1989 (GB2312, charset only in <meta>): ``/bm/1989/0307/01.htm``; 当前版 printed "第01版";
  page list ``<a>第01版</a><span>头版</span>``; 【上一期】 text links; ``<br>``-separated
  paragraphs indented with full-width spaces; ``<title>`` "陕西工人报-<title>".
- 1995 (GBK bytes, header without charset, <meta> says gb2312): ``/bm/1995/0314/03.htm``;
  当前版 "第3版:综合新闻"; page list is a table of thumbnails (label in a separate cell,
  name only in ``title=``); 上一期/下一期 are images with ``alt``; article table with
  ``td.font02`` kicker / ``td.font01`` title / ``td.font02`` subtitle / ``td.font03`` byline
  (empty cells when missing); one article linked only through its mobile URL.
- 2010 (UTF-8): ``/bm.aspx?qi=20100706&ban=A2``; labels A1, A2, B3; "当前版:第A2版:第2版"
  (no page name); an article teased on A1 but belonging to A2; a dead article link; a
  ``/content/`` link on another host; ``<h3 class="subtitle">`` without dashes.
- 2019 (UTF-8): ``/epaper/html/2019-06/18/node_12.htm`` where node_12 is page 1; the root
  ``/`` answers 302 to the latest first page; 8 articles on one page, two of them only in the
  page scan's ``<map>``; ``<figure>``/``<figcaption>`` pictures; 2019-06-15 has no issue.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from sxworker.replica.builder import (
    GB2312_META_ONLY,
    GBK_META_ONLY,
    GIF_1X1,
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
    scan_path,
    static,
    via_root,
    ymd,
)

MOBILE_GENERATED = "2023年09月15日"
MISSING_ISSUE_DATE = "2019-06-15"


@dataclass
class Art(Article):
    map_only: bool = False  # listed only in the page scan's image map


# --------------------------------------------------------------------------- content


def _issues() -> list[Issue]:
    return [
        Issue(
            date(1989, 3, 7),
            "1989",
            [
                Page(
                    1,
                    "01",
                    "头版",
                    [
                        Art(
                            "041203",
                            "全省职工技术协作活动蓬勃开展",
                            (
                                "今年以来,全省各级工会组织职工开展技术协作,解决生产难题四百余项。",
                                "西安、宝鸡等地的协作小组深入车间,帮助企业改进工艺、节约原材料。",
                                "省总工会表示,将继续推广这一做法。",
                            ),
                            byline="本报通讯员 刘建华",
                        ),
                        Art(
                            "041207",
                            "咸阳纺织厂女工夜校开学",
                            (
                                "本报讯(通讯员 周丽)3月5日,咸阳纺织厂女工夜校正式开学,首批学员一百二十人。",
                                "夜校开设文化、技术两类课程,每周上课三次。",
                            ),
                        ),
                        Art(
                            "041201",
                            "把改革精神带到每个班组",
                            (
                                "改革不是少数人的事,需要每一名职工的参与。",
                                "班组是企业的细胞,班组活了,企业才能活。",
                            ),
                            kicker="学习十三届三中全会精神",
                            subtitle="一位老工人的心里话",
                            byline="□ 赵文",
                        ),
                    ],
                ),
                Page(
                    2,
                    "02",
                    None,
                    [
                        Art(
                            "041215",
                            "春耕时节话农机",
                            ("渭南农机厂抓紧生产小型拖拉机,支援春耕。", "厂里三班倒,确保按时交货。"),
                            byline="本报记者 马建军",
                        ),
                        Art(
                            "041212",
                            "读者来信",
                            (
                                "编辑同志:我厂食堂饭菜质量近来明显提高,职工们都很满意。",
                                "希望贵报表扬一下食堂的同志们。",
                            ),
                            byline="宝鸡读者 陈小平",
                        ),
                    ],
                    scan=False,
                ),
            ],
        ),
        Issue(
            date(1995, 3, 14),
            "1995",
            [
                Page(
                    1,
                    "1",
                    "头版",
                    [
                        Art(
                            "097520",
                            "省总工会召开十届三次全委会",
                            (
                                "会议传达了全国总工会十二届三次执委会议精神。",
                                "会议指出,要认真学习朱镕基副总理关于国有企业改革的讲话。",
                                "会议号召全省职工为完成今年经济任务建功立业。",
                            ),
                            kicker="贯彻全总执委会议精神",
                            subtitle="部署今年工会工作",
                            byline="本报记者 张建国 实习生 李婷",
                        ),
                        Art(
                            "097523",
                            "西安三千职工参加义务献血",
                            (
                                "本报讯(记者 王五)3月10日,西安市三千余名职工参加义务献血活动。",
                                "献血职工中,青年职工占七成以上。",
                            ),
                        ),
                        Art(
                            "097526",
                            "宝鸡钢管厂实现开门红",
                            ("一二月份,宝鸡钢管厂完成产值同比增长百分之十二。",),
                            byline="◎ 孙立",
                        ),
                    ],
                ),
                Page(
                    2,
                    "2",
                    "要闻",
                    [
                        Art(
                            "097531",
                            "全省再就业工程启动",
                            ("省劳动厅、省总工会联合启动再就业工程。", "首批培训下岗职工两千人。"),
                            byline="本报记者 高峰",
                            images=(("097531_1.jpg", None),),
                        ),
                        Art(
                            "097529",
                            "劳动法知识竞赛举行",
                            ("为迎接劳动法实施,省总工会举办劳动法知识竞赛。", "共有四十支代表队参赛。"),
                        ),
                    ],
                ),
                Page(
                    3,
                    "3",
                    "综合新闻",
                    [
                        Art(
                            "097540",
                            "铜川矿务局安全生产百日无事故",
                            ("铜川矿务局开展安全生产百日竞赛,实现零事故。", "局工会组织群监员坚持下井检查。"),
                            subtitle="群众安全监督员发挥作用",
                            byline="■ 本报通讯员 郑明",
                        ),
                        Art(
                            "097538",
                            "汉中茶厂职工喜获丰收",
                            ("汉中茶厂今春新茶产量大增。", "职工收入随之提高。"),
                            byline="杨春燕",
                        ),
                        Art(
                            "097544",
                            "延安职工书屋开放",
                            ("延安市总工会职工书屋正式对外开放,藏书五千册。", "书屋每天开放到晚上九点。"),
                            byline="本报记者 白云",
                            mobile_only=True,
                        ),
                    ],
                ),
            ],
        ),
        Issue(
            date(2010, 7, 6),
            "2010",
            [
                Page(
                    1,
                    "A1",
                    "头版",
                    [
                        Art(
                            "310602",
                            "我省启动职工素质提升工程",
                            (
                                "省总工会日前印发通知,在全省启动职工素质提升工程。",
                                "工程将用五年时间,培训职工一百万人次。",
                                "各级工会要把这项工作列入重要议事日程。",
                            ),
                            kicker="服务发展大局",
                            subtitle="五年培训职工百万人次",
                            byline="本报记者 刘洋 通讯员 韩冰",
                        ),
                        Art(
                            "310605",
                            "高温津贴标准提高",
                            ("从今年起,我省高温津贴标准由每月一百元提高到一百五十元。",),
                            byline="作者：李明",
                        ),
                        Art(
                            "310601",
                            "夏季安全生产&nbsp;&nbsp;不能放松",
                            ("进入主汛期,各企业要切实做好防汛和安全生产工作。", "工会要发挥监督作用。"),
                            images=(("310601_1.jpg", "工会干部在施工现场检查防暑降温措施。"),),
                        ),
                    ],
                    guide=[("/content/2010-07/06/310611.html", "农民工工资保证金制度全面推行")],
                ),
                Page(
                    2,
                    "A2",
                    None,
                    [
                        Art(
                            "310611",
                            "农民工工资保证金制度全面推行",
                            (
                                "本报讯(记者 赵刚)7月3日,记者从省人社厅获悉,农民工工资保证金制度已在全省推行。",
                                "建筑企业必须按规定缴纳保证金。",
                            ),
                        ),
                        Art(
                            "310613",
                            "一线职工的“清凉”使者",
                            (
                                "连日来,西安市总工会“送清凉”小分队走进施工工地。",
                                "他们为一线职工送去绿豆汤和防暑药品。",
                            ),
                            byline="本报记者 王强",
                            images=(
                                ("310613_1.jpg", "送清凉小分队在工地为职工发放防暑用品。"),
                                ("310613_2.jpg", None),
                            ),
                        ),
                        Art(
                            "310610",
                            "职代会制度落实情况检查结束",
                            ("省总工会对三十家企业职代会制度落实情况进行了检查。",),
                            byline="作者:陈静",
                        ),
                    ],
                ),
                Page(
                    3,
                    "B3",
                    "职工天地",
                    [
                        Art(
                            "310620",
                            "老师傅的工具箱",
                            (
                                "老王的工具箱用了三十年,里面的每件工具都有故事。",
                                "徒弟们说,这是厂里最珍贵的箱子。",
                            ),
                            byline="□ 周建平",
                        ),
                        Art(
                            "310622",
                            "夏夜",
                            ("厂区的夏夜,机器声伴着蝉鸣。", "下夜班的工友们说说笑笑地走出大门。"),
                            byline="杨柳",
                        ),
                        Art("310625", "职工文化节开幕", ("第五届职工文化节在西安开幕。",)),
                    ],
                    guide=[
                        ("/content/2010-07/06/310698.html", "职工摄影展作品选登"),
                        ("http://paper.sxworker.com/content/2010-07/06/310699.html", "新版数字报"),
                    ],
                ),
            ],
        ),
        Issue(
            date(2019, 6, 13),
            "2019",
            [
                Page(
                    1,
                    "01",
                    "头版",
                    [
                        Art(
                            "158702",
                            "我省表彰一批最美职工",
                            (
                                "6月12日,省总工会召开大会,表彰二十名“最美职工”。",
                                "受表彰者来自生产一线,平均年龄三十八岁。",
                            ),
                            byline="本报记者 李娜",
                        ),
                        Art(
                            "158705",
                            "产业工人队伍建设改革推进会召开",
                            ("会议要求,加快推进产业工人队伍建设改革。",),
                            kicker="聚焦产改",
                            byline="本报记者 张涛",
                        ),
                        Art(
                            "158701",
                            "端午节前送温暖",
                            ("本报讯(记者 吴敏)6月11日,省总工会慰问困难职工家庭。",),
                        ),
                    ],
                ),
                Page(
                    2,
                    "02",
                    None,
                    [
                        Art(
                            "158710",
                            "技能大赛点燃学技热情",
                            ("全省职工职业技能大赛吸引了三千余名选手报名。", "比赛设十二个工种。"),
                            byline="本报通讯员 何平",
                        ),
                        Art(
                            "158712",
                            "工会驿站成为户外劳动者的家",
                            ("在西安街头,工会驿站为环卫工人提供饮水、休息服务。",),
                            byline="◎ 本报记者 刘洋",
                        ),
                    ],
                ),
            ],
        ),
        Issue(
            date(2019, 6, 18),
            "2019",
            [
                Page(
                    1,
                    "01",
                    "头版",
                    [
                        Art(
                            "158801",
                            "守护职工安康　筑牢安全防线",
                            (
                                "6月是全国“安全生产月”。",
                                "我省各级工会广泛开展群众性安全生产活动。",
                                "全省已建立群监网络两万余个。",
                            ),
                            kicker="安全生产月",
                            subtitle="我省工会开展安全生产月活动综述",
                            byline="本报记者 马龙 实习生 孙悦",
                            images=(("158801_1.jpg", "职工在安全知识竞赛现场答题。"),),
                        ),
                        Art(
                            "158802",
                            "省总工会领导深入基层调研",
                            ("调研组走访了十余家企业,听取职工意见。",),
                            byline="本报记者 李娜",
                        ),
                        Art(
                            "158803",
                            "全省工会财务工作会议召开",
                            ("本报讯(记者 王五)6月17日,全省工会财务工作会议在西安召开。",),
                        ),
                        Art(
                            "158804",
                            "职工医疗互助参保人数创新高",
                            ("今年全省参加职工医疗互助的职工超过一百万人。",),
                            byline="本报记者 张涛",
                        ),
                        Art(
                            "158805",
                            "新就业形态劳动者入会",
                            ("快递员、外卖送餐员等新就业形态劳动者纷纷加入工会。",),
                            byline="■ 本报记者 吴敏",
                        ),
                        Art(
                            "158806",
                            "劳模工匠进校园",
                            ("劳模工匠走进西安多所中学,讲述奋斗故事。",),
                            byline="本报通讯员 何平",
                        ),
                        Art(
                            "158807",
                            "图片新闻",
                            ("6月16日,铜川市举办职工趣味运动会。",),
                            images=(("158807_1.jpg", "拔河比赛现场。"),),
                            map_only=True,
                        ),
                        Art(
                            "158808",
                            "三秦短波",
                            ("宝鸡市总工会开展职工心理健康讲座。", "汉中市总工会为农民工送去法律服务。"),
                            map_only=True,
                        ),
                    ],
                ),
                Page(
                    2,
                    "02",
                    "要闻",
                    [
                        Art(
                            "158820",
                            "为高质量发展贡献工会力量",
                            ("广大职工是推动高质量发展的主力军。", "工会组织要团结引领职工建功新时代。"),
                            kicker="新时代 新作为",
                            byline="本报评论员",
                        ),
                        Art(
                            "158823",
                            "集体协商让职工工资稳步增长",
                            ("今年以来,全省签订工资专项集体合同一万余份。",),
                            subtitle="全省工资集体协商工作稳步推进",
                            byline="本报记者 李娜",
                        ),
                        Art(
                            "158821",
                            "工会帮扶中心升级改造",
                            ("全省各级工会帮扶中心完成升级改造,服务功能更加完善。",),
                            byline="作者:陈静",
                        ),
                    ],
                ),
                Page(
                    3,
                    "03",
                    "职工之家",
                    [
                        Art(
                            "158830",
                            "车间里的读书角",
                            ("下午休息时间,车间读书角坐满了职工。", "读书已成为这里的一种习惯。"),
                            byline="◎ 冯小军",
                        ),
                        Art(
                            "158832",
                            "父亲的工作服",
                            ("父亲的工作服洗得发白,却总是叠得整整齐齐。",),
                            byline="刘芳",
                        ),
                    ],
                ),
                Page(
                    4,
                    "04",
                    "文化",
                    [
                        Art(
                            "158840",
                            "工人诗歌朗诵会举行",
                            ("朗诵会上,职工们用诗歌讴歌劳动、赞美生活。",),
                            byline="本报记者 马龙",
                        ),
                        Art("158841", "书法展览展出职工作品两百幅", ("展览展出全省职工书法作品两百幅。",)),
                    ],
                    scan=False,
                ),
            ],
        ),
    ]


# --------------------------------------------------------------------------- paths


def page_path(issue: Issue, page: Page) -> str:
    y, m, d = ymd(issue.date)
    if issue.era in ("1989", "1995"):
        return f"/bm/{y}/{m}{d}/{page.no:02d}.htm"
    if issue.era == "2010":
        return f"/bm.aspx?qi={y}{m}{d}&ban={page.label}"
    return f"/epaper/html/{y}-{m}/{d}/node_{11 + page.no}.htm"


def page_href(issue: Issue, path: str) -> str:
    """A page's link as written on a page of the same issue (relative)."""
    if issue.era == "2010":
        return html.escape(path.lstrip("/"))
    return path.rsplit("/", 1)[1]


def picture_path(d: date, name: str) -> str:
    y, m, dd = ymd(d)
    return f"/attachement/jpg/site2/{y}{m}{dd}/{name}"


# --------------------------------------------------------------------------- rendering


def _cur(page: Page, sep: str = ":") -> str:
    """The 当前版 text: 第LABEL版 and the name (or 第N版 when the page has none)."""
    if page.name:
        return f"第{page.label}版{sep}{page.name}"
    if page.label.isdigit():
        return f"第{page.label}版"
    return f"第{page.label}版{sep}第{page.no}版"


def _guide_href(c: PageView, href: str) -> str:
    """A 本版导读 link as the page writes it: on-site ones relative, off-site ones as they are."""
    return via_root(c.path, href) if href.startswith("/") else href


def _render_page_1989(c: PageView) -> str:
    i, p = c.issue, c.page
    nav = []
    for text, href in (("【上一期】", c.prev_issue), ("【下一期】", c.next_issue)):
        if href:
            nav.append(f'<a href="{html.escape(href)}">{text}</a>')
    for text, target in (("【上一版】", c.prev_page), ("【下一版】", c.next_page)):
        if target:
            nav.append(f'<a href="{page_href(i, target)}">{text}</a>')
    bm = "\n".join(
        f'<tr><td><a href="{page_href(i, path)}">第{pg.label}版</a>'
        + (f"&nbsp;<span>{pg.name}</span>" if pg.name else "")
        + "</td></tr>"
        for path, pg in c.pages
    )
    titles = "\n".join(
        f'<tr><td>●<a href="{via_root(c.path, c.article_path(a))}">{a.title}</a></td></tr>'
        for a in p.articles
    )
    scan = f'<img src="{via_root(c.path, c.scan)}" width="300" border="0"><br>' if p.scan else ""
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>陕西工人报</title>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">
<table width="760" border="0" align="center">
<tr><td>陕西工人报官方网站 | <a href="/">陕工网首页</a></td></tr>
<tr><td>出版日期:{date_cn(i.date)}</td></tr>
<tr><td>当前版:{_cur(p)}&nbsp;&nbsp;{" ".join(nav)}</td></tr>
</table>
<table width="760" border="0" align="center"><tr>
<td width="180" valign="top"><table id="bmdh" border="0">
{bm}
</table></td>
<td valign="top">{scan}
<table border="0" id="btlist">
{titles}
</table></td>
</tr></table>
<div align="center">陕西工人报社 版权所有<br>制作单位:53BK.com</div>
</body>
</html>
"""


def _render_article_1989(c: ArticleView) -> str:
    i, p, a = c.issue, c.page, c.article
    rows = []
    if a.kicker:
        rows.append(f'<tr><td align="center"><font color="#336699">{a.kicker}</font></td></tr>')
    rows.append(f'<tr><td align="center"><font size="5"><b>{a.title}</b></font></td></tr>')
    if a.subtitle:
        rows.append(f'<tr><td align="center">——{a.subtitle}</td></tr>')
    if a.byline:
        rows.append(f'<tr><td align="center"><font size="2">{a.byline}</font></td></tr>')
    body = "<br>\n".join("　　" + t for t in a.paras)
    rows.append(f'<tr><td class="content"><br>\n{body}<br>\n</td></tr>')
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>陕西工人报-{a.title}</title>
</head>
<body bgcolor="#FFFFFF">
<table width="760" border="0" align="center">
<tr><td>陕西工人报官方网站 | <a href="/">陕工网首页</a></td></tr>
<tr><td>出版日期:{date_cn(i.date)}&nbsp;&nbsp;当前版:{_cur(p)}&nbsp;
<a href="{via_root(c.path, c.page_path)}">【返回版面】</a></td></tr>
</table>
<table width="600" border="0" align="center">
{chr(10).join(rows)}
</table>
<div align="center">【<a href="javascript:doZoom(16)">放大</a>】【<a href="javascript:doZoom(14)">缩小</a>】\
【<a href="javascript:doZoom(12)">默认</a>】</div>
<div align="center">陕西工人报社 版权所有 制作单位:53BK.com</div>
</body>
</html>
"""


def _render_page_1995(c: PageView) -> str:
    i, p = c.issue, c.page
    nav = []
    for alt, img, href in (("上一期", "prev", c.prev_issue), ("下一期", "next", c.next_issue)):
        if href:
            nav.append(
                f'<a href="{html.escape(href)}"><img src="/images/{img}.gif" alt="{alt}" border="0"></a>'
            )
    for alt, img, target in (("上一版", "pre_b", c.prev_page), ("下一版", "next_b", c.next_page)):
        if target:
            nav.append(
                f'<a href="{page_href(i, target)}"><img src="/images/{img}.gif" alt="{alt}" border="0"></a>'
            )
    thumbs = "".join(
        f'<td><a href="{page_href(i, path)}" title="第{pg.label}版:{pg.name}">'
        f'<img src="{via_root(c.path, scan_path(i.date, pg.no))}" width="60" height="90" border="0"></a></td>'
        for path, pg in c.pages
    )
    labels = "".join(f'<td align="center">第{pg.label}版</td>' for path, pg in c.pages)
    items = []
    for a in p.articles:
        href = c.mobile_path(a) if a.mobile_only else via_root(c.path, c.article_path(a))
        items.append(f'<li><a href="{href}">{a.title}</a></li>')
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>陕西工人报数字报</title>
<link href="/css/paper.css" rel="stylesheet" type="text/css">
</head>
<body>
<div id="top">陕西工人报官方网站 | <a href="/">陕工网首页</a> | 出版日期:{date_cn(i.date)}</div>
<table width="980" border="0"><tr>
<td>当前版:{_cur(p)}</td>
<td align="right">{"".join(nav)}</td>
</tr></table>
<table id="thumbs" border="0"><tr>{thumbs}</tr>
<tr>{labels}</tr></table>
<div id="bmpic"><img src="{via_root(c.path, c.scan)}" width="480" border="0"></div>
<div id="list"><b>本版标题</b><ul>
{chr(10).join(items)}
</ul></div>
<div id="foot">陕西工人报社版权所有 制作单位:53BK.com</div>
</body>
</html>
"""


def _render_article_1995(c: ArticleView) -> str:
    i, p, a = c.issue, c.page, c.article
    sub = f"——{a.subtitle}" if a.subtitle else ""
    pic_html = "".join(
        f'<table class="pic" align="center"><tr><td><img src="{via_root(c.path, src)}" border="0"></td></tr></table>'
        for src, _cap in c.pictures
    )
    paras = "".join(f"<P>　　{t}</P>" for t in a.paras)
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>陕西工人报数字报</title>
<script src="/js/zoom.js"></script>
</head>
<body>
<table width="100%" border="0"><tr>
<td>出版日期:{date_cn(i.date)}</td>
<td>当前版:{_cur(p)}</td>
<td><a href="{via_root(c.path, c.page_path)}"><img src="/images/back.gif" alt="返回版面" border="0"></a></td>
</tr></table>
<table width="640" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="font02" align="center">{a.kicker or ""}</td></tr>
<tr><td class="font01" align="center">{a.title}</td></tr>
<tr><td class="font02" align="center">{sub}</td></tr>
<tr><td class="font03" align="center">{a.byline or ""}</td></tr>
<tr><td><div id="ozoom" style="font-size:14px">{pic_html}<founder-content>{paras}</founder-content></div>
</td></tr>
</table>
<table width="640" align="center"><tr><td align="right">
<a href="javascript:doZoom(16)">放大</a> <a href="javascript:doZoom(14)">缩小</a> \
<a href="javascript:doZoom(12)">默认</a></td></tr></table>
<div align="center">陕西工人报社版权所有 制作单位:53BK.com</div>
</body>
</html>
"""


def _render_mobile(c: ArticleView) -> str:
    a, prev, nxt = c.article, c.prev, c.next
    paras = "\n".join(f"<p>{t}</p>" for t in a.paras)
    links = []
    if prev:
        links.append(f'上篇:<a href="{c.mobile_path(prev)}">{prev.title}</a>')
    if nxt:
        links.append(f'下篇:<a href="{c.mobile_path(nxt)}">{nxt.title}</a>')
    scan = c.base + c.scan if c.scan else ""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>陕西工人报</title></head>
<body>
<div id="loading">等待处理…</div>
<div class="m-news">
<h2>{a.title}</h2>
<p class="date">{MOBILE_GENERATED}</p>
<p class="author">{a.byline or ""}</p>
<div class="m-content">
{paras}
</div>
<div class="m-pn">{"<br>".join(links)}</div>
<div class="share">分享到</div>
</div>
<footer>© 2023 陕西工人报<br>制作单位:53BK.com<br><a href="#">↑ TOP</a></footer>
<div style="display:none">{scan}<br>陕西工人报<br>{c.base}{c.path}<br>
陕西工人报电子版</div>
</body></html>
"""


def _render_page_2010(c: PageView) -> str:
    i, p = c.issue, c.page
    y, m, d = ymd(i.date)
    nav = []
    for text, href in (("上一期", c.prev_issue), ("下一期", c.next_issue)):
        if href:
            nav.append(f'<a href="{html.escape(href)}">{text}</a>')
    for text, target in (("上一版", c.prev_page), ("下一版", c.next_page)):
        if target:
            nav.append(f'<a href="{page_href(i, target)}">{text}</a>')
    bm = "\n".join(f'<li><a href="{page_href(i, path)}">{_cur(pg)}</a></li>' for path, pg in c.pages)
    items = [f'<li><a href="{via_root(c.path, c.article_path(a))}">{a.title}</a></li>' for a in p.articles]
    items += [f'<li><a href="{_guide_href(c, href)}">{text}</a></li>' for href, text in p.guide]
    scan = f'<img id="bmpic" src="{c.scan}" width="400" alt="版面图">' if p.scan else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>陕西工人报 - {date_cn(i.date)} - {_cur(p)}</title>
<link href="css/paper.css" rel="stylesheet" type="text/css" /></head>
<body>
<form id="form1" method="post" action="bm.aspx?qi={y}{m}{d}&amp;ban={p.label}">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk" />
<div class="header">陕西工人报官方网站 | <a href="http://www.sxworker.com/">陕工网首页</a></div>
<div class="date">出版日期:{date_cn(i.date)}</div>
<div class="curpage">当前版:{_cur(p)} <span class="qh">{" | ".join(nav)}</span></div>
<div class="left">{scan}</div>
<div class="bmlist"><ul>
{bm}
</ul></div>
<div class="newslist"><h3>本版导读</h3><ul>
{chr(10).join(items)}
</ul></div>
<div class="footer">Copyright © 陕西工人报社 <a href="http://www.53bk.com/">制作单位:53BK.com</a></div>
</form>
</body></html>
"""


def _render_article_2010(c: ArticleView) -> str:
    i, p, a, prev, nxt = c.issue, c.page, c.article, c.prev, c.next
    head = []
    if a.kicker:
        head.append(f'<h4 class="yt">{a.kicker}</h4>')
    head.append(f"<h1>{a.title}</h1>")
    if a.subtitle:
        head.append(f'<h3 class="subtitle">{a.subtitle}</h3>')
    if a.byline:
        head.append(f'<p class="author">{a.byline}</p>')
    pic_html = "".join(
        f'<table class="picTable" align="center"><tr><td><img src="{via_root(c.path, src)}" border="0" /></td></tr>'
        + (f'<tr><td class="picText">{cap}</td></tr>' if cap else "")
        + "</table>"
        for src, cap in c.pictures
    )
    paras = "".join(f"<P>&nbsp;&nbsp;&nbsp;&nbsp;{t}</P>" for t in a.paras) + "<P>&nbsp;</P>"
    pn = []
    if prev:
        pn.append(f'<p>上篇:<a href="{prev.id}.html">{prev.title}</a></p>')
    if nxt:
        pn.append(f'<p>下篇:<a href="{nxt.id}.html">{nxt.title}</a></p>')
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{a.title}</title></head>
<body>
<div class="header">陕西工人报官方网站 | <a href="http://www.sxworker.com/">陕工网首页</a></div>
<div class="curpage">出版日期:{date_cn(i.date)} 当前版:{_cur(p)}
<a href="{html.escape(via_root(c.path, c.page_path))}">返回本版</a></div>
<div class="article">
{chr(10).join(head)}
<div id="ozoom"><founder-content>{pic_html}{paras}</founder-content></div>
<div class="fx">分享到: <a href="#">新浪微博</a> <a href="#">QQ空间</a></div>
<div class="zoom"><a href="javascript:doZoom(16)">放大</a> <a href="javascript:doZoom(14)">缩小</a> \
<a href="javascript:doZoom(12)">默认</a></div>
</div>
<div class="prevnext">{"".join(pn)}</div>
<div class="footer">Copyright © 陕西工人报社 制作单位:53BK.com</div>
</body></html>
"""


def _render_page_2019(c: PageView) -> str:
    i, p = c.issue, c.page
    y, m, d = ymd(i.date)
    nav = []
    for alt, img, href in (("上一期", "btn_prev", c.prev_issue), ("下一期", "btn_next", c.next_issue)):
        if href:
            nav.append(
                f'<a href="{html.escape(href)}"><img src="{via_root(c.path, f"/epaper/images/{img}.png")}" alt="{alt}"></a>'
            )
    pnav = []
    for text, target in (("上一版", c.prev_page), ("下一版", c.next_page)):
        if target:
            pnav.append(f'<a href="{page_href(i, target)}">{text}</a>')
    bm = "\n".join(
        f'<li><a href="{page_href(i, path)}"><span class="bc">{pg.label}</span>'
        f'<span class="bm">{pg.name or ""}</span></a></li>'
        for path, pg in c.pages
    )
    areas = "\n".join(
        f'<area shape="rect" coords="10,{40 + 60 * k},590,{95 + 60 * k}" '
        f'href="{via_root(c.path, c.article_path(a))}" alt="{html.escape(clean_title(a.title))}">'
        for k, a in enumerate(p.articles)
    )
    items = "\n".join(
        f'<li><a href="{via_root(c.path, c.article_path(a))}">{a.title}</a></li>'
        for a in p.articles
        if not a.map_only
    )
    scan = (
        f'<img src="{via_root(c.path, c.scan)}" usemap="#PagePicMap" border="0">'
        f'<map name="PagePicMap">\n{areas}\n</map>'
        if p.scan
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>陕西工人报数字报</title></head>
<body>
<header>陕西工人报官方网站 | <a href="http://www.sxworker.com/">陕工网首页</a>
| <a href="http://paper.sxworker.com/xpaper/news/{y}-{m}-{d}/">新版数字报</a></header>
<div class="riqi">{date_cn(i.date)}</div>
<div class="banci">当前版:{_cur(p)}</div>
<div class="qici">{" ".join(nav)}</div>
<div class="pagenav">{" ".join(pnav)}</div>
<div class="bmt">{scan}</div>
<ul id="bmdh">
{bm}
</ul>
<ul class="titles">
{items}
</ul>
<footer>© {i.date.year} 陕西工人报 <a href="http://www.53bk.com/">制作单位:53BK.com</a></footer>
</body></html>
"""


def _render_article_2019(c: ArticleView) -> str:
    i, p, a, prev, nxt = c.issue, c.page, c.article, c.prev, c.next
    head = []
    if a.kicker:
        head.append(f'<p class="yt">{a.kicker}</p>')
    head.append(f'<h2 class="title">{a.title}</h2>')
    if a.subtitle:
        head.append(f"<p>——{a.subtitle}</p>")
    if a.byline:
        head.append(f'<p class="author">{a.byline}</p>')
    figs = "".join(
        f'<figure><img src="/{src[1:]}">' + (f"<figcaption>{cap}</figcaption>" if cap else "") + "</figure>"
        for src, cap in c.pictures
    )
    paras = "\n".join(f"<p>　　{t}</p>" for t in a.paras)
    pn = []
    if prev:
        pn.append(f'<li>上篇:<a href="{prev.id}.html">{prev.title}</a></li>')
    if nxt:
        pn.append(f'<li>下篇:<a href="{nxt.id}.html">{nxt.title}</a></li>')
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{clean_title(a.title)}-陕西工人报数字报</title></head>
<body>
<header>陕西工人报官方网站 | <a href="http://www.sxworker.com/">陕工网首页</a></header>
<div class="banci">{date_cn(i.date)} 当前版:{_cur(p)}
<a href="{via_root(c.path, c.page_path)}">返回版面</a></div>
<div class="detail">
{chr(10).join(head)}
<div id="ozoom"><founder-content>{figs}
{paras}
</founder-content></div>
<div class="tools">放大 缩小 默认</div>
<div class="share">分享到:</div>
</div>
<ul class="pn">{"".join(pn)}</ul>
<footer>© {i.date.year} 陕西工人报 制作单位:53BK.com</footer>
</body></html>
"""


# --------------------------------------------------------------------------- the paper


def _mobile_pages(issue: Issue, art: Article) -> bool:
    """A mobile-only article's mobile page, and its 上篇's, are served (nothing else is)."""
    order = [a for pg in issue.pages for a in pg.articles]
    pos = order.index(art)
    served = art.mobile_only or (pos + 1 < len(order) and order[pos + 1].mobile_only)
    # the mobile template prints no kicker, subtitle or picture: only plain articles go there
    assert not served or not (art.kicker or art.subtitle or art.images), art.id
    return served


PAPER = Paper(
    eras={
        # GB2312 repertoire only; gbk so that —— is A1AA as real pages have it
        "1989": Era(_render_page_1989, _render_article_1989, GB2312_META_ONLY),
        # the <meta> says gb2312, the bytes are GBK (镕 is not in GB2312), as browsers assume
        "1995": Era(_render_page_1995, _render_article_1995, GBK_META_ONLY),
        "2010": Era(_render_page_2010, _render_article_2010),
        "2019": Era(_render_page_2019, _render_article_2019),
    },
    page_path=page_path,
    picture_path=picture_path,
    front=Front.REDIRECT,
    has_mobile=_mobile_pages,
    mobile=_render_mobile,
    files={
        "/css/paper.css": static("body{font-size:14px}\n", "text/css"),
        "/js/zoom.js": static("function doZoom(s){}\n", "application/javascript"),
        **{
            f"/images/{name}.gif": static(GIF_1X1, "image/gif")
            for name in ("prev", "next", "pre_b", "next_b", "back")
        },
    },
)


def build_third_site(base_url: str) -> Site:
    site = build(base_url, _issues(), PAPER)
    site.cases = {
        "root_redirect": ["/"],
        "mobile_only_link": ["097544"],
        "listed_on_two_pages": ["310611"],
        "map_only": ["158807", "158808"],
        "benbaoxun_no_author": ["041207", "097523", "310611", "158701", "158803"],
        "kicker_and_subtitle": ["041201", "097520", "310602", "158801"],
        "gbk_only_char_under_gb2312_meta": ["097520"],
        "fullwidth_or_nbsp_title": ["310601", "158801"],
        "missing_issue_date": [MISSING_ISSUE_DATE],
        "off_site_content_link": ["http://paper.sxworker.com/content/2010-07/06/310699.html"],
    }
    return site
