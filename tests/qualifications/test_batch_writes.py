"""The evaluation of many officers writes each batch's transitions together: every transition is
still recorded with its reason and actor (the system), before and after, in the order it happened,
certificates follow; the number of queries does not grow with the number of changes; a second run
changes and writes nothing."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from officers import qualifications as q
from officers.models import AuditLog, Certificate, Officer, QualificationRecord
from tests.factories import make_user

from .conftest import TODAY

pytestmark = pytest.mark.django_db

#: Granted a year and a day ago with a 12-month validity: lapsed yesterday, no 年审 since.
GRANTED = datetime.date(TODAY.year - 1, TODAY.month, TODAY.day) - datetime.timedelta(days=1)


def lapsed_officers(units, base_type, n, start=0):
    officers = []
    for i in range(start, start + n):
        officer = make_user("officer", unit=units["SZ-JB-01"], username=f"lapsed{i}",
                            employee_number=f"LP{i:03d}").officer
        q.grant(officer, base_type, today=GRANTED, reason="测试授予")
        officers.append(officer)
    return officers


def evaluate(officers):
    with CaptureQueriesContext(connection) as ctx:
        changes = q.evaluate_many(Officer.objects.filter(pk__in=[o.pk for o in officers]).order_by("pk"), TODAY)
    return changes, len(ctx.captured_queries)


def test_each_transition_is_recorded_with_reason_and_actor(units, base_type):
    officers = lapsed_officers(units, base_type, 3)
    since = AuditLog.objects.order_by("-id").values_list("id", flat=True).first()
    stamped = max(QualificationRecord.objects.filter(officer__in=officers).values_list("updated_at", flat=True))
    changes, _queries = evaluate(officers)
    assert sorted(ev.action for ev in changes) == ["expired"] * 3
    assert set(QualificationRecord.objects.filter(officer__in=officers).values_list("status", flat=True)) == {
        "expired"}
    assert set(Certificate.objects.filter(officer__in=officers).values_list("status", "status_reason")) == {
        ("expired", "资格已过期")}
    for officer in officers:
        rec = QualificationRecord.objects.get(officer=officer)
        assert rec.updated_at > stamped  # as a save would stamp it
        cert = Certificate.objects.get(officer=officer)
        trail = list(AuditLog.objects.filter(officer=officer, id__gt=since).order_by("id"))
        assert [(a.action, a.object_id) for a in trail] == [
            ("qualification.expire", str(rec.pk)), ("certificate.status", str(cert.pk))]
        expire, status = trail
        assert expire.actor is None and expire.actor_name == "" and expire.reason == "有效期届满未通过年审"
        assert expire.before["status"] == "qualified" and expire.after == {
            **expire.after, "status": "expired", "type": base_type.code, "expires_at": rec.expires_at.isoformat()}
        assert status.before == {"status": "valid"} and status.after == {"status": "expired", "number": cert.number}
        assert status.reason == "资格已过期"


def test_queries_do_not_grow_with_the_changes(units, base_type):
    warm = lapsed_officers(units, base_type, 1)
    few = lapsed_officers(units, base_type, 2, start=1)
    many = lapsed_officers(units, base_type, 8, start=3)
    evaluate(warm)  # what a process reads once
    _changes, queries_few = evaluate(few)
    changes, queries_many = evaluate(many)
    assert len(changes) == 8
    assert queries_many == queries_few


def test_a_second_run_changes_and_writes_nothing(units, base_type):
    officers = lapsed_officers(units, base_type, 3)
    evaluate(officers)
    entries = AuditLog.objects.count()
    records = list(QualificationRecord.objects.filter(officer__in=officers).values())
    changes, _queries = evaluate(officers)
    assert changes == []
    assert AuditLog.objects.count() == entries
    assert list(QualificationRecord.objects.filter(officer__in=officers).values()) == records


def test_a_failing_batch_writes_nothing(units, base_type, monkeypatch):
    """The batch's writes are one transaction: an error leaves every record as it was."""
    officers = lapsed_officers(units, base_type, 3)
    entries = AuditLog.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditLog.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        evaluate(officers)
    assert AuditLog.objects.count() == entries
    assert set(QualificationRecord.objects.filter(officer__in=officers).values_list("status", flat=True)) == {
        "qualified"}
    assert set(Certificate.objects.filter(officer__in=officers).values_list("status", flat=True)) == {"valid"}
