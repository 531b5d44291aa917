"""Trainer journey on a desktop: write a case in the Wagtail admin with a citation,
read the citation check, submit to 法制审核; the reviewer approves; the case is
found by search. Then import a question spreadsheet with one bad row and read the
error, and mark a case-analysis answer."""
import io
import re

import pytest

from tests.browser.conftest import DESKTOP, login
from tests.browser.journey_data import penalty_law
from tests.factories import PASSWORD, make_units, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CASE_TITLE = "占道经营首违不罚案（教学）"
BAD_FACTS = "当事人在人行道摆摊，执法队员依据《中华人民共和国行政处罚法》第九百条予以处理。"
GOOD_FACTS = "当事人在人行道摆摊，经劝导当场改正，依据《中华人民共和国行政处罚法》第三十三条不予行政处罚。"


def _footer_action(page, selector):
    """Click a button of the editor's footer action menu, opening the menu if needed."""
    page.wait_for_load_state("networkidle")  # the editor's scripts have attached their handlers
    button = page.locator(selector).first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").first.click()
    with page.expect_navigation():
        button.click()


def _save_draft(page, shots):
    """Save draft. After a refused submit, re-opening the editor sometimes warns
    "You saved a new version in another window" (Wagtail's concurrent-editing
    check) and waits for confirmation: confirm it as a user would."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        with page.expect_navigation(timeout=8_000):
            page.locator("button.action-save").first.click()
    except PlaywrightTimeout:
        shots(page, "save-confirm-dialog")
        confirm = page.locator("[role=dialog] button", has_text="保存草稿")
        with page.expect_navigation():
            if confirm.count() and confirm.first.is_visible():
                confirm.first.click()
            else:
                page.eval_on_selector("button.action-save", "b => HTMLFormElement.prototype.submit.call(b.form)")


def _essay_sitting(trainer, officer):
    """A submitted final exam whose case-analysis answer waits for marking."""
    from decimal import Decimal

    from exams import engine
    from exams.models import CASE, Exam, ExamQuestion, Question, RubricPoint

    essay = Question.objects.create(qtype=CASE, category="law_basics", difficulty=3, status="active",
                                    text="当事人首次在人行道摆摊，经劝导当场改正。请分析应如何处理。",
                                    reference_answer="首违不罚，教育为主。")
    RubricPoint.objects.create(question=essay, sort_order=0, text="认定首次违法且及时改正", score=Decimal("6"))
    RubricPoint.objects.create(question=essay, sort_order=1, text="正确援引行政处罚法第三十三条", score=Decimal("4"))
    essay.publish_version()
    exam = Exam.objects.create(title="案例分析测验", kind="mock", draft=False, created_by=trainer,
                               random_order=False, answer_order="none")
    ExamQuestion.objects.create(exam=exam, question=essay, sort_order=0, points=Decimal("10"))
    sitting = engine.start(exam, officer)
    answer = sitting.answers.get(position=1)
    engine.save_answer(sitting, 1, {"text": "属于首次违法且及时改正，依据行政处罚法第三十三条可以不予处罚，应当教育。"},
                       answer.revision)
    engine.finalize(sitting)
    return sitting


def test_trainer_writes_case_reviewer_approves_import_and_marking(browser, live_server, shots, tmp_path):
    from casebank.models import CaseIndexPage, CasePage
    from exams.models import Question, Sitting
    from officers import roles

    units = make_units()
    trainer = make_user(roles.TRAINER, unit=units["SZ"], username="trainer_a", full_name="赵教官")
    make_user(roles.LEGAL_REVIEWER, unit=units["SZ"], username="reviewer_a", full_name="钱审核")
    officer = make_user(roles.OFFICER, unit=units["SZ-JB-01"], username="officer_a", full_name="李明华").officer
    penalty_law()
    sitting = _essay_sitting(trainer, officer)
    index = CaseIndexPage.objects.get()

    def context():
        ctx = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", accept_downloads=True)
        ctx.set_default_timeout(20_000)
        return ctx

    ctx = context()
    page = ctx.new_page()
    login(page, "trainer_a", PASSWORD)
    shots(page, "trainer-dashboard")

    # 1. Write the case in the admin, first with a citation of an article that does not exist.
    page.goto(f"/cms/pages/add/casebank/casepage/{index.pk}/")
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", CASE_TITLE)
    page.fill("#id_decision_date", "2025-05-01")
    page.fill("#id_district", "江北区")
    page.fill("#id_facts", BAD_FACTS)
    # The slug lives on the promote tab; set it last (the title syncs into it on blur).
    page.eval_on_selector("#id_slug", "el => { el.value = 'zhandao-shouweibufa'; }")
    page.locator("button.action-save").first.click()
    page.wait_for_url(re.compile(r".*/cms/pages/\d+/edit/.*"))
    case = CasePage.objects.get(title=CASE_TITLE)
    assert not case.live
    report = page.locator(".help-block", has_text="识别到")
    assert "第九百条" in report.inner_text() and "✗" in report.inner_text()
    shots(page, "citation-check-bad")
    # Submitting with a bad citation is refused with the reason.
    _footer_action(page, "button[name=action-submit]")
    page.wait_for_load_state()
    assert "引用有误" in page.content()
    case.refresh_from_db()
    assert not case.workflow_in_progress
    shots(page, "submit-refused")

    # 2. Correct the citation, save, read the check, submit to 法制审核.
    page.goto(f"/cms/pages/{case.pk}/edit/")
    page.wait_for_load_state("networkidle")
    page.fill("#id_facts", GOOD_FACTS)
    _save_draft(page, shots)
    report = page.locator(".help-block", has_text="识别到")
    assert "第三十三条" in report.inner_text() and "✗" not in report.inner_text() and "✓" in report.inner_text()
    shots(page, "citation-check-ok")
    _footer_action(page, "button[name=action-submit]")
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.workflow_in_progress and case.current_workflow_task.name == "法制审核"
    assert not case.live
    shots(page, "submitted")

    # 3. The reviewer approves.
    rctx = context()
    rpage = rctx.new_page()
    login(rpage, "reviewer_a", PASSWORD)
    assert CASE_TITLE in rpage.content()  # awaiting review on the reviewer's dashboard
    shots(rpage, "reviewer-dashboard")
    rpage.goto(f"/cms/pages/{case.pk}/edit/")
    _footer_action(rpage, "button[data-workflow-action-name=approve]")
    rpage.wait_for_load_state()
    case.refresh_from_db()
    assert case.live and not case.workflow_in_progress
    shots(rpage, "approved")
    rctx.close()

    # 4. The case is found by search (as the trainer, and shows its citation linked).
    page.goto("/search/?q=首违不罚")
    results = page.locator("main")
    assert CASE_TITLE in results.inner_text()
    shots(page, "search")
    with page.expect_navigation():
        page.get_by_role("link", name=CASE_TITLE).first.click()
    assert page.locator(".cite .cite-link", has_text="第三十三条").count() >= 1
    shots(page, "case-page")

    # 5. Import a question spreadsheet with one bad row.
    from openpyxl import Workbook

    from exams.importer import COLUMNS
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)

    def row(**cells):
        ws.append([cells.get(c, "") for c in COLUMNS])

    row(题型="单选", 类别="法律基础", 难度="中", 题干="初次违法且危害后果轻微并及时改正的，可以？",
        选项A="必须罚款", 选项B="可以不予行政处罚", 选项C="吊销执照", 答案="B", 解析="行政处罚法第三十三条。")
    row(题型="判断", 类别="法律基础", 难度="易", 题干="行政处罚裁量基准应当向社会公布。", 答案="正确")
    row(题型="单选", 类别="法律基础", 难度="中", 题干="本行答案写错了：", 选项A="甲", 选项B="乙", 答案="Z")
    xlsx = tmp_path / "questions.xlsx"
    wb.save(xlsx)
    before = Question.objects.count()
    page.goto("/exams/bank/import/")
    page.set_input_files("input[type=file][name=file]", str(xlsx))
    with page.expect_navigation():
        page.get_by_role("button", name="预检").click()
    error = page.locator("tr.import-error")
    assert error.count() == 1
    assert error.get_attribute("data-code") == "bad_answer"
    cells = error.locator("td").all_inner_texts()
    assert cells[0] == "4" and cells[1] == "答案" and "Z" in cells[2]  # row 4 of the sheet (after the header)
    shots(page, "import-preview")
    with page.expect_navigation():
        page.get_by_role("button", name="确认导入").click()
    assert Question.objects.count() == before + 2
    shots(page, "import-done")

    # 6. Mark the case-analysis answer.
    page.goto("/exams/marking/")
    shots(page, "marking-queue")
    with page.expect_navigation():
        page.locator("main a[href*='/exams/marking/']").first.click()
    assert "第三十三条" in page.content()
    inputs = page.locator("input[name^=score-]")
    assert inputs.count() == 2
    inputs.nth(0).fill("6")
    inputs.nth(1).fill("3")
    page.fill("textarea[name=comment]", "要点齐全，法条援引可更完整。")
    shots(page, "marking")
    with page.expect_navigation():
        page.get_by_role("button", name="保存评分").click()
    sitting = Sitting.objects.get(pk=sitting.pk)
    answer = sitting.answers.get(position=1)
    assert answer.score == 9 and answer.marked_at is not None and answer.marked_by_id == trainer.pk
    assert sitting.status == "graded" and sitting.score == 9  # released once the only essay is marked
    shots(page, "marked")
    ctx.close()
