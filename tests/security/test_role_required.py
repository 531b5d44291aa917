"""officers.roles.role_required: the one decorator that guards views by role."""
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from officers import roles
from officers.roles import role_required

pytestmark = pytest.mark.django_db


def _request(user, path="/guarded/?page=2"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@role_required(roles.TRAINER, roles.HR)
def staff_page(request):
    """A page for trainers and HR."""
    return HttpResponse("ok")


@role_required(roles.HR, json=True)
def hr_api(request):
    return HttpResponse("ok")


@role_required(json=True)
def signed_in_api(request):
    return HttpResponse("ok")


def test_keeps_the_view_name_and_docstring():
    assert staff_page.__name__ == "staff_page"
    assert staff_page.__doc__ == "A page for trainers and HR."


def test_anonymous_is_redirected_to_login_with_next():
    response = staff_page(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response.url == reverse("officers:login") + "?next=/guarded/%3Fpage%3D2"


def test_wrong_role_is_denied(officer_user):
    with pytest.raises(PermissionDenied):
        staff_page(_request(officer_user))


@pytest.mark.parametrize("fixture", ["trainer_user", "hr_user", "admin_user"])
def test_any_listed_role_and_superusers_pass(request, fixture):
    user = request.getfixturevalue(fixture)
    response = staff_page(_request(user))
    assert response.status_code == 200 and response.content == b"ok"


def test_json_anonymous_gets_401_json():
    response = hr_api(_request(AnonymousUser()))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["code"] == "login_required"


def test_json_wrong_role_gets_403_json(officer_user):
    response = hr_api(_request(officer_user))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["error"]["code"] == "permission_denied" and body["error"]["message"]


def test_json_right_role_passes(hr_user):
    assert hr_api(_request(hr_user)).status_code == 200


def test_json_without_roles_needs_only_a_sign_in(officer_user):
    assert signed_in_api(_request(AnonymousUser())).status_code == 401
    assert signed_in_api(_request(officer_user)).status_code == 200


def test_through_the_urls(client, officer_user, hr_user):
    """A real HR page: login redirect, the 403 page, then the page itself."""
    url = reverse("officers:officer_list")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("officers:login") + "?next=")
    client.force_login(officer_user)
    response = client.get(url)
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    client.force_login(hr_user)
    assert client.get(url).status_code == 200
