"""A 案卷评查 exercise on a 375 px phone: the officer opens the case file's documents one by one,
marks every item of the 评查标准 (finding, deduction) and the conclusion; each mark is saved as it
is made; a 评查 answer naming an item outside the standard is refused and the saved marks stay;
after submitting, the review shows the outcome item by item."""
import re
import time

import pytest

from exams.models import Sitting
from tests.browser.conftest import PHONE, login
from tests.browser.journey_data import people
from tests.exams.factories import make_casefile, make_exam
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_for(predicate, timeout=15.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_marking_a_case_file_on_a_phone(phone, shots):
    people()
    exam = make_exam([make_casefile()], points=10, review="after_submit", time_limit_minutes=60)
    page = phone
    login(page, "officer_a", PASSWORD)
    page.goto(f"/exams/{exam.pk}/")
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/exams/sittings/\d+/.*"))
    sitting = Sitting.objects.get(exam=exam)
    line = sitting.answers.get()

    docs = page.locator("details.casefile-doc")
    assert docs.count() == 3
    assert docs.nth(0).get_attribute("open") is not None and docs.nth(1).get_attribute("open") is None
    assert not page.get_by_text("问：你是否在人行道上堆放了建材？").is_visible()
    docs.nth(1).locator("summary").click()
    assert page.get_by_text("问：你是否在人行道上堆放了建材？").is_visible()
    assert fits(page)
    shots(page, "documents")

    for key in "123468":
        page.check(f"input[name='q1-f-{key}'][value='no']")
    page.check("input[name='q1-f-5'][value='yes']")
    page.check("input[name='q1-f-7'][value='yes']")
    page.fill("input[name='q1-d-7']", "1")
    page.check("input[name='q1-conclusion'][value='fail']")
    expected = {"items": {**{k: {"finding": False, "deduction": None} for k in "123468"},
                          "5": {"finding": True, "deduction": None}, "7": {"finding": True, "deduction": "1.00"}},
                "conclusion": "fail"}

    def saved():
        line.refresh_from_db()
        return line.response == expected

    wait_for(saved, what="the marks to be saved")
    page.wait_for_selector("#q1 .save-state:has-text('已保存')")
    assert fits(page)
    shots(page, "marked")

    # A 评查 answer naming an item outside the standard (a forged request) is refused; nothing is lost.
    revision = line.revision
    refused = page.evaluate("""([url, revision]) => fetch(url, {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json",
                  "X-CSRFToken": document.querySelector("input[name=csrfmiddlewaretoken]").value},
        body: JSON.stringify({position: 1, revision: revision,
                              response: {items: {"99": {finding: "yes"}}, conclusion: "pass"}})})
        .then(r => r.json().then(d => [r.status, d]))""", [f"/exams/sittings/{sitting.pk}/answer/", revision])
    assert refused[0] == 400 and refused[1]["code"] == "unknown_item" and "“99”" in refused[1]["message"]
    line.refresh_from_db()
    assert line.revision == revision and line.response == expected

    page.get_by_role("button", name="交卷").click()
    page.get_by_role("button", name="确认交卷").click()
    page.wait_for_url(re.compile(r".*/result/$"))
    sitting.refresh_from_db()
    assert sitting.score == 10 and sitting.passed
    assert page.locator(".casefile-row.is-right").count() == 8
    assert page.get_by_text("评析密文PX3", exact=False).count() == 1
    assert fits(page)
    shots(page, "review")
