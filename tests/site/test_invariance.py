"""Metamorphic tests of the article parser (issue 10, item 5): a page rewritten without
changing what a reader sees must parse to the same fields.

The sample is every article page of the three replicas (the bundled one's hand-written
issues, altsite, thirdsite): each article's desktop page and, where served, its mobile page.
The saved fixtures are byte-identical copies of bundled-replica pages, so they are in it too.
Each transformation of ``sxworker.replica.invariance`` rewrites every page it applies to;
its test collects every (transformation, page) pair whose fields differ, so one run lists
them all. ``benchmarks/bench_invariance.py`` prints the same matrix.
"""

from __future__ import annotations

from typing import Any

import pytest

from sxworker.replica import build_site
from sxworker.replica.invariance import BY_NAME, TRANSFORMATIONS, Transformation, rename_word
from sxworker.replica.invariance_check import Matrix, Sample, describe, run, site_samples
from sxworker.replica.pagetree import dump, load, locate, visible_text
from sxworker.site.parsers.article import PageContext, parse_article
from tests.conftest import FIXTURES, SITE
from tests.sites.altsite import build_alt_site
from tests.sites.thirdsite import build_third_site

SITES = {"replica": build_site, "altsite": build_alt_site, "thirdsite": build_third_site}
NAMES = [transformation.name for transformation in TRANSFORMATIONS]


def sample_pages() -> list[Sample]:
    """The sample, in a fixed order: sites, then their ground truth's order."""
    return [sample for name, build in SITES.items() for sample in site_samples(name, build(SITE))]


def parse(sample: Sample, body: bytes, content_type: str, context: dict[str, Any]) -> dict[str, Any]:
    article = parse_article(
        body, sample.url, base_url=sample.base_url, content_type=content_type, context=PageContext(**context)
    )
    return article.public_fields()


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    return sample_pages()


@pytest.fixture(scope="module")
def matrix(samples) -> Matrix:
    return run(samples, parse)


def _report(failures) -> str:
    return "\n".join(describe(pair) for pair in failures)


def test_the_sample_holds_every_site_and_template(samples):
    assert len(samples) >= 150
    eras = {(sample.source, sample.era) for sample in samples}
    for source in SITES:
        assert (source, "m") in eras
        assert sum(1 for s, _ in eras if s == source) >= 5
    # a page whose lines cannot be found would be skipped by every tree rewrite, silently
    assert [s.key for s in samples if locate(load(s.body).root, s.facts) is None] == []


def test_the_saved_fixtures_are_pages_of_the_sample(samples):
    bodies = {sample.body for sample in samples}
    saved = [*sorted(FIXTURES.glob("*-article.html")), FIXTURES / "2016-mobile.html"]
    assert [path.name for path in saved if path.read_bytes() not in bodies] == []


def test_every_original_page_parses_to_its_ground_truth(matrix):
    failures = [pair for pair in matrix.baseline if pair.status != "invariant"]
    assert not failures, _report(failures)


def test_writing_the_tree_back_alone_changes_no_field(samples):
    """The rewrites write the page back through lxml: that alone must change nothing, so a
    failing transformation fails for what it changes."""
    round_trip = Transformation("round-trip", "parsed and written back", lambda body, _: dump(load(body)))
    checked = run(samples, parse, [round_trip])
    assert not checked.failures(), _report(checked.failures())


@pytest.mark.parametrize("name", NAMES)
def test_every_field_is_invariant_under(name, matrix):
    invariant, applicable = matrix.share(name)
    failures = matrix.failures(name)
    header = f"{name}: {invariant}/{applicable} pages invariant; failing pairs:\n"
    assert not failures, header + _report(failures)


@pytest.mark.parametrize("name", NAMES)
def test_the_transformation_rewrites_pages_and_keeps_what_a_reader_sees(name, samples, matrix):
    """A no-op transformation proves nothing, and one that loses a line is not invariance."""
    by_key = {sample.key: sample for sample in samples}
    applied = [(by_key[pair.sample], pair.rewritten) for pair in matrix.applicable(name)]
    assert len(applied) >= 10, f"{name} applies to {len(applied)} pages only"
    assert [s.key for s, body in applied if body == s.body] == []
    # Each replica's markup gets it: no rewrite quietly fits one replica only.
    assert {s.source for s, _ in applied} == set(SITES)
    lost = []
    for sample, body in applied:
        before, after = (_comparable(name, text) for text in (visible_text(sample.body), visible_text(body)))
        kept = _is_subsequence(before, after) if BY_NAME[name].adds_lines else before == after
        if not kept:
            lost.append(sample.key)
    assert lost == [], f"{name} changed the text a reader sees on {lost}"


def _comparable(name: str, text: str) -> str:
    return text.replace("：", ":") if name == "colon-width" else text


def _is_subsequence(short: str, long: str) -> bool:
    characters = iter(long)
    return len(long) > len(short) and all(char in characters for char in short)


def test_class_and_id_words_move_to_another_vocabulary():
    assert rename_word("title_yt") == "biaoti_kicker"
    assert rename_word("article-title") == "wenzhang-biaoti"
    assert [rename_word(word) for word in ("subtitle", "futi", "fbt")] == ["futi", "fbt", "subtitle"]
    assert rename_word("m-ft picText") == "m-subtitle tupianText"
    assert rename_word("ozoom") == "ozoom"  # a word the table does not know stays


@pytest.fixture(scope="module")
def matrix_without_link_text(samples) -> Matrix:
    return run(samples, parse, link_text=False)


def test_invariant_also_without_the_linking_pages_text(matrix_without_link_text):
    """Reparsed alone (no page view gave it the link text), a page still reads the same
    under every rewrite: the title comes from the page itself."""
    failures = [pair for name in NAMES for pair in matrix_without_link_text.failures(name)]
    assert not failures, _report(failures)
