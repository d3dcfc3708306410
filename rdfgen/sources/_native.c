/* rdfgen.sources._native: the reference and author lists, the MeSH headings, the history dates, the abstracts, the
   identifiers, the keywords and the publication types of PubMed XML read in C, the twin of the Python that says the
   same (rdfgen.sources.pubmed_xml._collect_references and _reference, rdfgen.sources.citation.reference up to
   finish_reference; pubmed_xml._authors; _mesh_headings; _history; _abstract; _ids; _keywords;
   _publication_types), which serves where this module could not be built. tests/test_native_references.py and tests/test_native_parse.py prove they agree on generated
   lists.

   Why: a baseline article cites about 30 works, and reading them (walking each Reference's children, squashing
   its text, finding the DOI, PMID and PMCID it prints, choosing between those and its ArticleIds) was 14% of a
   conversion in Python, nearly all of it the interpreter's own work around a few regular expressions; its six
   authors with their affiliations were 2.5% more, its ten MeSH headings 6% of the parse, its four history
   dates 3%, its abstract 6%, its identifiers 1.4% and its keywords and publication types 1%.

   abstract(element, kind, language, hooks) -> Abstract or None
       pubmed_xml._abstract: each AbstractText child with text as an AbstractSection (its Label and NlmCategory),
       and the first CopyrightInformation's text; None when there is neither. A paragraph with children (markup)
       is read by hooks[0], a copyright line with children by hooks[1]. hooks = (text_and_html, text, Abstract,
       AbstractSection): pubmed_xml._text_and_html and _text, and the model's classes.

   ids(data, containers, hooks) -> (ArticleId, ...)
       pubmed_xml._ids: the ArticleIds of the ArticleIdList children of data (an element or None), then of each
       container's, then each container's ELocationIDs not marked ValidYN other than "Y"; the scheme "unknown" for
       an empty or absent IdType or EIdType, the text squashed, an empty one left out, an equal one (the same scheme
       and value) kept once, the first. hooks = (ArticleId,).

   keywords(keyword_lists, hooks) -> (Keyword, ...), publication_types(parents, hooks) -> (PublicationType, ...)
       pubmed_xml._keywords and _publication_types: each Keyword child of the KeywordList elements with text (its
       list's Owner, its MajorTopicYN), each PublicationType child of the parents with text (its UI). hooks =
       (text, Keyword) and (text, PublicationType): pubmed_xml._text (for one with markup) and the model's class.

   mesh_headings(heading_lists, hooks) -> (MeshHeading, ...)
       pubmed_xml._mesh_headings: each MeshHeading child of the MeshHeadingList elements heading_lists, with its
       first DescriptorName and every QualifierName that has text; one whose descriptor has none is left out.
       hooks = (text, MeshHeading, MeshQualifier): pubmed_xml._text (for a name with markup) and the model's
       classes, called as the twin calls them.

   history(data, hooks) -> (HistoryDate, ...)
       pubmed_xml._history: each PubMedPubDate of data's History children. A date given as plain numbers (a Year,
       perhaps a Month and a Day, each one to nine ASCII digits between ASCII whitespace; no MedlineDate or Season
       text) is made here by calling PartialDate; any other, and one PartialDate refuses, is hooks[0]'s.
       hooks = (read_date, HistoryDate, PartialDate): pubmed_xml._read_date (called with "PubMedPubDate", so an
       impossible date raises the twin's FieldError) and the model's classes.

   authors(author_list, notes, role, hooks) -> (Author, ...)
       pubmed_xml._authors: each Author or Investigator child as an Author, with its affiliations. hooks =
       (author, text, normalise_orcid, Author, Affiliation, ArticleId): the Python twin of one author (for one
       with a malformed ORCID, whose note names the author), pubmed_xml._text (for a name with markup),
       text.normalise_orcid, and the model's classes.

   collect_references(reference_list, title, references, hooks) -> None
       Appends a Reference for each Reference child of the lxml element reference_list, numbered after those
       already in the list references, each with title (the list's Title, or the outer list's); a ReferenceList
       child is handed to hooks[1].
   hooks = (reference, collect, finish, choose_doi, choose_pmid, cls, state):
       reference(element, position, title)        the Python twin for one Reference: used for what this module
                                                  does not read itself (below)
       collect(reference_list, title, references) a nested ReferenceList (it has its own Title)
       finish(position, clean, body, doi, pmid, pmcid, title, notes)
                                                  rdfgen.sources.citation.finish_reference: the Reference made
       choose_doi(texts), choose_pmid(texts)      for DOIs and PMIDs that need notes (malformed, several)
       cls, state                                 a reference cited by PMID is made here as finish makes it
                                                  (Reference.unparsed): a cls instance whose dict is a copy of
                                                  state (Reference.unparsed_state) with its values set

   What is left to the Python twin, whole, is what Python's regular expressions could read differently from the
   plain scanning here: a Citation with markup (child elements); a text or DOI with a character that matches an
   ASCII letter of the DOI pattern only under Unicode case folding (U+0130, U+0131, U+017F) or a digit that is not
   ASCII (\d matches 650 of them); a text with " - " (the link labels of a saved page); a text that prints a second
   DOI. Whitespace, word characters (\b) and printable characters are Python's own (Py_UNICODE_ISSPACE,
   Py_UNICODE_ISALNUM), so every other text, whatever its script, is read here. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include <libxml/tree.h>
#include "lxml-version.h"
#include "lxml.etree_api.h"

enum { HOOK_REFERENCE, HOOK_COLLECT, HOOK_FINISH, HOOK_CHOOSE_DOI, HOOK_CHOOSE_PMID, HOOK_CLASS, HOOK_STATE,
       N_HOOKS };

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

static PyObject *s_empty;
static PyTypeObject *element_type;  /* lxml.etree._Element */

static Text
text_of(PyObject *s)
{
    Text t = {PyUnicode_KIND(s), PyUnicode_DATA(s), PyUnicode_GET_LENGTH(s)};
    return t;
}

static inline Py_UCS4
at(const Text *t, Py_ssize_t i)
{
    return PyUnicode_READ(t->kind, t->data, i);
}

static inline int
is_word(Py_UCS4 c)  /* the regular expressions' \w on str patterns */
{
    return c == '_' || Py_UNICODE_ISALNUM(c);
}

static inline int
is_digit(Py_UCS4 c)
{
    return c >= '0' && c <= '9';
}

static inline Py_UCS4
lower_ascii(Py_UCS4 c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Whether t[i:] starts with the ASCII text word, ignoring the case of its letters. */
static int
starts_nocase(const Text *t, Py_ssize_t i, const char *word)
{
    for (; *word; word++, i++) {
        if (i >= t->n || lower_ascii(at(t, i)) != (Py_UCS4)*word) {
            return 0;
        }
    }
    return 1;
}

static int
starts_exact(const Text *t, Py_ssize_t i, const char *word)
{
    for (; *word; word++, i++) {
        if (i >= t->n || at(t, i) != (Py_UCS4)*word) {
            return 0;
        }
    }
    return 1;
}

static Py_ssize_t
find_exact(const Text *t, Py_ssize_t from, const char *word)
{
    for (Py_ssize_t i = from; i < t->n; i++) {
        if (at(t, i) == (Py_UCS4)word[0] && starts_exact(t, i, word)) {
            return i;
        }
    }
    return -1;
}

/* 1 when Python's regular expressions could read s differently from this module (see the top). */
static int
risky(PyObject *s)
{
    if (s == NULL || s == Py_None || PyUnicode_IS_ASCII(s)) {
        return 0;
    }
    Text t = text_of(s);
    for (Py_ssize_t i = 0; i < t.n; i++) {
        Py_UCS4 c = at(&t, i);
        if (c > 127 && (c == 0x130 || c == 0x131 || c == 0x17f || Py_UNICODE_ISDECIMAL(c))) {
            return 1;
        }
    }
    return 0;
}

/* " ".join(s.split()): a new reference. */
static PyObject *
squash(PyObject *s)
{
    Text t = text_of(s);
    int clean = 1;
    for (Py_ssize_t i = 0; i < t.n && clean; i++) {
        Py_UCS4 c = at(&t, i);
        if (c == ' ') {
            clean = i > 0 && i < t.n - 1 && at(&t, i + 1) != ' ';
        } else if (Py_UNICODE_ISSPACE(c)) {
            clean = 0;
        }
    }
    if (clean) {
        Py_INCREF(s);
        return s;
    }
    char *buffer = PyMem_Malloc((size_t)(t.n > 0 ? t.n : 1) * (size_t)t.kind);
    if (buffer == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t m = 0;
    int gap = 0;
    for (Py_ssize_t i = 0; i < t.n; i++) {
        Py_UCS4 c = at(&t, i);
        if (Py_UNICODE_ISSPACE(c)) {
            gap = m > 0;
            continue;
        }
        if (gap) {
            PyUnicode_WRITE(t.kind, buffer, m++, ' ');
            gap = 0;
        }
        PyUnicode_WRITE(t.kind, buffer, m++, c);
    }
    PyObject *result = PyUnicode_FromKindAndData(t.kind, buffer, m);
    PyMem_Free(buffer);
    return result;
}

/* squash(s) or None for an empty result; None for None. A new reference. */
static PyObject *
squash_or_none(PyObject *s)
{
    if (s == NULL || !PyUnicode_Check(s)) {
        Py_RETURN_NONE;
    }
    PyObject *result = squash(s);
    if (result != NULL && PyUnicode_GET_LENGTH(result) == 0) {
        Py_DECREF(result);
        Py_RETURN_NONE;
    }
    return result;
}

/* Where the DOI body ("10." four to nine digits "/" then \S+) that starts at i ends, or -1. */
static Py_ssize_t
doi_body_end(const Text *t, Py_ssize_t i)
{
    if (!starts_exact(t, i, "10.")) {
        return -1;
    }
    Py_ssize_t j = i + 3, digits = 0;
    while (j < t->n && is_digit(at(t, j))) {
        j++;
        digits++;
    }
    if (digits < 4 || digits > 9 || j >= t->n || at(t, j) != '/') {
        return -1;
    }
    j++;
    Py_ssize_t start = j;
    while (j < t->n && !Py_UNICODE_ISSPACE(at(t, j))) {
        j++;
    }
    return j > start ? j : -1;
}

/* citation._DOI_RE.search(t, from): the match's start and its DOI group's [begin, end), or 0 for none. */
static int
search_doi(const Text *t, Py_ssize_t from, Py_ssize_t *start, Py_ssize_t *begin, Py_ssize_t *end)
{
    for (Py_ssize_t s = from; s < t->n; s++) {
        Py_UCS4 c = lower_ascii(at(t, s));
        Py_ssize_t q = -1;
        if (c == 'h' && starts_nocase(t, s, "http")) {  /* https?://(?:dx\.)?doi\.org/ */
            Py_ssize_t j = s + 4;
            if (j < t->n && lower_ascii(at(t, j)) == 's') {
                j++;
            }
            if (starts_exact(t, j, "://")) {
                j += 3;
                if (starts_nocase(t, j, "dx.")) {
                    j += 3;
                }
                if (starts_nocase(t, j, "doi.org/")) {
                    q = j + 8;
                }
            }
        } else if (c == 'd' && (s == 0 || !is_word(at(t, s - 1))) && starts_nocase(t, s, "doi:")) {  /* \bdoi:\s* */
            q = s + 4;
            while (q < t->n && Py_UNICODE_ISSPACE(at(t, q))) {
                q++;
            }
        }
        if (q >= 0) {
            Py_ssize_t e = doi_body_end(t, q);
            if (e >= 0) {
                *start = s;
                *begin = q;
                *end = e;
                return 1;
            }
        }
    }
    return 0;
}

/* citation._PMID_RE (\bPMID:\s*(\d+)) or, with pmc set, _PMCID_RE (\b(PMC\d+)\b): the group's [begin, end). */
static int
search_id(const Text *t, int pmc, Py_ssize_t *begin, Py_ssize_t *end)
{
    const char *label = pmc ? "PMC" : "PMID:";
    Py_ssize_t n_label = pmc ? 3 : 5;
    for (Py_ssize_t s = find_exact(t, 0, label); s >= 0; s = find_exact(t, s + 1, label)) {
        if (s > 0 && is_word(at(t, s - 1))) {
            continue;
        }
        Py_ssize_t j = s + n_label;
        if (!pmc) {
            while (j < t->n && Py_UNICODE_ISSPACE(at(t, j))) {
                j++;
            }
        }
        Py_ssize_t digits = j;
        while (j < t->n && is_digit(at(t, j))) {
            j++;
        }
        if (j == digits || (pmc && j < t->n && is_word(at(t, j)))) {
            continue;
        }
        *begin = pmc ? s : digits;
        *end = j;
        return 1;
    }
    return 0;
}

static inline int
in_clean_middle(Py_UCS4 c)  /* doi._CLEAN's [-._()/:A-Za-z0-9<>#] */
{
    return (c < 128 && (Py_UNICODE_ISALNUM(c) || c == '-' || c == '.' || c == '_' || c == '(' || c == ')'
                        || c == '/' || c == ':' || c == '<' || c == '>' || c == '#'));
}

static inline int
in_clean_last(Py_UCS4 c)  /* doi._CLEAN's [A-Za-z0-9_\-#] */
{
    return c < 128 && (Py_UNICODE_ISALNUM(c) || c == '_' || c == '-' || c == '#');
}

/* doi._CLEAN.fullmatch(t[0:n]) */
static int
clean_doi(const Text *t, Py_ssize_t n)
{
    if (n < 3 || !starts_exact(t, 0, "10.")) {
        return 0;
    }
    Py_ssize_t j = 3, digits = 0;
    while (j < n && is_digit(at(t, j))) {
        j++;
        digits++;
    }
    if (digits < 4 || digits > 9 || j >= n || at(t, j) != '/') {
        return 0;
    }
    j++;
    if (j >= n) {
        return 0;
    }
    for (; j < n - 1; j++) {
        if (!in_clean_middle(at(t, j))) {
            return 0;
        }
    }
    return in_clean_last(at(t, n - 1));
}

/* doi._simple: the length of the DOI that s is, clean or with ".,;" after it; -1 when it is not one. */
static Py_ssize_t
simple_doi(PyObject *s)
{
    Text t = text_of(s);
    if (clean_doi(&t, t.n)) {
        return t.n;
    }
    Py_ssize_t n = t.n;
    while (n > 0 && (at(&t, n - 1) == '.' || at(&t, n - 1) == ',' || at(&t, n - 1) == ';')) {
        n--;
    }
    return n < t.n && clean_doi(&t, n) ? n : -1;
}

/* Whether two DOIs (ASCII, as clean_doi accepts them) are the same whatever their case. */
static int
same_doi(PyObject *a, Py_ssize_t n_a, PyObject *b, Py_ssize_t n_b)
{
    if (n_a != n_b) {
        return 0;
    }
    Text ta = text_of(a), tb = text_of(b);
    for (Py_ssize_t i = 0; i < n_a; i++) {
        if (lower_ascii(at(&ta, i)) != lower_ascii(at(&tb, i))) {
            return 0;
        }
    }
    return 1;
}

/* citation.valid_pmid: a new reference to the PMID, or NULL without an exception when s is not one. */
static PyObject *
valid_pmid(PyObject *s)
{
    Text t = text_of(s);
    Py_ssize_t a = 0, b = t.n;
    while (a < b && Py_UNICODE_ISSPACE(at(&t, a))) {
        a++;
    }
    while (b > a && Py_UNICODE_ISSPACE(at(&t, b - 1))) {
        b--;
    }
    if (a == b) {
        return NULL;
    }
    for (Py_ssize_t i = a; i < b; i++) {
        if (!is_digit(at(&t, i))) {
            return NULL;
        }
    }
    while (a < b && at(&t, a) == '0') {
        a++;
    }
    return a == b ? NULL : PyUnicode_Substring(s, a, b);
}

/* The (chosen, notes) of the Python hook for the texts (a, b), or of (a,) when b is NULL; new references. */
static int
ask_hook(PyObject *hook, PyObject *a, PyObject *b, PyObject **chosen, PyObject **notes)
{
    PyObject *given = b == NULL ? PyTuple_Pack(1, a) : PyTuple_Pack(2, a, b);
    if (given == NULL) {
        return -1;
    }
    PyObject *answer = PyObject_CallOneArg(hook, given);
    Py_DECREF(given);
    if (answer == NULL) {
        return -1;
    }
    if (!PyTuple_Check(answer) || PyTuple_GET_SIZE(answer) != 2) {
        Py_DECREF(answer);
        PyErr_SetString(PyExc_TypeError, "a choose hook must answer (chosen, notes)");
        return -1;
    }
    *chosen = Py_NewRef(PyTuple_GET_ITEM(answer, 0));
    *notes = Py_NewRef(PyTuple_GET_ITEM(answer, 1));
    Py_DECREF(answer);
    return 0;
}

/* choose_doi((given, *printed)) with its notes; new references. */
static int
choose_doi(PyObject *hook, PyObject *given, PyObject *printed, PyObject **chosen, PyObject **notes)
{
    PyObject *first = given != Py_None ? given : printed;
    PyObject *second = given != Py_None ? printed : NULL;
    if (first == NULL) {
        *chosen = Py_NewRef(Py_None);
        *notes = PyTuple_New(0);
        return *notes == NULL ? -1 : 0;
    }
    Py_ssize_t n_first = simple_doi(first);
    if (n_first >= 0) {
        Py_ssize_t n_second = second == NULL ? -1 : simple_doi(second);
        if (second == NULL || (n_second >= 0 && same_doi(first, n_first, second, n_second))) {
            *chosen = PyUnicode_Substring(first, 0, n_first);
            *notes = PyTuple_New(0);
            return *chosen == NULL || *notes == NULL ? -1 : 0;
        }
    }
    return ask_hook(hook, given, printed, chosen, notes);
}

/* choose_pmid((given, printed)) with its notes; new references. */
static int
choose_pmid(PyObject *hook, PyObject *given, PyObject *printed, PyObject **chosen, PyObject **notes)
{
    PyObject *valid[2] = {NULL, NULL};
    PyObject *texts[2] = {given, printed};
    int all_valid = 1;
    for (int k = 0; k < 2; k++) {
        if (texts[k] == Py_None || PyUnicode_GET_LENGTH(texts[k]) == 0) {
            continue;
        }
        valid[k] = valid_pmid(texts[k]);
        if (valid[k] == NULL) {
            if (PyErr_Occurred()) {
                Py_XDECREF(valid[0]);
                return -1;
            }
            all_valid = 0;
        }
    }
    if (!all_valid) {
        Py_XDECREF(valid[0]);
        Py_XDECREF(valid[1]);
        return ask_hook(hook, given, printed, chosen, notes);
    }
    *chosen = valid[0] != NULL ? valid[0] : (valid[1] != NULL ? valid[1] : Py_NewRef(Py_None));
    if (valid[0] != NULL) {
        Py_XDECREF(valid[1]);
    }
    *notes = PyTuple_New(0);
    return *notes == NULL ? -1 : 0;
}

/* The identifiers a Reference element gives beside its text. */
typedef struct {
    PyObject *doi, *pubmed, *pmc;  /* new references or NULL */
    xmlNode *citation;
    int seen_doi, seen_pubmed, seen_pmc;
} Given;

static void
given_clear(Given *g)
{
    Py_CLEAR(g->doi);
    Py_CLEAR(g->pubmed);
    Py_CLEAR(g->pmc);
}

/* Whether the node is an element tagged name without a namespace: what ``child.tag == name`` says. */
static int
is_tagged(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && node->ns == NULL && strcmp((const char *)node->name, name) == 0;
}

static int
is_string(PyObject *value, const char *text)
{
    return value != NULL && PyUnicode_Check(value) && PyUnicode_CompareWithASCIIString(value, text) == 0;
}

/* One ArticleId: pubmed_xml._reference's rule (each IdType's first id, but every DOI, space-separated). Its
   IdType and text are read by lxml's own functions, so they are what ``.get("IdType")`` and ``.text`` give. */
static int
take_article_id(xmlNode *article_id, Given *g)
{
    PyObject *id_type = attributeValueFromNsName(article_id, NULL, (const xmlChar *)"IdType");
    if (id_type == NULL) {
        return -1;
    }
    PyObject **slot = NULL;
    int *seen = NULL;
    if (is_string(id_type, "doi")) {
        slot = &g->doi, seen = &g->seen_doi;
    } else if (is_string(id_type, "pubmed")) {
        slot = &g->pubmed, seen = &g->seen_pubmed;
    } else if (is_string(id_type, "pmc")) {
        slot = &g->pmc, seen = &g->seen_pmc;
    }
    int is_doi = slot == &g->doi;
    Py_DECREF(id_type);
    if (slot == NULL || (*seen && !is_doi)) {
        return 0;
    }
    PyObject *raw = textOf(article_id);
    if (raw == NULL) {
        return -1;
    }
    PyObject *value = squash_or_none(raw);
    Py_DECREF(raw);
    if (value == NULL) {
        return -1;
    }
    if (!*seen) {
        *seen = 1;
        *slot = value;
    } else if (value != Py_None) {  /* a further DOI */
        if (*slot == NULL || *slot == Py_None) {
            Py_XSETREF(*slot, value);
        } else {
            PyObject *joined = PyUnicode_FromFormat("%U %U", *slot, value);
            Py_DECREF(value);
            if (joined == NULL) {
                return -1;
            }
            Py_SETREF(*slot, joined);
        }
    } else {
        Py_DECREF(value);
    }
    return 0;
}

/* Reads a Reference's children into g; 1 when its Citation has markup (the Python twin reads that one). */
static int
read_given(xmlNode *reference, Given *g)
{
    for (xmlNode *child = reference->children; child != NULL; child = child->next) {
        if (is_tagged(child, "ArticleIdList")) {
            for (xmlNode *article_id = child->children; article_id != NULL; article_id = article_id->next) {
                if (is_tagged(article_id, "ArticleId") && take_article_id(article_id, g) < 0) {
                    return -1;
                }
            }
        } else if (g->citation == NULL && is_tagged(child, "Citation")) {
            g->citation = child;
        }
    }
    return g->citation != NULL && hasChild(g->citation);
}

/* finish_reference of a reference with a PMID, Reference.unparsed(position, citation, parse, **identifiers),
   without a Python call: an instance of the class whose dict is the state Reference.unparsed_state gave, filled. */
static PyObject *
unparsed(PyObject *const *hooks, PyObject *position, PyObject *citation, PyObject *doi, PyObject *pmid,
         PyObject *pmcid, PyObject *title, PyObject *notes)
{
    PyObject *cls = hooks[HOOK_CLASS], *state = hooks[HOOK_STATE];
    if (!PyType_Check(cls) || !PyDict_Check(state)) {
        PyErr_SetString(PyExc_TypeError, "hooks must end with the Reference class and its unparsed state");
        return NULL;
    }
    PyObject *empty = PyTuple_New(0);
    PyObject *ref = empty == NULL ? NULL : PyBaseObject_Type.tp_new((PyTypeObject *)cls, empty, NULL);
    Py_XDECREF(empty);
    PyObject *fields = ref == NULL ? NULL : PyDict_Copy(state);
    if (fields == NULL) {
        Py_XDECREF(ref);
        return NULL;
    }
    const char *names[] = {"doi", "pmid", "pmcid", "title_of_list", "notes", "position", "citation"};
    PyObject *values[] = {doi, pmid, pmcid, title, notes, position, citation};
    for (int k = 0; k < 7; k++) {
        if (PyDict_SetItemString(fields, names[k], values[k]) < 0) {
            Py_DECREF(fields);
            Py_DECREF(ref);
            return NULL;
        }
    }
    int set = PyObject_GenericSetDict(ref, fields, NULL);
    Py_DECREF(fields);
    if (set < 0) {
        Py_DECREF(ref);
        return NULL;
    }
    return ref;
}

/* The Reference at position, or Py_None (a new reference to it) when the Python twin must read this one. */
static PyObject *
native_reference(xmlNode *element, Py_ssize_t position, PyObject *title, PyObject *const *hooks)
{
    Given g = {NULL, NULL, NULL, NULL, 0, 0, 0};
    PyObject *text = NULL, *clean = NULL, *body = NULL, *printed_doi = NULL, *printed_pmid = NULL;
    PyObject *printed_pmcid = NULL, *doi = NULL, *doi_notes = NULL, *pmid = NULL, *pmid_notes = NULL;
    PyObject *notes = NULL, *result = NULL;
    int status = read_given(element, &g);
    if (status != 0) {
        goto done;
    }
    if (g.citation != NULL) {
        text = textOf(g.citation);
        if (text == NULL) {
            goto done;
        }
        if (text == Py_None) {
            Py_SETREF(text, Py_NewRef(s_empty));
        }
    } else {
        text = Py_NewRef(s_empty);
    }
    if (!PyUnicode_Check(text) || risky(text) || risky(g.doi)) {
        status = 1;
        goto done;
    }
    clean = squash(text);
    if (clean == NULL) {
        goto done;
    }
    Text t = text_of(clean);
    if (find_exact(&t, 0, " - ") >= 0) {
        status = 1;
        goto done;
    }
    Py_ssize_t doi_at = find_exact(&t, 0, "10."), start = 0, begin = 0, end = 0;
    int has_doi = doi_at >= 0 && search_doi(&t, doi_at > 19 ? doi_at - 19 : 0, &start, &begin, &end);
    if (has_doi) {
        if (find_exact(&t, end, "10.") >= 0) {  /* perhaps a second DOI */
            status = 1;
            goto done;
        }
        printed_doi = PyUnicode_Substring(clean, begin, end);
        while (start > 0 && Py_UNICODE_ISSPACE(at(&t, start - 1))) {
            start--;
        }
        body = PyUnicode_Substring(clean, 0, start);
        if (printed_doi == NULL || body == NULL) {
            goto done;
        }
    } else {
        body = Py_NewRef(clean);
    }
    Py_ssize_t id_begin, id_end;
    if (search_id(&t, 0, &id_begin, &id_end)) {
        printed_pmid = PyUnicode_Substring(clean, id_begin, id_end);
        if (printed_pmid == NULL) {
            goto done;
        }
    }
    if (search_id(&t, 1, &id_begin, &id_end)) {
        printed_pmcid = PyUnicode_Substring(clean, id_begin, id_end);
        if (printed_pmcid == NULL) {
            goto done;
        }
    }
    PyObject *given_doi = g.doi != NULL ? g.doi : Py_None;
    PyObject *given_pmid = g.pubmed != NULL ? g.pubmed : Py_None;
    if (choose_doi(hooks[HOOK_CHOOSE_DOI], given_doi, printed_doi, &doi, &doi_notes) < 0
        || choose_pmid(hooks[HOOK_CHOOSE_PMID], given_pmid, printed_pmid != NULL ? printed_pmid : Py_None, &pmid,
                       &pmid_notes) < 0) {
        goto done;
    }
    notes = PySequence_Concat(pmid_notes, doi_notes);
    if (notes == NULL) {
        goto done;
    }
    PyObject *pmcid = g.pmc != NULL && g.pmc != Py_None ? g.pmc : (printed_pmcid != NULL ? printed_pmcid : Py_None);
    PyObject *at_position = PyLong_FromSsize_t(position);
    if (at_position == NULL) {
        goto done;
    }
    if (pmid != Py_None) {
        result = unparsed(hooks, at_position, clean, doi, pmid, pmcid, title, notes);
    } else {
        PyObject *args[8] = {at_position, clean, body, doi, pmid, pmcid, title, notes};
        result = PyObject_Vectorcall(hooks[HOOK_FINISH], args, 8, NULL);
    }
    Py_DECREF(at_position);

done:
    given_clear(&g);
    Py_XDECREF(text);
    Py_XDECREF(clean);
    Py_XDECREF(body);
    Py_XDECREF(printed_doi);
    Py_XDECREF(printed_pmid);
    Py_XDECREF(printed_pmcid);
    Py_XDECREF(doi);
    Py_XDECREF(doi_notes);
    Py_XDECREF(pmid);
    Py_XDECREF(pmid_notes);
    Py_XDECREF(notes);
    if (status == 1 && result == NULL && !PyErr_Occurred()) {
        return Py_NewRef(Py_None);
    }
    return result;
}

/* A Python element for a node of the tree the element parent belongs to (lxml's own proxy, as iteration gives). */
static PyObject *
proxy(PyObject *parent, xmlNode *node)
{
    return (PyObject *)elementFactory(((struct LxmlElement *)parent)->_doc, node);
}

static PyObject *
collect_references(PyObject *self, PyObject *args)
{
    PyObject *reference_list, *title, *references, *hooks;
    if (!PyArg_ParseTuple(args, "O!OO!O!:collect_references", element_type, &reference_list, &title, &PyList_Type,
                          &references, &PyTuple_Type, &hooks)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(hooks) != N_HOOKS) {
        PyErr_SetString(PyExc_TypeError,
                        "hooks must be (reference, collect, finish, choose_doi, choose_pmid, cls, state)");
        return NULL;
    }
    PyObject *const *hook = &PyTuple_GET_ITEM(hooks, 0);
    /* The element holds its document, so the nodes stay; nothing called here changes the tree. */
    for (xmlNode *child = ((struct LxmlElement *)reference_list)->_c_node->children; child; child = child->next) {
        if (is_tagged(child, "Reference")) {
            Py_ssize_t position = PyList_GET_SIZE(references) + 1;
            PyObject *reference = native_reference(child, position, title, hook);
            if (reference == Py_None) {  /* the Python twin reads this one */
                Py_DECREF(reference);
                PyObject *element = proxy(reference_list, child);
                PyObject *at_position = PyLong_FromSsize_t(position);
                reference = element == NULL || at_position == NULL ? NULL
                    : PyObject_CallFunctionObjArgs(hook[HOOK_REFERENCE], element, at_position, title, NULL);
                Py_XDECREF(element);
                Py_XDECREF(at_position);
            }
            int failed = reference == NULL || PyList_Append(references, reference) < 0;
            Py_XDECREF(reference);
            if (failed) {
                return NULL;
            }
        } else if (is_tagged(child, "ReferenceList")) {
            PyObject *element = proxy(reference_list, child);
            PyObject *done = element == NULL ? NULL
                : PyObject_CallFunctionObjArgs(hook[HOOK_COLLECT], element, title, references, NULL);
            Py_XDECREF(element);
            if (done == NULL) {
                return NULL;
            }
            Py_DECREF(done);
        }
    }
    Py_RETURN_NONE;
}

/* ---- authors: pubmed_xml._authors, _author and _affiliation ------------------------------------------------- */

enum { A_AUTHOR, A_TEXT, A_ORCID, A_AUTHOR_CLASS, A_AFFILIATION_CLASS, A_ID_CLASS, N_AUTHOR_HOOKS };
enum { N_LAST, N_FORE, N_INITIALS, N_SUFFIX, N_COLLECTIVE, N_NAMES };
static const char *const name_tags[N_NAMES] = {"LastName", "ForeName", "Initials", "Suffix", "CollectiveName"};
static PyObject *author_kwnames;  /* the Author fields this module sets, in the order of its arguments */

/* pubmed_xml._text of an element: a leaf's text squashed (None when empty) here, markup by the Python twin. */
static PyObject *
element_text(PyObject *owner, xmlNode *node, PyObject *text_hook)
{
    if (node == NULL) {
        Py_RETURN_NONE;
    }
    if (hasChild(node)) {
        PyObject *element = proxy(owner, node);
        PyObject *text = element == NULL ? NULL : PyObject_CallOneArg(text_hook, element);
        Py_XDECREF(element);
        return text;
    }
    PyObject *raw = textOf(node);
    if (raw == NULL) {
        return NULL;
    }
    PyObject *text = squash_or_none(raw);
    Py_DECREF(raw);
    return text;
}

/* element.get(name) == value, lxml's own reading of the attribute; absent reads as absent_is. */
static int
attribute_is(xmlNode *node, const char *name, const char *value, int absent_is)
{
    PyObject *found = attributeValueFromNsName(node, NULL, (const xmlChar *)name);
    if (found == NULL) {
        return -1;
    }
    int is = found == Py_None ? absent_is : is_string(found, value);
    Py_DECREF(found);
    return is;
}

/* squash(element.text): "" for none. */
static PyObject *
squashed_text(xmlNode *node)
{
    PyObject *raw = textOf(node);
    if (raw == NULL) {
        return NULL;
    }
    if (raw == Py_None) {
        Py_DECREF(raw);
        return Py_NewRef(s_empty);
    }
    PyObject *text = squash(raw);
    Py_DECREF(raw);
    return text;
}

/* _affiliation: an Affiliation, or Py_None (a new reference) when the AffiliationInfo has no Affiliation. */
static PyObject *
affiliation_of(PyObject *owner, xmlNode *info, PyObject *const *hooks)
{
    xmlNode *affiliation = NULL;
    PyObject *identifiers = PyList_New(0);
    if (identifiers == NULL) {
        return NULL;
    }
    for (xmlNode *child = info->children; child != NULL; child = child->next) {
        if (is_tagged(child, "Affiliation")) {
            if (affiliation == NULL) {
                affiliation = child;
            }
        } else if (is_tagged(child, "Identifier")) {
            PyObject *value = squashed_text(child);
            if (value == NULL) {
                goto fail;
            }
            if (PyUnicode_GET_LENGTH(value) == 0) {
                Py_DECREF(value);
                continue;
            }
            PyObject *source = attributeValueFromNsName(child, NULL, (const xmlChar *)"Source");
            if (source != NULL && (source == Py_None || PyObject_Not(source))) {
                Py_SETREF(source, PyUnicode_FromString("unknown"));
            }
            PyObject *id = source == NULL ? NULL : PyObject_CallFunctionObjArgs(hooks[A_ID_CLASS], source, value, NULL);
            Py_XDECREF(source);
            Py_DECREF(value);
            if (id == NULL || PyList_Append(identifiers, id) < 0) {
                Py_XDECREF(id);
                goto fail;
            }
            Py_DECREF(id);
        }
    }
    if (affiliation == NULL) {
        Py_DECREF(identifiers);
        Py_RETURN_NONE;
    }
    PyObject *name = element_text(owner, affiliation, hooks[A_TEXT]);
    if (name == NULL) {
        goto fail;
    }
    if (name == Py_None) {
        Py_SETREF(name, Py_NewRef(s_empty));
    }
    PyObject *ids = PyList_AsTuple(identifiers);
    Py_DECREF(identifiers);
    PyObject *made = ids == NULL ? NULL : PyObject_CallFunctionObjArgs(hooks[A_AFFILIATION_CLASS], name, ids, NULL);
    Py_DECREF(name);
    Py_XDECREF(ids);
    return made;

fail:
    Py_DECREF(identifiers);
    return NULL;
}

/* _author: an Author, or Py_None (a new reference) when the Python twin must read it (a malformed ORCID, whose
   note names the author). */
static PyObject *
author_of(PyObject *owner, xmlNode *element, PyObject *role, PyObject *const *hooks)
{
    xmlNode *names[N_NAMES] = {NULL, NULL, NULL, NULL, NULL};
    PyObject *values[10] = {NULL};  /* the names, affiliations, orcid, valid, equal_contribution, role */
    PyObject *affiliations = PyList_New(0), *orcid = Py_NewRef(Py_None), *result = NULL;
    int malformed = 0;
    if (affiliations == NULL) {
        goto done;
    }
    for (xmlNode *child = element->children; child != NULL; child = child->next) {
        if (is_tagged(child, "AffiliationInfo")) {
            PyObject *affiliation = affiliation_of(owner, child, hooks);
            if (affiliation == NULL) {
                goto done;
            }
            int failed = affiliation != Py_None && PyList_Append(affiliations, affiliation) < 0;
            Py_DECREF(affiliation);
            if (failed) {
                goto done;
            }
        } else if (is_tagged(child, "Identifier")) {
            int is_orcid = attribute_is(child, "Source", "ORCID", 0);
            if (is_orcid < 0) {
                goto done;
            }
            if (!is_orcid) {
                continue;
            }
            PyObject *raw = squashed_text(child);
            PyObject *normalised = raw == NULL ? NULL : PyObject_CallOneArg(hooks[A_ORCID], raw);
            Py_XDECREF(raw);
            if (normalised == NULL) {
                goto done;
            }
            if (normalised == Py_None) {
                malformed = 1;
            } else if (orcid == Py_None) {
                Py_SETREF(orcid, Py_NewRef(normalised));
            }
            Py_DECREF(normalised);
        } else if (child->type == XML_ELEMENT_NODE && child->ns == NULL) {
            for (int k = 0; k < N_NAMES; k++) {
                if (names[k] == NULL && strcmp((const char *)child->name, name_tags[k]) == 0) {
                    names[k] = child;
                }
            }
        }
    }
    if (malformed) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    for (int k = 0; k < N_NAMES; k++) {
        values[k] = element_text(owner, names[k], hooks[A_TEXT]);
        if (values[k] == NULL) {
            goto done;
        }
    }
    int valid = attribute_is(element, "ValidYN", "Y", 1), equal = attribute_is(element, "EqualContrib", "Y", 0);
    if (valid < 0 || equal < 0) {
        goto done;
    }
    values[5] = PyList_AsTuple(affiliations);
    values[6] = Py_NewRef(orcid);
    values[7] = PyBool_FromLong(valid);
    values[8] = PyBool_FromLong(equal);
    values[9] = Py_NewRef(role);
    if (values[5] == NULL) {
        goto done;
    }
    result = PyObject_Vectorcall(hooks[A_AUTHOR_CLASS], values, 0, author_kwnames);

done:
    Py_XDECREF(affiliations);
    Py_XDECREF(orcid);
    for (int k = 0; k < 10; k++) {
        Py_XDECREF(values[k]);
    }
    return result;
}

static PyObject *
authors(PyObject *self, PyObject *args)
{
    PyObject *author_list, *notes, *role, *hooks;
    if (!PyArg_ParseTuple(args, "O!O!OO!:authors", element_type, &author_list, &PyList_Type, &notes, &role,
                          &PyTuple_Type, &hooks)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(hooks) != N_AUTHOR_HOOKS) {
        PyErr_SetString(PyExc_TypeError, "hooks must be (author, text, normalise_orcid, Author, Affiliation, ArticleId)");
        return NULL;
    }
    PyObject *const *hook = &PyTuple_GET_ITEM(hooks, 0);
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    for (xmlNode *child = ((struct LxmlElement *)author_list)->_c_node->children; child; child = child->next) {
        if (!is_tagged(child, "Author") && !is_tagged(child, "Investigator")) {
            continue;
        }
        PyObject *author = author_of(author_list, child, role, hook);
        if (author == Py_None) {  /* the Python twin reads this one */
            Py_DECREF(author);
            PyObject *element = proxy(author_list, child);
            author = element == NULL ? NULL : PyObject_CallFunctionObjArgs(hook[A_AUTHOR], element, notes, role, NULL);
            Py_XDECREF(element);
        }
        int failed = author == NULL || PyList_Append(found, author) < 0;
        Py_XDECREF(author);
        if (failed) {
            Py_DECREF(found);
            return NULL;
        }
    }
    PyObject *made = PyList_AsTuple(found);
    Py_DECREF(found);
    return made;
}

/* ---- MeSH headings: pubmed_xml._mesh_headings ----------------------------------------------------------------- */

enum { M_TEXT, M_HEADING_CLASS, M_QUALIFIER_CLASS, N_MESH_HOOKS };
static PyObject *heading_kwnames;  /* the MeshHeading fields, in the order of its arguments */

/* A QualifierName's MeshQualifier, or Py_None (a new reference) when it has no text. */
static PyObject *
qualifier_of(PyObject *owner, xmlNode *node, PyObject *const *hooks)
{
    PyObject *name = element_text(owner, node, hooks[M_TEXT]);
    if (name == NULL) {
        return NULL;
    }
    int named = PyObject_IsTrue(name);
    if (named <= 0) {
        Py_DECREF(name);
        return named < 0 ? NULL : Py_NewRef(Py_None);
    }
    PyObject *made = NULL;
    PyObject *ui = attributeValueFromNsName(node, NULL, (const xmlChar *)"UI");
    int major = ui == NULL ? -1 : attribute_is(node, "MajorTopicYN", "Y", 0);
    if (major >= 0) {
        PyObject *args[3] = {ui, name, major ? Py_True : Py_False};
        made = PyObject_Vectorcall(hooks[M_QUALIFIER_CLASS], args, 3, NULL);
    }
    Py_XDECREF(ui);
    Py_DECREF(name);
    return made;
}

/* A MeshHeading's MeshHeading (its first DescriptorName, every QualifierName with text), or Py_None (a new
   reference) when its descriptor has no text. */
static PyObject *
heading_of(PyObject *owner, xmlNode *heading, PyObject *const *hooks)
{
    xmlNode *descriptor = NULL;
    PyObject *values[5] = {NULL};  /* descriptor_ui, descriptor_name, major, qualifiers, type */
    PyObject *qualifiers = PyList_New(0), *result = NULL;
    if (qualifiers == NULL) {
        return NULL;
    }
    for (xmlNode *child = heading->children; child != NULL; child = child->next) {
        if (is_tagged(child, "QualifierName")) {
            PyObject *qualifier = qualifier_of(owner, child, hooks);
            if (qualifier == NULL) {
                goto done;
            }
            int failed = qualifier != Py_None && PyList_Append(qualifiers, qualifier) < 0;
            Py_DECREF(qualifier);
            if (failed) {
                goto done;
            }
        } else if (descriptor == NULL && is_tagged(child, "DescriptorName")) {
            descriptor = child;
        }
    }
    values[1] = element_text(owner, descriptor, hooks[M_TEXT]);
    if (values[1] == NULL) {
        goto done;
    }
    int named = PyObject_IsTrue(values[1]);
    if (named <= 0) {
        result = named < 0 ? NULL : Py_NewRef(Py_None);
        goto done;
    }
    values[0] = attributeValueFromNsName(descriptor, NULL, (const xmlChar *)"UI");
    int major = values[0] == NULL ? -1 : attribute_is(descriptor, "MajorTopicYN", "Y", 0);
    if (major < 0) {
        goto done;
    }
    values[2] = PyBool_FromLong(major);
    values[3] = PyList_AsTuple(qualifiers);
    values[4] = values[3] == NULL ? NULL : attributeValueFromNsName(descriptor, NULL, (const xmlChar *)"Type");
    if (values[4] != NULL) {
        result = PyObject_Vectorcall(hooks[M_HEADING_CLASS], values, 0, heading_kwnames);
    }

done:
    Py_DECREF(qualifiers);
    for (int k = 0; k < 5; k++) {
        Py_XDECREF(values[k]);
    }
    return result;
}

static PyObject *
mesh_headings(PyObject *self, PyObject *args)
{
    PyObject *lists, *hooks;
    if (!PyArg_ParseTuple(args, "OO!:mesh_headings", &lists, &PyTuple_Type, &hooks)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(hooks) != N_MESH_HOOKS) {
        PyErr_SetString(PyExc_TypeError, "hooks must be (text, MeshHeading, MeshQualifier)");
        return NULL;
    }
    PyObject *const *hook = &PyTuple_GET_ITEM(hooks, 0);
    PyObject *given = PySequence_Fast(lists, "mesh_headings reads a list of MeshHeadingList elements");
    PyObject *found = given == NULL ? NULL : PyList_New(0);
    if (found == NULL) {
        Py_XDECREF(given);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(given); i++) {
        PyObject *owner = PySequence_Fast_GET_ITEM(given, i);
        if (!PyObject_TypeCheck(owner, element_type)) {
            PyErr_SetString(PyExc_TypeError, "mesh_headings reads a list of MeshHeadingList elements");
            goto fail;
        }
        Py_INCREF(owner);  /* held while the hooks run: nothing may drop it from the list under this loop */
        int failed = 0;
        xmlNode *child = ((struct LxmlElement *)owner)->_c_node->children;
        for (; child != NULL && !failed; child = child->next) {
            if (is_tagged(child, "MeshHeading")) {
                PyObject *heading = heading_of(owner, child, hook);
                failed = heading == NULL || (heading != Py_None && PyList_Append(found, heading) < 0);
                Py_XDECREF(heading);
            }
        }
        Py_DECREF(owner);
        if (failed) {
            goto fail;
        }
    }
    Py_DECREF(given);
    PyObject *made = PyList_AsTuple(found);
    Py_DECREF(found);
    return made;

fail:
    Py_DECREF(given);
    Py_DECREF(found);
    return NULL;
}

/* ---- history: pubmed_xml._history, and _date for the plain dates ---------------------------------------------- */

enum { H_READ_DATE, H_HISTORY_CLASS, H_DATE_CLASS, N_HISTORY_HOOKS };
enum { PART_ABSENT, PART_NUMBER, PART_OTHER };
static PyObject *s_pubmed_pub_date, *s_unknown;

/* How make_date and month_number read the text of a Year, Month or Day (lxml's .text: the node's first run of text
   nodes): PART_ABSENT for no element, no text or only ASCII whitespace; PART_NUMBER, with *number set, for one to
   nine ASCII digits between ASCII whitespace; PART_OTHER for anything else, which the Python twin reads. Only
   ASCII whitespace is taken: int() strips no other (str.strip() does), and a month may be a name. */
static int
date_part(const xmlNode *node, long *number)
{
    if (node == NULL) {
        return PART_ABSENT;
    }
    long value = 0;
    int digits = 0, ended = 0;  /* ended: whitespace after the digits */
    for (const xmlNode *text = node->children; text != NULL; text = text->next) {
        if (text->type == XML_XINCLUDE_START || text->type == XML_XINCLUDE_END) {
            continue;
        }
        if ((text->type != XML_TEXT_NODE && text->type != XML_CDATA_SECTION_NODE) || text->content == NULL) {
            break;
        }
        for (const xmlChar *c = text->content; *c; c++) {
            if (*c >= '0' && *c <= '9') {
                if (ended || digits == 9) {
                    return PART_OTHER;
                }
                value = value * 10 + (*c - '0');
                digits++;
            } else if (*c == ' ' || (*c >= '\t' && *c <= '\r')) {
                ended = digits > 0;
            } else {
                return PART_OTHER;
            }
        }
    }
    *number = value;
    return digits > 0 ? PART_NUMBER : PART_ABSENT;
}

/* Whether lxml's .text of the node is a non-empty string (what makes _date read a MedlineDate or a Season). */
static int
has_text(const xmlNode *node)
{
    for (const xmlNode *text = node == NULL ? NULL : node->children; text != NULL; text = text->next) {
        if (text->type == XML_XINCLUDE_START || text->type == XML_XINCLUDE_END) {
            continue;
        }
        if (text->type != XML_TEXT_NODE && text->type != XML_CDATA_SECTION_NODE) {
            return 0;
        }
        if (text->content != NULL && text->content[0] != '\0') {
            return 1;
        }
    }
    return 0;
}

/* _date of a PubMedPubDate given as plain numbers (a Year, perhaps a Month and a Day; no MedlineDate or Season
   text): 1 with *date set to the PartialDate, made by calling the class so its checks run; 0 when the Python twin
   must read it (any other form, or a date PartialDate refuses: the twin raises the FieldError that names it); -1
   on an error. Each part is its tag's first child, as _date takes it. */
static int
plain_date(xmlNode *element, PyObject *date_class, PyObject **date)
{
    const char *const tags[5] = {"Year", "Month", "Day", "MedlineDate", "Season"};
    xmlNode *parts[5] = {NULL, NULL, NULL, NULL, NULL};
    for (xmlNode *child = element->children; child != NULL; child = child->next) {
        if (child->type == XML_ELEMENT_NODE && child->ns == NULL) {
            for (int k = 0; k < 5; k++) {
                if (parts[k] == NULL && strcmp((const char *)child->name, tags[k]) == 0) {
                    parts[k] = child;
                }
            }
        }
    }
    long numbers[3] = {0, 0, 0};
    int kinds[3];
    for (int k = 0; k < 3; k++) {
        kinds[k] = date_part(parts[k], &numbers[k]);
    }
    if (kinds[0] != PART_NUMBER || kinds[1] == PART_OTHER || kinds[2] == PART_OTHER || has_text(parts[3])
        || has_text(parts[4])) {
        return 0;
    }
    PyObject *args[3] = {NULL, Py_None, Py_None};
    int made = 0;
    for (int k = 0; k < 3; k++) {
        if (kinds[k] == PART_NUMBER && (args[k] = PyLong_FromLong(numbers[k])) == NULL) {
            made = -1;
        }
    }
    if (made == 0) {
        *date = PyObject_Vectorcall(date_class, args, 3, NULL);
        made = *date != NULL ? 1 : PyErr_ExceptionMatches(PyExc_ValueError) ? 0 : -1;
        if (made == 0) {
            PyErr_Clear();
        }
    }
    for (int k = 0; k < 3; k++) {
        if (args[k] != Py_None) {
            Py_XDECREF(args[k]);
        }
    }
    return made;
}

/* One PubMedPubDate's HistoryDate, or Py_None (a new reference) when the twin's date is None. */
static PyObject *
history_date(PyObject *owner, xmlNode *element, PyObject *const *hooks)
{
    PyObject *date = NULL;
    int plain = plain_date(element, hooks[H_DATE_CLASS], &date);
    if (plain < 0) {
        return NULL;
    }
    if (plain == 0) {
        PyObject *proxied = proxy(owner, element);
        date = proxied == NULL ? NULL
            : PyObject_CallFunctionObjArgs(hooks[H_READ_DATE], proxied, s_pubmed_pub_date, NULL);
        Py_XDECREF(proxied);
        if (date == NULL || date == Py_None) {
            return date;
        }
    }
    PyObject *status = attributeValueFromNsName(element, NULL, (const xmlChar *)"PubStatus");
    int named = status == NULL ? -1 : PyObject_IsTrue(status);
    PyObject *made = NULL;
    if (named >= 0) {
        PyObject *args[2] = {named ? status : s_unknown, date};
        made = PyObject_Vectorcall(hooks[H_HISTORY_CLASS], args, 2, NULL);
    }
    Py_XDECREF(status);
    Py_DECREF(date);
    return made;
}

static PyObject *
history(PyObject *self, PyObject *args)
{
    PyObject *data, *hooks;
    if (!PyArg_ParseTuple(args, "O!O!:history", element_type, &data, &PyTuple_Type, &hooks)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(hooks) != N_HISTORY_HOOKS) {
        PyErr_SetString(PyExc_TypeError, "hooks must be (read_date, HistoryDate, PartialDate)");
        return NULL;
    }
    PyObject *const *hook = &PyTuple_GET_ITEM(hooks, 0);
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    for (xmlNode *list = ((struct LxmlElement *)data)->_c_node->children; list != NULL; list = list->next) {
        if (!is_tagged(list, "History")) {
            continue;
        }
        for (xmlNode *child = list->children; child != NULL; child = child->next) {
            if (!is_tagged(child, "PubMedPubDate")) {
                continue;
            }
            PyObject *dated = history_date(data, child, hook);
            int failed = dated == NULL || (dated != Py_None && PyList_Append(found, dated) < 0);
            Py_XDECREF(dated);
            if (failed) {
                Py_DECREF(found);
                return NULL;
            }
        }
    }
    PyObject *made = PyList_AsTuple(found);
    Py_DECREF(found);
    return made;
}

/* ---- abstracts: pubmed_xml._abstract -------------------------------------------------------------------------- */

enum { B_TEXT_AND_HTML, B_TEXT, B_ABSTRACT_CLASS, B_SECTION_CLASS, N_ABSTRACT_HOOKS };
static PyObject *section_kwnames;   /* the AbstractSection fields, in the order of its arguments */
static PyObject *abstract_kwnames;  /* the Abstract fields */

/* One AbstractText's AbstractSection, or Py_None (a new reference) when it has no text. Plain text is squashed
   here; one with children (markup) is read by hooks[B_TEXT_AND_HTML], pubmed_xml._text_and_html. */
static PyObject *
section_of(PyObject *owner, xmlNode *node, PyObject *const *hooks)
{
    PyObject *values[4] = {NULL, NULL, NULL, NULL};  /* text, label, nlm_category, html */
    PyObject *result = NULL;
    if (hasChild(node)) {
        PyObject *element = proxy(owner, node);
        PyObject *read = element == NULL ? NULL : PyObject_CallOneArg(hooks[B_TEXT_AND_HTML], element);
        Py_XDECREF(element);
        if (read == NULL) {
            return NULL;
        }
        if (!PyTuple_Check(read) || PyTuple_GET_SIZE(read) != 2) {
            Py_DECREF(read);
            PyErr_SetString(PyExc_TypeError, "the text_and_html hook must answer (text, html)");
            return NULL;
        }
        values[0] = Py_NewRef(PyTuple_GET_ITEM(read, 0));
        values[3] = Py_NewRef(PyTuple_GET_ITEM(read, 1));
        Py_DECREF(read);
    } else {
        PyObject *raw = textOf(node);
        values[0] = raw == NULL ? NULL : squash_or_none(raw);
        Py_XDECREF(raw);
        values[3] = Py_NewRef(Py_None);
        if (values[0] == NULL) {
            goto done;
        }
    }
    int has_text = PyObject_IsTrue(values[0]);
    if (has_text <= 0) {
        result = has_text < 0 ? NULL : Py_NewRef(Py_None);
        goto done;
    }
    values[1] = attributeValueFromNsName(node, NULL, (const xmlChar *)"Label");
    values[2] = values[1] == NULL ? NULL : attributeValueFromNsName(node, NULL, (const xmlChar *)"NlmCategory");
    if (values[2] != NULL) {
        result = PyObject_Vectorcall(hooks[B_SECTION_CLASS], values, 0, section_kwnames);
    }

done:
    for (int k = 0; k < 4; k++) {
        Py_XDECREF(values[k]);
    }
    return result;
}

static PyObject *
abstract(PyObject *self, PyObject *args)
{
    PyObject *element, *kind, *language, *hooks;
    if (!PyArg_ParseTuple(args, "O!OOO!:abstract", element_type, &element, &kind, &language, &PyTuple_Type,
                          &hooks)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(hooks) != N_ABSTRACT_HOOKS) {
        PyErr_SetString(PyExc_TypeError, "hooks must be (text_and_html, text, Abstract, AbstractSection)");
        return NULL;
    }
    PyObject *const *hook = &PyTuple_GET_ITEM(hooks, 0);
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    xmlNode *copyright = NULL;
    for (xmlNode *child = ((struct LxmlElement *)element)->_c_node->children; child != NULL; child = child->next) {
        if (is_tagged(child, "AbstractText")) {
            PyObject *section = section_of(element, child, hook);
            int failed = section == NULL || (section != Py_None && PyList_Append(found, section) < 0);
            Py_XDECREF(section);
            if (failed) {
                Py_DECREF(found);
                return NULL;
            }
        } else if (copyright == NULL && is_tagged(child, "CopyrightInformation")) {
            copyright = child;
        }
    }
    PyObject *values[4] = {PyList_AsTuple(found), language, kind, NULL};  /* sections, language, kind, copyright */
    Py_DECREF(found);
    if (values[0] == NULL) {
        return NULL;
    }
    values[3] = element_text(element, copyright, hook[B_TEXT]);
    PyObject *made = NULL;
    if (values[3] != NULL) {
        made = PyTuple_GET_SIZE(values[0]) == 0 && values[3] == Py_None ? Py_NewRef(Py_None)
            : PyObject_Vectorcall(hook[B_ABSTRACT_CLASS], values, 0, abstract_kwnames);
    }
    Py_DECREF(values[0]);
    Py_XDECREF(values[3]);
    return made;
}

/* ---- identifiers: pubmed_xml._ids ----------------------------------------------------------------------------- */

enum { I_ID_CLASS, N_ID_HOOKS };

/* Appends to found the ArticleId of an ArticleId or ELocationID node (its scheme the attribute type_attribute, or
   "unknown"; its text squashed) unless its value is empty or an equal one (the same scheme and value, as
   ArticleId's == says) is there already: what dict.fromkeys keeps. seen holds the (scheme, value) pairs found. */
static int
take_id(xmlNode *node, const char *type_attribute, PyObject *found, PyObject *seen, PyObject *id_class)
{
    PyObject *value = squashed_text(node);
    if (value == NULL) {
        return -1;
    }
    if (PyUnicode_GET_LENGTH(value) == 0) {
        Py_DECREF(value);
        return 0;
    }
    PyObject *scheme = attributeValueFromNsName(node, NULL, (const xmlChar *)type_attribute);
    int named = scheme == NULL ? -1 : PyObject_IsTrue(scheme);
    PyObject *key = named < 0 ? NULL : PyTuple_Pack(2, named ? scheme : s_unknown, value);
    int status = key == NULL ? -1 : PySet_Contains(seen, key);
    if (status == 0) {
        PyObject *made = PySet_Add(seen, key) < 0 ? NULL
            : PyObject_Vectorcall(id_class, &PyTuple_GET_ITEM(key, 0), 2, NULL);
        status = made == NULL || PyList_Append(found, made) < 0 ? -1 : 0;
        Py_XDECREF(made);
    }
    Py_XDECREF(key);
    Py_XDECREF(scheme);
    Py_DECREF(value);
    return status < 0 ? -1 : 0;
}

/* The ArticleId children of the ArticleIdList children of node into found. */
static int
take_id_lists(xmlNode *node, PyObject *found, PyObject *seen, PyObject *id_class)
{
    for (xmlNode *list = node->children; list != NULL; list = list->next) {
        if (!is_tagged(list, "ArticleIdList")) {
            continue;
        }
        for (xmlNode *child = list->children; child != NULL; child = child->next) {
            if (is_tagged(child, "ArticleId") && take_id(child, "IdType", found, seen, id_class) < 0) {
                return -1;
            }
        }
    }
    return 0;
}

static PyObject *
ids(PyObject *self, PyObject *args)
{
    PyObject *data, *containers, *hooks;
    if (!PyArg_ParseTuple(args, "OO!O!:ids", &data, &PyTuple_Type, &containers, &PyTuple_Type, &hooks)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(hooks) != N_ID_HOOKS) {
        PyErr_SetString(PyExc_TypeError, "hooks must be (ArticleId,)");
        return NULL;
    }
    if (data != Py_None && !PyObject_TypeCheck(data, element_type)) {
        PyErr_SetString(PyExc_TypeError, "ids reads an element or None, and a tuple of elements");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(containers);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyObject_TypeCheck(PyTuple_GET_ITEM(containers, i), element_type)) {
            PyErr_SetString(PyExc_TypeError, "ids reads an element or None, and a tuple of elements");
            return NULL;
        }
    }
    PyObject *id_class = PyTuple_GET_ITEM(hooks, I_ID_CLASS);
    PyObject *found = PyList_New(0), *seen = PySet_New(NULL), *made = NULL;
    if (found == NULL || seen == NULL) {
        goto done;
    }
    /* PubMed's curated ArticleIdList first, then each container's lists, then each container's ELocationIDs. */
    if (data != Py_None && take_id_lists(((struct LxmlElement *)data)->_c_node, found, seen, id_class) < 0) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        xmlNode *node = ((struct LxmlElement *)PyTuple_GET_ITEM(containers, i))->_c_node;
        if (take_id_lists(node, found, seen, id_class) < 0) {
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        xmlNode *node = ((struct LxmlElement *)PyTuple_GET_ITEM(containers, i))->_c_node;
        for (xmlNode *child = node->children; child != NULL; child = child->next) {
            if (!is_tagged(child, "ELocationID")) {
                continue;
            }
            int valid = attribute_is(child, "ValidYN", "Y", 1);
            if (valid < 0 || (valid && take_id(child, "EIdType", found, seen, id_class) < 0)) {
                goto done;
            }
        }
    }
    made = PyList_AsTuple(found);

done:
    Py_XDECREF(found);
    Py_XDECREF(seen);
    return made;
}

/* ---- keywords and publication types: pubmed_xml._keywords and _publication_types ---------------------------- */

enum { T_TEXT, T_CLASS, N_TERM_HOOKS };
static PyObject *keyword_kwnames;  /* Keyword's owner and major, as the twin names them */

/* A Keyword of the list keyword_list (its Owner) from node, whose text is text. */
static PyObject *
keyword_of(xmlNode *keyword_list, xmlNode *node, PyObject *text, PyObject *cls)
{
    PyObject *owner = attributeValueFromNsName(keyword_list, NULL, (const xmlChar *)"Owner");
    int major = owner == NULL ? -1 : attribute_is(node, "MajorTopicYN", "Y", 0);
    PyObject *made = NULL;
    if (major >= 0) {
        PyObject *args[3] = {text, owner, major ? Py_True : Py_False};
        made = PyObject_Vectorcall(cls, args, 1, keyword_kwnames);
    }
    Py_XDECREF(owner);
    return made;
}

/* A PublicationType from node, whose text is text. */
static PyObject *
publication_type_of(xmlNode *parent, xmlNode *node, PyObject *text, PyObject *cls)
{
    PyObject *ui = attributeValueFromNsName(node, NULL, (const xmlChar *)"UI");
    if (ui == NULL) {
        return NULL;
    }
    PyObject *args[2] = {text, ui};
    PyObject *made = PyObject_Vectorcall(cls, args, 2, NULL);
    Py_DECREF(ui);
    return made;
}

typedef PyObject *(*make_term)(xmlNode *parent, xmlNode *node, PyObject *text, PyObject *cls);

/* make(...) of each child tagged tag of each element of parents whose pubmed_xml._text is not empty (a child with
   markup read by hooks[T_TEXT]), in document order. */
static PyObject *
terms(PyObject *parents, PyObject *hooks, const char *tag, make_term make, const char *what)
{
    if (!PyTuple_Check(hooks) || PyTuple_GET_SIZE(hooks) != N_TERM_HOOKS) {
        PyErr_Format(PyExc_TypeError, "hooks must be (text, %s)", what);
        return NULL;
    }
    PyObject *given = PySequence_Fast(parents, "reads a list of elements");
    PyObject *found = given == NULL ? NULL : PyList_New(0);
    if (found == NULL) {
        Py_XDECREF(given);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(given); i++) {
        PyObject *owner = PySequence_Fast_GET_ITEM(given, i);
        if (!PyObject_TypeCheck(owner, element_type)) {
            PyErr_SetString(PyExc_TypeError, "reads a list of elements");
            goto fail;
        }
        Py_INCREF(owner);  /* held while the hooks run: nothing may drop it from the list under this loop */
        int failed = 0;
        xmlNode *parent = ((struct LxmlElement *)owner)->_c_node;
        for (xmlNode *child = parent->children; child != NULL && !failed; child = child->next) {
            if (!is_tagged(child, tag)) {
                continue;
            }
            PyObject *text = element_text(owner, child, PyTuple_GET_ITEM(hooks, T_TEXT));
            int named = text == NULL ? -1 : PyObject_IsTrue(text);
            PyObject *made = named <= 0 ? NULL : make(parent, child, text, PyTuple_GET_ITEM(hooks, T_CLASS));
            failed = named < 0 || (named > 0 && (made == NULL || PyList_Append(found, made) < 0));
            Py_XDECREF(made);
            Py_XDECREF(text);
        }
        Py_DECREF(owner);
        if (failed) {
            goto fail;
        }
    }
    Py_DECREF(given);
    PyObject *made = PyList_AsTuple(found);
    Py_DECREF(found);
    return made;

fail:
    Py_DECREF(given);
    Py_DECREF(found);
    return NULL;
}

static PyObject *
keywords(PyObject *self, PyObject *args)
{
    PyObject *lists, *hooks;
    if (!PyArg_ParseTuple(args, "OO:keywords", &lists, &hooks)) {
        return NULL;
    }
    return terms(lists, hooks, "Keyword", keyword_of, "Keyword");
}

static PyObject *
publication_types(PyObject *self, PyObject *args)
{
    PyObject *parents, *hooks;
    if (!PyArg_ParseTuple(args, "OO:publication_types", &parents, &hooks)) {
        return NULL;
    }
    return terms(parents, hooks, "PublicationType", publication_type_of, "PublicationType");
}

static PyMethodDef methods[] = {
    {"collect_references", collect_references, METH_VARARGS,
     "collect_references(reference_list, title, references, hooks) -> None: appends the list's References."},
    {"authors", authors, METH_VARARGS,
     "authors(author_list, notes, role, hooks) -> tuple of Author: the list's Author and Investigator elements."},
    {"mesh_headings", mesh_headings, METH_VARARGS,
     "mesh_headings(heading_lists, hooks) -> tuple of MeshHeading: the MeshHeading children of the lists."},
    {"history", history, METH_VARARGS,
     "history(data, hooks) -> tuple of HistoryDate: the PubMedPubDate elements of the History children of data."},
    {"abstract", abstract, METH_VARARGS,
     "abstract(element, kind, language, hooks) -> Abstract or None: an Abstract or OtherAbstract element's."},
    {"ids", ids, METH_VARARGS,
     "ids(data, containers, hooks) -> tuple of ArticleId: the ArticleIds of data and the containers, ELocationIDs."},
    {"keywords", keywords, METH_VARARGS,
     "keywords(keyword_lists, hooks) -> tuple of Keyword: the Keyword children of the lists that have text."},
    {"publication_types", publication_types, METH_VARARGS,
     "publication_types(parents, hooks) -> tuple of PublicationType: their PublicationType children with text."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native",
    "PubMed XML's reference and author lists, MeSH headings and history read in C, twins of pubmed_xml's.",
    -1, methods,
};

/* Fails (ImportError, so Python's twin serves) unless the lxml running is the one this was compiled against: the
   nodes are read through lxml's C API and libxml2's structures, whose layout is that version's. */
static int
check_lxml(void)
{
    PyObject *etree = PyImport_ImportModule("lxml.etree");
    if (etree == NULL) {
        return -1;
    }
    PyObject *version = PyObject_GetAttrString(etree, "__version__");
    element_type = (PyTypeObject *)PyObject_GetAttrString(etree, "_Element");
    Py_DECREF(etree);
    if (version == NULL || element_type == NULL) {
        Py_XDECREF(version);
        return -1;
    }
    int same = is_string(version, LXML_VERSION_STRING);
    if (!same) {
        PyErr_Format(PyExc_ImportError, "rdfgen.sources._native was built against lxml %s, not lxml %U",
                     LXML_VERSION_STRING, version);
    }
    Py_DECREF(version);
    if (!same || !PyType_Check(element_type)) {
        if (same) {
            PyErr_SetString(PyExc_ImportError, "lxml.etree._Element is not a type");
        }
        return -1;
    }
    return import_lxml__etree();
}

/* A tuple of the interned field names: the keyword names of a vectorcall. */
static PyObject *
kwnames(const char *const *fields, int n)
{
    PyObject *names = PyTuple_New(n);
    for (int k = 0; names != NULL && k < n; k++) {
        PyObject *field = PyUnicode_InternFromString(fields[k]);
        if (field == NULL) {
            Py_CLEAR(names);
            break;
        }
        PyTuple_SET_ITEM(names, k, field);
    }
    return names;
}

PyMODINIT_FUNC
PyInit__native(void)
{
    s_empty = PyUnicode_InternFromString("");
    const char *const author_fields[10] = {"family_name", "given_name", "initials", "suffix", "collective_name",
                                           "affiliations", "orcid", "valid", "equal_contribution", "role"};
    const char *const heading_fields[5] = {"descriptor_ui", "descriptor_name", "major", "qualifiers", "type"};
    author_kwnames = kwnames(author_fields, 10);
    heading_kwnames = kwnames(heading_fields, 5);
    const char *const section_fields[4] = {"text", "label", "nlm_category", "html"};
    const char *const abstract_fields[4] = {"sections", "language", "kind", "copyright"};
    section_kwnames = kwnames(section_fields, 4);
    abstract_kwnames = kwnames(abstract_fields, 4);
    const char *const keyword_fields[2] = {"owner", "major"};
    keyword_kwnames = kwnames(keyword_fields, 2);
    s_pubmed_pub_date = PyUnicode_InternFromString("PubMedPubDate");
    s_unknown = PyUnicode_InternFromString("unknown");
    if (s_empty == NULL || s_pubmed_pub_date == NULL || s_unknown == NULL || author_kwnames == NULL
        || heading_kwnames == NULL || section_kwnames == NULL || abstract_kwnames == NULL
        || keyword_kwnames == NULL || check_lxml() < 0) {
        return NULL;
    }
    return PyModule_Create(&module);
}
