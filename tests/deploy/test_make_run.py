"""`make run` keeps its steps and serves through gunicorn with the local settings
(the server itself is exercised in test_readme_production.py and bench/serve.py)."""
import subprocess

from .servers import ROOT


def _dry_run(*args):
    result = subprocess.run(["make", "--dry-run", "--always-make", "run", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_keeps_its_steps_and_serves_with_gunicorn():
    out = _dry_run("PORT=8765")
    steps = ["pip --disable-pip-version-check -q install -r requirements.txt", "manage.py migrate --noinput",
             "manage.py load_demo", "manage.py collectstatic --noinput",
             ".venv/bin/gunicorn --config site/config/gunicorn.py config.wsgi --bind 127.0.0.1:8765"]
    positions = [out.find(step) for step in steps]
    assert all(p >= 0 for p in positions), out
    assert positions == sorted(positions), "install, migrate, demo, static files, then the server"
    assert "runserver" not in out
    assert 'echo "  officer' in out, "the demo logins are printed"
    assert 'echo "  leader' in out, "the squad leader's login too"


def test_make_run_uses_the_local_settings_and_public_url():
    makefile = (ROOT / "Makefile").read_text()
    assert "run demo static: export DJANGO_SETTINGS_MODULE := config.settings.local" in makefile
    assert "ACADEMY_PUBLIC_URL ?= http://127.0.0.1:$(PORT)" in makefile
    assert "run demo static: export ACADEMY_PUBLIC_URL := $(ACADEMY_PUBLIC_URL)" in makefile
