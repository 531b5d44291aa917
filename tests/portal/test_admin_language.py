"""Wagtail's admin speaks Chinese in zh-hans, including the strings Wagtail's own catalogue lacks."""
import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Page
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


def _admin_page(client, user, url):
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("fixture", ["reviewer_user", "admin_user"])
def test_admin_home_is_chinese(client, request, fixture):
    body = _admin_page(client, request.getfixturevalue(fixture), "/cms/")
    assert "搜索所有页面…" in body and "Search all pages" not in body
    if fixture == "admin_user":  # the site summary is shown to those who may explore pages
        assert "个页面" in body and " Pages " not in body


def test_explorer_and_search_are_chinese(client, admin_user):
    root = Page.objects.get(depth=1)
    body = _admin_page(client, admin_user, f"/cms/pages/{root.pk}/")
    assert "更新日期" in body and "页面类型" in body
    assert "Date updated" not in body and "Has child pages" not in body
    body = _admin_page(client, admin_user, "/cms/pages/search/?q=x")
    assert "搜索" in body and "Search all pages" not in body


def test_workflow_report_and_edit_checks_are_chinese(client, admin_user):
    body = _admin_page(client, admin_user, "/cms/reports/workflow_tasks/")
    assert "按工作流" in body and "By workflow" not in body
    home = Page.objects.get(depth=2)
    body = _admin_page(client, admin_user, f"/cms/pages/{home.pk}/edit/")
    assert "内容指标" in body and "Content metrics" not in body
    assert ">Checks<" not in body


def test_english_stays_english_for_those_who_choose_it(client, admin_user):
    UserProfile.get_for_user(admin_user)
    UserProfile.objects.filter(user=admin_user).update(preferred_language="en")
    client.force_login(admin_user)
    body = client.get("/cms/").content.decode()
    assert "Search all pages…" in body


def test_the_admin_script_catalogue_fills_wagtails_gaps(client, admin_user):
    body = _admin_page(client, admin_user, "/cms/jsi18n/")  # the catalogue is JSON, non-ASCII escaped
    assert json.dumps("正在自动保存…") in body and json.dumps("修改已自动保存。") in body


def test_each_chinese_admin_string_keeps_its_placeholders():
    marks = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for domain in ("django", "djangojs"):
        path = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / f"{domain}.mo"
        with open(path, "rb") as fh:
            catalogue = gettext.GNUTranslations(fh)._catalog
        assert len(catalogue) > 10
        for key, text in catalogue.items():
            source = key[0] if isinstance(key, tuple) else key
            if source:
                assert sorted(marks.findall(source.split("\x04")[-1])) == sorted(marks.findall(text)), source


def _menu_labels(body):
    """The labels of the admin sidebar's menu (rendered as JSON props)."""
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', body, re.S)
    return re.findall(r'"label": "((?:[^"\\]|\\.)*)"', json.dumps(json.loads(props.group(1)), ensure_ascii=False))


def test_the_help_menu_follows_each_readers_language(client, reviewer_user):
    """Wagtail words its help links once, for whoever builds the menu first; each reader gets them
    in their own language."""
    chinese = _menu_labels(_admin_page(client, reviewer_user, "/cms/"))
    assert any("的新功能" in label for label in chinese)
    client.cookies["django_language"] = "en"
    UserProfile.get_for_user(reviewer_user)
    UserProfile.objects.filter(user=reviewer_user).update(preferred_language="en")
    english = _menu_labels(client.get("/cms/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert any(label.startswith("What's new in Wagtail") for label in english), english
    assert not any("的新功能" in label for label in english)
