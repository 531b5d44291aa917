"""Wagtail's admin home: the "新建…" entry points the apps offer (academy_create_links), the
admin stylesheet of the project's own admin panels, and the help menu in the reader's language."""
import copy

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.utils.version import get_main_version
from wagtail.admin.ui.components import Component

from .dashboard import create_links_for


class CreateLinksHomePanel(Component):
    name = "academy_create_links"
    template_name = "portal/admin/create_links_panel.html"
    order = 10

    def __init__(self, links):
        self.links = links

    def get_context_data(self, parent_context=None):
        return {"links": self.links, "request": parent_context.get("request") if parent_context else None}


@hooks.register("construct_homepage_panels")
def create_links_panel(request, panels):
    links = create_links_for(request)
    if links:
        panels.insert(0, CreateLinksHomePanel(links))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


#: Wagtail's help links by their menu order, with their labels (Wagtail's own catalogue translates
#: them). Wagtail words them once, in the language of the first request that builds the menu.
_HELP_LABELS = {
    1000: lambda: _("What's new in Wagtail %(version)s") % {"version": get_main_version(include_patch=False)},
    1100: lambda: _("Editor Guide"),
    1200: lambda: _("Shortcuts"),
}


@hooks.register("construct_help_menu")
def help_menu_in_the_readers_language(request, items):
    for i, item in enumerate(items):
        label = _HELP_LABELS.get(item.order)
        if label is not None:
            items[i] = copy.copy(item)  # the registered item is shared by every request
            items[i].label = label()
