"""RDF terms as the mapping emits them: strings already in N-Triples form (``<iri>``, ``_:label``, ``"text"``,
``"text"@en``, ``"5"^^<...#integer>``).

Measured on this machine (``bench/terms.py``): making and writing a triple costs about 7 us with rdflib terms, 3.7 us
with pyoxigraph terms and 0.5 us as pre-rendered strings, and a PubMed baseline file has some 30 million triples. So
predicates and classes are rendered once (namespace attributes are cached strings), a literal is escaped only when a
character needs it, and writers join strings. An rdflib Graph is built from these only when a caller asks for one
(``rdfgen.serialize.graph.to_graph``). This module is the one place N-Triples escaping is defined.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdfgen.vocab import PREFIXES

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_LITERAL_RE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')
_IRI_BAD_RE = re.compile(r'[\s\x00-\x20<>"{}|^`\\\x7f]')  # \s: Unicode spaces too, which parsers reject
_BNODE_BAD_RE = re.compile(r"[^A-Za-z0-9_]")

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = f"<{XSD_NS}string>"
XSD_INTEGER = f"<{XSD_NS}integer>"
XSD_BOOLEAN = f"<{XSD_NS}boolean>"
XSD_DECIMAL = f"<{XSD_NS}decimal>"
TRUE = f'"true"^^{XSD_BOOLEAN}'
FALSE = f'"false"^^{XSD_BOOLEAN}'
EMPTY = '""'


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def escape(text: str) -> str:
    """A literal's lexical form with the escapes N-Triples requires (RDF 1.1 canonical: nothing else escaped)."""
    return text if _plain(text) else _escaped(text)


def _escaped(text: str) -> str:
    """``escape`` of a text that may need it. Most hold only quotes, backslashes and line breaks (an abstract's
    paragraphs): str.replace does those in a few C passes, where the expression's substitution calls back into
    Python for each; printable after that, no other control character was there (every one is unprintable)."""
    quick = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace(
        "\t", "\\t")
    if quick.isprintable():
        return quick
    return _LITERAL_RE.sub(_escape_char, text) if _LITERAL_RE.search(text) else text


def _plain(text: str) -> bool:
    """Surely nothing to escape: no quote, no backslash, and printable (every control character is not). Half the
    cost of searching with _LITERAL_RE, and abstracts are long; False only sends the text to that search."""
    return '"' not in text and "\\" not in text and text.isprintable()


def uri(value: str) -> str:
    """An IRI in N-Triples; characters an IRI may not hold are percent-encoded (as RFC 3987 maps them to a URI)."""
    if _IRI_BAD_RE.search(value):
        value = _IRI_BAD_RE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode()), value)
    return f"<{value}>"


def bnode(label: str) -> str:
    """A blank node whose label is safe in every syntax (only rdf:List cells are blank)."""
    return f"_:{_BNODE_BAD_RE.sub('_', label)}"


def lit(value: str | int | bool) -> str:
    """A literal: str plain (xsd:string), int xsd:integer, bool xsd:boolean, as rdflib's Literal(value) says them."""
    if type(value) is str:  # the common case first: most literals are text
        return f'"{value}"' if _plain(value) else f'"{_escaped(value)}"'
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, int):
        return f'"{value}"^^{XSD_INTEGER}'
    return f'"{escape(value)}"'


def typed(lexical: str, datatype: str) -> str:
    """A typed literal; ``datatype`` is a term (``<...>``) such as ``XSD.gYear``. xsd:string is written plain."""
    if datatype == XSD_STRING:
        return f'"{escape(lexical)}"'
    return f'"{escape(lexical)}"^^{datatype}'


def lang_literal(text: str, tag: str) -> str:
    """A language-tagged literal (tags as BCP 47, lower case as rdflib normalises them)."""
    return f'"{escape(text)}"@{tag.lower()}'


class Terms:
    """A namespace whose attributes are N-Triples IRIs: ``SDO.headline == "<https://schema.org/headline>"``.
    Each term is made once and kept as a plain attribute, so the mapping's hot loops read a string."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        term = f"<{self.base}{name}>"
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)


def _terms(prefix: str) -> Terms:
    return Terms(str(PREFIXES[prefix]))


SDO, BIBO, DCTERMS, FOAF, CITO = (_terms(p) for p in ("schema", "bibo", "dcterms", "foaf", "cito"))
FABIO, BIRO, C4O, PROV, OWL = (_terms(p) for p in ("fabio", "biro", "c4o", "prov", "owl"))
RDF, SKOS, XSD, VOID, RDFGEN = (_terms(p) for p in ("rdf", "skos", "xsd", "void", "rdfgen"))


@lru_cache(maxsize=1 << 12)
def shared_uri(value: str) -> str:
    """``uri`` for values that recur across records (journals, MeSH terms, dataset IRIs)."""
    return uri(value)
