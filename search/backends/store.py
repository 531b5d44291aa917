"""On-disk storage of the Whoosh index: generations, the write lock, the
rebuild journal and per-thread searchers.

Layout of ``PATH``::

    current -> gen-<id>      symlink to the live generation (replaced atomically)
    gen-<id>/                a complete Whoosh index
    write.lock               flock(): held by the one process writing to the live index
    rebuild.lock             flock(): held for the whole of a rebuild
    rebuild.journal          updates made while a rebuild runs, replayed before the swap
    deferred.journal         updates a writer could not apply within LOCK_TIMEOUT; the
                             next writer (or rebuild) applies them first, so none is lost

Why this design
---------------
* Whoosh allows one writer per index. Every write (publish, unpublish, move,
  delete, snippet save) takes ``write.lock`` with ``flock``: the kernel queues
  the waiting processes and threads, nobody sees "index locked" errors, and a
  crashed process releases its lock with its file descriptor. A writer waits up
  to ``LOCK_TIMEOUT`` seconds (default 60) before giving up with ``IndexBusy``.
* A rebuild never touches the live index: it writes a new generation beside it,
  then under ``write.lock`` replays the journal of updates that happened
  meanwhile, points ``current`` at the new generation (``os.replace`` of a
  symlink is atomic) and keeps the two previous generations for searchers that
  still read them. Searches always see a complete index.
* Searchers notice a new generation or a newer commit of the same generation
  and reopen; Whoosh readers never block writers.
"""
import contextlib
import fcntl
import json
import logging
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb import compound as whoosh_compound
from whoosh.filedb.structfile import BufferFile
from whoosh.scoring import BM25F


class MemoryFile:
    """A read-only file over a memoryview: reads copy only what they return."""

    def __init__(self, buf):
        self._buf = buf
        self._pos = 0
        self.closed = False

    def read(self, size=-1):
        start = self._pos
        end = len(self._buf) if size is None or size < 0 else min(start + size, len(self._buf))
        self._pos = end
        return self._buf[start:end].tobytes()

    def readinto(self, target):
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def readline(self, size=-1):
        start = self._pos
        limit = len(self._buf) if size is None or size < 0 else min(start + size, len(self._buf))
        end = start
        while end < limit:
            chunk = self._buf[end:min(end + 256, limit)].tobytes()
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        self._pos = end
        return self._buf[start:end].tobytes()

    def seek(self, offset, whence=0):
        base = {0: 0, 1: self._pos, 2: len(self._buf)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self):
        return self._pos

    def flush(self):
        pass

    def close(self):
        self.closed = True


class SharedBufferFile(BufferFile):
    """Whoosh's ``BufferFile`` without its copy of the whole part.

    Whoosh opens each part of a compound segment (posting and term files, some hundred MB
    on the full library) as a ``BufferFile`` over the memory-mapped segment, and that class
    copies the part into a private ``BytesIO``: every searcher, and so every request thread
    of every worker, held its own copy (about 280 MB each). Reading through ``MemoryFile``
    leaves the bytes in the shared, file-backed mapping."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = MemoryFile(buf)


# Compound segments open their parts through the name ``BufferFile`` of whoosh's compound
# module (its reading path only; writers never go through it).
whoosh_compound.BufferFile = SharedBufferFile

logger = logging.getLogger("academy.search")

INDEX_NAME = "MAIN"


class IndexBusy(RuntimeError):
    """The write lock could not be obtained in time."""


class _FileLock:
    """An exclusive flock() on a file, re-entrant within a thread."""

    def __init__(self, path):
        self.path = str(path)
        self._local = threading.local()
        self._thread_lock = threading.Lock()

    @contextlib.contextmanager
    def hold(self, timeout=60.0):
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        deadline = time.monotonic() + timeout
        if not self._thread_lock.acquire(timeout=max(timeout, 0.001)):
            raise IndexBusy(f"search index busy: {self.path}")
        fd = None
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            delay = 0.005
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(f"search index busy: {self.path}") from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
            self._local.depth = 1
            try:
                yield
            finally:
                self._local.depth = 0
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            if fd is not None:
                os.close(fd)
            self._thread_lock.release()

    def is_held(self):
        """True when some process or thread (this one included) holds the lock now."""
        if getattr(self._local, "depth", 0):
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)


class IndexStore:
    """One index directory (see the module docstring)."""

    KEEP_OLD_GENERATIONS = 2

    def __init__(self, path, schema_factory, lock_timeout=60.0):
        self.root = Path(path)
        self.root.mkdir(parents=True, exist_ok=True)
        self.schema_factory = schema_factory
        self.lock_timeout = lock_timeout
        self.write_lock = _FileLock(self.root / "write.lock")
        self.rebuild_lock = _FileLock(self.root / "rebuild.lock")
        self.current_link = self.root / "current"
        self.journal_path = self.root / "rebuild.journal"
        self.deferred_path = self.root / "deferred.journal"
        self._local = threading.local()

    # --- generations ------------------------------------------------------------

    def _new_generation(self):
        name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path = self.root / name
        path.mkdir()
        whoosh_index.create_in(str(path), self.schema_factory(), indexname=INDEX_NAME)
        return path

    def current_path(self):
        """Directory of the live generation, created on first use."""
        try:
            return self.root / os.readlink(self.current_link)
        except FileNotFoundError:
            pass
        with self.write_lock.hold(self.lock_timeout):
            try:
                return self.root / os.readlink(self.current_link)
            except FileNotFoundError:
                path = self._new_generation()
                self._point_current_to(path)
                return path

    def _point_current_to(self, path):
        tmp = self.root / f".current-{uuid.uuid4().hex}"
        os.symlink(path.name, tmp)
        os.replace(tmp, self.current_link)

    def open(self, path=None):
        return whoosh_index.open_dir(str(path or self.current_path()), indexname=INDEX_NAME)

    def swap_to(self, path):
        """Make ``path`` the live generation and prune old ones (call under write_lock)."""
        old = None
        try:
            old = os.readlink(self.current_link)
        except FileNotFoundError:
            pass
        self._point_current_to(path)
        gens = sorted(
            (p for p in self.root.glob("gen-*") if p.name not in (path.name, old)),
            key=lambda p: p.stat().st_mtime,
        )
        for stale in gens[: max(0, len(gens) - (self.KEEP_OLD_GENERATIONS - 1))]:
            shutil.rmtree(stale, ignore_errors=True)

    def reset(self):
        """Replace the live index by an empty one."""
        with self.write_lock.hold(self.lock_timeout):
            self.swap_to(self._new_generation())
        self.close()

    # --- writing ------------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, journal_entries=None):
        """A Whoosh writer on the live index, holding the write lock.

        ``journal_entries`` (list of dicts) are recorded for a running rebuild so
        that the new generation receives them too."""
        with self.write_lock.hold(self.lock_timeout):
            ix = self.open()
            writer = ix.writer(timeout=self.lock_timeout)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            else:
                writer.commit()
                if journal_entries:
                    self._journal(journal_entries)
            finally:
                ix.close()

    def _journal(self, entries):
        if not self.journal_path.exists():
            return
        if not self.rebuild_lock.is_held():
            # A rebuild died and left its journal behind.
            with contextlib.suppress(FileNotFoundError):
                self.journal_path.unlink()
            return
        with open(self.journal_path, "a", encoding="utf-8") as fh:
            for entry in entries:
                fh.write(json.dumps(entry) + "\n")

    def start_journal(self):
        with self.write_lock.hold(self.lock_timeout):
            self.journal_path.write_text("", encoding="utf-8")

    def take_journal(self):
        """Entries recorded since ``start_journal`` (call under write_lock); removes the journal."""
        try:
            lines = self.journal_path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        self.journal_path.unlink()
        return [json.loads(line) for line in lines if line.strip()]

    def defer(self, entries):
        """Record updates that could not be written now (lock timeout). Appends of
        short lines with O_APPEND are atomic, so no lock is needed."""
        data = "".join(json.dumps(e) + "\n" for e in entries).encode("utf-8")
        fd = os.open(self.deferred_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    def take_deferred(self):
        """Deferred updates, removed from disk (call under write_lock)."""
        if not self.deferred_path.exists():
            return []
        tmp = self.root / f".deferred-{uuid.uuid4().hex}"
        try:
            os.replace(self.deferred_path, tmp)
        except FileNotFoundError:
            return []
        try:
            lines = tmp.read_text(encoding="utf-8").splitlines()
        finally:
            tmp.unlink()
        return [json.loads(line) for line in lines if line.strip()]

    # --- reading ------------------------------------------------------------------

    def searcher(self):
        """A searcher for this thread on the latest commit of the live generation."""
        state = getattr(self._local, "state", None)
        path = self.current_path()
        if state is not None and state["path"] == path:
            searcher = state["searcher"]
            try:
                if searcher.up_to_date():
                    return searcher
            except (OSError, whoosh_index.EmptyIndexError):
                pass
            # Not Searcher.refresh(): it reuses segment readers whose deletion
            # lists are stale, so deleted documents would stay visible.
        if state is not None:
            with contextlib.suppress(Exception):
                state["searcher"].close()
        ix = self.open(path)
        searcher = ix.searcher(weighting=BM25F())
        searcher._academy_store = self
        self._local.state = {"path": path, "searcher": searcher}
        return searcher

    def holds(self, searcher):
        """Whether ``searcher`` is still this thread's open searcher (not closed for a newer one)."""
        state = getattr(self._local, "state", None)
        return state is not None and state["searcher"] is searcher

    #: Cached document sets per searcher (filters, frequent words).
    CACHE_SIZE = 256

    def cached(self, searcher, key, compute):
        """A value computed once per searcher (reset when the index changes)."""
        state = getattr(self._local, "state", None)
        if state is None or state["searcher"] is not searcher:
            return compute()
        cache = state.setdefault("cache", {})
        value = cache.get(key)
        if value is None:
            if len(cache) >= self.CACHE_SIZE:
                cache.clear()
            value = cache[key] = compute()
        return value

    def close(self):
        state = getattr(self._local, "state", None)
        if state is not None:
            with contextlib.suppress(Exception):
                state["searcher"].close()
            self._local.state = None
