"""Writes are safe: several processes writing at once lose nothing, a busy
index defers instead of failing, a rebuild swaps atomically and keeps the
updates made while it ran."""
import fcntl
import multiprocessing
import os

import pytest

from search.backends.mapping import make_schema
from search.backends.store import IndexStore

CTX = multiprocessing.get_context("fork")


def _writer_process(path, worker, count):
    store = IndexStore(path, make_schema, lock_timeout=60)
    for i in range(count):
        with store.writer() as writer:
            writer.update_document(id=f"t:{worker}-{i}", pk=f"{worker}-{i}", ct="t", all=f"并发写入 第{i}条")


def test_several_processes_writing_at_once_lose_nothing(tmp_path):
    """Four processes commit 15 documents each at the same time: all 60 are there."""
    path = str(tmp_path / "index")
    IndexStore(path, make_schema).current_path()
    procs = [CTX.Process(target=_writer_process, args=(path, w, 15)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = IndexStore(path, make_schema)
    searcher = store.searcher()
    assert searcher.doc_count() == 60
    assert len(list(searcher.document_numbers(ct="t"))) == 60


def _hold_lock(path, ready, release):
    """Hold the index's write lock until told to let go (no timing involved)."""
    fd = os.open(os.path.join(path, "write.lock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    ready.set()
    release.wait(60)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@pytest.mark.django_db
def test_busy_index_defers_the_update_instead_of_failing(whoosh_index, statutes, settings):
    """While another process holds the lock past the timeout, a publish does not
    raise; the next write applies the deferred update."""
    from casebank.models import Article

    store = whoosh_index.store
    store.lock_timeout = 0.3
    ready, release = CTX.Event(), CTX.Event()
    holder = CTX.Process(target=_hold_lock, args=(str(store.root), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        art = statutes["articles"]["bike"]
        Article.objects.filter(pk=art.pk).update(text="电动自行车停放规定")
        whoosh_index.get_index_for_model(Article).add_item(Article.objects.get(pk=art.pk))  # must not raise
        assert store.deferred_path.exists()
        assert [r.pk for r in whoosh_index.search("电动自行车", Article)] == []  # not applied yet
    finally:
        release.set()
        holder.join(30)
    assert holder.exitcode == 0
    store.lock_timeout = 10
    whoosh_index.get_index_for_model(Article).add_item(statutes["articles"]["stall"])
    assert not store.deferred_path.exists()
    assert [r.pk for r in whoosh_index.search("电动自行车", Article)] == [art.pk]


@pytest.mark.django_db
def test_rebuild_builds_beside_and_swaps_keeping_concurrent_updates(whoosh_index, statutes):
    from casebank.models import Article, Law

    index = whoosh_index.get_index_for_model(Article)
    before = os.readlink(whoosh_index.store.current_link)
    rebuilder = whoosh_index.rebuilder_class(index)
    building = rebuilder.start()
    building.add_items(Law, list(Law.objects.all()))
    building.add_items(Article, list(Article.get_indexed_objects()))
    # Meanwhile the site keeps serving the old, complete index and takes updates.
    assert whoosh_index.search("罚款", Article).count() >= 3
    art = statutes["articles"]["three"]
    Article.objects.filter(pk=art.pk).update(text="垃圾分类投放管理责任人制度")
    index.add_item(Article.objects.get(pk=art.pk))
    gone = statutes["articles"]["fine_only"]
    index.delete_item(gone)
    assert os.readlink(whoosh_index.store.current_link) == before
    rebuilder.finish()
    assert os.readlink(whoosh_index.store.current_link) != before
    assert [r.pk for r in whoosh_index.search("垃圾分类", Article)] == [art.pk]
    assert gone.pk not in {r.pk for r in whoosh_index.search("罚款", Article)}
    assert whoosh_index.search("占道经营", Article).count() == 1
