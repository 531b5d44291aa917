"""The rule evaluation table: each missing piece → status and reason."""
import datetime
from decimal import Decimal

import pytest

from officers import qualifications as q
from officers.models import AuditLog, Certificate, QualificationRecord
from tests.factories import make_user

from .conftest import TODAY, add_hours, pass_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(units):
    return make_user("officer", unit=units["SZ-JB-01"], full_name="张伟明").officer


def _qualified(officer, qtype, granted):
    """A record granted on ``granted`` through the service."""
    return q.grant(officer, qtype, today=granted, reason="测试授予")


def test_no_exam_means_not_qualified(officer, base_type):
    ev = q.evaluate(officer, TODAY)
    assert ev.status == "not_qualified"
    assert ev.reasons == ["资格考试未通过"]
    assert QualificationRecord.objects.get(officer=officer).status == "not_qualified"


def test_exam_below_minimum_score_does_not_count(officer, base_type):
    pass_exam(officer, score=59)
    assert q.evaluate(officer, TODAY).reasons == ["资格考试未通过"]


def test_rules_met_grants_automatically_with_audit_and_certificate(officer, base_type):
    pass_exam(officer, score=85)
    ev = q.evaluate(officer, TODAY)
    rec = QualificationRecord.objects.get(officer=officer)
    assert rec.status == "qualified"
    assert rec.granted_at == TODAY and rec.expires_at == datetime.date(2027, 5, 1)
    assert ev.status == "qualified" and ev.action == "granted"
    entry = AuditLog.objects.get(action="qualification.grant", officer=officer)
    assert entry.before["status"] == "not_qualified" and entry.after["status"] == "qualified"
    assert entry.actor is None and entry.reason
    cert = Certificate.objects.get(officer=officer, kind="qualification")
    assert cert.valid_until == rec.expires_at and cert.status == "valid"


def test_hours_short_and_annual_exam_missing_are_listed(officer, base_type):
    _qualified(officer, base_type, datetime.date(2026, 3, 1))
    add_hours(officer, 38)
    ev = q.evaluate(officer, TODAY)
    assert ev.status == "qualified"
    # no annual sitting yet and the window is open until 12-31: pending, not failed
    assert ev.reasons == ["2026 年学时 38/60", "尚未通过年度考试（未参加，2026-12-31 截止）"]
    rec = QualificationRecord.objects.get(officer=officer)
    assert rec.hours_short is True and rec.year_hours == Decimal("38.0")


def test_everything_met_means_no_reasons(officer, base_type):
    _qualified(officer, base_type, datetime.date(2026, 3, 1))
    add_hours(officer, 60)
    pass_exam(officer, kind="annual", score=70, ref_id=2)
    ev = q.evaluate(officer, TODAY)
    assert (ev.status, ev.reasons) == ("qualified", [])
    assert QualificationRecord.objects.get(officer=officer).hours_short is False


def test_last_years_annual_exam_does_not_count(officer, base_type):
    _qualified(officer, base_type, datetime.date(2026, 3, 1))
    add_hours(officer, 60)
    pass_exam(officer, kind="annual", score=90, ref_id=2, date=datetime.date(2025, 6, 1))
    # last year's pass does not count, and this year's exam is not yet sat
    assert q.evaluate(officer, TODAY).reasons == ["尚未通过年度考试（未参加，2026-12-31 截止）"]


def test_expiring_within_n_days(officer, base_type):
    _qualified(officer, base_type, datetime.date(2025, 5, 20))  # expires 2026-05-20
    ev = q.evaluate(officer, TODAY)
    assert ev.status == "expiring"
    assert ev.reasons[0] == "资格将于 2026-05-20 到期"
    assert "2026 年学时 0/60" in ev.reasons


def test_expired_when_review_not_passed(officer, base_type):
    _qualified(officer, base_type, datetime.date(2025, 4, 1))  # expired 2026-04-01
    ev = q.evaluate(officer, TODAY)
    rec = QualificationRecord.objects.get(officer=officer)
    assert ev.status == "expired" and rec.status == "expired" and ev.action == "expired"
    assert ev.reasons[0] == "资格已于 2026-04-01 到期"
    assert Certificate.objects.get(officer=officer).status == "expired"
    assert AuditLog.objects.filter(action="qualification.expire", officer=officer).count() == 1


def test_annual_review_renews_and_reissues(officer, base_type):
    _qualified(officer, base_type, datetime.date(2025, 6, 1))  # expires 2026-06-01, in the review window
    add_hours(officer, 61)
    pass_exam(officer, kind="annual", score=75, ref_id=2)
    old = Certificate.objects.get(officer=officer)
    ev = q.evaluate(officer, TODAY)
    rec = QualificationRecord.objects.get(officer=officer)
    assert ev.action == "renewed" and rec.expires_at == datetime.date(2027, 6, 1) and rec.last_review == TODAY
    old.refresh_from_db()
    new = Certificate.objects.get(officer=officer, status="valid")
    assert old.status == "replaced" and new.replaces == old and new.valid_until == datetime.date(2027, 6, 1)


def test_evaluation_is_idempotent(officer, base_type):
    _qualified(officer, base_type, datetime.date(2025, 4, 1))
    q.evaluate(officer, TODAY)
    n_audit, n_certs = AuditLog.objects.count(), Certificate.objects.count()
    first = QualificationRecord.objects.get(officer=officer)
    for _ in range(3):
        ev = q.evaluate(officer, TODAY)
    assert (AuditLog.objects.count(), Certificate.objects.count()) == (n_audit, n_certs)
    assert ev.status == "expired" and ev.action == ""
    assert QualificationRecord.objects.get(officer=officer).evaluated_at == first.evaluated_at


def test_suspended_and_revoked_show_reason(officer, base_type, hr_user):
    rec = _qualified(officer, base_type, datetime.date(2026, 3, 1))
    q.suspend(rec, actor=hr_user, reason="停职调查")
    ev = q.evaluate(officer, TODAY)
    assert (ev.status, ev.reasons) == ("suspended", ["资格暂扣：停职调查"])
    q.revoke(rec, actor=hr_user, reason="违法执法")
    ev = q.evaluate(officer, TODAY)
    assert (ev.status, ev.reasons) == ("revoked", ["资格已取消：违法执法"])
    pass_exam(officer, score=99, ref_id=9)
    assert q.evaluate(officer, TODAY).status == "revoked"  # no automatic re-grant after a revocation


def test_special_type_needs_the_base_qualification(officer, base_type, special_type):
    results = {ev.qualification_type.code: ev for ev in q.evaluate_all(officer, TODAY)}
    assert "须先取得行政执法资格" in results["PLAN"].reasons
    assert "专项资格考试未通过" in results["PLAN"].reasons


def test_named_required_exam_and_course(officer, base_type):
    from exams.models import Exam

    from officers.models import RequiredExam
    exam = Exam.objects.create(title="2026 年行政执法资格考试", kind="qualification")
    RequiredExam.objects.create(qualification_type=base_type, exam=exam, min_score=Decimal("70"))
    pass_exam(officer, score=65, ref_id=exam.pk)
    assert q.evaluate(officer, TODAY).reasons == ["考试《2026 年行政执法资格考试》未通过（须 70 分）"]
    pass_exam(officer, score=72, ref_id=exam.pk, key="retake")
    assert q.evaluate(officer, TODAY).status == "qualified"


def test_required_hours(officer, base_type, special_type):
    assert q.required_hours(officer, 2026) == Decimal("60")
    special_type.min_hours_per_year = Decimal("80")
    special_type.save()
    q.grant(officer, special_type, today=TODAY, reason="测试")
    assert q.required_hours(officer, 2026) == Decimal("80")


def test_add_months_clamps_to_month_end():
    assert q.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert q.add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
