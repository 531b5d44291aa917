"""A process killed with SIGKILL while it holds the search index's write lock and is
writing into Whoosh: the kernel frees the lock, the index keeps exactly the commits that
finished, the next writer starts at once, and a rebuild (new generation + swap) works.
The full scenario through Django and the backend is bench/faults/search_kill.py."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from whoosh import fields

from search.backends.store import IndexStore

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {repo!r})
    from whoosh import fields
    from search.backends.store import IndexStore

    def schema():
        return fields.Schema(id=fields.ID(unique=True, stored=True), body=fields.TEXT)

    store = IndexStore({path!r}, schema)
    for chunk in range(1000):
        with store.writer() as w:
            for i in range(50):
                w.update_document(id=f"doc:{{chunk * 50 + i}}", body="city management enforcement " * 20)
            print(f"in-lock {{chunk}}", flush=True)
            time.sleep(0.05)  # still inside the write: lock held, documents not committed
        print(f"committed {{chunk}}", flush=True)
""")


def schema():
    return fields.Schema(id=fields.ID(unique=True, stored=True), body=fields.TEXT)


def flock_held_by(path, pid):
    inode = os.stat(path).st_ino
    with open("/proc/locks") as fh:
        return any("FLOCK" in line and f" {pid} " in line and line.split()[-3].endswith(f":{inode}")
                   for line in fh)


def stored_ids(store):
    ix = store.open()
    with ix.searcher() as s:
        ids = sorted(f["id"] for f in s.all_stored_fields())
    ix.close()
    return ids


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")
def test_sigkill_inside_index_write(tmp_path):
    path = tmp_path / "index"
    store = IndexStore(path, schema, lock_timeout=5)
    store.current_path()
    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(repo=str(REPO), path=str(path))],
                            stdout=subprocess.PIPE, text=True)
    committed = -1
    for line in proc.stdout:
        kind, chunk = line.split()
        if kind == "committed":
            committed = int(chunk)
        if kind == "in-lock" and int(chunk) == 3:
            assert flock_held_by(path / "write.lock", proc.pid)
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert committed == 2

    # The lock died with the process; the index holds exactly the three committed chunks.
    assert not store.write_lock.is_held()
    assert stored_ids(store) == sorted(f"doc:{i}" for i in range(150))

    # The next writer is not blocked by anything the dead one left.
    t = time.monotonic()
    with store.writer() as w:
        w.update_document(id="doc:after", body="written after the crash")
    assert time.monotonic() - t < 2
    assert "doc:after" in stored_ids(store)

    # A rebuild into a new generation and the atomic swap still work.
    old = os.readlink(store.current_link)
    new = store._new_generation()
    ix = store.open(new)
    w = ix.writer()
    w.add_document(id="doc:rebuilt", body="rebuilt")
    w.commit()
    ix.close()
    with store.write_lock.hold(5):
        store.swap_to(new)
    store.close()
    assert os.readlink(store.current_link) != old
    assert stored_ids(store) == ["doc:rebuilt"]
