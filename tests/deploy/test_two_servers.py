"""Two app servers on one PostgreSQL database, as a bureau runs them behind a load balancer:
same DATABASE_URL, the PostgreSQL search backend, one media folder, ACADEMY_APP_SERVERS=2.

* a page published through the first server is found through the second's /api/search/ at
  once (one search index, in the database), with the session of a login on the first
  (sessions are in the database too);
* ``manage.py update_index`` run beside the first server never empties the second's results
  (queried in a loop during the rebuild);
* an image uploaded through the first server is served by the second (shared MEDIA_ROOT).

Skipped unless DATABASE_URL is PostgreSQL; the servers get a database of their own."""
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import dj_database_url
import psycopg
import pytest

from tests import migrated_db
from tests.factories import PASSWORD

from .servers import ROOT, free_port, log_tail, start, stop, wait_for

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres_only,
    pytest.mark.skipif(not DATABASE_URL.startswith(("postgres://", "postgresql://")),
                       reason="two app servers share a PostgreSQL database (DATABASE_URL=postgres://…)"),
]
WORD = "双机检索验证词"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f3e8"
                    "1b0000000049454e44ae426082")


def _admin_url(name=None):
    conf = dj_database_url.parse(DATABASE_URL)
    dbname = name or conf["NAME"]
    return (f"postgresql://{conf['USER']}:{conf['PASSWORD']}@{conf['HOST'] or '127.0.0.1'}:"
            f"{conf['PORT'] or 5432}/{dbname}")


@pytest.fixture(scope="module")
def database(django_db_setup):
    """A fresh database for the two servers (dropped afterwards): a clone of the freshly migrated
    test database (tests/migrated_db.py) when there is one, else empty and migrated here."""
    name = f"{dj_database_url.parse(DATABASE_URL)['NAME']}_two_servers"
    template = migrated_db.template_name
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    yield {"url": _admin_url(name), "migrated": bool(template)}
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def env(database, tmp_path_factory):
    data = tmp_path_factory.mktemp("shared-data")  # one media folder for both servers
    return {**os.environ, "DATABASE_URL": database["url"], "ACADEMY_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "config.settings.test", "ACADEMY_SEARCH_BACKEND": "postgres",
            "ACADEMY_APP_SERVERS": "2", "ACADEMY_CACHE": "database", "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}"}


def manage(env, *args, timeout=900):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result.stdout


SETUP = f"""
from officers import roles
from tests.casebank.factories import make_case
from tests.factories import make_user
make_user(roles.ADMIN, username="admin2", superuser=True)
draft = make_case("{WORD}处罚案", live=False, summary="草稿：{WORD}，发布后两台服务器都能搜到。")
print("DRAFT", draft.pk)
"""


@pytest.fixture(scope="module")
def servers(database, env, tmp_path_factory):
    if not database["migrated"]:
        manage(env, "migrate", "--noinput")
    logs = tmp_path_factory.mktemp("logs")
    procs, ports = [], []
    try:
        # The two servers start while the shell writes the test's users and draft: three
        # independent processes on a migrated database, started together.
        for i in range(2):
            port = free_port()
            log = logs / f"server{i}.log"
            procs.append(start([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                               env=env, log_path=log))
            ports.append(port)
        out = manage(env, "shell", "-c", SETUP)
        draft = int(re.search(r"DRAFT (\d+)", out).group(1))
        for i, (proc, port) in enumerate(zip(procs, ports)):
            wait_for(proc, port, "/accounts/login/", {}, logs / f"server{i}.log", timeout=180)
        yield {"ports": ports, "draft": draft, "logs": logs}
    finally:
        for proc in procs:
            stop(proc)


class Browser:
    """Cookies for 127.0.0.1 whatever the port: a login on one server is a session on both."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, port, path, data=None, headers=None):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def csrf(self, port, path):
        status, body = self.open(port, path)
        assert status == 200, (path, status, body[:500])
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def post(self, port, path, fields, files=None):
        fields = {"csrfmiddlewaretoken": self.csrf(port, path), **fields}
        if not files:
            return self.open(port, path, urllib.parse.urlencode(fields).encode())
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, ctype) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f'Content-Type: {ctype}\r\n\r\n'.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.open(port, path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def search(self, port, q):
        status, body = self.open(port, "/api/search/?" + urllib.parse.urlencode({"q": q}))
        assert status == 200, body[:500]
        return json.loads(body)


@pytest.fixture(scope="module")
def browser(servers):
    first = servers["ports"][0]
    b = Browser()
    status, _body = b.post(first, "/accounts/login/", {"username": "admin2", "password": PASSWORD})
    assert status == 200
    return b


def test_a_page_published_through_one_server_is_found_through_the_other(servers, browser):
    first, second = servers["ports"]
    assert browser.search(second, WORD)["total"] == 0, "the draft is not searchable"
    path = f"/cms/bulk/wagtailcore/page/publish/?id={servers['draft']}&next=/cms/"
    status, body = browser.post(first, path, {})
    assert status == 200, body[:1000]
    found = browser.search(second, WORD)
    assert found["total"] == 1, found
    assert found["results"][0]["title"] == f"{WORD}处罚案"
    assert "<mark>" in found["results"][0]["snippet"]


def test_a_rebuild_never_empties_the_other_servers_results(servers, browser, env):
    first, second = servers["ports"]
    assert browser.search(second, WORD)["total"] == 1
    log = servers["logs"] / "update_index.log"
    rebuild = start([sys.executable, "manage.py", "update_index"], env=env, log_path=log)
    answers = []
    try:
        while rebuild.poll() is None:
            answers.append(browser.search(second, WORD)["total"])
            time.sleep(0.05)
    finally:
        stop(rebuild, timeout=600)
    assert rebuild.returncode == 0, log_tail(log)
    assert len(answers) >= 5, f"only {len(answers)} searches ran during the rebuild"
    assert set(answers) == {1}, answers
    assert browser.search(first, WORD)["total"] == 1


def test_an_image_uploaded_through_one_server_is_served_by_the_other(servers, browser, env):
    first, second = servers["ports"]
    # several collections exist (the trainers' 课程资料 and 案例资料), so the form asks for one
    out = manage(env, "shell", "-c", "from wagtail.models import Collection; "
                                     "print('ROOT', Collection.get_first_root_node().pk)")
    root = re.search(r"ROOT (\d+)", out).group(1)
    status, body = browser.post(first, "/cms/images/add/", {"title": "双机图片", "collection": root},
                                files={"file": ("two-servers.png", PNG, "image/png")})
    assert status == 200, body[:1000]
    out = manage(env, "shell", "-c",
                 "from wagtail.images import get_image_model; "
                 "print('FILE', get_image_model().objects.get(title='双机图片').file.name)")
    name = re.search(r"FILE (\S+)", out).group(1)
    status, content = browser.open(second, f"/media/{name}")
    assert status == 200 and content == PNG
