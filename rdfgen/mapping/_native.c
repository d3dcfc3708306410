/* rdfgen.mapping._native: the statements of an article's references cited by PMID, made in C; the twin of
   rdfgen.mapping.references._reference (with _cited and pubmed_work), which serves where this module could not be
   built and makes every other reference here too. tests/test_native_references.py proves they agree.

   Why: a baseline article cites about 30 works, nearly all by PMID, and each makes 12 or more statements: the
   reference list was 40% of the mapping's CPU in Python, most of it the interpreter's own work around tuples.

   The vocabulary stays the mapping's: every predicate and class comes in `terms`, named in references.py, and the
   IRIs in prefixes minted there by rdfgen.iris; this module only knows which statement a reference makes of which.

   references(refs, article, own_pmid, own_doi, prefixes, terms, found, other) -> None
       refs      the Reference objects, in order
       article   the citing article's term ("<...>")
       own_pmid  its PMID; own_doi its DOI key (lower case) or None
       prefixes  (entry, work, pubmed_url, pubmed_url_end): the entry is entry + position + ">", the work cited by
                 PMID work + pmid + ">", its PubMed page pubmed_url + pmid + pubmed_url_end
       terms     the predicates and classes, in the order of enum Term below
       found     the list the statements are appended to
       other(ref) appends a reference this module leaves to the Python twin: one without a usable PMID, one whose
                 PMID or DOI is the citing article's own or needs a note, anything not of the types the twin makes.
*/

#define PY_SSIZE_T_CLEAN
#include <Python.h>

enum Term {
    T_CITATION, T_CITES, T_CITO_CITES, T_REFERENCE, T_TYPE, T_ENTRY_CLASS, T_POSITION, T_CONTENT, T_TEXT,
    T_REFERENCES, T_LIST_TITLE, T_NOTE, T_CREATIVE_WORK, T_PMID, T_SAME_AS, T_CITED_DOI, T_CITED_PMCID,
    T_INTEGER_END, N_TERMS
};

static PyObject *s_pmid, *s_doi, *s_position, *s_citation, *s_notes, *s_title_of_list, *s_pmcid, *s_quote;

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

/* The statements of one reference cited by a usable PMID, in the twin's order. */
static int
cited_by_pmid(const Fields *f, PyObject *article, PyObject *const *prefix, PyObject *const *t, PyObject *found)
{
    PyObject *entry = NULL, *work = NULL, *position = NULL, *citation = NULL, *page = NULL, *value = NULL;
    int status = -1;
    entry = PyUnicode_FromFormat("%U%S>", prefix[0], f->position);
    work = PyUnicode_FromFormat("%U%U>", prefix[1], f->pmid);
    position = PyUnicode_FromFormat("\"%S\"%U", f->position, t[T_INTEGER_END]);
    citation = literal(f->citation);
    page = PyUnicode_FromFormat("%U%U%U", prefix[2], f->pmid, prefix[3]);
    if (entry == NULL || work == NULL || position == NULL || citation == NULL || page == NULL) {
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
    Py_XDECREF(position);
    Py_XDECREF(citation);
    Py_XDECREF(page);
    Py_XDECREF(value);
    return status;
}

static PyObject *
references(PyObject *self, PyObject *args)
{
    PyObject *refs, *article, *own_pmid, *own_doi, *prefixes, *terms, *found, *other;
    if (!PyArg_ParseTuple(args, "OUUOO!O!O!O:references", &refs, &article, &own_pmid, &own_doi, &PyTuple_Type,
                          &prefixes, &PyTuple_Type, &terms, &PyList_Type, &found, &other)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(terms) != N_TERMS || PyTuple_GET_SIZE(prefixes) != 4) {
        PyErr_Format(PyExc_TypeError, "references() needs %d terms and 4 prefixes", N_TERMS);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < N_TERMS; i++) {
        if (!PyUnicode_Check(PyTuple_GET_ITEM(terms, i)) || (i < 4 && !PyUnicode_Check(PyTuple_GET_ITEM(prefixes, i)))) {
            PyErr_SetString(PyExc_TypeError, "terms and prefixes must be str");
            return NULL;
        }
    }
    PyObject *const *t = &PyTuple_GET_ITEM(terms, 0);
    PyObject *const *prefix = &PyTuple_GET_ITEM(prefixes, 0);
    PyObject *items = PySequence_Fast(refs, "refs must be a sequence");
    if (items == NULL) {
        return NULL;
    }
    int failed = 0;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items) && !failed; i++) {
        PyObject *ref = PySequence_Fast_GET_ITEM(items, i);
        Fields f = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
        int mine = read_fields(ref, &f);
        if (mine > 0) {
            mine = f.pmid != Py_None && usable_pmid(f.pmid, own_pmid) && usable_doi(f.doi, own_doi);
        }
        if (mine < 0) {
            failed = 1;
        } else if (mine) {
            failed = cited_by_pmid(&f, article, prefix, t, found) < 0;
        } else {
            PyObject *done = PyObject_CallOneArg(other, ref);
            failed = done == NULL;
            Py_XDECREF(done);
        }
        fields_clear(&f);
    }
    Py_DECREF(items);
    if (failed) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"references", references, METH_VARARGS,
     "references(refs, article, own_pmid, own_doi, prefixes, terms, found, other) -> None: appends the statements "
     "of the references."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native",
    "The statements of references cited by PMID, the twin of rdfgen.mapping.references._reference.", -1, methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    const char *names[] = {"pmid", "doi", "position", "citation", "notes", "title_of_list", "pmcid", "\""};
    PyObject **slots[] = {&s_pmid, &s_doi, &s_position, &s_citation, &s_notes, &s_title_of_list, &s_pmcid, &s_quote};
    for (int k = 0; k < 8; k++) {
        *slots[k] = PyUnicode_InternFromString(names[k]);
        if (*slots[k] == NULL) {
            return NULL;
        }
    }
    return PyModule_Create(&module);
}
