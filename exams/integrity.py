"""Integrity controls of a sitting (考试纪律): the events a paper reports, the counts the
server keeps from them, and the forced submission the server decides.

The paper only reports what happened (left the page, came back after n seconds, idle
warning, idle countdown ended); the server stores each event with the sitting, keeps the
counts, and submits the paper itself when the exam's limits are passed. An event is
accepted only from the newest page of an open sitting (``Sitting.page_token``) and only
once (``seq`` above the last accepted one): an event of a stale page changes nothing.

Concurrency as in ``engine``: the counts change in one conditional UPDATE that names the
page token and the last sequence number, so a replayed or concurrent event cannot count twice.
"""
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import engine
from .models import EndReason, EventKind, ForcedReason, Sitting, SittingEvent, SittingStatus

RECORDED = "recorded"
DUPLICATE = "duplicate"
STALE_PAGE = "stale_page"
CLOSED = "closed"
BAD_EVENT = "bad_event"

#: Events the paper may report (FORCED is the server's own).
REPORTED = {EventKind.LEAVE, EventKind.RETURN, EventKind.IDLE_WARNING, EventKind.IDLE_RESUME,
            EventKind.IDLE_TIMEOUT}
#: The longest duration one event may carry (a day); longer values are refused as bad input.
MAX_SECONDS = 24 * 3600
#: Slack allowed between the paper's idle countdown and the server's figure (timers in a
#: background tab run late, never early).
IDLE_SLACK_SECONDS = 5


def idle_countdown_seconds():
    """How long the idle dialog counts down before the paper reports the end (setting
    ``EXAM_IDLE_COUNTDOWN_SECONDS``, default 60)."""
    return int(getattr(settings, "EXAM_IDLE_COUNTDOWN_SECONDS", 60))


@dataclass
class Outcome:
    """What became of one reported event."""
    status: str
    message: str = ""
    #: The sitting was submitted because of this event (a ForcedReason), or "".
    forced: str = ""
    warning: str = ""
    counts: dict = field(default_factory=dict)

    @property
    def ok(self):
        return self.status in (RECORDED, DUPLICATE)


def new_page(sitting):
    """Issue a token for a newly rendered paper page; events of earlier pages are refused
    from now on. Returns the token ("" when the sitting is no longer open)."""
    token = Sitting.new_page_token()
    if not Sitting.objects.filter(pk=sitting.pk, status=SittingStatus.OPEN).update(page_token=token):
        return ""
    sitting.page_token = token
    return token


def reopened(sitting, now=None):
    """The paper is opened again: if the officer left it and no return was reported (the
    tab or browser was closed), the time since the leave counts as time away (recorded as
    a return the server saw), and a limit passed by it submits the sitting. Returns the
    forced reason or ""."""
    exam = sitting.exam
    if sitting.status != SittingStatus.OPEN or not exam.tracks_leaving or not sitting.leave_count:
        return ""
    now = now or timezone.now()
    last = (SittingEvent.objects.filter(sitting=sitting, kind__in=[EventKind.LEAVE, EventKind.RETURN])
            .order_by("-seq").first())
    if last is None or last.kind != EventKind.LEAVE:
        return ""
    seconds = min(max(0, int((now - last.at).total_seconds())), MAX_SECONDS)
    with transaction.atomic():
        # Only the request that moves the sitting past this leave adds the time.
        seq = sitting.event_seq + 1
        if not Sitting.objects.filter(pk=sitting.pk, status=SittingStatus.OPEN, event_seq=sitting.event_seq).update(
                away_seconds=models.F("away_seconds") + seconds, event_seq=seq):
            return ""
        SittingEvent.objects.create(sitting=sitting, seq=seq, kind=EventKind.RETURN, seconds=seconds, at=now)
    sitting.refresh_from_db(fields=["away_seconds", "leave_count", "status", "event_seq"])
    reason = violation(exam, sitting)
    if reason:
        force(sitting, reason, now)
    return reason


def counts(sitting):
    return {"leaves": sitting.leave_count, "away_seconds": sitting.away_seconds}


def violation(exam, sitting):
    """The limit the stored counts pass (a ForcedReason), or ""."""
    if exam.leave_limit is not None and sitting.leave_count > exam.leave_limit:
        return ForcedReason.LEAVES
    if exam.away_limit_seconds is not None and sitting.away_seconds > exam.away_limit_seconds:
        return ForcedReason.AWAY
    return ""


def warning(exam, sitting):
    """What the officer is told after leaving the paper while still within the limits."""
    if not exam.tracks_leaving or not (sitting.leave_count or sitting.away_seconds):
        return ""
    parts = [ngettext("您已离开考试页面 %(n)s 次，累计 %(s)s 秒。", "您已离开考试页面 %(n)s 次，累计 %(s)s 秒。",
                      sitting.leave_count) % {"n": sitting.leave_count, "s": sitting.away_seconds}]
    limits = []
    if exam.leave_limit is not None:
        limits.append(ngettext("离开超过 %(n)s 次", "离开超过 %(n)s 次", exam.leave_limit) % {"n": exam.leave_limit})
    if exam.away_limit_seconds is not None:
        limits.append(_("累计超过 %(s)s 秒") % {"s": exam.away_limit_seconds})
    parts.append(_("%(limits)s将强制交卷。") % {"limits": _("或").join(limits)})
    if exam.leave_limit is not None and sitting.leave_count == exam.leave_limit:
        parts.append(_("再离开一次将强制交卷。"))
    return "".join(parts)


def forced_message(sitting):
    """Why a sitting was submitted by force, for the officer and the trainer ("" if it was not)."""
    exam = sitting.exam
    if sitting.forced_reason == ForcedReason.LEAVES:
        return ngettext("离开考试页面 %(n)s 次，超过上限 %(limit)s 次，系统已强制交卷。",
                        "离开考试页面 %(n)s 次，超过上限 %(limit)s 次，系统已强制交卷。",
                        sitting.leave_count) % {"n": sitting.leave_count, "limit": exam.leave_limit}
    if sitting.forced_reason == ForcedReason.AWAY:
        return _("离开考试页面累计 %(s)s 秒，超过上限 %(limit)s 秒，系统已强制交卷。") % {
            "s": sitting.away_seconds, "limit": exam.away_limit_seconds}
    if sitting.forced_reason == ForcedReason.IDLE:
        return _("%(m)s 分钟无任何操作，倒计时结束后系统已强制交卷。") % {"m": exam.idle_minutes}
    return ""


def _seconds(value):
    if value in (None, ""):
        return None
    seconds = int(value)
    if seconds < 0 or seconds > MAX_SECONDS:
        raise ValueError(value)
    return seconds


def _refusal(sitting, token, seq):
    """Why an event cannot be taken (sitting re-read), or None when it can."""
    if sitting.status != SittingStatus.OPEN:
        return Outcome(CLOSED, _("本场考试已交卷，此页面报告的事件不再受理，未作任何更改。"))
    if not token or token != sitting.page_token:
        return Outcome(STALE_PAGE, _("此页面已过期（考试已在其他页面打开或已刷新），事件未受理，未作任何更改。请刷新页面。"))
    if seq <= sitting.event_seq:
        return Outcome(DUPLICATE, counts=counts(sitting))
    return None


def record(sitting, *, token, seq, kind, seconds=None, now=None):
    """Take one event the paper reported. Returns an Outcome; the sitting is submitted by
    force (ended_by FORCED, with the reason) when the stored counts pass a limit, or when
    an idle countdown the server saw start has run out."""
    now = now or timezone.now()
    exam = sitting.exam
    try:
        seq = int(seq)
        seconds = _seconds(seconds)
        if seq < 1 or kind not in REPORTED:
            raise ValueError(kind)
    except (TypeError, ValueError):
        return Outcome(BAD_EVENT, _("事件格式错误，未受理。"))
    if sitting.status == SittingStatus.OPEN and sitting.is_overdue(now):
        engine.finalize(sitting, ended_by=EndReason.TIMEOUT)
    refusal = _refusal(sitting, token, seq)
    if refusal is not None:
        return refusal
    changes = {"event_seq": seq}
    if kind == EventKind.LEAVE:
        changes["leave_count"] = models.F("leave_count") + 1
    elif kind == EventKind.RETURN and seconds:
        changes["away_seconds"] = models.F("away_seconds") + seconds
    try:
        with transaction.atomic():
            won = Sitting.objects.filter(pk=sitting.pk, status=SittingStatus.OPEN, page_token=token,
                                         event_seq__lt=seq).update(**changes)
            if won:
                SittingEvent.objects.create(sitting=sitting, seq=seq, kind=kind, seconds=seconds, at=now)
    except IntegrityError:
        won = 0
    sitting.refresh_from_db(fields=["status", "page_token", "event_seq", "leave_count", "away_seconds",
                                    "forced_reason", "ended_by"])
    if not won:
        return _refusal(sitting, token, seq) or Outcome(DUPLICATE, counts=counts(sitting))
    reason = violation(exam, sitting)
    if not reason and kind == EventKind.IDLE_TIMEOUT and idle_ran_out(sitting, seconds, now):
        reason = ForcedReason.IDLE
    if reason:
        force(sitting, reason, now)
        return Outcome(RECORDED, forced_message(sitting), forced=reason, counts=counts(sitting))
    return Outcome(RECORDED, warning=warning(exam, sitting) if kind == EventKind.RETURN else "",
                   counts=counts(sitting))


def idle_ran_out(sitting, seconds, now):
    """Whether an idle countdown really ran out: idle limits are on, the last idle event
    before this one is a warning (not a resume), the countdown lasted its full time, and no
    answer was saved since the warning arrived."""
    if not sitting.exam.idle_minutes or seconds is None:
        return False
    if seconds + IDLE_SLACK_SECONDS < idle_countdown_seconds():
        return False
    last = (SittingEvent.objects.filter(sitting=sitting, kind__in=[EventKind.IDLE_WARNING, EventKind.IDLE_RESUME])
            .order_by("-seq").first())
    if last is None or last.kind != EventKind.IDLE_WARNING:
        return False
    return not sitting.answers.filter(saved_at__gt=last.at).exists()


def force(sitting, reason, now=None):
    """Submit the sitting because of ``reason`` (every saved answer is graded as on a normal
    submit) and store the decision as an event. Returns True when this call submitted it."""
    now = now or timezone.now()
    won = engine.finalize(sitting, ended_by=EndReason.FORCED, now=now, forced_reason=reason)
    if won:
        SittingEvent.objects.create(sitting=sitting, kind=EventKind.FORCED, reason=reason, at=now)
    sitting.refresh_from_db()
    return won


def report(sittings):
    """The per-exam integrity report: ``sittings`` annotated with their event counts."""
    def n(kind):
        return models.Count("events", filter=models.Q(events__kind=kind))

    return sittings.annotate(n_leaves=n(EventKind.LEAVE), n_idle=n(EventKind.IDLE_WARNING),
                             n_events=models.Count("events"))
