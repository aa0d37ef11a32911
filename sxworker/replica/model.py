"""Specs the replica is generated from: issues, pages (版面) and articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ArticleSpec:
    id: str
    title: str  # as rendered; may hold &nbsp;-style spaces the parser must normalise
    paras: tuple[str, ...]
    kicker: str | None = None
    subtitle: str | None = None  # without the leading "——"; templates add it
    byline: str | None = None  # as printed, e.g. "□ 张三" or "作者:李四"
    # (file stem, caption or None); served under /pic/YYYYMM/DD/<stem>.jpg
    images: tuple[tuple[str, str | None], ...] = ()
    link_mobile: bool = False  # the page links the mobile URL as well as the desktop one
    mobile_only: bool = False  # the page links ONLY the mobile URL


@dataclass
class PageSpec:
    no: int
    label: str  # 版次 as printed in the 当前版 line: "4", "A4"
    name: str | None  # 版名; None when the page is only "第N版"
    articles: list[ArticleSpec]
    scan: bool = True
    pdf: bool = False
    # extra 本版导读 entries: (href path on site, link text); cross-page teasers, dead links
    guide: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class IssueSpec:
    date: date
    era: str  # template family: "1985", "1990", "2005", "2016", "2023"
    scheme: str  # page URL scheme: "A", "B", "C", "D"
    pages: list[PageSpec]
