"""Benchmark of the trainer's Wagtail admin pages on the demo data.

    .venv/bin/python bench/admin.py
    BENCH_REPEAT=50 .venv/bin/python bench/admin.py

On a fresh database in a temporary data folder (migrate, then load_demo as `make run`
does), signed in as the demo trainer, it requests each page repeatedly and reports the
median and p95 time, the process CPU time per request and the number of SQL statements:
the new case form, a case's edit form, a lesson's edit form, the page explorer of the case
index and the admin home. The baseline in the same run is the site's login page, which
does almost nothing but render a template. Aim (issue 17): each admin page ≤ 500 ms.
"""
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("ACADEMY_DATA_DIR", tempfile.mkdtemp(prefix="bench-admin-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", 20))
AIM_MS = 500


class QueryCounter:
    """Counts every SQL statement run through the connection (an execute wrapper)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def measure(client, url):
    response = client.get(url)  # warm up
    assert response.status_code == 200, (url, response.status_code)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        client.get(url)
    times, cpu = [], []
    for _i in range(REPEAT):
        c0, t0 = time.process_time(), time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    return {"median": statistics.median(times), "p95": times[math.ceil(len(times) * 0.95) - 1],
            "cpu": statistics.median(cpu), "queries": counter.n}


def main():
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    print(f"demo data loaded in {time.perf_counter() - t0:.0f} s; {REPEAT} requests per page, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    from casebank.models import CaseIndexPage, CasePage  # deferred: the apps are ready only after setup
    from courses.pages import LessonPage  # deferred: as above

    index = CaseIndexPage.objects.live().first()
    case = CasePage.objects.live().first()
    lesson = LessonPage.objects.live().first()
    pages = [
        ("baseline: login page (anonymous)", "/accounts/login/", False),
        ("admin home", "/cms/", True),
        ("new case form", reverse("wagtailadmin_pages:add", args=("casebank", "casepage", index.pk)), True),
        ("case edit form", reverse("wagtailadmin_pages:edit", args=(case.pk,)), True),
        ("lesson edit form", reverse("wagtailadmin_pages:edit", args=(lesson.pk,)), True),
        ("explorer of the case index", reverse("wagtailadmin_explore", args=(index.pk,)), True),
    ]
    trainer = get_user_model().objects.get(username="trainer")
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(trainer)
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8} {'queries':>8}")
    missed = []
    for label, url, as_trainer in pages:
        r = measure(signed_in if as_trainer else anonymous, url)
        print(f"{label:34} {r['median']:10.0f} {r['p95']:8.0f} {r['cpu']:8.0f} {r['queries']:8d}")
        if as_trainer and r["median"] > AIM_MS:
            missed.append(label)
    print("aim ≤ 500 ms (median): " + ("met" if not missed else "missed by " + ", ".join(missed)))


if __name__ == "__main__":
    main()
