"""Stored XSS: payloads planted in every text field a trainer or officer fills
(case text, lesson Markdown, course/lesson/exam titles, question and option text,
essay answers, names, notes, session texts, hours descriptions) must not execute
in the pages HR, trainers, admins and officers open — checked in Chromium by
listening for dialogs and for a flag the payloads would set."""
import re

import pytest

from tests.browser.conftest import DESKTOP, login
from tests.factories import PASSWORD
from tests.security import world

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

FIELDS = []


def payload(field, default):
    """A payload naming its field by number; short enough for 50-character names."""
    FIELDS.append(field)
    n = len(FIELDS)
    if field == "lesson.markdown":
        return (f"## 标题\n\n<img src=x onerror=alert({n})>\n\n<script>window.__xss={n}</script>\n\n"
                f"[链接](javascript:alert({n}))\n\n<a href=\"javascript:alert({n})\">a</a>\n\n"
                f"<iframe src=\"javascript:alert({n})\"></iframe>\n\n依据《中华人民共和国行政处罚法》第三十三条。")
    if field.endswith(("full_name", "title", "place", "name", "note", "case_number", "violation", "violation_type",
                       "description")) and not field.startswith(("case.summary", "session.description")):
        return f"<b>x</b><img src=x onerror=alert({n})>"[:50]
    # "<b>x</b>" first: ordinary markup must not make a plain string count as HTML (|cite once did).
    return (f"<b>x</b><img src=x onerror=alert({n})>\"'><svg onload=alert({n})>"
            f"<script>window.__xss={n}</script>{default}")


def _pages(d):
    """(viewer, url) pairs: HR and admin views of the planted people data, trainer
    and admin views of cases, lessons, questions and answers, officers' own pages."""
    officer, sitting, case = d["officer"], d["sitting"], d["case"]
    return [
        ("hr_jb", "/"), ("hr_jb", "/hr/"), ("hr_jb", "/hr/lists/all/"), ("hr_jb", "/hr/lists/expiring_30/"),
        ("hr_jb", "/people/"), ("hr_jb", f"/people/{officer.pk}/"), ("hr_jb", "/hr/report/"),
        ("hr_jb", "/learning/report/"), ("hr_jb", "/learning/assignments/"), ("hr_jb", "/my/qualification/"),
        ("hr_jb", f"/verify/{d['certificate'].code}/"),
        ("trainer_a", "/"), ("trainer_a", "/exams/bank/"), ("trainer_a", f"/exams/bank/{d['question'].pk}/"),
        ("trainer_a", f"/exams/bank/{d['essay'].pk}/"), ("trainer_a", "/exams/marking/"),
        ("trainer_a", f"/exams/marking/{d['marking_answer'].pk}/"),
        ("trainer_a", f"/exams/manage/{d['exam'].pk}/sittings/"), ("trainer_a", f"/exams/manage/sittings/{sitting.pk}/"),
        ("trainer_a", f"/exams/manage/{d['exam'].pk}/analysis/"), ("trainer_a", "/learning/sessions/"),
        ("trainer_a", f"/learning/sessions/{d['session'].pk}/attendance/"), ("trainer_a", f"/people/{officer.pk}/"),
        ("trainer_a", "/cms/"), ("trainer_a", f"/cms/pages/{case.pk}/edit/"),
        ("trainer_a", f"/cms/pages/{d['lesson'].pk}/edit/"), ("trainer_a", f"/cms/pages/{case.get_parent().pk}/"),
        ("reviewer_a", "/cms/"), ("reviewer_a", f"/cms/pages/{case.pk}/edit/"), ("reviewer_a", "/citations/check/"),
        ("root", "/cms/"), ("root", "/cms/users/"), ("root", f"/cms/pages/{case.pk}/edit/"),
        ("root", "/hr/lists/all/"), ("root", f"/people/{officer.pk}/"),
        ("root", f"/exams/marking/{d['marking_answer'].pk}/"), ("root", "/search/?q=占道"),
        ("officer_a", "/"), ("officer_a", "/learning/"), ("officer_a", d["course"].url),
        ("officer_a", d["lesson"].url), ("officer_a", case.url), ("officer_a", "/search/?q=首违不罚"),
        ("officer_a", f"/exams/sittings/{sitting.pk}/result/"), ("officer_a", "/exams/"),
        ("officer_a", "/powers/"), ("officer_a", "/benchmarks/"), ("officer_a", "/learning/sessions/"),
        ("officer_a", "/my/qualification/"),
    ]


def test_planted_payloads_never_execute(browser, live_server, shots):
    FIELDS.clear()
    d = world.build(text=payload)
    assert len(FIELDS) >= 20, FIELDS
    fired, problems = [], []
    contexts = {}
    try:
        for viewer, url in _pages(d):
            if viewer not in contexts:
                ctx = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN")
                ctx.set_default_timeout(15_000)
                page = ctx.new_page()

                def on_dialog(dialog, viewer=viewer):
                    fired.append((viewer, page.url, dialog.message))
                    dialog.dismiss()

                page.on("dialog", on_dialog)
                login(page, viewer, PASSWORD)
                contexts[viewer] = (ctx, page)
            page = contexts[viewer][1]
            response = page.goto(url)
            if response is None or response.status >= 400:
                problems.append(f"{viewer} {url}: status {response and response.status}")
                continue
            page.wait_for_load_state("load")
            flag = page.evaluate("window.__xss")
            if flag is not None:
                fired.append((viewer, url, f"window.__xss={flag}"))
            hrefs = page.eval_on_selector_all("a[href], iframe[src]",
                                              "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))")
            bad = [h for h in hrefs if re.match(r"\s*(javascript|vbscript|data:text/html)", h or "", re.I)]
            if bad:
                problems.append(f"{viewer} {url}: script URL in a link: {bad}")
        # Screens of the two views where the payloads are densest.
        page = contexts["hr_jb"][1]
        page.goto(f"/people/{d['officer'].pk}/")
        shots(page, "hr-officer-record")
        page = contexts["trainer_a"][1]
        page.goto(f"/exams/marking/{d['marking_answer'].pk}/")
        shots(page, "trainer-marking")
    finally:
        for ctx, _page in contexts.values():
            ctx.close()
    named = [(v, u, m, FIELDS[int(m) - 1] if m.isdigit() and int(m) <= len(FIELDS) else m) for v, u, m in fired]
    assert not named, "payloads executed: " + "; ".join(f"{v} {u}: {f}" for v, u, m, f in named)
    assert not problems, "\n".join(problems)
