"""The demo has a squad leader's login (中队长, who may recommend cases), one 类案检索报告 task for
江北区, announced in the officers' notices as a report, and one recommended case waiting for
法制审核; loading twice adds nothing."""
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from casebank import demo, demo_casework, recommend, similar_reports
from casebank.models import CasePage, CaseRecommendation, SimilarCaseAssignment
from officers.models import Notice, NoticeKind, Officer, QualificationRecord

from .factories import make_case

pytestmark = pytest.mark.django_db

STEPS = ("officers.demo", "officers.demo_records", "casebank.demo_casework", "officers.demo_notices")


def test_demo_squad_leader_report_task_and_recommendation(settings):
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

    # the leader's recommendation: a draft case in 法制审核, citing only what the demo's cases cite
    recommendation = CaseRecommendation.objects.select_related("page").get()
    page = recommendation.page.specific
    assert recommendation.recommended_by == leader.user and recommendation.unit == leader.unit
    assert not page.live and page.title == demo_casework.RECOMMENDED["title"]
    assert page.current_workflow_state is not None and page.current_workflow_state.status == "in_progress"
    cited = {(ref["law"], ref["article"]) for row in json.loads((demo.DATA_DIR / "cases.json").read_text("utf-8"))
             for ref in row.get("legal_basis") or []}
    assert "《浙江省城市市容和环境卫生管理条例》第十七条第一款" in page.legal_basis_text
    assert "《" not in page.legal_basis_text.replace("《浙江省城市市容和环境卫生管理条例》", "")
    assert ("浙江省城市市容和环境卫生管理条例", 17) in cited
