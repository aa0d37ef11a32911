"""Deterministic, newspaper-flavoured Chinese filler text for the synthetic issues."""

# ruff: noqa: E501 - long HTML/Chinese text literals read better unwrapped
from __future__ import annotations

import random

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志宏海波鹏飞晓东雪梅亚楠浩然子涵欣怡博文俊峰"
)
_PLACES = (
    "西安",
    "宝鸡",
    "咸阳",
    "铜川",
    "渭南",
    "延安",
    "榆林",
    "汉中",
    "安康",
    "商洛",
    "杨凌",
    "韩城",
    "西咸新区",
    "高新区",
    "经开区",
)
_ORGS = (
    "市总工会",
    "区总工会",
    "县总工会",
    "省建设工会",
    "省能源化学地质工会",
    "省国防工会",
    "省教科文卫体工会",
    "省财贸轻纺烟草工会",
    "省农林水利气象工会",
    "产业工会",
    "陕煤集团",
    "陕汽集团",
    "西电集团",
    "延长石油",
    "陕西建工",
    "法士特集团",
    "中铁一局",
)
_SUBJECTS = (
    "广大职工",
    "一线职工",
    "工会干部",
    "劳模工匠",
    "女职工",
    "新就业形态劳动者",
    "基层工会",
    "技术骨干",
    "青年职工",
    "农民工",
    "困难职工",
    "职工代表",
)
_ACTIONS = (
    "深入开展劳动和技能竞赛",
    "扎实推进职工书屋建设",
    "持续做好困难职工帮扶工作",
    "积极推进厂务公开民主管理",
    "大力弘扬劳模精神劳动精神工匠精神",
    "组织开展职工技能培训",
    "开展“送清凉”慰问活动",
    "推进集体协商提质增效",
    "加强职工法律援助",
    "做好职工心理健康服务",
    "推动产业工人队伍建设改革",
    "开展“五小”创新活动",
    "建设“职工之家”",
    "开展安全生产月活动",
    "实施职工文化惠民工程",
    "推进户外劳动者服务站点建设",
)
_RESULTS = (
    "有效激发了职工的创造活力",
    "切实维护了职工的合法权益",
    "受到广大职工的欢迎和好评",
    "为企业高质量发展注入了新动能",
    "职工的获得感幸福感安全感不断增强",
    "取得了明显成效",
    "形成了可复制可推广的经验",
    "营造了比学赶超的浓厚氛围",
    "进一步密切了党同职工群众的血肉联系",
    "职工技能水平明显提升",
    "帮助职工解决了一批急难愁盼问题",
)
_TIMES = (
    "今年以来",
    "近日",
    "日前",
    "连日来",
    "上半年",
    "近年来",
    "据了解",
    "记者从会上获悉",
    "截至目前",
    "活动期间",
)
_NUMBERS = ("12", "36", "58", "120", "300余", "1200多", "2.3万", "86.5", "5000余", "17")
_UNITS = ("个", "家", "名", "场次", "人次", "万元", "项")
_QUOTES = (
    "“我们将继续把职工的事当作自己的事,一件一件抓好落实。”",
    "“工会就是职工的娘家人,有困难就找工会。”",
    "“技能比武让我找到了差距,也找到了方向。”",
    "“活动办到了职工心坎上,大家都很满意。”",
    "“干一行爱一行,把每一道工序做到极致。”",
)
_TITLE_HEADS = (
    "{place}{org}",
    "{org}",
    "{place}",
    "{place}职工",
    "全省各级工会",
    "{org}多措并举",
)
_TITLE_TAILS = (
    "{action}",
    "{action}见实效",
    "扎实{action}",
    "以竞赛促发展",
    "让职工享受更多实惠",
    "为{subject}办实事",
    "{subject}技能比武展风采",
    "凝聚奋进力量",
    "{action}成效明显",
)
_KICKERS = (
    "奋进新征程 建功新时代",
    "聚焦高质量发展",
    "工会在行动",
    "我为职工办实事",
    "弘扬劳模精神",
    "喜迎工会十八大",
    "安全生产月",
    "产业工人队伍建设改革",
)
_SUBTITLES = (
    "——{place}{org}工作纪实",
    "——记{place}劳模{name}",
    "——{org}服务职工侧记",
    "——来自{place}一线的报道",
)
CAPTIONS = (
    "图为职工在技能竞赛现场操作。",
    "图为工会干部为一线职工送去清凉物资。",
    "图为劳模工匠与青年职工交流技艺。",
    "职工在书屋阅读。",
    "图为活动现场。",
)


def person(rng: random.Random) -> str:
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
    return rng.choice(_SURNAMES) + given


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        place=rng.choice(_PLACES),
        org=rng.choice(_ORGS),
        action=rng.choice(_ACTIONS),
        subject=rng.choice(_SUBJECTS),
        name=person(rng),
    )


def title(rng: random.Random) -> str:
    return _fill(rng.choice(_TITLE_HEADS), rng) + _fill(rng.choice(_TITLE_TAILS), rng)


def kicker(rng: random.Random) -> str:
    return rng.choice(_KICKERS)


def subtitle(rng: random.Random) -> str:
    """Returned WITHOUT the leading dash run; renderers add it."""
    return _fill(rng.choice(_SUBTITLES), rng).lstrip("—")


def byline(rng: random.Random) -> str:
    forms = (
        "本报记者 {a}",
        "本报记者 {a} 通讯员 {b}",
        "通讯员 {a}",
        "□ {a}",
        "本报记者 {a} {b}",
    )
    return rng.choice(forms).format(a=person(rng), b=person(rng))


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return (
            f"{rng.choice(_TIMES)},{rng.choice(_PLACES)}{rng.choice(_ORGS)}"
            f"{rng.choice(_ACTIONS)},{rng.choice(_RESULTS)}。"
        )
    if kind < 0.55:
        return (
            f"{rng.choice(_SUBJECTS)}积极参与,累计{rng.choice(_ACTIONS)[2:]}"
            f"{rng.choice(_NUMBERS)}{rng.choice(_UNITS)},{rng.choice(_RESULTS)}。"
        )
    if kind < 0.7:
        return f"{person(rng)}说:{rng.choice(_QUOTES)}"
    if kind < 0.85:
        return (
            f"据介绍,{rng.choice(_ORGS)}将把{rng.choice(_ACTIONS)[2:]}作为重点,"
            f"推动{rng.choice(_SUBJECTS)}{rng.choice(_RESULTS)[2:]}。"
        )
    return (
        f"下一步,{rng.choice(_PLACES)}{rng.choice(_ORGS)}将继续{rng.choice(_ACTIONS)},"
        f"{rng.choice(_RESULTS)}。"
    )


def paragraphs(rng: random.Random, min_chars: int = 600, max_chars: int = 1500) -> list[str]:
    target = rng.randint(min_chars, max_chars)
    paras: list[str] = []
    total = 0
    while total < target:
        para = "".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paras.append(para)
        total += len(para)
    return paras
