"""SPARQL: the query library (queries/*.rq) with typed parameters, results in every SPARQL results format, the
embedded pyoxigraph store (a named graph per record), and the client for remote SPARQL 1.1 endpoints.
"""

from __future__ import annotations

from rdfgen.sparql.library import (
    EndpointError,
    Param,
    ParameterError,
    QueryError,
    QueryInfo,
    QuerySyntaxError,
    bind,
    list_queries,
    load_query,
    parse_query,
)
from rdfgen.sparql.results import Result
from rdfgen.sparql.run import check_syntax, open_data, run
from rdfgen.sparql.store import StoreError, delete_record, load, open_store, record_graph, replace_record

__all__ = [
    "EndpointError", "Param", "ParameterError", "QueryError", "QueryInfo", "QuerySyntaxError", "Result", "StoreError",
    "bind", "check_syntax", "delete_record", "list_queries", "load", "load_query", "open_data", "open_store",
    "parse_query", "record_graph", "replace_record", "run",
]
