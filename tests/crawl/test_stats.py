"""Every stat key is written once, in sxworker/crawl/stats.py: a key spelled anywhere else
is a second home for one fact (and a typo there a counter nobody reads)."""

from __future__ import annotations

import ast
import re

from scrapy.utils.test import get_crawler

from sxworker.crawl import stats
from tests.conftest import ROOT

# "sxworker/articles/new", "sxworker/files/" (an f-string's start); not the User-Agent's
# "sxworker/0.1 (…)".
STAT_KEY = re.compile(r"^sxworker/[a-z_]+(?:/|$)")


def test_stat_keys_are_spelled_only_in_the_stats_module():
    spelled = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
        for path in sorted((ROOT / "sxworker").rglob("*.py"))
        if path != ROOT / "sxworker" / "crawl" / "stats.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and STAT_KEY.match(node.value)
    ]
    assert spelled == []


def test_every_family_sums_its_kinds():
    collector = get_crawler().stats
    collector.open_spider()
    collector.set_value(stats.FAILED["article"], 3)
    collector.set_value(stats.FAILED["page"], 2)
    collector.set_value(stats.INVALID["page"], 1)
    assert stats.total(collector, stats.FAILED) == 5
    assert stats.total(collector, stats.INVALID) == 1
    assert stats.total(collector, stats.DUPLICATE) == 0
