"""The annual exam waits for the year's hours where the qualification type says so: exams asks
officers through the academy_exam_gates hook; the exam cannot be started, is not offered as a
next step, and the exam list says why."""
from decimal import Decimal

import pytest
from django.urls import reverse

from exams import engine
from exams.models import ExamKind
from officers import hours as hours_service
from officers import roles
from officers.models import HoursCategory, HoursRequirement, QualificationType
from tests.exams.factories import make_exam, make_question
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(units, base_type):
    QualificationType.objects.filter(pk=base_type.pk).update(annual_exam_needs_hours=True)
    HoursRequirement.objects.create(qualification_type=base_type, category=HoursCategory.objects.get(
        code="skills"), min_hours=Decimal("8"))
    user = make_user(roles.OFFICER, unit=units["SZ-JB-01"])
    annual = make_exam([make_question()], kind=ExamKind.ANNUAL, title="2026 年度考试")
    mock = make_exam([make_question()], kind=ExamKind.MOCK, title="模拟考试")
    return user, annual, mock


def _credit(officer, hours, code):
    hours_service.credit(officer, hours, source="manual", source_key=f"t:{code}:{hours}", description="测试",
                         category=HoursCategory.objects.get(code=code))


def test_annual_exam_cannot_start_until_hours_are_met(setup):
    user, annual, mock = setup
    officer = user.officer
    with pytest.raises(engine.ExamError) as exc:
        engine.check_can_start(annual, officer)
    assert exc.value.code == "gated" and "「执法技能」学时 0/8" in exc.value.messages[0]
    engine.check_can_start(mock, officer)  # other kinds are not held back
    assert [e[0] for e in engine.open_exams_for(officer, kinds=[ExamKind.ANNUAL, ExamKind.MOCK])] == [mock.pk]
    _credit(officer, 60, "public_law")
    _credit(officer, 8, "skills")
    engine.check_can_start(annual, officer)
    assert annual.pk in [e[0] for e in engine.open_exams_for(officer, kinds=[ExamKind.ANNUAL])]


def test_exam_list_and_page_say_why(client, setup):
    user, annual, _mock = setup
    client.force_login(user)
    html = client.get(reverse("exams:exam_list")).content.decode()
    assert "暂未开放" in html and "年度考试须先修满本年学时" in html
    detail = client.get(reverse("exams:exam_detail", args=[annual.pk])).content.decode()
    assert "年度考试须先修满本年学时" in detail
    client.post(reverse("exams:start", args=[annual.pk]))
    assert not annual.sittings.exists()
