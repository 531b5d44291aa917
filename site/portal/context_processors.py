from django.conf import settings

from officers import roles

from .dashboard import nav_items_for


def navigation(request):
    user = getattr(request, "user", None)
    role = roles.primary_role(user) if user is not None else None
    return {
        "nav_items": nav_items_for(request) if user is not None else [],
        "primary_role": role,
        "primary_role_label": roles.ROLE_LABELS.get(role, ""),
        "bureau_name": settings.ACADEMY_BUREAU_NAME,
    }
