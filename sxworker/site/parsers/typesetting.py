"""What the markup says of a line's type: bold or not, and how large (<b>, <strong>,
<font size>, font-weight, font-size). The barest templates have no heading or role to name
their header lines, and the type is then what tells title from kicker or subtitle
(header.py)."""

from __future__ import annotations

import re

from sxworker.site.parsers.lines import Line, fold_spaces, text_of

_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_FONT_SIZE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*(px|pt)", re.IGNORECASE)
# <font size="N">, as browsers draw it, in px.
_FONT_SIZES = {"1": 10.0, "2": 13.0, "3": 16.0, "4": 18.0, "5": 24.0, "6": 32.0, "7": 48.0}
# How far up from a line's block an element may set its type (the table cell's row, …).
_REACH = 4


def type_of(line: Line) -> tuple[bool, float]:
    """Whether the markup sets the whole line in bold, and its font size in px (0: not
    said), from the elements whose text is exactly the line's: its block, the block's
    parents, what the block holds (<b>, <strong>, <font size>, font-weight, font-size)."""
    block = line.block
    if block is None:
        return False, 0.0
    holders = [element for element in block.iter() if isinstance(element.tag, str)]
    parent = block.getparent()
    for _ in range(_REACH):
        if parent is None:
            break
        holders.append(parent)
        parent = parent.getparent()
    bold, size = False, 0.0
    for element in holders:
        if fold_spaces(text_of(element)) != line.text:
            continue
        style = element.get("style") or ""
        if element.tag in ("b", "strong") or _BOLD_STYLE.search(style):
            bold = True
        found = _FONT_SIZE.search(style)
        if found:
            size = max(size, float(found.group(1)) * (4 / 3 if found.group(2).lower() == "pt" else 1))
        elif element.tag == "font" and (element.get("size") or "").strip() in _FONT_SIZES:
            size = max(size, _FONT_SIZES[element.get("size").strip()])
    return bold, size


def smaller_type(line: Line, other: Line) -> bool:
    """Whether the markup sets ``line`` in smaller or lighter type than ``other``: a size
    said for both decides, else bold against not bold."""
    (bold, size), (other_bold, other_size) = type_of(line), type_of(other)
    if size and other_size and size != other_size:
        return size < other_size
    return other_bold and not bold
