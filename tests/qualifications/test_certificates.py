"""Certificate PDF: embedded CJK subset, size, rendering, QR; codes; streamed ZIP."""
import io
import shutil
import subprocess
import zipfile

import pytest

from officers import certificates
from officers.certificates import new_code
from tests.factories import make_user

pytestmark = pytest.mark.django_db

POPPLER = shutil.which("pdffonts") and shutil.which("pdftoppm")


@pytest.fixture
def cert(units):
    officer = make_user("officer", unit=units["SZ-JB-01"], full_name="欧阳晓明").officer
    c, _ = certificates.issue(officer, "exam", "2026 年度执法能力考试", score=92.5, source_key="s:1")
    return c


def test_codes_are_long_random_and_unique():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) >= 32 for c in codes)  # 24 bytes = 192 bits


def test_issue_is_idempotent_and_numbered(cert):
    again, created = certificates.issue(cert.officer, "exam", "x", source_key="s:1")
    assert not created and again.pk == cert.pk
    assert cert.number.startswith("KS") and cert.unit_name.endswith("第一中队")


def test_pdf_is_small_and_valid(cert):
    pdf = certificates.render_pdf(cert)
    assert pdf.startswith(b"%PDF") and len(pdf) < 100 * 1024


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdffonts, pdftoppm) not installed; `make test` installs it")
def test_font_is_embedded_subset_and_renders(cert, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(certificates.render_pdf(cert))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows, fonts
    for row in rows:  # name type encoding emb sub uni id gen
        assert row[-5:-3] == ["yes", "yes"], fonts
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "page")], check=True,
                   env={"PATH": "/usr/bin:/bin", "FONTCONFIG_FILE": "/dev/null"})
    png = (tmp_path / "page-1.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


@pytest.mark.skipif(not (POPPLER and shutil.which("zbarimg")), reason="zbarimg or poppler not installed")
def test_qr_code_points_to_verification(cert, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(certificates.render_pdf(cert))
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "p")], check=True)
    out = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "p-1.png")], capture_output=True, text=True)
    assert out.stdout.strip().endswith(f"/verify/{cert.code}/")


def test_qr_matrix_is_square():
    m = certificates.qr_matrix("http://127.0.0.1:8000/verify/" + "a" * 32 + "/")
    assert len(m) == len(m[0]) and len(m) >= 21


def test_zip_streams_every_certificate(cert):
    from officers.models import Certificate
    for i in range(4):
        certificates.issue(cert.officer, "course", f"课程{i}", source_key=f"c:{i}")
    chunks = list(certificates.stream_zip(Certificate.objects.order_by("pk")))
    assert len(chunks) >= 5  # one piece per certificate, not one blob
    zf = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert zf.testzip() is None
    names = zf.namelist()
    assert len(names) == 5 and all(n.endswith(".pdf") for n in names)
    assert zf.read(names[0]).startswith(b"%PDF")


@pytest.mark.skipif(not shutil.which("pdftotext"),
                    reason="poppler-utils (pdftotext) not installed; `make test` installs it")
def test_zip_rendered_by_worker_processes_matches_the_serial_one(cert, tmp_path):
    """A large download renders in worker processes: the same archive entries, in
    the same order, each a PDF of its own certificate."""
    from officers.models import Certificate
    for i in range(40):
        certificates.issue(cert.officer, "course", f"课程{i}", source_key=f"p:{i}")
    qs = Certificate.objects.order_by("pk")
    serial = zipfile.ZipFile(io.BytesIO(b"".join(certificates.stream_zip(qs, workers=0))))
    parallel = zipfile.ZipFile(io.BytesIO(b"".join(certificates.stream_zip(qs, workers=2))))
    assert parallel.testzip() is None
    assert parallel.namelist() == serial.namelist() == [f"{c.number}_{c.holder_name}.pdf" for c in qs]
    for c in (qs[0], qs[17], qs[40]):
        path = tmp_path / "c.pdf"
        path.write_bytes(parallel.read(f"{c.number}_{c.holder_name}.pdf"))
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert c.number in text and c.code in text


def test_large_downloads_use_worker_processes(settings):
    settings.CERTIFICATE_RENDER_PROCESSES = 2
    settings.CERTIFICATE_PARALLEL_MIN = 200
    assert certificates._render_processes(10_000) == 2
    assert certificates._render_processes(20) == 0  # a few: in the request's own process
    settings.CERTIFICATE_RENDER_PROCESSES = 1
    assert certificates._render_processes(10_000) == 0
