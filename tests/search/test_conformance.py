"""modelsearch's own backend test suite (BackendTests, 120 tests) against
search.backends.whoosh and, on a PostgreSQL DATABASE_URL (CI's PostgreSQL pass),
search.backends.postgres, with the fixture kept in the repository (tests/search/conformance/).

It needs other settings (modelsearch's test app), so it runs in a subprocess:
``python -m django test search.conformance --settings=search.conformance_settings``.
It never skips a test: without the fixture it fails."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE_DIR = Path(os.environ.get("SEARCH_CONFORMANCE_DIR", REPO / "tests" / "search" / "conformance"))


def test_the_fixture_is_in_the_repository():
    assert (REPO / "tests" / "search" / "conformance" / "search.json").is_file()


def _on_postgres():
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


BACKENDS = [
    "whoosh",
    pytest.param("postgres", marks=pytest.mark.skipif(
        not _on_postgres(), reason="the PostgreSQL search backend needs a PostgreSQL DATABASE_URL")),
]


def _start(backend, folder):
    env = {**os.environ, "SEARCH_CONFORMANCE_DIR": str(FIXTURE_DIR), "PYTHONPATH": str(REPO),
           "SEARCH_CONFORMANCE_BACKEND": backend}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = folder / f"{backend}.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "django", "test", "search.conformance", "--settings=search.conformance_settings",
             "--noinput", "-v", "1"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
        )
    return proc, log


@pytest.fixture(scope="module")
def suites(request, tmp_path_factory):
    """Every selected backend's suite, started together (each in its own process, test
    database and index): {backend: (process, log)}; stopped at the end of the module."""
    folder = tmp_path_factory.mktemp("conformance")
    selected = [item.callspec.params["backend"] for item in request.session.items
                if item.module is request.module and hasattr(item, "callspec")
                and not any(m.name == "skipif" and m.args and m.args[0] for m in item.iter_markers())]
    running = {backend: _start(backend, folder) for backend in dict.fromkeys(selected)}
    yield running
    for proc, _log in running.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_modelsearch_backend_suite_passes(backend, suites):
    assert (FIXTURE_DIR / "search.json").is_file(), f"search conformance fixture missing: {FIXTURE_DIR}"
    proc, log = suites[backend]
    proc.wait(timeout=1800)
    output = log.read_text(encoding="utf-8", errors="replace")
    ran = re.search(r"Ran (\d+) tests?", output)
    assert proc.returncode == 0 and re.search(r"^OK\b", output, re.M), output[-8000:]
    assert ran and int(ran.group(1)) >= 100, output[-8000:]
    assert "skipped" not in output.split("Ran")[-1], output[-3000:]
