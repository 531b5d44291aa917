"""An admin chooser for statute articles, used by the lesson body's article block and by the
Markdown editor's 法条引用 button (which inserts the chosen article's citation).

The courses app keeps its own chooser so the lesson editor does not depend on
how the case bank registers its admin screens."""
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from casebank.models import Article


class _ArticleQuerysetMixin:
    def get_object_list(self):
        return Article.objects.select_related("law").order_by("law__full_name", "position")


class ArticleChooseView(_ArticleQuerysetMixin, ChooseView):
    pass


class ArticleChooseResultsView(_ArticleQuerysetMixin, ChooseResultsView):
    pass


class ArticleChosenView(ChosenView):
    def get_object(self, pk):
        return Article.objects.select_related("law").get(pk=pk)

    def get_chosen_response_data(self, item):
        """Also the citation as the statute library recognises it: 《full name》第N条."""
        data = super().get_chosen_response_data(item)
        data["citation"] = f"《{item.law.full_name}》{item.number_text or ''}"
        return data


class ArticleChooserViewSet(ChooserViewSet):
    model = "casebank.Article"
    icon = "doc-full-inverse"
    choose_one_text = _("选择法条")
    choose_another_text = _("重新选择法条")
    edit_item_text = _("查看法条")
    per_page = 30
    #: Leave casebank's own ForeignKey widgets alone.
    register_widget = False
    choose_view_class = ArticleChooseView
    choose_results_view_class = ArticleChooseResultsView
    chosen_view_class = ArticleChosenView


article_chooser_viewset = ArticleChooserViewSet("course_article_chooser", url_prefix="courses/article-chooser")
