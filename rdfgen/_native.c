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
   fast_failures(programs, numbers, foci, idx, rdf_type, plain) -> [(position, node)]
       rdfgen.publish.shapes_check.fast_failures_py: the check's fast tier on those focus nodes, from each shape's
       program (the tests its generated Python function makes, as tuples): 4% of a conversion in Python

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

/* fast_failures(programs, numbers, foci, idx, rdf_type, plain) -> [(position, node)]:
   rdfgen.publish.shapes_check.fast_failures_py. The fast tier of the shapes check run from each shape's program
   (shapes_check._program: the tests its generated Python function makes, as tuples), so the ~80 focus nodes of a
   record cost no Python call each. A test passes or fails exactly as the generated line does; what it cannot
   decide here it asks Python for (a typed literal's check and a range not yet remembered, a regular expression,
   the text of an escaped term). */

enum Op { OP_FALSE, OP_FIRST_IN, OP_LAST_QUOTE, OP_FIRST_QUOTE, OP_TYPED, OP_CLASS, OP_PATTERN, OP_MIN_LENGTH,
          OP_MAX_LENGTH, OP_RANGE, OP_IN, OP_NODE, OP_OR, OP_AND };

typedef struct {
    PyObject *programs;  /* list: shape number -> program tuple */
    PyObject *idx;       /* dict: subject -> {predicate: term or [terms]} */
    PyObject *rdf_type;
    PyObject *plain;     /* shapes_check._plain_text */
    int depth;
} Run;

static int run_shape(Run *r, PyObject *number, PyObject *focus);

/* The term's first or last character, as v[0] and v[-1] read it (an empty term raises IndexError, as they do). */
static int
end_char(PyObject *v, int last, Py_UCS4 *ch)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(v);
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return -1;
    }
    *ch = PyUnicode_READ_CHAR(v, last ? n - 1 : 0);
    return 0;
}

/* The generated `_t = v[1:-1] if (v[-1] == '"' or v[0] == '<') and '\\' not in v else _plain(v)`: a new reference,
   Py_None, or NULL with an exception. */
static PyObject *
term_text(Run *r, PyObject *v)
{
    Py_UCS4 first, last;
    if (end_char(v, 1, &last) < 0 || end_char(v, 0, &first) < 0) {
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(v);
    if ((last == '"' || first == '<') && PyUnicode_FindChar(v, '\\', 0, n, 1) == -1) {
        return PyUnicode_Substring(v, 1, n - 1 > 1 ? n - 1 : 1);
    }
    return PyObject_CallOneArg(r->plain, v);
}

/* A remembered verdict (the constraint's cache) or the constraint's own method: truthy passes. */
static int
remembered(PyObject *cache, PyObject *method, PyObject *v)
{
    PyObject *known = PyDict_GetItemWithError(cache, v);  /* borrowed */
    if (known != NULL) {
        return PyObject_IsTrue(known);
    }
    if (PyErr_Occurred()) {
        return -1;
    }
    PyObject *verdict = PyObject_CallOneArg(method, v);
    if (verdict == NULL) {
        return -1;
    }
    int ok = PyObject_IsTrue(verdict);
    Py_DECREF(verdict);
    return ok;
}

/* One op on the term v: 1 passes, 0 fails, -1 error. */
static int
run_op(Run *r, PyObject *op, PyObject *v)
{
    long code = PyLong_AsLong(PyTuple_GET_ITEM(op, 0));
    if (code == -1 && PyErr_Occurred()) {
        return -1;
    }
    Py_UCS4 ch;
    switch (code) {
    case OP_FALSE:
        return 0;
    case OP_FIRST_IN: {
        if (end_char(v, 0, &ch) < 0) {
            return -1;
        }
        PyObject *firsts = PyTuple_GET_ITEM(op, 1);
        return PyUnicode_FindChar(firsts, ch, 0, PyUnicode_GET_LENGTH(firsts), 1) >= 0;
    }
    case OP_LAST_QUOTE:
    case OP_FIRST_QUOTE:
        if (end_char(v, code == OP_LAST_QUOTE, &ch) < 0) {
            return -1;
        }
        return ch == '"';
    case OP_TYPED: {
        Py_ssize_t tail = PyUnicode_Tailmatch(v, PyTuple_GET_ITEM(op, 1), 0, PY_SSIZE_T_MAX, 1);
        if (tail <= 0) {
            return tail < 0 ? -1 : 0;
        }
        return remembered(PyTuple_GET_ITEM(op, 2), PyTuple_GET_ITEM(op, 3), v);
    }
    case OP_RANGE:
        return remembered(PyTuple_GET_ITEM(op, 1), PyTuple_GET_ITEM(op, 2), v);
    case OP_CLASS: {
        PyObject *d = PyDict_GetItemWithError(r->idx, v);  /* borrowed */
        if (d == NULL) {
            return PyErr_Occurred() ? -1 : 0;
        }
        PyObject *types = PyDict_GetItemWithError(d, r->rdf_type);
        if (types == NULL) {
            return PyErr_Occurred() ? -1 : 0;
        }
        PyObject *cls = PyTuple_GET_ITEM(op, 1);
        if (PyUnicode_CheckExact(types)) {
            return PyObject_RichCompareBool(types, cls, Py_EQ);
        }
        return PySequence_Contains(types, cls);
    }
    case OP_PATTERN:
    case OP_MIN_LENGTH:
    case OP_MAX_LENGTH: {
        PyObject *text = term_text(r, v);
        if (text == NULL) {
            return -1;
        }
        int ok;
        if (text == Py_None) {
            ok = 0;
        } else if (code == OP_PATTERN) {
            PyObject *match = PyObject_CallOneArg(PyTuple_GET_ITEM(op, 1), text);
            ok = match == NULL ? -1 : match != Py_None;
            Py_XDECREF(match);
        } else {
            Py_ssize_t bound = PyLong_AsSsize_t(PyTuple_GET_ITEM(op, 1));
            Py_ssize_t length = PyObject_Length(text);
            if ((bound == -1 || length == -1) && PyErr_Occurred()) {
                ok = -1;
            } else {
                ok = code == OP_MIN_LENGTH ? length >= bound : length <= bound;
            }
        }
        Py_DECREF(text);
        return ok;
    }
    case OP_IN:
        return PySequence_Contains(PyTuple_GET_ITEM(op, 1), v);
    case OP_NODE:
        return run_shape(r, PyTuple_GET_ITEM(op, 1), v);
    case OP_OR:
    case OP_AND: {
        PyObject *numbers = PyTuple_GET_ITEM(op, 1);
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(numbers); i++) {
            int ok = run_shape(r, PyTuple_GET_ITEM(numbers, i), v);
            if (ok < 0) {
                return -1;
            }
            if (ok == (code == OP_OR)) {
                return ok;  /* or: the first that conforms; and: the first that does not */
            }
        }
        return code == OP_AND;
    }
    default:
        PyErr_Format(PyExc_ValueError, "unknown fast-tier op %ld", code);
        return -1;
    }
}

static int
run_ops(Run *r, PyObject *ops, PyObject *v)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(ops); i++) {
        int ok = run_op(r, PyTuple_GET_ITEM(ops, i), v);
        if (ok <= 0) {
            return ok;
        }
    }
    return 1;
}

/* Whether the term is one of the values (has-values, compared as str ==). */
static int
differs(PyObject *v, PyObject *value)
{
    int same = PyObject_RichCompareBool(v, value, Py_EQ);
    return same < 0 ? -1 : !same;
}

/* A property block on the focus whose index entry is d: _FastGen.property_block's lines. */
static int
run_block(Run *r, PyObject *d, PyObject *block)
{
    if (PyObject_IsTrue(PyTuple_GET_ITEM(block, 0))) {
        return 1;  /* deactivated */
    }
    PyObject *pred = PyTuple_GET_ITEM(block, 1);
    Py_ssize_t min_count = PyLong_AsSsize_t(PyTuple_GET_ITEM(block, 2));
    Py_ssize_t max_count = PyLong_AsSsize_t(PyTuple_GET_ITEM(block, 3));
    if ((min_count == -1 || max_count == -1) && PyErr_Occurred()) {
        return -1;
    }
    PyObject *ops = PyTuple_GET_ITEM(block, 4), *values = PyTuple_GET_ITEM(block, 5);
    int required = min_count > 0 || PyTuple_GET_SIZE(values) > 0;
    PyObject *vs = d == NULL ? NULL : PyDict_GetItemWithError(d, pred);  /* borrowed */
    if (vs == NULL && PyErr_Occurred()) {
        return -1;
    }
    if (vs == NULL) {
        return !required;
    }
    if (min_count > 1) {
        return 0;  /* raw counts cannot prove two values distinct: the exact tier counts */
    }
    if (PyUnicode_CheckExact(vs)) {
        if (max_count == 0) {
            return 0;
        }
        int ok = run_ops(r, ops, vs);
        for (Py_ssize_t i = 0; ok == 1 && i < PyTuple_GET_SIZE(values); i++) {
            ok = differs(vs, PyTuple_GET_ITEM(values, i));
            ok = ok < 0 ? -1 : !ok;
        }
        return ok;
    }
    PyObject *seq = PySequence_Fast(vs, "an index entry is a term or a list of terms");
    if (seq == NULL) {
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    int ok = 1;
    if (max_count >= 0 && n > max_count) {  /* the same term twice is one value: count distinct terms */
        PyObject *distinct = PySet_New(seq);
        ok = distinct == NULL ? -1 : PySet_GET_SIZE(distinct) <= max_count;
        Py_XDECREF(distinct);
    }
    for (Py_ssize_t i = 0; ok == 1 && i < n; i++) {
        ok = run_ops(r, ops, PySequence_Fast_GET_ITEM(seq, i));
    }
    for (Py_ssize_t i = 0; ok == 1 && i < PyTuple_GET_SIZE(values); i++) {
        ok = PySequence_Contains(seq, PyTuple_GET_ITEM(values, i));
    }
    Py_DECREF(seq);
    return ok;
}

/* The shape's generated function on one focus node: 1 conforms surely, 0 not known to, -1 error. */
static int
run_shape(Run *r, PyObject *number, PyObject *focus)
{
    Py_ssize_t n = PyLong_AsSsize_t(number);
    if (n == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (n < 0 || n >= PyList_GET_SIZE(r->programs)) {
        PyErr_Format(PyExc_IndexError, "no shape %zd", n);
        return -1;
    }
    PyObject *program = PyList_GET_ITEM(r->programs, n);
    if (!PyTuple_Check(program) || PyTuple_GET_SIZE(program) != 4) {
        PyErr_Format(PyExc_TypeError, "shape %zd has no program", n);
        return -1;
    }
    if (!PyUnicode_Check(focus)) {
        PyErr_SetString(PyExc_TypeError, "a focus node is a str term");
        return -1;
    }
    long kind = PyLong_AsLong(PyTuple_GET_ITEM(program, 0));
    if (kind == 0) {
        return 1;
    }
    if (++r->depth > 200) {
        r->depth--;
        PyErr_SetString(PyExc_RecursionError, "shapes nest too deep for the fast tier");
        return -1;
    }
    int ok = 1;
    if (kind == 1) {
        ok = run_ops(r, PyTuple_GET_ITEM(program, 1), focus);
        PyObject *values = PyTuple_GET_ITEM(program, 2);
        for (Py_ssize_t i = 0; ok == 1 && i < PyTuple_GET_SIZE(values); i++) {
            ok = differs(focus, PyTuple_GET_ITEM(values, i));
            ok = ok < 0 ? -1 : !ok;
        }
    }
    PyObject *blocks = PyTuple_GET_ITEM(program, 3);
    if (ok == 1 && PyTuple_GET_SIZE(blocks) > 0) {
        PyObject *d = PyDict_GetItemWithError(r->idx, focus);  /* borrowed; absent: no values */
        if (d == NULL && PyErr_Occurred()) {
            ok = -1;
        }
        for (Py_ssize_t i = 0; ok == 1 && i < PyTuple_GET_SIZE(blocks); i++) {
            ok = run_block(r, d, PyTuple_GET_ITEM(blocks, i));
        }
    }
    r->depth--;
    return ok;
}

static PyObject *
fast_failures(PyObject *self, PyObject *args)
{
    PyObject *numbers, *foci;
    Run r = {NULL, NULL, NULL, NULL, 0};
    if (!PyArg_ParseTuple(args, "O!O!O!O!UO:fast_failures", &PyList_Type, &r.programs, &PyTuple_Type, &numbers,
                          &PyList_Type, &foci, &PyDict_Type, &r.idx, &r.rdf_type, &r.plain)) {
        return NULL;
    }
    if (PyList_GET_SIZE(foci) != PyTuple_GET_SIZE(numbers)) {
        PyErr_SetString(PyExc_ValueError, "one focus node dict a targeted shape");
        return NULL;
    }
    PyObject *failing = PyList_New(0);
    if (failing == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(numbers); i++) {
        PyObject *nodes = PyList_GET_ITEM(foci, i);
        if (!PyDict_Check(nodes)) {
            PyErr_SetString(PyExc_TypeError, "focus nodes are a dict");
            goto fail;
        }
        Py_ssize_t pos = 0;
        PyObject *node, *unused;
        while (PyDict_Next(nodes, &pos, &node, &unused)) {
            int ok = run_shape(&r, PyTuple_GET_ITEM(numbers, i), node);
            if (ok < 0) {
                goto fail;
            }
            if (!ok) {
                PyObject *pair = Py_BuildValue("(nO)", i, node);
                if (pair == NULL || PyList_Append(failing, pair) < 0) {
                    Py_XDECREF(pair);
                    goto fail;
                }
                Py_DECREF(pair);
            }
        }
    }
    return failing;

fail:
    Py_DECREF(failing);
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
    {"fast_failures", fast_failures, METH_VARARGS,
     "fast_failures(programs, numbers, foci, idx, rdf_type, plain) -> [(position, node)]: the shapes' fast tier."},
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
