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

from sxworker.replica.builder import GIF_1X1, Article, Front, Issue, Page, Paper, Site, build, static, ymd
from tests.sites import altsite_templates as templates

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


# --------------------------------------------------------------------------- paths


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


# --------------------------------------------------------------------------- the paper

PAPER = Paper(
    eras=templates.ERAS,
    page_path=page_path,
    picture_path=picture_path,
    front=Front.SCRIPT,
    has_mobile=lambda issue, art: issue.era in ("2012", "2021"),
    mobile=templates.mobile_article,
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
