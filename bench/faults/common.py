"""Shared helpers of the fault scripts: a throwaway data folder and environment
(production settings through bench/load/settings.py, SQLite in the data folder unless
DATABASE_URL is given, the Whoosh search backend), manage.py and child processes."""
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PY = str(REPO / ".venv" / "bin" / "python")
RESULTS = HERE / "RESULTS.md"


def make_env(data_dir, database_url=None, **extra):
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.load.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "ACADEMY_DATA_DIR": str(data_dir),
        "BENCH_SEARCH": "whoosh",
        "BENCH_STATIC_ROOT": str(Path(tempfile.gettempdir()) / "academy-bench-static"),
        "PYTHONPATH": f"{REPO / 'site'}:{REPO}",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run(cmd, env, check=True, timeout=900):
    proc = subprocess.run(cmd, env=env, cwd=REPO, text=True, capture_output=True, timeout=timeout)
    if check and proc.returncode:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
        raise RuntimeError(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}")
    return proc


def manage(env, *args, check=True):
    return run([PY, "manage.py", *args], env, check=check)


def child(script, env, *args, check=True):
    """Run ``script --child ARGS`` (the script sets Django up itself)."""
    return run([PY, str(script), "--child", *args], env, check=check)


def django_setup():
    for p in (str(REPO / "site"), str(REPO)):
        if p not in sys.path:
            sys.path.insert(0, p)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.load.settings")
    import django

    django.setup()


def say(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def record(section, lines):
    """Replace ``section`` (a '## ' heading) in RESULTS.md with ``lines``."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Fault tests: results\n"
    head = f"## {section}"
    parts = text.split("\n## ")
    kept = [parts[0]] + [p for p in parts[1:] if not p.startswith(section)]
    body = "\n## ".join(kept).rstrip() + "\n\n" + head + "\n\n" + "\n".join(lines).rstrip() + "\n"
    RESULTS.write_text(body, encoding="utf-8")


def _migrations_key():
    import hashlib

    h = hashlib.sha256()
    for path in sorted(REPO.glob("*/migrations/*.py")) + sorted(REPO.glob("site/*/migrations/*.py")):
        h.update(f"{path.relative_to(REPO)}:{path.stat().st_size}:{path.stat().st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def migrated_sqlite(data_dir, env):
    """A migrated SQLite database in ``data_dir``: copied from a cache made by the first
    migrate of the same migration files (migrating takes a minute on a busy machine)."""
    import shutil
    import sqlite3

    cache = Path(tempfile.gettempdir()) / f"academy-bench-migrated-{_migrations_key()}.sqlite3"
    target = Path(data_dir) / "academy.sqlite3"
    if not cache.exists():
        manage(env, "migrate", "--noinput")
        con = sqlite3.connect(target)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        tmp = cache.with_suffix(".tmp")
        shutil.copyfile(target, tmp)
        os.replace(tmp, cache)
    else:
        shutil.copyfile(cache, target)
    return target
