"""The trainer's editors in Chromium: the lesson's Markdown toolbar and live preview (rendered by
the server), and the case form's type-to-filter choosers for 适用裁量等级 and 权力清单事项."""
import pytest

from tests.browser.conftest import DESKTOP, login
from tests.browser.journey_data import markdown_body, penalty_law
from tests.factories import PASSWORD, make_units, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_markdown_toolbar_preview_and_grouped_choosers(browser, live_server, shots):
    from casebank.models import CaseIndexPage, DutyArea
    from officers import roles
    from tests.casebank.factories import make_benchmark, make_power_item
    from tests.courses.factories import make_course, make_lesson

    units = make_units()
    make_user(roles.TRAINER, unit=units["SZ"], username="trainer_a", full_name="赵教官")
    penalty_law()
    course = make_course(n_lessons=0)
    lesson = make_lesson(course, body=markdown_body("首次违法"))
    areas = list(DutyArea.objects.filter(kind=DutyArea.AREA)[:2])
    for i, name in enumerate(("夜间施工噪声", "渣土车遗撒")):
        make_benchmark(code=f"BM-B-{i}", violation=name)
        item = make_power_item(code=f"CG-B-{i}", name=f"对{name}的处罚")
        item.duty_areas.set([areas[i]])
        item.save()

    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, "trainer_a", PASSWORD)

    # The lesson's Markdown box: select the text, 加粗, then add a citation; the preview follows.
    page.goto(f"/cms/pages/{lesson.pk}/edit/")
    page.wait_for_load_state("networkidle")
    editor = page.locator("[data-controller=academy-markdown]").first
    preview = editor.locator(".academy-md__output")
    preview.locator("p", has_text="首次违法").wait_for()
    box = editor.locator("textarea")
    box.focus()
    box.evaluate("t => t.setSelectionRange(0, t.value.length)")
    editor.get_by_role("button", name="加粗").click()
    assert box.input_value() == "**首次违法**"
    box.press("End")
    box.type("，依据《中华人民共和国行政处罚法》第三十三条。")
    preview.locator("strong", has_text="首次违法").wait_for()
    preview.locator(".cite-ok a.cite-link", has_text="第三十三条").wait_for()
    editor.get_by_role("button", name="标题").click()
    assert box.input_value().startswith("## ")
    preview.locator("h2").wait_for()
    # 列表 on an empty line writes the placeholder item
    box.press("End")
    box.press("Enter")
    editor.get_by_role("button", name="列表").click()
    assert box.input_value().endswith("\n- 列表项")
    preview.locator("li", has_text="列表项").wait_for()
    shots(page, "markdown-editor")

    # The case form: filter the list box and the checkboxes by typing.
    index = CaseIndexPage.objects.get()
    page.goto(f"/cms/pages/add/casebank/casepage/{index.pk}/")
    page.wait_for_load_state("networkidle")
    chooser = page.locator("[data-controller=academy-choices]:has(select)")
    chooser.locator("input[type=search]").fill("渣土")
    visible = chooser.locator("select optgroup:not([hidden])")
    assert visible.count() == 1 and "渣土车遗撒" in visible.first.get_attribute("label")
    chooser.locator("input[type=search]").press("ArrowDown")
    assert page.evaluate("document.activeElement.name") == "discretion_level"
    items = page.locator("[data-controller=academy-choices]:has(input[type=checkbox])")
    items.locator("input[type=search]").fill("噪声")
    assert items.locator(".academy-choices__option:visible").count() == 1
    items.locator(".academy-choices__option:visible input").check()
    assert "已选 1 项" in items.locator(".academy-choices__count").inner_text()
    items.locator("input[type=search]").press("Enter")  # never submits the page
    assert "/add/" in page.url
    shots(page, "case-choosers")
    assert errors == []
    context.close()
