"""Home page: a public landing page, or the signed-in user's role dashboard."""
from django.shortcuts import render
from django.utils.translation import gettext as _

from officers import roles
from officers.scoping import own_profile

from .dashboard import panels_for


def home(request):
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    role = roles.primary_role(request.user)
    profile = own_profile(request.user)
    label = roles.ROLE_LABELS.get(role, _("访客"))
    if role == roles.OFFICER and profile is not None and profile.position:
        label = profile.get_position_display()  # 中队长, 法制员 … rather than the role
    return render(request, "portal/dashboard.html", {
        "role": role,
        "role_label": label,
        "profile": profile,
        "panels": panels_for(request, role),
    })


def error_403(request, exception=None, reason=""):
    """403 page; ``reason="cms"``: a signed-in user without access to the admin (portal.admin_access)."""
    return render(request, "403.html", {"reason": reason}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
