"""Which source format a file is, judged by its content; and opening inputs (gzip, "-" for stdin) transparently.

Content decides because PubMed files travel under misleading names (".txt" for both MEDLINE exports and saved
pages, ".gz" for everything); the extension is only a fallback when the content says nothing.
"""

from __future__ import annotations

import io
import re
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from rdfgen.compression import gzip_reader, open_gzip
from rdfgen.errors import UnsupportedFormat

PUBMED_XML = "pubmed-xml"
MEDLINE = "medline"
PUBMED_PAGE = "pubmed-page"

_GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 64 * 1024
_EXTENSIONS = {
    ".xml": PUBMED_XML,
    ".nbib": MEDLINE,
    ".medline": MEDLINE,
    ".html": PUBMED_PAGE,
    ".htm": PUBMED_PAGE,
}
_XML_ROOT = re.compile(r"<(?:!DOCTYPE\s+)?(?:PubmedArticleSet|PubmedBookArticleSet)\b")
_MEDLINE_TAG = re.compile(r"^PMID- ?\d", re.MULTILINE)
_PAGE_MARKERS = (
    re.compile(r"^\s*Abstract\s*$", re.MULTILINE),
    re.compile(r"\.\s*\d{4}(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?;\s*\d+"),
    re.compile(r"\bdoi:\s*10\.\d{4,}/"),
    re.compile(r"\bPMID:\s*\d+"),
    re.compile(r"\bPubMed\b"),
)


def open_input(path: str | Path) -> BinaryIO:
    """Open a file, or stdin for "-", as bytes, decompressing gzip whatever the name says."""
    if str(path) == "-":
        return ungzip(sys.stdin.buffer)
    stream = open(path, "rb")  # the caller owns and closes what this returns
    if stream.peek(2)[:2] == _GZIP_MAGIC:
        stream.close()
        return open_gzip(str(path))  # type: ignore[return-value]
    return stream


@contextmanager
def opened_source(source: str | Path | BinaryIO, name: str | None = None) -> Iterator[tuple[BinaryIO, str]]:
    """A source's bytes (gzip undone) and the label errors and provenance use; closes only what it opened itself.

    ``source`` is a path, "-" for stdin, or a binary stream the caller owns (and may keep using afterwards).
    """
    if isinstance(source, str | Path) and str(source) != "-":
        with open_input(source) as stream:
            yield stream, name or str(source)
    elif isinstance(source, str | Path):
        yield ungzip(sys.stdin.buffer), name or "<stdin>"
    else:
        yield ungzip(source), name or str(getattr(source, "name", "<stream>"))


def ungzip(stream: BinaryIO) -> BinaryIO:
    """The stream itself, or a decompressing view of it when it starts with the gzip magic bytes.

    Peeks without consuming, so it also works on stdin, which cannot seek.
    """
    peek = getattr(stream, "peek", None)
    if peek is not None:
        head = peek(2)[:2]
    elif stream.seekable():
        head = stream.read(2)
        stream.seek(-len(head), io.SEEK_CUR)
    else:
        buffered = io.BufferedReader(stream)  # type: ignore[type-var]
        head, stream = buffered.peek(2)[:2], buffered
    if head == _GZIP_MAGIC:
        return gzip_reader(stream)
    return stream


def detect_format(path_or_bytes_head: str | Path | bytes) -> str:
    """"pubmed-xml", "medline" or "pubmed-page" for a file (or the first bytes of one), judged by content.

    "-" peeks at stdin without consuming it, so the same stream can then be parsed. Falls back to the extension
    when the content is inconclusive; raises UnsupportedFormat naming the file when neither helps.
    """
    if isinstance(path_or_bytes_head, bytes):
        name, head = None, _decompressed_head(path_or_bytes_head)
    elif str(path_or_bytes_head) == "-":
        stdin: io.BufferedReader = sys.stdin.buffer  # type: ignore[assignment]
        name, head = "<stdin>", _decompressed_head(stdin.peek(HEAD_BYTES)[:HEAD_BYTES])
    else:
        name = str(path_or_bytes_head)
        with open_input(path_or_bytes_head) as stream:
            head = stream.read(HEAD_BYTES)
    found = format_of_text(head.decode("utf-8", errors="replace").lstrip("\ufeff"))
    if found:
        return found
    if name:
        by_extension = _format_of_extension(name)
        if by_extension:
            return by_extension
    where = name or "input"
    raise UnsupportedFormat(
        f"{where}: not PubMed XML (no PubmedArticleSet root), MEDLINE (no 'PMID- ' line) or a PubMed page "
        "(no abstract, citation or PMID markers), and its extension does not say"
    )


def format_of_text(text: str) -> str | None:
    """The format a document's beginning shows, or None; exposed so a caller holding text need not re-read."""
    stripped = text.lstrip()
    if _XML_ROOT.search(stripped[:4096]):
        return PUBMED_XML
    if _MEDLINE_TAG.search(text):
        return MEDLINE
    if sum(1 for marker in _PAGE_MARKERS if marker.search(text)) >= 2:
        return PUBMED_PAGE
    return None


def _decompressed_head(head: bytes) -> bytes:
    """The start of a gzip member's content; a truncated head yields as much as it holds."""
    if not head.startswith(_GZIP_MAGIC):
        return head
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return decompressor.decompress(head, HEAD_BYTES)
    except zlib.error:
        return b""


def _format_of_extension(name: str) -> str | None:
    """The format an extension implies; ".gz" is looked through, ".txt" is ambiguous and implies nothing."""
    suffixes = [s.lower() for s in Path(name).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return _EXTENSIONS.get(suffixes[-1]) if suffixes else None
