"""`manage.py check --deploy` is clean under production settings."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


#: Variables of the test run itself that a production process never has.
TEST_ONLY_ENV = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")


def _check(extra_env):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Zq8!pV3#mW9$rT6^yU2&iO5*eA1@sD4(fG7)hJ0",
        "DJANGO_ALLOWED_HOSTS": "academy.example.gov.cn",
        "ACADEMY_PUBLIC_URL": "https://academy.example.gov.cn",
    })
    env.update(extra_env)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _check({"ACADEMY_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret(tmp_path):
    env = {"ACADEMY_DATA_DIR": str(tmp_path), "DJANGO_SECRET_KEY": ""}
    result = _check(env)
    env_missing = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env_missing.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ACADEMY_DATA_DIR": str(tmp_path),
                        "DJANGO_ALLOWED_HOSTS": "a.example", "ACADEMY_PUBLIC_URL": "https://a.example"})
    missing = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env_missing,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode != 0 and "DJANGO_SECRET_KEY" in missing.stderr
    assert result.returncode != 0


def test_demo_loading_is_refused_under_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ACADEMY_DATA_DIR": str(tmp_path),
                "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "a.example",
                "ACADEMY_PUBLIC_URL": "https://a.example"})
    result = subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "disabled" in result.stderr
