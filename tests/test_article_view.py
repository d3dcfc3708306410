"""The server's article view reads N-Triples term strings: what a term says (IRI, lexical form) comes back exactly,
whatever the text, and the lookups keep the order and the once-only of an rdflib Graph."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rdfgen.mapping.terms import lang_literal, lit, typed, uri
from rdfgen.server.article_view import TermGraph, text

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@given(_TEXT)
def test_a_literal_says_its_text_whatever_it_holds(value: str) -> None:
    assert text(lit(value)) == value
    assert text(lang_literal(value, "EN")) == value
    assert text(typed(value, "<http://www.w3.org/2001/XMLSchema#token>")) == value


def test_iris_and_blank_nodes_say_what_rdflib_str_says() -> None:
    assert text(uri("https://example.org/a b")) == "https://example.org/a%20b"
    assert text("_:cell1") == "cell1"
    assert text(lit(5)) == "5" and text(lit(True)) == "true"


def test_lookups_keep_the_stated_order_and_each_statement_once() -> None:
    s, p = "<https://example.org/s>", "<https://example.org/p>"
    graph = TermGraph([(s, p, '"b"'), (s, p, '"a"'), (s, p, '"b"'), (s, "<https://example.org/q>", "<x:1>")])
    assert graph.objects(s, p) == ['"b"', '"a"']
    assert graph.value(s, p) == '"b"' and graph.value(s, "<https://example.org/none>") is None
    assert graph.text(s, "<https://example.org/q>") == "x:1" and graph.text("<x:absent>", p, "none") == "none"
    assert graph.label("<https://example.org/unlabelled>") == "https://example.org/unlabelled"
