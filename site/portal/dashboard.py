"""Dashboard panels and navigation items contributed by the apps.

Apps register functions with Wagtail's hook registry in their wagtail_hooks.py:

    @hooks.register("academy_dashboard_panels")
    def my_panels(request, role):
        return [Panel(title=..., template="courses/panels/my_learning.html", context={...}, order=10)]

    @hooks.register("academy_nav_items")
    def my_nav(request):
        return [NavItem(label=_("我的学习"), url=reverse("courses:my_learning"), order=10)]

``role`` is the viewer's primary role (officers.roles). A function returns an
empty list when it has nothing for that viewer.
"""
from dataclasses import dataclass, field

from wagtail import hooks

PANELS_HOOK = "academy_dashboard_panels"
NAV_HOOK = "academy_nav_items"


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    #: "wide" panels span the whole row on large screens.
    wide: bool = False
    #: Panels sharing a slot replace one another: a placeholder panel of a slot
    #: is shown only while no app provides a real panel for it.
    slot: str = ""
    placeholder: bool = False


@dataclass
class NavItem:
    label: str
    url: str
    order: int = 100
    #: Prefix of request.path that marks the item as current.
    match: str = ""
    #: A count shown beside the label (e.g. unread notices); 0 shows nothing.
    badge: int = 0
    #: What the count means, for screen readers (e.g. "条未读").
    badge_label: str = ""


def panels_for(request, role):
    panels = []
    for fn in hooks.get_hooks(PANELS_HOOK):
        panels.extend(fn(request, role) or [])
    filled = {p.slot for p in panels if p.slot and not p.placeholder}
    panels = [p for p in panels if not (p.placeholder and p.slot in filled)]
    return sorted(panels, key=lambda p: p.order)


def nav_items_for(request):
    items = []
    for fn in hooks.get_hooks(NAV_HOOK):
        items.extend(fn(request) or [])
    items.sort(key=lambda i: i.order)
    for item in items:
        item.current = bool(item.match) and request.path.startswith(item.match)
    return items
