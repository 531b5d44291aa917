"""/cms/ for signed-in users without admin access: a 403 page, never a redirect loop."""
import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

ADMIN_URLS = ["/cms/", "/cms/pages/", "/cms/snippets/"]


@pytest.mark.parametrize("fixture", ["officer_user", "hr_user"])
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_officer_and_hr_get_a_403_page_with_a_way_home(client, request, fixture, url):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(url, follow=True)
    assert response.redirect_chain == [], "no redirect at all, so no loop"
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    body = response.content.decode()
    assert "内容管理后台只对教官、法制审核员和系统管理员开放" in body
    assert '<a class="btn" href="/">返回首页</a>' in body


def test_the_403_page_is_translated(client, officer_user):
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = client.get("/cms/").content.decode()
    assert "The content management admin is open to trainers" in body and "Back to home" in body


def test_anonymous_visitors_still_go_to_the_login_page(client):
    response = client.get("/cms/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/cms/")


@pytest.mark.parametrize("fixture", ["trainer_user", "reviewer_user", "admin_user"])
def test_admin_users_still_reach_the_admin(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/cms/").status_code == 200


def test_the_login_page_no_longer_bounces_a_signed_in_officer_to_cms(client, officer_user):
    """The old loop: /cms/ → /accounts/login/?next=/cms/ → /cms/ → …"""
    client.force_login(officer_user)
    response = client.get("/accounts/login/?next=/cms/", follow=True)
    assert len(response.redirect_chain) <= 2 and response.status_code == 403
