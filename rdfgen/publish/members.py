"""A record's statements as the bytes of its two shard members (N-Quads and N-Triples), each statement once.

Writing them was a quarter of a shard's conversion in Python (deduplicating, deciding each subject's owner, joining
the lines, encoding, and making the N-Quads by replacing every line's end). The build uses the native twin of
:func:`members_py` (``rdfgen._native``, a small C extension compiled by ``pip install`` where a compiler is at hand),
which does all of it in one pass over the terms' UTF-8; where it could not be built, the Python function gives the
same bytes (tests/test_native.py proves they agree on generated statements).
"""

from __future__ import annotations

from collections import Counter
from itertools import compress
from operator import itemgetter, not_

from rdfgen.mapping import Triple
from rdfgen.publish.dumps import is_own

try:
    from rdfgen._native import members as _native
    from rdfgen._native import tally as _native_tally
except ImportError:  # no compiler where rdfgen was installed: the Python twins serve
    _native = _native_tally = None

_NT_END = " .\n"


def members_py(triples: list[Triple], under: str, article: str, graph_end: bytes, shared_end: bytes,
               ) -> tuple[list[Triple], bytes, bytes]:
    """``(unique, nq, nt)``: the statements without repeats (in first-seen order), and their N-Quads and N-Triples
    in UTF-8, the record's own statements first (``rdfgen.publish.dumps.is_own`` of their subject: ``article``,
    under ``under``, or blank), then those about shared nodes; ``graph_end`` and ``shared_end`` end the N-Quads
    lines of each (``b" <graph> .\\n"``).

    Ownership is decided once per subject and the passes run in the interpreter's C builtins (a record has about
    1,000 statements and a few hundred subjects); the N-Quads are the N-Triples bytes with each line's end replaced
    (no term holds a raw newline), cheaper than joining and encoding the lines again."""
    unique = list(dict.fromkeys(triples))
    subjects = list(map(itemgetter(0), unique))
    mine = {s: is_own(s, article, under) for s in set(subjects)}
    flags = list(map(mine.__getitem__, subjects))
    own = " .\n".join(map(" ".join, compress(unique, flags)))
    shared = " .\n".join(map(" ".join, compress(unique, map(not_, flags))))
    own_nt = (own + _NT_END).encode() if own else b""
    shared_nt = (shared + _NT_END).encode() if shared else b""
    end = _NT_END.encode()
    return unique, own_nt.replace(end, graph_end) + shared_nt.replace(end, shared_end), own_nt + shared_nt


def tally_py(unique: list[Triple], rdf_type: str, properties: set[str]) -> dict[str, int]:
    """``{class: statements}``: how many of the statements type a node with each class, in first-seen order (what
    a shard's index says of a record); each statement's predicate is added to ``properties`` (what the shard
    uses, for the dataset's VoID)."""
    properties.update(map(itemgetter(1), unique))
    return dict(Counter([o for _s, p, o in unique if p == rdf_type]))


members = _native if _native is not None else members_py
tally = _native_tally if _native_tally is not None else tally_py
