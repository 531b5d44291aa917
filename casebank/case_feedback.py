"""Feedback on a case (案例反馈): an officer tells the trainers what is wrong or could be better;
trainers and legal reviewers resolve it with a reply the officer reads in 消息.

The same desk as the exams app's 题目纠错 (portal.desk: daily quota, queue order, closing once): at most ``DAILY_LIMIT`` pieces of
feedback an officer a day (Asia/Shanghai), staff see the feedback of the officers within their
scope (officers.scoping.visible_officers), and each is resolved once. The reply reaches the
officer through the ``officers.events.reply_sent`` event, after the resolution has committed.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.events import reply_sent
from officers.scoping import visible_officers
from portal import desk

from .personal import FEEDBACK_TEXT_MAX, CaseFeedback, CaseFeedbackKind, CaseFeedbackStatus

#: Pieces of feedback one officer may send per calendar day.
DAILY_LIMIT = 10
TEXT_MAX = FEEDBACK_TEXT_MAX


class FeedbackError(ValidationError):
    """A refused piece of feedback or reply (with a code tests can match)."""


def _clean(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def sent_today(officer, now=None):
    return desk.sent_today(CaseFeedback.objects.filter(officer=officer), now)


def check(kind, text):
    """The text as it will be stored; raises FeedbackError (bad_kind, text_required, text_too_long)."""
    text = _clean(text)
    if kind not in CaseFeedbackKind.values:
        raise FeedbackError(_("请选择反馈类型。"), code="bad_kind")
    if not text:
        raise FeedbackError(_("请写下反馈内容。"), code="text_required")
    if len(text) > TEXT_MAX:
        raise FeedbackError(_("反馈内容不能超过 %(n)s 字（现为 %(len)s 字）。") % {"n": TEXT_MAX, "len": len(text)},
                            code="text_too_long")
    return text


def submit(officer, case, kind, text, now=None):
    """Send feedback on a (live) case. Raises FeedbackError (bad_kind, text_required,
    text_too_long, daily_limit); nothing is stored then."""
    text = check(kind, text)
    if sent_today(officer, now) >= DAILY_LIMIT:
        raise FeedbackError(_("今天已提交 %(n)s 条反馈，已达每日上限，请明天再提交。") % {"n": DAILY_LIMIT},
                            code="daily_limit")
    return CaseFeedback.objects.create(case=case, officer=officer, kind=kind, text=text,
                                       created_at=now or timezone.now())


def of_officer_on_case(officer, case):
    """The officer's own feedback on one case, newest first."""
    if officer is None:
        return CaseFeedback.objects.none()
    return CaseFeedback.objects.filter(officer=officer, case=case).order_by("-created_at", "-id")


def for_staff(user):
    """Feedback from the officers within the user's scope."""
    return (CaseFeedback.objects.filter(officer__in=visible_officers(user))
            .select_related("case", "officer", "officer__unit", "resolved_by"))


def open_feedback(user):
    """The open feedback within the user's scope, oldest first (the order of the queue)."""
    return desk.open_items(for_staff(user), CaseFeedbackStatus.OPEN)


def open_count(user):
    return open_feedback(user).count()


def resolve(feedback, status, reply, user, link="", now=None):
    """Close a piece of feedback with a reply, and tell the officer (消息, linking to ``link``).
    Raises FeedbackError (bad_status, reply_required, reply_too_long, already_resolved)."""
    reply = _clean(reply)
    if status not in (CaseFeedbackStatus.ACCEPTED, CaseFeedbackStatus.REJECTED):
        raise FeedbackError(_("请选择处理结果（采纳或不采纳）。"), code="bad_status")
    if not reply:
        raise FeedbackError(_("请填写给反馈人的回复。"), code="reply_required")
    if len(reply) > TEXT_MAX:
        raise FeedbackError(_("回复不能超过 %(n)s 字。") % {"n": TEXT_MAX}, code="reply_too_long")
    with transaction.atomic():
        if not desk.close(CaseFeedback.objects, feedback, status, reply, user, CaseFeedbackStatus.OPEN, now):
            raise FeedbackError(_("该反馈已处理。"), code="already_resolved")
        transaction.on_commit(lambda: reply_sent.send(
            sender=CaseFeedback, officer=feedback.officer, key=f"case_feedback:{feedback.pk}",
            subject=feedback.case.title, outcome=feedback.get_status_display(), reply=reply, link=link))
    return feedback
