"""An officer reads a case on a 375×812 phone: the outline bar stays at the top and jumps to a
section (marked as the current one), find in page highlights the matches and steps through them
with 上一个/下一个 and a count, the star keeps the case without leaving the page, and the note
shows on 我的收藏. On a desktop the outline is a side column with the current section marked."""
import pytest
from playwright.sync_api import expect

from casebank.citations import invalidate_cache
from casebank.models import Article, Bookmark, Law
from tests.browser.conftest import DESKTOP, PHONE, _context, login
from tests.browser.journey_data import people
from tests.casebank.factories import make_case
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = "\n".join(f"第{i}段：执法队员到场后先行劝导，当事人未予改正，队员依法调查取证并制作笔录。" for i in range(1, 13))


def a_long_case():
    return make_case(
        "商户占道经营被责令改正案", summary="商户在人行道上摆摊经营，劝导后仍不改正。",
        facts=LONG + "\n当事人在人行道上设置摊位，占用人行道约六平方米。",
        issues=LONG + "\n争议在于摊位是否属于临时占道。",
        legal_basis_text=LONG + "\n本案依照《行政处罚法》第三十三条的规定，责令当事人当场改正。",
        teaching_points=LONG + "\n教学要点：先教育后处罚，摊位的认定要有现场照片。",
    )


def test_case_page_on_a_phone(browser, live_server, shots):
    people()
    law = Law.objects.create(source_id="test-penalty", full_name="中华人民共和国行政处罚法", short_name="行政处罚法")
    Article.objects.create(law=law, position=33, number=33, number_text="第三十三条",
                           text="违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。")
    invalidate_cache()
    case = a_long_case()
    context = _context(browser, PHONE, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)
        page.goto(case.url)
        bar = page.locator("[data-case-tools]")
        outline = page.locator("details[data-outline]")
        assert outline.is_visible() and outline.evaluate("d => d.open") is False
        shots(page, "case_top")

        # the outline lists the page's own sections and jumps to one
        outline.locator("summary").click()
        labels = outline.locator("[data-outline-list] a").all_inner_texts()
        assert labels == ["案情", "争议焦点", "法律依据", "评析与教学要点"]
        outline.locator("a", has_text="评析与教学要点").click()
        page.wait_for_url("**#commentary")
        page.wait_for_timeout(200)
        heading = page.locator("#commentary h2").bounding_box()
        assert 0 <= heading["y"] < PHONE["height"] / 2, heading
        box = bar.bounding_box()
        assert abs(box["y"]) < 2 and box["y"] + box["height"] <= heading["y"] + 1, (box, heading)  # stays on top
        assert outline.evaluate("d => d.open") is False  # closed again after the jump
        assert page.locator("[data-outline-current]").inner_text() == "评析与教学要点"
        assert outline.locator("a[aria-current]").text_content() == "评析与教学要点"
        shots(page, "outline_jump")

        # find in page: highlights, a count, 下一个 / 上一个 (wrapping round)
        page.get_by_role("button", name="查找").click()
        find = page.locator("#case-find-q")
        assert find.is_visible()
        find.fill("摊位")
        count = page.locator("[data-find-count]")
        expect(count).to_have_text("1/3")
        assert page.locator("mark.find-hit").count() == 3
        current = page.locator("mark.find-current")
        assert current.inner_text() == "摊位" and current.is_visible()
        page.get_by_role("button", name="下一个").click()
        assert count.inner_text() == "2/3"
        y = page.locator("mark.find-current").bounding_box()["y"]
        assert box["height"] < y < PHONE["height"], y  # scrolled into view, below the bar
        page.get_by_role("button", name="上一个").click()
        page.get_by_role("button", name="上一个").click()
        assert count.inner_text() == "3/3"
        shots(page, "find")
        # a match runs across a citation link (its 原文 button and pop-up are not part of the text)
        assert page.locator("#basis a.cite-link").inner_text() == "《行政处罚法》第三十三条"
        find.fill("依照《行政处罚法》第三十三条的规定")
        expect(count).to_have_text("1/1")
        marks = page.locator("mark.find-current")
        assert marks.all_inner_texts() == ["依照", "《行政处罚法》第三十三条", "的规定"]
        assert page.locator("#basis a.cite-link mark.find-hit").count() == 1
        shots(page, "find_across_citation")
        find.fill("没有这个词")
        expect(count).to_have_text("无匹配")
        assert page.locator("mark.find-hit").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # the star keeps the case without leaving the page
        star = page.locator("form[data-star] button")
        assert star.inner_text() == "☆ 收藏"
        url = page.url
        star.click()
        expect(star).to_have_attribute("aria-pressed", "true")
        assert page.url == url and star.inner_text() == "★ 已收藏"
        assert Bookmark.objects.filter(case_id=case.pk, officer__user__username="officer_a").exists()

        # a private note, then 我的收藏 (the 我的 tab is marked there)
        page.fill("#my-note textarea", "先教育后处罚：注意现场照片")
        page.locator("#my-note button[type=submit]").click()
        page.wait_for_url("**#my-note")
        page.goto("/my/bookmarks/")
        assert "商户占道经营被责令改正案" in page.locator(".bookmark-list").inner_text()
        assert "先教育后处罚：注意现场照片" in page.locator(".bookmark-note").inner_text()
        assert page.locator(".tabbar a[aria-current]").inner_text() == "我的"
        shots(page, "my_bookmarks")
    finally:
        context.close()

    # on a desktop: a side column, always open, the current section marked
    context = _context(browser, DESKTOP, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)
        page.goto(case.url)
        tools = page.locator("[data-case-tools]").bounding_box()
        main = page.locator("section#facts").bounding_box()
        assert tools["x"] > main["x"] + main["width"], (tools, main)
        assert page.locator("[data-outline-list]").is_visible() and page.locator("#case-find-q").is_visible()
        page.locator("[data-outline-list] a", has_text="法律依据").click()
        page.wait_for_timeout(200)
        assert page.locator("[data-outline-list] a[aria-current]").inner_text() == "法律依据"
        assert abs(page.locator("[data-case-tools]").bounding_box()["y"] - 16) < 4  # sticky beside the text
        shots(page, "desktop")
    finally:
        context.close()
