"""What an element's ``class`` and ``id`` say it holds: the one vocabulary of roles.

E-paper products name their header slots in English (``main-title``, ``byline``), in pinyin
(``biaoti``, ``yinti``, ``zuozhe``) or in abbreviations of either (``bt``, ``yt``, ``fbt``,
``zz``), and often set kicker, title and subtitle as inline ``<font>``/``<span>`` elements in
one block that only the stylesheet turns into lines. A role read from the names is a hint the
field decisions weigh (and record as evidence), never a verdict on its own: a template's
``<font id="author">`` may hold the issue date.
"""

from __future__ import annotations

import re
from functools import lru_cache

KICKER = "kicker"
TITLE = "title"
SUBTITLE = "subtitle"
AUTHOR = "author"
CAPTION = "caption"
DATE = "date"

# Whole names (separators dropped, lower-cased) → role. English, pinyin, abbreviations.
ROLE_NAMES: dict[str, tuple[str, ...]] = {
    KICKER: (
        "kicker", "pretitle", "introtitle", "uptitle", "overtitle", "supertitle", "leadtitle",
        "overline", "shoulder", "yinti", "yintitle", "yt", "ybt", "ybiaoti", "yinbiaoti", "jianti",
        "引题", "肩题",
    ),
    TITLE: (
        "title", "maintitle", "headline", "heading", "arttitle", "articletitle", "newstitle",
        "contenttitle", "texttitle", "doctitle", "biaoti", "zhubiaoti", "zbiaoti", "zhuti", "bt", "zbt",
        "标题", "主题",
    ),
    SUBTITLE: (
        "subtitle", "subhead", "subheadline", "subheading", "secondtitle", "deck", "dek",
        "futi", "fubiaoti", "fbiaoti", "fubiao", "fbt", "副题", "副标题",
    ),
    AUTHOR: ("author", "authors", "byline", "writer", "reporter", "zuozhe", "zz", "作者"),
    CAPTION: (
        "caption", "figcaption", "piccaption", "imgcaption", "picdesc", "imgdesc", "photodesc",
        "pictext", "imgtext", "phototext", "tushuo", "tupianshuoming", "图说",
    ),
    DATE: ("date", "time", "pubdate", "pubtime", "publishdate", "publishtime", "datetime", "riqi", "日期"),
}
# A title word with one of these before it names the line above or below the title.
_KICKER_MODIFIERS = frozenset(("intro", "pre", "up", "over", "super", "lead", "yin", "jian"))
# ... and with one of these it is the site's, a page's or a list's title, not the article's.
_NOT_ARTICLE = frozenset(("page", "site", "web", "nav", "list", "column", "lanmu", "banmian", "paper", "bar"))
_SUBTITLE_MODIFIERS = frozenset(("sub", "fu", "second", "vice", "deck"))
_ROLE_OF_NAME = {name: role for role, names in ROLE_NAMES.items() for name in names}
# Words a role word keeps inside a longer name: ``title-text``, ``news_title``, ``bt1``.
_ROLE_OF_PART = {
    "title": TITLE, "headline": TITLE, "biaoti": TITLE,
    "subtitle": SUBTITLE, "subhead": SUBTITLE, "futi": SUBTITLE,
    "kicker": KICKER, "yinti": KICKER, "pretitle": KICKER, "introtitle": KICKER,
    "author": AUTHOR, "byline": AUTHOR, "zuozhe": AUTHOR,
    "caption": CAPTION, "tushuo": CAPTION,
    "date": DATE, "pubdate": DATE, "riqi": DATE,
}
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[\u4e00-\u9fff]+")
_DIGITS = re.compile(r"\d+")
# Hidden by the template itself: the reader never sees these (a page number kept for scripts).
_HIDDEN_CLASSES = frozenset(("hide", "hidden", "invisible", "display-none", "d-none", "sr-only"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


@lru_cache(maxsize=4096)
def role_of_name(name: str) -> str | None:
    """The role one class or id names (``intro-title`` → kicker, ``bt`` → title), or None."""
    joined = _DIGITS.sub("", re.sub(r"[\s\-_.:]+", "", name)).lower()
    if not joined:
        return None
    if joined in _ROLE_OF_NAME:
        return _ROLE_OF_NAME[joined]
    parts = [part.lower() for part in _WORDS.findall(name)]
    if not _NOT_ARTICLE.isdisjoint(parts):
        return None
    found: list[str] = []
    for at, part in enumerate(parts):
        role = _ROLE_OF_PART.get(part) or _ROLE_OF_NAME.get(part)
        if role == TITLE:
            before = parts[at - 1] if at else ""
            after = parts[at + 1] if at + 1 < len(parts) else ""
            if before in _KICKER_MODIFIERS:
                role = KICKER
            elif before in _SUBTITLE_MODIFIERS or after in _SUBTITLE_MODIFIERS:
                role = SUBTITLE
        if role is not None:
            found.append(role)
    # ``title_yt``, ``title_fbt``, ``title-author``: the word that narrows "title" names it.
    narrower = [role for role in found if role != TITLE]
    return narrower[-1] if narrower else (found[0] if found else None)


@lru_cache(maxsize=4096)
def _role(tag: str, ident: str | None, classes: str | None) -> tuple[str, str] | None:
    for value, mark in ((ident, "#"), (classes, ".")):
        for name in (value or "").split():
            role = role_of_name(name)
            if role is not None:
                return role, f"{tag}{mark}{name}"
    # Custom elements name their role in the tag itself: <founder-yinti>, <article-title>.
    if "-" in tag and (role := role_of_name(tag)) is not None:
        return role, f"<{tag}>"
    return None


HIDDEN = ("hidden", "")


@lru_cache(maxsize=4096)
def element_verdict(
    tag: str, ident: str | None, classes: str | None, style: str | None, hidden: bool
) -> tuple[str, str] | None:
    """:data:`HIDDEN` when the template hides an element of these attributes
    (``style="display:none"``, ``class="hide"``, ``hidden``), else the role they name
    as (role, how the element names it: ``font#main-title``)."""
    if hidden or (style and _HIDDEN_STYLE.search(style)):
        return HIDDEN
    if classes and not _HIDDEN_CLASSES.isdisjoint(classes.lower().split()):
        return HIDDEN
    return _role(tag, ident, classes)
