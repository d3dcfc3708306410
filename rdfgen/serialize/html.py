"""Every HTML page of rdfgen comes from one set of Jinja2 templates (``rdfgen/templates/``, autoescaped), through
the one :func:`environment` here: the static build's article page, and all the server's pages (rdfgen.server), which
extend the same layout (head, navigation, styles, footer). The article page is one template, ``article.html``,
filled from an :class:`ArticleView`: the build makes one from the Record (:func:`record_view`), the server from the
record's graph (rdfgen.server.pages), so the two pages cannot drift apart in what they show.

A page carries the embeddable JSON-LD in ``<script type="application/ld+json">``, made safe inside ``<script>``
(no ``</script>`` or ``<!--`` can close it early, :func:`script_json`). Text with markup (a title's or abstract's
HTML form) goes through :func:`safe_html`, which lets only the inline elements through; these two are the trusted
fragments the templates take as ``Markup``. Characters a page must not carry (C0 and C1 controls but tab, newline
and carriage return, lone surrogates, noncharacters: parse errors in HTML, and most of them illegal in XML) are
dropped from text (the environment's ``finalize``, and :func:`escape`) and escaped in the JSON:
a record read from a saved web page or built through the Python API can hold them (the MEDLINE reader drops the
XML-illegal ones itself; DEL and C1 controls are legal XML and stay in the data).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from markupsafe import escape as markup_escape

from rdfgen import iris as iri
from rdfgen.iris import Iris
from rdfgen.model import Record
from rdfgen.serialize.citation import CITATION_FORMATS, Work
from rdfgen.serialize.embedding import embed_text
from rdfgen.serialize.formats import from_name
from rdfgen.serialize.harvest import DC_ELEMENTS, Signpost, citation_meta, signposts
from rdfgen.sources.markup import INLINE_TAGS

_NONCHARACTERS = "".join(f"\\U{plane + 0xFFFE:08x}\\U{plane + 0xFFFF:08x}" for plane in range(0, 0x110000, 0x10000))
_NOT_IN_HTML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]")
_SUSPECT_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe-\U0010ffff"
"""A superset of _NOT_IN_HTML, searched first: every character beyond the BMP instead of the 32 noncharacters there.
One range is one test a character, where the exact class tests the noncharacters one by one (10 times slower on the
kilobytes of a page's text, which hardly ever hold one)."""
_SUSPECT = re.compile(f"[{_SUSPECT_CHARS}]")
_INLINE_TAG = re.compile(f"<(/?)({'|'.join(sorted(INLINE_TAGS))})>", re.IGNORECASE)
_RELATION_WORDS = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "ErratumIn" -> "Erratum In"

def escape(text: str, quote: bool = True) -> str:
    """``html.escape`` of the text without the characters a page must not carry (see the module's docstring). Most
    texts of a page (names, citations, IRIs) need neither, and are returned as they are."""
    if text.isprintable() and not ("&" in text or "<" in text or ">" in text or '"' in text or "'" in text):
        return text  # printable text has none of the characters a page must not carry; quicker to tell than search
    if _SUSPECT.search(text):
        text = _NOT_IN_HTML.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;") if quote else text


def safe_html(fragment: str) -> str:
    """A title's or abstract's HTML form made safe to show whoever built it: the inline elements (i, b, u, sup, sub)
    as bare tags, closed in order (an end tag closes what was opened after it; a stray one is dropped; what is open
    at the end is closed), and every other character text, escaped, so ``<a href=...>`` shows as written."""
    out: list[str] = []
    opened: list[str] = []
    position = 0
    for tag in _INLINE_TAG.finditer(fragment):
        out.append(escape(html.unescape(fragment[position:tag.start()]), quote=False))
        position = tag.end()
        name = tag.group(2).lower()
        if not tag.group(1):
            opened.append(name)
            out.append(f"<{name}>")
        elif name in opened:
            while (last := opened.pop()) != name:
                out.append(f"</{last}>")
            out.append(f"</{name}>")
    out.append(escape(html.unescape(fragment[position:]), quote=False))
    out.extend(f"</{name}>" for name in reversed(opened))
    return "".join(out)


def script_json(obj: dict[str, Any], text: str | None = None) -> str:
    """JSON for an inline script: ``<``, ``>`` and ``&`` as \\u escapes so nothing in a title can end the script,
    and the characters a page must not carry as \\u escapes too (JSON escapes C0 controls itself).

    ``text`` is the object as :func:`embed_text` wrote it, when the caller has it already (the build writes it as
    ``.embed.jsonld`` too): the JSON is laid out once a record, not twice. It is ``json.dumps(obj, indent=2,
    ensure_ascii=False)`` plus a newline, at a fraction of json's cost (its indenting encoder is pure Python)."""
    if text is None:
        text = embed_text(obj)
    text = text[:-1].replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # printable: quicker to tell than search; a newline replaced by a space (as printable) costs a third of dropping it
    if text.replace("\n", " ").isprintable() or not _SUSPECT.search(text):
        return text
    return _NOT_IN_HTML.sub(_json_escape, text)


def _json_escape(found: re.Match[str]) -> str:
    code = ord(found.group(0))
    if code > 0xFFFF:  # a noncharacter beyond the BMP: JSON writes it as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


LICENSE = "https://www.nlm.nih.gov/databases/download/terms_and_conditions.html"
"""The license a record's page links to: NLM's terms for PubMed data (the dataset's dcterms:license, serialize.void)."""
STATIC_DESCRIBED_BY = ("ttl", "nt", "jsonld")
"""The RDF documents a build writes per record, which its page links as ``describedby``."""
STATIC_CITATIONS = ("csl", "bibtex", "ris")
"""The citation files a build writes per record (rdfgen.publish.documents), which its page links for download."""
CITATION_LABELS = {"csl": "CSL-JSON", "bibtex": "BibTeX", "ris": "RIS", "text": "APA"}
"""How a page names each citation document in its "Cite" line (``text`` is the formatted reference, APA style)."""
STATIC_CITATION_FILES = tuple((f.extension, CITATION_LABELS[f.name]) for f in CITATION_FORMATS
                              if f.name in STATIC_CITATIONS)
FORMAT_LABELS = {"turtle": "Turtle", "ntriples": "N-Triples", "nquads": "N-Quads", "jsonld": "JSON-LD",
                 "rdfxml": "RDF/XML", "trig": "TriG"}
"""How a page names each RDF format of the registry in its "Linked data" line."""
NAV = (("", "Records"), ("sparql", "SPARQL"), ("download/", "Downloads"))
"""The site's navigation, paths under the site's home: ``/`` on the server, the base IRI on a build's pages (which
the server serves under the same paths)."""

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""The templates, package data of ``rdfgen`` (pyproject's package-data), so an installed rdfgen finds them."""


def _finalize(value: object) -> object:
    """What a template prints, before autoescaping: text without the characters a page must not carry (a record
    read from a saved page can hold them). Printable text, nearly all of it, is told quickly and passed on."""
    if type(value) is str and not value.isprintable() and _SUSPECT.search(value):
        return _NOT_IN_HTML.sub("", value)
    return value


@cache
def environment() -> jinja2.Environment:
    """The one template environment, made once a process: autoescaped, strict about undefined names (a typo is an
    error, not a blank), compiled templates kept in memory."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(("html", "xml", "svg")),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=_finalize,
        auto_reload=False)
    env.globals.update(NAV=NAV, DC_ELEMENTS=DC_ELEMENTS,
                       STYLE=Markup((TEMPLATES / "style.css").read_text(encoding="utf-8").strip()))
    env.filters["thousands"] = "{:,}".format
    return env


@cache
def template(name: str) -> jinja2.Template:
    """A compiled template, looked up once (the environment's own lookup checks its loader on every call)."""
    return environment().get_template(name)


def render(name: str, /, **context: Any) -> str:
    """A page from its template; ``home`` (the site's root, for the navigation) defaults to the server's ``/``."""
    context.setdefault("home", "/")
    return template(name).render(context)


# --- what an article page shows ------------------------------------------------------------------------------------
# Named tuples, not frozen dataclasses: as immutable, and an article page makes hundreds of them (a frozen
# dataclass sets each field through object.__setattr__, twice the cost).

class Link(NamedTuple):
    """A link as a page shows it; an empty ``href`` is plain text."""

    href: str
    text: str


class AuthorView(NamedTuple):
    """An author: name (linked to the person's page when there is one), ORCID links, affiliations."""

    name: str
    href: str
    orcids: tuple[Link, ...]
    affiliations: tuple[str, ...]


class HeadingView(NamedTuple):
    """A MeSH heading: the descriptor (starred when a major topic) and its qualifiers (starred likewise)."""

    name: Link
    qualifiers: tuple[str, ...]


class ItemView(NamedTuple):
    """A numbered reference, or a comment/correction (``label``: "Erratum in"), with the links that open it."""

    label: str
    text: str
    links: tuple[Link, ...]


class Section(NamedTuple):
    """A paragraph of the abstract: its label ("METHODS") and its text as safe HTML."""

    label: str
    html: Markup


@dataclass(frozen=True)
class ArticleView:
    """What the article page's body (``article.html``) shows, as plain strings, made from a Record
    (:func:`record_view`) or from the record's graph (rdfgen.server.pages.graph_view)."""

    title: str
    title_html: Markup | None
    types: tuple[str, ...]
    retracted: bool
    authors: tuple[AuthorView, ...]
    complete: bool
    journal: tuple[Link, ...]
    ids: tuple[Link, ...]
    citations: tuple[Link, ...]
    formats: tuple[Link, ...]
    abstract: tuple[Section, ...]
    related: tuple[ItemView, ...]
    keywords: tuple[Link, ...]
    mesh: tuple[HeadingView, ...]
    references: tuple[ItemView, ...]
    chart: Markup = Markup("")


@dataclass(frozen=True)
class HeadView:
    """What an article page's head carries for machines: canonical IRI, alternate documents (media type, href),
    Signposting links, Highwire and Dublin Core meta tags (name, content), and the JSON-LD already made safe."""

    canonical: str
    alternates: tuple[tuple[str, str], ...]
    signposts: tuple[Signpost, ...]
    meta: tuple[tuple[str, str], ...]
    json_ld: Markup


def render_article(view: ArticleView, head: HeadView, home: str = "/") -> str:
    """The article page, the build's and the server's: one template, with its longest lists (the head's meta tags,
    the authors, the MeSH headings, the references) written here (see below)."""
    return render("article.html", title=view.title, a=view, head=head, home=home, meta_tags=meta_tags(head.meta),
                  author_items=author_items(view.authors), mesh_items=mesh_items(view.mesh),
                  reference_items=reference_items(view.references))


# --- the hot lists of an article page, written in Python --------------------------------------------------------
# An article page has some 95 meta tags, 6 authors, 10 MeSH headings and 30 references, each of several values: 480
# of the 540 values its template wrote. Jinja writes each value as escape(finalize(value)), two calls and a Markup
# made a value, and its loops add a frame and a loop context a list: these lists were most of the page's cost.
# Here they are written with f-strings, each value through :func:`written` (or :func:`written_all`), which passes
# text that needs no escaping as it is. The markup is the template's, item for item: tests/test_article_lists.py
# renders article.html with these lists put back as the template's loops, and holds the two pages to the same bytes.

def written(value: object) -> str:
    """``{{ value }}`` as the page's template writes it, markupsafe's escape of the environment's finalize, for less:
    text is passed as it is when printable without ``&<>"'`` (nearly all), and otherwise has what finalize drops
    dropped and what escape replaces replaced as escape does (tests/test_article_lists.py holds the two equal).
    Anything but text goes through the very functions Jinja's autoescape calls."""
    if type(value) is not str:
        return str(markup_escape(_finalize(value)))
    if not value.isprintable():
        value = _finalize(value)
    if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
        return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
                .replace('"', "&#34;"))
    return value  # type: ignore[return-value]


def written_all(values: Sequence[object]) -> Sequence[object]:
    """:func:`written` of each value, or the values themselves when one test of them joined tells that they are all
    printable text without ``&<>"'`` (a quarter of the cost of a test each): the lists where that is the rule, as
    the names of the meta tags and the references' links, which an escaped quote in one citation's text (common)
    would not spoil."""
    if set(map(type, values)) == {str}:
        joined = "".join(values)  # type: ignore[arg-type]
        if joined.isprintable() and not ("&" in joined or "<" in joined or ">" in joined or '"' in joined
                                         or "'" in joined):
            return values
    return [written(value) for value in values]


def meta_tags(meta: Sequence[tuple[str, str]]) -> Markup:
    """The head's Highwire and Dublin Core meta tags, one a line, as the template wrote them:
    ``<meta name="{{ name }}" content="{{ value }}">``."""
    names = written_all([name for name, _ in meta])
    return Markup("".join([f'<meta name="{name}" content="{written(value)}">\n'
                           for name, (_, value) in zip(names, meta, strict=True)]))


def author_items(authors: Sequence[AuthorView]) -> Markup:
    """The authors, one ``<li>`` a line, as the template wrote them: the name (linked when the author has a page),
    the ORCID links, the affiliations in parentheses (text, which Jinja's ``join`` joins and then escapes whole)."""
    items = []
    for number, (name, href, orcids, affiliations) in enumerate(authors, 1):
        name = written(name)
        item = f'<li id="author-{number}">' + (f'<a href="{written(href)}">{name}</a>' if href else name)
        for orcid, text in orcids:
            item += f' <a class="orcid" href="{written(orcid)}">{written(text)}</a>'
        if affiliations:
            item += f' <span class="meta">({written("; ".join(affiliations))})</span>'
        items.append(item + "</li>\n")
    return Markup("".join(items))


def mesh_items(mesh: Sequence[HeadingView]) -> Markup:
    """The MeSH headings, each an ``<li>`` (all on one line), as the template wrote them: the descriptor (linked when
    it has an IRI) and its qualifiers, each after " / "."""
    items = []
    for (href, text), qualifiers in mesh:
        name = f'<a href="{written(href)}">{written(text)}</a>' if href else written(text)
        items.append(f'<li>{name}{"".join([f" / {written(q)}" for q in qualifiers])}</li>')
    return Markup("".join(items))


def reference_items(references: Sequence[ItemView]) -> Markup:
    """The numbered references, one ``<li>`` a line, as the template wrote them: the reference's text, then its
    links (the first, to the reference's own IRI, always there) separated by spaces."""
    if not references:
        return Markup("")
    numbers, texts, links = zip(*references, strict=True)
    values = iter(written_all(list(chain.from_iterable(chain.from_iterable(links)))))
    anchors = [f'<a href="{href}">{label}</a>' for href, label in zip(values, values, strict=True)]
    items = []
    at = 0
    for number, text, item_links in zip(map(written, numbers), map(written, texts), links, strict=True):
        end = at + len(item_links)
        items.append(f'<li id="ref-{number}">{text} <span class="meta">{" ".join(anchors[at:end])}</span></li>\n')
        at = end
    return Markup("".join(items))


def article_head(cite: Work, canonical: str, page: str, alternates: Sequence[tuple[str, str]],
                 posts: Iterable[Signpost], json_ld: str) -> HeadView:
    """The head of an article page (``page``: its own URL, for citation_abstract_html_url); ``json_ld`` is the
    embedding as :func:`script_json` made it safe for a script element."""
    return HeadView(canonical, tuple(alternates), tuple(posts), tuple(citation_meta(cite, page)), Markup(json_ld))


def marked_up(html_form: str | None, text: str) -> Markup:
    """A text's HTML form made safe (:func:`safe_html`), else the plain text escaped."""
    return Markup(safe_html(html_form) if html_form else escape(text, quote=False))


def outside(url: str) -> str:
    """What a link to another site opens, said in its text: "DOI 10.1000/x at doi.org", "PubMed 123"."""
    if url.startswith("https://doi.org/"):
        return f"DOI {url[len('https://doi.org/'):]} at doi.org"
    if url.startswith("https://pubmed.ncbi.nlm.nih.gov/"):
        return f"PubMed {url.rstrip('/').rsplit('/', 1)[-1]}"
    if "/pmc/articles/" in url:
        return f"PubMed Central {url.rstrip('/').rsplit('/', 1)[-1]}"
    return url


def orcid_link(url: str) -> Link:
    """An ORCID iD's link, saying which iD it is."""
    return Link(url, f"ORCID {url.rsplit('/', 1)[-1]}")


def relation_label(name: str) -> str:
    """A CommentsCorrections type as PubMed lists it: "ErratumIn" -> "Erratum in"."""
    return _RELATION_WORDS.sub(" ", name).capitalize()


def keyword_path(keyword: str) -> str:
    """A keyword's page under the site's home (the server's ``/keyword/...``)."""
    return "keyword/" + quote(keyword, safe="")


def mesh_order(name: str) -> str:
    """The order MeSH terms are listed in, on every article page: by name, case aside."""
    return name.casefold()


# --- the build's page, from the Record -----------------------------------------------------------------------------

def _record_authors(record: Record) -> tuple[AuthorView, ...]:
    """The authors (editors are not), as the graph's authorships list them. "et al." is no author: the view says
    whether the list is complete, and the page says "et al." outside the numbered list."""
    return tuple(AuthorView(a.display_name, "", (orcid_link(iri.orcid_url_iri(a.orcid)),) if a.orcid else (),
                            tuple(x.name for x in a.affiliations))
                 for a in record.authors if a.role == "author")


def _record_journal(record: Record) -> tuple[Link, ...]:
    j = record.journal.display_name if record.journal else None
    parts = [Link("", j)] if j else []
    if record.pub_date:
        parts.append(Link("", record.pub_date.raw or record.pub_date.iso()))
    where = (record.volume or "") + (f"({record.issue})" if record.issue else "")
    if record.pages:
        where += f":{record.pages.raw}"
    return (*parts, Link("", where)) if where else tuple(parts)


def _record_abstract(record: Record) -> tuple[Section, ...]:
    if record.abstract is None:
        return ()
    return tuple(Section(s.label or "", marked_up(s.html, s.text)) for s in record.abstract.sections)


def _record_related(record: Record, iris: Iris) -> tuple[ItemView, ...]:
    """CommentsCorrections as PubMed lists them ("Erratum in: ..."): a reader must see an erratum or a retraction
    even when PubMed has no record of it, so the citation text is shown with its DOI and PubMed links."""
    items = []
    for c in record.comments_corrections:
        links = [Link(iri.doi_url_iri(c.doi), "DOI")] if c.doi else []
        if c.pmid and c.pmid.isdigit():
            links.append(Link(iris.article_iri(c.pmid), f"PubMed {c.pmid}"))
        items.append(ItemView(relation_label(c.ref_type), c.ref_source or "", tuple(links)))
    return tuple(items)


def _record_mesh(record: Record) -> tuple[HeadingView, ...]:
    """The headings and their qualifiers, by name (the graph keeps no order of them, and the server's page must
    list them as this one does); a starred term is a major topic."""
    headings = [HeadingView(Link(iri.mesh_iri(h.descriptor_ui) if h.descriptor_ui else "",
                                 h.descriptor_name + ("*" if h.major else "")),
                            tuple(sorted((q.name + ("*" if q.major else "") for q in h.qualifiers), key=mesh_order)))
                for h in record.mesh_headings]
    return tuple(sorted(headings, key=lambda h: mesh_order(h.name.text)))


_tuple_new = tuple.__new__
"""How the reference lists make their Links and ItemViews: as a named tuple's own ``__new__`` does, without its
Python call (130 ns each, some 130 a page)."""


def _record_references(record: Record, iris: Iris) -> tuple[ItemView, ...]:
    """Each reference with its links: its own IRI, the cited work's, its DOI at doi.org, its PubMed record. The
    lookups are bound once, the DOI's URL made once and the tuples made directly (:data:`_tuple_new`): an article has
    some 30 references, and this was a sixth of its page's cost."""
    own = iris.record(record.pmid)
    reference, cited, article_iri, doi_url = own.reference, own.reference_work, iris.article_iri, iri.doi_url_iri
    items = []
    for ref in record.references:
        position = ref.position
        links = [_tuple_new(Link, (reference(position), f"reference {position}")),
                 _tuple_new(Link, (cited(ref), "the cited work here"))]
        if ref.doi:
            url = doi_url(ref.doi)
            links.append(_tuple_new(Link, (url, outside(url))))
        if ref.pmid:
            links.append(_tuple_new(Link, (article_iri(ref.pmid), f"PubMed {ref.pmid}")))
        items.append(_tuple_new(ItemView, (str(position), ref.citation, tuple(links))))
    return tuple(items)


def record_view(record: Record, iris: Iris, citations: Sequence[Link] = (), formats: Sequence[Link] = ()
                ) -> ArticleView:
    """The article page's body from a Record (the build's page; the server reads the same from the graph)."""
    pmid = record.pmid
    ids = [Link(iri.pubmed_url_iri(pmid), f"PubMed {pmid}")]
    if record.doi:
        ids.append(Link(iri.doi_url_iri(record.doi), f"doi:{record.doi}"))
    return ArticleView(
        title=record.title, title_html=Markup(safe_html(record.title_html)) if record.title_html else None,
        types=tuple(p.name for p in record.publication_types), retracted=record.is_retracted,
        authors=_record_authors(record), complete=record.authors_complete, journal=_record_journal(record),
        ids=tuple(ids), citations=tuple(citations), formats=tuple(formats), abstract=_record_abstract(record),
        related=_record_related(record, iris), keywords=tuple(Link("", k) for k in sorted(k.text for k in
                                                                                      record.keywords)),
        mesh=_record_mesh(record), references=_record_references(record, iris))


def article_page(record: Record, iris: Iris, embedding: dict[str, Any], embedding_text: str | None = None, *,
                 cite: Work | None = None) -> str:
    """The build's article page: title, authors, journal, abstract, comments and corrections, keywords, MeSH,
    references; JSON-LD in the head (``embedding_text``: the embedding as embed_text wrote it, when the caller has
    it), and what harvesters read: Signposting links, Highwire and Dublin Core meta tags, links to the citation
    files. ``cite`` is the record's :class:`Work` read from its published triples; without it the record is mapped
    (without MeSH enrichment, which no tag reads) to read one."""
    pmid = record.pmid
    if cite is None:
        from rdfgen.mapping import record_triples
        from rdfgen.serialize.citation import work

        cite = work(list(record_triples(record, iris)), iris.article_iri(pmid))
    described = [(iris.document_iri(pmid, ext), from_name(ext).media_type) for ext in STATIC_DESCRIBED_BY]
    posts = signposts(cite, iris.article_iri(pmid), described, LICENSE)
    head = article_head(cite, iris.article_iri(pmid), iris.document_iri(pmid, "html"),
                        [(media_type, url) for url, media_type in described], posts,
                        script_json(embedding, embedding_text))
    citations = [Link(iris.document_iri(pmid, ext), label) for ext, label in STATIC_CITATION_FILES]
    formats = [Link(iris.document_iri(pmid, ext), FORMAT_LABELS[from_name(ext).name]) for ext in STATIC_DESCRIBED_BY]
    return render_article(record_view(record, iris, citations, formats), head, home=iris.base)
