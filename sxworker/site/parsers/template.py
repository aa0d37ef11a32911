"""A structural fingerprint of an article page's template.

Two pages of one template differ in their text and in how many paragraphs and pictures they
have, not in the tags, classes and ids around the title and the text. The fingerprint is a
hash of that skeleton — the path from ``<body>`` to the title's line and to the first
paragraph's, each step as tag, classes and id with digits dropped — so that
``sxworker templates`` can group an archive's articles by template and an operator can read
the first crawl of a new site template by template.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from sxworker.site.parsers.lines import Line

_DIGITS = re.compile(r"\d+")


def fingerprint(title_line: Line, first_text_line: Line) -> str:
    """12 hex digits naming the template the two lines sit in."""
    skeleton = f"{_path(title_line.block)}|{_path(first_text_line.block)}"
    return hashlib.blake2b(skeleton.encode(), digest_size=6).hexdigest()


def _path(element) -> str:
    steps = []
    while element is not None and isinstance(element.tag, str) and element.tag != "html":
        steps.append(_step(element.tag, element.get("class"), element.get("id")))
        element = element.getparent()
    return "/".join(reversed(steps))


@lru_cache(maxsize=2048)
def _step(tag: str, classes: str | None, ident: str | None) -> str:
    step = tag
    names = _DIGITS.sub("", classes or "").split()
    if names:
        step += "." + ".".join(sorted(names))
    ident = _DIGITS.sub("", ident or "").strip()
    return f"{step}#{ident}" if ident else step
