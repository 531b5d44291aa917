"""Integrity, extra time and the exam page as officers, trainers and HR see them: the event
endpoint checks who and which page, a forced submission says why, extra time is documented,
scoped and audited, and the exam page shows the paper's make-up before the start."""
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams import engine, integrity
from exams.models import EndReason, Exam, ExtraTime, ForcedReason, QuestionType, Sitting, SittingEvent, SittingStatus
from officers import roles
from officers.models import AuditLog
from tests.exams.factories import make_exam, make_question
from tests.exams.test_eligibility import _exam_post_data
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_commit_now(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())


@pytest.fixture
def exam(trainer_user):
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.SINGLE),
                      make_question(QuestionType.TRUEFALSE, answer=True), make_question(QuestionType.CASE)],
                     points=2, time_limit_minutes=60, leave_limit=1, idle_minutes=3, block_copy=True, watermark=True,
                     created_by=trainer_user)
    exam.managers.add(trainer_user)
    return exam


def open_paper(client, officer_user, exam):
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get(exam=exam, officer=officer_user.officer)
    page = client.get(reverse("exams:sitting", args=[sitting.pk]))
    config = json.loads(re.search(r'<script id="paper-config" type="application/json">(.*?)</script>',
                                  page.content.decode()).group(1))
    return sitting, config, page


def test_starting_again_after_leaving_past_the_limit_shows_the_forced_result(client, officer_user, exam):
    """开始考试 on a sitting left without a return (the tab was closed) counts the time away
    as opening its paper does; past the limit the sitting is submitted and the officer
    sees the result with the reason, not the paper."""
    Exam.objects.filter(pk=exam.pk).update(leave_limit=None, away_limit_seconds=60)
    exam.refresh_from_db()
    sitting, config, _page = open_paper(client, officer_user, exam)
    assert send(client, sitting, seq=1, kind="leave", token=config["token"]).status_code == 200
    SittingEvent.objects.filter(sitting=sitting).update(at=timezone.now() - timedelta(seconds=120))
    r = client.post(reverse("exams:start", args=[exam.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("exams:result", args=[sitting.pk])
    sitting.refresh_from_db()
    assert sitting.status != SittingStatus.OPEN and sitting.ended_by == EndReason.FORCED
    assert sitting.forced_reason == ForcedReason.AWAY
    assert Sitting.objects.filter(exam=exam).count() == 1


def send(client, sitting, **body):
    return client.post(reverse("exams:event", args=[sitting.pk]), json.dumps(body), content_type="application/json")


def test_paper_carries_the_integrity_settings_and_watermark(client, officer_user, exam):
    sitting, config, page = open_paper(client, officer_user, exam)
    body = page.content.decode()
    assert config["token"] == Sitting.objects.get(pk=sitting.pk).page_token and config["trackLeaving"]
    assert config["idleSeconds"] == 180 and config["blockCopy"] is True
    assert 'id="watermark"' in body and officer_user.officer.full_name in body and "no-copy" in body
    assert 'aria-live="polite"' in body and 'id="countdown-announce"' in body


def test_forced_submission_through_the_endpoint_shows_why(client, officer_user, trainer_user, exam):
    """Leaving twice with a limit of one: the second leave submits; the officer's result page
    and the trainer's sitting page and report say why."""
    sitting, config, _page = open_paper(client, officer_user, exam)
    r = send(client, sitting, token=config["token"], seq=config["seq"] + 1, kind="leave")
    assert r.status_code == 200 and r.json()["forced"] == ""
    r = send(client, sitting, token=config["token"], seq=config["seq"] + 2, kind="return", seconds=5)
    assert "再离开一次将强制交卷" in r.json()["warning"]
    r = send(client, sitting, token=config["token"], seq=config["seq"] + 3, kind="leave")
    data = r.json()
    assert data["forced"] == ForcedReason.LEAVES and data["url"] == reverse("exams:result", args=[sitting.pk])
    result = client.get(data["url"]).content.decode()
    assert "强制交卷" in result and "离开考试页面 2 次，超过上限 1 次" in result
    # a late event from the same page changes nothing and says why
    r = send(client, sitting, token=config["token"], seq=config["seq"] + 4, kind="return", seconds=9)
    assert r.status_code == 409 and r.json()["error"] == integrity.CLOSED and "已交卷" in r.json()["message"]
    assert Sitting.objects.get(pk=sitting.pk).away_seconds == 5
    client.force_login(trainer_user)
    detail = client.get(reverse("exams:manage_sitting", args=[sitting.pk])).content.decode()
    assert "离开考试页面 2 次，超过上限 1 次" in detail and "离开考试页面" in detail
    report = client.get(reverse("exams:integrity_report", args=[exam.pk]))
    assert report.status_code == 200
    row = re.search(r'<tbody>(.*?)</tbody>', report.content.decode(), re.S).group(1)
    assert officer_user.officer.full_name in row and "离开考试页面次数超过上限" in row


def test_event_endpoint_refuses_stale_pages_other_officers_and_bad_input(client, officer_user, other_officer_user,
                                                                      exam):
    sitting, config, _page = open_paper(client, officer_user, exam)
    client.get(reverse("exams:sitting", args=[sitting.pk]))  # a newer page replaces the token
    r = send(client, sitting, token=config["token"], seq=1, kind="leave")
    assert r.status_code == 409 and r.json()["error"] == integrity.STALE_PAGE and "过期" in r.json()["message"]
    assert client.post(reverse("exams:event", args=[sitting.pk]), "{not json",
                       content_type="application/json").status_code == 400
    assert send(client, sitting, token=config["token"], seq=1, kind="forced").status_code == 400
    client.force_login(other_officer_user)
    assert send(client, sitting, token=config["token"], seq=1, kind="leave").status_code == 404
    client.logout()
    assert send(client, sitting, token=config["token"], seq=1, kind="leave").status_code in (302, 401, 403)
    sitting.refresh_from_db()
    assert sitting.leave_count == 0 and not sitting.events.exists()


def test_autosave_takes_an_answer_on_top_of_its_unacknowledged_prior(client, officer_user, exam):
    sitting, _config, _page = open_paper(client, officer_user, exam)
    url = reverse("exams:autosave", args=[sitting.pk])

    def save(**body):
        return client.post(url, json.dumps(body), content_type="application/json")

    assert save(position=1, revision=0, response={"choice": "1"}).json()["revision"] == 1
    replay = save(position=1, revision=0, response={"choice": "1"})
    assert replay.status_code == 200 and replay.json()["revision"] == 1
    assert save(position=1, revision=0, response={"choice": "2"}).status_code == 409
    on_top = save(position=1, revision=0, response={"choice": "2"}, prior={"choice": "1"})
    assert on_top.status_code == 200 and on_top.json()["revision"] == 2


def test_exam_page_shows_types_counts_points_rules_and_extra_time(client, officer_user, exam, trainer_user):
    client.force_login(officer_user)
    body = client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    table = re.search(r'id="paper-composition">(.*?)</table>', body, re.S).group(1)
    assert "单选题" in table and "判断题" in table and "案例分析题" in table
    assert re.search(r"单选题</td><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">4</td>", table)
    assert re.search(r"合计</th><th class=\"num\">4</th><th></th><th class=\"num\">8</th>", table)
    assert "60 分钟" in body and "延长自" not in body
    assert "超过 1 次将强制交卷" in body and "3 分钟无任何操作" in body
    ExtraTime.objects.create(exam=exam, officer=officer_user.officer, minutes=30, reason="伤病证明", set_by=trainer_user)
    body = client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    assert "90 分钟（延长自 60 分钟）" in body
    start = timezone.now()
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get(exam=exam, officer=officer_user.officer)
    assert sitting.extra_minutes == 30
    assert timedelta(minutes=89) < sitting.deadline - start <= timedelta(minutes=90, seconds=5)
    assert "90 分钟（延长自 60 分钟）" in client.get(reverse("exams:sitting", args=[sitting.pk])).content.decode()


def test_rules_paper_composition(client, officer_user):
    for _ in range(3):
        make_question(QuestionType.MULTI, category="traffic")
    exam = make_exam(mode="rules", rules=[{"count": 3, "qtype": QuestionType.MULTI, "points": Decimal("2.5")},
                                          {"count": 0, "qtype": "", "points": Decimal("1")}])
    client.force_login(officer_user)
    body = client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    assert re.search(r"多选题</td><td class=\"num\">3</td><td class=\"num\">2.5</td><td class=\"num\">7.5</td>", body)


def test_extra_time_compute_deadline_caps_at_close_plus_extra():
    class E:
        time_limit_minutes = 60
        closes_at = timezone.now() + timedelta(minutes=30)
    start = timezone.now()
    assert engine.compute_deadline(E, start) == E.closes_at
    assert engine.compute_deadline(E, start, 20) == E.closes_at + timedelta(minutes=20)
    E.closes_at = None
    assert engine.compute_deadline(E, start, 30) == start + timedelta(minutes=90)


def test_trainer_and_hr_set_extra_time_within_their_scope_audited(client, exam, trainer_user, hr_user, hr_other_user,
                                                                 officer_user, other_officer_user):
    url = reverse("exams:extra_time", args=[exam.pk])
    officer = officer_user.officer
    client.force_login(hr_user)
    r = client.post(url, {"employee_number": officer.employee_number, "minutes": "30", "reason": "右手骨折，医院证明"})
    assert r.status_code == 302
    extra = ExtraTime.objects.get(exam=exam, officer=officer)
    assert extra.minutes == 30 and extra.set_by == hr_user
    entry = AuditLog.objects.get(action="exam.extra_time")
    assert entry.officer == officer and entry.after == {"minutes": 30, "reason": "右手骨折，医院证明"} and entry.before is None
    # no reason, bad minutes: clear errors, nothing changed
    r = client.post(url, {"employee_number": officer.employee_number, "minutes": "45", "reason": " "})
    assert r.status_code == 400 and "理由" in r.content.decode()
    r = client.post(url, {"employee_number": officer.employee_number, "minutes": "abc", "reason": "x"})
    assert r.status_code == 400 and "整数分钟" in r.content.decode()
    assert ExtraTime.objects.get(pk=extra.pk).minutes == 30
    # an officer outside the HR's district is not found
    r = client.post(url, {"employee_number": other_officer_user.officer.employee_number, "minutes": "10",
                          "reason": "证明"})
    assert r.status_code == 400 and "管辖范围" in r.content.decode()
    assert not ExtraTime.objects.filter(officer=other_officer_user.officer).exists()
    client.force_login(hr_other_user)
    assert officer.full_name not in client.get(url).content.decode()
    # the managing trainer removes it (0 minutes), audited
    client.force_login(trainer_user)
    assert officer.full_name in client.get(url).content.decode()
    client.post(url, {"employee_number": officer.employee_number, "minutes": "0", "reason": "证明已过期"})
    assert not ExtraTime.objects.filter(exam=exam, officer=officer).exists()
    assert AuditLog.objects.filter(action="exam.extra_time").count() == 2
    # officers may not
    client.force_login(officer_user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("exams:extra_time_index")).status_code == 403


def test_integrity_report_is_for_managing_trainers_only(client, exam, officer_user, other_officer_user, trainer_user,
                                                        units):
    stranger = make_user(roles.TRAINER, unit=units["SZ"], username="trainer_other")
    client.force_login(stranger)
    assert client.get(reverse("exams:integrity_report", args=[exam.pk])).status_code == 404
    client.force_login(officer_user)
    assert client.get(reverse("exams:integrity_report", args=[exam.pk])).status_code == 403



def test_admin_panel_sets_the_integrity_rules_all_off_by_default(client, trainer_user):
    """The exam form has a 考试纪律 panel; a new exam has every rule off until switched on."""
    client.force_login(trainer_user)
    url = reverse("wagtailsnippets_exams_exam:add")
    form = client.get(url).content.decode()
    assert "考试纪律" in form and 'name="leave_limit"' in form and 'name="idle_minutes"' in form
    assert client.post(url, _exam_post_data(title="练习一", kind="practice")).status_code == 302
    practice = Exam.objects.get(title="练习一")
    assert not practice.has_integrity_rules
    r = client.post(url, _exam_post_data(title="资格考试一", kind="qualification", leave_limit="3",
                                         away_limit_seconds="120", idle_minutes="5", block_copy="on", watermark="on"))
    assert r.status_code == 302
    exam = Exam.objects.get(title="资格考试一")
    assert (exam.leave_limit, exam.away_limit_seconds, exam.idle_minutes, exam.block_copy, exam.watermark) == (
        3, 120, 5, True, True)
