/* rdfgen._native: the hot loop of a conversion that Python makes slow, the twin of a Python function that says the
   same in a few lines and serves where this module could not be built (tests/test_native.py proves they agree).
   (Measured and not kept: quoting literals and IRIs here gained nothing, the Python call around it costs as much;
   grouping a record's statements for its documents saved 0.9% of a build with them.)

   members(triples, under, article, graph_end, shared_end) -> (unique, nq, nt)
       rdfgen.publish.members.members_py: a record's shard members in one pass
   tally(unique, rdf_type, properties) -> {class: statements}
       rdfgen.publish.members.tally_py: what a shard's index says of a record (its classes), and the predicates
       the shard uses, in one more pass over the unique statements (1.5% of a conversion in Python)
   index(triples, wanted) -> {subject: {predicate: object or [objects]}}
       rdfgen.publish.shapes_check.index_py: the statements the shapes check reads, grouped (1.5% of a conversion
       in Python)
   targets(idx, by_class, subject_targets, object_targets, count, rdf_type, subclass) -> (foci, subclassing)
       rdfgen.publish.shapes_check.targets_py: each shape's focus nodes from that index (2% in Python)

   triples     a list of (subject, predicate, object) tuples of str, terms already in N-Triples form
   under       the prefix of the record's own IRIs ("<BASE/pubmed/PMID/"); "_:" subjects are the record's too
   article     the record's article IRI ("<BASE/pubmed/PMID>"): the rule is rdfgen.publish.dumps.is_own's
   graph_end   b" <record graph> .\n", the end of an N-Quads line of the record's own statements
   shared_end  b" <shared graph> .\n", the same for the statements about shared nodes

   unique is triples without repeats, in first-seen order (dict.fromkeys); nt is every unique statement as UTF-8
   N-Triples, the record's own first, then the shared ones, each group in the order of unique; nq is the same lines
   ending in their graph. The Python twin (members.py) says the same in a few lines; this one makes no per-line
   object and copies each term's UTF-8 once per file, which is most of a record's writing cost in Python. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

typedef struct {
    const char *term[3];
    Py_ssize_t size[3];
    int own;
} Line;

static int
starts_with(const char *text, Py_ssize_t n, const char *prefix, Py_ssize_t m)
{
    return n >= m && memcmp(text, prefix, (size_t)m) == 0;
}

static char *
write_line(char *out, const Line *line, const char *end, Py_ssize_t n_end)
{
    for (int k = 0; k < 3; k++) {
        if (k) {
            *out++ = ' ';
        }
        memcpy(out, line->term[k], (size_t)line->size[k]);
        out += line->size[k];
    }
    memcpy(out, end, (size_t)n_end);
    return out + n_end;
}

/* Whether two statements with the same hash are the same: their terms are the same objects (the mapping's constants,
   a term reused), or equal strings. Terms are exact str here (read_unique checks first). */
static int
same_statement(PyObject *a, PyObject *b)
{
    for (int k = 0; k < 3; k++) {
        PyObject *x = PyTuple_GET_ITEM(a, k), *y = PyTuple_GET_ITEM(b, k);
        if (x != y && (PyUnicode_GET_LENGTH(x) != PyUnicode_GET_LENGTH(y) || PyUnicode_Compare(x, y) != 0)) {
            return 0;
        }
    }
    return 1;
}

/* Fills lines[] and unique[] (borrowed) with the statements not said before, in first-seen order; returns how many,
   or -1 with an exception set. Repeats are found in an open-addressing table of statement indexes sized once for
   the list (a set grows four times over a record's ~1,000 statements and hashes each tuple anew): the hash mixes
   the three str hashes, which the terms keep once computed. */
static Py_ssize_t
read_unique(PyObject *triples, PyObject **unique, Line *lines, const char *under, Py_ssize_t n_under,
            const char *article, Py_ssize_t n_article)
{
    Py_ssize_t n = PyList_GET_SIZE(triples);
    size_t mask = 7;
    while (mask + 1 < 2 * (size_t)n) {
        mask = mask * 2 + 1;
    }
    Py_ssize_t *table = PyMem_Malloc(sizeof(Py_ssize_t) * (mask + 1));  /* 1 + index into unique; 0: empty */
    Py_hash_t *hashes = PyMem_Malloc(sizeof(Py_hash_t) * (size_t)(n > 0 ? n : 1));
    if (table == NULL || hashes == NULL) {
        PyMem_Free(table);
        PyMem_Free(hashes);
        PyErr_NoMemory();
        return -1;
    }
    memset(table, 0, sizeof(Py_ssize_t) * (mask + 1));
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *triple = PyList_GET_ITEM(triples, i);
        if (!PyTuple_Check(triple) || PyTuple_GET_SIZE(triple) != 3) {
            PyErr_Format(PyExc_TypeError, "statement %zd is not a (subject, predicate, object) tuple", i);
            goto fail;
        }
        Py_uhash_t h = 0x345678UL;
        for (int k = 0; k < 3; k++) {
            PyObject *term = PyTuple_GET_ITEM(triple, k);
            if (!PyUnicode_CheckExact(term)) {  /* a str subclass may hash or compare otherwise: not for this loop */
                PyErr_Format(PyExc_TypeError, "term %d of statement %zd is not a str", k, i);
                goto fail;
            }
            Py_hash_t th = PyObject_Hash(term);
            if (th == -1) {
                goto fail;
            }
            h = (h ^ (Py_uhash_t)th) * 1000003UL;
        }
        size_t slot = (size_t)(h ^ (h >> 17)) & mask;
        int repeat = 0;
        for (; table[slot]; slot = (slot + 1) & mask) {
            Py_ssize_t j = table[slot] - 1;
            if (hashes[j] == (Py_hash_t)h && same_statement(unique[j], triple)) {
                repeat = 1;
                break;
            }
            if (PyErr_Occurred()) {
                goto fail;
            }
        }
        if (repeat) {
            continue;  /* said before */
        }
        table[slot] = count + 1;
        hashes[count] = (Py_hash_t)h;
        unique[count] = triple;
        Line *line = &lines[count++];
        for (int k = 0; k < 3; k++) {
            line->term[k] = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(triple, k), &line->size[k]);
            if (line->term[k] == NULL) {
                goto fail;
            }
        }
        const char *s = line->term[0];
        Py_ssize_t ns = line->size[0];
        line->own = starts_with(s, ns, "_:", 2) || starts_with(s, ns, under, n_under)
                    || (ns == n_article && memcmp(s, article, (size_t)ns) == 0);
    }
    PyMem_Free(table);
    PyMem_Free(hashes);
    return count;

fail:
    PyMem_Free(table);
    PyMem_Free(hashes);
    return -1;
}

static PyObject *
members(PyObject *self, PyObject *args)
{
    PyObject *triples;
    const char *under, *article, *graph_end, *shared_end;
    Py_ssize_t n_under, n_article, n_graph, n_shared;
    if (!PyArg_ParseTuple(args, "O!s#s#y#y#:members", &PyList_Type, &triples, &under, &n_under, &article,
                          &n_article, &graph_end, &n_graph, &shared_end, &n_shared)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(triples);
    Line *lines = PyMem_Malloc(sizeof(Line) * (size_t)(n > 0 ? n : 1));
    PyObject **found = PyMem_Malloc(sizeof(PyObject *) * (size_t)(n > 0 ? n : 1));  /* borrowed from triples */
    PyObject *unique = NULL, *nq = NULL, *nt = NULL;
    if (lines == NULL || found == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    /* The list holds the tuples, and so the terms whose UTF-8 the lines point into, until the end: nothing here
       runs Python code that could change it (terms are exact str, whose hash and comparison are C). */
    Py_ssize_t count = read_unique(triples, found, lines, under, n_under, article, n_article);
    if (count < 0) {
        goto fail;
    }
    unique = PyList_New(count);
    if (unique == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_INCREF(found[i]);
        PyList_SET_ITEM(unique, i, found[i]);
    }
    Py_ssize_t body = 0, own = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        body += lines[i].size[0] + lines[i].size[1] + lines[i].size[2] + 2;
        own += lines[i].own;
    }
    nt = PyBytes_FromStringAndSize(NULL, body + 3 * count);
    nq = PyBytes_FromStringAndSize(NULL, body + n_graph * own + n_shared * (count - own));
    if (nt == NULL || nq == NULL) {
        goto fail;
    }
    char *out_nt = PyBytes_AS_STRING(nt), *out_nq = PyBytes_AS_STRING(nq);
    for (int pass = 1; pass >= 0; pass--) {  /* the record's own statements, then the shared ones */
        for (Py_ssize_t i = 0; i < count; i++) {
            if (lines[i].own == pass) {
                out_nt = write_line(out_nt, &lines[i], " .\n", 3);
                out_nq = pass ? write_line(out_nq, &lines[i], graph_end, n_graph)
                              : write_line(out_nq, &lines[i], shared_end, n_shared);
            }
        }
    }
    PyMem_Free(lines);
    PyMem_Free(found);
    return Py_BuildValue("(NNN)", unique, nq, nt);

fail:
    PyMem_Free(lines);
    PyMem_Free(found);
    Py_XDECREF(unique);
    Py_XDECREF(nq);
    Py_XDECREF(nt);
    return NULL;
}

/* tally(unique, rdf_type, properties) -> {class: statements}: rdfgen.publish.members.tally_py. */
static PyObject *
tally(PyObject *self, PyObject *args)
{
    PyObject *unique, *rdf_type, *properties;
    if (!PyArg_ParseTuple(args, "O!UO!:tally", &PyList_Type, &unique, &rdf_type, &PySet_Type, &properties)) {
        return NULL;
    }
    PyObject *classes = PyDict_New();
    if (classes == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(unique); i++) {
        PyObject *triple = PyList_GET_ITEM(unique, i);
        if (!PyTuple_Check(triple) || PyTuple_GET_SIZE(triple) != 3) {
            PyErr_Format(PyExc_TypeError, "statement %zd is not a (subject, predicate, object) tuple", i);
            goto fail;
        }
        PyObject *predicate = PyTuple_GET_ITEM(triple, 1);
        if (PySet_Add(properties, predicate) < 0) {
            goto fail;
        }
        int is_type = predicate == rdf_type;  /* the mapping's constant: nearly always the same object */
        if (!is_type && PyUnicode_Check(predicate)) {
            is_type = PyUnicode_Compare(predicate, rdf_type) == 0;
            if (is_type == 0 && PyErr_Occurred()) {
                goto fail;
            }
        }
        if (!is_type) {
            continue;
        }
        PyObject *cls = PyTuple_GET_ITEM(triple, 2);
        PyObject *count = PyDict_GetItemWithError(classes, cls);  /* borrowed */
        if (count == NULL && PyErr_Occurred()) {
            goto fail;
        }
        Py_ssize_t so_far = count == NULL ? 0 : PyLong_AsSsize_t(count);  /* an int this function stored */
        if (so_far < 0) {
            goto fail;
        }
        PyObject *next = PyLong_FromSsize_t(so_far + 1);
        if (next == NULL || PyDict_SetItem(classes, cls, next) < 0) {
            Py_XDECREF(next);
            goto fail;
        }
        Py_DECREF(next);
    }
    return classes;

fail:
    Py_DECREF(classes);
    return NULL;
}

/* index(triples, wanted) -> {subject: {predicate: object or [objects]}}: rdfgen.publish.shapes_check.index_py. */
static PyObject *
index_statements(PyObject *self, PyObject *args)
{
    PyObject *triples, *wanted;
    if (!PyArg_ParseTuple(args, "O!O:index", &PyList_Type, &triples, &wanted)) {
        return NULL;
    }
    if (!PyAnySet_Check(wanted)) {
        PyErr_SetString(PyExc_TypeError, "wanted must be a set or frozenset of predicates");
        return NULL;
    }
    PyObject *idx = PyDict_New();
    if (idx == NULL) {
        return NULL;
    }
    PyObject *last = NULL, *d = NULL;  /* borrowed: the subject of the statement before, and its dict */
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(triples); i++) {
        PyObject *triple = PyList_GET_ITEM(triples, i);
        if (!PyTuple_Check(triple) || PyTuple_GET_SIZE(triple) != 3) {
            PyErr_Format(PyExc_TypeError, "statement %zd is not a (subject, predicate, object) tuple", i);
            goto fail;
        }
        PyObject *s = PyTuple_GET_ITEM(triple, 0), *p = PyTuple_GET_ITEM(triple, 1), *o = PyTuple_GET_ITEM(triple, 2);
        int found = PySet_Contains(wanted, p);
        if (found < 0) {
            goto fail;
        }
        if (!found) {
            continue;
        }
        if (s != last) {  /* the mapping writes a subject's statements together: skip the look-up */
            last = s;
            d = PyDict_GetItemWithError(idx, s);
            if (d == NULL) {
                if (PyErr_Occurred()) {
                    goto fail;
                }
                d = PyDict_New();
                if (d == NULL || PyDict_SetItem(d, p, o) < 0 || PyDict_SetItem(idx, s, d) < 0) {
                    Py_XDECREF(d);
                    goto fail;
                }
                Py_DECREF(d);  /* idx holds it */
                continue;
            }
        }
        PyObject *values = PyDict_GetItemWithError(d, p);
        if (values == NULL) {
            if (PyErr_Occurred() || PyDict_SetItem(d, p, o) < 0) {
                goto fail;
            }
        } else if (PyUnicode_CheckExact(values)) {
            PyObject *both = PyList_New(2);
            if (both == NULL) {
                goto fail;
            }
            PyList_SET_ITEM(both, 0, Py_NewRef(values));
            PyList_SET_ITEM(both, 1, Py_NewRef(o));
            int set = PyDict_SetItem(d, p, both);
            Py_DECREF(both);
            if (set < 0) {
                goto fail;
            }
        } else if (!PyList_Check(values) || PyList_Append(values, o) < 0) {
            if (!PyErr_Occurred()) {
                PyErr_Format(PyExc_TypeError, "statement %zd: an object that is not a str was indexed", i);
            }
            goto fail;
        }
    }
    return idx;

fail:
    Py_DECREF(idx);
    return NULL;
}

/* foci[n][node] = None for each shape number in numbers (a tuple or list of ints). */
static int
mark(PyObject *foci, PyObject *numbers, PyObject *node)
{
    PyObject *items = PySequence_Fast(numbers, "shape numbers must be a sequence");
    if (items == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items); i++) {
        Py_ssize_t n = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(items, i));
        if (n == -1 && PyErr_Occurred()) {
            Py_DECREF(items);
            return -1;
        }
        if (n < 0 || n >= PyList_GET_SIZE(foci)) {
            Py_DECREF(items);
            PyErr_SetString(PyExc_IndexError, "shape number out of range");
            return -1;
        }
        if (PyDict_SetItem(PyList_GET_ITEM(foci, n), node, Py_None) < 0) {
            Py_DECREF(items);
            return -1;
        }
    }
    Py_DECREF(items);
    return 0;
}

/* mark() for each value of an index entry: one str, or a list of them. */
static int
mark_each(PyObject *foci, PyObject *numbers, PyObject *values)
{
    if (PyUnicode_CheckExact(values)) {
        return mark(foci, numbers, values);
    }
    PyObject *items = PySequence_Fast(values, "index values must be a str or a list");
    if (items == NULL) {
        return -1;
    }
    int status = 0;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items) && status == 0; i++) {
        status = mark(foci, numbers, PySequence_Fast_GET_ITEM(items, i));
    }
    Py_DECREF(items);
    return status;
}

/* targets(idx, by_class, subject_targets, object_targets, count, rdf_type, subclass) -> (foci, subclassing):
   rdfgen.publish.shapes_check.targets_py. Marking node by node in shape order gives each focus dict the order the
   twin's dict.fromkeys/update gives it (a key already there keeps its place). */
static PyObject *
targets(PyObject *self, PyObject *args)
{
    PyObject *idx, *by_class, *subject_targets, *object_targets, *rdf_type, *subclass;
    Py_ssize_t count;
    if (!PyArg_ParseTuple(args, "O!O!O!O!nOO:targets", &PyDict_Type, &idx, &PyDict_Type, &by_class, &PyTuple_Type,
                          &subject_targets, &PyTuple_Type, &object_targets, &count, &rdf_type, &subclass)) {
        return NULL;
    }
    PyObject *foci = PyList_New(count < 0 ? 0 : count);
    if (foci == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *d = PyDict_New();
        if (d == NULL) {
            Py_DECREF(foci);
            return NULL;
        }
        PyList_SET_ITEM(foci, i, d);
    }
    int subclassing = 0;
    Py_ssize_t pos = 0;
    PyObject *s, *d;
    while (PyDict_Next(idx, &pos, &s, &d)) {
        if (!PyDict_Check(d)) {
            PyErr_SetString(PyExc_TypeError, "index entries must be dicts");
            goto fail;
        }
        PyObject *types = PyDict_GetItemWithError(d, rdf_type);
        if (types == NULL && PyErr_Occurred()) {
            goto fail;
        }
        if (types != NULL) {
            PyObject *items = PyUnicode_CheckExact(types) ? PyTuple_Pack(1, types)
                                                          : PySequence_Fast(types, "types must be a str or a list");
            if (items == NULL) {
                goto fail;
            }
            for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items); i++) {
                PyObject *numbers = PyDict_GetItemWithError(by_class, PySequence_Fast_GET_ITEM(items, i));
                if ((numbers == NULL && PyErr_Occurred()) || (numbers != NULL && mark(foci, numbers, s) < 0)) {
                    Py_DECREF(items);
                    goto fail;
                }
            }
            Py_DECREF(items);
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(subject_targets); i++) {
            PyObject *target = PyTuple_GET_ITEM(subject_targets, i);
            if (!PyTuple_Check(target) || PyTuple_GET_SIZE(target) != 2) {
                PyErr_SetString(PyExc_TypeError, "targets must be (predicate, numbers) pairs");
                goto fail;
            }
            int has = PyDict_Contains(d, PyTuple_GET_ITEM(target, 0));
            if (has < 0 || (has && mark(foci, PyTuple_GET_ITEM(target, 1), s) < 0)) {
                goto fail;
            }
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(object_targets); i++) {
            PyObject *target = PyTuple_GET_ITEM(object_targets, i);
            if (!PyTuple_Check(target) || PyTuple_GET_SIZE(target) != 2) {
                PyErr_SetString(PyExc_TypeError, "targets must be (predicate, numbers) pairs");
                goto fail;
            }
            PyObject *values = PyDict_GetItemWithError(d, PyTuple_GET_ITEM(target, 0));
            if (values == NULL && PyErr_Occurred()) {
                goto fail;
            }
            if (values == NULL) {
                continue;
            }
            /* the twin updates shape by shape with all values: the same order of insertion per shape */
            PyObject *numbers = PySequence_Fast(PyTuple_GET_ITEM(target, 1), "shape numbers must be a sequence");
            if (numbers == NULL) {
                goto fail;
            }
            for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(numbers); k++) {
                PyObject *one = PyTuple_Pack(1, PySequence_Fast_GET_ITEM(numbers, k));
                int failed = one == NULL || mark_each(foci, one, values) < 0;
                Py_XDECREF(one);
                if (failed) {
                    Py_DECREF(numbers);
                    goto fail;
                }
            }
            Py_DECREF(numbers);
        }
        int has = PyDict_Contains(d, subclass);
        if (has < 0) {
            goto fail;
        }
        subclassing |= has;
    }
    return Py_BuildValue("(NO)", foci, subclassing ? Py_True : Py_False);

fail:
    Py_DECREF(foci);
    return NULL;
}

static PyMethodDef methods[] = {
    {"members", members, METH_VARARGS,
     "members(triples, under, article, graph_end, shared_end) -> (unique, nq, nt): a record's shard members."},
    {"tally", tally, METH_VARARGS,
     "tally(unique, rdf_type, properties) -> {class: statements}; adds each predicate to the set properties."},
    {"index", index_statements, METH_VARARGS,
     "index(triples, wanted) -> {subject: {predicate: object or [objects]}}: what the shapes check reads."},
    {"targets", targets, METH_VARARGS,
     "targets(idx, by_class, subject_targets, object_targets, count, rdf_type, subclass) -> (foci, subclassing)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native", "The hot loop of a conversion, the twin of a Python function (rdfgen.publish.members).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    return PyModule_Create(&module);
}
