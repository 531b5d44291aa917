"""The fixture dataset of the security sweep: one user per role and at least one
real object behind every path parameter, the objects belonging to 江北区 (SZ-JB).
The visiting officer (officer_b) and HR (hr_jn) are of 江南区, another district,
so for them every personal object is someone else's; officer_a and hr_jb are the
owner and the owner's HR, to show the same URLs do work for those who may see them."""
import datetime
from decimal import Decimal

from django.utils import timezone

from officers import roles
from tests.factories import make_units, make_user

ROLE_USERS = {
    "anonymous": None,
    "owner": "officer_a",        # officer of 江北区第一中队, owns the objects
    "officer": "officer_b",      # officer of 江南区 (another district)
    "trainer": "trainer_a",      # trainer at the city bureau; manages the exam
    "reviewer": "reviewer_a",    # legal reviewer at the city bureau
    "hr_own": "hr_jb",           # HR of 江北区: the owner's HR
    "hr_other": "hr_jn",         # HR of 江南区 (another unit)
}


#: The free-text fields of a case a trainer fills in.
CASE_TEXT = (
    ("case_number", "江北城管罚〔2025〕1号"), ("violation_type", "占道经营"), ("summary", "首次违法及时改正。"),
    ("facts", "当事人在人行道摆摊。"), ("issues", "是否适用首违不罚。"), ("legal_basis_text", "行政处罚法第三十三条。"),
    ("outcome", "不予处罚。"), ("review_result", "未申请复议。"), ("teaching_points", "教育与处罚相结合。"),
    ("discussion_questions", "本案是否适用首违不罚？"),
)


def build(*, text=None):
    """Create the dataset; ``text`` (a function name → str) lets the XSS sweep
    plant payloads in every free-text field. Returns a dict of objects."""
    from casebank.citations import invalidate_cache
    from casebank import similar_reports
    from casebank.models import Article, Law, SimilarCaseAssignment
    from courses.models import Assignment, CourseIndexPage, CoursePage, LessonPage, OnsiteSession
    from exams import engine
    from exams.models import CASE, KIND_FINAL, SINGLE, Exam, ExamQuestion, Option, Question, RubricPoint
    from officers import certificates, feedback, hours, notices
    from officers.models import QualificationRecord, QualificationType
    from tests.casebank.factories import make_benchmark, make_case, make_power_item
    from tests.browser.journey_data import markdown_body

    t = text or (lambda field, default: default)
    units = make_units()
    users = {
        "officer_a": make_user(roles.OFFICER, unit=units["SZ-JB-01"], username="officer_a",
                               full_name=t("officer.full_name", "李明华")),
        "officer_b": make_user(roles.OFFICER, unit=units["SZ-JN-01"], username="officer_b", full_name="王江南"),
        "trainer_a": make_user(roles.TRAINER, unit=units["SZ"], username="trainer_a",
                               full_name=t("trainer.full_name", "赵教官")),
        "reviewer_a": make_user(roles.LEGAL_REVIEWER, unit=units["SZ"], username="reviewer_a", full_name="钱审核"),
        "hr_jb": make_user(roles.HR, unit=units["SZ-JB"], username="hr_jb", full_name="孙人事"),
        "hr_jn": make_user(roles.HR, unit=units["SZ-JN"], username="hr_jn", full_name="周人事"),
        "admin": make_user(roles.ADMIN, unit=units["SZ"], username="root", superuser=True, full_name="系统管理员"),
    }
    officer = users["officer_a"].officer
    trainer = users["trainer_a"]

    law = Law.objects.create(source_id="sweep-penalty", full_name="中华人民共和国行政处罚法", short_name="行政处罚法")
    article = Article.objects.create(law=law, position=33, number=33, number_text="第三十三条",
                                     text="违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。")
    invalidate_cache()
    power = make_power_item(code="CG-SW-001", name=t("power.name", "对占道经营的处罚"))
    benchmark = make_benchmark(code="BM-SW-001", violation=t("benchmark.violation", "占道经营"))
    case = make_case(title=t("case.title", "占道经营首违不罚案"),
                     **{k: t(f"case.{k}", v) for k, v in CASE_TEXT})

    index = CourseIndexPage.objects.get()
    course = CoursePage(title=t("course.title", "首违不罚"), slug="sweep-course", tier="entry", hours=Decimal("2"),
                        live=True)
    index.add_child(instance=course)
    lesson = LessonPage(title=t("lesson.title", "第1课"), slug="sweep-lesson", live=True, min_read_seconds=0,
                        body=markdown_body(t("lesson.markdown", "## 首违不罚\n\n依据《中华人民共和国行政处罚法》第三十三条。")))
    course.add_child(instance=lesson)
    assignment = Assignment.objects.create(course=course, unit=units["SZ-JB"], assigned_by=trainer,
                                           due_date=timezone.localdate() + datetime.timedelta(days=30),
                                           note=t("assignment.note", "年内完成"))
    now = timezone.now()
    session = OnsiteSession.objects.create(course=course, title=t("session.title", "现场教学"), trainer=trainer,
                                           starts_at=now + datetime.timedelta(days=3),
                                           ends_at=now + datetime.timedelta(days=3, hours=3),
                                           place=t("session.place", "江北区某街道"),
                                           description=t("session.description", "现场讲解"))

    single = Question.objects.create(qtype=SINGLE, category="law_basics", difficulty=2,
                                     text=t("question.text", "初次违法且危害后果轻微并及时改正的，可以？"),
                                     explanation="KEY-EXPLANATION-7Q", status="active")
    for i, label in enumerate(["必须罚款", "KEY-CORRECT-OPTION-9Z", "吊销执照"]):
        Option.objects.create(question=single, sort_order=i, text=t(f"option.{i}", label) if i != 1 else label,
                              is_correct=i == 1)
    single.publish_version()
    essay = Question.objects.create(qtype=CASE, category="law_basics", difficulty=3,
                                    text=t("essay.text", "分析本案的处理是否得当。"),
                                    explanation="KEY-EXPLANATION-7Q", reference_answer="KEY-REFERENCE-ANSWER-3R",
                                    status="active")
    RubricPoint.objects.create(question=essay, sort_order=0, text="KEY-RUBRIC-POINT-5P", score=Decimal("5"))
    essay.publish_version()
    exam = Exam.objects.create(title=t("exam.title", "首违不罚结业考试"), kind=KIND_FINAL, draft=False, course=course,
                               time_limit_minutes=60, random_order=False, answer_order="none", created_by=trainer,
                               success_text="KEY-SUCCESS-TEXT", fail_text="KEY-FAIL-TEXT")
    ExamQuestion.objects.create(exam=exam, question=single, sort_order=0, points=Decimal("10"))
    ExamQuestion.objects.create(exam=exam, question=essay, sort_order=1, points=Decimal("5"))
    sitting = engine.start(exam, officer)
    first = sitting.answers.get(position=1)
    correct_key = [o["key"] for o in first.version.content["options"] if o["correct"]][0]
    engine.save_answer(sitting, 1, {"choice": correct_key}, first.revision)
    second = sitting.answers.get(position=2)
    engine.save_answer(sitting, 2, {"text": t("essay.answer", "当事人首次违法，及时改正，可不予处罚。")}, second.revision)
    engine.finalize(sitting)
    sitting.refresh_from_db()
    marking_answer = sitting.answers.get(position=2)

    similar = make_case(title=t("similar.title", "占道经营责令改正案"), violation_type="占道经营")
    report_assignment = SimilarCaseAssignment.objects.create(
        case=case, unit=units["SZ-JB"], assigned_by=trainer, min_cases=1,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        instructions=t("report.instructions", "比较裁量幅度"))
    case_report = similar_reports.start(officer, report_assignment)
    similar_reports.add_case(case_report, similar.pk, users["officer_a"])
    similar_reports.save_texts(case_report, t("report.summary", "参照类案。"), {
        c.pk: {name: t(f"report.{name}", "异同说明") for name in similar_reports.COMPARISON_FIELDS}
        for c in case_report.comparisons.all()})
    case_report = similar_reports.submit(case_report)

    qtype = QualificationType.objects.create(code="BASE", name="行政执法资格", is_base=True, validity_months=12,
                                             min_hours_per_year=Decimal("10"))
    record = QualificationRecord.objects.create(officer=officer, qualification_type=qtype, status="qualified",
                                                granted_at=timezone.localdate(),
                                                expires_at=timezone.localdate() + datetime.timedelta(days=20))
    cert = certificates.issue_for_qualification(record)
    entry, _ = hours.credit(officer, Decimal("2"), source="manual", source_key="sweep:1",
                            description=t("hours.description", "集中培训"))
    card = feedback.card_for(officer)
    praise = feedback.submit(card, kind="praise", text=t("feedback.text", "耐心劝导"), contact=t("feedback.contact", "138"))
    notice, _ = notices.notify(officer, "renewal_window", "sweep:notice",
                               params={"type": t("notice.type", "行政执法资格"), "expires": "2030-01-01"})
    return {
        "card": card, "notice": notice, "feedback": praise,
        "units": units, "users": users, "officer": officer, "law": law, "article": article, "power": power,
        "benchmark": benchmark, "case": case, "course": course, "lesson": lesson, "assignment": assignment,
        "session": session, "question": single, "essay": essay, "exam": exam, "sitting": sitting,
        "marking_answer": marking_answer, "report_assignment": report_assignment, "case_report": case_report, "qtype": qtype, "record": record, "certificate": cert, "hours": entry,
    }
