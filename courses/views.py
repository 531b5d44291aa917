"""Learner views: 课程中心, course and lesson pages (served by the Wagtail pages),
我的学习 and marking a lesson complete."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebank.domain import DUTY_AREA_CHOICES, SUBJECT_CHOICES
from officers.scoping import own_profile

from . import progress
from .learning import build_progress, my_learning
from .models import TIER_CHOICES, CoursePage, LessonPage, OnsiteSession


def _login_redirect(request):
    return redirect_to_login(request.get_full_path())


def course_index(request, page):
    """课程中心: published courses, filterable by tier, duty area and subject."""
    if not request.user.is_authenticated:
        return _login_redirect(request)
    qs = CoursePage.objects.live().child_of(page).order_by("tier_rank", "path")
    tier = request.GET.get("tier") or ""
    area = request.GET.get("area") or ""
    subject = request.GET.get("subject") or ""
    if tier in dict(TIER_CHOICES):
        qs = qs.filter(tier=tier)
    if area in dict(DUTY_AREA_CHOICES):
        qs = qs.filter(duty_area_codes__contains=area)
    if subject in dict(SUBJECT_CHOICES):
        qs = qs.filter(subject=subject)
    paginator = Paginator(qs.select_related("cover_image"), 30)
    page_obj = paginator.get_page(request.GET.get("page"))
    officer = own_profile(request.user)
    items = build_progress(officer, page_obj.object_list)
    return TemplateResponse(request, "courses/course_index_page.html", {
        "page": page, "self": page, "items": items, "page_obj": page_obj,
        "tiers": TIER_CHOICES, "areas": DUTY_AREA_CHOICES, "subjects": SUBJECT_CHOICES,
        "tier": tier, "area": area, "subject": subject,
    })


def _course_context(request, course, officer):
    item = build_progress(officer, [course])[0]
    due = None
    if officer is not None:
        from .learning import assignments_for

        due = assignments_for(officer).filter(course=course).order_by("due_date").values_list(
            "due_date", flat=True).first()
        item.due_date, item.assigned = due, due is not None
    sessions = list(OnsiteSession.objects.filter(course=course, ends_at__gte=timezone.now()).order_by("starts_at")[:5])
    return item, sessions


def course_detail(request, course):
    """A course: objectives, lessons with the officer's progress, prerequisite lock."""
    if not request.user.is_authenticated:
        return _login_redirect(request)
    officer = own_profile(request.user)
    item, sessions = _course_context(request, course, officer)
    return TemplateResponse(request, "courses/course_page.html", {
        "page": course, "self": course, "item": item, "officer": officer, "sessions": sessions,
    })


def lesson_detail(request, lesson):
    """A lesson. Opening it starts the completion timer; a locked course shows why instead."""
    if not request.user.is_authenticated:
        return _login_redirect(request)
    course = lesson.get_course()
    if course is None or not course.live:
        raise Http404
    officer = own_profile(request.user)
    item = build_progress(officer, [course])[0]
    if officer is not None and item.missing_prerequisites:
        return TemplateResponse(request, "courses/locked.html", {
            "page": lesson, "course": course, "item": item}, status=403)
    lesson_progress = progress.open_lesson(officer, lesson, course) if officer is not None else None
    if lesson_progress is not None:
        item.opened_ids.add(lesson.pk)
    wait = progress.seconds_until_completable(lesson_progress, lesson)
    lessons = item.lessons
    index = next((i for i, x in enumerate(lessons) if x.pk == lesson.pk), None)
    return TemplateResponse(request, "courses/lesson_page.html", {
        "page": lesson, "self": lesson, "course": course, "item": item, "officer": officer,
        "progress": lesson_progress, "wait_seconds": wait,
        "done": bool(lesson_progress and lesson_progress.completed_at),
        "prev_lesson": lessons[index - 1] if index else None,
        "next_lesson": lessons[index + 1] if index is not None and index + 1 < len(lessons) else None,
        "position": (index + 1) if index is not None else None,
    })


@require_POST
@login_required
def complete_lesson(request, pk):
    """标记为已完成: idempotent; completing the last lesson completes the course and credits its hours once."""
    officer = own_profile(request.user)
    lesson = LessonPage.objects.live().filter(pk=pk).first()
    if officer is None or lesson is None:
        raise Http404
    course = lesson.get_course()
    if course is None or not course.live:
        raise Http404
    try:
        newly, course_done = progress.complete_lesson(officer, lesson, course, request=request)
    except progress.LessonNotCompletable as exc:
        messages.error(request, f"{exc.message}（{exc.code}）")
        return redirect(lesson.get_url(request))
    if course_done:
        messages.success(request, _("恭喜！您已完成课程《%(title)s》，%(hours)s 学时已计入学时台账。") % {
            "title": course.title, "hours": course.hours})
        return redirect(course.get_url(request))
    if newly:
        messages.success(request, _("已完成本课时。"))
    item = build_progress(officer, [course])[0]
    nxt = item.next_lesson
    if nxt is not None and request.POST.get("next") == "1":
        return redirect(nxt.get_url(request))
    return redirect(lesson.get_url(request))


@login_required
def my_learning_view(request):
    """我的学习: assigned courses, progress, next step, hours, upcoming on-site sessions."""
    officer = own_profile(request.user)
    if officer is None:
        return render(request, "officers/no_profile.html", status=403)
    data = my_learning(officer)
    return render(request, "courses/my_learning.html", data)

