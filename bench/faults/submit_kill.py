"""Fault: kill -9 gunicorn workers in the middle of exam submits.

Setup (through the exams engine): N officers each with an open sitting of Q questions,
every answer saved. gunicorn runs sync workers, so every worker is busy with one request
while clients post all N submits at once; meanwhile workers are killed with SIGKILL (the
master starts new ones). Clients whose connection broke retry, as an officer reloading the
page would. Afterwards the database must show, for every sitting: closed and graded exactly
once, its Q answers present and unchanged, the score equal to the sum of its answers, one
sitting per officer, and the pass credit (hours) recorded exactly once.

    .venv/bin/python bench/faults/submit_kill.py [--sittings 120 --kills 3] [--database-url postgres://…]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, child, make_env, manage, migrated_sqlite, record, say  # noqa: E402

SCRIPT = Path(__file__).resolve()
CSRF = "benchcsrfsecretbenchcsrfsecret12"  # a 32-character CSRF secret, sent as cookie and header


def child_main(argv):
    from common import django_setup

    django_setup()
    import time as _t
    from decimal import Decimal

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count, Sum

    from exams import engine
    from exams.models import SINGLE, TRUEFALSE, Answer, Exam, ExamQuestion, Option, Question, Sitting
    from officers import roles
    from officers.demo import ensure_units
    from officers.middleware import SESSION_KEY as LAST_SEEN
    from officers.models import HoursEntry, Officer

    cmd = argv[0]
    if cmd == "setup":
        n, n_q = int(argv[1]), int(argv[2])
        unit = ensure_units()["SZ-JB-01"]
        User = get_user_model()
        users = User.objects.bulk_create([User(username=f"fk{i:04d}", password="!") for i in range(n)])
        users = list(User.objects.filter(username__startswith="fk").order_by("username"))
        Group.objects.get(name=roles.OFFICER).user_set.add(*users)
        Officer.objects.bulk_create([Officer(user=u, unit=unit, employee_number=f"FK{i:05d}",
                                             full_name=f"故障{i}") for i, u in enumerate(users)])
        questions = []
        for i in range(n_q):
            qt = SINGLE if i % 2 == 0 else TRUEFALSE
            q = Question.objects.create(qtype=qt, category="municipal", text=f"故障测试题{i + 1}",
                                        truefalse_answer=True if qt == TRUEFALSE else None)
            if qt == SINGLE:
                for k in range(4):
                    Option.objects.create(question=q, sort_order=k, text=f"选项{k + 1}", is_correct=k == 0)
            q.publish_version()
            questions.append(q)
        exam = Exam.objects.create(title="故障测试考试", draft=False, pass_mark=0, hours=Decimal("1.5"),
                                   random_order=True, answer_order="random")
        for i, q in enumerate(questions):
            ExamQuestion.objects.create(exam=exam, question=q, sort_order=i, points=Decimal("1"))
        out = []
        for u in users:
            sitting = engine.start(exam, u.officer)
            for a in sitting.answers.select_related("version"):
                keys = [o["key"] for o in a.version.content["options"]]
                engine.save_answer(sitting, a.position, {"choice": random.choice(keys)}, a.revision)
            s = SessionStore()
            s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(u.pk), "officers.auth.LockoutModelBackend"
            s[HASH_SESSION_KEY], s[LAST_SEEN] = u.get_session_auth_hash(), int(_t.time()) + 3600
            s.create()
            out.append({"sitting": sitting.pk, "session": s.session_key})
        snapshot = {f"{a.sitting_id}:{a.position}": [a.revision, a.response]
                    for a in Answer.objects.filter(sitting__exam=exam)}
        print(json.dumps({"exam": exam.pk, "n_q": n_q, "sittings": out, "answers": snapshot}))
    elif cmd == "verify":
        setup = json.loads(Path(argv[1]).read_text())
        exam = Exam.objects.get(pk=setup["exam"])
        sittings = list(Sitting.objects.filter(exam=exam))
        answers = {f"{a.sitting_id}:{a.position}": a for a in Answer.objects.filter(sitting__exam=exam)}
        changed = [k for k, (rev, resp) in setup["answers"].items()
                   if k not in answers or answers[k].revision != rev or answers[k].response != resp]
        per_sitting = dict(Answer.objects.filter(sitting__exam=exam).values_list("sitting").annotate(n=Count("id")))
        sums = dict(Answer.objects.filter(sitting__exam=exam).values_list("sitting").annotate(s=Sum("score")))
        hours = dict(HoursEntry.objects.filter(source_key=f"exam:{exam.pk}").values_list("officer")
                     .annotate(n=Count("id")))
        per_officer = {}
        for s in sittings:
            per_officer[s.officer_id] = per_officer.get(s.officer_id, 0) + 1
        print(json.dumps({
            "sittings": len(sittings),
            "status": {st: sum(1 for s in sittings if s.status == st) for st in {s.status for s in sittings}},
            "not_ended": sum(1 for s in sittings if s.ended_at is None),
            "officers_with_more_than_one_sitting": sum(1 for v in per_officer.values() if v > 1),
            "answers": len(answers), "answers_expected": len(setup["answers"]),
            "answers_lost_or_changed": len(changed),
            "sittings_with_wrong_answer_count": sum(1 for s in sittings if per_sitting.get(s.pk) != setup["n_q"]),
            "score_mismatch": sum(1 for s in sittings if s.score is None or s.score != sums.get(s.pk)),
            "unlocked_answers": Answer.objects.filter(sitting__exam=exam, locked=False).count(),
            "passed": sum(1 for s in sittings if s.passed),
            "pass_notified": sum(1 for s in sittings if s.pass_notified),
            "hours_entries": sum(hours.values()), "officers_credited_twice": sum(1 for v in hours.values() if v > 1),
            "passed_without_hours": sum(1 for s in sittings if s.passed and s.officer_id not in hours),
        }))


def worker_pids(master):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sittings", type=int, default=120)
    ap.add_argument("--questions", type=int, default=10)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--clients", type=int, default=24)
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite in the data folder)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="academy-fault-submit-"))
    env = make_env(data_dir, args.database_url)
    checks, gunicorn = [], None
    try:
        if args.database_url:
            manage(env, "migrate", "--noinput")
        else:
            migrated_sqlite(data_dir, env)
        manage(env, "collectstatic", "--noinput")
        setup_path = data_dir / "setup.json"
        setup_path.write_text(child(SCRIPT, env, "setup", str(args.sittings), str(args.questions)).stdout)
        setup = json.loads(setup_path.read_text())
        say(f"{len(setup['sittings'])} open sittings of {args.questions} questions, all answers saved")

        import socket
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env["BENCH_PORT"] = str(port)
        gunicorn = subprocess.Popen(
            [str(REPO / ".venv/bin/gunicorn"), "config.wsgi:application", "--chdir", str(REPO / "site"),
             "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--timeout", "120"],
            env=env, cwd=REPO, stdout=open(data_dir / "gunicorn.log", "w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/accounts/login/")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or gunicorn.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)

        lock = threading.Lock()
        stats = {"ok": 0, "broken": 0, "retries": 0, "http_errors": 0, "gave_up": 0}
        queue = list(setup["sittings"])
        random.shuffle(queue)

        def submit(item):
            for attempt in range(15):
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    c.request("POST", f"/exams/sittings/{item['sitting']}/submit/", body=f"csrfmiddlewaretoken={CSRF}",
                              headers={"Cookie": f"sessionid={item['session']}; csrftoken={CSRF}",
                                       "X-CSRFToken": CSRF, "Accept": "application/json",
                                       "Content-Type": "application/x-www-form-urlencoded"})
                    r = c.getresponse()
                    body = r.read()
                    if r.status == 200 and json.loads(body).get("status") in ("graded", "marking"):
                        with lock:
                            stats["ok"] += 1
                        return
                    with lock:
                        stats["http_errors"] += 1
                except (OSError, http.client.HTTPException):
                    with lock:
                        stats["broken"] += 1
                with lock:
                    stats["retries"] += 1
                time.sleep(0.3 + 0.2 * attempt)
            with lock:
                stats["gave_up"] += 1

        def client_loop():
            while True:
                with lock:
                    if not queue:
                        return
                    item = queue.pop()
                submit(item)

        killed = []

        def killer():
            total = len(setup["sittings"])
            for k in range(args.kills):
                # spread the kills over the submit storm
                while stats["ok"] < total * (k + 1) / (args.kills + 2):
                    time.sleep(0.005)
                pids = worker_pids(gunicorn.pid)
                if pids:
                    victim = random.choice(pids)
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)

        t0 = time.monotonic()
        threads = [threading.Thread(target=client_loop) for _ in range(args.clients)]
        kt = threading.Thread(target=killer)
        for t in threads:
            t.start()
        kt.start()
        for t in threads:
            t.join()
        kt.join(timeout=5)
        say(f"submits done in {time.monotonic() - t0:.1f} s: {stats['ok']} acknowledged, {len(killed)} workers "
            f"killed with SIGKILL ({killed}), {stats['broken']} connections broken by the kills, "
            f"{stats['http_errors']} HTTP errors, {stats['retries']} retries, {stats['gave_up']} gave up")
        checks.append(("workers were killed during the submit storm", len(killed) == args.kills))
        checks.append(("kills interrupted requests in flight (broken connections)", stats["broken"] >= 1))
        checks.append(("every submit acknowledged after retries", stats["ok"] == len(setup["sittings"])))
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)

        v = json.loads(child(SCRIPT, env, "verify", str(setup_path)).stdout)
        say("database after restart: " + json.dumps(v, ensure_ascii=False))
        n = len(setup["sittings"])
        checks += [
            ("every sitting closed and graded once", v["status"] == {"graded": n} and v["not_ended"] == 0),
            ("no sitting doubled (one per officer)", v["sittings"] == n and v["officers_with_more_than_one_sitting"] == 0),
            ("no answer lost, doubled or changed", v["answers"] == v["answers_expected"] and
             v["answers_lost_or_changed"] == 0 and v["sittings_with_wrong_answer_count"] == 0),
            ("scores equal the sum of the graded answers", v["score_mismatch"] == 0 and v["unlocked_answers"] == 0),
            ("pass credit (hours) exactly once per passed sitting", v["officers_credited_twice"] == 0
             and v["passed_without_hours"] == 0 and v["hours_entries"] == v["passed"]),
        ]
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            os.killpg(gunicorn.pid, signal.SIGKILL)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    ok = all(c for _n, c in checks)
    lines = [f"- {'PASS' if c else 'FAIL'}: {name}" for name, c in checks]
    print("\n".join(lines))
    print("PASS" if ok else "FAIL")
    if not args.no_record:
        db = "PostgreSQL" if args.database_url else "SQLite"
        record(f"Kill -9 of gunicorn workers during exam submits ({db})", [
            f"`.venv/bin/python bench/faults/submit_kill.py{' --database-url …' if args.database_url else ''}` — "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", "",
            f"{args.sittings} sittings × {args.questions} answers; {args.workers} sync workers, {args.clients} "
            f"clients; {args.kills} workers killed during the storm. Clients: {stats['ok']} acknowledged, "
            f"{stats['broken']} broken connections, {stats['retries']} retries.", "",
            *lines, "", f"**{'PASS' if ok else 'FAIL'}**"])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
