"""Load what the first requests would otherwise pay for, before the server accepts them.

Called by the gunicorn hooks in config/gunicorn.py:

* ``before_fork()`` in the master, once the application is preloaded: jieba's dictionary
  and the reviewers' domain terms (search.analysis.warm_up), every URL pattern and view
  module, the templates every page extends, and a few searches (the search code's
  imports and process-wide caches), and the posting lists of the library's most frequent
  words (WhooshSearchBackend.preload). Workers share these pages of memory with the master
  (fork, copy-on-write). The master's searcher and database connections are closed
  afterwards: open files and connections must never be shared with forked processes.
  Last, everything allocated so far is moved out of the garbage collector's sight
  (``gc.freeze()``): the ~200,000 long-lived objects (jieba's dictionary, modules,
  templates) would otherwise be traversed by every full collection in every worker, a
  pause of several hundred milliseconds in the middle of some request.
* ``request_thread()`` in every request thread of every worker, before the worker accepts
  a connection: a Whoosh searcher on the live index for that thread (searchers are
  per thread, search.backends.store) with the term sets of a common query, and the
  thread's database connection.

Warm-up never stops a server from starting: anything that fails is logged and skipped.
This module is imported once Django is set up (it imports the project's apps); the
gunicorn hooks import it late for that reason.
"""
import gc
import logging
import threading
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation
from wagtail.search.backends import get_search_backend

from search import analysis, service
from search.backends.whoosh import WhooshSearchBackend

logger = logging.getLogger("academy.warmup")

#: Searched in the master before forking, the first also once per request thread: common
#: words of the statute library, so their posting lists and term sets are in memory
#: before an officer's first search.
QUERIES = ("行政处罚 罚款", "城市管理 占道经营", "责令改正 违法建设")

#: Templates almost every page renders (the cached template loader keeps them compiled).
TEMPLATES = ("base.html", "403.html", "404.html", "500.html", "officers/login.html",
             "portal/landing.html", "portal/dashboard.html", "search/search.html")


def _step(name, func, timings):
    started = time.perf_counter()
    try:
        func()
    except Exception:  # noqa: BLE001 - a warm-up must never keep the server from starting
        logger.warning("warm-up: %s failed", name, exc_info=True)
    timings[name] = time.perf_counter() - started


def _search_dictionaries():
    analysis.warm_up()


def _urls():
    def walk(patterns):
        for p in patterns:
            walk(getattr(p, "url_patterns", ()))

    walk(get_resolver().url_patterns)


def _templates():
    for name in TEMPLATES:
        get_template(name)


def _translations():
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("首页")


def _search(queries=QUERIES[:1]):
    user = AnonymousUser()
    for q in queries:
        service.run_search(user, q, kind="statute")


def _frequent_words():
    backend = get_search_backend()
    if isinstance(backend, WhooshSearchBackend):
        terms, postings = backend.preload()
        logger.info("warm-up: posting lists of the %d most frequent words (%d postings) in memory", terms, postings)


def _close_searcher():
    """Close this thread's searcher of every Whoosh index store (its open files)."""
    for store in WhooshSearchBackend._stores.values():
        store.close()


def before_fork():
    """Process-wide warm-up in the gunicorn master (preload_app). Returns {step: seconds}."""
    timings = {}
    _step("search dictionaries (jieba + domain terms)", _search_dictionaries, timings)
    _step("url patterns and views", _urls, timings)
    _step("templates", _templates, timings)
    _step("translations", _translations, timings)
    _step("searches", lambda: _search(QUERIES), timings)
    _step("frequent words", _frequent_words, timings)
    _step("close searcher", _close_searcher, timings)
    connections.close_all()
    _step("gc freeze", _freeze, timings)
    return timings


def _freeze():
    gc.collect()
    gc.freeze()


def _database():
    connection.ensure_connection()


def request_thread():
    """Per-thread warm-up (search index, database connection). Returns {step: seconds}."""
    timings = {}
    _step("search index", _search, timings)
    _step("database connection", _database, timings)
    return timings


def warm_threads(executor, threads, timeout=60.0):
    """Run request_thread() once on each of ``threads`` threads of ``executor`` (a
    ThreadPoolExecutor that has not run anything yet): a barrier keeps every task waiting
    until all have a thread of their own. Returns the slowest thread's {step: seconds}."""
    if threads <= 1 or executor is None:
        return request_thread()
    barrier = threading.Barrier(threads)

    def task():
        try:
            barrier.wait(timeout)
        except threading.BrokenBarrierError:
            pass
        return request_thread()

    futures = [executor.submit(task) for _ in range(threads)]
    results = [f.result(timeout + 60) for f in futures]
    return max(results, key=lambda r: sum(r.values()))
