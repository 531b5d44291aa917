"""Exam eligibility by training tier (Exam.eligible_tiers against Officer.training_tier),
set in the admin; and no exam setting that does nothing (exam_paper is gone)."""
import pytest
from django.urls import reverse

from exams import engine
from exams.models import Exam, Sitting
from tests.exams.factories import make_exam, make_question, started_sitting_id
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry_exam():
    return make_exam([make_question()], title="初任资格考试", eligible_tiers=["entry"])


@pytest.mark.parametrize("tier", ["inservice", "advanced", ""])
def test_an_officer_of_another_tier_cannot_start(client, units, entry_exam, tier):
    officer_user = make_user(unit=units["SZ-JB-01"], training_tier=tier)
    officer = officer_user.officer
    assert not engine.is_eligible(entry_exam, officer)
    with pytest.raises(engine.ExamError) as exc:
        engine.start(entry_exam, officer)
    assert exc.value.code == "not_eligible"
    client.force_login(officer_user)
    r = client.post(reverse("exams:start", args=[entry_exam.pk]))
    assert r.status_code == 302 and not Sitting.objects.exists()
    assert client.get(reverse("exams:exam_detail", args=[entry_exam.pk])).status_code == 403
    assert entry_exam.title not in client.get(reverse("exams:exam_list")).content.decode()


def test_an_officer_of_the_tier_can_start(client, units, entry_exam):
    user = make_user(unit=units["SZ-JB-01"], training_tier="entry")
    client.force_login(user)
    assert entry_exam.title in client.get(reverse("exams:exam_list")).content.decode()
    r = client.post(reverse("exams:start", args=[entry_exam.pk]))
    sitting = Sitting.objects.get()
    assert started_sitting_id(r) == sitting.pk


def test_no_tiers_means_everyone(units):
    exam = make_exam([make_question()])
    assert engine.is_eligible(exam, make_user(unit=units["SZ-JB-01"]).officer)
    assert engine.is_eligible(exam, make_user(unit=units["SZ-JB-01"], training_tier="advanced").officer)


def test_tiers_and_units_both_apply(units):
    exam = make_exam([make_question()], eligible_tiers=["inservice", "advanced"])
    exam.eligible_units.add(units["SZ-JB"])
    assert engine.is_eligible(exam, make_user(unit=units["SZ-JB-02"], training_tier="advanced").officer)
    assert not engine.is_eligible(exam, make_user(unit=units["SZ-JN-01"], training_tier="advanced").officer)
    assert not engine.is_eligible(exam, make_user(unit=units["SZ-JB-02"], training_tier="entry").officer)


def test_a_changed_tier_takes_effect(units, entry_exam):
    officer = make_user(unit=units["SZ-JB-01"], training_tier="inservice").officer
    assert not engine.is_eligible(entry_exam, officer)
    officer.training_tier = "entry"
    officer.save()
    assert engine.start(entry_exam, officer).pk


def _exam_post_data(**overrides):
    data = {
        "title": "后台建的考试", "kind": "mock", "description": "", "mode": "fixed", "draft": "on",
        "time_limit_minutes": "", "opens_at": "", "closes_at": "", "max_attempts": "0", "counting": "highest",
        "pass_mark": "60", "hours": "0", "answer_order": "random", "random_order": "on", "max_questions": "",
        "feedback": "end", "review": "after_submit", "multi_scoring": "all", "one_per_page": "on",
        "success_text": "", "fail_text": "", "course": "",
    }
    for prefix in ("exam_questions", "draw_rules"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(overrides)
    return data


def test_admin_sets_eligible_tiers_and_shows_no_dead_switch(client, trainer_user):
    client.force_login(trainer_user)
    url = reverse("wagtailsnippets_exams_exam:add")
    form = client.get(url).content.decode()
    assert 'name="eligible_tiers"' in form and 'value="entry"' in form and "初任培训" in form
    assert "exam_paper" not in form and "保存答卷" not in form
    r = client.post(url, _exam_post_data(eligible_tiers=["entry", "special"]))
    assert r.status_code == 302, r.content.decode()[:3000]
    exam = Exam.objects.get(title="后台建的考试")
    assert exam.eligible_tiers == ["entry", "special"]
    assert exam.eligible_tier_labels() == ["初任培训", "专项培训"]
    r = client.post(reverse("wagtailsnippets_exams_exam:edit", args=[exam.pk]),
                    _exam_post_data(eligible_tiers=["nonsense"]))
    assert r.status_code == 200
    assert Exam.objects.get(pk=exam.pk).eligible_tiers == ["entry", "special"]


def test_exam_paper_switch_is_gone():
    assert "exam_paper" not in {f.name for f in Exam._meta.get_fields()}
