"""The page tree is fixed at the root: the home page holds the two sections."""
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from casebank.models import CaseIndexPage
from courses.models import CourseIndexPage
from portal.models import HomePage


class HomePageTreeTests(WagtailPageTestCase):
    def test_home_page_allows_only_the_sections(self):
        self.assertAllowedSubpageTypes(HomePage, {CaseIndexPage, CourseIndexPage})

    def test_default_site_root_is_the_home_page(self):
        site = Site.objects.get(is_default_site=True)
        self.assertIsInstance(site.root_page.specific, HomePage)
        self.assertFalse(Page.objects.filter(depth=2, content_type__model="page").exists())

    def test_home_page_redirects_to_the_dashboard(self):
        """Serving the HomePage itself (as Wagtail does for its URL or a preview) redirects to the
        portal's home view, which shows a signed-in user their dashboard."""
        from django.test import RequestFactory
        from django.urls import reverse

        from officers import roles
        from tests.factories import make_user

        home = HomePage.objects.get()
        response = home.serve(RequestFactory().get(home.url))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], reverse("portal:home"))
        user = make_user(roles.OFFICER, full_name="首页测试员")
        self.client.force_login(user)
        dashboard = self.client.get(response["Location"])
        self.assertContains(dashboard, "首页测试员")
        self.assertContains(dashboard, "执法队员")
        self.assertTemplateUsed(dashboard, "portal/dashboard.html")
