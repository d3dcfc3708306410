"""Measuring keyword links against a judged set: keywords from real records, each with the descriptor a careful MeSH
indexer would give it (or none), so precision and recall are counted, not guessed.

The set is tests/data/keywords-judged.tsv (how it was judged: tests/data/README.md). A link is right when its
descriptor is one the judge accepts; agreement with the record's own NLM headings (`matching.evaluate`) is only a
rough proxy, since NLM indexes the article, not the keyword.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from rdfgen.mesh.matching import KeywordMatch
from rdfgen.model import Record

JUDGED_SET = "tests/data/keywords-judged.tsv"
"""The judged set, relative to a checkout's root."""

JUDGED_RECORDS = "tests/data/mesh-eval/*.xml"
"""The records of the judged keywords that carry NLM headings (the evidence the matcher may use), as a glob."""

NONE = "none"
"""The judged-set value for a keyword no descriptor represents (facets, materials science, "associations")."""


class Judged(NamedTuple):
    """One judged keyword: the descriptors an indexer accepts (empty: it should stay a plain keyword)."""

    keyword: str
    uis: frozenset[str]
    relation: str
    reason: str
    source: str

    @property
    def pmid(self) -> str | None:
        """The record the keyword comes from, when it is a real record ("PMID 123"), not a reported example."""
        return self.source.removeprefix("PMID ") if self.source.startswith("PMID ") else None


def read_judged(path: str | Path) -> list[Judged]:
    """The judged set: a TSV with a header (keyword, ui, label, relation, reason, source); several acceptable
    UIs are '|'-separated."""
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Judged(r["keyword"], frozenset() if r["ui"] == NONE else frozenset(r["ui"].split("|")), r["relation"],
                   r["reason"], r["source"]) for r in rows]


@dataclass
class Scores:
    """Links counted against the judged set, in all and per method ([links, wrong])."""

    keywords: int = 0
    with_descriptor: int = 0
    links: int = 0
    wrong: int = 0
    recalled: int = 0
    by_method: dict[str, list[int]] = field(default_factory=dict)
    mistakes: list[tuple[Judged, KeywordMatch]] = field(default_factory=list)

    @property
    def wrong_share(self) -> float:
        """Wrong links as a share of links: what a reader of the published data is misled by."""
        return self.wrong / self.links if self.links else 0.0

    @property
    def recall(self) -> float:
        """Share of keywords with a right descriptor that are linked to it."""
        return self.recalled / self.with_descriptor if self.with_descriptor else 0.0

    @property
    def coverage(self) -> float:
        """Share of keywords linked at all."""
        return self.links / self.keywords if self.keywords else 0.0

    def right_share(self, methods: Iterable[str]) -> float:
        """Share of right links among those made by `methods` (1.0 when there are none)."""
        links = sum(self.by_method.get(m, [0, 0])[0] for m in methods)
        wrong = sum(self.by_method.get(m, [0, 0])[1] for m in methods)
        return 1 - wrong / links if links else 1.0

    def summary(self) -> str:
        """One line of figures, then one per method."""
        lines = [f"{self.keywords} judged keywords ({self.with_descriptor} with a right descriptor): "
                 f"{self.links} links, {self.wrong} wrong ({self.wrong_share:.1%}); recall {self.recalled}/"
                 f"{self.with_descriptor} ({self.recall:.1%}); coverage {self.coverage:.1%}"]
        for method, (links, wrong) in sorted(self.by_method.items()):
            lines.append(f"  {method}: {links} links, {wrong} wrong ({1 - wrong / links:.1%} right)")
        return "\n".join(lines)


Linker = Callable[[str, tuple[str, ...]], KeywordMatch | None]


def score(judged: Iterable[Judged], link: Linker, headings: Mapping[str, tuple[str, ...]]) -> Scores:
    """Count `link` (an enricher's ``link``) on each judged keyword, with its record's heading UIs as evidence."""
    scores = Scores()
    for j in judged:
        scores.keywords += 1
        scores.with_descriptor += bool(j.uis)
        match = link(j.keyword, headings.get(j.pmid or "", ()))
        if match is None:
            continue
        counts = scores.by_method.setdefault(match.method, [0, 0])
        scores.links += 1
        counts[0] += 1
        if match.ui in j.uis:
            scores.recalled += 1
        else:
            scores.wrong += 1
            counts[1] += 1
            scores.mistakes.append((j, match))
    return scores


def measure(root: str | Path, link: Linker) -> Scores:
    """`score` on a checkout's judged set, with the headings of its records."""
    root = Path(root)
    return score(read_judged(root / JUDGED_SET), link, record_headings(sorted(root.glob(JUDGED_RECORDS))))


def record_headings(paths: Iterable[str | Path]) -> dict[str, tuple[str, ...]]:
    """PMID -> the UIs of the record's NLM MeSH headings, for the PubMed XML files the judged keywords come from."""
    from rdfgen.sources.pubmed_xml import iter_pubmed_xml  # only measuring reads records; the matcher never does

    found: dict[str, tuple[str, ...]] = {}
    for path in paths:
        for item in iter_pubmed_xml(path):
            if isinstance(item, Record):
                found[item.pmid] = tuple(h.descriptor_ui for h in item.mesh_headings if h.descriptor_ui)
    return found
