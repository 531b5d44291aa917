"""Certificates: issuing, reissuing, the PDF (reportlab) and the streamed ZIP.

Certificates live beside the qualifications they prove (a certificate is the
proof of a qualification or of an achievement: an exam passed, a course
completed). What a certificate says is frozen when it is issued; only its
status changes, and a correction is a reissue that keeps the old one.

The PDF embeds a subset of WenQuanYi Micro Hei (officers/fonts/, Apache-2.0),
a TrueType font, so it renders the same on a machine without Chinese fonts.
The QR code is encoded with reportlab's own barcode module
(reportlab.graphics.barcode.qrencoder) and drawn as one path.
"""
import io
import secrets
import time
import zipfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import (
    C_REPLACED, C_VALID, CERT_COURSE, CERT_EXAM, CERT_QUALIFICATION, Certificate,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILE = FONT_DIR / "wqy-microhei.ttc"
FONT_NAME = "AcademyCJK"

#: Number prefixes by kind: 资格 / 考试 / 结业.
NUMBER_PREFIX = {CERT_QUALIFICATION: "ZG", CERT_EXAM: "KS", CERT_COURSE: "JY"}
#: Exam kinds (exams.Exam.kind) that earn a certificate when passed.
CERTIFIED_EXAM_KINDS = {"qualification", "annual", "final"}


def new_code():
    """A verification code: 192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


# --- Issuing -------------------------------------------------------------------------


def issue(officer, kind, subject, *, source_key, score=None, valid_until=None, qualification=None,
          issued_at=None, replaces=None, reason="", actor=None, request=None, holder_name=None, unit_name=None):
    """Issue a certificate once per (officer, source_key); returns (certificate, created)."""
    existing = Certificate.objects.filter(officer=officer, source_key=source_key).first()
    if existing:
        return existing, False
    issued_at = issued_at or timezone.localdate()
    try:
        with transaction.atomic():
            cert = Certificate.objects.create(
                kind=kind, officer=officer, qualification=qualification,
                holder_name=holder_name or officer.full_name, unit_name=unit_name or officer.unit.full_name,
                subject=subject, score=score, issued_at=issued_at, valid_until=valid_until, code=new_code(),
                replaces=replaces, reason=reason, source_key=source_key,
            )
            cert.number = f"{NUMBER_PREFIX[kind]}{issued_at.year}{cert.pk:07d}"
            Certificate.objects.filter(pk=cert.pk).update(number=cert.number)
            if replaces is not None and replaces.status != C_REPLACED:
                before = {"status": replaces.status}
                Certificate.objects.filter(pk=replaces.pk).update(status=C_REPLACED, status_reason=reason)
                replaces.status = C_REPLACED
                audit.record("certificate.status", request=request, actor=actor, officer=officer, obj=replaces,
                             before=before, after={"status": C_REPLACED, "replaced_by": cert.number},
                             reason=reason)
            audit.record("certificate.issue", request=request, actor=actor, officer=officer, obj=cert,
                         after={"number": cert.number, "kind": kind, "subject": subject,
                                "valid_until": valid_until.isoformat() if valid_until else None,
                                "replaces": replaces.number if replaces else None},
                         reason=reason)
    except IntegrityError:
        return Certificate.objects.get(officer=officer, source_key=source_key), False
    return cert, True


def issue_for_qualification(rec, *, actor=None, reason="", issued_at=None):
    """The qualification certificate for the record's current validity; it
    replaces the record's previous valid certificate."""
    previous = rec.certificates.filter(status=C_VALID).order_by("-id").first()
    cert, _created = issue(
        rec.officer, CERT_QUALIFICATION, rec.qualification_type.name, qualification=rec,
        valid_until=rec.expires_at, source_key=f"qualification:{rec.pk}:{rec.expires_at}:{rec.granted_at}",
        replaces=previous, reason=reason, actor=actor, issued_at=issued_at,
    )
    return cert


def issue_for_exam(officer, sitting, exam, score):
    """A certificate for a passed exam (qualification, annual and final exams)."""
    if getattr(exam, "kind", "") not in CERTIFIED_EXAM_KINDS:
        return None
    cert, _created = issue(officer, CERT_EXAM, exam.title, score=score, source_key=f"sitting:{sitting.pk}")
    return cert


def issue_for_course(officer, course, completed_at=None):
    """A certificate of completion, for courses that say so."""
    if not getattr(course, "issues_certificate", False):
        return None
    issued = timezone.localdate(completed_at) if completed_at else None
    cert, _created = issue(officer, CERT_COURSE, course.title, issued_at=issued, source_key=f"course:{course.pk}")
    return cert


def reissue(cert, *, actor, reason, request=None):
    """HR reissues a certificate (e.g. a corrected name): a new number and code,
    the holder's current name and unit; the old certificate is kept as 已换发."""
    from django.core.exceptions import ValidationError
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写原因。"), code="reason_required")
    if cert.status != C_VALID:
        raise ValidationError(_("只有有效的证书可以换发。"), code="invalid_transition")
    officer = cert.officer
    new, _created = issue(
        officer, cert.kind, cert.subject, score=cert.score, valid_until=cert.valid_until,
        qualification=cert.qualification, source_key=f"reissue:{cert.pk}", replaces=cert, reason=reason,
        actor=actor, request=request,
    )
    return new


# --- PDF ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def register_font():
    """Parse and register the CJK TrueType font once per process."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    # Binary (not ASCII85) streams: smaller files, and ~10% faster to write.
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE), subfontIndex=0))
    return FONT_NAME


def verification_url(code, request=None):
    """Absolute URL of a certificate's verification page."""
    path = reverse("officers:verify_code", args=[code])
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


@lru_cache(maxsize=1)
def _qrencoder():
    """reportlab's QR encoder, with its Reed-Solomon generator polynomials
    cached: they depend only on the block's error-correction length, and
    rebuilding them for every code is most of the encoding time."""
    from reportlab.graphics.barcode import qrencoder
    original = qrencoder.QRUtil.getErrorCorrectPolynomial
    if not getattr(original, "cached", False):
        cached = lru_cache(maxsize=64)(original)
        cached.cached = True
        qrencoder.QRUtil.getErrorCorrectPolynomial = staticmethod(cached)
    return qrencoder


def qr_matrix(text):
    """QR modules (list of rows of bools) from reportlab's encoder, error
    correction level M. A fixed mask pattern keeps encoding fast (scoring all
    eight masks costs ~15 ms); every mask is valid for readers."""
    qrencoder = _qrencoder()
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 2)
    return qr.modules


def draw_qr(canvas, text, x, y, size):
    """Draw a QR code of ``text`` inside (x, y, size, size): one run of dark
    modules is one rectangle, written in module units under a scaling matrix,
    so the page content stays small and fast to produce."""
    modules = qr_matrix(text)
    n = len(modules)
    quiet = 2
    box = size / (n + 2 * quiet)
    ops = [f"q 0 g {box:.4f} 0 0 {box:.4f} {x + quiet * box:.2f} {y + quiet * box:.2f} cm"]
    for r, row in enumerate(modules):
        c = 0
        y_row = n - 1 - r
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(f"{start} {y_row} {c - start} 1 re")
            else:
                c += 1
    ops.append("f Q")
    canvas.addLiteral("\n".join(ops))


TITLES = {
    CERT_QUALIFICATION: "执法资格证书",
    CERT_EXAM: "考试合格证书",
    CERT_COURSE: "培训结业证书",
}


def _fmt_date(d):
    return f"{d.year} 年 {d.month} 月 {d.day} 日"


def _fmt_score(score):
    if score is None:
        return ""
    text = f"{score:.2f}".rstrip("0").rstrip(".")
    return text


def render_pdf(cert, request=None, *, url=None):
    """The certificate as a landscape A4 PDF (bytes)."""
    from reportlab.lib.colors import Color
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas as pdfcanvas

    font = register_font()
    buf = io.BytesIO()
    width, height = landscape(A4)
    c = pdfcanvas.Canvas(buf, pagesize=(width, height), initialFontName=font, initialFontSize=12,
                         pageCompression=1)
    c.setTitle(f"{TITLES[cert.kind]} {cert.number}")
    c.setAuthor(settings.ACADEMY_BUREAU_NAME)
    c.setSubject(cert.subject)
    c.setCreator("执法学堂")
    red = Color(0.70, 0.10, 0.10)
    # Frame.
    c.setStrokeColor(red)
    c.setLineWidth(3)
    c.rect(24, 24, width - 48, height - 48)
    c.setLineWidth(0.8)
    c.rect(32, 32, width - 64, height - 64)
    # Heading.
    c.setFillColor(red)
    c.setFont(font, 20)
    c.drawCentredString(width / 2, height - 90, settings.ACADEMY_BUREAU_NAME)
    c.setFont(font, 38)
    c.drawCentredString(width / 2, height - 145, TITLES[cert.kind])
    # Body.
    c.setFillColorRGB(0.1, 0.1, 0.1)
    left = 90
    c.setFont(font, 17)
    c.drawString(left, height - 210, f"兹证明  {cert.holder_name}  同志")
    c.setFont(font, 13)
    c.drawString(left, height - 236, f"单位：{cert.unit_name}")
    c.setFont(font, 16)
    if cert.kind == CERT_QUALIFICATION:
        line = f"经培训考核合格，取得{cert.subject}。"
    elif cert.kind == CERT_EXAM:
        line = f"参加“{cert.subject}”，考试合格。"
    else:
        line = f"完成“{cert.subject}”全部学习内容，准予结业。"
    c.drawString(left, height - 272, line)
    rows = []
    if cert.score is not None:
        rows.append(("成　　绩", f"{_fmt_score(cert.score)} 分"))
    rows.append(("发证日期", _fmt_date(cert.issued_at)))
    rows.append(("有效期至", _fmt_date(cert.valid_until) if cert.valid_until else "长期有效"))
    rows.append(("证书编号", cert.number or ""))
    rows.append(("查 验 码", cert.code))
    c.setFont(font, 13)
    y = height - 318
    for label, value in rows:
        c.drawString(left, y, f"{label}：{value}")
        y -= 24
    # QR code and how to verify.
    url = url or verification_url(cert.code, request)
    qr_size = 128
    qx, qy = width - 90 - qr_size, 70
    draw_qr(c, url, qx, qy + 14, qr_size)
    c.setFont(font, 9)
    c.drawCentredString(qx + qr_size / 2, qy + 2, "扫码查验证书真伪")
    c.setFont(font, 9)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.drawString(left, 66, f"查验网址：{url}")
    c.drawString(left, 52, "证书状态以查验结果为准。")
    # Seal-like mark.
    c.setStrokeColor(red)
    c.setFillColor(red)
    c.setLineWidth(2)
    c.circle(width - 300, 140, 52, stroke=1, fill=0)
    c.setFont(font, 11)
    c.drawCentredString(width - 300, 136, "培训考核专用")
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_filename(cert):
    return f"{cert.number}.pdf"


# --- Bulk download -------------------------------------------------------------------


class _Sink:
    """A write-only, non-seekable stream that hands its bytes to a generator."""

    def __init__(self):
        self._chunks = []
        self._pos = 0

    def write(self, data):
        self._chunks.append(bytes(data))
        self._pos += len(data)
        return len(data)

    def tell(self):
        return self._pos

    def flush(self):
        pass

    def take(self):
        data = b"".join(self._chunks)
        self._chunks = []
        return data


def stream_zip(certificates, request=None):
    """Yield a ZIP archive of the certificates' PDFs piece by piece: memory stays
    flat however many certificates there are (the queryset is iterated in chunks)."""
    sink = _Sink()
    when = time.localtime()[:6]
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for cert in certificates.iterator(chunk_size=500):
            info = zipfile.ZipInfo(f"{cert.number}_{cert.holder_name}.pdf", date_time=when)
            info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, render_pdf(cert, request))
            chunk = sink.take()
            if chunk:
                yield chunk
    tail = sink.take()
    if tail:
        yield tail
