from datetime import date

import pytest

from sxworker.site import urls

BASE = "http://szb.sxworker.com"


@pytest.mark.parametrize(
    ("url", "article_id", "issue_date", "mobile"),
    [
        (f"{BASE}/content/1985-11/15/038852.html", "038852", date(1985, 11, 15), False),
        (f"{BASE}/m/content/2016-12/05/134356.html", "134356", date(2016, 12, 5), True),
        ("https://szb.sxworker.com/content/2008-09/01/282049.html", "282049", date(2008, 9, 1), False),
    ],
)
def test_content_urls_give_id_and_date(url, article_id, issue_date, mobile):
    ref = urls.parse_content_url(BASE, url)
    assert ref == urls.ContentRef(article_id, issue_date, mobile)


@pytest.mark.parametrize(
    "url",
    [
        "http://paper.sxworker.com/content/2016-12/05/134356.html",
        f"{BASE}/content/2016-13/05/134356.html",
        f"{BASE}/content/2016-12/05/134356.jpg",
        f"{BASE}/html/2016-12/05/node_2.htm",
        "mailto:a@b.c",
    ],
)
def test_other_urls_are_not_articles(url):
    assert urls.parse_content_url(BASE, url) is None


def test_mobile_url_canonicalises_to_desktop():
    mobile = f"{BASE}/m/content/2016-12/05/134356.html"
    assert urls.canonical_article_url(BASE, mobile) == f"{BASE}/content/2016-12/05/134356.html"
    assert urls.mobile_article_url(BASE, f"{BASE}/content/2016-12/05/134356.html") == mobile


def test_canonical_url_uses_the_base_scheme_and_port():
    base = "http://127.0.0.1:8080"
    assert (
        urls.canonical_article_url(base, "http://127.0.0.1:8080/m/content/2016-12/05/134356.html")
        == "http://127.0.0.1:8080/content/2016-12/05/134356.html"
    )


def test_base_with_a_path_prefix():
    base = "http://example.org/szb/"
    assert urls.is_on_site(base, "http://example.org/szb/content/2016-12/05/134356.html")
    assert not urls.is_on_site(base, "http://example.org/other/content/2016-12/05/134356.html")
    assert urls.parse_content_url(base, "http://example.org/szb/content/2016-12/05/134356.html")


def test_scan_url_gives_date_and_page():
    ref = urls.parse_scan_url(f"{BASE}/Img/2016/12/2016120503-1.jpg")
    assert ref == urls.ScanRef(date(2016, 12, 5), 3)
    assert urls.parse_scan_url(f"{BASE}/pic/201612/05/134351_1.jpg") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x/html/1985-11/15/node_4.htm", date(1985, 11, 15)),
        ("http://x/index.aspx?date=2016-12-05&page=3", date(2016, 12, 5)),
        ("http://x/paper/20230915/page_01.shtml", date(2023, 9, 15)),
        ("http://x/epaper/2023/1017/A01.html", None),
        ("http://x/Page/12/node_3.htm", None),
    ],
)
def test_dates_in_listing_urls(url, expected):
    assert urls.date_in_url(url) == expected


def test_site_root_of_an_article_url():
    assert urls.site_root_of("http://127.0.0.1:5/m/content/2016-12/05/134356.html") == "http://127.0.0.1:5"
    assert urls.site_root_of("not a url") is None


def test_issue_url_template():
    template = "{base}/html/{date:%Y-%m}/{date:%d}/node_1.htm"
    assert urls.issue_url_from_template(template, BASE + "/", date(1985, 11, 15)) == (
        f"{BASE}/html/1985-11/15/node_1.htm"
    )
