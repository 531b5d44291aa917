"""A trainer's long menu on a 1366 px desktop keeps to one row: the items that do not fit are
under 更多 (More), in their order, and every item can still be reached; the page being shown
and the role's daily destinations (阅卷, 题库; HR's 资格管理, 人员) stay in the row. On a phone the menu lists every item."""
import pytest

from officers import roles
from tests.browser.conftest import PHONE, _context, login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE = {"width": 1366, "height": 900}


def row_tops(page):
    return page.evaluate("""() => Array.from(document.querySelectorAll('#site-nav > ul > li'))
                                    .map(li => li.offsetTop)""")


def test_staff_menu_keeps_to_one_row(browser, live_server, shots):
    user = make_user(roles.TRAINER, username="trainer_a")
    for role in (roles.OFFICER, roles.HR):
        user.groups.add(*type(user.groups.first()).objects.filter(name=role))
    context = _context(browser, WIDE, live_server)
    page = context.new_page()
    try:
        login(page, "trainer_a", PASSWORD)
        for lang, more_label in (("zh-hans", "更多"), ("en", "More")):
            context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            page.goto("/exams/bank/")
            links = page.locator("#site-nav > ul a")
            n_links = links.count()
            assert n_links >= 15, n_links
            assert len(set(row_tops(page))) == 1, row_tops(page)  # one row
            # the language switch is not squeezed by the menu
            assert page.locator("#lang-select").bounding_box()["width"] >= 60
            more = page.locator(".nav-more summary")
            assert more.inner_text().strip() == more_label
            hidden = page.locator(".nav-more ul a")
            assert hidden.count() >= 1 and not hidden.first.is_visible()
            # the page shown stays in the row, marked
            assert page.locator("#site-nav > ul > li > a[aria-current]").count() == 1
            more.click()
            assert hidden.first.is_visible() and hidden.last.is_visible()
            shots(page, f"more_open_{lang}")
            # the hidden items keep their order after the row's, and lead to their pages
            order = page.evaluate("""() => Array.from(document.querySelectorAll('#site-nav a'))
                                            .map(a => a.getAttribute('href'))""")
            row = [href for href in order[:len(order) - hidden.count()]]
            assert order[len(row):] == [hidden.nth(i).get_attribute("href") for i in range(hidden.count())]
            href = hidden.last.get_attribute("href")
            hidden.last.click()
            page.wait_for_url(f"**{href}")
            # a trainer's and HR's daily destinations stay in the row on any page; the rest fold first
            page.goto("/")
            assert len(set(row_tops(page))) == 1, row_tops(page)
            in_row = page.locator("#site-nav > ul > li > a")
            # (the longer English labels leave room for one role's: this user has two)
            daily = ("/exams/bank/", "/exams/marking/") + (("/hr/", "/people/") if lang == "zh-hans" else ())
            for href in daily:
                assert in_row.locator(f"xpath=self::*[@href='{href}']").count() == 1, href
            assert page.locator(".nav-more ul a").count() >= 1
            shots(page, f"daily_in_row_{lang}")
    finally:
        context.close()

    context = _context(browser, PHONE, live_server)
    page = context.new_page()
    try:
        login(page, "trainer_a", PASSWORD)
        page.locator(".nav-button").click()
        assert page.locator(".nav-more").count() == 0
        assert page.locator("#site-nav > ul > li > a").count() >= 15
    finally:
        context.close()
