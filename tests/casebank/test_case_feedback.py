"""反馈 on a case: the officer's form (checked, escaped, limited per day and rate-limited), the queue
trainers and legal reviewers work through within their scope, and the reply that reaches the
officer in 消息."""
import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casebank import case_feedback
from casebank.models import CaseFeedback, CaseFeedbackStatus
from officers import roles
from officers.models import Notice, NoticeKind
from tests.factories import make_user

from .factories import make_case

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


@pytest.fixture
def case(statutes):
    return make_case("渣土车遗撒案", facts="渣土车沿途遗撒。")


def submit_url(case):
    return reverse("casebank:case_feedback_submit", args=[case.pk])


# --- the rules ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind, text, code", [
    ("nonsense", "有误", "bad_kind"),
    ("", "有误", "bad_kind"),
    ("content", "   ", "text_required"),
    ("content", "字" * (case_feedback.TEXT_MAX + 1), "text_too_long"),
])
def test_bad_feedback_is_refused_with_a_code(officer_user, case, kind, text, code):
    with pytest.raises(case_feedback.FeedbackError) as exc:
        case_feedback.submit(officer_user.officer, case, kind, text)
    assert exc.value.code == code
    assert not CaseFeedback.objects.exists()


def test_daily_limit_counts_the_local_day(officer_user, case):
    officer = officer_user.officer
    morning = timezone.make_aware(datetime.datetime(2026, 12, 7, 8, 0))
    for _ in range(case_feedback.DAILY_LIMIT):
        case_feedback.submit(officer, case, "suggestion", "建议补充现场照片", now=morning)
    with pytest.raises(case_feedback.FeedbackError) as exc:
        case_feedback.submit(officer, case, "suggestion", "再来一条", now=morning + datetime.timedelta(hours=1))
    assert exc.value.code == "daily_limit"
    next_day = morning + datetime.timedelta(days=1)
    assert case_feedback.submit(officer, case, "other", "第二天可以再提交", now=next_day).pk


# --- the officer's form -------------------------------------------------------------------


def test_officer_sends_feedback_and_sees_it_on_the_case(client, officer_user, case):
    client.force_login(officer_user)
    body = client.get(case.url).content.decode()
    assert 'id="case-feedback"' in body and "法条引用问题" in body
    response = client.post(submit_url(case), {"kind": "citation", "text": XSS})
    assert response.status_code == 302 and response["Location"].endswith("#case-feedback")
    item = CaseFeedback.objects.get()
    assert (item.officer, item.case_id, item.kind, item.status) == (officer_user.officer, case.pk, "citation", "open")
    body = client.get(case.url).content.decode()
    assert "我的反馈" in body and "待处理" in body
    assert XSS not in body and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_refused_form_keeps_the_text(client, officer_user, case):
    client.force_login(officer_user)
    response = client.post(submit_url(case), {"kind": "bogus", "text": "我写的反馈内容"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请选择反馈类型。" in body and "我写的反馈内容" in body
    assert not CaseFeedback.objects.exists()


@override_settings(CASE_FEEDBACK_RATE_LIMIT="2/m")
def test_feedback_form_is_rate_limited(client, officer_user, case):
    client.force_login(officer_user)
    for _ in range(2):
        assert client.post(submit_url(case), {"kind": "other", "text": "一条"}).status_code == 302
    response = client.post(submit_url(case), {"kind": "other", "text": "第三条"})
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "提交过于频繁" in response.content.decode() and "第三条" in response.content.decode()
    assert CaseFeedback.objects.count() == 2


def test_anonymous_and_unpublished(client, officer_user, statutes):
    public = make_case("公开案例", is_public=True)
    draft = make_case("未发布案例", live=False)
    body = client.get(public.url).content.decode()
    assert 'id="case-feedback"' not in body
    response = client.post(submit_url(public), {"kind": "other", "text": "匿名"})
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(officer_user)
    assert client.post(submit_url(draft), {"kind": "other", "text": "草稿"}).status_code == 404
    assert not CaseFeedback.objects.exists()


# --- the queue ----------------------------------------------------------------------------


def test_queue_for_trainers_and_reviewers_within_their_scope(client, units, officer_user, other_officer_user,
                                                             trainer_user, reviewer_user, hr_user, case):
    mine = case_feedback.submit(officer_user.officer, case, "content", "江北区的反馈")
    case_feedback.submit(other_officer_user.officer, case, "suggestion", "江南区的反馈")
    queue = reverse("casebank:case_feedback")
    for user in (trainer_user, reviewer_user):  # city-level: both
        client.force_login(user)
        body = client.get(queue).content.decode()
        assert "江北区的反馈" in body and "江南区的反馈" in body and "待处理 2 条" in body
    district_trainer = make_user(roles.TRAINER, unit=units["SZ-JN"], username="trainer_jn")
    client.force_login(district_trainer)
    body = client.get(queue).content.decode()
    assert "江南区的反馈" in body and "江北区的反馈" not in body
    assert client.get(reverse("casebank:case_feedback_resolve", args=[mine.pk])).status_code == 404
    for user in (officer_user, hr_user):
        client.force_login(user)
        assert client.get(queue).status_code == 403
        assert client.get(reverse("casebank:case_feedback_resolve", args=[mine.pk])).status_code == 403
    client.logout()
    assert client.get(queue).status_code == 302


def test_trainer_dashboard_shows_the_open_feedback(client, officer_user, trainer_user, case):
    case_feedback.submit(officer_user.officer, case, "content", "案情时间有误")
    client.force_login(trainer_user)
    body = client.get("/").content.decode()
    assert "案例反馈" in body and reverse("casebank:case_feedback") in body


def test_reply_reaches_the_officer_in_messages(client, officer_user, trainer_user, case,
                                               django_capture_on_commit_callbacks):
    item = case_feedback.submit(officer_user.officer, case, "citation", "法条引用的条号不对")
    url = reverse("casebank:case_feedback_resolve", args=[item.pk])
    client.force_login(trainer_user)
    response = client.post(url, {"status": "accepted", "reply": ""})
    assert response.status_code == 400 and "请填写给反馈人的回复。" in response.content.decode()
    response = client.post(url, {"status": "maybe", "reply": "谢谢"})
    assert response.status_code == 400 and "请选择处理结果" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"status": "accepted", "reply": "已更正为第三十三条，谢谢。<b>"})
    assert response.status_code == 302 and response["Location"] == reverse("casebank:case_feedback")
    item.refresh_from_db()
    assert item.status == CaseFeedbackStatus.ACCEPTED and item.resolved_by == trainer_user
    notice = Notice.objects.get(officer=officer_user.officer)
    assert notice.kind == NoticeKind.REPLY and notice.key == f"case_feedback:{item.pk}"
    assert notice.link == case.url + "#case-feedback"
    # the officer reads it in 消息, escaped, and under the case
    client.force_login(officer_user)
    body = client.get(reverse("officers:notice_detail", args=[notice.pk])).content.decode()
    assert "渣土车遗撒案" in body and "已采纳" in body and "已更正为第三十三条，谢谢。&lt;b&gt;" in body
    body = client.get(case.url).content.decode()
    assert "已更正为第三十三条" in body and "已采纳" in body
    # resolving twice is refused, and no second notice is sent
    with pytest.raises(case_feedback.FeedbackError) as exc:
        case_feedback.resolve(item, "rejected", "再回复", trainer_user)
    assert exc.value.code == "already_resolved"
    assert Notice.objects.filter(officer=officer_user.officer).count() == 1


def test_queue_resolves_the_oldest_first_and_moves_on(client, officer_user, trainer_user, case,
                                                      django_capture_on_commit_callbacks):
    first = case_feedback.submit(officer_user.officer, case, "content", "第一条")
    second = case_feedback.submit(officer_user.officer, case, "other", "第二条")
    client.force_login(trainer_user)
    body = client.get(reverse("casebank:case_feedback")).content.decode()
    assert body.index("第一条") < body.index("第二条")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("casebank:case_feedback_resolve", args=[first.pk]),
                               {"status": "rejected", "reply": "案情无误。"})
    assert response["Location"] == reverse("casebank:case_feedback_resolve", args=[second.pk])
    body = client.get(reverse("casebank:case_feedback")).content.decode()
    assert "第二条" in body and "第一条" not in body
    assert "第一条" in client.get(reverse("casebank:case_feedback"), {"status": "rejected"}).content.decode()


def test_queue_lists_one_status_or_all_newest_first(client, officer_user, trainer_user, case):
    first = case_feedback.submit(officer_user.officer, case, "content", "第一条")
    case_feedback.submit(officer_user.officer, case, "other", "第二条")
    case_feedback.resolve(first, "accepted", "已更正。", trainer_user)
    client.force_login(trainer_user)
    url = reverse("casebank:case_feedback")
    body = client.get(url, {"status": "accepted"}).content.decode()
    assert "第一条" in body and "第二条" not in body
    body = client.get(url, {"status": "<junk>", "page": "x"}).content.decode()
    assert body.index("第二条") < body.index("第一条")


def test_a_case_behind_a_view_restriction_takes_no_feedback_or_star(client, officer_user, case):
    PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.PASSWORD, password="x")
    client.force_login(officer_user)
    assert client.post(submit_url(case), {"kind": "other", "text": "受限"}).status_code == 404
    assert client.post(reverse("casebank:case_star", args=[case.pk]), {"on": "1"}).status_code == 404
    assert client.post(reverse("casebank:case_note", args=[case.pk]), {"note": "受限"}).status_code == 404
    assert not CaseFeedback.objects.exists()
