"""The lesson editor's Markdown box: its toolbar and script, the server-rendered preview (the
lesson page's own renderer and sanitiser) and the 法条引用 button's chooser."""
import json
import re

import pytest
from django.urls import reverse

from courses.blocks import MarkdownBlock, MarkdownEditor
from courses.markdown_render import render_markdown
from courses.staff_views import PREVIEW_MAX_CHARS
from tests.courses.factories import make_course

URL = "/learning/markdown-preview/"


def test_preview_url_is_the_named_route():
    assert reverse("courses:markdown_preview") == URL


@pytest.mark.django_db
def test_preview_is_the_page_rendering_sanitised_with_citations_linked(client, trainer_user, penalty_law):
    client.force_login(trainer_user)
    text = ("## 首违不罚\n**要点**：见《中华人民共和国行政处罚法》第三十三条。\n\n"
            "<script>alert(1)</script>[点我](javascript:alert(1)) <img src=x onerror=alert(1)>")
    response = client.post(URL, {"text": text})
    assert response.status_code == 200
    html = response.json()["html"]
    same_ids = re.compile(r"cite-\d+")  # each rendering numbers its citation pop-ups afresh
    assert same_ids.sub("cite-n", html) == same_ids.sub("cite-n", str(render_markdown(text)))
    assert "<h2>首违不罚</h2>" in html and "<strong>要点</strong>" in html
    assert 'class="cite cite-ok"' in html and f"/{penalty_law.number}/" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


@pytest.mark.django_db
def test_preview_flags_an_unknown_article(client, reviewer_user, penalty_law):
    client.force_login(reviewer_user)
    html = client.post(URL, {"text": "《中华人民共和国行政处罚法》第九百条"}).json()["html"]
    assert "引用有误" in html


@pytest.mark.django_db
def test_preview_is_for_authors_only(client, officer_user):
    assert client.post(URL, {"text": "x"}).status_code == 401
    client.force_login(officer_user)
    response = client.post(URL, {"text": "x"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_preview_takes_posts_and_refuses_huge_text_in_chinese(client, trainer_user):
    client.force_login(trainer_user)
    assert client.get(URL, {"text": "x"}).status_code == 405
    response = client.post(URL, {"text": "字" * (PREVIEW_MAX_CHARS + 1)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_long" and "无法预览" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_preview_checks_the_csrf_token(trainer_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer_user)
    assert client.post(URL, {"text": "x"}).status_code == 403


@pytest.mark.django_db
def test_markdown_block_uses_the_editor_with_toolbar_and_preview(trainer_user, rf):
    block = MarkdownBlock()
    widget = block.field.widget
    assert isinstance(widget, MarkdownEditor)
    html = widget.render("body-0-value", "正文", attrs={"id": "body-0-value"})
    assert 'data-controller="academy-markdown"' in html
    assert f'data-academy-markdown-preview-url-value="{URL}"' in html
    assert 'data-academy-markdown-chooser-url-value="/cms/courses/article-chooser/"' in html
    for label in ("加粗", "斜体", "标题", "列表", "引用", "链接", "法条引用"):
        assert f">{label}<" in html, label
    assert html.count('type="button"') == 7  # toolbar buttons never submit the page form
    assert '<textarea name="body-0-value"' in html and 'data-academy-markdown-target="input"' in html
    assert 'role="toolbar"' in html and 'aria-controls="body-0-value"' in html
    assert "courses/markdown-editor.js" in str(widget.media) and "<script>" not in html


@pytest.mark.django_db
def test_lesson_editor_loads_the_markdown_editor(client, trainer_user):
    course = make_course(n_lessons=0)
    client.force_login(trainer_user)
    page = client.get(reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", course.pk))).content.decode()
    assert "courses/markdown-editor.js" in page and "courses/markdown-editor.css" in page
    assert "academy-markdown" in page  # the widget's HTML, inside the StreamField's block definitions


@pytest.mark.django_db
def test_article_chooser_returns_the_citation_to_insert(client, trainer_user, penalty_law):
    client.force_login(trainer_user)
    response = client.get(reverse("course_article_chooser:chosen", args=[penalty_law.pk]))
    result = json.loads(response.content)["result"]
    assert result["citation"] == "《中华人民共和国行政处罚法》第三十三条"
    preview = client.post(URL, {"text": result["citation"]}).json()["html"]
    assert 'class="cite cite-ok"' in preview
