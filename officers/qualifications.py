"""Qualification rules, their evaluation and the qualification lifecycle.

This module is the only writer of ``QualificationRecord`` and of certificate
statuses; every status change goes to the audit log with before, after, reason
and actor (None for the system).

Rules of a ``QualificationType``:

- grant (取得): the prerequisite qualification held, the required courses
  completed, the qualification exam passed with the minimum score;
- annual review (年审): the minimum training hours of the calendar year and, where
  required, the annual exam passed in that year.

``evaluate(officer, today)`` returns the status and exactly what is missing; with
``apply=True`` (the default) it also grants, renews or expires as the rules say.
It is idempotent: a second call with the same data changes nothing.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import audit, certificates, exam_results, hours_rules, lifecycle
from .hours_rules import _, fmt_hours  # one number format and the memoised gettext, shared
from .models import (
    ACH_COURSE, ACH_EXAM, C_EXPIRED, C_REPLACED, C_REVOKED, C_SUSPENDED, C_VALID, CERT_QUALIFICATION,
    PERSONNEL_AUXILIARY, Q_EXPIRED, Q_NOT_QUALIFIED, Q_QUALIFIED, Q_REVOKED, Q_SUSPENDED, SUSPENDED_BY_HR,
    SUSPENDED_REVIEW_OVERDUE, Achievement, AuditLog, Certificate, Officer, QualificationRecord, QualificationType,
    RequiredCourse, RequiredExam,
)


#: Evaluated statuses (not stored): a valid qualification that lapses soon, one in
#: its renewal window (待换证), one whose 年审 is overdue (within the grace).
S_EXPIRING = "expiring"
S_RENEWAL_DUE = lifecycle.S_RENEWAL_DUE
S_REVIEW_OVERDUE = lifecycle.S_REVIEW_OVERDUE
STATUS_LABELS = {
    Q_QUALIFIED: gettext_lazy("有效"),
    S_EXPIRING: gettext_lazy("即将到期"),
    S_RENEWAL_DUE: gettext_lazy("待换证"),
    S_REVIEW_OVERDUE: gettext_lazy("年审逾期"),
    Q_EXPIRED: gettext_lazy("已过期"),
    Q_SUSPENDED: gettext_lazy("暂扣"),
    Q_REVOKED: gettext_lazy("取消"),
    Q_NOT_QUALIFIED: gettext_lazy("未取得"),
}
STATUS_BADGES = {
    Q_QUALIFIED: "badge-green", S_EXPIRING: "badge-amber", S_RENEWAL_DUE: "badge-amber",
    S_REVIEW_OVERDUE: "badge-red", Q_EXPIRED: "badge-red", Q_SUSPENDED: "badge-amber",
    Q_REVOKED: "badge-red", Q_NOT_QUALIFIED: "badge-grey",
}

#: Exam kinds (exams.Exam.kind) that count when a type names no exam.
EXAM_KIND_QUALIFICATION = "qualification"
EXAM_KIND_ANNUAL = "annual"

#: Status of the year's annual exam (not stored): no attempt yet, a sitting in
#: progress or awaiting marking, failed (a released failed attempt, or the
#: window closed without a pass), passed.
A_NOT_TAKEN = "not_taken"
A_IN_PROGRESS = "in_progress"
A_FAILED = "failed"
A_PASSED = "passed"
ANNUAL_EXAM_LABELS = {
    A_NOT_TAKEN: gettext_lazy("未参加"),
    A_IN_PROGRESS: gettext_lazy("进行中"),
    A_FAILED: gettext_lazy("未通过"),
    A_PASSED: gettext_lazy("已通过"),
}
ANNUAL_EXAM_BADGES = {A_NOT_TAKEN: "badge-grey", A_IN_PROGRESS: "badge-amber", A_FAILED: "badge-red",
                      A_PASSED: "badge-green"}


def expiring_days():
    """A valid qualification expiring within this many days shows as 即将到期."""
    return int(getattr(settings, "QUALIFICATION_EXPIRING_DAYS", 30))


def review_window_days():
    """A 年审 may be completed this many days before it is due."""
    return int(getattr(settings, "QUALIFICATION_REVIEW_WINDOW_DAYS", lifecycle.REVIEW_OPENS_DAYS))


add_months = lifecycle.add_months


# --- Rules data ------------------------------------------------------------------


def _types():
    return list(QualificationType.objects.filter(is_active=True).order_by("sort_order", "code"))


def _required_exams(types):
    """{type_id: [RequiredExam, ...]}."""
    result = defaultdict(list)
    for row in RequiredExam.objects.filter(qualification_type__in=types).select_related("exam"):
        result[row.qualification_type_id].append(row)
    return result


def _required_courses(types):
    """{type_id: [RequiredCourse, ...]}."""
    result = defaultdict(list)
    for row in RequiredCourse.objects.filter(qualification_type__in=types).select_related("course"):
        result[row.qualification_type_id].append(row)
    return result


@dataclass
class Rules:
    """The active qualification types with their required exams, courses and hours, loaded once."""

    types: list
    exams: dict
    courses: dict
    #: {type id: [HoursRequirement]}: the yearly minimum per hours category.
    hours: dict = field(default_factory=dict)

    @classmethod
    def load(cls):
        types = _types()
        return cls(types=types, exams=_required_exams(types), courses=_required_courses(types),
                   hours=hours_rules.requirements_by_type(types))

    @property
    def hours_years(self):
        """Calendar years of ledger the hours rules read."""
        return hours_rules.years_needed(self.types)

    @property
    def base(self):
        return next((t for t in self.types if t.is_base), self.types[0] if self.types else None)


@dataclass
class OfficerData:
    """What the rules need to know about one officer."""

    officer: Officer
    hours: dict = field(default_factory=dict)  # year → Decimal
    #: The hours by year, category and mode (hours_rules.HoursLedger).
    ledger: hours_rules.HoursLedger = field(default_factory=hours_rules.HoursLedger)
    achievements: list = field(default_factory=list)
    records: dict = field(default_factory=dict)  # type id → QualificationRecord
    #: This year's annual exam sittings: (exam id, exam kind, exam_results.SITTING_* state).
    sittings: list = field(default_factory=list)
    #: Recent released failed sittings: (exam id, exam kind, local date).
    failures: list = field(default_factory=list)

    def passed_exam(self, *, exam_id=None, kind=None, min_score=Decimal("0"), year=None, since=None):
        for a in self.achievements:
            if a.kind != ACH_EXAM:
                continue
            if exam_id is not None and a.ref_id != exam_id:
                continue
            if kind is not None and a.ref_kind != kind:
                continue
            if year is not None and a.year != year:
                continue
            if since is not None and _local_date(a.achieved_at) < since:
                continue
            if a.score is None or a.score >= min_score:
                return True
        return False

    def failed_since(self, since, *, exam_ids=(), kind=None):
        """Released failed sittings on or after ``since`` of one of ``exam_ids`` (or of the kind)."""
        return sum(1 for exam_id, exam_kind, day in self.failures
                   if day >= since and (exam_id in exam_ids if exam_ids else exam_kind == kind))

    def completed_course(self, course_id):
        return any(a.kind == ACH_COURSE and a.ref_id == course_id for a in self.achievements)


def _local_date(moment):
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def load_officer_data(officers, year, annual_exam_ids=(), hours_years=2, *, failures_since=None,
                      renewal_exam_ids=()):
    """OfficerData for many officers in a fixed number of queries (the hours of the last
    ``hours_years`` years by category and mode; the sittings of annual-kind exams and of
    ``annual_exam_ids``, the exams named as annual requirements; with ``failures_since``,
    the failed sittings of qualification-kind exams and of ``renewal_exam_ids`` since then)."""
    by_id = {o.pk: OfficerData(o) for o in officers}
    ids = list(by_id)
    for start in range(0, len(ids), 900):  # stay under SQLite's parameter limit
        chunk = ids[start:start + 900]
        for officer_id, ledger in hours_rules.load_ledgers(chunk, year, hours_years).items():
            data = by_id[officer_id]
            data.ledger = ledger
            data.hours = {y: ledger.total(y) for y in ledger.years()}
        for a in Achievement.objects.filter(officer_id__in=chunk).only(
                "officer_id", "kind", "ref_id", "ref_kind", "score", "year", "achieved_at"):
            by_id[a.officer_id].achievements.append(a)
        for r in QualificationRecord.objects.filter(officer_id__in=chunk):
            by_id[r.officer_id].records[r.qualification_type_id] = r
        for officer_id, rows in exam_results.annual_sittings(chunk, year, annual_exam_ids).items():
            by_id[officer_id].sittings.extend(rows)
        if failures_since is not None:
            for officer_id, rows in exam_results.failed_sittings(
                    chunk, failures_since, exam_ids=renewal_exam_ids, kinds=(EXAM_KIND_QUALIFICATION,)).items():
                by_id[officer_id].failures.extend(rows)
    return by_id


def _annual_exam_ids(rules):
    return sorted({r.exam_id for rows in rules.exams.values() for r in rows if r.annual})


def _data_options(rules, today):
    """What load_officer_data needs for these rules: the annual exams, and the failed
    renewal exams back to the earliest renewal window that can be running."""
    window = max((t.renewal_window_months for t in rules.types if t.renewal_exam_required
                  and t.renewal_failures_to_revoke), default=None)
    return {"annual_exam_ids": _annual_exam_ids(rules), "hours_years": rules.hours_years,
            "failures_since": None if window is None else add_months(today, -(max(window, 0) + 12)),
            "renewal_exam_ids": sorted({r.exam_id for rows in rules.exams.values() for r in rows
                                        if not r.annual})}


# --- Evaluation --------------------------------------------------------------------


@dataclass
class Evaluation:
    """The outcome of the rules for one officer and one qualification type."""

    officer: Officer
    qualification_type: QualificationType
    status: str
    reasons: list
    record: QualificationRecord = None
    #: What the grant still needs, and what the next annual review still needs (Unmet
    #: requirements: their reasons, and what the next step is worked out from).
    unmet_for_grant: list = field(default_factory=list)
    unmet_for_review: list = field(default_factory=list)
    #: What the renewal (换证) still needs, once its window has opened.
    unmet_for_renewal: list = field(default_factory=list)
    #: The next 年审's due date and the first day of the renewal window.
    review_due: datetime.date = None
    renewal_from: datetime.date = None
    #: The reason of an automatic 暂扣 or 吊销 the rules ask for; whether a 暂扣 for an
    #: overdue 年审 is lifted by completing it.
    action_reason: str = ""
    lifted_by_review: bool = False
    #: What to do next, one NextStep per reason (filled in by attach_next_steps()).
    next_steps: list = field(default_factory=list)
    #: The annual exam requirements with their status this year (AnnualExam).
    annual_exams: list = field(default_factory=list)
    year: int = 0
    year_hours: Decimal = Decimal("0")
    required_hours: Decimal = Decimal("0")
    #: Every unmet hours rule of the type (hours_rules.HoursGap), whatever the status.
    hours_gaps: list = field(default_factory=list)
    #: What apply=True did: "granted", "renewed", "expired" or "".
    action: str = ""

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def badge(self):
        return STATUS_BADGES[self.status]

    @property
    def expires_at(self):
        return self.record.expires_at if self.record else None

    @property
    def hours_short(self):
        return self.year_hours < self.required_hours

    @property
    def hours_text(self):
        """The year's hours against the requirement, worded so it does not read as a ratio."""
        values = {"have": fmt_hours(self.year_hours), "need": fmt_hours(self.required_hours),
                  "short": fmt_hours(Decimal(self.required_hours or 0) - Decimal(self.year_hours or 0))}
        if not self.required_hours:
            return _("已完成 %(have)s 学时（无年度要求）") % values
        if self.hours_short:
            return _("已完成 %(have)s 学时 / 要求 %(need)s 学时（还差 %(short)s 学时）") % values
        return _("已完成 %(have)s 学时 / 要求 %(need)s 学时（已达标）") % values

    @property
    def missing_for_grant(self):
        return [u.reason for u in self.unmet_for_grant]

    @property
    def missing_for_review(self):
        return [u.reason for u in self.unmet_for_review]

    @property
    def unmet(self):
        """The unmet requirements behind ``reasons`` (none for a revoked or suspended one)."""
        if self.status == Q_NOT_QUALIFIED:
            return self.unmet_for_grant
        if self.status in (Q_REVOKED, Q_SUSPENDED):
            return self.unmet_for_review if self.lifted_by_review else []
        return self.unmet_for_review + self.unmet_for_renewal


#: Kinds of unmet requirement.
U_PREREQUISITE = "prerequisite"
U_COURSE = "course"
U_EXAM = "exam"
U_HOURS = "hours"


@dataclass
class Unmet:
    """One unmet requirement: its reason text and what the next step needs to know."""

    kind: str
    reason: str
    #: U_EXAM: the named exam, or else the exam kind that counts ("" when none does).
    exam_id: int = None
    exam_kind: str = ""
    #: U_EXAM: a sitting of the annual exam is in progress.
    in_progress: bool = False
    #: U_COURSE: the required course page; U_PREREQUISITE: the qualification type.
    course: object = None
    prerequisite: object = None
    #: U_HOURS: hours still needed, and the unmet rule (hours_rules.HoursGap).
    hours_short: Decimal = Decimal("0")
    gap: object = None
    #: U_EXAM: the annual exam is held back until the hours rules are met; among them the
    #: rolling window (轮训).
    gated_by_hours: bool = False
    gated_by_window: bool = False


def _holds(data, type_id, today):
    rec = data.records.get(type_id)
    return bool(rec and rec.status == Q_QUALIFIED and (rec.expires_at is None or rec.expires_at >= today))


def _unmet_for_grant(qtype, data, rules, today):
    missing = []
    if qtype.prerequisite_id and not _holds(data, qtype.prerequisite_id, today):
        missing.append(Unmet(U_PREREQUISITE, _("须先取得%(name)s") % {"name": qtype.prerequisite.name},
                             prerequisite=qtype.prerequisite))
    for req in rules.courses.get(qtype.pk, []):
        if not data.completed_course(req.course_id):
            missing.append(Unmet(U_COURSE, _("课程《%(title)s》未完成") % {"title": req.course.title},
                                 course=req.course))
    named = [r for r in rules.exams.get(qtype.pk, []) if not r.annual]
    if named:
        for req in named:
            since = add_months(today, -req.valid_months) if req.valid_months else None
            if data.passed_exam(exam_id=req.exam_id, min_score=req.min_score, since=since):
                continue
            values = {"title": req.exam.title, "score": fmt_hours(req.min_score), "part": req.part_name,
                      "months": req.valid_months}
            if since is not None and data.passed_exam(exam_id=req.exam_id, min_score=req.min_score):
                text = (_("%(part)s：考试《%(title)s》成绩已超过 %(months)s 个月有效期，须重新通过") if req.part_name
                        else _("考试《%(title)s》成绩已超过 %(months)s 个月有效期，须重新通过"))
            else:
                text = (_("%(part)s：考试《%(title)s》未通过（须 %(score)s 分）") if req.part_name
                        else _("考试《%(title)s》未通过（须 %(score)s 分）"))
            missing.append(Unmet(U_EXAM, text % values, exam_id=req.exam_id))
    elif qtype.qualification_exam_required:
        # Without named exams, any qualification exam counts for the base type;
        # a 专项资格 needs its own exam named before it can be granted by the rules.
        if not qtype.is_base or not data.passed_exam(kind=EXAM_KIND_QUALIFICATION, min_score=qtype.exam_min_score):
            text = (_("资格考试未通过") if qtype.is_base
                    else _("%(name)s考试未通过") % {"name": qtype.display_name}
                    if qtype.personnel_category == PERSONNEL_AUXILIARY else _("专项资格考试未通过"))
            missing.append(Unmet(U_EXAM, text, exam_kind=EXAM_KIND_QUALIFICATION if qtype.is_base else ""))
    return missing


def annual_exam_closes_on(year, exam=None):
    """The last day of the annual exam window: the named exam's close date (local
    time, Asia/Shanghai) when it has one, never later than the year end; without
    an explicit close, 12-31 of the year."""
    year_end = datetime.date(year, 12, 31)
    closes_at = getattr(exam, "closes_at", None)
    if closes_at is None:
        return year_end
    return min(timezone.localtime(closes_at).date(), year_end)


def annual_exam_status(*, passed, sittings, closes_on, today):
    """The one rule for the status of the year's annual exam, used by every page,
    list and report that shows it.

    ``passed``: the officer has a qualifying pass this year; ``sittings``: the
    exam_results.SITTING_* states of this year's sittings; ``closes_on``: the last
    day of the window. Nobody is failed before the window closes unless a released
    attempt failed; without an attempt, the exam is 未参加 until then."""
    if passed:
        return A_PASSED
    sittings = list(sittings)
    if exam_results.SITTING_IN_PROGRESS in sittings:
        return A_IN_PROGRESS
    if exam_results.SITTING_FINISHED in sittings or today > closes_on:
        return A_FAILED
    return A_NOT_TAKEN


@dataclass
class AnnualExam:
    """The status of one annual exam requirement (a named exam, or any annual-kind exam)."""

    status: str
    closes_on: datetime.date
    year: int
    title: str = ""
    #: The named exam (None: any annual-kind exam counts).
    exam_id: int = None

    @property
    def label(self):
        return ANNUAL_EXAM_LABELS[self.status]

    @property
    def badge(self):
        return ANNUAL_EXAM_BADGES[self.status]

    @property
    def met(self):
        return self.status == A_PASSED

    @property
    def reason(self):
        """What is missing, worded as pending until it is a failure; "" when passed."""
        if self.status == A_PASSED:
            return ""
        values = {"year": self.year, "title": self.title, "date": self.closes_on.isoformat()}
        if self.status == A_FAILED:
            return (_("%(year)s 年度考试《%(title)s》未通过") if self.title else _("年度考试未通过")) % values
        if self.status == A_IN_PROGRESS:
            return (_("尚未通过 %(year)s 年度考试《%(title)s》（进行中）") if self.title
                    else _("尚未通过年度考试（进行中）")) % values
        return (_("尚未通过 %(year)s 年度考试《%(title)s》（未参加，%(date)s 截止）") if self.title
                else _("尚未通过年度考试（未参加，%(date)s 截止）")) % values


def annual_exams(qtype, data, rules, today):
    """The type's annual exam requirements with their status this year (empty when none)."""
    year = today.year
    named = [r for r in rules.exams.get(qtype.pk, []) if r.annual]
    result = []
    if named:
        for req in named:
            closes_on = annual_exam_closes_on(year, req.exam)
            status = annual_exam_status(
                passed=data.passed_exam(exam_id=req.exam_id, min_score=req.min_score, year=year),
                sittings=[state for exam_id, _kind, state in data.sittings if exam_id == req.exam_id],
                closes_on=closes_on, today=today)
            result.append(AnnualExam(status, closes_on, year, req.exam.title, req.exam_id))
    elif qtype.annual_exam_required:
        closes_on = annual_exam_closes_on(year)
        status = annual_exam_status(
            passed=data.passed_exam(kind=EXAM_KIND_ANNUAL, min_score=qtype.annual_exam_min_score, year=year),
            sittings=[state for _id, kind, state in data.sittings if kind == EXAM_KIND_ANNUAL],
            closes_on=closes_on, today=today)
        result.append(AnnualExam(status, closes_on, year))
    return result


def _unmet_for_review(qtype, data, rules, today, exams, gaps):
    """The hours rules (each its own requirement), then the annual exams."""
    missing = [Unmet(U_HOURS, gap.reason, hours_short=gap.short, gap=gap) for gap in gaps]
    holding = hours_rules.gate_gaps(qtype, gaps)
    missing.extend(Unmet(U_EXAM, exam.reason, exam_id=exam.exam_id,
                         exam_kind="" if exam.exam_id else EXAM_KIND_ANNUAL,
                         in_progress=exam.status == A_IN_PROGRESS,
                         gated_by_hours=bool(holding) and exam.status == A_NOT_TAKEN,
                         gated_by_window=any(not gap.yearly for gap in holding) and exam.status == A_NOT_TAKEN)
                   for exam in exams if not exam.met)
    return missing


def _renewal_exams(qtype, rules):
    """The renewal exam: the type's grant exams (each part) sat again, or for the base
    type without named exams any qualification exam. [(exam id or None, title, min score)]."""
    named = [r for r in rules.exams.get(qtype.pk, []) if not r.annual]
    if named:
        return [(r.exam_id, r.exam.title, r.min_score, r.part_name) for r in named]
    return [(None, "", qtype.exam_min_score, "")]


def _unmet_for_renewal(qtype, data, rules, start):
    """The renewal exams not yet passed since the window opened on ``start``."""
    if not qtype.renewal_exam_required:
        return []
    missing = []
    for exam_id, title, min_score, part in _renewal_exams(qtype, rules):
        kind = EXAM_KIND_QUALIFICATION if exam_id is None and qtype.is_base else None
        if exam_id is None and kind is None:
            passed = False  # a 专项资格 needs its own exam named
        else:
            passed = data.passed_exam(exam_id=exam_id, kind=kind, min_score=min_score, since=start)
        if not passed:
            values = {"title": title, "part": part, "date": start.isoformat()}
            text = (_("%(part)s：换证考试《%(title)s》尚未通过（%(date)s 起）") if part
                    else _("换证考试《%(title)s》尚未通过（%(date)s 起）") if title
                    else _("换证考试尚未通过（%(date)s 起须重新通过资格考试）"))
            missing.append(Unmet(U_EXAM, text % values, exam_id=exam_id, exam_kind=kind or ""))
    return missing


def _renewal_failures(qtype, data, rules, start):
    if not qtype.renewal_exam_required or start is None:
        return 0
    ids = [exam_id for exam_id, *_rest in _renewal_exams(qtype, rules) if exam_id is not None]
    if ids:
        return data.failed_since(start, exam_ids=ids)
    return data.failed_since(start, kind=EXAM_KIND_QUALIFICATION) if qtype.is_base else 0


def _review_needs_exam(qtype, rec, in_window):
    """Whether this year's 年审 (or the renewal) requires the annual exam: not when the
    renewal exam takes its place, and only at every N-th 年审."""
    if in_window and qtype.renewal_exam_required:
        return False
    if rec is not None and rec.review_due is not None:
        number = lifecycle.review_number(rec.granted_at, rec.review_due, qtype.review_interval_months)
        return lifecycle.review_requires_exam(number, qtype.review_exam_every)
    return True


def judge(qtype, data, rules, today):
    """Pure rule evaluation: (Evaluation, action) where action is what the
    lifecycle should do ("grant", "renew", "expire", "review", "suspend", "revoke",
    "lift" or ""); the decisions about dates are officers.lifecycle's."""
    rec = data.records.get(qtype.pk)
    year = today.year
    renewal_from = lifecycle.renewal_window_start(rec.expires_at, qtype.renewal_window_months) if rec else None
    in_window = renewal_from is not None and today >= renewal_from
    exams = annual_exams(qtype, data, rules, today)
    gaps = hours_rules.hours_gaps(qtype, rules.hours.get(qtype.pk, ()), data.ledger, year)
    review_unmet = _unmet_for_review(qtype, data, rules, today, exams, gaps)
    if not _review_needs_exam(qtype, rec, in_window):
        exams = []
        review_unmet = [u for u in review_unmet if u.kind != U_EXAM]
    ev = Evaluation(
        officer=data.officer, qualification_type=qtype, status=Q_NOT_QUALIFIED, reasons=[], record=rec,
        unmet_for_grant=_unmet_for_grant(qtype, data, rules, today),
        unmet_for_review=review_unmet, annual_exams=exams, year=year,
        year_hours=data.hours.get(year, Decimal("0")), required_hours=qtype.min_hours_per_year, hours_gaps=gaps,
        review_due=rec.review_due if rec else None, renewal_from=renewal_from,
    )
    grant_missing, review_missing = ev.missing_for_grant, ev.missing_for_review
    status = rec.status if rec else Q_NOT_QUALIFIED
    reviewed = (rec.last_review or rec.granted_at) if rec else None
    not_reviewed_this_year = reviewed is None or reviewed.year < year
    action = ""
    if status == Q_REVOKED:
        ev.status = Q_REVOKED
        ev.reasons = [_("资格已取消：%(r)s") % {"r": rec.status_reason}] if rec.status_reason else [_("资格已取消")]
        bar = lifecycle.reapply_decision(today=today, reapply_after=rec.reapply_after)
        if bar.reason:
            ev.reasons.append(bar.reason)
    elif status == Q_SUSPENDED:
        ev.status = Q_SUSPENDED
        ev.reasons = [_("资格暂扣：%(r)s") % {"r": rec.status_reason}] if rec.status_reason else [_("资格暂扣")]
        if rec.suspension_cause == SUSPENDED_REVIEW_OVERDUE:
            # Completing the overdue 年审 lifts the suspension.
            ev.lifted_by_review = True
            ev.reasons += review_missing
            if not review_missing and not_reviewed_this_year:
                action = "lift"
    elif status == Q_NOT_QUALIFIED:
        ev.status = Q_NOT_QUALIFIED
        ev.reasons = list(grant_missing)
        if not grant_missing:
            action = "grant"
    else:  # qualified or expired: the renewal and the 年审 decide
        expires = rec.expires_at
        if in_window:
            ev.unmet_for_renewal = _unmet_for_renewal(qtype, data, rules, renewal_from)
        renewal_missing = [u.reason for u in ev.unmet_for_renewal]
        # Without a renewal exam the renewal is the annual review: at most once a year.
        met = not review_missing and not renewal_missing and (
            qtype.renewal_exam_required or not_reviewed_this_year)
        renewal = lifecycle.renewal_decision(
            today=today, expires_at=expires, window_months=qtype.renewal_window_months, requirements_met=met,
            failures=_renewal_failures(qtype, data, rules, renewal_from) if in_window else 0,
            failures_to_revoke=qtype.renewal_failures_to_revoke)
        lapsed = expires is not None and expires < today
        review = lifecycle.Decision(lifecycle.S_ACTIVE)
        if status == Q_QUALIFIED and not lapsed:
            review = lifecycle.review_decision(
                today=today, due=rec.review_due, grace_days=qtype.review_grace_days,
                requirements_met=not review_missing and not_reviewed_this_year, opens_days=review_window_days())
        if renewal.action in (lifecycle.T_RENEW, lifecycle.T_REVOKE):
            action, ev.action_reason = renewal.action, renewal.reason
        elif status == Q_QUALIFIED and lapsed:
            action = "expire"
        elif review.action:
            action, ev.action_reason = review.action, review.reason
        if lapsed or status == Q_EXPIRED:
            ev.status = Q_EXPIRED
            ev.reasons = [_("资格已于 %(d)s 到期") % {"d": expires.isoformat()}] + review_missing + renewal_missing
        elif expires is not None and expires <= today + datetime.timedelta(days=expiring_days()):
            ev.status = S_EXPIRING
            ev.reasons = [_("资格将于 %(d)s 到期") % {"d": expires.isoformat()}] + review_missing + renewal_missing
        elif review.state == lifecycle.S_REVIEW_OVERDUE:
            ev.status = S_REVIEW_OVERDUE
            ev.reasons = [review.reason] + review_missing
        elif in_window and qtype.renewal_exam_required:  # without a renewal exam, the 年审 renews
            ev.status = S_RENEWAL_DUE
            ev.reasons = [renewal.reason] + review_missing + renewal_missing
        else:
            ev.status = Q_QUALIFIED
            ev.reasons = ([review.reason] if review.state == lifecycle.S_REVIEW_DUE else []) + review_missing
    return ev, action


def evaluate(officer, today=None, *, qualification_type=None, apply=True, rules=None, data=None):
    """Evaluate the officer against one qualification type (default: the base
    type) and, with apply=True, grant, renew or expire accordingly.
    Returns an Evaluation (status, reasons); None when no type is configured."""
    results = evaluate_all(officer, today, apply=apply, rules=rules, data=data)
    if not results:
        return None
    if qualification_type is None:
        return results[0] if results[0].qualification_type.is_base else next(
            (r for r in results if r.qualification_type.is_base), results[0])
    return next((r for r in results if r.qualification_type.pk == qualification_type.pk), None)


def evaluate_all(officer, today=None, *, apply=True, rules=None, data=None):
    """Evaluations of every active type for one officer (base type first)."""
    today = today or timezone.localdate()
    rules = rules or Rules.load()
    if data is None:
        data = load_officer_data([officer], today.year, **_data_options(rules, today))[officer.pk]
    with Journal(deferred=True, officer_ids=[officer.pk]) as journal:
        return _evaluate_data(data, rules, today, apply=apply, journal=journal)


def _evaluate_data(data, rules, today, *, apply, journal, changes=None):
    results = []
    types = sorted(rules.types, key=lambda t: (not t.is_base, t.prerequisite_id is not None, t.sort_order))
    for qtype in types:
        if qtype.personnel_category != data.officer.personnel_category:
            continue  # 辅助执法证 for 辅助执法人员, the enforcement types for 执法人员
        rec = data.records.get(qtype.pk)
        if rec is not None:  # what the transitions and their audit entries read, without a query each
            rec.officer, rec.qualification_type = data.officer, qtype
        ev, action = judge(qtype, data, rules, today)
        if apply:
            if action:
                data.records[qtype.pk] = _apply_lifecycle(action, rec, ev, today, journal, data.officer, qtype)
                ev, _again = judge(qtype, data, rules, today)
                ev.action = ACTION_DONE[action]
                if changes is not None:
                    changes.append(ev)
            if ev.record is None and (qtype.is_base or qtype.personnel_category == PERSONNEL_AUXILIARY):
                ev.record = data.records[qtype.pk] = QualificationRecord.objects.get_or_create(
                    officer=data.officer, qualification_type=qtype)[0]
            if ev.record is not None:
                _store_summary(ev, journal)
        results.append(ev)
    return results


#: What an evaluation's ``action`` says was done.
ACTION_DONE = {"grant": "granted", "renew": "renewed", "expire": "expired", "review": "reviewed",
               "suspend": "suspended", "revoke": "revoked", "lift": "reinstated"}


def _apply_lifecycle(action, rec, ev, today, journal, officer, qtype):
    """The transition the rules ask for (system actor): the grant, the renewal, the expiry, the
    automatic 年审, 暂扣 (overdue 年审), 吊销 (failed renewal exams) and the lifting of a 暂扣 once
    the overdue 年审 is done. Returns the record."""
    if action == "grant":
        if rec is None:
            rec = QualificationRecord.objects.get_or_create(officer=officer, qualification_type=qtype)[0]
            rec.officer, rec.qualification_type = officer, qtype
        return _grant(rec, today=today, reason=_("符合取得条件，系统自动授予"), journal=journal)
    if action == "renew":
        return _renew(rec, today=today, journal=journal)
    if action == "expire":
        return _expire(rec, journal=journal)
    if action == "review":
        return _review(rec, today=today, journal=journal)
    if action == "suspend":
        return _suspend(rec, actor=None, reason=ev.action_reason, cause=SUSPENDED_REVIEW_OVERDUE, journal=journal)
    if action == "revoke":
        return _revoke(rec, actor=None, reason=ev.action_reason, journal=journal, reapply_after=lifecycle.reapply_until(
            today, qtype.reapply_bar_months))
    rec = _reinstate(rec, actor=None, reason=_("逾期年审已完成，自动恢复"), today=today, journal=journal)
    return _review(rec, today=today, journal=journal) if rec.status == Q_QUALIFIED else rec


def _store_summary(ev, journal):
    """Keep the dashboard's denormalised columns in step (no write when unchanged)."""
    rec = ev.record
    new = {
        "reasons": [str(r) for r in ev.reasons],
        "hours_year": ev.year,
        "year_hours": Decimal(ev.year_hours).quantize(Decimal("0.1")),
        "hours_short": bool(any(gap.yearly for gap in ev.hours_gaps)
                            and rec.status in (Q_QUALIFIED, Q_EXPIRED, Q_SUSPENDED)),
        "hours_gaps": hours_rules.gaps_text(ev.hours_gaps),
    }
    if any(getattr(rec, k) != v for k, v in new.items()) or rec.evaluated_at is None:
        for k, v in new.items():
            setattr(rec, k, v)
        rec.evaluated_at = timezone.now()
        journal.save_summary(rec, {**new, "evaluated_at": rec.evaluated_at})


def evaluate_many(officers, today=None, *, apply=True, rules=None, batch_size=500):
    """Evaluate many officers (an iterable or queryset) in batches; returns the list of
    Evaluations where the lifecycle changed something. Each batch's changes are written
    together (Journal)."""
    today = today or timezone.localdate()
    rules = rules or Rules.load()
    changes = []
    batch = []

    def run(batch):
        data = load_officer_data(batch, today.year, **_data_options(rules, today))
        with Journal(deferred=True, officer_ids=[o.pk for o in batch]) as journal:
            for officer in batch:
                _evaluate_data(data[officer.pk], rules, today, apply=apply, changes=changes, journal=journal)

    for officer in officers:
        batch.append(officer)
        if len(batch) >= batch_size:
            run(batch)
            batch = []
    if batch:
        run(batch)
    return changes


# --- Next steps ------------------------------------------------------------------------


@dataclass
class NextStep:
    """What to do about one reason: ``text`` with a link to ``url`` (no text for a reason
    that needs no action of the officer, e.g. an expiry notice), and further links."""

    reason: str
    text: str = ""
    url: str = ""
    #: Further links: [(text, url)].
    extra: list = field(default_factory=list)


def _url(name, *args):
    """The URL of a named route, "" when the app that has it is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def next_step(unmet, open_exams, catalogue=None):
    """The one rule for what to do about an unmet requirement, used by 我的资格 and the
    dashboard panel. ``open_exams``: [(exam id, exam kind, title)] the officer can take
    now (exam_results.open_exams); ``catalogue``: a function of an hours category code
    giving the course catalogue's URL filtered by it. Returns a NextStep with the text
    and the link."""
    step = NextStep(unmet.reason)
    if unmet.kind == U_EXAM and unmet.gated_by_hours:
        step.text = (_("年度考试须先修满规定学时：先完成上面的学时要求") if unmet.gated_by_window
                     else _("年度考试须先修满本年学时：先完成上面的学时要求"))
        step.url = _url("courses:my_learning")
    elif unmet.kind == U_HOURS and unmet.gap is not None and unmet.gap.code != hours_rules.GAP_TOTAL:
        gap = unmet.gap
        if gap.code == hours_rules.GAP_CENTRAL or (gap.code == hours_rules.GAP_WINDOW and gap.central_only):
            step.text = _("报名参加集中培训（现场教学）")
            step.url = _url("courses:sessions")
        elif gap.category is not None:
            step.text = _("还差 %(n)s 学时：去学习「%(name)s」类课程") % {
                "n": fmt_hours(gap.short), "name": gap.category.label}
            step.url = (catalogue(gap.category.code) if catalogue else "") or _url("courses:my_learning")
        else:
            step.text = _("还差 %(n)s 学时：去学习课程") % {"n": fmt_hours(gap.short)}
            step.url = _url("courses:my_learning")
    elif unmet.kind == U_EXAM:
        exam = None
        if unmet.exam_id:
            exam = next((e for e in open_exams if e[0] == unmet.exam_id), None)
        elif unmet.exam_kind:
            exam = next((e for e in open_exams if e[1] == unmet.exam_kind), None)
        if exam is not None:
            template = _("继续考试《%(title)s》") if unmet.in_progress else _("去参加考试《%(title)s》")
            step.text, step.url = template % {"title": exam[2]}, _url("exams:exam_detail", exam[0])
        else:
            step.text = _("暂无可参加的考试，请关注通知")
            exams_url = _url("exams:exam_list")
            if exams_url:
                step.extra.append((_("我的考试"), exams_url))
    elif unmet.kind == U_HOURS:
        step.text = _("还差 %(n)s 学时：去学习课程") % {"n": fmt_hours(unmet.hours_short)}
        step.url = _url("courses:my_learning")
        sessions_url = _url("courses:sessions")
        if sessions_url:
            step.extra.append((_("报名现场培训"), sessions_url))
    elif unmet.kind == U_COURSE:
        step.text = _("去学习《%(title)s》") % {"title": unmet.course.title}
        step.url = getattr(unmet.course, "url", "") or _url("courses:my_learning")
    elif unmet.kind == U_PREREQUISITE:
        step.text = _("先取得%(name)s") % {"name": unmet.prerequisite.name}
        step.url = f"{_url('officers:my_qualification')}#qual-{unmet.prerequisite.code}"
    return step


def next_steps(ev, open_exams, catalogue=None):
    """One NextStep per reason of the evaluation, in the same order."""
    by_reason = {str(u.reason): u for u in ev.unmet}
    return [next_step(by_reason[str(r)], open_exams, catalogue) if str(r) in by_reason else NextStep(r)
            for r in ev.reasons]


def attach_next_steps(evaluations, officer, now=None):
    """Fill in ``next_steps`` of the officer's evaluations, reading the open exams once."""
    unmet = [u for ev in evaluations if ev for u in ev.unmet if u.kind == U_EXAM]
    exam_ids = sorted({u.exam_id for u in unmet if u.exam_id})
    kinds = sorted({u.exam_kind for u in unmet if not u.exam_id and u.exam_kind})
    exams = exam_results.open_exams(officer, exam_ids=exam_ids, kinds=kinds, now=now) if unmet else []
    catalogue_urls = {}

    def catalogue(code):
        if None not in catalogue_urls:
            catalogue_urls[None] = hours_rules.course_catalogue_url()
        return f"{catalogue_urls[None]}?hours_category={code}" if catalogue_urls[None] else ""

    for ev in evaluations:
        if ev:
            ev.next_steps = next_steps(ev, exams, catalogue)
    return evaluations


def required_hours(officer, year):
    """The officer's yearly training-hour requirement: the highest minimum among
    the base qualification and the types the officer holds or seeks."""
    held = QualificationRecord.objects.filter(officer=officer).exclude(status=Q_REVOKED).values(
        "qualification_type_id")
    value = QualificationType.objects.filter(is_active=True).filter(
        models.Q(is_base=True) | models.Q(pk__in=held)).aggregate(m=models.Max("min_hours_per_year"))["m"]
    return value or Decimal("0")


# --- Lifecycle -------------------------------------------------------------------------

#: The record's fields a transition changes (``updated_at`` as ``save`` would stamp it).
LIFECYCLE_FIELDS = ["status", "granted_at", "expires_at", "last_review", "review_due", "reapply_after",
                    "status_reason", "status_before_suspension", "suspension_cause", "updated_at"]
SUMMARY_FIELDS = ["reasons", "hours_year", "year_hours", "hours_short", "hours_gaps", "evaluated_at"]
#: The qualification certificates a transition may change.
_OPEN_CERTIFICATES = (C_VALID, C_SUSPENDED, C_EXPIRED)


class Journal:
    """Where the transitions write.

    ``Journal()`` writes at once (an HR action, inside its transaction). ``Journal(deferred=True,
    officer_ids=...)``, used as a context manager by the evaluation, collects what the transitions
    of a batch of officers change — the records, the certificates' statuses, the audit entries in
    the order they happen, the dashboard's summary columns — and writes it when the block ends: one
    prepared UPDATE of the records (update_rows), one of the certificates and one ``bulk_create``
    of the audit entries per batch, in one transaction opened at the batch's first change (a batch
    that changes nothing writes nothing). The certificates of the batch's officers are read once, at the first
    transition that needs them. Issuing a certificate (a grant or renewal) creates it at once,
    inside that transaction."""

    def __init__(self, deferred=False, officer_ids=()):
        self.deferred = deferred
        self.officer_ids = list(officer_ids)
        self.records, self.summaries, self.certificates = {}, {}, {}
        #: The audit entries to write (None: written at once).
        self.entries = [] if deferred else None
        self._atomic = None
        self._open = None  # {record id: [certificates]} of the batch, once read
        self._reread = set()  # records whose certificates were issued since

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None and (self.records or self.summaries or self.certificates or self.entries):
            self.begin()
            try:
                self.flush()
            except BaseException as error:
                atomic, self._atomic = self._atomic, None
                atomic.__exit__(type(error), error, error.__traceback__)
                raise
        atomic, self._atomic = self._atomic, None
        return atomic.__exit__(exc_type, exc, tb) if atomic is not None else False

    def begin(self):
        """Open the batch's transaction (once)."""
        if self.deferred and self._atomic is None:
            self._atomic = transaction.atomic()
            self._atomic.__enter__()

    def save(self, rec):
        """A transition changed the record (a new record is inserted at once)."""
        self.begin()
        if self.deferred and rec.pk is not None:
            rec.updated_at = timezone.now()
            self.records[rec.pk] = rec
        else:
            rec.save()

    def save_summary(self, rec, values):
        if self.deferred:
            self.summaries[rec.pk] = rec
        else:
            QualificationRecord.objects.filter(pk=rec.pk).update(**values)

    def set_certificate(self, cert, status, reason):
        self.begin()
        if self.deferred:
            self.certificates[cert.pk] = cert
        else:
            Certificate.objects.filter(pk=cert.pk).update(status=status, status_reason=reason)
        cert.status, cert.status_reason = status, reason

    def certificates_of(self, rec, statuses):
        """The record's qualification certificates with one of ``statuses``."""
        if not self.deferred or rec.pk in self._reread:
            return list(rec.certificates.filter(status__in=statuses))
        if self._open is None:
            self._open = defaultdict(list)
            for start in range(0, len(self.officer_ids), 900):
                for cert in Certificate.objects.filter(
                        officer_id__in=self.officer_ids[start:start + 900], qualification__isnull=False,
                        status__in=_OPEN_CERTIFICATES):
                    self._open[cert.qualification_id].append(cert)
        return [c for c in self._open.get(rec.pk, ()) if c.status in statuses]

    def issue_certificate(self, rec, **kwargs):
        """Issue the record's certificate (certificates.issue_for_qualification reads the record's
        certificates, so the statuses changed so far are written first)."""
        self.begin()
        if self.deferred:
            self._write_certificates()
            self._reread.add(rec.pk)
        return certificates.issue_for_qualification(rec, into=self.entries, **kwargs)

    def _write_certificates(self):
        update_rows(list(self.certificates.values()), ["status", "status_reason"])
        self.certificates = {}

    def flush(self):
        """Write what was collected (in the open transaction)."""
        update_rows(list(self.records.values()), LIFECYCLE_FIELDS + SUMMARY_FIELDS)
        update_rows([rec for pk, rec in self.summaries.items() if pk not in self.records], SUMMARY_FIELDS)
        self._write_certificates()
        if self.entries:
            AuditLog.objects.bulk_create(self.entries, batch_size=500)
        self.records, self.summaries, self.entries = {}, {}, []


def update_rows(objs, fields):
    """Write ``fields`` of many rows of one model: one prepared UPDATE run for every row
    (``executemany``). Django's ``bulk_update`` builds a CASE expression per field and row,
    which took most of the time of evaluating thousands of officers."""
    if not objs:
        return
    meta = type(objs[0])._meta
    connection = connections[router.db_for_write(type(objs[0]))]
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table), ", ".join(f"{quote(c.column)} = %s" for c in columns), quote(meta.pk.column))
    rows = [[c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns] + [obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _snapshot(rec):
    return {
        "status": rec.status,
        "granted_at": rec.granted_at.isoformat() if rec.granted_at else None,
        "expires_at": rec.expires_at.isoformat() if rec.expires_at else None,
        "last_review": rec.last_review.isoformat() if rec.last_review else None,
        "review_due": rec.review_due.isoformat() if rec.review_due else None,
    }


def _save_change(rec, action, *, journal, actor=None, reason="", request=None, before=None, **fields):
    for k, v in fields.items():
        setattr(rec, k, v)
    journal.save(rec)
    audit.record(f"qualification.{action}", request=request, actor=actor, officer=rec.officer, obj=rec,
                 before=before, after={**_snapshot(rec), "type": rec.qualification_type.code}, reason=reason,
                 into=journal.entries)
    return rec


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写原因。"), code="reason_required")
    return reason


def _locked(rec):
    """The record re-read under a row lock, for an HR action."""
    return QualificationRecord.objects.select_for_update().select_related("qualification_type", "officer").get(
        pk=rec.pk)


@transaction.atomic
def grant(officer, qtype, *, today=None, actor=None, reason="", request=None):
    """Grant (or re-grant) a qualification: valid for the type's validity period
    from today; issues the qualification certificate."""
    rec, _created = QualificationRecord.objects.select_for_update().get_or_create(
        officer=officer, qualification_type=qtype)
    return _grant(rec, today=today or timezone.localdate(), actor=actor, reason=reason, request=request,
                  journal=Journal())


def _grant(rec, *, today, journal, actor=None, reason="", request=None):
    qtype = rec.qualification_type
    if rec.status == Q_QUALIFIED and rec.expires_at and rec.expires_at >= today:
        return rec
    if rec.status == Q_REVOKED and actor is None:
        return rec  # only HR may grant again after a revocation
    before = _snapshot(rec)
    expires = add_months(today, qtype.validity_months)
    _save_change(rec, "grant", journal=journal, actor=actor, reason=reason or _("授予资格"), request=request,
                 before=before, status=Q_QUALIFIED, granted_at=today, expires_at=expires, last_review=None,
                 review_due=lifecycle.next_review_due(today, qtype.review_interval_months, expires),
                 reapply_after=None, status_reason="", status_before_suspension="", suspension_cause="")
    if qtype.issues_certificate:
        journal.issue_certificate(rec, actor=actor, reason="", issued_at=today)
    return rec


@transaction.atomic
def renew(rec, *, today=None, actor=None, request=None):
    """Renewal (换证) passed — the renewal exam, or without one the annual review in the
    renewal window: extend the validity by one period and reissue the certificate."""
    return _renew(rec, today=today or timezone.localdate(), actor=actor, request=request, journal=Journal())


def _renew(rec, *, today, journal, actor=None, request=None):
    qtype = rec.qualification_type
    before = _snapshot(rec)
    anchor = rec.expires_at if rec.expires_at and rec.expires_at >= today else today
    expires = add_months(anchor, qtype.validity_months)
    reason = (_("换证考试合格，有效期延至 %(d)s") % {"d": expires.isoformat()} if qtype.renewal_exam_required
              else _("%(year)s 年度年审合格") % {"year": today.year})
    _save_change(rec, "renew", journal=journal, actor=actor, request=request, before=before, reason=reason,
                 status=Q_QUALIFIED, expires_at=expires, last_review=today,
                 review_due=lifecycle.next_review_due(anchor, qtype.review_interval_months, expires))
    if qtype.issues_certificate:
        journal.issue_certificate(rec, actor=actor, reason=_("年审换发"), issued_at=today)
    return rec


@transaction.atomic
def review(rec, *, today=None, actor=None, request=None):
    """年审 passed: recorded, and the next 年审 is due one interval later (the validity
    and the certificate are unchanged)."""
    return _review(rec, today=today or timezone.localdate(), actor=actor, request=request, journal=Journal())


def _review(rec, *, today, journal, actor=None, request=None):
    qtype = rec.qualification_type
    before = _snapshot(rec)
    due = rec.review_due or today
    following = lifecycle.next_review_due(due, qtype.review_interval_months, rec.expires_at)
    while following is not None and following <= today:  # one 年审 covers periods missed while suspended
        following = lifecycle.next_review_due(following, qtype.review_interval_months, rec.expires_at)
    return _save_change(rec, "review", journal=journal, actor=actor, request=request, before=before,
                        reason=_("%(year)s 年度年审合格（应于 %(d)s 完成）") % {"year": today.year,
                                                                          "d": due.isoformat()},
                        last_review=today, review_due=following)


@transaction.atomic
def expire(rec, *, today=None):
    """The qualification's validity has passed."""
    return _expire(rec, journal=Journal())


def _expire(rec, *, journal):
    before = _snapshot(rec)
    _save_change(rec, "expire", journal=journal, before=before, reason=_("有效期届满未通过年审"), status=Q_EXPIRED)
    _set_certificates(rec, C_EXPIRED, from_statuses=(C_VALID,), reason=_("资格已过期"), journal=journal)
    return rec


@transaction.atomic
def suspend(rec, *, actor, reason, request=None, cause=SUSPENDED_BY_HR):
    """HR suspends (暂扣) a valid qualification, or the rules do for an overdue 年审
    (``cause``, actor None); a written reason is required."""
    reason = _require_reason(reason)
    return _suspend(_locked(rec), actor=actor, reason=reason, request=request, cause=cause, journal=Journal())


def _suspend(rec, *, actor, reason, journal, request=None, cause=SUSPENDED_BY_HR):
    if rec.status not in (Q_QUALIFIED, Q_EXPIRED):
        raise ValidationError(_("只有有效或已过期的资格可以暂扣。"), code="invalid_transition")
    before = _snapshot(rec)
    _save_change(rec, "suspend", journal=journal, actor=actor, reason=reason, request=request, before=before,
                 status=Q_SUSPENDED, status_before_suspension=rec.status, status_reason=reason,
                 suspension_cause=cause)
    _set_certificates(rec, C_SUSPENDED, from_statuses=(C_VALID,), reason=reason, actor=actor, request=request,
                      journal=journal)
    return rec


@transaction.atomic
def revoke(rec, *, actor, reason, request=None, reapply_after=None):
    """HR revokes (取消) a qualification, or the rules do (吊销, actor None) after failed
    renewal exams with a bar on re-applying until ``reapply_after``; a written reason
    is required."""
    reason = _require_reason(reason)
    return _revoke(_locked(rec), actor=actor, reason=reason, request=request, reapply_after=reapply_after,
                   journal=Journal())


def _revoke(rec, *, actor, reason, journal, request=None, reapply_after=None):
    if rec.status not in (Q_QUALIFIED, Q_SUSPENDED, Q_EXPIRED):
        raise ValidationError(_("该资格当前不能取消。"), code="invalid_transition")
    before = _snapshot(rec)
    _save_change(rec, "revoke", journal=journal, actor=actor, reason=reason, request=request, before=before,
                 status=Q_REVOKED, status_reason=reason, status_before_suspension="", suspension_cause="",
                 reapply_after=reapply_after)
    _set_certificates(rec, C_REVOKED, from_statuses=(C_VALID, C_SUSPENDED, C_EXPIRED), reason=reason,
                      actor=actor, request=request, journal=journal)
    return rec


@transaction.atomic
def reinstate(rec, *, actor, reason, request=None, today=None):
    """HR lifts a suspension or a revocation; a written reason is required."""
    reason = _require_reason(reason)
    return _reinstate(_locked(rec), actor=actor, reason=reason, request=request, today=today or timezone.localdate(),
                      journal=Journal())


def _reinstate(rec, *, actor, reason, today, journal, request=None):
    if rec.status not in (Q_SUSPENDED, Q_REVOKED):
        raise ValidationError(_("只有暂扣或取消的资格可以恢复。"), code="invalid_transition")
    was = rec.status
    before = _snapshot(rec)
    lapsed = rec.expires_at is None or rec.expires_at < today
    _save_change(rec, "reinstate", journal=journal, actor=actor, reason=reason, request=request, before=before,
                 status=Q_EXPIRED if lapsed else Q_QUALIFIED, status_reason="", status_before_suspension="",
                 suspension_cause="")
    if not lapsed:
        if was == Q_SUSPENDED:
            _set_certificates(rec, C_VALID, from_statuses=(C_SUSPENDED,), reason=reason, actor=actor,
                              request=request, journal=journal)
        if not journal.certificates_of(rec, (C_VALID,)) and rec.qualification_type.issues_certificate:
            journal.issue_certificate(rec, actor=actor, reason=_("恢复资格"), issued_at=today)
    else:
        _set_certificates(rec, C_EXPIRED, from_statuses=(C_SUSPENDED,), reason=reason, actor=actor,
                          request=request, journal=journal)
    return rec


def hr_grant(rec_or_officer, qtype=None, *, actor, reason, request=None, today=None):
    """HR grants a qualification by hand (e.g. held before the platform); a reason is required."""
    reason = _require_reason(reason)
    officer = rec_or_officer.officer if isinstance(rec_or_officer, QualificationRecord) else rec_or_officer
    qtype = qtype or rec_or_officer.qualification_type
    rec = QualificationRecord.objects.filter(officer=officer, qualification_type=qtype).first()
    if rec and rec.status in (Q_SUSPENDED,):
        raise ValidationError(_("暂扣中的资格请使用“恢复”。"), code="invalid_transition")
    if rec and rec.status == Q_QUALIFIED and rec.expires_at and rec.expires_at >= (today or timezone.localdate()):
        raise ValidationError(_("该资格已有效。"), code="invalid_transition")
    if rec and rec.status == Q_REVOKED:
        bar = lifecycle.reapply_decision(today=today or timezone.localdate(), reapply_after=rec.reapply_after)
        if bar.state == lifecycle.S_BARRED:
            raise ValidationError(_("资格已吊销，%(r)s。") % {"r": bar.reason}, code="reapply_barred")
    return grant(officer, qtype, today=today, actor=actor, reason=reason, request=request)


def _set_certificates(rec, status, *, from_statuses, reason, journal, actor=None, request=None):
    for cert in journal.certificates_of(rec, from_statuses):
        set_certificate_status(cert, status, reason=reason, actor=actor, request=request, journal=journal,
                               officer=rec.officer)


def set_certificate_status(cert, status, *, reason="", actor=None, request=None, journal=None, officer=None):
    """Change a certificate's status (shows on the verification page at once)."""
    if cert.status == status:
        return cert
    journal = journal or Journal()
    before = {"status": cert.status}
    journal.set_certificate(cert, status, reason)
    audit.record("certificate.status", request=request, actor=actor, officer=officer or cert.officer, obj=cert,
                 before=before, after={"status": status, "number": cert.number}, reason=reason,
                 into=journal.entries)
    return cert


def expire_certificates(today=None):
    """Certificates whose validity has passed become 已过期. Returns how many."""
    today = today or timezone.localdate()
    n = 0
    for cert in Certificate.objects.filter(status=C_VALID, valid_until__lt=today).select_related("officer"):
        set_certificate_status(cert, C_EXPIRED, reason=_("有效期届满"))
        n += 1
    return n


__all__ = [
    "S_EXPIRING", "STATUS_LABELS", "Evaluation", "Rules", "evaluate", "evaluate_all", "evaluate_many",
    "required_hours", "fmt_hours", "NextStep", "next_step", "next_steps", "attach_next_steps", "grant", "renew",
    "review", "expire", "suspend", "revoke", "reinstate", "hr_grant",
    "set_certificate_status", "expire_certificates", "C_REPLACED",
]
