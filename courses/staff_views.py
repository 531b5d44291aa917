"""Staff views: course assignments, completion by unit, on-site sessions
(sign-up for everyone, attendance for the session's trainer)."""
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from officers import audit, roles
from officers import hours as hours_service
from officers.models import MODE_CENTRAL, SOURCE_ONSITE
from officers.roles import role_required
from officers.scoping import own_profile, visible_officers, visible_units
from portal.params import from_param, id_param

from .forms import AssignmentForm
from .markdown_render import render_markdown
from .models import Assignment, Attendance, CoursePage, OnsiteSession, SessionSignup


def scoped_assignments(user):
    """Assignments a staff member may see: those made to units in their scope,
    and those made above their unit that reach their people."""
    qs = Assignment.objects.select_related("course", "unit", "assigned_by")
    if user.is_superuser:
        return qs
    profile = own_profile(user)
    if profile is None:
        return qs.none()
    unit = profile.unit
    return qs.filter(Q(unit__path__startswith=unit.path)
                     | Q(unit__path__in=unit.ancestor_paths(include_self=False), include_subunits=True))


@role_required(roles.TRAINER, roles.HR)
def assignment_list(request):
    """Course assignments in scope, and a form to add one."""
    if request.method == "POST":
        form = AssignmentForm(request.POST, user=request.user)
        if form.is_valid():
            assignment = form.save(commit=False)
            assignment.assigned_by = request.user
            assignment.save()
            audit.record("course.assigned", request=request, obj=assignment, after={
                "course": assignment.course_id, "unit": assignment.unit_id, "position": assignment.position,
                "tier_only": assignment.tier_only, "due": assignment.due_date.isoformat()})
            messages.success(request, _("已指派课程《%(c)s》给 %(u)s。") % {
                "c": assignment.course.title, "u": assignment.unit.name})
            return redirect("courses:assignments")
    else:
        form = AssignmentForm(user=request.user)
    assignments = scoped_assignments(request.user).order_by("due_date", "pk")
    return render(request, "courses/assignments.html", {
        "form": form, "assignments": assignments, "today": timezone.localdate(),
        "editable_unit_ids": set(visible_units(request.user).values_list("pk", flat=True)),
    })


@require_POST
@role_required(roles.TRAINER, roles.HR)
def assignment_delete(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk, unit__in=visible_units(request.user))
    audit.record("course.unassigned", request=request, obj=assignment, before={
        "course": assignment.course_id, "unit": assignment.unit_id, "due": assignment.due_date.isoformat()})
    assignment.delete()
    messages.success(request, _("已撤销该指派。"))
    return redirect("courses:assignments")


def completion_by_unit(user, course=None):
    """Rows of (unit, assigned, completed, overdue) for the units in the user's
    scope, each counting its whole subtree, over every assigned course (or one)."""
    assignments = list(scoped_assignments(user).filter(course__live=True))
    if course is not None:
        assignments = [a for a in assignments if a.course_id == course.pk]
    by_course = defaultdict(list)
    for a in assignments:
        by_course[a.course_id].append(a)
    today = timezone.localdate()
    direct = defaultdict(lambda: [0, 0, 0])  # unit_id → assigned, completed, overdue
    people = visible_officers(user).filter(is_active=True)
    for course_id, items in by_course.items():
        target = Q(pk__in=[])
        for a in items:
            target |= a.target_q()
        overdue_possible = min(a.due_date for a in items) < today
        done_filter = Q(course_enrollments__course_id=course_id, course_enrollments__completed_at__isnull=False)
        for row in people.filter(target).values("unit_id").annotate(
                total=Count("pk", distinct=True), done=Count("pk", filter=done_filter, distinct=True)):
            counts = direct[row["unit_id"]]
            counts[0] += row["total"]
            counts[1] += row["done"]
            if overdue_possible:
                counts[2] += row["total"] - row["done"]
    units = list(visible_units(user).order_by("path"))
    rows = []
    for unit in units:
        total = done = overdue = 0
        for other in units:
            if other.path.startswith(unit.path):
                t, d, o = direct.get(other.pk, (0, 0, 0))
                total, done, overdue = total + t, done + d, overdue + o
        rows.append({"unit": unit, "total": total, "done": done, "overdue": overdue,
                     "percent": round(100 * done / total) if total else 0})
    return rows


@role_required(roles.HR, roles.TRAINER)
def completion_report(request):
    """Completion of assigned courses by unit, within the viewer's scope (table and bar chart)."""
    course_ids = scoped_assignments(request.user).values_list("course_id", flat=True)
    courses = CoursePage.objects.live().filter(pk__in=course_ids).order_by("tier_rank", "path")
    course = None
    course_id = request.GET.get("course") or ""
    if course_id:
        course = from_param(courses, course_id)
        if course is None:
            raise Http404
    rows = completion_by_unit(request.user, course)
    return render(request, "courses/report.html", {
        "rows": rows, "courses": courses, "course": course, "course_id": course_id,
        "min_depth": min((r["unit"].depth for r in rows), default=1),
    })


# --- On-site sessions ---------------------------------------------------------------


@login_required
def session_list(request):
    """Upcoming on-site sessions with places left; the officer's own sign-ups."""
    officer = own_profile(request.user)
    now = timezone.now()
    qs = OnsiteSession.objects.select_related("course", "trainer").annotate(n_signups=Count("signups", distinct=True))
    if officer is not None:
        qs = qs.annotate(
            signed_up=Exists(SessionSignup.objects.filter(session=OuterRef("pk"), officer=officer)),
            attended=Exists(Attendance.objects.filter(session=OuterRef("pk"), officer=officer)),
        )
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at"))
    past = list(qs.filter(ends_at__lt=now).order_by("-starts_at")[:20])
    return render(request, "courses/sessions.html", {
        "upcoming": upcoming, "past": past, "officer": officer,
        "is_trainer": roles.has_role(request.user, roles.TRAINER),
    })


@require_POST
@login_required
def session_signup(request, pk):
    """Sign up (or with cancel=1, withdraw) for an upcoming session; capacity is enforced under concurrency."""
    officer = own_profile(request.user)
    if officer is None:
        raise Http404
    with transaction.atomic():
        session = OnsiteSession.objects.select_for_update().filter(pk=pk).first()
        if session is None:
            raise Http404
        if session.is_past:
            messages.error(request, _("该现场教学已结束，不能报名或取消。（session_past）"))
        elif request.POST.get("cancel") == "1":
            SessionSignup.objects.filter(session=session, officer=officer).delete()
            messages.success(request, _("已取消报名。"))
        elif SessionSignup.objects.filter(session=session, officer=officer).exists():
            messages.info(request, _("您已报名。"))
        elif session.signups.count() >= session.capacity:
            messages.error(request, _("名额已满。（session_full）"))
        else:
            SessionSignup.objects.create(session=session, officer=officer)
            messages.success(request, _("报名成功：%(s)s") % {"s": session.title})
    return redirect("courses:sessions")


def _may_take_attendance(user, session):
    return user.is_superuser or (roles.has_role(user, roles.TRAINER) and session.trainer_id == user.pk)


@login_required
def session_attendance(request, pk):
    """The trainer's attendance checklist, grouped by unit; checked officers are
    credited the session's hours once. Only officers in the trainer's scope are listed."""
    session = get_object_or_404(OnsiteSession.objects.select_related("course"), pk=pk)
    if not _may_take_attendance(request.user, session):
        raise PermissionDenied
    people = visible_officers(request.user).filter(is_active=True)
    signed_ids = set(session.signups.values_list("officer_id", flat=True))
    present_ids = set(session.attendances.values_list("officer_id", flat=True))
    listed = people.filter(pk__in=signed_ids | present_ids).select_related("unit").order_by(
        "unit__path", "employee_number")
    if request.method == "POST":
        if session.starts_at > timezone.now():
            messages.error(request, _("现场教学尚未开始，不能记录出勤。（session_not_started）"))
            return redirect("courses:session_attendance", pk=session.pk)
        chosen = {id_param(x) for x in request.POST.getlist("present")} - {None}
        allowed = {o.pk: o for o in listed}
        added = 0
        for officer_id in sorted(chosen - present_ids):
            officer = allowed.get(officer_id)
            if officer is None:
                continue
            with transaction.atomic():
                _att, created = Attendance.objects.get_or_create(
                    session=session, officer=officer, defaults={"recorded_by": request.user})
                if created:
                    hours_service.credit(
                        officer, session.hours, source=SOURCE_ONSITE, source_key=f"onsite:{session.pk}",
                        description=_("现场教学：%(t)s") % {"t": session.title},
                        date=timezone.localtime(session.starts_at).date(), actor=request.user,
                        category=session.course.hours_category_id, mode=MODE_CENTRAL)
                    audit.record("course.onsite_attended", request=request, officer=officer, obj=session)
                    added += 1
        messages.success(request, ngettext("已记录 %(n)s 人出勤，学时已计入。", "已记录 %(n)s 人出勤，学时已计入。", added) % {"n": added})
        return redirect("courses:session_attendance", pk=session.pk)
    groups = []
    for officer in listed:
        if not groups or groups[-1]["unit"].pk != officer.unit_id:
            groups.append({"unit": officer.unit, "rows": []})
        groups[-1]["rows"].append({"officer": officer, "present": officer.pk in present_ids,
                                   "signed": officer.pk in signed_ids})
    return render(request, "courses/attendance.html", {
        "session": session, "groups": groups, "n_present": len(present_ids), "n_signed": len(signed_ids),
        "started": session.starts_at <= timezone.now(),
    })


#: The longest text the Markdown preview renders (a lesson's text block is far shorter).
PREVIEW_MAX_CHARS = 100_000


@require_POST
@role_required(roles.TRAINER, roles.LEGAL_REVIEWER, json=True)
def markdown_preview(request):
    """The lesson editor's live preview: Markdown → the HTML a lesson page shows, through the
    same renderer and sanitiser (courses.markdown_render), citations linked."""
    text = request.POST.get("text", "")
    if len(text) > PREVIEW_MAX_CHARS:
        return JsonResponse({"error": {"code": "too_long", "message": _("文本超过 %(n)s 字，无法预览。") % {
            "n": PREVIEW_MAX_CHARS}}}, status=413)
    return JsonResponse({"html": str(render_markdown(text))})
