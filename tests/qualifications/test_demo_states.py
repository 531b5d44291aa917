"""The demo shows HR every lifecycle state, including 辅助执法人员 with their 辅助执法证."""
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from officers import hr_lists
from officers.models import PERSONNEL_AUXILIARY, AuditLog, QualificationRecord, QualificationType

pytestmark = pytest.mark.django_db


def test_demo_has_officers_in_each_lifecycle_state(settings):
    settings.DEMO_CONTENT_ALLOWED = True
    call_command("load_demo", "--only", "officers.demo", "officers.demo_records", "officers.demo_notices",
                 stdout=io.StringIO())
    today = timezone.localdate()
    base = QualificationType.objects.get(code="ZF-BASE")
    labels = [hr_lists.status_label(r, today) for r in
              QualificationRecord.objects.filter(qualification_type=base).select_related("qualification_type")]
    for state in ("qualified", "renewal_due", "review_overdue", "expiring", "expired", "suspended", "revoked"):
        assert state in labels, state
    overdue = QualificationRecord.objects.get(qualification_type=base, suspension_cause="review_overdue")
    assert overdue.status_reason.startswith("年审逾期")
    assert AuditLog.objects.filter(action="qualification.suspend", officer=overdue.officer, actor=None).exists()
    revoked = QualificationRecord.objects.get(qualification_type=base, reapply_after__isnull=False)
    assert revoked.status == "revoked" and revoked.reapply_after > today
    aux = QualificationType.objects.get(code="ZF-AUX")
    assert aux.personnel_category == PERSONNEL_AUXILIARY and "不得实施行政处罚" in aux.description
    aux_records = QualificationRecord.objects.filter(qualification_type=aux)
    assert {r.officer.personnel_category for r in aux_records} == {PERSONNEL_AUXILIARY}
    assert {r.status for r in aux_records} >= {"qualified", "suspended", "not_qualified"}
    # auxiliary officers are not held to the enforcement certificate, nor officers to the 辅助执法证
    assert not QualificationRecord.objects.filter(qualification_type=base,
                                                  officer__personnel_category=PERSONNEL_AUXILIARY).exists()
    out = io.StringIO()
    call_command("run_daily", stdout=out)
    assert "nothing changed" in out.getvalue()
