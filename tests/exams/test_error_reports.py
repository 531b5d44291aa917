"""题目纠错: an officer reports an error in a question; trainers see the reports of officers in
their scope and reply; the officer reads the reply in 我的纠错. Text is escaped; a day's
reports are capped."""
import pytest
from django.urls import reverse
from django.utils import timezone

from exams import reports
from exams.models import ErrorReport, QuestionType
from officers import roles
from tests.exams.factories import make_exam, make_question
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def question(units):
    return make_question(QuestionType.SINGLE, category="traffic")


def test_report_reaches_the_trainer_and_the_reply_reaches_the_officer(client, officer_user, trainer_user, question):
    client.force_login(officer_user)
    r = client.post(reverse("exams:practice_report", args=[question.pk]), {"kind": "answer", "text": f"答案应为C {SCRIPT}"})
    assert r.status_code == 302
    report = ErrorReport.objects.get()
    assert report.officer == officer_user.officer and report.version == question.current_version
    client.force_login(trainer_user)
    queue = client.get(reverse("exams:reports")).content.decode()
    assert "答案应为C" in queue and SCRIPT not in queue
    page = client.get(reverse("exams:report_resolve", args=[report.pk])).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
    bad = client.post(reverse("exams:report_resolve", args=[report.pk]), {"status": "accepted", "reply": " "})
    assert bad.status_code == 400
    client.post(reverse("exams:report_resolve", args=[report.pk]), {"status": "accepted", "reply": "已更正答案，谢谢。"})
    report.refresh_from_db()
    assert report.status == "accepted" and report.resolved_by == trainer_user and report.resolved_at
    client.force_login(officer_user)
    mine = client.get(reverse("exams:practice_reports")).content.decode()
    assert "已更正答案，谢谢。" in mine and "已采纳" in mine and SCRIPT not in mine


def test_trainer_queue_is_scoped_to_their_units(client, officer_user, other_officer_user, units, question):
    """A trainer of 江北区 sees 江北 reports only, and cannot open or resolve a 江南 one."""
    jb_trainer = make_user(roles.TRAINER, unit=units["SZ-JB"])
    mine = reports.submit(officer_user.officer, question, "stem", "江北的纠错")
    theirs = reports.submit(other_officer_user.officer, question, "stem", "江南的纠错")
    client.force_login(jb_trainer)
    body = client.get(reverse("exams:reports")).content.decode()
    assert "江北的纠错" in body and "江南的纠错" not in body
    assert client.get(reverse("exams:report_resolve", args=[theirs.pk])).status_code == 404
    client.post(reverse("exams:report_resolve", args=[theirs.pk]), {"status": "rejected", "reply": "不行"})
    theirs.refresh_from_db()
    assert theirs.status == "open"
    assert client.get(reverse("exams:report_resolve", args=[mine.pk])).status_code == 200
    # officers cannot reach the queue; an officer sees only their own reports
    client.force_login(officer_user)
    assert client.get(reverse("exams:reports")).status_code == 403
    assert "江南的纠错" not in client.get(reverse("exams:practice_reports")).content.decode()


def test_report_needs_a_question_the_officer_has_seen(client, officer_user, units):
    """A question of a running exam the officer never sat cannot be reported (nor probed)."""
    hidden = make_question(QuestionType.SINGLE)
    make_exam([hidden], kind="annual", closes_at=timezone.now() + timezone.timedelta(days=3))
    client.force_login(officer_user)
    assert client.get(reverse("exams:practice_report", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("exams:practice_report", args=[hidden.pk]),
                       {"kind": "answer", "text": "x"}).status_code == 404
    assert not ErrorReport.objects.exists()


def test_bad_reports_are_refused_with_a_reason(officer_user, question):
    officer = officer_user.officer
    for kind, text, code in (("nonsense", "说明", "bad_kind"), ("other", "  ", "text_required"),
                             ("other", "长" * 2001, "text_too_long")):
        with pytest.raises(reports.ReportError) as exc:
            reports.submit(officer, question, kind, text)
        assert exc.value.code == code
    assert not ErrorReport.objects.exists()


def test_an_officer_may_file_twenty_reports_a_day(client, officer_user, question):
    officer = officer_user.officer
    for i in range(reports.DAILY_LIMIT):
        reports.submit(officer, question, "other", f"第{i}条")
    client.force_login(officer_user)
    r = client.post(reverse("exams:practice_report", args=[question.pk]), {"kind": "other", "text": "再来一条"})
    assert r.status_code == 429 and "每日上限" in r.content.decode()
    assert ErrorReport.objects.count() == reports.DAILY_LIMIT
    tomorrow = timezone.now() + timezone.timedelta(days=1)
    reports.submit(officer, question, "other", "第二天", now=tomorrow)
    assert ErrorReport.objects.count() == reports.DAILY_LIMIT + 1
