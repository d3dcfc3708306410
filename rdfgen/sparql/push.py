"""``rdfgen push``: a build's shards, in manifest order, into a SPARQL 1.1 Graph Store HTTP Protocol endpoint.

The Graph Store protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) is the one write interface Oxigraph,
Fuseki, GraphDB (RDF4J) and Virtuoso all speak, and its verbs are exactly the update semantics of a build: a record
graph is *replaced* (``PUT ?graph=IRI``), a DeleteCitation *drops* one (``DELETE ?graph=IRI``; 404 means it was never
there, which is fine) and the shared and MeSH graphs only *grow* (``POST ?graph=IRI``; a store never clears them when
replacing records). Later manifest entries supersede earlier ones, so shards go in manifest order, each entry's
deletions after its records.

Every request here is idempotent (PUT and DELETE by definition, POST because adding a triple twice adds it once),
so connection errors and 5xx answers are retried with backoff, and an interrupted push is resumed per shard: the
shards fully pushed to an endpoint are remembered, by their SHA-256, in ``push-state.json`` inside the build folder.
Once one shard has to be sent, every later one is sent too, since it must win over the one just sent.

One keep-alive connection carries everything (http.client: no dependency, and a per-request connection would cost
more than a small record's PUT). ``batch`` trades the per-record atomicity of PUT for speed where the endpoint
accepts quads at the service URL itself (Oxigraph's /store, Fuseki's dataset URL): each record graph is DELETEd, then
many records' N-Quads go in one POST. docs/triplestores.md has the endpoints' URLs and measured rates.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlsplit, urlunsplit

from rdfgen.compression import open_gzip
from rdfgen.errors import RdfgenError
from rdfgen.iris import DEFAULT_BASE, Iris
from rdfgen.publish.files import MANIFEST_FORMAT, MANIFEST_NAME, file_sha256

STATE_NAME = "push-state.json"
STATE_FORMAT = "rdfgen-push-state/1"
NTRIPLES = "application/n-triples"
TURTLE = "text/turtle"
NQUADS = "application/n-quads"
DEFAULT_TIMEOUT = 120.0
DEFAULT_RETRIES = 5
BACKOFF = 0.5
"""Seconds before the first retry; doubled for each next one, at most :data:`MAX_BACKOFF`."""
MAX_BACKOFF = 30.0
CHUNK_BYTES = 8 << 20
"""Shared and MeSH statements are POSTed in bodies of about this size: few requests, bounded memory."""
BATCH_BYTES = 64 << 20
"""A ``batch`` body is sent early when it grows past this, however few records it holds."""
PROGRESS_SECONDS = 15.0

Log = Callable[[str], None]


class PushError(RdfgenError):
    """The endpoint refused a request (names method, URL, HTTP status and its message), could not be reached, or the
    build folder has no usable manifest or shard."""

    exit_code = 2


# The build: manifest and shards -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShardEntry:
    """One manifest entry: the shard of one input file and the PMIDs its DeleteCitation removes."""

    name: str
    path: Path
    sha256: str
    input: str = ""
    deleted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifest:
    base: str
    shards: tuple[ShardEntry, ...]


def read_manifest(out: Path) -> Manifest:
    """``out/manifest.json``; a build folder from before shards (one ``dataset.nq.gz``) is read as one shard with no
    deletions, so a push works on both layouts."""
    path = out / MANIFEST_NAME
    if not path.is_file():
        return _single_dump_manifest(out)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != MANIFEST_FORMAT:
            raise PushError(f"{path}: format {doc.get('format')!r}, expected {MANIFEST_FORMAT!r}")
        shards = tuple(_entry(out, e) for e in doc["inputs"])
        return Manifest(str(doc.get("base") or DEFAULT_BASE), shards)
    except (ValueError, KeyError, TypeError) as exc:
        raise PushError(f"{path}: not a readable rdfgen manifest: {exc!r}") from exc


def _entry(out: Path, doc: dict[str, object]) -> ShardEntry:
    name = str(doc["shard"])
    return ShardEntry(name, out / name, str(doc["shard_sha256"]), str(doc.get("input", "")),
                      tuple(str(p) for p in doc.get("deleted") or ()))  # type: ignore[attr-defined]


def _single_dump_manifest(out: Path) -> Manifest:
    dump = out / "dataset.nq.gz"
    if not dump.is_file():
        raise PushError(f"{out}: no {MANIFEST_NAME} and no dataset.nq.gz; run `rdfgen build` first")
    base = next((g[: g.index("pubmed/")] for g, _ in graph_blocks(dump) if _RECORD_GRAPH.search(g)), DEFAULT_BASE)
    return Manifest(base, (ShardEntry(dump.name, dump, file_sha256(dump)),))


_RECORD_GRAPH = re.compile(r"pubmed/\d+#graph$")


def graph_blocks(path: Path) -> Iterator[tuple[str, list[bytes]]]:
    """The shard's runs of consecutive N-Quads lines in one graph: (graph IRI, its lines as written). A record is a
    run in its own graph followed by a run in the shared graph. Bytes throughout: nothing is decoded but graph IRIs.
    """
    graph, suffix, run = "", b"\0", []
    try:
        with open_gzip(str(path)) as f:
            for number, line in enumerate(f, 1):
                if line.endswith(suffix):  # the common case: same graph as the line before, written the same way
                    run.append(line)
                    continue
                if not line.strip() or line.lstrip().startswith(b"#"):
                    continue
                term = _graph_term(line)
                if term is None:
                    raise PushError(f"{path}: line {number}: not an N-Quads statement in a named graph")
                line = line if line.endswith(b"\n") else line + b"\n"
                iri = term[1:-1].decode("utf-8")
                if iri != graph and run:
                    yield graph, run
                    run = []
                graph, suffix = iri, line[line.rindex(b"<"):]
                run.append(line)
    except (OSError, EOFError) as exc:
        raise PushError(f"{path}: cannot read the shard: {exc}") from exc
    if run:
        yield graph, run


def _graph_term(line: bytes) -> bytes | None:
    """``<g>`` of ``s p o <g> .``: IRIs hold no ``<``, so the last one starts the graph term."""
    body = line.rstrip()
    if not body.endswith(b"."):
        return None
    body = body[:-1].rstrip()
    start = body.rfind(b"<")
    return body[start:] if body.endswith(b">") and start > 0 else None


def as_triples(lines: list[bytes]) -> bytes:
    """N-Triples of quad lines: each line without its graph term (the request names the graph)."""
    return b"".join([line[: line.rindex(b"<")] + b".\n" for line in lines])


# HTTP ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str
    digest: bool = False
    """HTTP digest instead of basic (Virtuoso's /sparql-graph-crud-auth asks for digest)."""


_AUTH_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


class _Digest:
    """RFC 7616 digest answers to one challenge, the nonce reused with a growing count so that only the first request
    (and one after the server calls the nonce stale) pays a 401 round trip."""

    def __init__(self, credentials: Credentials, challenge: str) -> None:
        self.credentials = credentials
        self.params = {m[1].lower(): m[2] if m[2] is not None else m[3] for m in _AUTH_PARAM.finditer(challenge)}
        self.count = 0

    def authorization(self, method: str, uri: str) -> str:
        p, user, password = self.params, self.credentials.user, self.credentials.password
        algorithm = p.get("algorithm", "MD5")
        hash_name = "sha256" if algorithm.upper().startswith("SHA-256") else "md5"

        def h(text: str) -> str:
            return hashlib.new(hash_name, text.encode("utf-8")).hexdigest()

        self.count += 1
        nc, cnonce = f"{self.count:08x}", os.urandom(8).hex()
        ha1 = h(f"{user}:{p.get('realm', '')}:{password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{p.get('nonce', '')}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        fields = {"username": user, "realm": p.get("realm", ""), "nonce": p.get("nonce", ""), "uri": uri,
                  "algorithm": algorithm}
        if "auth" in [q.strip() for q in p.get("qop", "").split(",")]:
            fields["response"] = h(f"{ha1}:{p.get('nonce', '')}:{nc}:{cnonce}:auth:{ha2}")
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            fields["response"] = h(f"{ha1}:{p.get('nonce', '')}:{ha2}")
            extra = ""
        if "opaque" in p:
            fields["opaque"] = p["opaque"]
        quoted = ", ".join(f'{k}="{v}"' if k != "algorithm" else f"{k}={v}" for k, v in fields.items())
        return f"Digest {quoted}{extra}"


@dataclass
class _Answer:
    status: int
    reason: str
    body: bytes
    challenge: str


class GraphStoreClient:
    """One keep-alive connection to a Graph Store endpoint, with auth, bounded retries and readable errors."""

    def __init__(self, endpoint: str, credentials: Credentials | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES, log: Log | None = None) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PushError(f"{endpoint}: not an http(s) URL of a Graph Store endpoint "
                            "(e.g. http://localhost:7878/store)")
        if parts.username or parts.password:
            raise PushError(f"{endpoint}: give credentials with --user/--password, not in the URL")
        self.endpoint, self.parts = endpoint, parts
        self.credentials, self.timeout, self.retries = credentials, timeout, retries
        self.log = log or (lambda _m: None)
        self.triples_type = NTRIPLES
        self.requests = 0
        self._connection: http.client.HTTPConnection | None = None
        self._used = False
        self._digest: _Digest | None = None

    def __enter__(self) -> GraphStoreClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._used = None, False

    def put(self, graph: str, body: bytes) -> None:
        """Replace ``graph`` by the N-Triples ``body``."""
        self.request("PUT", graph, body, self.triples_type)

    def post(self, graph: str | None, body: bytes, content_type: str | None = None) -> None:
        """Add the N-Triples ``body`` to ``graph``; with no graph, add the N-Quads ``body`` to the dataset."""
        self.request("POST", graph, body, content_type or (self.triples_type if graph else NQUADS))

    def delete(self, graph: str) -> bool:
        """Drop ``graph``; False if the store never had it."""
        return self.request("DELETE", graph, missing_ok=True) != 404

    def target(self, graph: str | None) -> str:
        """Path and query of a request: the endpoint's own query (e.g. Oxigraph's ``no_transaction``) kept."""
        query = [q for q in (self.parts.query, f"graph={quote(graph, safe='')}" if graph else "") if q]
        return (self.parts.path or "/") + ("?" + "&".join(query) if query else "")

    def url(self, graph: str | None) -> str:
        return urlunsplit((self.parts.scheme, self.parts.netloc, *self.target(graph).partition("?")[::2], ""))

    def request(self, method: str, graph: str | None, body: bytes | None = None, content_type: str | None = None,
                *, missing_ok: bool = False) -> int:
        """Send one request until it succeeds, retrying what may pass (connection errors, 5xx, 429) with backoff."""
        target, attempt, challenged = self.target(graph), 0, False
        while True:
            headers = self._headers(method, target, body, content_type)
            reused = self._used
            try:
                answer = self._exchange(method, target, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                if reused:  # a keep-alive connection the server closed meanwhile: reconnect, no retry spent
                    continue
                attempt = self._wait(attempt, method, graph, f"cannot connect: {exc}")
                continue
            self.requests += 1
            status = answer.status
            if status == 401 and self._may_answer(answer, challenged):
                challenged = True
                continue
            if status == 415 and content_type == NTRIPLES:  # an older store: N-Triples is also Turtle
                content_type = self.triples_type = TURTLE
                continue
            if status == 429 or status >= 500:
                attempt = self._wait(attempt, method, graph, _describe(answer))
                continue
            if status == 404 and missing_ok:
                return status
            if status >= 400:
                raise self._refused(method, graph, answer)
            return status

    def _headers(self, method: str, target: str, body: bytes | None, content_type: str | None) -> dict[str, str]:
        headers = {"User-Agent": "rdfgen push"}
        if body is not None:
            headers["Content-Type"] = f"{content_type}; charset=utf-8" if content_type == TURTLE else str(content_type)
        c = self.credentials
        if c is not None and not c.digest:
            token = base64.b64encode(f"{c.user}:{c.password}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        elif self._digest is not None:
            headers["Authorization"] = self._digest.authorization(method, target)
        return headers

    def _exchange(self, method: str, target: str, body: bytes | None, headers: dict[str, str]) -> _Answer:
        if self._connection is None:
            cls = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
            self._connection = cls(self.parts.hostname or "", self.parts.port, timeout=self.timeout)
        self._connection.request(method, target, body=body, headers=headers)
        response = self._connection.getresponse()
        data = response.read()
        self._used = not response.will_close
        if response.will_close:
            self.close()
        return _Answer(response.status, response.reason, data, response.getheader("WWW-Authenticate") or "")

    def _may_answer(self, answer: _Answer, challenged: bool) -> bool:
        """Whether a 401 is a digest challenge to answer now: the first one, or a later one calling the nonce stale."""
        c = self.credentials
        if c is None or not c.digest or not answer.challenge.lower().startswith("digest"):
            return False
        stale = re.search(r'stale\s*=\s*"?true', answer.challenge, re.IGNORECASE) is not None
        if challenged and not stale:
            return False
        self._digest = _Digest(c, answer.challenge)
        return True

    def _wait(self, attempt: int, method: str, graph: str | None, why: str) -> int:
        if attempt >= self.retries:
            tries = f" (gave up after {attempt + 1} attempts)" if attempt else ""
            raise PushError(f"{method} {self.url(graph)}: {why}{tries}")
        delay = min(BACKOFF * 2**attempt, MAX_BACKOFF)
        self.log(f"{method} {self.url(graph)}: {why}; retrying in {delay:g} s")
        time.sleep(delay)
        return attempt + 1

    def _refused(self, method: str, graph: str | None, answer: _Answer) -> PushError:
        hint = ""
        if answer.status == 401:
            digest = answer.challenge.lower().startswith("digest")
            hint = ("; the endpoint asks for digest authentication: --digest --user U --password P" if digest
                    and not (self.credentials and self.credentials.digest) else "; check --user and --password")
        elif answer.status in (404, 405) and method != "DELETE":
            hint = "; is this the Graph Store endpoint (Oxigraph: http://HOST:7878/store)?"
        return PushError(f"{method} {self.url(graph)}: {_describe(answer)}{hint}")


def _describe(answer: _Answer) -> str:
    """``HTTP 400 Bad Request: <the server's first lines>``, tags of an HTML error page dropped."""
    text = re.sub(r"<[^>]+>", " ", answer.body[:4000].decode("utf-8", "replace"))
    lines = [" ".join(ln.split())[:200] for ln in text.splitlines() if ln.strip()][:3]
    return f"HTTP {answer.status} {answer.reason}" + (": " + " / ".join(lines) if lines else "")


# Resume state -------------------------------------------------------------------------------------------------------


def endpoint_key(endpoint: str) -> str:
    """What identifies a store in the state file: scheme, host, port and path, not options in the query."""
    p = urlsplit(endpoint)
    return urlunsplit((p.scheme.lower(), (p.hostname or "") + (f":{p.port}" if p.port else ""), p.path, "", ""))


class PushState:
    """``push-state.json``: per endpoint, the shards (by SHA-256) known to be fully pushed there."""

    def __init__(self, path: Path, doc: dict[str, dict[str, dict[str, dict[str, str]]]]) -> None:
        self.path, self.endpoints = path, doc

    @classmethod
    def load(cls, out: Path) -> PushState:
        path = out / STATE_NAME
        if not path.is_file():
            return cls(path, {})
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") != STATE_FORMAT:
                raise ValueError(f"format {doc.get('format')!r}")
            return cls(path, dict(doc["endpoints"]))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise PushError(f"{path}: unreadable push state ({exc}); delete it to push everything again") from exc

    def pushed(self, endpoint: str, sha256: str) -> bool:
        return sha256 in self.endpoints.get(endpoint, {}).get("shards", {})

    def mark(self, endpoint: str, shard: ShardEntry) -> None:
        """Remember ``shard`` as fully pushed and write the file at once, atomically."""
        shards = self.endpoints.setdefault(endpoint, {}).setdefault("shards", {})
        shards[shard.sha256] = {"shard": shard.name, "input": shard.input,
                                "pushed": datetime.now(UTC).isoformat(timespec="seconds")}
        self.save()

    def save(self) -> None:
        text = json.dumps({"format": STATE_FORMAT, "endpoints": self.endpoints}, indent=1, sort_keys=True)
        _write_atomic(self.path, text + "\n")


def _write_atomic(path: Path, text: str) -> None:
    """Beside the target, flushed to disk, then renamed over it: a crash leaves the old state or the new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Pushing ------------------------------------------------------------------------------------------------------------


@dataclass
class ShardReport:
    name: str
    records: int = 0
    deleted: int = 0
    statements: int = 0
    requests: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.records / self.seconds if self.seconds else 0.0
        return (f"{self.name}: {self.records} record(s) replaced, {self.deleted} deleted, {self.statements} "
                f"statements in {self.requests} request(s), {self.seconds:.1f} s ({rate:.0f} records/s)")


@dataclass
class PushReport:
    endpoint: str
    pushed: list[ShardReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)

    def summary(self) -> str:
        skipped = f"{len(self.skipped)} shard(s) skipped, pushed before (--force sends them again)"
        if self.marked:
            return f"{len(self.marked)} shard(s) marked as pushed to {self.endpoint}, nothing sent" + (
                f"; {skipped}" if self.skipped else "")
        if not self.pushed:
            return f"nothing to push to {self.endpoint}" + (f": {skipped}" if self.skipped else "")
        records = sum(s.records for s in self.pushed)
        seconds = sum(s.seconds for s in self.pushed)
        rate = f" ({records / seconds:.0f} records/s)" if seconds else ""
        text = (f"{len(self.pushed)} shard(s) pushed to {self.endpoint}: {records} record(s) replaced, "
                f"{sum(s.deleted for s in self.pushed)} deleted, {sum(s.statements for s in self.pushed)} "
                f"statements, {sum(s.requests for s in self.pushed)} requests in {seconds:.1f} s{rate}")
        return text + (f"; {skipped}" if self.skipped else "")


def push(out: Path | str, endpoint: str, *, credentials: Credentials | None = None,
         timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES, force: bool = False, batch: int = 0,
         mark_only: bool = False, log: Log | None = None) -> PushReport:
    """Push the build at ``out`` to the Graph Store ``endpoint`` (e.g. ``http://localhost:7878/store``).

    Shards recorded in ``out/push-state.json`` as pushed to this endpoint are skipped unless ``force``, up to the
    first one that is not: it and every later shard are sent, in manifest order. ``batch`` > 0 sends that many
    records a request (DELETE each record graph, then one N-Quads POST to the endpoint URL: not standard Graph Store
    protocol, and a reader may see a record missing meanwhile). ``mark_only`` records the shards as pushed without
    sending anything, after they were loaded some other way (a bulk loader).
    """
    out, say = Path(out), log or (lambda _m: None)
    client = GraphStoreClient(endpoint, credentials, timeout=timeout, retries=retries, log=say)
    manifest, state, key = read_manifest(out), PushState.load(out), endpoint_key(endpoint)
    report = PushReport(key)
    send_all = force
    with client:
        for shard in manifest.shards:
            if not send_all and state.pushed(key, shard.sha256):
                report.skipped.append(shard.name)
                continue
            send_all = True  # what comes after must win over what is sent now
            path = shard_file(out, shard)
            if mark_only:
                report.marked.append(shard.name)
            else:
                report.pushed.append(push_shard(client, replace(shard, path=path), manifest.base, batch=batch,
                                                log=say))
                say(report.pushed[-1].summary())
            state.mark(key, shard)
    return report


def shard_file(out: Path, shard: ShardEntry) -> Path:
    """The file holding the shard the manifest describes, checked by its SHA-256 before it replaces good records (a
    build writing it meanwhile or a bad copy is refused). A one-input build's dump is that input's shard, so
    ``dataset.nq.gz`` stands in for a shard file that is absent when their checksums agree."""
    candidates = [shard.path] if shard.path.is_file() else [p for p in (out / "dataset.nq.gz",) if p.is_file()]
    for path in candidates:
        if file_sha256(path) == shard.sha256:
            return path
    if shard.path.is_file():
        raise PushError(f"{shard.path}: SHA-256 differs from the manifest's shard_sha256; rebuild or fix the manifest")
    raise PushError(f"{shard.path}: shard named in the manifest is missing")


def push_shard(client: GraphStoreClient, shard: ShardEntry, base: str, *, batch: int = 0,
               log: Log | None = None) -> ShardReport:
    """One shard: its record graphs replaced, shared and MeSH statements added, then its deletions."""
    say = log or (lambda _m: None)
    report, started, requests = ShardReport(shard.name), time.monotonic(), client.requests
    sender: _Sender = _BatchSender(client, batch) if batch > 0 else _GraphSender(client)
    record_prefix, shown = f"{base}pubmed/", started
    for graph, lines in graph_blocks(shard.path):
        report.statements += len(lines)
        if graph.startswith(record_prefix) and _RECORD_GRAPH.search(graph):
            sender.record(graph, lines)
            report.records += 1
        else:
            sender.add(graph, lines)
        if time.monotonic() - shown > PROGRESS_SECONDS:
            shown = time.monotonic()
            say(f"{shard.name}: {report.records} records ({report.records / (shown - started):.0f}/s)")
    sender.finish()
    iris = Iris(base)
    for pmid in shard.deleted:
        report.deleted += client.delete(str(iris.graph(pmid)))
    report.requests, report.seconds = client.requests - requests, time.monotonic() - started
    return report


class _Sender(Protocol):
    """How a shard's runs reach the store: ``record`` replaces a record graph, ``add`` adds to a shared one,
    ``finish`` sends whatever is held back."""

    def record(self, graph: str, lines: list[bytes]) -> None: ...

    def add(self, graph: str, lines: list[bytes]) -> None: ...

    def finish(self) -> None: ...


class _GraphSender:
    """Standard Graph Store protocol: a PUT a record (atomic: readers see the old version or the new one); shared
    statements gathered per graph and POSTed in chunks of :data:`CHUNK_BYTES`."""

    def __init__(self, client: GraphStoreClient) -> None:
        self.client = client
        self.pending: dict[str, list[bytes]] = {}
        self.size = 0

    def record(self, graph: str, lines: list[bytes]) -> None:
        self.client.put(graph, as_triples(lines))

    def add(self, graph: str, lines: list[bytes]) -> None:
        triples = as_triples(lines)
        self.pending.setdefault(graph, []).append(triples)
        self.size += len(triples)
        if self.size >= CHUNK_BYTES:
            self.finish()

    def finish(self) -> None:
        for graph, bodies in self.pending.items():
            self.client.post(graph, b"".join(bodies))
        self.pending, self.size = {}, 0


class _BatchSender:
    """``batch`` records a request: their graphs DELETEd, then their quads (and the shared ones) in one N-Quads POST
    to the dataset. A PMID met twice in one batch sends the batch first, so the later version still wins."""

    def __init__(self, client: GraphStoreClient, batch: int) -> None:
        self.client, self.batch = client, batch
        self.graphs: dict[str, None] = {}
        self.lines: list[bytes] = []
        self.size = 0

    def record(self, graph: str, lines: list[bytes]) -> None:
        if graph in self.graphs:
            self.finish()
        self.graphs[graph] = None
        self.add(graph, lines)
        if len(self.graphs) >= self.batch:
            self.finish()

    def add(self, graph: str, lines: list[bytes]) -> None:
        self.lines.extend(lines)
        self.size += sum(map(len, lines))
        if self.size >= BATCH_BYTES:
            self.finish()

    def finish(self) -> None:
        for graph in self.graphs:
            self.client.delete(graph)
        if self.lines:
            self.client.post(None, b"".join(self.lines), NQUADS)
        self.graphs, self.lines, self.size = {}, [], 0
