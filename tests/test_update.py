"""Update semantics: a baseline then an update file give the same dataset as the final records built at once.

The update file here is hand-made from real records (tests/data/xml/dreamytang_pubmed_result.xml): it carries a
revised version of one record (new title) and a DeleteCitation for another, as PubMed's daily update files do.
"""

from __future__ import annotations

import copy
import gzip
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from rdfgen.cli import main

from .conftest import DATA

SOURCE = DATA / "xml" / "dreamytang_pubmed_result.xml"


def _articles() -> list[etree._Element]:
    root = etree.parse(str(SOURCE), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)).getroot()
    return list(root.iterfind("PubmedArticle"))


def _pmid(article: etree._Element) -> str:
    return article.findtext("MedlineCitation/PMID") or ""


def _write(path: Path, articles: list[etree._Element], deleted: list[str] = ()) -> Path:  # type: ignore[assignment]
    root = etree.Element("PubmedArticleSet")
    for a in articles:
        root.append(copy.deepcopy(a))
    if deleted:
        delete = etree.SubElement(root, "DeleteCitation")
        for pmid in deleted:
            etree.SubElement(delete, "PMID", Version="1").text = pmid
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    return path


def _revised(article: etree._Element) -> etree._Element:
    new = copy.deepcopy(article)
    title = new.find("MedlineCitation/Article/ArticleTitle")
    assert title is not None
    for child in list(title):
        title.remove(child)
    title.text = "A revised title."
    return new


def _scenario(tmp_path: Path) -> tuple[list[etree._Element], Path, Path, Path]:
    """A baseline of every record; an update revising the third and deleting the second; the final state."""
    articles = _articles()
    gone, changed = articles[1], articles[2]
    baseline = _write(tmp_path / "baseline.xml", articles)
    update = _write(tmp_path / "update.xml", [_revised(changed)], deleted=[_pmid(gone)])
    final = _write(tmp_path / "final.xml", [a if a is not changed else _revised(changed)
                                           for a in articles if a is not gone])
    return articles, baseline, update, final


def _without_source_file(dump: bytes) -> list[str]:
    """Provenance names the input file, which differs by design (baseline.xml vs final.xml); all else must agree."""
    return [line for line in dump.decode().splitlines() if "vocab#sourceFile>" not in line]


def _build(out: Path, *files: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-q", "--out", str(out), *map(str, files)])
    assert result.exit_code == 0, result.output


def _quads(out: Path, name: str) -> set[str]:
    """The dump's distinct statements outside the MeSH graph (a shard carries the MeSH tree of what its records
    name, so after an update the tree may also hold descriptors only a superseded version named: a superset)."""
    lines = set(_without_source_file(gzip.decompress((out / name).read_bytes())))
    if name == "dataset.nt.gz":
        mesh = {q[:q.rindex(" <")] + " ." for q in _mesh(out)}
        return {line for line in lines if line not in mesh or not line.startswith("<http://id.nlm.nih.gov/mesh/")}
    return {q for q in lines if not q.endswith("mesh#graph> .")}


def _mesh(out: Path) -> set[str]:
    return {q for q in gzip.decompress((out / "dataset.nq.gz").read_bytes()).decode().splitlines()
            if q.endswith("mesh#graph> .")}


def _tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_baseline_then_update_equals_final_state(tmp_path: Path) -> None:
    """Updates applied one run at a time give the bytes of one run over the same files, and the statements of a
    build of the final records."""
    articles, baseline, update, final = _scenario(tmp_path)
    first, gone, changed = articles[0], articles[1], articles[2]

    _build(tmp_path / "incremental", baseline)
    _build(tmp_path / "incremental", update)
    _build(tmp_path / "fresh", baseline, update)
    _build(tmp_path / "direct", final)

    incremental, fresh = _tree(tmp_path / "incremental"), _tree(tmp_path / "fresh")
    assert incremental.keys() == fresh.keys()
    for name in incremental:
        assert incremental[name] == fresh[name], name
    for name in ("dataset.nq.gz", "dataset.nt.gz"):
        got, want = _quads(tmp_path / "incremental", name), _quads(tmp_path / "direct", name)
        assert len(got) > 500 and got == want, name
    assert _mesh(tmp_path / "incremental") >= _mesh(tmp_path / "direct")
    pubmed = tmp_path / "incremental" / "pubmed"
    assert not list(pubmed.glob(f"{_pmid(gone)}.*"))
    assert "A revised title." in (pubmed / f"{_pmid(changed)}.ttl").read_text(encoding="utf-8")
    assert (pubmed / f"{_pmid(first)}.html").exists()
    assert sorted(p.stem for p in pubmed.glob("*.ttl")) == sorted(p.stem for p in (tmp_path / "direct" / "pubmed")
                                                                   .glob("*.ttl"))


def test_later_version_in_one_run_wins(tmp_path: Path) -> None:
    articles = _articles()
    both = _write(tmp_path / "both.xml", [articles[0], _revised(articles[0])])
    result = CliRunner().invoke(main, ["build", "-q", "--out", str(tmp_path / "out"), str(both)])
    assert result.exit_code == 0, result.output
    quads = gzip.decompress((tmp_path / "out" / "dataset.nq.gz").read_bytes()).decode()
    assert "A revised title." in quads
    assert articles[0].findtext("MedlineCitation/Article/ArticleTitle") not in quads


def test_update_file_summary_counts_deletions(tmp_path: Path) -> None:
    update = DATA / "xml" / "pubmed21n1298_excerpt.xml"
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), str(update)])
    assert result.exit_code == 0, result.output
    # Built into an empty folder, the file's DeleteCitation finds nothing to delete, and says so.
    assert "records read: 14, published: 14, skipped: 0, deleted: 0 (20 PMID(s) of DeleteCitation not in the " \
        "dataset)" in result.output


def test_dumps_only_streams_the_final_state(tmp_path: Path) -> None:
    """The streaming mode (no per-record documents) drops superseded versions and deleted records too."""
    articles, baseline, update, final = _scenario(tmp_path)
    runner = CliRunner()
    streamed = runner.invoke(main, ["build", "-q", "--no-documents", "--out", str(tmp_path / "s"), str(baseline),
                                    str(update)])
    assert streamed.exit_code == 0, streamed.output
    assert f"records read: {len(articles) + 1}, published: {len(articles) + 1}, skipped: 0, deleted: 1" \
        in streamed.output
    _build(tmp_path / "d", final)
    for name in ("dataset.nq.gz", "dataset.nt.gz"):
        # The dumps may repeat a shared statement (journals, MeSH terms): as sets of quads they agree.
        assert _quads(tmp_path / "s", name) == _quads(tmp_path / "d", name), name
    assert not (tmp_path / "s" / "pubmed").exists()
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["dataset.nq.gz", "dataset.nt.gz", "manifest.json",
                                                                  "shards", "void.ttl"]


def test_build_store_follows_updates(tmp_path: Path) -> None:
    """`build --store`: after baseline + update, every record graph in the store is as if built from the final state.

    The shared graph (journals, MeSH terms, cited works) and the MeSH graph (the tree) may keep statements only a
    deleted or superseded record needed: they hold what the direct build's hold, and possibly more. Blank nodes
    (author-list cells) get new labels in every load, so quads with one are compared by count."""
    import pyoxigraph as ox

    articles, baseline, update, final = _scenario(tmp_path)
    gone = articles[1]
    runner = CliRunner()
    for files, name in (([baseline], "inc"), ([update], "inc"), ([final], "direct")):
        result = runner.invoke(main, ["build", "-q", "--out", str(tmp_path / f"out-{name}"), "--store",
                                      str(tmp_path / f"store-{name}"), *map(str, files)])
        assert result.exit_code == 0, result.output
        assert "loaded into the store" in result.output

    def quads(name: str) -> tuple[set[str], set[str], int]:
        store = ox.Store.read_only(str(tmp_path / f"store-{name}"))
        own, shared, blank = set(), set(), 0
        for q in store:
            if "vocab#sourceFile" in str(q.predicate):
                continue
            if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                blank += 1
            elif str(q.graph_name).endswith(("/shared#graph>", "/mesh#graph>")):
                shared.add(str(q))
            else:
                own.add(str(q))
        return own, shared, blank

    (inc_own, inc_shared, inc_blank), (own, shared, blank) = quads("inc"), quads("direct")
    assert inc_own == own and len(own) > 500 and inc_blank == blank
    assert shared <= inc_shared
    assert not any(_pmid(gone) + "#graph" in q for q in inc_own)


def test_truncated_gzip_is_reported_and_the_rest_published(tmp_path: Path) -> None:
    data = gzip.compress((DATA / "xml" / "pubmed21n1298_excerpt.xml").read_bytes())
    truncated = tmp_path / "update.xml.gz"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out"), str(truncated)])
    assert result.exit_code == 1
    assert "update.xml.gz" in result.output and "ended before the end-of-stream marker" in result.output
    published = int(result.output.split("published: ")[1].split(",")[0])
    assert 0 < published < 14 and "skipped: 1" in result.output
    assert len(list((tmp_path / "out" / "pubmed").glob("*.ttl"))) == published


def test_retracted_article_is_marked_on_its_page(tmp_path: Path) -> None:
    from rdfgen.publish.documents import publish
    from tests.sparql_fixtures import multi_records

    records = multi_records()
    retracted = next(r for r in records if r.is_retracted)
    publish(records, tmp_path, validate=False)
    page = (tmp_path / "pubmed" / f"{retracted.pmid}.html").read_text(encoding="utf-8")
    assert '<p class="retracted" role="alert"><strong>Retracted:</strong>' in page
    other = next(r for r in records if not r.is_retracted)
    assert 'class="retracted"' not in (tmp_path / "pubmed" / f"{other.pmid}.html").read_text(encoding="utf-8")


def test_dumps_only_is_an_alias_of_no_documents(tmp_path: Path) -> None:
    articles, baseline, _update, _final = _scenario(tmp_path)
    for flag in ("--dumps-only", "--no-documents"):
        result = CliRunner().invoke(main, ["build", "-q", flag, "--out", str(tmp_path / flag), str(baseline)])
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in (tmp_path / flag).iterdir()) == ["dataset.nq.gz", "dataset.nt.gz",
                                                                           "manifest.json", "shards", "void.ttl"]
    assert (tmp_path / "--dumps-only" / "dataset.nq.gz").read_bytes() == \
        (tmp_path / "--no-documents" / "dataset.nq.gz").read_bytes()
