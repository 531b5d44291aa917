"""Notices to officers (消息): in the site, and by e-mail where the bureau turns it on.

``notify`` sends one notice per (officer, key): the key names what the notice is
about (a record and its expiry date, a sitting, an assignment and its due date),
so sending again — a second daily run, the same day or the next — does nothing.
``daily(today)`` finds what is due (run by ``run_daily``); the exam result notice
follows officers.events.exam_result_released (qualification_signals).

The checks read the current record fields (``expires_at``, ``review_due``,
``last_review``, ``granted_at``, ``status``, ``hours_short``); the renewal window
and the 年审 interval are the qualification type's own rules, decided by
officers.lifecycle exactly as the evaluation and the HR lists decide them:

- the renewal window opened (``lifecycle.renewal_window_open``: the type asks for a
  renewal exam and its ``renewal_window_months`` before the expiry have begun);
- the next 年审 (the record's ``review_due``, set by the lifecycle at each grant, renewal
  and 年审 with ``lifecycle.next_review_due``) falls within ``lifecycle.REVIEW_WARNING_DAYS``
  (60; 山东: a 2-month warning); a 年审 on or after the expiry has no due date of its
  own: it is the renewal, announced by the expiry notices.

Settings:

- ACADEMY_NOTICE_EXPIRY_DAYS (60, 30, 7): a valid qualification expiring within
  one of these many days gets one notice per threshold (only the nearest when
  several apply at once);
- ACADEMY_NOTICE_COURSE_DUE_DAYS (7): an assigned course not completed that is due
  within this many days (asked of the courses app through the
  ``academy_assignments_due`` hook), and a 类案检索报告 not submitted that is due within
  as many days (asked of the casebank through the ``academy_case_reports_due`` hook);
- ACADEMY_NOTICE_HOURS_FROM ("11-01"): from this day of the year, an officer still
  short of the year's hours gets one notice for the year.

ACADEMY_NOTICE_EMAIL (False) also e-mails each new notice to the officer's
account address through Django's mail; a mail error is recorded on the notice
(``email_error``) and never stops the run.
"""
import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import NOTICE_TEXTS, NoticeKind, Notice, Officer, Q_QUALIFIED, QualificationRecord
from . import lifecycle
from .qualifications import fmt_hours

logger = logging.getLogger(__name__)

#: The hook through which the courses app reports assigned courses coming due:
#: ``fn(start, end)`` → iterable of (officer id, assignment id, course title, due date, url).
ASSIGNMENTS_DUE_HOOK = "academy_assignments_due"
#: The hook through which the casebank reports 类案检索报告 assignments coming due, in the same
#: shape: ``fn(start, end)`` → iterable of (officer id, assignment key, case title, due date, url).
REPORTS_DUE_HOOK = "academy_case_reports_due"


# --- Settings ---------------------------------------------------------------------------


def expiry_thresholds():
    return sorted({int(d) for d in getattr(settings, "ACADEMY_NOTICE_EXPIRY_DAYS", (60, 30, 7))}, reverse=True)


def course_due_days():
    return int(getattr(settings, "ACADEMY_NOTICE_COURSE_DUE_DAYS", 7))


def hours_notice_from(year):
    month, day = (int(x) for x in str(getattr(settings, "ACADEMY_NOTICE_HOURS_FROM", "11-01")).split("-"))
    return datetime.date(year, month, day)


def email_enabled():
    return bool(getattr(settings, "ACADEMY_NOTICE_EMAIL", False))


# --- Sending ----------------------------------------------------------------------------


def _render(kind, params):
    """The (title, body) of a notice in the active language."""
    title, body = NOTICE_TEXTS[kind]
    return str(title) % params, str(body) % params


def notify(officer, kind, key, *, params=None, title="", body="", link="", email=None):
    """Send the notice ``key`` to the officer once; returns (notice, created).

    ``params`` fill the kind's texts (models.NOTICE_TEXTS); ``title``/``body`` are
    for a kind without them. ``email`` overrides ACADEMY_NOTICE_EMAIL."""
    officer_id = getattr(officer, "pk", officer)
    existing = Notice.objects.filter(officer_id=officer_id, key=key).first()
    if existing is not None:
        return existing, False
    params = {k: str(v) for k, v in (params or {}).items()}
    if kind in NOTICE_TEXTS and params:
        title, body = _render(kind, params)
    try:
        with transaction.atomic():
            notice = Notice.objects.create(officer_id=officer_id, kind=kind, key=key[:120], title=title[:200],
                                           body=body, params=params, link=link[:300])
    except IntegrityError:  # sent concurrently by another process
        return Notice.objects.get(officer_id=officer_id, key=key), False
    if email if email is not None else email_enabled():
        send_email(notice)
    return notice, True


def send_email(notice):
    """E-mail a notice to the officer's account address; a failure is recorded, never raised."""
    address = (Officer.objects.filter(pk=notice.officer_id).values_list("user__email", flat=True).first() or "")
    if not address:
        error = _("账号未登记邮箱")
    else:
        link = settings.ACADEMY_PUBLIC_URL.rstrip("/") + notice.link if notice.link.startswith("/") else notice.link
        text = "\n\n".join(part for part in (notice.body, link) if part)
        try:
            send_mail(notice.title, text, None, [address], fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any mail failure is recorded, the run goes on
            logger.warning("notice %s: e-mail failed: %s", notice.pk, exc)
            error = f"{type(exc).__name__}: {exc}"
        else:
            error = ""
    fields = {"email_error": error[:300]}
    if not error:
        fields["emailed_at"] = timezone.now()
    Notice.objects.filter(pk=notice.pk).update(**fields)
    for name, value in fields.items():
        setattr(notice, name, value)
    return not error


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- What is due ------------------------------------------------------------------------


@dataclass
class Due:
    """A notice that should exist."""

    officer_id: int
    kind: str
    key: str
    params: dict
    link: str = ""


@dataclass
class DailyResult:
    sent: dict = field(default_factory=dict)  # kind → number of new notices
    email_errors: int = 0

    @property
    def total(self):
        return sum(self.sent.values())


def record_notices(rec, today):
    """The notices a qualification record calls for on ``today`` (pure: reads only the record and its type)."""
    out = []
    qtype = rec.qualification_type
    if rec.status != Q_QUALIFIED or rec.expires_at is None or rec.expires_at < today:
        return out
    expires = rec.expires_at
    days_left = (expires - today).days
    link = _url("officers:my_qualification")
    base = {"type": qtype.name, "expires": expires.isoformat()}
    reached = [d for d in expiry_thresholds() if days_left <= d]
    if reached:
        nearest = reached[-1]
        out.append(Due(rec.officer_id, NoticeKind.EXPIRING, f"expiring:{rec.pk}:{expires}:{nearest}",
                       {**base, "days": days_left}, link))
    if lifecycle.renewal_window_open(today, expires, qtype.renewal_window_months, qtype.renewal_exam_required):
        out.append(Due(rec.officer_id, NoticeKind.RENEWAL_WINDOW, f"renewal:{rec.pk}:{expires}", base, link))
    review_due = rec.review_due
    if review_due is not None and today >= review_due - datetime.timedelta(days=lifecycle.REVIEW_WARNING_DAYS):
        out.append(Due(rec.officer_id, NoticeKind.REVIEW_DUE, f"review:{rec.pk}:{review_due}",
                       {"type": qtype.name, "due": review_due.isoformat()}, link))
    return out


def _qualification_dues(today):
    # Every valid record: a 年审 falls due however far away the expiry is.
    records = (QualificationRecord.objects.filter(status=Q_QUALIFIED, expires_at__gte=today, officer__is_active=True)
               .select_related("qualification_type").order_by("pk"))
    for rec in records.iterator(chunk_size=2000):
        yield from record_notices(rec, today)


def _hours_dues(today):
    if today < hours_notice_from(today.year):
        return
    seen = set()
    records = (QualificationRecord.objects.filter(hours_short=True, hours_year=today.year, officer__is_active=True)
               .select_related("qualification_type").order_by("officer_id", "qualification_type__sort_order"))
    for rec in records.iterator(chunk_size=2000):
        if rec.officer_id in seen:
            continue
        seen.add(rec.officer_id)
        yield Due(rec.officer_id, NoticeKind.HOURS_SHORT, f"hours:{today.year}",
                  {"year": today.year, "today": today.isoformat(), "have": fmt_hours(rec.year_hours),
                   "need": fmt_hours(rec.qualification_type.min_hours_per_year)},
                  _url("courses:my_learning"))


def _assignment_dues(today, hook, kind, param):
    # Every kind of assignment shares the "course:" key prefix (the casebank's assignment keys read
    # "case-report-<id>"), so an assignment is announced once per due date whatever its kind.
    end = today + datetime.timedelta(days=course_due_days())
    for provider in hooks.get_hooks(hook):
        for officer_id, assignment_key, title, due, url in provider(today, end):
            yield Due(officer_id, kind, f"course:{assignment_key}:{due}",
                      {param: title, "due": due.isoformat()}, url or _url("courses:my_learning"))


def _due_assignments(today):
    yield from _assignment_dues(today, ASSIGNMENTS_DUE_HOOK, NoticeKind.COURSE_DUE, "course")
    yield from _assignment_dues(today, REPORTS_DUE_HOOK, NoticeKind.REPORT_DUE, "case")


def daily(today=None):
    """Send every notice due on ``today`` that was not sent before; returns a DailyResult.
    Already-sent keys are read in bulk, so a repeated run costs a few queries."""
    today = today or timezone.localdate()
    result = DailyResult()
    dues = [*_qualification_dues(today), *_hours_dues(today), *_due_assignments(today)]
    if not dues:
        return result
    sent = set()
    keys = sorted({d.key for d in dues})
    for start in range(0, len(keys), 500):
        sent.update(Notice.objects.filter(key__in=keys[start:start + 500]).values_list("officer_id", "key"))
    for due in dues:
        if (due.officer_id, due.key) in sent:
            continue
        notice, created = notify(due.officer_id, due.kind, due.key, params=due.params, link=due.link)
        sent.add((due.officer_id, due.key))
        if created:
            result.sent[due.kind] = result.sent.get(due.kind, 0) + 1
            if notice.email_error:
                result.email_errors += 1
    return result


def exam_result(officer, sitting, exam, passed):
    """The notice of a released exam result (sent once per sitting)."""
    outcome = _("通过") if passed else _("未通过")
    return notify(officer, NoticeKind.EXAM_RESULT, f"exam:{sitting.pk}",
                  params={"exam": getattr(exam, "title", str(exam)), "outcome": outcome},
                  link=_url("exams:result", sitting.pk))


# --- Reading ----------------------------------------------------------------------------


def unread_count(user):
    """Unread notices of the user's officer profile (one query; 0 without a profile)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(officer__user_id=user.pk, read_at__isnull=True).count()


def mark_read(notices):
    """Mark these notices (a queryset) read now; returns how many changed."""
    return notices.filter(read_at__isnull=True).update(read_at=timezone.now())
