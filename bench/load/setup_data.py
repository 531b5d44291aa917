"""Create the load test's data through the apps' own models: officers (with logged-in
sessions), trainers, one open exam of ~30 questions, and lesson pages to publish.

    python bench/load/setup_data.py OUT.json --officers 500 --trainers 3 --questions 30
"""
import argparse
import json
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import djangoenv  # noqa: E402

djangoenv.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402

from courses.models import CourseIndexPage, CoursePage, LessonPage  # noqa: E402
from exams.models import MULTI, SINGLE, TRUEFALSE, Exam, ExamQuestion, Option, Question  # noqa: E402
from officers import roles  # noqa: E402
from officers.demo import ensure_units  # noqa: E402
from officers.middleware import SESSION_KEY as LAST_SEEN_KEY  # noqa: E402
from officers.models import Officer  # noqa: E402
from portal.models import HomePage  # noqa: E402

PASSWORD = "Bench-Load-Password-2026"
CATEGORIES = ["municipal", "environment", "planning", "traffic"]


def make_users(prefix, n, role, unit, password_hash):
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"{prefix}{i:04d}", password=password_hash)
                                      for i in range(n)])
    users = list(User.objects.filter(username__startswith=prefix).order_by("username"))
    group = Group.objects.get(name=role)
    group.user_set.add(*users)
    Officer.objects.bulk_create([
        Officer(user=u, unit=unit, employee_number=f"{prefix.upper()}{i:05d}", full_name=f"压测{prefix}{i}")
        for i, u in enumerate(users)
    ])
    return users


def make_question(i):
    qtype = [SINGLE, SINGLE, MULTI, TRUEFALSE][i % 4]
    q = Question.objects.create(
        qtype=qtype, category=CATEGORIES[i % len(CATEGORIES)], difficulty=1 + i % 3,
        text=f"压测题{i + 1}：关于城市管理行政执法，下列说法正确的是？",
        explanation=f"解析{i + 1}", truefalse_answer=(i % 2 == 0) if qtype == TRUEFALSE else None,
    )
    if qtype in (SINGLE, MULTI):
        for k in range(4):
            Option.objects.create(question=q, sort_order=k, text=f"选项{k + 1}（第{i + 1}题）",
                                  is_correct=(k == 1) if qtype == SINGLE else (k in (0, 2)))
    q.publish_version()
    return q


def session_for(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "officers.auth.LockoutModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s[LAST_SEEN_KEY] = int(time.time()) + 3600  # fresh for the whole run
    s.create()
    return s.session_key


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--officers", type=int, default=500)
    ap.add_argument("--trainers", type=int, default=3)
    ap.add_argument("--questions", type=int, default=30)
    args = ap.parse_args()
    t0 = time.monotonic()
    password_hash = make_password(PASSWORD)  # the production hasher, computed once
    units = ensure_units()
    squads = [u for code, u in sorted(units.items()) if code.count("-") == 2] or list(units.values())
    with transaction.atomic():
        officers = []
        per = -(-args.officers // len(squads))
        for k, unit in enumerate(squads):
            n = min(per, args.officers - len(officers))
            if n <= 0:
                break
            officers += make_users(f"lo{k}u", n, roles.OFFICER, unit, password_hash)
        trainers = make_users("lt", args.trainers, roles.TRAINER, squads[0], password_hash)
        # Trainers may add and change course pages; publishing is the legal reviewer's.
        reviewer = make_users("lr", 1, roles.LEGAL_REVIEWER, squads[0], password_hash)[0]
        questions = [make_question(i) for i in range(args.questions)]
        exam = Exam.objects.create(title="压测考试（09:00 统一开考）", kind="annual", draft=False,
                                   time_limit_minutes=120, random_order=True, answer_order="random",
                                   pass_mark=60)
        for i, q in enumerate(questions):
            ExamQuestion.objects.create(exam=exam, question=q, sort_order=i, points=Decimal("2"))

    # The course section created by the courses migration, where trainers may publish.
    index = CourseIndexPage.objects.first()
    if index is None:
        index = HomePage.objects.first().add_child(instance=CourseIndexPage(title="课程中心", slug="courses"))
    course = index.add_child(instance=CoursePage(title="压测课程", slug="bench-course", intro="压测"))
    lessons = []
    for i, trainer in enumerate(trainers):
        lesson = course.add_child(instance=LessonPage(
            title=f"压测课时{i + 1}", slug=f"bench-lesson-{i + 1}", summary="初稿",
            body=[("markdown", f"压测课时 {i + 1} 的正文。")], owner=trainer))
        lesson.save_revision(user=trainer).publish(user=reviewer)
        lessons.append({"trainer_id": trainer.pk, "reviewer_id": reviewer.pk, "page_id": lesson.pk})

    sessions = [{"username": u.username, "session": session_for(u)} for u in officers]
    Path(args.out).write_text(json.dumps({
        "exam_id": exam.pk, "password": PASSWORD, "officers": sessions, "lessons": lessons,
        "n_questions": len(questions),
    }))
    print(f"setup: {len(officers)} officers, {len(trainers)} trainers, exam {exam.pk} with "
          f"{len(questions)} questions, {len(lessons)} lessons ({time.monotonic() - t0:.1f} s)")


if __name__ == "__main__":
    main()
