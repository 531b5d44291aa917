"""Posting lists in memory, and query evaluation on them.

Whoosh reads a posting list block by block, one Python call per posting; a
common word such as 应当 (in half of all articles) then costs tens of
milliseconds per query. Here a posting list is read once per index segment,
block by block, into two arrays (document numbers and weights) that are kept
in a process-wide cache. Segments never change once written (deletions are
kept apart), so the cache stays valid across commits: after a publish only
the new small segment is read.

On top of these arrays:

* ``Postings.docs(q)``: the set of documents a query matches (set algebra);
* ``Postings.scores(q, docs)``: Whoosh's BM25F score of each of those
  documents for the query, the same numbers ``searcher.search`` gives
  (Term, And, Or, AndNot and ConstantScoreQuery; boosts multiply).

Other query types (ranges, prefixes, fuzzy terms) match through Whoosh
itself and cannot be scored here (``scorable`` says so).
"""
import bisect
import threading
from array import array
from collections import OrderedDict
from math import log

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

#: Postings kept in memory per cache and process (about 70 bytes each with the set of
#: document numbers: 4,000,000 postings ≈ 280 MB at most; the server's master fills most of
#: it before forking, and its workers share those pages).
MAX_CACHED_POSTINGS = 4_000_000
#: Term sets kept per searcher (the sets are shared, never modified).
MAX_TERM_SETS = 4096

_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


class SegmentCache:
    """Process-wide LRU of per-segment arrays, bounded by the number of postings."""

    def __init__(self, limit=MAX_CACHED_POSTINGS):
        self.limit = limit
        self.size = 0
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, compute):
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit[0]
        value, size = compute()
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, size)
                self.size += size
                while self.size > self.limit and len(self._items) > 1:
                    _key, (_value, old) = self._items.popitem(last=False)
                    self.size -= old
        return value

    def clear(self):
        with self._lock:
            self._items.clear()
            self.size = 0


segments = SegmentCache()
#: Term sets and facet values merged over the segments of one index state, shared by the
#: threads of a process (each thread has its own searcher of the same commit).
merged = SegmentCache()


def read_postings(leaf, fieldname, btext):
    """(ids, weights) of a term in one segment: local document numbers (ascending,
    deleted documents included) and weights."""
    ids, weights = array("i"), array("f")
    try:
        m = leaf.postings(fieldname, btext)
    except Exception:  # noqa: BLE001 - term not in this segment
        return ids, weights
    if isinstance(m, FilterMatcher):
        m = m.child  # the segment's deletions: Postings.deleted() removes them
    if all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_blocklength")):
        # Whoosh 3 codec: whole blocks at a time.
        while m.is_active():
            m._read_ids()
            m._read_weights()
            start = m._i
            ids.extend(m._ids[start:])
            weights.extend(m._weights[start:])
            m._i = m._blocklength
            m._next_block()
    else:
        # (Not items_as("weight"): that decodes the stored frequency, not the
        # boosted weight that scoring uses.)
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
    return ids, weights


def _segment_id(leaf):
    return leaf.segment().segment_id()


class Postings:
    """Term sets, term weights and field lengths of one searcher (one commit)."""

    K1 = 1.2
    B = 0.75

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        # An empty index has one reader without a segment (and no postings).
        self.leaves = [(leaf, offset, _segment_id(leaf)) for leaf, offset in self.reader.leaf_readers()
                       if leaf.segment() is not None]
        self._sizes = {offset: leaf.doc_count_all() for leaf, offset, _s in self.leaves}
        #: The index state this searcher sees: its segments, where they start, and how many
        #: documents each has deleted (deletions only grow until a segment is merged away).
        self.state = tuple((segid, offset, leaf.segment().deleted_count()) for leaf, offset, segid in self.leaves)
        self._sets = {}
        self._deleted = None
        self._idf = {}
        self._avgfl = {}
        self._lock = threading.Lock()

    @classmethod
    def of(cls, searcher):
        p = getattr(searcher, "_academy_postings", None)
        if p is None:
            p = searcher._academy_postings = cls(searcher)
        return p

    # -- raw data

    def _btext(self, fieldname, text):
        if isinstance(text, bytes):
            return text
        return self.schema[fieldname].to_bytes(text)

    def term_arrays(self, fieldname, btext):
        """[(offset, ids, weights)] per segment that has the term."""
        out = []
        for leaf, offset, segid in self.leaves:
            ids, weights, _docs = self._segment_term(leaf, segid, fieldname, btext)
            if ids:
                out.append((offset, ids, weights))
        return out

    @staticmethod
    def _segment_term(leaf, segid, fieldname, btext):
        """(ids, weights, frozenset of ids) of a term in one segment, cached."""
        def compute():
            ids, weights = read_postings(leaf, fieldname, btext)
            return (ids, weights, frozenset(ids)), max(len(ids), 1)
        return segments.get(("p", segid, fieldname, btext), compute)

    def deleted(self):
        if self._deleted is None:
            deleted = set()
            for leaf, offset, _segid in self.leaves:
                if leaf.has_deletions():
                    deleted.update(offset + d for d in leaf.segment().deleted_docs())
            self._deleted = deleted
        return self._deleted

    def lengths(self, fieldname):
        """[(offset, lengths)] per segment: the field's length in each document."""
        out = []
        lenfield = _lenfield(fieldname)
        for leaf, offset, segid in self.leaves:
            def compute(leaf=leaf):
                n = leaf.doc_count_all()
                values = array("i", bytes(4 * n))
                perdoc = getattr(leaf, "_perdoc", None)
                col = None
                if perdoc is not None and hasattr(perdoc, "_cached_reader"):
                    col = perdoc._cached_reader(lenfield, LENGTHS_COLUMN)
                if col is not None:
                    table = _LENGTH_OF_BYTE
                    for i in range(n):
                        values[i] = table[col[i]]
                else:
                    for i in range(n):
                        values[i] = leaf.doc_field_length(i, fieldname, 0) or 0
                return values, n
            out.append((offset, segments.get(("l", segid, fieldname), compute)))
        return out

    def term_set(self, fieldname, text):
        """The documents containing a term (a shared set: never modify it)."""
        try:
            btext = self._btext(fieldname, text)
        except Exception:  # noqa: BLE001 - unknown field or a value the field refuses
            return frozenset()
        key = (fieldname, btext)
        found = self._sets.get(key)
        if found is None:
            parts = [(offset, self._segment_term(leaf, segid, fieldname, btext)[2])
                     for leaf, offset, segid in self.leaves]
            parts = [(offset, ids) for offset, ids in parts if ids]
            deleted = self.deleted()
            if len(parts) == 1 and not parts[0][0] and not deleted:
                found = parts[0][1]  # one segment, nothing deleted: the segment's own set
            else:
                def compute():
                    docs = set()
                    for offset, ids in parts:
                        docs.update(ids if not offset else (offset + i for i in ids))
                    if deleted:
                        docs -= deleted
                    return frozenset(docs), max(len(docs), 1)

                found = merged.get(("s", self.state, fieldname, btext), compute)
            with self._lock:
                if len(self._sets) >= MAX_TERM_SETS:
                    self._sets.clear()
                self._sets[key] = found
        return found

    # -- matching

    def docs(self, q):
        """The set of documents ``q`` matches."""
        if q is wq.NullQuery:
            return set()
        kind = type(q)
        if kind is wq.Term:
            return self.term_set(q.fieldname, q.text)
        if kind is wq.Every:
            return set(self.reader.all_doc_ids())
        if kind is wq.ConstantScoreQuery:
            return self.docs(q.child)
        if kind is wq.And:
            if not q.subqueries:
                return set(self.reader.all_doc_ids())
            # The smallest part first; the others only filter it (never build
            # the union of a common word's alternatives in full).
            parts = sorted(q.subqueries, key=self.estimate)
            out = self.docs(parts[0])
            for c in parts[1:]:
                if not out:
                    break
                out = self.within(c, out)
            return out if isinstance(out, set) else set(out)
        if kind is wq.Or:
            out = set()
            for c in q.subqueries:
                out |= self.docs(c)
            return out
        if kind is wq.AndNot:
            out = self.docs(q.a)
            return self.within(q.a, out) - self.within(q.b, out) if out else set()
        return set(self.searcher.docs_for_query(q))

    def within(self, q, docs):
        """The documents of ``docs`` that ``q`` matches (cheap when ``docs`` is small)."""
        if not docs or q is wq.NullQuery:
            return set()
        kind = type(q)
        if kind is wq.Term:
            return self.term_set(q.fieldname, q.text) & docs
        if kind is wq.Every:
            return set(docs)
        if kind is wq.ConstantScoreQuery:
            return self.within(q.child, docs)
        if kind is wq.And:
            out = docs
            for c in sorted(q.subqueries, key=self.estimate):
                out = self.within(c, out)
                if not out:
                    break
            return out if isinstance(out, set) else set(out)
        if kind is wq.Or:
            out = set()
            rest = docs
            for c in q.subqueries:
                found = self.within(c, rest)
                if found:
                    out |= found
                    rest = rest - found
                    if not rest:
                        break
            return out
        if kind is wq.AndNot:
            return self.within(q.a, docs) - self.within(q.b, docs)
        return self.docs(q) & docs

    def estimate(self, q):
        """An upper bound of the number of documents ``q`` matches (no set is built
        beyond the terms' own, which are cached)."""
        kind = type(q)
        if kind is wq.Term:
            return len(self.term_set(q.fieldname, q.text))
        if q is wq.NullQuery:
            return 0
        if kind is wq.ConstantScoreQuery:
            return self.estimate(q.child)
        if kind is wq.And:
            return min((self.estimate(c) for c in q.subqueries), default=0)
        if kind is wq.Or:
            return sum(self.estimate(c) for c in q.subqueries)
        if kind is wq.AndNot:
            return self.estimate(q.a)
        return self.reader.doc_count_all()

    # -- scoring

    @staticmethod
    def scorable(q):
        """Whether ``scores`` can score this query (otherwise Whoosh must)."""
        kind = type(q)
        if kind is wq.Term or kind is wq.ConstantScoreQuery or q is wq.NullQuery:
            return True
        if kind is wq.And or kind is wq.Or:
            return all(Postings.scorable(c) for c in q.subqueries) and getattr(q, "scale", None) is None \
                and not getattr(q, "minmatch", 0)
        if kind is wq.AndNot:
            return Postings.scorable(q.a)
        return False

    def _idf_of(self, fieldname, btext):
        key = (fieldname, btext)
        value = self._idf.get(key)
        if value is None:
            n = self.reader.doc_frequency(fieldname, btext)
            value = self._idf[key] = log(self.reader.doc_count_all() / (n + 1)) + 1
        return value

    def _avg_length(self, fieldname):
        value = self._avgfl.get(fieldname)
        if value is None:
            value = self._avgfl[fieldname] = self.searcher.avg_field_length(fieldname) or 1
        return value

    def scores(self, q, docs):
        """{docnum: score} for the documents of ``docs`` that ``q`` matches."""
        out = {}
        self._score_into(q, docs, out, 1.0)
        return out

    def _score_into(self, q, docs, out, boost):
        kind = type(q)
        if q is wq.NullQuery or not docs:
            return
        if kind is wq.ConstantScoreQuery:
            if q.score:
                for d in self.within(q.child, docs):
                    out[d] = out.get(d, 0.0) + q.score * boost
            return
        if kind is wq.Term:
            self._score_term(q, docs, out, boost * q.boost)
            return
        if kind is wq.And or kind is wq.Or:
            b = boost * q.boost
            if kind is wq.And:
                docs = self.within(q, docs)
            for c in q.subqueries:
                self._score_into(c, docs, out, b)
            return
        if kind is wq.AndNot:
            self._score_into(q.a, docs - self.within(q.b, docs), out, boost * q.boost)
            return
        raise TypeError(f"cannot score {q!r} from postings")

    def _score_term(self, q, docs, out, boost):
        fieldname = q.fieldname
        try:
            btext = self._btext(fieldname, q.text)
            field = self.schema[fieldname]
        except Exception:  # noqa: BLE001
            return
        matched = self.term_set(fieldname, btext) & docs
        if not matched:
            return
        arrays = self.term_arrays(fieldname, btext)
        if field.scorable:
            idf = self._idf_of(fieldname, btext)
            avgfl = self._avg_length(fieldname)
            k1, b = self.K1, self.B
            lengths = dict(self.lengths(fieldname))
        for offset, ids, weights in arrays:
            if len(arrays) > 1 or offset:
                end = offset + self._sizes[offset]
                local = [d - offset for d in matched if offset <= d < end]
            else:
                local = [d - offset for d in matched]
            if not local:
                continue
            # No list of (doc, weight) pairs: thousands of surviving tuples would
            # set off full garbage collections over the whole process.
            if len(local) * 16 < len(ids):
                found = []
                for d in local:
                    i = bisect.bisect_left(ids, d)
                    if i < len(ids) and ids[i] == d:
                        found.append(i)
                positions = found
            else:
                wanted = set(local)
                positions = [i for i, d in enumerate(ids) if d in wanted]
            if field.scorable:
                lens = lengths[offset]
                for i in positions:
                    d, w = ids[i], weights[i]
                    # Whoosh's own expression (scoring.bm25), so the floats are identical.
                    s = idf * ((w * (k1 + 1)) / (w + k1 * ((1 - b) + b * lens[d] / avgfl)))
                    g = d + offset
                    out[g] = out.get(g, 0.0) + s * boost
            else:
                for i in positions:
                    g = ids[i] + offset
                    out[g] = out.get(g, 0.0) + weights[i] * boost


