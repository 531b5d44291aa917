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


@pytest.mark.slow
@pytest.mark.parametrize("backend", [
    "whoosh",
    pytest.param("postgres", marks=pytest.mark.skipif(
        not _on_postgres(), reason="the PostgreSQL search backend needs a PostgreSQL DATABASE_URL")),
])
def test_modelsearch_backend_suite_passes(backend):
    assert (FIXTURE_DIR / "search.json").is_file(), f"search conformance fixture missing: {FIXTURE_DIR}"
    env = {**os.environ, "SEARCH_CONFORMANCE_DIR": str(FIXTURE_DIR), "PYTHONPATH": str(REPO),
           "SEARCH_CONFORMANCE_BACKEND": backend}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "django", "test", "search.conformance", "--settings=search.conformance_settings",
         "--noinput", "-v", "1"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1800,
    )
    output = proc.stdout + proc.stderr
    ran = re.search(r"Ran (\d+) tests?", output)
    assert proc.returncode == 0 and re.search(r"^OK\b", output, re.M), output[-8000:]
    assert ran and int(ran.group(1)) >= 100, output[-8000:]
    assert "skipped" not in output.split("Ran")[-1], output[-3000:]
