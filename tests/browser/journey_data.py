"""Small, fast data sets for the browser journeys (a few statute rows, one course,
one exam), built with the apps' own models and services instead of the full demo."""
import datetime
import json
import uuid
from decimal import Decimal

from django.utils import timezone

from casebank.citations import invalidate_cache
from officers import roles
from tests.factories import make_units, make_user

ARTICLE_33 = ("违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。"
              "初次违法且危害后果轻微并及时改正的，可以不予行政处罚。")
LESSON_MD = ("## 首违不罚\n\n依据《中华人民共和国行政处罚法》第三十三条，初次违法且危害后果轻微并及时改正的，"
             "可以不予行政处罚。执法队员应当先教育、后处罚。\n")


def penalty_law():
    """行政处罚法 with the few articles the journeys cite."""
    from casebank.models import Article, Law

    law, _ = Law.objects.get_or_create(source_id="journey-penalty", defaults={
        "full_name": "中华人民共和国行政处罚法", "short_name": "行政处罚法"})
    for n, text in ((33, ARTICLE_33), (34, "行政机关可以依法制定行政处罚裁量基准，规范行使行政处罚裁量权。"
                                              "行政处罚裁量基准应当向社会公布。")):
        digits = {33: "三十三", 34: "三十四"}[n]
        Article.objects.get_or_create(law=law, number=n, defaults={
            "position": n, "number_text": f"第{digits}条", "text": text})
    invalidate_cache()
    return law


def markdown_body(text):
    return json.dumps([{"type": "markdown", "value": text, "id": str(uuid.uuid4())}], ensure_ascii=False)


def officer_course_and_exam(officer_user):
    """An assigned entry course of two lessons (the first citing 行政处罚法 第三十三条) and
    its final exam of three objective questions with a 30-minute limit."""
    from courses.models import Assignment, CourseIndexPage, CoursePage, LessonPage
    from exams.models import KIND_FINAL, MODE_FIXED, SINGLE, TRUEFALSE, Exam, ExamQuestion, Option, Question

    penalty_law()
    index = CourseIndexPage.objects.get()
    course = CoursePage(title="首违不罚与教育执法", slug="journey-course", tier="entry", hours=Decimal("2"),
                        live=True)
    index.add_child(instance=course)
    for i, body in enumerate((LESSON_MD, "## 文明执法\n\n劝导、教育在先。\n"), start=1):
        lesson = LessonPage(title=f"第{i}课 首违不罚" if i == 1 else f"第{i}课 文明执法", slug=f"journey-lesson-{i}",
                            live=True, min_read_seconds=0, body=markdown_body(body))
        course.add_child(instance=lesson)
    Assignment.objects.create(course=course, unit=officer_user.officer.unit, due_date=timezone.localdate()
                              + datetime.timedelta(days=30))
    exam = Exam.objects.create(title="首违不罚结业考试", kind=KIND_FINAL, mode=MODE_FIXED, draft=False, course=course,
                               time_limit_minutes=30, random_order=False, answer_order="none", pass_mark=60,
                               one_per_page=True)
    questions = []
    for n, (text, options, correct) in enumerate((
        ("初次违法且危害后果轻微并及时改正的，可以如何处理？", ["必须罚款", "可以不予行政处罚", "吊销执照", "移送公安"], 1),
        ("行政处罚裁量基准应当如何？", ["内部掌握", "向社会公布", "仅报上级", "无需制定"], 1),
    )):
        q = Question.objects.create(qtype=SINGLE, category="law_basics", difficulty=2, text=text,
                                    explanation="解析：见行政处罚法。", status="active")
        for i, t in enumerate(options):
            Option.objects.create(question=q, sort_order=i, text=t, is_correct=i == correct)
        q.publish_version()
        questions.append(q)
    tf = Question.objects.create(qtype=TRUEFALSE, category="law_basics", difficulty=1, text="执法应当坚持处罚与教育相结合。",
                                 truefalse_answer=True, status="active")
    tf.publish_version()
    questions.append(tf)
    for i, q in enumerate(questions):
        ExamQuestion.objects.create(exam=exam, question=q, sort_order=i, points=Decimal("10"))
    return course, exam


def people():
    units = make_units()
    return {
        "units": units,
        "officer": make_user(roles.OFFICER, unit=units["SZ-JB-01"], username="officer_a", full_name="李明华"),
    }
