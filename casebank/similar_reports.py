"""类案检索报告: a trainer sets the report on a case for the officers of a unit; each officer picks
similar published cases, writes for each 案情异同, 裁量结果异同 and 参考结论, and submits; the
trainer marks it (score and comment) and the officer reads the mark.

States: 草稿 (draft, editable) → 已提交 (submitted, read-only to the officer) → 已批阅 (marked; a
trainer may correct the mark). Scope: an officer sees the assignments that target them
(``assignments_for``, the same targeting as a course assignment); a trainer manages the
assignments of the units in their scope and sees only the reports of officers in their scope
(officers.scoping). Assignments coming due reach officers' notices through the
``academy_case_reports_due`` hook (``assignments_due``)."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Officer
from officers.scoping import own_profile, visible_officers, visible_units
from portal.params import id_param

from .casework import MAX_COMPARISONS, ReportStatus, SimilarCaseAssignment, SimilarCaseComparison, SimilarCaseReport
from .similar import visible_cases

TEXT_MAX = 2000
#: The three texts of a comparison, in the order they are asked for.
COMPARISON_FIELDS = ("facts", "outcome", "conclusion")


class ReportError(ValidationError):
    """A refused step of a report (with a code tests can match)."""


# --- Scope -------------------------------------------------------------------------------


def assignments_for(officer):
    """Assignments targeting the officer (their unit, or an ancestor with sub-units included, and
    their position when one is set) on a case that is still published."""
    return (SimilarCaseAssignment.objects.filter(officer.unit.reached_by_q(), case__live=True)
            .filter(Q(position="") | Q(position=officer.position)).select_related("case"))


def managed_assignments(user):
    """Assignments the trainer follows: those set for a unit in their scope, and those set higher up
    (with sub-units) that reach the officers in their scope."""
    q = Q(unit__in=visible_units(user))
    profile = own_profile(user)
    if profile is not None and not user.is_superuser:
        q |= Q(include_subunits=True, unit__path__in=profile.unit.ancestor_paths())
    return SimilarCaseAssignment.objects.filter(q).select_related("case", "unit")


def reports_for_trainer(user):
    """Reports of the officers in the trainer's scope."""
    return (SimilarCaseReport.objects.filter(officer__in=visible_officers(user))
            .select_related("assignment", "assignment__case", "officer", "officer__unit"))


def awaiting_marking(user):
    return reports_for_trainer(user).filter(status=ReportStatus.SUBMITTED)


def officer_rows(officer):
    """[(assignment, report or None)] of the officer's assignments, open ones first."""
    assignments = list(assignments_for(officer).order_by("due_date", "pk"))
    reports = {r.assignment_id: r for r in SimilarCaseReport.objects.filter(
        officer=officer, assignment__in=[a.pk for a in assignments])}
    rows = [(a, reports.get(a.pk)) for a in assignments]
    rows.sort(key=lambda row: (row[1] is not None and row[1].status != ReportStatus.DRAFT, row[0].due_date))
    return rows


def assignment_progress(assignment, user):
    """(reports of officers in the viewer's scope, number of targeted officers in scope)."""
    officers = visible_officers(user).filter(is_active=True).filter(assignment.target_q())
    reports = (assignment.reports.filter(officer__in=visible_officers(user))
               .select_related("officer", "officer__unit").annotate(n_cases=Count("comparisons"))
               .order_by("status", "-submitted_at", "officer__employee_number"))
    return list(reports), officers.count()


# --- The officer's report ------------------------------------------------------------


def start(officer, assignment):
    """The officer's report for the assignment, created as a draft the first time."""
    report = SimilarCaseReport.objects.filter(assignment=assignment, officer=officer).first()
    if report is not None:
        return report
    try:
        with transaction.atomic():
            return SimilarCaseReport.objects.create(assignment=assignment, officer=officer)
    except IntegrityError:  # opened twice at once
        return SimilarCaseReport.objects.get(assignment=assignment, officer=officer)


def _editable(report):
    if report.status != ReportStatus.DRAFT:
        raise ReportError(_("报告已提交，不能再修改。"), code="not_draft")


def save_texts(report, summary, texts):
    """Save the draft's texts: ``texts`` is {comparison id: {field: text}}. Raises ReportError
    (not_draft, text_too_long)."""
    _editable(report)
    summary = (summary or "").strip()
    if len(summary) > TEXT_MAX:
        raise ReportError(_("总体结论不能超过 %(n)s 字。") % {"n": TEXT_MAX}, code="text_too_long")
    for values in texts.values():
        if any(len((values.get(name) or "").strip()) > TEXT_MAX for name in COMPARISON_FIELDS):
            raise ReportError(_("每项比对不能超过 %(n)s 字。") % {"n": TEXT_MAX}, code="text_too_long")
    with transaction.atomic():
        for comparison in report.comparisons.filter(pk__in=list(texts)):
            values = texts[comparison.pk]
            for name in COMPARISON_FIELDS:
                setattr(comparison, name, (values.get(name) or "").strip())
            comparison.save(update_fields=list(COMPARISON_FIELDS))
        report.summary = summary
        report.save(update_fields=["summary", "updated_at"])


def _as_id(value):
    """A posted id as an int, or None for junk (letters, signs, beyond a database integer)."""
    return id_param(str(value).strip())


def add_case(report, case_id, user):
    """Add a similar case the officer may open. Raises ReportError (not_draft, not_found,
    same_case, duplicate, too_many)."""
    _editable(report)
    case_id = _as_id(case_id)
    case = visible_cases(user).filter(pk=case_id).first() if case_id is not None else None
    if case is None:
        raise ReportError(_("找不到该案例，或该案例未发布。"), code="not_found")
    if case.pk == report.assignment.case_id:
        raise ReportError(_("不能选择本案自身作为类案。"), code="same_case")
    existing = list(report.comparisons.values_list("case_id", flat=True))
    if case.pk in existing:
        raise ReportError(_("该案例已在报告中。"), code="duplicate")
    if len(existing) >= MAX_COMPARISONS:
        raise ReportError(_("一份报告最多比对 %(n)s 个类案。") % {"n": MAX_COMPARISONS}, code="too_many")
    try:
        with transaction.atomic():
            return SimilarCaseComparison.objects.create(report=report, case=case, sort_order=len(existing) + 1)
    except IntegrityError:
        raise ReportError(_("该案例已在报告中。"), code="duplicate") from None


def remove_case(report, comparison_id):
    """Drop one comparison of the draft; an id that is not one of its comparisons drops nothing."""
    _editable(report)
    comparison_id = _as_id(comparison_id)
    if comparison_id is not None:
        report.comparisons.filter(pk=comparison_id).delete()


def submit(report, now=None):
    """Submit a draft: at least the assignment's number of similar cases, each compared in all
    three texts. Raises ReportError (not_draft, too_few, incomplete) listing every problem."""
    _editable(report)
    comparisons = list(report.comparisons.select_related("case"))
    problems = []
    need = report.assignment.min_cases
    if len(comparisons) < need:
        problems.append(ReportError(_("至少需要比对 %(n)s 个类案（现有 %(have)s 个）。") % {
            "n": need, "have": len(comparisons)}, code="too_few"))
    for c in comparisons:
        if not all((getattr(c, name) or "").strip() for name in COMPARISON_FIELDS):
            problems.append(ReportError(_("“%(title)s”的案情异同、裁量结果异同和参考结论都要填写。") % {
                "title": c.case.title}, code="incomplete"))
    if problems:
        raise ReportError(problems)
    done = SimilarCaseReport.objects.filter(pk=report.pk, status=ReportStatus.DRAFT).update(
        status=ReportStatus.SUBMITTED, submitted_at=now or timezone.now())
    if not done:
        raise ReportError(_("报告已提交，不能再修改。"), code="not_draft")
    report.refresh_from_db()
    return report


# --- Marking -----------------------------------------------------------------------------


def mark(report, score, comment, user, now=None):
    """Mark a submitted report (or correct a mark). Raises ReportError (not_submitted, bad_score,
    comment_too_long)."""
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.MARKED):
        raise ReportError(_("报告尚未提交，不能批阅。"), code="not_submitted")
    try:
        score = int(str(score).strip())
    except (TypeError, ValueError):
        score = None
    if score is None or not 0 <= score <= 100:
        raise ReportError(_("请填写 0 到 100 之间的整数分数。"), code="bad_score")
    comment = (comment or "").strip()
    if len(comment) > TEXT_MAX:
        raise ReportError(_("批阅意见不能超过 %(n)s 字。") % {"n": TEXT_MAX}, code="comment_too_long")
    SimilarCaseReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.MARKED, score=score, comment=comment, marked_by=user, marked_at=now or timezone.now())
    report.refresh_from_db()
    return report


# --- Notices -----------------------------------------------------------------------------


def assignments_due(start, end):
    """[(officer id, key, case title, due date, url)] of the report assignments due between ``start``
    and ``end`` that a targeted active officer has not submitted; one query per assignment.
    The key ("case-report-<id>") keeps these apart from course assignments in notices."""
    out = []
    due = (SimilarCaseAssignment.objects.filter(due_date__gte=start, due_date__lte=end, case__live=True)
           .select_related("case", "unit").order_by("due_date", "pk"))
    for assignment in due:
        done = assignment.reports.exclude(status=ReportStatus.DRAFT).values("officer_id")
        officer_ids = (Officer.objects.filter(is_active=True).filter(assignment.target_q())
                       .exclude(pk__in=done).values_list("pk", flat=True))
        title = assignment.case.title
        url = reverse("casebank:report_write", args=[assignment.pk])
        out.extend((pk, f"case-report-{assignment.pk}", title, assignment.due_date, url) for pk in officer_ids)
    return out
