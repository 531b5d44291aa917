"""案例推荐: a squad's leader recommends a local case; it becomes a draft case page in the 法制审核
workflow, waiting in the reviewers' list; who may recommend, bad input and the daily limit."""
import datetime

import pytest

from casebank import recommend
from casebank.models import CaseIndexPage, CasePage, CaseRecommendation
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/case-recommend/"


def form(**overrides):
    data = {"title": "某餐饮店占道经营拒不改正案", "case_number": "江北城管罚〔2026〕第12号", "decision_date": "2026-05-10",
            "district": "江北区", "duty_areas": ["environment"], "violation_type": "擅自占用城市道路经营",
            "fine_amount": "500", "facts": "当事人在店外人行道摆放桌椅经营，经劝导后仍不改正。",
            "issues": "劝导在先是否为处罚前置程序。", "legal_basis_text": "《城市市容和环境卫生管理条例》第三十六条。",
            "outcome": "责令改正，罚款五百元。", "review_result": "", "reason": "劝导与处罚衔接的典型案例。"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def leader(units):
    return make_user("officer", unit=units["SZ-JB-01"], username="leader", position="squad_leader")


def test_squad_leader_recommends_a_draft_into_legal_review(client, leader, reviewer_user):
    client.force_login(leader)
    response = client.post(URL, form())
    assert response.status_code == 302
    rec = CaseRecommendation.objects.get()
    page = CasePage.objects.get(pk=rec.page_id)
    assert not page.live and page.has_unpublished_changes and page.owner == leader
    assert page.get_parent().specific_class is CaseIndexPage
    assert page.facts.startswith("当事人在店外") and page.outcome == "责令改正，罚款五百元。"
    assert [a.code for a in page.duty_areas.all()] == ["environment"]
    assert page.workflow_in_progress and page.current_workflow_task.name == "法制审核"
    assert rec.unit == leader.officer.unit and rec.reason == "劝导与处罚衔接的典型案例。"
    assert "待法制审核" in client.get(URL).content.decode()
    # The legal reviewer finds it in the 待法制审核 panel.
    client.force_login(reviewer_user)
    assert "某餐饮店占道经营拒不改正案" in client.get("/").content.decode()


def test_who_may_recommend(client, officer_user, units):
    client.force_login(officer_user)  # a squad officer without a leading post
    assert client.get(URL).status_code == 403
    district_leader = make_user("officer", unit=units["SZ-JB"], position="squad_leader")
    client.force_login(district_leader)  # not in a squad
    assert client.get(URL).status_code == 403
    legal_officer = make_user("officer", unit=units["SZ-JN-02"], position="legal_officer")
    client.force_login(legal_officer)
    assert client.get(URL).status_code == 200
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page
    with pytest.raises(recommend.RecommendationError) as exc:
        recommend.recommend(officer_user, {"title": "x"})
    assert exc.value.code == "not_allowed"


def test_bad_input_gets_clear_errors_and_keeps_what_was_typed(client, leader):
    client.force_login(leader)
    response = client.post(URL, form(facts="", outcome="罚款<b>五百</b>元"))
    body = response.content.decode()
    assert response.status_code == 400 and "请填写此项" in body
    assert "某餐饮店占道经营拒不改正案" in body and "罚款&lt;b&gt;五百&lt;/b&gt;元" in body
    response = client.post(URL, form(facts="当事人张某（身份证号 110101199003071234）在店外经营。"))
    assert response.status_code == 400 and "请隐去当事人的身份证号等个人信息" in response.content.decode()
    response = client.post(URL, form(decision_date="2026-13-40"))
    assert response.status_code == 400 and "请按 年-月-日 填写决定日期" in response.content.decode()
    assert not CaseRecommendation.objects.exists() and not CasePage.objects.exists()


def test_daily_limit_per_squad(client, leader, units):
    deputy = make_user("officer", unit=units["SZ-JB-01"], position="deputy_squad_leader")
    for n in range(recommend.DAILY_LIMIT):
        recommend.recommend(leader, {**form(title=f"推荐案例{n}"), "duty_areas": [],
                                     "decision_date": datetime.date(2026, 5, 10), "fine_amount": None})
    client.force_login(deputy)
    response = client.post(URL, form())
    body = response.content.decode()
    assert response.status_code == 400 and "已达每日上限" in body and "某餐饮店占道经营拒不改正案" in body
    assert CaseRecommendation.objects.count() == recommend.DAILY_LIMIT
