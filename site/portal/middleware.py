"""Content-Security-Policy per area of the site, through django-csp.

The site (every page outside the admin) runs only scripts from its own static
files: ``CONTENT_SECURITY_POLICY`` has ``script-src 'self'``, no inline script
and no inline event handler. Wagtail's admin under /cms/ still writes inline
scripts (inline panels, date pickers), so it gets ``CONTENT_SECURITY_POLICY_ADMIN``.
A page preview is rendered with the site's policy (it is the page officers will
see) but may be framed by the admin's preview panel (``frame-ancestors 'self'``).
A view decorated with django-csp's ``csp_override`` keeps its own policy.
"""
from csp.constants import SELF
from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        elif request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
