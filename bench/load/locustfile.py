"""Officers taking the same exam: start at once, autosave answers, submit.

Each officer opens the exam page as soon as locust spawns it (all of them in the same
second), then waits for the exam to open: when every officer has the page (or
BENCH_OPEN_WAIT seconds after the first one got it), all of them press 开始考试 together,
which is the start storm measured as "start" (the POST, which answers with the first
question; an earlier tree redirected to it, and the redirect's GET was part of "start"). An officer then reads that question for a think time before showing the whole paper
(整卷显示, which gives the bench every question's fields) and answering. BENCH_BARRIER=0
gives the earlier flow: exam page, start and whole paper one after another, no waiting.

Configured by run.py through the environment:
  BENCH_SETUP            setup JSON (exam id, officers with session keys, password)
  BENCH_ACK_OUT          where to write what the server acknowledged (for the lost-answer check)
  BENCH_ANSWER_SECONDS   how long each officer answers before submitting
  BENCH_THINK            "min-max" seconds between two answer saves of one officer
  BENCH_REAL_LOGINS      how many officers log in through the login form (the others reuse a
                         session created by the setup; see RESULTS.md on the password hasher)
  BENCH_USERS            how many officers there are (the opening waits for all of them)
  BENCH_BARRIER          1 (default): wait for the opening as above; 0: the earlier flow
  BENCH_OPEN_WAIT        the longest wait for the opening after the first exam page (default 300)
"""
import itertools
import json
import os
import random
import re
import time

import gevent
import gevent.event
from locust import HttpUser, between, events, task
from locust.clients import LocustHttpAdapter
from urllib3.util.retry import Retry
from locust.exception import StopUser

SETUP = json.loads(open(os.environ["BENCH_SETUP"], encoding="utf-8").read())
ANSWER_SECONDS = float(os.environ.get("BENCH_ANSWER_SECONDS", "120"))
THINK_MIN, THINK_MAX = (float(x) for x in os.environ.get("BENCH_THINK", "3-8").split("-"))
REAL_LOGINS = int(os.environ.get("BENCH_REAL_LOGINS", "0"))
EXAM = SETUP["exam_id"]
TIMEOUT = 120
USERS = int(os.environ.get("BENCH_USERS", "0"))
BARRIER = os.environ.get("BENCH_BARRIER", "1") == "1"
OPEN_WAIT = float(os.environ.get("BENCH_OPEN_WAIT", "300"))
#: Set when the exam "opens": every officer has its page, or OPEN_WAIT after the first did.
OPENED = gevent.event.Event()

_accounts = itertools.count()
#: (sitting id, position) -> [revision, response] of the last save answered 200
ACKED = {}
#: Wall-clock times (time.time()) of the opening and of each start that reached its first
#: question: run.py reads the storm's window from them and bills it the CPU used meanwhile.
STORM = {"opened_at": None, "started_at": []}
SUBMITTED = {}  # sitting id -> status the server reported
STATE = {"users": 0, "done": 0, "start_failed": 0, "stale": 0, "logins": 0, "waiting": 0}

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGE_URL_RE = re.compile(r'"pageUrl": "/exams/sittings/(\d+)/')
FIELD_RE = re.compile(r'name="q(\d+)-(choice|choices|level)" value="([^"]+)"')
SITTING_RE = re.compile(r"/exams/sittings/(\d+)/")


class Officer(HttpUser):
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self):
        STATE["users"] += 1
        self.done = False
        self.arrived = False
        # Like a browser, send a request once more on a new connection when the connection it
        # reused was closed under it before any answer came (the server's keep-alive ends while
        # an officer thinks; requests would report the request as failed). A save sent twice
        # is refused the second time by its revision, and counted as a failure.
        self.client.mount("http://", LocustHttpAdapter(pool_manager=None, max_retries=Retry(
            total=1, connect=1, read=1, status=0, other=0, redirect=0, allowed_methods=None,
            raise_on_redirect=False, raise_on_status=False)))
        idx = next(_accounts)
        account = SETUP["officers"][idx % len(SETUP["officers"])]
        try:
            if idx < REAL_LOGINS:
                self._login(account["username"])
            else:
                self.client.cookies.set("sessionid", account["session"])
            self._start()
        except Exception as exc:  # noqa: BLE001 - the officer could not start: counted
            if BARRIER:
                self._arrive()
            STATE["start_failed"] += 1
            STATE["done"] += 1
            events.request.fire(request_type="START", name="start failed", response_time=0, response_length=0,
                                exception=exc, context={})
            self.done = True
            self._maybe_quit()
            raise StopUser() from None
        self.end_at = time.monotonic() + ANSWER_SECONDS * random.uniform(0.9, 1.0)

    def _login(self, username):
        page = self.client.get("/accounts/login/", name="login form", timeout=TIMEOUT)
        token = CSRF_RE.search(page.text).group(1)
        with self.client.post("/accounts/login/", name="login", timeout=TIMEOUT, allow_redirects=False,
                              data={"username": username, "password": SETUP["password"],
                                    "csrfmiddlewaretoken": token}, catch_response=True) as resp:
            if resp.status_code != 302:
                resp.failure(f"login answered {resp.status_code}")
                raise RuntimeError("login failed")
        STATE["logins"] += 1

    def _start(self):
        try:
            detail = self.client.get(f"/exams/{EXAM}/", name="exam detail", timeout=TIMEOUT)
            detail.raise_for_status()
            token = CSRF_RE.search(detail.text).group(1)
        finally:
            self._wait_for_opening()
        self.csrf = token
        resp = self.client.post(f"/exams/{EXAM}/start/", name="start", data={"csrfmiddlewaretoken": token},
                                headers={"Referer": detail.url}, timeout=TIMEOUT)
        resp.raise_for_status()
        # The start shows the first question itself (an earlier tree redirected to it).
        m = SITTING_RE.search(resp.url) or PAGE_URL_RE.search(resp.text)
        if not m or 'class="question' not in resp.text:
            raise RuntimeError(f"start did not lead to a sitting's first question: {resp.url}")
        self.sitting = int(m.group(1))
        STORM["started_at"].append(time.time())
        if BARRIER:
            gevent.sleep(random.uniform(THINK_MIN, THINK_MAX))  # reading the first question
        paper = self.client.get(f"/exams/sittings/{self.sitting}/?all=1", name="paper (all)", timeout=TIMEOUT)
        paper.raise_for_status()
        self.csrf = self.client.cookies.get("csrftoken") or token
        fields = {}
        for pos, kind, value in FIELD_RE.findall(paper.text):
            fields.setdefault(int(pos), [kind, []])[1].append(value)
        if not fields:
            raise RuntimeError("no questions on the paper")
        self.fields = fields
        self.revision = {pos: 0 for pos in fields}

    def _arrive(self):
        """Count this officer as ready for the opening (also one whose login or exam page
        failed, so that the others do not wait for it)."""
        if self.arrived:
            return
        self.arrived = True
        STATE["waiting"] += 1
        if STATE["waiting"] == 1:
            gevent.spawn_later(OPEN_WAIT, OPENED.set)
        if STATE["waiting"] >= USERS:
            OPENED.set()

    def _wait_for_opening(self):
        """Wait with the exam page open until the exam opens (see the module's docstring).
        The server closes a connection idle for longer than its keep-alive (5 s), so the
        officer then starts on a new one, as a browser does (requests would send the POST
        on the closed connection and fail instead of retrying it)."""
        if BARRIER:
            self._arrive()
            OPENED.wait()
            if STORM["opened_at"] is None:
                STORM["opened_at"] = time.time()
            for adapter in self.client.adapters.values():
                adapter.close()

    @task
    def answer(self):
        if self.done:
            return
        if time.monotonic() >= self.end_at:
            self._submit()
            return
        pos = random.choice(list(self.fields))
        kind, values = self.fields[pos]
        if kind == "choices":
            response = {"choices": sorted(random.sample(values, random.randint(1, len(values))))}
        else:
            response = {kind: random.choice(values)}
        body = {"position": pos, "revision": self.revision[pos], "response": response}
        with self.client.post(f"/exams/sittings/{self.sitting}/answer/", name="autosave", json=body,
                              headers={"X-CSRFToken": self.csrf}, timeout=TIMEOUT, catch_response=True) as resp:
            if resp.status_code == 200:
                rev = resp.json()["revision"]
                self.revision[pos] = rev
                ACKED[(self.sitting, pos)] = [rev, response]
            elif resp.status_code == 409:
                data = resp.json()
                STATE["stale"] += 1
                if "revision" in data:
                    self.revision[pos] = data["revision"]
                resp.failure(f"409 {data.get('error')}")
            else:
                resp.failure(f"HTTP {resp.status_code}")

    def _submit(self):
        with self.client.post(f"/exams/sittings/{self.sitting}/submit/", name="submit",
                              data={"csrfmiddlewaretoken": self.csrf},
                              headers={"X-CSRFToken": self.csrf, "Accept": "application/json"},
                              timeout=TIMEOUT, catch_response=True) as resp:
            if resp.status_code == 200 and resp.json().get("ok"):
                SUBMITTED[self.sitting] = resp.json().get("status")
            else:
                resp.failure(f"submit answered {resp.status_code}")
        self.done = True
        STATE["done"] += 1
        self._maybe_quit()
        raise StopUser()

    def _maybe_quit(self):
        if STATE["done"] >= self.environment.parsed_options.num_users:
            gevent.spawn_later(1.0, self.environment.runner.quit)


@events.quitting.add_listener
def _dump(environment, **kw):
    out = os.environ.get("BENCH_ACK_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            json.dump({"acked": [[s, p, rev, resp] for (s, p), (rev, resp) in ACKED.items()],
                       "submitted": SUBMITTED, "state": STATE, "storm": STORM}, fh)
