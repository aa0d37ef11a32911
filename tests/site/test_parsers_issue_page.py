"""Page (版面) views per era: what the page is and how its links are classified."""

from datetime import date

import pytest

from sxworker.site.parsers.issue_page import ListingParseError, parse_listing
from tests.conftest import SITE, fixture_bytes


def listing(fixture: str, path: str):
    return parse_listing(fixture_bytes(fixture), SITE + path, base_url=SITE)


def test_1985_gbk_page_view():
    page_view = listing("1985-page.html", "/html/1985-11/15/node_4.htm")
    assert page_view.issue_date == date(1985, 11, 15)
    page = page_view.page
    assert (page.page_no, page.page_label, page.page_name) == (4, "A4", None)
    assert page.scan_url == SITE + "/Img/1985/11/1985111504-1.jpg"
    assert [(a.url, a.text) for a in page_view.articles] == [
        (SITE + "/content/1985-11/15/038852.html", "一封写给天车司机的信"),
        (SITE + "/content/1985-11/15/038856.html", "冬季取暖要防煤气中毒"),
    ]
    assert sorted(p.page_no for p in page_view.pages) == [1, 2, 3]
    assert page_view.prev_issues == []  # the first issue of the replica
    assert page_view.next_issues == [SITE + "/html/1985-11/29/node_1.htm"]


def test_2005_page_view_lists_another_pages_article_and_names_its_neighbours():
    page_view = listing("2005-page.html", "/Page/2005-12/07/01/default.htm")
    assert (page_view.page.page_no, page_view.page.page_name) == (1, "要闻")
    assert SITE + "/content/2005-12/07/227638.html" in [a.url for a in page_view.articles]
    assert [(p.page_no, p.page_label, p.page_name) for p in page_view.pages] == [
        (2, "02", "工会新闻"),
        (3, "03", "秦岭副刊"),
    ]
    assert page_view.prev_issues == [SITE + "/Page/1992-12/08/01/default.htm"]


def test_issue_link_without_page_number_records_the_page_under_its_listed_url():
    page_view = listing("2016-issue.html", "/index.aspx?date=2016-12-05")
    assert page_view.page.url == SITE + "/index.aspx?date=2016-12-05&page=1"
    assert [p.page_no for p in page_view.pages] == [2, 3]


def test_2023_page_view_with_section_labels_and_a_pdf():
    page_view = listing("2023-page.html", "/epaper/2023/1017/A01.html")
    page = page_view.page
    assert (page.page_no, page.page_label, page.page_name) == (1, "A1", "头版")
    assert page.pdf_url == SITE + "/PDF/2023/10/2023101701.pdf"
    assert [(p.page_label, p.page_name) for p in page_view.pages] == [
        ("A2", "要闻"),
        ("A3", "综合新闻"),
        ("A4", "职工天地"),
    ]
    assert page_view.next_issues == []


def test_front_page_that_only_forwards():
    page_view = listing("front.html", "/")
    assert page_view.issue_date is None and page_view.page is None
    assert page_view.redirects == [SITE + "/epaper/2023/1017/A01.html"]


FRAMESET = b"""<html><head><script>window.location.href = "/paper/20210305/page_01.shtml";</script>
</head><frameset><frame src="/top.htm"><frame src="http://www.example.org/x.htm"></frameset></html>"""


def test_script_and_frame_forwards_stay_on_the_site():
    page_view = parse_listing(FRAMESET, SITE + "/", base_url=SITE)
    assert page_view.redirects == [SITE + "/top.htm", SITE + "/paper/20210305/page_01.shtml"]


SELECT_LIST = """<html><body><div>出版日期:2003年04月08日</div>
<select onchange="location=this.value"><option value="page_01.shtml">A01版:要闻</option>
<option value="page_02.shtml" selected>A02版:综合</option></select>
<div>当前版:第A02版:综合</div><a href="http://paper.sxworker.com/xpaper/news/node_1.htm">新版</a>
<a href="../20030401/page_01.shtml">上一期</a>
<a href="/m/content/2003-04/08/200301.html">标题一</a><a href="/content/2003-04/08/200301.html">标题一</a>
</body></html>""".encode()


def test_dropdown_page_list_and_duplicate_article_links():
    page_view = parse_listing(SELECT_LIST, SITE + "/paper/20030408/page_02.shtml", base_url=SITE)
    assert page_view.issue_date == date(2003, 4, 8)
    assert (page_view.page.page_no, page_view.page.page_label, page_view.page.page_name) == (2, "A02", "综合")
    assert [(p.url, p.page_label) for p in page_view.pages] == [
        (SITE + "/paper/20030408/page_01.shtml", "A01")
    ]
    assert [a.url for a in page_view.articles] == [SITE + "/content/2003-04/08/200301.html"]
    assert page_view.prev_issues == [SITE + "/paper/20030401/page_01.shtml"]


def test_undecodable_page_is_an_error():
    with pytest.raises(ListingParseError):
        parse_listing(b"\x00\x01\x02binary", SITE + "/", base_url=SITE)


BUTTONS = """<html><body><p>出版日期：2019年06月18日</p><p>当前版：第01版：头版</p>
<a href="node_11.htm"><img src="/images/prev.gif" alt="上一期"></a>
<ul><li><a href="node_12.htm"><span>01</span><span>头版</span></a></li>
<li><a href="node_13.htm"><span>02</span><span>要闻</span></a></li></ul>
<a href="/about.htm">关于我们</a></body></html>""".encode()


def test_image_buttons_run_together_labels_and_full_width_colons():
    page_view = parse_listing(BUTTONS, SITE + "/epaper/html/2019-06/18/node_12.htm", base_url=SITE)
    assert page_view.issue_date == date(2019, 6, 18)
    assert (page_view.page.page_no, page_view.page.page_label, page_view.page.page_name) == (1, "01", "头版")
    assert page_view.prev_issues == [SITE + "/epaper/html/2019-06/18/node_11.htm"]
    assert [(p.page_no, p.page_name) for p in page_view.pages] == [(2, "要闻")]
    assert page_view.other_links == [SITE + "/about.htm"]


def test_relative_scan_without_a_leading_slash():
    body = (
        b"<html><body><p>\xe5\x87\xba\xe7\x89\x88\xe6\x97\xa5\xe6\x9c\x9f:2003-09-23</p>"
        b'<img src="Img/2003/09/2003092301-1.jpg"></body></html>'
    )
    page_view = parse_listing(body, SITE + "/index.aspx?paperdate=2003-09-23&pageid=1", base_url=SITE)
    assert page_view.page.scan_url == SITE + "/Img/2003/09/2003092301-1.jpg"
    assert page_view.page.page_no == 1


SCRIPTED = """<html><body><p>出版日期:2012-05-08</p><p>当前版:第01版:头版</p>
<a href="javascript:goPage('ban02.htm')">第02版:要闻</a>
<a href="#" onclick="window.location.href='../0507/ban01.htm';return false">上一期</a>
<a href="javascript:void(0)">分享</a>
<a href="javascript:openArticle('/content/2012-05/08/310001.html')">标题</a></body></html>""".encode()


def test_links_that_a_script_follows():
    page_view = parse_listing(SCRIPTED, SITE + "/sxgrb/2012/0508/ban01.htm", base_url=SITE)
    assert [(p.url, p.page_no) for p in page_view.pages] == [(SITE + "/sxgrb/2012/0508/ban02.htm", 2)]
    assert page_view.prev_issues == [SITE + "/sxgrb/2012/0507/ban01.htm"]
    assert [a.url for a in page_view.articles] == [SITE + "/content/2012-05/08/310001.html"]
