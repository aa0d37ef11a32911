"""The site's printed text markers, which outlive every template change.

出版日期 (publication date), 当前版 (current page), 第N版 page-list entries, 上一期/下一期,
上一版/下一版, 上篇/下篇 and the footer lines are recognised here and only here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_CN_DATE = r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?"
_PUBLICATION_DATE = re.compile(r"出版日期\s*[:\uff1a]?\s*" + _CN_DATE)
_ANY_CN_DATE = re.compile(_CN_DATE)
_ISSUE_NUMBER = re.compile(r"第\s*(\d{2,6})\s*期")
_LABEL = r"([A-Za-z]?\s*\d{1,3})"
_CURRENT_PAGE = re.compile(
    r"当前版(?:面)?\s*[:\uff1a]?\s*(?:第\s*)?"
    + _LABEL
    + r"[ \t]*版?[ \t]*(?:[:\uff1a][ \t]*([^\s:\uff1a|｜]{1,20}))?"
)
# Page-list entries as e-paper products print them: 第01版:头版, 01版 头版, A4版:要闻, 第4版,
# 第A4版 综合新闻, 04 (a bare number), 头版.
_PAGE_LINK = re.compile(
    r"^(?:第\s*)?" + _LABEL + r"\s*(?:版面|版)?\s*(?:[:\uff1a\-—|｜]\s*|\s+)?(.{0,20}?)\s*$"
)
_NAME_ONLY_PAGE = re.compile(r"^(第\s*[A-Za-z]?\d{1,3}\s*版|[A-Za-z]?\d{1,3}\s*版?)$")
_PAGE_WORDS = ("版", "版面")
# The page-name line of a page's header: 综合新闻 02, 头版 01, 第4版 04 (name, then number).
_PAGE_NAME_LINE = re.compile(
    r"^(?P<name>[\u4e00-\u9fff·]{2,8}|第\s*[A-Za-z]?\d{1,3}\s*版)\s*(?P<label>[A-Za-z]?\d{2})$"
)
_PRINTED_PAGE = re.compile(r"^第\s*[A-Za-z]?\d{1,3}\s*版\s*[:\uff1a]\s*[\u4e00-\u9fff·\s]{2,10}$")
_NUMBER_AND_NAME = re.compile(r"^[A-Za-z]?\d{2}\s*[\u4e00-\u9fff·]{2,8}$")
# A breadcrumb (当前位置：首页 > 第03版：职工生活): its 第N版 step is the page the reader is on.
_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|您现在的位置|现在的位置|所在位置)\s*[:\uff1a]")
# The paper's date line with the page (陕西工人报 1998年10月20日 第2版, … 星期二 第A4版：要闻).
_DATED_PAGE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期[一二三四五六日天]|周[一二三四五六日天])?\s*"
    r"第\s*([A-Za-z]?\d{1,3})\s*版(?:\s*[:\uff1a]?\s*([\u4e00-\u9fff·]{2,8}))?$"
)
_BREADCRUMB_STEP = re.compile(r"\s*(?:>|＞|»|›|→|/|\\|-{1,2}>)\s*")

_ALL_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_LETTER_LABEL = re.compile(r"[A-Za-z]\d{1,2}")
_NAMED_PAGE = re.compile(r"[\u4e00-\u9fff]{1,4}版")
_DECORATION = re.compile(r"[\s【】\[\]<>《》«»←→]")

PREV_ISSUE_TEXTS = ("上一期", "前一期", "上期", "往期", "上一日")
NEXT_ISSUE_TEXTS = ("下一期", "后一期", "下期", "下一日")
PREV_PAGE_TEXTS = ("上一版", "前一版", "上版")
NEXT_PAGE_TEXTS = ("下一版", "后一版", "下版")

# Lines that end an article's text: 上篇/下篇 links, share bar, copyright and footer.
_END_LINE = re.compile(
    r"^(?:上一?篇|下一?篇|分享到|分享至|©|\(c\)|copyright|版权所有|制作单位|技术支持|"
    r"↑\s*top|返回顶部|返回目录|返回版面|返回首页|关闭窗口|打印本页|【\s*打印|【\s*关闭|"
    r"友情链接|相关新闻|相关链接|相关文章|本版其他文章|本版导读|网友评论|我要评论)",
    re.IGNORECASE,
)
# Toolbars and placeholders that sit anywhere around the text and are never part of it.
_NOISE_LINE = re.compile(
    r"^(?:放大\s*缩小\s*默认|放大\s*缩小|字号[:\uff1a]?\s*大\s*中\s*小|【?\s*字体[:\uff1a]?\s*大\s*中\s*小|"
    r"等待处理…*|加载中…*|正在加载…*|loading\.*|版面翻页|版面导航|标题导航|"
    r"上一版\s*下一版|上一期\s*下一期|"
    r"当前版(?:面)?[:\uff1a].*|出版日期[:\uff1a].*|陕西工人报(?:电子版|官方网站)?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageMark:
    """A page (版面) as a marker names it: label as printed, number, name."""

    label: str | None
    number: int | None
    name: str | None


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def publication_date(text: str) -> date | None:
    """The date after 出版日期 — the only printed date that is the issue's."""
    match = _PUBLICATION_DATE.search(text)
    return _date(*match.groups()) if match else None


_SOURCE_LABEL = re.compile(r"来源\s*[:\uff1a]\s*[^\s，。,;；！？!?]{1,20}")


def is_date_line(text: str) -> bool:
    """A line that is only a date (and perhaps a weekday or a time), like 2023年09月15日."""
    stripped = _ANY_CN_DATE.sub("", text, count=1)
    if stripped == text:
        return False
    # The source the template names beside the date ("2023-02-10 来源：光明日报"): a name, no
    # sentence.
    stripped = _SOURCE_LABEL.sub("", stripped)
    rest = re.sub(
        r"(星期|周)[一二三四五六日天]|\d{1,2}[:\uff1a]\d{2}([:\uff1a]\d{2})?|[\s:\uff1a|｜]|"
        r"出版日期|发布时间|发布日期|日期|时间|来源|陕西工人报",
        "",
        stripped,
    )
    return not rest


_DATE_LABELS = re.compile(
    r"(?:发布时间|发布日期|出版日期|日期|时间)\s*[:\uff1a]?|(?:星期|周)[一二三四五六日天]|"
    r"\d{1,2}[:\uff1a]\d{2}(?:[:\uff1a]\d{2})?"
)


def without_date(text: str) -> str:
    """The line with a date (and its label, 发布时间: …) taken out: a byline line often
    carries the date beside the names (作者：李四 2023-02-10)."""
    stripped = _ANY_CN_DATE.sub(" ", text, count=1)
    if stripped == text:
        return text
    stripped = _DATE_LABELS.sub(" ", stripped)
    return re.sub(r"\s+", " ", stripped).strip(" |｜")


def issue_number(text: str) -> int | None:
    match = _ISSUE_NUMBER.search(text)
    return int(match.group(1)) if match else None


def _clean_label(label: str) -> str:
    return _ALL_SPACES.sub("", label).upper()


def _page_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip()
    # Pages of the early eras have no name: 第4版 printed where a name would be is none.
    if not name or _NAME_ONLY_PAGE.match(name):
        return None
    return name


def page_mark(label: str, name: str | None) -> PageMark:
    clean = _clean_label(label)
    number = _DIGITS.search(clean)
    return PageMark(clean, int(number.group()) if number else None, _page_name(name))


def current_page(text: str) -> PageMark | None:
    """The page named by a 当前版:第A4版:名 marker."""
    match = _CURRENT_PAGE.search(text)
    if not match:
        return None
    return page_mark(match.group(1), match.group(2))


def page_name_line(text: str) -> PageMark | None:
    """The page a page-name line (综合新闻 02) names, or None. The line prints the page's
    number, not its 版次 label (第A4版 prints 04 there): the label stays unknown."""
    match = _PAGE_NAME_LINE.match(text.strip())
    if not match or match.group("name") in _PAGE_WORDS:
        return None
    mark = page_mark(match.group("label"), match.group("name"))
    return PageMark(None, mark.number, mark.name)


def own_page(page_text: str, plain_lines: Iterable[str]) -> tuple[PageMark | None, str | None]:
    """The page a page (or an article on it) says it is, and which marker said so: its
    当前版 marker, else its breadcrumb's 第N版 step or its page-name line (a line of its
    own, not a page-list link)."""
    mark = current_page(page_text)
    if mark:
        return mark, "the page's 当前版 marker"
    for text in plain_lines:
        if text[:2] in ("当前", "您的", "您现", "现在", "所在") and _BREADCRUMB.match(text):
            steps = [step for step in _BREADCRUMB_STEP.split(text) if _PRINTED_PAGE.match(step)]
            if steps and (mark := page_link_mark(steps[-1])):
                return mark, "the breadcrumb's 第N版 step"
        # Both are short lines, one ending in its number, the other starting with 第: the
        # cheap test spares every paragraph the patterns.
        if len(text) > 24:
            continue
        if text[-1:].isdigit() and (mark := page_name_line(text)):
            return mark, "the page-name line (版名 and number)"
        if "版" in text and "年" in text and (dated := _DATED_PAGE.search(text)):
            return page_mark(dated.group(1), dated.group(2)), "the date line's 第N版"
        # 第01版：要闻 printed on its own, not as a link of the page list.
        if text.startswith("第") and _PRINTED_PAGE.match(text) and (mark := page_link_mark(text)):
            return mark, "the page's 第N版 line"
    return None, None


# Page views repeat their page lists and their 上一期/下一版 links on every page of every
# issue: the answers for a link text are kept.
_TEXTS_KEPT = 512


@lru_cache(maxsize=_TEXTS_KEPT)
def page_link_mark(text: str) -> PageMark | None:
    """The page a page-list link names (第01版:头版, 01版 头版, A4版, 头版), or None."""
    text = text.strip()
    if not text or len(text) > 30:
        return None
    match = _PAGE_LINK.match(text)
    bare_number = (text.isdigit() and len(text) <= 2) or _LETTER_LABEL.fullmatch(text)
    # A two-digit number run into a short name, as <span>01</span><span>头版</span> reads.
    number_and_name = _NUMBER_AND_NAME.match(text)
    if match and ("版" in text or bare_number or number_and_name):
        name = match.group(2) or None
        if name and name in _PAGE_WORDS:
            name = None
        return page_mark(match.group(1), name)
    if (
        _NAMED_PAGE.fullmatch(text)
        and "电子" not in text
        and not text_is(text, (*PREV_PAGE_TEXTS, *NEXT_PAGE_TEXTS))
    ):
        return PageMark(None, 1 if text == "头版" else None, text)
    return None


_FOOTER_WORDS = re.compile(
    r"版权所有|copyright|©|制作单位|all rights reserved|技术支持\s*[:\uff1a]|ICP\s*备|备案号", re.IGNORECASE
)
# The template's editors' credits, "(责任编辑:张三)", "本版编辑：王五 美编：赵六": the page's,
# not the article's text.
_CREDIT = r"(?:本版|值班)?(?:责任编辑|责编|编辑|美编|校对|责任校对|审核|审校|编审|终审|初审|复审|二审|三审)"
_EDITOR_CREDIT = re.compile(
    rf"^[(\uff08【\[]?\s*(?:{_CREDIT}\s*[:\uff1a]\s*[\u4e00-\u9fff·、\s]{{1,20}}?[\s,，;；|]*)+[)\uff09】\]]?$"
)
# The paper's own citation of the issue the template prints around the text, "《 人民日报 》（
# 2023年02月10日 01 版）": where the article appeared, not what it says.
_ISSUE_CITATION = re.compile(
    r"^《\s*[^《》]{2,16}?\s*》\s*[(\uff08]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*"
    r"(?:第\s*)?[A-Za-z]?\d{1,3}\s*版\s*[)\uff09]$"
)
_FOOTER_MAX = 80
_ZOOM_BAR_MAX = 30


def is_end_line(text: str) -> bool:
    if _END_LINE.match(text):
        return True
    return len(text) <= _FOOTER_MAX and bool(_FOOTER_WORDS.search(text))


# A toolbar of the page's own buttons, "【字号 大 中 小】 【打印】 【关闭】": bracketed, one of
# these words in it, and nothing but them.
_TOOL_WORDS = ("字号", "字体", "打印", "关闭", "收藏")
_TOOLS = re.compile(
    r"(?:字号|字体)\s*[:\uff1a]?\s*(?:大\s*中\s*小|[大中小])?|大\s*中\s*小|打印(?:本页|本文)?|关闭(?:窗口)?|"
    r"收藏(?:本页)?|返回|放大|缩小|默认|[【】\[\]()\uff08\uff09|｜/\s]"
)


def is_noise_line(text: str) -> bool:
    if _NOISE_LINE.match(text) or _EDITOR_CREDIT.match(text) or _ISSUE_CITATION.match(text):
        return True
    if len(text) > _ZOOM_BAR_MAX:
        return False
    return ("放大" in text and "缩小" in text) or (
        ("【" in text or "[" in text)
        and any(word in text for word in _TOOL_WORDS)
        and not _TOOLS.sub("", text)
    )


def text_is(text: str, choices: tuple[str, ...]) -> bool:
    """Link text equal to one of ``choices``, ignoring decoration like 【】<< >>."""
    return _undecorated(text) in choices


@lru_cache(maxsize=_TEXTS_KEPT)
def _undecorated(text: str) -> str:
    return _DECORATION.sub("", text)
