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

A ``daily`` item stays in the desktop menu's row when the rest of a long menu folds under 更多.

A navigation item with a ``tab`` label is also a tab of the officer's bottom tab bar on
phones (首页 / 学习 / 案例 / 考试 / 我的); ``menu=False`` keeps it out of the top menu.

    @hooks.register("academy_create_links")
    def my_create_links(request):
        return [CreateLink(label=_("新建案例"), url=..., order=10)]

lists the "new …" entry points a trainer may use (the dashboard's 内容编写 panel and
Wagtail's admin home show them); ``choices`` offers one link per parent (a lesson: per course).
"""
from dataclasses import dataclass, field

from wagtail import hooks

PANELS_HOOK = "academy_dashboard_panels"
NAV_HOOK = "academy_nav_items"
CREATE_HOOK = "academy_create_links"


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
    #: False: left out on a phone where the officer's tab bar already leads there (我的资料, 最新案例),
    #: so the dashboard stays about two screens long.
    on_phone: bool = True


@dataclass
class NavItem:
    label: str
    url: str
    order: int = 100
    #: Prefix (or tuple of prefixes) of request.path that marks the item as current;
    #: empty: current on its own URL only.
    match: str | tuple = ""
    #: Label in the officer's bottom tab bar on phones (empty: not a tab).
    tab: str = ""
    #: Whether the item shows in the top menu (a tab may live in the tab bar only).
    menu: bool = True
    #: Position in the tab bar when it differs from ``order``.
    tab_order: int | None = None
    #: A count shown beside the label (e.g. unread notices); 0 shows nothing.
    badge: int = 0
    #: What the count means, for screen readers (e.g. "条未读").
    badge_label: str = ""
    #: A role's daily destination (a trainer's 阅卷, a reviewer's 法制审核): on a wide screen it stays
    #: in the top row while the other items give way to 更多 first.
    daily: bool = False


@dataclass
class CreateLink:
    """A "new …" entry point: straight to an admin add form under the right parent."""

    label: str
    url: str = ""
    order: int = 100
    #: [(parent label, add-form URL)] when the parent must be chosen (e.g. the course of a lesson).
    choices: list = field(default_factory=list)


def panels_for(request, role):
    panels = []
    for fn in hooks.get_hooks(PANELS_HOOK):
        panels.extend(fn(request, role) or [])
    filled = {p.slot for p in panels if p.slot and not p.placeholder}
    panels = [p for p in panels if not (p.placeholder and p.slot in filled)]
    return sorted(panels, key=lambda p: p.order)


def _all_nav_items(request):
    items = []
    for fn in hooks.get_hooks(NAV_HOOK):
        items.extend(fn(request) or [])
    items.sort(key=lambda i: i.order)
    for item in items:
        item.current = request.path.startswith(item.match) if item.match else request.path == item.url
    return items


def nav_items_for(request):
    return [item for item in _all_nav_items(request) if item.menu]


def navigation_for(request):
    """(menu items, tab items) from one pass over the hooks."""
    items = _all_nav_items(request)
    tabs = sorted((i for i in items if i.tab), key=lambda i: i.order if i.tab_order is None else i.tab_order)
    return [i for i in items if i.menu], tabs


def create_links_for(request):
    links = []
    for fn in hooks.get_hooks(CREATE_HOOK):
        links.extend(fn(request) or [])
    return sorted((link for link in links if link.url or link.choices), key=lambda link: link.order)
