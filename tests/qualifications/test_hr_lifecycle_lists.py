"""HR lists by the lifecycle states (待换证, 年审逾期, 60 天内须年审) and by personnel
category; the status filters partition the records exactly as the record pages
label them; exports carry the new columns."""
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from officers import hr_lists
from officers import qualifications as q
from officers import roles
from officers.models import PERSONNEL_AUXILIARY, AuditLog, Officer, QualificationRecord, QualificationType
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(db):
    return QualificationType.objects.create(code="ZFZ", name="行政执法证", is_base=True,
                                            min_hours_per_year=Decimal("0"), annual_exam_required=False)


def _officer(units, number, **fields):
    return make_user(roles.OFFICER, unit=units["SZ-JB-01"], employee_number=number, **fields).officer


@pytest.fixture
def population(units, card):
    """One officer per state, as of today."""
    today = timezone.localdate()
    made = {}

    def granted(number, *, expires_in, review_due=None, **fields):
        o = _officer(units, number, **fields)
        rec = q.grant(o, card, today=q.add_months(today + datetime.timedelta(days=expires_in), -60), reason="t")
        QualificationRecord.objects.filter(pk=rec.pk).update(review_due=review_due)
        made[number] = o
        return o

    granted("VALID", expires_in=900, review_due=today + datetime.timedelta(days=200))
    granted("REVIEW-SOON", expires_in=900, review_due=today + datetime.timedelta(days=40))
    granted("REVIEW-LATE", expires_in=900, review_due=today - datetime.timedelta(days=10))
    granted("RENEWAL", expires_in=120)
    granted("EXPIRING", expires_in=10)
    granted("AUX", expires_in=900, personnel_category=PERSONNEL_AUXILIARY)
    hr = make_user(roles.HR, unit=units["SZ-JB"])
    return hr, made


def _numbers(client, name, **params):
    r = client.get(reverse("officers:hr_list", args=[name]), params)
    assert r.status_code == 200
    return {rec.officer.employee_number for rec in r.context["page"].object_list}


def test_lists_by_lifecycle_state(client, population, card):
    hr, _made = population
    client.force_login(hr)
    assert _numbers(client, "renewal_due") == {"RENEWAL"}
    assert _numbers(client, "review_overdue") == {"REVIEW-LATE"}
    assert _numbers(client, "review_due_60") == {"REVIEW-SOON"}
    assert _numbers(client, "all", status="renewal_due") == {"RENEWAL"}
    assert _numbers(client, "all", status="review_overdue") == {"REVIEW-LATE"}
    body = client.get(reverse("officers:hr_list", args=["renewal_due"])).content.decode()
    assert "待换证" in body and "换证期起" in body and "年审到期" in body


def test_category_filter_and_column(client, population):
    hr, _made = population
    client.force_login(hr)
    assert _numbers(client, "all", category="auxiliary") == {"AUX"}
    assert "AUX" not in _numbers(client, "all", category="officer")
    assert len(_numbers(client, "all", category="bogus")) == 6  # unknown category: everyone with a record
    body = client.get(reverse("officers:hr_list", args=["all"]), {"category": "auxiliary"}).content.decode()
    assert "辅助执法人员" in body
    # the enforcement certificate's counts are of 执法人员 only (5 and the HR user)
    assert client.get("/hr/", {"category": "officer"}).context["counts"]["total"] == 6
    assert client.get("/hr/", {"category": "auxiliary"}).context["counts"]["total"] == 0


def test_status_filters_partition_the_records_like_the_labels(population, card):
    hr, made = population
    today = timezone.localdate()
    by_filter = {}
    for status in hr_lists.STATUS_FILTERS:
        for rec in hr_lists.records(hr, qtype=card, status=status, today=today):
            assert rec.pk not in by_filter, (rec, status)
            by_filter[rec.pk] = status
    for rec in QualificationRecord.objects.filter(qualification_type=card).select_related("qualification_type"):
        assert by_filter[rec.pk] == hr_lists.status_label(rec, today)
    counts = hr_lists.counts(hr, qtype=card, today=today)
    assert sum(counts[s] for s in hr_lists.STATUS_FILTERS) == counts["total"]
    assert (counts["renewal_due"], counts["review_overdue"], counts["review_due_60"]) == (1, 1, 1)


def test_export_carries_state_category_review_and_window(client, population):
    hr, made = population
    client.force_login(hr)
    ws = load_workbook(io.BytesIO(client.get(reverse("officers:hr_export", args=["all", "xlsx"])).content)).active
    header = [c.value for c in ws[1]]
    for title in ("人员类别", "状态", "换证期起", "年审到期"):
        assert title in header
    rows = {r[0].value: {h: c.value for h, c in zip(header, r)} for r in ws.iter_rows(min_row=2)}
    renewal = QualificationRecord.objects.get(officer=made["RENEWAL"])
    assert rows["RENEWAL"]["状态"] == "待换证"
    assert rows["RENEWAL"]["换证期起"].date() == q.add_months(renewal.expires_at, -6)
    assert rows["REVIEW-LATE"]["年审到期"].date() == timezone.localdate() - datetime.timedelta(days=10)
    assert rows["AUX"]["人员类别"] == "辅助执法人员"
    assert rows["VALID"]["人员类别"] == "执法人员"


def test_hr_sets_the_personnel_category_with_an_audit_entry(client, units, card, hr_user, hr_other_user):
    officer = _officer(units, "CAT001")
    client.force_login(hr_other_user)  # another district: not found, nothing changes
    assert client.post(reverse("officers:hr_officer_category", args=[officer.pk]),
                       {"personnel_category": "auxiliary"}).status_code == 404
    client.force_login(hr_user)
    r = client.post(reverse("officers:hr_officer_category", args=[officer.pk]), {"personnel_category": "auxiliary"})
    assert r.status_code == 302
    assert Officer.objects.get(pk=officer.pk).personnel_category == PERSONNEL_AUXILIARY
    entry = AuditLog.objects.get(action="officer.personnel_category", officer=officer)
    assert entry.before == {"personnel_category": "officer"} and entry.actor == hr_user
    assert "辅助执法人员" in client.get(officer.get_absolute_url()).content.decode()
