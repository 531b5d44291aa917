"""类案检索报告: a trainer sets it, the officer compares similar cases and submits, the trainer
marks it, the officer reads the mark; scope refusals at every step."""
import datetime

import pytest
from django.utils import timezone, translation

from casebank import similar_reports as reports
from casebank.models import ReportStatus, SimilarCaseAssignment, SimilarCaseReport
from officers import notices
from officers.models import Notice, NoticeKind
from tests.factories import make_user

from .factories import make_case

pytestmark = pytest.mark.django_db

FILLED = {"facts": "均为夜间施工，本案持证施工但超时。", "outcome": "类案罚款二万元，本案拟一般等级。",
          "conclusion": "参照类案在一般等级内裁量。"}


@pytest.fixture
def cases(units):
    return {
        "subject": make_case("本案：夜间施工噪声", violation_type="夜间施工", tags=["夜间"]),
        "a": make_case("类案甲：工地夜间打桩", violation_type="夜间施工", tags=["夜间"]),
        "b": make_case("类案乙：夜间浇筑混凝土", violation_type="夜间施工"),
        "draft": make_case("未发布的夜间施工草稿", violation_type="夜间施工", live=False),
    }


@pytest.fixture
def trainer_jn(units):
    """A trainer of 江南区: officers of 江北区 are outside their scope."""
    return make_user("trainer", unit=units["SZ-JN"], username="trainer_jn")


def due(days=7):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def assign(client, trainer, case, unit, **fields):
    client.force_login(trainer)
    data = {"unit": unit.pk, "include_subunits": "on", "position": "", "due_date": due(), "min_cases": "2",
            "instructions": "检索近三年同类案件。", **fields}
    return client.post(f"/case-reports/assign/{case.pk}/", data)


def texts(comparison, **values):
    return {f"c{comparison.pk}-{name}": values.get(name, FILLED[name]) for name in FILLED}


def test_trainer_sets_an_assignment_within_scope(client, trainer_user, cases, units):
    response = assign(client, trainer_user, cases["subject"], units["SZ-JB"])
    assert response.status_code == 302
    assignment = SimilarCaseAssignment.objects.get()
    assert assignment.case_id == cases["subject"].pk and assignment.assigned_by == trainer_user
    assert client.get("/case-reports/manage/").content.decode().count("本案：夜间施工噪声") == 1


def test_bad_assignment_input_keeps_what_was_typed(client, trainer_user, trainer_jn, cases, units):
    response = assign(client, trainer_user, cases["subject"], units["SZ-JB"], due_date="2020-01-01",
                      instructions="比较裁量幅度<b>!</b>")
    body = response.content.decode()
    assert response.status_code == 400 and "完成期限不能早于今天" in body
    assert "比较裁量幅度&lt;b&gt;!&lt;/b&gt;" in body
    response = assign(client, trainer_jn, cases["subject"], units["SZ-JB"])
    assert response.status_code == 400 and "只能布置给本人管辖范围内的单位" in response.content.decode()
    assert not SimilarCaseAssignment.objects.exists()


def test_officers_cannot_assign(client, officer_user, cases, units):
    assert assign(client, officer_user, cases["subject"], units["SZ-JB"]).status_code == 403


def test_report_flow_create_submit_mark(client, trainer_user, officer_user, cases, units):
    assign(client, trainer_user, cases["subject"], units["SZ-JB"])
    assignment = SimilarCaseAssignment.objects.get()
    url = f"/case-reports/{assignment.pk}/"

    client.force_login(officer_user)
    assert "本案：夜间施工噪声" in client.get("/case-reports/").content.decode()
    page = client.get(url).content.decode()
    assert "类案甲：工地夜间打桩" in page  # proposed by 类案推送
    assert "未发布的夜间施工草稿" not in page
    # Search finds published cases only.
    page = client.get(url, {"q": "夜间"}).content.decode()
    assert "类案乙：夜间浇筑混凝土" in page and "未发布的夜间施工草稿" not in page

    assert client.post(url, {"add": cases["a"].pk}).status_code == 302
    report = SimilarCaseReport.objects.get(officer=officer_user.officer)
    first = report.comparisons.get()
    # A draft case cannot be added, even by its id.
    response = client.post(url, {"add": cases["draft"].pk, **texts(first, conclusion="")})
    assert response.status_code == 400 and "找不到该案例" in response.content.decode()
    # The assigned case itself is not a similar case.
    response = client.post(url, {"add": cases["subject"].pk})
    assert response.status_code == 400 and "不能选择本案自身" in response.content.decode()

    # Adding the second case saves what was typed for the first.
    assert client.post(url, {"add": cases["b"].pk, **texts(first, conclusion="")}).status_code == 302
    first.refresh_from_db()
    assert first.facts == FILLED["facts"] and first.conclusion == ""
    second = report.comparisons.exclude(pk=first.pk).get()

    # Submitting with a text missing: a clear error, nothing lost.
    response = client.post(url, {"action": "submit", **texts(first, conclusion=""), **texts(second)})
    body = response.content.decode()
    assert response.status_code == 400
    assert "“类案甲：工地夜间打桩”的案情异同、裁量结果异同和参考结论都要填写" in body
    assert FILLED["outcome"] in body
    second.refresh_from_db()
    assert second.conclusion == FILLED["conclusion"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    # Too long: shown again as typed, with the limit.
    long_text = "长" * 2001
    response = client.post(url, {"action": "save", **texts(first, facts=long_text), **texts(second)})
    assert response.status_code == 400 and long_text in response.content.decode()
    assert "最多 2000 字" in response.content.decode()

    response = client.post(url, {"action": "submit", **texts(first), **texts(second)})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    # Submitted: read-only.
    client.post(url, {"action": "save", **texts(first, facts="改写")})
    first.refresh_from_db()
    assert first.facts == FILLED["facts"]

    client.force_login(trainer_user)
    assert "待批阅类案检索报告" in client.get("/").content.decode()
    mark_url = f"/case-reports/mark/{report.pk}/"
    response = client.post(mark_url, {"score": "120", "comment": "好"})
    assert response.status_code == 400 and "0 到 100 之间的整数" in response.content.decode()
    response = client.post(mark_url, {"score": "86", "comment": "类案选择准确，<i>结论</i>清楚。"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.MARKED and report.score == 86 and report.marked_by == trainer_user

    client.force_login(officer_user)
    body = client.get(url).content.decode()
    assert "86" in body and "类案选择准确，&lt;i&gt;结论&lt;/i&gt;清楚。" in body and "已批阅" in body


def test_scope_refusals(client, trainer_user, trainer_jn, officer_user, other_officer_user, cases, units):
    assign(client, trainer_user, cases["subject"], units["SZ-JB"])
    assignment = SimilarCaseAssignment.objects.get()
    # An officer outside the targeted unit does not find the assignment.
    client.force_login(other_officer_user)
    assert client.get(f"/case-reports/{assignment.pk}/").status_code == 404
    assert "本案：夜间施工噪声" not in client.get("/case-reports/").content.decode()

    report = reports.start(officer_user.officer, assignment)
    reports.add_case(report, cases["a"].pk, officer_user)
    reports.add_case(report, cases["b"].pk, officer_user)
    # A draft is not markable, by anyone.
    client.force_login(trainer_user)
    assert client.get(f"/case-reports/mark/{report.pk}/").status_code == 404
    reports.save_texts(report, "", {c.pk: FILLED for c in report.comparisons.all()})
    reports.submit(report)
    assert client.get(f"/case-reports/mark/{report.pk}/").status_code == 200
    # A trainer of another district sees neither the assignment nor the report.
    client.force_login(trainer_jn)
    assert client.get(f"/case-reports/mark/{report.pk}/").status_code == 404
    assert client.get(f"/case-reports/manage/{assignment.pk}/").status_code == 404
    assert "本案：夜间施工噪声" not in client.get("/case-reports/manage/").content.decode()
    assert client.post(f"/case-reports/mark/{report.pk}/", {"score": "10"}).status_code == 404
    report.refresh_from_db()
    assert report.score is None
    # Officers do not reach the trainers' pages.
    client.force_login(officer_user)
    assert client.get(f"/case-reports/mark/{report.pk}/").status_code == 403
    assert client.get("/case-reports/manage/").status_code == 403


def test_rules_refuse_too_few_and_duplicates(trainer_user, officer_user, cases, units):
    assignment = SimilarCaseAssignment.objects.create(case=cases["subject"], unit=units["SZ-JB"],
                                                      due_date=timezone.localdate(), min_cases=2)
    report = reports.start(officer_user.officer, assignment)
    assert reports.start(officer_user.officer, assignment).pk == report.pk
    reports.add_case(report, cases["a"].pk, officer_user)
    with pytest.raises(reports.ReportError) as exc:
        reports.add_case(report, cases["a"].pk, officer_user)
    assert exc.value.code == "duplicate"
    reports.save_texts(report, "", {c.pk: FILLED for c in report.comparisons.all()})
    with pytest.raises(reports.ReportError) as exc:
        reports.submit(report)
    assert [e.code for e in exc.value.error_list] == ["too_few"]
    with pytest.raises(reports.ReportError) as exc:
        reports.mark(report, 90, "", trainer_user)
    assert exc.value.code == "not_submitted"


def test_junk_case_and_comparison_ids_are_refused_not_errors(client, officer_user, cases, units):
    assignment = SimilarCaseAssignment.objects.create(case=cases["subject"], unit=units["SZ-JB"],
                                                      due_date=timezone.localdate(), min_cases=2)
    report = reports.start(officer_user.officer, assignment)
    reports.add_case(report, cases["a"].pk, officer_user)
    client.force_login(officer_user)
    url = f"/case-reports/{assignment.pk}/"
    for junk in ("abc", "-1", "99999999999999999999999"):
        response = client.post(url, {"add": junk})
        assert response.status_code == 400 and "找不到该案例" in response.content.decode()
        assert client.post(url, {"remove": junk}).status_code == 302
    assert report.comparisons.count() == 1


def test_due_assignments_reach_notices_until_submitted(officer_user, other_officer_user, cases, units):
    today = timezone.localdate()
    assignment = SimilarCaseAssignment.objects.create(case=cases["subject"], unit=units["SZ-JB"],
                                                      due_date=today + datetime.timedelta(days=3), min_cases=1)
    due_rows = reports.assignments_due(today, today + datetime.timedelta(days=7))
    assert [(r[0], r[1]) for r in due_rows] == [(officer_user.officer.pk, f"case-report-{assignment.pk}")]
    assert due_rows[0][2] == "本案：夜间施工噪声"
    # the officer's notice reads as a report task, not as an assigned course, in both languages
    notices.daily(today)
    notice = Notice.objects.get(officer=officer_user.officer, kind=NoticeKind.REPORT_DUE)
    due = (today + datetime.timedelta(days=3)).isoformat()
    assert notice.link == f"/case-reports/{assignment.pk}/"
    assert notice.display_title == f"类案检索报告“本案：夜间施工噪声”将于 {due} 到期"
    assert f"须于 {due} 前提交" in notice.display_body and "课程" not in notice.display_body
    with translation.override("en"):
        assert notice.display_title == f'Similar-case report on "本案：夜间施工噪声" due on {due}'
        assert notice.get_kind_display() == "Similar-case report due"
    notices.daily(today)
    assert Notice.objects.filter(officer=officer_user.officer, kind=NoticeKind.REPORT_DUE).count() == 1
    report = reports.start(officer_user.officer, assignment)
    reports.add_case(report, cases["a"].pk, officer_user)
    reports.save_texts(report, "", {c.pk: FILLED for c in report.comparisons.all()})
    reports.submit(report)
    assert reports.assignments_due(today, today + datetime.timedelta(days=7)) == []


def test_district_trainer_follows_a_city_assignment_for_their_officers_only(
        client, trainer_user, trainer_jn, officer_user, other_officer_user, cases, units):
    assign(client, trainer_user, cases["subject"], units["SZ"])
    assignment = SimilarCaseAssignment.objects.get()
    submitted = {}
    for user in (officer_user, other_officer_user):
        report = reports.start(user.officer, assignment)
        for key in ("a", "b"):
            reports.add_case(report, cases[key].pk, user)
        reports.save_texts(report, "", {c.pk: FILLED for c in report.comparisons.all()})
        submitted[user.username] = reports.submit(report)
    client.force_login(trainer_jn)
    assert "本案：夜间施工噪声" in client.get("/case-reports/manage/").content.decode()
    body = client.get(f"/case-reports/manage/{assignment.pk}/").content.decode()
    assert other_officer_user.officer.full_name in body and officer_user.officer.full_name not in body
    assert client.get(f"/case-reports/mark/{submitted['officer_a'].pk}/").status_code == 404
    assert client.get(f"/case-reports/mark/{submitted['officer_b'].pk}/").status_code == 200
