from django.conf import settings

from officers import roles

from .dashboard import navigation_for


def navigation(request):
    """The menu and the officer's tab bar. A page that asks for the reader's whole attention
    sets ``request.focused`` (the exam paper: leaving it is counted, and officers sit it on a
    phone): it gets neither, and the menu's hooks and queries are not run for it."""
    user = getattr(request, "user", None)
    role = roles.primary_role(user) if user is not None else None
    focused = getattr(request, "focused", False)
    menu, tabs = navigation_for(request) if user is not None and not focused else ([], [])
    return {
        "nav_items": menu,
        # The bottom tab bar is the officer's (phones only, by the stylesheet).
        "tab_items": tabs if role == roles.OFFICER else [],
        "primary_role": role,
        "primary_role_label": roles.ROLE_LABELS.get(role, ""),
        "bureau_name": settings.ACADEMY_BUREAU_NAME,
    }
