"""Layout points found walking the journeys in both languages: on a 375 px phone the search words
get a whole line, an exam's composition table fits without sideways scrolling in English; at a
1366 px desk a button in a table cell stays on one line, and the annual report's short cells too."""
import pytest

from officers import roles
from officers.models import CardFeedback, QualificationType
from tests.browser.conftest import PHONE, _context, login
from tests.browser.journey_data import officer_course_and_exam, people
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESK = {"width": 1366, "height": 900}


def one_line(locator):
    return locator.evaluate("el => el.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(el).lineHeight)"
                            " + parseFloat(getComputedStyle(el).paddingTop) + parseFloat(getComputedStyle(el).paddingBottom)")


def text_one_line(locator):
    """The text itself on one line (a table cell is as tall as its row)."""
    return locator.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el);"
                            " return r.getBoundingClientRect().height < 1.5 * parseFloat(getComputedStyle(el).lineHeight); }")


def test_walk_layout_phone_and_desk(browser, live_server, shots):
    data = people()
    officer_user = data["officer"]
    _course, exam = officer_course_and_exam(officer_user)
    make_user(roles.HR, unit=data["units"]["SZ-JB"], username="hr_jb", full_name="孙人事")
    CardFeedback.objects.create(officer=officer_user.officer, kind="complaint", text="态度生硬。")
    QualificationType.objects.create(code="BASE", name="行政执法资格", is_base=True, validity_months=12)

    for lang in ("zh-hans", "en"):
        context = _context(browser, PHONE, live_server)
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page = context.new_page()
        login(page, "officer_a", PASSWORD)

        page.goto("/search/")
        form = page.locator("form.search-form .search-box").bounding_box()
        words = page.locator("#search-q").bounding_box()
        button = page.locator("form.search-form .search-box button").bounding_box()
        assert words["width"] >= 0.9 * form["width"], (lang, words, form)
        assert button["y"] >= words["y"] + words["height"] - 1  # the field choice and button below the words
        assert one_line(page.locator("form.search-form .search-box button"))
        shots(page, f"search_phone_{lang}")

        page.goto(f"/exams/{exam.pk}/")
        fits = page.evaluate("() => { const t = document.getElementById('paper-composition');"
                             " return t.scrollWidth <= t.parentElement.clientWidth; }")
        assert fits, lang
        shots(page, f"exam_detail_phone_{lang}")
        context.close()

        context = _context(browser, DESK, live_server)
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page = context.new_page()
        login(page, "hr_jb", PASSWORD)
        page.goto("/hr/feedback/")
        assert one_line(page.locator("[data-feedback] button").first), lang
        shots(page, f"hr_feedback_desk_{lang}")
        # 年度培训考核汇总: staff number, name, unit and position each keep one line
        page.goto("/hr/report/")
        for column in (1, 2, 3, 4):
            cell = page.locator(f"table.annual-report tbody tr td:nth-child({column})").first
            assert text_one_line(cell), (lang, column, cell.inner_text())
        shots(page, f"hr_report_desk_{lang}")
        context.close()
