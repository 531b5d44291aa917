"""Benchmark of 我的学习 for an officer with many assigned courses.

    .venv/bin/python bench/courses.py                 # 50 assigned courses, 4 lessons each
    BENCH_COURSES=200 .venv/bin/python bench/courses.py

Measures in one run, on a fresh database in a temporary data folder:
1. GET /learning/ (我的学习) and GET / (dashboard with the 我的学习 panel) with
   N assigned courses: median and p95 time over repeated requests, and the query count;
2. the same with 5 assigned courses (the baseline): the query count must be equal;
3. a course page with 4 and with 20 lessons (query count must be equal).
"""
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("ACADEMY_DATA_DIR", tempfile.mkdtemp(prefix="bench-courses-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

N_COURSES = int(os.environ.get("BENCH_COURSES", 50))
N_BASELINE = 5
N_LESSONS = 4
REPEAT = int(os.environ.get("BENCH_REPEAT", 30))


class QueryCounter:
    """Counts every SQL statement run through the connection (an execute wrapper)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def measure(client, url, repeat=REPEAT):
    client.get(url)  # warm up
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"queries": counter.n, "median_ms": statistics.median(times),
            "p95_ms": times[max(0, int(len(times) * 0.95) - 1)]}


def build_officer(units, username, n_courses, make_user, make_course, lessons_of, open_long_ago, complete_course):
    from courses.models import Assignment

    user = make_user(unit=units["SZ-JB-01"], username=username)
    officer = user.officer
    prerequisite = make_course(title=f"{username} 先修课", n_lessons=1)
    complete_course(officer, prerequisite)
    today = timezone.localdate()
    for i in range(n_courses):
        course = make_course(title=f"{username} 课程 {i + 1}", n_lessons=N_LESSONS,
                             prerequisites=[prerequisite] if i % 3 == 0 else ())
        Assignment.objects.create(course=course, unit=units["SZ-JB"] if i % 2 else units["SZ-JB-01"],
                                  due_date=today + datetime.timedelta(days=i - 3))
        lessons = lessons_of(course)
        if i % 4 == 0:
            complete_course(officer, course)
        elif i % 4 == 1:
            open_long_ago(officer, lessons[0], course)
    return user


def keep_connection_open():
    """Like the test client in the test suite: one connection for the whole run (the
    per-request close would also reset the captured query log)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)


def main():
    keep_connection_open()
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database ready in {time.perf_counter() - t0:.1f}s")
    from tests.courses.factories import complete_course, lessons_of, make_course, open_long_ago
    from tests.factories import make_units, make_user

    units = make_units()
    t0 = time.perf_counter()
    helpers = (make_user, make_course, lessons_of, open_long_ago, complete_course)
    base_user = build_officer(units, "bench_base", N_BASELINE, *helpers)
    big_user = build_officer(units, "bench_big", N_COURSES, *helpers)
    print(f"data: {N_BASELINE} + {N_COURSES} assigned courses × {N_LESSONS} lessons, "
          f"built in {time.perf_counter() - t0:.1f}s")

    results = {}
    for label, user in ((f"{N_BASELINE} courses (baseline)", base_user), (f"{N_COURSES} courses", big_user)):
        client = Client()
        client.force_login(user)
        results[label] = {"/learning/": measure(client, "/learning/"), "/": measure(client, "/")}

    print(f"\n{'page':<14}{'assigned':<26}{'queries':>8}{'median ms':>12}{'p95 ms':>10}")
    for label, pages in results.items():
        for url, r in pages.items():
            print(f"{url:<14}{label:<26}{r['queries']:>8}{r['median_ms']:>12.1f}{r['p95_ms']:>10.1f}")

    small_course = make_course(title="四课时课程", n_lessons=4)
    large_course = make_course(title="二十课时课程", n_lessons=20)
    client = Client()
    client.force_login(big_user)
    small = measure(client, small_course.url, repeat=10)
    large = measure(client, large_course.url, repeat=10)
    print(f"\ncourse page, 4 lessons:  {small['queries']} queries, median {small['median_ms']:.1f} ms")
    print(f"course page, 20 lessons: {large['queries']} queries, median {large['median_ms']:.1f} ms")

    (base_q, big_q) = [results[k]["/learning/"]["queries"] for k in results]
    ok = base_q == big_q and small["queries"] == large["queries"]
    print(f"\nquery counts constant: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
