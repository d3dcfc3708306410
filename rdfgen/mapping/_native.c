/* rdfgen.mapping._native: the statements of an article's references, of its authors and of its MeSH headings,
   made in C; the twins of rdfgen.mapping.references._reference (with _cited, pubmed_work and cited_work), of
   rdfgen.mapping.people._person (with agent) and of rdfgen.mapping.subjects._heading (with indexed_descriptor and
   core.defined_term), which serve where this module could not be built and make here every reference, person and
   heading this module leaves to them.
   tests/test_native_references.py proves they agree.

   Why: a baseline article cites about 30 works, nearly all by PMID, and each makes 12 or more statements: the
   reference list was 40% of the mapping's CPU in Python, and its ten MeSH headings (each with its descriptor's and
   qualifiers' terms) 15%, most of it the interpreter's own work around tuples.

   The vocabulary stays the mapping's: every predicate and class comes in `terms`, named in references.py and
   subjects.py, and the IRIs in prefixes minted there by rdfgen.iris; this module only knows which statement a
   reference or heading makes of which.

   references(refs, article, own_pmid, own_doi, prefixes, terms, journals, found, other) -> None
       refs      the Reference objects, in order
       article   the citing article's term ("<...>")
       own_pmid  its PMID; own_doi its DOI key (lower case) or None
       prefixes  in the order of enum RefPrefix: how an entry's, a cited work's (by PMID, by DOI or by nothing),
                 its PubMed page's and its doi.org page's IRIs begin and end
       terms     the predicates and classes, in the order of enum Term below
       journals  a dict from a journal's title as a reference prints it to its term (or None: no key), whose
                 __missing__ mints it (rdfgen.mapping.references._Journals): the one IRI asked of Python
       found     the list the statements are appended to
       other(ref) appends a reference this module leaves to the Python twin: one whose PMID or DOI is the citing
                 article's own or needs a note (malformed, not clean), anything not of the types the twin makes.
       A work cited without a PMID (by a clean DOI or by nothing: one reference in six) is made here too, with
       what its citation text says of it (references.cited_work, container.pages).

   nonempty(found, empty) -> list
       the statements of found whose object is not empty (the literal ""): rdfgen.mapping.record.nonempty_py

   people(people, article, sdo_prop, dc_prop, prefixes, terms, found, nodes, other, author_type) -> None
       rdfgen.mapping.people._person (with agent) for each author or investigator: terms end with the role's
       authorship predicate and the role's literal; prefixes are (person, authorship, ORCID person, what lies
       between a person's n and an affiliation's k); nodes gets each person's node (for the rdf:List the caller
       makes); other(n, person) makes a person this module leaves to the twin (an ORCID not of the form the IRI
       takes, an affiliation with organisation identifiers, fields not of the types the readers make, an object
       not exactly author_type, the last argument: a subclass may say its display_name otherwise, computed here).

   rdf_list(found, subject, prop, items, head, terms) -> None
       rdfgen.mapping.people.rdf_list, its k-th cell head + k (a label bnode() keeps); terms (first, rest, nil).

   abstract(abstract, article, prefix, terms, abstract_type) -> list or None
       rdfgen.mapping.article.abstract_py: the text (Abstract.text) twice, the HTML (abstract_html) when a section
       has markup, the sections (the n-th's node prefix + n + ">"), the copyright twice; terms of enum
       AbstractTerm. None (the twin makes it) for an object not exactly abstract_type, fields not of the types the
       readers make.

   mesh(headings, article, prefixes, terms, found, descriptors, other) -> None
       headings    the MeshHeading objects, in order (the k-th's node is prefixes[0] + k + ">")
       prefixes    (heading, mesh): a MeSH term's IRI is mesh + UI (+ qualifier UI) + ">"
       terms       in the order of enum MeshTerm below
       descriptors the set the record's descriptor UIs are added to (for the dataset's MeSH graph)
       other(k, h) appends the k-th heading this module leaves to the twin: a UI that is not ASCII letters and
                   digits (the twin escapes it), fields not of the types the readers make.

   dates(record, article, prefixes, terms, date_type) -> list or None
       rdfgen.mapping.article.dates_py: the record's publication, electronic, completed and revised dates, its
       history events (the k-th's node prefixes[0] + k + ">") and statuses; terms in the order of enum DateTerm
       below. None (the twin makes them all) when a date is not an exact date_type (PartialDate) with int parts
       in its range and str or None raw text, or a field is not of the type the readers make.

   identifiers(record, article, prefixes, terms) -> list or None
       rdfgen.mapping.article.identifiers_py: the identifiers by scheme (the first ArticleId of each lower-cased
       scheme, the record's own DOI, PMC and PII over them, no "pubmed"), their PropertyValue nodes in scheme
       order, the DOI's, PMC's and PubMed's IRIs; prefixes in the order of enum IdPrefix, terms of enum IdTerm.
       None (the twin makes them all) for a scheme not ASCII or not made of the characters a path segment keeps,
       a DOI not printable ASCII (one that is is percent-encoded here as quote() encodes it), a PMCID or PMID an
       IRI would escape, fields not of the types the readers make.

   container(record, article, prefixes, terms, date_type) -> list or None
       rdfgen.mapping.container.container_py (with periodical and pages): the journal (its IRI prefixes[0] + its
       key + ">"), volume and issue nodes (prefixes[1] before the volume's segment, prefixes[2] or, without a
       volume, prefixes[3] before the issue's), the article's volume, issue, cited medium and pages; terms of enum
       ContainerTerm. None (the twin makes them all) for a journal known only by its title (its key a slug), a
       key, volume or issue that is not printable ASCII or has spaces at its ends (one that is is encoded here as
       iris.segment encodes it), fields not of the types the readers make.
*/

#define PY_SSIZE_T_CLEAN
#include <Python.h>

enum Term {
    T_CITATION, T_CITES, T_CITO_CITES, T_REFERENCE, T_TYPE, T_ENTRY_CLASS, T_POSITION, T_CONTENT, T_TEXT,
    T_REFERENCES, T_LIST_TITLE, T_NOTE, T_CREATIVE_WORK, T_PMID, T_SAME_AS, T_CITED_DOI, T_CITED_PMCID,
    T_INTEGER_END,
    /* what cited_work says of a work cited without a PMID */
    T_SCHOLARLY_ARTICLE, T_NAME, T_DC_TITLE, T_AUTHORS_TEXT, T_SDO_PART_OF, T_DC_PART_OF, T_PERIODICAL, T_JOURNAL,
    T_ALTERNATE_NAME, T_DATE_PUBLISHED, T_ISSUED, T_GYEAR_END, T_VOLUME, T_ISSUE, T_SDO_PAGE_START,
    T_BIBO_PAGE_START, T_SDO_PAGE_END, T_BIBO_PAGE_END, T_PAGINATION, T_BIBO_PAGES, T_BIBO_DOI, T_WORK_PMCID,
    N_TERMS
};
/* The IRIs references() mints, as prefixes: an entry is RP_ENTRY + position + ">", a work cited by PMID RP_WORK +
   PMID + ">" and its PubMed page RP_PUBMED + PMID + RP_PUBMED_END, a work known by DOI RP_DOI_WORK + its
   segment() lower-cased + ">" and its doi.org page RP_DOI_URL + its doi_url_iri() quoting + ">", a work known by
   nothing RP_ENTRY + position + RP_LOCAL_WORK_END. */
enum RefPrefix {
    RP_ENTRY, RP_WORK, RP_PUBMED, RP_PUBMED_END, RP_DOI_WORK, RP_LOCAL_WORK_END, RP_DOI_URL, N_REF_PREFIXES
};

static PyObject *s_pmid, *s_doi, *s_position, *s_citation, *s_notes, *s_title_of_list, *s_pmcid;

static inline int
needs_escape(Py_UCS4 c)  /* rdfgen.mapping.terms._LITERAL_RE */
{
    return c < 0x20 || c == 0x7f || c == '"' || c == '\\';
}

/* rdfgen.mapping.terms.lit of a str: the N-Triples literal, escaped where a character needs it. */
static PyObject *
literal(PyObject *text)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), extra = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (needs_escape(c)) {
            extra += (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') ? 1 : 5;
        }
    }
    PyObject *out = PyUnicode_New(n + extra + 2, PyUnicode_MAX_CHAR_VALUE(text));
    if (out == NULL) {
        return NULL;
    }
    int out_kind = PyUnicode_KIND(out);
    void *out_data = PyUnicode_DATA(out);
    Py_ssize_t j = 0;
    PyUnicode_WRITE(out_kind, out_data, j++, '"');
    if (extra == 0) {
        if (PyUnicode_CopyCharacters(out, 1, text, 0, n) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        j += n;
    } else {
        static const char hex[] = "0123456789ABCDEF";
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (!needs_escape(c)) {
                PyUnicode_WRITE(out_kind, out_data, j++, c);
                continue;
            }
            PyUnicode_WRITE(out_kind, out_data, j++, '\\');
            switch (c) {
            case '"': PyUnicode_WRITE(out_kind, out_data, j++, '"'); break;
            case '\\': PyUnicode_WRITE(out_kind, out_data, j++, '\\'); break;
            case '\n': PyUnicode_WRITE(out_kind, out_data, j++, 'n'); break;
            case '\r': PyUnicode_WRITE(out_kind, out_data, j++, 'r'); break;
            case '\t': PyUnicode_WRITE(out_kind, out_data, j++, 't'); break;
            case '\b': PyUnicode_WRITE(out_kind, out_data, j++, 'b'); break;
            case '\f': PyUnicode_WRITE(out_kind, out_data, j++, 'f'); break;
            default:
                PyUnicode_WRITE(out_kind, out_data, j++, 'u');
                for (int shift = 12; shift >= 0; shift -= 4) {
                    PyUnicode_WRITE(out_kind, out_data, j++, hex[(c >> shift) & 0xf]);
                }
            }
        }
    }
    PyUnicode_WRITE(out_kind, out_data, j++, '"');
    return out;
}

/* Whether pmid is a PMID the twin would cite the work by: ASCII digits, not starting with 0, not own. */
static int
usable_pmid(PyObject *pmid, PyObject *own_pmid)
{
    if (!PyUnicode_CheckExact(pmid) || !PyUnicode_IS_ASCII(pmid)) {
        return 0;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(pmid);
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(pmid);
    if (n == 0 || s[0] == '0') {
        return 0;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return PyUnicode_Compare(pmid, own_pmid) != 0;
}

static inline int
clean_middle(Py_UCS1 c)  /* rdfgen.sources.doi._CLEAN's [-._()/:A-Za-z0-9<>#] */
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
           || c == '_' || c == '(' || c == ')' || c == '/' || c == ':' || c == '<' || c == '>' || c == '#';
}

static inline int
clean_last(Py_UCS1 c)  /* rdfgen.sources.doi._CLEAN's [A-Za-z0-9_\-#] */
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
           || c == '#';
}

/* Whether normalise_doi(doi) is doi itself, by its first test (doi._CLEAN.fullmatch), and its key is not own. */
static int
usable_doi(PyObject *doi, PyObject *own_doi)
{
    if (doi == Py_None) {
        return 1;
    }
    if (!PyUnicode_CheckExact(doi) || !PyUnicode_IS_ASCII(doi)) {
        return 0;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(doi), j = 3, digits = 0;
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(doi);
    if (n < 3 || s[0] != '1' || s[1] != '0' || s[2] != '.') {
        return 0;
    }
    for (; j < n && s[j] >= '0' && s[j] <= '9'; j++) {
        digits++;
    }
    if (digits < 4 || digits > 9 || j >= n - 1 || s[j] != '/') {
        return 0;
    }
    for (j++; j < n - 1; j++) {
        if (!clean_middle(s[j])) {
            return 0;
        }
    }
    if (!clean_last(s[n - 1])) {
        return 0;
    }
    if (own_doi == Py_None || !PyUnicode_Check(own_doi) || PyUnicode_GET_LENGTH(own_doi) != n) {
        return 1;
    }
    int kind = PyUnicode_KIND(own_doi);
    const void *own = PyUnicode_DATA(own_doi);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS1 c = s[i] >= 'A' && s[i] <= 'Z' ? (Py_UCS1)(s[i] + 32) : s[i];
        if (PyUnicode_READ(kind, own, i) != c) {
            return 1;
        }
    }
    return 0;  /* the citing article's own DOI: the twin notes it */
}

/* The vocabulary tables a caller hands over: n_terms terms and n_prefixes prefixes, all str. */
static int
check_tables(const char *function, PyObject *terms, Py_ssize_t n_terms, PyObject *prefixes, Py_ssize_t n_prefixes)
{
    if (PyTuple_GET_SIZE(terms) != n_terms || PyTuple_GET_SIZE(prefixes) != n_prefixes) {
        PyErr_Format(PyExc_TypeError, "%s() needs %zd terms and %zd prefixes", function, n_terms, n_prefixes);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n_terms + n_prefixes; i++) {
        if (!PyUnicode_Check(i < n_terms ? PyTuple_GET_ITEM(terms, i) : PyTuple_GET_ITEM(prefixes, i - n_terms))) {
            PyErr_SetString(PyExc_TypeError, "terms and prefixes must be str");
            return -1;
        }
    }
    return 0;
}

static int
add(PyObject *found, PyObject *s, PyObject *p, PyObject *o)
{
    PyObject *triple = PyTuple_Pack(3, s, p, o);
    if (triple == NULL) {
        return -1;
    }
    int status = PyList_Append(found, triple);
    Py_DECREF(triple);
    return status;
}

/* The k-th item is the Python twin's to make, from scratch: what was appended of it here (to found since
   found_before, to nodes, if given, since nodes_before) is taken back first, then other(k, item) makes it. */
static int
to_twin(PyObject *other, Py_ssize_t k, PyObject *item, PyObject *found, Py_ssize_t found_before, PyObject *nodes,
        Py_ssize_t nodes_before)
{
    if (PyList_SetSlice(found, found_before, PyList_GET_SIZE(found), NULL) < 0
        || (nodes != NULL && PyList_SetSlice(nodes, nodes_before, PyList_GET_SIZE(nodes), NULL) < 0)) {
        return -1;
    }
    PyObject *position = PyLong_FromSsize_t(k);
    PyObject *done = position == NULL ? NULL : PyObject_CallFunctionObjArgs(other, position, item, NULL);
    Py_XDECREF(position);
    if (done == NULL) {
        return -1;
    }
    Py_DECREF(done);
    return 0;
}

typedef struct {
    PyObject *pmid, *doi, *position, *citation, *notes, *title, *pmcid;
} Fields;

static void
fields_clear(Fields *f)
{
    Py_CLEAR(f->pmid);
    Py_CLEAR(f->doi);
    Py_CLEAR(f->position);
    Py_CLEAR(f->citation);
    Py_CLEAR(f->notes);
    Py_CLEAR(f->title);
    Py_CLEAR(f->pmcid);
}

/* 1 when the reference's fields are of the types the twin makes them (else the twin maps it), -1 on error. */
static int
read_fields(PyObject *ref, Fields *f)
{
    PyObject **slots[] = {&f->pmid, &f->doi, &f->position, &f->citation, &f->notes, &f->title, &f->pmcid};
    PyObject *names[] = {s_pmid, s_doi, s_position, s_citation, s_notes, s_title_of_list, s_pmcid};
    for (int k = 0; k < 7; k++) {
        *slots[k] = PyObject_GetAttr(ref, names[k]);
        if (*slots[k] == NULL) {
            return -1;
        }
    }
    if (!PyLong_CheckExact(f->position) || !PyUnicode_CheckExact(f->citation) || !PyTuple_CheckExact(f->notes)
        || (f->title != Py_None && !PyUnicode_CheckExact(f->title))
        || (f->pmcid != Py_None && !PyUnicode_CheckExact(f->pmcid))) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(f->notes); i++) {
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(f->notes, i))) {
            return 0;
        }
    }
    return 1;
}

static int
truthy_str(PyObject *value)
{
    return value != Py_None && PyUnicode_GET_LENGTH(value) > 0;
}

/* The entry's statements (in _reference, before the cited work's), the same for a work cited by PMID or not. */
static int
entry_statements(const Fields *f, PyObject *article, PyObject *entry, PyObject *work, PyObject *const *t,
                 PyObject *found)
{
    PyObject *position = NULL, *citation = NULL, *value = NULL;
    int status = -1;
    position = PyUnicode_FromFormat("\"%S\"%U", f->position, t[T_INTEGER_END]);
    citation = literal(f->citation);
    if (position == NULL || citation == NULL) {
        goto done;
    }
    if (add(found, article, t[T_CITATION], work) < 0 || add(found, article, t[T_CITES], work) < 0
        || add(found, article, t[T_CITO_CITES], work) < 0 || add(found, article, t[T_REFERENCE], entry) < 0
        || add(found, entry, t[T_TYPE], t[T_ENTRY_CLASS]) < 0 || add(found, entry, t[T_POSITION], position) < 0
        || add(found, entry, t[T_CONTENT], citation) < 0 || add(found, entry, t[T_TEXT], citation) < 0
        || add(found, entry, t[T_REFERENCES], work) < 0) {
        goto done;
    }
    if (truthy_str(f->title)) {
        value = literal(f->title);
        if (value == NULL || add(found, entry, t[T_LIST_TITLE], value) < 0) {
            goto done;
        }
        Py_CLEAR(value);
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(f->notes); i++) {
        value = literal(PyTuple_GET_ITEM(f->notes, i));
        if (value == NULL || add(found, entry, t[T_NOTE], value) < 0) {
            goto done;
        }
        Py_CLEAR(value);
    }
    status = 0;

done:
    Py_XDECREF(position);
    Py_XDECREF(citation);
    Py_XDECREF(value);
    return status;
}

/* The statements of one reference cited by a usable PMID, in the twin's order. */
static int
cited_by_pmid(const Fields *f, PyObject *article, PyObject *const *prefix, PyObject *const *t, PyObject *found)
{
    PyObject *entry = NULL, *work = NULL, *page = NULL, *value = NULL;
    int status = -1;
    entry = PyUnicode_FromFormat("%U%S>", prefix[RP_ENTRY], f->position);
    work = PyUnicode_FromFormat("%U%U>", prefix[RP_WORK], f->pmid);
    page = PyUnicode_FromFormat("%U%U%U", prefix[RP_PUBMED], f->pmid, prefix[RP_PUBMED_END]);
    if (entry == NULL || work == NULL || page == NULL || entry_statements(f, article, entry, work, t, found) < 0) {
        goto done;
    }
    value = literal(f->pmid);
    if (value == NULL || add(found, work, t[T_TYPE], t[T_CREATIVE_WORK]) < 0 || add(found, work, t[T_PMID], value) < 0
        || add(found, work, t[T_SAME_AS], page) < 0) {
        goto done;
    }
    Py_CLEAR(value);
    PyObject *optional[2][2] = {{f->doi, t[T_CITED_DOI]}, {f->pmcid, t[T_CITED_PMCID]}};
    for (int k = 0; k < 2; k++) {
        if (truthy_str(optional[k][0])) {
            value = literal(optional[k][0]);
            if (value == NULL || add(found, entry, optional[k][1], value) < 0) {
                goto done;
            }
            Py_CLEAR(value);
        }
    }
    status = 0;

done:
    Py_XDECREF(entry);
    Py_XDECREF(work);
    Py_XDECREF(page);
    Py_XDECREF(value);
    return status;
}

/* ---- MeSH headings: rdfgen.mapping.subjects._heading (with indexed_descriptor and term_triples) ------------- */

enum MeshTerm {
    M_MESH_HEADING, M_TYPE, M_HEADING_CLASS, M_POSITION, M_DESCRIPTOR_NAME, M_MAJOR_TOPIC, M_HEADING_TYPE,
    M_QUALIFIER_NAME, M_DESCRIPTOR, M_ABOUT, M_SUBJECT, M_PRIMARY, M_SUBJECT_TERM, M_QUALIFIER, M_CONCEPT,
    M_PREF_LABEL, M_DEFINED_TERM, M_NAME, M_TERM_CODE, M_IN_SET, M_MESH_SET, M_TRUE, M_FALSE, M_INTEGER_END,
    N_MESH_TERMS
};

static PyObject *s_descriptor_ui, *s_descriptor_name, *s_major, *s_qualifiers, *s_type, *s_ui, *s_name;

/* A UI the IRI takes as it is (ASCII letters and digits: what MeSH mints); anything else the twin escapes. */
static int
plain_ui(PyObject *ui)
{
    if (!PyUnicode_CheckExact(ui) || !PyUnicode_IS_ASCII(ui) || PyUnicode_GET_LENGTH(ui) == 0) {
        return 0;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(ui);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(ui); i++) {
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) {
            return 0;
        }
    }
    return 1;
}

/* core.defined_term: the term's statements (term_triples), and its UI among the record's descriptors if a D. */
static int
defined_term(PyObject *term, PyObject *name, PyObject *code, PyObject *const *t, PyObject *found,
             PyObject *descriptors)
{
    if (PyUnicode_READ_CHAR(code, 0) == 'D' && PySet_Add(descriptors, code) < 0) {
        return -1;
    }
    PyObject *label = literal(name), *code_literal = literal(code);
    int status = label == NULL || code_literal == NULL
        || add(found, term, t[M_TYPE], t[M_DEFINED_TERM]) < 0 || add(found, term, t[M_TYPE], t[M_CONCEPT]) < 0
        || add(found, term, t[M_NAME], label) < 0 || add(found, term, t[M_PREF_LABEL], label) < 0
        || add(found, term, t[M_TERM_CODE], code_literal) < 0 || add(found, term, t[M_IN_SET], t[M_MESH_SET]) < 0
        ? -1 : 0;
    Py_XDECREF(label);
    Py_XDECREF(code_literal);
    return status;
}

typedef struct {
    PyObject *ui, *name, *major;  /* new references */
} Qualifier;

/* The statements of the k-th heading; 0 when the twin must make them (fields not as the readers make them). */
static int
heading(PyObject *h, Py_ssize_t k, PyObject *article, PyObject *const *prefix, PyObject *const *t, PyObject *found,
        PyObject *descriptors)
{
    PyObject *ui = NULL, *name = NULL, *major = NULL, *qualifiers = NULL, *kind = NULL;
    PyObject *node = NULL, *desc = NULL, *position = NULL, *value = NULL;
    Qualifier q[64];
    Py_ssize_t held = 0;  /* qualifiers whose fields q holds */
    int status = -1;
    PyObject **fields[] = {&ui, &name, &major, &qualifiers, &kind};
    PyObject *names[] = {s_descriptor_ui, s_descriptor_name, s_major, s_qualifiers, s_type};
    for (int f = 0; f < 5; f++) {
        *fields[f] = PyObject_GetAttr(h, names[f]);
        if (*fields[f] == NULL) {
            goto done;
        }
    }
    Py_ssize_t n_q = PyTuple_CheckExact(qualifiers) ? PyTuple_GET_SIZE(qualifiers) : -1;
    status = 0;
    if ((ui != Py_None && !plain_ui(ui)) || !PyUnicode_CheckExact(name) || !PyBool_Check(major) || n_q < 0
        || n_q > 64 || (kind != Py_None && !PyUnicode_CheckExact(kind))) {
        goto done;  /* the twin's */
    }
    int is_major = major == Py_True;
    for (Py_ssize_t i = 0; i < n_q; i++) {
        PyObject *qualifier = PyTuple_GET_ITEM(qualifiers, i);
        q[i].ui = PyObject_GetAttr(qualifier, s_ui);
        q[i].name = PyObject_GetAttr(qualifier, s_name);
        q[i].major = PyObject_GetAttr(qualifier, s_major);
        held++;
        if (q[i].ui == NULL || q[i].name == NULL || q[i].major == NULL) {
            status = -1;
            goto done;
        }
        if ((q[i].ui != Py_None && !plain_ui(q[i].ui)) || !PyUnicode_CheckExact(q[i].name) || !PyBool_Check(q[i].major)) {
            goto done;
        }
        is_major |= q[i].major == Py_True;
    }
    status = -1;
    node = PyUnicode_FromFormat("%U%zd>", prefix[0], k);
    position = PyUnicode_FromFormat("\"%zd\"%U", k, t[M_INTEGER_END]);
    value = literal(name);
    if (node == NULL || position == NULL || value == NULL
        || add(found, article, t[M_MESH_HEADING], node) < 0 || add(found, node, t[M_TYPE], t[M_HEADING_CLASS]) < 0
        || add(found, node, t[M_POSITION], position) < 0 || add(found, node, t[M_DESCRIPTOR_NAME], value) < 0
        || add(found, node, t[M_MAJOR_TOPIC], is_major ? t[M_TRUE] : t[M_FALSE]) < 0) {
        goto done;
    }
    if (kind != Py_None && PyUnicode_GET_LENGTH(kind) > 0) {
        Py_SETREF(value, literal(kind));
        if (value == NULL || add(found, node, t[M_HEADING_TYPE], value) < 0) {
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < n_q; i++) {
        Py_SETREF(value, literal(q[i].name));
        if (value == NULL || add(found, node, t[M_QUALIFIER_NAME], value) < 0) {
            goto done;
        }
    }
    if (ui != Py_None) {  /* indexed_descriptor: plain_ui refused the empty UI, which the twin skips */
        desc = PyUnicode_FromFormat("%U%U>", prefix[1], ui);
        if (desc == NULL || add(found, node, t[M_DESCRIPTOR], desc) < 0
            || defined_term(desc, name, ui, t, found, descriptors) < 0
            || add(found, article, t[M_ABOUT], desc) < 0 || add(found, article, t[M_SUBJECT], desc) < 0
            || add(found, article, (major == Py_True) ? t[M_PRIMARY] : t[M_SUBJECT_TERM], desc) < 0) {
            goto done;
        }
        for (Py_ssize_t i = 0; i < n_q; i++) {
            if (q[i].ui == Py_None) {
                continue;
            }
            PyObject *qual = PyUnicode_FromFormat("%U%U>", prefix[1], q[i].ui);
            PyObject *pair = PyUnicode_FromFormat("%U%U%U>", prefix[1], ui, q[i].ui);
            PyObject *label_text = PyUnicode_FromFormat("%U/%U", name, q[i].name);
            PyObject *label = label_text == NULL ? NULL : literal(label_text);
            int failed = qual == NULL || pair == NULL || label == NULL
                || add(found, node, t[M_QUALIFIER], qual) < 0
                || defined_term(qual, q[i].name, q[i].ui, t, found, descriptors) < 0
                || add(found, article, q[i].major == Py_True ? t[M_PRIMARY] : t[M_SUBJECT_TERM], pair) < 0
                || add(found, pair, t[M_TYPE], t[M_CONCEPT]) < 0 || add(found, pair, t[M_PREF_LABEL], label) < 0
                || add(found, pair, t[M_DESCRIPTOR], desc) < 0 || add(found, pair, t[M_QUALIFIER], qual) < 0;
            Py_XDECREF(qual);
            Py_XDECREF(pair);
            Py_XDECREF(label_text);
            Py_XDECREF(label);
            if (failed) {
                goto done;
            }
        }
    }
    status = 1;

done:
    for (int f = 0; f < 5; f++) {
        Py_XDECREF(*fields[f]);
    }
    for (Py_ssize_t i = 0; i < held; i++) {
        Py_XDECREF(q[i].ui);
        Py_XDECREF(q[i].name);
        Py_XDECREF(q[i].major);
    }
    Py_XDECREF(node);
    Py_XDECREF(desc);
    Py_XDECREF(position);
    Py_XDECREF(value);
    return status;
}

static PyObject *
mesh(PyObject *self, PyObject *args)
{
    PyObject *headings, *article, *prefixes, *terms, *found, *descriptors, *other;
    if (!PyArg_ParseTuple(args, "OUO!O!O!O!O:mesh", &headings, &article, &PyTuple_Type, &prefixes, &PyTuple_Type,
                          &terms, &PyList_Type, &found, &PySet_Type, &descriptors, &other)) {
        return NULL;
    }
    if (check_tables("mesh", terms, N_MESH_TERMS, prefixes, 2) < 0) {
        return NULL;
    }
    PyObject *items = PySequence_Fast(headings, "headings must be a sequence");
    if (items == NULL) {
        return NULL;
    }
    int failed = 0;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items) && !failed; i++) {
        PyObject *h = PySequence_Fast_GET_ITEM(items, i);
        /* what the twin must make is made in full by it: mark where the statements of this heading start */
        Py_ssize_t before = PyList_GET_SIZE(found);
        int made = heading(h, i + 1, article, &PyTuple_GET_ITEM(prefixes, 0), &PyTuple_GET_ITEM(terms, 0), found,
                           descriptors);
        if (made < 0) {
            failed = 1;
        } else if (made == 0) {
            failed = to_twin(other, i + 1, h, found, before, NULL, 0) < 0;
        }
    }
    Py_DECREF(items);
    if (failed) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* nonempty(found, empty) -> the statements of found whose object is not the empty literal: the twin of
   rdfgen.mapping.record's list comprehension over every statement of a record (1% of a conversion in Python). */
static PyObject *
nonempty(PyObject *self, PyObject *args)
{
    PyObject *found, *empty;
    if (!PyArg_ParseTuple(args, "O!U:nonempty", &PyList_Type, &found, &empty)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(found);
    PyObject *kept = PyList_New(0);
    if (kept == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *triple = PyList_GET_ITEM(found, i);
        if (!PyTuple_Check(triple) || PyTuple_GET_SIZE(triple) != 3) {
            PyErr_Format(PyExc_TypeError, "statement %zd is not a (subject, predicate, object) tuple", i);
            Py_DECREF(kept);
            return NULL;
        }
        PyObject *object = PyTuple_GET_ITEM(triple, 2);
        int is_empty = object == empty;
        if (!is_empty) {
            is_empty = PyObject_RichCompareBool(object, empty, Py_EQ);
            if (is_empty < 0) {
                Py_DECREF(kept);
                return NULL;
            }
        }
        if (!is_empty && PyList_Append(kept, triple) < 0) {
            Py_DECREF(kept);
            return NULL;
        }
    }
    return kept;
}

/* ---- people: rdfgen.mapping.people._person (with agent) ------------------------------------------------------ */

enum PeopleTerm {
    P_TYPE, P_SDO_PERSON, P_FOAF_PERSON, P_SDO_ORG, P_FOAF_ORG, P_SDO_NAME, P_FOAF_NAME, P_SDO_GIVEN, P_FOAF_GIVEN,
    P_SDO_FAMILY, P_FOAF_FAMILY, P_INITIALS, P_SUFFIX, P_ORCID, P_SAME_AS, P_URL, P_AFFILIATION, P_AUTHORSHIP,
    P_POSITION, P_AGENT, P_ROLE, P_SHIP_AFFILIATION, P_EQUAL, P_VALID_NAME, P_TRUE, P_FALSE, P_INTEGER_END, P_SHIP,
    P_ROLE_LITERAL, N_PEOPLE_TERMS
};

enum { F_ORCID, F_FAMILY, F_GIVEN, F_INITIALS, F_SUFFIX, F_COLLECTIVE, F_AFFILIATIONS, F_VALID, F_EQUAL,
       N_PERSON_FIELDS };
static PyObject *person_fields[N_PERSON_FIELDS], *s_identifiers;

/* rdfgen.iris._ORCID_RE's form, ASCII only (dddd-dddd-dddd-ddd[dX]): the person's IRI is their ORCID's. */
static int
orcid_form(PyObject *orcid)
{
    if (!PyUnicode_CheckExact(orcid) || !PyUnicode_IS_ASCII(orcid) || PyUnicode_GET_LENGTH(orcid) != 19) {
        return 0;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(orcid);
    for (int i = 0; i < 19; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if (i % 5 == 4 ? s[i] != '-' : !(digit || (i == 18 && s[i] == 'X'))) {
            return 0;
        }
    }
    return 1;
}

static int
optional_str(PyObject *value)
{
    return value == Py_None || PyUnicode_CheckExact(value);
}

static int
truthy(PyObject *value)  /* of None or a str */
{
    return value != Py_None && PyUnicode_GET_LENGTH(value) > 0;
}

/* said_in: one literal under two predicates. */
static int
said_twice(PyObject *found, PyObject *node, PyObject *first, PyObject *second, PyObject *text)
{
    PyObject *value = literal(text);
    int status = value == NULL || add(found, node, first, value) < 0 || add(found, node, second, value) < 0 ? -1 : 0;
    Py_XDECREF(value);
    return status;
}

/* rdfgen.model.Author.display_name, of fields already known to be str or None (a property in Python: calling
   it from here cost a tenth of the people's time): the collective's name; "given family"; "family initials";
   else the first of family, given and initials that is not empty, or ""; then " suffix" when there is one. */
static PyObject *
display_name(PyObject *const *f)
{
    if (truthy(f[F_COLLECTIVE])) {
        return Py_NewRef(f[F_COLLECTIVE]);
    }
    PyObject *name;
    if (truthy(f[F_GIVEN]) && truthy(f[F_FAMILY])) {
        name = PyUnicode_FromFormat("%U %U", f[F_GIVEN], f[F_FAMILY]);
    } else if (truthy(f[F_FAMILY]) && truthy(f[F_INITIALS])) {
        name = PyUnicode_FromFormat("%U %U", f[F_FAMILY], f[F_INITIALS]);
    } else {
        name = truthy(f[F_FAMILY]) ? Py_NewRef(f[F_FAMILY]) : truthy(f[F_GIVEN]) ? Py_NewRef(f[F_GIVEN])
             : truthy(f[F_INITIALS]) ? Py_NewRef(f[F_INITIALS]) : PyUnicode_New(0, 0);
    }
    if (name != NULL && truthy(f[F_SUFFIX])) {
        Py_SETREF(name, PyUnicode_FromFormat("%U %U", name, f[F_SUFFIX]));
    }
    return name;
}

/* The n-th person's statements; 0 when the twin must make them. */
static int
person_statements(PyObject *person, Py_ssize_t n, PyObject *a, PyObject *sdo_prop, PyObject *dc_prop,
                  PyObject *const *prefix, PyObject *const *t, PyObject *found, PyObject *nodes)
{
    PyObject *f[N_PERSON_FIELDS] = {NULL};
    PyObject *node = NULL, *ship = NULL, *orgs = NULL, *value = NULL, *name = NULL;
    int status = -1;
    for (int k = 0; k < N_PERSON_FIELDS; k++) {
        f[k] = PyObject_GetAttr(person, person_fields[k]);
        if (f[k] == NULL) {
            goto done;
        }
    }
    status = 0;
    if (!optional_str(f[F_ORCID]) || (f[F_ORCID] != Py_None && !orcid_form(f[F_ORCID])) || !PyBool_Check(f[F_VALID])
        || !PyBool_Check(f[F_EQUAL]) || !PyTuple_CheckExact(f[F_AFFILIATIONS])) {
        goto done;
    }
    for (int k = F_FAMILY; k <= F_COLLECTIVE; k++) {
        if (!optional_str(f[k])) {
            goto done;
        }
    }
    Py_ssize_t n_aff = PyTuple_GET_SIZE(f[F_AFFILIATIONS]);
    orgs = PyList_New(0);
    if (orgs == NULL) {
        status = -1;
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_aff; k++) {  /* names str, no organisation identifiers (those the twin links) */
        PyObject *affiliation = PyTuple_GET_ITEM(f[F_AFFILIATIONS], k);
        PyObject *name = PyObject_GetAttr(affiliation, s_name);
        PyObject *ids = name == NULL ? NULL : PyObject_GetAttr(affiliation, s_identifiers);
        int plain = ids != NULL && PyUnicode_CheckExact(name) && PyTuple_Check(ids) && PyTuple_GET_SIZE(ids) == 0;
        Py_XDECREF(name);
        Py_XDECREF(ids);
        if (ids == NULL) {
            status = -1;
            goto done;
        }
        if (!plain) {
            goto done;
        }
    }
    status = -1;
    node = f[F_ORCID] != Py_None ? PyUnicode_FromFormat("%U%U>", prefix[2], f[F_ORCID])
                                 : PyUnicode_FromFormat("%U%zd>", prefix[0], n);
    if (node == NULL || PyList_Append(nodes, node) < 0 || add(found, a, sdo_prop, node) < 0
        || add(found, a, dc_prop, node) < 0) {
        goto done;
    }
    int collective = f[F_COLLECTIVE] != Py_None;
    name = display_name(f);
    if (name == NULL || add(found, node, t[P_TYPE], collective ? t[P_SDO_ORG] : t[P_SDO_PERSON]) < 0
        || add(found, node, t[P_TYPE], collective ? t[P_FOAF_ORG] : t[P_FOAF_PERSON]) < 0
        || said_twice(found, node, t[P_SDO_NAME], t[P_FOAF_NAME], name) < 0
        || (truthy(f[F_GIVEN]) && said_twice(found, node, t[P_SDO_GIVEN], t[P_FOAF_GIVEN], f[F_GIVEN]) < 0)
        || (truthy(f[F_FAMILY]) && said_twice(found, node, t[P_SDO_FAMILY], t[P_FOAF_FAMILY], f[F_FAMILY]) < 0)) {
        goto done;
    }
    PyObject *single[3][2] = {{f[F_INITIALS], t[P_INITIALS]}, {f[F_SUFFIX], t[P_SUFFIX]}, {f[F_ORCID], t[P_ORCID]}};
    for (int k = 0; k < 3; k++) {
        if (truthy(single[k][0])) {
            value = literal(single[k][0]);
            if (value == NULL || add(found, node, single[k][1], value) < 0) {
                goto done;
            }
            Py_CLEAR(value);
        }
    }
    /* an ORCID of the accepted form is the person's IRI itself: no sameAs or url to itself */
    for (Py_ssize_t k = 1; k <= n_aff; k++) {
        PyObject *org = PyUnicode_FromFormat("%U%zd%U%zd>", prefix[0], n, prefix[3], k);
        PyObject *name = org == NULL ? NULL : PyObject_GetAttr(PyTuple_GET_ITEM(f[F_AFFILIATIONS], k - 1), s_name);
        value = name == NULL ? NULL : literal(name);
        Py_XDECREF(name);
        int failed = value == NULL || PyList_Append(orgs, org) < 0 || add(found, node, t[P_AFFILIATION], org) < 0
            || add(found, org, t[P_TYPE], t[P_SDO_ORG]) < 0 || add(found, org, t[P_SDO_NAME], value) < 0;
        Py_XDECREF(org);
        Py_CLEAR(value);
        if (failed) {
            goto done;
        }
    }
    ship = PyUnicode_FromFormat("%U%zd>", prefix[1], n);
    value = PyUnicode_FromFormat("\"%zd\"%U", n, t[P_INTEGER_END]);
    if (ship == NULL || value == NULL || add(found, a, t[P_SHIP], ship) < 0
        || add(found, ship, t[P_TYPE], t[P_AUTHORSHIP]) < 0 || add(found, ship, t[P_POSITION], value) < 0
        || add(found, ship, t[P_AGENT], node) < 0 || add(found, ship, t[P_ROLE], t[P_ROLE_LITERAL]) < 0) {
        goto done;
    }
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(orgs); k++) {
        if (add(found, ship, t[P_SHIP_AFFILIATION], PyList_GET_ITEM(orgs, k)) < 0) {
            goto done;
        }
    }
    if ((f[F_EQUAL] == Py_True && add(found, ship, t[P_EQUAL], t[P_TRUE]) < 0)
        || (f[F_VALID] == Py_False && add(found, ship, t[P_VALID_NAME], t[P_FALSE]) < 0)) {
        goto done;
    }
    status = 1;

done:
    for (int k = 0; k < N_PERSON_FIELDS; k++) {
        Py_XDECREF(f[k]);
    }
    Py_XDECREF(node);
    Py_XDECREF(ship);
    Py_XDECREF(orgs);
    Py_XDECREF(value);
    Py_XDECREF(name);
    return status;
}

static PyObject *
people(PyObject *self, PyObject *args)
{
    PyObject *persons, *a, *sdo_prop, *dc_prop, *prefixes, *terms, *found, *nodes, *other, *author_type;
    if (!PyArg_ParseTuple(args, "OUUUO!O!O!O!OO!:people", &persons, &a, &sdo_prop, &dc_prop, &PyTuple_Type,
                          &prefixes, &PyTuple_Type, &terms, &PyList_Type, &found, &PyList_Type, &nodes, &other,
                          &PyType_Type, &author_type)
        || check_tables("people", terms, N_PEOPLE_TERMS, prefixes, 4) < 0) {
        return NULL;
    }
    PyObject *items = PySequence_Fast(persons, "people must be a sequence");
    if (items == NULL) {
        return NULL;
    }
    int failed = 0;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items) && !failed; i++) {
        PyObject *person = PySequence_Fast_GET_ITEM(items, i);
        Py_ssize_t before = PyList_GET_SIZE(found), nodes_before = PyList_GET_SIZE(nodes);
        /* an Author's subclass may say its display_name otherwise: the twin asks it */
        int made = !Py_IS_TYPE(person, (PyTypeObject *)author_type)
                       ? 0 : person_statements(person, i + 1, a, sdo_prop, dc_prop, &PyTuple_GET_ITEM(prefixes, 0),
                                               &PyTuple_GET_ITEM(terms, 0), found, nodes);
        if (made < 0) {
            failed = 1;
        } else if (made == 0) {
            failed = to_twin(other, i + 1, person, found, before, nodes, nodes_before) < 0;
        }
    }
    Py_DECREF(items);
    if (failed) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* rdfgen.mapping.people.rdf_list: subject prop the first cell; each cell rdf:first its item and rdf:rest the next
   cell (rdf:nil after the last). The k-th cell is head + k: the caller hands a head that is a blank node label as
   it is (bnode() would change nothing), so only digits follow it. */
static PyObject *
rdf_list(PyObject *self, PyObject *args)
{
    PyObject *found, *subject, *prop, *items, *head, *terms;
    if (!PyArg_ParseTuple(args, "O!UUO!UO!:rdf_list", &PyList_Type, &found, &subject, &prop, &PyList_Type, &items,
                          &head, &PyTuple_Type, &terms)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(terms) != 3) {  /* rdf:first, rdf:rest, rdf:nil */
        PyErr_SetString(PyExc_TypeError, "rdf_list() needs 3 terms");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(items);
    if (n == 0) {
        Py_RETURN_NONE;
    }
    PyObject *cell = PyUnicode_FromFormat("%U1", head), *next = NULL;
    if (cell == NULL || add(found, subject, prop, cell) < 0) {
        Py_XDECREF(cell);
        return NULL;
    }
    for (Py_ssize_t k = 1; k <= n; k++) {
        next = k < n ? PyUnicode_FromFormat("%U%zd", head, k + 1) : Py_NewRef(PyTuple_GET_ITEM(terms, 2));
        if (next == NULL || add(found, cell, PyTuple_GET_ITEM(terms, 0), PyList_GET_ITEM(items, k - 1)) < 0
            || add(found, cell, PyTuple_GET_ITEM(terms, 1), next) < 0) {
            Py_DECREF(cell);
            Py_XDECREF(next);
            return NULL;
        }
        Py_SETREF(cell, next);
    }
    Py_DECREF(cell);
    Py_RETURN_NONE;
}

/* ---- abstract: rdfgen.mapping.article.abstract_py ------------------------------------------------------------ */

enum AbstractTerm {
    A_SDO_ABSTRACT, A_BIBO_ABSTRACT, A_HTML, A_SECTION, A_TYPE, A_SECTION_CLASS, A_POSITION, A_TEXT, A_LABEL,
    A_CATEGORY, A_COPYRIGHT, A_RIGHTS, A_INTEGER_END, N_ABSTRACT_TERMS
};

/* What abstract() keeps of a section: its text, label and NLM category as they are, its markup (marked_up()) or
   NULL, and the paragraph of the abstract's HTML (the markup, else the text escaped). */
enum { S_TEXT, S_LABEL, S_CATEGORY, S_HTML, N_SECTION_FIELDS, S_MARKED = N_SECTION_FIELDS, S_PARAGRAPH,
       N_SECTION_SLOTS };
static PyObject *section_fields[N_SECTION_FIELDS], *s_sections, *s_copyright;

/* html.escape(text, quote=False): & < > as entities; text itself when it has none (most have none). */
static PyObject *
html_escape(PyObject *text)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), extra = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        extra += c == '&' ? 4 : (c == '<' || c == '>') ? 3 : 0;
    }
    if (extra == 0) {
        return Py_NewRef(text);
    }
    PyObject *out = PyUnicode_New(n + extra, PyUnicode_MAX_CHAR_VALUE(text));
    if (out == NULL) {
        return NULL;
    }
    int out_kind = PyUnicode_KIND(out);
    void *out_data = PyUnicode_DATA(out);
    for (Py_ssize_t i = 0, j = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        const char *entity = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : NULL;
        if (entity == NULL) {
            PyUnicode_WRITE(out_kind, out_data, j++, c);
            continue;
        }
        for (; *entity; entity++) {
            PyUnicode_WRITE(out_kind, out_data, j++, (Py_UCS4)*entity);
        }
    }
    return out;
}

/* A section's slots (new references), read and checked: 1 when of the types the readers make, 0 the twin's, -1 on
   error. The markup counts only when it says more than the text escaped (article._marked_up). */
static int
section_slots(PyObject *section, PyObject **slot)
{
    for (int k = 0; k < N_SECTION_FIELDS; k++) {
        slot[k] = PyObject_GetAttr(section, section_fields[k]);
        if (slot[k] == NULL) {
            return -1;
        }
    }
    if (!PyUnicode_CheckExact(slot[S_TEXT]) || !optional_str(slot[S_LABEL]) || !optional_str(slot[S_CATEGORY])
        || !optional_str(slot[S_HTML])) {
        return 0;
    }
    PyObject *escaped = html_escape(slot[S_TEXT]);
    if (escaped == NULL) {
        return -1;
    }
    if (!truthy(slot[S_HTML])) {
        slot[S_PARAGRAPH] = escaped;
        return 1;
    }
    int same = PyUnicode_Compare(slot[S_HTML], escaped);
    Py_DECREF(escaped);
    if (same == -1 && PyErr_Occurred()) {
        return -1;
    }
    slot[S_PARAGRAPH] = Py_NewRef(slot[S_HTML]);
    slot[S_MARKED] = same != 0 ? Py_NewRef(slot[S_HTML]) : NULL;
    return 1;
}

/* "\n\n".join of each section's label ": " (escaped when html) and its text or paragraph: Abstract.text, or
   article.abstract_html's text. */
static PyObject *
joined(PyObject **slots, Py_ssize_t n, int html)
{
    PyObject *pieces = PyList_New(n), *sep = NULL, *out = NULL;
    for (Py_ssize_t i = 0; pieces != NULL && i < n; i++) {
        PyObject **slot = slots + i * N_SECTION_SLOTS, *body = slot[html ? S_PARAGRAPH : S_TEXT], *piece;
        if (truthy(slot[S_LABEL])) {
            PyObject *label = html ? html_escape(slot[S_LABEL]) : Py_NewRef(slot[S_LABEL]);
            piece = label == NULL ? NULL : PyUnicode_FromFormat("%U: %U", label, body);
            Py_XDECREF(label);
        } else {
            piece = Py_NewRef(body);
        }
        if (piece == NULL) {
            Py_CLEAR(pieces);
            break;
        }
        PyList_SET_ITEM(pieces, i, piece);
    }
    sep = pieces == NULL ? NULL : PyUnicode_FromString("\n\n");
    out = sep == NULL ? NULL : PyUnicode_Join(sep, pieces);
    Py_XDECREF(sep);
    Py_XDECREF(pieces);
    return out;
}

/* The statements of the sections as nodes (prefix + n + ">"), made when there are two or more or any is labelled. */
static int
section_statements(PyObject *found, PyObject *a, PyObject *prefix, PyObject *const *t, PyObject **slots, Py_ssize_t n)
{
    int labelled = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        labelled |= truthy(slots[i * N_SECTION_SLOTS + S_LABEL]);
    }
    if (n < 2 && !labelled) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject **slot = slots + i * N_SECTION_SLOTS;
        PyObject *node = PyUnicode_FromFormat("%U%zd>", prefix, i + 1);
        PyObject *position = node == NULL ? NULL : PyUnicode_FromFormat("\"%zd\"%U", i + 1, t[A_INTEGER_END]);
        PyObject *text = position == NULL ? NULL : literal(slot[S_TEXT]);
        int failed = text == NULL || add(found, a, t[A_SECTION], node) < 0
            || add(found, node, t[A_TYPE], t[A_SECTION_CLASS]) < 0 || add(found, node, t[A_POSITION], position) < 0
            || add(found, node, t[A_TEXT], text) < 0;
        PyObject *given[3][2] = {{slot[S_MARKED], t[A_HTML]}, {slot[S_LABEL], t[A_LABEL]},
                                 {slot[S_CATEGORY], t[A_CATEGORY]}};
        for (int k = 0; k < 3 && !failed; k++) {
            if (given[k][0] != NULL && truthy(given[k][0])) {
                PyObject *value = literal(given[k][0]);
                failed = value == NULL || add(found, node, given[k][1], value) < 0;
                Py_XDECREF(value);
            }
        }
        Py_XDECREF(node);
        Py_XDECREF(position);
        Py_XDECREF(text);
        if (failed) {
            return -1;
        }
    }
    return 0;
}

/* Appends what article.abstract_py says of the abstract after its sections' slots are read: its text twice, its
   HTML when a section has markup, the sections, the copyright twice. */
static int
abstract_statements(PyObject *found, PyObject *a, PyObject *prefix, PyObject *const *t, PyObject **slots,
                    Py_ssize_t n, PyObject *copyright)
{
    int marked = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        marked |= slots[i * N_SECTION_SLOTS + S_MARKED] != NULL;
    }
    PyObject *text = joined(slots, n, 0), *value = text == NULL ? NULL : literal(text);
    Py_XDECREF(text);
    int failed = value == NULL || add(found, a, t[A_SDO_ABSTRACT], value) < 0
        || add(found, a, t[A_BIBO_ABSTRACT], value) < 0;
    Py_XDECREF(value);
    if (!failed && marked) {
        text = joined(slots, n, 1);
        value = text == NULL ? NULL : literal(text);
        Py_XDECREF(text);
        failed = value == NULL || add(found, a, t[A_HTML], value) < 0;
        Py_XDECREF(value);
    }
    if (failed || section_statements(found, a, prefix, t, slots, n) < 0) {
        return -1;
    }
    if (truthy(copyright)) {
        value = literal(copyright);
        failed = value == NULL || add(found, a, t[A_COPYRIGHT], value) < 0 || add(found, a, t[A_RIGHTS], value) < 0;
        Py_XDECREF(value);
    }
    return failed ? -1 : 0;
}

static PyObject *
abstract(PyObject *self, PyObject *args)
{
    PyObject *record_abstract, *a, *prefix, *terms, *abstract_type;
    if (!PyArg_ParseTuple(args, "OUUO!O!:abstract", &record_abstract, &a, &prefix, &PyTuple_Type, &terms,
                          &PyType_Type, &abstract_type)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(terms) != N_ABSTRACT_TERMS) {
        PyErr_Format(PyExc_TypeError, "abstract() needs %d terms", N_ABSTRACT_TERMS);
        return NULL;
    }
    if (!Py_IS_TYPE(record_abstract, (PyTypeObject *)abstract_type)) {  /* a subclass may say its text otherwise */
        Py_RETURN_NONE;
    }
    PyObject *sections = PyObject_GetAttr(record_abstract, s_sections);
    PyObject *copyright = sections == NULL ? NULL : PyObject_GetAttr(record_abstract, s_copyright);
    PyObject **slots = NULL, *found = NULL, *result = NULL;
    Py_ssize_t n = 0;
    if (copyright == NULL) {
        goto done;
    }
    if (!PyTuple_CheckExact(sections) || !optional_str(copyright)) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    n = PyTuple_GET_SIZE(sections);
    slots = PyMem_Calloc((size_t)(n ? n : 1) * N_SECTION_SLOTS, sizeof(PyObject *));
    if (slots == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int read = section_slots(PyTuple_GET_ITEM(sections, i), slots + i * N_SECTION_SLOTS);
        if (read <= 0) {
            result = read == 0 ? Py_NewRef(Py_None) : NULL;
            goto done;
        }
    }
    found = PyList_New(0);
    if (found != NULL && abstract_statements(found, a, prefix, &PyTuple_GET_ITEM(terms, 0), slots, n, copyright) == 0) {
        result = Py_NewRef(found);
    }

done:
    for (Py_ssize_t i = 0; slots != NULL && i < n * N_SECTION_SLOTS; i++) {
        Py_XDECREF(slots[i]);
    }
    PyMem_Free(slots);
    Py_XDECREF(found);
    Py_XDECREF(sections);
    Py_XDECREF(copyright);
    return result;
}

/* ---- dates: rdfgen.mapping.article.dates_py ------------------------------------------------------------------ */

enum DateTerm {
    D_PUBLISHED, D_ISSUED, D_DATE_TEXT, D_ELECTRONIC, D_COMPLETED, D_MODIFIED, D_DATE_MODIFIED, D_SUBMITTED,
    D_ACCEPTED, D_HISTORY_EVENT, D_TYPE, D_HISTORY_CLASS, D_PUBLICATION_STATUS, D_DATE, D_CITATION_STATUS,
    D_YEAR_END, D_MONTH_END, D_DAY_END, N_DATE_TERMS
};

enum { R_PUB_DATE, R_ELECTRONIC, R_BOOK, R_COMPLETED, R_REVISED, R_HISTORY, R_PUBLICATION_STATUS, R_STATUS,
       N_DATE_FIELDS };
static PyObject *date_fields[N_DATE_FIELDS], *s_year, *s_month, *s_day, *s_raw, *s_date, *s_status;

/* head (ASCII, n chars) followed by tail: a literal's text and its end. */
static PyObject *
ascii_then(const char *head, Py_ssize_t n, PyObject *tail)
{
    if (!PyUnicode_IS_ASCII(tail)) {
        return PyUnicode_FromFormat("%s%U", head, tail);
    }
    Py_ssize_t m = PyUnicode_GET_LENGTH(tail);
    PyObject *out = PyUnicode_New(n + m, 127);
    if (out == NULL) {
        return NULL;
    }
    memcpy(PyUnicode_1BYTE_DATA(out), head, (size_t)n);
    memcpy(PyUnicode_1BYTE_DATA(out) + n, PyUnicode_1BYTE_DATA(tail), (size_t)m);
    return out;
}

/* An optional int field: 1 with its value in *value when an int in [low, high]; 0 when None; 2 otherwise (not
   what the readers make: the twin's); -1 on error. */
static int
small_int(PyObject *field, long low, long high, long *value)
{
    *value = -1;
    if (field == Py_None) {
        return 0;
    }
    if (!PyLong_CheckExact(field)) {
        return 2;
    }
    int overflow;
    long v = PyLong_AsLongAndOverflow(field, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (overflow || v < low || v > high) {
        return 2;
    }
    *value = v;
    return 1;
}

/* A PartialDate's literals, each when asked for: typed (core._date_literal, with ends the three precisions'
   literal ends), iso (its ISO text as a plain literal) and raw (its raw literal, or NULL when it has none). 1 made, 0 the twin's (not an exact PartialDate, parts out of
   the range its checks allow, a raw text not str), -1 on error. */
static int
date_literals(PyObject *date, PyObject *date_type, PyObject *const *ends, PyObject **typed, PyObject **iso,
              PyObject **raw)
{
    if (typed != NULL) {
        *typed = NULL;
    }
    if (iso != NULL) {
        *iso = NULL;
    }
    if (raw != NULL) {
        *raw = NULL;
    }
    if (!Py_IS_TYPE(date, (PyTypeObject *)date_type)) {
        return 0;
    }
    PyObject *parts[4] = {NULL, NULL, NULL, NULL};
    PyObject *names[4] = {s_year, s_month, s_day, s_raw};
    int status = -1;
    for (int k = 0; k < 4; k++) {
        parts[k] = PyObject_GetAttr(date, names[k]);
        if (parts[k] == NULL) {
            goto done;
        }
    }
    long year, month, day;
    int y = small_int(parts[0], 1, 9999, &year), m = small_int(parts[1], 1, 12, &month),
        d = small_int(parts[2], 1, 31, &day);
    if (y < 0 || m < 0 || d < 0) {
        goto done;
    }
    status = 0;
    if (y != 1 || m == 2 || d == 2 || (d == 1 && m != 1)
        || (parts[3] != Py_None && !PyUnicode_CheckExact(parts[3]))) {
        goto done;
    }
    status = -1;
    char text[16];
    int n = snprintf(text, sizeof text, "\"%04ld", year);
    if (m == 1) {
        n += snprintf(text + n, sizeof text - (size_t)n, "-%02ld", month);
    }
    if (d == 1) {
        n += snprintf(text + n, sizeof text - (size_t)n, "-%02ld", day);
    }
    if (typed != NULL) {
        *typed = ascii_then(text, n, ends[(m == 1) + (d == 1)]);
        if (*typed == NULL) {
            goto done;
        }
    }
    if (iso != NULL) {
        text[n] = '"';
        *iso = PyUnicode_FromStringAndSize(text, n + 1);
        if (*iso == NULL) {
            goto done;
        }
    }
    if (raw != NULL && parts[3] != Py_None && PyUnicode_GET_LENGTH(parts[3]) > 0) {
        *raw = literal(parts[3]);
        if (*raw == NULL) {
            goto done;
        }
    }
    status = 1;

done:
    for (int k = 0; k < 4; k++) {
        Py_XDECREF(parts[k]);
    }
    if (status != 1) {
        if (typed != NULL) {
            Py_CLEAR(*typed);
        }
        if (iso != NULL) {
            Py_CLEAR(*iso);
        }
        if (raw != NULL) {
            Py_CLEAR(*raw);
        }
    }
    return status;
}

/* The statements of the record's history events, in the twin's order; 0 when the twin must make the record's. */
static int
history_statements(PyObject *history, PyObject *a, PyObject *prefix, PyObject *date_type, PyObject *const *t,
                   PyObject *found)
{
    if (!PyTuple_CheckExact(history)) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(history); i++) {
        PyObject *event = PyTuple_GET_ITEM(history, i);
        PyObject *status = PyObject_GetAttr(event, s_status);
        PyObject *date = status == NULL ? NULL : PyObject_GetAttr(event, s_date);
        PyObject *typed = NULL, *node = NULL, *value = NULL;
        int made = date == NULL ? -1 : !PyUnicode_CheckExact(status) ? 0
                                  : date_literals(date, date_type, &t[D_YEAR_END], &typed, NULL, NULL);
        if (made == 1) {
            PyObject *said = PyUnicode_CompareWithASCIIString(status, "received") == 0 ? t[D_SUBMITTED]
                             : PyUnicode_CompareWithASCIIString(status, "accepted") == 0 ? t[D_ACCEPTED] : NULL;
            node = PyUnicode_FromFormat("%U%zd>", prefix, i + 1);
            value = node == NULL ? NULL : literal(status);
            if (value == NULL || (said != NULL && add(found, a, said, typed) < 0)
                || add(found, a, t[D_HISTORY_EVENT], node) < 0 || add(found, node, t[D_TYPE], t[D_HISTORY_CLASS]) < 0
                || add(found, node, t[D_PUBLICATION_STATUS], value) < 0 || add(found, node, t[D_DATE], typed) < 0) {
                made = -1;
            }
        }
        Py_XDECREF(status);
        Py_XDECREF(date);
        Py_XDECREF(typed);
        Py_XDECREF(node);
        Py_XDECREF(value);
        if (made != 1) {
            return made;
        }
    }
    return 1;
}

/* dates(record, article, prefixes, terms, date_type) -> the statements of the record's dates, or None when the
   twin must make them all; prefixes is (history,): the k-th event's node is history + k + ">". */
/* The end of a part that hands the whole record back to its Python twin where it cannot make it: made 1, the
   statements found; 0, None (the twin makes them); -1, NULL with the error set. ``found`` is dropped unless made. */
static PyObject *
made_or_not(int made, PyObject *found)
{
    if (made == 1) {
        return found;
    }
    Py_XDECREF(found);
    if (made == 0) {
        Py_RETURN_NONE;
    }
    return NULL;
}

static PyObject *
dates(PyObject *self, PyObject *args)
{
    PyObject *record, *a, *prefixes, *terms, *date_type;
    if (!PyArg_ParseTuple(args, "OUO!O!O!:dates", &record, &a, &PyTuple_Type, &prefixes, &PyTuple_Type, &terms,
                          &PyType_Type, &date_type)
        || check_tables("dates", terms, N_DATE_TERMS, prefixes, 1) < 0) {
        return NULL;
    }
    PyObject *const *t = &PyTuple_GET_ITEM(terms, 0);
    PyObject *f[N_DATE_FIELDS] = {NULL};
    PyObject *book_date = NULL, *typed = NULL, *iso = NULL, *raw = NULL, *found = NULL;
    int made = -1;
    for (int k = 0; k < N_DATE_FIELDS; k++) {
        f[k] = PyObject_GetAttr(record, date_fields[k]);
        if (f[k] == NULL) {
            goto done;
        }
    }
    found = PyList_New(0);
    if (found == NULL) {
        goto done;
    }
    /* published: the record's publication date, else its electronic one, else its book's */
    PyObject *published = f[R_PUB_DATE] != Py_None ? f[R_PUB_DATE] : f[R_ELECTRONIC];
    if (published == Py_None && f[R_BOOK] != Py_None) {
        book_date = PyObject_GetAttr(f[R_BOOK], s_date);
        if (book_date == NULL) {
            goto done;
        }
        published = book_date;
    }
    if (published != Py_None) {
        made = date_literals(published, date_type, &t[D_YEAR_END], &typed, &iso, &raw);
        if (made != 1) {
            goto done;
        }
        made = -1;
        if (add(found, a, t[D_PUBLISHED], iso) < 0 || add(found, a, t[D_ISSUED], typed) < 0
            || (raw != NULL && add(found, a, t[D_DATE_TEXT], raw) < 0)) {
            goto done;
        }
        Py_CLEAR(typed);
        Py_CLEAR(iso);
        Py_CLEAR(raw);
    }
    int which[3] = {R_ELECTRONIC, R_COMPLETED, R_REVISED};
    int said[3] = {D_ELECTRONIC, D_COMPLETED, D_MODIFIED};
    for (int k = 0; k < 3; k++) {
        if (f[which[k]] == Py_None) {
            continue;
        }
        made = date_literals(f[which[k]], date_type, &t[D_YEAR_END], &typed, which[k] == R_REVISED ? &iso : NULL,
                             NULL);
        if (made != 1) {
            goto done;
        }
        made = -1;
        if (add(found, a, t[said[k]], typed) < 0 || (iso != NULL && add(found, a, t[D_DATE_MODIFIED], iso) < 0)) {
            goto done;
        }
        Py_CLEAR(typed);
        Py_CLEAR(iso);
    }
    made = history_statements(f[R_HISTORY], a, PyTuple_GET_ITEM(prefixes, 0), date_type, t, found);
    if (made != 1) {
        goto done;
    }
    int given[2] = {R_PUBLICATION_STATUS, R_STATUS};
    int given_as[2] = {D_PUBLICATION_STATUS, D_CITATION_STATUS};
    for (int k = 0; k < 2; k++) {  /* core.given: a value the record lacks says nothing */
        PyObject *value = f[given[k]];
        if (value == Py_None) {
            continue;
        }
        if (!PyUnicode_CheckExact(value)) {
            made = 0;
            goto done;
        }
        if (PyUnicode_GET_LENGTH(value) > 0) {
            raw = literal(value);
            if (raw == NULL || add(found, a, t[given_as[k]], raw) < 0) {
                made = -1;
                goto done;
            }
            Py_CLEAR(raw);
        }
    }
    made = 1;

done:
    for (int k = 0; k < N_DATE_FIELDS; k++) {
        Py_XDECREF(f[k]);
    }
    Py_XDECREF(book_date);
    Py_XDECREF(typed);
    Py_XDECREF(iso);
    Py_XDECREF(raw);
    return made_or_not(made, found);
}

/* ---- identifiers: rdfgen.mapping.article.identifiers_py ------------------------------------------------------ */

enum IdTerm {
    I_PMID, I_PMID_VERSION, I_DOI, I_SDO_SAME_AS, I_OWL_SAME_AS, I_PMCID, I_PII, I_IDENTIFIER, I_TYPE,
    I_PROPERTY_VALUE, I_PROPERTY_ID, I_NAME, I_VALUE, I_IN_DATASET, I_CONFORMS_TO, I_PROFILE, I_URL, N_ID_TERMS
};
enum IdPrefix {
    X_NODE, X_DOI_URL, X_DOI_WORK, X_PMC, X_PMC_END, X_PUBMED, X_PUBMED_END, X_PUBMED_RDF, X_DATASET, N_ID_PREFIXES
};
enum { J_PMID, J_PMID_VERSION, J_ARTICLE_IDS, J_DOI, J_PMCID, J_PII, N_ID_FIELDS };
static PyObject *id_fields[N_ID_FIELDS], *s_scheme, *s_value;

#define MAX_SCHEMES 64

typedef struct {
    PyObject *scheme;  /* lower case, new reference */
    PyObject *value;   /* new reference */
} Id;

static inline int
unreserved(Py_UCS1 c)  /* what quote() and segment() never encode: ASCII letters, digits, "-._~" */
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
           || c == '_' || c == '~';
}

/* Whether text is ASCII with no character below "!" or above "~" (so strip() leaves it be and quote() encodes it
   byte for byte); with also_plain, made only of unreserved characters (segment() leaves it be). */
static int
printable_ascii(PyObject *text, int also_plain)
{
    if (!PyUnicode_CheckExact(text) || !PyUnicode_IS_ASCII(text)) {
        return 0;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(text); i++) {
        if (s[i] < 0x21 || s[i] > 0x7e || (also_plain && !unreserved(s[i]))) {
            return 0;
        }
    }
    return 1;
}

/* Whether an IRI takes text as it is (terms.uri escapes none of it): printable ASCII, none of <>"{}|^`\. */
static int
iri_safe(PyObject *text)
{
    if (!printable_ascii(text, 0)) {
        return 0;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(text); i++) {
        if (strchr("<>\"{}|^`\\", s[i]) != NULL) {
            return 0;
        }
    }
    return 1;
}

/* prefix + quote(text, safe=unreserved + also_safe) + ">", text lowered first when lower: urllib.parse.quote of
   printable ASCII (each other character as %XX, upper-case hex). */
static PyObject *
quoted_iri(PyObject *prefix, PyObject *text, const char *also_safe, int lower)
{
    static const char hex[] = "0123456789ABCDEF";
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), j = 0;
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    char *buffer = PyMem_Malloc((size_t)(3 * n + 2));
    if (buffer == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS1 c = lower && s[i] >= 'A' && s[i] <= 'Z' ? (Py_UCS1)(s[i] + 32) : s[i];
        if (unreserved(c) || strchr(also_safe, c) != NULL) {
            buffer[j++] = (char)c;
        } else {
            buffer[j++] = '%';
            buffer[j++] = hex[c >> 4];
            buffer[j++] = hex[c & 0xf];
        }
    }
    buffer[j++] = '>';
    buffer[j] = '\0';
    PyObject *out = PyUnicode_FromFormat("%U%s", prefix, buffer);
    PyMem_Free(buffer);
    return out;
}

/* ASCII lower case of an ASCII str. */
static PyObject *
ascii_lower(PyObject *text)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyUnicode_New(n, 127);
    if (out == NULL) {
        return NULL;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    Py_UCS1 *o = PyUnicode_1BYTE_DATA(out);
    for (Py_ssize_t i = 0; i < n; i++) {
        o[i] = s[i] >= 'A' && s[i] <= 'Z' ? (Py_UCS1)(s[i] + 32) : s[i];
    }
    return out;
}

static Py_ssize_t
find_scheme(const Id *ids, Py_ssize_t n, const char *scheme)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (PyUnicode_CompareWithASCIIString(ids[i].scheme, scheme) == 0) {
            return i;
        }
    }
    return -1;
}

static int
scheme_order(const void *x, const void *y)  /* str order of ASCII schemes: byte order, shorter first on a tie */
{
    PyObject *a = ((const Id *)x)->scheme, *b = ((const Id *)y)->scheme;
    Py_ssize_t na = PyUnicode_GET_LENGTH(a), nb = PyUnicode_GET_LENGTH(b);
    int c = memcmp(PyUnicode_1BYTE_DATA(a), PyUnicode_1BYTE_DATA(b), (size_t)(na < nb ? na : nb));
    return c != 0 ? c : (na > nb) - (na < nb);
}

/* The record's identifiers by scheme, as identifiers_py gathers them (the first ArticleId of a lower-cased
   scheme, then the record's own DOI, PMC and PII when given; no "pubmed"), sorted by scheme. 1 gathered, 0 the
   twin's (a scheme not ASCII or not unreserved, a field not of the type the readers make, too many), -1 error. */
static int
gather_ids(PyObject *const *f, Id *ids, Py_ssize_t *n)
{
    *n = 0;
    if (!PyUnicode_CheckExact(f[J_PMID]) || !PyTuple_CheckExact(f[J_ARTICLE_IDS])
        || PyTuple_GET_SIZE(f[J_ARTICLE_IDS]) > MAX_SCHEMES - 4) {  /* room for pmid, doi, pmc, pii */
        return 0;
    }
    ids[0].scheme = PyUnicode_FromString("pmid");
    if (ids[0].scheme == NULL) {
        return -1;
    }
    ids[0].value = Py_NewRef(f[J_PMID]);
    *n = 1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(f[J_ARTICLE_IDS]); i++) {
        PyObject *aid = PyTuple_GET_ITEM(f[J_ARTICLE_IDS], i);
        PyObject *scheme = PyObject_GetAttr(aid, s_scheme);
        PyObject *value = scheme == NULL ? NULL : PyObject_GetAttr(aid, s_value);
        if (value == NULL) {
            Py_XDECREF(scheme);
            return -1;
        }
        if (!PyUnicode_CheckExact(scheme) || !PyUnicode_IS_ASCII(scheme) || !PyUnicode_CheckExact(value)) {
            Py_DECREF(scheme);
            Py_DECREF(value);
            return 0;
        }
        PyObject *lower = ascii_lower(scheme);
        Py_DECREF(scheme);
        if (lower == NULL) {
            Py_DECREF(value);
            return -1;
        }
        int known = 0;
        for (Py_ssize_t k = 0; k < *n && !known; k++) {
            known = PyUnicode_Compare(ids[k].scheme, lower) == 0;
        }
        if (known) {  /* setdefault: the first of a scheme stays */
            Py_DECREF(lower);
            Py_DECREF(value);
        } else {
            ids[*n].scheme = lower;
            ids[*n].value = value;
            (*n)++;
        }
    }
    const char *own[3] = {"doi", "pmc", "pii"};
    for (int k = 0; k < 3; k++) {
        PyObject *value = f[J_DOI + k];
        if (value == Py_None) {
            continue;
        }
        if (!PyUnicode_CheckExact(value)) {
            return 0;
        }
        if (PyUnicode_GET_LENGTH(value) == 0) {
            continue;
        }
        Py_ssize_t at = find_scheme(ids, *n, own[k]);
        if (at >= 0) {
            Py_SETREF(ids[at].value, Py_NewRef(value));
        } else {
            ids[*n].scheme = PyUnicode_FromString(own[k]);
            if (ids[*n].scheme == NULL) {
                return -1;
            }
            ids[*n].value = Py_NewRef(value);
            (*n)++;
        }
    }
    Py_ssize_t pubmed = find_scheme(ids, *n, "pubmed");
    if (pubmed >= 0) {
        Py_DECREF(ids[pubmed].scheme);
        Py_DECREF(ids[pubmed].value);
        ids[pubmed] = ids[--(*n)];
    }
    for (Py_ssize_t i = 0; i < *n; i++) {
        if (!printable_ascii(ids[i].scheme, 1)) {  /* an empty scheme is plain too: segment("") is "" */
            if (PyUnicode_GET_LENGTH(ids[i].scheme) > 0) {
                return 0;
            }
        }
    }
    qsort(ids, (size_t)*n, sizeof(Id), scheme_order);
    return 1;
}

/* identifiers(record, article, prefixes, terms) -> the statements of the record's identifiers, or None when the
   twin must make them all. */
static PyObject *
identifiers(PyObject *self, PyObject *args)
{
    PyObject *record, *a, *prefixes, *terms;
    if (!PyArg_ParseTuple(args, "OUO!O!:identifiers", &record, &a, &PyTuple_Type, &prefixes, &PyTuple_Type, &terms)
        || check_tables("identifiers", terms, N_ID_TERMS, prefixes, N_ID_PREFIXES) < 0) {
        return NULL;
    }
    PyObject *const *t = &PyTuple_GET_ITEM(terms, 0);
    PyObject *const *x = &PyTuple_GET_ITEM(prefixes, 0);
    PyObject *f[N_ID_FIELDS] = {NULL};
    PyObject *found = NULL, *value = NULL, *iri = NULL, *node = NULL, *name = NULL;
    Id ids[MAX_SCHEMES];
    Py_ssize_t n = 0;
    int made = -1;
    for (int k = 0; k < N_ID_FIELDS; k++) {
        f[k] = PyObject_GetAttr(record, id_fields[k]);
        if (f[k] == NULL) {
            goto done;
        }
    }
    made = gather_ids(f, ids, &n);
    if (made != 1) {
        goto done;
    }
    Py_ssize_t doi = find_scheme(ids, n, "doi"), pmc = find_scheme(ids, n, "pmc"), pii = find_scheme(ids, n, "pii");
    made = 0;  /* what the twin makes: a DOI, PMCID or PMID an IRI would need escaped or its text stripped for */
    if ((doi >= 0 && !printable_ascii(ids[doi].value, 0)) || (pmc >= 0 && !iri_safe(ids[pmc].value))
        || !iri_safe(f[J_PMID]) || (f[J_PMID_VERSION] != Py_None && !PyUnicode_CheckExact(f[J_PMID_VERSION]))) {
        goto done;
    }
    made = -1;
    found = PyList_New(0);
    value = found == NULL ? NULL : literal(f[J_PMID]);
    if (value == NULL || add(found, a, t[I_PMID], value) < 0) {
        goto done;
    }
    Py_CLEAR(value);
    if (f[J_PMID_VERSION] != Py_None && PyUnicode_GET_LENGTH(f[J_PMID_VERSION]) > 0) {
        value = literal(f[J_PMID_VERSION]);
        if (value == NULL || add(found, a, t[I_PMID_VERSION], value) < 0) {
            goto done;
        }
        Py_CLEAR(value);
    }
    if (doi >= 0) {
        value = literal(ids[doi].value);
        iri = value == NULL ? NULL : quoted_iri(x[X_DOI_URL], ids[doi].value, "/:;()", 0);
        if (iri == NULL || add(found, a, t[I_DOI], value) < 0 || add(found, a, t[I_SDO_SAME_AS], iri) < 0
            || add(found, a, t[I_OWL_SAME_AS], iri) < 0) {
            goto done;
        }
        Py_CLEAR(value);
        Py_CLEAR(iri);
    }
    if (pmc >= 0) {
        value = literal(ids[pmc].value);
        iri = value == NULL ? NULL : PyUnicode_FromFormat("%U%U%U", x[X_PMC], ids[pmc].value, x[X_PMC_END]);
        if (iri == NULL || add(found, a, t[I_PMCID], value) < 0 || add(found, a, t[I_SDO_SAME_AS], iri) < 0) {
            goto done;
        }
        Py_CLEAR(value);
        Py_CLEAR(iri);
    }
    if (pii >= 0) {
        value = literal(ids[pii].value);
        if (value == NULL || add(found, a, t[I_PII], value) < 0) {
            goto done;
        }
        Py_CLEAR(value);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        node = PyUnicode_FromFormat("%U%U>", x[X_NODE], ids[i].scheme);
        name = node == NULL ? NULL : literal(ids[i].scheme);
        value = name == NULL ? NULL : literal(ids[i].value);
        if (value == NULL || add(found, a, t[I_IDENTIFIER], node) < 0
            || add(found, node, t[I_TYPE], t[I_PROPERTY_VALUE]) < 0 || add(found, node, t[I_PROPERTY_ID], name) < 0
            || add(found, node, t[I_NAME], name) < 0 || add(found, node, t[I_VALUE], value) < 0) {
            goto done;
        }
        Py_CLEAR(node);
        Py_CLEAR(name);
        Py_CLEAR(value);
    }
    if (doi >= 0) {
        iri = quoted_iri(x[X_DOI_WORK], ids[doi].value, "", 1);
        if (iri == NULL || add(found, a, t[I_OWL_SAME_AS], iri) < 0) {
            goto done;
        }
        Py_CLEAR(iri);
    }
    if (add(found, a, t[I_IN_DATASET], x[X_DATASET]) < 0 || add(found, a, t[I_CONFORMS_TO], t[I_PROFILE]) < 0) {
        goto done;
    }
    iri = PyUnicode_FromFormat("%U%U%U", x[X_PUBMED], f[J_PMID], x[X_PUBMED_END]);
    node = iri == NULL ? NULL : PyUnicode_FromFormat("%U%U>", x[X_PUBMED_RDF], f[J_PMID]);
    if (node == NULL || add(found, a, t[I_URL], iri) < 0 || add(found, a, t[I_SDO_SAME_AS], iri) < 0
        || add(found, a, t[I_OWL_SAME_AS], node) < 0) {
        goto done;
    }
    made = 1;

done:
    for (int k = 0; k < N_ID_FIELDS; k++) {
        Py_XDECREF(f[k]);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_XDECREF(ids[i].scheme);
        Py_XDECREF(ids[i].value);
    }
    Py_XDECREF(value);
    Py_XDECREF(iri);
    Py_XDECREF(node);
    Py_XDECREF(name);
    return made_or_not(made, found);
}

/* ---- container: rdfgen.mapping.container.container_py (with periodical and pages) --------------------------- */

enum ContainerTerm {
    C_TYPE, C_PERIODICAL, C_JOURNAL, C_NAME, C_TITLE, C_ALTERNATE_NAME, C_SHORT_TITLE, C_SDO_ISSN, C_BIBO_ISSN,
    C_EISSN, C_ISSN_L, C_NLM_ID, C_MEDLINE_TA, C_COUNTRY, C_VOLUME_CLASS, C_VOLUME_NUMBER, C_SDO_PART_OF,
    C_DC_PART_OF, C_ISSUE_CLASS, C_BIBO_ISSUE_CLASS, C_ISSUE_NUMBER, C_BIBO_ISSUE, C_BIBO_VOLUME, C_DATE_PUBLISHED,
    C_CITED_MEDIUM, C_SDO_PAGE_START, C_BIBO_PAGE_START, C_SDO_PAGE_END, C_BIBO_PAGE_END, C_PAGINATION, C_BIBO_PAGES,
    N_CONTAINER_TERMS
};
enum ContainerPrefix { K_JOURNAL, K_VOLUME, K_ISSUE, K_ISSUE_ONLY, N_CONTAINER_PREFIXES };
enum { G_JOURNAL, G_VOLUME, G_ISSUE, G_PUB_DATE, G_CITED_MEDIUM, G_PAGES, N_CONTAINER_FIELDS };
enum { JF_TITLE, JF_ISO, JF_MEDLINE_TA, JF_ISSN_PRINT, JF_ISSN_ELECTRONIC, JF_ISSN_LINKING, JF_NLM_ID, JF_COUNTRY,
       N_JOURNAL_FIELDS };
static PyObject *container_fields[N_CONTAINER_FIELDS], *journal_fields[N_JOURNAL_FIELDS], *s_start, *s_end;

/* iris.segment(text) into out (room for 3 * length + 1), NUL-ended: quote(text, safe="-._~") of printable ASCII
   that strip() leaves be. -1 (the twin's) for anything else: non-ASCII, control characters, spaces at its ends. */
static Py_ssize_t
segment_into(char *out, PyObject *text)
{
    static const char hex[] = "0123456789ABCDEF";
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), j = 0;
    if (!PyUnicode_IS_ASCII(text) || n == 0) {
        return -1;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    if (s[0] == ' ' || s[n - 1] == ' ') {
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            return -1;
        }
        if (unreserved(s[i])) {
            out[j++] = (char)s[i];
        } else {
            out[j++] = '%';
            out[j++] = hex[s[i] >> 4];
            out[j++] = hex[s[i] & 0xf];
        }
    }
    out[j] = '\0';
    return j;
}

static int
optional_strs(PyObject *const *values, int n)  /* each None or an exact str */
{
    for (int k = 0; k < n; k++) {
        if (values[k] != Py_None && !PyUnicode_CheckExact(values[k])) {
            return 0;
        }
    }
    return 1;
}

/* periodical(): the journal's statements. */
static int
periodical_statements(PyObject *node, PyObject *const *j, PyObject *const *t, PyObject *found)
{
    PyObject *name = truthy(j[JF_TITLE]) ? j[JF_TITLE] : truthy(j[JF_ISO]) ? j[JF_ISO] : j[JF_MEDLINE_TA];
    if (add(found, node, t[C_TYPE], t[C_PERIODICAL]) < 0 || add(found, node, t[C_TYPE], t[C_JOURNAL]) < 0
        || (truthy(name) && said_twice(found, node, t[C_NAME], t[C_TITLE], name) < 0)
        || (truthy(j[JF_ISO]) && said_twice(found, node, t[C_ALTERNATE_NAME], t[C_SHORT_TITLE], j[JF_ISO]) < 0)) {
        return -1;
    }
    PyObject *issns[3] = {j[JF_ISSN_PRINT], j[JF_ISSN_ELECTRONIC], j[JF_ISSN_LINKING]};
    for (int k = 0; k < 3; k++) {  /* each ISSN once, in this order */
        int seen = !truthy(issns[k]);
        for (int i = 0; i < k && !seen; i++) {
            seen = truthy(issns[i]) && PyUnicode_Compare(issns[i], issns[k]) == 0;
        }
        if (!seen) {
            PyObject *value = literal(issns[k]);
            int failed = value == NULL || add(found, node, t[C_SDO_ISSN], value) < 0;
            Py_XDECREF(value);
            if (failed) {
                return -1;
            }
        }
    }
    PyObject *given[6][2] = {{j[JF_ISSN_PRINT], t[C_BIBO_ISSN]}, {j[JF_ISSN_ELECTRONIC], t[C_EISSN]},
                             {j[JF_ISSN_LINKING], t[C_ISSN_L]}, {j[JF_NLM_ID], t[C_NLM_ID]},
                             {j[JF_MEDLINE_TA], t[C_MEDLINE_TA]}, {j[JF_COUNTRY], t[C_COUNTRY]}};
    for (int k = 0; k < 6; k++) {
        if (truthy(given[k][0])) {
            PyObject *value = literal(given[k][0]);
            int failed = value == NULL || add(found, node, given[k][1], value) < 0;
            Py_XDECREF(value);
            if (failed) {
                return -1;
            }
        }
    }
    return 0;
}

/* The parts of a Pages (start, end, raw: new references in p) when of the types the readers make (1), else 0 (the
   twin's; p cleared) or -1 on error. Read apart from saying them, so a reference can be checked whole before any
   of its statements is made. */
static int
page_parts(PyObject *pages, PyObject **p)
{
    PyObject *names[3] = {s_start, s_end, s_raw};
    for (int k = 0; k < 3; k++) {
        p[k] = PyObject_GetAttr(pages, names[k]);
        if (p[k] == NULL) {
            for (int i = 0; i < k; i++) {
                Py_CLEAR(p[i]);
            }
            return -1;
        }
    }
    if (optional_strs(p, 2) && PyUnicode_CheckExact(p[2])) {
        return 1;
    }
    for (int k = 0; k < 3; k++) {
        Py_CLEAR(p[k]);
    }
    return 0;
}

/* pages() of parts page_parts read: pt are the predicates pageStart (schema, bibo), pageEnd (schema, bibo),
   pagination and bibo:pages. */
static int
pages_said(PyObject *node, PyObject *const *p, PyObject *const *pt, PyObject *found)
{
    return (truthy(p[0]) && said_twice(found, node, pt[0], pt[1], p[0]) < 0)
           || (truthy(p[1]) && said_twice(found, node, pt[2], pt[3], p[1]) < 0)
           || said_twice(found, node, pt[4], pt[5], p[2]) < 0 ? -1 : 0;
}

/* pages(): 1 made, 0 the twin's (fields not of the types the readers make), -1 error. */
static int
pages_statements(PyObject *node, PyObject *pages, PyObject *const *t, PyObject *found)
{
    if (pages == Py_None) {
        return 1;
    }
    PyObject *p[3] = {NULL, NULL, NULL};
    int status = page_parts(pages, p);
    if (status > 0 && pages_said(node, p, &t[C_SDO_PAGE_START], found) < 0) {
        status = -1;
    }
    for (int k = 0; k < 3; k++) {
        Py_XDECREF(p[k]);
    }
    return status;
}

/* container(record, article, prefixes, terms, date_type) -> the statements of where the record appeared, or None
   when the twin must make them all. */
static PyObject *
container(PyObject *self, PyObject *args)
{
    PyObject *record, *a, *prefixes, *terms, *date_type;
    if (!PyArg_ParseTuple(args, "OUO!O!O!:container", &record, &a, &PyTuple_Type, &prefixes, &PyTuple_Type, &terms,
                          &PyType_Type, &date_type)
        || check_tables("container", terms, N_CONTAINER_TERMS, prefixes, N_CONTAINER_PREFIXES) < 0) {
        return NULL;
    }
    PyObject *const *t = &PyTuple_GET_ITEM(terms, 0);
    PyObject *const *x = &PyTuple_GET_ITEM(prefixes, 0);
    PyObject *f[N_CONTAINER_FIELDS] = {NULL}, *j[N_JOURNAL_FIELDS] = {NULL};
    PyObject *found = NULL, *journal = NULL, *volume = NULL, *issue = NULL, *volume_lit = NULL, *issue_lit = NULL;
    PyObject *iso = NULL, *value = NULL;
    char *buffer = NULL;
    int made = -1;
    for (int k = 0; k < N_CONTAINER_FIELDS; k++) {
        f[k] = PyObject_GetAttr(record, container_fields[k]);
        if (f[k] == NULL) {
            goto done;
        }
    }
    made = 0;
    if (!optional_strs(&f[G_VOLUME], 2) || !optional_strs(&f[G_CITED_MEDIUM], 1)) {
        goto done;
    }
    PyObject *key = NULL;  /* journal_key(): its first ISSN or NLM ID, as a path segment */
    if (f[G_JOURNAL] != Py_None) {
        made = -1;
        for (int k = 0; k < N_JOURNAL_FIELDS; k++) {
            j[k] = PyObject_GetAttr(f[G_JOURNAL], journal_fields[k]);
            if (j[k] == NULL) {
                goto done;
            }
        }
        made = 0;
        if (!optional_strs(j, N_JOURNAL_FIELDS)) {
            goto done;
        }
        PyObject *keys[4] = {j[JF_ISSN_LINKING], j[JF_ISSN_PRINT], j[JF_ISSN_ELECTRONIC], j[JF_NLM_ID]};
        for (int k = 0; k < 4 && key == NULL; k++) {
            key = truthy(keys[k]) ? keys[k] : NULL;
        }
        if (key == NULL && (truthy(j[JF_TITLE]) || truthy(j[JF_ISO]) || truthy(j[JF_MEDLINE_TA]))) {
            goto done;  /* a slug of the title: the twin's */
        }
    }
    if (key != NULL) {
        Py_ssize_t room = 3 * (PyUnicode_GET_LENGTH(key) + (truthy(f[G_VOLUME]) ? PyUnicode_GET_LENGTH(f[G_VOLUME]) : 0)
                               + (truthy(f[G_ISSUE]) ? PyUnicode_GET_LENGTH(f[G_ISSUE]) : 0)) + 3;
        buffer = PyMem_Malloc((size_t)room);
        if (buffer == NULL) {
            PyErr_NoMemory();
            made = -1;
            goto done;
        }
        char *key_text = buffer, *volume_text = NULL, *issue_text = NULL;
        Py_ssize_t used = segment_into(key_text, key);
        if (used < 0) {
            goto done;
        }
        if (truthy(f[G_VOLUME])) {
            volume_text = buffer + used + 1;
            Py_ssize_t more = segment_into(volume_text, f[G_VOLUME]);
            if (more < 0) {
                goto done;
            }
            used += more + 1;
        }
        if (truthy(f[G_ISSUE])) {
            issue_text = buffer + used + 1;
            if (segment_into(issue_text, f[G_ISSUE]) < 0) {
                goto done;
            }
        }
        made = -1;
        found = PyList_New(0);
        journal = found == NULL ? NULL : PyUnicode_FromFormat("%U%s>", x[K_JOURNAL], key_text);
        if (journal == NULL || periodical_statements(journal, j, t, found) < 0) {
            goto done;
        }
        PyObject *parent = journal;
        if (volume_text != NULL) {
            volume = PyUnicode_FromFormat("%U%s%U%s>", x[K_JOURNAL], key_text, x[K_VOLUME], volume_text);
            volume_lit = volume == NULL ? NULL : literal(f[G_VOLUME]);
            if (volume_lit == NULL || add(found, volume, t[C_TYPE], t[C_VOLUME_CLASS]) < 0
                || add(found, volume, t[C_VOLUME_NUMBER], volume_lit) < 0
                || add(found, volume, t[C_SDO_PART_OF], journal) < 0
                || add(found, volume, t[C_DC_PART_OF], journal) < 0) {
                goto done;
            }
            parent = volume;
        }
        if (issue_text != NULL) {
            if (f[G_PUB_DATE] != Py_None) {
                made = date_literals(f[G_PUB_DATE], date_type, NULL, NULL, &iso, NULL);
                if (made != 1) {
                    goto done;
                }
                made = -1;
            }
            issue = volume_text != NULL
                ? PyUnicode_FromFormat("%U%s%U%s%U%s>", x[K_JOURNAL], key_text, x[K_VOLUME], volume_text,
                                       x[K_ISSUE], issue_text)
                : PyUnicode_FromFormat("%U%s%U%s>", x[K_JOURNAL], key_text, x[K_ISSUE_ONLY], issue_text);
            issue_lit = issue == NULL ? NULL : literal(f[G_ISSUE]);
            if (issue_lit == NULL || add(found, issue, t[C_TYPE], t[C_ISSUE_CLASS]) < 0
                || add(found, issue, t[C_TYPE], t[C_BIBO_ISSUE_CLASS]) < 0
                || add(found, issue, t[C_ISSUE_NUMBER], issue_lit) < 0
                || add(found, issue, t[C_BIBO_ISSUE], issue_lit) < 0
                || (volume_lit != NULL && add(found, issue, t[C_BIBO_VOLUME], volume_lit) < 0)
                || (iso != NULL && add(found, issue, t[C_DATE_PUBLISHED], iso) < 0)
                || add(found, issue, t[C_SDO_PART_OF], parent) < 0 || add(found, issue, t[C_DC_PART_OF], parent) < 0) {
                goto done;
            }
            parent = issue;
        }
        if (add(found, a, t[C_SDO_PART_OF], parent) < 0 || add(found, a, t[C_DC_PART_OF], parent) < 0) {
            goto done;
        }
    } else {
        made = -1;
        found = PyList_New(0);
        if (found == NULL) {
            goto done;
        }
    }
    made = -1;
    if (truthy(f[G_VOLUME]) && volume_lit == NULL && (volume_lit = literal(f[G_VOLUME])) == NULL) {
        goto done;
    }
    if (truthy(f[G_ISSUE]) && issue_lit == NULL && (issue_lit = literal(f[G_ISSUE])) == NULL) {
        goto done;
    }
    if ((volume_lit != NULL && add(found, a, t[C_BIBO_VOLUME], volume_lit) < 0)
        || (issue_lit != NULL && add(found, a, t[C_BIBO_ISSUE], issue_lit) < 0)) {
        goto done;
    }
    if (truthy(f[G_CITED_MEDIUM])) {
        value = literal(f[G_CITED_MEDIUM]);
        if (value == NULL || add(found, a, t[C_CITED_MEDIUM], value) < 0) {
            goto done;
        }
    }
    made = pages_statements(a, f[G_PAGES], t, found);

done:
    for (int k = 0; k < N_CONTAINER_FIELDS; k++) {
        Py_XDECREF(f[k]);
    }
    for (int k = 0; k < N_JOURNAL_FIELDS; k++) {
        Py_XDECREF(j[k]);
    }
    PyMem_Free(buffer);
    Py_XDECREF(journal);
    Py_XDECREF(volume);
    Py_XDECREF(issue);
    Py_XDECREF(volume_lit);
    Py_XDECREF(issue_lit);
    Py_XDECREF(iso);
    Py_XDECREF(value);
    return made_or_not(made, found);
}

/* ---- references: rdfgen.mapping.references._reference; a work cited without a PMID, cited_work (with pages) ---- */

enum { W_AUTHORS, W_TRUNCATED, W_TITLE, W_JOURNAL, W_YEAR, W_VOLUME, W_ISSUE, W_PAGES, N_WORK_FIELDS };
static PyObject *work_fields[N_WORK_FIELDS], *s_comma, *s_et_al;

/* What the citation text says of a work cited without a PMID, read and checked whole before any statement is made
   (so a reference the twin must map has nothing here to take back). */
typedef struct {
    PyObject *f[N_WORK_FIELDS];
    PyObject *page[3];   /* start, end, raw of f[W_PAGES] when it is not None */
    PyObject *journal;   /* the journal's term from journals, or None (no key) when f[W_JOURNAL] is given */
    long year;           /* f[W_YEAR], 0 when None */
} Work;

static void
work_clear(Work *w)
{
    for (int k = 0; k < N_WORK_FIELDS; k++) {
        Py_CLEAR(w->f[k]);
    }
    for (int k = 0; k < 3; k++) {
        Py_CLEAR(w->page[k]);
    }
    Py_CLEAR(w->journal);
}

/* The journal's term: journals[title], a dict whose __missing__ (references._Journals) mints it from
   iris.journal_key and journal_iri the first time a title is seen; the hit, nearly always, stays in C. */
static PyObject *
journal_term(PyObject *journals, PyObject *title)
{
    PyObject *term = PyDict_GetItemWithError(journals, title);
    if (term != NULL) {
        return Py_NewRef(term);
    }
    return PyErr_Occurred() ? NULL : PyObject_GetItem(journals, title);
}

/* 1 when the work's parts are of the types the parsers make them (the text escaped here as lit() escapes it), 0
   when the twin maps the reference (a year not a non-negative int, authors not a tuple of str, Pages not of str
   parts, a journal whose term is not a str or None), -1 on error. Reading the parts of a reference made by
   Reference.unparsed parses its citation, as the twin's reading does. */
static int
read_work(PyObject *ref, PyObject *journals, Work *w)
{
    for (int k = 0; k < N_WORK_FIELDS; k++) {
        w->f[k] = PyObject_GetAttr(ref, work_fields[k]);
        if (w->f[k] == NULL) {
            return -1;
        }
    }
    PyObject *authors = w->f[W_AUTHORS], *year = w->f[W_YEAR];
    if (!PyTuple_CheckExact(authors) || !PyBool_Check(w->f[W_TRUNCATED]) || !optional_strs(&w->f[W_TITLE], 2)
        || !optional_strs(&w->f[W_VOLUME], 2) || (year != Py_None && !PyLong_CheckExact(year))) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(authors); i++) {
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(authors, i))) {
            return 0;
        }
    }
    if (year != Py_None) {
        int overflow = 0;
        w->year = PyLong_AsLongAndOverflow(year, &overflow);
        if (w->year == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (overflow || w->year < 0) {  /* f"{year:04d}" of a negative year pads after its sign: the twin's */
            return 0;
        }
    }
    if (w->f[W_PAGES] != Py_None) {
        int parts = page_parts(w->f[W_PAGES], w->page);
        if (parts <= 0) {
            return parts;
        }
    }
    if (truthy(w->f[W_JOURNAL])) {
        w->journal = journal_term(journals, w->f[W_JOURNAL]);
        if (w->journal == NULL) {
            return -1;
        }
        if (w->journal != Py_None && !PyUnicode_CheckExact(w->journal)) {
            return 0;
        }
    }
    return 1;
}

/* authorsText: the authors as printed, ", et al." after them when the list was cut short. */
static PyObject *
authors_text(const Work *w)
{
    PyObject *joined = PyUnicode_Join(s_comma, w->f[W_AUTHORS]);
    if (joined == NULL || w->f[W_TRUNCATED] != Py_True) {
        return joined;
    }
    PyObject *text = PyUnicode_Concat(joined, s_et_al);
    Py_DECREF(joined);
    return text;
}

/* a literal of value under predicate, when value is a non-empty str */
static int
said_if_given(PyObject *found, PyObject *node, PyObject *predicate, PyObject *value)
{
    if (!truthy(value)) {
        return 0;
    }
    PyObject *term = literal(value);
    int status = term == NULL || add(found, node, predicate, term) < 0 ? -1 : 0;
    Py_XDECREF(term);
    return status;
}

/* cited_work: what the citation text says of a work known by DOI (doi, already checked clean and not the citing
   article's own) or by nothing (doi None), in the twin's order. */
static int
cited_work(PyObject *work, PyObject *doi, PyObject *pmcid, const Work *w, PyObject *const *prefix,
           PyObject *const *t, PyObject *found)
{
    PyObject *value = NULL, *other = NULL;
    int status = -1;
    PyObject *const *f = w->f;
    if (add(found, work, t[T_TYPE], truthy(f[W_JOURNAL]) ? t[T_SCHOLARLY_ARTICLE] : t[T_CREATIVE_WORK]) < 0
        || (truthy(f[W_TITLE]) && said_twice(found, work, t[T_NAME], t[T_DC_TITLE], f[W_TITLE]) < 0)) {
        goto done;
    }
    if (PyTuple_GET_SIZE(f[W_AUTHORS]) > 0) {
        other = authors_text(w);
        value = other == NULL ? NULL : literal(other);
        if (value == NULL || add(found, work, t[T_AUTHORS_TEXT], value) < 0) {
            goto done;
        }
        Py_CLEAR(value);
        Py_CLEAR(other);
    }
    if (w->journal != NULL && w->journal != Py_None) {
        PyObject *journal = w->journal;
        value = literal(f[W_JOURNAL]);
        if (value == NULL || add(found, work, t[T_SDO_PART_OF], journal) < 0
            || add(found, work, t[T_DC_PART_OF], journal) < 0 || add(found, journal, t[T_TYPE], t[T_PERIODICAL]) < 0
            || add(found, journal, t[T_TYPE], t[T_JOURNAL]) < 0
            || add(found, journal, t[T_ALTERNATE_NAME], value) < 0) {
            goto done;
        }
        Py_CLEAR(value);
    }
    if (w->year > 0) {  /* f"{year:04d}": digits only, never escaped */
        char digits[24];
        snprintf(digits, sizeof digits, "%04ld", w->year);
        value = PyUnicode_FromFormat("\"%s\"", digits);
        other = value == NULL ? NULL : PyUnicode_FromFormat("\"%s\"%U", digits, t[T_GYEAR_END]);
        if (other == NULL || add(found, work, t[T_DATE_PUBLISHED], value) < 0
            || add(found, work, t[T_ISSUED], other) < 0) {
            goto done;
        }
        Py_CLEAR(value);
        Py_CLEAR(other);
    }
    if (said_if_given(found, work, t[T_VOLUME], f[W_VOLUME]) < 0
        || said_if_given(found, work, t[T_ISSUE], f[W_ISSUE]) < 0
        || (f[W_PAGES] != Py_None && pages_said(work, w->page, &t[T_SDO_PAGE_START], found) < 0)) {
        goto done;
    }
    if (doi != Py_None) {
        /* iris.doi_url_iri: quote(doi, safe="/:;()._-~"), which of a clean DOI encodes only "<", ">" and "#" */
        value = literal(doi);
        other = value == NULL ? NULL : quoted_iri(prefix[RP_DOI_URL], doi, "/:;()", 0);
        if (other == NULL || add(found, work, t[T_BIBO_DOI], value) < 0 || add(found, work, t[T_SAME_AS], other) < 0) {
            goto done;
        }
    }
    status = said_if_given(found, work, t[T_WORK_PMCID], pmcid);

done:
    Py_XDECREF(value);
    Py_XDECREF(other);
    return status;
}

/* The statements of one reference cited without a PMID whose parts read_work took. Its work: by DOI,
   {base}doi/ + segment(doi.lower()) (quote(safe="-._~") of the ASCII a clean DOI is); else the entry's own. */
static int
cited_without_pmid(const Fields *f, const Work *w, PyObject *article, PyObject *const *prefix, PyObject *const *t,
                   PyObject *found)
{
    PyObject *entry = PyUnicode_FromFormat("%U%S>", prefix[RP_ENTRY], f->position);
    PyObject *work = entry == NULL ? NULL
                     : f->doi != Py_None ? quoted_iri(prefix[RP_DOI_WORK], f->doi, "", 1)
                     : PyUnicode_FromFormat("%U%S%U", prefix[RP_ENTRY], f->position, prefix[RP_LOCAL_WORK_END]);
    int status = work == NULL || entry_statements(f, article, entry, work, t, found) < 0
                 || cited_work(work, f->doi, f->pmcid, w, prefix, t, found) < 0 ? -1 : 0;
    Py_XDECREF(entry);
    Py_XDECREF(work);
    return status;
}

enum { TWIN, BY_PMID, WITHOUT_PMID };

/* Which maps the reference: BY_PMID or WITHOUT_PMID here when _cited would keep it as it is (a usable PMID or
   none at all, and no DOI or a clean one not the citing article's own: no note to add), TWIN otherwise. */
static int
kind_of(const Fields *f, PyObject *own_pmid, PyObject *own_doi)
{
    if (!usable_doi(f->doi, own_doi)) {
        return TWIN;
    }
    if (f->pmid == Py_None) {
        return WITHOUT_PMID;
    }
    return usable_pmid(f->pmid, own_pmid) ? BY_PMID : TWIN;
}

/* One reference's statements: 0 made (here or by other), -1 error. */
static int
reference(PyObject *ref, PyObject *article, PyObject *own_pmid, PyObject *own_doi, PyObject *const *prefix,
          PyObject *const *t, PyObject *journals, PyObject *found, PyObject *other)
{
    Fields f = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    Work w = {{NULL}, {NULL, NULL, NULL}, NULL, 0};
    int status = -1, kind = TWIN, mine = read_fields(ref, &f);
    if (mine > 0) {
        kind = kind_of(&f, own_pmid, own_doi);
        if (kind == WITHOUT_PMID) {  /* only now: reading the parts parses an unparsed reference's text */
            mine = read_work(ref, journals, &w);
            kind = mine > 0 ? kind : TWIN;
        }
    }
    if (mine < 0) {
        goto done;
    }
    if (kind == BY_PMID) {
        status = cited_by_pmid(&f, article, prefix, t, found);
    } else if (kind == WITHOUT_PMID) {
        status = cited_without_pmid(&f, &w, article, prefix, t, found);
    } else {
        PyObject *done = PyObject_CallOneArg(other, ref);
        status = done == NULL ? -1 : 0;
        Py_XDECREF(done);
    }

done:
    fields_clear(&f);
    work_clear(&w);
    return status;
}

static PyObject *
references(PyObject *self, PyObject *args)
{
    PyObject *refs, *article, *own_pmid, *own_doi, *prefixes, *terms, *journals, *found, *other;
    if (!PyArg_ParseTuple(args, "OUUOO!O!O!O!O:references", &refs, &article, &own_pmid, &own_doi, &PyTuple_Type,
                          &prefixes, &PyTuple_Type, &terms, &PyDict_Type, &journals, &PyList_Type, &found, &other)) {
        return NULL;
    }
    if (check_tables("references", terms, N_TERMS, prefixes, N_REF_PREFIXES) < 0) {
        return NULL;
    }
    PyObject *const *t = &PyTuple_GET_ITEM(terms, 0);
    PyObject *const *prefix = &PyTuple_GET_ITEM(prefixes, 0);
    PyObject *items = PySequence_Fast(refs, "refs must be a sequence");
    if (items == NULL) {
        return NULL;
    }
    int failed = 0;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items) && !failed; i++) {
        failed = reference(PySequence_Fast_GET_ITEM(items, i), article, own_pmid, own_doi, prefix, t, journals,
                           found, other) < 0;
    }
    Py_DECREF(items);
    if (failed) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"references", references, METH_VARARGS,
     "references(refs, article, own_pmid, own_doi, prefixes, terms, journals, found, other) -> None: appends the "
     "statements of the references."},
    {"mesh", mesh, METH_VARARGS,
     "mesh(headings, article, prefixes, terms, found, descriptors, other) -> None: appends the statements of the "
     "MeSH headings."},
    {"nonempty", nonempty, METH_VARARGS,
     "nonempty(found, empty) -> the statements whose object is not the empty literal."},
    {"people", people, METH_VARARGS,
     "people(people, article, sdo_prop, dc_prop, prefixes, terms, found, nodes, other, author_type) -> None: appends the "
     "statements of the authors (or investigators) and their nodes."},
    {"rdf_list", rdf_list, METH_VARARGS,
     "rdf_list(found, subject, prop, items, head, terms) -> None: appends the rdf:List of the items, its k-th cell "
     "head + k."},
    {"abstract", abstract, METH_VARARGS,
     "abstract(abstract, article, prefix, terms, abstract_type) -> the statements of the record's abstract, or None "
     "when the Python twin must make them."},
    {"dates", dates, METH_VARARGS,
     "dates(record, article, prefixes, terms, date_type) -> the statements of the record's dates, or None when "
     "the Python twin must make them."},
    {"identifiers", identifiers, METH_VARARGS,
     "identifiers(record, article, prefixes, terms) -> the statements of the record's identifiers, or None when "
     "the Python twin must make them."},
    {"container", container, METH_VARARGS,
     "container(record, article, prefixes, terms, date_type) -> the statements of where the record appeared, or "
     "None when the Python twin must make them."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native",
    "The statements of references cited by PMID, the twin of rdfgen.mapping.references._reference.", -1, methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    const char *names[] = {"pmid", "doi", "position", "citation", "notes", "title_of_list", "pmcid",
                           "descriptor_ui", "descriptor_name", "major", "qualifiers", "type", "ui", "name"};
    PyObject **slots[] = {&s_pmid, &s_doi, &s_position, &s_citation, &s_notes, &s_title_of_list, &s_pmcid,
                          &s_descriptor_ui, &s_descriptor_name, &s_major, &s_qualifiers, &s_type, &s_ui, &s_name};
    for (int k = 0; k < 14; k++) {
        *slots[k] = PyUnicode_InternFromString(names[k]);
        if (*slots[k] == NULL) {
            return NULL;
        }
    }
    const char *fields[N_PERSON_FIELDS] = {"orcid", "family_name", "given_name", "initials", "suffix",
                                           "collective_name", "affiliations", "valid", "equal_contribution"};
    for (int k = 0; k < N_PERSON_FIELDS; k++) {
        person_fields[k] = PyUnicode_InternFromString(fields[k]);
        if (person_fields[k] == NULL) {
            return NULL;
        }
    }
    s_identifiers = PyUnicode_InternFromString("identifiers");
    if (s_identifiers == NULL) {
        return NULL;
    }
    const char *section_names[N_SECTION_FIELDS] = {"text", "label", "nlm_category", "html"};
    for (int k = 0; k < N_SECTION_FIELDS; k++) {
        section_fields[k] = PyUnicode_InternFromString(section_names[k]);
        if (section_fields[k] == NULL) {
            return NULL;
        }
    }
    s_sections = PyUnicode_InternFromString("sections");
    s_copyright = PyUnicode_InternFromString("copyright");
    if (s_sections == NULL || s_copyright == NULL) {
        return NULL;
    }
    const char *record_dates[N_DATE_FIELDS] = {"pub_date", "electronic_date", "book", "date_completed",
                                               "date_revised", "history", "publication_status", "status"};
    for (int k = 0; k < N_DATE_FIELDS; k++) {
        date_fields[k] = PyUnicode_InternFromString(record_dates[k]);
        if (date_fields[k] == NULL) {
            return NULL;
        }
    }
    const char *record_ids[N_ID_FIELDS] = {"pmid", "pmid_version", "article_ids", "doi", "pmcid", "pii"};
    for (int k = 0; k < N_ID_FIELDS; k++) {
        id_fields[k] = PyUnicode_InternFromString(record_ids[k]);
        if (id_fields[k] == NULL) {
            return NULL;
        }
    }
    const char *record_container[N_CONTAINER_FIELDS] = {"journal", "volume", "issue", "pub_date", "cited_medium",
                                                        "pages"};
    for (int k = 0; k < N_CONTAINER_FIELDS; k++) {
        container_fields[k] = PyUnicode_InternFromString(record_container[k]);
        if (container_fields[k] == NULL) {
            return NULL;
        }
    }
    const char *journal_names[N_JOURNAL_FIELDS] = {"title", "iso_abbreviation", "medline_ta", "issn_print",
                                                   "issn_electronic", "issn_linking", "nlm_id", "country"};
    for (int k = 0; k < N_JOURNAL_FIELDS; k++) {
        journal_fields[k] = PyUnicode_InternFromString(journal_names[k]);
        if (journal_fields[k] == NULL) {
            return NULL;
        }
    }
    const char *work_names[N_WORK_FIELDS] = {"authors", "authors_truncated", "title", "journal", "year", "volume",
                                             "issue", "pages"};
    for (int k = 0; k < N_WORK_FIELDS; k++) {
        work_fields[k] = PyUnicode_InternFromString(work_names[k]);
        if (work_fields[k] == NULL) {
            return NULL;
        }
    }
    s_comma = PyUnicode_InternFromString(", ");
    s_et_al = PyUnicode_InternFromString(", et al.");
    if (s_comma == NULL || s_et_al == NULL) {
        return NULL;
    }
    s_start = PyUnicode_InternFromString("start");
    s_end = PyUnicode_InternFromString("end");
    if (s_start == NULL || s_end == NULL) {
        return NULL;
    }
    s_scheme = PyUnicode_InternFromString("scheme");
    s_value = PyUnicode_InternFromString("value");
    if (s_scheme == NULL || s_value == NULL) {
        return NULL;
    }
    const char *date_names[] = {"year", "month", "day", "raw", "date", "status"};
    PyObject **date_slots[] = {&s_year, &s_month, &s_day, &s_raw, &s_date, &s_status};
    for (int k = 0; k < 6; k++) {
        *date_slots[k] = PyUnicode_InternFromString(date_names[k]);
        if (*date_slots[k] == NULL) {
            return NULL;
        }
    }
    return PyModule_Create(&module);
}
