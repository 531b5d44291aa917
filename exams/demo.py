"""Demo content of the exams app: the question bank (demo_data/questions.json), the
exams (demo_data/exams.json), a course final exam when a demo course exists, and demo
sittings by the demo officers zf0001 … zf0040 so that results and item analysis show.

Idempotent: questions are matched by their text, exams by title, and sittings are
created only for officers who have none for that exam."""
import json
import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casebank.models import Article, DiscretionBenchmark
from courses.models import CoursePage
from officers.models import Officer

from . import engine
from .grading import discretion_band
from .models import (
    Answer, AnswerOrder, CaseFileDocument, DrawRule, Exam, ExamQuestion, MultiScoring, Option, PaperMode, Question,
    QuestionArticle, QuestionType, ReviewItem, ReviewPolicy, RubricPoint, Sitting,
)

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
DIGITS = "零一二三四五六七八九"
#: How many demo officers sit the exams.
SITTING_OFFICERS = 40


def chinese_number(n):
    """12 → 十二, 572 → 五百七十二, 1185 → 一千一百八十五 (article numbers)."""
    if n < 10:
        return DIGITS[n]
    out, units = "", [(1000, "千"), (100, "百"), (10, "十")]
    rest, zero = n, False
    for value, name in units:
        d, rest = divmod(rest, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if (value == 10 and d == 1 and not out) else DIGITS[d]) + name
        elif out:
            zero = True
    if rest:
        out += ("零" if zero else "") + DIGITS[rest]
    return out


def _read(name):
    path = DATA_DIR / f"{name}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _articles(items):
    """{(law full name, number): Article} for every article cited, preferring laws in force."""
    wanted = {(a["law"], int(a["article"])) for it in items for a in it.get("articles", [])}
    found = {}
    qs = (Article.objects.filter(law__full_name__in={w[0] for w in wanted}, number__in={w[1] for w in wanted})
          .select_related("law").order_by("law__status"))
    for art in qs:
        key = (art.law.full_name, art.number)
        if key in wanted and (key not in found or art.law.status == "in_force"):
            found[key] = art
    return found


def load_questions(stdout, items):
    benchmarks = {b.code: b for b in DiscretionBenchmark.objects.all()}
    existing = {h: pk for h, pk in Question.objects.values_list("text_hash", "pk")}
    articles = _articles(items)
    by_key, created, skipped = {}, 0, 0
    for it in items:
        digest = Question.hash_text(it["text"])
        if digest in existing:
            by_key[it["key"]] = existing[digest]
            continue
        qtype = it["type"]
        bench = benchmarks.get(it.get("benchmark")) if qtype == QuestionType.DISCRETION else None
        if qtype == QuestionType.DISCRETION and bench is None:
            skipped += 1
            continue
        q = Question(
            qtype=qtype, category=it["category"], difficulty=int(it.get("difficulty") or 2), text=it["text"],
            explanation=it.get("explanation", ""), reference_answer=it.get("reference_answer", ""),
            truefalse_answer=bool(it["correct"]) if qtype == QuestionType.TRUEFALSE else None,
            discretion_benchmark=bench,
            discretion_correct_level=it.get("correct_level") if qtype == QuestionType.DISCRETION else None,
            discretion_amount_min=(Decimal(str(it["correct_amount_min"]))
                                   if it.get("correct_amount_min") is not None else None),
            discretion_amount_max=(Decimal(str(it["correct_amount_max"]))
                                   if it.get("correct_amount_max") is not None else None),
            article_refs=[f"{a['law']} 第{chinese_number(int(a['article']))}条" for a in it.get("articles", [])],
            casefile_conclusion=it.get("conclusion", "") if qtype == QuestionType.CASEFILE else "",
        )
        if it.get("tags"):
            q.tags.add(*it["tags"])
        q.save()
        if qtype in (QuestionType.SINGLE, QuestionType.MULTI):
            right = set(it.get("correct") or [])
            Option.objects.bulk_create([Option(question=q, sort_order=i, text=t, is_correct=i in right)
                                        for i, t in enumerate(it.get("options", []))])
        if qtype == QuestionType.CASE:
            RubricPoint.objects.bulk_create([
                RubricPoint(question=q, sort_order=i, text=p["point"][:500], score=Decimal(str(p["score"])))
                for i, p in enumerate(it.get("rubric", []))])
        if qtype == QuestionType.CASEFILE:
            CaseFileDocument.objects.bulk_create([CaseFileDocument(question=q, sort_order=i, title=d["title"],
                                                                   text=d["text"])
                                                  for i, d in enumerate(it.get("documents", []))])
            ReviewItem.objects.bulk_create([
                ReviewItem(question=q, sort_order=i, kind=r["kind"], text=r["text"], finding=bool(r["finding"]),
                           max_deduction=Decimal(str(r["max"])) if r.get("max") is not None else None,
                           deduction=Decimal(str(r["deduction"])) if r.get("deduction") is not None else None,
                           note=r.get("note", ""))
                for i, r in enumerate(it.get("items", []))])
        links = []
        for i, a in enumerate(it.get("articles", [])):
            art = articles.get((a["law"], int(a["article"])))
            if art is not None and art.pk not in {x.article_id for x in links}:
                links.append(QuestionArticle(question=q, article=art, sort_order=i))
        QuestionArticle.objects.bulk_create(links)
        q.publish_version()
        by_key[it["key"]] = q.pk
        existing[digest] = q.pk
        created += 1
    stdout.write(f"  exams: questions {Question.objects.count()} ({created} new"
                 + (f", {skipped} discretion questions skipped: benchmark missing" if skipped else "") + ")")
    return by_key


EXAM_SETTINGS = {
    "qualification": dict(max_attempts=3, counting="highest", review=ReviewPolicy.AFTER_SUBMIT, hours=Decimal("2"),
                          description="初任执法人员申领行政执法证前须通过本考试。按规则从题库随机抽题，卷卷不同；"
                                      "案例分析题由教官阅卷后发布成绩。",
                          success_text="恭喜通过初任执法资格考试，合格证书将自动签发。",
                          fail_text="未通过。请查看错题本，巩固薄弱环节后再次参加考试。"),
    "annual": dict(max_attempts=2, counting="highest", review=ReviewPolicy.AFTER_SUBMIT,
                   multi_scoring=MultiScoring.PARTIAL,
                   description="年审必考。多选题少选按比例得分，错选不得分。",
                   success_text="年度考试合格。", fail_text="年度考试不合格，请在关闭前补考。"),
    "practice": dict(max_attempts=0, feedback="each", review=ReviewPolicy.AFTER_SUBMIT, one_per_page=True,
                     description="每题作答后可立即核对答案和解析，不计入考核。",
                     success_text="练习完成。", fail_text="练习完成，错题已收入错题本。"),
}


def load_exams(stdout, specs, by_key, trainer):
    exams, created = {}, 0
    now = timezone.now()
    for spec in specs:
        exam = Exam.objects.filter(title=spec["title"]).first()
        if exam is None:
            kind = spec.get("kind", "mock")
            extra = dict(EXAM_SETTINGS.get(kind, {}))
            if kind == "annual":
                extra["closes_at"] = now.replace(month=12, day=31, hour=15, minute=59, second=0, microsecond=0)
                if extra["closes_at"] <= now:
                    extra["closes_at"] = now + timedelta(days=60)
            exam = Exam.objects.create(
                title=spec["title"], kind=kind, draft=False,
                mode=PaperMode.RULES if spec.get("rules") else PaperMode.FIXED,
                time_limit_minutes=spec.get("time_limit_minutes"), pass_mark=spec.get("pass_mark", 60),
                answer_order=AnswerOrder.RANDOM, random_order=True, created_by=trainer, **extra,
            )
            for i, r in enumerate(spec.get("rules", [])):
                DrawRule.objects.create(exam=exam, sort_order=i, count=r["count"], qtype=r.get("type") or "",
                                        category=r.get("category") or "", difficulty=r.get("difficulty"),
                                        points=Decimal(str(r.get("points", 1))))
            for i, key in enumerate(spec.get("questions", [])):
                if key in by_key:
                    ExamQuestion.objects.create(exam=exam, question_id=by_key[key], sort_order=i, points=1)
            created += 1
        if trainer is not None:
            exam.managers.add(trainer)
        exams[spec["key"]] = exam
    final = load_course_final(by_key, trainer)
    if final is not None:
        exams["course-final"] = final
    stdout.write(f"  exams: exams {Exam.objects.count()} ({created} new)")
    return exams


def load_course_final(by_key, trainer):
    """A final exam for the first demo course, when the courses app has one."""
    course = CoursePage.objects.live().order_by("path").first()
    if course is None:
        return None
    exam = Exam.objects.filter(course=course, kind="final").first()
    if exam is None:
        exam = Exam.objects.create(
            title=f"《{course.title}》结业测验", kind="final", course=course, draft=False, mode=PaperMode.RULES,
            time_limit_minutes=30, pass_mark=60, max_attempts=0, answer_order=AnswerOrder.RANDOM, created_by=trainer,
            description="通过本测验即完成课程学习。", success_text="已通过结业测验，课程完成。",
        )
        category = "law_basics"
        DrawRule.objects.create(exam=exam, sort_order=0, count=8, qtype=QuestionType.SINGLE, category=category,
                                points=2)
        DrawRule.objects.create(exam=exam, sort_order=1, count=4, qtype=QuestionType.TRUEFALSE, category=category,
                                points=1)
    if trainer is not None:
        exam.managers.add(trainer)
    return exam


def _simulate(sitting, ability, rng):
    """Fill a demo officer's answers: right with a probability that falls with difficulty."""
    lines = list(sitting.answers.select_related("version"))
    for a in lines:
        c = a.version.content
        p = max(0.05, min(0.97, ability - 0.12 * (c.get("difficulty", 2) - 2)))
        right = rng.random() < p
        keys = [o["key"] for o in c.get("options", [])]
        good = [o["key"] for o in c.get("options", []) if o["correct"]]
        if c["qtype"] in (QuestionType.SINGLE, QuestionType.TRUEFALSE):
            a.response = {"choice": good[0] if right else rng.choice([k for k in keys if k not in good] or keys)}
        elif c["qtype"] == QuestionType.MULTI:
            a.response = {"choices": sorted(good) if right else sorted(rng.sample(keys, max(1, len(good) - 1)))}
        elif c["qtype"] == QuestionType.DISCRETION:
            level, lo, hi = discretion_band(c)
            levels = [lv["order"] for lv in c["discretion"]["levels"]]
            if right:
                amount = lo if lo is not None else Decimal("0")
                a.response = {"level": level, "amount": str(amount)}
            else:
                a.response = {"level": rng.choice(levels), "amount": str(rng.randrange(0, 100000))}
        elif c["qtype"] == QuestionType.CASEFILE:
            items = c["casefile"]["items"]
            a.response = {"items": {
                it["key"]: {"finding": it["finding"] if right or rng.random() < 0.6 else not it["finding"],
                            "deduction": it.get("deduction")} for it in items},
                "conclusion": c["casefile"]["conclusion"] if right else rng.choice(["pass", "fail"])}
        else:
            a.response = {"text": "本案应先查明事实、收集证据，依法告知当事人陈述申辩权利，再依据相关法律规定作出处理。"}
        Answer.objects.filter(pk=a.pk).update(response=a.response, revision=1)


def load_sittings(stdout, exams, trainer, password):
    officers = list(Officer.objects.filter(user__username__regex=r"^zf00[0-4][0-9]$")
                    .order_by("employee_number")[:SITTING_OFFICERS])
    rng = random.Random(20261130)
    made = 0
    targets = [(exams.get("entry-qualification"), officers, 5), (exams.get("annual-2026"), officers[::2], 0),
               (exams.get("course-final"), officers[:12], 0)]
    for exam, people, leave_unmarked in targets:
        if exam is None:
            continue
        done = set(Sitting.objects.filter(exam=exam).values_list("officer_id", flat=True))
        todo = [o for o in people if o.pk not in done]
        for i, officer in enumerate(todo):
            ability = 0.35 + 0.6 * rng.random()
            started = timezone.now() - timedelta(days=rng.randrange(1, 40), minutes=rng.randrange(0, 600))
            try:
                sitting = engine.start(exam, officer, seed=rng.random(), now=started)
            except engine.ExamError as exc:
                stdout.write(f"  exams: {exam.title}: {exc.messages[0]}")
                break
            _simulate(sitting, ability, rng)
            engine.finalize(sitting, now=started + timedelta(minutes=rng.randrange(25, 85)))
            made += 1
            if i < len(todo) - leave_unmarked and trainer is not None:
                for a in sitting.answers.filter(needs_marking=True).select_related("version"):
                    marks = {}
                    for p in a.version.content.get("rubric", []):
                        full = Decimal(p["score"])
                        got = (full * Decimal(str(round(min(1.0, ability + rng.uniform(-0.2, 0.2)), 1)))).quantize(
                            Decimal("0.5"))
                        marks[p["key"]] = {"score": str(max(Decimal("0"), min(full, got))), "comment": ""}
                    engine.mark_answer(a, marks, "", trainer)
    stdout.write(f"  exams: demo sittings {Sitting.objects.count()} ({made} new)")


@transaction.atomic
def load(stdout, password):
    items = _read("questions")
    specs = _read("exams")
    if items is None or specs is None:
        stdout.write("  exams: demo_data/questions.json or exams.json missing, skipped")
        return
    trainer = get_user_model().objects.filter(Q(username="trainer")).first()
    by_key = load_questions(stdout, items)
    exams = load_exams(stdout, specs, by_key, trainer)
    load_sittings(stdout, exams, trainer, password)
