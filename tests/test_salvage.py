"""One bad field does not refuse a record (issue 12, defect 8): it is left out, with a note and a warning."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from rdfgen.cli import main
from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.model import Record
from rdfgen.publish.salvage import salvage
from rdfgen.publish.shapes_check import compile_shapes
from rdfgen.publish.validate import validate_graph
from rdfgen.serialize.graph import to_graph

ARTICLE = f"<{Iris().article('33783695')}>"
DOI = "<http://purl.org/ontology/bibo/doi>"
NOTE = "<https://w3id.org/rdfgen/vocab#note>"
CONTENT = "<http://purl.org/spar/c4o/hasContent>"


def _triples(seed_record: Record) -> list[tuple[str, str, str]]:
    return [tuple(t) for t in record_triples(seed_record)]  # type: ignore[misc]


def test_a_bad_value_is_left_out_with_a_note(seed_record: Record) -> None:
    triples = [(s, p, '"10.1016/j.not a doi"') if p == DOI and s == ARTICLE else (s, p, o)
               for s, p, o in _triples(seed_record)]
    check = compile_shapes()
    refused = check.check(triples)
    assert not refused.conforms
    kept, warnings = salvage(triples, refused, ARTICLE, check) or ([], [])
    assert kept and not any(p == DOI and s == ARTICLE for s, p, _o in kept)
    assert any(p == NOTE and "bibo:doi" in o for s, p, o in kept if s == ARTICLE)
    assert len(warnings) == 1 and "bibo:doi" in warnings[0]
    assert check.check(kept).conforms and validate_graph(to_graph(kept)).conforms  # pySHACL agrees
    assert len(kept) == len(triples)  # the DOI statement out, the note in; nothing else touched


def test_a_node_that_cannot_be_mended_is_left_out_with_what_points_at_it(seed_record: Record) -> None:
    triples = _triples(seed_record)
    entry = next(s for s, p, _o in triples if p == CONTENT)
    broken = [t for t in triples if not (t[0] == entry and t[1] == CONTENT)]  # a reference entry without its text
    check = compile_shapes()
    kept, warnings = salvage(broken, check.check(broken), ARTICLE, check) or ([], [])
    assert kept and not any(entry in (s, o) for s, _p, o in kept)
    assert warnings and entry[1:-1] in warnings[0]
    assert validate_graph(to_graph(kept)).conforms


def test_what_makes_it_a_record_is_never_left_out(seed_record: Record) -> None:
    headline = "<https://schema.org/headline>"
    triples = [t for t in _triples(seed_record) if not (t[0] == ARTICLE and t[1] == headline)]
    check = compile_shapes()
    assert salvage(triples, check.check(triples), ARTICLE, check) is None


def test_the_build_publishes_it_and_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the build: the record is published, the report warns and names it, the exit code is 0."""
    from rdfgen.publish import shards

    original = shards.map_record

    def bad_doi(*args: object, **kwargs: object) -> tuple[Record, list[tuple[str, str, str]]]:
        record, triples = original(*args, **kwargs)  # type: ignore[arg-type]
        return record, [(s, p, '"10.1515/ a space"') if p == DOI else (s, p, o) for s, p, o in triples]

    monkeypatch.setattr(shards, "map_record", bad_doi)
    source = Path(__file__).parent / "data" / "xml" / "metapub_38534005.xml"
    result = CliRunner().invoke(main, ["build", "-q", "--jobs", "1", "--no-documents", "--out",
                                       str(tmp_path / "out"), str(source)])
    assert result.exit_code == 0, result.output
    assert "published: 1, skipped: 0" in result.output
    assert "warning: PMID 38534005: not published: bibo:doi" in result.output
    dump = gzip.decompress((tmp_path / "out" / "dataset.nt.gz").read_bytes()).decode()
    assert "a space" not in dump.split("vocab#note>")[0] and "vocab#note>" in dump
