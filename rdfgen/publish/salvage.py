"""A record with one bad field is published without it (issue 12, defect 8), not refused whole.

When the shapes refuse a record, the statements they object to are taken out and the record is checked again: first
the offending property of the node at fault (a DOI with a space, a page number that is not one), then, if that node
still fails, the node itself and every statement pointing at it (a reference entry with no text). Each removal is
said on the article as an ``rdfgen:note`` and returned as a warning for the build report. A record is refused only
when what is wrong is what makes it a record: its PMID, its title, its identifier, or anything else the article node
must have, or when two rounds of removal do not make it conform. The shapes stay the one source of the rules: this
module only decides what to leave out, never what is valid.
"""

from __future__ import annotations

from rdfgen.mapping.terms import RDFGEN, lit
from rdfgen.publish.shapes_check import ShapesCheck
from rdfgen.publish.validate import Report, Violation

Triple = tuple[str, str, str]

_ESSENTIAL = frozenset({
    "<https://schema.org/headline>", "<https://schema.org/name>", "<http://purl.org/dc/terms/title>",
    "<http://purl.org/ontology/bibo/pmid>", "<https://schema.org/identifier>",
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
})
"""What the article node cannot be published without: a problem with one of these refuses the record."""


def salvage(triples: list[Triple], report: Report, article: str, check: ShapesCheck
            ) -> tuple[list[Triple], list[str]] | None:
    """The record's triples without what the shapes refuse, and a warning per removal; None to refuse it."""
    predicates = {shape.path: shape.pred for shape in check.shapes if getattr(shape, "pred", None)}
    warnings: list[str] = []
    for round_ in (1, 2):
        faults = [v for v in report.violations if v.severity == "Violation"]
        removals = _removals(triples, faults, article, predicates, whole_nodes=round_ == 2)
        if removals is None:
            return None
        pairs, nodes, said = removals
        triples = [t for t in triples if (t[0], t[1]) not in pairs and t[0] not in nodes and t[2] not in nodes]
        triples += [(article, RDFGEN.note, lit(text)) for text in said]
        warnings += said
        report = check.check(triples)
        if report.conforms:
            return triples, warnings
    return None


def _removals(triples: list[Triple], faults: list[Violation], article: str, predicates: dict[str, str], *,
              whole_nodes: bool) -> tuple[set[tuple[str, str]], set[str], list[str]] | None:
    """What to take out for ``faults``: (subject, predicate) pairs, whole nodes, and the notes saying so."""
    stated = {(s, p) for s, p, _o in triples}
    pairs: set[tuple[str, str]] = set()
    nodes: set[str] = set()
    said: list[str] = []
    for v in faults:
        focus = v.focus if v.focus.startswith("_:") else f"<{v.focus}>"
        predicate = predicates.get(v.path)
        if focus == article:
            if predicate is None or predicate in _ESSENTIAL or whole_nodes or (focus, predicate) not in stated:
                return None
        if not whole_nodes and predicate is not None and (focus, predicate) in stated:
            if (focus, predicate) not in pairs:
                pairs.add((focus, predicate))
                said.append(f"not published: {v.path} of {v.focus} ({v.message})")
        elif focus not in nodes:
            nodes.add(focus)
            said.append(f"not published: {v.focus}, which the shapes refuse ({v.path}: {v.message})")
    return pairs, nodes, said
