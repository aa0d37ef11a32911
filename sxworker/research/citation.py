"""How to cite an archived article: GB/T 7714-2015, APA 7 and BibTeX, from its record.

Pure functions over a record as export and ``sxworker show`` read it (or a row of the
``articles`` table): ``author``, ``title``, ``subtitle``, ``issue_date``, ``page_no``,
``page_label``, ``url`` and ``last_seen``. The archived URL is the article's canonical
``url``; the access date is the UTC date of ``last_seen``, the last capture of the text
cited (``first_seen`` may be the date of an earlier text, when the paper edited it).

GB/T 7714-2015 cites an online newspaper article as (4.4.1, 8.6, 8.8)::

    主要责任者. 题名: 其他题名信息[N/OL]. 报纸名, 出版日期(版次)[引用日期]. 获取和访问路径.

The byline's trades (本报记者, 通讯员) are no part of a 责任者 and are left out; more than
three names are the first three and ", 等". An article without a byline begins with its
title, as the numeric (顺序编码制) system allows; one without a page has no "(版次)".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sxworker.site.items import PAPER_NAME

Record = dict[str, Any]

# A byline word naming a writer's trade, with the paper or agency before it (本报记者,
# 新华社记者, 本报通讯员, 实习生), or what a name did (摄, 文/图): never one of the names.
_TRADE = re.compile(r"^(?:[\u4e00-\u9fff]{0,8}(?:记者|通讯员|实习生|特约撰稿人?)|摄影?|文/图|图/文)$")
# Names in a byline are set apart by spaces (also the full-width one) or an enumeration mark.
_NAME_BREAK = re.compile(r"[\s\u3000、,，;；]+")
_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
# APA ends the title element with a period unless it ends with its own mark.
_OWN_MARK = tuple("?!？！。.")
# Characters LaTeX reads as commands in a BibTeX field, and how to write them as text.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def creators(author: str | None) -> list[str]:
    """The names of a byline as printed (``本报记者 王瑞 通讯员 张敏`` → 王瑞, 张敏). A
    byline that is only a trade (``本报评论员``) is its own creator."""
    words = [word for word in _NAME_BREAK.split(author or "") if word]
    names = [word for word in words if not _TRADE.match(word)]
    return names or words


def _title(record: Record) -> str:
    """题名, with the 副题 as 其他题名信息 after a colon, as both GB/T 7714 and APA set it."""
    subtitle = record.get("subtitle")
    return f"{record['title']}: {subtitle}" if subtitle else record["title"]


def _page(record: Record) -> str | None:
    """版次 as a reader finds it: a label with letters as printed (A4), else the number."""
    label = record.get("page_label")
    if label and not label.isdigit():
        return label
    if record.get("page_no"):
        return str(record["page_no"])
    return str(int(label)) if label and int(label) else None


def _accessed(record: Record) -> str:
    return record["last_seen"][:10]


def gbt7714(record: Record) -> str:
    """The GB/T 7714-2015 reference of an online newspaper article ([N/OL])."""
    names = creators(record.get("author"))
    creator = ", ".join(names[:3]) + (", 等" if len(names) > 3 else "")
    page = _page(record)
    return (
        (f"{creator}. " if creator else "")
        + f"{_title(record)}[N/OL]. {PAPER_NAME}, {record['issue_date']}"
        + (f"({page})" if page else "")
        + f"[{_accessed(record)}]. {record['url']}."
    )


def apa(record: Record) -> str:
    """The APA 7 reference of a newspaper article: names as printed (Chinese names are
    not inverted or cut to initials), the page as printed, then the URL. APA gives no
    retrieval date for an article, a text not meant to change."""
    year, month, day = (int(part) for part in record["issue_date"].split("-"))
    date = f"({year}, {_MONTHS[month - 1]} {day})."
    names = creators(record.get("author"))
    if len(names) > 1:
        names = [*names[:-1], f"& {names[-1]}"]
    title = _title(record)
    title += "" if title.endswith(_OWN_MARK) else "."
    page = _page(record)
    source = f"{PAPER_NAME}, {page}." if page else f"{PAPER_NAME}."
    if not names:  # APA: a work without an author is led by its title
        return f"{title} {date} {source} {record['url']}"
    creator = ", ".join(names)
    return f"{creator}{'' if creator.endswith('.') else '.'} {date} {title} {source} {record['url']}"


def _latex(text: str) -> str:
    return "".join(_LATEX.get(char, char) for char in text)


def bibtex_key(record: Record) -> str:
    """sxworker-YYYY-MM-DD-ID: an id recurs across dates, so the date is part of the key."""
    return f"sxworker-{record['issue_date']}-{record['article_id']}"


def bibtex(record: Record) -> str:
    """A biblatex ``@article`` entry (``date``, ``urldate``), fields without a value left out."""
    names = creators(record.get("author"))
    fields = {
        "author": " and ".join(_latex(name) for name in names) or None,
        "title": _latex(_title(record)),
        "journal": _latex(PAPER_NAME),
        "date": record["issue_date"],
        "pages": _page(record),
        # biblatex reads url verbatim: escaping it would change the address.
        "url": record["url"],
        "urldate": _accessed(record),
    }
    lines = [f"  {name} = {{{value}}}," for name, value in fields.items() if value]
    return "\n".join([f"@article{{{bibtex_key(record)},", *lines, "}"])


STYLES: dict[str, Callable[[Record], str]] = {"gbt7714": gbt7714, "apa": apa, "bibtex": bibtex}
LABELS = {"gbt7714": "GB/T 7714-2015", "apa": "APA 7", "bibtex": "BibTeX"}


def citations(record: Record) -> list[tuple[str, str]]:
    """(label, citation) in every style: the block ``show`` and the Datasette article page show."""
    return [(LABELS[style], cite(record)) for style, cite in STYLES.items()]


def with_citation(records: Iterable[Record]) -> Iterator[Record]:
    """The records with a ``citation`` field (GB/T 7714-2015), for ``export --with-citation``."""
    for record in records:
        record["citation"] = gbt7714(record)
        yield record
