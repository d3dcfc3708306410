"""NCBI E-utilities: PubMed records fetched by PMID or search, politely, resumably, into a cache of raw XML.

NCBI asks every client to name itself (``tool``, ``email``), to stay under 3 requests a second (10 with an API key)
and to use POST and the history server for long lists; a client that does not gets blocked. So every request here
goes through one :class:`RateLimiter` shared by all threads of a client, and through :meth:`EutilsClient._call`,
which retries what NCBI says is temporary (429, 5xx, a dropped connection, a timeout) with exponential backoff and
jitter, honouring ``Retry-After``, and gives up after ``tries`` with an error that names the batch.

Records land in a :class:`RecordCache`, one PubMed XML file per PMID, written whole or not at all, so a run that
stops keeps every batch it finished and a rerun asks only for what is missing (offline, if nothing is). Answers are
parsed with the same safe lxml options as PubMed XML files (no DTD, no entities, no network): a server answer can no
more read local files than an input file can.
"""

from __future__ import annotations

import email.utils
import http.client
import os
import random
import re
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from rdfgen.errors import RdfgenError
from rdfgen.sources.pubmed_xml import _SAFE_PARSER_OPTIONS

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
URL_ENV, KEY_ENV, EMAIL_ENV = "NCBI_EUTILS_URL", "NCBI_API_KEY", "NCBI_EMAIL"
BATCH_SIZE = 200
"""PMIDs per efetch request: NCBI's advice for efetch of XML records (larger answers time out more often)."""
POST_OVER = 1000
"""A query string longer than this goes as a POST body: NCBI asks for POST beyond a few hundred IDs, and some
proxies cut URLs at 2 KB."""
SEARCH_PAGE = 10_000
"""PMIDs per page of a search's history (retmax): NCBI's maximum for one esearch/efetch uilist page."""
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
CITED_IN = "pubmed_pubmed_citedin"
_PMID = re.compile(r"[1-9][0-9]{0,8}")
_XML_HEAD = b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n'
_XML_TAIL = b"\n</PubmedArticleSet>\n"


class EutilsError(RdfgenError):
    """A request to E-utilities failed; ``batch`` names the PMIDs (or the search) it was for."""

    exit_code = 2

    def __init__(self, message: str, *, batch: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.batch = tuple(batch)


class RetriesExhaustedError(EutilsError):
    """The server kept answering 429/5xx (or not at all) for ``tries`` attempts."""


class MalformedAnswerError(EutilsError):
    """The server answered 200 with XML that does not parse: nothing of the batch is kept."""

    exit_code = 1


class InvalidPmidError(EutilsError):
    """A PMID that is not a positive integer: refused before any request."""


def is_pmid(text: str) -> bool:
    return bool(_PMID.fullmatch(text))


def check_pmids(pmids: Iterable[str]) -> list[str]:
    """The PMIDs stripped and de-duplicated in order; a non-numeric one is refused here, before any request, because
    E-utilities would silently answer nothing for it."""
    seen: dict[str, None] = {}
    bad = []
    for raw in pmids:
        pmid = str(raw).strip()
        if _PMID.fullmatch(pmid):
            seen.setdefault(pmid, None)
        else:
            bad.append(repr(str(raw)))
    if bad:
        raise InvalidPmidError(f"not a PMID (a positive integer): {', '.join(bad)}")
    return list(seen)


def batch_label(pmids: Sequence[str]) -> str:
    """How an error names a batch: its size and first and last PMID, enough to find it in a list."""
    if len(pmids) == 1:
        return f"PMID {pmids[0]}"
    return f"batch of {len(pmids)} PMIDs {pmids[0]}..{pmids[-1]}"


@dataclass(frozen=True)
class EutilsConfig:
    """Where and how to ask. ``rate`` defaults to NCBI's limit: 3 requests a second, 10 with an API key."""

    base_url: str = DEFAULT_EUTILS_URL
    tool: str = "rdfgen"
    email: str | None = None
    api_key: str | None = None
    batch_size: int = BATCH_SIZE
    tries: int = 5
    timeout: float = 60.0
    backoff: float = 1.0
    max_backoff: float = 60.0
    rate: float | None = None
    search_page: int = SEARCH_PAGE

    @classmethod
    def from_env(cls, base_url: str | None = None, **overrides: object) -> EutilsConfig:
        """The configuration the environment gives (``NCBI_EUTILS_URL``, ``NCBI_API_KEY``, ``NCBI_EMAIL``), with
        explicit values taking precedence."""
        given = {k: v for k, v in overrides.items() if v is not None}
        url = base_url or os.environ.get(URL_ENV) or DEFAULT_EUTILS_URL
        given.setdefault("api_key", os.environ.get(KEY_ENV) or None)
        given.setdefault("email", os.environ.get(EMAIL_ENV) or None)
        return cls(base_url=url, **given)  # type: ignore[arg-type]

    def requests_per_second(self) -> float:
        return self.rate if self.rate is not None else (10.0 if self.api_key else 3.0)

    def endpoint(self, name: str) -> str:
        return self.base_url.rstrip("/") + f"/{name}.fcgi"

    def identity(self) -> dict[str, str]:
        """What NCBI asks every request to carry so it can contact the tool's author instead of blocking it."""
        params = {"tool": self.tool}
        if self.email:
            params["email"] = self.email
        if self.api_key:
            params["api_key"] = self.api_key
        return params


class RateLimiter:
    """At most ``rate`` request starts a second, across every thread that shares it: each caller reserves the next
    free slot under a lock and sleeps until it comes, so concurrent batches queue instead of bursting."""

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, not {rate}")
        self.interval = 1.0 / rate
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)

    def hold(self, seconds: float) -> None:
        """Push every later request back by ``seconds`` (a ``Retry-After`` applies to the client, not one thread)."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


@dataclass
class FetchedBatch:
    """One efetch answer split into records: ``found`` PMIDs now in the cache, ``missing`` ones PubMed has no
    record for (it answers those with nothing, not an error)."""

    pmids: tuple[str, ...]
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


class RecordCache:
    """Raw PubMed XML, one ``<PubmedArticleSet>`` file per PMID (``pubmed/{pmid}.xml``), plus what PubMed said it
    has not (``not-found.txt``) and whom it says cites a record (``cited-in/{pmid}.txt``), so a rerun needs no
    request for anything it already knows. Every file is written to a temporary name and renamed into place."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, pmid: str) -> Path:
        return self.root / "pubmed" / f"{pmid}.xml"

    def has(self, pmid: str) -> bool:
        return self.path(pmid).is_file()

    def put(self, pmid: str, record_xml: bytes) -> None:
        _write_atomic(self.path(pmid), _XML_HEAD + record_xml.strip() + _XML_TAIL)

    def record_bytes(self, pmid: str) -> bytes:
        """The record element alone (without the set around it), to concatenate records into one input file."""
        data = self.path(pmid).read_bytes()
        return data[len(_XML_HEAD):-len(_XML_TAIL)] if data.startswith(_XML_HEAD) else data

    def not_found(self) -> set[str]:
        path = self.root / "not-found.txt"
        return set(path.read_text(encoding="ascii").split()) if path.is_file() else set()

    def add_not_found(self, pmids: Iterable[str]) -> None:
        known = self.not_found() | set(pmids)
        _write_atomic(self.root / "not-found.txt", "".join(f"{p}\n" for p in sorted(known, key=int)).encode())

    def cited_in(self, pmid: str) -> list[str] | None:
        path = self.root / "cited-in" / f"{pmid}.txt"
        return path.read_text(encoding="ascii").split() if path.is_file() else None

    def put_cited_in(self, pmid: str, citing: Sequence[str]) -> None:
        _write_atomic(self.root / "cited-in" / f"{pmid}.txt", "".join(f"{p}\n" for p in citing).encode())


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]


class EutilsClient:
    """The E-utilities calls rdfgen needs (efetch, esearch with the history server, elink citedin), each through
    the shared rate limit and the retry policy. Thread-safe: batches may be fetched from several threads."""

    def __init__(self, config: EutilsConfig | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, rng: random.Random | None = None) -> None:
        self.config = config or EutilsConfig.from_env()
        self.limiter = RateLimiter(self.config.requests_per_second(), clock=clock, sleep=sleep)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._count = threading.Lock()
        self.requests = 0
        """Requests sent (retries included): what a run cost NCBI."""

    # -- the calls ----------------------------------------------------------------------------------------------

    def efetch(self, pmids: Sequence[str]) -> bytes:
        """One efetch answer (``<PubmedArticleSet>``) for up to ``batch_size`` PMIDs."""
        params = {"db": "pubmed", "retmode": "xml", "id": ",".join(pmids)}
        return self._call("efetch", params, batch_label(pmids), pmids)

    def fetch_into(self, pmids: Sequence[str], cache: RecordCache) -> FetchedBatch:
        """Fetch one batch and put each record in the cache; nothing is cached unless the whole answer parses."""
        body = self.efetch(pmids)
        records = split_records(body, pmids)
        batch = FetchedBatch(tuple(pmids))
        for pmid, element in records.items():
            cache.put(pmid, element)
        batch.found = [p for p in pmids if p in records]
        batch.missing = [p for p in pmids if p not in records]
        return batch

    def search(self, term: str, *, limit: int | None = None) -> list[str]:
        """The PMIDs a PubMed search finds, in PubMed's order: esearch with ``usehistory=y`` keeps the result on
        NCBI's history server, whose pages (retstart/retmax) are then read as UID lists, so a search of a million
        records is a few requests and one consistent result set."""
        first = self._call("esearch", {"db": "pubmed", "term": term, "usehistory": "y", "retmax": "0"},
                           f"search {term!r}", ())
        root = _parse(first, f"esearch answer for {term!r}", ())
        error = root.findtext("ERROR")
        if error:
            raise EutilsError(f"search {term!r}: PubMed says: {error}")
        count = int(root.findtext("Count") or 0)
        web_env, query_key = root.findtext("WebEnv"), root.findtext("QueryKey")
        if count and not (web_env and query_key):
            raise MalformedAnswerError(f"search {term!r}: esearch answer has no WebEnv/QueryKey")
        total = count if limit is None else min(count, limit)
        found: list[str] = []
        page_size = self.config.search_page
        for start in range(0, total, page_size):
            params = {"db": "pubmed", "WebEnv": web_env or "", "query_key": query_key or "", "rettype": "uilist",
                      "retmode": "text", "retstart": str(start), "retmax": str(min(page_size, total - start))}
            page = self._call("efetch", params, f"search {term!r}, results {start + 1}..", ())
            found += [line.strip() for line in page.decode("ascii", "replace").splitlines() if line.strip()]
        return check_pmids(found[:total])

    def cited_in(self, pmids: Sequence[str]) -> dict[str, list[str]]:
        """PMIDs of the records PubMed says cite each given one (elink ``pubmed_pubmed_citedin``). Each ``id`` is
        a separate parameter so the answer has one LinkSet per PMID and says which cites which."""
        params: list[tuple[str, str]] = [("dbfrom", "pubmed"), ("db", "pubmed"), ("linkname", CITED_IN)]
        params += [("id", p) for p in pmids]
        body = self._call("elink", params, "elink for " + batch_label(pmids), pmids)
        root = _parse(body, "elink answer for " + batch_label(pmids), pmids)
        links: dict[str, list[str]] = {p: [] for p in pmids}
        for link_set in root.iter("LinkSet"):
            source = (link_set.findtext("IdList/Id") or "").strip()
            citing = [(i.text or "").strip() for db in link_set.iter("LinkSetDb")
                      if (db.findtext("LinkName") or "") == CITED_IN for i in db.iter("Id")]
            if source in links:
                links[source] = [c for c in citing if _PMID.fullmatch(c)]
        return links

    # -- one request, politely ----------------------------------------------------------------------------------

    def _call(self, name: str, params: dict[str, str] | list[tuple[str, str]], what: str,
              batch: Sequence[str]) -> bytes:
        """GET (or POST when long) with identity, under the rate limit; 429/5xx/connection errors/timeouts are
        retried with backoff and jitter (``Retry-After`` first) up to ``tries`` attempts."""
        pairs = list(params.items()) if isinstance(params, dict) else list(params)
        query = urllib.parse.urlencode(pairs + list(self.config.identity().items()))
        url = self.config.endpoint(name)
        last = ""
        for attempt in range(1, self.config.tries + 1):
            self.limiter.wait()
            with self._count:
                self.requests += 1
            try:
                answer = self._send(url, query)
            except (OSError, http.client.HTTPException) as exc:  # URLError, timeouts, resets; a cut-off answer
                last = _reason(exc, self.config.timeout)
                delay = self._backoff(attempt, None)
            else:
                if answer.status == 200:
                    return answer.body
                if answer.status not in RETRY_STATUS:
                    raise EutilsError(f"{name} {what}: HTTP {answer.status}: {_snippet(answer.body)}", batch=batch)
                last = f"HTTP {answer.status}"
                retry_after = _retry_after(answer.headers.get("retry-after"))
                if retry_after is not None:
                    self.limiter.hold(retry_after)
                delay = self._backoff(attempt, retry_after)
            if attempt < self.config.tries:
                self._sleep(delay)
        raise RetriesExhaustedError(f"{name} {what}: gave up after {self.config.tries} tries ({last}); "
                               "records already fetched are kept in the cache, run again to resume", batch=batch)

    def _send(self, url: str, query: str) -> Answer:
        headers = {"User-Agent": f"{self.config.tool} (rdfgen; +https://www.ncbi.nlm.nih.gov/books/NBK25497/)"}
        if len(query) > POST_OVER:
            request = urllib.request.Request(url, data=query.encode("ascii"), method="POST",
                                             headers=headers | {"Content-Type": "application/x-www-form-urlencoded"})
        else:
            request = urllib.request.Request(f"{url}?{query}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:
                return Answer(response.status, response.read(), {k.lower(): v for k, v in response.headers.items()})
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, exc.read(), {k.lower(): v for k, v in exc.headers.items()})

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff (``backoff`` doubling up to ``max_backoff``) with jitter of +-50%, so clients that
        failed together do not retry together; a server's Retry-After is a floor."""
        step = min(self.config.max_backoff, self.config.backoff * 2 ** (attempt - 1))
        delay = step * (0.5 + self._rng.random())
        return max(delay, retry_after) if retry_after is not None else delay


def _reason(exc: BaseException, timeout: float) -> str:
    inner = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(inner, TimeoutError):
        return f"no answer within {timeout:g} s (timed out)"
    return f"connection error: {inner}"


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds, from either form HTTP allows (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _snippet(body: bytes) -> str:
    return " ".join(body[:200].decode("utf-8", "replace").split()) or "(empty answer)"


def _parse(body: bytes, what: str, batch: Sequence[str]) -> etree._Element:
    """An answer's root element, parsed with no DTD, no entity expansion and no network."""
    parser = etree.XMLParser(**_SAFE_PARSER_OPTIONS)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        pmids = f" (PMIDs {', '.join(batch)})" if batch else ""
        raise MalformedAnswerError(f"{what}: malformed XML from the server: {exc}{pmids}; nothing of it was kept",
                              batch=batch) from exc
    if root is None:
        raise MalformedAnswerError(f"{what}: empty answer from the server", batch=batch)
    return root


def split_records(body: bytes, pmids: Sequence[str]) -> dict[str, bytes]:
    """Each record of an efetch answer as its own bytes, keyed by PMID. The whole answer is parsed first, so a
    malformed answer raises :class:`MalformedAnswerError` before anything is kept."""
    root = _parse(body, "efetch answer for " + batch_label(pmids), pmids)
    if root.tag not in ("PubmedArticleSet", "PubmedBookArticleSet"):
        raise MalformedAnswerError(f"efetch answer for {batch_label(pmids)}: root element is <{root.tag}>, not "
                              f"<PubmedArticleSet> (PMIDs {', '.join(pmids)}); nothing of it was kept", batch=pmids)
    records: dict[str, bytes] = {}
    for element in root:
        if element.tag not in ("PubmedArticle", "PubmedBookArticle"):
            continue
        pmid = (element.findtext("MedlineCitation/PMID") or element.findtext("BookDocument/PMID") or "").strip()
        if _PMID.fullmatch(pmid):
            element.tail = None
            records[pmid] = etree.tostring(element, encoding="utf-8")
    return records


def batches(pmids: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(pmids), size):
        yield list(pmids[start:start + size])
