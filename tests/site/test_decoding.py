import pytest

from sxworker.site.parsers.decoding import UndecodableError, decode_html

TEXT = "<html><body><p>陕西工人报 出版日期:1985年11月15日 镕</p></body></html>"


def test_meta_only_gbk_page_is_decoded():
    body = TEXT.replace(
        "<html>", '<html><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    )
    decoded = decode_html(body.encode("gb18030"), "text/html")
    assert "陕西工人报" in decoded.text and "镕" in decoded.text
    assert decoded.encoding == "gb18030"


def test_page_labelled_utf8_that_is_gbk_is_decoded_as_gbk():
    decoded = decode_html(TEXT.encode("gbk"), "text/html; charset=utf-8")
    assert "出版日期:1985年11月15日" in decoded.text


def test_page_labelled_gb2312_that_is_utf8_is_decoded_as_utf8():
    body = TEXT.replace("<html>", '<html><meta charset="gb2312">')
    assert "陕西工人报" in decode_html(body.encode("utf-8"), None).text


def test_no_charset_anywhere_falls_back_to_gb18030():
    assert "陕西工人报" in decode_html(TEXT.encode("gb18030"), None).text


def test_utf8_bom_is_removed():
    decoded = decode_html(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "text/html")
    assert decoded.text.startswith("<html>")


@pytest.mark.parametrize(
    "body",
    [b"", b"   \n", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4],
)
def test_empty_or_binary_bodies_are_errors(body):
    with pytest.raises(UndecodableError):
        decode_html(body, "text/html")


def test_bytes_valid_in_no_encoding_are_an_error_not_mojibake():
    with pytest.raises(UndecodableError):
        decode_html(b"<html><body>\x81\x30\xff\xfe\x80</body></html>", "text/html; charset=utf-8")
