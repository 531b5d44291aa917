"""Compound segments are read through the shared memory map, not copied per searcher."""
import pickle
import threading

import pytest

from casebank.models import Article
from search.backends.postings import Postings
from search.backends.store import MemoryFile, SharedBufferFile

pytestmark = pytest.mark.django_db


def test_memory_file_reads_like_a_file():
    data = pickle.dumps({"a": [1, 2, 3], "b": "法条"}, 2) + b"line one\nline two\n" + bytes(range(256)) * 3
    f = MemoryFile(memoryview(data))
    assert pickle.load(f) == {"a": [1, 2, 3], "b": "法条"}
    assert f.readline() == b"line one\n"
    assert f.readline(4) == b"line"
    assert f.readline() == b" two\n"
    start = f.tell()
    assert f.read(3) == bytes([0, 1, 2])
    f.seek(-2, 2)
    assert f.read() == bytes([254, 255])
    f.seek(start)
    target = bytearray(4)
    assert f.readinto(target) == 4 and bytes(target) == bytes([0, 1, 2, 3])
    f.seek(0)
    assert f.read(-1) == data
    assert f.read(10) == b"" and f.readline() == b""


def test_searchers_of_several_threads_share_the_mapped_segment(whoosh_index, statutes):
    """Each request thread has its own searcher; the parts of a compound segment are
    opened over the memory map (no private copy), and every thread finds the same."""
    whoosh_index.search("占道经营", Article)  # make sure a committed index exists
    opened, answers = [], []

    def search():
        searcher = whoosh_index.store.searcher()
        for leaf, _offset in searcher.reader().leaf_readers():
            files = [getattr(leaf._terms, name, None) for name in ("_dbfile", "_postfile")]
            opened.extend(type(f) for f in files if f is not None)
        stored = [searcher.stored_fields(doc)["pk"] for doc in sorted(Postings.of(searcher).term_set("all", "占道经营"))]
        answers.append(stored)

    threads = [threading.Thread(target=search) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [[str(statutes["articles"]["stall"].pk)]] * 3
    assert opened and all(issubclass(kind, SharedBufferFile) for kind in opened)
