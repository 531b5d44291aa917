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
        home = HomePage.objects.get()
        response = self.client.get(home.url)
        self.assertEqual(response.status_code, 200)
