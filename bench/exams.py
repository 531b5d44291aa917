"""Benchmarks of the exam engine, each next to a baseline measured in the same run.

    .venv/bin/python bench/exams.py                 # SQLite in a throwaway data folder
    DATABASE_URL=postgres://u:p@host/emptydb .venv/bin/python bench/exams.py   # PostgreSQL (an empty database)

1. grading a 100-question sitting: engine.finalize (grouped UPDATEs, wrong-question book in
   bulk) vs. a naive per-answer save() loop;
2. 500 concurrent answer saves (20 threads, conditional UPDATE with revision check) vs. the
   same 500 saves one after another in a single thread;
3. item analysis of an exam with 2,000 sittings: itemanalysis.analyse (one pass over
   values_list rows) vs. a naive per-sitting ORM loop.
"""
import os
import statistics
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("ACADEMY_DATA_DIR", tempfile.mkdtemp(prefix="academy-bench-exams-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402

from exams import engine, grading, itemanalysis  # noqa: E402
from exams.models import (  # noqa: E402
    MULTI, SINGLE, TRUEFALSE, Answer, Exam, ExamQuestion, Option, Question, Sitting,
)
from officers import roles  # noqa: E402
from officers.demo import ensure_units  # noqa: E402


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


def make_bank(n):
    qs = []
    for i in range(n):
        qtype = (SINGLE, MULTI, TRUEFALSE)[i % 3]
        q = Question.objects.create(qtype=qtype, category="procedure", difficulty=1 + i % 3,
                                    text=f"基准测试题 {i}：{qtype}", explanation="解析",
                                    truefalse_answer=(i % 2 == 0) if qtype == TRUEFALSE else None)
        if qtype != TRUEFALSE:
            Option.objects.bulk_create([Option(question=q, sort_order=k, text=f"选项{k}",
                                               is_correct=(k == 1) if qtype == SINGLE else k in (0, 2))
                                        for k in range(4)])
        q.publish_version()
        qs.append(q)
    return qs


def make_officers(n, prefix):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from officers.models import Officer
    units = ensure_units()
    squads = [u for c, u in units.items() if c.count("-") == 2]
    User = get_user_model()
    group = Group.objects.get(name=roles.OFFICER)
    users = User.objects.bulk_create([User(username=f"{prefix}{i}", password="!") for i in range(n)])
    users = list(User.objects.filter(username__startswith=prefix).order_by("id"))
    group.user_set.add(*users)
    Officer.objects.bulk_create([Officer(user=u, employee_number=f"{prefix}{i}", full_name=f"考生{i}",
                                         unit=squads[i % len(squads)]) for i, u in enumerate(users)])
    return list(Officer.objects.filter(employee_number__startswith=prefix).order_by("id"))


def make_exam(questions, title):
    exam = Exam.objects.create(title=title, draft=False, random_order=False, answer_order="none")
    ExamQuestion.objects.bulk_create([ExamQuestion(exam=exam, question=q, sort_order=i, points=1)
                                      for i, q in enumerate(questions)])
    return exam


def fill(sitting, right_share=0.7, seed=0):
    import random
    rng = random.Random(seed)
    for a in sitting.answers.select_related("version"):
        good = [o["key"] for o in a.version.content["options"] if o["correct"]]
        keys = [o["key"] for o in a.version.content["options"]]
        right = rng.random() < right_share
        if a.version.content["qtype"] == MULTI:
            resp = {"choices": good if right else keys[:1]}
        else:
            resp = {"choice": good[0] if right else next(k for k in keys if k not in good)}
        Answer.objects.filter(pk=a.pk).update(response=resp, revision=1)


# --- 1. grading ---------------------------------------------------------------------------


def naive_grade(sitting):
    """Baseline: grade and save every answer row by row, then total."""
    exam = sitting.exam
    with transaction.atomic():
        total = Decimal("0")
        for a in sitting.answers.all():
            score, correct = grading.grade(a.version.content, a.response, a.points, multi_scoring=exam.multi_scoring)
            a.score, a.correct, a.locked = score, correct, True
            a.save()
            total += score
        sitting.score, sitting.status = total, "graded"
        sitting.save()


def bench_grading(officers, bank):
    exam = make_exam(bank[:100], "评分基准")
    runs_engine, runs_naive = [], []
    for i in range(3):
        s1 = engine.start(exam, officers[2 * i])
        fill(s1, seed=i)
        runs_engine.append(timed(engine.finalize, s1)[0])
        s2 = engine.start(exam, officers[2 * i + 1])
        fill(s2, seed=i)
        runs_naive.append(timed(naive_grade, s2)[0])
    print(f"1. grading a 100-question sitting (best of 3): engine.finalize {min(runs_engine) * 1000:.1f} ms"
          f" | baseline per-row save() {min(runs_naive) * 1000:.1f} ms")


# --- 2. concurrent saves ------------------------------------------------------------------


def bench_saves(officers, bank):
    exam = make_exam(bank[:25], "保存基准")
    sittings = [engine.start(exam, o) for o in officers[:20]]
    keys = {}
    for s in sittings:
        for a in s.answers.select_related("version"):
            keys[(s.pk, a.position)] = (a.version.content["qtype"], [o["key"] for o in a.version.content["options"]])
    work = [(s.pk, pos) for s in sittings for pos in range(1, 26)]  # 500 saves

    def one(sitting_id, pos, revision):
        sitting = Sitting.objects.get(pk=sitting_id)
        qtype, options = keys[(sitting_id, pos)]
        choice = options[revision % len(options)]
        raw = {"choices": [choice]} if qtype == MULTI else {"choice": choice}
        t0 = time.perf_counter()
        status, _a = engine.save_answer(sitting, pos, raw, revision)
        return time.perf_counter() - t0, status

    # baseline: the 500 saves one after another
    t0 = time.perf_counter()
    serial = [one(sid, pos, 0) for sid, pos in work]
    serial_total = time.perf_counter() - t0

    # 20 threads, one per sitting, each saving its 25 answers (revision 1 now)
    results, lock = [], threading.Lock()
    barrier = threading.Barrier(len(sittings))

    def worker(sid):
        barrier.wait()
        mine = [one(sid, pos, 1) for pos in range(1, 26)]
        with lock:
            results.extend(mine)
        close_old_connections()
        connection.close()

    threads = [threading.Thread(target=worker, args=(s.pk,)) for s in sittings]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conc_total = time.perf_counter() - t0
    ok = sum(1 for _t, st in results if st == engine.SAVED)
    lat = sorted(t for t, _s in results)
    slat = sorted(t for t, _s in serial)
    print(f"2. 500 answer saves on {connection.vendor}: 20 threads {conc_total:.2f} s "
          f"({500 / conc_total:.0f}/s, p50 {statistics.median(lat) * 1000:.1f} ms, "
          f"p95 {lat[int(0.95 * len(lat))] * 1000:.1f} ms, saved {ok}/500)"
          f" | baseline serial {serial_total:.2f} s ({500 / serial_total:.0f}/s, "
          f"p50 {statistics.median(slat) * 1000:.1f} ms)")
    assert ok == 500, "a save was lost"


# --- 3. item analysis ---------------------------------------------------------------------


def naive_analysis(exam):
    """Baseline: per sitting, per answer through the ORM."""
    facility = {}
    for s in Sitting.objects.filter(exam=exam, status="graded"):
        for a in s.answers.all():
            got, pts = facility.get(a.question_id, (0.0, 0.0))
            facility[a.question_id] = (got + float(a.score or 0), pts + float(a.points))
    return {q: g / p for q, (g, p) in facility.items()}


def bench_analysis(bank):
    import random
    n_sittings, n_questions = 2000, 50
    officers = make_officers(n_sittings, "ia")
    exam = make_exam(bank[:n_questions], "分析基准")
    lines = list(exam.exam_questions.select_related("question__current_version"))
    rng = random.Random(1)
    t0 = time.perf_counter()
    with transaction.atomic():
        sittings = Sitting.objects.bulk_create([
            Sitting(exam=exam, officer=o, attempt=1, status="graded", max_score=n_questions,
                    score=0, percent=0, passed=False) for o in officers])
        answers, totals = [], {}
        for s in sittings:
            ability = rng.random()
            for pos, eq in enumerate(lines, start=1):
                v = eq.question.current_version
                keys = [o["key"] for o in v.content["options"]]
                right = rng.random() < ability
                score = Decimal("1") if right else Decimal("0")
                totals[s.pk] = totals.get(s.pk, 0) + int(right)
                answers.append(Answer(sitting=s, position=pos, version=v, question_id=eq.question_id, points=1,
                                      option_order=keys, response={"choice": keys[rng.randrange(len(keys))]},
                                      score=score, correct=right))
        Answer.objects.bulk_create(answers, batch_size=2000)
        for s in sittings:
            s.score = totals[s.pk]
            s.percent = Decimal(totals[s.pk] * 100) / n_questions
        Sitting.objects.bulk_update(sittings, ["score", "percent"], batch_size=500)
    print(f"   (built {n_sittings} sittings × {n_questions} answers in {time.perf_counter() - t0:.1f} s)")
    t_fast, result = timed(itemanalysis.analyse, exam)
    t_naive, naive = timed(naive_analysis, exam)
    for q in result["questions"]:
        assert abs(q["facility"] - round(naive[q["question_id"]], 3)) < 1e-9
    print(f"3. item analysis of {result['n']} sittings × {n_questions} questions: analyse {t_fast:.2f} s"
          f" | baseline per-sitting ORM loop {t_naive:.2f} s (facility only)")


def main():
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} (migrated in {time.perf_counter() - t0:.0f} s)")
    bank = make_bank(120)
    officers = make_officers(30, "bench")
    bench_grading(officers, bank)
    bench_saves(officers, bank)
    bench_analysis(bank)


if __name__ == "__main__":
    main()
