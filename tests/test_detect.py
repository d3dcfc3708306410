"""Format detection by content, extension fallback, and transparent gzip / stdin input."""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import pytest

from rdfgen.errors import UnsupportedFormat
from rdfgen.sources.detect import detect_format, open_input, ungzip

DATA = Path(__file__).parent / "data"

PAGE_TEXT = b"""Gerontol Geriatr Med
. 2018 Jul 17;4:2333721418778199.
doi: 10.1177/2333721418778199. eCollection 2018 Jan-Dec.

Association Between Cancer and Utilization of Traditional Chinese Medicine in U.S. Chinese Women

XinQi Dong, Jialing Jiang
Affiliations expand
PMID: 30038950 PMCID: PMC6050798

Abstract

Objective: To examine U.S. Chinese older women and the association between their cancer screening behaviors.
"""


@pytest.mark.parametrize("path", sorted((DATA / "xml").glob("*.xml")), ids=lambda p: p.name)
def test_real_xml_files(path: Path) -> None:
    assert detect_format(path) == "pubmed-xml"


@pytest.mark.parametrize("path", sorted((DATA / "medline").glob("*.txt")), ids=lambda p: p.name)
def test_real_medline_files(path: Path) -> None:
    assert detect_format(path) == "medline"


def test_pubmed_page_text(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(PAGE_TEXT)
    assert detect_format(page) == "pubmed-page"
    assert detect_format(PAGE_TEXT) == "pubmed-page"


def test_gzip_is_looked_into(tmp_path: Path) -> None:
    packed = tmp_path / "export.gz"
    packed.write_bytes(gzip.compress((DATA / "medline" / "dreamytang_pubmed_result.txt").read_bytes()))
    assert detect_format(packed) == "medline"
    head = gzip.compress((DATA / "xml" / "pubmed21n1298_excerpt.xml").read_bytes())[:2000]
    assert detect_format(head) == "pubmed-xml"


def test_bytes_head_with_bom() -> None:
    assert detect_format(b"\xef\xbb\xbf\r\nPMID- 30038950\r\nOWN - NLM\r\n") == "medline"


def test_extension_is_only_a_fallback(tmp_path: Path) -> None:
    empty_nbib = tmp_path / "citations.nbib"
    empty_nbib.write_bytes(b"")
    assert detect_format(empty_nbib) == "medline"
    disguised = tmp_path / "records.nbib.gz"
    disguised.write_bytes(gzip.compress((DATA / "xml" / "metapub_38962805.xml").read_bytes()))
    assert detect_format(disguised) == "pubmed-xml"


def test_nothing_fits_names_the_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping list: milk, eggs.\n")
    with pytest.raises(UnsupportedFormat, match="notes.txt"):
        detect_format(notes)
    with pytest.raises(UnsupportedFormat, match="input"):
        detect_format(b"<html><body>hello</body></html>")


def test_open_input_gzip_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = (DATA / "medline" / "biopython_pubmed_result1.txt").read_bytes()
    packed = tmp_path / "one.txt.gz"
    packed.write_bytes(gzip.compress(content))
    with open_input(packed) as stream:
        assert stream.read() == content
    with open_input(DATA / "medline" / "biopython_pubmed_result1.txt") as stream:
        assert stream.read() == content

    class FakeStdin:
        buffer = io.BufferedReader(io.BytesIO(gzip.compress(content)))  # type: ignore[arg-type]

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    assert open_input("-").read() == content


def test_stdin_is_peeked_not_consumed(monkeypatch: pytest.MonkeyPatch) -> None:
    content = gzip.compress((DATA / "medline" / "biopython_pubmed_result1.txt").read_bytes())

    class FakeStdin:
        buffer = io.BufferedReader(io.BytesIO(content))  # type: ignore[arg-type]

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    assert detect_format("-") == "medline"
    assert FakeStdin.buffer.read() == content


class _Pipe(io.RawIOBase):
    """A stream that can neither seek nor peek, like a pipe handed over as a plain file object."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_ungzip_on_a_pipe() -> None:
    content = (DATA / "medline" / "biopython_pubmed_result1.txt").read_bytes()
    assert ungzip(_Pipe(gzip.compress(content))).read() == content  # type: ignore[arg-type]
    assert ungzip(_Pipe(content)).read() == content  # type: ignore[arg-type]
