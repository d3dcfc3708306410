"""Every input and every record accounted for (issue 12, defect 9): records read = published + skipped +
superseded in the same file, each skip named with file, PMID and reason; usage errors before any work."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from rdfgen.cli import main

DATA = Path(__file__).parent / "data"
EXCERPT = DATA / "xml" / "pubmed20n0014_excerpt.xml"
INTENDED_BROKEN = {"broken_records.xml", "broken_records.txt", "hostile_billion_laughs.xml"}


def _articles(n: int = 3) -> list[etree._Element]:
    return etree.parse(str(EXCERPT)).getroot().findall("PubmedArticle")[:n]


def _pmid(article: etree._Element) -> str:
    return article.findtext("MedlineCitation/PMID") or ""


def _file(path: Path, articles: list[etree._Element]) -> Path:
    root = etree.Element("PubmedArticleSet")
    for a in articles:
        root.append(a)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    return path


def _counts(output: str) -> tuple[int, int, int, int]:
    found = re.search(r"records read: (\d+), published: (\d+), skipped: (\d+), deleted: (\d+)", output)
    assert found, output
    superseded = re.search(r"superseded in the same file: (\d+)", output)
    read, published, skipped, _deleted = map(int, found.groups())
    return read, published, skipped, int(superseded.group(1)) if superseded else 0


def _build(out: Path, *inputs: Path, code: int | None = None) -> str:
    result = CliRunner().invoke(main, ["build", "-q", "--no-documents", "--out", str(out), *map(str, inputs)])
    if code is not None:
        assert result.exit_code == code, result.output
    return result.output


def test_a_small_truncated_gzip_is_named_and_the_batch_goes_on(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.xml.gz"
    truncated.write_bytes(gzip.compress(EXCERPT.read_bytes())[:2000])
    good = _file(tmp_path / "good.xml", _articles(2))
    output = _build(tmp_path / "out", truncated, good, code=1)
    assert "cut.xml.gz" in output and "unreadable input" in output and "Aborted" not in output
    assert _counts(output) == (3, 2, 1, 0)
    assert (tmp_path / "out" / "dataset.nq.gz").exists()


@pytest.mark.parametrize("damage", ["huge text node", "deep nesting"])
def test_a_record_the_parser_refuses_is_named_and_the_records_around_it_published(tmp_path: Path,
                                                                                   damage: str) -> None:
    """lxml stops a streaming parse at a text node over 10 MB or nesting over 256 levels; the records read ahead
    and those after are then parsed one by one, and the bad one is reported with its PMID."""
    articles = _articles(3)
    bad = _pmid(articles[1])
    title = articles[1].find("MedlineCitation/Article/ArticleTitle")
    if damage == "huge text node":
        title.text = "x" * (11 * 1024 * 1024)
    else:
        node = title
        for _ in range(300):
            node = etree.SubElement(node, "b")
    output = _build(tmp_path / "out", _file(tmp_path / "in.xml", articles), code=1)
    assert _counts(output) == (3, 2, 1, 0)
    assert f"PMID {bad}" in output and "in.xml" in output
    quads = gzip.decompress((tmp_path / "out" / "dataset.nq.gz").read_bytes()).decode()
    assert f"/pubmed/{_pmid(articles[0])}#graph" in quads and f"/pubmed/{_pmid(articles[2])}#graph" in quads
    assert f"/pubmed/{bad}#graph" not in quads


def test_a_pmid_twice_in_one_file_is_published_once_and_accounted_for(tmp_path: Path) -> None:
    articles = _articles(2)
    again = etree.fromstring(etree.tostring(articles[0]))
    again.find("MedlineCitation/Article/ArticleTitle").text = "The later copy."
    output = _build(tmp_path / "out", _file(tmp_path / "twice.xml", [*articles, again]), code=0)
    assert _counts(output) == (3, 2, 0, 1)
    assert f"PMID {_pmid(articles[0])} in twice" in output and "replaced by a later record" in output
    quads = gzip.decompress((tmp_path / "out" / "dataset.nq.gz").read_bytes()).decode()
    assert "The later copy." in quads and articles[0].findtext(".//ArticleTitle") not in quads


def test_a_missing_input_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    good = _file(tmp_path / "good.xml", _articles(1))
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out"), str(good),
                                       str(tmp_path / "nope.xml")])
    assert result.exit_code == 2 and "nope.xml" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_deletions_count_only_records_the_dataset_held(tmp_path: Path) -> None:
    update = DATA / "xml" / "pubmed21n1298_excerpt.xml"
    output = _build(tmp_path / "out", update, code=0)
    assert "deleted: 0" in output and "(20 PMID(s) of DeleteCitation not in the dataset)" in output


@pytest.mark.parametrize("path", sorted(p for p in (DATA / "xml").glob("*.xml")) +
                         sorted((DATA / "medline").glob("*.txt")), ids=lambda p: p.name)
def test_every_fixture_is_accounted_for_and_none_skipped_but_the_broken_ones(tmp_path: Path, path: Path) -> None:
    output = _build(tmp_path / "out", path)
    read, published, skipped, superseded = _counts(output)
    assert read == published + skipped + superseded
    if path.name not in INTENDED_BROKEN:
        assert skipped == 0, output
    else:
        assert skipped > 0 and output.count("PMID") >= 1
