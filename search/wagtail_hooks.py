"""Admin screens for the search vocabulary and the navigation entry."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.dashboard import NavItem
from search import textform
from search.models import DomainTerm, SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = _("同义词")
    list_display = ["name", "terms", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["name", "terms"]


class DomainTermViewSet(SnippetViewSet):
    model = DomainTerm
    icon = "tag"
    menu_label = _("领域术语")
    list_display = ["term", "note", "updated_at"]
    search_fields = ["term", "note"]


class SearchVocabularyGroup(SnippetViewSetGroup):
    items = (SynonymGroupViewSet, DomainTermViewSet)
    menu_icon = "search"
    menu_label = _("搜索词库")
    menu_name = "search-vocabulary"


register_snippet(SearchVocabularyGroup)


@hooks.register("academy_nav_items")
def nav_items(request):
    if not request.user.is_authenticated:
        return []
    return [NavItem(_("搜索"), reverse("search:search"), order=80, match="/search/")]


@hooks.register("academy_text_search")
def text_search(params, queryset, path=""):
    """The search conditions of a page list (the case list): field, 结果中检索, advanced rows,
    exact and partial matches (search.textform.case_list_search)."""
    return textform.case_list_search(params, queryset, path)
