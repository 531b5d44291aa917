"""Notices to officers (消息): sent once each by run_daily, e-mailed where configured, read only by their officer."""
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from wagtail import hooks

from courses.models import Assignment, CourseEnrollment
from officers import notices
from officers.events import exam_result_released
from officers.models import Notice, NoticeKind, Q_QUALIFIED, QualificationRecord, QualificationType
from tests.courses.factories import make_course
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def qtype(db):
    """A one-year qualification without requirements the daily run could act on."""
    return QualificationType.objects.create(code="BASE", name="行政执法资格", is_base=True, validity_months=12,
                                            min_hours_per_year=Decimal("0"), annual_exam_required=False,
                                            qualification_exam_required=False, renewal_exam_required=False)


@pytest.fixture
def card_type(db):
    """A five-year 执法证 with a yearly 年审."""
    return QualificationType.objects.create(code="CARD", name="执法证", is_base=True, validity_months=60,
                                            min_hours_per_year=Decimal("0"), annual_exam_required=False,
                                            qualification_exam_required=False)


def record(officer, qtype, *, expires, granted=None, last_review=None, **fields):
    return QualificationRecord.objects.create(officer=officer, qualification_type=qtype, status=Q_QUALIFIED,
                                              granted_at=granted or expires - datetime.timedelta(days=300),
                                              expires_at=expires, last_review=last_review, **fields)


def run_daily(day):
    out = io.StringIO()
    call_command("run_daily", date=day.isoformat(), stdout=out)
    return out.getvalue()


def keys(officer):
    return sorted(Notice.objects.filter(officer=officer).values_list("key", flat=True))


def test_notify_is_idempotent_by_key(officer_user):
    officer = officer_user.officer
    first, created = notices.notify(officer, NoticeKind.EXPIRING, "k1",
                                    params={"type": "资格", "days": 5, "expires": "2026-05-06"})
    again, created_again = notices.notify(officer, NoticeKind.EXPIRING, "k1",
                                          params={"type": "资格", "days": 4, "expires": "2026-05-06"})
    assert created and not created_again and again.pk == first.pk
    assert Notice.objects.filter(officer=officer).count() == 1
    assert first.display_title == "资格还有 5 天到期"


def test_run_daily_twice_same_day_and_next_day_sends_each_notice_once(officer_user, qtype):
    officer = officer_user.officer
    # Short of hours, so the daily run's 年审 does not renew the record.
    QualificationType.objects.filter(pk=qtype.pk).update(min_hours_per_year=Decimal("60"))
    record(officer, qtype, expires=TODAY + datetime.timedelta(days=20))
    out = run_daily(TODAY)
    assert keys(officer) == [f"expiring:{officer.qualifications.get().pk}:{TODAY + datetime.timedelta(days=20)}:30"]
    assert "notices sent: 1" in out
    run_daily(TODAY)
    run_daily(TODAY + datetime.timedelta(days=1))
    assert Notice.objects.filter(officer=officer).count() == 1
    assert "nothing changed" in run_daily(TODAY + datetime.timedelta(days=1))


def test_expiry_thresholds_60_30_7_each_once(officer_user, qtype):
    officer = officer_user.officer
    expires = TODAY + datetime.timedelta(days=61)
    rec = record(officer, qtype, expires=expires)
    for offset in range(0, 62):
        notices.daily(TODAY + datetime.timedelta(days=offset))
    assert keys(officer) == sorted(f"expiring:{rec.pk}:{expires}:{d}" for d in (60, 30, 7))


def test_first_run_close_to_expiry_sends_only_the_nearest_threshold(officer_user, qtype):
    rec = record(officer_user.officer, qtype, expires=TODAY + datetime.timedelta(days=5))
    notices.daily(TODAY)
    assert keys(officer_user.officer) == [f"expiring:{rec.pk}:{rec.expires_at}:7"]


def test_renewed_qualification_counts_again(officer_user, qtype):
    rec = record(officer_user.officer, qtype, expires=TODAY + datetime.timedelta(days=5))
    notices.daily(TODAY)
    QualificationRecord.objects.filter(pk=rec.pk).update(expires_at=TODAY + datetime.timedelta(days=370))
    notices.daily(TODAY + datetime.timedelta(days=370 - 6))
    assert Notice.objects.filter(officer=officer_user.officer, kind=NoticeKind.EXPIRING).count() == 2


def test_no_notice_for_suspended_or_inactive(officer_user, other_officer_user, qtype):
    record(officer_user.officer, qtype, expires=TODAY + datetime.timedelta(days=5))
    QualificationRecord.objects.filter(officer=officer_user.officer).update(status="suspended")
    record(other_officer_user.officer, qtype, expires=TODAY + datetime.timedelta(days=5))
    type(other_officer_user.officer).objects.filter(pk=other_officer_user.officer.pk).update(is_active=False)
    notices.daily(TODAY)
    assert Notice.objects.count() == 0


def test_renewal_window_opens_six_months_before_a_multi_year_card_expires(officer_user, card_type):
    expires = datetime.date(2027, 3, 15)
    rec = record(officer_user.officer, card_type, expires=expires, granted=datetime.date(2022, 3, 15),
                 last_review=datetime.date(2026, 3, 1))
    notices.daily(datetime.date(2026, 9, 14))
    assert not Notice.objects.filter(kind=NoticeKind.RENEWAL_WINDOW).exists()
    notices.daily(datetime.date(2026, 9, 15))
    notices.daily(datetime.date(2026, 9, 16))
    assert list(Notice.objects.filter(kind=NoticeKind.RENEWAL_WINDOW).values_list("key", flat=True)) == [
        f"renewal:{rec.pk}:{expires}"]


def test_renewal_window_is_the_types_own_rule(officer_user, card_type):
    QualificationType.objects.filter(pk=card_type.pk).update(renewal_window_months=3)
    record(officer_user.officer, card_type, expires=datetime.date(2027, 3, 15), last_review=datetime.date(2026, 3, 1))
    notices.daily(datetime.date(2026, 9, 15))
    assert not Notice.objects.filter(kind=NoticeKind.RENEWAL_WINDOW).exists()
    notices.daily(datetime.date(2026, 12, 15))
    assert Notice.objects.filter(kind=NoticeKind.RENEWAL_WINDOW).count() == 1


def test_qualification_renewed_by_its_annual_review_has_no_separate_renewal_window(officer_user, qtype):
    record(officer_user.officer, qtype, expires=TODAY + datetime.timedelta(days=150))
    notices.daily(TODAY)
    assert not Notice.objects.filter(kind=NoticeKind.RENEWAL_WINDOW).exists()


def test_review_notice_follows_the_due_date_the_lifecycle_stored(officer_user, card_type):
    rec = record(officer_user.officer, card_type, expires=datetime.date(2029, 6, 1),
                 granted=datetime.date(2024, 6, 1), last_review=datetime.date(2025, 7, 10))
    notices.daily(datetime.date(2026, 6, 1))
    assert not Notice.objects.filter(kind=NoticeKind.REVIEW_DUE).exists()  # no due date stored: none due
    QualificationRecord.objects.filter(pk=rec.pk).update(review_due=datetime.date(2026, 6, 1))
    notices.daily(datetime.date(2026, 6, 1))
    assert Notice.objects.get(kind=NoticeKind.REVIEW_DUE).key == f"review:{rec.pk}:2026-06-01"


def test_annual_review_due_two_months_ahead(officer_user, card_type):
    rec = record(officer_user.officer, card_type, expires=datetime.date(2029, 6, 1),
                 granted=datetime.date(2024, 6, 1), last_review=datetime.date(2025, 7, 10),
                 review_due=datetime.date(2026, 7, 10))
    notices.daily(datetime.date(2026, 5, 10))
    assert not Notice.objects.filter(kind=NoticeKind.REVIEW_DUE).exists()
    notices.daily(datetime.date(2026, 5, 11))
    notices.daily(datetime.date(2026, 5, 12))
    notice = Notice.objects.get(kind=NoticeKind.REVIEW_DUE)
    assert notice.key == f"review:{rec.pk}:2026-07-10" and "2026-07-10" in notice.display_body


def test_hours_short_from_first_of_november_once_a_year(officer_user, qtype):
    rec = record(officer_user.officer, qtype, expires=datetime.date(2027, 6, 1), hours_short=True, hours_year=2026,
                 year_hours=Decimal("12.5"))
    QualificationType.objects.filter(pk=qtype.pk).update(min_hours_per_year=Decimal("60"))
    notices.daily(datetime.date(2026, 10, 31))
    assert not Notice.objects.filter(kind=NoticeKind.HOURS_SHORT).exists()
    for day in (1, 2, 20):
        notices.daily(datetime.date(2026, 11, day))
    notice = Notice.objects.get(kind=NoticeKind.HOURS_SHORT)
    assert notice.officer_id == rec.officer_id and "12.5" in notice.display_body and "60" in notice.display_body


def test_assigned_course_due_comes_from_the_courses_hook(officer_user):
    officer = officer_user.officer
    due = TODAY + datetime.timedelta(days=5)
    asked = []

    def provider(start, end):
        asked.append((start, end))
        return [(officer.pk, 77, "占道经营执法实务", due, "/courses/x/")]

    with hooks.register_temporarily(notices.ASSIGNMENTS_DUE_HOOK, provider):
        notices.daily(TODAY)
        notices.daily(TODAY + datetime.timedelta(days=1))
    assert asked[0] == (TODAY, TODAY + datetime.timedelta(days=7))
    notice = Notice.objects.get(kind=NoticeKind.COURSE_DUE)
    assert notice.key == f"course:77:{due}" and notice.link == "/courses/x/"
    assert "占道经营执法实务" in notice.display_title


def test_exam_result_released_notifies_once(officer_user):
    officer = officer_user.officer
    sitting, exam = SimpleNamespace(pk=4321), SimpleNamespace(title="2026 年度考试")
    for _ in range(2):
        exam_result_released.send(sender=None, officer=officer, sitting=sitting, exam=exam, passed=False)
    notice = Notice.objects.get(officer=officer)
    assert notice.kind == NoticeKind.EXAM_RESULT and notice.key == "exam:4321"
    assert "2026 年度考试" in notice.display_title and "未通过" in notice.display_body


@override_settings(ACADEMY_NOTICE_EMAIL=True)
def test_email_sent_when_configured(officer_user, qtype):
    officer_user.email = "a@example.gov.cn"
    officer_user.save()
    record(officer_user.officer, qtype, expires=TODAY + datetime.timedelta(days=5))
    notices.daily(TODAY)
    notices.daily(TODAY)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.gov.cn"]
    assert Notice.objects.get().emailed_at is not None


def test_no_email_by_default(officer_user, qtype):
    officer_user.email = "a@example.gov.cn"
    officer_user.save()
    record(officer_user.officer, qtype, expires=TODAY + datetime.timedelta(days=5))
    notices.daily(TODAY)
    assert mail.outbox == [] and Notice.objects.count() == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


@override_settings(ACADEMY_NOTICE_EMAIL=True, EMAIL_BACKEND="tests.officers.test_notices.BrokenBackend")
def test_mail_error_is_recorded_and_the_run_goes_on(officer_user, other_officer_user, qtype):
    officer_user.email = "a@example.gov.cn"
    officer_user.save()
    record(officer_user.officer, qtype, expires=TODAY + datetime.timedelta(days=5))
    record(other_officer_user.officer, qtype, expires=TODAY + datetime.timedelta(days=5))
    QualificationType.objects.filter(pk=qtype.pk).update(min_hours_per_year=Decimal("60"))
    out = run_daily(TODAY)
    assert Notice.objects.count() == 2
    errors = dict(Notice.objects.values_list("officer__user__username", "email_error"))
    assert "smtp down" in errors["officer_a"] and errors["officer_b"] == "账号未登记邮箱"
    assert not Notice.objects.filter(emailed_at__isnull=False).exists()
    assert "e-mail failed: 2" in out


# --- 消息 page ----------------------------------------------------------------------------------


def test_list_newest_first_open_marks_read_and_badge(client, officer_user):
    officer = officer_user.officer
    old, _c = notices.notify(officer, "feedback", "a", title="旧消息")
    Notice.objects.filter(pk=old.pk).update(created_at=old.created_at - datetime.timedelta(days=1))
    new, _c = notices.notify(officer, "feedback", "b", title="新消息")
    client.force_login(officer_user)
    body = client.get("/my/notices/").content.decode()
    assert body.index("新消息") < body.index("旧消息")
    assert 'class="nav-badge">2' in body
    r = client.get(f"/my/notices/{new.pk}/")
    assert r.status_code == 200 and "新消息" in r.content.decode()
    new.refresh_from_db()
    assert new.read_at is not None
    assert 'class="nav-badge">1' in client.get("/my/notices/").content.decode()
    client.post("/my/notices/read-all/")
    assert Notice.objects.filter(read_at__isnull=True).count() == 0
    assert "nav-badge" not in client.get("/my/notices/").content.decode()


def test_another_officers_notice_is_404(client, officer_user, other_officer_user):
    theirs, _c = notices.notify(other_officer_user.officer, "feedback", "x", title="别人的消息")
    client.force_login(officer_user)
    r = client.get(f"/my/notices/{theirs.pk}/")
    assert r.status_code == 404
    assert "别人的消息" not in client.get("/my/notices/").content.decode()
    client.post("/my/notices/read-all/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_login_required(client):
    assert client.get("/my/notices/").status_code == 302


def test_unread_count_is_one_query(officer_user, django_assert_num_queries):
    notices.notify(officer_user.officer, "feedback", "a", title="t")
    with django_assert_num_queries(1):
        assert notices.unread_count(officer_user) == 1


def test_notice_text_is_escaped(client, officer_user):
    notices.notify(officer_user.officer, NoticeKind.FEEDBACK, "f1", params={"text": "<script>alert(1)</script>"})
    client.force_login(officer_user)
    notice = Notice.objects.get()
    body = client.get(f"/my/notices/{notice.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_notice_shows_in_the_readers_language(client, officer_user):
    notices.notify(officer_user.officer, NoticeKind.EXPIRING, "k",
                   params={"type": "行政执法资格", "days": 5, "expires": "2026-05-06"})
    client.force_login(officer_user)
    body = client.get("/my/notices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "expires in 5 days" in body


def test_assigned_course_due_through_the_courses_app(units, officer_user, other_officer_user):
    """End to end with the courses app's hook: targeted, not completed, due within 7 days."""
    course = make_course(title="渣土运输执法")
    due = TODAY + datetime.timedelta(days=6)
    Assignment.objects.create(course=course, unit=units["SZ-JB"], due_date=due)
    Assignment.objects.create(course=course, unit=units["SZ-JN"], due_date=TODAY + datetime.timedelta(days=30))
    done = make_user("officer", unit=units["SZ-JB-02"]).officer
    CourseEnrollment.objects.create(officer=done, course=course, completed_at=datetime.datetime(2026, 4, 1, 9, 0,
                                                                                              tzinfo=datetime.UTC))
    notices.daily(TODAY)
    notices.daily(TODAY)
    got = list(Notice.objects.filter(kind=NoticeKind.COURSE_DUE).values_list("officer_id", "link"))
    assert got == [(officer_user.officer.pk, course.url)]


def test_one_year_qualification_renewed_early_gets_no_separate_review_notice(officer_user, qtype):
    """Renewed 90 days early, a one-year qualification's next 年审 falls before its expiry: the
    expiry notices announce it, without a second 年审 notice."""
    record(officer_user.officer, qtype, expires=datetime.date(2027, 2, 1), last_review=datetime.date(2025, 11, 1))
    notices.daily(datetime.date(2026, 9, 30))
    assert not Notice.objects.filter(kind=NoticeKind.REVIEW_DUE).exists()
