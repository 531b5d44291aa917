"""Layout points found walking the journeys in both languages: on a 375 px phone the search words
get a whole line (on the site search and in the case bank, whose hint of what is searched is read whole),
an exam's composition table fits without sideways scrolling in English, the course page's 继续学习 button
names the action on one line and the lesson on the next; at a 1366 px desk a button in a table cell stays
on one line, and the annual report's short cells too."""
import re

import pytest
from playwright.sync_api import expect

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


#: The width a placeholder needs and the room its input has for it. A phone draws each Chinese character
#: one em wide, whatever font this machine has (CI's Chromium may have no Chinese font at all).
PLACEHOLDER_ROOM = """el => {
  const cs = getComputedStyle(el), em = parseFloat(cs.fontSize);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const wide = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
  const width = [...el.placeholder].reduce(
    (w, c) => w + (wide.test(c) ? Math.max(em, ctx.measureText(c).width) : ctx.measureText(c).width), 0);
  return {text: el.placeholder, width,
          room: el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)};
}"""

#: Each visible text of an element with the tops of the lines it is drawn on.
TEXT_LINES = """el => {
  const texts = [], walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange(); range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 1 && r.height > 1);
    if (node.data.trim() && rects.length)
      texts.push({text: node.data.trim(), tops: [...new Set(rects.map(r => Math.round(r.top)))]});
  }
  return texts;
}"""

LONG_LESSON = "第2课 文明执法：劝导、教育在先，说理式执法与群众沟通的方法和技巧"


def next_lesson_button_reads_on_a_phone(page, action):
    """The action on a line of its own, the whole lesson title below it on one line (cut, not wrapped),
    the whole title in the link's name, nothing past the screen's edge."""
    button = page.locator(".course-layout a.btn-primary[href*='journey-lesson-2']")
    texts = button.evaluate(TEXT_LINES)
    title = [t for t in texts if LONG_LESSON in t["text"]]
    assert len(title) == 1 and len(title[0]["tops"]) == 1, texts
    action_tops = [top for t in texts if t["text"] == action for top in t["tops"]]
    assert action_tops and max(action_tops) < title[0]["tops"][0], texts
    expect(button).to_have_accessible_name(re.compile(re.escape(action) + r"\s*[:：]\s*" + re.escape(LONG_LESSON)))
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_walk_layout_phone_and_desk(browser, live_server, shots):
    from courses.models import LessonPage
    from courses.progress import complete_lesson, open_lesson

    data = people()
    officer_user = data["officer"]
    course, exam = officer_course_and_exam(officer_user)
    # The first lesson done: the course page's button continues with the second, whose title is long.
    second = LessonPage.objects.get(slug="journey-lesson-2")
    second.title = LONG_LESSON
    second.save_revision().publish()
    first = LessonPage.objects.get(slug="journey-lesson-1")
    open_lesson(officer_user.officer, first, course)
    complete_lesson(officer_user.officer, first, course)
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

        page.goto("/cases/")
        hint = page.locator("#case-q").evaluate(PLACEHOLDER_ROOM)
        assert hint["width"] <= hint["room"], (lang, hint)
        shots(page, f"cases_phone_{lang}")

        page.goto(course.url)
        next_lesson_button_reads_on_a_phone(page, {"zh-hans": "继续学习", "en": "Continue"}[lang])
        shots(page, f"course_phone_{lang}")

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
