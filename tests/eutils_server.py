"""A stand-in for NCBI E-utilities on 127.0.0.1 that replays answers built from real efetch XML.

It holds real PubMed records (tests/data/xml and tests/data/eutils, each answered only for the PMID it is) and
answers as NCBI does: efetch concatenates the records it has for the requested IDs in a ``<PubmedArticleSet>`` with
NCBI's DOCTYPE line (an empty set for IDs it has none of, like the real answer metapub_37909814.xml); elink
``pubmed_pubmed_citedin`` lists the records whose ReferenceList cites each ID; esearch keeps a result in a
"history" and efetch ``rettype=uilist`` pages it. Every request is logged with its arrival time, method and
parameters, and a test can script answers ahead of the normal ones (429 with Retry-After, 500, a hang, bad XML).
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lxml import etree

DATA = Path(__file__).parent / "data"
DOCTYPE = (b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
           b'2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n')
REAL_FILES = sorted((DATA / "xml").glob("*.xml")) + sorted((DATA / "eutils").glob("*.xml"))
HAND_MADE = ("broken_records", "hostile_", "ref_", "erratum_without_pmid")


def real_records(files: Iterable[Path] = REAL_FILES) -> dict[str, bytes]:
    """Each real record of the fixtures as bytes, keyed by its own PMID (hand-made fixtures left out)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    records: dict[str, bytes] = {}
    for path in files:
        if any(mark in path.name for mark in HAND_MADE):
            continue
        root = etree.parse(str(path), parser).getroot()
        for element in root:
            if element.tag not in ("PubmedArticle", "PubmedBookArticle"):
                continue
            pmid = element.findtext("MedlineCitation/PMID") or element.findtext("BookDocument/PMID")
            element.tail = None
            records.setdefault(pmid.strip(), etree.tostring(element, encoding="utf-8"))
    return records


def cited_pmids(record: bytes) -> list[str]:
    root = etree.fromstring(record)
    return [i.text.strip() for i in root.iterfind(".//ReferenceList/Reference/ArticleIdList/ArticleId")
            if i.get("IdType") == "pubmed" and i.text and i.text.strip().isdigit()]


@dataclass
class Scripted:
    """An answer given instead of the normal one: ``status``, ``headers``, ``body``, after ``delay`` seconds."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    at: float
    method: str
    endpoint: str
    params: dict[str, list[str]]

    def ids(self) -> list[str]:
        return [i for value in self.params.get("id", []) for i in value.split(",") if i]


class Eutils:
    """The server's state: its records, searches, the request log and the scripted answers."""

    def __init__(self, records: dict[str, bytes] | None = None) -> None:
        self.records = real_records() if records is None else records
        self.searches: dict[str, list[str]] = {}
        self.log: list[Request] = []
        self.script: list[Scripted | None] = []  # None: the normal answer, in its turn
        self.url = ""
        self._lock = threading.Lock()
        self._history: dict[str, list[str]] = {}

    def requests(self, endpoint: str | None = None) -> list[Request]:
        return [r for r in self.log if endpoint is None or r.endpoint == endpoint]

    def answer(self, method: str, path: str, params: dict[str, list[str]]) -> Scripted:
        endpoint = path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".fcgi")
        with self._lock:
            self.log.append(Request(time.monotonic(), method, endpoint, params))
            scripted = self.script.pop(0) if self.script else None
        if scripted is not None:
            return scripted
        one = {k: v[-1] for k, v in params.items()}
        if endpoint == "efetch" and one.get("rettype") == "uilist":
            return self._uilist(one)
        if endpoint == "efetch":
            ids = [i for value in params.get("id", []) for i in value.split(",") if i]
            body = b"".join(self.records[i] + b"\n" for i in ids if i in self.records)
            return Scripted(body=DOCTYPE + b"<PubmedArticleSet>\n" + body + b"</PubmedArticleSet>")
        if endpoint == "elink":
            return Scripted(body=self._elink(params.get("id", [])))
        if endpoint == "esearch":
            return Scripted(body=self._esearch(one))
        return Scripted(status=400, body=b"<eError>unknown endpoint</eError>")

    def _esearch(self, params: dict[str, str]) -> bytes:
        found = self.searches.get(params.get("term", ""), [])
        key = f"MCID_{len(self._history) + 1}"
        self._history[key] = found
        return (f'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch '
                f'20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n<eSearchResult>'
                f"<Count>{len(found)}</Count><RetMax>0</RetMax><RetStart>0</RetStart><QueryKey>1</QueryKey>"
                f"<WebEnv>{key}</WebEnv><IdList></IdList></eSearchResult>\n").encode()

    def _uilist(self, params: dict[str, str]) -> Scripted:
        found = self._history.get(params.get("WebEnv", ""))
        if found is None or params.get("query_key") != "1":
            return Scripted(status=400, body=b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR>")
        start, count = int(params.get("retstart", 0)), int(params.get("retmax", 20))
        return Scripted(body="".join(f"{p}\n" for p in found[start:start + count]).encode())

    def _elink(self, ids: list[str]) -> bytes:
        sets = []
        for pmid in ids:
            citing = sorted((p for p, r in self.records.items() if pmid in cited_pmids(r)), key=int, reverse=True)
            links = "".join(f"<Link><Id>{p}</Id></Link>" for p in citing)
            db = (f"<LinkSetDb><DbTo>pubmed</DbTo><LinkName>pubmed_pubmed_citedin</LinkName>{links}</LinkSetDb>"
                  if citing else "")
            sets.append(f"<LinkSet><DbFrom>pubmed</DbFrom><IdList><Id>{pmid}</Id></IdList>{db}</LinkSet>")
        return ('<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eLinkResult PUBLIC "-//NLM//DTD elink '
                '20101123//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd">\n<eLinkResult>'
                + "".join(sets) + "</eLinkResult>\n").encode()


def _handler(state: Eutils) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            parsed = urllib.parse.urlsplit(self.path)
            self._reply(state.answer("GET", parsed.path, urllib.parse.parse_qs(parsed.query)))

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("ascii")
            self._reply(state.answer("POST", urllib.parse.urlsplit(self.path).path, urllib.parse.parse_qs(body)))

        def _reply(self, answer: Scripted) -> None:
            if answer.delay:
                time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/xml; charset=UTF-8")
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting: what a hang is for
                pass

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
            pass

    return Handler


@contextmanager
def serving(state: Eutils | None = None) -> Iterator[Eutils]:
    """The server on a free port of 127.0.0.1 in a thread; ``state.url`` is its E-utilities base URL."""
    state = state or Eutils()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/entrez/eutils/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
