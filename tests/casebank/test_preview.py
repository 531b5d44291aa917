"""法制审核 preview: the reviewer's preview of a draft case shows exactly what
officers will see once it is published (the page builds its context in
get_context, which Wagtail's preview uses too)."""
import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset

from casebank.models import Article, CasePage, PowerItem

from .factories import make_case, make_power_item
from .test_workflow import add_url, case_form, edit_url

pytestmark = pytest.mark.django_db

QUESTION = "执法人员应如何认定首违情形？"
STEP_NOTE = "当场制作现场检查笔录"
TAG = "首违不罚标签"


def _draft_form(related, power, article, **extra):
    form = case_form(
        discussion_questions=f"{QUESTION}\n第二题：是否应当听证？",
        tags=TAG,
        legal_basis=inline_formset([{"article": str(article.pk), "note": "第一款"}]),
        procedure_steps=inline_formset([{"stage": "investigation", "date": "2025-04-20", "note": STEP_NOTE}]),
        related_links=inline_formset([{"related": str(related.pk)}]),
        **extra)
    form["power_items"] = [str(power.pk)]  # a multiple choice: one key, several values
    return form


def _sections(html):
    """The parts of the case page the reviewer must see, as found in the response."""
    main = html[html.index('<main id="main"'):html.index("</main>")]
    return {
        "questions": QUESTION in main and "第二题：是否应当听证？" in main,
        "steps": "执法程序" in main and STEP_NOTE in main,
        "basis": "第三十三条" in main or "第33条" in main,
        "tags": TAG in main,
        "related": "相关的已发布案例" in main,
        "power_items": "对占道经营的处罚事项" in main,
    }


@pytest.fixture
def draft(client, trainer_user, statutes):
    related = make_case("相关的已发布案例")
    power = make_power_item(code="CG-PV-001", name="对占道经营的处罚事项")
    article = Article.objects.get(law__source_id="penalty", number=33)
    client.force_login(trainer_user)
    response = client.post(add_url(), _draft_form(related, power, article, **{"action-submit": "1"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = CasePage.objects.get(slug="night-noise")
    assert not page.live and page.workflow_in_progress
    return page, related, power, article


def test_reviewer_preview_shows_what_officers_will_see(client, reviewer_user, officer_user, draft):
    page, related, power, article = draft
    client.force_login(reviewer_user)
    form = _draft_form(related, power, article)
    # Wagtail's preview endpoint: the edit form is POSTed, then the preview is rendered by GET.
    assert client.post(edit_url(page) + "preview/", form).json()["is_valid"] is True
    preview = client.get(edit_url(page) + "preview/", {"mode": ""})
    assert preview.status_code == 200
    # The page's own Content-Security-Policy, framable by the admin's preview panel only.
    csp = {d.split()[0]: d.split()[1:] for d in preview["Content-Security-Policy"].split(";") if d.strip()}
    assert csp["script-src"] == ["'self'"] and csp["frame-ancestors"] == ["'self'"]
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    seen = _sections(preview.content.decode())
    assert [key for key, shown in seen.items() if not shown] == []
    # The draft as saved (Wagtail's "view draft") shows the same.
    draft_view = client.get(f"/cms/pages/{page.pk}/view_draft/")
    assert draft_view.status_code == 200
    assert _sections(draft_view.content.decode()) == seen

    # Published, the officer's page shows the same sections as the preview.
    task_state = page.current_workflow_task_state
    response = client.post(reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    client.force_login(officer_user)
    live = client.get(page.url).content.decode()
    assert _sections(live) == seen


def test_preview_escapes_planted_markup_like_the_live_page(client, reviewer_user, draft):
    """The payload a reviewer must be able to spot is shown as text in the preview, never run."""
    page, related, power, article = draft
    client.force_login(reviewer_user)
    payload = '<b>x</b><img src=x onerror=alert(1)>依据《行政处罚法》第三十三条'
    form = _draft_form(related, power, article)
    form["discussion_questions"] = payload
    client.post(edit_url(page) + "preview/", form)
    html = client.get(edit_url(page) + "preview/", {"mode": ""}).content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert not re.search(r"<img[^>]*onerror", html)


def test_preview_of_a_case_without_extras_renders(client, reviewer_user, statutes):
    page = make_case("无附加内容的案例", live=False)
    client.force_login(reviewer_user)
    response = client.get(f"/cms/pages/{page.pk}/view_draft/")
    assert response.status_code == 200 and "无附加内容的案例" in response.content.decode()
    assert PowerItem.objects.count() == 0
