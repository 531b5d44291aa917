"""Learner views: 我的学习 and marking a lesson complete. (The 课程中心, course and lesson
pages are Wagtail pages: their context is built by the pages, courses.pages.)"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from officers.scoping import own_profile

from . import progress
from .learning import build_progress, my_learning
from .pages import LessonPage


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
        messages.error(request, exc.message)
        return redirect(lesson.get_url(request))
    if course_done:
        # Only exactly one hour reads as singular in English ("1 training hour"; "1.5 training hours").
        messages.success(request, ngettext(
            "恭喜！您已完成课程《%(title)s》，%(hours)s 学时已计入学时台账。",
            "恭喜！您已完成课程《%(title)s》，%(hours)s 学时已计入学时台账。",
            1 if course.hours == 1 else 2,
        ) % {"title": course.title, "hours": floatformat(course.hours, -1)})
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

