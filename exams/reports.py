"""Error reports on questions (题目纠错): an officer reports, a trainer replies.

An officer may report a question met in practice or on one of their own finished papers,
at most ``DAILY_LIMIT`` reports a day (Asia/Shanghai). Trainers see the reports of the
officers within their scope and resolve each with a reply the officer then reads (the desk of
portal.desk, shared with the casebank's 案例反馈).
"""
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.scoping import visible_officers
from portal import desk

from .models import ErrorReport, ReportKind, ReportStatus
from .practice import version_of, was_on_paper
from .review import practice_pool

#: Reports one officer may file per calendar day.
DAILY_LIMIT = 20
TEXT_MAX = 2000


class ReportError(ValidationError):
    """A refused report or reply (with a code tests can match)."""


def may_report(officer, question):
    return practice_pool().filter(pk=question.pk).exists() or was_on_paper(officer, question)


def reports_today(officer, now=None):
    return desk.sent_today(ErrorReport.objects.filter(officer=officer), now)


def submit(officer, question, kind, text, now=None):
    """File a report. Raises ReportError (codes: not_visible, bad_kind, text_required,
    text_too_long, daily_limit)."""
    text = (text or "").strip()
    if not may_report(officer, question):
        raise ReportError(_("不能对这道题提交纠错。"), code="not_visible")
    if kind not in ReportKind.values:
        raise ReportError(_("请选择问题类型。"), code="bad_kind")
    if not text:
        raise ReportError(_("请说明题目哪里有误。"), code="text_required")
    if len(text) > TEXT_MAX:
        raise ReportError(_("说明不能超过 %(n)s 字。") % {"n": TEXT_MAX}, code="text_too_long")
    if reports_today(officer, now) >= DAILY_LIMIT:
        raise ReportError(_("今天已提交 %(n)s 条纠错，已达每日上限，请明天再提交。") % {"n": DAILY_LIMIT},
                          code="daily_limit")
    return ErrorReport.objects.create(officer=officer, question=question, version=version_of(question),
                                      kind=kind, text=text, created_at=now or timezone.now())


def for_officer(officer):
    return ErrorReport.objects.filter(officer=officer).select_related("question")


def for_trainer(user):
    """Reports of the officers within the trainer's scope."""
    return (ErrorReport.objects.filter(officer__in=visible_officers(user))
            .select_related("question", "officer", "officer__unit", "resolved_by"))


def open_reports(user):
    """The open reports within the trainer's scope, oldest first (the order of the queue)."""
    return desk.open_items(for_trainer(user), ReportStatus.OPEN)


def open_count(user):
    return open_reports(user).count()


def resolve(report, status, reply, user, now=None):
    """Close a report with a reply. Raises ReportError (bad_status, reply_required, reply_too_long,
    already_resolved)."""
    reply = (reply or "").strip()
    if status not in (ReportStatus.ACCEPTED, ReportStatus.REJECTED):
        raise ReportError(_("请选择处理结果（采纳或不采纳）。"), code="bad_status")
    if not reply:
        raise ReportError(_("请填写给报告人的回复。"), code="reply_required")
    if len(reply) > TEXT_MAX:
        raise ReportError(_("回复不能超过 %(n)s 字。") % {"n": TEXT_MAX}, code="reply_too_long")
    if not desk.close(ErrorReport.objects, report, status, reply, user, ReportStatus.OPEN, now):
        raise ReportError(_("该纠错已处理。"), code="already_resolved")
    return report
