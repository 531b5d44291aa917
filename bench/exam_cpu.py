"""Server CPU per request of an exam's hot paths (exam page, start, paper, answer save,
submit), measured in-process through the whole middleware stack, next to a baseline
measured in the same run.

    .venv/bin/python bench/exam_cpu.py                          # SQLite, this tree only
    .venv/bin/python bench/exam_cpu.py --baseline main           # and commit `main` as the baseline
    .venv/bin/python bench/exam_cpu.py --pg postgres://academy:academy@127.0.0.1:5432 --baseline main
    .venv/bin/python bench/exam_cpu.py --profile save            # cProfile of the saves (top 25)
    BENCH_PROFILE_OUT=/tmp/save.prof .venv/bin/python bench/exam_cpu.py --profile save   # and the whole profile

Each tree (this one, and with ``--baseline REF`` that commit, unpacked with ``git archive``)
runs in its own child process on its own throwaway database (SQLite in a temporary data
folder, or a ``load_cpu_*`` database created through ``--pg``, a superuser URL, from a
migrated template kept between runs, and dropped afterwards): migrate, the load test's data (bench/load/setup_data.py: officers with signed-in
sessions, one exam of 30 questions in random order with shuffled options), then for every
officer, one after another, as the browser does it: the exam page, start, the page the start
leads to (the first question; a start that answers with it has no separate first page, and
"start + first page" compares the pair either way), the whole paper (``?all=1``),
``--saves`` JSON answer saves (random question and option, with the revision counter) and
submit. Django's test client, CSRF checks on, production settings (bench/load/settings.py;
static files through the plain storage so that no collectstatic is needed), and, as in the
server's workers, everything allocated before the first request frozen out of the garbage
collector's sight (``gc.freeze()``).

Reported per kind of request: CPU milliseconds of this process (``time.process_time``: the
whole request through middleware, session, auth, CSRF, view, template, database driver; on
SQLite the database engine too), for PostgreSQL also the CPU of the connection's backend
process (``/proc/<pid>/stat``, summed over the phase and divided by its requests), and the
number of SQL queries. Wall time depends on what else runs on the machine, CPU time less so
(but cores shared with other processes also run slower: the reference loop printed before
and after shows by how much).
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = str(REPO / ".venv" / "bin" / "python")

PHASES = ["exam page", "start", "first page", "start + first page", "paper", "save", "submit"]
SITTING_RE = re.compile(r"/exams/sittings/(\d+)/")
FIELD_RE = re.compile(r'name="q(\d+)-(choice|choices|level)" value="([^"]+)"')


# --- parent: one child per tree, then the table ---------------------------------------------------


def unpack(ref):
    """The tree of ``ref`` in a temporary folder (git archive; the same virtualenv is used)."""
    out = Path(tempfile.mkdtemp(prefix="academy-cpu-base-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def pg_admin(url, sql):
    import psycopg

    with psycopg.connect(url.rstrip("/") + "/postgres", autocommit=True) as con:
        con.execute(sql)


def migrated_cache(code):
    """Where a migrated SQLite database of ``code``'s migrations is kept between runs
    (migrating takes minutes on a busy machine)."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted(code.glob("*/migrations/*.py")) + sorted(code.glob("site/*/migrations/*.py")):
        h.update(str(path.relative_to(code)).encode() + path.read_bytes())
    return Path(tempfile.gettempdir()) / f"academy-cpu-migrated-{h.hexdigest()[:16]}.sqlite3"


def pg_exists(url, dbname):
    import psycopg

    with psycopg.connect(url.rstrip("/") + "/postgres", autocommit=True) as con:
        return con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone() is not None


def run_child(label, code, args):
    data = Path(tempfile.mkdtemp(prefix=f"academy-cpu-{label}-"))
    cache = migrated_cache(code)
    if not args.pg and cache.exists():
        shutil.copyfile(cache, data / "academy.sqlite3")
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.load.settings",
        "DJANGO_SECRET_KEY": "bench-cpu-not-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "ACADEMY_DATA_DIR": str(data),
        "BENCH_SEARCH": "whoosh",
        "PYTHONPATH": f"{code / 'site'}:{code}",
        "BENCH_CPU_MIGRATED": str(cache),
    })
    env.pop("DATABASE_URL", None)
    dbname = None
    if args.pg:
        # A migrated template per set of migration files (kept: migrating takes minutes).
        template = "load_cpu_tpl_" + cache.stem.rsplit("-", 1)[-1]
        dbname = f"load_cpu_{label}_{os.getpid()}"
        pg_admin(args.pg, f"DROP DATABASE IF EXISTS {dbname}")
        env["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{dbname}"
        if not pg_exists(args.pg, template):
            pg_admin(args.pg, f"CREATE DATABASE {dbname}")
            subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=code, check=True)
            pg_admin(args.pg, f"CREATE DATABASE {template} TEMPLATE {dbname}")
        else:
            pg_admin(args.pg, f"CREATE DATABASE {dbname} TEMPLATE {template}")
    try:
        cmd = [PY, str(Path(__file__).resolve()), "--child", "--code", str(code), "--officers", str(args.officers),
               "--saves", str(args.saves), "--seed", str(args.seed)]
        if args.profile:
            cmd += ["--profile", args.profile]
        if args.show_sql:
            cmd += ["--show-sql", args.show_sql]
        proc = subprocess.run(cmd, env=env, cwd=code, text=True, capture_output=True)
        if proc.returncode:
            sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-6000:])
            raise SystemExit(f"{label}: child failed ({proc.returncode})")
        if args.profile or args.show_sql:
            sys.stdout.write(proc.stderr)
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        if dbname:
            pg_admin(args.pg, f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
        shutil.rmtree(data, ignore_errors=True)


def table(results):
    db_cpu = any(r["db_cpu_ms"] is not None for res in results.values() for r in res["phases"].values())
    head = "| tree | request | n | app CPU ms mean | p50 | p95 |" + (" DB CPU ms mean |" if db_cpu else "") \
        + " queries | wall ms p50 |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for label, res in results.items():
        for name in PHASES:
            r = res["phases"].get(name)
            if r is None:
                continue
            db = f" {r['db_cpu_ms']:.1f} |" if db_cpu else ""
            lines.append(f"| {label} | {name} | {r['n']} | {r['cpu_ms']:.2f} | {r['cpu_p50']:.2f} | {r['cpu_p95']:.2f} |"
                         f"{db} {r['queries']:g} | {r['wall_p50']:.1f} |")
    return "\n".join(lines)


def reference_loop():
    """CPU seconds of a fixed pure-Python loop (the one bench/serve.py runs): how fast this
    machine runs Python right now; it grows when other processes share the cores (0.109 s
    on the idle development machine)."""
    started = time.process_time()
    sum(range(10_000_000))
    return time.process_time() - started


def parent(args):
    ref0 = reference_loop()
    trees = {"this tree": REPO}
    if args.baseline:
        trees = {f"baseline {args.baseline}": unpack(args.baseline), **trees}
    results = {}
    load = os.getloadavg()[0]
    try:
        for label, code in trees.items():
            key = "base" if label.startswith("baseline") else "this"
            print(f"[{time.strftime('%H:%M:%S')}] {label}: {code}", file=sys.stderr, flush=True)
            results[label] = run_child(key, code, args)
    finally:
        for label, code in trees.items():
            if code != REPO:
                shutil.rmtree(code, ignore_errors=True)
    db = "PostgreSQL" if args.pg else "SQLite"
    print(f"{db}; {args.officers} officers × {args.saves} saves; {os.cpu_count()} cores; "
          f"load average (1 min) {load:.1f} → {os.getloadavg()[0]:.1f}; "
          f"reference loop {ref0:.3f} → {reference_loop():.3f} s CPU")
    print(table(results))


# --- child: one tree, one database ------------------------------------------------------------------


def proc_cpu_ms(pid):
    """CPU milliseconds (user + system) of a process on this machine, None if unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


class Meter:
    """Per phase: CPU and wall time of each request, the queries it ran, and the database
    backend's CPU over the phase."""

    def __init__(self, connection, show_phase=None, profile_phase=None):
        self.connection = connection
        self.show_phase = show_phase
        self.profile_phase = profile_phase
        self.profiler = None
        if profile_phase:
            import cProfile

            self.profiler = cProfile.Profile(time.process_time)  # CPU, as the table reports
        self.rows = {name: [] for name in PHASES}
        self.db = {name: 0.0 for name in PHASES}
        self.db_known = True
        self.queries = 0
        self.show = None  # the SQL of the request being shown (--show-sql)
        self.shown = set()
        self.backend_pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                self.backend_pid = cur.fetchone()[0]

    def count(self, execute, sql, params, many, context):
        self.queries += 1
        if self.show is not None:
            self.show.append(sql)
        return execute(sql, params, many, context)

    def call(self, phase, fn, *args, **kwargs):
        db0 = proc_cpu_ms(self.backend_pid) if self.backend_pid else None
        q0 = self.queries
        if phase == self.show_phase and phase not in self.shown:
            self.show = []
        profiling = phase == self.profile_phase
        if profiling:
            self.profiler.enable()
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn(*args, **kwargs)
        c1, w1 = time.process_time(), time.perf_counter()
        if profiling:
            self.profiler.disable()
        if self.show is not None:
            self.shown.add(phase)
            sys.stderr.write(f"--- SQL of one {phase} ---\n" + "\n".join(self.show) + "\n")
            self.show = None
        db1 = proc_cpu_ms(self.backend_pid) if self.backend_pid else None
        if db0 is None or db1 is None:
            self.db_known = False
            self.last_db = 0.0
        else:
            self.db[phase] += db1 - db0
            self.last_db = db1 - db0
        self.rows[phase].append(((c1 - c0) * 1000, (w1 - w0) * 1000, self.queries - q0))
        return out

    def add(self, phase, rows, db):
        """Record a request pair as one row of ``phase``: the sums of ``rows`` (cpu, wall,
        queries) and their database CPU ``db``."""
        self.rows[phase].append(tuple(sum(r[i] for r in rows) for i in range(3)))
        self.db[phase] += db

    def summary(self):
        out = {}
        for name, rows in self.rows.items():
            if not rows:  # e.g. no separate first page: the start shows it
                continue
            cpu = sorted(r[0] for r in rows)
            wall = sorted(r[1] for r in rows)
            out[name] = {
                "n": len(rows),
                "cpu_ms": statistics.fmean(cpu), "cpu_p50": statistics.median(cpu),
                "cpu_p95": cpu[min(len(cpu) - 1, round(0.95 * (len(cpu) - 1)))],
                "wall_p50": statistics.median(wall),
                "queries": statistics.median(r[2] for r in rows),
                "db_cpu_ms": self.db[name] / len(rows) if self.backend_pid and self.db_known else None,
            }
        return out


def child(args):
    code = Path(args.code)
    # bench/ (this script's folder, first on sys.path) holds modules named like the apps.
    sys.path[:] = [str(code / "site"), str(code)] + [p for p in sys.path if Path(p).resolve() != HERE]
    sys.path.append(str(code / "bench" / "load"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    # The plain static storage: {% static %} needs no collected manifest.
    override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }).enable()
    call_command("migrate", verbosity=0, interactive=False)
    cache = Path(os.environ["BENCH_CPU_MIGRATED"])
    if connection.vendor == "sqlite" and not cache.exists():
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(connection.settings_dict["NAME"], cache.with_suffix(".tmp"))
        os.replace(cache.with_suffix(".tmp"), cache)

    import setup_data  # bench/load/setup_data.py of the tree under test

    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from exams.models import Exam, ExamQuestion
    from officers import roles
    from officers.demo import ensure_units

    units = ensure_units()
    squad = sorted(code for code in units if code.count("-") == 2)[0]
    with transaction.atomic():
        users = setup_data.make_users("cpu", args.officers, roles.OFFICER, units[squad],
                                      make_password(setup_data.PASSWORD))
        questions = [setup_data.make_question(i) for i in range(30)]
        exam = Exam.objects.create(title="CPU 基准考试", kind="annual", draft=False, time_limit_minutes=120,
                                   random_order=True, answer_order="random", pass_mark=60)
        for i, q in enumerate(questions):
            ExamQuestion.objects.create(exam=exam, question=q, sort_order=i, points=2)
    sessions = [setup_data.session_for(u) for u in users]

    # As the production server does after its warm-up (config/warmup.py): the long-lived objects
    # out of the collector's sight, so that a full collection's pause is not billed to a request.
    import gc

    gc.collect()
    gc.freeze()
    meter = Meter(connection, args.show_sql, args.profile)
    connection.execute_wrappers.append(meter.count)
    rng = random.Random(args.seed)

    def post_json(client, url, body, csrf):
        return client.post(url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=csrf)

    officers = []
    for session in sessions:
        c = Client(enforce_csrf_checks=True)
        c.cookies["sessionid"] = session
        r = meter.call("exam page", c.get, f"/exams/{exam.pk}/")
        assert r.status_code == 200, r.status_code
        csrf = c.cookies["csrftoken"].value
        r = meter.call("start", c.post, f"/exams/{exam.pk}/start/", {"csrfmiddlewaretoken": csrf})
        pair, db = [meter.rows["start"][-1]], meter.last_db
        if r.status_code == 302:  # a tree whose start leads to the first question by a redirect
            sitting = int(SITTING_RE.search(r["Location"]).group(1))
            r = meter.call("first page", c.get, r["Location"])
            assert r.status_code == 200, r.status_code
            pair.append(meter.rows["first page"][-1])
            db += meter.last_db
        else:  # the start answers with the first question itself
            assert r.status_code == 200, r.status_code
            sitting = int(SITTING_RE.search(re.search(r'"pageUrl": "([^"]+)"', r.content.decode()).group(1)).group(1))
        meter.add("start + first page", pair, db)
        r = meter.call("paper", c.get, f"/exams/sittings/{sitting}/", {"all": "1"})
        assert r.status_code == 200, r.status_code
        fields = {}
        for pos, kind, value in FIELD_RE.findall(r.content.decode()):
            fields.setdefault(int(pos), [kind, []])[1].append(value)
        assert len(fields) == 30, len(fields)
        officers.append((c, csrf, sitting, fields, {pos: 0 for pos in fields}))

    for _round in range(args.saves):
        for c, csrf, sitting, fields, revisions in officers:
            pos = rng.choice(sorted(fields))
            kind, values = fields[pos]
            if kind == "choices":
                response = {"choices": sorted(rng.sample(values, rng.randint(1, len(values))))}
            else:
                response = {kind: rng.choice(values)}
            body = {"position": pos, "revision": revisions[pos], "response": response}
            r = meter.call("save", post_json, c, f"/exams/sittings/{sitting}/answer/", body, csrf)
            assert r.status_code == 200, (r.status_code, r.content[:200])
            revisions[pos] = r.json()["revision"]

    for c, csrf, sitting, _fields, _revisions in officers:
        r = meter.call("submit", c.post, f"/exams/sittings/{sitting}/submit/", {"csrfmiddlewaretoken": csrf},
                       HTTP_ACCEPT="application/json")
        assert r.status_code == 200 and r.json()["ok"], r.status_code

    if meter.profiler is not None:
        import io
        import pstats

        buf = io.StringIO()
        stats = pstats.Stats(meter.profiler, stream=buf)
        stats.sort_stats("cumulative").print_stats(int(os.environ.get("BENCH_PROFILE_LINES", "25")))
        stats.sort_stats("tottime").print_stats(int(os.environ.get("BENCH_PROFILE_LINES", "25")))
        sys.stderr.write(buf.getvalue())
        if os.environ.get("BENCH_PROFILE_OUT"):
            stats.dump_stats(os.environ["BENCH_PROFILE_OUT"])
    print(json.dumps({"vendor": connection.vendor, "phases": meter.summary()}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--officers", type=int, default=60)
    ap.add_argument("--saves", type=int, default=10, help="answer saves per officer")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--baseline", metavar="REF", help="also measure this commit (git archive), in the same run")
    ap.add_argument("--pg", metavar="URL", help="PostgreSQL superuser URL without a database name; "
                                                "a throwaway load_cpu_* database is created per tree")
    ap.add_argument("--profile", choices=PHASES, help="print cProfile\'s top 25 (BENCH_PROFILE_LINES) of one kind")
    ap.add_argument("--show-sql", choices=PHASES, help="print the SQL of the first request of one kind")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--code", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
