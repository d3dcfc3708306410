"""Sources: one module per input format, each turning its input into Record dataclasses (and Deletions)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rdfgen.errors import SourceError, UnsupportedFormat
from rdfgen.model import Deletion, Record

SourceItem = Record | Deletion | SourceError
SOURCE_FORMATS = ("pubmed-page",)


def detect(path: str) -> str:
    """The input's format by content (a saved PubMed page is the only format so far)."""
    if path != "-" and not Path(path).exists():
        raise SourceError("no such file", file=path)
    return "pubmed-page"


def read_input(path: str, *, fmt: str | None = None, pmid: str | None = None) -> Iterator[SourceItem]:
    """Records of one input; a record that cannot be read is yielded as its SourceError, so a batch goes on."""
    fmt = fmt or detect(path)
    if fmt == "pubmed-page":
        from rdfgen.sources.pubmed_page import read_page

        try:
            yield from read_page(path, pmid=pmid)
        except SourceError as exc:
            yield exc
        return
    raise UnsupportedFormat(f"{path}: unknown input format {fmt!r}; known: {', '.join(SOURCE_FORMATS)}")


def read_inputs(paths: list[str], *, fmt: str | None = None, pmid: str | None = None) -> Iterator[SourceItem]:
    for path in paths:
        try:
            yield from read_input(path, fmt=fmt, pmid=pmid)
        except SourceError as exc:
            yield exc
