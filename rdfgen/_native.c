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
   check_fast(triples, wanted, programs, numbers, by_class, subject_targets, object_targets, target_nodes,
              rdf_type, subclass, plain) -> [(position, node)] or None
       the check's fast tier on a record (shapes_check.index_py, targets_py and fast_failures_py together), on an
       index kept in C, from each shape's program (the tests its generated Python function makes, as tuples): 7% of
       a conversion with the index and focus nodes as Python dicts; fast_failures, the same on given focus nodes
   jsonld_members(preds, rdf_type, keys, key, lay6, lay8, miss, enc, whole) -> [member text]
       rdfgen.serialize.jsonld.members_py: the members of a node of a record's full JSON-LD document

   grouped_lines(order, end) -> str
       rdfgen.serialize.ntriples.grouped_lines_py: a record's N-Triples document from its grouped statements, the
       pieces joined once (no string made per line: 7% of the documents' writing in Python)

   turtle_body(order, cells, rdf_type, verbs, verb, memo, term) -> str
       rdfgen.serialize.turtle.turtle_body_py: the subject blocks of a record's Turtle document, from its grouped
       statements and the Python that renders a term not met yet

   indented(value, newline, enc, fallback) -> str
       rdfgen.serialize.embedding.dumps_py: a JSON value as json.dumps(indent=2, ensure_ascii=False) writes it (whose
       encoder is Python code when it indents), for the embedding object and CSL-JSON of each record

   jsonld_nodes(index, cells, rdf_type, keys, key, lay6, lay8, miss, enc, whole, ids, cid, types, type_member,
                odd_keys, odd) -> str
       rdfgen.serialize.jsonld.nodes_py: the nodes of a record's full JSON-LD document, each from jsonld_members'
       loop, sorted and joined

   group(triples) -> (index, refs) or None
       rdfgen.serialize.turtle.group_py: a record's statements grouped for its documents' writers

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

/* The shapes check's fast tier, run from each shape's program (shapes_check._program: the tests its generated Python
   function makes, as tuples) on an index of the record's statements kept in C, so the ~80 focus nodes of a record
   cost no Python call, and no dict, each:

   check_fast(triples, wanted, programs, numbers, by_class, subject_targets, object_targets, target_nodes, rdf_type,
              subclass, plain) -> [(position, node)] or None
       what shapes_check.index_py, targets_py, the target nodes and fast_failures_py give together: the focus nodes
       the fast tier does not pass, in order; None when the statements say rdfs:subClassOf (then superclasses are
       targets too, which the Python path adds). The Python index is made only for what fails (the exact tier).
   fast_failures(triples, wanted, programs, numbers, foci, rdf_type, plain) -> [(position, node)]
       fast_failures_py(shapes, foci, index_py(triples, wanted)): the fast tier on given focus nodes.

   A test passes or fails exactly as the generated line does; what it cannot decide here it asks Python for (a
   typed literal's check and a range not yet remembered, a regular expression, the text of an escaped term). */

enum Op { OP_FALSE, OP_FIRST_IN, OP_LAST_QUOTE, OP_FIRST_QUOTE, OP_TYPED, OP_CLASS, OP_PATTERN, OP_MIN_LENGTH,
          OP_MAX_LENGTH, OP_RANGE, OP_IN, OP_NODE, OP_OR, OP_AND };

typedef struct {
    PyObject *p, *o;   /* borrowed from the triples, which the caller holds */
    Py_ssize_t pid;    /* the predicate's number in the index */
    Py_ssize_t next;   /* the subject's next pair, -1 after its last */
} Pair;

typedef struct {
    PyObject *s;       /* borrowed: the subject as first written */
    Py_hash_t h;
    Py_ssize_t first, last;
} Subject;

#define PRED_CACHE 128

typedef struct {
    Pair *pairs;
    Py_ssize_t n_pairs;
    Subject *subjects;
    Py_ssize_t n_subjects;
    Py_ssize_t *table;  /* open addressing: 1 + subject number, 0 empty */
    size_t mask;
    PyObject **preds;   /* the distinct predicates (by value), and whether the shapes read each */
    Py_hash_t *pred_hash;
    char *pred_wanted;
    Py_ssize_t n_preds, cap_preds;
    PyObject *cache_obj[PRED_CACHE];  /* predicate objects met, by address: most are the mapping's constants */
    Py_ssize_t cache_pid[PRED_CACHE];
} Index;

typedef struct {
    Index *x;
    PyObject *programs;  /* list: shape number -> program tuple */
    Py_ssize_t type_pid; /* rdf:type's number, -1 when no statement has it */
    PyObject *plain;     /* shapes_check._plain_text */
    int depth;
} Run;

static int run_shape(Run *r, PyObject *number, PyObject *focus);

static void
index_free(Index *x)
{
    PyMem_Free(x->pairs);
    PyMem_Free(x->subjects);
    PyMem_Free(x->table);
    PyMem_Free(x->preds);
    PyMem_Free(x->pred_hash);
    PyMem_Free(x->pred_wanted);
}

/* Equal str values, the hashes known: 1, 0, or -1 with an exception. */
static int
same_str(PyObject *a, Py_hash_t ha, PyObject *b, Py_hash_t hb)
{
    if (a == b) {
        return 1;
    }
    if (ha != hb || PyUnicode_GET_LENGTH(a) != PyUnicode_GET_LENGTH(b)) {
        return 0;
    }
    int c = PyUnicode_Compare(a, b);
    if (c == -1 && PyErr_Occurred()) {
        return -1;
    }
    return c == 0;
}

/* The predicate's number: -1 when no statement has it (add 0), -2 with an exception. With add, a predicate not seen
   before is numbered, and whether the shapes read it (wanted) is noted. */
static Py_ssize_t
pred_id(Index *x, PyObject *p, PyObject *wanted, int add)
{
    size_t slot = ((uintptr_t)p >> 4) & (PRED_CACHE - 1);
    if (x->cache_obj[slot] == p) {
        return x->cache_pid[slot];
    }
    if (!PyUnicode_CheckExact(p)) {
        PyErr_SetString(PyExc_TypeError, "a predicate is a str term");
        return -2;
    }
    Py_hash_t h = PyObject_Hash(p);
    if (h == -1) {
        return -2;
    }
    Py_ssize_t pid = -1;
    for (Py_ssize_t i = 0; i < x->n_preds; i++) {
        int same = same_str(x->preds[i], x->pred_hash[i], p, h);
        if (same < 0) {
            return -2;
        }
        if (same) {
            pid = i;
            break;
        }
    }
    if (pid == -1 && add) {
        if (x->n_preds == x->cap_preds) {
            Py_ssize_t cap = x->cap_preds ? 2 * x->cap_preds : 64;
            PyObject **preds = PyMem_Realloc(x->preds, sizeof(PyObject *) * (size_t)cap);
            if (preds != NULL) {
                x->preds = preds;
            }
            Py_hash_t *hashes = PyMem_Realloc(x->pred_hash, sizeof(Py_hash_t) * (size_t)cap);
            if (hashes != NULL) {
                x->pred_hash = hashes;
            }
            char *flags = PyMem_Realloc(x->pred_wanted, (size_t)cap);
            if (flags != NULL) {
                x->pred_wanted = flags;
            }
            if (preds == NULL || hashes == NULL || flags == NULL) {
                PyErr_NoMemory();
                return -2;
            }
            x->cap_preds = cap;
        }
        int found = PySet_Contains(wanted, p);
        if (found < 0) {
            return -2;
        }
        pid = x->n_preds++;
        x->preds[pid] = p;
        x->pred_hash[pid] = h;
        x->pred_wanted[pid] = (char)found;
    }
    x->cache_obj[slot] = p;
    x->cache_pid[slot] = pid;
    return pid;
}

/* The subject's number, -1 when no statement the shapes read has it, -2 with an exception. */
static Py_ssize_t
find_subject(Index *x, PyObject *s, Py_hash_t h)
{
    for (size_t slot = (size_t)h & x->mask; x->table[slot]; slot = (slot + 1) & x->mask) {
        Subject *k = &x->subjects[x->table[slot] - 1];
        int same = same_str(k->s, k->h, s, h);
        if (same) {
            return same < 0 ? -2 : x->table[slot] - 1;
        }
    }
    return -1;
}

/* find_subject of any term: a term that is no str is no subject (as a dict look-up of it finds nothing). */
static Py_ssize_t
subject_of(Index *x, PyObject *v)
{
    if (!PyUnicode_CheckExact(v)) {
        return -1;
    }
    Py_hash_t h = PyObject_Hash(v);
    return h == -1 ? -2 : find_subject(x, v, h);
}

/* index_py's grouping in C: the statements whose predicate the shapes read, by subject in first-seen order, each
   subject's in statement order. */
static int
index_build(Index *x, PyObject *triples, PyObject *wanted)
{
    Py_ssize_t n = PyList_GET_SIZE(triples);
    x->mask = 7;
    while (x->mask + 1 < 2 * (size_t)n) {
        x->mask = x->mask * 2 + 1;
    }
    x->pairs = PyMem_Malloc(sizeof(Pair) * (size_t)(n > 0 ? n : 1));
    x->subjects = PyMem_Malloc(sizeof(Subject) * (size_t)(n > 0 ? n : 1));
    x->table = PyMem_Calloc(x->mask + 1, sizeof(Py_ssize_t));
    if (x->pairs == NULL || x->subjects == NULL || x->table == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *last = NULL;  /* the subject of the statement before, and its number: most come together */
    Py_ssize_t last_si = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *triple = PyList_GET_ITEM(triples, i);
        if (!PyTuple_Check(triple) || PyTuple_GET_SIZE(triple) != 3) {
            PyErr_Format(PyExc_TypeError, "statement %zd is not a (subject, predicate, object) tuple", i);
            return -1;
        }
        PyObject *s = PyTuple_GET_ITEM(triple, 0), *p = PyTuple_GET_ITEM(triple, 1), *o = PyTuple_GET_ITEM(triple, 2);
        Py_ssize_t pid = pred_id(x, p, wanted, 1);
        if (pid == -2) {
            return -1;
        }
        if (!x->pred_wanted[pid]) {
            continue;
        }
        if (!PyUnicode_CheckExact(s) || !PyUnicode_CheckExact(o)) {
            PyErr_Format(PyExc_TypeError, "statement %zd: its terms are not all str", i);
            return -1;
        }
        Py_ssize_t si = last_si;
        if (s != last) {
            Py_hash_t h = PyObject_Hash(s);
            if (h == -1) {
                return -1;
            }
            si = find_subject(x, s, h);
            if (si == -2) {
                return -1;
            }
            if (si == -1) {
                si = x->n_subjects++;
                x->subjects[si] = (Subject){s, h, -1, -1};
                size_t slot = (size_t)h & x->mask;
                while (x->table[slot]) {
                    slot = (slot + 1) & x->mask;
                }
                x->table[slot] = si + 1;
            }
            last = s;
            last_si = si;
        }
        Py_ssize_t k = x->n_pairs++;
        x->pairs[k] = (Pair){p, o, pid, -1};
        Subject *subject = &x->subjects[si];
        if (subject->last == -1) {
            subject->first = k;
        } else {
            x->pairs[subject->last].next = k;
        }
        subject->last = k;
    }
    return 0;
}

/* The objects of (subject, predicate) in statement order, into buf (cap entries, then counted only). */
static Py_ssize_t
values_of(Index *x, Py_ssize_t si, Py_ssize_t pid, PyObject **buf, Py_ssize_t cap)
{
    Py_ssize_t count = 0;
    if (si < 0 || pid < 0) {
        return 0;
    }
    for (Py_ssize_t k = x->subjects[si].first; k != -1; k = x->pairs[k].next) {
        if (x->pairs[k].pid == pid) {
            if (count < cap) {
                buf[count] = x->pairs[k].o;
            }
            count++;
        }
    }
    return count;
}

/* The term's first or last character, as v[0] and v[-1] read it (an empty term raises IndexError, as they do). */
static int
end_char(PyObject *v, int last, Py_UCS4 *ch)
{
    if (!PyUnicode_Check(v)) {
        PyErr_SetString(PyExc_TypeError, "a term is a str");
        return -1;
    }
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

/* Whether any of the n terms equals value: 1, 0, -1 with an exception. */
static int
any_equal(PyObject **terms, Py_ssize_t n, PyObject *value)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        int same = PyObject_RichCompareBool(terms[i], value, Py_EQ);
        if (same != 0) {
            return same;
        }
    }
    return 0;
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
    case OP_CLASS: {  /* idx.get(v), then its rdf:type values: the class among them */
        Py_ssize_t si = subject_of(r->x, v);
        if (si == -2) {
            return -1;
        }
        PyObject *types[16];
        Py_ssize_t n = values_of(r->x, si, r->type_pid, types, 16);
        if (n > 16) {  /* more classes than the buffer holds: walk them in place */
            for (Py_ssize_t k = r->x->subjects[si].first; k != -1; k = r->x->pairs[k].next) {
                if (r->x->pairs[k].pid == r->type_pid) {
                    int same = PyObject_RichCompareBool(r->x->pairs[k].o, PyTuple_GET_ITEM(op, 1), Py_EQ);
                    if (same != 0) {
                        return same;
                    }
                }
            }
            return 0;
        }
        return any_equal(types, n, PyTuple_GET_ITEM(op, 1));
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

/* A property block on the focus (subject number si, -1 when it has no statements the shapes read):
   _FastGen.property_block's lines, one value read as the index's str, more as its list. */
static int
run_block(Run *r, Py_ssize_t si, PyObject *block)
{
    if (PyObject_IsTrue(PyTuple_GET_ITEM(block, 0))) {
        return 1;  /* deactivated */
    }
    Py_ssize_t pid = pred_id(r->x, PyTuple_GET_ITEM(block, 1), NULL, 0);
    Py_ssize_t min_count = PyLong_AsSsize_t(PyTuple_GET_ITEM(block, 2));
    Py_ssize_t max_count = PyLong_AsSsize_t(PyTuple_GET_ITEM(block, 3));
    if (pid == -2 || ((min_count == -1 || max_count == -1) && PyErr_Occurred())) {
        return -1;
    }
    PyObject *ops = PyTuple_GET_ITEM(block, 4), *values = PyTuple_GET_ITEM(block, 5);
    int required = min_count > 0 || PyTuple_GET_SIZE(values) > 0;
    PyObject *stack[32], **vs = stack;
    Py_ssize_t n = values_of(r->x, si, pid, stack, 32);
    if (n == 0) {
        return !required;
    }
    if (min_count > 1) {
        return 0;  /* raw counts cannot prove two values distinct: the exact tier counts */
    }
    if (n > 32) {
        vs = PyMem_Malloc(sizeof(PyObject *) * (size_t)n);
        if (vs == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        values_of(r->x, si, pid, vs, n);
    }
    int ok = 1;
    if (n == 1 && max_count == 0) {
        ok = 0;
    }
    if (ok == 1 && n > 1 && max_count >= 0 && n > max_count) {  /* the same term twice is one value */
        PyObject *distinct = PySet_New(NULL);
        for (Py_ssize_t i = 0; distinct != NULL && i < n; i++) {
            if (PySet_Add(distinct, vs[i]) < 0) {
                Py_CLEAR(distinct);
            }
        }
        ok = distinct == NULL ? -1 : PySet_GET_SIZE(distinct) <= max_count;
        Py_XDECREF(distinct);
    }
    for (Py_ssize_t i = 0; ok == 1 && i < n; i++) {
        ok = run_ops(r, ops, vs[i]);
    }
    for (Py_ssize_t i = 0; ok == 1 && i < PyTuple_GET_SIZE(values); i++) {
        ok = any_equal(vs, n, PyTuple_GET_ITEM(values, i));
    }
    if (vs != stack) {
        PyMem_Free(vs);
    }
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
            ok = PyObject_RichCompareBool(focus, PyTuple_GET_ITEM(values, i), Py_EQ);
        }
    }
    PyObject *blocks = PyTuple_GET_ITEM(program, 3);
    if (ok == 1 && PyTuple_GET_SIZE(blocks) > 0) {
        Py_ssize_t si = subject_of(r->x, focus);
        if (si == -2) {
            ok = -1;
        }
        for (Py_ssize_t i = 0; ok == 1 && i < PyTuple_GET_SIZE(blocks); i++) {
            ok = run_block(r, si, PyTuple_GET_ITEM(blocks, i));
        }
    }
    r->depth--;
    return ok;
}

/* Append (position, node) to failing when the shape's program does not pass the node: 0, or -1 with an exception. */
static int
try_node(Run *r, PyObject *numbers, Py_ssize_t position, PyObject *node, PyObject *failing)
{
    int ok = run_shape(r, PyTuple_GET_ITEM(numbers, position), node);
    if (ok != 0) {
        return ok < 0 ? -1 : 0;
    }
    PyObject *pair = Py_BuildValue("(nO)", position, node);
    int appended = pair == NULL ? -1 : PyList_Append(failing, pair);
    Py_XDECREF(pair);
    return appended;
}

static int
run_start(Run *r, Index *x, PyObject *triples, PyObject *wanted, PyObject *rdf_type)
{
    r->x = x;
    if (!PyAnySet_Check(wanted)) {
        PyErr_SetString(PyExc_TypeError, "wanted must be a set or frozenset of predicates");
        return -1;
    }
    if (index_build(x, triples, wanted) < 0) {
        return -1;
    }
    r->type_pid = pred_id(x, rdf_type, NULL, 0);
    return r->type_pid == -2 ? -1 : 0;
}

static PyObject *
fast_failures(PyObject *self, PyObject *args)
{
    PyObject *triples, *wanted, *numbers, *foci, *rdf_type, *failing = NULL;
    Index x = {0};
    Run r = {0};
    if (!PyArg_ParseTuple(args, "O!OO!O!O!UO:fast_failures", &PyList_Type, &triples, &wanted, &PyList_Type,
                          &r.programs, &PyTuple_Type, &numbers, &PyList_Type, &foci, &rdf_type, &r.plain)) {
        return NULL;
    }
    if (PyList_GET_SIZE(foci) != PyTuple_GET_SIZE(numbers)) {
        PyErr_SetString(PyExc_ValueError, "one collection of focus nodes a targeted shape");
        return NULL;
    }
    if (run_start(&r, &x, triples, wanted, rdf_type) < 0 || (failing = PyList_New(0)) == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(numbers); i++) {
        PyObject *nodes = PySequence_Fast(PyList_GET_ITEM(foci, i), "focus nodes are a collection");
        if (nodes == NULL) {
            goto fail;
        }
        for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(nodes); k++) {
            if (try_node(&r, numbers, i, PySequence_Fast_GET_ITEM(nodes, k), failing) < 0) {
                Py_DECREF(nodes);
                goto fail;
            }
        }
        Py_DECREF(nodes);
    }
    index_free(&x);
    return failing;

fail:
    index_free(&x);
    Py_XDECREF(failing);
    return NULL;
}

/* The focus nodes, (position, node) in the order they are added, each once a position. */
typedef struct {
    Py_ssize_t *pos;
    PyObject **node;
    Py_hash_t *hash;
    Py_ssize_t n, cap;
    Py_ssize_t *table;  /* 1 + entry, 0 empty; grown by rebuilding */
    size_t mask;
} Foci;

static void
foci_free(Foci *f)
{
    PyMem_Free(f->pos);
    PyMem_Free(f->node);
    PyMem_Free(f->hash);
    PyMem_Free(f->table);
}

static int
foci_add(Foci *f, Py_ssize_t position, PyObject *node)
{
    if (!PyUnicode_CheckExact(node)) {
        PyErr_SetString(PyExc_TypeError, "a focus node is a str term");
        return -1;
    }
    Py_hash_t h = PyObject_Hash(node);
    if (h == -1) {
        return -1;
    }
    size_t mix = (size_t)h ^ ((size_t)position * 0x9E3779B97F4A7C15ULL);
    if (f->table != NULL) {
        for (size_t slot = mix & f->mask; f->table[slot]; slot = (slot + 1) & f->mask) {
            Py_ssize_t e = f->table[slot] - 1;
            if (f->pos[e] == position) {
                int same = same_str(f->node[e], f->hash[e], node, h);
                if (same) {
                    return same < 0 ? -1 : 0;  /* there already */
                }
            }
        }
    }
    if (f->n == f->cap || 2 * (size_t)(f->n + 1) > f->mask + 1) {
        Py_ssize_t cap = f->cap ? 2 * f->cap : 256;
        Py_ssize_t *pos = PyMem_Realloc(f->pos, sizeof(Py_ssize_t) * (size_t)cap);
        if (pos != NULL) {
            f->pos = pos;
        }
        PyObject **nodes = PyMem_Realloc(f->node, sizeof(PyObject *) * (size_t)cap);
        if (nodes != NULL) {
            f->node = nodes;
        }
        Py_hash_t *hashes = PyMem_Realloc(f->hash, sizeof(Py_hash_t) * (size_t)cap);
        if (hashes != NULL) {
            f->hash = hashes;
        }
        size_t mask = 2 * (size_t)cap - 1;
        Py_ssize_t *table = PyMem_Calloc(mask + 1, sizeof(Py_ssize_t));
        if (pos == NULL || nodes == NULL || hashes == NULL || table == NULL) {
            PyMem_Free(table);
            PyErr_NoMemory();
            return -1;
        }
        PyMem_Free(f->table);
        f->table = table;
        f->mask = mask;
        f->cap = cap;
        for (Py_ssize_t e = 0; e < f->n; e++) {
            size_t s = ((size_t)f->hash[e] ^ ((size_t)f->pos[e] * 0x9E3779B97F4A7C15ULL)) & mask;
            while (table[s]) {
                s = (s + 1) & mask;
            }
            table[s] = e + 1;
        }
    }
    Py_ssize_t e = f->n++;
    f->pos[e] = position;
    f->node[e] = node;
    f->hash[e] = h;
    size_t slot = mix & f->mask;
    while (f->table[slot]) {
        slot = (slot + 1) & f->mask;
    }
    f->table[slot] = e + 1;
    return 0;
}

/* Add node at each position of the tuple numbers. */
static int
foci_add_all(Foci *f, PyObject *numbers, PyObject *node)
{
    if (!PyTuple_Check(numbers)) {
        PyErr_SetString(PyExc_TypeError, "shape positions are a tuple");
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(numbers); i++) {
        Py_ssize_t position = PyLong_AsSsize_t(PyTuple_GET_ITEM(numbers, i));
        if ((position == -1 && PyErr_Occurred()) || foci_add(f, position, node) < 0) {
            return -1;
        }
    }
    return 0;
}

/* targets_py on the C index: each subject in first-seen order gives its class, subjects-of and objects-of targets.
   Returns 1 when the statements say rdfs:subClassOf (the caller gives up), 0, or -1 with an exception. */
static int
find_targets(Index *x, Foci *f, PyObject *by_class, PyObject *subject_targets, PyObject *object_targets,
             Py_ssize_t type_pid, Py_ssize_t subclass_pid)
{
    int subclassing = 0;
    for (Py_ssize_t si = 0; si < x->n_subjects; si++) {
        PyObject *s = x->subjects[si].s;
        for (Py_ssize_t k = x->subjects[si].first; k != -1; k = x->pairs[k].next) {
            if (x->pairs[k].pid == type_pid) {
                PyObject *numbers = PyDict_GetItemWithError(by_class, x->pairs[k].o);
                if ((numbers == NULL && PyErr_Occurred()) || (numbers != NULL && foci_add_all(f, numbers, s) < 0)) {
                    return -1;
                }
            }
            if (x->pairs[k].pid == subclass_pid) {
                subclassing = 1;
            }
        }
        for (Py_ssize_t t = 0; t < PyTuple_GET_SIZE(subject_targets); t++) {
            PyObject *target = PyTuple_GET_ITEM(subject_targets, t);
            Py_ssize_t pid = pred_id(x, PyTuple_GET_ITEM(target, 0), NULL, 0);
            if (pid == -2) {
                return -1;
            }
            PyObject *unused;
            if (values_of(x, si, pid, &unused, 0) > 0 && foci_add_all(f, PyTuple_GET_ITEM(target, 1), s) < 0) {
                return -1;
            }
        }
        for (Py_ssize_t t = 0; t < PyTuple_GET_SIZE(object_targets); t++) {
            PyObject *target = PyTuple_GET_ITEM(object_targets, t);
            Py_ssize_t pid = pred_id(x, PyTuple_GET_ITEM(target, 0), NULL, 0);
            if (pid == -2) {
                return -1;
            }
            PyObject *numbers = PyTuple_GET_ITEM(target, 1);
            for (Py_ssize_t i = 0; pid >= 0 && i < PyTuple_GET_SIZE(numbers); i++) {  /* each shape: all values */
                Py_ssize_t position = PyLong_AsSsize_t(PyTuple_GET_ITEM(numbers, i));
                if (position == -1 && PyErr_Occurred()) {
                    return -1;
                }
                for (Py_ssize_t k = x->subjects[si].first; k != -1; k = x->pairs[k].next) {
                    if (x->pairs[k].pid == pid && foci_add(f, position, x->pairs[k].o) < 0) {
                        return -1;
                    }
                }
            }
        }
    }
    return subclassing;
}

static PyObject *
check_fast(PyObject *self, PyObject *args)
{
    PyObject *triples, *wanted, *numbers, *by_class, *subject_targets, *object_targets, *target_nodes, *rdf_type;
    PyObject *subclass, *failing = NULL;
    Index x = {0};
    Run r = {0};
    Foci f = {0};
    Py_ssize_t *order = NULL;
    if (!PyArg_ParseTuple(args, "O!OO!O!O!O!O!O!UUO:check_fast", &PyList_Type, &triples, &wanted, &PyList_Type,
                          &r.programs, &PyTuple_Type, &numbers, &PyDict_Type, &by_class, &PyTuple_Type,
                          &subject_targets, &PyTuple_Type, &object_targets, &PyTuple_Type, &target_nodes, &rdf_type,
                          &subclass, &r.plain)) {
        return NULL;
    }
    if (run_start(&r, &x, triples, wanted, rdf_type) < 0) {
        goto fail;
    }
    Py_ssize_t subclass_pid = pred_id(&x, subclass, NULL, 0);
    if (subclass_pid == -2) {
        goto fail;
    }
    int subclassing = find_targets(&x, &f, by_class, subject_targets, object_targets, r.type_pid, subclass_pid);
    if (subclassing < 0) {
        goto fail;
    }
    if (subclassing) {
        index_free(&x);
        foci_free(&f);
        Py_RETURN_NONE;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(target_nodes); i++) {  /* sh:targetNode, after the rest */
        PyObject *pair = PyTuple_GET_ITEM(target_nodes, i);
        Py_ssize_t position = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
        if ((position == -1 && PyErr_Occurred()) || foci_add(&f, position, PyTuple_GET_ITEM(pair, 1)) < 0) {
            goto fail;
        }
    }
    /* Each position's nodes in the order added (a stable counting sort), positions in order. */
    Py_ssize_t shapes = PyTuple_GET_SIZE(numbers);
    order = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(f.n + shapes + 1));
    failing = PyList_New(0);
    if (order == NULL || failing == NULL) {
        if (order == NULL) {
            PyErr_NoMemory();
        }
        goto fail;
    }
    Py_ssize_t *start = order + f.n;  /* shapes + 1 counters */
    memset(start, 0, sizeof(Py_ssize_t) * (size_t)(shapes + 1));
    for (Py_ssize_t e = 0; e < f.n; e++) {
        if (f.pos[e] < 0 || f.pos[e] >= shapes) {
            PyErr_Format(PyExc_IndexError, "no targeted shape %zd", f.pos[e]);
            goto fail;
        }
        start[f.pos[e] + 1]++;
    }
    for (Py_ssize_t i = 0; i < shapes; i++) {
        start[i + 1] += start[i];
    }
    for (Py_ssize_t e = 0; e < f.n; e++) {
        order[start[f.pos[e]]++] = e;
    }
    for (Py_ssize_t k = 0; k < f.n; k++) {
        Py_ssize_t e = order[k];
        if (try_node(&r, numbers, f.pos[e], f.node[e], failing) < 0) {
            goto fail;
        }
    }
    PyMem_Free(order);
    index_free(&x);
    foci_free(&f);
    return failing;

fail:
    PyMem_Free(order);
    index_free(&x);
    foci_free(&f);
    Py_XDECREF(failing);
    return NULL;
}

/* jsonld_members(preds, rdf_type, keys, key, lay6, lay8, miss, enc, whole) -> [member text]:
   rdfgen.serialize.jsonld.members_py, the loop of a full JSON-LD document over every (subject, predicate): each
   member's text but the node's @id and @type, in the order of its predicates. A plain literal without escapes is
   its own JSON text when printable; every other value comes from the layouts the compactor keeps (lay6, lay8) or
   from miss(term, layouts, depth), which lays it out and keeps it; keys from keys or key(predicate). */

static int
all_printable(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    if (PyUnicode_IS_ASCII(s)) {
        const Py_UCS1 *c = data;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (c[i] < 0x20 || c[i] == 0x7f) {
                return 0;
            }
        }
        return 1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!Py_UNICODE_ISPRINTABLE(PyUnicode_READ(kind, data, i))) {
            return 0;
        }
    }
    return 1;
}

/* kept[key] when it is there and not empty (a falsy value counts as missing, as in Python's ``kept.get(key) or
   ...``): 1 with a new reference in *found, 0 when missing, -1 on an error. The writers' caches of what Python
   rendered. */
static int
kept_value(PyObject *kept, PyObject *key, PyObject **found)
{
    PyObject *hit = PyDict_GetItemWithError(kept, key);  /* borrowed */
    if (hit == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    int truth = PyObject_IsTrue(hit);
    if (truth > 0) {
        *found = Py_NewRef(hit);
    }
    return truth;
}

/* kept[key] if kept, else make(arg): a new reference, or NULL. */
static PyObject *
kept_or_made(PyObject *kept, PyObject *key, PyObject *make, PyObject *arg)
{
    PyObject *found = NULL;
    int known = kept_value(kept, key, &found);
    return known > 0 ? found : known == 0 ? PyObject_CallOneArg(make, arg) : NULL;
}

/* What jsonld_members needs to write an IRI no namespace of the context matches (a record's own nodes: a few
   hundred a record, each met once) without asking Python: the compactor's namespaces by their first ``lead``
   characters, the context (an IRI whose scheme is a prefix there is Python's to refuse), and the text around an
   ``@id`` value at depth 6 and 8. */
typedef struct {
    PyObject *by_lead, *context, *open6, *close6, *open8, *close8;
    Py_ssize_t lead;
} Whole;

static int json_plain(PyObject *s);

/* The JSON text of ``<iri>`` written whole, a new reference; NULL without an error where Python must lay it out
   (a namespace may match, its scheme is a prefix of the context, it has an escape or a character JSON escapes). */
static PyObject *
whole_iri(PyObject *t, Py_ssize_t n, const Whole *w, long depth)
{
    if (n < 2 || PyUnicode_READ_CHAR(t, 0) != '<' || PyUnicode_READ_CHAR(t, n - 1) != '>') {
        return NULL;
    }
    PyObject *iri = PyUnicode_Substring(t, 1, n - 1);
    if (iri == NULL) {
        return NULL;
    }
    Py_ssize_t len = n - 2, colon = PyUnicode_FindChar(iri, ':', 0, len, 1);
    PyObject *lead = len >= w->lead ? PyUnicode_Substring(iri, 0, w->lead) : NULL;
    PyObject *scheme = colon >= 0 ? PyUnicode_Substring(iri, 0, colon) : Py_NewRef(iri);
    /* json_plain refuses a backslash too: an IRI with an escape is Python's to undo */
    int whole = colon != -2 && (lead != NULL || len < w->lead) && scheme != NULL && json_plain(iri);
    if (whole && lead != NULL) {
        int found = PyDict_Contains(w->by_lead, lead);
        whole = found == 0;
    }
    if (whole) {
        int clash = PyDict_Contains(w->context, scheme);
        int slashes = colon >= 0 && colon + 2 < len && PyUnicode_READ_CHAR(iri, colon + 1) == '/'
                      && PyUnicode_READ_CHAR(iri, colon + 2) == '/';
        whole = clash == 0 || (clash == 1 && slashes);
    }
    PyObject *text = NULL;
    if (whole) {
        text = PyUnicode_FromFormat("%U\"%U\"%U", depth == 6 ? w->open6 : w->open8, iri,
                                    depth == 6 ? w->close6 : w->close8);
    }
    Py_DECREF(iri);
    Py_XDECREF(lead);
    Py_XDECREF(scheme);
    PyErr_Clear();  /* a failed look-up only sends the term to Python, which meets the same error */
    return text;
}

/* One object's JSON text at depth 6 (a single value) or 8 (an array's item): a new reference or NULL. */
static PyObject *
json_value(PyObject *o, PyObject *layouts, long depth, PyObject *miss, PyObject *enc, const Whole *w)
{
    if (!PyUnicode_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "an object term is a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(o);
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return NULL;
    }
    if (PyUnicode_READ_CHAR(o, n - 1) == '"') {
        Py_ssize_t backslash = PyUnicode_FindChar(o, '\\', 0, n, 1);
        if (backslash == -2) {
            return NULL;
        }
        if (backslash == -1) {
            if (all_printable(o)) {
                return Py_NewRef(o);
            }
            PyObject *inner = PyUnicode_Substring(o, 1, n - 1 > 1 ? n - 1 : 1);
            PyObject *text = inner == NULL ? NULL : PyObject_CallOneArg(enc, inner);
            Py_XDECREF(inner);
            return text;
        }
    }
    PyObject *text = NULL;
    int known = kept_value(layouts, o, &text);
    if (known != 0) {
        return known > 0 ? text : NULL;
    }
    text = w != NULL ? whole_iri(o, n, w, depth) : NULL;
    return text != NULL ? text : PyObject_CallFunction(miss, "OOl", o, layouts, depth);
}

/* The value of a member with several objects: their texts sorted, as a JSON array at depth 6. */
static PyObject *
json_array(PyObject *objs, PyObject *lay8, PyObject *miss, PyObject *enc, PyObject *sep, const Whole *w)
{
    PyObject *items = PySequence_List(objs);  /* a dict's keys, in order */
    if (items == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        PyObject *text = json_value(PyList_GET_ITEM(items, i), lay8, 8, miss, enc, w);
        if (text == NULL) {
            Py_DECREF(items);
            return NULL;
        }
        PyList_SetItem(items, i, text);  /* steals text, drops the term */
    }
    PyObject *joined = PyList_Sort(items) < 0 ? NULL : PyUnicode_Join(sep, items);
    Py_DECREF(items);
    if (joined == NULL) {
        return NULL;
    }
    PyObject *text = PyUnicode_FromFormat("[\n        %U\n      ]", joined);
    Py_DECREF(joined);
    return text;
}

/* A node's members but @id and @type, as rdfgen.serialize.jsonld.members_py makes them: a new list or NULL. */
static PyObject *
node_members(PyObject *preds, PyObject *rdf_type, PyObject *keys, PyObject *key, PyObject *lay6, PyObject *lay8,
             PyObject *miss, PyObject *enc, PyObject *sep, const Whole *whole)
{
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *p, *objs;
    while (PyDict_Next(preds, &pos, &p, &objs)) {
        Py_INCREF(p);  /* held while Python code (miss, key, enc) runs */
        Py_INCREF(objs);
        PyObject *k = NULL, *v = NULL, *member = NULL;
        int skip = PyObject_RichCompareBool(p, rdf_type, Py_EQ);
        if (skip == 0) {
            k = PyDict_GetItemWithError(keys, p);
            int truth = k == NULL ? (PyErr_Occurred() ? -1 : 0) : PyObject_IsTrue(k);
            k = truth > 0 ? Py_NewRef(k) : truth == 0 ? PyObject_CallOneArg(key, p) : NULL;
            if (k != NULL) {
                v = PyUnicode_CheckExact(objs) ? json_value(objs, lay6, 6, miss, enc, whole)
                                               : json_array(objs, lay8, miss, enc, sep, whole);
            }
            member = v == NULL ? NULL : PyUnicode_Concat(k, v);
        }
        int failed = skip < 0 || (skip == 0 && (member == NULL || PyList_Append(out, member) < 0));
        Py_XDECREF(k);
        Py_XDECREF(v);
        Py_XDECREF(member);
        Py_DECREF(p);
        Py_DECREF(objs);
        if (failed) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

#define WHOLE_FORMAT "(O!nO!UUUU)"
#define WHOLE_ARGS(w) &PyDict_Type, &(w).by_lead, &(w).lead, &PyDict_Type, &(w).context, &(w).open6, &(w).close6, \
    &(w).open8, &(w).close8

static PyObject *
jsonld_members(PyObject *self, PyObject *args)
{
    PyObject *preds, *rdf_type, *keys, *key, *lay6, *lay8, *miss, *enc;
    Whole whole;
    if (!PyArg_ParseTuple(args, "O!UO!OO!O!OO" WHOLE_FORMAT ":jsonld_members", &PyDict_Type, &preds, &rdf_type,
                          &PyDict_Type, &keys, &key, &PyDict_Type, &lay6, &PyDict_Type, &lay8, &miss, &enc,
                          WHOLE_ARGS(whole))) {
        return NULL;
    }
    PyObject *sep = PyUnicode_FromString(",\n        ");
    PyObject *out = sep == NULL ? NULL : node_members(preds, rdf_type, keys, key, lay6, lay8, miss, enc, sep, &whole);
    Py_XDECREF(sep);
    return out;
}

/* jsonld_nodes(index, cells, rdf_type, keys, key, lay6, lay8, miss, enc, whole, ids, cid, types, type_member,
                odd_keys, odd) -> str: rdfgen.serialize.jsonld.nodes_py, the loop of a full JSON-LD document over its
   subjects. Each subject not in ``cells`` is a node: its members (node_members), its "@id" member (the id from
   ``ids``, else cid(subject)), its "@type" member (from ``types`` by its classes, else type_member(classes)),
   sorted and laid out; a node with a class that is no IRI (type_member gives "") or a key in ``odd_keys`` is
   odd(predicates, id)'s instead. The nodes sorted by (id, text), joined. */

typedef struct {
    PyObject *rdf_type, *keys, *key, *lay6, *lay8, *miss, *enc, *ids, *cid, *types, *type_member, *odd_keys, *odd;
    PyObject *sep, *join_members, *node_open, *node_close;
    Whole whole;
} Nodes;

/* The id of a subject, a new reference. */
static PyObject *
node_id_of(const Nodes *c, PyObject *s)
{
    return kept_or_made(c->ids, s, c->cid, s);
}

/* The "@type" member of a node's classes, a new reference ("" when odd). */
static PyObject *
type_member_of(const Nodes *c, PyObject *objs)
{
    PyObject *key = PyUnicode_CheckExact(objs) ? Py_NewRef(objs) : PySequence_Tuple(objs);
    if (key == NULL) {
        return NULL;
    }
    PyObject *member = kept_or_made(c->types, key, c->type_member, objs);
    Py_DECREF(key);
    return member;
}

/* Whether one of the node's predicates is an odd key: 1, 0, or -1 on an error. */
static int
has_odd_key(const Nodes *c, PyObject *preds)
{
    if (PySet_GET_SIZE(c->odd_keys) == 0) {
        return 0;
    }
    Py_ssize_t pos = 0;
    PyObject *p, *objs;
    while (PyDict_Next(preds, &pos, &p, &objs)) {
        int found = PySet_Contains(c->odd_keys, p);
        if (found != 0) {
            return found;
        }
    }
    return 0;
}

/* A node's (id, text) tuple, a new reference. */
static PyObject *
jsonld_node(const Nodes *c, PyObject *s, PyObject *preds)
{
    PyObject *node_id = node_id_of(c, s), *members = NULL, *id_member = NULL, *typed = NULL, *text = NULL;
    if (node_id == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(node_id)) {
        PyErr_SetString(PyExc_TypeError, "a node's id is a str");
        goto done;
    }
    members = node_members(preds, c->rdf_type, c->keys, c->key, c->lay6, c->lay8, c->miss, c->enc, c->sep,
                           &c->whole);
    if (members == NULL) {
        goto done;
    }
    if (json_plain(node_id)) {
        id_member = PyUnicode_FromFormat("\"@id\": \"%U\"", node_id);
    } else {
        PyObject *quoted = PyObject_CallOneArg(c->enc, node_id);
        id_member = quoted == NULL ? NULL : PyUnicode_FromFormat("\"@id\": %S", quoted);
        Py_XDECREF(quoted);
    }
    if (id_member == NULL || PyList_Append(members, id_member) < 0) {
        goto done;
    }
    PyObject *objs = PyDict_GetItemWithError(preds, c->rdf_type);  /* borrowed; preds is held by the caller */
    if (objs == NULL && PyErr_Occurred()) {
        goto done;
    }
    int odd = 0;
    if (objs != NULL) {
        Py_INCREF(objs);
        typed = type_member_of(c, objs);
        Py_DECREF(objs);
        if (typed == NULL) {
            goto done;
        }
        int truth = PyObject_IsTrue(typed);
        if (truth < 0 || (truth > 0 && PyList_Append(members, typed) < 0)) {
            goto done;
        }
        odd = truth == 0;
    }
    if (!odd) {
        odd = has_odd_key(c, preds);
        if (odd < 0) {
            goto done;
        }
    }
    if (odd) {
        text = PyObject_CallFunctionObjArgs(c->odd, preds, node_id, NULL);
    } else if (PyList_Sort(members) == 0) {
        PyObject *inner = PyUnicode_Join(c->join_members, members);
        text = inner == NULL ? NULL : PyUnicode_FromFormat("%U%U%U", c->node_open, inner, c->node_close);
        Py_XDECREF(inner);
    }
done:;
    PyObject *pair = text == NULL ? NULL : PyTuple_Pack(2, node_id, text);
    Py_DECREF(node_id);
    Py_XDECREF(members);
    Py_XDECREF(id_member);
    Py_XDECREF(typed);
    Py_XDECREF(text);
    return pair;
}

static PyObject *
jsonld_nodes(PyObject *self, PyObject *args)
{
    PyObject *index, *cells;
    Nodes c;
    if (!PyArg_ParseTuple(args, "O!OUO!OO!O!OO" WHOLE_FORMAT "O!OO!OO!O:jsonld_nodes", &PyDict_Type, &index, &cells,
                          &c.rdf_type, &PyDict_Type, &c.keys, &c.key, &PyDict_Type, &c.lay6, &PyDict_Type, &c.lay8,
                          &c.miss, &c.enc, WHOLE_ARGS(c.whole), &PyDict_Type, &c.ids, &c.cid, &PyDict_Type, &c.types,
                          &c.type_member, &PySet_Type, &c.odd_keys, &c.odd)) {
        return NULL;
    }
    c.sep = PyUnicode_FromString(",\n        ");
    c.join_members = PyUnicode_FromString(",\n      ");
    c.node_open = PyUnicode_FromString("{\n      ");
    c.node_close = PyUnicode_FromString("\n    }");
    PyObject *join_nodes = PyUnicode_FromString(",\n    ");
    PyObject *nodes = PyList_New(0), *graph = NULL;
    int ok = c.sep != NULL && c.join_members != NULL && c.node_open != NULL && c.node_close != NULL
             && join_nodes != NULL && nodes != NULL;
    Py_ssize_t pos = 0;
    PyObject *s, *preds;
    Py_INCREF(index);
    while (ok && PyDict_Next(index, &pos, &s, &preds)) {
        Py_INCREF(s);  /* held while Python code (cid, miss, odd...) runs */
        Py_INCREF(preds);
        int cell = PySequence_Contains(cells, s);
        if (cell == 0 && !PyDict_Check(preds)) {
            PyErr_SetString(PyExc_TypeError, "a subject's predicates are a dict");
            cell = -1;
        }
        PyObject *pair = cell == 0 ? jsonld_node(&c, s, preds) : NULL;
        ok = cell > 0 || (pair != NULL && PyList_Append(nodes, pair) == 0);
        Py_XDECREF(pair);
        Py_DECREF(s);
        Py_DECREF(preds);
    }
    Py_DECREF(index);
    if (ok && PyList_Sort(nodes) == 0) {
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(nodes); i++) {  /* each (id, text) pair becomes its text */
            PyList_SetItem(nodes, i, Py_NewRef(PyTuple_GET_ITEM(PyList_GET_ITEM(nodes, i), 1)));
        }
        graph = PyUnicode_Join(join_nodes, nodes);
    }
    Py_XDECREF(nodes);
    Py_XDECREF(join_nodes);
    Py_XDECREF(c.sep);
    Py_XDECREF(c.join_members);
    Py_XDECREF(c.node_open);
    Py_XDECREF(c.node_close);
    return graph;
}

/* grouped_lines(order, end) -> str: rdfgen.serialize.ntriples.grouped_lines_py. ``order`` is Grouped.order():
   (subject, {predicate: object or {object: None}}, predicates sorted) for each subject, sorted; each line is
   subject, predicate and object joined by spaces, then ``end``; a predicate's several objects in sorted order. The
   pieces are borrowed into one list and joined once. */
static int
add_line(PyObject *pieces, PyObject *s, PyObject *p, PyObject *o, PyObject *space, PyObject *end)
{
    PyObject *line[6] = {s, space, p, space, o, end};
    for (int k = 0; k < 6; k++) {
        if (PyList_Append(pieces, line[k]) < 0) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
grouped_lines(PyObject *self, PyObject *args)
{
    PyObject *order, *end;
    if (!PyArg_ParseTuple(args, "O!U:grouped_lines", &PyList_Type, &order, &end)) {
        return NULL;
    }
    PyObject *space = PyUnicode_FromString(" ");
    PyObject *pieces = space == NULL ? NULL : PyList_New(0);
    if (pieces == NULL) {
        Py_XDECREF(space);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(order); i++) {
        PyObject *entry = PyList_GET_ITEM(order, i);
        if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3 || !PyUnicode_Check(PyTuple_GET_ITEM(entry, 0))
                || !PyDict_Check(PyTuple_GET_ITEM(entry, 1)) || !PyTuple_Check(PyTuple_GET_ITEM(entry, 2))) {
            PyErr_SetString(PyExc_TypeError, "order holds (subject, predicates, sorted predicates) tuples");
            goto fail;
        }
        PyObject *s = PyTuple_GET_ITEM(entry, 0), *preds = PyTuple_GET_ITEM(entry, 1);
        PyObject *ps = PyTuple_GET_ITEM(entry, 2);
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(ps); j++) {
            PyObject *p = PyTuple_GET_ITEM(ps, j);
            PyObject *objs = PyDict_GetItemWithError(preds, p);  /* borrowed; preds outlives the call */
            if (objs == NULL) {
                if (!PyErr_Occurred()) {
                    PyErr_SetObject(PyExc_KeyError, p);
                }
                goto fail;
            }
            if (PyUnicode_CheckExact(objs)) {
                if (add_line(pieces, s, p, objs, space, end) < 0) {
                    goto fail;
                }
                continue;
            }
            PyObject *sorted = PySequence_List(objs);
            if (sorted == NULL || PyList_Sort(sorted) < 0) {
                Py_XDECREF(sorted);
                goto fail;
            }
            for (Py_ssize_t k = 0; k < PyList_GET_SIZE(sorted); k++) {
                PyObject *o = PyList_GET_ITEM(sorted, k);
                if (!PyUnicode_Check(o)) {
                    PyErr_SetString(PyExc_TypeError, "an object term is a str");
                }
                if (PyErr_Occurred() || add_line(pieces, s, p, o, space, end) < 0) {
                    Py_DECREF(sorted);
                    goto fail;
                }
            }
            Py_DECREF(sorted);
        }
    }
    PyObject *empty = PyUnicode_FromString("");
    PyObject *text = empty == NULL ? NULL : PyUnicode_Join(empty, pieces);
    Py_XDECREF(empty);
    Py_DECREF(pieces);
    Py_DECREF(space);
    return text;

fail:
    Py_DECREF(pieces);
    Py_DECREF(space);
    return NULL;
}

/* turtle_body(order, cells, rdf_type, verbs, verb, memo, term) -> str: rdfgen.serialize.turtle.turtle_body_py.
   Each subject of ``order`` (Grouped.order()) not in ``cells`` is a block: its text, then each predicate's verb
   (rdf:type first) and object texts, ";" between predicates, "," between a predicate's objects (sorted by text), "."
   at the end; blocks are joined by blank lines. A plain literal (ending in '"') is its own text; any other term's
   text is memo[term], else term(term), which renders it and keeps it in memo (and the prefix it uses); a verb is
   verbs[p], else verb(p). Pieces are borrowed into one list and joined once. */

static int
append_new(PyObject *pieces, PyObject *text)
{
    if (text == NULL) {
        return -1;
    }
    int failed = PyList_Append(pieces, text);
    Py_DECREF(text);
    return failed;
}

/* The Turtle text of an object or subject term: a new reference, or NULL. */
static PyObject *
turtle_term(PyObject *t, PyObject *memo, PyObject *term, int literal_is_text)
{
    if (!PyUnicode_Check(t)) {
        PyErr_SetString(PyExc_TypeError, "a term is a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(t);
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return NULL;
    }
    if (literal_is_text && PyUnicode_READ_CHAR(t, n - 1) == '"') {
        return Py_NewRef(t);
    }
    return kept_or_made(memo, t, term, t);
}

static int
turtle_verb(PyObject *pieces, PyObject *p, PyObject *verbs, PyObject *verb)
{
    return append_new(pieces, kept_or_made(verbs, p, verb, p));
}

static int
turtle_objects(PyObject *pieces, PyObject *objs, PyObject *memo, PyObject *term, PyObject *comma)
{
    if (PyUnicode_CheckExact(objs)) {
        return append_new(pieces, turtle_term(objs, memo, term, 1));
    }
    PyObject *texts = PySequence_List(objs);
    if (texts == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(texts); i++) {
        PyObject *text = turtle_term(PyList_GET_ITEM(texts, i), memo, term, 1);
        if (text == NULL) {
            Py_DECREF(texts);
            return -1;
        }
        PyList_SetItem(texts, i, text);  /* steals text, drops the term */
    }
    PyObject *joined = PyList_Sort(texts) < 0 ? NULL : PyUnicode_Join(comma, texts);
    Py_DECREF(texts);
    return append_new(pieces, joined);
}

/* One subject's block, appended to pieces. */
static int
turtle_block(PyObject *pieces, PyObject *entry, PyObject *rdf_type, PyObject *verbs, PyObject *verb,
             PyObject *memo, PyObject *term, PyObject *const *sep)
{
    PyObject *s = PyTuple_GET_ITEM(entry, 0), *preds = PyTuple_GET_ITEM(entry, 1), *ps = PyTuple_GET_ITEM(entry, 2);
    if (append_new(pieces, turtle_term(s, memo, term, 0)) < 0 || PyList_Append(pieces, sep[0]) < 0) {
        return -1;
    }
    int typed = PyDict_Contains(preds, rdf_type);
    if (typed < 0) {
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(ps), written = 0;
    for (Py_ssize_t j = -typed; j < n; j++) {  /* j == -1: rdf:type, first */
        PyObject *p = j < 0 ? rdf_type : PyTuple_GET_ITEM(ps, j);
        if (j >= 0 && typed) {
            int same = PyObject_RichCompareBool(p, rdf_type, Py_EQ);
            if (same != 0) {
                if (same < 0) {
                    return -1;
                }
                continue;
            }
        }
        PyObject *objs = PyDict_GetItemWithError(preds, p);  /* borrowed; preds outlives the call */
        if (objs == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_SetObject(PyExc_KeyError, p);
            }
            return -1;
        }
        Py_INCREF(objs);  /* held while Python code (verb, term) runs */
        int failed = (written++ && PyList_Append(pieces, sep[1]) < 0) || turtle_verb(pieces, p, verbs, verb) < 0
                     || turtle_objects(pieces, objs, memo, term, sep[2]) < 0;
        Py_DECREF(objs);
        if (failed) {
            return -1;
        }
    }
    return PyList_Append(pieces, sep[3]);
}

static PyObject *
turtle_body(PyObject *self, PyObject *args)
{
    PyObject *order, *cells, *rdf_type, *verbs, *verb, *memo, *term;
    if (!PyArg_ParseTuple(args, "O!OUO!OO!O:turtle_body", &PyList_Type, &order, &cells, &rdf_type, &PyDict_Type,
                          &verbs, &verb, &PyDict_Type, &memo, &term)) {
        return NULL;
    }
    PyObject *sep[5] = {PyUnicode_FromString(" "), PyUnicode_FromString(" ;\n    "),
                        PyUnicode_FromString(",\n        "), PyUnicode_FromString(" .\n"), PyUnicode_FromString("\n")};
    PyObject *pieces = PyList_New(0), *text = NULL;
    int ok = pieces != NULL;
    for (int k = 0; k < 5; k++) {
        ok = ok && sep[k] != NULL;
    }
    Py_ssize_t blocks = 0;
    Py_INCREF(order);  /* the list may not change while Python code runs: held, read by index each time */
    for (Py_ssize_t i = 0; ok && i < PyList_GET_SIZE(order); i++) {
        PyObject *entry = PyList_GET_ITEM(order, i);
        if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3 || !PyDict_Check(PyTuple_GET_ITEM(entry, 1))
                || !PyTuple_Check(PyTuple_GET_ITEM(entry, 2))) {
            PyErr_SetString(PyExc_TypeError, "order holds (subject, predicates, sorted predicates) tuples");
            ok = 0;
            break;
        }
        Py_INCREF(entry);
        int cell = PySequence_Contains(cells, PyTuple_GET_ITEM(entry, 0));
        ok = cell >= 0 && (cell || ((!blocks++ || PyList_Append(pieces, sep[4]) == 0)
                                    && turtle_block(pieces, entry, rdf_type, verbs, verb, memo, term, sep) == 0));
        Py_DECREF(entry);
    }
    Py_DECREF(order);
    if (ok) {
        PyObject *empty = PyUnicode_FromString("");
        text = empty == NULL ? NULL : PyUnicode_Join(empty, pieces);
        Py_XDECREF(empty);
    }
    Py_XDECREF(pieces);
    for (int k = 0; k < 5; k++) {
        Py_XDECREF(sep[k]);
    }
    return text;
}

/* indented(value, newline, enc, fallback) -> str: rdfgen.serialize.embedding.dumps_py. A str is enc(value)
   (json's own encode_basestring); a dict, list or tuple is written here, each member or item on its own line,
   ``newline`` (the line break and the indentation of the value's line) plus two spaces deep; anything else, and a
   subclass of those (whose iteration Python code may change), is fallback(value, newline). */

static int indented_into(PyObject *pieces, PyObject *value, PyObject *newline, PyObject *enc, PyObject *fallback);

/* Whether json's encode_basestring (ensure_ascii=False) writes s as it is between quotes: no control character,
   quote or backslash, the only characters it escapes. */
static int
json_plain(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x20 || c == '"' || c == '\\') {
            return 0;
        }
    }
    return 1;
}

/* A str as JSON text: the str itself between two quotes where nothing needs escaping (no string made), else enc. */
static int
json_string(PyObject *pieces, PyObject *s, PyObject *enc, PyObject *quote)
{
    if (PyUnicode_CheckExact(s) && json_plain(s)) {
        return PyList_Append(pieces, quote) < 0 || PyList_Append(pieces, s) < 0 ? -1 : PyList_Append(pieces, quote);
    }
    return append_new(pieces, PyObject_CallOneArg(enc, s));
}

static int
indented_leaf(PyObject *pieces, PyObject *v, PyObject *inner, PyObject *enc, PyObject *fallback, PyObject *quote)
{
    if (PyUnicode_CheckExact(v)) {
        return json_string(pieces, v, enc, quote);
    }
    return indented_into(pieces, v, inner, enc, fallback);
}

static int
indented_into(PyObject *pieces, PyObject *value, PyObject *newline, PyObject *enc, PyObject *fallback)
{
    int is_dict = PyDict_CheckExact(value);
    int is_seq = PyList_CheckExact(value) || PyTuple_CheckExact(value);
    if (PyUnicode_Check(value)) {
        return append_new(pieces, PyObject_CallOneArg(enc, value));  /* the top value or a str subclass: rare */
    }
    if (!is_dict && !is_seq) {
        return append_new(pieces, PyObject_CallFunctionObjArgs(fallback, value, newline, NULL));
    }
    Py_ssize_t n = is_dict ? PyDict_GET_SIZE(value) : PySequence_Fast_GET_SIZE(value);
    if (n == 0) {
        return append_new(pieces, PyUnicode_FromString(is_dict ? "{}" : "[]"));
    }
    PyObject *indent = PyUnicode_FromString("  ");
    PyObject *inner = indent == NULL ? NULL : PyUnicode_Concat(newline, indent);
    PyObject *comma = PyUnicode_FromString(",");
    PyObject *colon = PyUnicode_FromString(": ");
    PyObject *quote = PyUnicode_FromString("\"");
    PyObject *open = PyUnicode_FromString(is_dict ? "{" : "["), *close = PyUnicode_FromString(is_dict ? "}" : "]");
    int failed = inner == NULL || comma == NULL || colon == NULL || quote == NULL || open == NULL || close == NULL
                 || PyList_Append(pieces, open) < 0 || PyList_Append(pieces, inner) < 0;
    Py_INCREF(value);  /* held while Python code (enc, fallback) runs */
    if (is_dict) {
        PyObject *k, *v;
        Py_ssize_t pos = 0, i = 0;
        while (!failed && PyDict_Next(value, &pos, &k, &v)) {
            Py_INCREF(k);
            Py_INCREF(v);
            failed = (i++ && (PyList_Append(pieces, comma) < 0 || PyList_Append(pieces, inner) < 0))
                     || (PyUnicode_Check(k) ? json_string(pieces, k, enc, quote)
                                            : append_new(pieces, PyObject_CallOneArg(enc, k))) < 0
                     || PyList_Append(pieces, colon) < 0 || indented_leaf(pieces, v, inner, enc, fallback, quote) < 0;
            Py_DECREF(k);
            Py_DECREF(v);
        }
    } else {
        for (Py_ssize_t i = 0; !failed && i < PySequence_Fast_GET_SIZE(value); i++) {
            PyObject *v = PySequence_Fast_GET_ITEM(value, i);
            Py_INCREF(v);
            failed = (i && (PyList_Append(pieces, comma) < 0 || PyList_Append(pieces, inner) < 0))
                     || indented_leaf(pieces, v, inner, enc, fallback, quote) < 0;
            Py_DECREF(v);
        }
    }
    failed = failed || PyList_Append(pieces, newline) < 0 || PyList_Append(pieces, close) < 0;
    Py_DECREF(value);
    Py_XDECREF(indent);
    Py_XDECREF(inner);
    Py_XDECREF(comma);
    Py_XDECREF(colon);
    Py_XDECREF(quote);
    Py_XDECREF(open);
    Py_XDECREF(close);
    return failed ? -1 : 0;
}

static PyObject *
indented(PyObject *self, PyObject *args)
{
    PyObject *value, *newline, *enc, *fallback;
    if (!PyArg_ParseTuple(args, "OUOO:indented", &value, &newline, &enc, &fallback)) {
        return NULL;
    }
    PyObject *pieces = PyList_New(0);
    if (pieces == NULL || indented_into(pieces, value, newline, enc, fallback) < 0) {
        Py_XDECREF(pieces);
        return NULL;
    }
    PyObject *empty = PyUnicode_FromString("");
    PyObject *text = empty == NULL ? NULL : PyUnicode_Join(empty, pieces);
    Py_XDECREF(empty);
    Py_DECREF(pieces);
    return text;
}

/* group(triples) -> (index, refs) or None: rdfgen.serialize.turtle.group_py, Grouped's index of a record's
   statements (subject -> predicate -> object, or {object: None, ...} for several, in first-seen order, repeats
   dropped) and how many distinct statements have each blank node as object. None when ``triples`` is not a list of
   (subject, predicate, object) tuples of non-empty str: the twin serves, and raises what Python raises. */
static int
group_add(PyObject *preds, PyObject *p, PyObject *o, PyObject *refs)
{
    PyObject *objs = PyDict_GetItemWithError(preds, p);  /* borrowed */
    if (objs == NULL) {
        if (PyErr_Occurred() || PyDict_SetItem(preds, p, o) < 0) {
            return -1;
        }
    } else if (PyUnicode_CheckExact(objs)) {
        int same = PyUnicode_Compare(objs, o);
        if (same == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (same == 0) {
            return 0;
        }
        PyObject *several = PyDict_New();
        int failed = several == NULL || PyDict_SetItem(several, objs, Py_None) < 0
                     || PyDict_SetItem(several, o, Py_None) < 0 || PyDict_SetItem(preds, p, several) < 0;
        Py_XDECREF(several);
        if (failed) {
            return -1;
        }
    } else {
        int found = PyDict_Contains(objs, o);
        if (found != 0) {
            return found < 0 ? -1 : 0;
        }
        if (PyDict_SetItem(objs, o, Py_None) < 0) {
            return -1;
        }
    }
    if (PyUnicode_READ_CHAR(o, 0) != '_') {
        return 0;
    }
    PyObject *count = PyDict_GetItemWithError(refs, o);  /* borrowed */
    if (count == NULL && PyErr_Occurred()) {
        return -1;
    }
    Py_ssize_t so_far = count == NULL ? 0 : PyLong_AsSsize_t(count);  /* an int this function stored */
    PyObject *next = so_far < 0 ? NULL : PyLong_FromSsize_t(so_far + 1);
    int failed = next == NULL || PyDict_SetItem(refs, o, next) < 0;
    Py_XDECREF(next);
    return failed ? -1 : 0;
}

static PyObject *
group(PyObject *self, PyObject *triples)
{
    if (!PyList_CheckExact(triples)) {
        Py_RETURN_NONE;
    }
    Py_ssize_t n = PyList_GET_SIZE(triples);
    for (Py_ssize_t i = 0; i < n; i++) {  /* the whole list checked first: nothing half-built to undo */
        PyObject *t = PyList_GET_ITEM(triples, i);
        if (!PyTuple_CheckExact(t) || PyTuple_GET_SIZE(t) != 3) {
            Py_RETURN_NONE;
        }
        for (int k = 0; k < 3; k++) {
            PyObject *term = PyTuple_GET_ITEM(t, k);
            if (!PyUnicode_CheckExact(term) || PyUnicode_GET_LENGTH(term) == 0) {
                Py_RETURN_NONE;
            }
        }
    }
    PyObject *index = PyDict_New(), *refs = PyDict_New();
    PyObject *last = NULL, *preds = NULL;  /* borrowed: the subject of the statement before, and its dict */
    int failed = index == NULL || refs == NULL;
    for (Py_ssize_t i = 0; !failed && i < n; i++) {
        PyObject *t = PyList_GET_ITEM(triples, i);
        PyObject *s = PyTuple_GET_ITEM(t, 0), *p = PyTuple_GET_ITEM(t, 1), *o = PyTuple_GET_ITEM(t, 2);
        if (s != last && (last == NULL || PyUnicode_Compare(s, last) != 0)) {
            last = s;
            preds = PyDict_GetItemWithError(index, s);
            if (preds == NULL) {
                preds = PyErr_Occurred() ? NULL : PyDict_New();
                failed = preds == NULL || PyDict_SetItem(index, s, preds) < 0;
                Py_XDECREF(preds);  /* the index holds it */
                if (failed) {
                    break;
                }
            }
        }
        failed = group_add(preds, p, o, refs) < 0;
    }
    PyObject *pair = failed ? NULL : PyTuple_Pack(2, index, refs);
    Py_XDECREF(index);
    Py_XDECREF(refs);
    return pair;
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
     "fast_failures(triples, wanted, programs, numbers, foci, rdf_type, plain) -> [(position, node)]."},
    {"grouped_lines", grouped_lines, METH_VARARGS,
     "A record's N-Triples document from its grouped statements (ntriples.grouped_lines_py)."},
    {"turtle_body", turtle_body, METH_VARARGS,
     "The subject blocks of a record's Turtle document (turtle.turtle_body_py)."},
    {"indented", indented, METH_VARARGS,
     "A JSON value as json.dumps(indent=2, ensure_ascii=False) writes it (embedding.dumps_py)."},
    {"group", group, METH_O,
     "A record's statements grouped by subject and predicate, and its blank nodes' references (turtle.group_py)."},
    {"jsonld_nodes", jsonld_nodes, METH_VARARGS,
     "The nodes of a full JSON-LD document, sorted and joined (jsonld.nodes_py)."},
    {"jsonld_members", jsonld_members, METH_VARARGS,
     "jsonld_members(preds, rdf_type, keys, key, lay6, lay8, miss, enc, whole) -> [member text]: a JSON-LD node's members."},
    {"check_fast", check_fast, METH_VARARGS,
     "check_fast(triples, wanted, programs, numbers, by_class, subject_targets, object_targets, target_nodes, "
     "rdf_type, subclass, plain) -> [(position, node)] or None: the shapes' fast tier on a record's statements."},
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
