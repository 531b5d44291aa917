"""Study time in a real browser: reading time counts only while the page is in front and
in use, a video counts only while it plays, pauses when the tab is hidden, cannot be
skipped forward past what was watched, and resumes where it stopped.

The test video (a few seconds of coloured frames, WebM) is recorded by Chromium itself
from a canvas at test time, so no video tool or binary fixture is needed."""
import base64
import json
import time
import uuid

import pytest
from django.core.files.base import ContentFile

from courses import studytime
from courses.models import CourseIndexPage, CoursePage, LessonPage, LessonProgress
from tests.browser.conftest import DESKTOP, _context, login
from tests.browser.journey_data import markdown_body, people
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RECORD_WEBM = """async (ms) => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 48;
  const ctx = canvas.getContext("2d");
  const recorder = new MediaRecorder(canvas.captureStream(10), {mimeType: "video/webm;codecs=vp8"});
  const chunks = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  let i = 0;
  const paint = setInterval(() => {
    ctx.fillStyle = `hsl(${(i++ * 37) % 360},80%,50%)`;
    ctx.fillRect(0, 0, 64, 48);
  }, 100);
  recorder.start(200);
  await new Promise((r) => setTimeout(r, ms));
  const stopped = new Promise((r) => { recorder.onstop = r; });
  recorder.stop();
  await stopped;
  clearInterval(paint);
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}"""

HIDE_TAB = """() => {
  Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "hidden"});
  document.dispatchEvent(new Event("visibilitychange"));
}"""
SHOW_TAB = """() => {
  Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "visible"});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def _course():
    index = CourseIndexPage.objects.get()
    course = CoursePage(title="学习时长测试课", slug="study-time-course", tier="entry", live=True)
    index.add_child(instance=course)
    return course


def _lesson(course, slug, **fields):
    lesson = LessonPage(title=f"课时 {slug}", slug=slug, live=True, **fields)
    course.add_child(instance=lesson)
    return lesson


def until(page, function, timeout=15_000):
    """Wait until a JS function is true in the page (page.evaluate runs it despite the page's
    CSP, which forbids the eval that wait_for_function uses)."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(function):
        assert time.monotonic() < deadline, f"timed out: {function}"
        page.wait_for_timeout(200)


def _active(officer, lesson):
    return LessonProgress.objects.get(officer=officer, lesson=lesson).active_seconds


@pytest.fixture
def quick(monkeypatch):
    """Heartbeats every 2 s and a 4 s idle limit, so the test runs in seconds."""
    monkeypatch.setattr(studytime, "HEARTBEAT_SECONDS", 2)
    monkeypatch.setattr(studytime, "IDLE_SECONDS", 4)


def test_reading_counts_only_active_visible_time(browser, live_server, shots, quick):
    officer = people()["officer"].officer
    lesson = _lesson(_course(), "reading", study_mode="reading", min_read_seconds=5,
                     body=markdown_body("## 阅读\n\n" + "执法人员应当文明执法。\n\n" * 80))
    context = _context(browser, DESKTOP, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)
        page.goto(lesson.url)
        button = page.locator("[data-complete-button]")
        assert button.is_disabled()
        # Reading: some input now and then; the server confirms the time, then the button unlocks.
        for _ in range(8):
            page.mouse.wheel(0, 120)
            page.wait_for_timeout(1000)
            if button.is_enabled():
                break
        until(page, "() => !document.querySelector('[data-complete-button]').disabled", 8000)
        assert _active(officer, lesson) >= 5
        shots(page, "reading_unlocked")

        # A hidden tab counts nothing, even with input events.
        page.wait_for_timeout(2500)  # let the last heartbeat land
        page.evaluate(HIDE_TAB)
        page.wait_for_timeout(1500)  # hiding the tab sends what was counted up to then
        before = _active(officer, lesson)
        for _ in range(4):
            page.mouse.wheel(0, 120)
            page.wait_for_timeout(1000)
        assert _active(officer, lesson) == before

        # Visible but idle: counting stops and the page says why.
        page.evaluate(SHOW_TAB)
        page.wait_for_selector("[data-study-note]:not([hidden])", timeout=10_000)
        assert "阅读计时已暂停" in page.locator("[data-study-note]").inner_text()
        page.wait_for_timeout(2500)
        idle_total = _active(officer, lesson)
        page.wait_for_timeout(3000)
        assert _active(officer, lesson) == idle_total
        shots(page, "reading_idle")

        page.click("[data-complete-button]")
        page.wait_for_selector("text=您已完成课程")  # the course's only lesson
        assert LessonProgress.objects.get(officer=officer, lesson=lesson).completed_at is not None
    finally:
        context.close()


def test_video_plays_pauses_when_hidden_and_cannot_skip_ahead(browser, live_server, shots, quick):
    from wagtail.documents.models import Document

    officer = people()["officer"].officer
    course = _course()
    context = _context(browser, DESKTOP, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)
        clip = base64.b64decode(page.evaluate(RECORD_WEBM, 8000))
        assert clip[:4] == b"\x1a\x45\xdf\xa3"  # an EBML (WebM) file
        document = Document.objects.create(title="测试视频", file=ContentFile(clip, name="clip.webm"))
        body = json.dumps([{"type": "video", "id": str(uuid.uuid4()),
                            "value": {"video": document.pk, "url": "", "caption": "测试"}}])
        lesson = _lesson(course, "video", study_mode="video", video_seconds=8, min_read_seconds=5, body=body)

        page.goto(lesson.url)
        until(page, "() => document.querySelector('.lesson-body video').readyState >= 1")
        page.evaluate("() => { const v = document.querySelector('.lesson-body video'); v.muted = true; v.play(); }")
        until(page, "() => document.querySelector('.lesson-body video').currentTime > 2.5", 10_000)

        # Skipping ahead past what was watched snaps back, with a message.
        page.evaluate("() => { document.querySelector('.lesson-body video').currentTime = 7.5; }")
        page.wait_for_timeout(300)
        position = page.evaluate("() => document.querySelector('.lesson-body video').currentTime")
        assert position < 6, position
        assert "不能快进" in page.locator("[data-study-note]").inner_text()
        shots(page, "video_seek_refused")

        # Hiding the tab pauses the video and the counting.
        page.evaluate(HIDE_TAB)
        assert page.evaluate("() => document.querySelector('.lesson-body video').paused")
        page.wait_for_timeout(1500)  # the flush on hiding lands
        paused_total = _active(officer, lesson)
        assert paused_total >= 2
        page.wait_for_timeout(3000)
        assert _active(officer, lesson) == paused_total
        record = LessonProgress.objects.get(officer=officer, lesson=lesson)
        assert 2 <= record.video_furthest <= 6 and 0 < record.video_position <= record.video_furthest

        # Coming back: the page resumes at the saved position, never past the furthest point.
        page.evaluate(SHOW_TAB)
        page.goto(lesson.url)
        until(page, "() => document.querySelector('.lesson-body video').currentTime > 1", 10_000)
        resumed = page.evaluate("() => document.querySelector('.lesson-body video').currentTime")
        assert abs(resumed - record.video_position) < 1.5
        assert "将从第" in page.locator("[data-study-status]").inner_text()
        started = time.monotonic()
        page.evaluate("() => { const v = document.querySelector('.lesson-body video'); v.muted = true; v.play(); }")
        until(page, "() => !document.querySelector('[data-complete-button]').disabled", 15_000)
        assert time.monotonic() - started < 15
        assert _active(officer, lesson) >= 5
    finally:
        context.close()
