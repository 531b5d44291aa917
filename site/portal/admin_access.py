"""The content management admin (/cms/) answers a signed-in user without admin access
with a 403 page instead of sending them to the login page.

Wagtail redirects everyone who may not use the admin to WAGTAILADMIN_LOGIN_URL, our
login page; that page sends a signed-in user straight back to ``next`` (/cms/), so an
officer or HR user who opened an admin link went round in circles until the browser
gave up (ERR_TOO_MANY_REDIRECTS). Anonymous visitors still go to the login page.
"""
from django.urls import reverse

from .views import error_403


class AdminAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = None

    def prefix(self):
        if self._prefix is None:
            self._prefix = reverse("wagtailadmin_home")
        return self._prefix

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (request.path.startswith(self.prefix()) and user is not None and user.is_authenticated
                and not user.has_perm("wagtailadmin.access_admin")):
            return error_403(request, reason="cms")
        return self.get_response(request)
