"""An article's header: which lines are its kicker (引题), title, subtitle (副题) and byline.

Every decision weighs signals that outlive a template and records them as evidence: the
role an element's class or id names (roles.py), headings, agreement with the page's own
metadata (metadata.py), with the ``<title>`` tag and with the text of the link that led
here, position (the short line above the title in its header block), and printed marks
(a leading ——, □, 本报记者, 作者:). Metadata and role hints settle a field only where a line
the reader sees agrees with them; a field the signals do not carry is null, with its
evidence saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sxworker.site.parsers import markers
from sxworker.site.parsers.evidence import Evidence
from sxworker.site.parsers.lines import Line, text_of
from sxworker.site.parsers.metadata import PageMetadata
from sxworker.site.parsers.roles import AUTHOR, CAPTION, DATE, KICKER, SUBTITLE, TITLE
from sxworker.site.parsers.typesetting import smaller_type

SENTENCE_PUNCT = re.compile(r"[。!?;\uff01\uff1f\uff1b…]")
_CLAUSE_PUNCT = re.compile(r"[,、\uff0c]")
_ENDS_IN_PUNCT = re.compile(r"[,、\uff0c。!?;\uff01\uff1f\uff1b…:\uff1a]")
_BYLINE_PREFIX = re.compile(
    r"^(?:[□■◇◆○●◎☆★]|本报记者|本报通讯员|本报特约记者|本报见习记者|特约记者|见习记者|"
    r"记者|通讯员|实习生|作者\s*[:\uff1a]|撰稿\s*[:\uff1a]?|文\s*[/|:\uff1a]|图\s*[/|:\uff1a]|文/图|图/文|"
    r"文\s*图|本报评论员)"
)
# A byline names its writers by trade, after the paper's or an agency's name:
# 湖北日报全媒记者 左晨, 新华社记者 张三, 本报评论员, 湖北日报评论员.
_BY_TRADE = re.compile(
    r"^[\u4e00-\u9fff]{0,12}(?:记者|通讯员|评论员|实习生|撰稿人|特约撰稿|摄影|编译)(?:\s|$|[\u4e00-\u9fff·]{2,4}$)"
)
# The dateline of a lead sentence (电头) is body text, never a byline: 新华社北京2月10日电.
_DATELINE = re.compile(r"(?:社|报|台|网).{0,12}\d{1,2}月\d{1,2}日电|讯\s*[(\uff08]")
# 作者：张三 inside a line of other labels; the names run to the next label or the end.
_LABELLED_AUTHOR = re.compile(
    r"(?:作者|记者)\s*[:\uff1a]\s*(.+?)\s*(?=(?:来源|编辑|责任编辑|责编|发布|时间|日期|点击|浏览|字号|【?\s*字体)|$)"
)
_INFO_LINE = 80
_NAME_SEPARATORS = re.compile(r"[\s、,\uff0c]+")
_NAME_TOKEN = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_UNIT_OR_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,10}$")
SUBTITLE_START = re.compile(r"^[\-－—─–―~～]{1,}")
_SITE_TITLE_WORDS = ("陕西工人报", "电子版", "数字报", "sxworker", "陕工网")
_TITLE_SEPARATORS = re.compile(r"\s*(?:[-_|｜—–·]+|[:\uff1a]{2})\s*")
MAX_TITLE = 90
_MAX_KICKER = 40
_MAX_BYLINE = 40
SENTENCE_MIN = 12
_HEADER_LINES = 6
_HEADER_DEPTH = 4
_NOT_TITLE_ROLES = (KICKER, SUBTITLE, AUTHOR, DATE, CAPTION)


@dataclass
class Header:
    title_at: int  # first line of the title
    title_end: int  # its last line (a title the markup breaks over two lines)
    title: str
    kicker: str | None = None
    subtitle: str | None = None
    author: str | None = None
    # Lines after the title that are header, not body (subtitle, byline, dates, toolbars).
    consumed: set[int] = field(default_factory=set)


_FOLDED_OUT = re.compile(r"^[\-－—─–―~～\s]+|[\s\"'“”‘’「」]+")
_FOLD_LEAD = " \t\n\"'“”‘’「」-－—─–―~～\u3000\xa0"


def fold(text: str) -> str:
    """Text reduced for comparison: no spaces, quotes or leading dashes."""
    return _FOLDED_OUT.sub("", text)


def read_header(
    lines: list[Line],
    *,
    doc_title: str | None,
    link_text: str | None,
    metadata: PageMetadata,
    evidence: Evidence,
    caption_at: Callable[[int], bool],
) -> Header | None:
    """The header around the title, or None when no line can be the title.

    ``caption_at(index)`` says whether the line at ``index`` is the caption of the picture
    line before it (the body's rule, shared so a byline after a picture is still found).
    """
    found = _find_title(lines, doc_title, link_text, metadata, evidence)
    if found is None:
        return None
    start, end, below = found
    title = " ".join(lines[index].text for index in range(start, end + 1))
    header = Header(start, end, title)
    header.kicker = _kicker(lines, start, metadata, evidence)
    if below is not None:
        header.subtitle = lines[below].text
        header.consumed.add(below)
        evidence.note("subtitle", "position: the plainer line below the title, above the text")
    _after_title(lines, header, metadata, evidence, caption_at)
    if header.subtitle is None and _dashed_above(lines, start, metadata):
        # ——记… is a subtitle's mark wherever the markup puts it: a template that styles
        # its subtitle as a kicker, or writes it before the title and moves it with CSS.
        # With a subtitle after the title, the line stays what its role says.
        header.subtitle, header.kicker = lines[start - 1].text, None
        evidence.note(
            "kicker", "not the line above the title: its dash (——) marks a subtitle, and none follows"
        )
        evidence.note("subtitle", "mark: starts with a dash (——), the line above the title")
    return header


def _claims(metadata: PageMetadata, name: str) -> dict[str, str]:
    return {fold(value): source for value, source in metadata.values(name) if fold(value)}


def _document_titles(doc_title: str | None) -> list[str]:
    if not doc_title:
        return []
    parts = [p for p in _TITLE_SEPARATORS.split(doc_title) if p]
    keep = [p for p in parts if not any(word in p for word in _SITE_TITLE_WORDS)]
    return keep or ([doc_title] if not any(w in doc_title for w in _SITE_TITLE_WORDS) else [])


def could_be_title(line: Line) -> bool:
    text = line.text
    if not text or line.link_only or len(text) > MAX_TITLE:
        return False
    if markers.is_noise_line(text) or markers.is_end_line(text) or markers.is_date_line(text):
        return False
    if markers.current_page(text) or markers.page_link_mark(text) or markers.page_name_line(text):
        return False
    return not (len(text) > 40 and SENTENCE_PUNCT.search(text))


def _find_title(
    lines: list[Line],
    doc_title: str | None,
    link_text: str | None,
    metadata: PageMetadata,
    evidence: Evidence,
) -> tuple[int, int, int | None] | None:
    """The title's first and last line, and the subtitle line the position rule found
    below it (else None)."""
    doc_titles = {fold(part) for part in _document_titles(doc_title)}
    hint = fold(link_text) if link_text else None
    meta_titles = _claims(metadata, TITLE)
    best: tuple[int, int, int, list[str]] | None = None
    targets = [target for target in (*meta_titles, *doc_titles, hint) if target]
    first_chars = {target[0] for target in targets}

    def agreement(folded: str) -> tuple[int, list[str]]:
        score, why = 0, []
        if folded in meta_titles:
            score += 6
            why.append(f"agrees with the page's metadata ({meta_titles[folded]})")
        if hint and folded == hint:
            score += 6
            why.append("agrees with the linking page's text")
        if folded in doc_titles:
            score += 5
            why.append("agrees with <title>")
        return score, why

    for index, line in enumerate(lines):
        text = line.text
        if not text or line.link_only or len(text) > MAX_TITLE:
            continue
        # Only a line that starts as one of the named titles can agree with one: the cheap
        # test spares the other lines the folding.
        agreeable = text.lstrip(_FOLD_LEAD)[:1] in first_chars
        if not agreeable and not line.heading and line.role != TITLE:
            continue  # no signal at all: its score could not be above 0
        folded = fold(text) if agreeable else ""
        score, why = agreement(folded) if agreeable else (0, [])
        end = index
        # A title the markup breaks over two lines: the two together are what the other
        # signals name (only worth joining when this line begins one of them).
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            following is not None
            and following.text
            and not following.link_only
            and not score
            and folded
            and any(target.startswith(folded) for target in targets)
        ):
            pair_score, pair_why = agreement(fold(text + following.text))
            if pair_score > score:
                score, why, end = pair_score, [*pair_why, "two lines joined"], index + 1
        if line.heading:
            score += 7 - line.heading
            why.append(f"heading h{line.heading}")
        if line.role == TITLE:
            score += 4
            why.append(f"role title ({line.role_mark})")
        elif line.role in (KICKER, SUBTITLE):
            score -= 3
        # The marker checks are the slow part: only lines with some title signal get them.
        if score <= 0 or not could_be_title(line):
            continue
        if followed_by_text(lines, end):
            score += 1
        if best is None or score > best[0]:
            best = (score, index, end, why)
    if best:
        _, start, end, why = best
        for reason in why:
            evidence.note("title", reason)
        return start, end, None
    # No heading, role or hint anywhere (the barest old templates): the title is the short
    # plain line above the first running text, past the byline, subtitle and date lines.
    for index, line in enumerate(lines):
        if _is_running_text(line):
            found = _plain_title_above(lines, index)
            # Bare names right above the text are its byline when a title stands above them.
            if found is not None and byline_strength(lines[found].text, lines[found].role):
                found = _plain_title_above(lines, found) or found
            if found is not None:
                evidence.note("title", "position: the short line above the first running text")
                if _broken_in_one(lines, found):
                    evidence.note("title", "two lines joined: one <b>, <strong> or <font> holds both")
                    return found - 1, found, None
                upper = _set_off_above(lines, found)
                if upper is not None:
                    # 主题 in bold over its 副题, not 引题 over 主题: the type says which.
                    evidence.note("title", "set off from the line below it (bold or larger type)")
                    return upper, upper, found
                return found, found, None
            break
    return None


def _next_block(line: Line, title: Line) -> bool:
    """Whether the title's block comes right after ``line``'s, the two alike (<center> and
    <center>), nothing but line breaks and rules between them."""
    upper, lower = line.block, title.block
    if upper is None or lower is None or upper.tag != lower.tag:
        return False
    following = upper.getnext()
    while following is not None and following.tag in ("br", "hr"):
        following = following.getnext()
    return following is lower


def _broken_in_one(lines: list[Line], index: int) -> bool:
    """Whether the line at ``index`` and the one above it are one title the markup breaks
    with <br> inside the element that sets it in its type (<b>省总工会召开<br>全委会议</b>)."""
    if index == 0:
        return False
    upper, lower = lines[index - 1], lines[index]
    if upper.block is None or upper.block is not lower.block or upper.role is not None:
        return False
    if not could_be_title(upper) or SENTENCE_PUNCT.search(upper.text[-1:]):
        return False
    joined = upper.text + lower.text
    return any(
        element.tag in ("b", "strong", "font", "span")
        and text_of(element).replace(" ", "") == joined.replace(" ", "")
        for element in upper.block.iter()
        if element is not upper.block
    )


def _set_off_above(lines: list[Line], index: int) -> int | None:
    """The plain line right above ``index`` in its header block when the markup sets it off
    more (bold, larger type) than the line at ``index``: then it is the title."""
    if index == 0:
        return None
    upper, lower = lines[index - 1], lines[index]
    if (
        upper.role is not None
        or upper.images
        or not could_be_title(upper)
        or len(upper.text) > _MAX_KICKER
        or SENTENCE_PUNCT.search(upper.text[-1:])
        or byline_strength(upper.text)
        or not _shares_block(upper, lower)
    ):
        return None
    return index - 1 if smaller_type(lower, upper) else None


def _plain_title_above(lines: list[Line], index: int) -> int | None:
    """The plain title line above ``index``, past header furniture and the short lines of
    text that lead into it (a poem's lines, which end in punctuation)."""
    above = index - 1
    while above >= max(0, index - _HEADER_LINES - 2) and (
        _header_furniture(lines[above]) or _ENDS_IN_PUNCT.search(lines[above].text[-1:])
    ):
        above -= 1
    return above if above >= 0 and _plain_title(lines[above]) else None


def _is_running_text(line: Line) -> bool:
    text = line.text
    return (
        not line.link_only
        and len(text) >= SENTENCE_MIN
        and bool(SENTENCE_PUNCT.search(text))
        and not markers.is_end_line(text)
        and not markers.is_noise_line(text)
    )


def _header_furniture(line: Line) -> bool:
    """A line that sits between a title and its text: empty, a picture, a link, a toolbar,
    a date, a subtitle after its dash, a marked byline."""
    text = line.text
    return (
        not text
        or line.link_only
        or markers.is_noise_line(text)
        or markers.is_date_line(text)
        or bool(SUBTITLE_START.match(text))
        or byline_strength(markers.without_date(text), line.role) == 2
    )


def _plain_title(line: Line) -> bool:
    """Short, unlinked, not the site's own name or a menu (陕西工人报官方网站 | 陕工网首页)."""
    text = line.text
    return (
        could_be_title(line)
        and line.role not in _NOT_TITLE_ROLES
        and len(text) <= 50
        and line.link_share < 0.5
        and not SENTENCE_PUNCT.search(text[-1:])
        and "|" not in text
        and "｜" not in text
        and not any(word in text for word in _SITE_TITLE_WORDS)
    )


def followed_by_text(lines: list[Line], index: int, within: int = 6) -> bool:
    for line in lines[index + 1 : index + 1 + within]:
        if markers.is_end_line(line.text):
            return False
        if not line.link_only and len(line.text) >= SENTENCE_MIN and SENTENCE_PUNCT.search(line.text):
            return True
    return False


def _followed_by_sentence(lines: list[Line], index: int) -> bool:
    """The next text line is a sentence (a poem's short line included): what follows a
    bare-name byline, and never what follows a heading."""
    for line in lines[index + 1 : index + 4]:
        if line.link_only or not line.text or markers.is_noise_line(line.text):
            continue
        return bool(SENTENCE_PUNCT.search(line.text) or _CLAUSE_PUNCT.search(line.text))
    return False


def _kicker(lines: list[Line], title_at: int, metadata: PageMetadata, evidence: Evidence) -> str | None:
    claims = _claims(metadata, KICKER)
    if title_at == 0:
        return None
    line = lines[title_at - 1]
    text = line.text
    if line.role in (SUBTITLE, AUTHOR, DATE, CAPTION) or line.images or not could_be_title(line):
        return None
    if line.role == KICKER:
        evidence.note("kicker", f"role kicker ({line.role_mark}), the line above the title")
    elif fold(text) in claims:
        evidence.note("kicker", f"agrees with the page's metadata ({claims[fold(text)]})")
    elif len(text) > _MAX_KICKER or SUBTITLE_START.match(text) or SENTENCE_PUNCT.search(text[-1:]):
        return None
    elif _shares_block(line, lines[title_at]):
        # Without a role saying so, a kicker is the short line right above the title in the
        # same header block (a table of title rows, a div with h3 + h1).
        evidence.note("kicker", "position: short line above the title in its header block")
    elif _next_block(line, lines[title_at]) and smaller_type(line, lines[title_at]):
        # The flat pages of the 1990s: <center> after <center> straight in <body>, the type
        # the only sign of which line leads into the other.
        evidence.note("kicker", "position: short line in smaller type in the block right above the title")
    else:
        return None
    if fold(text) in claims:
        evidence.note("kicker", f"agrees with the page's metadata ({claims[fold(text)]})")
    return text


def _dashed_above(lines: list[Line], title_at: int, metadata: PageMetadata) -> bool:
    """Whether the line right above the title is a subtitle by its leading dash: marked as
    a kicker or in the title's header block, and not a kicker the page's metadata names."""
    if title_at == 0:
        return False
    line = lines[title_at - 1]
    text = line.text
    return (
        bool(SUBTITLE_START.match(text))
        and not SUBTITLE_START.search(text[-1:])  # ——特刊—— is a banner, not a subtitle
        and line.role not in (SUBTITLE, AUTHOR, DATE, CAPTION)
        and not line.images
        and could_be_title(line)
        and fold(text) not in _claims(metadata, KICKER)
        and (line.role == KICKER or _shares_block(line, lines[title_at]))
    )


def _shares_block(line: Line, other: Line) -> bool:
    """Both lines sit in one container a few levels up (the article's header: a div, or the
    table whose rows hold kicker and title, the title inside a heading in its cell)."""
    ancestors = set()
    node = line.block
    for _ in range(_HEADER_DEPTH):
        if node is None:
            break
        ancestors.add(node)
        node = node.getparent()
    node = other.block
    for _ in range(_HEADER_DEPTH):
        if node is None:
            break
        if node in ancestors and node.tag not in ("body", "html"):
            return True
        node = node.getparent()
    return False


def byline_strength(text: str, role: str | None = None) -> int:
    """2: marked as a byline (□, 本报记者, 作者:, a trade, role author); 1: looks like bare
    names; 0: not one."""
    if len(text) > _MAX_BYLINE or SENTENCE_PUNCT.search(text) or "\uff0c" in text or _DATELINE.search(text):
        return 0
    if _BYLINE_PREFIX.match(text) or _BY_TRADE.match(text) or role == AUTHOR:
        return 2
    tokens = [t for t in _NAME_SEPARATORS.split(text) if t]
    if not 0 < len(tokens) <= 4 or not _NAME_TOKEN.match(tokens[-1]):
        return 0
    # Letters to the editor sign with a work unit before the name: 铜川矿务局 李福成.
    return 1 if all(_UNIT_OR_NAME.match(t) for t in tokens[:-1]) else 0


def _after_title(
    lines: list[Line],
    header: Header,
    metadata: PageMetadata,
    evidence: Evidence,
    caption_at: Callable[[int], bool],
) -> None:
    """Subtitle, date and byline lines after the title (pictures and their captions may sit
    between them); they are marked consumed so the body leaves them out."""
    subtitles = _claims(metadata, SUBTITLE)
    authors = _claims(metadata, AUTHOR)
    title_line = lines[header.title_at]
    index = header.title_end + 1
    read = 0
    author_at = -2
    while index < len(lines) and read < _HEADER_LINES:
        line = lines[index]
        text = line.text
        if not text and line.images:
            # A picture before the text: the body keeps it and its caption; a byline may
            # still follow.
            index += 2 if caption_at(index + 1) else 1
            continue
        read += 1
        folded = fold(text)
        if line.link_only or markers.is_noise_line(text) or markers.is_date_line(text):
            if line.role == AUTHOR and markers.is_date_line(text):
                evidence.note("author", f"not {line.role_mark}: it holds a date")
            header.consumed.add(index)
            index += 1
            continue
        open_header = header.subtitle is None and header.author is None and len(text) <= MAX_TITLE
        subtitle_why = None
        if open_header:
            if line.role == SUBTITLE:
                subtitle_why = f"role subtitle ({line.role_mark})"
            elif folded in subtitles:
                subtitle_why = f"agrees with the page's metadata ({subtitles[folded]})"
            elif SUBTITLE_START.match(text) and line.role not in (AUTHOR, CAPTION):
                subtitle_why = "mark: starts with a dash (——)"
            elif (
                not SENTENCE_PUNCT.search(text[-1:])
                and _byline_next(lines, index)
                and not byline_strength(markers.without_date(text), line.role)
                and could_be_title(line)
            ):
                subtitle_why = "position: short line between the title and the byline"
            elif (
                line.heading
                and title_line.heading
                and line.heading >= title_line.heading
                and could_be_title(line)
                and not byline_strength(text, line.role)
            ):
                subtitle_why = f"heading h{line.heading} right after the title's h{title_line.heading}"
        if subtitle_why:
            header.subtitle = text
            evidence.note("subtitle", subtitle_why)
            if folded in subtitles and not subtitle_why.startswith("agrees"):
                evidence.note("subtitle", f"agrees with the page's metadata ({subtitles[folded]})")
            header.consumed.add(index)
            index += 1
            continue
        if header.author is None:
            names = markers.without_date(text)
            strength = byline_strength(names, line.role) if names else 0
            if folded in authors and strength == 0 and len(text) <= _MAX_BYLINE:
                strength = 2
            labelled = _LABELLED_AUTHOR.search(names) if len(text) <= _INFO_LINE else None
            # Other labels after the names (作者：张三 来源：本报): only the names, also when the
            # line already reads as a byline by its 作者: mark.
            if (
                labelled
                and (not strength or labelled.end() < len(names))
                and byline_strength(labelled.group(1))
            ):
                # An info line (来源：本报 作者：张三 编辑：李四): the names after 作者.
                names, strength = labelled.group(1), 2
                evidence.note("author", "the names after 作者: in an info line")
            if strength == 2 or (strength == 1 and _followed_by_sentence(lines, index)):
                header.author = names
                evidence.note("author", _byline_reason(names, line, strength))
                if names != text:
                    evidence.note("author", "the date beside the names left out")
                if folded in authors:
                    evidence.note("author", f"agrees with the page's metadata ({authors[folded]})")
                header.consumed.add(index)
                author_at = index
                index += 1
                continue
        elif index == author_at + 1 and byline_strength(markers.without_date(text)) == 2:
            # A byline set over two lines (本报记者 张三 / 通讯员 李四) is one byline.
            header.author = f"{header.author} {markers.without_date(text)}"
            evidence.note("author", "a second byline line right after the first")
            header.consumed.add(index)
            author_at = index
            index += 1
            continue
        break
    if header.subtitle is None and subtitles:
        evidence.note("subtitle", "null: the metadata's subtitle is not a line after the title")
    if header.author is None:
        if authors:
            evidence.note("author", "null: the metadata's author is not a line of the header")
        evidence.note("author", "null: no byline line after the title")


def _byline_next(lines: list[Line], index: int) -> bool:
    """The next line is marked as a byline (□, 本报记者, a trade, role author)."""
    following = lines[index + 1] if index + 1 < len(lines) else None
    return (
        following is not None
        and not following.link_only
        and byline_strength(markers.without_date(following.text), following.role) == 2
    )


def _byline_reason(text: str, line: Line, strength: int) -> str:
    if line.role == AUTHOR:
        return f"role author ({line.role_mark})"
    if _BYLINE_PREFIX.match(text):
        return "mark: byline prefix (□, 本报记者, 作者:)"
    if _BY_TRADE.match(text):
        return "mark: a writer's trade (记者, 通讯员, 评论员) before the names"
    if strength == 1:
        return "position: bare names before the first sentence"
    return "agrees with the page's metadata"
