"""The 法制审核 workflow through Wagtail's admin views: trainers submit, legal
reviewers approve; bad citations block publication."""
import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from casebank.models import CasePage

from .factories import case_index

pytestmark = pytest.mark.django_db


def case_form(**overrides):
    data = {
        "title": "测试案例：夜间施工噪声", "slug": "night-noise", "case_number": "", "decision_date": "2025-05-01",
        "district": "江北区", "violation_type": "夜间施工", "fine_amount": "", "discretion_level": "",
        "summary": "", "facts": "依据《行政处罚法》第三十三条处理。", "issues": "", "legal_basis_text": "",
        "outcome": "", "review_result": "", "teaching_points": "", "discussion_questions": "", "tags": "",
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
        "legal_basis": inline_formset([]), "procedure_steps": inline_formset([]),
        "related_links": inline_formset([]), "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url():
    return f"/cms/pages/add/casebank/casepage/{case_index().pk}/"


def edit_url(page):
    return f"/cms/pages/{page.pk}/edit/"


def test_trainer_cannot_publish_but_submits_and_reviewer_approves(client, trainer_user, reviewer_user, statutes):
    client.force_login(trainer_user)
    response = client.post(add_url(), case_form(**{"action-publish": "1"}))
    assert response.status_code == 302
    page = CasePage.objects.get(slug="night-noise")
    assert not page.live  # no publish permission: saved as a draft
    response = client.post(edit_url(page), case_form(**{"action-submit": "1"}))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.workflow_in_progress and page.current_workflow_task.name == "法制审核"
    assert not page.live

    client.force_login(reviewer_user)
    # The reviewer's dashboard lists the page awaiting review.
    assert "测试案例：夜间施工噪声" in client.get("/").content.decode()
    response = client.post(edit_url(page), case_form(**{"action-workflow-action": "1",
                                                        "workflow-action-name": "approve"}))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and not page.workflow_in_progress


def test_reviewer_reject_returns_to_trainer(client, trainer_user, reviewer_user, statutes):
    client.force_login(trainer_user)
    client.post(add_url(), case_form(**{"action-submit": "1"}))
    page = CasePage.objects.get(slug="night-noise")
    assert page.workflow_in_progress
    client.force_login(reviewer_user)
    response = client.post(edit_url(page), case_form(**{
        "action-workflow-action": "1", "workflow-action-name": "reject",
        "workflow-action-extra-data": '{"comment": "法律依据不充分"}'}))
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live and not page.workflow_in_progress


def test_bad_citation_blocks_submit_and_publish(client, trainer_user, reviewer_user, statutes):
    client.force_login(trainer_user)
    bad = case_form(facts="依据《行政处罚法》第九百条和《城市管理法》第三条处理。", **{"action-submit": "1"})
    response = client.post(add_url(), bad)
    body = response.content.decode()
    assert response.status_code == 200 and "引用有误" in body
    assert "第九百条" in body and "《城市管理法》第三条" in body
    assert not CasePage.objects.filter(slug="night-noise").exists()
    # Saving a draft is allowed.
    draft = case_form(facts="依据《行政处罚法》第九百条处理。")
    assert client.post(add_url(), draft).status_code == 302
    page = CasePage.objects.get(slug="night-noise")
    client.force_login(reviewer_user)
    response = client.post(edit_url(page), case_form(facts="依据《行政处罚法》第九百条处理。",
                                                     **{"action-publish": "1"}))
    assert response.status_code == 200 and "引用有误" in response.content.decode()
    page.refresh_from_db()
    assert not page.live


def test_repealed_citation_in_current_material_needs_acknowledgement(client, reviewer_user, statutes):
    client.force_login(reviewer_user)
    text = "依据《大气污染防治法》第一百一十八条处理。"
    response = client.post(add_url(), case_form(facts=text, decision_date="2026-09-01", **{"action-publish": "1"}))
    assert response.status_code == 200 and "已核对废止法律引用" in response.content.decode()
    assert not CasePage.objects.filter(slug="night-noise").exists()
    response = client.post(add_url(), case_form(facts=text, decision_date="2026-09-01",
                                                citations_acknowledged="on", **{"action-publish": "1"}))
    assert response.status_code == 302
    assert CasePage.objects.get(slug="night-noise").live


def test_case_decided_before_repeal_publishes_without_acknowledgement(client, reviewer_user, statutes):
    client.force_login(reviewer_user)
    response = client.post(add_url(), case_form(facts="依据《大气污染防治法》第一百一十八条处理。",
                                                decision_date="2024-05-01", **{"action-publish": "1"}))
    assert response.status_code == 302
    assert CasePage.objects.get(slug="night-noise").live


def test_trainer_cannot_edit_outside_cases_section(client, trainer_user):
    client.force_login(trainer_user)
    home = Page.objects.get(depth=2)
    assert client.get(f"/cms/pages/{home.pk}/edit/").status_code in (302, 403)


def test_article_chooser_finds_cited_article(client, trainer_user, statutes):
    """The legal-basis chooser understands a citation and plain words (no search index needed)."""
    client.force_login(trainer_user)
    url = "/cms/snippets/choose/casebank/article/results/"
    body = client.get(url, {"q": "行政处罚法第三十三条"}).content.decode()
    assert "《行政处罚法》第三十三条" in body and "第三十四条" not in body
    body = client.get(url, {"q": "大气污染防治法 118"}).content.decode()
    assert "《大气污染防治法》第一百一十八条" in body


def _in_review(trainer, facts, **fields):
    from .factories import make_case

    page = make_case("待审案例", live=False, facts=facts, **fields)
    page.owner = trainer
    page.save_revision(user=trainer)
    page.get_workflow().start(page, trainer)
    page.refresh_from_db()
    return page


@pytest.mark.parametrize("facts,approved", [
    ("依据《行政处罚法》第三十三条处理。", True),
    ("依据《行政处罚法》第九百条处理。", False),           # unknown article
])
def test_direct_approval_from_review_queue_checks_citations(client, trainer_user, reviewer_user, statutes,
                                                              facts, approved):
    """Approving outside the edit form (dashboard, moderation list) also refuses bad citations."""
    page = _in_review(trainer_user, facts)
    state = page.current_workflow_task_state
    client.force_login(reviewer_user)
    response = client.post(f"/cms/pages/workflow/action/{page.pk}/approve/{state.pk}/", {"comment": ""})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live is approved
    if not approved:
        assert response["Location"].endswith(f"/cms/pages/{page.pk}/edit/")
        assert page.workflow_in_progress
