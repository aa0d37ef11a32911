"""The article parser on markup shaped like e-paper products nobody here wrote: role elements
inline in one block, metadata the page carries about itself, pictures with credit captions,
bylines after them, hidden slots, the page-name line — and the evidence each field keeps."""

# ruff: noqa: E501 - Chinese page text reads better unwrapped

from __future__ import annotations

import json

import pytest

from sxworker.replica import build_site
from sxworker.replica.invariance_check import site_samples
from sxworker.site.parsers.article import ArticleParseError, PageContext, parse_article
from sxworker.site.parsers.issue_page import parse_listing
from sxworker.site.parsers.roles import role_of_name
from tests.conftest import SITE
from tests.sites.altsite import build_alt_site
from tests.sites.thirdsite import build_third_site

URL = SITE + "/content/2023-02/11/211300.html"


def page(inner: str, head: str = "") -> bytes:
    return f'<html><head><meta charset="utf-8">{head}</head><body>{inner}</body></html>'.encode()


def pane(
    *,
    kicker: str = "",
    title: str = "职工书屋走进车间",
    subtitle: str = "",
    slot_author: str = "2023年02月11日",
    before_text: str = "",
    paragraphs: tuple[str, ...] = (
        "记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。",
        "书屋配备图书和电子阅读设备，职工下班后可以就近借阅。",
    ),
    record: str | None = None,
) -> str:
    """An article pane the way the widespread e-paper product sets it: the header slots are
    inline <font> elements in one block, the stylesheet making each a line; empty slots stay."""
    body = "".join(f"<p>\u3000\u3000{p}</p>" for p in paragraphs)
    comment = f"<!--enpproperty {record}/enpproperty-->" if record is not None else ""
    return f"""<div id="scroller"><div class="caption">
<font id="guide"></font><p id="nowLayout" class="hide">03</p>
<font id="intro-title">{kicker}</font>
<font id="main-title">{title}</font>
<font id="sub-title">{subtitle}</font>
<font id="author">{slot_author}</font></div>
<div class="content" id="content">{before_text}<founder-content>{body}{comment}</founder-content></div>
<div class="footer"><span>Copyright © 某某日报</span></div></div>"""


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("main-title", "title"),
        ("intro-title", "kicker"),
        ("sub-title", "subtitle"),
        ("title_yt", "kicker"),
        ("title_fbt", "subtitle"),
        ("biaoti", "title"),
        ("yinti", "kicker"),
        ("futi", "subtitle"),
        ("zuozhe", "author"),
        ("zz", "author"),
        ("m-author", "author"),
        ("articleTitle", "title"),
        ("byline", "author"),
        ("pic-desc", "caption"),
        ("pubdate", "date"),
        ("fbiaoti", "subtitle"),
        ("ybt", "kicker"),
        ("docTitle", "title"),
        ("page-title", None),
        ("nowLayout", None),
        ("content", None),
        ("btn", None),
    ],
)
def test_role_vocabulary(name, role):
    assert role_of_name(name) == role


def test_inline_role_elements_are_lines_of_their_own():
    article = parse_article(
        page(
            pane(
                kicker="全省工会系统部署新年工作",
                title="职工书屋走进车间",
                subtitle="——三百家书屋覆盖一线班组",
            )
        ),
        URL,
        base_url=SITE,
    )
    assert (article.kicker, article.title, article.subtitle, article.author) == (
        "全省工会系统部署新年工作",
        "职工书屋走进车间",
        "三百家书屋覆盖一线班组",
        None,
    )
    assert article.body.splitlines()[0] == "记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。"
    # The template's author slot holds the date: not a byline, and the evidence says so.
    assert "not font#author: it holds a date" in article.evidence["author"]
    assert "role title (font#main-title)" in article.evidence["title"]
    # The hidden page number is not a page fact the reader sees.
    assert (article.page_no, article.page_label) == (None, None)


def test_a_long_title_among_inline_slots_is_still_found():
    title = "坚持以人民为中心的发展思想扎实推进共同富裕让发展成果更多更公平惠及全体职工群众"
    article = parse_article(page(pane(kicker="省委全会精神在基层", title=title)), URL, base_url=SITE)
    assert (article.kicker, article.title) == ("省委全会精神在基层", title)


def test_a_title_broken_by_br_inside_its_slot_is_one_line():
    article = parse_article(page(pane(title="东贝电机<br>产销两旺")), URL, base_url=SITE)
    assert article.title == "东贝电机 产销两旺"


def test_metadata_that_agrees_settles_a_subtitle_without_a_dash():
    record = "<title>职工书屋走进车间</title><subtitle>以书香滋养匠心</subtitle><introtitle></introtitle>"
    markup = pane(subtitle="以书香滋养匠心", record=record).replace('id="sub-title"', 'class="x"')
    article = parse_article(page(markup), URL, base_url=SITE)
    assert article.subtitle == "以书香滋养匠心"
    assert article.evidence["subtitle"] == [
        "agrees with the page's metadata (comment enpproperty <subtitle>)"
    ]


def test_metadata_that_disagrees_loses_to_the_visible_text():
    # A stale record: another title, an author nobody printed.
    record = "<title>旧标题</title><author>张三</author><introtitle>默认引题</introtitle>"
    article = parse_article(page(pane(record=record)), URL, base_url=SITE)
    assert (article.title, article.kicker, article.author) == ("职工书屋走进车间", None, None)
    assert "null: the metadata's author is not a line of the header" in article.evidence["author"]


def test_meta_tags_and_json_ld_are_evidence_too():
    head = (
        '<meta name="ContentTitle" content="职工书屋走进车间">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "职工书屋走进车间",'
        ' "author": {"@type": "Person", "name": "本报记者 李颖"}}</script>'
    )
    inner = (
        "<div><span>职工书屋走进车间</span></div><div>本报记者 李颖</div>"
        "<div><p>记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。</p></div>"
    )
    article = parse_article(page(inner, head), URL, base_url=SITE)
    assert (article.title, article.author) == ("职工书屋走进车间", "本报记者 李颖")
    assert any(reason.startswith("agrees with the page's metadata") for reason in article.evidence["title"])
    assert any("json-ld author" in reason for reason in article.evidence["author"])


def test_caption_after_a_picture_is_not_body_and_a_byline_after_it_is_found():
    before = (
        '<img src="../../../pic/202302/11/a1.jpg" style="border-style: none">'
        "<p>    2月7日，工作人员在车间书屋为职工办理借阅手续，书架上摆满了新到的技术图书和文学读物。"
        "（本报记者 王五 摄）</p>"
    )
    paragraphs = (
        "本报记者 李颖 通讯员 赵六",
        "记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。",
    )
    article = parse_article(page(pane(before_text=before, paragraphs=paragraphs)), URL, base_url=SITE)
    assert article.author == "本报记者 李颖 通讯员 赵六"
    assert article.body == "记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。"
    assert [image["caption"][-11:] for image in article.images] == ["（本报记者 王五 摄）"]
    assert article.images[0]["url"] == SITE + "/pic/202302/11/a1.jpg"


def _picture_then(first: str, second: str) -> tuple[str, list[str | None]]:
    inner = (
        "<h1>扎根一线的焊花女工</h1><div class='author'>本报记者 周洁</div>"
        f"<div class='cnt'><p><img src='/pic/2023/02/10/03/b.jpg'></p><p>{first}</p><p>{second}</p>"
        "<p>　　“干一行，爱一行，钻一行。”李娟说。</p></div>"
    )
    article = parse_article(page(inner), URL, base_url=SITE)
    return article.body, [image["caption"] for image in article.images]


def test_a_short_line_after_a_picture_unindented_before_indented_text_is_its_caption():
    body, captions = _picture_then("李娟在车间焊接作业。", "　　清晨七点，李娟已经站在焊接工位前。")
    assert captions == ["李娟在车间焊接作业。"]
    assert body.splitlines()[0] == "清晨七点，李娟已经站在焊接工位前。"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "　　本报讯 记者获悉，焊工大赛开幕。",
            "　　清晨七点，李娟已经站在焊接工位前。",
        ),  # indented like the text
        ("本报讯 记者获悉，焊工大赛开幕。", "清晨七点，李娟已经站在焊接工位前。"),  # no indents at all
    ],
    ids=["indented", "no-indents"],
)
def test_a_short_first_paragraph_after_a_picture_stays_text(first, second):
    body, captions = _picture_then(first, second)
    assert captions == [None]
    assert body.splitlines()[0] == "本报讯 记者获悉，焊工大赛开幕。"


def test_a_dateline_in_the_lead_sentence_is_body_not_a_byline():
    paragraphs = (
        "某某日报讯（记者周鹏、通讯员刘圆圆）2月10日上午，首批职工书屋在车间落成。",
        "书屋配备图书和电子阅读设备，职工下班后可以就近借阅。",
    )
    article = parse_article(page(pane(paragraphs=paragraphs)), URL, base_url=SITE)
    assert article.author is None
    assert article.body.splitlines() == list(paragraphs)


def test_trade_bylines_without_a_box_or_our_papers_name():
    for byline in ("湖北日报全媒记者 左晨", "新华社记者 张三", "某某日报评论员", "□ 本报评论员"):
        paragraphs = (byline, "记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。")
        article = parse_article(page(pane(paragraphs=paragraphs)), URL, base_url=SITE)
        assert article.author == byline.removeprefix("□ "), byline
        assert article.body.startswith("记者从省总工会获悉")


def test_a_short_subhead_in_the_body_stays_body():
    paragraphs = (
        "记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。",
        "<strong>新增两百多家书屋</strong>",
        "书屋配备图书和电子阅读设备，职工下班后可以就近借阅。",
    )
    article = parse_article(page(pane(paragraphs=paragraphs)), URL, base_url=SITE)
    assert article.body.splitlines()[1] == "新增两百多家书屋"


@pytest.mark.parametrize(
    "layout",
    [
        "<table><tr><td>综合新闻 02</td></tr><tr><td><h1>{title}</h1></td></tr><tr><td>{text}</td></tr></table>",
        "<div class='bm'>综合新闻 02</div><div><h2>{title}</h2><p>{text}</p></div>",
        "<header><h2>综合新闻 02</h2></header><article><h1>{title}</h1><p>{text}</p></article>",
    ],
)
def test_the_page_name_line_on_table_div_and_html5_layouts(layout):
    inner = layout.format(
        title="职工书屋走进车间", text="记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。"
    )
    article = parse_article(page(inner), URL, base_url=SITE)
    # The line prints the page's number, not its 版次 label (第A2版 prints 02 there too).
    assert (article.title, article.page_no, article.page_label, article.page_name) == (
        "职工书屋走进车间",
        2,
        None,
        "综合新闻",
    )
    assert article.evidence["page_no"] == ["the page-name line (版名 and number)"]
    listing = parse_listing(page(inner), SITE + "/html/2023-02/11/node_2.htm", base_url=SITE)
    assert (listing.page.page_no, listing.page.page_name) == (2, "综合新闻")


def test_a_page_list_link_is_not_the_page_name_line():
    inner = (
        '<div><a href="node_1.htm">头版 01</a> <a href="node_3.htm">要闻 03</a></div>'
        "<h1>职工书屋走进车间</h1><p>记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。</p>"
    )
    article = parse_article(page(inner), URL, base_url=SITE)
    assert (article.page_no, article.page_name) == (None, None)


def test_the_template_fingerprint_ignores_text_and_counts_but_not_structure():
    one = parse_article(page(pane()), URL, base_url=SITE)
    other = parse_article(
        page(
            pane(kicker="引题", title="另一篇文章的标题", paragraphs=("完全不同的正文，长度也不一样。",) * 7)
        ),
        URL,
        base_url=SITE,
    )
    assert one.template == other.template
    assert len(one.template) == 12
    table = page(
        "<table><tr><td><h1>职工书屋走进车间</h1></td></tr>"
        "<tr><td>记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。</td></tr></table>"
    )
    assert parse_article(table, URL, base_url=SITE).template != one.template


def test_evidence_is_plain_json():
    article = parse_article(page(pane(kicker="引题在此")), URL, base_url=SITE)
    assert json.loads(json.dumps(article.evidence, ensure_ascii=False)) == article.evidence
    assert set(article.evidence) >= {"title", "kicker", "author", "body"}


def test_only_empty_slots_and_no_text_is_still_an_error():
    with pytest.raises(ArticleParseError, match=r"no title found|no article text found"):
        parse_article(page(pane(title="", paragraphs=())), URL, base_url=SITE)


PEOPLES_DAILY_LIKE = """<html><head><meta charset="utf-8"><title>新时代十年伟大变革奠定坚实基础--某报</title></head><body>
<div class="paper-bot"><div class="l_t">第01版：要闻</div>
<div class="article"><h3>学习贯彻党的二十大精神</h3><h1>新时代十年伟大变革奠定坚实基础</h1><h2>——论深入学习贯彻党的二十大精神</h2>
<p class="sec"><span class="date">2023年02月10日</span></p>
<div id="ozoom"><founder-content><P>　　本报记者 张三</P><P>　　新时代十年的伟大变革，在党史、新中国史、改革开放史上具有里程碑意义。</P>
<P>　　这是第二段正文，内容很长很长。</P></founder-content></div></div></div>
<div class="copyright">关于我们 | 版权所有</div></body></html>"""

FOUNDER_TABLE_LIKE = """<html><head><meta charset="utf-8"><title>某报</title></head><body>
<table><tr><td class="font01">为科技强国建设贡献力量</td></tr><tr><td class="font02">开放共享 让大型科研仪器“忙”起来</td></tr>
<tr><td class="font03"></td></tr><tr><td class="font04">本报记者 刘垠</td></tr>
<tr><td><div id="ozoom"><founder-content><p>　　记者2月9日从科技部获悉，全国大型科研仪器开放共享评价考核结果日前公布。</p>
<p>　　第二段。这是第二段正文，内容很长。</p></founder-content></div></td></tr></table>
<!--enpproperty <articleid>548646</articleid><date>2023-02-10</date><author>刘垠</author><title>开放共享 让大型科研仪器“忙”起来</title><subtitle></subtitle><introtitle>为科技强国建设贡献力量</introtitle>/enpproperty-->
<div>版权所有 某报社</div></body></html>"""

# An info line of labels: the names after 作者 run to the next label, the font toolbar is no name.
INFO_LABELS = """<html><head><meta charset="utf-8"><title>职工书屋建设提速_某日报</title></head><body>
<div class="detail"><div class="title"><p class="pre">全民阅读进车间</p><h2>职工书屋建设提速</h2><p class="sub">今年新建三百家</p></div>
<div class="info"><span>作者：张三</span>　<span>来源：某日报</span>　<span>2023-02-10 08:30</span>　<span>【字体：大 中 小】</span></div>
<div class="content"><div class="TRS_Editor"><p>　　记者从省总工会获悉，今年全省新建职工书屋三百家，覆盖一线班组。</p>
<p>　　书屋配备图书、电子阅读设备，方便职工利用工余时间学习。</p></div></div>
<div class="editor">（责任编辑：李四）</div></div><div class="foot">Copyright © 2023 某日报社 版权所有</div></body></html>"""

# A toolbar of bracketed buttons above the text, an editor credit in it, a footer of labels.
TOOLBAR_AND_FOOTER = """<html><head><meta charset="utf-8"><title>安全生产月活动启动 - 某报</title></head><body>
<div class="side"><ul><li><a href="c1.html">安全生产月活动启动</a></li><li><a href="c2.html">全省职工职业技能大赛开赛</a></li></ul></div>
<div class="content"><h2 class="kicker">守牢安全底线</h2><h1>安全生产月活动启动</h1><h2 class="subtitle">全省三千余家企业参与</h2>
<div class="meta"><span class="zuozhe">本报通讯员 孙强</span> <span class="time">2023-06-01</span></div>
<div class="tools">【字号 大 中 小】 【打印】</div>
<div class="text"><p>6月1日，全省安全生产月活动正式启动。</p><p>活动期间，各级工会将组织开展隐患排查、应急演练等活动。</p>
<p>（责任编辑：王五）</p></div></div>
<div class="footer">主办：某报社　技术支持：某公司　陕ICP备05001234号</div></body></html>"""

DETAIL_SPANS = """<html><head><meta charset="utf-8"><title>花香春意浓_某报</title><meta name="author" content="李四"></head><body>
<div class="detail-art"><p class="pretitle">春天里</p><p class="art-title">花香春意浓</p><p class="sub-title">各地迎来赏花季</p>
<p class="detail-info"><span>作者：李四</span><span>2023-02-10</span></p>
<div class="detail-content"><p>　　立春过后，各地花卉陆续开放，市民纷纷前往公园赏花。</p><p>　　另一段正文，这里有更多内容。</p></div></div>
<div class="foot">Copyright 2023</div></body></html>"""

# h4 byline, then the date and the source on a line of their own, then the text.
DATE_AND_SOURCE = """<html><head><meta charset="utf-8"><title>某报</title></head><body>
<div class="list_l"><div class="l_t">第01版：要闻</div></div>
<div class="text_c"><h3>聚焦产业工人队伍建设改革</h3><h1>让更多技能人才脱颖而出</h1><h2>我省多措并举培育大国工匠</h2>
<h4>本报记者 刘军 通讯员 赵敏</h4><div class="lai">2023-02-10　来源：某某日报</div>
<div class="c_c" id="articleContent"><founder-content><p>　　近年来，我省深入推进产业工人队伍建设改革。</p>
<p>　　全省建成技能大师工作室二百余个。（某某日报西安2月9日电）</p></founder-content></div>
<div class="fx">分享到：</div></div><div class="footer">版权所有 某某日报社</div></body></html>"""


@pytest.mark.parametrize(
    ("markup", "want"),
    [
        (
            DATE_AND_SOURCE,
            (
                "聚焦产业工人队伍建设改革",
                "让更多技能人才脱颖而出",
                "我省多措并举培育大国工匠",
                "本报记者 刘军 通讯员 赵敏",
                1,
                "要闻",
            ),
        ),
        (
            PEOPLES_DAILY_LIKE,
            (
                "学习贯彻党的二十大精神",
                "新时代十年伟大变革奠定坚实基础",
                "论深入学习贯彻党的二十大精神",
                "本报记者 张三",
                1,
                "要闻",
            ),
        ),
        (
            FOUNDER_TABLE_LIKE,
            ("为科技强国建设贡献力量", "开放共享 让大型科研仪器“忙”起来", None, "本报记者 刘垠", None, None),
        ),
        (DETAIL_SPANS, ("春天里", "花香春意浓", "各地迎来赏花季", "李四", None, None)),
        (INFO_LABELS, ("全民阅读进车间", "职工书屋建设提速", "今年新建三百家", "张三", None, None)),
        (
            TOOLBAR_AND_FOOTER,
            ("守牢安全底线", "安全生产月活动启动", "全省三千余家企业参与", "本报通讯员 孙强", None, None),
        ),
    ],
    ids=[
        "h4-byline-date-source",
        "headings-h3-h1-h2",
        "founder-table-cells",
        "detail-spans",
        "info-labels",
        "toolbar-and-footer",
    ],
)
def test_other_products_templates(markup, want):
    article = parse_article(markup.encode(), URL, base_url=SITE)
    got = (
        article.kicker,
        article.title,
        article.subtitle,
        article.author,
        article.page_no,
        article.page_name,
    )
    assert got == want
    assert len(article.body.splitlines()) == 2


@pytest.mark.parametrize(
    "citation",
    ["《 人民日报 》（ 2023年02月10日 01 版）", "《某某日报》(2023年2月10日 第A2版)"],
)
@pytest.mark.parametrize("where", ["after the text", "above the title"])
def test_the_papers_citation_of_the_issue_is_not_article_text(citation, where):
    line = f"<div class='attachment'><p>{citation}</p></div>"
    text = (
        "<div id='ozoom'><p>　　本报西安2月9日电　全国职工技能大赛9日开幕，千余名选手参赛。</p>"
        "<p>　　大赛设十个项目。</p></div>"
    )
    head = "<h3>以赛促学</h3><h1>全国职工技能大赛开幕</h1><p class='sec'>本报记者 王小明</p>"
    inner = f"{line}{head}{text}" if where == "above the title" else f"{head}{text}{line}"
    article = parse_article(page(f"<div class='article'>{inner}</div>"), URL, base_url=SITE)
    assert (article.kicker, article.title, article.author) == (
        "以赛促学",
        "全国职工技能大赛开幕",
        "本报记者 王小明",
    )
    assert article.body.splitlines() == [
        "本报西安2月9日电 全国职工技能大赛9日开幕，千余名选手参赛。",
        "大赛设十个项目。",
    ]
    # Quoted in a sentence, a paper's name and date stay text.
    quoted = f"{head}<p>　　《人民日报》（2023年02月10日 01版）刊文说，技能大赛是一次检阅。</p>"
    assert "刊文说" in parse_article(page(quoted), URL, base_url=SITE).body


@pytest.mark.parametrize(
    "credit", ["（编辑：赵六）", "责任编辑：张三 校对：李四", "（本版编辑：王五 美编：赵六）"]
)
def test_the_editors_credits_under_the_text_are_not_text(credit):
    inner = (
        "<h1>职工书屋走进车间</h1><p>　　编辑同志：我们班组想建一个书屋，该找谁？</p>"
        f"<p>　　记者从省总工会获悉，全省今年新建职工书屋三百家。</p><p>{credit}</p>"
    )
    article = parse_article(page(inner), URL, base_url=SITE)
    # A letter to the editor opens with 编辑同志：, which is text.
    assert article.body.splitlines() == [
        "编辑同志：我们班组想建一个书屋，该找谁？",
        "记者从省总工会获悉，全省今年新建职工书屋三百家。",
    ]


def test_a_byline_over_two_lines_is_one_byline():
    inner = (
        "<h1>职工书屋走进车间</h1><div class='zz'>本报记者 张三<br>通讯员 李四</div>"
        "<p>记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。</p>"
    )
    article = parse_article(page(inner), URL, base_url=SITE)
    assert article.author == "本报记者 张三 通讯员 李四"
    assert article.body == "记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。"


def test_a_picture_story_keeps_its_caption_as_its_text():
    inner = (
        "<h1>春耕正忙</h1><div><img src='/pic/2023/a.jpg' width='600'></div>"
        "<p>2月10日，农民在田间忙着春耕。（本报记者 王五 摄）</p>"
    )
    article = parse_article(page(inner), URL, base_url=SITE)
    assert article.body == "2月10日，农民在田间忙着春耕。（本报记者 王五 摄）"
    assert article.images == [{"url": SITE + "/pic/2023/a.jpg", "caption": article.body}]
    assert article.evidence["body"] == ["the pictures' captions: the article has no other text"]


def test_display_inline_is_not_hidden():
    inner = (
        "<h1><div style='display:inline'>职工书屋走进车间</div></h1>"
        "<p>记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。</p>"
        "<p style='display: none'>隐藏的统计代码说明文字，读者看不到这一段。</p>"
    )
    article = parse_article(page(inner), URL, base_url=SITE)
    assert article.title == "职工书屋走进车间"
    assert article.body == "记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。"


@pytest.mark.parametrize("site", ["replica", "altsite", "thirdsite"])
def test_every_article_page_of_one_template_has_one_fingerprint(site):
    build = {"replica": build_site, "altsite": build_alt_site, "thirdsite": build_third_site}[site]
    by_era: dict[str, set[str]] = {}
    for sample in site_samples(site, build(SITE)):
        article = parse_article(
            sample.body,
            sample.url,
            base_url=sample.base_url,
            content_type=sample.content_type,
            context=PageContext(link_text=sample.expected["title"]),
        )
        by_era.setdefault(sample.era, set()).add(article.template)
    assert all(len(templates) == 1 for templates in by_era.values()), by_era
    # The mobile layout and the desktop eras are told apart.
    mobile = by_era.pop("m")
    assert all(templates != mobile for templates in by_era.values())


def test_the_names_after_a_label_in_an_info_line():
    inner = (
        "<h1>职工书屋走进车间</h1><div class='info'>来源：陕西工人报 作者：张三 李四 发布时间：2023-02-10 09:00</div>"
        "<p>记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。</p>"
    )
    article = parse_article(page(inner), URL, base_url=SITE)
    assert article.author == "张三 李四"
    assert "the names after 作者: in an info line" in article.evidence["author"]
    assert article.body == "记者从省总工会获悉，全省今年新建职工书屋三百家，覆盖一线班组。"
