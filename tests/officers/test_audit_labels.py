"""The change logs show a description for every audit event code the project records."""
import pathlib
import re

import pytest
from django.utils import timezone, translation

from officers import auth
from officers.models import AUDIT_ACTION_LABELS, AuditLog, audit_action_label

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ("officers", "courses", "exams", "casebank", "search", "site")


def _recorded_codes():
    codes = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            codes.update(re.findall(r"audit\.record\(\s*[\"']([\w.]+)[\"']", text))
            if path.name == "qualifications.py":
                codes.update(f"qualification.{a}" for a in re.findall(r"_save_change\(\s*rec,\s*\"(\w+)\"", text))
    codes.update({auth.LOGIN_SUCCESS, auth.LOGIN_FAILURE, auth.LOGIN_LOCKED, auth.LOGOUT})
    return codes


def test_every_recorded_code_has_a_description():
    codes = _recorded_codes()
    assert {"qualification.grant", "hours.credit", "certificate.issue", "course.completed"} <= codes
    missing = sorted(c for c in codes if c not in AUDIT_ACTION_LABELS)
    assert missing == []


@pytest.mark.parametrize("code, label", [("qualification.grant", "授予资格"), ("hours.credit", "计入学时"),
                                         ("certificate.issue", "颁发证书"), ("login.failure", "登录失败")])
def test_description_of_known_codes(code, label):
    assert str(audit_action_label(code)) == label
    assert str(AuditLog(action=code).action_label) == label


def test_unknown_code_falls_back_to_the_code():
    assert audit_action_label("exam.something_new") == "exam.something_new"


@pytest.mark.django_db
def test_hr_person_page_change_log_shows_descriptions(client, hr_user, officer_user):
    officer = officer_user.officer
    AuditLog.objects.create(action="hours.credit", officer=officer, at=timezone.now())
    AuditLog.objects.create(action="custom.unknown", officer=officer, at=timezone.now())
    client.force_login(hr_user)
    body = client.get(f"/people/{officer.pk}/").content.decode()
    assert "计入学时" in body and ">hours.credit<" not in body
    assert ">custom.unknown<" in body


def test_descriptions_are_translatable():
    with translation.override("en"):
        assert str(audit_action_label("hours.credit")) == "Training hours credited"
