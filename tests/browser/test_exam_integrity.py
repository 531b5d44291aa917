"""The exam paper on a phone with a bad signal and the integrity rules on: answers given
offline reach the server after reconnecting (none lost); the countdown is announced only at
its thresholds and submits the paper at zero; leaving the page is counted and, past the
limit, the server submits by force; idling ends in the countdown dialog and a forced
submission whose reason the officer sees."""
import re
import time

import pytest

from exams.models import EndReason, ForcedReason, QuestionType, Sitting, SittingStatus
from tests.browser.conftest import login
from tests.browser.journey_data import people
from tests.exams.factories import key_of, make_exam, make_question
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OFFLINE_BANNER = "网络中断，答案已保存在本机，恢复后将自动提交"


def wait_for(predicate, timeout=15.0, what="condition"):
    """Poll the database (the server runs in another thread) until ``predicate()`` holds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def start_paper(page, exam, clock=False):
    login(page, "officer_a", PASSWORD)
    if clock:
        page.clock.install()
    page.goto(f"/exams/{exam.pk}/")
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/exams/sittings/\d+/.*"))
    return Sitting.objects.get(exam=exam)


def choose(page, sitting, position):
    """Click the right option of a single-choice question; returns its key."""
    key = key_of(sitting.answers.get(position=position))[0]
    page.check(f"input[name='q{position}-choice'][value='{key}']")
    return key


def response(sitting, position):
    return sitting.answers.get(position=position).response


def leave_and_return(page, hidden):
    """Switch away from the paper's tab (visibility hidden) or back. Headless Chromium keeps
    every page visible and focused, so the switch is emulated with the browser's own events."""
    page.evaluate("""hidden => {
        Object.defineProperty(document, 'visibilityState', {value: hidden ? 'hidden' : 'visible', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""", hidden)


def test_offline_answers_reach_the_server_and_the_paper_submits_at_the_deadline(phone, shots):
    people()
    questions = [make_question(QuestionType.SINGLE) for _ in range(4)]
    exam = make_exam(questions, time_limit_minutes=30, one_per_page=False)
    page = phone
    sitting = start_paper(page, exam, clock=True)

    choose(page, sitting, 1)
    page.wait_for_selector("#q1 .save-state:has-text('已保存')")

    page.context.set_offline(True)
    right2 = key_of(sitting.answers.get(position=2))[0]
    page.check(f"input[name='q2-choice'][value='{next(k for k in '1234' if k != right2)}']")
    chosen = {3: choose(page, sitting, 3)}
    banner = page.locator("#offline-banner")
    banner.wait_for(state="visible")
    assert OFFLINE_BANNER in banner.inner_text()
    shots(page, "offline")
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('academy-paper-{sitting.pk}'))")
    assert sorted(op["position"] for op in kept if op["t"] == "a") == [2, 3]
    assert response(sitting, 2) is None and response(sitting, 3) is None  # not on the server yet
    # change an offline answer again: only the newest reaches the server
    chosen[2] = choose(page, sitting, 2)

    page.context.set_offline(False)
    wait_for(lambda: response(sitting, 2) == {"choice": chosen[2]} and response(sitting, 3) == {"choice": chosen[3]},
             what="the kept answers to arrive")
    page.wait_for_selector("#offline-banner:has-text('已全部提交')")
    assert page.evaluate(f"localStorage.getItem('academy-paper-{sitting.pk}')") is None
    assert sitting.answers.get(position=1).revision == 1 and sitting.answers.get(position=2).revision == 1
    shots(page, "reconnected")

    # The countdown is announced to screen readers at 10 minutes, and not again a second later.
    announce = page.locator("#countdown-announce")
    assert announce.inner_text() == ""
    page.clock.fast_forward("20:01")
    page.wait_for_function("document.getElementById('countdown-announce').textContent.length > 0")
    assert announce.inner_text() == "剩余 10 分钟"
    page.clock.fast_forward("00:05")
    assert announce.inner_text() == "剩余 10 分钟"
    assert page.get_attribute("#countdown", "aria-live") == "off"

    # An answer given offline just before time is up is still sent before the paper submits itself.
    page.context.set_offline(True)
    choose(page, sitting, 4)
    page.context.set_offline(False)
    page.clock.fast_forward("10:00")
    page.wait_for_url(re.compile(r".*/result/$"))
    sitting.refresh_from_db()
    assert sitting.status != SittingStatus.OPEN and sitting.ended_by == EndReason.SUBMIT
    assert all(a.response for a in sitting.answers.all()), "an answer was lost"
    assert sitting.score == 4
    shots(page, "submitted-at-deadline")


def test_leaving_the_paper_is_counted_then_the_server_submits_by_force(phone, shots):
    people()
    exam = make_exam([make_question(QuestionType.SINGLE) for _ in range(3)], time_limit_minutes=30,
                     leave_limit=1, block_copy=True, watermark=True)
    page = phone
    sitting = start_paper(page, exam)
    assert "李明华" in page.inner_text("#watermark")
    choose(page, sitting, 1)
    page.wait_for_selector(".save-state:has-text('已保存')")
    # copying the question is blocked
    blocked = page.evaluate("""() => {
        const e = new ClipboardEvent('copy', {bubbles: true, cancelable: true});
        document.querySelector('.qtext').dispatchEvent(e);
        return e.defaultPrevented;
    }""")
    assert blocked

    leave_and_return(page, True)
    wait_for(lambda: Sitting.objects.get(pk=sitting.pk).leave_count == 1, what="the leave to be counted")
    leave_and_return(page, False)
    page.wait_for_selector("#integrity-warning:has-text('再离开一次将强制交卷')")
    shots(page, "warned")
    # the second time the window loses focus (another app in front)
    page.evaluate("window.dispatchEvent(new Event('blur'))")
    wait_for(lambda: Sitting.objects.get(pk=sitting.pk).status != SittingStatus.OPEN, what="the forced submission")
    page.wait_for_url(re.compile(r".*/result/$"))
    text = page.inner_text("#forced-reason")
    assert "强制交卷" in text and "离开考试页面 2 次，超过上限 1 次" in text
    sitting.refresh_from_db()
    assert sitting.forced_reason == ForcedReason.LEAVES and sitting.ended_by == EndReason.FORCED
    assert sitting.answers.get(position=1).correct is True  # the saved answer counted
    shots(page, "forced-result")


def test_idle_ends_in_a_countdown_dialog_and_a_forced_submission(phone, shots):
    people()
    exam = make_exam([make_question(QuestionType.SINGLE) for _ in range(2)], time_limit_minutes=30, idle_minutes=2)
    page = phone
    sitting = start_paper(page, exam, clock=True)
    choose(page, sitting, 1)
    page.wait_for_selector(".save-state:has-text('已保存')")

    page.clock.run_for("02:01")
    dialog = page.locator("#idle-dialog")
    dialog.wait_for(state="visible")
    assert "秒后将自动交卷" in dialog.inner_text()
    shots(page, "idle-dialog")
    # "继续作答" keeps the sitting open
    page.click("#idle-continue")
    assert dialog.is_hidden()
    page.clock.run_for("02:01")
    dialog.wait_for(state="visible")
    page.clock.run_for("01:01")
    page.wait_for_url(re.compile(r".*/result/$"))
    assert "长时间无操作" in page.inner_text("#forced-reason") or "无任何操作" in page.inner_text("#forced-reason")
    sitting.refresh_from_db()
    assert sitting.forced_reason == ForcedReason.IDLE
    assert list(sitting.events.values_list("kind", flat=True)) == [
        "idle_warning", "idle_resume", "idle_warning", "idle_timeout", "forced"]
    assert sitting.answers.get(position=1).correct is True
    shots(page, "idle-forced")


def test_the_start_shows_the_paper_at_its_own_address_and_a_reload_keeps_it(phone, shots):
    """开始考试 answers with the first question itself; the address bar then names the paper,
    so a reload opens the paper again instead of posting the start a second time."""
    people()
    exam = make_exam([make_question(QuestionType.SINGLE) for _ in range(3)], time_limit_minutes=30)
    page = phone
    starts = []
    page.on("request", lambda r: starts.append(r.url) if r.method == "POST" and r.url.endswith("/start/") else None)
    sitting = start_paper(page, exam)
    assert page.url.endswith(f"/exams/sittings/{sitting.pk}/?q=1"), page.url
    assert page.locator("fieldset.question").count() == 1 and page.locator("#q1").is_visible()
    key = choose(page, sitting, 1)
    page.wait_for_selector("#q1 .save-state:has-text('已保存')")
    # the navigation marks the saved question at once
    assert "is-answered" in page.get_attribute(".qnav a[data-position='1']", "class")
    page.reload()
    assert page.url.endswith(f"/exams/sittings/{sitting.pk}/?q=1"), page.url
    assert page.is_checked(f"input[name='q1-choice'][value='{key}']")
    assert len(starts) == 1, starts  # the reload did not post the start again
    assert Sitting.objects.filter(exam=exam).count() == 1
    page.click(".qnav a[data-position='2']")
    page.wait_for_url(re.compile(rf".*/exams/sittings/{sitting.pk}/\?q=2$"))
    shots(page, "paper-after-reload")
