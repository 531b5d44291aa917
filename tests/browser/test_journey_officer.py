"""Officer journey on a 375×812 phone: 我的学习 → course → lesson with an inline
citation → complete → final exam (reload mid-way, resume) → result → certificate
PDF → the verification URL from its QR code."""
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import login
from tests.browser.journey_data import officer_course_and_exam, people
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def qr_payload(pdf_path):
    """Decode the QR code drawn in the certificate: render the page with poppler's
    pdftoppm and read it with zbarimg (Debian's zbar-tools). Returns (payload, how)."""
    tmp = Path(tempfile.mkdtemp(prefix="qr-"))
    try:
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), str(tmp / "page")],
                       check=True, capture_output=True, timeout=60)
        image = tmp / "page.png"
        if shutil.which("zbarimg"):
            out = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
                                 capture_output=True, text=True, timeout=60)
            assert out.returncode == 0, f"no QR code found in the rendered certificate: {out.stderr}"
            return out.stdout.strip(), "zbarimg"
        return None, "none"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def qr_matches_reportlab_encoding(pdf_path, url):
    """Fallback without a decoder: sample the rendered QR module grid and compare it
    with reportlab's own encoding of ``url`` (officers.certificates.qr_matrix)."""
    from PIL import Image

    from officers.certificates import qr_matrix

    tmp = Path(tempfile.mkdtemp(prefix="qr-"))
    try:
        # 1 pt = 1 px at 72 dpi; render at 4× so one module is several pixels wide.
        subprocess.run(["pdftoppm", "-r", "288", "-png", "-singlefile", str(pdf_path), str(tmp / "page")],
                       check=True, capture_output=True, timeout=60)
        img = Image.open(tmp / "page.png").convert("L")
        modules = qr_matrix(url)
        n = len(modules)
        scale = 4
        from reportlab.lib.pagesizes import A4, landscape
        width, height = landscape(A4)
        size, quiet = 128, 2
        qx, qy = width - 90 - size, 70 + 14
        box = size / (n + 2 * quiet)
        for r in range(n):
            for c in range(n):
                x = (qx + (quiet + c + 0.5) * box) * scale
                y = (height - (qy + (quiet + (n - 1 - r) + 0.5) * box)) * scale
                dark = img.getpixel((int(x), int(y))) < 128
                if dark != bool(modules[r][c]):
                    return False
        return True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_officer_learns_passes_and_verifies_certificate(phone, shots, live_server, tmp_path):
    data = people()
    officer = data["officer"].officer
    course, exam = officer_course_and_exam(data["officer"])
    page = phone

    login(page, "officer_a", PASSWORD)
    shots(page, "dashboard")
    # 我的学习 through the phone menu.
    page.click(".nav-button")
    page.locator(".site-nav").get_by_role("link", name="我的学习").click()
    page.wait_for_url("**/learning/")
    assert "指派给我的课程" in page.content()
    assigned = page.locator("section[aria-labelledby=assigned-h]")
    assert course.title in assigned.inner_text()
    shots(page, "my-learning")
    assigned.get_by_role("link", name=course.title).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == course.title
    shots(page, "course")

    # First lesson: the cited article expands inline.
    page.get_by_role("link", name=re.compile("开始学习")).click()
    page.wait_for_load_state()
    assert "第1课" in page.locator("h1").inner_text()
    cite = page.locator(".lesson-body .cite").first
    assert "第三十三条" in cite.locator(".cite-link").inner_text()
    pop = cite.locator(".cite-pop")
    toggle = cite.locator(".cite-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    pop.wait_for(state="visible")
    assert "初次违法且危害后果轻微" in pop.inner_text()
    shots(page, "lesson-citation-open")
    page.click("[data-complete-button]")
    page.wait_for_load_state()
    # Second lesson, then complete it too.
    if "第2课" not in page.locator("h1").inner_text():
        page.get_by_role("link", name=re.compile("第2课")).first.click()
        page.wait_for_load_state()
    assert "第2课" in page.locator("h1").inner_text()
    page.click("[data-complete-button]")
    page.wait_for_load_state()
    shots(page, "lessons-done")
    from courses.models import LessonProgress
    assert LessonProgress.objects.filter(officer=officer, completed_at__isnull=False).count() == 2

    # The course exam.
    page.goto(f"/exams/{exam.pk}/")
    shots(page, "exam-detail")
    page.locator("form[action$='/start/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/exams/sittings/\d+/.*"))
    sitting_url = page.url
    countdown = page.locator("#countdown")
    left_before = int(countdown.get_attribute("data-seconds-left"))
    assert 0 < left_before <= 30 * 60
    q1 = page.locator("fieldset.question[data-position='1']")
    with page.expect_response(lambda r: "/answer/" in r.url and r.request.method == "POST") as saved:
        q1.get_by_label(re.compile("可以不予行政处罚")).check()
    assert saved.value.status == 200
    page.get_by_role("button", name="下一题").click()
    page.wait_for_load_state()
    q2 = page.locator("fieldset.question[data-position='2']")
    with page.expect_response(lambda r: "/answer/" in r.url and r.request.method == "POST") as saved:
        q2.get_by_label(re.compile("向社会公布")).check()
    assert saved.value.status == 200
    shots(page, "exam-q2-answered")
    # Reload mid-way: the answer is kept and the clock kept running on the server.
    page.wait_for_timeout(1100)
    page.reload()
    q2 = page.locator("fieldset.question[data-position='2']")
    assert q2.get_by_label(re.compile("向社会公布")).is_checked()
    left_after = int(page.locator("#countdown").get_attribute("data-seconds-left"))
    assert left_after < left_before, (left_before, left_after)
    # Leaving and coming back through the exam page resumes the same sitting.
    page.goto(f"/exams/{exam.pk}/")
    page.get_by_role("link", name="继续作答").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == urlparse(sitting_url).path
    page.goto(urlparse(sitting_url).path + "?q=1")
    assert page.locator("fieldset.question[data-position='1']").get_by_label(
        re.compile("可以不予行政处罚")).is_checked()
    shots(page, "exam-resumed")
    page.goto(urlparse(sitting_url).path + "?q=3")
    with page.expect_response(lambda r: "/answer/" in r.url and r.request.method == "POST"):
        page.locator("fieldset.question[data-position='3'] input[type=radio]").first.check()
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url("**/finish/")
    assert "全部 3 道题已作答" in page.content()
    shots(page, "confirm-submit")
    page.get_by_role("button", name="确认交卷").click()
    page.wait_for_url("**/result/")
    assert page.locator(".badge-green", has_text="通过").count() == 1
    shots(page, "result")

    # The certificate: 我的资格 → 下载 PDF.
    from officers.models import Certificate
    cert = Certificate.objects.get(officer=officer)
    page.goto("/my/qualification/")
    shots(page, "my-qualification")
    with page.expect_download() as dl:
        page.locator("#certificates").get_by_role("link", name="下载 PDF").first.click()
    pdf = tmp_path / "certificate.pdf"
    dl.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "考试合格证书" in text and exam.title in text
    printed = re.search(r"查验网址：(\S+)", text).group(1)
    payload, how = qr_payload(pdf)
    if how == "zbarimg":
        assert payload == printed
    else:
        assert qr_matches_reportlab_encoding(pdf, printed)
    path = urlparse(printed).path
    assert path == f"/verify/{cert.code}/"
    page.goto(path)
    body = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "有效" in body and exam.title in body
    assert "李明华" not in body  # the holder's name is masked on the public page
    shots(page, "verified")
