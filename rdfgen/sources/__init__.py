"""Sources: one module per input format, each turning its input into Record dataclasses (and Deletions).

``read_inputs`` is the one entry point the build uses: it picks each file's source by content (``--from`` forces
one) and turns a file-level failure into a reported item, so one bad file never stops a batch.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from rdfgen.errors import SourceError, UnsupportedFormat
from rdfgen.model import Deletion, Record

SourceItem = Record | Deletion | SourceError
_GzipError: type[Exception]
try:
    from isal.igzip_lib import IsalError as _GzipError
except ImportError:  # pragma: no cover - isal is a dependency; kept importable without it
    _GzipError = OSError
SOURCE_FORMATS = ("pubmed-xml", "medline", "pubmed-page")


def _page(path: str, pmid: str | None, on_error: Callable[[SourceError], None]) -> Iterator[Record | Deletion]:
    from rdfgen.sources.pubmed_page import read_page

    if path == "-":
        import sys

        from rdfgen.sources.pubmed_page import parse_page

        yield parse_page(sys.stdin.read(), name="<stdin>", pmid=pmid)
        return
    yield from read_page(path, pmid=pmid)


def _xml(path: str, pmid: str | None, on_error: Callable[[SourceError], None]) -> Iterator[Record | Deletion]:
    from rdfgen.sources.pubmed_xml import iter_pubmed_xml

    return iter_pubmed_xml(path, on_error=on_error)


def _medline(path: str, pmid: str | None, on_error: Callable[[SourceError], None]) -> Iterator[Record | Deletion]:
    from rdfgen.sources.medline import iter_medline

    return iter_medline(path, on_error=on_error)


READERS = {"pubmed-page": _page, "pubmed-xml": _xml, "medline": _medline}


def read_input(path: str, *, fmt: str | None = None, pmid: str | None = None) -> Iterator[SourceItem]:
    """Records of one input; a record (or file) that cannot be read is yielded as its SourceError."""
    from rdfgen.sources.detect import detect_format

    if fmt is not None and fmt not in READERS:
        raise UnsupportedFormat(f"unknown input format {fmt!r}; known: {', '.join(SOURCE_FORMATS)}")
    if path != "-":
        p = Path(path)
        if not p.is_file():
            yield SourceError("no such file", file=path)
            return
        if p.stat().st_size == 0:
            yield SourceError("empty file", file=path)
            return
    try:
        fmt = fmt or detect_format(path)
    except UnsupportedFormat as exc:
        yield SourceError(str(exc).removeprefix(f"{path}: "), file=path)
        return
    except (EOFError, OSError, ValueError, _GzipError) as exc:  # a truncated or corrupt gzip, an unreadable file
        yield SourceError(f"unreadable input: {exc}", file=path)
        return
    errors: list[SourceError] = []
    try:
        for item in READERS[fmt](path, pmid, errors.append):
            yield from _drain(errors)
            yield item
    except SourceError as exc:
        errors.append(exc)
    yield from _drain(errors)


def _drain(errors: list[SourceError]) -> Iterator[SourceError]:
    while errors:
        yield errors.pop(0)


def read_stream(stream: BinaryIO, *, name: str = "<stream>", fmt: str | None = None,
                pmid: str | None = None) -> Iterator[SourceItem]:
    """Records of a binary stream (plain or gzip) the caller owns: the format is judged from its first bytes, which
    are peeked, not consumed, so the whole stream is then parsed."""
    from rdfgen.sources.detect import HEAD_BYTES, detect_format, ungzip

    if fmt is not None and fmt not in READERS:
        raise UnsupportedFormat(f"unknown input format {fmt!r}; known: {', '.join(SOURCE_FORMATS)}")
    head = stream.read(HEAD_BYTES)
    try:
        fmt = fmt or detect_format(head)
    except UnsupportedFormat as exc:
        yield SourceError(str(exc).removeprefix("input: "), file=name)
        return
    stream = io.BufferedReader(_Prepended(head, stream))
    errors: list[SourceError] = []
    try:
        if fmt == "pubmed-page":
            from rdfgen.sources.pubmed_page import parse_page

            yield parse_page(ungzip(stream).read().decode("utf-8", errors="replace"), name=name, pmid=pmid)
            return
        from rdfgen.sources.medline import iter_medline
        from rdfgen.sources.pubmed_xml import iter_pubmed_xml

        reader = iter_pubmed_xml if fmt == "pubmed-xml" else iter_medline
        for item in reader(stream, name=name, on_error=errors.append):
            yield from _drain(errors)
            yield item
    except SourceError as exc:
        errors.append(exc)
    yield from _drain(errors)


class _Prepended(io.RawIOBase):
    """The bytes already read for detection, then the rest of the stream: a stream that cannot seek back still
    reaches its parser whole."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n], self._head = self._head[:n], self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def read_inputs(paths: list[str], *, fmt: str | None = None, pmid: str | None = None) -> Iterator[SourceItem]:
    for path in paths:
        yield from read_input(path, fmt=fmt, pmid=pmid)
