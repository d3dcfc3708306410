"""A readable HTML page per record, carrying the embeddable JSON-LD in ``<script type="application/ld+json">``.

Rendered from the Record (what a person reads) plus the embedding object (what a crawler reads); every text is
escaped, and the JSON is made safe inside ``<script>`` (no ``</script>`` or ``<!--`` can close it early). Text
with markup (a title's or abstract's HTML form) goes through :func:`safe_html`, which lets only the inline elements
through. Characters a page must not carry (C0 and C1 controls but tab, newline and carriage return, lone surrogates,
noncharacters: parse errors in HTML, and most of them illegal in XML) are dropped from text and escaped in the JSON:
a record read from a saved web page or built through the Python API can hold them (the MEDLINE reader drops the
XML-illegal ones itself; DEL and C1 controls are legal XML and stay in the data).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

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

_CSS = """body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem;line-height:1.3}.meta{color:#555}.kw li,.mesh li{display:inline;margin-right:.6em}
ol.refs li{margin-bottom:.5em}nav a{margin-right:1em}dt{font-weight:600}.label{font-weight:600}
.retracted{background:#fde8e8;border-left:4px solid #b00;padding:.5em 1em}"""


_RETRACTED = ('<p class="retracted" role="alert"><strong>Retracted:</strong> PubMed records a retraction of this '
              "article.</p>")


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
    if text.replace("\n", "").isprintable() or not _SUSPECT.search(text):  # printable: quicker to tell than search
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


def harvest_head(w: Work, page: str, posts: Iterable[Signpost]) -> str:
    """The head elements harvesters read besides the JSON-LD: FAIR Signposting ``<link>``s, then the Highwire
    ``citation_*`` and Dublin Core ``<meta>`` tags (rdfgen.serialize.harvest)."""
    links = "".join(f'<link rel="{p.rel}" href="{escape(p.href)}"' + (f' type="{escape(p.type)}"' if p.type else "")
                    + ">\n" for p in posts)
    metas = "".join(f'<meta name="{name}" content="{escape(value)}">\n' for name, value in citation_meta(w, page))
    return f'{links}<link rel="schema.DC" href="{DC_ELEMENTS}">\n{metas}'


def cite_links(links: Sequence[tuple[str, str]]) -> str:
    """The "Cite" line of an article page: (href, label) of each citation document."""
    return "Cite: " + " ".join(f'<a href="{escape(href)}">{escape(label)}</a>' for href, label in links)


CITATION_LABELS = {"csl": "CSL-JSON", "bibtex": "BibTeX", "ris": "RIS", "text": "APA"}
"""How a page names each citation document in its "Cite" line (``text`` is the formatted reference, APA style)."""
STATIC_CITATION_FILES = tuple((f.extension, CITATION_LABELS[f.name]) for f in CITATION_FORMATS
                              if f.name in STATIC_CITATIONS)


def _authors(record: Record, iris: Iris) -> str:
    items = []
    for n, a in enumerate(record.authors, start=1):
        name = escape(a.display_name)
        if a.orcid:
            name += f' <a href="{escape(iri.orcid_url_iri(a.orcid))}">ORCID</a>'
        affs = "; ".join(escape(x.name) for x in a.affiliations)
        items.append(f'<li id="author-{n}">{name}' + (f' <span class="meta">({affs})</span>' if affs else "") + "</li>")
    # "et al." is no author: outside the numbered list, so it takes no number of its own.
    more = "" if record.authors_complete else '<p class="meta etal">et al. (the source lists only these)</p>'
    return (f'<ol class="authors">{"".join(items)}</ol>' if items else "") + more


def _journal_line(record: Record) -> str:
    j = record.journal.display_name if record.journal else None
    parts = [escape(j)] if j else []
    if record.pub_date:
        parts.append(escape(record.pub_date.raw or record.pub_date.iso()))
    vol = escape(record.volume or "")
    if record.issue:
        vol += f"({escape(record.issue)})"
    if record.pages:
        vol += f":{escape(record.pages.raw)}"
    if vol:
        parts.append(vol)
    return ". ".join(parts)


def _abstract(record: Record) -> str:
    if record.abstract is None:
        return ""
    paras = "".join(
        f'<p>{f"<span class=label>{escape(s.label)}:</span> " if s.label else ""}'
        f"{safe_html(s.html) if s.html else escape(s.text)}</p>"
        for s in record.abstract.sections
    )
    return f"<h2>Abstract</h2>{paras}"


def _related(record: Record, iris: Iris) -> str:
    """CommentsCorrections as PubMed lists them ("Erratum in: ..."): a reader must see an erratum or a retraction
    even when PubMed has no record of it, so the citation text is shown with its DOI and PubMed links."""
    items = []
    for c in record.comments_corrections:
        kind = _RELATION_WORDS.sub(" ", c.ref_type).capitalize()
        links = []
        if c.doi:
            links.append(f'<a href="{escape(iri.doi_url_iri(c.doi))}">DOI</a>')
        if c.pmid and c.pmid.isdigit():
            links.append(f'<a href="{escape(iris.article_iri(c.pmid))}">PubMed {escape(c.pmid)}</a>')
        items.append(f"<li>{escape(kind)}: {escape(c.ref_source or '')} {' '.join(links)}</li>")
    return "<h2>Comments and corrections</h2><ul class=related>" + "".join(items) + "</ul>" if items else ""


def _subjects(record: Record) -> str:
    out = ""
    if record.keywords:
        out += "<h2>Keywords</h2><ul class=kw>" + "".join(f"<li>{escape(k.text)}</li>" for k in record.keywords)
        out += "</ul>"
    if record.mesh_headings:
        items = []
        for h in record.mesh_headings:
            name = escape(h.descriptor_name) + ("*" if h.major else "")  # the starred term is the major one
            if h.descriptor_ui:
                name = f'<a href="{escape(iri.mesh_iri(h.descriptor_ui))}">{name}</a>'
            quals = " / ".join(escape(q.name) + ("*" if q.major else "") for q in h.qualifiers)
            items.append(f"<li>{name}{' / ' + quals if quals else ''}</li>")
        out += "<h2>MeSH terms</h2><ul class=mesh>" + "".join(items) + "</ul>"
    return out


def _references(record: Record, iris: Iris) -> str:
    if not record.references:
        return ""
    own = iris.record(record.pmid)
    items = []
    for ref in record.references:
        links = []
        if ref.doi:
            links.append(f'<a href="{escape(iri.doi_url_iri(ref.doi))}">DOI</a>')
        if ref.pmid:
            links.append(f'<a href="{escape(iris.article_iri(ref.pmid))}">PubMed {escape(ref.pmid)}</a>')
        work = escape(own.reference_work(ref))
        items.append(f'<li id="ref-{ref.position}"><a href="{work}">{escape(ref.citation)}</a> {" ".join(links)}</li>')
    return "<h2>References</h2><ol class=refs>" + "".join(items) + "</ol>"


def article_page(record: Record, iris: Iris, embedding: dict[str, Any], embedding_text: str | None = None, *,
                 cite: Work | None = None) -> str:
    """The article page: title, authors, journal, abstract, comments and corrections, keywords, MeSH, references;
    JSON-LD in the head (``embedding_text``: the embedding as embed_text wrote it, when the caller has it), and
    what harvesters read: Signposting links, Highwire and Dublin Core meta tags, links to the citation files.
    ``cite`` is the record's :class:`Work` read from its published triples; without it the record is mapped
    (without MeSH enrichment, which no tag reads) to read one."""
    pmid = record.pmid
    if cite is None:
        from rdfgen.mapping import record_triples
        from rdfgen.serialize.citation import work

        cite = work(list(record_triples(record, iris)), iris.article_iri(pmid))
    described = [(iris.document_iri(pmid, ext), from_name(ext).media_type) for ext in STATIC_DESCRIBED_BY]
    posts = signposts(cite, iris.article_iri(pmid), described, LICENSE)
    downloads = [(iris.document_iri(pmid, ext), label) for ext, label in STATIC_CITATION_FILES]
    article = escape(iris.article_iri(pmid))
    ttl, nt, jsonld = (escape(iris.document_iri(pmid, ext)) for ext in ("ttl", "nt", "jsonld"))
    alternates = (f'<link rel="alternate" type="text/turtle" href="{ttl}">'
                  f'<link rel="alternate" type="application/n-triples" href="{nt}">'
                  f'<link rel="alternate" type="application/ld+json" href="{jsonld}">')
    ids = [f'<a href="{escape(iri.pubmed_url_iri(pmid))}">PubMed {escape(pmid)}</a>']
    if record.doi:
        ids.append(f'<a href="{escape(iri.doi_url_iri(record.doi))}">doi:{escape(record.doi)}</a>')
    types = ", ".join(escape(p.name) for p in record.publication_types)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(record.title)}</title>
<link rel="canonical" href="{article}">
{alternates}
{harvest_head(cite, iris.document_iri(pmid, "html"), posts)}<script type="application/ld+json">
{script_json(embedding, embedding_text)}
</script>
<style>{_CSS}</style>
</head>
<body>
<article>
{_RETRACTED if record.is_retracted else ""}
<p class="meta">{types}</p>
<h1>{safe_html(record.title_html) if record.title_html else escape(record.title)}</h1>
{_authors(record, iris)}
<p class="meta">{_journal_line(record)}</p>
<p class="meta">{" · ".join(ids)}</p>
{_abstract(record)}
{_related(record, iris)}
{_subjects(record)}
{_references(record, iris)}
</article>
<footer class="meta"><p>Linked data: <a href="{ttl}">Turtle</a>
<a href="{nt}">N-Triples</a>
<a href="{jsonld}">JSON-LD</a>. {cite_links(downloads)}. Source: NLM PubMed.</p></footer>
</body>
</html>
"""
