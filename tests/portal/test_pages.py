"""Home page and dashboards per role, error pages, language switch, headers."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_anonymous_sees_landing_page_with_login_link(client):
    body = client.get("/").content.decode()
    assert "登录学习" in body and "/accounts/login/" in body


@pytest.mark.parametrize("fixture,expected", [
    ("officer_user", "执法队员"),
    ("trainer_user", "内容编写"),
    ("reviewer_user", "内容编写"),
    ("hr_user", "本单位人员"),
    ("admin_user", "系统管理员"),
])
def test_each_role_lands_on_its_dashboard(client, request, fixture, expected):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert user.officer.full_name in response.content.decode()


def test_officer_dashboard_does_not_show_staff_panels(client, officer_user):
    client.force_login(officer_user)
    body = client.get("/").content.decode()
    assert "本单位人员" not in body and "内容编写" not in body and "/people/" not in body


def test_hr_dashboard_counts_only_own_subtree(client, hr_user, officer_user, other_officer_user):
    client.force_login(hr_user)
    body = client.get("/").content.decode()
    # hr_user and officer_user are in 江北区; other_officer_user is in 江南区.
    assert re.search(r'class="big-number">2<', body)


def test_trainer_reaches_wagtail_admin_officer_does_not(client, trainer_user, officer_user, hr_user):
    client.force_login(trainer_user)
    assert client.get("/cms/").status_code == 200
    for user in (officer_user, hr_user):
        client.force_login(user)
        response = client.get("/cms/")
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/cms/" not in response["Location"].split("?")[0]


def test_404_page_is_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_page_is_chinese(client, officer_user):
    client.force_login(officer_user)
    response = client.get("/people/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@override_settings(DEBUG=False)
def test_500_page_is_chinese(client, officer_user, monkeypatch):
    """An error inside a view is answered by the project's handler500 with the Chinese page."""
    import portal.views

    def broken(request, role):
        raise RuntimeError("panel failure")

    monkeypatch.setattr(portal.views, "panels_for", broken)
    client.raise_request_exception = False
    client.force_login(officer_user)
    response = client.get("/")
    assert response.status_code == 500
    assert [t.name for t in response.templates][:1] == ["500.html"]
    body = response.content.decode()
    assert "服务器错误" in body and "<script" not in body
    assert "panel failure" not in body and "Traceback" not in body


def test_language_switch_to_english_and_back(client, officer_user):
    client.force_login(officer_user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
    assert "My learning" in body or "Hello" in body
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get("/").content.decode()


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_external_assets_in_templates():
    """Bureau intranets have no internet: no CDN or remote asset anywhere in our templates."""
    root = Path(settings.BASE_DIR)
    pattern = re.compile(r'(?:src|href)\s*=\s*["\'](?:https?:)?//', re.I)
    offenders = []
    for path in root.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


@override_settings(DEBUG=False)
def test_pages_render_without_debug(client, hr_user, officer_user):
    """With DEBUG off (as in production) the pages render their content, and a missing page
    is the Chinese 404 page, not Django's technical page listing the URL patterns."""
    client.force_login(hr_user)
    me, colleague = hr_user.officer, officer_user.officer
    expected = {
        "/": ["本单位人员", me.full_name],
        "/people/": [colleague.full_name, colleague.employee_number, me.full_name],
        "/people/units/": [me.unit.name, colleague.unit.name],
        "/me/": [me.full_name, me.employee_number, "学时台账"],
    }
    for url, texts in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for text in texts:
            assert text in body, (url, text)
        assert "Traceback" not in body and "DEBUG = True" not in body
    missing = client.get("/no-such-page/")
    body = missing.content.decode()
    assert missing.status_code == 404 and "页面不存在" in body
    assert "URLconf" not in body and "URL patterns" not in body


def test_media_folder_serves_images_only(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "secret.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "academy.sqlite3").write_bytes(b"SQLite")
    assert client.get("/media/images/a.png").status_code == 200
    assert client.get("/media/documents/secret.pdf").status_code == 404
    assert client.get("/media/academy.sqlite3").status_code == 404
    assert client.get("/media/images/../academy.sqlite3").status_code == 404


def test_documents_need_login(client, officer_user):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    doc = Document.objects.create(title="讲义", file=ContentFile(b"%PDF-1.4 lesson", name="lesson.pdf"))
    response = client.get(doc.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(officer_user)
    response = client.get(doc.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
