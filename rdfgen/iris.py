"""The one place IRIs are minted, so every module, the server and the queries agree on them (DESIGN.md, "IRIs")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import URIRef

from rdfgen import DEFAULT_BASE
from rdfgen.errors import MappingError
from rdfgen.model import Journal, Reference

_ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def segment(value: str) -> str:
    """Percent-encode one path segment: "/" and every reserved character escaped, so no value adds a level."""
    return quote(value.strip(), safe="-._~")


def slug(text: str) -> str:
    """A readable, stable key from a title: "Rev Endocr Metab Disord" -> "rev-endocr-metab-disord"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "untitled"


def _pmid(pmid: str) -> str:
    if not pmid.isdigit():
        raise MappingError(f"PMID {pmid!r} is not a number; no IRI can be minted for it")
    return pmid


@dataclass(frozen=True)
class Iris:
    """IRIs of one dataset under ``base`` (ends with "/")."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+/$", self.base):
            raise MappingError(f"--base must be an absolute IRI ending in '/': {self.base!r}")

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def article(self, pmid: str) -> URIRef:
        return self._iri(f"pubmed/{_pmid(pmid)}")

    def document(self, pmid: str, extension: str) -> URIRef:
        return self._iri(f"pubmed/{_pmid(pmid)}.{extension}")

    def graph(self, pmid: str) -> URIRef:
        """Named graph of one record, so a newer version replaces it as a unit."""
        return self._iri(f"pubmed/{_pmid(pmid)}#graph")

    def shared_graph(self) -> URIRef:
        """Named graph of the statements records share (journals, MeSH terms, cited works): stated once, so a store's
        union default graph holds each of them once however many records mention them."""
        return self._iri("shared#graph")

    def doi_work(self, doi: str) -> URIRef:
        """A work known only by DOI; DOIs are case-insensitive, so the key is lower case."""
        return self._iri(f"doi/{segment(doi.lower())}")

    def reference(self, pmid: str, n: int) -> URIRef:
        return self._iri(f"pubmed/{_pmid(pmid)}/reference/{n}")

    def reference_work(self, pmid: str, ref: Reference) -> URIRef:
        """The cited work: the PubMed article when the reference gives a PMID, else by DOI, else local to the entry."""
        if ref.pmid and ref.pmid.isdigit():
            return self.article(ref.pmid)
        if ref.doi:
            return self.doi_work(ref.doi)
        return self._iri(f"pubmed/{_pmid(pmid)}/reference/{ref.position}/work")

    def author(self, pmid: str, n: int, orcid: str | None = None, role: str = "author") -> URIRef:
        if orcid and _ORCID_RE.match(orcid):
            return URIRef(f"https://orcid.org/{orcid}")
        return self._iri(f"pubmed/{_pmid(pmid)}/{role}/{n}")

    def authorship(self, pmid: str, n: int, role: str = "author") -> URIRef:
        """The n-th place in the author list: carries the position and per-article facts such as equal contribution."""
        return self._iri(f"pubmed/{_pmid(pmid)}/{role}ship/{n}")

    def affiliation(self, pmid: str, n: int, k: int, role: str = "author") -> URIRef:
        return self._iri(f"pubmed/{_pmid(pmid)}/{role}/{n}/affiliation/{k}")

    def identifier(self, pmid: str, scheme: str) -> URIRef:
        return self._iri(f"pubmed/{_pmid(pmid)}/id/{segment(scheme)}")

    def abstract_section(self, pmid: str, k: int, abstract: int = 0) -> URIRef:
        tail = f"abstract/{k}" if abstract == 0 else f"abstract/other/{abstract}/{k}"
        return self._iri(f"pubmed/{_pmid(pmid)}/{tail}")

    def heading(self, pmid: str, k: int) -> URIRef:
        return self._iri(f"pubmed/{_pmid(pmid)}/mesh/{k}")

    def journal_key(self, journal: Journal | None, fallback: str | None = None) -> str | None:
        """ISSN-L, else print ISSN, else electronic ISSN, else NLM ID, else a slug of the title."""
        if journal is not None:
            for key in (journal.issn_linking, journal.issn_print, journal.issn_electronic, journal.nlm_id):
                if key:
                    return segment(key)
            name = journal.title or journal.iso_abbreviation or journal.medline_ta
            if name:
                return slug(name)
        return slug(fallback) if fallback else None

    def journal(self, key: str) -> URIRef:
        return self._iri(f"journal/{key}")

    def volume(self, key: str, volume: str) -> URIRef:
        return self._iri(f"journal/{key}/volume/{segment(volume)}")

    def issue(self, key: str, volume: str | None, issue: str) -> URIRef:
        if volume:
            return self._iri(f"journal/{key}/volume/{segment(volume)}/issue/{segment(issue)}")
        return self._iri(f"journal/{key}/issue/{segment(issue)}")

    def mesh_graph(self) -> URIRef:
        """Named graph of the MeSH tree (descriptors, ancestors, tree numbers, skos:broader) the dataset's records
        need: published once per dataset, not once per record."""
        return self._iri("mesh#graph")

    def dataset(self) -> URIRef:
        return self._iri("dataset")

    def file(self, path: str) -> URIRef:
        return self._iri(path)

    def sparql(self) -> URIRef:
        return self._iri("sparql")


MESH_IRI = "http://id.nlm.nih.gov/mesh/"
"""NLM's namespace of MeSH descriptors, qualifiers and pairs; also the IRI of MeSH as a DefinedTermSet."""


def mesh(ui: str, qualifier_ui: str | None = None) -> URIRef:
    """NLM's own MeSH IRI for a descriptor, qualifier, or descriptor-qualifier pair."""
    return URIRef(f"{MESH_IRI}{ui}{qualifier_ui or ''}")


MESH_SET = URIRef(MESH_IRI)


def pubmed_url(pmid: str) -> URIRef:
    return URIRef(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")


def pubmed_rdf(pmid: str) -> URIRef:
    return URIRef(f"http://rdf.ncbi.nlm.nih.gov/pubmed/{pmid}")


def doi_url(doi: str) -> URIRef:
    return URIRef("https://doi.org/" + quote(doi, safe="/:;()._-~"))


def pmc_url(pmcid: str) -> URIRef:
    return URIRef(f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmcid}/")


def orcid_url(orcid: str) -> URIRef:
    return URIRef(f"https://orcid.org/{orcid}")


def ror_or_grid(scheme: str, value: str) -> URIRef | None:
    """Organisation identifiers as IRIs: ROR (https://ror.org/...), GRID (grid.ac), ISNI."""
    scheme_l = scheme.lower()
    v = value.strip()
    if scheme_l == "ror":
        return URIRef(v if v.startswith("http") else f"https://ror.org/{v}")
    if scheme_l == "grid":
        return URIRef(f"https://www.grid.ac/institutes/{v}")
    if scheme_l == "isni":
        return URIRef("https://isni.org/isni/" + re.sub(r"\s+", "", v))
    return None
