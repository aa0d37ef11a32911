"""Offline checks of the local replica: the server, its links, its files and its ground truth."""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from sxworker.replica import ReplicaServer, build_site, fail_times
from sxworker.replica.site import clean_byline
from sxworker.site.items import ARTICLE_FIELDS

BASE = "http://127.0.0.1:8765"
FIELDS = set(ARTICLE_FIELDS)
CANONICAL = re.compile(r"^http://127\.0\.0\.1:8765/content/(\d{4})-(\d{2})/(\d{2})/(\d{6})\.html$")


@pytest.fixture(scope="module")
def site():
    return build_site(BASE)


@pytest.fixture(scope="module")
def server():
    with ReplicaServer() as srv:
        yield srv


def _fetch(url: str, method: str = "GET") -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _decode(res) -> str:
    charset = "gb18030" if "gb" in res.content_type.lower() or res.content_type == "text/html" else "utf-8"
    return res.body.decode(charset)


def _html_items(site):
    for path, res in site.resources.items():
        if res.content_type.startswith("text/html") and res.status == 200:
            yield path, res


def _links(path: str, text: str) -> list[str]:
    doc = lxml.html.fromstring(text)
    out = []
    for el in doc.iter("a", "area", "img", "link", "script"):
        ref = el.get("href") or el.get("src")
        if ref and not ref.startswith(("javascript:", "#", "mailto:")):
            out.append(urljoin(BASE + path, ref))
    return out


# --------------------------------------------------------------------------- server


def test_server_binds_port_zero_and_serves_root(server):
    assert server.port != 0
    status, _, body = _fetch(server.base_url + "/")
    assert status == 200
    latest = server.site.expected_issues[-1]["url"]
    assert f'url={latest}"' in body.decode()
    status, _, body = _fetch(latest)
    assert status == 200 and "出版日期:2023年10月17日" in body.decode()


def test_unknown_path_404_and_requests_recorded(server):
    status, _, body = _fetch(server.base_url + "/no/such/page.htm")
    assert status == 404 and b"404" in body
    assert "/no/such/page.htm" in server.requests


def test_head_has_no_body(server):
    status, headers, body = _fetch(server.base_url + "/robots.txt", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_robots_disallows_admin(server):
    _, _, body = _fetch(server.base_url + "/robots.txt")
    assert "Disallow: /admin/" in body.decode()


def test_query_order_does_not_matter(server):
    a = _fetch(server.base_url + "/index.aspx?date=2016-12-05&page=3")
    b = _fetch(server.base_url + "/index.aspx?page=3&date=2016-12-05")
    assert a[0] == b[0] == 200 and a[2] == b[2]


def test_fault_hook_fails_then_recovers(server):
    path = "/content/2016-12/05/134356.html"
    server.faults[path] = fail_times(2, status=503, retry_after=1)
    try:
        assert _fetch(server.base_url + path)[0] == 503
        assert _fetch(server.base_url + path)[0] == 503
        assert _fetch(server.base_url + path)[0] == 200
    finally:
        del server.faults[path]


def test_etag_conditional_get(server):
    url = server.base_url + "/content/2016-12/05/134356.html"
    _, headers, _ = _fetch(url)
    req = urllib.request.Request(url, headers={"If-None-Match": headers["ETag"]})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 304


def test_gbk_page_charset_only_in_meta(server):
    status, headers, body = _fetch(server.base_url + "/html/1985-11/15/node_4.htm")
    assert status == 200
    assert headers["Content-Type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("gb18030")
    assert "charset=gb2312" in text
    assert "出版日期:1985年11月15日" in text and "当前版:第A4版:第4版" in text


# --------------------------------------------------------------------------- links and files


def test_every_onsite_link_resolves_or_is_deliberately_broken(site):
    offsite = set()
    broken_seen = set()
    for path, res in _html_items(site):
        for url in _links(path, _decode(res)):
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != BASE:
                offsite.add(parts.netloc)
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in site.broken_links:
                broken_seen.add(target)
                continue
            assert site.get(target) is not None, f"{path} links missing {target}"
    assert broken_seen == set(site.broken_links) and broken_seen
    assert {"paper.sxworker.com", "www.example.org", "www.sxworker.com"} <= offsite


def test_scans_pictures_and_pdf_are_real_files(site):
    jpgs = {p: r for p, r in site.resources.items() if p.endswith(".jpg")}
    assert any(p.startswith("/Img/") for p in jpgs) and any(p.startswith("/pic/") for p in jpgs)
    for path, res in jpgs.items():
        assert res.content_type == "image/jpeg"
        assert res.body[:2] == b"\xff\xd8" and res.body[-2:] == b"\xff\xd9", path
        assert len(res.body) < 2000
    for page in site.expected_pages:
        if page["page_image_url"]:
            path = page["page_image_url"][len(BASE) :]
            assert re.fullmatch(r"/Img/\d{4}/\d{2}/\d{10}-1\.jpg", path)
    pdfs = [r for p, r in site.resources.items() if p.endswith(".pdf")]
    assert len(pdfs) == 1
    assert pdfs[0].body.startswith(b"%PDF-") and pdfs[0].body.rstrip().endswith(b"%%EOF")


def test_jpegs_decode_when_pillow_is_available(site):
    image = pytest.importorskip("PIL.Image")
    for path, res in site.resources.items():
        if path.endswith(".jpg"):
            with image.open(io.BytesIO(res.body)) as im:
                im.load()


def test_page_markers_on_every_desktop_page(site):
    for path, res in _html_items(site):
        if path.startswith(("/content/", "/html/", "/Page/", "/index.aspx", "/epaper/")):
            text = _decode(res)
            assert re.search(r"出版日期[::]\d{4}年\d{2}月\d{2}日", text), path
            assert re.search(r"当前版[::]第[AB]?\d+版[::]", text), path
            if path.startswith("/content/"):
                assert "放大" in text and "缩小" in text and "默认" in text


# --------------------------------------------------------------------------- ground truth


def test_expected_articles_consistent(site):
    ids = [a["article_id"] for a in site.expected_articles]
    assert len(ids) == len(set(ids))
    for art in site.expected_articles:
        assert set(art) == FIELDS
        m = CANONICAL.match(art["url"])
        assert m, art["url"]
        assert art["article_id"] == m.group(4)
        assert art["issue_date"] == f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
        assert isinstance(art["page_no"], int)
        for key, value in art.items():
            assert value != "", (art["article_id"], key)
        assert site.get(art["url"][len(BASE) :]) is not None


def test_ground_truth_matches_rendered_article(site):
    for art in site.expected_articles:
        text = _decode(site.get(art["url"][len(BASE) :]))
        doc_text = lxml.html.fromstring(text).text_content()
        flat = " ".join(doc_text.split())
        assert art["title"] in flat
        for para in art["body"].split("\n"):
            assert para in doc_text, (art["article_id"], para[:20])
        for key in ("kicker", "subtitle", "author"):
            if art[key]:
                assert art[key] in flat, (art["article_id"], key)
        for img in art["images"]:
            assert site.get(img["url"][len(BASE) :]) is not None
            if img["caption"]:
                assert img["caption"] in flat
        assert "出版日期" not in art["body"] and "上篇" not in art["body"]


def test_tricky_cases_are_visible(site):
    by_id = {a["article_id"]: a for a in site.expected_articles}
    seed = by_id["134356"]
    assert seed["issue_date"] == "2016-12-05" and seed["page_no"] == 3
    assert seed["page_image_url"] == BASE + "/Img/2016/12/2016120503-1.jpg"
    assert seed["title"] == "发挥党员作用 勇于担当作为" and seed["author"] == "李颖"
    assert seed["body"].endswith("(作者系省国防工会经审委主任、经济部部长)")

    page3 = _decode(site.get("/index.aspx?date=2016-12-05&page=3"))
    assert "/content/2016-12/05/134356.html" in page3
    assert "/m/content/2016-12/05/134356.html" in page3

    p2_1992 = _decode(site.get("/Page/1992-12/08/02/default.htm"))
    assert "/m/content/1992-12/08/088530.html" in p2_1992
    assert '/content/1992-12/08/088530.html"' not in p2_1992.replace("/m/content", "")
    assert by_id["088530"]["page_no"] == 2

    assert "/content/2005-12/07/227638.html" in _decode(site.get("/Page/2005-12/07/01/default.htm"))
    assert by_id["227638"]["page_no"] == 2
    assert by_id["016210"]["page_label"] == "A3" and by_id["016210"]["page_no"] == 3

    k = by_id["038852"]
    assert k["kicker"] and k["subtitle"] == "致天车司机" and k["page_name"] is None
    assert k["page_label"] == "A4" and k["author"] == "赵振华"
    assert by_id["038850"]["author"] is None and by_id["038850"]["kicker"] is None
    assert by_id["282049"]["author"] == "吴娜"
    assert by_id["016201"]["images"][0]["caption"]
    assert by_id["016214"]["images"][0]["caption"] is None

    mobile = site.get("/m/content/2016-12/05/134356.html").body.decode()
    assert "2023年09月15日" in mobile and "等待处理…" in mobile and "下篇:" in mobile

    dates = [i["issue_date"] for i in site.expected_issues]
    assert "1985-11-22" not in dates and "1985-11-15" in dates and "1985-11-29" in dates
    nov29 = _decode(site.get("/html/1985-11/29/node_1.htm"))
    assert re.search(r'href="\.\./15/node_1\.htm">上一期', nov29)
    assert site.get("/html/1985-11/22/node_1.htm") is None


def test_clean_byline():
    assert clean_byline("□ 张三") == "张三"
    assert clean_byline("作者:本报记者 郭鹏") == "本报记者 郭鹏"
    assert clean_byline("本报记者 王某") == "本报记者 王某"
    assert clean_byline(None) is None


def test_extra_issues_benchmark_size_and_determinism():
    big = build_site(BASE, extra_issues=60)
    assert len(big.expected_articles) >= 2000
    dates = [i["issue_date"] for i in big.expected_issues]
    assert dates == sorted(dates) and len(dates) == len(set(dates)) == 68
    again = build_site(BASE, extra_issues=60)
    assert again.expected_articles == big.expected_articles
    lengths = [len(a["body"]) for a in big.expected_articles if a["issue_date"] >= "2024"]
    assert min(lengths) >= 600 and sum(lengths) / len(lengths) < 1700
    ids = [a["article_id"] for a in big.expected_articles]
    assert len(ids) == len(set(ids))


def _bfs(site) -> set[str]:
    """Follow on-site links from the root as a crawler would (mobile URLs canonicalised)."""
    root = _decode(site.get("/"))
    start = re.search(r'url=([^"]+)"', root).group(1)
    queue, seen = [start[len(BASE) :]], set()
    while queue:
        path = queue.pop()
        if path in seen or path.startswith("/admin/"):
            continue
        seen.add(path)
        res = site.get(path)
        if res is None or not res.content_type.startswith("text/html"):
            continue
        for url in _links(path, _decode(res)):
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != BASE:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target.startswith("/m/content/"):
                target = target[2:]
            queue.append(target)
    return seen


@pytest.mark.parametrize("extra", [0, 3])
def test_everything_expected_is_reachable_from_the_root(extra):
    site = build_site(BASE, extra_issues=extra)
    seen = _bfs(site)
    for art in site.expected_articles:
        assert art["url"][len(BASE) :] in seen, art["article_id"]
    for page in site.expected_pages:
        assert page["url"][len(BASE) :] in seen, page["url"]
