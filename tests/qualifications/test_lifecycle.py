"""Lifecycle through the service and the events: audit trail, reasons, certificates."""
import datetime
import io
import types

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from officers import certificates, qualifications as q
from officers.events import course_completed, exam_passed, hours_added
from officers.models import Achievement, AuditLog, Certificate, QualificationRecord
from tests.factories import make_user

from .conftest import TODAY, add_hours, pass_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(units):
    return make_user("officer", unit=units["SZ-JB-01"], full_name="李晓明").officer


@pytest.fixture
def rec(officer, base_type):
    return q.grant(officer, base_type, today=datetime.date(2026, 3, 1), reason="测试授予")


@pytest.mark.parametrize("action", ["suspend", "revoke"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_manual_change_requires_a_reason(rec, hr_user, action, reason):
    with pytest.raises(ValidationError) as exc:
        getattr(q, action)(rec, actor=hr_user, reason=reason)
    assert exc.value.code == "reason_required"
    assert QualificationRecord.objects.get(pk=rec.pk).status == "qualified"


def test_suspend_reinstate_revoke_trail(rec, hr_user, officer):
    cert = Certificate.objects.get(qualification=rec)
    q.suspend(rec, actor=hr_user, reason="停职调查")
    cert.refresh_from_db()
    assert cert.status == "suspended"
    q.reinstate(rec, actor=hr_user, reason="调查结束，恢复", today=TODAY)
    cert.refresh_from_db()
    assert cert.status == "valid" and QualificationRecord.objects.get(pk=rec.pk).status == "qualified"
    q.revoke(rec, actor=hr_user, reason="严重违法执法")
    cert.refresh_from_db()
    assert cert.status == "revoked"
    trail = list(AuditLog.objects.filter(officer=officer, action__startswith="qualification.").order_by("id"))
    assert [a.action for a in trail] == ["qualification.grant", "qualification.suspend",
                                         "qualification.reinstate", "qualification.revoke"]
    suspend = trail[1]
    assert suspend.before["status"] == "qualified" and suspend.after["status"] == "suspended"
    assert suspend.reason == "停职调查" and suspend.actor == hr_user and suspend.actor_name == hr_user.username
    assert AuditLog.objects.filter(action="certificate.status", object_id=str(cert.pk)).count() == 3


def test_invalid_transitions_are_refused(rec, hr_user):
    with pytest.raises(ValidationError) as exc:
        q.reinstate(rec, actor=hr_user, reason="x")
    assert exc.value.code == "invalid_transition"
    q.revoke(rec, actor=hr_user, reason="取消")
    with pytest.raises(ValidationError):
        q.suspend(rec, actor=hr_user, reason="暂扣")


def test_audit_log_is_append_only(rec):
    entry = AuditLog.objects.filter(action="qualification.grant").first()
    with pytest.raises(ValidationError):
        entry.delete()


def test_reissue_keeps_a_trace(rec, hr_user, officer):
    cert = Certificate.objects.get(qualification=rec)
    officer.full_name = "李小明"
    officer.save()
    with pytest.raises(ValidationError):
        certificates.reissue(cert, actor=hr_user, reason="")
    new = certificates.reissue(cert, actor=hr_user, reason="姓名更正")
    cert.refresh_from_db()
    assert cert.status == "replaced" and cert.holder_name == "李晓明"
    assert new.replaces == cert and new.holder_name == "李小明" and new.reason == "姓名更正"
    assert new.code != cert.code and new.number != cert.number and new.valid_until == cert.valid_until


def test_exam_passed_event_records_issues_and_grants(officer, base_type, django_capture_on_commit_callbacks):
    exam = types.SimpleNamespace(pk=7, title="2026 年行政执法资格考试", kind="qualification")
    sitting = types.SimpleNamespace(pk=99, ended_at=None)
    for _ in range(2):  # sent twice by mistake: still one of each
        exam_passed.send(sender=None, officer=officer, sitting=sitting, exam=exam, score=88)
    assert Achievement.objects.filter(officer=officer).count() == 1
    assert Certificate.objects.filter(officer=officer, kind="exam", source_key="sitting:99").count() == 1
    assert QualificationRecord.objects.get(officer=officer).status == "qualified"
    assert Certificate.objects.filter(officer=officer, kind="qualification").count() == 1


def test_mock_exam_earns_no_certificate(officer, base_type):
    exam = types.SimpleNamespace(pk=8, title="模拟考试", kind="mock")
    exam_passed.send(sender=None, officer=officer, sitting=types.SimpleNamespace(pk=5, ended_at=None), exam=exam,
                     score=90)
    assert not Certificate.objects.filter(officer=officer).exists()


def test_course_completed_event_issues_when_the_course_says_so(officer, base_type):
    course = types.SimpleNamespace(pk=3, title="行政处罚法专题", issues_certificate=True, tier="post")
    course_completed.send(sender=None, officer=officer, course=course, completed_at=None)
    quiet = types.SimpleNamespace(pk=4, title="文明执法", issues_certificate=False)
    course_completed.send(sender=None, officer=officer, course=quiet, completed_at=None)
    assert list(Certificate.objects.filter(officer=officer).values_list("kind", "subject")) == [
        ("course", "行政处罚法专题")]
    assert Achievement.objects.filter(officer=officer, kind="course").count() == 2


def test_hours_added_event_reevaluates(officer, base_type, rec):
    QualificationRecord.objects.filter(pk=rec.pk).update(year_hours=0, hours_short=True)
    entry = add_hours(officer, 70, date=datetime.date.today())
    hours_added.send(sender=None, officer=officer, entry=entry)
    rec.refresh_from_db()
    assert rec.hours_short is False and rec.year_hours == 70


def test_run_daily_is_safe_to_run_twice(units, base_type):
    a = make_user("officer", unit=units["SZ-JB-01"]).officer
    b = make_user("officer", unit=units["SZ-JB-02"]).officer
    q.grant(a, base_type, today=datetime.date(2025, 1, 10), reason="t")  # expired 2026-01-10
    pass_exam(b, score=90)
    out = io.StringIO()
    call_command("run_daily", "--date", TODAY.isoformat(), stdout=out)
    first = out.getvalue()
    assert "qualifications granted: 1, renewed: 0, expired: 1" in first
    assert QualificationRecord.objects.get(officer=a).status == "expired"
    assert QualificationRecord.objects.get(officer=b).status == "qualified"
    n = AuditLog.objects.count()
    out = io.StringIO()
    call_command("run_daily", "--date", TODAY.isoformat(), stdout=out)
    assert "nothing changed" in out.getvalue() and AuditLog.objects.count() == n


def test_run_daily_expires_certificates(units, base_type):
    o = make_user("officer", unit=units["SZ-JB-01"]).officer
    cert, _ = certificates.issue(o, "exam", "考试", source_key="x", valid_until=datetime.date(2026, 4, 1))
    out = io.StringIO()
    call_command("run_daily", "--date", TODAY.isoformat(), stdout=out)
    cert.refresh_from_db()
    assert cert.status == "expired" and "certificates expired: 1" in out.getvalue()
