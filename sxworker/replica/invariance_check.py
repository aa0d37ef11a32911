"""The invariance check: a sample of the replicas' article pages, every page rewritten by
every transformation of :mod:`sxworker.replica.invariance`, each rewrite parsed and compared
with the parse of its original, field by field.

The parser is handed in (``parse``), so the replica never imports it. The context a parse
gets is the one a crawl would give: the linking page's text for the article (its title), and
the page's facts (number, label, name, scan) *only where the article page does not print them
itself* — a fallback for a fact the page shows would hide a rewrite that breaks its marker.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .builder import Site
from .invariance import TRANSFORMATIONS, Transformation

# (sample, page bytes, content type, context fields of PageContext) -> the public fields
ParseFn = Callable[["Sample", bytes, str, Mapping[str, Any]], dict[str, Any]]

# expected field -> the PageContext field a linking page fills it from
PAGE_FACTS = (
    ("page_no", "page_no"),
    ("page_label", "page_label"),
    ("page_name", "page_name"),
    ("page_image_url", "scan_url"),
)


@dataclass(frozen=True)
class Sample:
    """One article page served by a replica, with the article's ground truth."""

    key: str  # "replica 1985-11-15 038852", "altsite 2012-05-08 187649 m"
    source: str  # replica | altsite | thirdsite
    era: str  # the year (the template), or "m" for the mobile template
    url: str  # where the page is served (desktop or mobile address)
    base_url: str
    body: bytes
    content_type: str
    expected: dict[str, Any]
    page_articles: tuple[tuple[str, str], ...]  # (url, title) of every article of its page

    @property
    def facts(self) -> dict[str, Any]:
        """What a transformation may use: the expected fields and the page's titles."""
        return {**self.expected, "page_articles": self.page_articles}


def site_samples(source: str, site: Site) -> list[Sample]:
    """Every article page of a site: each article's desktop page, and its mobile page where
    the site serves one."""
    by_page: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for expected in site.expected_articles:
        by_page[(expected["issue_date"], expected["page_no"])].append((expected["url"], expected["title"]))
    samples = []
    for expected in site.expected_articles:
        path = expected["url"][len(site.base_url) :]
        for mobile in (False, True):
            served = "/m" + path if mobile else path
            resource = site.resources.get(served)
            if resource is None or resource.status != 200:
                continue
            samples.append(
                Sample(
                    key=f"{source} {expected['issue_date']} {expected['article_id']}"
                    + (" m" if mobile else ""),
                    source=source,
                    era="m" if mobile else expected["issue_date"][:4],
                    url=site.base_url + served,
                    base_url=site.base_url,
                    body=resource.body,
                    content_type=resource.content_type,
                    expected=dict(expected),
                    page_articles=tuple(by_page[(expected["issue_date"], expected["page_no"])]),
                )
            )
    return samples


def crawl_context(sample: Sample, parse: ParseFn, link_text: bool = True) -> dict[str, Any]:
    """The context a crawl gives this page (see the module docstring)."""
    context: dict[str, Any] = {"link_text": sample.expected["title"]} if link_text else {}
    try:
        own = parse(sample, sample.body, sample.content_type, context)
    except Exception:  # the baseline reports it
        return context
    for name, context_name in PAGE_FACTS:
        if own.get(name) is None and sample.expected[name] is not None:
            context[context_name] = sample.expected[name]
    return context


@dataclass
class Pair:
    """One page under one transformation (or ``original``: the page as served, against its
    ground truth)."""

    transformation: str
    sample: str
    era: str
    status: str  # invariant | differs | error | n/a
    differences: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (got, expected)
    error: str | None = None
    rewritten: bytes | None = field(default=None, repr=False)  # the page as rewritten


@dataclass
class Matrix:
    samples: list[Sample]
    baseline: list[Pair]
    pairs: list[Pair]

    def applicable(self, name: str | None = None) -> list[Pair]:
        return [p for p in self.pairs if p.status != "n/a" and name in (None, p.transformation)]

    def share(self, name: str | None = None) -> tuple[int, int]:
        """(invariant pairs, pairs the transformation applies to)."""
        pairs = self.applicable(name)
        return sum(p.status == "invariant" for p in pairs), len(pairs)

    def failures(self, name: str | None = None) -> list[Pair]:
        return [p for p in self.applicable(name) if p.status != "invariant"]


def _parsed(
    parse: ParseFn, sample: Sample, body: bytes, content_type: str, context
) -> tuple[Any, str | None]:
    try:
        return parse(sample, body, content_type, context), None
    except Exception as exc:  # a page the parser refuses is a result, not a crash of the check
        return None, f"{type(exc).__name__}: {exc}"


def _compare(transformation: str, sample: Sample, got, error, reference: Mapping[str, Any]) -> Pair:
    if got is None:
        return Pair(transformation, sample.key, sample.era, "error", error=error)
    differences = {
        name: (got.get(name), value) for name, value in reference.items() if got.get(name) != value
    }
    return Pair(
        transformation, sample.key, sample.era, "differs" if differences else "invariant", differences
    )


def run(
    samples: Iterable[Sample],
    parse: ParseFn,
    transformations: Iterable[Transformation] = TRANSFORMATIONS,
    *,
    link_text: bool = True,
) -> Matrix:
    """Parse every sample and every rewrite of it; compare the rewrite's fields with the
    original's (or, where the original cannot be parsed, with the ground truth)."""
    samples = list(samples)
    transformations = list(transformations)
    baseline: list[Pair] = []
    pairs: list[Pair] = []
    for sample in samples:
        context = crawl_context(sample, parse, link_text)
        original, error = _parsed(parse, sample, sample.body, sample.content_type, context)
        baseline.append(_compare("original", sample, original, error, sample.expected))
        reference = original if original is not None else sample.expected
        for transformation in transformations:
            rewritten = transformation.rewrite(sample.body, sample.facts)
            if rewritten is None:
                pairs.append(Pair(transformation.name, sample.key, sample.era, "n/a"))
                continue
            wanted = reference
            if transformation.expect is not None:
                wanted = transformation.expect(dict(reference), rewritten, sample.facts)
            content_type = transformation.content_type or sample.content_type
            got, error = _parsed(parse, sample, rewritten, content_type, context)
            pair = _compare(transformation.name, sample, got, error, wanted)
            pair.rewritten = rewritten
            pairs.append(pair)
    return Matrix(samples, baseline, pairs)


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def describe(pair: Pair, limit: int = 160) -> str:
    """One line per differing field: ``transformation | page | field: got … expected …``."""
    head = f"{pair.transformation} | {pair.sample}"
    if pair.status == "error":
        return f"{head} | error: {pair.error}"
    return "\n".join(
        f"{head} | {name}: got {_short(got, limit)} expected {_short(expected, limit)}"
        for name, (got, expected) in pair.differences.items()
    )
