"""The keyword index's cache: a cached index decides exactly as a freshly built one, and a cache that is corrupt,
stale or unwritable only costs a rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rdfgen.mesh.matching import _build_index, _Matcher, keyword_index
from rdfgen.mesh.releases import Descriptor
from rdfgen.mesh.vocabulary import MeshVocabulary
from rdfgen.resources import CACHE_ENV

KEYWORDS = ["Computed tomography", "Ultrasound", "stress", "#ProstateCancer", "Selected rectal neoplasms",
            "insulin sensitivity", "Mpox", "Anaesthesia", "epilepsy and seizures", "CAR-T", "qwertyuiop"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _decisions(matcher: _Matcher) -> list[object]:
    return [matcher.choose(k, matcher.decide(k), ()) for k in KEYWORDS]


def test_cached_index_decides_as_a_built_one(cache: Path) -> None:
    vocab = MeshVocabulary.bundled()
    built = _Matcher(vocab, _build_index(vocab))
    first = keyword_index(vocab)  # builds and writes the cache
    files = list(cache.glob("keyword-index-*.marshal"))
    assert len(files) == 1
    second = keyword_index(vocab)  # reads it
    assert (second.labels, second.entries, second.normalised, second.by_head) == \
        (built.labels, built.entries, built.normalised, built.by_head)
    assert _decisions(first) == _decisions(second) == _decisions(built)
    assert any(d.match is not None for d in _decisions(second))


def test_another_vocabulary_has_its_own_index(cache: Path) -> None:
    small = MeshVocabulary([Descriptor("D000001", "Calcimycin", ("A-23187",), ("D03.633",))])
    other = MeshVocabulary([Descriptor("D000001", "Calcimycin", ("A23187",), ("D03.633",))])
    assert keyword_index(small).entries == {"a-23187": "D000001"}
    assert keyword_index(other).entries == {"a23187": "D000001"}
    assert len(list(cache.glob("keyword-index-*.marshal"))) == 2


def test_a_corrupt_cache_is_rebuilt(cache: Path) -> None:
    vocab = MeshVocabulary([Descriptor("D000002", "Temefos", ("Abate",), ("D02.705",))])
    keyword_index(vocab)
    (path,) = cache.glob("keyword-index-*.marshal")
    for junk in (b"", b"\x00garbage", path.read_bytes()[:100]):
        path.write_bytes(junk)
        assert keyword_index(vocab).labels == {"temefos": "D000002"}
    assert keyword_index(vocab).labels == {"temefos": "D000002"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a read-only folder")
def test_an_unwritable_cache_still_maps(cache: Path) -> None:
    cache.mkdir()
    cache.chmod(0o500)
    try:
        vocab = MeshVocabulary([Descriptor("D000003", "Abdomen", (), ("A01.923",))])
        assert keyword_index(vocab).labels == {"abdomen": "D000003"}
        assert not list(cache.iterdir())
    finally:
        cache.chmod(0o700)


def test_a_cache_folder_that_is_a_file_still_maps(cache: Path) -> None:
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("not a folder")
    vocab = MeshVocabulary([Descriptor("D000003", "Abdomen", (), ("A01.923",))])
    assert keyword_index(vocab).labels == {"abdomen": "D000003"}
