"""The README's "Production" block works exactly as written.

The block is taken from README.md, only its placeholders are replaced (secret key,
DATABASE_URL, data folder, port), and it runs as a shell script (``sh -e``: any failing
step fails the test) in a clean environment on a fresh data folder: SQLite, and
PostgreSQL in a scratch database of its own when DATABASE_URL points at a PostgreSQL
server (CI's second `make test`, which leaves the SQLite deployment to the first: the
same block on the same embedded database). The server it names is then asked, as the documented
reverse proxy would (``Host`` and ``X-Forwarded-Proto: https``), for the login page,
a public 公示 page and a static file; then stopped. Each step's duration is written to
test-artifacts/readme-production-<database>.txt.

The block imports the whole statute library and indexes its articles: this takes
minutes (see the artifact), so the deployment is done once per database for all tests
of this module, which also serves `make run`'s local settings from the same folder.
"""
import os
import re
import secrets
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from .servers import (ROOT, clean_env, free_port, get, log_tail, production_block, start, stop, substitute,
                      wait_for)

pytestmark = pytest.mark.slow

HOST = "academy.example.gov.cn"
PUBLIC_URL = f"https://{HOST}"
PROXY = {"Host": HOST, "X-Forwarded-Proto": "https"}
ARTIFACTS = ROOT / "test-artifacts"
#: The statute import and the index build of 23,490 articles, on a busy 2-core machine.
READY_TIMEOUT = int(os.environ.get("ACADEMY_README_TEST_TIMEOUT", 3600))
STATIC_RE = rb'/static/css/academy\.[0-9a-f]{12}\.css'


def _postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def _create_scratch_database(url):
    """A database of its own on DATABASE_URL's server (never the test database); returns its URL and a dropper."""
    import psycopg  # deferred: psycopg is there only where PostgreSQL is
    from psycopg import sql

    name = f"academy_readme_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop():
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    return urlunsplit(urlsplit(url)._replace(path="/" + name)), drop


class Deployment:
    """The block run in a folder of its own: started, then waited for when a test needs it."""

    def __init__(self, label, database_url=""):
        self.label = label
        self.folder = Path(tempfile.mkdtemp(prefix=f"academy-readme-{label}-"))
        self.data_dir = self.folder / "data"
        self.port = free_port()
        self.log = self.folder / "production.log"
        self.secret = secrets.token_urlsafe(50)
        self.script = substitute(production_block(), {
            "DJANGO_SECRET_KEY=…": f"DJANGO_SECRET_KEY={self.secret}",
            "DATABASE_URL=postgres://…": f"DATABASE_URL={database_url}",
            "/srv/academy/data": str(self.data_dir),
            "127.0.0.1:8000": f"127.0.0.1:{self.port}",
        })
        self.proc = None
        self.started = None
        self.ready_after = None
        self.cleanups = []

    def start(self):
        path = self.folder / "production.sh"
        path.write_text(self.script, encoding="utf-8")
        # -e: a failing step ends the script; -x with timestamps only to time the steps
        # (bash ignores PS4 from the environment when run as root, so it is set inside).
        # It runs at a lower priority, so the tests that run meanwhile keep their pace.
        runner = r'PS4="+ [\$(date +%s.%N)] "; set -e -x; . "$1"'
        self.started = time.monotonic()
        self.proc = start(["nice", "-n", "10", "bash", "-c", runner, "bash", str(path)], env=clean_env(),
                          log_path=self.log)

    def wait(self):
        if self.ready_after is not None:
            return
        try:
            wait_for(self.proc, self.port, "/accounts/login/", PROXY, self.log, READY_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        self.ready_after = time.monotonic() - self.started
        self.write_timings()

    def write_timings(self):
        steps = re.findall(r"^\++ \[(\d+\.\d+)\] (.*)$", log_tail(self.log, 10**7), re.M)
        lines = [f"README production block on {self.label}: serving {self.ready_after:.0f} s after the start "
                 "(at a lower priority, beside the rest of the suite)",
                 f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", ""]
        for (t0, cmd), nxt in zip(steps, [*steps[1:], (f"{time.time():.3f}", "")]):
            cmd = re.sub(r"://([^:/@\s]+):[^@\s]+@", r"://\1:<password>@", cmd.replace(self.secret, "<secret>"))
            lines.append(f"{float(nxt[0]) - float(t0):8.1f} s  {cmd}")
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"readme-production-{self.label}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def stop(self):
        if self.proc is not None:
            stop(self.proc)
        while self.cleanups:
            self.cleanups.pop()()


def _new_deployment():
    """On PostgreSQL when DATABASE_URL names one (CI's second `make test`, which leaves the SQLite
    deployment to the first: the same block on the same embedded database), else on SQLite."""
    url = _postgres_url()
    if not url:
        deployment = Deployment("sqlite")
    else:
        database_url, drop = _create_scratch_database(url)
        deployment = Deployment("postgresql", database_url)
        deployment.cleanups.append(drop)
    deployment.cleanups.append(lambda: shutil.rmtree(deployment.folder, ignore_errors=True))
    deployment.start()
    return deployment


_STARTED = {}


def start_in_background(config):
    """Start the block as soon as the session's tests are collected (tests/conftest.py calls this
    when a test of this module is selected, and runs them last): it builds the statute library and
    its index for minutes while the rest of the suite runs."""
    if "deployment" not in _STARTED:
        _STARTED["deployment"] = _new_deployment()
        config.add_cleanup(_STARTED["deployment"].stop)


@pytest.fixture(scope="module")
def deployment():
    started = _STARTED.pop("deployment", None)
    active = started or _new_deployment()
    try:
        active.wait()
        yield active
    finally:
        active.stop()


@pytest.fixture(scope="module")
def sqlite_deployment(deployment):
    if deployment.label != "sqlite":
        pytest.skip("the SQLite deployment runs in the `make test` without DATABASE_URL (CI's first)")
    return deployment


@pytest.fixture(scope="module")
def postgres_deployment(deployment):
    if deployment.label != "postgresql":
        pytest.skip("DATABASE_URL is not a PostgreSQL URL (CI's second `make test` sets one)")
    return deployment


def test_the_block_keeps_its_documented_shape():
    block = production_block()
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in block
    assert "ACADEMY_PUBLIC_URL=https://" in block
    lines = [line for line in block.splitlines() if line.strip()]
    assert "gunicorn" in lines[-1] and "--bind 127.0.0.1:8000" in lines[-1], "the block ends by starting gunicorn"


def _check_serves(deployment):
    port = deployment.port
    status, headers, body = get(port, "/accounts/login/", PROXY)
    assert status == 200 and b'name="csrfmiddlewaretoken"' in body
    assert headers["Server"].startswith("gunicorn"), "the server the block names answers"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "Secure" in headers["Set-Cookie"], headers["Set-Cookie"]

    # The proxy's header is what production trusts: without it, HTTPS is enforced.
    status, headers, _ = get(port, "/accounts/login/", {"Host": HOST})
    assert status == 301 and headers["Location"] == f"{PUBLIC_URL}/accounts/login/"

    status, _h, page = get(port, "/public/powers/", PROXY)
    assert status == 200 and "权力清单".encode() in page, "the public 公示 page"

    static = re.search(STATIC_RE, body)
    assert static, "the login page links the stylesheet by its hashed name (WhiteNoise manifest)"
    status, headers, css = get(port, static.group(0).decode(), {**PROXY, "Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]

    status, _h, page = get(port, "/no-such-page/", PROXY)
    assert status == 404 and b"URLconf" not in page


def test_readme_production_block_on_sqlite(sqlite_deployment):
    _check_serves(sqlite_deployment)
    assert (sqlite_deployment.data_dir / "academy.sqlite3").exists()


def test_readme_production_block_on_postgresql(postgres_deployment):
    _check_serves(postgres_deployment)
    assert not (postgres_deployment.data_dir / "academy.sqlite3").exists()


# --- `make run`'s settings, served from the same folder ---------------------------------------------


def _local_env(deployment, **extra):
    return clean_env(DJANGO_SETTINGS_MODULE="config.settings.local", ACADEMY_DATA_DIR=str(deployment.data_dir),
                     **extra)


def _start_local(deployment, port, tag):
    log = deployment.folder / f"local-{tag}.log"
    proc = start([str(ROOT / ".venv/bin/gunicorn"), "--config", "site/config/gunicorn.py", "config.wsgi",
                  "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                 env=_local_env(deployment, ACADEMY_PUBLIC_URL=f"http://127.0.0.1:{port}"), log_path=log)
    try:
        wait_for(proc, port, "/accounts/login/", {}, log, 300)
    except BaseException:
        stop(proc)
        raise
    return proc, log


def test_local_settings_serve_like_production_over_plain_http(sqlite_deployment):
    deployment = sqlite_deployment
    key_file = deployment.data_dir / "secret_key"
    assert not key_file.exists(), "production never writes a key file"
    port = free_port()
    proc, log = _start_local(deployment, port, "1")
    try:
        key = key_file.read_text().strip()
        assert len(key) >= 50 and stat.S_IMODE(key_file.stat().st_mode) == 0o600

        status, headers, body = get(port, "/accounts/login/")
        assert status == 200, "plain HTTP on loopback, no redirect to https"
        assert "Secure" not in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
        assert headers["Strict-Transport-Security"] is None
        assert headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"

        status, _h, page = get(port, "/no-such-page/")
        assert status == 404 and b"URLconf" not in page and b"urlpatterns" not in page, "DEBUG is off"

        static = re.search(STATIC_RE, body).group(0).decode()
        status, headers, _css = get(port, static)
        assert status == 200 and "immutable" in headers["Cache-Control"]

        # Each worker logs its warm-up before it accepts a connection; the other may still be warming.
        deadline = time.monotonic() + 120
        while log_tail(log, 10**6).count("warmed 2 request threads") < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        text = log_tail(log, 10**6)
        assert "warm-up before fork" in text and text.count("warmed 2 request threads") == 2, text
    finally:
        stop(proc)

    # A second start reuses the key.
    proc, _log = _start_local(deployment, port, "2")
    stop(proc)
    assert key_file.read_text().strip() == key
    shown = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c",
                            "from django.conf import settings; print(settings.SECRET_KEY, settings.DEBUG)"],
                           cwd=ROOT, env=_local_env(deployment), capture_output=True, text=True, timeout=300)
    assert shown.stdout.split()[-2:] == [key, "False"], shown.stderr


def test_old_command_from_site_folder_still_imports(sqlite_deployment):
    """`cd site && gunicorn config.wsgi`: the WSGI module finds the apps itself."""
    env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.local", ACADEMY_DATA_DIR=str(sqlite_deployment.data_dir))
    result = subprocess.run(["../.venv/bin/gunicorn", "config.wsgi", "--check-config"], cwd=ROOT / "site", env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No module named" not in result.stderr
