"""Session idle timeout: a session unused for SESSION_IDLE_SECONDS is ended."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

SESSION_KEY = "_academy_last_seen"


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("您已长时间未操作，请重新登录。"))
            else:
                # Write at most once a minute to spare the session store.
                if last is None or now - int(last) >= 60:
                    request.session[SESSION_KEY] = now
        return self.get_response(request)
