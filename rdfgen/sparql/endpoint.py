"""The client for remote SPARQL 1.1 protocol endpoints (SPARQLWrapper), with timeouts, auth and readable errors.
"""

from __future__ import annotations

import ast
import json
import urllib.error

from rdflib import Graph

from rdfgen.sparql.library import _FORM, EndpointError, _mask
from rdfgen.sparql.results import Result, _from_json, _plain


def _http_error(endpoint: str, status: int | str, body: bytes | str | None) -> EndpointError:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    lines = [ln for ln in text.strip().splitlines() if ln.strip()][:5]
    detail = ("\n  " + "\n  ".join(lines)) if lines else ""
    return EndpointError(f"{endpoint}: HTTP {status}{detail}")


def _run_endpoint(endpoint: str, text: str, form: str, timeout: float | None,
                  auth: tuple[str, str] | None) -> Result:
    import socket

    from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint, agent="rdfgen (https://w3id.org/rdfgen)")
    client.setQuery(text)
    keyword = _FORM.search(_mask(text))
    # SPARQLWrapper guesses the query type by regex and takes a commented header for an update; we know better.
    client.queryType = keyword.group(1).upper() if keyword else "SELECT"
    client.setMethod(POST)
    # The query form-encoded (the protocol's "query via URL-encoded POST"), which every endpoint answers: Virtuoso
    # 7.2 never answers one POSTed as application/sparql-query (openlink/virtuoso-opensource#842).
    client.setRequestMethod(URLENCODED)
    client.setReturnFormat(TURTLE if form == "graph" else JSON)
    if timeout:
        client.setTimeout(int(max(1, round(timeout))))
    if auth is not None:
        client.setCredentials(*auth)
    try:
        response = client.query()
        body = response.response.read()
    except SPARQLWrapperException as exc:
        cause = exc.__context__
        status = cause.code if isinstance(cause, urllib.error.HTTPError) else type(exc).__name__
        message = str(exc).split("\n\nResponse:\n", 1)
        raw = ast.literal_eval(message[1]) if len(message) == 2 else None
        raise _http_error(endpoint, status, raw) from exc
    except urllib.error.HTTPError as exc:
        raise _http_error(endpoint, exc.code, exc.read()) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise EndpointError(f"{endpoint}: no answer within {timeout:g} s (--timeout)") from exc
        raise EndpointError(f"{endpoint}: cannot connect: {exc.reason}") from exc
    except TimeoutError as exc:
        raise EndpointError(f"{endpoint}: no answer within {timeout:g} s (--timeout)") from exc
    if form == "graph":
        g = Graph().parse(data=body, format="turtle")
        return Result("graph", triples=[tuple(_plain(t) for t in tr) for tr in g])  # type: ignore[misc]
    doc = json.loads(body)
    if "boolean" in doc:
        return Result("boolean", boolean=bool(doc["boolean"]))
    columns = list(doc["head"]["vars"])
    rows = [tuple(_from_json(b[c]) if c in b else None for c in columns) for b in doc["results"]["bindings"]]
    return Result("rows", columns, rows)

