"""The training-hour ledger: idempotent credit (also under concurrency), manual entries, reversal."""
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from officers import hours
from officers.models import AuditLog, HoursEntry, hours_total


@pytest.mark.django_db
def test_credit_is_idempotent(officer_user):
    officer = officer_user.officer
    first, created = hours.credit(officer, 4, source="course", source_key="course:1", description="课程")
    again, created_again = hours.credit(officer, 4, source="course", source_key="course:1", description="课程")
    assert created and not created_again and first.pk == again.pk
    assert hours_total(officer, first.date.year) == Decimal("4")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_credit_counts_once(units):
    """Ten threads crediting the same thing at once leave exactly one ledger line."""
    from tests.factories import make_user

    officer = make_user(unit=units["SZ-JB-01"]).officer
    barrier = threading.Barrier(10)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            hours.credit(officer, 2, source="onsite", source_key="onsite:7", description="现场教学")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert HoursEntry.objects.filter(officer=officer, source_key="onsite:7").count() == 1


@pytest.mark.django_db
def test_manual_entry_needs_reason_and_is_audited(officer_user, hr_user):
    officer = officer_user.officer
    with pytest.raises(ValidationError) as exc:
        hours.add_manual(officer, 2, reason="  ", actor=hr_user)
    assert exc.value.code == "reason_required"
    entry = hours.add_manual(officer, 2, reason="补录2026年10月集中培训", actor=hr_user)
    log = AuditLog.objects.get(action="hours.manual_add")
    assert log.officer == officer and log.reason == "补录2026年10月集中培训" and log.actor == hr_user
    assert entry.year == entry.date.year


@pytest.mark.django_db
def test_reverse_keeps_original_and_cannot_repeat(officer_user, hr_user):
    officer = officer_user.officer
    entry = hours.add_manual(officer, 3, reason="录入", actor=hr_user)
    rev = hours.reverse(entry, reason="重复录入", actor=hr_user)
    assert rev.hours == Decimal("-3") and HoursEntry.objects.filter(pk=entry.pk).exists()
    assert hours_total(officer, entry.date.year) == 0
    with pytest.raises(ValidationError) as exc:
        hours.reverse(entry, reason="再次", actor=hr_user)
    assert exc.value.code == "already_reversed"
    with pytest.raises(ValidationError):
        entry.delete()


@pytest.mark.django_db
def test_hr_adds_and_reverses_hours_through_the_record_page(client, hr_user, officer_user):
    officer = officer_user.officer
    client.force_login(hr_user)
    url = reverse("officers:hours_add", args=[officer.pk])
    response = client.post(url, {"hours": "2.5", "date": "2026-11-02", "reason": "补录"})
    assert response.status_code == 302
    entry = officer.hours.get()
    assert entry.hours == Decimal("2.5")
    # A missing reason is refused with a message, nothing written.
    client.post(url, {"hours": "1", "date": "2026-11-02", "reason": ""})
    assert officer.hours.count() == 1
    client.post(reverse("officers:hours_reverse", args=[officer.pk, entry.pk]), {"reason": "录错"})
    assert officer.hours.count() == 2 and hours_total(officer, 2026) == 0
    page = client.get(officer.get_absolute_url()).content.decode()
    assert "已冲销" in page and "录错" in page


@pytest.mark.django_db
def test_officer_cannot_add_hours(client, officer_user):
    client.force_login(officer_user)
    response = client.post(reverse("officers:hours_add", args=[officer_user.officer.pk]),
                           {"hours": "5", "date": "2026-11-02", "reason": "自己加"})
    assert response.status_code == 403
    assert officer_user.officer.hours.count() == 0
