"""Fast checks of the deployment helpers: the generated secret key, the dev server guard."""
import importlib.util
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from config import secret_key
from tests.deploy.servers import ROOT


def test_secret_key_is_generated_once_and_reused(tmp_path):
    key = secret_key.load_or_create(tmp_path)
    path = tmp_path / "secret_key"
    assert len(key) >= 50 and path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key.load_or_create(tmp_path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"], "no temporary file left behind"


def test_concurrent_first_starts_agree_on_one_key(tmp_path):
    keys = []
    threads = [threading.Thread(target=lambda: keys.append(secret_key.load_or_create(tmp_path))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1


def test_a_damaged_key_file_is_replaced(tmp_path):
    (tmp_path / "secret_key").write_text("short")
    assert len(secret_key.load_or_create(tmp_path)) >= 50


def _manage():
    spec = importlib.util.spec_from_file_location("academy_manage", ROOT / "manage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("addr", ["", "8000", "127.0.0.1:8000", "localhost:8000", "[::1]:8000", "::1"])
def test_dev_runserver_on_loopback_is_allowed(addr, settings):
    settings.DEBUG = True
    _manage().refuse_public_runserver(["manage.py", "runserver", *([addr] if addr else [])])


@pytest.mark.parametrize("addr", ["0.0.0.0:8000", "0:8000", "[::]:8000", "192.168.1.5:8000", "academy.lan"])
def test_dev_runserver_on_other_interfaces_is_refused(addr, settings):
    settings.DEBUG = True
    with pytest.raises(SystemExit, match="refused, DEBUG is on"):
        _manage().refuse_public_runserver(["manage.py", "runserver", addr])
    settings.DEBUG = False
    _manage().refuse_public_runserver(["manage.py", "runserver", addr])


def test_the_test_settings_remove_the_data_folder_they_made(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ACADEMY_DATA_DIR"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", PYTHONPATH=f"{ROOT / 'site'}:{ROOT}")
    code = ("import django; django.setup(); from django.conf import settings; import pathlib;"
            "d = pathlib.Path(settings.DATA_DIR); (d / 'probe').write_text('x'); print(d)")
    made = subprocess.run([sys.executable, "-c", code], env=env, text=True, capture_output=True, check=True)
    folder = Path(made.stdout.strip())
    assert folder.name.startswith("academy-test-")
    assert not folder.exists(), "the throwaway data folder outlived its run"

    env["ACADEMY_DATA_DIR"] = str(tmp_path)  # a folder given from outside is never removed
    subprocess.run([sys.executable, "-c", code], env=env, text=True, capture_output=True, check=True)
    assert (tmp_path / "probe").exists()
