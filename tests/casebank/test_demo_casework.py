"""The demo has a squad leader's login (中队长, who may recommend cases) and one 类案检索报告 task
for 江北区, announced in the officers' notices as a report; loading twice adds nothing."""
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from casebank import demo_casework, recommend, similar_reports
from casebank.models import CasePage, SimilarCaseAssignment
from officers.models import Notice, NoticeKind, Officer, QualificationRecord

from .factories import make_case

pytestmark = pytest.mark.django_db

STEPS = ("officers.demo", "officers.demo_records", "casebank.demo_casework", "officers.demo_notices")


def test_demo_squad_leader_and_report_task(settings):
    settings.DEMO_CONTENT_ALLOWED = True
    case = make_case("某川菜馆油烟净化器不开启超标排放案")
    CasePage.objects.filter(pk=case.pk).update(slug=demo_casework.CASE_SLUG)
    for _ in range(2):
        call_command("load_demo", "--only", *STEPS, stdout=io.StringIO())

    leader = Officer.objects.select_related("user", "unit").get(user__username="leader")
    assert (leader.position, leader.unit.code) == ("squad_leader", "SZ-JB-01")
    assert recommend.may_recommend(leader.user)
    assert leader.user.check_password(settings.DEMO_PASSWORD_DEFAULT)
    assert QualificationRecord.objects.filter(officer=leader, qualification_type__is_base=True,
                                              status="qualified").exists()
    assert Officer.objects.filter(certificate_number=leader.certificate_number).count() == 1

    assignment = SimilarCaseAssignment.objects.get()
    assert assignment.case_id == case.pk and assignment.unit.code == "SZ-JB"
    assert assignment.due_date > timezone.localdate() and assignment.assigned_by.username == "trainer"
    for username in ("officer", "leader"):
        officer = Officer.objects.get(user__username=username)
        assert [a.pk for a, _report in similar_reports.officer_rows(officer)] == [assignment.pk]
        notice = Notice.objects.get(officer=officer, kind=NoticeKind.REPORT_DUE)
        assert notice.display_title.startswith("类案检索报告“某川菜馆油烟净化器不开启超标排放案”将于")
