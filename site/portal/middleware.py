"""Content-Security-Policy per area of the site, through django-csp.

The site (every page outside the admin) runs only scripts from its own static
files: ``CONTENT_SECURITY_POLICY`` has ``script-src 'self'``, no inline script
and no inline event handler. Wagtail's admin under /cms/ still writes inline
scripts (inline panels, date pickers), so it gets ``CONTENT_SECURITY_POLICY_ADMIN``.
A page preview is rendered with the site's policy (it is the page officers will
see) but may be framed by the admin's preview panel (``frame-ancestors 'self'``).
A view decorated with django-csp's ``csp_override`` keeps its own policy.

The header of a response that changes nothing in its area's policy (no nonce, no
decorator, not a preview: nearly every response, the exam's answer saves among them)
is built once per policy and reused.
"""
from csp.constants import HEADER, SELF
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy, default_config
from django.conf import settings
from django.urls import reverse

#: What a response carries when a view changed its policy (django-csp's decorators).
_OVERRIDES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
              "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self._admin_prefix = None
        self._built = {}  # area → (the settings it was built from, the header)

    def admin_prefix(self):
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        return self._admin_prefix

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        elif request.path_info.startswith(self.admin_prefix()):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts

    def _plain_header(self, request, response):
        """The area's header when nothing about this response changes it, else None."""
        if (settings.DEBUG or getattr(request, "_csp_nonce", None) is not None
                or getattr(request, "is_preview", False)
                or any(hasattr(response, name) for name in _OVERRIDES)
                or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
                or (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES")):
            return None
        admin = request.path_info.startswith(self.admin_prefix())
        source = (settings.CONTENT_SECURITY_POLICY, settings.CONTENT_SECURITY_POLICY_ADMIN)
        built = self._built.get(admin)
        if built is None or built[0][0] is not source[0] or built[0][1] is not source[1]:
            config = default_config(source[1]["DIRECTIVES"]) if admin else None
            built = self._built[admin] = (source, build_policy(config=config))
        return built[1]

    def process_response(self, request, response):
        header = self._plain_header(request, response)
        if header is None:
            response = super().process_response(request, response)
        else:
            if header and HEADER not in response:
                response[HEADER] = header
            # As django-csp does: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
