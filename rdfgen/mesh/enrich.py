"""Enrichment between sources and mapping: what a MeSH vocabulary adds to a Record.

Sources give MeSH headings by name only where the format has no UIs (MEDLINE text, a saved page), and author
keywords as plain strings. With a vocabulary, heading and publication-type names gain their descriptor UIs, heading
qualifiers their qualifier UIs, and geographic descriptors the Type PubMed XML gives them, so a MEDLINE heading is
the same model value as its XML form and maps to the same triples (pair IRIs and major topics included); keywords
gain a machine mapping onto MeSH, which the mapping publishes apart from NLM's own indexing.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from rdfgen.mesh.matching import Decision, KeywordMatch
from rdfgen.mesh.vocabulary import MeshVocabulary
from rdfgen.model import MeshHeading, MeshQualifier, PublicationType, Record


class MeshEnricher:
    """Fills MeSH UIs by name and links keywords; one per build, keyword decisions cached (keywords repeat)."""

    def __init__(self, vocab: MeshVocabulary, *, link_keywords: bool = True) -> None:
        self.vocab = vocab
        self.link_keywords = link_keywords
        self._decided = lru_cache(maxsize=16384)(self._decide)  # keywords repeat; a bound keeps memory flat

    def _decide(self, keyword: str) -> tuple[Decision, tuple[str, ...]]:
        return self.vocab._keyword_index().decide(keyword)

    def explain(self, keyword: str, headings: tuple[str, ...] = ()) -> Decision:
        """The link for an author keyword and why; `headings`, the UIs of the record's own MeSH headings, settle
        a keyword with several readings. Only the context-free part is cached, so the cache serves every record."""
        if not self.link_keywords:
            return Decision(None, "keyword links are off")
        if not keyword.strip():
            return Decision(None, "empty")
        return self.vocab._keyword_index().choose(keyword, self._decided(keyword), headings)

    def link(self, keyword: str, headings: tuple[str, ...] = ()) -> KeywordMatch | None:
        """The descriptor an author keyword is linked to in published data, or None (see `explain`)."""
        return self.explain(keyword, headings).match

    def __call__(self, record: Record) -> Record:
        headings = tuple(self._heading(h) for h in record.mesh_headings)
        types = tuple(self._type(p) for p in record.publication_types)
        if headings == record.mesh_headings and types == record.publication_types:
            return record
        return replace(record, mesh_headings=headings, publication_types=types)

    def _heading(self, h: MeshHeading) -> MeshHeading:
        """UIs by name for what the source left without one; a name the vocabulary lacks stays a name."""
        ui = h.descriptor_ui or self.vocab.ui_for_label(h.descriptor_name)
        kind = h.type or ("Geographic" if ui and self.vocab.is_geographic(ui) else None)
        if ui == h.descriptor_ui and kind == h.type and all(q.ui for q in h.qualifiers):
            return h  # PubMed XML's headings: nothing to add, known without remaking the qualifiers (1 us a heading)
        qualifiers = tuple(self._qualifier(q) for q in h.qualifiers)
        if (ui, qualifiers, kind) == (h.descriptor_ui, h.qualifiers, h.type):
            return h
        return replace(h, descriptor_ui=ui, qualifiers=qualifiers, type=kind)

    def _qualifier(self, q: MeshQualifier) -> MeshQualifier:
        if q.ui:
            return q
        ui = self.vocab.qualifier_ui(q.name)
        return replace(q, ui=ui) if ui else q

    def _type(self, p: PublicationType) -> PublicationType:
        if p.ui:
            return p
        ui = self.vocab.ui_for_label(p.name)
        return replace(p, ui=ui) if ui else p


def load_enricher(mesh_path: str | None = None, *, link_keywords: bool = True) -> MeshEnricher:
    """The bundled MeSH table, or a newer release the user points at (desc20xx.xml, MeSH RDF N-Triples, TSV)."""
    vocab = MeshVocabulary.from_path(mesh_path) if mesh_path else MeshVocabulary.bundled()
    return MeshEnricher(vocab, link_keywords=link_keywords)
