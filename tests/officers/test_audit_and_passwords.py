"""The audit log is append-only; password rules."""
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

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
    """No admin screen offers add/change/delete of audit entries, even to a superuser (who
    bypasses permissions): the model is registered nowhere, and its would-be URLs answer 404."""
    from django.contrib.auth.models import Permission
    from wagtail.snippets.models import get_snippet_models

    entry = audit.record("test.event", actor=admin_user, reason="原因")
    assert AuditLog not in get_snippet_models()
    client.force_login(admin_user)
    snippets = client.get("/cms/snippets/")
    assert snippets.status_code == 200 and "审计日志" not in snippets.content.decode()
    home = client.get("/cms/")
    assert home.status_code == 200 and "auditlog" not in home.content.decode().lower()
    for url in ("/cms/snippets/officers/auditlog/", "/cms/snippets/officers/auditlog/add/",
                f"/cms/snippets/officers/auditlog/edit/{entry.pk}/",
                f"/cms/snippets/officers/auditlog/delete/{entry.pk}/",
                "/admin/officers/auditlog/", f"/admin/officers/auditlog/{entry.pk}/change/"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "篡改"}).status_code in (403, 404), url
    assert AuditLog.objects.get(pk=entry.pk).reason == "原因"
    # and no role can be given more than viewing
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


def test_good_password_is_accepted(client, officer_user):
    """A strong password passes the project's validators in the set-password form, and the
    officer can then sign in with it (and no longer with the old one)."""
    from django.contrib.auth.forms import SetPasswordForm

    from tests.factories import PASSWORD

    good = "Chengguan-Xuetang-2026"
    assert validate_password(good, officer_user) is None
    form = SetPasswordForm(officer_user, {"new_password1": good, "new_password2": good})
    assert form.is_valid(), form.errors
    form.save()
    weak = SetPasswordForm(officer_user, {"new_password1": "password123", "new_password2": "password123"})
    assert not weak.is_valid()  # the same form does refuse a weak one
    login = reverse("officers:login")
    assert client.post(login, {"username": officer_user.username, "password": PASSWORD}).status_code == 200
    response = client.post(login, {"username": officer_user.username, "password": good})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(officer_user.pk)
