"""Study time (学习时长): the page's heartbeat endpoint, and the table of watch and read
time per officer and lesson for trainers and HR (within their scope), with its exports.
The rules are in courses.studytime."""
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from officers import roles
from officers.roles import role_required
from officers.scoping import own_profile, visible_officers
from portal.params import from_param
from portal.spreadsheets import Column, Sheet, spreadsheet_response

from . import progress, studytime
from .choices import StudyMode
from .pages import CoursePage, LessonPage
from .records import LessonProgress

PAGE_SIZE = 50
EXPORT_FORMATS = ("xlsx", "csv")


def _error(message, code, status):
    return JsonResponse({"error": {"code": code, "message": str(message)}}, status=status)


@require_POST
@role_required(json=True)
def heartbeat(request, pk):
    """The lesson page reports study time (form fields: seconds, position, furthest,
    duration). Only the signed-in officer's own progress in a lesson they have opened
    and may open is touched; what is credited is decided by courses.studytime."""
    officer = own_profile(request.user)
    if officer is None:
        return _error(_("只有执法队员账号记录学习时长。"), "no_profile", 403)
    lesson = LessonPage.objects.live().filter(pk=pk).first()
    course = lesson.get_course() if lesson is not None else None
    if course is None or not course.live:
        return _error(_("课时不存在或未发布。"), "not_found", 404)
    if progress.missing_prerequisites(officer, course):
        return _error(_("请先完成先修课程。"), "prerequisites_missing", 403)
    try:
        beat = studytime.parse_heartbeat(request.POST)
        record, credited = studytime.record_heartbeat(officer, lesson, beat)
    except studytime.StudyTimeError as exc:
        return _error(exc.message, exc.code, exc.status)
    study = lesson.study
    return JsonResponse({
        "credited": credited, "active_seconds": record.active_seconds,
        "required_seconds": study.required_seconds, "cap_seconds": study.cap_seconds,
        "remaining_seconds": progress.seconds_until_completable(record, lesson),
        "video_position": record.video_position, "video_furthest": record.video_furthest,
    })


# --- Watch and read time for trainers and HR ----------------------------------------------


def study_rows(user, *, course_id=None, officer_query=""):
    """LessonProgress of the officers in the user's scope, latest study first, filtered
    by course and by officer (name or 工号)."""
    qs = (LessonProgress.objects.filter(officer__in=visible_officers(user))
          .select_related("officer", "officer__unit", "lesson", "course"))
    if course_id:
        qs = qs.filter(course_id=course_id)
    officer_query = officer_query.strip()
    if officer_query:
        qs = qs.filter(Q(officer__full_name__icontains=officer_query) | Q(officer__employee_number=officer_query))
    return qs.order_by("-last_heartbeat_at", "-opened_at", "pk")


class _Settings(dict):
    """Each lesson's LessonStudy, worked out once per request."""

    def __missing__(self, lesson):
        value = self[lesson] = lesson.study
        return value


def _decorate(records, settings):
    for record in records:
        study = settings[record.lesson]
        record.study = study
        record.mode_label = StudyMode(study.mode).label
        record.active_text = studytime.duration_text(record.active_seconds)
        record.required_text = studytime.duration_text(study.required_seconds) if study.counted else "—"
        record.reached = not study.counted or record.active_seconds >= study.required_seconds
    return records


def _local(value):
    return timezone.localtime(value) if value else None


def export_sheet(records, settings):
    header = [_("单位"), _("工号"), _("姓名"), _("课程"), _("课时"), _("计时方式"),
              Column(_("有效学习时长（秒）"), number_format="0"), Column(_("要求时长（秒）"), number_format="0"),
              Column(_("计时上限（秒）"), number_format="0"), Column(_("视频最远观看位置（秒）"), number_format="0"),
              _("首次打开"), _("最近学习"), _("完成时间")]

    def rows():
        for record in records:
            study = settings[record.lesson]
            yield [record.officer.unit.name, record.officer.employee_number, record.officer.full_name,
                   record.course.title, record.lesson.title, str(StudyMode(study.mode).label),
                   record.active_seconds, study.required_seconds if study.counted else None, study.cap_seconds,
                   round(record.video_furthest) if study.mode == StudyMode.VIDEO else None,
                   _local(record.opened_at), _local(record.last_heartbeat_at), _local(record.completed_at)]

    return Sheet(_("学习时长"), header, rows())


@role_required(roles.TRAINER, roles.HR)
def study_time_report(request):
    """学习时长: watch and read time per officer and lesson in the viewer's scope, filtered
    by course and officer; ?export=xlsx|csv downloads the filtered rows."""
    courses = CoursePage.objects.live().order_by("tier_rank", "path")
    course_id = request.GET.get("course") or ""
    course = None
    if course_id:
        course = from_param(courses, course_id)
        if course is None:
            raise Http404
    officer_query = request.GET.get("officer", "")[:50]
    qs = study_rows(request.user, course_id=course.pk if course else None, officer_query=officer_query)
    settings = _Settings()
    fmt = request.GET.get("export")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        filename = f"{_('学习时长')}_{timezone.localdate():%Y%m%d}.{fmt}"
        return spreadsheet_response(fmt, filename, export_sheet(qs.iterator(chunk_size=500), settings))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(page.object_list, settings)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "courses/study_time.html", {
        "page_obj": page, "courses": courses, "course": course, "officer_query": officer_query,
        "suffix": query.urlencode(),
    })
