"""The Content-Security-Policy header (portal.middleware): built once per area and reused, the
same as django-csp builds it, and still per response where a view or a nonce changes it."""
import pytest
from csp.constants import NONCE, SELF
from csp.exceptions import CSPNonceError
from csp.utils import build_policy, default_config
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from portal.middleware import ContentSecurityPolicyMiddleware


def respond(path="/", **attrs):
    def view(request):
        response = HttpResponse("ok")
        for name, value in attrs.items():
            setattr(response, name, value)
        return response

    middleware = ContentSecurityPolicyMiddleware(view)
    request = RequestFactory().get(path)
    return middleware, request, middleware(request)


def directives(header):
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_site_and_admin_get_their_own_policy():
    middleware, _request, site = respond("/exams/")
    assert site["Content-Security-Policy"] == build_policy()
    assert directives(site["Content-Security-Policy"])["script-src"] == ["'self'"]
    admin = middleware(RequestFactory().get("/cms/pages/"))
    assert admin["Content-Security-Policy"] == build_policy(
        config=default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]))
    assert "'unsafe-inline'" in directives(admin["Content-Security-Policy"])["script-src"]
    again = middleware(RequestFactory().get("/exams/"))
    assert again["Content-Security-Policy"] == site["Content-Security-Policy"]
    assert again["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


def test_a_changed_setting_is_not_served_from_the_kept_header():
    middleware, _request, before = respond()
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": [SELF]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        after = middleware(RequestFactory().get("/"))
    assert directives(before["Content-Security-Policy"])["img-src"] != ["'self'"]
    assert directives(after["Content-Security-Policy"])["img-src"] == ["'self'"]


def test_a_view_that_changes_its_policy_keeps_the_change():
    _m, _r, response = respond(_csp_update={"img-src": ["https://maps.example"]})
    assert "https://maps.example" in directives(response["Content-Security-Policy"])["img-src"]
    _m, _r, response = respond(_csp_exempt=True)
    assert "Content-Security-Policy" not in response


def test_a_nonce_used_by_the_page_is_in_its_header_and_none_can_be_asked_for_later():
    def view(request):
        response = HttpResponse(str(request.csp_nonce))
        return response

    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "script-src": [SELF, NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        middleware = ContentSecurityPolicyMiddleware(view)
        request = RequestFactory().get("/")
        response = middleware(request)
    assert f"'nonce-{response.content.decode()}'" in response["Content-Security-Policy"]
    _m, request, _response = respond()
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
