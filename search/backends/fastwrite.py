"""A faster Whoosh segment writer for rebuilds (same files, same postings).

Whoosh's ``SegmentWriter`` sends every posting through a sorting pool as a
5-tuple, sorts them all at the end, and then, posting by posting, looks the
document's field length up in the length column it has just written and calls
the codec's ``add_posting``. On our documents (about a hundred postings per
article) that pipeline costs more than the Chinese segmentation itself.

``FastSegmentWriter`` writes the same segment differently:

* the terms of a text field analysed by our ``ChineseTokenizer`` are counted
  straight from the tokenizer's terms (no ``Token`` objects), and the catch-all
  text is segmented by jieba once for both the word and the word-pair field
  (``analysis.segment`` keeps the last texts);
* postings are grouped per field and term in memory as they arrive (an inverted
  index), so the end needs only a sort of each field's terms, not of every posting;
* field lengths are kept in memory, and the postings of a term are handed to the
  Whoosh 3 codec's postings writer a block (128 postings) at a time.

The result is byte-for-byte the segment format Whoosh reads (a test compares the
postings, weights and lengths with Whoosh's own writer). ``FastMpWriter`` is
Whoosh's multi-process writer with these writers in its worker processes.
"""
from array import array

from whoosh.codec.whoosh3 import W3Codec
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.analysis import ChineseTokenizer

from whoosh.system import pack_uint  # the Frequency format's value: the term's frequency

#: zlib level of posting blocks: none. Most blocks hold a posting or two (a word pair is
#: rarely in more than one article), whose compression costs more time than it saves
#: bytes; readers decompress only blocks marked compressed.
COMPRESSION = 0
#: Postings per job file a worker process reads (Whoosh's default is 100 documents).
BATCH_SIZE = 250


class InvertedPool:
    """Postings grouped by field and term as they arrive: {field: {term bytes: [docnum, weight, value, …]}}.

    Offers the parts of Whoosh's ``PostingPool`` a segment writer uses (``add``,
    ``fieldnames``, ``iter_postings``, ``cleanup``)."""

    def __init__(self):
        self.fields = {}

    @property
    def fieldnames(self):
        return set(self.fields)

    def add(self, item):
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        entry = terms.get(tbytes)
        if entry is None:
            terms[tbytes] = [docnum, weight, vbytes]
        else:
            entry += (docnum, weight, vbytes)

    def iter_postings(self):
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for tbytes in sorted(terms):
                entry = terms[tbytes]
                for i in range(0, len(entry), 3):
                    yield fieldname, tbytes, entry[i], entry[i + 1], entry[i + 2]

    def cleanup(self):
        self.fields = {}


_FREQ_BYTES = [pack_uint(n) for n in range(256)]


def _freq_bytes(n):
    return _FREQ_BYTES[n] if n < 256 else pack_uint(n)


def _fast_text_terms(field):
    """A function value → [(term bytes, freq, weight, value bytes)] for a text field analysed by
    ``ChineseTokenizer`` with the Frequency format, else None (the field's own ``index``)."""
    analyzer = field.analyzer
    fmt = field.format
    if type(analyzer).__call__ is not ChineseTokenizer.__call__ or type(fmt).__name__ != "Frequency":
        return None
    terms_of = analyzer._terms
    field_boost = fmt.field_boost

    def index(value):
        freqs = {}
        weights = {}
        for word, _pos, _s, _e, boost in terms_of(value):
            if word in freqs:
                freqs[word] += 1
                weights[word] += boost
            else:
                freqs[word] = 1
                weights[word] = boost
        return [(w.encode("utf-8"), f, weights[w] * field_boost, _freq_bytes(f)) for w, f in freqs.items()]

    return index


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with the in-memory inverted pool and block writes (see the module)."""

    def __init__(self, ix, codec=None, **kwargs):
        super().__init__(ix, codec=codec or W3Codec(compression=COMPRESSION), **kwargs)
        self.pool.cleanup()
        self.pool = InvertedPool()
        self._doc_lengths = {}  # field → {docnum: length as the length column stores it}
        self._indexers = {}
        schema = self.schema
        self._plain = not any(f.vector or f.separate_spelling() for _n, f in schema.items())

    def _indexer(self, fieldname, field):
        indexer = self._indexers.get(fieldname)
        if indexer is None:
            indexer = _fast_text_terms(field) or field.index
            self._indexers[fieldname] = indexer
        return indexer

    def add_document(self, **fields):
        if not self._plain or any(name.startswith("_") for name in fields):
            # Vectors, spelling, boosts and custom stored values: Whoosh's own way.
            return super().add_document(**fields)
        self._check_state()
        schema = self.schema
        perdoc = self.perdocwriter
        docnum = self.docnum
        terms_of_field = self.pool.fields
        names = sorted(fields)
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    terms = terms_of_field.get(name)
                    if terms is None:
                        terms = terms_of_field[name] = {}
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in self._indexer(name, field)(value):
                        if scorable:
                            length += freq
                        entry = terms.get(tbytes)
                        if entry is None:
                            terms[tbytes] = [docnum, weight, vbytes]
                        else:
                            entry += (docnum, weight, vbytes)
                    if length:
                        lengths = self._doc_lengths.get(name)
                        if lengths is None:
                            lengths = self._doc_lengths[name] = {}
                        lengths[docnum] = byte_to_length(length_to_byte(length))
                perdoc.add_field(name, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        self.perdocwriter.close()
        fw = self.fieldwriter
        for fieldname in sorted(self.pool.fields):
            terms = self.pool.fields[fieldname]
            lengths = self._doc_lengths.get(fieldname, {})
            fw.start_field(fieldname, self.schema[fieldname])
            for tbytes in sorted(terms):
                fw.start_term(tbytes)
                _write_postings(fw, terms[tbytes], lengths)
                fw.finish_term()
            fw.finish_field()
        fw.close()
        self.pool.cleanup()
        self._doc_lengths = {}


def _write_postings(fw, entry, lengths):
    """Hand a term's postings ([docnum, weight, value, …], ascending) to the codec a block at a time."""
    pw = fw._postwriter
    if not all(hasattr(pw, a) for a in ("_ids", "_weights", "_values", "_blocklimit", "_write_block")):
        for i in range(0, len(entry), 3):  # another codec: one posting at a time
            fw.add(entry[i], entry[i + 1], entry[i + 2] or b"", lengths.get(entry[i], 0))
        return
    docs = entry[0::3]
    weights = entry[1::3]
    values = entry[2::3]
    limit = pw._blocklimit
    for start in range(0, len(docs), limit):
        if len(pw._ids) >= limit:
            pw._write_block()
        chunk = docs[start:start + limit]
        if len(pw._ids) + len(chunk) > limit:  # never happens after start_postings; keep the codec's rule
            for i, d in enumerate(chunk, start):
                pw.add_posting(d, weights[i], values[i] or b"", lengths.get(d, 0))
            continue
        wchunk = weights[start:start + limit]
        pw._ids.extend(chunk)
        pw._weights.extend(array("f", wchunk))
        top = max(wchunk)
        if top > pw._maxweight:
            pw._maxweight = top
        pw._values.extend(v for v in values[start:start + limit] if v)
        if lengths:
            lens = [n for n in (lengths.get(d, 0) for d in chunk) if n]
            if lens:
                low, high = min(lens), max(lens)
                if pw._minlength is None or low < pw._minlength:
                    pw._minlength = low
                if high > pw._maxlength:
                    pw._maxlength = high


class FastSubWriterTask(SubWriterTask):
    """Whoosh's worker process, writing with ``FastSegmentWriter``."""

    def run(self):
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = FastSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=60)


class FastMpWriter(MpWriter):
    """Whoosh's multi-process writer (one segment per worker, not merged) with fast workers.

    (Its own process only hands documents to the workers.)"""

    def __init__(self, ix, procs=2, batchsize=BATCH_SIZE, **kwargs):
        super().__init__(ix, procs=procs, batchsize=batchsize, multisegment=True, **kwargs)

    def _new_task(self):
        task = FastSubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                                 True)
        self.tasks.append(task)
        task.start()
        return task
