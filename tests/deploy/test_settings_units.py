"""Fast checks of the deployment helpers: the generated secret key, the dev server guard."""
import importlib.util
import stat
import threading

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
