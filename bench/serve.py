"""Latency of `make run`'s own server, measured from outside as a browser would see it.

    .venv/bin/python bench/serve.py                    # 200 requests per URL
    .venv/bin/python bench/serve.py --requests 500 --port 8765

Starts ``make run PORT=<free port>`` (so exactly what a newcomer gets: install, migrate,
demo, collectstatic, gunicorn with its warm-up; the first run loads the demo and builds
the search index, later runs start in seconds), waits for the login page, signs in as the
demo ``officer`` over HTTP and times N requests per URL one after another on one
keep-alive connection: the statute search API with N different queries, every officer
page of the navigation (and a case, a course, a law, a power-list item), and, as
baselines in the same run, a static file (WhiteNoise, hashed name) and the login page.
The server's CPU time (master and workers, from /proc) is read before and after each URL.
The very first request of each URL is reported on its own (it includes per-URL imports
and caches that the warm-up does not cover). Then the server is stopped.

Then known-item queries (``--known N``, default 100): N articles in force drawn at random
from the served library (all 效力级别), each asked for as "<law short name> <a clause of
its text>" through /api/search/?type=statute; recall@10 counts the article among the
first ten results (law and article number), with the latency of those queries.

Targets (issues 12 and 13): search API p95 <= 60 ms, every officer page p95 <= 150 ms,
known-item recall@10 >= 0.98. Exit status 1 if one is missed.
"""
import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEARCH_P95_MS = 60
PAGE_P95_MS = 150
RECALL_AT_10 = 0.98

#: Statute searches an officer would type (two-word queries, article lookups, single terms).
QUERIES = [
    "行政处罚 罚款", "占道经营", "违法建设 拆除", "噪声 夜间施工", "户外广告 设置", "市容环境卫生",
    "建筑垃圾 运输", "渣土车 撒漏", "餐饮 油烟", "扬尘 工地", "责令改正", "没收违法所得", "听证 告知",
    "行政强制 查封", "扣押 财物", "陈述 申辩", "当场 处罚", "简易程序", "证据 先行登记保存", "行政复议 期限",
    "城市绿化 损坏", "燃气 安全", "排水 许可", "道路 挖掘", "露天 烧烤", "限期拆除", "强制拆除 公告",
    "无照经营", "共享单车 停放", "盲道 占用", "消防 通道", "生活垃圾 分类", "临时建筑 期限", "广告牌 安全",
    "违法所得 计算", "罚款 数额", "首违不罚", "从轻 减轻 处罚", "管辖 地域", "送达 方式", "执法 人员 出示证件",
    "行政处罚法 第三十三条", "城乡规划法 第六十四条", "环境噪声", "大气污染防治", "固体废物 污染",
    "城市道路 占用", "园林 绿地", "户外 设施", "施工 许可",
]

#: Pages of the officer's navigation and what they link to (found at run time).
OFFICER_PAGES = ["/", "/learning/", "/courses/", "/exams/", "/exams/wrong/", "/my/qualification/", "/me/", "/cases/",
                 "/statutes/", "/powers/", "/benchmarks/", "/learning/sessions/", "/search/?q=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A"]  # q=行政处罚


def reference_loop():
    """CPU seconds of a fixed pure-Python loop in this process: how fast the machine runs
    Python right now (it grows when other processes share the cores)."""
    started = time.process_time()
    sum(range(10_000_000))
    return time.process_time() - started


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values))) - 1))]


# --- a small HTTP client: one keep-alive connection, cookies ---------------------------------


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.conn = None

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self.conn

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            conn = self._connection()
            try:
                started = time.perf_counter()
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - started
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn = None
                if attempt == 2:
                    raise
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.conn = None
        return resp.status, resp.headers, data, elapsed

    def get(self, path):
        return self.request("GET", path)

    def login(self, username, password):
        status, _h, page, _t = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
        status, headers, _d, _t = self.request("POST", "/accounts/login/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/accounts/login/"})
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {username} failed (HTTP {status})")


# --- the server ---------------------------------------------------------------------------


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def descendants(pid):
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children(p):
            found.append(c)
            todo.append(c)
    return found


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def cpu_seconds(pids):
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def server_pids(make_pid):
    """The gunicorn master started by `make run` and its workers."""
    return [p for p in descendants(make_pid) if "gunicorn" in cmdline(p)]


def start_server(port, log_path, warmup=True):
    log = open(log_path, "w")
    env = dict(os.environ, PORT=str(port), ACADEMY_WARMUP="1" if warmup else "0")
    for name in ("DJANGO_SETTINGS_MODULE", "ACADEMY_PUBLIC_URL"):
        env.pop(name, None)
    return subprocess.Popen(["make", "run", f"PORT={port}"], cwd=REPO, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(proc, port, log_path, seconds):
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if proc.poll() is not None:
            sys.stderr.write(Path(log_path).read_text()[-5000:])
            raise SystemExit(f"make run exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return time.monotonic() - started
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"server not ready after {seconds} s (log: {log_path})")


def stop_server(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# --- the measurement ------------------------------------------------------------------------------


def discover(client):
    """A case, a course, a lesson, an exam, a law and a power-list item the officer can open."""
    found = []
    for index, pattern in (("/cases/", rb'href="(/cases/[a-z0-9-]+/)"'),
                           ("/learning/", rb'href="(/courses/[^"/?#]+/)"'),
                           ("/learning/", rb'href="(/courses/[^"/?#]+/[^"/?#]+/)"'),
                           ("/", rb'href="(/exams/[0-9]+/)"'),
                           ("/statutes/", rb'href="(/statutes/[^"/?#]+/)"'),
                           ("/benchmarks/", rb'href="(/benchmarks/[^"/?#]+/)"'),
                           ("/powers/", rb'href="(/powers/[^"/?#]+/)"')):
        status, _h, page, _t = client.get(index)
        match = re.search(pattern, page) if status == 200 else None
        if match:
            found.append(match.group(1).decode())
    return found


def known_item_queries(n, seed=7):
    """(query, law full name, article number) for n in-force articles of the served library, read
    straight from `make run`'s SQLite database (read-only); [] when it is elsewhere."""
    db = REPO / "data" / "academy.sqlite3"
    if os.environ.get("DATABASE_URL") or not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT a.number, a.text, l.short_name, l.full_name FROM casebank_article a "
            "JOIN casebank_law l ON l.id = a.law_id WHERE a.law_status = 'in_force' AND a.number IS NOT NULL "
            "ORDER BY a.id").fetchall()
    finally:
        conn.close()
    rng = random.Random(seed)
    queries = []
    for number, text, short_name, full_name in rng.sample(rows, min(n, len(rows))):
        clauses = [c for c in text.replace("；", "，").replace("。", "，").split("，") if 6 <= len(c) <= 30]
        clause = rng.choice(clauses) if clauses else text[:20]
        queries.append((f"{short_name or full_name} {clause}", full_name, number))
    return queries


def measure_known_items(client, queries):
    hits, times = 0, []
    for text, law, number in queries:
        path = f"/api/search/?{urllib.parse.urlencode({'q': text, 'type': 'statute'})}"
        status, _h, body, elapsed = client.get(path)
        times.append(elapsed * 1000)
        results = json.loads(body)["results"] if status == 200 else []
        hits += any(r.get("law") == law and r.get("article") == number for r in results[:10])
    return {"recall": hits / len(queries), "p50": statistics.median(times), "p95": pct(times, 95), "n": len(queries)}


def measure(client, pids, label, paths, n):
    first_status, _h, _d, first = client.get(paths[0])
    cpu_before = cpu_seconds(pids)
    times, statuses = [], set()
    for i in range(n):
        status, _h, _d, elapsed = client.get(paths[i % len(paths)])
        statuses.add(status)
        times.append(elapsed * 1000)
    cpu = (cpu_seconds(pids) - cpu_before) / n * 1000
    return {"label": label, "first": first * 1000, "p50": statistics.median(times), "p95": pct(times, 95),
            "max": max(times), "cpu": cpu, "status": ",".join(map(str, sorted(statuses | {first_status})))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per URL (default 200)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--known", type=int, default=100, help="known-item queries (default 100)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="start the server without its warm-up (ACADEMY_WARMUP=0), to see what it saves")
    parser.add_argument("--ready-timeout", type=int, default=3600,
                        help="seconds to wait for make run (the first run loads the demo and builds the index)")
    args = parser.parse_args()
    n = args.requests
    port = args.port or free_port()
    password = os.environ.get("DEMO_PASSWORD", "Academy-Demo-2026")
    log_path = Path(tempfile.gettempdir()) / f"academy-bench-serve-{port}.log"

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores); "
          f"reference loop {reference_loop():.3f} s CPU")
    print(f"make run PORT={port} (log: {log_path}) …", flush=True)
    proc = start_server(port, log_path, warmup=not args.no_warmup)
    try:
        ready = wait_ready(proc, port, log_path, args.ready_timeout)
        pids = server_pids(proc.pid)
        warm = [line.split("] ", 2)[-1] for line in Path(log_path).read_text().splitlines() if "warm" in line]
        workers = max(0, len(pids) - 1)
        print(f"serving after {ready:.1f} s: gunicorn master + {workers} workers")
        for line in warm:
            print(f"  {line}")

        anon = Client(port)
        _s, _h, login_page, _t = anon.get("/accounts/login/")
        static_path = re.search(rb'(/static/css/academy\.[0-9a-f]{12}\.css)', login_page)
        static_path = static_path.group(1).decode() if static_path else "/static/css/academy.css"

        officer = Client(port)
        officer.login("officer", password)
        api = [f"/api/search/?{urllib.parse.urlencode({'q': q, 'type': 'statute'})}" for q in QUERIES]

        rows = [
            measure(anon, pids, f"baseline: static file {static_path}", [static_path], n),
            measure(anon, pids, "baseline: login page (anonymous)", ["/accounts/login/"], n),
            measure(officer, pids, f"search API, type=statute ({len(QUERIES)} queries)", api, n),
        ]
        for path in OFFICER_PAGES + discover(officer):
            rows.append(measure(officer, pids, f"officer {urllib.parse.unquote(path)}", [path], n))
        known_queries = known_item_queries(args.known)
        known = measure_known_items(officer, known_queries) if known_queries else None
    finally:
        stop_server(proc)

    print(f"\n{n} requests per URL, one after another on one keep-alive connection; times in ms; "
          f"CPU = server CPU ms per request (master + workers)")
    print(f"{'URL':58} {'status':>7} {'first':>7} {'p50':>7} {'p95':>7} {'max':>7} {'CPU':>6}")
    for r in rows:
        print(f"{r['label'][:58]:58} {r['status']:>7} {r['first']:7.1f} {r['p50']:7.1f} {r['p95']:7.1f} "
              f"{r['max']:7.1f} {r['cpu']:6.1f}")
    search = [r for r in rows if r["label"].startswith("search API")]
    pages = [r for r in rows if r["label"].startswith("officer ")]
    worst = max(pages, key=lambda r: r["p95"])
    ok_search = all(r["p95"] <= SEARCH_P95_MS for r in search)
    ok_pages = worst["p95"] <= PAGE_P95_MS
    bad_status = [r["label"] for r in rows if r["status"] != "200"]
    print(f"\nsearch API p95 {search[0]['p95']:.1f} ms (target <= {SEARCH_P95_MS}): {'met' if ok_search else 'MISSED'}")
    print(f"slowest officer page p95 {worst['p95']:.1f} ms, {worst['label'][8:]} (target <= {PAGE_P95_MS}): "
          f"{'met' if ok_pages else 'MISSED'}")
    ok_known = True
    if known:
        ok_known = known["recall"] >= RECALL_AT_10 and known["p95"] <= SEARCH_P95_MS
        print(f"known-item queries ({known['n']} articles in force, e.g. {known_queries[0][0]!r}): "
              f"recall@10 {known['recall']:.3f} (target >= {RECALL_AT_10}), p50 {known['p50']:.1f} ms, "
              f"p95 {known['p95']:.1f} ms: {'met' if ok_known else 'MISSED'}")
    else:
        print("known-item queries skipped (the served database is not data/academy.sqlite3)")
    if bad_status:
        print(f"not HTTP 200: {', '.join(bad_status)}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"reference loop {reference_loop():.3f} s CPU")
    return 0 if ok_search and ok_pages and ok_known and not bad_status else 1


if __name__ == "__main__":
    sys.exit(main())
