from django.conf import settings

from officers import roles

from .dashboard import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    role = roles.primary_role(user) if user is not None else None
    menu, tabs = navigation_for(request) if user is not None else ([], [])
    return {
        "nav_items": menu,
        # The bottom tab bar is the officer's (phones only, by the stylesheet).
        "tab_items": tabs if role == roles.OFFICER else [],
        "primary_role": role,
        "primary_role_label": roles.ROLE_LABELS.get(role, ""),
        "bureau_name": settings.ACADEMY_BUREAU_NAME,
    }
