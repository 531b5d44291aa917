"""Wagtail's admin home: the "新建…" entry points the apps offer (academy_create_links), and the
admin stylesheet of the project's own admin panels."""
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
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
