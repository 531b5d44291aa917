"""ACADEMY_PUBLIC_URL: the address on every certificate (text and QR code) and in e-mailed links."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from config import public_url
from officers import certificates
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://academy.example.gov.cn"
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")


@pytest.fixture
def cert(units):
    officer = make_user("officer", unit=units["SZ-JB-01"], full_name="欧阳晓明").officer
    c, _ = certificates.issue(officer, "exam", "2026 年度执法能力考试", score=92.5, source_key="s:url")
    return c


@pytest.mark.django_db
def test_default_is_what_make_run_serves(settings):
    assert settings.ACADEMY_PUBLIC_URL == "http://127.0.0.1:8000"
    assert settings.WAGTAILADMIN_BASE_URL == settings.ACADEMY_PUBLIC_URL


@pytest.mark.django_db
@override_settings(ACADEMY_PUBLIC_URL=BASE)
def test_certificate_url_and_footer_carry_the_configured_base(cert, rf):
    url = f"{BASE}/verify/{cert.code}/"
    # Not the address a request came in at (an HR user on an internal host name).
    assert certificates.verification_url(cert.code, rf.get("/", HTTP_HOST="10.0.0.5:8000")) == url
    data = certificates.pdf_data(cert)
    assert data["url"] == url and f"查验网址：{url}" in data["footer"]


@pytest.mark.django_db
@pytest.mark.skipif(not (POPPLER and shutil.which("zbarimg")), reason="zbarimg or poppler not installed; `make test` installs them")
@override_settings(ACADEMY_PUBLIC_URL=BASE)
def test_pdf_qr_code_and_printed_url_carry_the_configured_base(cert, tmp_path, client, hr_user):
    client.force_login(hr_user)
    response = client.get(f"/certificates/{cert.pk}.pdf")
    assert response.status_code == 200, "HR of 江北区 downloads the certificate of one of its officers"
    path = tmp_path / "c.pdf"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "p")], check=True)
    qr = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "p-1.png")], capture_output=True, text=True)
    assert qr.stdout.strip() == f"{BASE}/verify/{cert.code}/"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{BASE}/verify/{cert.code}/" in text.replace("\n", "") and "127.0.0.1" not in text


@pytest.mark.django_db
def test_migrate_records_the_public_url_as_the_wagtail_site(settings):
    from wagtail.models import Page, Site

    from portal.site_address import sync_default_site

    settings.ACADEMY_PUBLIC_URL = BASE
    sync_default_site()
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == BASE
    page = site.root_page.specific
    assert page.full_url == f"{BASE}/", "Wagtail's e-mailed links (page.full_url)"
    settings.ACADEMY_PUBLIC_URL = "http://127.0.0.1:8765"
    sync_default_site()
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8765"
    assert Page.objects.get(pk=page.pk).full_url == "http://127.0.0.1:8765/"


@pytest.mark.parametrize("value,expected", [
    ("https://Academy.example.gov.cn/", "https://academy.example.gov.cn"),
    ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
])
def test_parse_accepts_an_address(value, expected):
    assert public_url.parse(value) == expected


@pytest.mark.parametrize("value", ["", "academy.example.gov.cn", "ftp://x.example", "https://x.example/academy",
                                   "https://x.example?a=1", "https://x.example:99999", "https://"])
def test_parse_refuses_anything_else(value):
    with pytest.raises(ImproperlyConfigured):
        public_url.parse(value)


def _production(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "ACADEMY_PUBLIC_URL")}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ACADEMY_DATA_DIR": str(tmp_path),
                 "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "academy.example.gov.cn"})
    base.update(env)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=300)


def test_production_refuses_to_start_without_a_public_url(tmp_path):
    result = _production(tmp_path)
    assert result.returncode != 0
    assert "ACADEMY_PUBLIC_URL is required under production settings" in result.stderr


def test_production_refuses_a_malformed_public_url(tmp_path):
    result = _production(tmp_path, ACADEMY_PUBLIC_URL="academy.example.gov.cn")
    assert result.returncode != 0 and "must be the site's public address" in result.stderr
