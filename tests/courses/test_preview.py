"""The reviewer's preview of course and lesson drafts: the page as officers will see
it, built by the pages' get_context, and a preview never records learning progress."""
import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from courses.models import CourseEnrollment, LessonPage, LessonProgress
from officers.models import AuditLog
from tests.courses.factories import make_course, markdown_body

pytestmark = pytest.mark.django_db


def _state():
    return (LessonProgress.objects.count(), CourseEnrollment.objects.count(), AuditLog.objects.count())


def test_lesson_draft_preview_shows_the_lesson_in_its_course_and_writes_nothing(client, reviewer_user,
                                                                                 officer_user):
    course = make_course(title="首违不罚实务", n_lessons=2)
    lesson = LessonPage.objects.child_of(course).order_by("path").last()
    draft = lesson.specific
    draft.body = markdown_body("## 草稿新增小节\n\n依据行政处罚法处理。")
    draft.save_revision()
    client.force_login(reviewer_user)
    before = _state()
    response = client.get(f"/cms/pages/{lesson.pk}/view_draft/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "草稿新增小节" in html                          # the draft, not the published text
    assert "首违不罚实务" in html                           # in its course, as officers see it
    assert "第 2/2 课时" in html and "首违不罚实务第1课" in html  # its place and the previous lesson
    assert _state() == before                               # nothing recorded by a preview
    # Opening the published lesson as an officer does record the opening (the only write).
    client.force_login(officer_user)
    assert client.get(lesson.url).status_code == 200
    assert LessonProgress.objects.filter(lesson=lesson, officer=officer_user.officer).exists()


def test_previewing_a_lesson_in_the_editor_records_nothing(client, reviewer_user):
    """The editor's preview panel (the edit form POSTed, then the preview rendered by GET)
    renders through get_context: a previewer with an officer profile who never opened the
    lesson gets no LessonProgress, no enrolment and no audit entry."""
    course = make_course(title="执法文书制作", n_lessons=2)
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    assert reviewer_user.officer is not None  # a write would have someone to record
    client.force_login(reviewer_user)
    before = _state()
    form = nested_form_data({
        "title": lesson.title, "slug": lesson.slug, "summary": "", "estimated_minutes": "20",
        "min_read_seconds": "30", "body": streamfield([("markdown", "## 预览新增小节\n\n正文。")]),
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
        "comments": inline_formset([]),
    })
    url = f"/cms/pages/{lesson.pk}/edit/preview/"
    assert client.post(url, form).json()["is_valid"] is True
    preview = client.get(url, {"mode": ""})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "预览新增小节" in html and "执法文书制作" in html and "第 1/2 课时" in html
    assert _state() == before
    assert not LessonProgress.objects.filter(lesson=lesson).exists()


def test_course_draft_preview_shows_objectives_and_lessons(client, reviewer_user):
    course = make_course(title="占道经营专题", n_lessons=2)
    draft = course.specific
    draft.objectives = "掌握首违不罚的适用条件\n会制作现场检查笔录"
    draft.save_revision()
    client.force_login(reviewer_user)
    before = _state()
    response = client.get(f"/cms/pages/{course.pk}/view_draft/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "掌握首违不罚的适用条件" in html and "会制作现场检查笔录" in html
    assert "占道经营专题第1课" in html and "占道经营专题第2课" in html
    assert _state() == before


def test_live_pages_still_need_a_login(client):
    course = make_course(n_lessons=1)
    lesson = LessonPage.objects.child_of(course).get()
    for url in (course.get_parent().url, course.url, lesson.url):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
