"""On-site teaching: sign-up with capacity, the trainer's attendance checklist, hours credited once."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Attendance, OnsiteSession, SessionSignup
from officers.models import HoursEntry
from tests.courses.factories import make_course
from tests.factories import make_user


def make_session(course, trainer, *, days=3, capacity=2, hours="3"):
    start = timezone.now() + datetime.timedelta(days=days)
    return OnsiteSession.objects.create(course=course, title="占道经营现场教学", starts_at=start,
                                        ends_at=start + datetime.timedelta(hours=3), place="步行街",
                                        trainer=trainer, capacity=capacity, hours=Decimal(hours))


@pytest.mark.django_db
def test_signup_respects_capacity_and_can_be_cancelled(client, trainer_user, units):
    session = make_session(make_course(n_lessons=1), trainer_user, capacity=1)
    first, second = make_user(unit=units["SZ-JB-01"]), make_user(unit=units["SZ-JB-01"])
    url = reverse("courses:session_signup", args=[session.pk])
    client.force_login(first)
    client.post(url)
    client.post(url)  # twice: still one sign-up
    assert SessionSignup.objects.filter(session=session).count() == 1
    client.force_login(second)
    response = client.post(url, follow=True)
    assert "session_full" in response.content.decode()
    assert not SessionSignup.objects.filter(officer=second.officer).exists()
    client.force_login(first)
    client.post(url, {"cancel": "1"})
    client.force_login(second)
    client.post(url)
    assert list(SessionSignup.objects.values_list("officer", flat=True)) == [second.officer.pk]


@pytest.mark.django_db
def test_attendance_checklist_credits_hours_once(client, trainer_user, units):
    session = make_session(make_course(n_lessons=1), trainer_user, days=-1, capacity=10, hours="3.5")
    a = make_user(unit=units["SZ-JB-01"], full_name="甲队员").officer
    b = make_user(unit=units["SZ-JN-01"], full_name="乙队员").officer
    absent = make_user(unit=units["SZ-JB-02"], full_name="丙队员").officer
    for o in (a, b, absent):
        SessionSignup.objects.create(session=session, officer=o)
    url = reverse("courses:session_attendance", args=[session.pk])
    client.force_login(trainer_user)
    html = client.get(url).content.decode()
    assert "甲队员" in html and "乙队员" in html and "第一中队" in html  # grouped by unit
    for _i in range(2):
        client.post(url, {"present": [a.pk, b.pk]})
    assert set(Attendance.objects.values_list("officer", flat=True)) == {a.pk, b.pk}
    entries = HoursEntry.objects.filter(source_key=f"onsite:{session.pk}")
    assert entries.count() == 2 and {e.hours for e in entries} == {Decimal("3.5")}
    assert "学时已计入" in client.get(url).content.decode()


@pytest.mark.django_db
def test_attendance_only_by_the_session_trainer_and_only_in_scope(client, trainer_user, officer_user, units):
    other_trainer = make_user("trainer", unit=units["SZ-JB"])
    session = make_session(make_course(n_lessons=1), other_trainer, days=-1, capacity=10)
    foreign = make_user(unit=units["SZ-JN-01"], full_name="外区队员").officer
    mine = make_user(unit=units["SZ-JB-01"], full_name="本区队员").officer
    SessionSignup.objects.create(session=session, officer=foreign)
    SessionSignup.objects.create(session=session, officer=mine)
    url = reverse("courses:session_attendance", args=[session.pk])
    for user in (trainer_user, officer_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"present": [mine.pk]}).status_code == 403
    client.force_login(other_trainer)
    html = client.get(url).content.decode()
    assert "本区队员" in html and "外区队员" not in html  # the trainer's scope is 江北区
    client.post(url, {"present": [mine.pk, foreign.pk]})
    assert list(Attendance.objects.values_list("officer", flat=True)) == [mine.pk]


@pytest.mark.django_db
def test_no_attendance_before_start(client, trainer_user, units):
    session = make_session(make_course(n_lessons=1), trainer_user, days=2, capacity=10)
    o = make_user(unit=units["SZ-JB-01"]).officer
    SessionSignup.objects.create(session=session, officer=o)
    client.force_login(trainer_user)
    response = client.post(reverse("courses:session_attendance", args=[session.pk]), {"present": [o.pk]}, follow=True)
    assert "session_not_started" in response.content.decode()
    assert not Attendance.objects.exists() and not HoursEntry.objects.exists()


@pytest.mark.django_db
def test_session_list_and_my_learning_show_upcoming(client, officer_user, trainer_user):
    session = make_session(make_course(n_lessons=1), trainer_user, capacity=5)
    SessionSignup.objects.create(session=session, officer=officer_user.officer)
    client.force_login(officer_user)
    assert "占道经营现场教学" in client.get(reverse("courses:sessions")).content.decode()
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "占道经营现场教学" in html and "已报名" in html


@pytest.mark.django_db
def test_upcoming_sessions_count_every_signup(officer_user, trainer_user, units):
    """A session found through the officer's own sign-up still shows the full count of sign-ups."""
    from courses.learning import my_learning

    session = make_session(make_course(n_lessons=1), trainer_user, capacity=5)
    SessionSignup.objects.create(session=session, officer=officer_user.officer)
    SessionSignup.objects.create(session=session, officer=make_user(unit=units["SZ-JB-02"]).officer)
    [found] = my_learning(officer_user.officer)["sessions"]
    assert found.pk == session.pk and found.n_signups == 2 and found.signed_up
