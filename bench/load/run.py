"""Load test: N officers start the same exam at once, autosave answers for M minutes and
submit, while trainers publish lesson revisions; gunicorn + PostgreSQL or SQLite, loopback only.

    .venv/bin/python bench/load/run.py --db postgres --users 500 --minutes 2
    .venv/bin/python bench/load/run.py --db sqlite --users 50,100,250,500 --minutes 2
    .venv/bin/python bench/load/run.py --db postgres --users 500 --minutes 10 --record

Each step gets a throwaway data folder and database (PostgreSQL: a role and database
created as the postgres user on the local cluster, dropped afterwards), migrates, creates
the data through the apps' models (setup_data.py), starts gunicorn (production settings
via bench/load/settings.py, production's site/config/gunicorn.py), runs locust headless, then checks in the database that every
answer save acknowledged with 200 is stored (verify.py). --record appends the figures to
bench/load/RESULTS.md.
"""
import argparse
import csv
import datetime
import json
import os
import runpy
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PY = str(REPO / ".venv" / "bin" / "python")
BIN = REPO / ".venv" / "bin"
GUNICORN_CONFIG = REPO / "site" / "config" / "gunicorn.py"
#: The workers and threads production runs on this machine (its gunicorn settings, read as
#: gunicorn reads them, WEB_CONCURRENCY and GUNICORN_THREADS included).
PRODUCTION_LAYOUT = {k: v for k, v in runpy.run_path(str(GUNICORN_CONFIG)).items() if k in ("workers", "threads")}
STATIC_CACHE = Path(tempfile.gettempdir()) / "academy-bench-static"
PG_ROLE = "academy_load"


def sh(cmd, env=None, **kw):
    proc = subprocess.run(cmd, env=env, cwd=REPO, text=True, capture_output=True, **kw)
    if proc.returncode:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
        raise RuntimeError(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}")
    return proc


def as_postgres(sql):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else ["sudo", "-u", "postgres"]
    return subprocess.run(prefix + ["psql", "-v", "ON_ERROR_STOP=1", "-qAtc", sql], check=True, text=True,
                          capture_output=True, cwd="/").stdout


def pg_create(dbname, password):
    subprocess.run(["pg_ctlcluster", "15", "main", "start"], capture_output=True)
    if not as_postgres(f"SELECT 1 FROM pg_roles WHERE rolname='{PG_ROLE}'").strip():
        as_postgres(f"CREATE ROLE {PG_ROLE} LOGIN CREATEDB")
    as_postgres(f"ALTER ROLE {PG_ROLE} PASSWORD '{password}'")
    as_postgres(f"CREATE DATABASE {dbname} OWNER {PG_ROLE}")
    return f"postgres://{PG_ROLE}:{password}@127.0.0.1:5432/{dbname}"


def pg_create_migrated(dbname, password, env):
    """A migrated database: a copy (CREATE DATABASE … TEMPLATE) of a template migrated once
    per set of migration files."""
    sys.path.insert(0, str(HERE.parent / "faults"))
    from common import _migrations_key

    tpl = f"academy_load_tpl_{_migrations_key()}"
    url = pg_create(dbname, password)
    if not as_postgres(f"SELECT 1 FROM pg_database WHERE datname='{tpl}'").strip():
        sh([PY, "manage.py", "migrate", "--noinput"], env={**env, "DATABASE_URL": url})
        as_postgres(f"CREATE DATABASE {tpl} TEMPLATE {dbname} OWNER {PG_ROLE}")
    else:
        as_postgres(f"DROP DATABASE {dbname}")
        as_postgres(f"CREATE DATABASE {dbname} TEMPLATE {tpl} OWNER {PG_ROLE}")
    return url


def static_is_current():
    manifest = STATIC_CACHE / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = max((p.stat().st_mtime for d in REPO.glob("**/static") if ".venv" not in d.parts
                  for p in d.rglob("*") if p.is_file()), default=0)
    return manifest.stat().st_mtime > newest


def pg_drop(dbname):
    as_postgres(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, seconds=60, proc=None):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("gunicorn exited at start (see gunicorn.log)")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return
        except Exception:  # noqa: BLE001
            time.sleep(0.5)
    raise RuntimeError(f"server did not answer at {url}")


def read_stats(prefix):
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = row
    return rows


def read_failures(prefix):
    """{"<request name>: <error>": occurrences} from locust's failures CSV (why requests failed)."""
    try:
        with open(f"{prefix}_failures.csv", encoding="utf-8") as fh:
            return {f"{row['Name']}: {row['Error'][:160]}": int(row["Occurrences"]) for row in csv.DictReader(fh)}
    except FileNotFoundError:
        return {}


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_step(args, users):
    tag = f"{args.db}-{users}-{os.getpid()}"
    data_dir = Path(tempfile.mkdtemp(prefix=f"academy-load-{tag}-"))
    port = args.port or free_port()
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.load.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "ACADEMY_DATA_DIR": str(data_dir),
        "BENCH_PORT": str(port),
        "BENCH_STATIC_ROOT": str(STATIC_CACHE),
        "PYTHONPATH": f"{REPO / 'site'}:{REPO}",
    })
    env.pop("DATABASE_URL", None)
    dbname = None
    if args.db == "postgres":
        dbname = f"academy_load_{os.getpid()}_{users}"
    procs = []
    try:
        t = time.monotonic()
        if args.db == "postgres":
            env["DATABASE_URL"] = pg_create_migrated(dbname, secrets.token_hex(12), env)
        else:
            sys.path.insert(0, str(HERE.parent / "faults"))
            from common import migrated_sqlite

            migrated_sqlite(data_dir, env)
        t_migrate = time.monotonic() - t
        if not static_is_current():
            sh([PY, "manage.py", "collectstatic", "--noinput"], env=env)
        t_static = time.monotonic() - t - t_migrate
        setup_json = data_dir / "setup.json"
        out = sh([PY, str(HERE / "setup_data.py"), str(setup_json), "--officers", str(users),
                  "--trainers", str(args.trainers), "--questions", str(args.questions)], env=env).stdout
        print(f"  [{args.db} {users}] {out.strip()} — prepared in {time.monotonic() - t:.0f} s "
              f"(migrate {t_migrate:.0f} s, collectstatic {t_static:.0f} s)", flush=True)

        log = open(data_dir / "gunicorn.log", "w")
        gunicorn = subprocess.Popen(
            # production's gunicorn settings (README "Production": its workers and threads
            # unless this run sets them, keep-alive 5 s, the application preloaded and warmed up)
            [str(BIN / "gunicorn"), "--config", str(GUNICORN_CONFIG), "config.wsgi:application",
             "--chdir", str(REPO / "site"), "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "-k", "gthread",
             "--threads", str(args.threads), "--timeout", "120", "--graceful-timeout", "10"],
            env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(gunicorn)
        wait_http(f"http://127.0.0.1:{port}/accounts/login/", proc=gunicorn)

        answer_s = args.minutes * 60
        trainers_out = data_dir / "trainers.json"
        trainers = subprocess.Popen(
            [PY, str(HERE / "trainers.py"), str(setup_json), str(trainers_out), "--seconds", str(answer_s),
             "--interval", str(args.publish_interval)], env=env, cwd=REPO,
            stdout=subprocess.DEVNULL, stderr=open(data_dir / "trainers.log", "w"))
        procs.append(trainers)

        lenv = dict(env)
        lenv.update({"BENCH_SETUP": str(setup_json), "BENCH_ACK_OUT": str(data_dir / "acked.json"),
                     "BENCH_ANSWER_SECONDS": str(answer_s), "BENCH_THINK": args.think,
                     "BENCH_REAL_LOGINS": str(min(args.real_logins, users)), "BENCH_USERS": str(users),
                     "BENCH_BARRIER": "0" if args.no_barrier else "1"})
        csv_prefix = str(data_dir / "locust")
        load_before = os.getloadavg()[0]
        t0 = time.monotonic()
        locust = subprocess.Popen(
            [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(users),
             "-r", str(users), "--run-time", f"{int(answer_s + args.start_allowance)}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", csv_prefix, "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
            env=lenv, cwd=REPO, stdout=open(data_dir / "locust.log", "w"), stderr=subprocess.STDOUT)
        cpu = CpuMeter({"locust": [locust.pid], "gunicorn": [gunicorn.pid], "trainers": [trainers.pid]},
                       postgres=args.db == "postgres")
        cpu.start()
        locust.wait()
        cpu.stop()
        elapsed = time.monotonic() - t0
        load_after = os.getloadavg()[0]
        trainers.wait(timeout=answer_s + 120)
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)

        verify = json.loads(sh([PY, str(HERE / "verify.py"), str(setup_json), str(data_dir / "acked.json")],
                               env=env).stdout)
        acked = json.loads((data_dir / "acked.json").read_text())
        tr = json.loads(trainers_out.read_text())
        stats = read_stats(csv_prefix)
        agg = stats["Aggregated"]
        save = stats.get("autosave", {})
        n_req, n_fail = int(agg["Request Count"]), int(agg["Failure Count"])
        result = {
            "db": args.db, "users": users, "minutes": args.minutes, "workers": args.workers,
            "threads": args.threads, "think": args.think,
            "requests": n_req, "failures": n_fail, "elapsed_s": round(elapsed, 1),
            "rps": round(n_req / elapsed, 1),
            "error_rate_pct": round(100 * n_fail / n_req, 3) if n_req else None,
            "saves": int(save.get("Request Count", 0)),
            "saves_per_s": round(int(save.get("Request Count", 0)) / answer_s, 1),
            "save_p50_ms": float(save.get("50%", "nan") or "nan"),
            "save_p95_ms": float(save.get("95%", "nan") or "nan"),
            "save_p99_ms": float(save.get("99%", "nan") or "nan"),
            "start_p95_ms": float(stats.get("start", {}).get("95%", "nan") or "nan"),
            "login_p95_ms": float(stats.get("login", {}).get("95%", "nan") or "nan"),
            "logins": acked["state"].get("logins", 0),
            "submit_p95_ms": float(stats.get("submit", {}).get("95%", "nan") or "nan"),
            "start_failed": acked["state"].get("start_failed", 0),
            "publishes": len(tr["publish_ms"]), "publish_errors": len(tr["errors"]),
            "publish_p95_ms": round(pct(tr["publish_ms"], 95) or 0, 0),
            "publish_median_ms": round(statistics.median(tr["publish_ms"]), 0) if tr["publish_ms"] else None,
            "pages_not_live": tr["not_live"],
            **verify,
            "failures_by_name": {name: int(r["Failure Count"]) for name, r in stats.items()
                                 if name != "Aggregated" and int(r["Failure Count"])},
            "failure_reasons": read_failures(csv_prefix),
            "loadavg_before": round(load_before, 1), "loadavg_after": round(load_after, 1),
            "cpu_seconds": cpu.seconds(), "cpu_capacity_s": round(elapsed * (os.cpu_count() or 1), 0),
            "storm": storm_cpu(acked.get("storm"), cpu),
            "data_dir": str(data_dir),
        }
        return result
    finally:
        for p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM) if p is procs[0] else p.terminate()
                    p.wait(timeout=20)
                except Exception:  # noqa: BLE001
                    p.kill()
        if dbname:
            pg_drop(dbname)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


class CpuMeter:
    """CPU seconds used by each group of processes (and their children) during the
    run, sampled every second with psutil: who used the machine's cores."""

    def __init__(self, groups, postgres=False):
        import threading

        self.groups = groups
        self.postgres = postgres
        self.totals = {}
        self.timeline = []  # (time.time(), {group: CPU seconds so far})
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self):
        import psutil

        seen = {}
        for name, pids in self.groups.items():
            for pid in pids:
                try:
                    root = psutil.Process(pid)
                    for proc in [root] + root.children(recursive=True):
                        t = proc.cpu_times()
                        seen[(name, proc.pid)] = t.user + t.system
                except psutil.Error:
                    continue
        if self.postgres:
            for proc in psutil.process_iter(["name"]):
                if proc.info["name"] in ("postgres", "postmaster"):
                    try:
                        t = proc.cpu_times()
                        seen[("postgres", proc.pid)] = t.user + t.system
                    except psutil.Error:
                        continue
        # Not a process: the time the machine's virtual CPUs waited for the host while they had
        # work (steal), when the machine is a virtual one; other guests' load shows up here.
        seen[("steal", 0)] = getattr(psutil.cpu_times(), "steal", 0.0)
        for key, value in seen.items():
            first, _last = self.totals.get(key, (value, value))
            self.totals[key] = (first, value)
        self.timeline.append((time.time(), self._groups()))

    def _groups(self):
        out = {}
        for (name, _pid), (first, last) in self.totals.items():
            out[name] = out.get(name, 0.0) + (last - first)
        return out

    def between(self, t0, t1):
        """CPU seconds of each group between two wall-clock times (the samples nearest to
        them, one second apart), and the span those samples cover."""
        if not self.timeline:
            return {}, 0.0
        a = min(self.timeline, key=lambda s: abs(s[0] - t0))
        b = min(self.timeline, key=lambda s: abs(s[0] - t1))
        return {k: v - a[1].get(k, 0.0) for k, v in b[1].items()}, b[0] - a[0]

    def _loop(self):
        while not self._stop.wait(1.0):
            self._sample()

    def start(self):
        self._sample()
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join()

    def seconds(self):
        out = {}
        for (name, _pid), (first, last) in self.totals.items():
            out[name] = out.get(name, 0.0) + (last - first)
        return {k: round(v, 0) for k, v in sorted(out.items())}


def storm_cpu(storm, cpu):
    """The start storm's window (from the opening until 95 % of the starts reached their
    first question) and the CPU each group used in it, per start: where the start's p95
    goes when every officer starts at once."""
    if not storm or not storm.get("opened_at") or not storm.get("started_at"):
        return None
    done = sorted(storm["started_at"])
    t0, t95 = storm["opened_at"], done[max(0, int(len(done) * 0.95) - 1)]
    used, span = cpu.between(t0, t95)
    n = sum(1 for t in done if t <= t95)
    return {"window_s": round(t95 - t0, 1), "sampled_s": round(span, 1), "starts": n,
            "cpu_s": {k: round(v, 1) for k, v in sorted(used.items())},
            "cpu_ms_per_start": {k: round(1000 * v / n, 1) for k, v in sorted(used.items())} if n else {}}


def verdict(r):
    ok = (r["answers_lost"] == 0 and r["officers_with_more_than_one_sitting"] == 0
          and r["sittings_with_wrong_answer_count"] == 0 and r["submitted_but_still_open"] == 0)
    # The aims: no failed request, answer-save p95 under 300 ms, start p95 within 5 s.
    missed = [name for name, met in (("errors", r["error_rate_pct"] == 0), ("save", r["save_p95_ms"] < 300),
                                     ("start", r["start_p95_ms"] <= 5000)) if not met]
    return ("data OK" if ok else "DATA LOSS") + (f", misses target ({', '.join(missed)})" if missed else ", meets target")


def line(r):
    return (f"| {r['db']} | {r['users']} | {r['minutes']:g} | {r['rps']} | {r['error_rate_pct']} % "
            f"| {r['saves']} ({r['saves_per_s']}/s) | {r['save_p50_ms']:.0f} | {r['save_p95_ms']:.0f} "
            f"| {r['start_p95_ms']:.0f} | {r['submit_p95_ms']:.0f} | {r['publishes']} / p95 {r['publish_p95_ms']:.0f} "
            f"| {r['answers_lost']} of {r['acked_saves_checked']} | {r['loadavg_before']} → {r['loadavg_after']} "
            f"| {verdict(r)} |")


HEADER = ("| DB | officers | min | req/s | errors | answer saves | save p50 ms | save p95 ms | start p95 ms "
          "| submit p95 ms | publishes / p95 ms | answers lost | load avg (1 min) | verdict |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    ap.add_argument("--users", default="500", help="officers; a comma list runs one step per value")
    ap.add_argument("--minutes", type=float, default=2.0, help="answering time (default 2; 10 for the full run)")
    ap.add_argument("--workers", type=int, default=PRODUCTION_LAYOUT["workers"],
                    help="gunicorn worker processes (default: production's, site/config/gunicorn.py)")
    ap.add_argument("--threads", type=int, default=PRODUCTION_LAYOUT["threads"],
                    help="threads per gunicorn worker (gthread; default: production's)")
    ap.add_argument("--think", default="3-8", help="seconds between two saves of one officer, min-max")
    ap.add_argument("--real-logins", type=int, default=20,
                    help="officers that log in through the form at the start (the rest reuse sessions)")
    ap.add_argument("--start-allowance", type=int, default=900,
                    help="seconds added to the answering time as locust's hard stop (the start storm can be slow)")
    ap.add_argument("--no-barrier", action="store_true",
                    help="each officer starts as soon as its exam page is loaded and loads the whole paper at "
                         "once (the flow before the opening barrier; see locustfile.py)")
    ap.add_argument("--trainers", type=int, default=3)
    ap.add_argument("--publish-interval", type=float, default=5.0)
    ap.add_argument("--questions", type=int, default=30)
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    ap.add_argument("--keep", action="store_true", help="keep the data folder (logs, CSVs)")
    ap.add_argument("--record", action="store_true", help="append the figures to bench/load/RESULTS.md")
    args = ap.parse_args()
    cmd = ".venv/bin/python bench/load/run.py " + " ".join(sys.argv[1:])
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results = []
    print(HEADER)
    for users in [int(u) for u in args.users.split(",")]:
        r = run_step(args, users)
        results.append(r)
        print(line(r), flush=True)
        print("  details: " + json.dumps({k: v for k, v in r.items() if k not in ("lost_examples",)},
                                         ensure_ascii=False), flush=True)
    if args.record:
        with open(HERE / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n### `{cmd}`\n\n{started}, {os.cpu_count()} cores; gunicorn {args.workers} workers × "
                     f"{args.threads} threads; think time {args.think} s; {args.real_logins} real logins.\n\n")
            fh.write(HEADER + "\n" + "\n".join(line(r) for r in results) + "\n")
    bad = [r for r in results if r["answers_lost"] or r["officers_with_more_than_one_sitting"]]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
