"""The study-time rules (courses.studytime) as tables: the wall-clock bound, the per-lesson
cap, one item at a time, forward seeking, defaults and bad heartbeats."""
import datetime

import pytest

from courses import studytime as st
from courses.choices import StudyMode

T0 = datetime.datetime(2026, 12, 6, 9, 0, 0, tzinfo=datetime.timezone.utc)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


# claimed, now, lesson's previous heartbeat, officer's credit clock, credited so far, cap
#   → seconds credited, new clock
CREDIT_CASES = [
    ("normal heartbeat", 15, at(15), at(0), at(0), 0, 600, 15, at(15)),
    ("first heartbeat after opening the page", 15, at(15), at(0), None, 0, 600, 15, at(15)),
    ("jitter within the tolerance", 15, at(14), at(0), at(0), 0, 600, 15, at(15)),
    ("claim beyond the wall clock", 60, at(15), at(0), at(0), 0, 600, 17, at(17)),
    ("the same claim again at once", 15, at(15), at(15), at(15), 0, 600, 2, at(17)),
    ("rapid heartbeats cannot add the tolerance up", 15, at(16), at(15), at(17), 0, 600, 1, at(18)),
    ("nothing claimed", 0, at(15), at(0), at(0), 0, 600, 0, at(0)),
    ("cap reached", 15, at(15), at(0), at(0), 600, 600, 0, at(0)),
    ("cap nearly reached", 15, at(15), at(0), at(0), 590, 600, 10, at(10)),
    ("long silence: only the backlog counts", 600, at(3600), at(0), at(0), 0, 6000, 62, at(3602)),
    # Lesson A was credited up to 30 s; lesson B claims 15 s for 16–31 s: only 1 s (plus the tolerance) is new.
    ("overlap with another lesson", 15, at(31), at(16), at(30), 0, 600, 3, at(33)),
    ("another lesson credited past now", 15, at(31), at(16), at(33), 0, 600, 0, at(33)),
]


@pytest.mark.parametrize("name,claimed,now,since,clock,credited,cap,expected,new_clock", CREDIT_CASES,
                         ids=[c[0] for c in CREDIT_CASES])
def test_credit_seconds(name, claimed, now, since, clock, credited, cap, expected, new_clock):
    assert st.credit_seconds(claimed, now=now, since=since, clock=clock, credited=credited, cap=cap) == \
        (expected, new_clock)


def test_two_lessons_side_by_side_are_credited_once():
    """Two pages opened together and playing at once, each claiming 15 s every 15 s for
    5 minutes, are credited 5 minutes in total (and the tolerance), not 10."""
    clock, total, since = None, 0, {0: at(0), 1: at(0)}
    for step in range(20):
        for lesson in (0, 1):  # lesson A on the quarter minute, lesson B a second later
            now = at(15 * (step + 1) + lesson)
            seconds, clock = st.credit_seconds(15, now=now, since=since[lesson], clock=clock, credited=0, cap=10_000)
            since[lesson] = now
            total += seconds
    assert 300 <= total <= 301 + st.TOLERANCE_SECONDS


# furthest so far, furthest claimed, seconds credited, duration → new furthest
FURTHEST_CASES = [
    ("normal playback", 30.0, 45.0, 15, None, 45.0),
    ("forward seek is clamped", 30.0, 300.0, 15, None, 30.0 + 15 * st.MAX_PLAYBACK_RATE + st.SEEK_SLACK_SECONDS),
    ("nothing credited: no progress at all", 30.0, 45.0, 0, None, 30.0),
    ("never backwards", 30.0, 10.0, 15, None, 30.0),
    ("never beyond the end", 50.0, 70.0, 15, 60, 60.0),
]


@pytest.mark.parametrize("name,furthest,claimed,credited,duration,expected", FURTHEST_CASES,
                         ids=[c[0] for c in FURTHEST_CASES])
def test_advance_furthest(name, furthest, claimed, credited, duration, expected):
    assert st.advance_furthest(furthest, claimed, credited, duration) == pytest.approx(expected)


@pytest.mark.parametrize("target,furthest,allowed", [
    (10.0, 30.0, True),  # back
    (31.5, 30.0, True),  # within the slack
    (40.0, 30.0, False),  # ahead of what was watched
])
def test_seek_allowed(target, furthest, allowed):
    assert st.seek_allowed(target, furthest) is allowed


@pytest.mark.parametrize("position,furthest,expected", [(25.0, 30.0, 25.0), (90.0, 30.0, 30.0), (-1.0, 30.0, 0.0)])
def test_resume_position(position, furthest, expected):
    assert st.resume_position(position, furthest) == expected


@pytest.mark.parametrize("mode,video,chars,minutes,expected", [
    (StudyMode.VIDEO, 600, 0, 20, 540),  # 90 % of the video
    (StudyMode.VIDEO, None, 3000, 20, 300),  # length unknown: read like text
    (StudyMode.READING, None, 3000, 20, 300),  # 3,000 characters at 10 a second
    (StudyMode.READING, None, 50, 20, 30),  # never below 30 s
    (StudyMode.READING, None, 100_000, 20, 1200),  # never above the estimated time
    (StudyMode.NONE, None, 3000, 20, 30),
])
def test_default_required_seconds(mode, video, chars, minutes, expected):
    assert st.default_required_seconds(mode, video_seconds=video, text_chars=chars, estimated_minutes=minutes) \
        == expected


@pytest.mark.parametrize("required,video,minutes,expected", [
    (300, None, 20, 2400), (540, 600, 5, 1200), (30, None, 0, 60)])
def test_default_cap_seconds(required, video, minutes, expected):
    assert st.default_cap_seconds(required, video_seconds=video, estimated_minutes=minutes) == expected


def test_contradictory_settings_are_refused():
    assert st.settings_problems(300, 200)["study_cap_seconds"][1] == "cap_below_minimum"
    assert st.settings_problems(300, 300) == {} and st.settings_problems(None, 10) == {}


@pytest.mark.parametrize("data,code", [
    ({}, "missing_field"),
    ({"seconds": "abc"}, "not_a_number"),
    ({"seconds": "-1"}, "out_of_range"),
    ({"seconds": str(st.MAX_CLAIM_SECONDS + 1)}, "out_of_range"),
    ({"seconds": "15", "position": "nan"}, "out_of_range"),
    ({"seconds": "15", "furthest": "1e9"}, "out_of_range"),
])
def test_bad_heartbeats(data, code):
    with pytest.raises(st.StudyTimeError) as exc:
        st.parse_heartbeat(data)
    assert exc.value.code == code and exc.value.status == 400


def test_heartbeat_fields():
    assert st.parse_heartbeat({"seconds": "15", "position": "12.5", "furthest": "20", "duration": "60"}) == \
        st.Heartbeat(seconds=15, position=12.5, furthest=20.0, duration=60.0)


@pytest.mark.parametrize("seconds,text", [(45, "45 秒"), (185, "3 分 05 秒"), (3720, "1 小时 02 分")])
def test_duration_text(seconds, text):
    assert st.duration_text(seconds) == text
