"""The audit log is append-only; password rules."""
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from officers import audit
from officers.models import AuditLog

pytestmark = pytest.mark.django_db


def test_audit_entries_cannot_be_edited_or_deleted(officer_user):
    entry = audit.record("test.event", actor=officer_user, reason="原因")
    entry.reason = "篡改"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditLog.objects.all().delete()
    with pytest.raises(ValidationError):
        AuditLog.objects.filter(pk=entry.pk).update(reason="篡改")
    assert AuditLog.objects.get(pk=entry.pk).reason == "原因"


def test_audit_log_is_not_editable_in_wagtail_admin(client, admin_user):
    """No admin screen offers add/change/delete of audit entries."""
    from django.contrib.auth.models import Permission

    codenames = set(Permission.objects.filter(content_type__model="auditlog").values_list("codename", flat=True))
    assert codenames == {"view_auditlog"}


@pytest.mark.parametrize("password,code", [
    ("short1A", "password_too_short"),
    ("1234567890123", "password_entirely_numeric"),
    ("password123", "password_too_common"),
])
def test_password_validators_reject(password, code, officer_user):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, officer_user)
    assert code in [e.code for e in exc.value.error_list]


def test_password_similar_to_username_is_rejected(officer_user):
    officer_user.username = "zhangweiming"
    with pytest.raises(ValidationError) as exc:
        validate_password("zhangweiming1", officer_user)
    assert "password_too_similar" in [e.code for e in exc.value.error_list]


def test_good_password_is_accepted(officer_user):
    validate_password("Chengguan-Xuetang-2026", officer_user)
