"""Receivers that turn officers.events into notices (officers.notices). Connected by
officers.apps.OfficersConfig.ready()."""
import logging

from django.dispatch import receiver

from . import notices
from .events import exam_result_released, reply_sent
from .models import NoticeKind

logger = logging.getLogger("academy.notices")


@receiver(exam_result_released, dispatch_uid="notices.exam_result_released")
def on_exam_result_released(sender, officer=None, sitting=None, exam=None, passed=False, **kwargs):
    """Tell the officer their result is out (once per sitting); never breaks the release."""
    try:
        notices.exam_result(officer, sitting, exam, passed)
    except Exception:
        logger.exception("exam result notice failed (officer %s)", getattr(officer, "pk", None))


@receiver(reply_sent, dispatch_uid="notices.reply_sent")
def on_reply_sent(sender, officer=None, key="", subject="", outcome="", reply="", link="", **kwargs):
    """Pass staff's reply on to the officer (once per key); never breaks the reply itself."""
    try:
        notices.notify(officer, NoticeKind.REPLY, key,
                       params={"subject": subject, "outcome": outcome, "reply": reply}, link=link)
    except Exception:
        logger.exception("reply notice failed (officer %s)", getattr(officer, "pk", None))
