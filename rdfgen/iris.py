"""The one place IRIs are minted, so every module, the server and the queries agree on them (DESIGN.md, "IRIs")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

from rdfgen import DEFAULT_BASE
from rdfgen.errors import MappingError
from rdfgen.model import Journal, Reference

_ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
# What ``quote`` leaves as it is (ASCII only: ``\w`` would let other letters through unencoded): a value made only of
# these needs no encoding, which saves ``quote`` its encode/decode on the mapping's hot path.
_SEGMENT_SAFE_RE = re.compile(r"[A-Za-z0-9._~-]*")
_SEGMENT_SLASHED_RE = re.compile(r"[A-Za-z0-9._~/-]*")
_DOI_SAFE_RE = re.compile(r"[A-Za-z0-9/:;()._~-]*")


def segment(value: str) -> str:
    """Percent-encode one path segment: "/" and every reserved character escaped, so no value adds a level."""
    value = value.strip()
    if _SEGMENT_SAFE_RE.fullmatch(value):
        return value
    if _SEGMENT_SLASHED_RE.fullmatch(value):  # a DOI: only its "/" to encode, what quote() would, at a tenth the cost
        return value.replace("/", "%2F")
    return quote(value, safe="-._~")


@lru_cache(maxsize=1 << 12)
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

    def record(self, pmid: str) -> RecordIris:
        """The IRIs of one record's own nodes, as plain strings (what the mapping uses)."""
        return RecordIris(self, pmid)

    def article(self, pmid: str) -> URIRef:
        return URIRef(self.article_iri(pmid))

    def article_iri(self, pmid: str) -> str:
        return f"{self.base}pubmed/{_pmid(pmid)}"

    def document(self, pmid: str, extension: str) -> URIRef:
        return URIRef(self.document_iri(pmid, extension))

    def document_iri(self, pmid: str, extension: str) -> str:
        return f"{self.base}pubmed/{_pmid(pmid)}.{extension}"

    def graph(self, pmid: str) -> URIRef:
        """Named graph of one record, so a newer version replaces it as a unit."""
        return self._iri(f"pubmed/{_pmid(pmid)}#graph")

    def shared_graph(self) -> URIRef:
        """Named graph of the statements records share (journals, MeSH terms, cited works): stated once, so a store's
        union default graph holds each of them once however many records mention them."""
        return self._iri("shared#graph")

    def doi_work(self, doi: str) -> URIRef:
        """A work known only by DOI; DOIs are case-insensitive, so the key is lower case."""
        return URIRef(self.doi_work_iri(doi))

    def doi_work_iri(self, doi: str) -> str:
        return f"{self.base}doi/{segment(doi.lower())}"

    def reference(self, pmid: str, n: int) -> URIRef:
        return URIRef(self.record(pmid).reference(n))

    def reference_work(self, pmid: str, ref: Reference) -> URIRef:
        """The cited work: the PubMed article when the reference gives a PMID, else by DOI, else local to the entry."""
        return URIRef(self.record(pmid).reference_work(ref))

    def author(self, pmid: str, n: int, orcid: str | None = None, role: str = "author") -> URIRef:
        return URIRef(self.record(pmid).author(n, orcid, role))

    def authorship(self, pmid: str, n: int, role: str = "author") -> URIRef:
        """The n-th place in the author list: carries the position and per-article facts such as equal contribution."""
        return URIRef(self.record(pmid).authorship(n, role))

    def affiliation(self, pmid: str, n: int, k: int, role: str = "author") -> URIRef:
        return URIRef(self.record(pmid).affiliation(n, k, role))

    def identifier(self, pmid: str, scheme: str) -> URIRef:
        return URIRef(self.record(pmid).identifier(scheme))

    def abstract_section(self, pmid: str, k: int, abstract: int = 0) -> URIRef:
        return URIRef(self.record(pmid).abstract_section(k, abstract))

    def heading(self, pmid: str, k: int) -> URIRef:
        return URIRef(self.record(pmid).heading(k))

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
        return URIRef(self.journal_iri(key))

    def journal_iri(self, key: str) -> str:
        return f"{self.base}journal/{key}"

    def volume(self, key: str, volume: str) -> URIRef:
        return URIRef(self.volume_iri(key, volume))

    def volume_iri(self, key: str, volume: str) -> str:
        return f"{self.base}journal/{key}/volume/{segment(volume)}"

    def issue(self, key: str, volume: str | None, issue: str) -> URIRef:
        return URIRef(self.issue_iri(key, volume, issue))

    def issue_iri(self, key: str, volume: str | None, issue: str) -> str:
        if volume:
            return f"{self.base}journal/{key}/volume/{segment(volume)}/issue/{segment(issue)}"
        return f"{self.base}journal/{key}/issue/{segment(issue)}"

    def mesh_graph(self) -> URIRef:
        """Named graph of the MeSH tree (descriptors, ancestors, tree numbers, skos:broader) the dataset's records
        need: published once per dataset, not once per record."""
        return self._iri("mesh#graph")

    def dataset(self) -> URIRef:
        return URIRef(self.dataset_iri())

    def dataset_iri(self) -> str:
        return f"{self.base}dataset"

    def file(self, path: str) -> URIRef:
        return self._iri(path)

    def file_iri(self, path: str) -> str:
        return self.base + path

    def sparql(self) -> URIRef:
        return self._iri("sparql")


class RecordIris:
    """The IRIs of one record's own nodes as plain strings, minted from the article's IRI computed once. The
    ``Iris`` methods of the same names wrap these in rdflib URIRefs; the mapping, which mints a few hundred IRIs a
    record and renders each as an N-Triples term anyway, takes the strings (a URIRef validates its value: about
    1 us each). The ``*_iri`` methods of ``Iris`` are the same trade for the IRIs records share."""

    __slots__ = ("iris", "pmid", "article", "_own")

    def __init__(self, iris: Iris, pmid: str) -> None:
        self.iris = iris
        self.pmid = _pmid(pmid)
        self.article = f"{iris.base}pubmed/{pmid}"
        self._own = self.article + "/"

    def reference(self, n: int) -> str:
        return f"{self._own}reference/{n}"

    def reference_work(self, ref: Reference) -> str:
        """The cited work: the PubMed article when the reference gives a PMID, else by DOI, else local to the entry.
        Never the citing article itself, nor a PMID PubMed never mints ("0"): see rdfgen.mapping.references."""
        if ref.pmid and ref.pmid.isdigit() and ref.pmid[0] != "0" and ref.pmid != self.pmid:
            return f"{self.iris.base}pubmed/{ref.pmid}"
        if ref.doi:
            return self.iris.doi_work_iri(ref.doi)
        return f"{self._own}reference/{ref.position}/work"

    def author(self, n: int, orcid: str | None = None, role: str = "author") -> str:
        if orcid and _ORCID_RE.match(orcid):
            return f"https://orcid.org/{orcid}"
        return f"{self._own}{role}/{n}"

    def authorship(self, n: int, role: str = "author") -> str:
        return f"{self._own}{role}ship/{n}"

    def affiliation(self, n: int, k: int, role: str = "author") -> str:
        return f"{self._own}{role}/{n}/affiliation/{k}"

    def identifier(self, scheme: str) -> str:
        return f"{self._own}id/{segment(scheme)}"

    def abstract_section(self, k: int, abstract: int = 0) -> str:
        if abstract == 0:
            return f"{self._own}abstract/{k}"
        return f"{self._own}abstract/other/{abstract}/{k}"

    def heading(self, k: int) -> str:
        return f"{self._own}mesh/{k}"

    def history(self, k: int) -> str:
        return f"{self._own}history/{k}"

    def grant(self, k: int) -> str:
        return f"{self._own}grant/{k}"

    def keyword(self, k: int) -> str:
        return f"{self._own}keyword/{k}"

    def related(self, k: int) -> str:
        """The work the k-th CommentsCorrections item links to when PubMed gives it no PMID (an erratum known only
        by its citation text and DOI): numbered among all the record's items, so an item gaining a PMID moves no
        other one."""
        return f"{self._own}related/{k}"


MESH_IRI = "http://id.nlm.nih.gov/mesh/"
"""NLM's namespace of MeSH descriptors, qualifiers and pairs; also the IRI of MeSH as a DefinedTermSet."""


def mesh(ui: str, qualifier_ui: str | None = None) -> URIRef:
    """NLM's own MeSH IRI for a descriptor, qualifier, or descriptor-qualifier pair."""
    return URIRef(mesh_iri(ui, qualifier_ui))


def mesh_iri(ui: str, qualifier_ui: str | None = None) -> str:
    return f"{MESH_IRI}{ui}{qualifier_ui or ''}"


MESH_SET = URIRef(MESH_IRI)


def pubmed_url(pmid: str) -> URIRef:
    return URIRef(pubmed_url_iri(pmid))


def pubmed_url_iri(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def pubmed_rdf(pmid: str) -> URIRef:
    return URIRef(pubmed_rdf_iri(pmid))


def pubmed_rdf_iri(pmid: str) -> str:
    return f"http://rdf.ncbi.nlm.nih.gov/pubmed/{pmid}"


def doi_url(doi: str) -> URIRef:
    return URIRef(doi_url_iri(doi))


def doi_url_iri(doi: str) -> str:
    return "https://doi.org/" + (doi if _DOI_SAFE_RE.fullmatch(doi) else quote(doi, safe="/:;()._-~"))


def pmc_url(pmcid: str) -> URIRef:
    return URIRef(pmc_url_iri(pmcid))


def pmc_url_iri(pmcid: str) -> str:
    return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmcid}/"


def orcid_url(orcid: str) -> URIRef:
    return URIRef(orcid_url_iri(orcid))


def orcid_url_iri(orcid: str) -> str:
    return f"https://orcid.org/{orcid}"


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
