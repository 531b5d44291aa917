"""The site's scripts work under its Content-Security-Policy (script-src 'self', no
inline script or handler): Chromium reports no violation on the pages an officer
uses, and the behaviour moved out of inline handlers still works."""
import json
import uuid

import pytest

from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _self_check_body():
    return json.dumps([
        {"type": "markdown", "value": "## 首违不罚\n\n依据《中华人民共和国行政处罚法》第三十三条。", "id": str(uuid.uuid4())},
        {"type": "self_check", "id": str(uuid.uuid4()), "value": {
            "question": "初次违法且及时改正的，可以不予处罚吗？", "explanation": "见第三十三条第二款。",
            "options": [{"type": "item", "id": str(uuid.uuid4()), "value": {"text": "可以", "correct": True}},
                        {"type": "item", "id": str(uuid.uuid4()), "value": {"text": "不可以", "correct": False}}]}},
    ], ensure_ascii=False)


def test_pages_run_their_scripts_without_csp_violations(desktop, officer_user):
    from tests.browser.journey_data import penalty_law
    from tests.casebank.factories import make_case, make_power_item
    from tests.courses.factories import make_course, make_lesson

    penalty_law()
    course = make_course(title="CSP课程", n_lessons=0)
    lesson = make_lesson(course, title="自测课时", body=_self_check_body())
    case = make_case("CSP案例", discussion_questions="依据《行政处罚法》第三十三条如何处理？")
    make_power_item(code="CG-CSP-001")

    violations = []
    desktop.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(desktop, "officer_a", PASSWORD)
    for url in ("/", "/learning/", course.url, case.url, "/powers/", "/search/?q=处罚"):
        desktop.goto(url)
        assert desktop.evaluate("document.documentElement.classList.contains('js')"), url  # academy.js ran

    # The self-check (lesson.js) gives feedback, and its form is never submitted.
    desktop.goto(lesson.url)
    desktop.check("text=不可以")
    desktop.click("[data-self-check-submit]")
    assert "回答错误" in desktop.locator(".self-check-result").inner_text()
    assert desktop.url.endswith(lesson.url)

    # The print link (formerly an inline onclick) prints through academy.js.
    desktop.goto("/powers/")
    desktop.evaluate("window.print = () => { window.__printed = true; }")
    desktop.click("[data-print]")
    assert desktop.evaluate("window.__printed === true")

    # An inline script planted in a page would be refused (the policy is really in force).
    desktop.goto("/")
    desktop.evaluate("""() => { const s = document.createElement('script');
                                s.textContent = 'window.__inline = 1'; document.body.appendChild(s); }""")
    assert desktop.evaluate("window.__inline === undefined")
    assert any("script-src 'self'" in v for v in violations), violations
    assert len(violations) == 1, violations
