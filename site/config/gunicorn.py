"""gunicorn settings for `make run` and production (README "Production"):

    .venv/bin/gunicorn --config site/config/gunicorn.py config.wsgi --bind 127.0.0.1:8000

Command-line options override what is set here; so do WEB_CONCURRENCY (workers) and
GUNICORN_THREADS (threads per worker) in the environment.

* Workers × threads: two worker processes per core (at most 8 by default), each with 2
  threads (``gthread``). Python runs one thread of a process at a time, so processes are
  what use the cores: while one waits on the database, the other process of its core runs.
  The second thread keeps a worker answering while one of its requests waits on the disk or
  a slow client (a certificate ZIP streaming, an export). More threads per process queue
  for the interpreter under load: 500 officers starting an exam at once on 2 cores
  (bench/load/RESULTS.md) waited longer with 4 processes of 4 threads, and longest with 2
  of 8. Each process holds its own copy of the search index's caches, and on SQLite is one
  more writer queuing on its single write lock.
* preload_app: the application is imported once in the master, which also loads jieba's
  dictionary, the URL patterns and the templates (config/warmup.py) before forking;
  workers share that memory. Each worker then opens the search index in every one of its
  request threads before it accepts a connection, so no request pays for a cold start.
"""
import os
import time
from pathlib import Path

_SITE_DIR = Path(__file__).resolve().parents[1]

# site/ (the project package `config`) and the repository root (the apps), whatever
# the working directory; config/wsgi.py does the same for other servers.
pythonpath = f"{_SITE_DIR},{_SITE_DIR.parent}"
wsgi_app = "config.wsgi:application"

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1), 8))
threads = int(os.environ.get("GUNICORN_THREADS") or 2)
preload_app = True
timeout = 60
graceful_timeout = 30
keepalive = 5
# No control socket: its default path ($HOME/.gunicorn/gunicorn.ctl) is shared by every
# gunicorn of the user (make run, the tests, benchmarks); nothing here uses it.
control_socket_disable = True
# gunicorn's own logs on stderr; the access log only when asked for (--access-logfile -).
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


#: ACADEMY_WARMUP=0 skips the warm-up (only to measure what it saves: bench/serve.py --no-warmup).
WARMUP = os.environ.get("ACADEMY_WARMUP", "1") != "0"


def _warmup(log):
    """config.warmup, or None (logged) when it cannot be imported: a warm-up never keeps
    the server from starting. Imported late on purpose: gunicorn reads this file before
    Django is set up, and config.warmup imports the project's apps."""
    try:
        from config import warmup  # deferred: needs the configured Django application (see above)
    except Exception:  # noqa: BLE001
        log.warning("warm-up skipped: config.warmup could not be imported", exc_info=True)
        return None
    return warmup


def _fmt(timings):
    return ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in timings.items())


def when_ready(server):
    """In the master, after the application was preloaded and before the first fork."""
    if not WARMUP or not server.cfg.preload_app:  # --no-preload: each worker warms up on its own
        return
    warmup = _warmup(server.log)
    if warmup is None:
        return
    started = time.perf_counter()
    timings = warmup.before_fork()
    server.log.info("warm-up before fork in %.0f ms: %s", (time.perf_counter() - started) * 1000, _fmt(timings))


def post_worker_init(worker):
    """In each worker, after it loaded the application and before it accepts connections."""
    if not WARMUP:
        return
    warmup = _warmup(worker.log)
    if warmup is None:
        return
    started = time.perf_counter()
    if not worker.cfg.preload_app:
        warmup.before_fork()
    timings = warmup.warm_threads(getattr(worker, "tpool", None), worker.cfg.threads)
    worker.log.info("worker %s warmed %d request threads in %.0f ms: %s", worker.pid, worker.cfg.threads,
                    (time.perf_counter() - started) * 1000, _fmt(timings))
