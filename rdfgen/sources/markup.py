"""Inline markup of PubMed text (``i``, ``b``, ``u``, ``sup``, ``sub`` and MathML), read once, written as readable
plain text and as safe HTML.

Titles and abstracts carry markup that changes what the text says: "h<sup>-1</sup>" is "per hour", not "h-1", and
MathML's ``<mmultiscripts>`` puts the mass number of ³He before the symbol. So mixed content is read into runs (text,
and the five inline elements around runs), MathML included: its scripts become the same ``sub``/``sup`` runs,
fractions and roots linear text, and its spaces (``<mtext>&#x2009;</mtext>``) stay spaces. From the runs come:

* **HTML**: text escaped, only the five elements, no attributes: what ``rdfgen:titleHtml`` and
  ``rdfgen:abstractHtml`` publish, and what a page may show after its own sanitising;
* **plain text**: a subscript is written inline ("CO2", "MIC50", "SnO2": the spelling people type and search), a
  superscript after a caret ("h^-1", "r^2", "10^18 cm^-3", "^13C"), except where it reads the same without one:
  signs only ("CD4+", "T2∗", "x′") and an ion's charge ("Mn2+", but "SO4^2−"). Full-text tokenisers split at a
  caret, so "^13C" still holds the token "13C".
  An underlined "<" or ">" is the typewriter's "≤" or "≥". Spaces are the source's: none is lost at an element's
  edge (a MathML ``<mtext>``'s thin space included), none invented ("SnO<sub>2</sub>thin" stays "SnO2thin": "H2O"
  and "<b>R-BOD</b>s" abut their markup on purpose).

MathML is converted, not kept: PubMed uses it for inline scripts (isotopes, T2*, units) that ``sub``/``sup`` show
exactly, while keeping it would take a second and much larger whitelist (some 30 elements and their attributes) in
every consumer of the HTML, for a rendering browsers have had only since MathML Core (2023).
"""

from __future__ import annotations

import re
from html import escape
from typing import NamedTuple

from lxml.etree import _Element

INLINE_TAGS = frozenset({"i", "b", "u", "sup", "sub"})
"""The elements the HTML form of a text may hold, without attributes (titles and abstracts alike)."""

MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"

_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what MathML trims from tokens; U+2009 and U+00A0 are content
_MINUS = frozenset("-\u2212\u2013")  # an exponent's sign: "h^-1" must not read as "h-1"
_CHARGE = re.compile(r"\d*[+\-\u2212\u2013]")  # an ion's charge ("2+", "3−"); an exponent's sign comes first
_UNDERLINED = {"<": "\u2264", ">": "\u2265"}
_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
_INVISIBLE = frozenset({"mphantom", "annotation", "annotation-xml", "none", "mprescripts", "malignmark",
                        "maligngroup"})
_SCRIPTS = {"msub": ("sub",), "msup": ("sup",), "msubsup": ("sub", "sup"), "munder": ("sub",), "mover": ("sup",),
            "munderover": ("sub", "sup")}
_ACCENTS = {"\u02d9": "\u0307", ".": "\u0307", "\u0307": "\u0307", "\u00a8": "\u0308", "\u0308": "\u0308",
            "^": "\u0302", "\u02c6": "\u0302", "~": "\u0303", "\u02dc": "\u0303", "\u00af": "\u0304",
            "\u203e": "\u0305", "\u02c7": "\u030c", "\u2192": "\u20d7", "\u20d7": "\u20d7"}
"""A ``<mover>`` whose upper part is one of these is an accent: "V̇O2" (dot above), not "V^˙O2"."""


class Marked(NamedTuple):
    """An inline element (one of INLINE_TAGS) around its runs."""

    tag: str
    runs: tuple[Run, ...]


Run = str | Marked


def runs(element: _Element) -> list[Run]:
    """The element's mixed content as runs: inline elements kept, MathML converted, other elements unwrapped.
    Entities left unexpanded (the parser resolves none) are skipped; their tails are text."""
    found: list[Run] = []
    if element.text:
        found.append(element.text)
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            local = tag[tag.rfind("}") + 1 :]
            if tag.startswith(MATHML_NS) or local == "math":
                found.extend(_math(child))
            elif local in INLINE_TAGS:
                found.append(Marked(local, tuple(runs(child))))
            else:
                found.extend(runs(child))
        if child.tail:
            found.append(child.tail)
    return found


def plain(found: list[Run] | tuple[Run, ...]) -> str:
    """Readable text: subscripts inline, superscripts after a caret unless they read the same without one."""
    text = ""
    for run in found:
        text += run if isinstance(run, str) else _plain_marked(run, text[-1:])
    return text


def html(found: list[Run] | tuple[Run, ...]) -> str:
    """Safe HTML: text escaped, the inline elements as bare tags; an element with no text is left out."""
    parts = []
    for run in found:
        if isinstance(run, str):
            parts.append(escape(run, quote=False))
            continue
        inner = html(run.runs)
        parts.append(f"<{run.tag}>{inner}</{run.tag}>" if inner.strip() else inner)
    return "".join(parts)


def _plain_marked(run: Marked, before: str) -> str:
    """One element's plain text; ``before`` is the character written before it."""
    inner = plain(run.runs)
    if run.tag == "u":  # an underlined "<" is the typewriter's "≤" (PMID 34096326: "eGFR <u>&lt;</u>44")
        return _UNDERLINED.get(inner, inner)
    if run.tag != "sup":
        return inner
    bare = inner.strip()
    if not any(c.isalnum() or c in _MINUS for c in bare):
        return inner  # signs only: "CD4+", "T2∗"
    if _CHARGE.fullmatch(bare) and not before.isdigit():
        return inner  # a charge: "Mn2+", "Ca2+" (but "SO4^2−": the 4 and the 2 must not merge)
    lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
    body = f"({bare})" if any(c.isspace() for c in bare) else bare
    return f"{lead}^{body}{trail}"


# MathML ------------------------------------------------------------------------------------------------------------


def _local(element: _Element) -> str:
    tag = element.tag
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def _math(element: _Element) -> list[Run]:
    """Presentation MathML as runs; an element this does not know is read as an ``<mrow>`` of its children."""
    name = _local(element)
    kids = [child for child in element if isinstance(child.tag, str)]
    if name in _TOKENS:
        text = _XML_SPACE.sub(" ", "".join(element.itertext())).strip(" ")
        return [text] if text else []
    if name == "mspace":
        return [" "]
    if name in _INVISIBLE:
        return []
    if name in ("semantics", "maction"):  # the presentation, the shown alternative: the first child
        return _math(kids[0]) if kids else []
    if name in _SCRIPTS:
        return _scripted(name, kids)
    if name == "mmultiscripts":
        return _multiscripts(kids)
    if name == "mfrac" and len(kids) == 2:
        return [*_grouped(_math(kids[0])), "/", *_grouped(_math(kids[1]))]
    if name == "msqrt":
        return ["√", *_grouped(_row(kids))]
    if name == "mroot" and len(kids) == 2:
        return [*_marked("sup", _math(kids[1])), "√", *_grouped(_math(kids[0]))]
    if name == "mfenced":
        return _fenced(element, kids)
    if name == "mtable":
        return _joined(kids, "; ")
    if name in ("mtr", "mlabeledtr"):
        return _joined(kids, " ")
    return _row(kids)


def _row(kids: list[_Element]) -> list[Run]:
    return [run for kid in kids for run in _math(kid)]


def _joined(kids: list[_Element], separator: str) -> list[Run]:
    found: list[Run] = []
    for k, kid in enumerate(kids):
        found.extend(([separator] if k else []) + _math(kid))
    return found


def _marked(tag: str, found: list[Run]) -> list[Run]:
    """The runs inside an inline element, or nothing when they are empty (``<none/>``)."""
    return [Marked(tag, tuple(found))] if plain(found).strip() else []


def _grouped(found: list[Run]) -> list[Run]:
    """Parentheses around a fraction's part or a root's radicand when it is more than one symbol or number."""
    text = plain(found).strip()
    return found if len(text) <= 1 or text.isalnum() else ["(", *found, ")"]


def _scripted(name: str, kids: list[_Element]) -> list[Run]:
    """msub, msup, msubsup; munder, mover, munderover the same (limits as scripts), an accent over its base."""
    if not kids:
        return []
    base = _math(kids[0])
    scripts = kids[1:]
    if name == "mover" and scripts:
        accent = plain(_math(scripts[0])).strip()
        if accent in _ACCENTS:
            return [*base, _ACCENTS[accent]]
    found = list(base)
    for tag, script in zip(_SCRIPTS[name], scripts, strict=False):
        found.extend(_marked(tag, _math(script)))
    return found


def _multiscripts(kids: list[_Element]) -> list[Run]:
    """base (sub sup)* [<mprescripts/> (sub sup)*]: the prescripts ("³He") go before the base."""
    if not kids:
        return []
    rest = kids[1:]
    names = [_local(kid) for kid in rest]
    split = names.index("mprescripts") if "mprescripts" in names else len(rest)
    return [*_script_pairs(rest[split + 1 :]), *_math(kids[0]), *_script_pairs(rest[:split])]


def _script_pairs(pairs: list[_Element]) -> list[Run]:
    found: list[Run] = []
    for k, script in enumerate(pairs):
        found.extend(_marked("sub" if k % 2 == 0 else "sup", _math(script)))
    return found


def _fenced(element: _Element, kids: list[_Element]) -> list[Run]:
    """mfenced: its open and close characters, the children between separators (the last one repeats)."""
    separators = "".join((element.get("separators") or ",").split())
    found: list[Run] = [element.get("open", "(")]
    for k, kid in enumerate(kids):
        if k and separators:
            found.append(separators[min(k - 1, len(separators) - 1)])
        found.extend(_math(kid))
    found.append(element.get("close", ")"))
    return found
