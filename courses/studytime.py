"""Study time (学习时长) that HR can trust: the rules.

A lesson counts study time one of three ways (``StudyMode``): video lessons count
the seconds a video actually plays, reading lessons count active reading time
(the tab visible and some input in the last minute), and ``none`` counts nothing
(the lesson may be completed a minimum time after it was first opened). The page
(courses/static/courses/lesson.js) measures and sends heartbeats; the server
believes none of it blindly:

- **One item at a time, wall clock bound.** Every officer has one credit clock:
  the end of the last credited interval over all their lessons
  (``LessonProgress.credited_until``). A heartbeat's seconds are credited inside
  ``(start, now + TOLERANCE]`` where ``start`` is the latest of that clock, the
  lesson's previous heartbeat (or the opening of its page: ``last_heartbeat_at``)
  and ``now − BACKLOG``, and the clock moves to the end of what was credited. So credited
  intervals never overlap — two lessons playing side by side are credited once —
  the total never outruns the wall clock by more than the tolerance, and the
  tolerance does not add up over many heartbeats.
- **A per-lesson cap.** A lesson never credits more than its cap.
- **No forward seeking.** The furthest point watched advances at most
  ``MAX_PLAYBACK_RATE`` seconds of video per credited second; the resume position
  is never beyond it. The page refuses a seek past it; the server clamps a claim.

Plain functions on data, tested by a table (tests/courses/test_studytime.py);
``record_heartbeat`` applies them to an officer's LessonProgress in one transaction.
"""
import math
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Officer

from .choices import StudyMode
from .records import LessonProgress

#: Seconds between two heartbeats of the page.
HEARTBEAT_SECONDS = 15
#: Seconds of clock and network jitter allowed at the end of a credited interval (never cumulative).
TOLERANCE_SECONDS = 2
#: Wall-clock seconds a heartbeat can reach back: a page out of touch for longer loses the excess.
BACKLOG_SECONDS = 60
#: The most seconds one heartbeat may claim (more is a bad request, not a bigger credit).
MAX_CLAIM_SECONDS = 600
#: Seconds of video the furthest point may advance per credited second (fast playback up to 2×).
MAX_PLAYBACK_RATE = 2.0
#: Seconds a seek may go past the furthest point watched (a click on the progress bar is not exact).
SEEK_SLACK_SECONDS = 2.0
#: Seconds of inactivity after which reading time stops counting (the page's rule).
IDLE_SECONDS = 60
#: Default minimum for reading: characters per second of an attentive reader (about 600 汉字 a minute).
READING_CHARS_PER_SECOND = 10
#: Default minimum for a video: this share of its length.
VIDEO_SHARE = 0.9
#: The smallest default minimum, and the default when nothing else is known.
MIN_DEFAULT_SECONDS = 30
#: Default cap: this many times the lesson's expected length.
CAP_FACTOR = 2
#: Longest video position accepted (a day).
MAX_POSITION_SECONDS = 24 * 3600


@dataclass(frozen=True)
class LessonStudy:
    """A lesson's study-time settings, defaults resolved."""

    mode: str
    required_seconds: int
    cap_seconds: int
    video_seconds: int | None = None

    @property
    def counted(self):
        return self.mode != StudyMode.NONE


def default_required_seconds(mode, *, video_seconds=None, text_chars=0, estimated_minutes=0):
    """The minimum study time when the trainer sets none: 90 % of the video's length,
    or the text read at READING_CHARS_PER_SECOND (at least MIN_DEFAULT_SECONDS and at
    most the lesson's estimated time)."""
    if mode == StudyMode.VIDEO and video_seconds:
        return math.ceil(video_seconds * VIDEO_SHARE)
    if mode == StudyMode.NONE:
        return MIN_DEFAULT_SECONDS
    seconds = max(MIN_DEFAULT_SECONDS, math.ceil(text_chars / READING_CHARS_PER_SECOND))
    if estimated_minutes:
        seconds = min(seconds, max(MIN_DEFAULT_SECONDS, estimated_minutes * 60))
    return seconds


def default_cap_seconds(required, *, video_seconds=None, estimated_minutes=0):
    """The cap when the trainer sets none: CAP_FACTOR × the longest of the minimum,
    the video and the estimated time."""
    return CAP_FACTOR * max(required, video_seconds or 0, (estimated_minutes or 0) * 60, MIN_DEFAULT_SECONDS)


def settings_problems(required, cap):
    """{field: (message, code)} of contradictory settings (empty: they agree)."""
    if required is not None and cap is not None and cap < required:
        return {"study_cap_seconds": (_("计时上限不能小于最短学习时间。"), "cap_below_minimum")}
    return {}


def study_settings(lesson):
    """The lesson's LessonStudy: its own values, or the defaults derived from its video or text."""
    mode = lesson.study_mode or StudyMode.READING
    video_seconds = lesson.video_seconds or None
    required = lesson.min_read_seconds
    if required is None:
        required = default_required_seconds(mode, video_seconds=video_seconds, text_chars=lesson.study_text_length(),
                                             estimated_minutes=lesson.estimated_minutes)
    cap = lesson.study_cap_seconds
    if cap is None:
        cap = default_cap_seconds(required, video_seconds=video_seconds, estimated_minutes=lesson.estimated_minutes)
    return LessonStudy(mode=mode, required_seconds=required, cap_seconds=max(cap, required),
                       video_seconds=video_seconds)


# --- The rules of one heartbeat --------------------------------------------------------


def credit_window_start(now, since, clock):
    """Where a heartbeat's credited interval may start: after the lesson's previous
    heartbeat (or the opening of its page), after everything already credited to the
    officer (``clock``), and no further back than BACKLOG_SECONDS."""
    return max(x for x in (since, clock, now - timedelta(seconds=BACKLOG_SECONDS)) if x is not None)


def credit_seconds(claimed, *, now, since, clock, credited, cap):
    """Whole seconds of a heartbeat's ``claimed`` seconds that are credited: within the
    wall-clock time since the lesson's previous heartbeat and the officer's credit clock
    (plus TOLERANCE_SECONDS), and within what the lesson's cap leaves. Returns
    (seconds, the officer's new credit clock)."""
    start = credit_window_start(now, since, clock)
    available = (now - start).total_seconds() + TOLERANCE_SECONDS
    seconds = int(max(0, min(claimed, available, cap - credited)))
    if seconds == 0:
        return 0, clock
    return seconds, start + timedelta(seconds=seconds)


def advance_furthest(furthest, claimed, credited_seconds, duration=None):
    """The furthest point watched after a heartbeat: never backwards, never further than
    the credited seconds could play (MAX_PLAYBACK_RATE, plus SEEK_SLACK_SECONDS when
    anything was credited), never beyond the video's end."""
    reach = furthest + credited_seconds * MAX_PLAYBACK_RATE + (SEEK_SLACK_SECONDS if credited_seconds else 0)
    new = max(furthest, min(claimed, reach))
    if duration:
        new = min(new, float(duration))
    return round(new, 1)


def resume_position(position, furthest):
    """Where the video resumes: the last position, never beyond the furthest point watched."""
    return round(max(0.0, min(position, furthest)), 1)


def seek_allowed(target, furthest):
    """May the viewer jump to ``target``? Backwards always; forwards only to what was watched
    (the page applies the same rule with the same slack: lesson.js ``data-seek-slack``)."""
    return target <= furthest + SEEK_SLACK_SECONDS


def remaining_seconds(study, active_seconds):
    """Counted study time still missing before the lesson may be completed."""
    return max(0, study.required_seconds - (active_seconds or 0))


def duration_text(seconds):
    """A duration for people: 45 秒, 3 分 05 秒, 1 小时 02 分."""
    seconds = int(seconds or 0)
    if seconds < 60:
        return _("%(s)s 秒") % {"s": seconds}
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return _("%(m)s 分 %(s)02d 秒") % {"m": minutes, "s": secs}
    hours, minutes = divmod(minutes, 60)
    return _("%(h)s 小时 %(m)02d 分") % {"h": hours, "m": minutes}


# --- A heartbeat from the page ---------------------------------------------------------


class StudyTimeError(Exception):
    """A heartbeat that is refused: a message for the officer and a code."""

    def __init__(self, message, code, status=400):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


@dataclass(frozen=True)
class Heartbeat:
    seconds: int
    position: float = 0.0
    furthest: float = 0.0
    duration: float | None = None


def _number(data, name, *, integer=False, upper=MAX_POSITION_SECONDS, required=False):
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            raise StudyTimeError(_("缺少字段 %(f)s。") % {"f": name}, "missing_field")
        return None
    try:
        value = int(raw) if integer else float(raw)
    except (TypeError, ValueError):
        raise StudyTimeError(_("字段 %(f)s 不是数字。") % {"f": name}, "not_a_number") from None
    if not math.isfinite(value) or value < 0 or value > upper:
        raise StudyTimeError(_("字段 %(f)s 超出范围（0–%(max)s）。") % {"f": name, "max": upper}, "out_of_range")
    return value


def parse_heartbeat(data):
    """A Heartbeat from the page's form fields (seconds, position, furthest, duration), or StudyTimeError."""
    seconds = _number(data, "seconds", integer=True, upper=MAX_CLAIM_SECONDS, required=True)
    position = _number(data, "position") or 0.0
    furthest = _number(data, "furthest") or 0.0
    duration = _number(data, "duration")
    return Heartbeat(seconds=seconds, position=position, furthest=max(furthest, 0.0), duration=duration or None)


def record_heartbeat(officer, lesson, beat, *, now=None):
    """Apply a heartbeat to the officer's progress in the lesson (already opened, or
    StudyTimeError). Returns the updated LessonProgress and the seconds credited."""
    now = now or timezone.now()
    study = study_settings(lesson)
    with transaction.atomic():
        # One heartbeat of an officer at a time, so the credit clock is read and moved once.
        list(Officer.objects.select_for_update().filter(pk=officer.pk).values_list("pk", flat=True))
        progress = LessonProgress.objects.select_for_update().filter(officer=officer, lesson=lesson).first()
        if progress is None:
            raise StudyTimeError(_("请先打开本课时。"), "not_opened", status=403)
        clock = LessonProgress.objects.filter(officer=officer).aggregate(m=Max("credited_until"))["m"]
        credited, new_clock = 0, clock
        if study.counted:
            credited, new_clock = credit_seconds(beat.seconds, now=now, since=progress.last_heartbeat_at, clock=clock,
                                                 credited=progress.active_seconds, cap=study.cap_seconds)
        fields = ["last_heartbeat_at"]
        progress.last_heartbeat_at = now
        if credited:
            progress.active_seconds += credited
            progress.credited_until = new_clock
            fields += ["active_seconds", "credited_until"]
        if study.mode == StudyMode.VIDEO:
            duration = study.video_seconds or beat.duration
            progress.video_furthest = advance_furthest(progress.video_furthest, beat.furthest, credited, duration)
            progress.video_position = resume_position(beat.position, progress.video_furthest)
            fields += ["video_furthest", "video_position"]
        progress.save(update_fields=fields)
    return progress, credited
