"""Citation formats (rdfgen.serialize.citation) for every fixture record, read back by the libraries people use:
the official CSL-JSON schema (jsonschema), bibtexparser, rispy and citeproc-py. Expected values come from the Record
model, never from rdfgen's own output; the formats are built from the published triples."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text

import rdfgen
from rdfgen.cli import main
from rdfgen.errors import UnsupportedFormat
from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.model import Author, Record
from rdfgen.publish.records import BuildReport
from rdfgen.resources import seed_path
from rdfgen.serialize import citation
from rdfgen.serialize.citation import Name, Work

from .conftest import DATA, SEED_PMID

SCHEMA = json.loads((DATA / "csl-schema" / "csl-data.json").read_text(encoding="utf-8"))
SOURCES = [seed_path(), *sorted((DATA / "xml").glob("*.xml")), *sorted((DATA / "medline").glob("*.txt"))]


@cache
def records(path: Path) -> tuple[tuple[Record, Work], ...]:
    """Each record of a fixture file with its Work, built from its published triples."""
    options = {"format": "pubmed-page", "pmid": SEED_PMID} if path == seed_path() else {}
    found = [r for r in rdfgen.read(path, errors="skip", **options) if isinstance(r, Record)]
    return tuple((r, citation.work(record_triples(r, Iris()), Iris().article_iri(r.pmid))) for r in found)


def all_records() -> Iterator[tuple[Record, Work]]:
    for path in SOURCES:
        yield from records(path)


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def expected_names(authors: tuple[Author, ...], bibtex: bool = False) -> list[str]:
    """"Family, Given, Suffix" per author as the model has them (initials when there is no given name; BibTeX's
    order is "Family, Suffix, Given"), collective and family-less names whole."""
    names = []
    for a in authors:
        given_name = a.given_name or a.initials
        parts = (a.family_name, a.suffix, given_name) if bibtex else (a.family_name, given_name, a.suffix)
        names.append(a.collective_name or a.display_name if a.collective_name or not a.family_name
                     else ", ".join(p for p in parts if p))
    return names


def expected(r: Record) -> dict[str, str | None]:
    """What every format must carry, read off the Record."""
    date = r.pub_date or r.electronic_date or (r.book.date if r.book else None)
    doi = r.doi or next((i.value for i in r.article_ids if i.scheme.lower() == "doi"), None)
    container = r.book.title if r.kind == "chapter" and r.book else r.journal.display_name if r.journal else None
    return {"title": _one_line(r.title), "container": _one_line(container), "year": str(date.year) if date else None,
            "volume": r.volume or None, "issue": r.issue or None, "start": r.pages.start if r.pages else None,
            "end": r.pages.end if r.pages else None, "doi": doi}


def test_fixtures_cover_the_hard_cases() -> None:
    works = [w for _, w in all_records()]
    assert len(works) > 50
    assert {"article", "chapter"} <= {w.kind for w in works}
    assert any(n.literal for w in works for n in w.authors), "a collective author"
    assert any(not w.authors for w in works), "a record without authors"
    assert any(not w.page for w in works), "a record without pages"
    assert any(not (n.family or "").isascii() for w in works for n in w.authors), "a non-ASCII name"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_csl_json_validates_and_carries_the_record(path: Path) -> None:
    for r, w in records(path):
        items = json.loads(citation.csl_json([w]))
        jsonschema.validate(items, SCHEMA, cls=jsonschema.Draft7Validator)
        item, want = items[0], expected(r)
        assert item["type"] == {"article": "article-journal", "chapter": "chapter", "book": "book"}[r.kind]
        assert item.get("title") == (r.title or None)
        assert [", ".join(filter(None, (n.get("family"), n.get("given"), n.get("suffix")))) or n["literal"]
                for n in item.get("author", [])] == expected_names(r.authors)
        assert _one_line(item.get("container-title")) == want["container"]
        assert item.get("volume") == want["volume"] and item.get("issue") == want["issue"]
        assert (str(item["issued"]["date-parts"][0][0]) if "issued" in item else None) == want["year"]
        if want["start"] and want["end"] and want["start"] != want["end"]:
            assert item["page"] == f"{want['start']}-{want['end']}"
        assert item.get("DOI") == want["doi"] and item["PMID"] == r.pmid


def _bibtex_fields(text: str, decode: bool) -> dict[str, str]:
    lib = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()] if decode else [])
    assert not lib.failed_blocks and len(lib.entries) == 1, text
    return {f.key: _caret(f.value) if decode else f.value for f in lib.entries[0].fields}


def _caret(decoded: str) -> str:
    """pylatexenc decodes \\textasciicircum (LaTeX's text-mode "^") to U+02C6, the modifier letter circumflex."""
    return decoded.replace("\u02c6", "^")


def _bibtex_authors(text: str) -> list[str]:
    """The author list as bibtexparser splits it (braces respected), each name decoded as its middleware decodes."""
    lib = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    names = next((f.value for f in lib.entries[0].fields if f.key == "author"), [])
    return [_caret(LatexNodes2Text().latex_to_text(n)) for n in names]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_bibtex_parses_and_carries_the_record(path: Path) -> None:
    for r, w in records(path):
        text = citation.bibtex([w])
        fields, raw = _bibtex_fields(text, decode=True), _bibtex_fields(text, decode=False)
        want = expected(r)
        assert fields.get("title") == want["title"]
        others = [] if r.authors_complete or not r.authors else ["others"]
        assert _bibtex_authors(text) == expected_names(r.authors, bibtex=True) + others
        assert fields.get("booktitle" if r.kind == "chapter" else "journal") == want["container"]
        assert fields.get("year") == want["year"]
        assert fields.get("volume") == want["volume"] and fields.get("number") == want["issue"]
        if want["start"] and want["end"] and want["start"] != want["end"]:
            assert raw["pages"] == f"{want['start']}--{want['end']}"
        assert fields.get("doi") == want["doi"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_ris_parses_and_carries_the_record(path: Path) -> None:
    for r, w in records(path):
        (entry,) = rispy.loads(citation.ris([w]))
        want = expected(r)
        assert entry["type_of_reference"] == {"article": "JOUR", "chapter": "CHAP", "book": "BOOK"}[r.kind]
        assert entry.get("title") == want["title"]
        assert entry.get("authors", []) == [_one_line(n) for n in expected_names(r.authors)]
        assert entry.get("secondary_title") == want["container"]
        assert entry.get("year") == want["year"]
        assert entry.get("volume") == want["volume"] and entry.get("number") == want["issue"]
        assert entry.get("start_page") == (want["start"] or (r.pages.raw if r.pages else None))
        assert entry.get("end_page") == want["end"]
        assert entry.get("doi") == want["doi"] and entry["accession_number"] == r.pmid


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_record_renders_in_apa(path: Path) -> None:
    for r, w in records(path):
        (text,) = citation.bibliography([w], "apa")
        if r.title.strip():
            assert r.title.split()[0].rstrip(".:") in text
        if w.issued:
            assert f"({w.issued[0]}" in text


def seed_work() -> Work:
    return records(seed_path())[0][1]


def test_seed_in_apa_and_vancouver() -> None:
    (apa,) = citation.bibliography([seed_work()], "apa")
    assert apa.startswith("Pirasteh, A. (2021). Imaging of neuroendocrine tumors: A pictorial review of the clinical "
                          "value of different imaging modalities. Rev Endocr Metab Disord, 22(3), 539–552. ")
    assert apa.endswith("https://doi.org/10.1007/s11154-021-09631-7")
    (html,) = citation.bibliography([seed_work()], "apa", html=True)
    assert "<i>Rev Endocr Metab Disord</i>, <i>22</i>(3), 539–552" in html
    (vancouver,) = citation.bibliography([seed_work()], "vancouver")
    assert "Pirasteh A. Imaging of neuroendocrine tumors: A pictorial review" in vancouver
    assert "Rev Endocr Metab Disord." in vancouver and ";22(3):539–52." in vancouver
    assert "doi:10.1007/s11154-021-09631-7" in vancouver


def test_seed_in_other_styles_and_locales() -> None:
    (german,) = citation.bibliography([seed_work()], "chicago-author-date", "de-DE")
    assert "„Imaging of Neuroendocrine Tumors" in german
    (french,) = citation.bibliography([seed_work()], "ieee", "fr_FR")
    assert "sept. 2021" in french


def test_unknown_style_and_locale_are_named() -> None:
    with pytest.raises(UnsupportedFormat, match="'no-such-style'"):
        citation.bibliography([seed_work()], "no-such-style")
    with pytest.raises(UnsupportedFormat, match="'../apa'"):
        citation.bibliography([seed_work()], "../apa")
    with pytest.raises(UnsupportedFormat, match="'xx-YY'"):
        citation.bibliography([seed_work()], "apa", "xx-YY")


def test_formats_resolve_by_name_and_media_type() -> None:
    assert citation.citation_format_for("application/x-bibtex; charset=utf-8").name == "bibtex"
    assert citation.citation_format_for("text/x-bibliography; style=apa").name == "text"
    assert citation.citation_format("csl-json").media_type == "application/vnd.citationstyles.csl+json"
    with pytest.raises(UnsupportedFormat):
        citation.citation_format_for("text/html")


def test_a_field_the_data_lacks_is_left_out() -> None:
    bare = Work(id="1", kind="article", title="T", pmid="1")
    assert citation.csl_item(bare) == {"id": "1", "type": "article-journal", "title": "T", "PMID": "1"}
    assert "year" not in citation.bibtex([bare]) and "PY  -" not in citation.ris([bare])


# Titles and names with LaTeX's special characters, ligature pairs, non-ASCII letters and runs of spaces. Excluded:
# U+02C6, which pylatexenc (bibtexparser's decoder) gives for \textasciicircum, and control characters, which no
# PubMed title holds.
TEXT = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters="\u02c6",
                             include_characters="{}%&$#_~^\\-`' "), min_size=1, max_size=60).filter(
    lambda t: t.strip() != "")


@settings(max_examples=200, deadline=None)
@given(title=TEXT, family=TEXT, given_name=TEXT)
def test_special_characters_survive_bibtex(title: str, family: str, given_name: str) -> None:
    w = Work(id="1", kind="article", title=title, pmid="1", authors=(Name(family=family, given=given_name),
                                                                     Name(literal=family)))
    text = citation.bibtex([w])
    assert _bibtex_fields(text, decode=True)["title"] == _one_line(title)
    assert _bibtex_authors(text)[1] == _one_line(family)


@settings(max_examples=200, deadline=None)
@given(title=TEXT, family=TEXT)
def test_special_characters_survive_ris(title: str, family: str) -> None:
    w = Work(id="1", kind="article", title=title, pmid="1", authors=(Name(family=family, given="A"),))
    (entry,) = rispy.loads(citation.ris([w]))
    assert entry["title"] == _one_line(title)
    assert entry["authors"] == [f"{_one_line(family)}, A"]


def test_cli_cites_the_seed_build(seed_build: tuple[Path, BuildReport]) -> None:
    out, _ = seed_build
    runner = CliRunner()
    result = runner.invoke(main, ["cite", SEED_PMID, "--data", str(out), "--format", "bibtex"])
    assert result.exit_code == 0, result.output
    assert "@article{pmid33783695," in result.output and "pages = {539--552}" in result.output
    result = runner.invoke(main, ["cite", SEED_PMID, "--data", str(out)])
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.output)
    jsonschema.validate([item], SCHEMA, cls=jsonschema.Draft7Validator)
    assert item["container-title"] == "Rev Endocr Metab Disord", "the journal chain comes from the shared graph"
    assert item["issued"] == {"date-parts": [[2021, 9]]}
    result = runner.invoke(main, ["cite", SEED_PMID, "--data", str(out), "-f", "text", "--style", "vancouver"])
    assert result.exit_code == 0, result.output
    assert "Rev Endocr Metab Disord. 2021" in result.output


def test_cli_names_an_unknown_pmid_and_prints_the_others(seed_build: tuple[Path, BuildReport]) -> None:
    out, _ = seed_build
    result = CliRunner().invoke(main, ["cite", "99999999", SEED_PMID, "--data", str(out), "-f", "ris"])
    assert result.exit_code == 1
    assert "PMID 99999999" in result.stderr
    assert rispy.loads(result.stdout)[0]["accession_number"] == SEED_PMID


def test_cli_names_an_unknown_style(seed_build: tuple[Path, BuildReport]) -> None:
    out, _ = seed_build
    result = CliRunner().invoke(main, ["cite", SEED_PMID, "--data", str(out), "-f", "text", "--style", "nope"])
    assert result.exit_code == 2 and "'nope'" in result.stderr
